"""Writes that fail half-way: one clear sentence, and exactly the last committed state.

A full disk (RLIMIT_FSIZE in a child process, always; a small tmpfs where mounting is
allowed), an I/O error, a file made read-only while open, a database kept busy, damage
found while open: each surfaces from ``Store.transaction`` as a ``WorkspaceError`` whose
message the CLI prints in one line (exit 3) and the meeting page shows, and the
workspace afterwards reopens, passes ``integrity_check`` and holds what it held.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import random
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event

from vcio_desk.domain.errors import WorkspaceDamagedError, WorkspaceError
from vcio_desk.services.meeting_prep import meeting_detail, save_texts
from vcio_desk.store import Store, open_store
from vcio_desk.store import models as m
from vcio_desk.store.write_errors import (
    WorkspaceBusyError,
    WorkspaceFullError,
    WorkspaceIOError,
    WorkspaceReadOnlyError,
    WorkspaceWriteError,
)

pytestmark = pytest.mark.sqlite_only

PAGE = 4096
WRITERS = ("demo", "import")
BIG_TEXT = "Notes that do not fit. " * 100_000  # 2.3 MB: more than the full disk can take


# -- a full disk ---------------------------------------------------------------------------

FULL_DISK_CHILD = r"""
import contextlib, io, json, resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG

from vcio_desk.__main__ import main
from vcio_desk.domain.errors import VcioDeskError
from vcio_desk.services.meeting_prep import save_texts
from vcio_desk.store import open_store

db, limit, meeting_id = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
runs = json.loads(sys.argv[4])

def capped(on):
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit if on else resource.RLIM_INFINITY,
                                               resource.RLIM_INFINITY))

result = {}
store = open_store(db)
from vcio_desk.services.meeting_prep import meeting_detail
version = meeting_detail(store, meeting_id).head.row_version
capped(True)
try:
    save_texts(store, meeting_id, version, client_notes="Notes that do not fit. " * 100_000)
    result["save"] = ["saved"]
except VcioDeskError as err:
    result["save"] = [type(err).__name__, err.user_message]
capped(False)
store.close()
for name, args in runs.items():
    out, err = io.StringIO(), io.StringIO()
    capped(True)
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--db", db, *args])
    capped(False)
    result[name] = [code, out.getvalue(), err.getvalue()]
print(json.dumps(result))
"""


def test_a_full_disk_rlimit_fails_the_write_whole(kit, tmp_path: Path, csv_file: Path) -> None:
    """RLIMIT_FSIZE stands in for a full disk: any write past 64 KiB fails (EFBIG).

    The workspace is larger than that, so only what is new (the WAL) hits the limit;
    SQLite reports it as an I/O error or as a full disk depending on where it lands.
    """
    path = kit.workspace()
    with open_store(path) as store:
        meeting_id = kit.planned_meeting(store)
    before, files = kit.snapshot(path), kit.tree(path.parent)
    content = kit.dump(path)
    runs = {name: kit.commands(csv_file)[name] for name in WRITERS}
    runs["demo"] = [*runs["demo"], "--force"]
    child = subprocess.run(
        [
            sys.executable,
            "-c",
            FULL_DISK_CHILD,
            str(path),
            str(64 * 1024),
            str(meeting_id),
            json.dumps(runs),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    assert child.returncode == 0, child.stderr
    assert "Traceback" not in child.stderr, child.stderr
    result = json.loads(child.stdout)
    kind, message = result["save"]
    assert kind in ("WorkspaceFullError", "WorkspaceIOError"), result["save"]
    assert message.startswith("The change could not be saved because ")
    assert str(path) in message and "\n" not in message
    for name in WRITERS:
        code, _out, err = result[name]
        assert code == 3, (name, result[name])
        kit.assert_one_sentence(err, str(path), "The change could not be saved because")
    # Nothing half-written: the same bytes, the same content, a clean bill of health.
    kit.assert_same_file(path, before)
    assert kit.tree(path.parent) == files
    assert kit.integrity(path) == ["ok"]
    assert kit.dump(path) == content


def test_a_full_disk_tmpfs(kit, tiny_tmpfs: Path) -> None:
    """A real disk that fills up under an open store: refused whole, saved once there is room."""
    path = kit.workspace(folder=tiny_tmpfs / "data")
    store = open_store(path)
    try:
        meeting_id = kit.planned_meeting(store)
        detail = meeting_detail(store, meeting_id)
        version = save_texts(store, meeting_id, detail.head.row_version, client_notes="kept")
        filler = kit.fill(tiny_tmpfs, leave=48 * 1024)
        with pytest.raises(WorkspaceFullError) as caught:
            save_texts(store, meeting_id, version, client_notes=BIG_TEXT)
        kit.assert_clear(caught.value, path, "is full", "free some space")
        assert meeting_detail(store, meeting_id).client_notes == "kept"
        filler.unlink()
        # The same store recovers once there is room: nothing needs reopening.
        version = save_texts(store, meeting_id, version, client_notes=BIG_TEXT[:100_000])
    finally:
        store.close()
    assert kit.integrity(path) == ["ok"]
    with open_store(path, read_only=True) as store:
        assert meeting_detail(store, meeting_id).client_notes == BIG_TEXT[:100_000]


def test_a_full_disk_tmpfs_cli(
    kit, tmp_path: Path, tiny_tmpfs: Path, csv_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Room for the lock file, not for the change: the command says so, the file is as it was."""
    path = kit.workspace(folder=tiny_tmpfs / "data")
    content = kit.dump(path)
    kit.fill(tiny_tmpfs, leave=48 * 1024)
    before, files = kit.snapshot(path), kit.tree(path.parent)
    for name in WRITERS:
        args = kit.commands(csv_file)[name] + (["--force"] if name == "demo" else [])
        outcome = kit.cli(capsys, path, *args)
        assert outcome.code == 3, (name, outcome)
        kit.assert_one_sentence(outcome.err, str(path), "is full", "free some space")
        kit.assert_same_file(path, before)
        assert kit.tree(path.parent) == files, name
    assert kit.integrity(path) == ["ok"]
    assert kit.dump(path) == content


def test_a_disk_too_full_for_the_lock_file(
    kit, tiny_tmpfs: Path, csv_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = kit.workspace(folder=tiny_tmpfs / "data")
    kit.fill(tiny_tmpfs, leave=0)
    before = kit.snapshot(path)
    outcome = kit.cli(capsys, path, *kit.commands(csv_file)["demo"], "--force")
    assert outcome.code == 3, outcome
    kit.assert_one_sentence(outcome.err, str(path))
    kit.assert_same_file(path, before)


# -- other write failures inside a transaction -----------------------------------------------


@contextlib.contextmanager
def immutable(target: Path) -> Iterator[None]:
    made = subprocess.run(["chattr", "+i", str(target)], capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"'chattr +i' is not available here: {made.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(target)], check=True)


@pytest.mark.parametrize("where", ["wal", "file"])
def test_a_write_error_while_open_fails_the_transaction_whole(kit, where: str) -> None:
    """The disk refuses a write mid-session (an I/O error; a file that became read-only)."""
    if os.geteuid() != 0:
        pytest.skip("making a file immutable needs root")
    path = kit.workspace()
    store = open_store(path)
    try:
        meeting_id = kit.planned_meeting(store)
        version = meeting_detail(store, meeting_id).head.row_version
        version = save_texts(store, meeting_id, version, client_notes="kept")
        target = Path(f"{path}-wal") if where == "wal" else path
        with immutable(target):
            if where == "file":
                store.engine.dispose()  # the next connection can only open it read-only
            with pytest.raises(WorkspaceWriteError) as caught:
                save_texts(store, meeting_id, version, client_notes=BIG_TEXT)
        expected = WorkspaceIOError if where == "wal" else WorkspaceReadOnlyError
        assert type(caught.value) is expected
        kit.assert_clear(caught.value, path, "The change could not be saved because")
        assert meeting_detail(store, meeting_id).client_notes == "kept"
    finally:
        store.close()
    assert kit.integrity(path) == ["ok"]
    with open_store(path) as store:
        assert meeting_detail(store, meeting_id).client_notes == "kept"


def test_a_workspace_kept_busy_by_another_program(kit) -> None:
    path = kit.workspace()
    store = open_store(path)

    @event.listens_for(store.engine, "connect")
    def _short_wait(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.execute("PRAGMA busy_timeout = 100")  # not the usual 15 s

    store.engine.dispose()
    other = sqlite3.connect(path, isolation_level=None)
    try:
        meeting_id = kit.planned_meeting(store)
        version = meeting_detail(store, meeting_id).head.row_version
        other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        with pytest.raises(WorkspaceBusyError) as caught:
            save_texts(store, meeting_id, version, client_notes="not now")
        kit.assert_clear(caught.value, path, "busy", "try again")
        other.execute("ROLLBACK")
        save_texts(store, meeting_id, version, client_notes="now")
        assert meeting_detail(store, meeting_id).client_notes == "now"
    finally:
        other.close()
        store.close()


def test_other_database_errors_pass_through_unchanged(workspace: Store) -> None:
    """Only storage failures are translated: a broken rule stays what it is, for the log."""
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), workspace.transaction() as session:
        session.add(
            m.Meeting(
                meeting_type_id=999_999,
                scheduled_start=dt.datetime.now(dt.UTC),
                scheduled_end=dt.datetime.now(dt.UTC),
            )
        )


# -- what the desktop app shows ---------------------------------------------------------------


@pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
def test_the_meeting_page_keeps_notes_a_full_disk_refused(qtbot, kit, tiny_tmpfs: Path) -> None:
    """Notes saved on the meeting page meet a full disk: a message, the text kept, saved later."""
    from vcio_desk.ui.pages.meeting_page import MeetingPage

    path = kit.workspace(folder=tiny_tmpfs / "data")
    store = open_store(path)
    try:
        meeting_id = kit.planned_meeting(store)
        page = MeetingPage(store, meeting_id, lambda: dt.date(2026, 11, 23))
        qtbot.addWidget(page)
        page.show()
        page.reload()  # copies the agenda template in: a write, while there is room
        notices: list[str] = []
        page.actions.notify = lambda _parent, text: notices.append(text)
        for editor in page.editors:
            editor.timer.setInterval(60_000)  # only the explicit save below writes
        typed = BIG_TEXT[:300_000]
        filler = kit.fill(tiny_tmpfs, leave=48 * 1024)
        page.client_notes.edit.setPlainText(typed)

        assert page.save_notes() is False
        assert len(notices) == 1, notices
        assert notices[0].startswith(
            "What you typed was not saved yet: The change could not be saved"
        )
        assert "is full" in notices[0] and "Traceback" not in notices[0]
        assert page.client_notes.state_label.text() == "Not saved"
        assert page.client_notes.text() == typed  # nothing a person typed is lost
        assert meeting_detail(store, meeting_id).client_notes == ""

        filler.unlink()
        assert page.save_notes() is True
        assert meeting_detail(store, meeting_id).client_notes == typed
        page.close()
    finally:
        store.close()


@pytest.mark.parametrize(
    ("error", "expected", "words"),
    [
        ("DiskFull", WorkspaceFullError, "out of space"),
        ("IoError", WorkspaceIOError, "could not write it"),
        ("ReadOnlySqlTransaction", WorkspaceReadOnlyError, "accepts no changes"),
        ("LockNotAvailable", WorkspaceBusyError, "busy"),
        ("DeadlockDetected", WorkspaceBusyError, "busy"),
        ("DataCorrupted", WorkspaceDamagedError, "restore it from a backup"),
        ("UniqueViolation", None, ""),
        ("SyntaxError", None, ""),
    ],
)
def test_postgresql_storage_errors_read_as_clearly(
    error: str, expected: type[WorkspaceError] | None, words: str
) -> None:
    """The server's SQLSTATEs (psycopg's own error classes) map like SQLite's result codes."""
    psycopg_errors = pytest.importorskip("psycopg.errors")
    from sqlalchemy.exc import DBAPIError as SqlalchemyDBAPIError

    from vcio_desk.store.write_errors import write_failure

    orig = getattr(psycopg_errors, error)("the server's words")
    wrapped = SqlalchemyDBAPIError("UPDATE meetings ...", None, orig)
    display = "postgresql+psycopg://vcio@db.example/ws"
    failure = write_failure(wrapped, display)
    if expected is None:
        assert failure is None
        return
    assert type(failure) is expected
    assert failure is not None and words in failure.user_message
    assert display in failure.user_message and failure.user_message.endswith(".")
    assert "permissions of the file" not in failure.user_message  # a server has no file


def test_damage_found_while_open_is_reported_as_damage(kit) -> None:
    """A page spoiled under an open store (a failing disk): the save says so, offers backups."""
    path = kit.workspace()
    store = open_store(path)
    try:
        meeting_id = kit.planned_meeting(store)
        version = meeting_detail(store, meeting_id).head.row_version
        with store.engine.connect() as connection:
            root = connection.exec_driver_sql(
                "SELECT rootpage FROM sqlite_master WHERE name = 'meetings'"
            ).scalar_one()
        store.engine.dispose()  # no page of it stays cached: the next read meets the damage
        with path.open("r+b") as handle:
            handle.seek((root - 1) * PAGE)
            handle.write(random.Random(root).randbytes(PAGE))
        with pytest.raises(WorkspaceDamagedError) as caught:
            save_texts(store, meeting_id, version, client_notes="never half-saved")
        kit.assert_clear(caught.value, path, "is damaged", "restore it from a backup")
    finally:
        store.close()
