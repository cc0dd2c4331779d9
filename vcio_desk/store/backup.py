"""Backup files of a SQLite workspace: made online and verified, listed, checked before use.

A backup is written page by page through SQLite's backup API (never a copy of the
live file), checked with ``PRAGMA integrity_check`` and only then renamed into
place, so a backup that exists is whole. Its name carries the time (UTC) and why it
was taken: ``workspace-YYYYmmdd-HHMMSS-<label>.sqlite3``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from vcio_desk.domain.errors import WorkspaceError

from . import migrate
from .sqlite_file import SQLITE_MAGIC, one_line, read_only_uri, tables_and_revision

_NAME = re.compile(r"^workspace-(\d{8}-\d{6})-([a-z0-9][a-z0-9-]*)\.sqlite3$")
_LABEL = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_NUMBERED = re.compile(r"^(auto|manual|before-restore|before-workspace-import)-(\d{1,4})$")
"""A second backup with the same label in the same second gets ``-2``, ``-3``... appended."""


@dataclass(frozen=True)
class BackupInfo:
    """One backup file, as its name and size describe it (nothing is opened)."""

    path: Path
    taken_at: dt.datetime
    """Aware, UTC, to the second (from the file name)."""
    label: str
    """Why it was taken: "auto", "manual", "before-restore", "before-upgrade-from-0002"..."""
    size_bytes: int


def backup_file_name(label: str, when: dt.datetime) -> str:
    """``workspace-YYYYmmdd-HHMMSS-<label>.sqlite3``; names sort by time (UTC)."""
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC)
    return f"workspace-{when.strftime('%Y%m%d-%H%M%S')}-{label}.sqlite3"


def new_backup_path(backup_dir: Path, label: str, when: dt.datetime) -> Path:
    """A path in ``backup_dir`` for a new backup that does not overwrite an existing one."""
    if not _LABEL.match(label):
        raise ValueError(f"not a backup label: {label!r}")
    name = backup_file_name(label, when)
    dest, number = backup_dir / name, 1
    while dest.exists():
        number += 1
        dest = backup_dir / name.replace(".sqlite3", f"-{number}.sqlite3")
    return dest


def parse_backup_name(name: str) -> tuple[dt.datetime, str] | None:
    """``(taken_at, label)`` for a backup file name, None for any other name."""
    match = _NAME.match(name)
    if match is None:
        return None
    stamp = match.group(1)  # int slices: strptime costs more than all else when listing
    try:
        taken = dt.datetime(
            int(stamp[0:4]),
            int(stamp[4:6]),
            int(stamp[6:8]),
            int(stamp[9:11]),
            int(stamp[11:13]),
            int(stamp[13:15]),
            tzinfo=dt.UTC,
        )
    except ValueError:
        return None
    label = match.group(2)
    numbered = _NUMBERED.match(label)
    return taken, numbered.group(1) if numbered else label


def list_backup_files(backup_dir: Path) -> list[BackupInfo]:
    """The backups in ``backup_dir``, newest first; unfinished (``.partial``) and foreign
    files are left out, as is a missing folder (no backups yet)."""
    found: list[BackupInfo] = []
    try:
        entries = list(os.scandir(backup_dir))
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError as exc:
        raise WorkspaceError(f"Cannot list the backups in {backup_dir}: {exc.strerror}.") from exc
    for entry in entries:
        parsed = parse_backup_name(entry.name)
        if parsed is None:
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            size = entry.stat(follow_symlinks=False).st_size
        except OSError:  # removed meanwhile (thinned by another process)
            continue
        found.append(BackupInfo(Path(entry.path), parsed[0], parsed[1], size))
    found.sort(key=lambda info: (info.taken_at, info.path.name), reverse=True)
    return found


def online_backup(source: Path, dest: Path) -> Path:
    """Copy ``source`` to ``dest`` with SQLite's backup API; the copy must pass integrity_check.

    The copy is written to a temporary name beside ``dest`` and renamed only once
    verified, so a failure never leaves a half-written backup behind.
    """
    partial = dest.with_name(dest.name + ".partial")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # Owner-only from the first byte: SQLite would create it with the umask.
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
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
        _fsync(partial)
        os.replace(partial, dest)
    except (sqlite3.Error, OSError) as exc:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise WorkspaceError(f"Could not back up {source} to {dest.parent}: {exc}.") from exc
    return dest


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def damage_of(path: Path) -> str | None:
    """Why ``path`` is not a whole SQLite database (header, full integrity_check), or None."""
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_MAGIC))
    except IsADirectoryError:
        return f"{path} is a folder, not a file."
    except FileNotFoundError:
        return f"There is no file {path}."
    except OSError as exc:
        return f"Cannot read {path}: {exc.strerror}."
    if header != SQLITE_MAGIC:
        return f"{path} is not an SQLite database (or its header is damaged)."
    try:
        connection = sqlite3.connect(read_only_uri(path), uri=True, timeout=5)
        try:
            rows = connection.execute("PRAGMA integrity_check").fetchall()
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        return f"{path} cannot be read ({exc}); it is damaged."
    if [tuple(row) for row in rows] != [("ok",)]:
        detail = one_line(" ".join(str(row[0]) for row in rows[:3]))
        return f"{path} is damaged ({detail})."
    return None


def schema_revision_of(path: Path) -> tuple[bool, str | None]:
    """``(is_workspace, revision)`` of a readable SQLite file, read-only."""
    connection = sqlite3.connect(read_only_uri(path), uri=True, timeout=5)
    try:
        tables, revision = tables_and_revision(connection)
    finally:
        connection.close()
    return "alembic_version" in tables, revision


def verify_backup(path: Path) -> str | None:
    """None when ``path`` can be restored (SQLite, integrity ok, a schema this version
    knows); otherwise one sentence saying why not. The file is only read."""
    damage = damage_of(path)
    if damage is not None:
        return damage
    try:
        is_workspace, revision = schema_revision_of(path)
    except sqlite3.DatabaseError as exc:
        return f"{path} cannot be read ({exc}); it is damaged."
    if not is_workspace or revision is None:
        return f"{path} is an SQLite database but not a vcio_desk workspace."
    if revision not in migrate.known_revisions():
        return (
            f"{path} was written by a newer version of vcio_desk (schema {revision}); "
            "update vcio_desk to use it."
        )
    return None
