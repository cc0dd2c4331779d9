"""Automatic backups while the app runs: every few minutes and when the main window closes.

``services.backups.auto_backup_if_due`` decides whether a backup is due (the
workspace changed and the policy's interval has passed); this module only asks it,
on a worker, at the right moments. A failure never interrupts anyone with a dialog:
it is logged and said once in the status bar. The clock is injected so tests can
move time.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QMainWindow, QWidget

from vcio_desk.domain.errors import VcioDeskError
from vcio_desk.store import Store
from vcio_desk.ui.workers import Operation, run_in_background

log = logging.getLogger(__name__)

CHECK_EVERY_MS = 5 * 60 * 1000
"""How often to ask whether a backup is due (the policy's interval is counted in hours)."""
FAILED_NOTICE = "The automatic backup failed; see the log. Settings → Backups can take one by hand."

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _backup_if_due(store: Store, now: dt.datetime) -> Any:
    """The worker's job; it logs its own failure (the event loop may be gone at close)."""
    from vcio_desk.services.backups import auto_backup_if_due

    try:
        return auto_backup_if_due(store, now=now)
    except VcioDeskError as err:
        log.warning("automatic backup failed: %s", err.user_message)
        raise


class AutoBackup(QObject):
    """Asks for an automatic backup of ``store`` on a timer and when told the window closes.

    Lives as a child of ``window`` (which owns the worker operations). Does nothing for a
    PostgreSQL or read-only workspace. ``status`` shows a one-line notice (the window's
    status bar by default).
    """

    def __init__(
        self,
        window: QWidget,
        store: Store,
        *,
        clock: Clock = utc_now,
        interval_ms: int = CHECK_EVERY_MS,
        status: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._store = store
        self.clock = clock
        self._status = status or self._status_bar
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.run_now)
        self._stopped = False
        self._failure_shown = False
        self.operation: Operation | None = None
        self.last_result: object = None
        """The last outcome: a ``BackupInfo``, None (not due) or a failure message."""

    @property
    def enabled(self) -> bool:
        return self._store.location.path is not None and not self._store.read_only

    def start(self) -> None:
        """Check on the timer from now on (again, after :meth:`stop`)."""
        self._stopped = False
        if self.enabled:
            self.timer.start()

    def stop(self) -> None:
        """No more backups from this object (the store is about to close)."""
        self._stopped = True
        self.timer.stop()

    def window_closed(self) -> Operation | None:
        """The main window closed: one last check, then no more."""
        operation = self.run_now()
        self.stop()
        return operation

    def run_now(self) -> Operation | None:
        """Ask on a worker whether a backup is due; None when one is already running."""
        if self._stopped or not self.enabled or self.operation is not None:
            return None
        store, now = self._store, self.clock()
        self.operation = run_in_background(
            self._window,
            lambda _progress: _backup_if_due(store, now),
            on_success=self._done,
            on_failure=self._failed,
            on_cancelled=lambda: self._done(None),
        )
        return self.operation

    def _done(self, result: object) -> None:
        self.operation = None
        self.last_result = result

    def _failed(self, message: str) -> None:
        self.operation = None
        self.last_result = message
        if not self._failure_shown:
            self._failure_shown = True
            self._status(FAILED_NOTICE)

    def _status_bar(self, text: str) -> None:
        if isinstance(self._window, QMainWindow):
            self._window.statusBar().showMessage(text)
