"""One writer per workspace: a lock file beside it, in the format Qt's QLockFile writes.

The GUI holds the lock with ``QLockFile`` for as long as it runs; CLI commands that
write take the same lock for the duration of the command. Sharing the format means
either side recognises the other, and a lock left by a killed process is stale.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from vcio_desk.domain.errors import WorkspaceError, WorkspaceLockedError


@dataclass(frozen=True)
class LockHolder:
    pid: int
    app: str
    host: str


LOCK_FILE_MODE = 0o600


def lock_path_for(workspace: Path) -> Path:
    return workspace.with_name(workspace.name + ".lock")


def restrict_lock_file(lock_file: Path) -> None:
    """Make a lock file owner-only (``QLockFile`` creates it with the umask, 0644 or 0666).

    It names the process and host holding the workspace; nobody else may rewrite it.
    """
    with contextlib.suppress(OSError):
        os.chmod(lock_file, LOCK_FILE_MODE)


def _process_name() -> str:
    try:
        return Path(os.readlink("/proc/self/exe")).name
    except OSError:
        return Path(sys.executable).name


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def read_holder(lock_file: Path) -> LockHolder | None:
    """The live process holding ``lock_file``, or None when it is absent or stale."""
    try:
        lines = lock_file.read_text(encoding="utf-8", errors="replace").splitlines()
    except (FileNotFoundError, IsADirectoryError):
        return None
    except OSError:
        return None
    try:
        pid = int(lines[0])
    except (IndexError, ValueError):
        return None
    app = lines[1] if len(lines) > 1 else ""
    host = lines[2] if len(lines) > 2 else ""
    if host and host != socket.gethostname():
        # Another machine's lock on a shared folder: we cannot tell, so honour it.
        return LockHolder(pid, app, host)
    if pid == os.getpid() or not _pid_alive(pid):
        return None
    return LockHolder(pid, app, host)


def locked_message(workspace: Path, holder: LockHolder) -> str:
    where = f" on {holder.host}" if holder.host and holder.host != socket.gethostname() else ""
    return (
        f"The workspace {workspace} is open in another vcio_desk (process {holder.pid}{where}). "
        "Close it there first, then try again."
    )


def ensure_unlocked(workspace: Path) -> None:
    """Raise when another live process holds the workspace."""
    holder = read_holder(lock_path_for(workspace))
    if holder is not None:
        raise WorkspaceLockedError(locked_message(workspace, holder))


@contextlib.contextmanager
def hold_write_lock(workspace: Path) -> Iterator[None]:
    """Hold the workspace lock for a CLI write; a stale lock is replaced."""
    lock_file = lock_path_for(workspace)
    content = f"{os.getpid()}\n{_process_name()}\n{socket.gethostname()}\n"
    for _attempt in range(2):
        try:
            fd = os.open(lock_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, LOCK_FILE_MODE)
        except FileExistsError:
            holder = read_holder(lock_file)
            if holder is not None:
                raise WorkspaceLockedError(locked_message(workspace, holder)) from None
            with contextlib.suppress(FileNotFoundError):
                lock_file.unlink()
            continue
        except OSError as exc:
            raise WorkspaceError(
                f"Cannot create the lock file {lock_file}: {exc.strerror}."
            ) from exc
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(content)
        except OSError as exc:  # a disk too full even for the lock file: leave nothing behind
            with contextlib.suppress(OSError):
                lock_file.unlink()
            raise WorkspaceError(
                f"Cannot create the lock file {lock_file}: {exc.strerror}."
            ) from exc
        break
    else:
        raise WorkspaceLockedError(f"The workspace {workspace} is being opened by another process.")
    try:
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            lock_file.unlink()
