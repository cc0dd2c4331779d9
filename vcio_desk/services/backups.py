"""Backups of a SQLite-file workspace: the policy, taking them, thinning them, restoring one.

Backups live in ``<workspace folder>/backups/`` (see ``store.backup``). Automatic
backups are taken at most every ``interval_hours`` and only when the workspace
changed since the last backup. They are thinned like restic's ``forget
--keep-daily/--keep-weekly/--keep-monthly``, after keeping one per hour for the last
24 hours (else an hourly backup would last only until the next one). Safety backups
(``before-*``, taken before an upgrade, an import or a restore) keep their newest
ten; backups a person asked for (``manual``) are never deleted automatically.

"Changed since the last backup" is a fingerprint of the workspace file and its
write-ahead log (size, modification time in ns, inode, the log's salts), recorded
in ``backups/last-backup.json`` just before each backup is copied. Comparing
fingerprints for equality needs no clock, so a clock that moves (or a test's fake
one) cannot hide a change; a fingerprint taken before the copy errs on the side of
one backup too many, never one too few.

A PostgreSQL workspace is backed up by its server (pg_dump): every function here
refuses it with a sentence saying so.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import secrets
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from vcio_desk.atomic import sync_folder
from vcio_desk.domain.errors import ValidationError, WorkspaceError
from vcio_desk.store import Store, WorkspaceLocation
from vcio_desk.store.backup import (
    BackupInfo,
    damage_of,
    list_backup_files,
    new_backup_path,
    online_backup,
    parse_backup_name,
    verify_backup,
)
from vcio_desk.store.lock import ensure_unlocked
from vcio_desk.store.models import Setting

from .settings import write_setting

__all__ = [
    "POLICY_KEY",
    "BackupInfo",
    "BackupPolicy",
    "RestoreReport",
    "auto_backup_if_due",
    "back_up_now",
    "latest_good_backup",
    "list_backups",
    "read_policy",
    "require_file_workspace",
    "restore_backup",
    "save_policy",
    "thin_backups",
    "workspace_changed",
]

log = logging.getLogger(__name__)

POLICY_KEY = "backups.policy"
STATE_FILE = "last-backup.json"
SAFETY_KEEP = 10
RECENT = dt.timedelta(hours=24)
"""Automatic backups this recent are kept one per hour, whatever the daily rule says."""
MAX_INTERVAL_HOURS = 24 * 7
MIN_INTERVAL_HOURS = 0.25
LIMITS = {"keep_daily": 366, "keep_weekly": 520, "keep_monthly": 240}


@dataclass(frozen=True)
class BackupPolicy:
    interval_hours: float = 1.0
    """Automatic backup at most this often, and only when the data changed; 0 = off."""
    keep_daily: int = 7
    keep_weekly: int = 4
    keep_monthly: int = 12


@dataclass(frozen=True)
class RestoreReport:
    restored_from: Path
    safety_copy: Path | None
    """The ``before-restore`` backup, or the kept ``.damaged-…`` file; None if there was none."""
    seconds: float
    safety_is_damaged_file: bool = False


# -- where ------------------------------------------------------------------------------------


def require_file_workspace(location: WorkspaceLocation) -> tuple[Path, Path]:
    """The workspace file and its backup folder; a server workspace is refused."""
    if location.path is None or location.backup_dir is None:
        raise WorkspaceError(
            f"The workspace {location.display} is on a database server: back it up with the "
            "server's own tools (for PostgreSQL, pg_dump); vcio_desk backs up workspace files."
        )
    return location.path, location.backup_dir


def _now(now: dt.datetime | None) -> dt.datetime:
    when = now or dt.datetime.now(dt.UTC)
    if when.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    return when.astimezone(dt.UTC).replace(microsecond=0)


# -- policy -----------------------------------------------------------------------------------


def read_policy(store: Store) -> BackupPolicy:
    """The workspace's policy; defaults for anything missing or unreadable."""
    require_file_workspace(store.location)
    with store.session() as session:
        raw = session.scalar(select(Setting.value).where(Setting.key == POLICY_KEY))
    default = BackupPolicy()
    if not isinstance(raw, dict):
        return default
    values: dict[str, Any] = {}
    interval = raw.get("interval_hours")
    if _is_number(interval) and (
        interval == 0 or MIN_INTERVAL_HOURS <= interval <= MAX_INTERVAL_HOURS
    ):
        values["interval_hours"] = float(interval)
    for name, limit in LIMITS.items():
        value = raw.get(name)
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= limit:
            values[name] = value
    return BackupPolicy(**{**asdict(default), **values})


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def validate_policy(policy: BackupPolicy) -> BackupPolicy:
    """The policy if every value is in range; a ValidationError saying which is not."""
    interval = policy.interval_hours
    if not _is_number(interval) or not (
        interval == 0 or MIN_INTERVAL_HOURS <= interval <= MAX_INTERVAL_HOURS
    ):
        raise ValidationError(
            "Automatic backups run at most every 15 minutes and at least once a week "
            f"(0.25 to {MAX_INTERVAL_HOURS} hours), or 0 to turn them off."
        )
    words = {"keep_daily": "daily", "keep_weekly": "weekly", "keep_monthly": "monthly"}
    for name, limit in LIMITS.items():
        value = getattr(policy, name)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= limit:
            raise ValidationError(
                f"The number of {words[name]} backups to keep must be a whole number "
                f"from 0 to {limit}."
            )
    return BackupPolicy(float(interval), policy.keep_daily, policy.keep_weekly, policy.keep_monthly)


def save_policy(store: Store, policy: BackupPolicy) -> None:
    """Validate, then store the policy as the ``backups.policy`` workspace setting."""
    require_file_workspace(store.location)
    write_setting(store, POLICY_KEY, asdict(validate_policy(policy)))


# -- taking backups ---------------------------------------------------------------------------


def list_backups(store: Store) -> list[BackupInfo]:
    """Every backup of the workspace, newest first."""
    _path, backup_dir = require_file_workspace(store.location)
    return list_backup_files(backup_dir)


def back_up_now(
    store: Store,
    dest: Path | None = None,
    *,
    label: str = "manual",
    now: dt.datetime | None = None,
) -> BackupInfo:
    """Take a verified backup now.

    ``dest``: None for the backups folder, a folder (the file is named as in the backups
    folder) or a new file's path. An existing file is never overwritten.
    """
    path, backup_dir = require_file_workspace(store.location)
    when = _now(now)
    target = _destination(path, backup_dir, dest, label, when)
    fingerprint = workspace_fingerprint(path)
    online_backup(path, target)
    if target.parent == backup_dir:
        _write_state(backup_dir, target.name, fingerprint)
    return BackupInfo(target, when, label, target.stat().st_size)


def _destination(
    path: Path, backup_dir: Path, dest: Path | None, label: str, when: dt.datetime
) -> Path:
    if dest is None:
        return new_backup_path(backup_dir, label, when)
    dest = Path(os.path.abspath(dest.expanduser()))
    if dest.is_dir() or (not dest.exists() and not dest.suffix):
        return new_backup_path(dest, label, when)
    if dest.resolve() == path.resolve():
        raise WorkspaceError(f"{dest} is the workspace itself; give another file or a folder.")
    if dest.exists() or Path(f"{dest}.partial").exists():
        raise WorkspaceError(
            f"{dest} already exists; give a new file name or a folder (nothing was overwritten)."
        )
    return dest


def auto_backup_if_due(store: Store, *, now: dt.datetime | None = None) -> BackupInfo | None:
    """An ``auto`` backup when one is due, then thinning; None when not due.

    Due: the policy's interval is not 0, at least that long has passed since the
    newest ``auto`` backup (ones dated after ``now``, from a clock set back, do not
    count), and the workspace changed since the last backup. A read-only store never
    takes one: the process that writes the workspace does.
    """
    _path, backup_dir = require_file_workspace(store.location)
    if store.read_only:
        return None
    policy = read_policy(store)
    if policy.interval_hours <= 0:
        return None
    when = _now(now)
    autos = [
        info
        for info in list_backup_files(backup_dir)
        if info.label == "auto" and info.taken_at <= when
    ]
    if autos and when - autos[0].taken_at < dt.timedelta(hours=policy.interval_hours):
        return None
    if not workspace_changed(store.location):
        return None
    info = back_up_now(store, label="auto", now=when)
    try:
        _thin(backup_dir, policy, when)
    except WorkspaceError as exc:  # the backup is made; an old one is left for next time
        log.warning("thinning the backups failed: %s", exc.user_message)
    return info


def workspace_changed(location: WorkspaceLocation) -> bool:
    """True unless the workspace is exactly as when the last backup was copied from it."""
    path, backup_dir = require_file_workspace(location)
    try:
        state = json.loads((backup_dir / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return True
    if not isinstance(state, dict) or not (backup_dir / str(state.get("backup"))).is_file():
        return True
    return state.get("fingerprint") != workspace_fingerprint(path)


def workspace_fingerprint(path: Path) -> dict[str, Any]:
    """What changes whenever a transaction is committed to the file or its log.

    Commits in WAL mode append to ``-wal`` (size, mtime; the salts change when the log
    restarts); checkpoints and non-WAL commits write the file (mtime). An empty or
    missing log means nothing is pending: both look the same, so merely opening the
    workspace (which creates an empty log) is not a change.
    """
    main = path.stat()
    fingerprint: dict[str, Any] = {
        "size": main.st_size,
        "mtime_ns": main.st_mtime_ns,
        "inode": main.st_ino,
        "wal": None,
    }
    wal = Path(f"{path}-wal")
    with contextlib.suppress(OSError):
        stat = wal.stat()
        if stat.st_size:
            with wal.open("rb") as handle:
                header = handle.read(32)
            fingerprint["wal"] = [stat.st_size, stat.st_mtime_ns, stat.st_ino, header[16:24].hex()]
    return fingerprint


def _write_state(backup_dir: Path, name: str, fingerprint: dict[str, Any]) -> None:
    """Record what was backed up; a failure only means one backup too many later."""
    state = backup_dir / STATE_FILE
    partial = state.with_name(state.name + ".partial")
    with contextlib.suppress(OSError):
        partial.write_text(json.dumps({"backup": name, "fingerprint": fingerprint}), "utf-8")
        os.chmod(partial, 0o600)
        os.replace(partial, state)


# -- thinning ---------------------------------------------------------------------------------


def thin_backups(store: Store, *, now: dt.datetime | None = None) -> list[Path]:
    """Delete the backups the policy no longer keeps; returns the deleted files."""
    _path, backup_dir = require_file_workspace(store.location)
    return _thin(backup_dir, read_policy(store), _now(now))


def backups_to_delete(
    backups: list[BackupInfo], policy: BackupPolicy, now: dt.datetime
) -> list[BackupInfo]:
    """Which backups thinning deletes (pure: nothing is touched).

    ``auto``: the newest of each hour of the last 24 hours (so that a mistake made this
    morning can be undone from the backup before it), and the newest of each of the last
    ``keep_daily`` days, ``keep_weekly`` ISO weeks and ``keep_monthly`` months that have
    backups (UTC), like restic's ``--keep-daily`` etc.; the newest auto backup always
    stays, as does any dated after ``now``. ``before-*``: the newest ten stay. Anything
    else (``manual``, unknown labels) is never deleted.
    """
    ordered = sorted(backups, key=lambda info: (info.taken_at, info.path.name), reverse=True)
    autos = [info for info in ordered if info.label == "auto"]
    keep: set[Path] = {info.path for info in autos[:1]}
    keep.update(info.path for info in autos if info.taken_at > now)
    recent = [info for info in autos if now - RECENT < info.taken_at <= now]
    rules: list[tuple[int, Callable[[dt.datetime], object]]] = [
        (len(recent), lambda t: (t.date(), t.hour)),
        (policy.keep_daily, lambda t: t.date()),
        (policy.keep_weekly, lambda t: t.isocalendar()[:2]),
        (policy.keep_monthly, lambda t: (t.year, t.month)),
    ]
    for (count, bucket_of), candidates in zip(rules, [recent, autos, autos, autos], strict=True):
        last: object = None
        for info in candidates:
            if count <= 0:
                break
            bucket = bucket_of(info.taken_at)
            if bucket != last:
                keep.add(info.path)
                last = bucket
                count -= 1
    safety = [info for info in ordered if info.label.startswith("before-")]
    keep.update(info.path for info in safety[:SAFETY_KEEP])
    doomed = autos + safety[SAFETY_KEEP:]
    return [info for info in doomed if info.path not in keep]


def _thin(backup_dir: Path, policy: BackupPolicy, now: dt.datetime) -> list[Path]:
    deleted = []
    for info in backups_to_delete(list_backup_files(backup_dir), policy, now):
        try:
            info.path.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise WorkspaceError(
                f"Could not delete the old backup {info.path}: {exc.strerror}."
            ) from exc
        deleted.append(info.path)
    return deleted


# -- restoring --------------------------------------------------------------------------------


def latest_good_backup(location: WorkspaceLocation) -> BackupInfo | None:
    """The newest backup that passes ``verify_backup`` (to offer for a damaged workspace)."""
    _path, backup_dir = require_file_workspace(location)
    for info in list_backup_files(backup_dir):
        if verify_backup(info.path) is None:
            return info
    return None


def restore_backup(
    location: WorkspaceLocation, source: Path, *, now: dt.datetime | None = None
) -> RestoreReport:
    """Make ``source`` (a backup) the workspace's content.

    The caller holds the workspace lock and has no Store open on it. ``source`` is
    verified first; if it cannot be used nothing is changed. The current workspace is
    saved first: as a ``before-restore`` backup, or, if it is damaged, as a copy named
    ``<name>.damaged-YYYYmmdd-HHMMSS`` beside it. The backup is then copied to a
    temporary file beside the workspace, synced to disk and renamed over it, so the
    workspace is at every moment either the old file or the new one, never half.
    """
    started = time.perf_counter()
    path, backup_dir = require_file_workspace(location)
    if path.is_dir():
        raise WorkspaceError(f"{path} is a folder, not a workspace file; nothing was restored.")
    ensure_unlocked(path)  # another process's lock (the caller's own lock is not counted)
    when = _now(now)
    source = Path(os.path.abspath(source.expanduser()))
    if source.exists() and path.exists() and source.samefile(path):
        raise WorkspaceError(f"{source} is the workspace itself; choose a backup to restore.")
    problem = verify_backup(source)
    if problem is not None:
        raise WorkspaceError(f"{problem} Nothing was restored; the workspace was not changed.")
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise WorkspaceError(
            f"Cannot restore into {folder}: the folder is not writable. The workspace was "
            "not changed."
        )
    safety, damaged = _save_current(path, backup_dir, when)
    temp = _copy_beside(source, path)
    try:
        for suffix in ("-wal", "-shm", "-journal"):
            # The old file's log would be replayed onto the restored file: it must go first.
            with contextlib.suppress(FileNotFoundError):
                os.remove(f"{path}{suffix}")
        os.replace(temp, path)
        sync_folder(folder)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise WorkspaceError(f"Could not restore {path}: {exc.strerror or exc}.") from exc
    return RestoreReport(source, safety, time.perf_counter() - started, damaged)


def _save_current(path: Path, backup_dir: Path, when: dt.datetime) -> tuple[Path | None, bool]:
    """Back up the workspace about to be replaced; keep a damaged one as it is."""
    try:
        if path.stat().st_size == 0:
            return None, False
    except FileNotFoundError:
        return None, False
    except OSError as exc:
        raise WorkspaceError(f"Cannot read {path}: {exc.strerror}. Nothing was restored.") from exc
    try:
        return online_backup(path, new_backup_path(backup_dir, "before-restore", when)), False
    except WorkspaceError as exc:
        if damage_of(path) is None:
            raise WorkspaceError(
                f"{exc.user_message} The current workspace could not be saved first, so "
                "nothing was restored."
            ) from exc
    kept = path.with_name(f"{path.name}.damaged-{when:%Y%m%d-%H%M%S}")
    number = 1
    while kept.exists():
        number += 1
        kept = path.with_name(f"{path.name}.damaged-{when:%Y%m%d-%H%M%S}-{number}")
    try:
        shutil.copy2(path, kept)
        with contextlib.suppress(FileNotFoundError):
            shutil.copy2(f"{path}-wal", f"{kept}-wal")  # it may hold the last commits
        os.chmod(kept, 0o600)
    except OSError as exc:
        with contextlib.suppress(OSError):
            kept.unlink()
        raise WorkspaceError(
            f"Could not keep a copy of the damaged workspace ({exc.strerror}); nothing was "
            "restored."
        ) from exc
    return kept, True


def _copy_beside(source: Path, path: Path) -> Path:
    """``source`` copied and verified (``online_backup``) to a temporary file beside ``path``."""
    temp = path.with_name(f".{path.name}.restoring-{secrets.token_hex(4)}")
    try:
        return online_backup(source, temp)
    except WorkspaceError as exc:
        raise WorkspaceError(
            f"{exc.user_message.rstrip('.')}; the backup was not copied into place and the "
            "workspace was not changed."
        ) from exc


def backup_taken_at(path: Path) -> dt.datetime | None:
    """When a backup file was taken, from its name (None for other names)."""
    parsed = parse_backup_name(path.name)
    return parsed[0] if parsed else None
