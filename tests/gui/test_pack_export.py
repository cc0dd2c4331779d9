"""Exporting and printing a meeting's pack from its page: the dialog, the file, the viewer.

A real demo workspace and the real services and renderer; the page's questions (the
export dialog, the print dialog, the system viewer, messages) are answered through
its replaceable callables, and printing goes to a PDF file.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QLocale, Qt, QUrl
from PySide6.QtGui import QColor, QImage
from PySide6.QtPrintSupport import QPrinter

from vcio_desk.reports.pack_data import Edition
from vcio_desk.services.branding import set_client_logo, set_msp_logo
from vcio_desk.services.meeting_prep import meeting_detail, save_texts
from vcio_desk.services.workspace_settings import read_workspace, save_workspace
from vcio_desk.store import Store
from vcio_desk.store import models as m
from vcio_desk.ui.dialogs.pack_export_dialog import (
    ExportChoice,
    ExportRequest,
    PackExportDialog,
)
from vcio_desk.ui.pages.meeting_page import MeetingPage
from vcio_desk.ui.preferences import PACK_FOLDER, PACK_OPEN_AFTER, ui_settings

from .pack_world import AS_OF, build_pack_demo, next_client_meeting, pdf_pages, pdf_text

C_LOCALE = QLocale(QLocale.Language.C)
INTERNAL_MARK = "Renewal is at risk: raise the budget gently"
CLIENT_MARK = "We agreed to review the backup plan"


class Recorder:
    """Stands in for the page's questions: records what was asked, answers as told."""

    def __init__(self, page: MeetingPage) -> None:
        self.requests: list[ExportRequest] = []
        self.choice: ExportChoice | None = None
        self.opened: list[QUrl] = []
        self.open_ok = True
        self.messages: list[str] = []
        self.print_to: Path | None = None
        self.printers: list[QPrinter] = []
        commands = page.pack
        commands.ask_export = self._ask_export
        commands.open_url = self._open
        commands.notify = lambda _parent, _title, text: self.messages.append(text)
        commands.ask_print = self._ask_print

    def _ask_export(self, _parent: object, request: ExportRequest) -> ExportChoice | None:
        self.requests.append(request)
        return self.choice

    def _open(self, url: QUrl) -> bool:
        self.opened.append(url)
        return self.open_ok

    def _ask_print(self, _parent: object, printer: QPrinter) -> bool:
        self.printers.append(printer)
        if self.print_to is None:
            return False
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(self.print_to))
        return True


@pytest.fixture
def demo(workspace: Store) -> Store:
    return build_pack_demo(workspace)


@pytest.fixture
def meeting_id(demo: Store) -> int:
    return next_client_meeting(demo)


@pytest.fixture
def page(qtbot, demo: Store, meeting_id: int) -> MeetingPage:
    page = MeetingPage(demo, meeting_id, lambda: AS_OF, locale=C_LOCALE)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    qtbot.waitExposed(page)
    page.reload()
    return page


def wait_idle(qtbot, page: MeetingPage) -> None:
    qtbot.waitUntil(lambda: not page.pack.busy, timeout=30000)


# -- the header ------------------------------------------------------------------------------


def test_the_header_offers_the_pack_and_its_keys(qtbot, page: MeetingPage) -> None:
    header = page.header
    for button in header.pack_buttons:
        assert button.isVisible() and button.isEnabled()
    assert [b.text() for b in header.pack_buttons] == ["&Export pack…", "Pre&view…", "&Print…"]
    recorder = Recorder(page)
    qtbot.keyClick(
        page, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert len(recorder.requests) == 1, "Ctrl+Shift+E asks for the export"
    qtbot.keyClick(page, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, page)
    assert len(recorder.printers) == 1, "Ctrl+P renders, then asks the print dialog"
    assert recorder.messages == [] or all("warning" in m for m in recorder.messages)


def test_the_export_request_has_the_defaults(page: MeetingPage, demo: Store) -> None:
    save_workspace(demo, replace(read_workspace(demo), paper_size="Letter"))
    recorder = Recorder(page)
    assert not page.pack.export()  # the recorder answers "cancel"
    request = recorder.requests[0]
    head = meeting_detail(demo, page.meeting_id).head
    assert request.edition is Edition.CLIENT
    assert request.paper == "Letter", "the workspace's paper setting"
    assert head.subject in request.title and head.meeting_type in request.title
    client_name = request.file_name(Edition.CLIENT)
    assert client_name.endswith("(client).pdf") and head.subject in client_name
    assert request.file_name(Edition.INTERNAL).endswith("(internal).pdf")


# -- writing the file -------------------------------------------------------------------------


def test_export_writes_the_edition_with_what_was_just_typed(
    qtbot, page: MeetingPage, demo: Store, tmp_path: Path
) -> None:
    recorder = Recorder(page)
    page.client_notes.edit.setPlainText(CLIENT_MARK)
    page.internal_notes.edit.setPlainText(INTERNAL_MARK)
    assert page.internal_notes.dirty, "typed, not saved yet"

    client_file = tmp_path / "client.pdf"
    recorder.choice = ExportChoice(Edition.CLIENT, "A4", client_file, open_after=True)
    with qtbot.waitSignal(page.pack.exported, timeout=30000) as written:
        assert page.pack.export()
    result = written.args[0]
    assert not page.internal_notes.dirty, "the notes were saved before the pack was made"
    assert client_file.read_bytes().startswith(b"%PDF")
    assert pdf_pages(client_file) == result.pages > 1
    text = pdf_text(client_file)
    assert CLIENT_MARK in text
    assert INTERNAL_MARK not in text, "the client edition never holds internal notes"
    assert recorder.opened == [QUrl.fromLocalFile(str(client_file))]
    assert page.pack.last_path == client_file

    internal_file = tmp_path / "internal.pdf"
    recorder.choice = ExportChoice(Edition.INTERNAL, "Letter", internal_file, open_after=False)
    with qtbot.waitSignal(page.pack.exported, timeout=30000):
        assert page.pack.export()
    assert INTERNAL_MARK in pdf_text(internal_file)
    assert len(recorder.opened) == 1, "not opened when the person said so"
    assert [b.isEnabled() for b in page.header.pack_buttons] == [True, True, True]


def test_a_folder_that_cannot_be_written_says_why_and_leaves_nothing(
    qtbot, page: MeetingPage, tmp_path: Path
) -> None:
    recorder = Recorder(page)
    folder = tmp_path / "out"
    folder.mkdir()
    in_the_way = folder / "notes.txt"
    in_the_way.write_text("a file where the folder should be")
    recorder.choice = ExportChoice(Edition.CLIENT, "A4", in_the_way / "pack.pdf", True)
    assert page.pack.export()
    wait_idle(qtbot, page)
    assert len(recorder.messages) == 1
    assert "is a file, not a folder" in recorder.messages[0]
    assert "Traceback" not in recorder.messages[0]
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"], "no partial file"
    assert recorder.opened == []
    assert all(b.isEnabled() for b in page.header.pack_buttons), "ready for another try"


def test_no_pdf_viewer_is_said(qtbot, page: MeetingPage, tmp_path: Path) -> None:
    recorder = Recorder(page)
    recorder.open_ok = False
    target = tmp_path / "pack.pdf"
    recorder.choice = ExportChoice(Edition.CLIENT, "A4", target, open_after=True)
    with qtbot.waitSignal(page.pack.exported, timeout=30000):
        page.pack.export()
    assert target.is_file()
    assert any("no program to open PDF files" in m for m in recorder.messages)


def _logo() -> bytes:
    image = QImage(90, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("#2E7D32"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, "PNG")
    return bytes(data.data())


def test_rendering_warnings_are_shown_after_the_export(
    qtbot, page: MeetingPage, demo: Store, tmp_path: Path
) -> None:
    """A logo that cannot be read prints as a placeholder, and the person is told why."""
    head = meeting_detail(demo, page.meeting_id).head
    set_msp_logo(demo, _logo())
    set_client_logo(demo, head.subject_id, _logo())
    recorder = Recorder(page)
    recorder.choice = ExportChoice(Edition.CLIENT, "A4", tmp_path / "clean.pdf", open_after=False)
    with qtbot.waitSignal(page.pack.exported, timeout=30000) as written:
        page.pack.export()
    assert written.args[0].warnings == ()
    assert recorder.messages == [], "no warnings, no message"

    with demo.transaction() as session:
        client = session.get(m.Client, head.subject_id)
        assert client is not None
        client.logo = b"\x89PNG\r\n\x1a\n" + b"\x00broken" * 8  # looks like PNG, is not
    recorder.choice = ExportChoice(Edition.CLIENT, "A4", tmp_path / "pack.pdf", open_after=False)
    with qtbot.waitSignal(page.pack.exported, timeout=30000) as written:
        page.pack.export()
    assert written.args[0].warnings, "the renderer reported the logo"
    assert len(recorder.messages) == 1
    message = recorder.messages[0]
    assert "with warnings" in message and str(tmp_path / "pack.pdf") in message
    for warning in written.args[0].warnings:
        assert warning in message
    assert "not an image that can be read" in message
    assert "Logo… on the client's page" in message, "where to fix it"


def test_a_meeting_that_is_gone_disables_the_pack(qtbot, demo: Store) -> None:
    page = MeetingPage(demo, 999_999, lambda: AS_OF, locale=C_LOCALE)
    qtbot.addWidget(page)
    notices: list[str] = []
    page.notify = lambda _parent, text: notices.append(text)
    page.reload()
    assert not any(b.isEnabled() for b in page.header.pack_buttons)


# -- printing ---------------------------------------------------------------------------------


def test_print_renders_then_prints_every_page(
    qtbot, page: MeetingPage, demo: Store, tmp_path: Path
) -> None:
    recorder = Recorder(page)
    recorder.print_to = tmp_path / "printed.pdf"
    with qtbot.waitSignal(page.pack.printed, timeout=30000) as printed:
        assert page.pack.print_pack()
    sent = printed.args[0]
    assert sent > 1
    assert pdf_pages(recorder.print_to) == sent
    printer = recorder.printers[0]
    assert printer.docName().startswith(meeting_detail(demo, page.meeting_id).head.meeting_type)


def test_a_declined_print_dialog_prints_nothing(qtbot, page: MeetingPage, tmp_path: Path) -> None:
    recorder = Recorder(page)
    with qtbot.waitSignal(page.pack.busy_changed, timeout=30000, check_params_cb=lambda b: not b):
        page.pack.print_pack()
    assert len(recorder.printers) == 1
    assert list(tmp_path.glob("*.pdf")) == []


# -- the dialog itself ------------------------------------------------------------------------


def _request(title: str = "vCIO meeting — Acme <R&D> — 1 Dec 2026") -> ExportRequest:
    return ExportRequest(title, lambda e: f"2026-12-01 Acme - vCIO meeting ({e.value}).pdf")


def test_dialog_defaults_and_the_name_following_the_edition(qtbot, tmp_path: Path) -> None:
    ui_settings().setValue(PACK_FOLDER, str(tmp_path))
    dialog = PackExportDialog(_request())
    qtbot.addWidget(dialog)
    assert dialog.findChild(type(dialog.path_edit), "pack_path") is dialog.path_edit
    assert dialog.edition() is Edition.CLIENT
    assert dialog.paper_combo.currentText() == "A4"
    assert dialog.open_check.isChecked()
    assert dialog.path() == tmp_path / "2026-12-01 Acme - vCIO meeting (client).pdf"
    dialog.set_edition(Edition.INTERNAL)
    assert dialog.path() == tmp_path / "2026-12-01 Acme - vCIO meeting (internal).pdf"
    assert "internal notes" in dialog.edition_hint.text()

    typed = tmp_path / "my name"
    dialog.path_edit.setText(str(typed))
    dialog.path_edit.textEdited.emit(str(typed))
    dialog.set_edition(Edition.CLIENT)
    assert dialog.path() == tmp_path / "my name.pdf", "a typed name stays; .pdf is added"

    dialog.open_check.setChecked(False)
    dialog.paper_combo.setCurrentText("Letter")
    dialog.accept()
    assert dialog.choice == ExportChoice(Edition.CLIENT, "Letter", tmp_path / "my name.pdf", False)
    assert ui_settings().value(PACK_FOLDER) == str(tmp_path)
    assert ui_settings().value(PACK_OPEN_AFTER) in (False, "false")

    again = PackExportDialog(_request())
    qtbot.addWidget(again)
    assert not again.open_check.isChecked(), "the choice is remembered"


def test_dialog_refuses_a_missing_folder_and_asks_before_replacing(qtbot, tmp_path: Path) -> None:
    dialog = PackExportDialog(_request())
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(tmp_path / "nowhere" / "pack.pdf"))
    dialog.accept()
    assert dialog.choice is None
    assert not dialog.error_label.isHidden()
    assert "does not exist" in dialog.error_label.text()

    existing = tmp_path / "pack.pdf"
    existing.write_bytes(b"old")
    asked: list[Path] = []
    dialog.ask_overwrite = lambda _parent, path: asked.append(path) or False
    dialog.path_edit.setText(str(existing))
    dialog.path_edit.textEdited.emit(str(existing))
    dialog.accept()
    assert asked == [existing] and dialog.choice is None

    dialog.choose_path = lambda _parent, _suggested: str(existing)  # the file dialog confirmed
    dialog.browse()
    dialog.accept()
    assert asked == [existing], "not asked twice"
    assert dialog.choice is not None and dialog.choice.path == existing
    assert existing.read_bytes() == b"old", "the dialog only asks; nothing is written yet"


def test_dialog_shows_the_title_as_plain_text(qtbot) -> None:
    dialog = PackExportDialog(_request("<b>Acme</b> & co"))
    qtbot.addWidget(dialog)
    label = dialog.findChild(type(dialog.error_label), "pack_title")
    assert label.text() == "<b>Acme</b> & co"
    assert label.textFormat() == Qt.TextFormat.PlainText


def test_save_texts_is_what_the_pack_reads(
    qtbot, page: MeetingPage, demo: Store, tmp_path: Path
) -> None:
    """Notes saved elsewhere (not typed on this page) are in the pack too."""
    head = meeting_detail(demo, page.meeting_id).head
    save_texts(demo, page.meeting_id, head.row_version, decisions="Decided: move to the cloud")
    recorder = Recorder(page)
    page.reload()
    target = tmp_path / "pack.pdf"
    recorder.choice = ExportChoice(Edition.CLIENT, "A4", target, open_after=False)
    with qtbot.waitSignal(page.pack.exported, timeout=30000):
        page.pack.export()
    assert "move to the cloud" in pdf_text(target)
