"""summarize / holds_user_data: what ``vcio-desk info`` and the first-run screen report."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import insert

from vcio_desk.services.seed import ensure_base_content
from vcio_desk.services.settings import write_setting
from vcio_desk.services.workspace import COUNTED, holds_user_data, summarize
from vcio_desk.store import Store, open_store
from vcio_desk.store.migrate import head_revision
from vcio_desk.store.models import Client, Staff


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local/share"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local/state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.delenv("VCIO_DESK_DB", raising=False)


@pytest.fixture
def path(db_target) -> Path | str:  # type: ignore[no-untyped-def]
    """A file in the normal run, a database of its own in the PostgreSQL run."""
    return db_target("ws")


@pytest.fixture
def store(path: Path | str) -> Iterator[Store]:
    with open_store(path) as opened:
        ensure_base_content(opened)
        yield opened


def test_summary_of_a_fresh_workspace(store: Store, path: Path | str) -> None:
    summary = summarize(store)
    if isinstance(path, Path):
        assert summary.location == str(path)
        assert summary.backup_dir == str(path.parent / "backups")
    else:  # a server: its URL (no password), and backups are the server's own
        assert summary.location == store.location.display
        assert summary.backup_dir is None
    assert summary.schema_revision == summary.head_revision == head_revision()
    assert summary.kind == "user"
    assert list(summary.counts) == [label for label, _model in COUNTED]
    assert summary.counts["standards"] == 84
    assert {k: v for k, v in summary.counts.items() if k != "standards"} == dict.fromkeys(
        (label for label, _ in COUNTED if label != "standards"), 0
    )
    assert not summary.has_clients
    assert not holds_user_data(store)


def test_counts_follow_the_rows(store: Store) -> None:
    with store.transaction() as session:
        session.execute(insert(Staff), [{"name": f"S{i}"} for i in range(7)])
        session.execute(insert(Client), [{"name": f"Client {i}"} for i in range(3)])
    summary = summarize(store)
    assert summary.counts["staff"] == 7
    assert summary.counts["clients"] == 3
    assert summary.has_clients


def test_user_data_means_clients_in_a_non_demo_workspace(store: Store) -> None:
    with store.transaction() as session:
        session.execute(insert(Client).values(name="Contoso"))
    assert holds_user_data(store)
    write_setting(store, "workspace_kind", "demo")
    assert summarize(store).kind == "demo"
    assert not holds_user_data(store)


def test_unseeded_workspace_defaults_to_user_kind(path: Path | str) -> None:
    with open_store(path) as bare:
        summary = summarize(bare)
    assert summary.kind == "user"
    assert summary.counts["standards"] == 0


def test_summary_through_a_read_only_store(store: Store, path: Path | str) -> None:
    with store.transaction() as session:
        session.execute(insert(Client).values(name="Fabrikam"))
    store.close()
    with open_store(path, read_only=True) as reader:
        summary = summarize(reader)
    assert summary.counts["clients"] == 1
    assert summary.schema_revision == head_revision()


def test_summary_of_a_non_file_workspace() -> None:
    with open_store("sqlite://") as memory:
        ensure_base_content(memory)
        summary = summarize(memory)
    assert summary.backup_dir is None
    assert summary.location == "sqlite://"
    assert summary.counts["standards"] == 84
