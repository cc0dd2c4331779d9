"""A rotating log in the user log directory, owner-only, that never holds client text.

The log is for diagnosing bugs, so it keeps what a developer needs (which command,
which record id, where in the code) and drops what a client would not want on
disk in a second place: an exception's message can quote a client name, a note or
a file path made from them (an unexpected bug formats whatever it was handed).
So exceptions are written as their type and stack frames only, plus a detail that
cannot carry user text (an errno name, SQLite's error name, PostgreSQL's SQLSTATE).
Log calls themselves pass ids, never names.

Every file in the log folder is created 0600 and the folder is 0700, whatever the
umask; ``RotatingFileHandler`` would create each new file with the umask.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import logging.handlers
import os
import traceback
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from vcio_desk.store.location import default_log_dir

__all__ = [
    "LOG_FILE_NAME",
    "OwnerOnlyRotatingFileHandler",
    "RedactingFormatter",
    "configure_logging",
    "describe_exception",
]

LOG_FILE_NAME = "vcio-desk.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 3
FILE_MODE = 0o600
DIR_MODE = 0o700
LOGGER_NAME = "vcio_desk"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_CAUSE = "\nThe above exception was the direct cause of the following exception:\n\n"
_CONTEXT = "\nDuring handling of the above exception, another exception occurred:\n\n"


def describe_exception(exc: BaseException) -> str:
    """``type`` plus a detail that never quotes user text: an error code, not a message."""
    name = type(exc).__qualname__
    module = type(exc).__module__
    label = name if module in ("builtins", "__main__") else f"{module}.{name}"
    detail = _safe_detail(exc)
    orig = getattr(exc, "orig", None)  # SQLAlchemy's DBAPIError wraps the driver's error
    if isinstance(orig, BaseException) and orig is not exc:
        inner = describe_exception(orig)
        detail = f"{detail}; {inner}" if detail else inner
    return f"{label} ({detail}) [message withheld]" if detail else f"{label} [message withheld]"


def _safe_detail(exc: BaseException) -> str:
    if isinstance(exc, OSError) and isinstance(exc.errno, int):
        return errno.errorcode.get(exc.errno, str(exc.errno))
    for attribute in ("sqlite_errorname", "sqlstate", "pgcode"):
        value = getattr(exc, attribute, None)
        if isinstance(value, str) and value.isascii() and value.replace("_", "").isalnum():
            return value
    return ""


def _format_chain(exc: BaseException, seen: set[int]) -> list[str]:
    seen.add(id(exc))
    lines: list[str] = []
    cause, context = exc.__cause__, exc.__context__
    if cause is not None and id(cause) not in seen:
        lines += [*_format_chain(cause, seen), _CAUSE]
    elif context is not None and not exc.__suppress_context__ and id(context) not in seen:
        lines += [*_format_chain(context, seen), _CONTEXT]
    if exc.__traceback__ is not None:
        lines.append("Traceback (most recent call last):\n")
        frames = traceback.StackSummary.extract(traceback.walk_tb(exc.__traceback__))
        lines += frames.format()
    lines.append(describe_exception(exc) + "\n")
    for index, inner in enumerate(getattr(exc, "exceptions", None) or (), start=1):
        if isinstance(inner, BaseException) and id(inner) not in seen:
            lines.append(f"+-- sub-exception {index}:\n")
            lines += ["  " + line for line in "".join(_format_chain(inner, seen)).splitlines(True)]
    return lines


class RedactingFormatter(logging.Formatter):
    """Formats records with exceptions reduced to types and frames (no messages).

    ``format`` does not read or fill ``record.exc_text``: another handler may have
    cached the full traceback there, message included.
    """

    def formatException(  # logging's name
        self,
        ei: tuple[type[BaseException], BaseException, TracebackType | None]
        | tuple[None, None, None],
    ) -> str:
        exc = ei[1]
        if exc is None:
            return ""
        return "".join(_format_chain(exc, set())).rstrip("\n")

    def format(self, record: logging.LogRecord) -> str:
        record.message = _message(record)
        if self.usesTime():
            record.asctime = self.formatTime(record, self.datefmt)
        text = self.formatMessage(record)
        if record.exc_info and record.exc_info[1] is not None:
            text = f"{text}\n{self.formatException(record.exc_info)}"
        if record.stack_info:
            text = f"{text}\n{self.formatStack(record.stack_info)}"
        return text


def _message(record: logging.LogRecord) -> str:
    """``record.getMessage()``, with any exception passed as an argument described safely."""
    args = record.args
    if isinstance(args, tuple) and any(isinstance(a, BaseException) for a in args):
        safe = tuple(describe_exception(a) if isinstance(a, BaseException) else a for a in args)
        return str(record.msg) % safe
    if isinstance(record.msg, BaseException):
        return describe_exception(record.msg)
    return record.getMessage()


class OwnerOnlyRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating file handler whose every file (current and rotated) is mode 0600."""

    def _open(self) -> IO[Any]:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
        with contextlib.suppress(OSError):
            os.fchmod(fd, FILE_MODE)  # an older file, or one made under another umask
        return open(fd, "a", encoding=self.encoding, errors=self.errors)


def _restrict(log_dir: Path) -> None:
    """The folder 0700 and every log file in it 0600 (files left by older versions too)."""
    with contextlib.suppress(OSError):
        os.chmod(log_dir, DIR_MODE)
    for path in log_dir.glob(f"{LOG_FILE_NAME}*"):
        with contextlib.suppress(OSError):
            if path.is_file() and not path.is_symlink():
                os.chmod(path, FILE_MODE)


def configure_logging(level: int = logging.INFO, log_dir: Path | None = None) -> Path | None:
    """Send the package's log records to the rotating file; returns its path (None: no log).

    Calling it again with the same folder changes nothing; a different folder (the
    user directories changed) moves the log there.
    """
    root = logging.getLogger(LOGGER_NAME)
    folder = log_dir or default_log_dir()
    path = folder / LOG_FILE_NAME
    for handler in list(root.handlers):
        if isinstance(handler, logging.handlers.RotatingFileHandler):
            if Path(handler.baseFilename) == path.absolute():
                return path
            root.removeHandler(handler)
            handler.close()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
        _restrict(folder)
        handler = OwnerOnlyRotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
        )
    except OSError:
        return None  # an unwritable log folder must never stop the app
    handler.setFormatter(RedactingFormatter(FORMAT))
    root.addHandler(handler)
    root.setLevel(level)
    return path
