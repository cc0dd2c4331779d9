"""Run a function off the UI thread and hear about it on the UI thread.

Modelled on anki's operations (``qt/aqt/operations``): a small object that names
the work and its success/failure callbacks, then runs it in a thread pool. Unlike
anki there is no global main window: the caller passes the window the work
belongs to, which owns the operation and parents any message it shows.

The worker never touches widgets. It emits signals on a holder that lives in the
UI thread; Qt queues them, so callbacks always run on the UI thread. A
:class:`~vcio_desk.domain.errors.VcioDeskError` reaches the user as its
``user_message``; any other exception is logged with its traceback and reported
as one generic sentence.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QWidget

from vcio_desk.domain.errors import VcioDeskError

log = logging.getLogger(__name__)

ProgressFn = Callable[[int, int, str], None]
"""``progress(done, total, label)``, called by the work as it goes."""

GENERIC_FAILURE = (
    "Something went wrong inside vcio_desk and the task was stopped; nothing was saved by it. "
    "The details were written to the log."
)


class OperationCancelled(Exception):
    """Raised inside the work by its progress callback once the user has cancelled."""


class WorkerSignals(QObject):
    """What a background job reports; lives in the UI thread, emitted from the worker."""

    progress = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()


class _Job(QRunnable):
    """The runnable itself: calls the function and turns its outcome into one signal."""

    def __init__(
        self, fn: Callable[[ProgressFn], Any], signals: WorkerSignals, stop: threading.Event
    ) -> None:
        super().__init__()
        self._fn = fn
        self._signals = signals
        self._stop = stop

    def _progress(self, done: int, total: int, label: str) -> None:
        if self._stop.is_set():
            raise OperationCancelled
        self._emit(self._signals.progress, done, total, label)

    def run(self) -> None:
        try:
            result = self._fn(self._progress)
        except OperationCancelled:
            self._emit(self._signals.cancelled)
        except VcioDeskError as err:
            self._emit(self._signals.failed, err.user_message)
        except Exception:
            log.exception("background task failed")
            self._emit(self._signals.failed, GENERIC_FAILURE)
        else:  # finished work is reported as done even if cancel came too late to stop it
            self._emit(self._signals.succeeded, result)

    @staticmethod
    def _emit(signal: Any, *args: Any) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:  # the window that asked for the work is gone
            log.debug("background result dropped: its window was closed")


class Operation(QObject):
    """One piece of background work on behalf of ``parent``.

    ``fn`` receives a progress callback. Callbacks run on the UI thread; without
    ``on_failure`` the failure message is shown in a warning box over ``parent``.
    The operation deletes itself once its outcome has been delivered.
    """

    def __init__(
        self,
        parent: QWidget,
        fn: Callable[[ProgressFn], Any],
        *,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[str], None] | None = None,
        on_progress: ProgressFn | None = None,
        on_cancelled: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._window = parent
        self._fn = fn
        self._on_success = on_success
        self._on_failure = on_failure
        self._on_progress = on_progress
        self._on_cancelled = on_cancelled
        self._stop = threading.Event()
        self.signals = WorkerSignals(self)
        # Slots of an object living in the UI thread: Qt queues the worker's emissions.
        self.signals.progress.connect(self._deliver_progress)
        self.signals.succeeded.connect(self._deliver_success)
        self.signals.failed.connect(self._deliver_failure)
        self.signals.cancelled.connect(self._deliver_cancelled)
        self._running = False

    @property
    def running(self) -> bool:
        return self._running

    def start(self, pool: QThreadPool | None = None) -> Operation:
        """Queue the work on ``pool`` (the global pool by default) and return self."""
        self._running = True
        (pool or QThreadPool.globalInstance()).start(_Job(self._fn, self.signals, self._stop))
        return self

    def cancel(self) -> None:
        """Ask the work to stop at its next progress report; it then reports ``cancelled``."""
        self._stop.set()

    @Slot(int, int, str)
    def _deliver_progress(self, done: int, total: int, label: str) -> None:
        if self._on_progress is not None and not self._stop.is_set():
            self._on_progress(done, total, label)

    @Slot(object)
    def _deliver_success(self, result: object) -> None:
        self._finish()
        if self._on_success is not None:
            self._on_success(result)

    @Slot(str)
    def _deliver_failure(self, message: str) -> None:
        self._finish()
        if self._on_failure is not None:
            self._on_failure(message)
        else:
            QMessageBox.warning(self._window, "vcio_desk", message)

    @Slot()
    def _deliver_cancelled(self) -> None:
        self._finish()
        if self._on_cancelled is not None:
            self._on_cancelled()

    def _finish(self) -> None:
        self._running = False
        self.deleteLater()


def run_in_background(
    parent: QWidget,
    fn: Callable[[ProgressFn], Any],
    *,
    on_success: Callable[[Any], None] | None = None,
    on_failure: Callable[[str], None] | None = None,
    on_progress: ProgressFn | None = None,
    on_cancelled: Callable[[], None] | None = None,
    pool: QThreadPool | None = None,
) -> Operation:
    """Shorthand for ``Operation(parent, fn, ...).start(pool)``."""
    return Operation(
        parent,
        fn,
        on_success=on_success,
        on_failure=on_failure,
        on_progress=on_progress,
        on_cancelled=on_cancelled,
    ).start(pool)
