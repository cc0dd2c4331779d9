"""The meeting page's pack commands: export, preview and print one meeting's pack.

The pack is assembled and rendered by ``services.packs`` on a worker (reportlab is
imported only then). What typed notes the page holds are saved first, so the pack
shows them. Rendering warnings (characters the fonts lack, a logo that could not be
read) are always told to the person, after the export and before printing; the
preview shows them above the pages.

Every question goes through a replaceable callable (``ask_export``, ``ask_print``,
``open_url``, ``notify``) so tests drive the real work without anything blocking.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from vcio_desk.atomic import safe_file_name
from vcio_desk.domain.errors import VcioDeskError
from vcio_desk.reports.pack_data import Edition
from vcio_desk.services.meeting_prep import MeetingHead
from vcio_desk.services.packs import pack_file_name
from vcio_desk.services.workspace_settings import read_workspace
from vcio_desk.store import Store
from vcio_desk.ui.dialogs.messages import show_message
from vcio_desk.ui.dialogs.pack_export_dialog import (
    ExportChoice,
    ExportRequest,
    PackExportDialog,
    edition_label,
)
from vcio_desk.ui.formatting import format_date
from vcio_desk.ui.widgets.pack_print import (
    PrintAsker,
    ask_print,
    load_pdf,
    print_document,
    printer_for,
)
from vcio_desk.ui.workers import Operation, ProgressFn, run_in_background

if TYPE_CHECKING:
    from PySide6.QtPdf import QPdfDocument

    from vcio_desk.ui.pages.pack_preview import PackPreview

ExportAsker = Callable[[QWidget, ExportRequest], ExportChoice | None]
UrlOpener = Callable[[QUrl], bool]
Notifier = Callable[[QWidget, str, str], None]
"""``(parent, title, text)``: a plain-text message."""

TITLE_EXPORT = "Export pack"
TITLE_PRINT = "Print pack"


def notify(parent: QWidget, title: str, text: str) -> None:
    show_message(parent, title, text, QMessageBox.Icon.Information)


LOGO_HINT = "Logos are chosen in Settings (MSP logo) and with Logo… on the client's page."


def warnings_text(warnings: Sequence[str]) -> str:
    """One bullet per warning, and where logos are set when one is about a logo."""
    text = "\n".join(f"• {w}" for w in warnings)
    if any("logo" in w.lower() for w in warnings):
        text += f"\n\n{LOGO_HINT}"
    return text


def pack_title(head: MeetingHead | None) -> str:
    """ "vCIO meeting — Acme Dental — 1 Dec 2026" (or "Meeting pack" before it is loaded)."""
    if head is None:
        return "Meeting pack"
    return f"{head.meeting_type} — {head.subject} — {format_date(head.start.date())}"


def file_name_for(head: MeetingHead | None, edition: Edition) -> str:
    """The file name the services give the pack ("2026-12-01 Acme - vCIO meeting (client).pdf")."""
    if head is None:
        return safe_file_name(f"Meeting pack ({edition.value})", ".pdf")
    return pack_file_name(head.start, head.subject, head.meeting_type, edition)


class PackCommands(QObject):
    """Export / preview / print for one meeting, on behalf of its page (``window``)."""

    busy_changed = Signal(bool)
    exported = Signal(object)
    """The ``PackResult`` of a written pack (its path in :attr:`last_path`)."""
    printed = Signal(int)
    """How many pages were sent to the printer."""

    def __init__(
        self,
        window: QWidget,
        store: Store,
        meeting_id: int,
        as_of_provider: Callable[[], dt.date],
        head: Callable[[], MeetingHead | None],
        *,
        before: Callable[[], object] | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.store = store
        self.meeting_id = meeting_id
        self.as_of_provider = as_of_provider
        self._head = head
        self._before = before or (lambda: None)
        self.ask_export: ExportAsker = PackExportDialog.ask
        self.ask_print: PrintAsker = ask_print
        self.open_url: UrlOpener = QDesktopServices.openUrl
        self.notify: Notifier = notify
        self.preview: PackPreview | None = None
        self.operation: Operation | None = None
        self.last_path: Path | None = None

    # -- facts -------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self.operation is not None and self.operation.running

    def title(self) -> str:
        return pack_title(self._head())

    def file_name(self, edition: Edition) -> str:
        return file_name_for(self._head(), edition)

    def default_paper(self) -> str:
        return read_workspace(self.store).paper_size

    def render(self, edition: Edition, paper: str) -> Callable[[ProgressFn], Any]:
        """The work that renders the pack to bytes (for a worker)."""
        store, meeting_id, as_of = self.store, self.meeting_id, self.as_of_provider()

        def work(_progress: ProgressFn) -> Any:
            from vcio_desk.services.packs import pack_bytes  # reportlab loads here

            return pack_bytes(store, meeting_id, edition, paper, as_of)

        return work

    # -- export ------------------------------------------------------------------------------

    def export(
        self,
        edition: Edition = Edition.CLIENT,
        paper: str | None = None,
        *,
        parent: QWidget | None = None,
    ) -> bool:
        """Ask edition, paper and file, then write the pack on a worker; False if not started."""
        parent = parent or self.window
        if self.busy:
            return False
        self._before()
        request = ExportRequest(
            self.title(), self.file_name, edition, paper or self.default_paper()
        )
        choice = self.ask_export(parent, request)
        if choice is None:
            return False
        store, meeting_id, as_of = self.store, self.meeting_id, self.as_of_provider()

        def work(_progress: ProgressFn) -> Any:
            from vcio_desk.services.packs import write_pack  # reportlab loads here

            return write_pack(store, meeting_id, choice.edition, choice.paper, as_of, choice.path)

        self._start(
            work,
            lambda result: self._exported(parent, choice, result),
            lambda message: self.notify(parent, TITLE_EXPORT, message),
        )
        return True

    def _exported(self, parent: QWidget, choice: ExportChoice, result: Any) -> None:
        self.last_path = choice.path
        pages = f"{result.pages} page{'s' if result.pages != 1 else ''}"
        if result.warnings:
            self.notify(
                parent,
                TITLE_EXPORT,
                f"The {edition_label(choice.edition).lower()} ({pages}) was written to "
                f"{choice.path}, with warnings:\n\n{warnings_text(result.warnings)}",
            )
        self.exported.emit(result)
        if choice.open_after and not self.open_url(QUrl.fromLocalFile(str(choice.path))):
            self.notify(
                parent,
                TITLE_EXPORT,
                f"The pack was written to {choice.path}, but no program to open PDF files "
                "was found. Open it from that folder.",
            )

    # -- preview -----------------------------------------------------------------------------

    def show_preview(self) -> PackPreview:
        """The pages in a window of their own (one per meeting page; raised if open)."""
        from vcio_desk.ui.pages.pack_preview import PackPreview  # QtPdf loads here

        self._before()
        if self.preview is None:
            preview = PackPreview(self, self.default_paper(), parent=self.window)
            preview.destroyed.connect(lambda _obj=None: setattr(self, "preview", None))
            self.preview = preview
            preview.render()
        else:
            self.preview.render()  # the meeting may have changed since
        self.preview.show()
        self.preview.raise_()
        self.preview.activateWindow()
        return self.preview

    # -- print -------------------------------------------------------------------------------

    def print_pack(self, edition: Edition = Edition.CLIENT, paper: str | None = None) -> bool:
        """Render the pack (the client edition by default), then the print dialog."""
        if self.busy:
            return False
        self._before()
        paper = paper or self.default_paper()
        self._start(
            self.render(edition, paper),
            lambda result: self._print_rendered(result),
            lambda message: self.notify(self.window, TITLE_PRINT, message),
        )
        return True

    def _print_rendered(self, result: Any) -> None:
        try:
            document = load_pdf(result.pdf, self)
        except VcioDeskError as err:
            self.notify(self.window, TITLE_PRINT, err.user_message)
            return
        try:
            self.print_document(self.window, document, result.warnings)
        finally:
            document.deleteLater()

    def print_document(
        self, parent: QWidget, document: QPdfDocument, warnings: Sequence[str] = ()
    ) -> int:
        """Warnings first (a missing character prints as a gap), then the dialog; pages sent."""
        if warnings:
            self.notify(
                parent,
                TITLE_PRINT,
                f"The pack was made with warnings:\n\n{warnings_text(warnings)}",
            )
        printer = printer_for(document, self.title())
        if not self.ask_print(parent, printer):
            return 0
        try:
            sent = print_document(document, printer)
        except VcioDeskError as err:
            self.notify(parent, TITLE_PRINT, err.user_message)
            return 0
        self.printed.emit(sent)
        return sent

    # -- internals ---------------------------------------------------------------------------

    def _start(
        self,
        work: Callable[[ProgressFn], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[str], None],
    ) -> None:
        def done(result: Any) -> None:
            self._set_busy(False)
            on_success(result)

        def failed(message: str) -> None:
            self._set_busy(False)
            on_failure(message)

        self.operation = run_in_background(self.window, work, on_success=done, on_failure=failed)
        self._set_busy(True)

    def _set_busy(self, busy: bool) -> None:
        if not busy:
            self.operation = None
        self.busy_changed.emit(busy)
