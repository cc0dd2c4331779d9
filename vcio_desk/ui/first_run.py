"""First run: an empty workspace offers a demo to look around, a clean start, or an import.

The question is asked through a *chooser*, a callable ``(parent) -> FirstRunChoice``.
The app uses :meth:`FirstRunDialog.ask`; tests pass a stub (the pytest-qt "ask()
classmethod" pattern) so nothing blocks on a modal dialog.
The demo itself is written by ``services.demo.build_demo`` on a worker thread
behind a modal progress dialog; it writes in one transaction, so cancelling
leaves the workspace empty.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.ui import icons
from vcio_desk.ui.workers import Operation, ProgressFn

if TYPE_CHECKING:
    from vcio_desk.ui.main_window import MainWindow

DEMO_CLIENTS = 40
DEMO_YEARS = 3
DEMO_SEED = 7


class FirstRunChoice(StrEnum):
    DEMO = "demo"
    EMPTY = "empty"
    IMPORT = "import"


Chooser = Callable[[QWidget], FirstRunChoice]
Importer = Callable[["MainWindow"], Any]
"""Opens the import dialog over the window (tests pass a stub)."""


class FirstRunDialog(QDialog):
    """Three big choices with a sentence each; closing the dialog means "Start empty"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Welcome to vcio_desk")
        self.setObjectName("first_run_dialog")
        self.choice = FirstRunChoice.EMPTY
        logo = QLabel()
        logo.setPixmap(icons.icon("app").pixmap(QSize(48, 48)))
        heading = QLabel("Welcome to vcio_desk")
        font = QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        heading.setFont(font)
        intro = QLabel(
            "This workspace has no clients yet. How would you like to start? "
            "You can change your mind later."
        )
        intro.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(logo, 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        text.addWidget(heading)
        text.addWidget(intro)
        top.addLayout(text, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addSpacing(8)
        self.demo_button = self._add_choice(
            layout,
            FirstRunChoice.DEMO,
            "demo",
            "Open a demo workspace",
            f"Fill this empty workspace with {DEMO_CLIENTS} realistic clients, their owners, "
            f"rhythms and {DEMO_YEARS} years of meetings, to see every page with data in it.",
        )
        self.empty_button = self._add_choice(
            layout,
            FirstRunChoice.EMPTY,
            "empty",
            "Start empty",
            "Begin with a clean workspace and add your own clients and staff.",
        )
        self.import_button = self._add_choice(
            layout,
            FirstRunChoice.IMPORT,
            "import",
            "Import clients…",
            "Bring in your client list from a CSV file: an Autotask or ConnectWise export, "
            "or a spreadsheet. You see a preview and a report before anything is kept.",
        )
        self.demo_button.setDefault(True)
        self.setMinimumWidth(480)

    def _add_choice(
        self,
        layout: QVBoxLayout,
        choice: FirstRunChoice,
        icon_name: str,
        title: str,
        description: str,
    ) -> QCommandLinkButton:
        button = QCommandLinkButton(title, description)
        button.setIcon(icons.icon(icon_name))
        button.setIconSize(QSize(24, 24))
        button.setObjectName(f"choice_{choice.value}")
        button.clicked.connect(lambda: self._choose(choice))
        layout.addWidget(button)
        return button

    def _choose(self, choice: FirstRunChoice) -> None:
        self.choice = choice
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget) -> FirstRunChoice:
        """Show the dialog modally and return what was chosen (EMPTY if it was closed)."""
        dialog = cls(parent)
        try:
            dialog.exec()
            return dialog.choice
        finally:
            dialog.deleteLater()


def offer_first_run(
    window: MainWindow, chooser: Chooser = FirstRunDialog.ask, importer: Importer | None = None
) -> FirstRunChoice | None:
    """On a workspace without clients ask how to start and act on it; None if it has some."""
    from vcio_desk.services.workspace import summarize

    if summarize(window.store).has_clients:
        return None
    choice = chooser(window)
    if choice is FirstRunChoice.DEMO:
        start_demo(window)
    elif choice is FirstRunChoice.IMPORT:
        if importer is None:
            from vcio_desk.ui.dialogs.import_clients import open_import_dialog

            importer = open_import_dialog
        importer(window)
    return choice


def start_demo(
    window: MainWindow,
    *,
    clients: int = DEMO_CLIENTS,
    years: int = DEMO_YEARS,
    seed: int = DEMO_SEED,
) -> Operation | None:
    """Build the demo into the window's workspace off the UI thread, then show its clients.

    Returns None (and says so) when a background job is already running on the window.
    """
    if any(op.running for op in window.findChildren(Operation)):
        window.statusBar().showMessage("Still working on the previous task; try again soon.", 5000)
        return None
    as_of = window.as_of_provider()
    store = window.store

    def work(progress: ProgressFn) -> Any:
        from vcio_desk.services.demo import build_demo  # heavy (holidays): load on demand

        return build_demo(
            store, clients=clients, years=years, seed=seed, as_of=as_of, progress=progress
        )

    dialog = QProgressDialog("Preparing the demo workspace…", "", 0, 0, window)
    cancel_button = QPushButton("Cancel")
    dialog.setCancelButton(cancel_button)
    dialog.canceled.disconnect(dialog.cancel)  # stay up until the work has really stopped
    dialog.setObjectName("demo_progress")
    dialog.setWindowTitle("Demo workspace")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumWidth(380)

    def cancel() -> None:
        operation.cancel()
        cancel_button.setEnabled(False)
        dialog.setLabelText("Cancelling… (nothing is kept)")

    def progress(done: int, total: int, label: str) -> None:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(min(done, max(total, 1)))
        dialog.setLabelText(f"{label}…")

    def finish() -> None:
        dialog.hide()  # not close(): QProgressDialog.closeEvent would emit canceled
        dialog.deleteLater()

    def succeeded(_report: object) -> None:
        finish()
        window.clients_page.reload()
        window.show_page("clients")
        window.statusBar().showMessage("The demo workspace is ready.", 8000)

    def failed(message: str) -> None:
        finish()
        QMessageBox.warning(window, "Demo workspace", message)

    def cancelled() -> None:
        finish()
        window.statusBar().showMessage("The demo was cancelled; the workspace is unchanged.", 8000)

    operation = Operation(
        window,
        work,
        on_success=succeeded,
        on_failure=failed,
        on_progress=progress,
        on_cancelled=cancelled,
    )
    dialog.canceled.connect(cancel)
    dialog.rejected.connect(operation.cancel)  # Esc hides the dialog: stop the work too
    dialog.show()
    return operation.start()
