"""The pack preview: the pages from memory, page x of y, zoom, edition and paper re-render
on a worker, warnings on show, print and export of what is shown.

A real demo workspace and the real renderer; printing goes to a PDF file through the
replaceable print asker.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QSizeF, Qt
from PySide6.QtGui import QPageSize
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter

from vcio_desk.reports.pack_data import Edition
from vcio_desk.services.meeting_prep import meeting_detail
from vcio_desk.services.packs import pack_bytes
from vcio_desk.store import Store
from vcio_desk.store import models as m
from vcio_desk.ui.dialogs.pack_export_dialog import ExportRequest
from vcio_desk.ui.pages.meeting_page import MeetingPage
from vcio_desk.ui.pages.pack_preview import PackPreview

from .pack_world import AS_OF, build_pack_demo, next_client_meeting, pdf_pages

C_LOCALE = QLocale(QLocale.Language.C)
A4 = QSizeF(595.3, 841.9)
LETTER = QSizeF(612, 792)
OFFSCREEN_NOISE = (
    r"This plugin does not support propagateSizeHints\(\)",  # as tests/gui/conftest.py
    r"This plugin does not support raise\(\)",  # raising the preview window, offscreen
)


@pytest.fixture
def demo(workspace: Store) -> Store:
    return build_pack_demo(workspace)


@pytest.fixture
def page(qtbot, demo: Store) -> MeetingPage:
    page = MeetingPage(demo, next_client_meeting(demo), lambda: AS_OF, locale=C_LOCALE)
    qtbot.addWidget(page)
    page.reload()
    page.pack.notify = lambda _parent, _title, text: pytest.fail(f"unexpected message: {text}")
    return page


def wait_rendered(qtbot, preview: PackPreview) -> None:
    qtbot.waitUntil(lambda: preview.document is not None and not preview.rendering, timeout=30000)


def close_to(size: QSizeF, expected: QSizeF) -> bool:
    return abs(size.width() - expected.width()) < 1 and abs(size.height() - expected.height()) < 1


@pytest.fixture
def preview(qtbot, page: MeetingPage) -> PackPreview:
    preview = page.pack.show_preview()
    qtbot.waitExposed(preview)
    wait_rendered(qtbot, preview)
    return preview


@pytest.mark.qt_log_ignore(*OFFSCREEN_NOISE)
def test_the_preview_shows_every_page_fitted_to_the_width(
    qtbot, page: MeetingPage, preview: PackPreview, demo: Store
) -> None:
    expected = pack_bytes(demo, page.meeting_id, Edition.CLIENT, "A4", AS_OF)
    assert preview.isWindow() and preview.parent() is page
    assert preview.page_count() == expected.pages > 1
    assert preview.view.pageMode() == QPdfView.PageMode.MultiPage
    assert preview.view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    assert preview.page_label.text() == f"Page 1 of {expected.pages}"
    assert preview.shown_choice == (Edition.CLIENT, "A4"), "client edition, workspace paper"
    assert close_to(preview.document.pagePointSize(0), A4)
    head = meeting_detail(demo, page.meeting_id).head
    assert head.subject in preview.windowTitle()
    assert f"{expected.pages} pages" in preview.status_label.text()
    assert not preview.prev_button.isEnabled() and preview.next_button.isEnabled()

    preview.next_page()
    qtbot.waitUntil(lambda: preview.page_label.text() == f"Page 2 of {expected.pages}")
    preview.go_to_page(expected.pages + 5)
    qtbot.waitUntil(lambda: preview.current_page() == expected.pages - 1)
    assert not preview.next_button.isEnabled()

    assert page.pack.show_preview() is preview, "one preview per meeting page, raised"
    wait_rendered(qtbot, preview)


@pytest.mark.qt_log_ignore(*OFFSCREEN_NOISE)
def test_zoom_and_fit(qtbot, preview: PackPreview) -> None:
    preview.view.resize(800, 600)
    preview.zoom_in()
    assert preview.view.zoomMode() == QPdfView.ZoomMode.Custom
    factor = preview.view.zoomFactor()
    preview.zoom_in()
    assert preview.view.zoomFactor() == pytest.approx(factor * 1.25)
    for _ in range(20):
        preview.zoom_in()
    assert preview.view.zoomFactor() == pytest.approx(4.0), "zoom stops at 400 %"
    preview.fit_page()
    assert preview.view.zoomMode() == QPdfView.ZoomMode.FitInView
    qtbot.keyClick(preview.view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert preview.view.zoomMode() == QPdfView.ZoomMode.FitToWidth


@pytest.mark.qt_log_ignore(*OFFSCREEN_NOISE)
def test_edition_and_paper_render_again_and_only_the_latest_is_shown(
    qtbot, page: MeetingPage, preview: PackPreview, demo: Store
) -> None:
    first = preview.document
    preview.next_page()
    qtbot.waitUntil(lambda: preview.current_page() == 1)
    preview.edition_buttons[Edition.INTERNAL].setChecked(True)
    assert preview.rendering, "on a worker"
    assert preview.document is first, "the old pages stay on screen meanwhile"
    preview.paper_combo.setCurrentText("Letter")  # while the internal edition renders
    qtbot.waitUntil(lambda: preview.shown_choice == (Edition.INTERNAL, "Letter"), timeout=30000)
    wait_rendered(qtbot, preview)
    internal = pack_bytes(demo, page.meeting_id, Edition.INTERNAL, "Letter", AS_OF)
    assert preview.page_count() == internal.pages
    assert close_to(preview.document.pagePointSize(0), LETTER)
    assert preview.status_label.text().startswith("Internal edition · Letter")
    qtbot.waitUntil(lambda: preview.current_page() == 1)  # the reader's place is kept


@pytest.mark.qt_log_ignore(*OFFSCREEN_NOISE)
def test_warnings_are_shown_above_the_pages(qtbot, page: MeetingPage, demo: Store) -> None:
    head = meeting_detail(demo, page.meeting_id).head
    with demo.transaction() as session:
        client = session.get(m.Client, head.subject_id)
        assert client is not None
        client.logo = b"not an image at all, but stored anyway"
    preview = page.pack.show_preview()
    wait_rendered(qtbot, preview)
    assert preview.result.warnings
    assert preview.warning_label.isVisible()
    text = preview.warning_label.text()
    assert text.startswith("Rendered with warnings")
    assert all(w in text for w in preview.result.warnings)
    assert preview.warning_label.textFormat() == Qt.TextFormat.PlainText


@pytest.mark.qt_log_ignore(*OFFSCREEN_NOISE)
def test_print_what_is_shown_all_pages_or_a_range(
    qtbot, preview: PackPreview, tmp_path: Path
) -> None:
    outputs: list[Path] = []
    ranges = [None, (2, 3)]

    def ask(_parent: object, printer: QPrinter) -> bool:
        paper = printer.pageLayout().pageSize().size(QPageSize.Unit.Point)
        assert close_to(paper, A4), "the printer starts on the pack's paper"
        target = tmp_path / f"printed-{len(outputs)}.pdf"
        outputs.append(target)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        chosen = ranges[len(outputs) - 1]
        if chosen is not None:
            printer.setPrintRange(QPrinter.PrintRange.PageRange)
            printer.setFromTo(*chosen)
        return True

    preview.commands.ask_print = ask
    assert preview.print_pages() == preview.page_count()
    assert pdf_pages(outputs[0]) == preview.page_count()
    qtbot.keyClick(preview.view, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert pdf_pages(outputs[1]) == 2, "pages 2 to 3"


@pytest.mark.qt_log_ignore(*OFFSCREEN_NOISE)
def test_export_from_the_preview_starts_from_what_is_shown(qtbot, preview: PackPreview) -> None:
    preview.edition_buttons[Edition.INTERNAL].setChecked(True)
    qtbot.waitUntil(lambda: preview.shown_choice == (Edition.INTERNAL, "A4"), timeout=30000)
    asked: list[tuple[object, ExportRequest]] = []
    preview.commands.ask_export = lambda parent, request: asked.append((parent, request))
    qtbot.keyClick(
        preview.view,
        Qt.Key.Key_E,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert len(asked) == 1
    parent, request = asked[0]
    assert parent is preview
    assert (request.edition, request.paper) == (Edition.INTERNAL, "A4")


@pytest.mark.qt_log_ignore(*OFFSCREEN_NOISE)
def test_closing_the_preview_forgets_it(qtbot, page: MeetingPage, preview: PackPreview) -> None:
    qtbot.keyClick(preview.view, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: page.pack.preview is None)
    assert page.findChild(PackPreview) is None, "deleted on close"
