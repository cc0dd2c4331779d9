"""Why a write to the workspace failed, said in one sentence a person can act on.

The database drivers report a full disk, an I/O error, a file that became read-only
or a database another program keeps busy as low-level errors ("database or disk is
full", SQLSTATE 53100...). :meth:`Store.transaction` turns those into the
:class:`WorkspaceWriteError` family, so the CLI prints one line and the GUI shows one
message. Every one of them means the transaction was rolled back whole: nothing of
the change was saved, and what was saved before is intact.

Other driver errors (a constraint, a bug in a query) are not translated: they are
not the user's to fix, and the caller's own handling (or the log) should see them.
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError

from vcio_desk.domain.errors import WorkspaceDamagedError, WorkspaceError

__all__ = [
    "WorkspaceBusyError",
    "WorkspaceFullError",
    "WorkspaceIOError",
    "WorkspaceReadOnlyError",
    "WorkspaceWriteError",
    "write_failure",
]


class WorkspaceWriteError(WorkspaceError):
    """A change could not be saved; the transaction was rolled back whole."""


class WorkspaceFullError(WorkspaceWriteError):
    """The disk (or the database server's storage) is full."""


class WorkspaceIOError(WorkspaceWriteError):
    """The operating system could not read or write the workspace (a failing disk, a
    network share gone away, a file made immutable)."""


class WorkspaceReadOnlyError(WorkspaceWriteError):
    """The workspace (or the connection to it) no longer accepts writes."""


class WorkspaceBusyError(WorkspaceWriteError):
    """Another program kept the workspace busy for longer than we wait."""


# SQLite primary result codes (https://sqlite.org/rescode.html).
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 5, 6, 8
_SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = (
    10,
    11,
    13,
    14,
    26,
)

_SQLITE_KINDS: dict[int, str] = {
    _SQLITE_FULL: "full",
    _SQLITE_IOERR: "io",
    _SQLITE_CANTOPEN: "io",
    _SQLITE_READONLY: "read_only",
    _SQLITE_BUSY: "busy",
    _SQLITE_LOCKED: "busy",
    _SQLITE_CORRUPT: "damaged",
    _SQLITE_NOTADB: "damaged",
}

# The same, recognised by the message for drivers that do not carry the code.
_SQLITE_MESSAGES: tuple[tuple[str, str], ...] = (
    ("database or disk is full", "full"),
    ("disk i/o error", "io"),
    ("unable to open database file", "io"),
    ("attempt to write a readonly database", "read_only"),
    ("database is locked", "busy"),
    ("database table is locked", "busy"),
    ("database disk image is malformed", "damaged"),
    ("file is not a database", "damaged"),
)

# PostgreSQL SQLSTATEs (https://www.postgresql.org/docs/current/errcodes-appendix.html).
_SQLSTATES: dict[str, str] = {
    "53100": "full",  # disk_full
    "53000": "full",  # insufficient_resources
    "58030": "io",  # io_error
    "25006": "read_only",  # read_only_sql_transaction
    "55P03": "busy",  # lock_not_available
    "40P01": "busy",  # deadlock_detected
    "57014": "busy",  # query_canceled (statement or lock timeout)
    "XX001": "damaged",  # data_corrupted
    "XX002": "damaged",  # index_corrupted
}


def _kind(exc: DBAPIError) -> str | None:
    orig = exc.orig
    code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(code, int) and (code & 0xFF) in _SQLITE_KINDS:
        return _SQLITE_KINDS[code & 0xFF]
    sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if isinstance(sqlstate, str):
        return _SQLSTATES.get(sqlstate)
    text = str(orig).lower()
    for fragment, kind in _SQLITE_MESSAGES:
        if fragment in text:
            return kind
    return None


def _driver_words(exc: DBAPIError) -> str:
    """The driver's own short wording ("disk I/O error"), for support; one line."""
    words = " ".join(str(exc.orig).split())
    return words[:120].rstrip(".")


def _on_server(exc: DBAPIError) -> bool:
    orig = exc.orig
    return getattr(orig, "sqlite_errorcode", None) is None and bool(
        getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    )


def write_failure(
    exc: BaseException, display: str, *, read_only: bool = False
) -> WorkspaceError | None:
    """The user-facing error for a failed write to the workspace ``display``, or None
    when ``exc`` is not a storage failure (then the caller re-raises it unchanged).

    ``read_only``: the workspace was opened read-only on purpose, so a refused write
    says that rather than blaming the file's permissions.
    """
    if not isinstance(exc, DBAPIError):
        return None
    kind = _kind(exc)
    if kind is None:
        return None
    not_saved = "The change could not be saved"
    if kind == "read_only" and read_only:
        return WorkspaceReadOnlyError(
            f"{not_saved} because the workspace {display} is open read-only."
        )
    if kind == "busy":
        return WorkspaceBusyError(
            f"{not_saved} because another program kept the workspace {display} busy "
            f"({_driver_words(exc)}); try again in a moment."
        )
    if kind == "damaged":
        return WorkspaceDamagedError(
            f"{not_saved} because the workspace {display} is damaged "
            f"({_driver_words(exc)}); restore it from a backup."
        )
    if _on_server(exc):
        return _server_failure(kind, exc, display, not_saved)
    if kind == "full":
        return WorkspaceFullError(
            f"{not_saved} because the disk holding the workspace {display} is full; "
            "free some space and try again (what was saved before is intact)."
        )
    if kind == "io":
        return WorkspaceIOError(
            f"{not_saved} because the workspace {display} could not be written "
            f"({_driver_words(exc)}: the disk may be full, failing or disconnected); "
            "check it, then try again."
        )
    return WorkspaceReadOnlyError(
        f"{not_saved} because the workspace {display} has become read-only; "
        "check the permissions of the file and its folder, then reopen it."
    )


def _server_failure(kind: str, exc: DBAPIError, display: str, not_saved: str) -> WorkspaceError:
    """The same, for a workspace on a database server: its administrator can act on it."""
    if kind == "full":
        return WorkspaceFullError(
            f"{not_saved} because the database server of the workspace {display} is out of "
            "space; ask its administrator to free some, then try again."
        )
    if kind == "io":
        return WorkspaceIOError(
            f"{not_saved} because the database server of the workspace {display} could not "
            f"write it ({_driver_words(exc)}); ask its administrator, then try again."
        )
    return WorkspaceReadOnlyError(
        f"{not_saved} because the database server of the workspace {display} accepts no "
        "changes (it is read-only); ask its administrator."
    )
