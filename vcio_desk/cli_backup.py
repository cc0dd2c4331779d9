"""``vcio-desk check``, ``backup [DEST]`` and ``restore SRC``: a workspace file's safety net.

Kept apart from ``cli.py`` (which registers them); heavy imports wait for the command.
"""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vcio_desk.services.backups import BackupInfo
    from vcio_desk.store import WorkspaceLocation

CHECK_PROBLEMS_EXIT = 4
"""``check`` found problems (1-3 are the usual errors: 3 means it could not check at all)."""

CHECK_EPILOG = (
    "Reads the workspace without changing it, also while the app has it open, and also when "
    "it is damaged. Exit codes: 0 healthy; 4 problems found (see the report); 3 the "
    "workspace could not be checked (no such file, no connection)."
)
BACKUP_EPILOG = (
    "Without DEST the backup goes to the backups folder beside the workspace, where the "
    "app keeps its automatic backups. DEST may be a folder (the backup keeps its usual "
    "name there) or a new file name. Safe while the app is running; the copy is checked "
    "before it counts."
)
RESTORE_EPILOG = (
    "SRC is a backup file (a path, or just its name in the backups folder). It is checked "
    "first; a damaged backup, or one from a newer version, is refused and nothing changes. "
    "The current workspace is saved first as a 'before-restore' backup (or, if it is "
    "damaged, kept beside it as NAME.damaged-DATE). Close the app before restoring."
)


def add_backup_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``check``, ``backup`` and ``restore``."""
    check = commands.add_parser(
        "check",
        help="check the workspace's integrity, references and schema (read-only)",
        description="Check the workspace: SQLite's full integrity check, rows that point at "
        "missing rows, and the schema revision.",
        epilog=CHECK_EPILOG,
    )
    check.set_defaults(handler=cmd_check)

    backup = commands.add_parser(
        "backup",
        help="take a verified backup of the workspace now",
        description="Take a verified backup of the workspace file.",
        epilog=BACKUP_EPILOG,
    )
    backup.add_argument("dest", nargs="?", type=Path, metavar="DEST", help="a folder or new file")
    backup.add_argument(
        "--list", action="store_true", help="list the backups in the backups folder instead"
    )
    backup.set_defaults(handler=cmd_backup)

    restore = commands.add_parser(
        "restore",
        help="replace the workspace with a backup (the current one is saved first)",
        description="Replace the workspace file with a backup.",
        epilog=RESTORE_EPILOG,
    )
    restore.add_argument("source", type=Path, metavar="SRC", help="the backup file")
    restore.set_defaults(handler=cmd_restore)


def cmd_check(options: argparse.Namespace) -> int:
    from vcio_desk.store import resolve
    from vcio_desk.store.check import check_workspace

    report = check_workspace(resolve(options.db))
    print(f"workspace: {report.target}")
    for line in report.lines:
        print(line)
    if report.ok:
        print("result: ok")
        return 0
    print("result: problems found", end="")
    print(_restore_advice(options.db) or ".")
    return CHECK_PROBLEMS_EXIT


def _restore_advice(db: str | None) -> str:
    try:
        from vcio_desk.services.backups import latest_good_backup
        from vcio_desk.store import resolve

        good = latest_good_backup(resolve(db))
    except Exception:  # advice only: never let it hide the report
        return ""
    if good is None:
        return ""
    return f"; {_good_backup_sentence(db, good)}"


def cmd_backup(options: argparse.Namespace) -> int:
    import time

    from vcio_desk.domain.errors import ValidationError, WorkspaceError
    from vcio_desk.services.backups import back_up_now, list_backups, require_file_workspace
    from vcio_desk.store import open_store, resolve

    location = resolve(options.db)
    path, _backup_dir = require_file_workspace(location)
    if options.list:
        if options.dest is not None:
            raise ValidationError("Give either DEST or --list, not both.")
        return _print_list(location)
    if not path.exists():
        raise WorkspaceError(f"There is no workspace at {path} to back up.")
    started = time.perf_counter()
    with open_store(options.db, read_only=True) as store:
        info = back_up_now(store, options.dest)
        backups = list_backups(store)
    seconds = time.perf_counter() - started
    print(
        f"Backup of {location.display} written to {info.path} "
        f"({_size(info.size_bytes)}, {seconds:.1f} s)."
    )
    if options.dest is None and len(backups) > 1:
        print(f"The backups folder holds {len(backups)} backups ('vcio-desk backup --list').")
    return 0


def _print_list(location: WorkspaceLocation) -> int:
    from vcio_desk.store.backup import list_backup_files

    backup_dir = location.backup_dir
    assert backup_dir is not None
    backups = list_backup_files(backup_dir)
    if not backups:
        print(f"No backups yet in {backup_dir}.")
        return 0
    print(f"{len(backups)} backup{'s' if len(backups) != 1 else ''} in {backup_dir}, newest first:")
    for info in backups:
        print(f"  {_when(info)}  {info.label:<26} {_size(info.size_bytes):>10}  {info.path.name}")
    return 0


def cmd_restore(options: argparse.Namespace) -> int:
    from vcio_desk.services.backups import require_file_workspace, restore_backup
    from vcio_desk.store import resolve
    from vcio_desk.store.lock import hold_write_lock

    location = resolve(options.db)
    path, backup_dir = require_file_workspace(location)
    source: Path = options.source
    if not source.exists() and source.name == str(source) and (backup_dir / source.name).exists():
        source = backup_dir / source.name  # just a name: the one in the backups folder
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with hold_write_lock(path):
        report = restore_backup(location, source)
    print(f"Restored {location.display} from {report.restored_from} ({report.seconds:.1f} s).")
    if report.safety_copy is None:
        print("There was no workspace there before, so nothing needed saving first.")
    elif report.safety_is_damaged_file:
        print(f"The damaged workspace was kept as {report.safety_copy}.")
    else:
        print(f"The previous content was saved first to {report.safety_copy}.")
    return 0


def restore_hint(error: Exception, db: str | None) -> str:
    """For a damaged workspace: " A good backup from ... exists: restore it with ..."."""
    from vcio_desk.domain.errors import WorkspaceDamagedError

    if not isinstance(error, WorkspaceDamagedError):
        return ""
    try:
        from vcio_desk.services.backups import latest_good_backup
        from vcio_desk.store import resolve

        good = latest_good_backup(resolve(db))
    except Exception:  # a hint must never replace the error it adds to
        return ""
    if good is None:
        return ""
    sentence = _good_backup_sentence(db, good)  # no full stop: the command is copied
    return f" {sentence[0].upper()}{sentence[1:]}"


def _good_backup_sentence(db: str | None, good: BackupInfo) -> str:
    workspace = f"--db {shlex.quote(db)} " if db else ""
    return (
        f"a good backup from {_when(good)} exists: restore it with  "
        f"vcio-desk {workspace}restore {shlex.quote(str(good.path))}"
    )


def _when(info: BackupInfo) -> str:
    return info.taken_at.astimezone().strftime("%Y-%m-%d %H:%M")


def _size(size: int) -> str:
    if size < 1_000_000:
        return f"{size / 1000:.0f} kB"
    return f"{size / 1_000_000:.1f} MB"
