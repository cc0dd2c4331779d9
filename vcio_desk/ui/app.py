"""Start the desktop app: QApplication, the workspace (locked, opened, seeded), the main window.

Start-up is measured from process start to the first painted window, so this
module imports only Qt at load time and everything heavier when it is needed;
the Clients page fetches its rows right after the first paint rather than
before ``show()``. Every foreseeable failure (a folder given as workspace, a
damaged file, a workspace open elsewhere) ends in a message box and a non-zero
return, never a traceback.
"""

from __future__ import annotations

import time

_T0 = time.perf_counter()  # as early as this module allows; callers may pass a better t0

import contextlib  # noqa: E402
import datetime as dt  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import TYPE_CHECKING, Any  # noqa: E402

from PySide6.QtCore import (  # noqa: E402
    QCoreApplication,
    QLockFile,
    QThreadPool,
    QTimer,
    SignalInstance,
)
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from vcio_desk import __version__  # noqa: E402
from vcio_desk.domain.errors import (  # noqa: E402
    VcioDeskError,
    WorkspaceError,
    WorkspaceLockedError,
)

if TYPE_CHECKING:
    from vcio_desk.store import Store
    from vcio_desk.ui.main_window import MainWindow

log = logging.getLogger(__name__)

APP_NAME = "vcio-desk"
EXIT_AFTER_FIRST_PAINT = "VCIO_DESK_EXIT_AFTER_FIRST_PAINT"
EXIT_AFTER_LOAD = "VCIO_DESK_EXIT_AFTER_LOAD"
SCREENSHOT = "VCIO_DESK_SCREENSHOT"
"""Save a PNG of the loaded main window to this path and exit (docs and the smoke test)."""
SCREENSHOT_PAGE = "VCIO_DESK_SCREENSHOT_PAGE"
INTERNAL_ERROR_EXIT = 1
INTERNAL_ERROR = (
    "vcio_desk could not start because of an internal error. "
    "The details were written to the log; your workspace was not changed by it."
)


def run(argv: list[str], db: str | None = None, *, t0: float | None = None) -> int:
    """Run the desktop app on the workspace ``db`` (path or URL; None: env var or default).

    ``t0`` is a ``time.perf_counter()`` taken at process start, for what the benchmarks
    read: with ``VCIO_DESK_EXIT_AFTER_FIRST_PAINT=1`` the app prints ``first-paint
    <seconds>`` after its first paint and exits 0; with ``VCIO_DESK_EXIT_AFTER_LOAD=1``
    it prints ``loaded <seconds> peak-rss-kb <kb>`` once the Clients page is filled.
    Returns the process exit code.
    """
    started = _T0 if t0 is None else t0
    app = _application(argv)
    lock: QLockFile | None = None
    store: Store | None = None
    try:
        lock, store = _open_workspace(db)
        from vcio_desk.services.seed import ensure_base_content
        from vcio_desk.services.settings import read_settings

        ensure_base_content(store)
        settings = read_settings(store)
        return _run_window(app, store, settings, started)
    except VcioDeskError as err:
        _critical(err.user_message)
        return err.exit_code
    except Exception:
        log.exception("vcio_desk failed to start")
        _critical(INTERNAL_ERROR)
        return INTERNAL_ERROR_EXIT
    finally:
        QThreadPool.globalInstance().waitForDone()  # no worker may outlive the store
        if store is not None:
            store.close()
        if lock is not None:
            lock.unlock()


def _application(argv: list[str]) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or [APP_NAME])
    QCoreApplication.setOrganizationName(APP_NAME)
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    QApplication.setApplicationDisplayName("vcio_desk")
    from vcio_desk.ui import icons

    app.setWindowIcon(icons.icon("app"))
    return app


def _critical(message: str) -> None:
    QMessageBox.critical(None, "vcio_desk", message)


def _open_workspace(db: str | None) -> tuple[QLockFile | None, Store]:
    """Resolve, lock (SQLite files) and open the workspace; raises VcioDeskError."""
    from vcio_desk.store import open_store, resolve

    location = resolve(db)
    lock = None if location.path is None else take_lock(location.path)
    try:
        return lock, open_store(location.url)
    except BaseException:
        if lock is not None:
            lock.unlock()
        raise


def take_lock(path: Path) -> QLockFile:
    """Hold the single-writer lock beside ``path`` for the life of the app.

    Raises WorkspaceLockedError when another live process holds it, and a
    WorkspaceError saying why when the lock file cannot be created at all.
    """
    from vcio_desk.store.lock import LockHolder, lock_path_for, locked_message
    from vcio_desk.store.sqlite_file import inspect_file

    lock_file = lock_path_for(path)
    if not path.parent.exists():
        with contextlib.suppress(OSError):  # inspect_file below explains a folder problem
            path.parent.mkdir(parents=True, mode=0o700)
    lock = QLockFile(str(lock_file))
    lock.setStaleLockTime(0)  # the app holds it for hours: only a dead holder makes it stale
    if lock.tryLock(0):
        return lock
    if lock.error() == QLockFile.LockError.LockFailedError:
        info = lock.getLockInfo()
        if isinstance(info, tuple) and len(info) == 3 and isinstance(info[0], int):
            pid, host, app = info  # Qt's order: pid, hostname, application name
            raise WorkspaceLockedError(locked_message(path, LockHolder(pid, app, host)))
        raise WorkspaceLockedError(
            f"The workspace {path} is open in another vcio_desk. Close it there first, "
            "then try again."
        )
    inspect_file(path)  # a folder, an unreadable or read-only place: its own clear message
    raise WorkspaceError(
        f"vcio_desk cannot create its lock file {lock_file}. "
        "Check that you may write to that folder."
    )


def _run_window(app: QApplication, store: Store, settings: dict[str, Any], started: float) -> int:
    from vcio_desk.ui.main_window import MainWindow

    window = MainWindow(store, settings, dt.date.today)
    window.restore_layout()
    if os.environ.get(EXIT_AFTER_FIRST_PAINT) == "1":
        window.first_painted.connect(lambda: _report_first_paint(app, started))
    elif os.environ.get(SCREENSHOT):
        window.first_painted.connect(
            lambda: QTimer.singleShot(0, lambda: _save_screenshot(window, os.environ[SCREENSHOT]))
        )
    elif os.environ.get(EXIT_AFTER_LOAD) == "1":
        window.first_painted.connect(
            lambda: QTimer.singleShot(0, lambda: _report_loaded(window, started))
        )
    else:
        window.first_painted.connect(
            lambda: QTimer.singleShot(0, lambda: after_first_paint(window))
        )
    window.show()
    code = app.exec()
    window.deleteLater()
    return code


def _report_first_paint(app: QApplication, started: float) -> None:
    print(f"first-paint {time.perf_counter() - started:.6f}", flush=True)
    app.exit(0)


def _report_loaded(window: MainWindow, started: float) -> None:
    window.clients_page.reload()
    seconds = time.perf_counter() - started
    print(f"loaded {seconds:.6f} peak-rss-kb {_peak_rss_kb()}", flush=True)
    QApplication.exit(0)


def _save_screenshot(window: MainWindow, path: str) -> None:
    """Grab the window once the page asked for has its data (pages that load emit ``loaded``)."""
    window.clients_page.reload()
    page = os.environ.get(SCREENSHOT_PAGE)
    if page:
        window.show_page(page)
    shown = window.page(window.current_page_key())
    loaded = getattr(shown, "loaded", None)
    if isinstance(loaded, SignalInstance) and not getattr(shown, "is_loaded", True):
        done: list[bool] = []

        def grab_once() -> None:
            if not done:
                done.append(True)
                _grab(window, path)

        loaded.connect(lambda *_args: QTimer.singleShot(0, grab_once))
        QTimer.singleShot(30_000, grab_once)  # never wait forever
        return
    _grab(window, path)


def _grab(window: MainWindow, path: str) -> None:
    QApplication.processEvents()
    ok = window.grab().save(path, "PNG")
    QApplication.exit(0 if ok else 1)


def _peak_rss_kb() -> int:
    """This process's own peak resident memory.

    Linux keeps ``ru_maxrss`` across exec, so a child started by a big parent would
    report the parent's peak; the memory map's high-water mark (VmHWM) is our own.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    try:
        import resource
    except ImportError:  # Windows
        return 0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def after_first_paint(window: MainWindow) -> None:
    """Fill the Clients page, then offer the first-run choices on an empty workspace."""
    from vcio_desk.ui.first_run import offer_first_run

    try:
        window.clients_page.reload()
        offer_first_run(window)
    except VcioDeskError as err:
        QMessageBox.critical(window, "vcio_desk", err.user_message)
