"""Backup files: their names, listing them, and checking one before it is restored."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from vcio_desk.store.backup import (
    backup_file_name,
    list_backup_files,
    new_backup_path,
    online_backup,
    parse_backup_name,
    verify_backup,
)
from vcio_desk.store.migrate import head_revision

PAGE = 4096
WHEN = dt.datetime(2026, 11, 20, 14, 0, 5, tzinfo=dt.UTC)

pytestmark = pytest.mark.sqlite_only


def test_names_round_trip_in_utc() -> None:
    local = WHEN.astimezone(dt.timezone(dt.timedelta(hours=-5)))
    name = backup_file_name("auto", local)
    assert name == "workspace-20261120-140005-auto.sqlite3"
    assert parse_backup_name(name) == (WHEN, "auto")
    assert parse_backup_name("workspace-20261120-140005-before-upgrade-from-0002.sqlite3") == (
        WHEN,
        "before-upgrade-from-0002",
    )
    # A second backup in the same second keeps its label.
    assert parse_backup_name("workspace-20261120-140005-before-workspace-import-2.sqlite3") == (
        WHEN,
        "before-workspace-import",
    )
    for foreign in (
        "workspace-20261120-140005-auto.sqlite3.partial",
        "workspace-20261320-140005-auto.sqlite3",
        "notes.txt",
        "workspace-20261120-auto.sqlite3",
        "last-backup.json",
    ):
        assert parse_backup_name(foreign) is None, foreign


def test_new_backup_path_never_reuses_a_name(tmp_path: Path) -> None:
    first = new_backup_path(tmp_path, "manual", WHEN)
    first.write_bytes(b"x")
    second = new_backup_path(tmp_path, "manual", WHEN)
    assert second.name == "workspace-20261120-140005-manual-2.sqlite3"
    with pytest.raises(ValueError):
        new_backup_path(tmp_path, "../escape", WHEN)


def test_listing_is_newest_first_and_skips_what_is_not_a_backup(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    assert list_backup_files(folder) == []  # no folder yet: no backups
    folder.mkdir()
    names = {
        "workspace-20261119-090000-auto.sqlite3": 10,
        "workspace-20261120-140005-manual.sqlite3": 30,
        "workspace-20261120-140005-auto.sqlite3": 20,
        "workspace-20261121-000000-before-restore.sqlite3": 40,
        "workspace-20261122-000000-auto.sqlite3.partial": 50,
        "workspace-20261123-000000-auto.sqlite3.txt": 60,
        "holiday.jpg": 70,
    }
    for name, size in names.items():
        (folder / name).write_bytes(b"x" * size)
    (folder / "workspace-20261124-000000-auto.sqlite3").mkdir()  # a folder is not a backup
    listed = list_backup_files(folder)
    assert [(info.path.name, info.label, info.size_bytes) for info in listed] == [
        ("workspace-20261121-000000-before-restore.sqlite3", "before-restore", 40),
        ("workspace-20261120-140005-manual.sqlite3", "manual", 30),
        ("workspace-20261120-140005-auto.sqlite3", "auto", 20),
        ("workspace-20261119-090000-auto.sqlite3", "auto", 10),
    ]
    assert listed[1].taken_at == WHEN
    assert listed[0].path.parent == folder


def test_a_good_backup_verifies_and_is_not_changed(kit, tmp_path: Path) -> None:
    backup = online_backup(kit.workspace(staff=20), tmp_path / "b" / "copy.sqlite3")
    before = kit.snapshot(backup)
    assert verify_backup(backup) is None
    kit.assert_untouched(backup, before)


def test_an_older_schema_verifies(kit, tmp_path: Path) -> None:
    backup = online_backup(kit.workspace(), tmp_path / "b" / "copy.sqlite3")
    kit.execute(backup, "UPDATE alembic_version SET version_num = '0002'")
    assert head_revision() != "0002"
    assert verify_backup(backup) is None


def one_sentence(reason: str | None, path: Path) -> str:
    assert reason is not None
    assert str(path) in reason and "\n" not in reason and reason.endswith(".")
    return reason


def test_a_newer_schema_is_refused(kit, tmp_path: Path) -> None:
    backup = online_backup(kit.workspace(), tmp_path / "b" / "copy.sqlite3")
    kit.execute(backup, "UPDATE alembic_version SET version_num = '9999'")
    reason = one_sentence(verify_backup(backup), backup)
    assert "newer version" in reason and "9999" in reason


def test_foreign_files_are_refused(kit, tmp_path: Path) -> None:
    text = tmp_path / "notes.sqlite3"
    text.write_text("hello\n" * 200)
    assert "not an SQLite database" in one_sentence(verify_backup(text), text)
    other = tmp_path / "other.sqlite3"
    kit.execute(other, "CREATE TABLE songs (id INTEGER PRIMARY KEY, title TEXT)")
    assert "not a vcio_desk workspace" in one_sentence(verify_backup(other), other)
    missing = tmp_path / "missing.sqlite3"
    assert "no file" in one_sentence(verify_backup(missing), missing)
    assert "folder" in one_sentence(verify_backup(tmp_path), tmp_path)


def break_an_index(kit, path: Path) -> None:  # type: ignore[no-untyped-def]
    """An index that disagrees with its table: only the full integrity_check sees it."""
    root = kit.query(
        path, "SELECT rootpage FROM sqlite_master WHERE name = 'sqlite_autoindex_staff_1'"
    )[0][0]
    data = bytearray(path.read_bytes())
    start = data.find(b"Staff member 0049", (root - 1) * PAGE, root * PAGE)
    assert start > 0
    data[start : start + 17] = b"Staff member 0099"
    path.write_bytes(bytes(data))
    assert kit.query(path, "PRAGMA quick_check") == [("ok",)]


def test_a_backup_with_a_broken_index_is_refused(kit, tmp_path: Path) -> None:
    backup = online_backup(kit.workspace(staff=50), tmp_path / "b" / "copy.sqlite3")
    break_an_index(kit, backup)
    before = kit.snapshot(backup)
    assert "damaged" in one_sentence(verify_backup(backup), backup)
    kit.assert_untouched(backup, before)


def test_a_scribbled_backup_is_refused(kit, tmp_path: Path) -> None:
    backup = online_backup(kit.workspace(staff=300), tmp_path / "b" / "copy.sqlite3")
    pages = backup.stat().st_size // PAGE
    with backup.open("r+b") as handle:
        handle.seek((pages // 2) * PAGE)
        handle.write(random.Random(pages).randbytes(PAGE))
    assert "damaged" in one_sentence(verify_backup(backup), backup)
