"""Read-only inspection of a SQLite workspace file before anything writes to it.

Every check here opens the file with ``mode=ro`` so that a damaged, foreign,
newer or locked file is reported without being modified.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from vcio_desk.domain.errors import WorkspaceDamagedError, WorkspaceError

SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True)
class FileState:
    exists: bool
    """False for a missing or zero-length file: a new workspace will be created."""
    revision: str | None
    writable: bool


def read_only_uri(path: Path) -> str:
    """An SQLite URI that reads ``path`` without creating or changing anything beside it.

    The path is percent-encoded: '#', '?' and '%' are URI syntax, not part of a file name.
    A read-only connection to a WAL database creates ``-wal``/``-shm`` files (and fails
    in a read-only folder) unless it is opened ``immutable``. That is safe when there
    is no ``-wal`` file: no connection has the database open, so it is all in the file.
    """
    params = "mode=ro"
    try:
        with path.open("rb") as handle:
            header = handle.read(20)
    except OSError:
        header = b""
    if header[18:20] == b"\x02\x02" and not Path(f"{path}-wal").exists():
        params += "&immutable=1"
    return f"{path.absolute().as_uri()}?{params}"  # as_uri percent-encodes, also on Windows


def one_line(verdict: str) -> str:
    """SQLite's integrity verdict spans lines ("*** in database main ***\\nPage 3: ..."): one."""
    return " ".join(verdict.replace("*** in database main ***", " ").split())


def tables_and_revision(connection: sqlite3.Connection) -> tuple[frozenset[str], str | None]:
    """The file's table names and its schema revision (None without ``alembic_version``)."""
    tables = frozenset(
        row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
    )
    if "alembic_version" not in tables:
        return tables, None
    row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return tables, row[0] if row else None


def _read_only_connection(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(read_only_uri(path), uri=True, timeout=5)


def inspect_file(path: Path) -> FileState:
    """Report what is at ``path`` or raise a WorkspaceError that says why it cannot be used."""
    if path.is_dir():
        raise WorkspaceError(f"{path} is a folder, not a workspace file. Give the path of a file.")
    if not path.exists():
        if path.parent.exists() and not os.access(path.parent, os.W_OK | os.X_OK):
            raise WorkspaceError(
                f"Cannot create a workspace in {path.parent}: the folder is not writable."
            )
        return FileState(exists=False, revision=None, writable=True)
    if not os.access(path, os.R_OK):
        raise WorkspaceError(f"Cannot read {path}: permission denied.")
    writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)
    if path.stat().st_size == 0:
        return FileState(exists=False, revision=None, writable=writable)
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_MAGIC))
    if header != SQLITE_MAGIC:
        raise WorkspaceDamagedError(
            f"{path} is not a vcio_desk workspace: it is not an SQLite database "
            "(or its header is damaged)."
        )
    try:
        connection = _read_only_connection(path)
        try:
            verdict = connection.execute("PRAGMA quick_check").fetchone()[0]
            if verdict != "ok":
                raise WorkspaceDamagedError(
                    f"{path} is damaged ({one_line(verdict)}). Restore it from a backup."
                )
            tables, revision = tables_and_revision(connection)
            if tables and "alembic_version" not in tables:
                raise WorkspaceError(f"{path} is an SQLite database but not a vcio_desk workspace.")
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise WorkspaceDamagedError(
            f"{path} cannot be read as a workspace ({exc}). It may be damaged; "
            "restore it from a backup."
        ) from exc
    return FileState(exists=True, revision=revision, writable=writable)


def require_writable(path: Path, state: FileState) -> None:
    """Refuse, before anything is written, a workspace that cannot be written."""
    if state.exists and not state.writable:
        raise WorkspaceError(
            f"The workspace {path} is read-only; vcio_desk needs to write to it. "
            "Check the permissions of the file and its folder."
        )
