"""open_store: where the workspace lives, how SQLite is configured, what a new file looks like."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from sqlalchemy import func, insert, inspect, select, text
from sqlalchemy.exc import IntegrityError

from vcio_desk.domain.errors import WorkspaceError
from vcio_desk.services.seed import ensure_base_content
from vcio_desk.store import Store, open_store, resolve
from vcio_desk.store.location import default_data_dir
from vcio_desk.store.migrate import head_revision
from vcio_desk.store.models import Base, Contact, Setting, Standard


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.sqlite_only
def test_default_workspace_is_in_the_user_data_dir(isolated_user_dirs: Path) -> None:
    expected = isolated_user_dirs / ".local/share/vcio-desk/workspace.sqlite3"
    assert resolve().path == expected  # resolving touches nothing
    assert not expected.parent.exists()
    with open_store() as store:
        assert store.location.path == expected
        assert store.location.backup_dir == expected.parent / "backups"
    assert expected.is_file()
    assert default_data_dir() == expected.parent
    assert mode(expected.parent) == 0o700
    assert mode(expected) == 0o600


@pytest.mark.sqlite_only
def test_existing_default_data_dir_is_made_owner_only(isolated_user_dirs: Path) -> None:
    data_dir = isolated_user_dirs / ".local/share/vcio-desk"
    data_dir.mkdir(parents=True, mode=0o755)
    data_dir.chmod(0o755)
    with open_store():
        pass
    assert mode(data_dir) == 0o700


@pytest.mark.sqlite_only
def test_env_var_selects_another_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated_user_dirs: Path
) -> None:
    target = tmp_path / "elsewhere" / "mine.sqlite3"
    monkeypatch.setenv("VCIO_DESK_DB", str(target))
    with open_store() as store:
        assert store.location.path == target
    assert target.is_file()
    assert not (isolated_user_dirs / ".local/share/vcio-desk").exists()


@pytest.mark.sqlite_only
def test_explicit_target_wins_over_env_var(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VCIO_DESK_DB", str(tmp_path / "from-env.sqlite3"))
    with open_store(tmp_path / "explicit.sqlite3") as store:
        assert store.location.path == tmp_path / "explicit.sqlite3"
    assert not (tmp_path / "from-env.sqlite3").exists()


@pytest.mark.sqlite_only
def test_sqlite_url_is_treated_as_a_file(tmp_path: Path) -> None:
    target = tmp_path / "by-url.sqlite3"
    with open_store(f"sqlite:///{target}") as store:
        assert store.location.path == target
        assert store.is_sqlite
    assert target.is_file()
    assert mode(target) == 0o600


@pytest.mark.sqlite_only
def test_relative_path_is_resolved_against_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with open_store("rel.sqlite3") as store:
        assert store.location.path == tmp_path / "rel.sqlite3"
    assert (tmp_path / "rel.sqlite3").is_file()


def test_any_sqlalchemy_url_works(tmp_path: Path) -> None:
    # An in-memory SQLite URL goes through the generic (non-file) path: migrated, usable.
    with open_store("sqlite://") as store:
        assert store.location.path is None
        assert store.schema_revision == head_revision()
        ensure_base_content(store)
        with store.session() as session:
            assert session.scalar(select(func.count()).select_from(Standard)) > 0
    assert list(tmp_path.iterdir()) == [tmp_path / "home"]


@pytest.mark.sqlite_only
def test_session_connections_have_the_required_pragmas(tmp_path: Path) -> None:
    with open_store(tmp_path / "ws.sqlite3") as store, store.session() as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert session.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL


@pytest.mark.sqlite_only
def test_every_pooled_connection_gets_the_pragmas(tmp_path: Path) -> None:
    with open_store(tmp_path / "ws.sqlite3") as store:
        connections = [store.engine.connect() for _ in range(3)]
        try:
            for connection in connections:
                assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
                assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2
        finally:
            for connection in connections:
                connection.close()


def test_foreign_keys_are_enforced(db_target) -> None:  # type: ignore[no-untyped-def]
    with (
        open_store(db_target("ws")) as store,
        pytest.raises(IntegrityError),
        store.transaction() as session,
    ):
        session.execute(insert(Contact).values(client_id=999, name="Orphan"))


def test_transaction_is_all_or_nothing(db_target) -> None:  # type: ignore[no-untyped-def]
    with open_store(db_target("ws")) as store:
        with pytest.raises(RuntimeError), store.transaction() as session:
            session.execute(insert(Setting).values(key="k1", value=1))
            raise RuntimeError("boom")
        with store.session() as session:
            assert session.get(Setting, "k1") is None
        with store.transaction() as session:
            session.execute(insert(Setting).values(key="k1", value=1))
        with store.session() as session:
            assert session.get(Setting, "k1").value == 1


def test_new_workspace_has_every_table_and_head_schema(db_target) -> None:  # type: ignore[no-untyped-def]
    with open_store(db_target("ws")) as store:
        assert store.schema_revision == head_revision()
        assert store.migration_backup is None
        assert not store.read_only
        with store.session() as session:
            names = set(inspect(session.connection()).get_table_names())
            versions = session.execute(text("SELECT version_num FROM alembic_version")).all()
    assert set(Base.metadata.tables) | {"alembic_version"} == names
    assert versions == [(head_revision(),)]


@pytest.mark.sqlite_only
def test_new_folder_and_files_are_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "new-folder" / "ws.sqlite3"
    with open_store(path) as store:
        with store.transaction() as session:
            session.execute(insert(Setting).values(key="k", value="v"))
        assert mode(path.parent) == 0o700
        for suffix in ("", "-wal", "-shm"):
            side = Path(f"{path}{suffix}")
            assert side.exists(), side
            assert mode(side) == 0o600, side
    assert mode(path) == 0o600


@pytest.mark.sqlite_only
def test_zero_length_file_becomes_a_new_workspace(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite3"
    path.touch()
    with open_store(path) as store:
        assert store.schema_revision == head_revision()
        assert store.migration_backup is None
    assert not (tmp_path / "backups").exists()


@pytest.mark.sqlite_only
def test_reopening_at_head_makes_no_backup(kit) -> None:
    path = kit.workspace()
    with open_store(path) as store:
        assert store.migration_backup is None
    assert not (path.parent / "backups").exists()


@pytest.mark.sqlite_only
def test_store_is_a_context_manager_that_disposes_the_engine(tmp_path: Path, kit) -> None:
    path = tmp_path / "ws.sqlite3"
    with open_store(path) as store:
        assert isinstance(store, Store)
        with store.session() as session:
            session.execute(text("SELECT 1"))
        assert store.engine.pool.checkedin() == 1
    assert store.engine.pool.checkedin() == 0
    # Closed cleanly: the WAL was checkpointed and removed.
    assert kit.side_files(path) == []


@pytest.mark.sqlite_only
def test_read_only_store_refuses_writes_and_leaves_no_files(kit) -> None:
    path = kit.workspace()
    before = kit.snapshot(path)
    with open_store(path, read_only=True) as store:
        assert store.read_only
        assert store.schema_revision == head_revision()
        with store.session() as session:
            assert session.scalar(select(func.count()).select_from(Standard)) > 0
        with pytest.raises(WorkspaceError, match="read-only"), store.transaction() as session:
            session.execute(insert(Setting).values(key="k", value="v"))
    kit.assert_untouched(path, before)


@pytest.mark.sqlite_only
def test_read_only_open_of_a_missing_file_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "missing.sqlite3"
    with pytest.raises(WorkspaceError, match="no workspace"):
        open_store(path, read_only=True)
    assert not path.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home"]


@pytest.mark.sqlite_only
@pytest.mark.parametrize("name", ["a#b.sqlite3", "c?d.sqlite3", "e%20f.sqlite3", "g h&i=j.sqlite3"])
def test_file_names_with_uri_characters(tmp_path: Path, kit, name: str) -> None:
    """SQLite URIs and SQLAlchemy URLs give '#', '?', '%' meaning; a file name must not."""
    path = tmp_path / name
    with open_store(path) as store:
        ensure_base_content(store)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["home", name])
    with open_store(path) as store:
        assert store.migration_backup is None
    with open_store(path, read_only=True) as store, store.session() as session:
        assert session.scalar(select(func.count()).select_from(Standard)) > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["home", name])


@pytest.mark.sqlite_only
def test_sqlite_url_with_a_driver_name_is_still_a_file(tmp_path: Path) -> None:
    """'sqlite+pysqlite:///' must get the file treatment: pragmas, checks, lock, backup."""
    target = tmp_path / "driver.sqlite3"
    with open_store(f"sqlite+pysqlite:///{target}") as store:
        assert store.location.path == target
        with store.session() as session:
            assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"


@pytest.mark.parametrize(
    "url", ["postgresql://ann:s3cret-pw@127.0.0.1:1/vcio", "mysql://ann:s3cret-pw@127.0.0.1:1/vcio"]
)
def test_unreachable_server_is_one_clear_sentence(url: str) -> None:
    """Missing driver or refused connection: a WorkspaceError on one line, password hidden."""
    with pytest.raises(WorkspaceError) as caught:
        open_store(url)
    message = caught.value.user_message
    assert message.startswith("Cannot connect to the workspace ")
    assert "s3cret-pw" not in message
    assert "\n" not in message


def test_read_only_store_refuses_writes_on_either_engine(db_target) -> None:  # type: ignore[no-untyped-def]
    """The engine itself refuses (a read-only file; READ ONLY transactions on a server)."""
    target = db_target("ws", seeded=True)
    with open_store(target, read_only=True) as store:
        assert store.read_only
        with store.session() as session:
            assert session.scalar(select(func.count()).select_from(Standard)) > 0
        with pytest.raises(WorkspaceError, match="read-only"), store.transaction() as session:
            session.execute(insert(Setting).values(key="k", value="v"))
    with open_store(target) as store, store.session() as session:
        assert session.get(Setting, "k") is None


# -- a workspace on a PostgreSQL server (the PostgreSQL run only) --------------------------------


def _server_url(target: str, **changes: object) -> str:
    from sqlalchemy.engine import make_url

    return make_url(target).set(**changes).render_as_string(hide_password=False)


@pytest.mark.postgresql_only
def test_a_plain_postgresql_url_uses_psycopg(db_target) -> None:  # type: ignore[no-untyped-def]
    """``postgresql://`` (what people copy from their server's docs) works without a driver
    name: psycopg 3 is the driver installed, not SQLAlchemy's default psycopg2."""
    plain = _server_url(db_target("ws"), drivername="postgresql")
    assert plain.startswith("postgresql://")
    with open_store(plain) as store:
        assert store.engine.dialect.driver == "psycopg"
        assert store.location.path is None and store.location.backup_dir is None
        assert store.schema_revision == head_revision()


@pytest.mark.postgresql_only
def test_a_server_workspace_shows_its_url_without_the_password(db_target) -> None:  # type: ignore[no-untyped-def]
    with_password = _server_url(db_target("ws"), password="s3cret-pw")
    with open_store(with_password) as store:  # trust authentication ignores the password
        assert "s3cret-pw" not in store.location.display
        assert "***" in store.location.display


@pytest.mark.postgresql_only
def test_a_missing_server_database_is_one_clear_sentence(db_target) -> None:  # type: ignore[no-untyped-def]
    missing = _server_url(db_target("ws"), database="pgt_no_such_database", password="pw-x")
    with pytest.raises(WorkspaceError) as caught:
        open_store(missing)
    message = caught.value.user_message
    assert message.startswith("Cannot connect to the workspace ")
    assert "pgt_no_such_database" in message and "does not exist" in message
    assert "pw-x" not in message and "\n" not in message
