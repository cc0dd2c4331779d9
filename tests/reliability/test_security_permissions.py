"""Workspace, backups, lock and log files are owner-only whatever the umask.

Each test runs under a permissive umask (022, the usual one, and 000) so a file the
app forgets to restrict shows up as group/world readable. Files: 0600; folders: 0700.
Exports (packs, calendars, CSV) are the person's own documents and are not covered here.
"""

from __future__ import annotations

import datetime as dt
import logging
import logging.handlers
import os
import stat
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import URL, create_engine, insert

from vcio_desk.logs import LOG_FILE_NAME, configure_logging
from vcio_desk.services.seed import ensure_base_content
from vcio_desk.store import migrate, open_store
from vcio_desk.store.backup import backup_file_name, online_backup
from vcio_desk.store.location import default_data_dir, default_log_dir, resolve
from vcio_desk.store.lock import hold_write_lock, lock_path_for
from vcio_desk.store.models import Setting

pytestmark = pytest.mark.sqlite_only

FILE, FOLDER = 0o600, 0o700


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def modes(folder: Path) -> dict[str, int]:
    return {p.name: mode(p) for p in sorted(folder.iterdir())}


@pytest.fixture(params=[0o022, 0o000], ids=["umask022", "umask000"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


@pytest.fixture
def app_log() -> Iterator[Path]:
    """The app's log (as the CLI configures it) in this test's log folder; removed after."""
    path = configure_logging()
    assert path is not None
    yield path
    root = logging.getLogger("vcio_desk")
    for handler in list(root.handlers):
        if isinstance(handler, logging.handlers.RotatingFileHandler):
            root.removeHandler(handler)
            handler.close()


def _write_something(store) -> None:  # type: ignore[no-untyped-def]
    with store.transaction() as session:
        session.execute(insert(Setting).values(key="security-test", value="x"))


def test_a_new_default_workspace_and_its_sidecars(umask: int) -> None:
    path = resolve(None).path
    assert path is not None and not path.parent.exists()
    with open_store(None) as store:
        ensure_base_content(store)
        _write_something(store)
        assert mode(default_data_dir()) == FOLDER
        assert modes(path.parent) == {
            path.name: FILE,
            f"{path.name}-shm": FILE,
            f"{path.name}-wal": FILE,
        }
    assert modes(path.parent) == {path.name: FILE}
    # Reopened: SQLite creates -wal/-shm afresh, with the database file's mode.
    with open_store(None) as store:
        with store.transaction() as session:
            session.execute(insert(Setting).values(key="again", value="y"))
        assert set(modes(path.parent).values()) == {FILE}, modes(path.parent)
        with open_store(None, read_only=True) as reader, reader.session() as session:
            session.get(Setting, "again")
        assert set(modes(path.parent).values()) == {FILE}, modes(path.parent)


def test_a_workspace_in_a_new_folder_given_by_path(tmp_path: Path, umask: int) -> None:
    path = tmp_path / "new" / "ws.sqlite3"
    with open_store(path) as store:
        _write_something(store)
        assert mode(path.parent) == FOLDER
        assert set(modes(path.parent).values()) == {FILE}, modes(path.parent)


def test_an_existing_workspace_left_readable_is_restricted_on_open(
    tmp_path: Path, umask: int
) -> None:
    path = tmp_path / "ws.sqlite3"
    with open_store(path):
        pass
    os.chmod(path, 0o644)
    with open_store(path) as store:
        _write_something(store)
    assert mode(path) == FILE


def test_online_backups(tmp_path: Path, umask: int) -> None:
    path = tmp_path / "ws.sqlite3"
    with open_store(path) as store:
        ensure_base_content(store)
    backup_dir = resolve(path).backup_dir
    assert backup_dir is not None
    made = online_backup(path, backup_dir / backup_file_name("manual", dt.datetime(2026, 1, 2)))
    assert mode(backup_dir) == FOLDER
    assert modes(backup_dir) == {made.name: FILE}


def test_backups_taken_through_the_service(tmp_path: Path, umask: int) -> None:
    from vcio_desk.services.backups import back_up_now

    path = tmp_path / "ws.sqlite3"
    with open_store(path) as store:
        ensure_base_content(store)
        info = back_up_now(store)
        elsewhere = back_up_now(store, tmp_path / "kept" / "copy.sqlite3")
    backup_dir = info.path.parent
    assert mode(backup_dir) == FOLDER
    assert set(modes(backup_dir).values()) == {FILE}, modes(backup_dir)
    assert mode(elsewhere.path) == FILE


def test_restoring_a_backup(tmp_path: Path, umask: int) -> None:
    from vcio_desk.services.backups import back_up_now, restore_backup

    path = tmp_path / "ws.sqlite3"
    with open_store(path) as store:
        ensure_base_content(store)
        taken = back_up_now(store, now=dt.datetime(2026, 1, 2, tzinfo=dt.UTC))
    report = restore_backup(resolve(path), taken.path, now=dt.datetime(2026, 1, 3, tzinfo=dt.UTC))
    assert report.safety_copy is not None and mode(report.safety_copy) == FILE
    assert set(modes(tmp_path / "backups").values()) == {FILE}, modes(tmp_path / "backups")
    assert mode(path) == FILE
    with open_store(path) as store:
        _write_something(store)
        found = {name: value for name, value in modes(tmp_path).items() if name != "home"}
        assert found == {
            "backups": FOLDER,
            path.name: FILE,
            f"{path.name}-shm": FILE,
            f"{path.name}-wal": FILE,
        }


def _downgrade(path: Path, revision: str) -> None:
    engine = create_engine(URL.create("sqlite", database=str(path)))
    try:
        with engine.begin() as connection:
            config = Config()
            config.set_main_option("script_location", str(files("vcio_desk.migrations")))
            config.attributes["connection"] = connection
            command.downgrade(config, revision)
    finally:
        engine.dispose()


def test_the_backup_taken_before_an_upgrade(tmp_path: Path, umask: int) -> None:
    path = tmp_path / "ws.sqlite3"
    with open_store(path) as store:
        ensure_base_content(store)
    _downgrade(path, sorted(migrate.KNOWN_REVISIONS - {migrate.SCHEMA_HEAD})[0])
    os.chmod(path, 0o644)  # as an older version might have left it
    with open_store(path) as store:
        backup = store.migration_backup
    assert backup is not None
    assert mode(backup.parent) == FOLDER
    assert modes(backup.parent) == {backup.name: FILE}
    assert mode(path) == FILE


def test_the_backup_taken_before_a_workspace_import_replaces(tmp_path: Path, umask: int) -> None:
    from vcio_desk.__main__ import main

    source, target = tmp_path / "source.sqlite3", tmp_path / "target.sqlite3"
    exported = tmp_path / "ws.json"
    assert main(["--db", str(source), "demo", "--clients", "2", "--years", "1"]) == 0
    assert main(["--db", str(source), "export", "workspace", str(exported)]) == 0
    assert main(["--db", str(target), "demo", "--clients", "2", "--years", "1"]) == 0
    assert main(["--db", str(target), "import", "workspace", str(exported), "--replace"]) == 0
    backups = tmp_path / "backups"
    assert mode(backups) == FOLDER
    assert modes(backups) and set(modes(backups).values()) == {FILE}, modes(backups)


def test_the_cli_write_lock(tmp_path: Path, umask: int) -> None:
    path = tmp_path / "ws.sqlite3"
    with hold_write_lock(path):
        assert mode(lock_path_for(path)) == FILE


def test_the_gui_lock(tmp_path: Path, umask: int) -> None:
    from vcio_desk.ui.app import take_lock

    path = tmp_path / "ws.sqlite3"
    lock = take_lock(path)
    try:
        assert mode(lock_path_for(path)) == FILE
    finally:
        lock.unlock()


def test_the_log_folder_and_every_log_file_rotated_or_not(umask: int, app_log: Path) -> None:
    folder = app_log.parent
    assert folder == default_log_dir()
    log = logging.getLogger("vcio_desk.security_test")
    handler = next(
        h
        for h in logging.getLogger("vcio_desk").handlers
        if isinstance(h, logging.handlers.RotatingFileHandler)
    )
    handler.maxBytes = 2_000  # rotate after a few lines rather than a megabyte
    for number in range(200):
        log.info("line %d of the rotation test", number)
    names = modes(folder)
    assert set(names) == {LOG_FILE_NAME, *(f"{LOG_FILE_NAME}.{n}" for n in (1, 2, 3))}
    assert set(names.values()) == {FILE}, names
    assert mode(folder) == FOLDER


def test_log_files_left_readable_by_an_older_version_are_restricted(
    umask: int, tmp_path: Path
) -> None:
    folder = default_log_dir()
    folder.mkdir(parents=True, mode=0o755)
    os.chmod(folder, 0o755)
    for name in (LOG_FILE_NAME, f"{LOG_FILE_NAME}.1"):
        (folder / name).write_text("old\n", encoding="utf-8")
        os.chmod(folder / name, 0o644)
    path = configure_logging()
    try:
        assert path == folder / LOG_FILE_NAME
        assert mode(folder) == FOLDER
        assert set(modes(folder).values()) == {FILE}, modes(folder)
    finally:
        root = logging.getLogger("vcio_desk")
        for handler in list(root.handlers):
            if isinstance(handler, logging.handlers.RotatingFileHandler):
                root.removeHandler(handler)
                handler.close()
