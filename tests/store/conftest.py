"""Fixtures for store tests: isolated user dirs, real workspace files, file snapshots.

Helpers are handed out through the ``kit`` fixture rather than imported, so the
tests work whatever pytest import mode is used.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import insert

from vcio_desk.services.seed import ensure_base_content
from vcio_desk.store import open_store
from vcio_desk.store.models import Setting, Staff


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """platformdirs reads these: no store test may touch the real home or data folder."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for name, sub in (
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_STATE_HOME", ".local/state"),
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_CACHE_HOME", ".cache"),
    ):
        monkeypatch.setenv(name, str(home / sub))
    monkeypatch.delenv("VCIO_DESK_DB", raising=False)
    return home


@dataclass(frozen=True)
class Snapshot:
    """What a careful observer sees of a workspace file and its folder."""

    content: bytes
    mtime_ns: int
    mode: int
    siblings: tuple[str, ...]


class StoreKit:
    """Builds real workspace files and observes them from outside the app."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path

    def workspace(
        self,
        name: str = "ws.sqlite3",
        folder: Path | None = None,
        *,
        staff: int = 0,
        settings: int = 0,
    ) -> Path:
        """A real workspace (migrated, seeded, optional bulk rows), closed cleanly."""
        where = folder or self.tmp_path / "data"
        where.mkdir(parents=True, exist_ok=True)
        path = where / name
        with open_store(path) as store:
            ensure_base_content(store)
            with store.transaction() as session:
                if staff:
                    session.execute(
                        insert(Staff),
                        [
                            {"name": f"Staff member {i:04d}", "email": f"s{i}@example.com"}
                            for i in range(staff)
                        ],
                    )
                if settings:
                    session.execute(
                        insert(Setting),
                        [
                            {"key": f"test.{i:04d}", "value": {"n": i, "pad": "x" * 200}}
                            for i in range(settings)
                        ],
                    )
        # A clean close checkpoints the WAL into the main file and removes -wal/-shm.
        assert self.side_files(path) == [], "a closed workspace left -wal/-shm behind"
        return path

    @staticmethod
    def side_files(path: Path) -> list[str]:
        return sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name + "-"))

    @staticmethod
    def snapshot(path: Path) -> Snapshot:
        st = path.stat()
        return Snapshot(
            content=path.read_bytes() if path.is_file() else b"",
            mtime_ns=st.st_mtime_ns,
            mode=st.st_mode,
            siblings=tuple(sorted(p.name for p in path.parent.iterdir())),
        )

    def assert_untouched(self, path: Path, before: Snapshot) -> None:
        after = self.snapshot(path)
        assert after.siblings == before.siblings, "files appeared or vanished beside the workspace"
        assert after.mode == before.mode, "permissions changed"
        assert after.mtime_ns == before.mtime_ns, "modification time changed"
        assert after.content == before.content, "content changed"

    @staticmethod
    def execute(path: Path, *statements: str) -> None:
        """Change a database behind the app's back (test set-up only), then close it."""
        connection = sqlite3.connect(path, isolation_level=None)
        try:
            for statement in statements:
                connection.execute(statement)
        finally:
            connection.close()

    @staticmethod
    def query(path: Path, sql: str) -> list[tuple[object, ...]]:
        connection = sqlite3.connect(path)
        try:
            return connection.execute(sql).fetchall()
        finally:
            connection.close()


@pytest.fixture
def kit(tmp_path: Path) -> StoreKit:
    return StoreKit(tmp_path)
