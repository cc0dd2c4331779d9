"""Whole-or-nothing file writes and safe export names, for every layer (no Qt, no database).

Exports (calendars, packs, CSV) land in folders people choose: a USB stick that fills
up, a synced folder they cannot write to. A half-written file there is worse than
none, because it looks like a finished export. So we write a temp file beside the
destination, fsync it, and ``os.replace`` it into place; on failure the temp file is
removed and the destination is left exactly as it was.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from pathvalidate import is_valid_filename, sanitize_filename

from vcio_desk.domain.errors import VcioDeskError

__all__ = ["WriteError", "safe_file_name", "write_atomically"]

NEW_FILE_MODE = 0o600
FALLBACK_NAME = "export"
MAX_NAME_BYTES = 255

_REASONS: dict[int, str] = {
    errno.ENOSPC: "the disk is full or the file is too large",
    errno.EFBIG: "the disk is full or the file is too large",
    errno.EACCES: "the folder is not writable",
    errno.EPERM: "the folder is not writable",
    errno.EROFS: "the disk is read-only",
    errno.ENOENT: "the folder does not exist",
    errno.ENOTDIR: "part of the folder path is a file, not a folder",
    errno.EISDIR: "a folder with that name is in the way",
    errno.ENAMETOOLONG: "the file name is too long",
}
if hasattr(errno, "EDQUOT"):
    _REASONS[errno.EDQUOT] = "the disk quota is used up"


class WriteError(VcioDeskError):
    """A file could not be written; nothing was changed at the destination."""

    exit_code = 4

    def __init__(self, user_message: str, *, errno_value: int | None = None) -> None:
        super().__init__(user_message)
        self.errno = errno_value


def write_atomically(path: Path, data: bytes, *, follow_link: bool = True) -> None:
    """Write ``data`` to ``path`` so readers see the old file or the new one, never a part.

    A new file gets mode 0600 (exports can hold client details); an existing file keeps
    its mode. A symlink at a path the person chose is followed, so the link survives;
    for names the app made up inside a chosen folder (``follow_link=False``) the link
    itself is replaced, so a link planted under that name cannot send the write elsewhere.
    Raises :class:`WriteError` with a sentence a person can act on.
    """
    if "\x00" in os.fspath(path):
        shown = Path(os.fspath(path).replace("\x00", "?"))
        raise WriteError(
            f"Cannot write {shown.name} in {shown.parent}: a file name cannot hold a NUL character."
        )
    # os.path.islink, unlike Path.is_symlink, answers False for a name too long to exist;
    # os.stat below then reports it.
    linked = os.path.islink(path)
    target = Path(os.path.realpath(path)) if linked and follow_link else Path(path)
    folder = target.parent
    try:
        existing = os.lstat(target) if linked and not follow_link else os.stat(target)
        if stat.S_ISDIR(existing.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(target))
        mode = NEW_FILE_MODE if stat.S_ISLNK(existing.st_mode) else stat.S_IMODE(existing.st_mode)
    except FileNotFoundError:
        mode = NEW_FILE_MODE
    except OSError as exc:
        raise _write_error(target, exc) from exc
    temp: str | None = None
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name[:60]}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, target)
        temp = None
        sync_folder(folder)
    except OSError as exc:
        raise _write_error(target, exc) from exc
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)


def sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); a failure here loses nothing already written."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_error(target: Path, exc: OSError) -> WriteError:
    folder = str(target.parent) or "."
    reason = _REASONS.get(exc.errno or 0)
    if reason is None:
        text = (exc.strerror or str(exc)).rstrip(".")
        reason = text[:1].lower() + text[1:]
    return WriteError(f"Cannot write {target.name} in {folder}: {reason}.", errno_value=exc.errno)


def safe_file_name(name: str, suffix: str) -> str:
    """A file name made from user text that stays inside the chosen folder.

    Separators and characters illegal on any common platform are replaced, reserved
    names (CON, NUL...) are altered, leading/trailing dots and spaces are dropped
    (no '..', no hidden files) and the result fits in 255 bytes with ``suffix``.
    Blank results fall back to ``"export"``.
    """
    if suffix and not suffix.startswith("."):
        suffix = f".{suffix}"
    suffix = str(sanitize_filename(suffix, replacement_text="_")).strip(" ")
    budget = MAX_NAME_BYTES - len(suffix.encode("utf-8"))
    stem = " ".join(name.split()).strip(" .")
    for _ in range(3):  # stripping can expose a reserved name ("CON .") : sanitize again
        stem = str(sanitize_filename(stem, replacement_text="_", max_len=budget)).strip(" .")
        if not stem or is_valid_filename(stem, platform="universal"):
            break
    if not stem or not is_valid_filename(stem, platform="universal"):
        stem = FALLBACK_NAME
    return f"{stem}{suffix}"
