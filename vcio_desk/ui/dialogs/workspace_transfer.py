"""File ▸ Export workspace… / Import workspace…: the whole workspace to or from one JSON file.

Both run ``services.workspace_transfer`` on a worker behind a window-modal progress
dialog with a Cancel button, and return once the work is over (a local event loop
keeps the window painting meanwhile). An import checks the whole file first; if
the workspace holds more than the base content of a new one, it asks before
replacing it, and the service saves a verified backup before writing. A cancelled
or failed import leaves the workspace as it was (one transaction).

Questions go through :class:`Askers`, plain callables that tests replace, so no
test blocks on a native dialog. The folder last used is kept in QSettings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QStandardPaths, Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QWidget,
)

from vcio_desk.atomic import safe_file_name
from vcio_desk.store import Store
from vcio_desk.ui.dialogs.messages import show_message
from vcio_desk.ui.preferences import ui_settings
from vcio_desk.ui.workers import Operation, ProgressFn

LAST_FOLDER = "workspace_transfer/folder"
"""QSettings key: the folder a workspace file was last written to or read from."""
TITLE_EXPORT = "Export workspace"
TITLE_IMPORT = "Import workspace"
FILE_FILTER = "Workspace files (*.json);;All files (*)"
STATUS_MS = 10000


def ask_save_path(parent: QWidget, suggested: str) -> str | None:
    path, _filter = QFileDialog.getSaveFileName(parent, TITLE_EXPORT, suggested, FILE_FILTER)
    return path or None


def ask_open_path(parent: QWidget, folder: str) -> str | None:
    path, _filter = QFileDialog.getOpenFileName(parent, TITLE_IMPORT, folder, FILE_FILTER)
    return path or None


def ask_confirm_replace(parent: QWidget, text: str) -> bool:
    """Yes/No with No as the default: replacing is the destructive choice."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(TITLE_IMPORT)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    replace = box.addButton("Replace the workspace", QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton("Keep it", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    try:
        box.exec()
        return box.clickedButton() is replace
    finally:
        box.deleteLater()


def show_notice(parent: QWidget, title: str, text: str, icon: QMessageBox.Icon) -> None:
    show_message(parent, title, text, icon)


@dataclass
class Askers:
    """Every question and message of the two commands, replaceable in tests."""

    save_path: Callable[[QWidget, str], str | None] = ask_save_path
    open_path: Callable[[QWidget, str], str | None] = ask_open_path
    confirm_replace: Callable[[QWidget, str], bool] = ask_confirm_replace
    notify: Callable[[QWidget, str, str, QMessageBox.Icon], None] = show_notice


def last_folder() -> Path:
    saved = ui_settings().value(LAST_FOLDER)
    if isinstance(saved, str) and saved and Path(saved).is_dir():
        return Path(saved)
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents else Path.home()


def remember_folder(path: Path) -> None:
    settings = ui_settings()
    settings.setValue(LAST_FOLDER, str(path.parent))
    settings.sync()


def _today(window: QWidget) -> dt.date:
    provider = getattr(window, "as_of_provider", None)
    return provider() if callable(provider) else dt.date.today()


def _status(window: QWidget, askers: Askers, title: str, text: str) -> None:
    """A quiet outcome: the status bar of a main window, else a message."""
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(text, STATUS_MS)
    else:
        askers.notify(window, title, text, QMessageBox.Icon.Information)


def _busy(window: QWidget) -> bool:
    return any(operation.running for operation in window.findChildren(Operation))


# -- running work ----------------------------------------------------------------------------


@dataclass
class Outcome:
    """How background work ended: ``done`` (with ``value``), ``failed`` or ``cancelled``."""

    state: str = "running"
    value: Any = None
    message: str = ""


def run_with_progress(
    window: QWidget, title: str, text: str, cancelling: str, work: Callable[[ProgressFn], Any]
) -> Outcome:
    """Run ``work`` on a worker behind a progress dialog; return once it has ended."""
    outcome = Outcome()
    loop = QEventLoop()
    dialog = QProgressDialog(text, "", 0, 0, window)
    cancel_button = QPushButton("Cancel")
    dialog.setCancelButton(cancel_button)
    dialog.canceled.disconnect(dialog.cancel)  # stay up until the work has really stopped
    dialog.setObjectName("workspace_transfer_progress")
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumWidth(420)

    def cancel() -> None:
        operation.cancel()
        cancel_button.setEnabled(False)
        dialog.setLabelText(cancelling)

    def progress(done: int, total: int, label: str) -> None:
        if total <= 0:
            dialog.setRange(0, 0)  # not known yet: a busy bar
        else:
            dialog.setRange(0, total)
            dialog.setValue(min(done, total))
        dialog.setLabelText(f"{label}…")

    def end(state: str, value: Any = None, message: str = "") -> None:
        outcome.state, outcome.value, outcome.message = state, value, message
        dialog.hide()  # not close(): QProgressDialog.closeEvent would emit canceled
        dialog.deleteLater()
        loop.quit()

    operation = Operation(
        window,
        work,
        on_success=lambda value: end("done", value),
        on_failure=lambda message: end("failed", message=message),
        on_progress=progress,
        on_cancelled=lambda: end("cancelled"),
    )
    dialog.canceled.connect(cancel)
    dialog.rejected.connect(operation.cancel)  # Esc hides the dialog: stop the work too
    dialog.show()
    operation.start()
    if outcome.state == "running":
        loop.exec()
    return outcome


# -- export ----------------------------------------------------------------------------------


def export_workspace(window: QWidget, store: Store, *, askers: Askers | None = None) -> None:
    """Ask where, then write everything in ``store`` to one JSON file."""
    askers = askers or Askers()
    if _busy(window):
        _status(window, askers, TITLE_EXPORT, "Still working on the previous task; try again soon.")
        return
    name = safe_file_name(f"vcio_desk workspace {_today(window).isoformat()}", ".json")
    chosen = askers.save_path(window, str(last_folder() / name))
    if not chosen:
        return
    path = Path(chosen).expanduser()
    if not path.suffix:
        path = path.with_name(path.name + ".json")

    def work(progress: ProgressFn) -> Any:
        from vcio_desk.services.workspace_transfer import export_workspace as export

        return export(store, path, progress=progress)

    outcome = run_with_progress(
        window, TITLE_EXPORT, "Exporting the workspace…", "Cancelling… (no file is written)", work
    )
    if outcome.state == "done":
        report = outcome.value
        remember_folder(path)
        _status(
            window,
            askers,
            TITLE_EXPORT,
            f"Workspace exported to {path}: {report.total_rows:,} rows "
            f"({report.size_bytes / 1e6:.1f} MB).",
        )
    elif outcome.state == "failed":
        askers.notify(window, TITLE_EXPORT, outcome.message, QMessageBox.Icon.Warning)
    else:
        _status(window, askers, TITLE_EXPORT, "Export cancelled; no file was written.")


# -- import ----------------------------------------------------------------------------------


def import_workspace(window: QWidget, store: Store, *, askers: Askers | None = None) -> bool:
    """Ask for a workspace file, check it, confirm a replace, import. True once imported.

    The caller reloads what it shows when this returns True.
    """
    from vcio_desk.services.workspace_transfer import (
        apply_document,
        describe_content,
        load_workspace_file,
        workspace_content,
    )

    askers = askers or Askers()
    if store.read_only:
        askers.notify(
            window,
            TITLE_IMPORT,
            "This workspace is open read-only; nothing can be imported into it.",
            QMessageBox.Icon.Warning,
        )
        return False
    if _busy(window):
        _status(window, askers, TITLE_IMPORT, "Still working on the previous task; try again soon.")
        return False
    chosen = askers.open_path(window, str(last_folder()))
    if not chosen:
        return False
    path = Path(chosen).expanduser()

    checked = run_with_progress(
        window,
        TITLE_IMPORT,
        f"Checking {path.name}…",
        "Cancelling…",
        lambda progress: load_workspace_file(path, progress=progress),
    )
    if checked.state != "done":
        return _not_imported(window, askers, checked)
    document = checked.value
    remember_folder(path)

    content = workspace_content(store)
    if content:
        backup_dir = store.location.backup_dir
        if backup_dir is None:
            askers.notify(
                window,
                TITLE_IMPORT,
                "This workspace is on a database server, where vcio_desk cannot take a backup "
                "first; import into an empty database instead.",
                QMessageBox.Icon.Warning,
            )
            return False
        header = document.header
        question = (
            f"This workspace already holds {describe_content(content)}.\n\n"
            f"Importing {path.name} (exported {header.exported_at:%Y-%m-%d %H:%M} UTC by "
            f"vcio_desk {header.app_version}, {document.total_rows:,} rows) replaces "
            "everything in it; nothing is merged.\n\n"
            f"A copy of the current workspace is saved first in {backup_dir}."
        )
        if not askers.confirm_replace(window, question):
            return False

    written = run_with_progress(
        window,
        TITLE_IMPORT,
        f"Importing {path.name}…",
        "Cancelling… (the workspace stays as it was)",
        lambda progress: apply_document(
            store, document, source=path, replace=bool(content), progress=progress
        ),
    )
    if written.state != "done":
        return _not_imported(window, askers, written)
    report = written.value
    text = f"Workspace imported from {path.name}: {report.total_rows:,} rows."
    if report.backup is not None:
        text += f"\n\nThe previous content was saved to {report.backup}."
    askers.notify(window, TITLE_IMPORT, text, QMessageBox.Icon.Information)
    return True


def _not_imported(window: QWidget, askers: Askers, outcome: Outcome) -> bool:
    if outcome.state == "failed":
        askers.notify(window, TITLE_IMPORT, outcome.message, QMessageBox.Icon.Warning)
    else:
        _status(window, askers, TITLE_IMPORT, "Import cancelled; the workspace is unchanged.")
    return False
