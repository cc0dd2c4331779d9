"""The log holds ids, never client names or notes, whatever the app was doing when it wrote.

Clients are renamed with one marker and given notes with another; real work then runs
through the CLI (including failures and the internal-error path, with exception messages
that quote a name and a note as a real bug would) and through the GUI's failure paths.
No file in the log folder may contain either marker; the records the log refers to
appear by id.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import logging.handlers
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from vcio_desk.__main__ import main
from vcio_desk.logs import (
    LOG_FILE_NAME,
    RedactingFormatter,
    configure_logging,
    describe_exception,
)
from vcio_desk.services.demo import build_demo
from vcio_desk.services.packs import meetings_in_next_days
from vcio_desk.store import models as m
from vcio_desk.store import open_store

NAME_MARK = "Qzxnamemark"
NOTE_MARK = "Wvnotemark"
AS_OF = "2026-11-20"
DAY = dt.date(2026, 11, 20)


def _log_text(folder: Path) -> str:
    return "".join(p.read_text(encoding="utf-8", errors="replace") for p in folder.iterdir())


def _assert_clean(folder: Path) -> str:
    text = _log_text(folder)
    assert text, "the work logged nothing: the test would prove nothing"
    assert NAME_MARK.casefold() not in text.casefold()
    assert NOTE_MARK.casefold() not in text.casefold()
    return text


@pytest.fixture
def log_dir() -> Iterator[Path]:
    """The app's log set up as the CLI sets it up, in this test's own log folder."""
    path = configure_logging()
    assert path is not None
    yield path.parent
    root = logging.getLogger("vcio_desk")
    for handler in list(root.handlers):
        if isinstance(handler, logging.handlers.RotatingFileHandler):
            root.removeHandler(handler)
            handler.close()


@pytest.fixture(scope="module")
def marked_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo workspace whose clients are named with NAME_MARK and whose notes hold NOTE_MARK."""
    path = tmp_path_factory.mktemp("security-logs") / "demo.sqlite3"
    with open_store(path) as store:
        build_demo(store, clients=6, years=2, seed=5, as_of=DAY)
    with sqlite3.connect(path) as raw:
        raw.execute(f"UPDATE clients SET name = '{NAME_MARK} ' || id || ' Dental'")
        raw.execute(f"UPDATE clients SET notes = 'private {NOTE_MARK} about the owner'")
        raw.execute(
            f"UPDATE meetings SET client_notes = 'said {NOTE_MARK}', "
            f"internal_notes = 'thinks {NOTE_MARK}'"
        )
    raw.close()
    return path


@pytest.fixture
def demo(marked_demo: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "work" / "demo.sqlite3"
    copy.parent.mkdir()
    shutil.copyfile(marked_demo, copy)
    return copy


def _client_with_a_pack(path: Path) -> tuple[str, int]:
    with open_store(path, read_only=True) as store:
        target = next(
            t for t in meetings_in_next_days(store, DAY, 14) if t.subject.startswith(NAME_MARK)
        )
    return target.subject, target.meeting_id


def test_cli_work_and_failures_log_ids_only(
    demo: Path,
    log_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db = ["--db", str(demo)]
    client, meeting_id = _client_with_a_pack(demo)
    out = tmp_path / "out"
    out.mkdir()

    assert main(["--db", str(tmp_path / "fresh.sqlite3"), "demo", "--clients", "3"]) == 0
    assert main([*db, "drift", "--as-of", AS_OF]) == 0
    assert main([*db, "drift", "--csv", "--as-of", AS_OF, "--client", client]) == 0
    assert main([*db, "schedule", "--year", "2027", "--as-of", AS_OF]) == 0
    ics = str(out / "year.ics")
    assert main([*db, "schedule", "--year", "2027", "--apply", "--ics", ics]) == 0
    assert main([*db, "pack", "--client", client, "--as-of", AS_OF, "-o", f"{out}/"]) == 0
    assert main([*db, "packs", "--days", "14", "--as-of", AS_OF, "--out-dir", str(out)]) == 0
    assert main([*db, "report", "adherence", "--as-of", AS_OF, "-o", str(out / "a.pdf")]) == 0

    bad_csv = tmp_path / "clients.csv"
    bad_csv.write_text(
        "name,tier,notes\r\n"
        f"{NAME_MARK} New,A,{NOTE_MARK} one\r\n"
        f"{NAME_MARK} Bad,Z,{NOTE_MARK} two\r\n"
        f",A,{NOTE_MARK} three\r\n",
        encoding="utf-8",
    )
    main([*db, "import", "clients", str(bad_csv)])
    exported = tmp_path / "ws.json"
    assert main([*db, "export", "workspace", str(exported)]) == 0
    document = json.loads(exported.read_text(encoding="utf-8"))
    for row in document["tables"]["clients"]:
        row["tier"] = f"{NOTE_MARK} tier"
        row["created_at"] = f"{NAME_MARK} day"
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(document), encoding="utf-8")
    assert main(["--db", str(tmp_path / "empty.sqlite3"), "import", "workspace", str(broken)]) != 0

    # A pack that fails unexpectedly inside the batch: logged with its meeting's id.
    from vcio_desk.services import pack_batch

    def broken_pack(*_args: object, **_kwargs: object) -> object:
        raise RuntimeError(f"cannot lay out {client}: {NOTE_MARK}")

    monkeypatch.setattr(pack_batch, "pack_bytes", broken_pack)
    main([*db, "packs", "--days", "14", "--as-of", AS_OF, "--out-dir", str(out / "b")])

    # The internal-error path: an unexpected bug whose message quotes a name and a note.
    from vcio_desk.services import drift

    def bug(*_args: object, **_kwargs: object) -> object:
        try:
            raise KeyError(f"{client} / {NOTE_MARK}")
        except KeyError as exc:
            raise ValueError(f"while judging {client}: {NOTE_MARK}") from exc

    monkeypatch.setattr(drift, "assess_all", bug)
    assert main([*db, "drift", "--as-of", AS_OF]) == 70
    capsys.readouterr()

    text = _assert_clean(log_dir)
    assert f"pack of meeting {meeting_id} written" in text
    assert f"pack of meeting {meeting_id} failed" in text
    assert "unexpected failure in command drift" in text
    assert "ValueError [message withheld]" in text
    assert "KeyError [message withheld]" in text
    assert "in bug" in text, "the traceback's frames are kept for diagnosis"


def test_gui_failures_log_ids_only(log_dir: Path, qtbot, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QDialog, QWidget

    from vcio_desk.ui.dialogs import rhythm_dialog
    from vcio_desk.ui.workers import run_in_background

    window = QWidget()
    qtbot.addWidget(window)
    failures: list[str] = []

    def task(_progress: object) -> None:
        raise RuntimeError(f"{NAME_MARK} Dental: {NOTE_MARK} in /x/{NAME_MARK}.pdf")

    run_in_background(window, task, on_failure=failures.append)
    qtbot.waitUntil(lambda: bool(failures), timeout=5000)

    dialog = QDialog(window)
    dialog.setWindowTitle(f"Add rhythm — {NAME_MARK} Dental")
    shown: list[str] = []
    original = rhythm_dialog.show_error
    rhythm_dialog.show_error = lambda _parent, title, text: shown.append(text)  # type: ignore[assignment]
    try:

        def write() -> None:
            raise OSError(28, f"No space for {NOTE_MARK}", f"/x/{NAME_MARK}")

        assert rhythm_dialog.write_or_explain(dialog, dialog.windowTitle(), write) is None
    finally:
        rhythm_dialog.show_error = original  # type: ignore[assignment]
    assert shown

    text = _assert_clean(log_dir)
    assert "background task failed" in text and "RuntimeError [message withheld]" in text
    assert "QDialog write failed" in text and "OSError (ENOSPC) [message withheld]" in text


def test_a_full_traceback_cached_by_another_handler_is_not_reused(log_dir: Path) -> None:
    """A handler formatting first fills ``record.exc_text`` with the message; ours ignores it."""
    log = logging.getLogger("vcio_desk.security_test")
    stream = io.StringIO()
    chatty = logging.StreamHandler(stream)
    log.addHandler(chatty)
    try:
        try:
            raise RuntimeError(f"{NAME_MARK} {NOTE_MARK}")
        except RuntimeError as exc:
            log.exception("client %s failed", 7)
            log.error("passing the exception as an argument: %s", exc)
            log.error(exc)
    finally:
        log.removeHandler(chatty)
        chatty.close()
    assert NAME_MARK in stream.getvalue()  # the other handler did cache the full text
    text = _assert_clean(log_dir)
    assert "client 7 failed" in text


def test_exception_details_that_cannot_carry_user_text() -> None:
    import errno

    assert describe_exception(OSError(errno.EACCES, "x")) == (
        "PermissionError (EACCES) [message withheld]"
    )
    try:
        sqlite3.connect(":memory:").execute(f"SELECT * FROM {NAME_MARK}")
    except sqlite3.Error as exc:
        assert (
            describe_exception(exc) == "sqlite3.OperationalError (SQLITE_ERROR) [message withheld]"
        )
    group = ExceptionGroup("two", [ValueError(NAME_MARK), TypeError(NOTE_MARK)])
    record = logging.LogRecord("vcio_desk", logging.ERROR, __file__, 1, "x", None, None)
    record.exc_info = (ExceptionGroup, group, None)
    formatted = RedactingFormatter().format(record)
    assert "ValueError [message withheld]" in formatted
    assert "TypeError [message withheld]" in formatted
    assert NAME_MARK not in formatted and NOTE_MARK not in formatted


def test_logs_refer_to_clients_by_id(demo: Path, log_dir: Path) -> None:
    """The pack log line names the meeting by id, and nothing in it is the client's text."""
    from vcio_desk.services.pack_files import write_pack

    client, meeting_id = _client_with_a_pack(demo)
    with open_store(demo, read_only=True) as store:
        with store.session() as session:
            note = session.scalar(select(m.Client.notes).limit(1))
        assert note is not None and NOTE_MARK in note
        folder = log_dir.parent / "packs"
        folder.mkdir()
        result = write_pack(store, meeting_id, "internal", None, DAY, folder)
    assert result.path is not None and NAME_MARK in result.path.name  # named after the client
    text = _assert_clean(log_dir)
    assert f"pack of meeting {meeting_id} written" in text
    assert (log_dir / LOG_FILE_NAME).exists()
    assert client not in text
