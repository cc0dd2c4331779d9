"""services.backups: policy, automatic backups with thinning, restoring, on real files."""

from __future__ import annotations

import datetime as dt
import errno
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from vcio_desk.domain.errors import ValidationError, WorkspaceError
from vcio_desk.services import backups
from vcio_desk.services.backups import (
    BackupPolicy,
    auto_backup_if_due,
    back_up_now,
    latest_good_backup,
    list_backups,
    read_policy,
    restore_backup,
    save_policy,
    thin_backups,
    workspace_changed,
)
from vcio_desk.services.seed import ensure_base_content
from vcio_desk.services.settings import write_setting
from vcio_desk.store import Store, WorkspaceLocation, open_store, resolve
from vcio_desk.store.models import Setting

T0 = dt.datetime(2026, 11, 20, 14, 0, tzinfo=dt.UTC)
PAGE = 4096
file_only = pytest.mark.sqlite_only


@pytest.fixture
def ws_path(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "ws.sqlite3"
    path.parent.mkdir()
    with open_store(path) as store:
        ensure_base_content(store)
        with store.transaction() as session:
            session.add_all(
                [Setting(key=f"test.{i:03d}", value={"n": i, "pad": "x" * 100}) for i in range(80)]
            )
    return path


@pytest.fixture
def store(ws_path: Path) -> Iterator[Store]:
    """The workspace open for writing, as the app keeps it while it runs."""
    with open_store(ws_path) as opened:
        yield opened


def settings_of(path: Path) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return connection.execute("SELECT key, value FROM settings ORDER BY key").fetchall()
    finally:
        connection.close()


def dump(path: Path) -> list[str]:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def folder_state(path: Path) -> tuple[bytes, int, tuple[str, ...], tuple[str, ...]]:
    """The workspace's bytes and mtime, what lies beside it and in its backups folder."""
    backup_dir = path.parent / "backups"
    inside = tuple(sorted(p.name for p in backup_dir.iterdir())) if backup_dir.exists() else ()
    return (
        path.read_bytes(),
        path.stat().st_mtime_ns,
        tuple(sorted(p.name for p in path.parent.iterdir())),
        inside,
    )


def break_an_index(path: Path) -> None:
    """Make the settings' key index disagree with the table: only integrity_check notices."""
    connection = sqlite3.connect(path)
    try:
        (root,) = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE tbl_name = 'settings' AND type = 'index'"
        ).fetchone()
    finally:
        connection.close()
    data = bytearray(path.read_bytes())
    start = data.find(b"test.079", (root - 1) * PAGE, root * PAGE)
    assert start > 0, "the index entry was not found on the index's root page"
    data[start : start + 8] = b"test.099"  # still the last key: the order is kept
    path.write_bytes(bytes(data))
    check = sqlite3.connect(path)
    try:
        assert check.execute("PRAGMA quick_check").fetchone() == ("ok",)
        assert check.execute("PRAGMA integrity_check").fetchone() != ("ok",)
    finally:
        check.close()


# -- policy ------------------------------------------------------------------------------------


@file_only
def test_policy_defaults_round_trip_and_validation(store: Store) -> None:
    assert read_policy(store) == BackupPolicy(1.0, 7, 4, 12)
    save_policy(
        store, BackupPolicy(interval_hours=6, keep_daily=14, keep_weekly=0, keep_monthly=24)
    )
    assert read_policy(store) == BackupPolicy(6.0, 14, 0, 24)
    save_policy(store, BackupPolicy(interval_hours=0))
    assert read_policy(store).interval_hours == 0
    for bad in (
        BackupPolicy(interval_hours=-1),
        BackupPolicy(interval_hours=0.1),
        BackupPolicy(interval_hours=1000),
        BackupPolicy(keep_daily=-1),
        BackupPolicy(keep_weekly=10_000),
        BackupPolicy(keep_monthly=1.5),  # type: ignore[arg-type]
    ):
        with pytest.raises(ValidationError) as caught:
            save_policy(store, bad)
        assert caught.value.user_message.endswith(".")
    assert read_policy(store).interval_hours == 0, "a refused policy changed the stored one"


@file_only
def test_an_unreadable_stored_policy_falls_back_to_defaults(store: Store) -> None:
    write_setting(store, backups.POLICY_KEY, {"interval_hours": "often", "keep_daily": 3})
    assert read_policy(store) == BackupPolicy(1.0, 3, 4, 12)
    write_setting(store, backups.POLICY_KEY, ["not", "a", "policy"])
    assert read_policy(store) == BackupPolicy()


# -- taking backups ----------------------------------------------------------------------------


@file_only
def test_back_up_now_to_the_backups_folder_a_folder_or_a_file(
    store: Store, ws_path: Path, tmp_path: Path
) -> None:
    info = back_up_now(store, now=T0)
    assert info.path == ws_path.parent / "backups" / "workspace-20261120-140000-manual.sqlite3"
    assert (info.label, info.taken_at, info.size_bytes) == ("manual", T0, info.path.stat().st_size)
    assert list_backups(store) == [info]
    assert settings_of(info.path) == settings_of(ws_path)

    again = back_up_now(store, now=T0)  # same second: a second file, not an overwrite
    assert again.path.name == "workspace-20261120-140000-manual-2.sqlite3"

    elsewhere = back_up_now(store, tmp_path / "usb", now=T0)
    assert elsewhere.path == tmp_path / "usb" / "workspace-20261120-140000-manual.sqlite3"
    named = back_up_now(store, tmp_path / "usb" / "before-trip.sqlite3", now=T0)
    assert named.path.name == "before-trip.sqlite3"
    with pytest.raises(WorkspaceError, match="already exists"):
        back_up_now(store, named.path)
    with pytest.raises(WorkspaceError, match="the workspace itself"):
        back_up_now(store, ws_path)
    assert len(list_backups(store)) == 2, "backups elsewhere are not in the backups folder"


@file_only
def test_auto_backup_not_due_due_and_unchanged(store: Store, ws_path: Path) -> None:
    first = auto_backup_if_due(store, now=T0)
    assert first is not None and first.label == "auto"
    assert not workspace_changed(store.location)
    assert auto_backup_if_due(store, now=T0 + dt.timedelta(minutes=30)) is None  # not due
    assert auto_backup_if_due(store, now=T0 + dt.timedelta(hours=2)) is None  # unchanged

    write_setting(store, "test.new", "written after the first backup")
    assert workspace_changed(store.location)
    assert auto_backup_if_due(store, now=T0 + dt.timedelta(minutes=59)) is None  # not due yet
    second = auto_backup_if_due(store, now=T0 + dt.timedelta(hours=2))
    assert second is not None and second.taken_at == T0 + dt.timedelta(hours=2)
    assert ("test.new", '"written after the first backup"') in settings_of(second.path)
    assert ("test.new", '"written after the first backup"') not in settings_of(first.path)
    assert [info.path for info in list_backups(store)] == [second.path, first.path]

    save_policy(store, BackupPolicy(interval_hours=0))  # off (and a change)
    assert auto_backup_if_due(store, now=T0 + dt.timedelta(days=3)) is None


@file_only
def test_manual_backups_do_not_reset_the_auto_interval_but_count_as_unchanged(
    store: Store,
) -> None:
    auto_backup_if_due(store, now=T0)
    write_setting(store, "test.new", 1)
    back_up_now(store, now=T0 + dt.timedelta(minutes=10))
    # Due by the clock, but nothing changed since the manual backup.
    assert auto_backup_if_due(store, now=T0 + dt.timedelta(hours=3)) is None


@file_only
def test_a_clock_set_back_does_not_stop_automatic_backups(store: Store) -> None:
    future = auto_backup_if_due(store, now=T0 + dt.timedelta(days=30))
    assert future is not None
    write_setting(store, "test.new", 1)
    assert auto_backup_if_due(store, now=T0) is not None


@file_only
def test_a_backup_that_fails_its_integrity_check_never_counts(ws_path: Path) -> None:
    with open_store(ws_path) as store:
        good = auto_backup_if_due(store, now=T0)
        write_setting(store, "test.new", 1)
    assert good is not None
    break_an_index(ws_path)
    with open_store(ws_path) as store:  # quick_check on open does not see a broken index
        with pytest.raises(WorkspaceError, match="integrity check"):
            auto_backup_if_due(store, now=T0 + dt.timedelta(hours=2))
        with pytest.raises(WorkspaceError, match="integrity check"):
            back_up_now(store, now=T0 + dt.timedelta(hours=2))
        assert list_backups(store) == [good]
        assert sorted(p.name for p in good.path.parent.iterdir()) == [
            "last-backup.json",
            good.path.name,
        ], "a failed backup left a file behind"
        assert workspace_changed(store.location)


@file_only
def test_latest_good_backup_skips_damaged_and_foreign_files(store: Store, ws_path: Path) -> None:
    location = store.location
    assert latest_good_backup(location) is None
    older = back_up_now(store, now=T0)
    newer = back_up_now(store, now=T0 + dt.timedelta(hours=1))
    newest = back_up_now(store, now=T0 + dt.timedelta(hours=2))
    assert latest_good_backup(location) == newest
    newest.path.write_bytes(b"not a database" * 100)
    break_an_index(newer.path)
    assert latest_good_backup(location) == older


# -- thinning ----------------------------------------------------------------------------------


def at(day: str, hour: int = 23) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=dt.UTC)


@file_only
def test_thinning_over_400_days_of_hourly_backups_keeps_exactly_the_policy(
    store: Store, ws_path: Path
) -> None:
    """An hourly backup for 400 days, thinned daily (24 hourly, 7 daily, 4 weekly, 12 monthly)."""
    backup_dir = ws_path.parent / "backups"
    backup_dir.mkdir()
    start = dt.datetime(2025, 11, 1, tzinfo=dt.UTC)
    manual = backup_dir / "workspace-20251101-120000-manual.sqlite3"
    manual.write_bytes(b"")
    deleted: list[Path] = []
    for hour in range(400 * 24):
        now = start + dt.timedelta(hours=hour)
        (backup_dir / f"workspace-{now:%Y%m%d-%H%M%S}-auto.sqlite3").write_bytes(b"")
        if hour % 100 == 0:
            label = "before-restore" if hour % 200 else "before-upgrade-from-0002"
            (backup_dir / f"workspace-{now:%Y%m%d-%H%M%S}-{label}.sqlite3").write_bytes(b"")
        if hour % 24 == 5 or hour == 400 * 24 - 1:
            deleted += thin_backups(store, now=now)
    end = start + dt.timedelta(hours=400 * 24 - 1)
    assert end == at("2026-12-05")  # a Saturday
    kept_autos = {info.taken_at for info in list_backups(store) if info.label == "auto"}
    daily = {at(f"2026-11-{d}") for d in (29, 30)} | {at(f"2026-12-0{d}") for d in range(1, 6)}
    weekly = {at("2026-11-22"), at("2026-11-15")}  # Sundays; this week's and last: in daily
    monthly = {
        at(day)
        for day in (
            "2026-10-31",
            "2026-09-30",
            "2026-08-31",
            "2026-07-31",
            "2026-06-30",
            "2026-05-31",
            "2026-04-30",
            "2026-03-31",
            "2026-02-28",
            "2026-01-31",
        )
    }  # December and November: in daily
    last_day = {end - dt.timedelta(hours=n) for n in range(24)}  # one an hour for 24 hours
    assert kept_autos == last_day | daily | weekly | monthly
    assert len(kept_autos) == 24 + 6 + 2 + 10
    safety = [info for info in list_backups(store) if info.label.startswith("before-")]
    assert len(safety) == 10
    assert safety[0].taken_at == start + dt.timedelta(hours=9500)
    assert manual.exists(), "a manual backup was deleted"
    assert len(deleted) == len(set(deleted)) == 400 * 24 - 42 + 96 - 10


@file_only
def test_thinning_keeps_the_newest_auto_backup_whatever_the_policy(store: Store) -> None:
    save_policy(store, BackupPolicy(keep_daily=0, keep_weekly=0, keep_monthly=0))
    first = auto_backup_if_due(store, now=T0)
    write_setting(store, "test.new", 1)
    second = auto_backup_if_due(store, now=T0 + dt.timedelta(hours=25))
    assert first is not None and second is not None
    assert [info.path for info in list_backups(store)] == [second.path]


# -- restoring ---------------------------------------------------------------------------------


@file_only
def test_restore_round_trip_keeps_a_safety_copy(ws_path: Path) -> None:
    with open_store(ws_path) as store:
        backup = back_up_now(store, now=T0)
        write_setting(store, "test.000", "changed after the backup")
        write_setting(store, "test.new", "added after the backup")
    before_restore = dump(ws_path)
    location = resolve(ws_path)
    report = restore_backup(location, backup.path, now=T0 + dt.timedelta(hours=1))
    assert report.restored_from == backup.path
    assert report.seconds >= 0
    assert dump(ws_path) == dump(backup.path), "the restored workspace is not the backup"
    assert report.safety_copy == (
        ws_path.parent / "backups" / "workspace-20261120-150000-before-restore.sqlite3"
    )
    assert not report.safety_is_damaged_file
    assert dump(report.safety_copy) == before_restore
    assert ws_path.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in ws_path.parent.iterdir()) == ["backups", "ws.sqlite3"]
    with open_store(ws_path) as store, store.session() as session:
        assert session.scalar(select(Setting.value).where(Setting.key == "test.new")) is None


@file_only
def test_restore_removes_a_stale_log_of_the_old_file(ws_path: Path) -> None:
    with open_store(ws_path) as store:
        backup = back_up_now(store, now=T0)
    writer = sqlite3.connect(ws_path, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("INSERT INTO settings (key, value) VALUES ('only.in.the.log', '1')")
    pending = Path(f"{ws_path}-wal").read_bytes()
    writer.close()  # the log is checkpointed and removed on close: put it back, as after a crash
    Path(f"{ws_path}-wal").write_bytes(pending)
    report = restore_backup(resolve(ws_path), backup.path, now=T0)
    assert not Path(f"{ws_path}-wal").exists()
    assert dump(ws_path) == dump(backup.path)
    assert report.safety_copy is not None
    assert "only.in.the.log" in [key for key, _value in settings_of(report.safety_copy)]


@file_only
def test_restore_into_a_missing_workspace(ws_path: Path, tmp_path: Path) -> None:
    with open_store(ws_path) as store:
        backup = back_up_now(store, now=T0)
    target = tmp_path / "new" / "restored.sqlite3"
    report = restore_backup(resolve(target), backup.path, now=T0)
    assert report.safety_copy is None
    assert dump(target) == dump(backup.path)


@file_only
def test_a_damaged_workspace_is_kept_beside_the_restored_one(ws_path: Path) -> None:
    with open_store(ws_path) as store:
        backup = back_up_now(store, now=T0)
    damaged = bytearray(ws_path.read_bytes())
    damaged[PAGE * 3 : PAGE * 4] = bytes(range(256)) * 16
    ws_path.write_bytes(bytes(damaged))
    report = restore_backup(resolve(ws_path), backup.path, now=T0 + dt.timedelta(hours=1))
    assert report.safety_is_damaged_file
    assert report.safety_copy == ws_path.with_name("ws.sqlite3.damaged-20261120-150000")
    assert report.safety_copy.read_bytes() == bytes(damaged)
    assert dump(ws_path) == dump(backup.path)


def newer_backup(path: Path) -> None:
    connection = sqlite3.connect(path)
    try:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
        connection.commit()
    finally:
        connection.close()


@file_only
@pytest.mark.parametrize("kind", ["damaged", "newer", "text", "other-sqlite", "missing", "self"])
def test_an_unusable_source_is_refused_and_nothing_changes(
    ws_path: Path, tmp_path: Path, kind: str
) -> None:
    with open_store(ws_path) as store:
        backup = back_up_now(store, now=T0)
        write_setting(store, "test.new", 1)
    source = backup.path
    if kind == "damaged":
        break_an_index(source)
    elif kind == "newer":
        newer_backup(source)
    elif kind == "text":
        source = tmp_path / "notes.sqlite3"
        source.write_text("meeting notes\n" * 100)
    elif kind == "other-sqlite":
        source = tmp_path / "songs.sqlite3"
        connection = sqlite3.connect(source)
        connection.execute("CREATE TABLE songs (id INTEGER PRIMARY KEY)")
        connection.close()
    elif kind == "missing":
        source = tmp_path / "gone.sqlite3"
    else:
        source = ws_path
    before = folder_state(ws_path)
    with pytest.raises(WorkspaceError) as caught:
        restore_backup(resolve(ws_path), source, now=T0 + dt.timedelta(hours=1))
    message = caught.value.user_message
    assert "\n" not in message and str(source) in message
    expected = {
        "damaged": "is damaged",
        "newer": "newer version of vcio_desk (schema 9999)",
        "text": "not an SQLite database",
        "other-sqlite": "not a vcio_desk workspace",
        "missing": "There is no file",
        "self": "the workspace itself",
    }[kind]
    assert expected in message
    assert folder_state(ws_path) == before


@file_only
def test_a_failure_while_copying_leaves_the_workspace_whole(
    ws_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fills up while the backup is written beside the workspace."""
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to tell the files apart")
    with open_store(ws_path) as store:
        backup = back_up_now(store, now=T0)
        write_setting(store, "test.new", 1)
    content = ws_path.read_bytes()
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        if ".restoring-" in os.readlink(f"/proc/self/fd/{fd}"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(WorkspaceError) as caught:
        restore_backup(resolve(ws_path), backup.path, now=T0 + dt.timedelta(hours=1))
    assert "No space left on device" in caught.value.user_message
    assert "the workspace was not changed" in caught.value.user_message
    assert ws_path.read_bytes() == content
    assert sorted(p.name for p in ws_path.parent.iterdir()) == ["backups", "ws.sqlite3"]


@file_only
def test_an_unwritable_folder_is_refused_before_anything_is_written(ws_path: Path) -> None:
    """Run as an ordinary user would be: as root, ``setpriv`` drops the override capabilities."""
    with open_store(ws_path) as store:
        backup = back_up_now(store, now=T0)
    before = folder_state(ws_path)
    unprivileged: list[str] = []
    if os.geteuid() == 0:
        unprivileged = ["setpriv", "--inh-caps=-all", "--bounding-set=-dac_override,-fowner"]
    command = [sys.executable, "-m", "vcio_desk", "--db", str(ws_path), "restore", str(backup.path)]
    ws_path.parent.chmod(0o500)
    try:
        done = subprocess.run(
            [*unprivileged, *command],
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        ws_path.parent.chmod(0o700)
    assert done.returncode == 3, done.stderr
    # The CLI's lock file is the first thing it would write: refused there, in one sentence.
    assert "Permission denied" in done.stderr or "not writable" in done.stderr
    assert done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr
    assert folder_state(ws_path) == before


@file_only
def test_restore_is_refused_while_another_process_holds_the_workspace(ws_path: Path) -> None:
    import socket

    from vcio_desk.domain.errors import WorkspaceLockedError
    from vcio_desk.store.lock import lock_path_for

    with open_store(ws_path) as store:
        backup = back_up_now(store, now=T0)
    lock_path_for(ws_path).write_text(f"{os.getppid()}\nvcio-desk\n{socket.gethostname()}\n")
    before = folder_state(ws_path)
    with pytest.raises(WorkspaceLockedError, match="open in another vcio_desk"):
        restore_backup(resolve(ws_path), backup.path, now=T0 + dt.timedelta(hours=1))
    assert folder_state(ws_path) == before


@file_only
def test_a_read_only_store_takes_no_automatic_backup(ws_path: Path) -> None:
    with open_store(ws_path, read_only=True) as store:
        assert auto_backup_if_due(store, now=T0) is None
        assert list_backups(store) == []
        assert back_up_now(store, now=T0).label == "manual"  # asked for: it is taken


# -- a workspace on a server -------------------------------------------------------------------

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5433/bk_never_connected"


def test_a_server_workspace_is_refused_with_a_clear_sentence(tmp_path: Path) -> None:
    location = WorkspaceLocation(url=SERVER, path=None)
    engine = create_engine(SERVER)  # never connects: each function refuses before any SQL
    server_store = Store(location, engine, read_only=False, schema_revision=None)
    calls = [
        lambda: read_policy(server_store),
        lambda: save_policy(server_store, BackupPolicy()),
        lambda: list_backups(server_store),
        lambda: back_up_now(server_store),
        lambda: auto_backup_if_due(server_store, now=T0),
        lambda: thin_backups(server_store, now=T0),
        lambda: latest_good_backup(location),
        lambda: restore_backup(location, tmp_path / "x.sqlite3"),
        lambda: workspace_changed(location),
    ]
    try:
        for call in calls:
            with pytest.raises(WorkspaceError) as caught:
                call()
            assert "pg_dump" in caught.value.user_message
            assert "bk_never_connected" in caught.value.user_message
    finally:
        engine.dispose()


def test_the_run_s_workspace_is_refused_when_it_is_on_a_server(workspace: Store) -> None:
    """In the PostgreSQL run this is a real server workspace; on SQLite, a file is accepted."""
    if workspace.location.path is None:
        with pytest.raises(WorkspaceError, match="pg_dump"):
            back_up_now(workspace)
    else:
        assert back_up_now(workspace, now=T0).label == "manual"
