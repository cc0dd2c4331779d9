"""The pack's pages in a window: see what the client will hold before printing it.

The pack is rendered on a worker (``services.packs.pack_bytes``) and shown from memory
in a ``QPdfView``: every page one under the other, fitted to the window's width.
Switching edition or paper renders again on the worker while the old pages stay on
screen; only the latest request is shown (one render at a time, a newer choice
waits for the running one). Rendering warnings stay visible above the pages.

Keys: Ctrl+P prints what is shown, Ctrl+Shift+E exports it, Ctrl++ / Ctrl+- zoom,
Ctrl+0 fits the width again, Esc or Ctrl+W closes the window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QPointF, QSize, Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.domain.errors import VcioDeskError
from vcio_desk.reports.pack_data import Edition
from vcio_desk.ui.dialogs.pack_export_dialog import edition_buttons, edition_label, paper_combo
from vcio_desk.ui.preferences import PACK_PREVIEW_GEOMETRY, ui_settings
from vcio_desk.ui.widgets.pack_actions import warnings_text
from vcio_desk.ui.widgets.pack_print import load_pdf
from vcio_desk.ui.widgets.rhythm_editor import mute
from vcio_desk.ui.workers import Operation, run_in_background

if TYPE_CHECKING:
    from vcio_desk.ui.widgets.pack_actions import PackCommands

WARNING_STYLE = "background: #FFF4CE; color: #5C4400; padding: 6px 8px; border-radius: 3px;"
ERROR_STYLE = "background: #FDE7E9; color: #8A1C1C; padding: 6px 8px; border-radius: 3px;"
ZOOM_STEP = 1.25
ZOOM_RANGE = (0.25, 4.0)
DEFAULT_SIZE = QSize(1000, 900)


class PackPreview(QWidget):
    """A window over one meeting's pack: edition, paper, pages, zoom; Export… and Print…."""

    def __init__(
        self,
        commands: PackCommands,
        paper: str,
        *,
        edition: Edition = Edition.CLIENT,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("pack_preview")
        self.setWindowFlag(Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.commands = commands
        self.document: QPdfDocument | None = None
        self.result: Any = None
        """The ``PackResult`` on screen (None before the first render)."""
        self.shown_choice: tuple[Edition, str] | None = None
        self._operation: Operation | None = None
        self._pending = False

        self.edition_group, self.edition_buttons = edition_buttons(self)
        self.edition_buttons[edition].setChecked(True)
        self.paper_combo = paper_combo(paper)
        self.prev_button = self._tool("◀", "Previous page (Page Up)", self.previous_page)
        self.next_button = self._tool("▶", "Next page (Page Down)", self.next_page)
        self.page_label = QLabel("")
        self.page_label.setObjectName("page_label")
        self.page_label.setMinimumWidth(110)
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.zoom_out_button = self._tool("−", "Zoom out (Ctrl+-)", self.zoom_out)
        self.zoom_in_button = self._tool("+", "Zoom in (Ctrl++)", self.zoom_in)
        self.fit_width_button = self._tool(
            "Fit width", "Fit the page width (Ctrl+0)", self.fit_width
        )
        self.fit_page_button = self._tool("Whole page", "Show whole pages", self.fit_page)
        self.export_button = QPushButton("E&xport…")
        self.export_button.setToolTip("Write this edition to a PDF file (Ctrl+Shift+E)")
        self.export_button.clicked.connect(self.export)
        self.print_button = QPushButton("&Print…")
        self.print_button.setToolTip("Print these pages (Ctrl+P)")
        self.print_button.clicked.connect(self.print_pages)

        bar = QHBoxLayout()
        bar.addWidget(mute(QLabel("Edition:")))
        for button in self.edition_buttons.values():
            bar.addWidget(button)
        bar.addSpacing(12)
        paper_caption = QLabel("P&aper:")
        paper_caption.setBuddy(self.paper_combo)
        bar.addWidget(mute(paper_caption))
        bar.addWidget(self.paper_combo)
        bar.addSpacing(18)
        for widget in (self.prev_button, self.page_label, self.next_button):
            bar.addWidget(widget)
        bar.addSpacing(18)
        for widget in (
            self.zoom_out_button,
            self.zoom_in_button,
            self.fit_width_button,
            self.fit_page_button,
        ):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.export_button)
        bar.addWidget(self.print_button)

        self.warning_label = QLabel()
        self.warning_label.setObjectName("pack_warnings")
        self.warning_label.setTextFormat(Qt.TextFormat.PlainText)
        self.warning_label.setWordWrap(True)
        self.warning_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.warning_label.hide()
        self.view = QPdfView()
        self.view.setObjectName("pack_pages")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.status_label = QLabel("Rendering…")
        self.status_label.setObjectName("pack_status")
        mute(self.status_label)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 6)
        layout.addLayout(bar)
        layout.addWidget(self.warning_label)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status_label)

        self.view.pageNavigator().currentPageChanged.connect(self._show_page_number)
        self.edition_group.buttonToggled.connect(self._choice_changed)
        self.paper_combo.currentIndexChanged.connect(self._choice_changed)
        for keys, slot in (
            (QKeySequence(QKeySequence.StandardKey.Print), self.print_pages),
            (QKeySequence("Ctrl+Shift+E"), self.export),
            (QKeySequence(QKeySequence.StandardKey.ZoomIn), self.zoom_in),
            (QKeySequence("Ctrl+="), self.zoom_in),
            (QKeySequence(QKeySequence.StandardKey.ZoomOut), self.zoom_out),
            (QKeySequence("Ctrl+0"), self.fit_width),
            (QKeySequence(Qt.Key.Key_PageDown), self.next_page),
            (QKeySequence(Qt.Key.Key_PageUp), self.previous_page),
            (QKeySequence(Qt.Key.Key_Escape), self.close),
            (QKeySequence(QKeySequence.StandardKey.Close), self.close),
        ):
            shortcut = QShortcut(keys, self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self._set_actions_enabled(False)
        self._restore_size()

    def _tool(self, text: str, tip: str, slot: Any) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setAutoRaise(True)
        button.clicked.connect(slot)
        return button

    # -- choices -----------------------------------------------------------------------------

    def edition(self) -> Edition:
        return next(e for e, b in self.edition_buttons.items() if b.isChecked())

    def paper(self) -> str:
        return self.paper_combo.currentText()

    def choice(self) -> tuple[Edition, str]:
        return self.edition(), self.paper()

    def _choice_changed(self, *_args: object) -> None:
        if self.edition_group.checkedButton() is not None:
            self.render()

    # -- rendering ---------------------------------------------------------------------------

    @property
    def rendering(self) -> bool:
        return self._operation is not None and self._operation.running

    def render(self) -> None:
        """Render the chosen edition and paper on a worker (after the running one, if any)."""
        if self.rendering:
            self._pending = True
            return
        self._pending = False
        edition, paper = choice = self.choice()
        title = self.commands.title()
        self.setWindowTitle(f"Pack preview — {title} — vcio_desk")
        self.status_label.setText(f"Rendering the {edition_label(edition).lower()} on {paper}…")
        self._operation = run_in_background(
            self,
            self.commands.render(edition, paper),
            on_success=lambda result: self._rendered(choice, result),
            on_failure=self._failed,
        )

    def _rendered(self, choice: tuple[Edition, str], result: Any) -> None:
        self._operation = None
        if self._pending or choice != self.choice():
            self.render()  # a newer choice was made meanwhile: show that one instead
            return
        try:
            document = load_pdf(result.pdf, self)
        except VcioDeskError as err:
            self._failed(err.user_message)
            return
        page = self.current_page()
        old = self.document
        self.document = document
        self.result = result
        self.shown_choice = choice
        self.view.setDocument(document)
        if old is not None:
            old.deleteLater()
        self._set_actions_enabled(True)
        self.go_to_page(min(page, document.pageCount() - 1))
        self._show_page_number()
        edition, paper = choice
        count = document.pageCount()
        self.status_label.setText(
            f"{edition_label(edition)} · {paper} · {count} page{'s' if count != 1 else ''}"
        )
        if result.warnings:
            self.warning_label.setText(f"Rendered with warnings:\n{warnings_text(result.warnings)}")
            self.warning_label.setStyleSheet(WARNING_STYLE)
        self.warning_label.setVisible(bool(result.warnings))

    def _failed(self, message: str) -> None:
        self._operation = None
        if self._pending:
            self.render()
            return
        self.status_label.setText("The pack could not be rendered.")
        self.warning_label.setText(message)
        self.warning_label.setStyleSheet(ERROR_STYLE)
        self.warning_label.show()
        self._set_actions_enabled(self.document is not None)

    def _set_actions_enabled(self, enabled: bool) -> None:
        for widget in (
            self.print_button,
            self.prev_button,
            self.next_button,
            self.zoom_in_button,
            self.zoom_out_button,
            self.fit_width_button,
            self.fit_page_button,
        ):
            widget.setEnabled(enabled)

    # -- pages and zoom ----------------------------------------------------------------------

    def page_count(self) -> int:
        return self.document.pageCount() if self.document is not None else 0

    def current_page(self) -> int:
        return self.view.pageNavigator().currentPage()

    def go_to_page(self, page: int) -> None:
        count = self.page_count()
        if count:
            page = max(0, min(page, count - 1))
            self.view.pageNavigator().jump(page, QPointF(), self.view.pageNavigator().currentZoom())

    def next_page(self) -> None:
        self.go_to_page(self.current_page() + 1)

    def previous_page(self) -> None:
        self.go_to_page(self.current_page() - 1)

    def page_text(self) -> str:
        count = self.page_count()
        return f"Page {self.current_page() + 1} of {count}" if count else ""

    def _show_page_number(self, *_args: object) -> None:
        self.page_label.setText(self.page_text())
        count, page = self.page_count(), self.current_page()
        self.prev_button.setEnabled(count > 0 and page > 0)
        self.next_button.setEnabled(count > 0 and page < count - 1)

    def zoom_in(self) -> None:
        self._zoom(self.view.zoomFactor() * ZOOM_STEP)

    def zoom_out(self) -> None:
        self._zoom(self.view.zoomFactor() / ZOOM_STEP)

    def _zoom(self, factor: float) -> None:
        low, high = ZOOM_RANGE
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(low, min(high, factor)))

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def fit_page(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)

    # -- commands ----------------------------------------------------------------------------

    def export(self) -> None:
        """Export with this window's edition and paper as the dialog's defaults."""
        edition, paper = self.shown_choice or self.choice()
        self.commands.export(edition, paper, parent=self)

    def print_pages(self) -> int:
        """Print what is on screen (the edition and paper shown)."""
        if self.document is None or self.result is None:
            return 0
        return self.commands.print_document(self, self.document, ())

    # -- window ------------------------------------------------------------------------------

    def _restore_size(self) -> None:
        geometry = ui_settings().value(PACK_PREVIEW_GEOMETRY)
        if not isinstance(geometry, QByteArray | bytes) or not self.restoreGeometry(geometry):
            self.resize(DEFAULT_SIZE)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._operation is not None:
            self._operation.cancel()
        settings = ui_settings()
        settings.setValue(PACK_PREVIEW_GEOMETRY, self.saveGeometry())
        settings.sync()
        super().closeEvent(event)
