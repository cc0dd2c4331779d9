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
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import TYPE_CHECKING  # noqa: E402

from PySide6.QtCore import (  # noqa: E402
    QCoreApplication,
    QLockFile,
    Qt,
    QThreadPool,
    QTimer,
    SignalInstance,
)
from PySide6.QtGui import QGuiApplication  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox, QTabWidget, QWidget  # noqa: E402

from vcio_desk import __version__  # noqa: E402
from vcio_desk.domain.errors import (  # noqa: E402
    VcioDeskError,
    WorkspaceDamagedError,
    WorkspaceError,
    WorkspaceLockedError,
)

if TYPE_CHECKING:
    from vcio_desk.services.backups import RestoreReport
    from vcio_desk.store import Store
    from vcio_desk.store.location import WorkspaceLocation
    from vcio_desk.ui.auto_backup import AutoBackup
    from vcio_desk.ui.main_window import MainWindow

log = logging.getLogger(__name__)

APP_NAME = "vcio-desk"
EXIT_AFTER_FIRST_PAINT = "VCIO_DESK_EXIT_AFTER_FIRST_PAINT"
EXIT_AFTER_LOAD = "VCIO_DESK_EXIT_AFTER_LOAD"
SCREENSHOT = "VCIO_DESK_SCREENSHOT"
"""Save a PNG of the loaded main window to this path and exit (docs and the smoke test)."""
SCREENSHOT_PAGE = "VCIO_DESK_SCREENSHOT_PAGE"
INTERNAL_ERROR_EXIT = 1
RESTORED_NOT_SHOWN = (
    "The backup was restored, but this window could not show it because of an internal "
    "error. Close vcio_desk and start it again to work on the restored workspace."
)
RESTORE_FAILED = (
    "The backup could not be restored because of an internal error; the workspace was "
    "left as it was. The details were written to the log."
)
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
    session: WorkspaceSession | None = None
    try:
        lock, store, notice = _open_workspace(db)
        session = WorkspaceSession(store, lock, dt.date.today)
        session.notice = notice
        from vcio_desk.services.seed import ensure_base_content

        ensure_base_content(store)
        return _run_window(app, session, started)
    except RestoreDeclined as declined:
        return declined.exit_code
    except VcioDeskError as err:
        _critical(err.user_message)
        return err.exit_code
    except Exception:
        log.exception("vcio_desk failed to start")
        _critical(INTERNAL_ERROR)
        return INTERNAL_ERROR_EXIT
    finally:
        QThreadPool.globalInstance().waitForDone()  # no worker may outlive the store
        if session is not None:
            session.close()


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


def _open_workspace(db: str | None) -> tuple[QLockFile | None, Store, str]:
    """Resolve, lock (SQLite files) and open the workspace; raises VcioDeskError.

    A damaged file with a good backup beside it is offered for restoring (the lock is
    held throughout); the third value is then a sentence for the status bar.
    """
    from vcio_desk.store import open_store, resolve

    location = resolve(db)
    lock = None if location.path is None else take_lock(location.path)
    try:
        try:
            return lock, open_store(location.url), ""
        except WorkspaceDamagedError as damaged:
            notice = _offer_restore(location, damaged)
            return lock, open_store(location.url), notice
    except BaseException:
        if lock is not None:
            lock.unlock()
        raise


class RestoreDeclined(WorkspaceError):
    """The workspace is damaged and the offered backup was not wanted: exit as before."""

    exit_code = WorkspaceDamagedError.exit_code


class RestoreOffer:
    """The start-up question over a damaged workspace; tests replace :meth:`ask`."""

    @classmethod
    def ask(cls, problem: str, taken_at: str) -> bool:
        """True when the person chooses "Restore the backup from <taken_at>"."""
        box = QMessageBox(QMessageBox.Icon.Critical, "vcio_desk", problem)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setInformativeText(
            f"A good backup from {taken_at} is in the backups folder. Restoring it keeps "
            "the damaged file beside the workspace; whatever changed after the backup is "
            "not in it."
        )
        restore = box.addButton(
            f"Restore the backup from {taken_at}", QMessageBox.ButtonRole.AcceptRole
        )
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(restore)
        box.exec()
        return box.clickedButton() is restore


def _offer_restore(location: WorkspaceLocation, damaged: WorkspaceDamagedError) -> str:
    """Offer the newest good backup of a damaged workspace and restore it when wanted.

    Re-raises ``damaged`` when there is none, :class:`RestoreDeclined` when it is not
    wanted; returns what to say in the status bar once the app is open.
    """
    from vcio_desk.services.backups import latest_good_backup, restore_backup
    from vcio_desk.ui.pages.settings_backups import format_taken_at

    try:
        backup = latest_good_backup(location)
    except Exception:
        log.exception("looking for a good backup failed")
        backup = None
    if backup is None:
        raise damaged
    taken_at = format_taken_at(backup.taken_at)
    if not RestoreOffer.ask(damaged.user_message, taken_at):
        raise RestoreDeclined(damaged.user_message) from damaged
    report = restore_backup(location, backup.path)
    kept = f" The damaged file was kept as {report.safety_copy.name}." if report.safety_copy else ""
    log.info("restored the workspace from a backup at start-up")
    return f"Restored the backup from {taken_at}.{kept}"


def take_lock(path: Path) -> QLockFile:
    """Hold the single-writer lock beside ``path`` for the life of the app.

    Raises WorkspaceLockedError when another live process holds it, and a
    WorkspaceError saying why when the lock file cannot be created at all.
    """
    from vcio_desk.store.lock import LockHolder, lock_path_for, locked_message, restrict_lock_file
    from vcio_desk.store.sqlite_file import inspect_file

    lock_file = lock_path_for(path)
    if not path.parent.exists():
        with contextlib.suppress(OSError):  # inspect_file below explains a folder problem
            path.parent.mkdir(parents=True, mode=0o700)
    lock = QLockFile(str(lock_file))
    lock.setStaleLockTime(0)  # the app holds it for hours: only a dead holder makes it stale
    if lock.tryLock(0):
        restrict_lock_file(lock_file)  # Qt creates it with the umask: owner-only, like the rest
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


class WorkspaceSession:
    """The running app's workspace: its lock, the open Store and the main window over it.

    Restoring a backup replaces the file under the open Store, so :meth:`restore`
    closes the store once every worker has finished, restores with the lock still
    held, opens the file again and builds a new main window on it: the restored data
    shows at once, without a restart. Anything that fails leaves the previous
    workspace open and says why in one message.
    """

    def __init__(
        self,
        store: Store,
        lock: QLockFile | None,
        as_of_provider: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self.store = store
        self.lock = lock
        self.as_of_provider = as_of_provider
        self.window: MainWindow | None = None
        self.auto_backup: AutoBackup | None = None
        self.notice = ""
        """Said in the status bar of the next window opened (e.g. after a restore)."""
        self.notify: Callable[[QWidget | None, str, str], None] = _show_message
        self.backup_clock: Callable[[], dt.datetime] | None = None
        """The automatic backups' clock (None: the real one); tests move time with it."""

    def open_window(self) -> MainWindow:
        """A main window over the current store, with automatic backups running."""
        from vcio_desk.services.settings import read_settings
        from vcio_desk.ui.auto_backup import AutoBackup, utc_now
        from vcio_desk.ui.main_window import MainWindow

        window = MainWindow(self.store, read_settings(self.store), self.as_of_provider)
        window.workspace_session = self
        auto = AutoBackup(window, self.store, clock=self.backup_clock or utc_now)
        window.closed.connect(auto.window_closed)
        auto.start()
        if self.notice:
            window.statusBar().showMessage(self.notice)
            self.notice = ""
        self.window, self.auto_backup = window, auto
        return window

    def restore(self, source: Path) -> bool:
        """Replace the workspace with the backup file ``source`` and show it in a new window.

        Client and meeting windows close first (saving what was typed); False, with the
        current workspace still open, when one cannot or when the restore fails.
        """
        from vcio_desk.services.backups import restore_backup
        from vcio_desk.ui.workers import Operation

        old = self.window
        if old is None or not _close_record_windows(old):
            return False
        if self.auto_backup is not None:
            self.auto_backup.stop()
        location = self.store.location
        failure = ""
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            for operation in old.findChildren(Operation):
                operation.cancel()
            QThreadPool.globalInstance().waitForDone()  # no worker may still use the store
            QCoreApplication.sendPostedEvents()  # finished work reports while the store is open
            QThreadPool.globalInstance().waitForDone()
            self.store.close()
            report = restore_backup(location, source)
            store = self._reopen(report)
        except VcioDeskError as err:
            failure = err.user_message
        except Exception:
            log.exception("restoring a backup failed")
            failure = RESTORE_FAILED
        finally:
            QGuiApplication.restoreOverrideCursor()
        if failure:  # the file is as it was; the old store reconnects on its next use
            if self.auto_backup is not None:
                self.auto_backup.start()
            self.notify(old, "Restore backup", failure)
            return False
        try:
            self._replace_window(old, store, source, report.safety_copy)
        except Exception:  # the file is restored; only the new window could not be built
            log.exception("showing the restored workspace failed")
            self.notify(old, "Restore backup", RESTORED_NOT_SHOWN)
        return True

    def _reopen(self, report: RestoreReport) -> Store:
        """Open the restored file; if it cannot be, put the previous state back and raise."""
        from vcio_desk.services.backups import restore_backup
        from vcio_desk.services.seed import ensure_base_content
        from vcio_desk.store import open_store

        location = self.store.location
        try:
            store = open_store(location.url)
            try:
                ensure_base_content(store)
            except BaseException:
                store.close()
                raise
        except Exception:
            safety = report.safety_copy
            if safety is not None and not report.safety_is_damaged_file:
                with contextlib.suppress(Exception):  # the before-restore copy goes back
                    restore_backup(location, safety)
            raise
        return store

    def _replace_window(
        self, old: MainWindow, store: Store, source: Path, safety_copy: Path | None
    ) -> None:
        from vcio_desk.services.backups import backup_taken_at
        from vcio_desk.ui.pages.settings_backups import format_taken_at

        old.save_layout()
        self.store = store
        when = backup_taken_at(source)
        restored = f"the backup from {format_taken_at(when)}" if when else source.name
        kept = f" The previous state is kept as {safety_copy.name}." if safety_copy else ""
        self.notice = f"Restored {restored}.{kept}"
        window = self.open_window()
        window.restore_layout()
        window.show()
        window.clients_page.reload()
        _show_backups_tab(window)
        old.close()  # after the new window shows, so the app does not quit
        old.deleteLater()
        log.info("restored the workspace from a backup")

    def close(self) -> None:
        """Close the store and release the lock (workers must have finished)."""
        if self.auto_backup is not None:
            self.auto_backup.stop()
        self.store.close()
        if self.lock is not None:
            self.lock.unlock()
            self.lock = None


def _close_record_windows(window: MainWindow) -> bool:
    """Close the client, meeting and register windows; False when one stays open."""
    for record in [*window.meeting_pages.values(), *window.client_pages.values()]:
        if not record.close():  # it saves what was typed; it stays open if it could not
            return False
    if window.msp_register is not None:
        window.msp_register.close()
    return True


def _show_backups_tab(window: MainWindow) -> None:
    window.show_page("settings")
    page = window.page("settings")
    tabs, backups = getattr(page, "tabs", None), getattr(page, "backups_tab", None)
    if isinstance(tabs, QTabWidget) and isinstance(backups, QWidget):
        tabs.setCurrentWidget(backups)


def _show_message(parent: QWidget | None, title: str, text: str) -> None:
    from vcio_desk.ui.dialogs.messages import show_message

    show_message(parent, title, text)


def _run_window(app: QApplication, session: WorkspaceSession, started: float) -> int:
    window = session.open_window()
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
    if session.window is not None:
        session.window.deleteLater()
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
