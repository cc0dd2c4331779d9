"""A rotating log in the user log directory, owner-only.

Logs carry ids and error details, never client names or notes.
"""

from __future__ import annotations

import logging
import logging.handlers
import os

from vcio_desk.store.location import default_log_dir

LOG_FILE_NAME = "vcio-desk.log"


def configure_logging(level: int = logging.INFO) -> None:
    """Send the package's log records to the rotating file (once per process)."""
    root = logging.getLogger("vcio_desk")
    if any(isinstance(h, logging.handlers.RotatingFileHandler) for h in root.handlers):
        return
    try:
        log_dir = default_log_dir()
        log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = log_dir / LOG_FILE_NAME
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
        os.chmod(path, 0o600)
    except OSError:
        return  # an unwritable log folder must never stop the app
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
