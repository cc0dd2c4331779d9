"""online_backup: a verified copy made through SQLite, never a half-written file."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from vcio_desk.domain.errors import WorkspaceError
from vcio_desk.store.backup import backup_file_name, online_backup

pytestmark = pytest.mark.sqlite_only  # about SQLite files themselves

PAGE = 4096


def test_backup_file_name_sorts_by_time() -> None:
    when = dt.datetime(2031, 12, 9, 8, 7, 6, tzinfo=dt.UTC)
    assert backup_file_name("before-upgrade-from-0001", when) == (
        "workspace-20311209-080706-before-upgrade-from-0001.sqlite3"
    )


def test_backup_is_a_verified_owner_only_copy(kit, tmp_path: Path) -> None:
    source = kit.workspace(staff=120)
    before = kit.snapshot(source)
    dest = online_backup(source, tmp_path / "safe" / "copy.sqlite3")
    assert dest == tmp_path / "safe" / "copy.sqlite3"
    kit.assert_untouched(source, before)
    assert dest.stat().st_mode & 0o777 == 0o600
    assert dest.parent.stat().st_mode & 0o777 == 0o700
    assert sorted(p.name for p in dest.parent.iterdir()) == ["copy.sqlite3"]
    assert kit.query(dest, "PRAGMA integrity_check") == [("ok",)]
    assert kit.query(dest, "PRAGMA journal_mode") == [("delete",)]
    for table in ("staff", "standards", "settings", "alembic_version"):
        sql = f"SELECT * FROM {table} ORDER BY 1"
        assert kit.query(dest, sql) == kit.query(source, sql)


def break_an_index(kit, path: Path) -> None:  # type: ignore[no-untyped-def]
    """Make an index disagree with its table: quick_check passes, integrity_check does not."""
    root = kit.query(
        path, "SELECT rootpage FROM sqlite_master WHERE name = 'sqlite_autoindex_staff_1'"
    )[0][0]
    data = bytearray(path.read_bytes())
    start = data.find(b"Staff member 0049", (root - 1) * PAGE, root * PAGE)
    assert start > 0, "the index entry was not found on the index's root page"
    data[start : start + 17] = b"Staff member 0099"  # still the last key: order is kept
    path.write_bytes(bytes(data))
    assert kit.query(path, "PRAGMA quick_check") == [("ok",)]
    assert kit.query(path, "PRAGMA integrity_check") != [("ok",)]


def test_a_copy_that_fails_its_integrity_check_is_not_kept(kit, tmp_path: Path) -> None:
    source = kit.workspace(staff=50)
    break_an_index(kit, source)
    folder = tmp_path / "safe"
    with pytest.raises(WorkspaceError) as caught:
        online_backup(source, folder / "copy.sqlite3")
    assert "integrity check" in caught.value.user_message
    assert list(folder.iterdir()) == [], "a half-made backup was left behind"


def test_a_source_that_is_not_a_database_leaves_nothing(tmp_path: Path) -> None:
    source = tmp_path / "notes.txt"
    source.write_text("not a database\n" * 100)
    folder = tmp_path / "safe"
    with pytest.raises(WorkspaceError, match="Could not back up"):
        online_backup(source, folder / "copy.sqlite3")
    assert list(folder.iterdir()) == []
    assert source.read_text() == "not a database\n" * 100


def test_an_unusable_destination_is_a_workspace_error(kit, tmp_path: Path) -> None:
    source = kit.workspace()
    blocker = tmp_path / "safe"
    blocker.write_text("a file, not a folder")
    with pytest.raises(WorkspaceError, match="Could not back up"):
        online_backup(source, blocker / "copy.sqlite3")
    assert blocker.read_text() == "a file, not a folder"


def test_backup_sees_writes_of_a_connection_that_is_still_open(kit, tmp_path: Path) -> None:
    source = kit.workspace()
    writer = sqlite3.connect(source, isolation_level=None)
    try:
        writer.execute("PRAGMA journal_mode=WAL")
        writer.execute("INSERT INTO settings (key, value) VALUES ('fresh', '\"yes\"')")
        dest = online_backup(source, tmp_path / "safe" / "copy.sqlite3")
    finally:
        writer.close()
    assert kit.query(dest, "SELECT value FROM settings WHERE key = 'fresh'") == [('"yes"',)]
