"""Fixtures for the reliability tests: isolated user folders, real workspaces, file snapshots.

Helpers are handed out through fixtures rather than imported, so they work in
pytest's importlib import mode. Nothing here changes anything outside ``tmp_path``.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

IS_ROOT = os.geteuid() == 0
BYPASS_CAPS = "-dac_override,-dac_read_search,-fowner,-linux_immutable"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """platformdirs reads these: no reliability test may touch the real home or data folder."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
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


AS_OF = "2026-11-23"
"""The day the kit's demo workspaces end their history on."""


@dataclass(frozen=True)
class Outcome:
    """What a CLI command did: exit code, stdout, stderr."""

    code: int
    out: str
    err: str


@dataclass(frozen=True)
class Snapshot:
    """What a careful observer sees of a workspace file and its folder."""

    content: bytes
    mtime_ns: int
    mode: int
    siblings: tuple[str, ...]
    folder_mtime_ns: int


class ReliabilityKit:
    """Builds real workspace files, damages them, and observes them from outside the app."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path

    def workspace(self, name: str = "ws.sqlite3", folder: Path | None = None) -> Path:
        """A real workspace (migrated, seeded, a small demo), closed cleanly."""
        import datetime as dt

        from vcio_desk.services.demo import build_demo
        from vcio_desk.store import open_store

        where = folder or self.tmp_path / "data"
        where.mkdir(parents=True, exist_ok=True)
        path = where / name
        with open_store(path) as store:
            build_demo(store, clients=3, years=1, seed=7, as_of=dt.date(2026, 11, 23))
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
            folder_mtime_ns=path.parent.stat().st_mtime_ns,
        )

    def assert_untouched(self, path: Path, before: Snapshot) -> None:
        after = self.snapshot(path)
        assert after.siblings == before.siblings, "files appeared or vanished beside the workspace"
        assert after.mode == before.mode, "permissions changed"
        assert after.mtime_ns == before.mtime_ns, "modification time changed"
        assert after.content == before.content, "content changed"
        assert after.folder_mtime_ns == before.folder_mtime_ns, "the folder was written to"

    @staticmethod
    def assert_same_file(path: Path, before: Snapshot) -> None:
        """Byte-identical, same time and mode, nothing left beside it. (The folder itself
        may have been written to: a write attempt creates and removes the lock and WAL.)"""
        after = ReliabilityKit.snapshot(path)
        assert after.siblings == before.siblings, "files were left beside the workspace"
        assert (after.mode, after.mtime_ns) == (before.mode, before.mtime_ns)
        assert after.content == before.content, "the workspace file changed"

    @staticmethod
    def tree(folder: Path) -> dict[str, tuple[int, int]]:
        """Every file under ``folder``: size and modification time (a backups folder too)."""
        return {
            str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*"))
            if p.is_file()
        }

    def dump(self, path: Path) -> list[str]:
        """The workspace's whole content as SQL, read from a copy (the file is not touched)."""
        copy = self.tmp_path / f"dump-{random.getrandbits(32):x}.sqlite3"
        shutil.copyfile(path, copy)
        connection = sqlite3.connect(copy)
        try:
            return list(connection.iterdump())
        finally:
            connection.close()
            copy.unlink()

    @staticmethod
    def integrity(path: Path) -> list[str]:
        """Reopen as the app does (its quick_check), then SQLite's full integrity check."""
        from vcio_desk.store import open_store

        with open_store(path) as store, store.engine.connect() as connection:
            return list(connection.exec_driver_sql("PRAGMA integrity_check").scalars())

    @staticmethod
    def planned_meeting(store: object) -> int:
        """The first proposed meeting of a kit workspace."""
        from sqlalchemy import select

        from vcio_desk.domain.vocab import MeetingStatus
        from vcio_desk.store import models as m

        with store.session() as session:  # type: ignore[attr-defined]
            return session.scalars(
                select(m.Meeting.id)
                .where(m.Meeting.status == MeetingStatus.PROPOSED)
                .order_by(m.Meeting.id)
                .limit(1)
            ).one()

    @staticmethod
    def commands(csv_file: Path) -> dict[str, list[str]]:
        """The CLI commands every fault is tried with: two that read, two that write."""
        return {
            "info": ["info"],
            "drift": ["drift", "--as-of", AS_OF],
            "demo": ["demo", "--clients", "2", "--years", "1"],
            "import": ["import", "clients", str(csv_file), "--as-of", AS_OF],
        }

    @staticmethod
    def cli(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> Outcome:
        """Run the command line in this process, as ``vcio-desk --db DB ARGS``."""
        from vcio_desk.__main__ import main

        code = main(["--db", str(db), *args])
        captured = capsys.readouterr()
        return Outcome(code, captured.out, captured.err)

    @staticmethod
    def assert_one_sentence(err: str, *fragments: str) -> None:
        """One line on stderr, the program's name, then the sentence; never a traceback."""
        assert "Traceback" not in err
        assert err.startswith("vcio-desk: "), err
        assert err.count("\n") == 1, err
        # A sentence ends with a full stop; a restore hint ends with the command to copy.
        assert err.endswith(".\n") or "restore it with" in err, err
        for fragment in fragments:
            assert fragment in err, (fragment, err)

    @staticmethod
    def assert_clear(error: Exception, path: Path, *fragments: str) -> None:
        """A user message naming the workspace, in one line ending with a full stop."""
        message = error.user_message  # type: ignore[attr-defined]
        assert str(path) in message
        assert "\n" not in message and "Traceback" not in message
        assert message.endswith("."), message
        for fragment in fragments:
            assert fragment in message, (fragment, message)

    @staticmethod
    def fill(disk: Path, leave: int) -> Path:
        """Fill ``disk`` up to ``leave`` bytes of free space (0: until it refuses a byte more)."""
        filler = disk / "filler"
        with filler.open("wb") as handle:
            handle.write(b"\0" * max(0, shutil.disk_usage(disk).free - leave))
        if not leave:
            with contextlib.suppress(OSError), filler.open("ab") as handle:
                while True:
                    handle.write(b"\0" * 512)
                    handle.flush()
        return filler

    @staticmethod
    def unprivileged_prefix() -> list[str]:
        """A command prefix under which permission bits apply, even when tests run as root.

        As root, ``setpriv`` drops the capabilities that bypass them (CAP_DAC_OVERRIDE...);
        the child is then treated like an ordinary user who owns the files.
        """
        if not IS_ROOT:
            return []
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without util-linux 'setpriv': permissions would not apply")
        prefix = [setpriv, "--inh-caps=-all", f"--bounding-set={BYPASS_CAPS}"]
        works = subprocess.run([*prefix, "true"], capture_output=True, text=True)
        if works.returncode != 0:
            pytest.skip(f"setpriv cannot drop CAP_DAC_OVERRIDE here ({works.stderr.strip()})")
        return prefix


@pytest.fixture
def kit(tmp_path: Path) -> ReliabilityKit:
    return ReliabilityKit(tmp_path)


@pytest.fixture
def csv_file(tmp_path: Path) -> Path:
    """A client list outside the workspace's folder (so that folder's snapshot is clean)."""
    folder = tmp_path / "imports"
    folder.mkdir()
    path = folder / "clients.csv"
    rows = ["name,external_id,country"] + [f"Imported {i:03d},IMP{i:03d},US" for i in range(50)]
    path.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")
    return path


@pytest.fixture
def tiny_tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB tmpfs mounted in ``tmp_path``: a disk that really fills up (root only)."""
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(
            f"cannot mount a small tmpfs here ({mounted.stderr.strip() or 'not permitted'}); "
            "the RLIMIT_FSIZE variant of the full-disk tests still runs"
        )
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)
