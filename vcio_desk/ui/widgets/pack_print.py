"""A rendered pack as a Qt PDF document, and printing it through the system's print dialog.

The pack arrives as bytes (``services.packs.pack_bytes``); :func:`load_pdf` turns them
into a ``QPdfDocument`` read from an in-memory buffer, so nothing is written to disk to
preview or print. Printing paints each page, rendered at up to 300 dpi, into the
printable area of the printer's paper, scaled to fit and centred: an A4 pack prints
whole on Letter paper and the other way round. The print dialog is reached through a
replaceable :data:`PrintAsker` so tests print to a PDF file without anything blocking.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from vcio_desk.domain.errors import VcioDeskError

PrintAsker = Callable[[QWidget, QPrinter], bool]
"""``(parent, printer) -> print?``: the system print dialog, or a test's answer."""

MAX_PRINT_DPI = 300
"""Sharp for text and charts; more only makes the spooled job larger."""


class PdfLoadError(VcioDeskError):
    """The rendered bytes could not be read back as a PDF (should not happen; said plainly)."""


def load_pdf(data: bytes, parent: QObject | None = None) -> QPdfDocument:
    """A document read from ``data`` in memory; the buffer lives as long as the document."""
    document = QPdfDocument(parent)
    buffer = QBuffer(document)
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() < 1:
        error = document.error()
        document.deleteLater()
        raise PdfLoadError(f"The pack could not be shown ({error.name}).")
    return document


def ask_print(parent: QWidget, printer: QPrinter) -> bool:
    """The system print dialog over ``parent``; True when the person chose Print."""
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Print pack")
    dialog.setOption(QPrintDialog.PrintDialogOption.PrintToFile, True)
    dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
    try:
        return dialog.exec() == QDialog.DialogCode.Accepted
    finally:
        dialog.deleteLater()


def printer_for(document: QPdfDocument, title: str) -> QPrinter:
    """A printer set up for the pack: its paper size, portrait, the pack's title as job name."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    points = document.pagePointSize(0)
    printer.setPageSize(
        QPageSize(points, QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch)
    )
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setFromTo(1, document.pageCount())
    printer.setPrintRange(QPrinter.PrintRange.AllPages)
    return printer


def page_range(printer: QPrinter, page_count: int) -> range:
    """The zero-based pages the person chose in the dialog (all of them by default)."""
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first = max(1, printer.fromPage())
        last = min(page_count, printer.toPage() or page_count)
        return range(first - 1, last)
    return range(page_count)


def fit_rect(page: QSizeF, area: QRectF) -> QRectF:
    """``page`` scaled to fit ``area`` (aspect kept), centred in it."""
    if page.width() <= 0 or page.height() <= 0:
        return QRectF(area)
    scale = min(area.width() / page.width(), area.height() / page.height())
    width, height = page.width() * scale, page.height() * scale
    return QRectF(
        area.x() + (area.width() - width) / 2,
        area.y() + (area.height() - height) / 2,
        width,
        height,
    )


def print_document(document: QPdfDocument, printer: QPrinter) -> int:
    """Paint the chosen pages onto ``printer``; the number of pages sent.

    Raises :class:`VcioDeskError` when the printer cannot be opened (no printer, an
    unwritable file for "print to file").
    """
    pages = page_range(printer, document.pageCount())
    if not pages:
        return 0
    painter = QPainter()
    if not painter.begin(printer):
        raise VcioDeskError("The printer could not be opened; nothing was printed.")
    dpi = min(printer.resolution(), MAX_PRINT_DPI)
    options = QPdfDocumentRenderOptions()
    options.setRenderFlags(QPdfDocumentRenderOptions.RenderFlag.Annotations)
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    sent = 0
    try:
        area = printer.pageRect(QPrinter.Unit.DevicePixel)
        area.moveTo(0, 0)  # the painter's origin is the printable area's corner
        for index in pages:
            if sent:
                printer.newPage()
            points = document.pagePointSize(index)
            target = fit_rect(points, area)
            scale = dpi / printer.resolution()
            size = QSize(round(target.width() * scale), round(target.height() * scale))
            image = document.render(index, size, options)
            painter.drawImage(target, image)
            sent += 1
    finally:
        QGuiApplication.restoreOverrideCursor()
        painter.end()
    return sent
