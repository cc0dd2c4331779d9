"""``check_workspace``: how healthy a workspace is, read without changing a byte.

A workspace file is opened read-only (``read_only_uri``) and given SQLite's full
``integrity_check`` (every page, index and constraint), ``foreign_key_check``
(rows pointing at rows that are gone, summarised per table) and its schema revision
against this version's. A damaged file is what this is for: every step that fails
becomes a line of the report instead of an error. A workspace on a database server
is checked for what the app can see (connection and schema); the server looks after
the integrity of its own storage.
"""

from __future__ import annotations

import os
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from vcio_desk.domain.errors import WorkspaceError

from . import migrate
from .location import WorkspaceLocation
from .lock import lock_path_for, read_holder
from .sqlite_file import SQLITE_MAGIC, one_line, read_only_uri

MAX_IDS = 5
MAX_INTEGRITY_LINES = 5


@dataclass(frozen=True)
class CheckReport:
    target: str
    """What was checked: the file's path, or the URL without its password."""
    ok: bool
    lines: tuple[str, ...]
    """The readable report, one finding per line ("integrity: ok", ...)."""


def check_workspace(target: Path | WorkspaceLocation) -> CheckReport:
    """Check a workspace file (or, given a server location, a server workspace)."""
    if isinstance(target, WorkspaceLocation):
        if target.path is None:
            return _check_server(target)
        target = target.path
    return _check_file(Path(target))


def _check_file(path: Path) -> CheckReport:
    if path.is_dir():
        raise WorkspaceError(f"{path} is a folder, not a workspace file.")
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            header = handle.read(100)
    except FileNotFoundError:
        raise WorkspaceError(f"There is no workspace at {path}.") from None
    except OSError as exc:
        raise WorkspaceError(f"Cannot read {path}: {exc.strerror}.") from exc
    lines = [f"file: {_size(size)}"]
    if size == 0:
        lines.append("content: empty (a new workspace is made here when it is first opened)")
        return CheckReport(str(path), True, tuple(lines))
    if header[:16] != SQLITE_MAGIC:
        lines.append("content: not an SQLite database (or its first bytes are damaged)")
        return CheckReport(str(path), False, tuple(lines))
    lines.extend(_pending_and_open(path))
    try:
        connection = sqlite3.connect(read_only_uri(path), uri=True, timeout=5)
    except sqlite3.Error as exc:
        lines.append(f"integrity: cannot be opened ({exc})")
        return CheckReport(str(path), False, tuple(lines))
    try:
        healthy = True
        for name, step in (
            ("integrity", _integrity),
            ("foreign keys", _foreign_keys),
            ("schema", _schema),
        ):
            try:
                step_ok, found = step(connection)
            except sqlite3.DatabaseError as exc:
                step_ok, found = False, [f"{name}: the file is damaged ({exc})"]
            healthy = healthy and step_ok
            lines.extend(found)
    finally:
        connection.close()
    return CheckReport(str(path), healthy, tuple(lines))


def _size(size: int) -> str:
    if size < 1_000_000:
        return f"{size:,} bytes"
    return f"{size / 1_000_000:.1f} MB"


def _pending_and_open(path: Path) -> list[str]:
    lines = []
    holder = read_holder(lock_path_for(path))
    if holder is not None:
        lines.append(
            f"in use: open in vcio_desk (process {holder.pid}); the check reads what is committed"
        )
    try:
        wal = os.stat(f"{path}-wal").st_size
    except OSError:
        wal = 0
    if wal and holder is None:
        lines.append(
            f"log: {_size(wal)} of changes not yet moved into the file (they are checked with it)"
        )
    return lines


def _integrity(connection: sqlite3.Connection) -> tuple[bool, list[str]]:
    rows = [str(row[0]) for row in connection.execute("PRAGMA integrity_check")]
    if rows == ["ok"]:
        return True, ["integrity: ok"]
    problems = [one_line(row) for row in rows if one_line(row)]
    more = "" if len(rows) < 100 else " or more"
    lines = [f"integrity: {len(problems)}{more} problem{'s' if len(problems) != 1 else ''} found"]
    lines.extend(f"  {problem}" for problem in problems[:MAX_INTEGRITY_LINES])
    if len(problems) > MAX_INTEGRITY_LINES:
        lines.append(f"  ... and {len(problems) - MAX_INTEGRITY_LINES} more")
    return False, lines


def _foreign_keys(connection: sqlite3.Connection) -> tuple[bool, list[str]]:
    groups: dict[tuple[str, str, int], list[int | None]] = defaultdict(list)
    for table, rowid, parent, fkid in connection.execute("PRAGMA foreign_key_check"):
        groups[(table, parent, fkid)].append(rowid)
    if not groups:
        return True, ["foreign keys: ok"]
    lines = []
    for (table, parent, fkid), rowids in sorted(groups.items()):
        column = _fk_column(connection, table, fkid)
        ids = [str(rowid) for rowid in sorted(r for r in rowids if r is not None)]
        shown = ", ".join(ids[:MAX_IDS]) + (", ..." if len(ids) > MAX_IDS else "")
        count = len(rowids)
        through = f" through {column}" if column else ""
        lines.append(
            f"foreign keys: {count} row{'s' if count != 1 else ''} in {table} "
            f"point{'s' if count == 1 else ''} at a missing {parent} row{through}"
            + (f" (id{'s' if len(ids) != 1 else ''} {shown})" if ids else "")
        )
    return False, lines


def _fk_column(connection: sqlite3.Connection, table: str, fkid: int) -> str:
    quoted = '"' + table.replace('"', '""') + '"'
    columns = [
        str(row[3])
        for row in connection.execute(f"PRAGMA foreign_key_list({quoted})")
        if row[0] == fkid
    ]
    return ", ".join(columns)


def _schema(connection: sqlite3.Connection) -> tuple[bool, list[str]]:
    tables = {
        row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
    }
    if "alembic_version" not in tables:
        if not tables:
            return True, ["schema: empty (a new workspace is made here when it is first opened)"]
        return False, ["schema: not a vcio_desk workspace (it has no schema revision)"]
    row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return _revision_line(row[0] if row else None)


def _revision_line(revision: str | None) -> tuple[bool, list[str]]:
    head = migrate.head_revision()
    if revision is None:
        return True, [f"schema: empty (upgraded to {head} when first opened for writing)"]
    if revision == head:
        return True, [f"schema: {revision} (current)"]
    if revision in migrate.known_revisions():
        return True, [
            f"schema: {revision} (older; this version upgrades it to {head} when it is "
            "opened for writing, after a backup)"
        ]
    return False, [
        f"schema: {revision} is newer than this version of vcio_desk knows (up to {head}); "
        "update vcio_desk to use this workspace"
    ]


def _check_server(location: WorkspaceLocation) -> CheckReport:
    from sqlalchemy import create_engine, make_url
    from sqlalchemy.exc import SQLAlchemyError
    from sqlalchemy.pool import NullPool

    display = location.display
    try:
        url = make_url(location.url)
        if url.drivername in ("postgresql", "postgres"):
            url = url.set(drivername="postgresql+psycopg")
        engine = create_engine(url, poolclass=NullPool, hide_parameters=True)
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        raise WorkspaceError(f"Cannot check {display}: {exc}.") from exc
    try:
        with engine.connect() as connection:
            server = connection.dialect.name
            version = connection.dialect.server_version_info or ()
            revision = migrate.current_revision(connection)
    except (SQLAlchemyError, ImportError) as exc:
        detail = " ".join(str(getattr(exc, "orig", None) or exc).split())
        raise WorkspaceError(f"Cannot connect to the workspace {display}: {detail}.") from exc
    finally:
        engine.dispose()
    number = ".".join(str(part) for part in version)
    ok, schema = _revision_line(revision)
    lines = [
        f"connection: ok ({server} {number})".replace(" )", ")"),
        "integrity: looked after by the database server (use its own checks, "
        "e.g. pg_amcheck, and its backups, e.g. pg_dump)",
        *schema,
    ]
    return CheckReport(display, ok, tuple(lines))
