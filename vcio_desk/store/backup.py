"""Online backups of a SQLite workspace: copied page by page, verified, then moved into place."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from pathlib import Path

from vcio_desk.domain.errors import WorkspaceError

from .sqlite_file import read_only_uri


def backup_file_name(label: str, when: dt.datetime) -> str:
    return f"workspace-{when.strftime('%Y%m%d-%H%M%S')}-{label}.sqlite3"


def online_backup(source: Path, dest: Path) -> Path:
    """Copy ``source`` to ``dest`` with SQLite's backup API; the copy must pass integrity_check.

    The copy is written to a temporary name beside ``dest`` and renamed only once
    verified, so a failure never leaves a half-written backup behind.
    """
    partial = dest.with_name(dest.name + ".partial")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        src = sqlite3.connect(read_only_uri(source), uri=True)
        try:
            out = sqlite3.connect(partial)
            try:
                src.backup(out)
                verdict = out.execute("PRAGMA integrity_check").fetchone()[0]
                out.execute("PRAGMA journal_mode=DELETE")
            finally:
                out.close()
        finally:
            src.close()
        if verdict != "ok":
            partial.unlink()
            raise WorkspaceError(f"The backup copy of {source} failed its integrity check.")
        os.chmod(partial, 0o600)
        os.replace(partial, dest)
    except (sqlite3.Error, OSError) as exc:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise WorkspaceError(f"Could not back up {source} to {dest.parent}: {exc}.") from exc
    return dest
