"""Start-up over a damaged workspace: the newest good backup is offered; restoring it opens
the app on the restored data, declining leaves the damaged file exactly as it was."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QMessageBox

from vcio_desk.domain.errors import WorkspaceDamagedError
from vcio_desk.domain.vocab import Tier
from vcio_desk.services.backups import BackupInfo, back_up_now, list_backups
from vcio_desk.services.clients import list_clients
from vcio_desk.store import Store, open_store
from vcio_desk.store import models as m
from vcio_desk.store.lock import lock_path_for
from vcio_desk.ui import app as app_module
from vcio_desk.ui.app import EXIT_AFTER_FIRST_PAINT, RestoreOffer, WorkspaceSession, run
from vcio_desk.ui.pages.settings_backups import format_taken_at

pytestmark = pytest.mark.sqlite_only

BEFORE = {"Acme Dental", "beta Logistics", "Ça Va Bakery", "Zenith Legal", "Delta Freight"}


@pytest.fixture
def critical(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every QMessageBox.critical text, instead of a blocking dialog."""
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, _title, text: shown.append(text))
    return shown


class Offer:
    """Stands in for the start-up question: records it and answers ``answer``."""

    def __init__(self) -> None:
        self.answer = True
        self.questions: list[tuple[str, str]] = []

    def ask(self, problem: str, taken_at: str) -> bool:
        self.questions.append((problem, taken_at))
        return self.answer


@pytest.fixture
def offer(monkeypatch: pytest.MonkeyPatch) -> Offer:
    stand_in = Offer()
    monkeypatch.setattr(RestoreOffer, "ask", stand_in.ask)
    return stand_in


def scribble_middle_page(path: Path) -> None:
    """Overwrite a page in the middle of the file with random bytes (as a bad disk would)."""
    raw = int.from_bytes(path.read_bytes()[16:18], "big")
    page_size = 65536 if raw == 1 else raw
    pages = path.stat().st_size // page_size
    page = max(2, pages // 2)
    with path.open("r+b") as handle:
        handle.seek((page - 1) * page_size)
        handle.write(random.Random(page).randbytes(page_size))


def client_names(store: Store) -> set[str]:
    return {row.name for row in list_clients(store, dt.date(2026, 11, 20))}


@pytest.fixture
def backup(populated: Store) -> BackupInfo:
    return back_up_now(populated)


@pytest.fixture
def damaged(populated: Store, backup: BackupInfo) -> Path:
    """A workspace with one good backup, changed afterwards, then damaged on disk."""
    path = populated.location.path
    assert path is not None
    with populated.transaction() as session:
        session.add(m.Client(name="Added After The Backup", tier=Tier.C, timezone="UTC"))
    populated.close()  # the last connection checkpoints the log into the file
    assert not Path(f"{path}-wal").exists()
    scribble_middle_page(path)
    with pytest.raises(WorkspaceDamagedError):
        open_store(path, read_only=True)
    return path


def test_the_offer_restores_and_the_app_opens_on_the_backup(
    qapp,
    damaged: Path,
    backup: BackupInfo,
    offer: Offer,
    critical: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    scribbled = damaged.read_bytes()
    monkeypatch.setenv(EXIT_AFTER_FIRST_PAINT, "1")

    assert run(["vcio-desk"], db=str(damaged)) == 0

    assert critical == []
    assert len(offer.questions) == 1
    problem, taken_at = offer.questions[0]
    assert "damaged" in problem and str(damaged) in problem
    assert taken_at == format_taken_at(backup.taken_at)
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith("first-paint ")
    assert not lock_path_for(damaged).exists()
    kept = [p for p in damaged.parent.iterdir() if p.name.startswith(f"{damaged.name}.damaged-")]
    assert len(kept) == 1 and kept[0].read_bytes() == scribbled
    with open_store(damaged) as store:
        assert client_names(store) == BEFORE


def test_declining_exits_and_leaves_the_damaged_file_alone(
    qapp, damaged: Path, offer: Offer, critical: list[str]
) -> None:
    offer.answer = False
    before = damaged.read_bytes()
    backups = damaged.parent / "backups"
    backups_before = sorted(p.name for p in backups.iterdir())

    assert run(["vcio-desk"], db=str(damaged)) == 3

    assert len(offer.questions) == 1
    assert critical == []  # the question already said what is wrong
    assert damaged.read_bytes() == before
    assert sorted(p.name for p in backups.iterdir()) == backups_before
    assert not any(".damaged-" in p.name for p in damaged.parent.iterdir())
    assert not lock_path_for(damaged).exists()


def test_without_a_good_backup_nothing_is_offered(
    qapp, damaged: Path, offer: Offer, critical: list[str]
) -> None:
    backups = damaged.parent / "backups"
    for backup in backups.glob("workspace-*.sqlite3"):
        backup.write_bytes(b"no longer a database" * 50)
    before = damaged.read_bytes()

    assert run(["vcio-desk"], db=str(damaged)) == 3

    assert offer.questions == []
    assert len(critical) == 1 and "damaged" in critical[0]
    assert damaged.read_bytes() == before


def test_the_restored_workspace_says_so_in_the_status_bar(
    qtbot, damaged: Path, offer: Offer
) -> None:
    lock, store, notice = app_module._open_workspace(str(damaged))
    session = WorkspaceSession(store, lock)
    try:
        assert notice.startswith("Restored the backup from ")
        assert ".damaged-" in notice
        session.notice = notice
        window = session.open_window()
        qtbot.addWidget(window)
        assert window.statusBar().currentMessage() == notice
        assert client_names(session.store) == BEFORE
        assert [b.label for b in list_backups(session.store)] == ["manual"]
        window.close()
        qtbot.waitUntil(
            lambda: session.auto_backup is not None and session.auto_backup.operation is None
        )
    finally:
        QThreadPool.globalInstance().waitForDone()
        session.close()
