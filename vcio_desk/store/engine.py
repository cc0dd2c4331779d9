"""``open_store``: the one way into a workspace, returning the Store everything else is given."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event, make_url
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from vcio_desk.domain.errors import WorkspaceError

from . import migrate
from .backup import backup_file_name, online_backup
from .location import WorkspaceLocation, default_data_dir, resolve
from .lock import ensure_unlocked
from .sqlite_file import inspect_file, read_only_uri, require_writable
from .text_params import scrub_nul_characters
from .write_errors import write_failure


@dataclass
class Store:
    """An open workspace. Pass it to services; close it when done."""

    location: WorkspaceLocation
    engine: Engine
    read_only: bool
    schema_revision: str | None
    migration_backup: Path | None = None
    _sessions: sessionmaker[Session] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A session for reading; nothing is committed."""
        with self._sessions() as session:
            yield session

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed as one transaction, or rolled back whole.

        A write the storage refuses (disk full, I/O error, read-only, busy) is raised
        after the rollback as a ``WorkspaceError`` in one clear sentence (see
        ``write_errors``); other database errors pass through unchanged.
        """
        try:
            with self._sessions() as session, session.begin():
                yield session
        except DBAPIError as exc:
            failure = write_failure(exc, self.location.display, read_only=self.read_only)
            if failure is None:
                raise
            raise failure from exc

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _sqlite_engine(path: Path, read_only: bool) -> Engine:
    # URL.create, not an f-string: '?' or '#' in a file name must not become URL syntax.
    if read_only:
        url = URL.create("sqlite", database=read_only_uri(path), query={"uri": "true"})
    else:
        url = URL.create("sqlite", database=str(path))
    # hide_parameters: an error message (and so the log) never carries a client's text.
    engine = create_engine(url, connect_args={"timeout": 15}, hide_parameters=True)
    scrub_nul_characters(engine)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide when transactions begin (SQLAlchemy SQLite docs).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if not read_only:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")

    return engine


def _secure_new_dir(path: Path, location: WorkspaceLocation) -> None:
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700)
    if path.parent == default_data_dir():
        os.chmod(path.parent, 0o700)


def _check_revision(revision: str | None, display: str) -> None:
    migrate.refuse_newer(revision, display)


def open_store(
    target: str | os.PathLike[str] | None = None,
    *,
    read_only: bool = False,
    now: dt.datetime | None = None,
) -> Store:
    """Open (creating or migrating as needed) the workspace at ``target``.

    ``target`` is a path, a SQLAlchemy URL or None for ``$VCIO_DESK_DB`` / the default
    file. Before any write the file is inspected read-only; an older schema is backed
    up beside the workspace and then migrated; a newer one is refused untouched.
    """
    location = resolve(target)
    if location.path is None:
        return _open_url(location, read_only)
    path = location.path
    state = inspect_file(path)
    _check_revision(state.revision, location.display)
    if read_only:
        if not state.exists:
            raise WorkspaceError(f"There is no workspace at {path} yet.")
        return Store(location, _sqlite_engine(path, True), True, state.revision)
    require_writable(path, state)
    ensure_unlocked(path)
    _secure_new_dir(path, location)
    backup: Path | None = None
    head = migrate.head_revision()
    if state.exists and state.revision != head:
        assert location.backup_dir is not None
        stamp = now or dt.datetime.now(dt.UTC)
        label = f"before-upgrade-from-{state.revision or 'empty'}"
        backup = online_backup(path, location.backup_dir / backup_file_name(label, stamp))
    engine = _sqlite_engine(path, False)
    try:
        if state.revision != head:
            with engine.begin() as connection:
                migrate.upgrade_to_head(connection)
        else:
            with engine.connect():  # applies the connect-time PRAGMAs (WAL) now
                pass
    except (OperationalError, SQLAlchemyError) as exc:
        engine.dispose()
        raise WorkspaceError(f"Could not prepare the workspace {path}: {exc.orig or exc}.") from exc
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.chmod(f"{path}{suffix}", 0o600)
    return Store(location, engine, False, head, migration_backup=backup)


def _server_url(raw: str) -> URL:
    """``postgresql://`` means psycopg 3 (the driver the ``postgresql`` extra installs),
    not SQLAlchemy's default psycopg2."""
    url = make_url(raw)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url


def _open_url(location: WorkspaceLocation, read_only: bool) -> Store:
    """A workspace on a database server (PostgreSQL): migrated in place, no file backups
    (the server's own, such as pg_dump, are the way). Read-only opens run every
    transaction READ ONLY on PostgreSQL, so the server refuses writes as SQLite does."""
    engine: Engine | None = None
    try:
        url = _server_url(location.url)
        on_postgresql = url.get_backend_name() == "postgresql"
        options = {"postgresql_readonly": True} if read_only and on_postgresql else {}
        engine = create_engine(
            url, pool_pre_ping=True, hide_parameters=True, execution_options=options
        )
        scrub_nul_characters(engine)
        with engine.connect() as connection:
            revision = migrate.current_revision(connection)
    except (SQLAlchemyError, ImportError, ValueError) as exc:  # ImportError: no driver
        if engine is not None:
            engine.dispose()
        detail = " ".join(str(getattr(exc, "orig", None) or exc).split())
        raise WorkspaceError(
            f"Cannot connect to the workspace {location.display}: {detail}."
        ) from exc
    try:
        _check_revision(revision, location.display)
        if not read_only and revision != migrate.head_revision():
            with engine.begin() as connection:  # one transaction: all of it or nothing
                migrate.upgrade_to_head(connection)
            revision = migrate.head_revision()
    except SQLAlchemyError as exc:
        engine.dispose()
        detail = " ".join(str(getattr(exc, "orig", None) or exc).split())
        raise WorkspaceError(
            f"Could not prepare the workspace {location.display}: {detail}."
        ) from exc
    except BaseException:
        engine.dispose()  # refused (newer schema): no connection is left open
        raise
    return Store(location, engine, read_only, revision)
