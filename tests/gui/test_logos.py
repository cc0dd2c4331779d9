"""Logos for the packs: the MSP's on the Settings page, a client's from its page's header.

Real workspaces and real image files (PNG and JPEG written by Qt); the file chooser,
confirmations and messages are replaced so nothing blocks.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage
from sqlalchemy import select

from vcio_desk.services import branding
from vcio_desk.services.settings import read_settings
from vcio_desk.store import Store, open_store
from vcio_desk.store import models as m
from vcio_desk.ui.pages.client_page import ClientPage
from vcio_desk.ui.pages.settings_page import SettingsPage
from vcio_desk.ui.preferences import LOGO_FOLDER, ui_settings
from vcio_desk.ui.widgets.logo_picker import LogoDialog, LogoPicker

from .conftest import AS_OF


def image_file(path: Path, fmt: str = "PNG", size: tuple[int, int] = (120, 40)) -> Path:
    image = QImage(*size, QImage.Format.Format_RGB32)
    image.fill(QColor("#1F6FB2"))
    assert image.save(str(path), fmt)
    return path


class Answers:
    """What the picker would ask: the file to choose, yes/no, and the messages shown."""

    def __init__(self, picker: LogoPicker) -> None:
        self.file = ""
        self.folders: list[str] = []
        self.confirm = True
        self.asked: list[str] = []
        self.messages: list[str] = []
        picker.choose_file = self._choose
        picker.confirm = self._confirm
        picker.notify = lambda _parent, _title, text: self.messages.append(text)

    def _choose(self, _parent: object, folder: str) -> str:
        self.folders.append(folder)
        return self.file

    def _confirm(self, _parent: object, _title: str, text: str) -> bool:
        self.asked.append(text)
        return self.confirm


@pytest.fixture
def settings_page(qtbot, workspace: Store) -> SettingsPage:
    page = SettingsPage(workspace, lambda: AS_OF)
    page.notify = lambda _parent, title, text: pytest.fail(f"unexpected message: {text}")
    qtbot.addWidget(page)
    return page


def test_msp_logo_choose_preview_and_remove(
    settings_page: SettingsPage, workspace: Store, tmp_path: Path
) -> None:
    picker = settings_page.logo_picker
    answers = Answers(picker)
    assert picker.preview.text() == "No logo"
    assert not picker.remove_button.isEnabled()
    assert not picker.remove(), "nothing to remove"

    answers.file = str(image_file(tmp_path / "msp.png"))
    assert picker.choose()
    stored = branding.msp_logo(workspace)
    assert stored == Path(answers.file).read_bytes()
    assert not picker.preview.pixmap().isNull()
    assert picker.preview.pixmap().width() <= 200
    assert picker.remove_button.isEnabled()
    assert ui_settings().value(LOGO_FOLDER) == str(tmp_path), "the folder is remembered"

    answers.confirm = False
    assert not picker.remove()
    assert answers.asked and "Packs print without it" in answers.asked[0]
    assert branding.msp_logo(workspace) == stored, "a declined removal keeps the logo"

    answers.confirm = True
    assert picker.remove()
    assert branding.msp_logo(workspace) is None
    assert picker.preview.text() == "No logo"
    assert answers.messages == []


def test_saving_the_other_settings_keeps_the_logo(
    settings_page: SettingsPage, workspace: Store, tmp_path: Path
) -> None:
    answers = Answers(settings_page.logo_picker)
    answers.file = str(image_file(tmp_path / "msp.jpg", "JPEG"))
    assert settings_page.logo_picker.choose()
    settings_page.msp_name_edit.setText("Northwind IT")
    assert settings_page.save_workspace()
    assert read_settings(workspace)["msp_name"] == "Northwind IT"
    assert branding.msp_logo(workspace) == (tmp_path / "msp.jpg").read_bytes()
    settings_page.reload()
    assert not settings_page.logo_picker.preview.pixmap().isNull()


def test_a_file_that_is_not_an_image_is_refused(
    settings_page: SettingsPage, workspace: Store, tmp_path: Path
) -> None:
    picker = settings_page.logo_picker
    answers = Answers(picker)
    text_file = tmp_path / "logo.png"
    text_file.write_text("this is not a picture, whatever its name says")
    answers.file = str(text_file)
    assert not picker.choose()
    assert len(answers.messages) == 1
    assert "PNG or JPEG" in answers.messages[0]
    assert branding.msp_logo(workspace) is None
    assert picker.preview.text() == "No logo"

    answers.messages.clear()
    answers.file = str(tmp_path / "gone.png")
    assert not picker.choose()
    assert answers.messages == [f"There is no file {tmp_path / 'gone.png'}."]

    answers.file = ""  # cancelled: nothing asked, nothing said
    answers.messages.clear()
    assert not picker.choose()
    assert answers.messages == []


def test_a_read_only_workspace_shows_the_logo_but_cannot_change_it(
    qtbot, workspace: Store, tmp_path: Path
) -> None:
    branding.set_msp_logo(workspace, image_file(tmp_path / "msp.png").read_bytes())
    path = workspace.location.path
    assert path is not None
    with open_store(path, read_only=True) as reader:
        page = SettingsPage(reader, lambda: AS_OF)
        qtbot.addWidget(page)
        picker = page.logo_picker
        assert not picker.preview.pixmap().isNull()
        assert not picker.choose_button.isEnabled()
        assert not picker.remove_button.isEnabled()
        assert not picker.choose() and not picker.remove()


def _client(store: Store, name: str) -> int:
    with store.transaction() as session:
        client = m.Client(name=name, timezone="UTC")
        session.add(client)
        session.flush()
        return client.id


def test_client_page_logo_button_opens_the_clients_logo(
    qtbot, workspace: Store, tmp_path: Path
) -> None:
    client_id = _client(workspace, "Acme <R&D>")
    page = ClientPage(workspace, client_id, lambda: AS_OF)
    qtbot.addWidget(page)
    asked: list[tuple[int, str]] = []
    page.logo_opener = lambda _parent, store, cid, name: asked.append((cid, name)) or True
    page.reload()
    assert page.logo_button.isEnabled()
    assert page.open_logo()
    assert asked == [(client_id, "Acme <R&D>")]

    gone = ClientPage(workspace, client_id + 99, lambda: AS_OF)
    qtbot.addWidget(gone)
    gone.reload()
    assert not gone.logo_button.isEnabled()
    assert not gone.open_logo()


def test_logo_dialog_sets_and_removes_a_clients_logo(
    qtbot, workspace: Store, tmp_path: Path
) -> None:
    client_id = _client(workspace, "Acme <R&D>")
    other = _client(workspace, "Beta")
    dialog = LogoDialog(workspace, client_id, "Acme <R&D>")
    qtbot.addWidget(dialog)
    assert "Acme <R&D>" in dialog.windowTitle()
    answers = Answers(dialog.picker)
    answers.file = str(image_file(tmp_path / "acme.png", size=(400, 400)))
    assert dialog.picker.choose()
    assert dialog.changed
    assert branding.client_logo(workspace, client_id) == (tmp_path / "acme.png").read_bytes()
    assert branding.client_logo(workspace, other) is None, "only this client's logo"
    pixmap = dialog.picker.preview.pixmap()
    assert pixmap.height() <= 72, "a square logo is scaled to the preview's height"
    assert dialog.picker.remove()
    with workspace.session() as session:
        assert session.scalar(select(m.Client.logo).where(m.Client.id == client_id)) is None
