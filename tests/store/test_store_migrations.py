"""Migrations: from empty, from an earlier state (with a backup first), and refusing newer files."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import URL, Engine, create_engine, inspect, text

from vcio_desk.domain.errors import WorkspaceError, WorkspaceTooNewError
from vcio_desk.store import migrate, open_store
from vcio_desk.store.models import Base

MARKER = "precious row written before the upgrade"


def plain_engine(target: Path | str) -> Engine:
    """An engine with none of the app's set-up, to build test states: a SQLite file, or
    (a URL) the PostgreSQL database of the PostgreSQL run."""
    if isinstance(target, Path):
        return create_engine(URL.create("sqlite", database=str(target)))
    return create_engine(target)


def alembic_config(connection) -> Config:  # type: ignore[no-untyped-def]
    config = Config()
    config.set_main_option("script_location", str(files("vcio_desk.migrations")))
    config.attributes["connection"] = connection
    return config


def downgrade_to_base(path: Path | str) -> None:
    engine = plain_engine(path)
    try:
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), "base")
    finally:
        engine.dispose()


def table_names(path: Path | str) -> set[str]:
    engine = plain_engine(path)
    try:
        with engine.connect() as connection:
            return set(inspect(connection).get_table_names())
    finally:
        engine.dispose()


def backups(path: Path) -> list[Path]:
    folder = path.parent / "backups"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_upgrade_from_empty_creates_every_model_table(db_target) -> None:  # type: ignore[no-untyped-def]
    engine = plain_engine(db_target("empty", bare=True))
    try:
        with engine.begin() as connection:
            assert migrate.current_revision(connection) is None
            migrate.upgrade_to_head(connection)
        with engine.connect() as connection:
            assert migrate.current_revision(connection) == migrate.head_revision()
            names = set(inspect(connection).get_table_names())
    finally:
        engine.dispose()
    assert names == set(Base.metadata.tables) | {"alembic_version"}


def test_migrated_schema_has_no_differences_from_the_models(db_target) -> None:  # type: ignore[no-untyped-def]
    path = db_target("ws", bare=True)
    with open_store(path):
        pass
    engine = plain_engine(path)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            diff = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert diff == []


def test_compare_metadata_would_notice_a_missing_table(db_target) -> None:  # type: ignore[no-untyped-def]
    """Guard for the test above: the comparison really looks at the database."""
    engine = plain_engine(db_target("ws", seeded=True))
    try:
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE action_items"))
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            diff = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert [item[1].name for item in diff if item[0] == "add_table"] == ["action_items"]


def test_downgrade_to_base_and_upgrade_again(db_target) -> None:  # type: ignore[no-untyped-def]
    path = db_target("ws", seeded=True)
    downgrade_to_base(path)
    assert table_names(path) == {"alembic_version"}
    engine = plain_engine(path)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM alembic_version")).all() == [(0,)]
    finally:
        engine.dispose()
    with open_store(path) as store:
        assert store.schema_revision == migrate.head_revision()
    assert table_names(path) == set(Base.metadata.tables) | {"alembic_version"}


def make_older_workspace(kit) -> Path:  # type: ignore[no-untyped-def]
    """A workspace at the state before revision 0001, holding a marker row."""
    path = kit.workspace()
    downgrade_to_base(path)
    kit.execute(
        path,
        "CREATE TABLE marker (note TEXT NOT NULL)",
        f"INSERT INTO marker (note) VALUES ('{MARKER}')",
    )
    return path


@pytest.mark.sqlite_only
def test_older_workspace_is_backed_up_before_it_is_migrated(kit) -> None:
    path = make_older_workspace(kit)
    when = dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    with open_store(path, now=when) as store:
        assert store.schema_revision == migrate.head_revision()
        backup = store.migration_backup
    assert backup is not None
    assert backups(path) == [backup]
    assert backup.parent == path.parent / "backups"
    assert backup.name == "workspace-20300102-030405-before-upgrade-from-empty.sqlite3"
    assert backup.stat().st_mode & 0o777 == 0o600
    assert (backup.parent.stat().st_mode & 0o777) == 0o700
    # The copy is a sound database holding the pre-upgrade state, marker included.
    assert kit.query(backup, "PRAGMA integrity_check") == [("ok",)]
    assert kit.query(backup, "SELECT note FROM marker") == [(MARKER,)]
    assert table_names(backup) == {"alembic_version", "marker"}
    assert kit.query(backup, "SELECT count(*) FROM alembic_version") == [(0,)]
    # The workspace itself is now at head and kept the marker.
    assert kit.query(path, "SELECT version_num FROM alembic_version") == [
        (migrate.head_revision(),)
    ]
    assert kit.query(path, "SELECT note FROM marker") == [(MARKER,)]
    assert table_names(path) == set(Base.metadata.tables) | {"alembic_version", "marker"}
    # No half-written copies lie around.
    assert not [p for p in backup.parent.iterdir() if p.name.endswith(".partial")]


@pytest.mark.sqlite_only
def test_backup_includes_committed_data_still_in_the_wal(kit) -> None:
    """A crashed app leaves committed rows in -wal; the backup must read through it."""
    path = make_older_workspace(kit)
    script = (
        "import os, sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "c.execute('PRAGMA journal_mode=WAL')\n"
        "c.execute('PRAGMA wal_autocheckpoint=0')\n"
        "c.execute(\"INSERT INTO marker (note) VALUES ('only in the wal')\")\n"
        "os._exit(0)\n"  # die without closing: no checkpoint, -wal stays
    )
    subprocess.run([sys.executable, "-c", script, str(path)], check=True)
    assert Path(f"{path}-wal").stat().st_size > 0
    with open_store(path) as store:
        backup = store.migration_backup
    assert backup is not None
    assert kit.query(backup, "SELECT note FROM marker ORDER BY rowid") == [
        (MARKER,),
        ("only in the wal",),
    ]


@pytest.mark.sqlite_only
def test_backup_failure_stops_the_migration(kit) -> None:
    path = make_older_workspace(kit)
    (path.parent / "backups").write_text("a file where the backup folder should be\n")
    with pytest.raises(WorkspaceError) as caught:
        open_store(path)
    assert "back up" in caught.value.user_message
    assert table_names(path) == {"alembic_version", "marker"}, "migrated without a backup"


@pytest.mark.sqlite_only
def test_failed_migration_is_rolled_back_whole(kit) -> None:
    path = make_older_workspace(kit)
    # A table in the way makes revision 0001 fail part-way through.
    kit.execute(path, "CREATE TABLE staff (id INTEGER PRIMARY KEY, who TEXT)")
    kit.execute(path, "INSERT INTO staff (who) VALUES ('someone')")
    with pytest.raises(WorkspaceError) as caught:
        open_store(path)
    assert "Could not prepare the workspace" in caught.value.user_message
    assert "already exists" in caught.value.user_message
    assert table_names(path) == {"alembic_version", "marker", "staff"}
    assert kit.query(path, "SELECT count(*) FROM alembic_version") == [(0,)]
    assert kit.query(path, "SELECT who FROM staff") == [("someone",)]
    assert len(backups(path)) == 1


def stamp_newer(kit, path: Path, revision: str = "9999_from_the_future") -> None:  # type: ignore[no-untyped-def]
    kit.execute(path, f"UPDATE alembic_version SET version_num = '{revision}'")


@pytest.mark.sqlite_only
@pytest.mark.parametrize("read_only", [False, True])
def test_newer_workspace_is_refused_untouched(kit, read_only: bool) -> None:
    path = kit.workspace(staff=50)
    stamp_newer(kit, path)
    before = kit.snapshot(path)
    with pytest.raises(WorkspaceTooNewError) as caught:
        open_store(path, read_only=read_only)
    message = caught.value.user_message
    assert "newer version of vcio_desk" in message
    assert "9999_from_the_future" in message
    assert "\n" not in message
    kit.assert_untouched(path, before)
    assert backups(path) == []


@pytest.mark.sqlite_only
def test_newer_revision_still_in_the_wal_is_seen(kit) -> None:
    """The read-only inspection must not skip a -wal file left by a crash."""
    path = kit.workspace()
    script = (
        "import os, sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "c.execute('PRAGMA wal_autocheckpoint=0')\n"
        "c.execute(\"UPDATE alembic_version SET version_num = '9999'\")\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(path)], check=True)
    assert Path(f"{path}-wal").exists()
    with pytest.raises(WorkspaceTooNewError):
        open_store(path)
    with pytest.raises(WorkspaceTooNewError):
        open_store(path, read_only=True)


@pytest.mark.sqlite_only
def test_alembic_version_table_in_a_fresh_workspace_is_single_row(kit) -> None:
    path = kit.workspace()
    assert kit.query(path, "SELECT version_num FROM alembic_version") == [
        (migrate.head_revision(),)
    ]


@pytest.mark.sqlite_only
def test_online_backup_of_a_live_workspace(kit, tmp_path: Path) -> None:
    from vcio_desk.store.backup import online_backup

    path = kit.workspace(staff=20)
    with open_store(path) as store:
        live = sqlite3.connect(path)  # another reader holding the file open
        try:
            dest = online_backup(path, tmp_path / "copies" / "copy.sqlite3")
        finally:
            live.close()
        assert store.schema_revision == migrate.head_revision()
    assert kit.query(dest, "PRAGMA integrity_check") == [("ok",)]
    assert kit.query(dest, "SELECT count(*) FROM staff") == [(20,)]
    assert kit.query(dest, "PRAGMA journal_mode") == [("delete",)]


def test_head_and_known_revisions_are_what_the_scripts_say() -> None:
    """The constants spare start-up an Alembic import; they must follow every new script."""
    scripts = migrate.script_directory()
    assert scripts.get_heads() == [migrate.SCHEMA_HEAD]
    assert {script.revision for script in scripts.walk_revisions()} == migrate.KNOWN_REVISIONS


def test_a_newer_schema_is_refused_on_either_engine(db_target) -> None:  # type: ignore[no-untyped-def]
    """What the SQLite tests above check for a file, for whichever engine this run uses."""
    target = db_target("ws", seeded=True)
    engine = plain_engine(target)
    try:
        with engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
        for read_only in (False, True):
            with pytest.raises(WorkspaceTooNewError, match="9999_future"):
                open_store(target, read_only=read_only)
        with engine.connect() as connection:
            assert migrate.current_revision(connection) == "9999_future"
            assert set(inspect(connection).get_table_names()) == set(Base.metadata.tables) | {
                "alembic_version"
            }
    finally:
        engine.dispose()
