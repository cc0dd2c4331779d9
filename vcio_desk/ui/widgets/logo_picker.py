"""Choosing the logos printed on a pack's cover: the MSP's (Settings) and a client's.

:class:`LogoPicker` shows the logo as it is stored, with Choose… and Remove. A chosen
file is read and checked by ``services.branding.load_logo`` (PNG or JPEG, at most
2 MB) and saved at once; a refusal is said in the service's words and nothing
changes. Removing asks first. The client page opens :class:`LogoDialog` from its
header ("Logo…"). Questions go through replaceable callables so tests never block.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QSize, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.domain.errors import VcioDeskError
from vcio_desk.services import branding
from vcio_desk.store import Store
from vcio_desk.ui.dialogs.messages import show_message
from vcio_desk.ui.preferences import LOGO_FOLDER, remember_folder, remembered_folder
from vcio_desk.ui.widgets.rhythm_editor import mute
from vcio_desk.ui.workers import GENERIC_FAILURE

log = logging.getLogger(__name__)

PREVIEW_SIZE = QSize(200, 72)
IMAGE_FILTER = "Images (*.png *.jpg *.jpeg);;All files (*)"

FileChooser = Callable[[QWidget, str], str]
"""``(parent, folder) -> chosen file`` ("" when the person cancelled)."""
Confirmer = Callable[[QWidget, str, str], bool]
Notifier = Callable[[QWidget, str, str], None]
LogoOpener = Callable[[QWidget, Store, int, str], bool]
"""``(parent, store, client id, client name) -> changed?``: the client's logo dialog."""


def ask_image_path(parent: QWidget, folder: str) -> str:
    path, _filter = QFileDialog.getOpenFileName(parent, "Choose a logo", folder, IMAGE_FILTER)
    return path


def confirm(parent: QWidget, title: str, text: str) -> bool:
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


def logo_pixmap(data: bytes | None, size: QSize = PREVIEW_SIZE) -> QPixmap | None:
    """The logo scaled to fit ``size`` (aspect kept), or None when it cannot be shown."""
    if not data:
        return None
    pixmap = QPixmap()
    if not pixmap.loadFromData(QByteArray(data)):
        return None
    return pixmap.scaled(
        size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )


class LogoPicker(QWidget):
    """A logo's preview, Choose… and Remove; every change is saved at once."""

    changed = Signal()

    def __init__(
        self,
        what: str,
        load: Callable[[], bytes | None],
        save: Callable[[bytes | None], None],
        *,
        writable: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        """``what`` names the logo in messages ("The MSP logo"); load/save reach the store."""
        super().__init__(parent)
        self.setObjectName("logo_picker")
        self._what = what
        self._load = load
        self._save = save
        self._writable = writable
        self.data: bytes | None = None
        self.choose_file: FileChooser = ask_image_path
        self.confirm: Confirmer = confirm
        self.notify: Notifier = show_message

        self.preview = QLabel()
        self.preview.setObjectName("logo_preview")
        self.preview.setFixedSize(PREVIEW_SIZE + QSize(12, 12))
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setFrameShape(QFrame.Shape.StyledPanel)
        self.preview.setStyleSheet("QLabel#logo_preview { background: white; }")
        mute(self.preview)  # for "No logo"
        self.choose_button = QPushButton("Choose…")
        self.choose_button.setObjectName("choose_logo")
        self.choose_button.setToolTip("A PNG or JPEG image, at most 2 MB")
        self.choose_button.clicked.connect(self.choose)
        self.remove_button = QPushButton("Remove")
        self.remove_button.setObjectName("remove_logo")
        self.remove_button.clicked.connect(self.remove)
        buttons = QVBoxLayout()
        buttons.addWidget(self.choose_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.preview)
        layout.addLayout(buttons)
        layout.addStretch(1)
        if not writable:
            self.choose_button.setToolTip("The workspace is open read-only.")
        self.reload()

    def reload(self) -> None:
        """Show the logo as stored now."""
        try:
            self.data = self._load()
        except VcioDeskError as err:
            self.data = None
            self.preview.setText(err.user_message)
        self._show()

    def _show(self) -> None:
        pixmap = logo_pixmap(self.data)
        if pixmap is not None:
            self.preview.setPixmap(pixmap)
            self.preview.setToolTip(f"{len(self.data or b'') / 1024:.0f} KB")
        else:
            self.preview.setPixmap(QPixmap())
            self.preview.setText("No logo" if not self.data else "Cannot show this image")
            self.preview.setToolTip("")
        self.choose_button.setEnabled(self._writable)
        self.remove_button.setEnabled(self._writable and self.data is not None)

    def choose(self) -> bool:
        """Pick a file, check it, save it; False (nothing changed) when refused or cancelled."""
        if not self._writable:
            return False
        chosen = self.choose_file(self, str(remembered_folder(LOGO_FOLDER)))
        if not chosen:
            return False
        path = Path(chosen)
        remember_folder(LOGO_FOLDER, path.parent)
        return self._write(lambda: self._save(branding.load_logo(path)))

    def remove(self) -> bool:
        if not self._writable or self.data is None:
            return False
        if not self.confirm(
            self,
            "Remove logo",
            f"Remove {self._what[0].lower()}{self._what[1:]}? Packs print without it "
            "until another is chosen.",
        ):
            return False
        return self._write(lambda: self._save(None))

    def _write(self, work: Callable[[], object]) -> bool:
        try:
            work()
        except VcioDeskError as err:
            self.notify(self, "Logo", err.user_message)
            return False
        except Exception:
            log.exception("saving a logo failed")
            self.notify(self, "Logo", GENERIC_FAILURE)
            return False
        self.reload()
        self.changed.emit()
        return True


def msp_logo_picker(store: Store, parent: QWidget | None = None) -> LogoPicker:
    """The Settings page's picker for the MSP's own logo."""
    return LogoPicker(
        "The MSP logo",
        lambda: branding.msp_logo(store),
        lambda data: branding.set_msp_logo(store, data),
        writable=not store.read_only,
        parent=parent,
    )


class LogoDialog(QDialog):
    """ "Logo…" on the client page: the client's logo with Choose… and Remove."""

    def __init__(
        self, store: Store, client_id: int, client_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("client_logo_dialog")
        self.setWindowTitle(f"Logo — {client_name}")
        self.picker = LogoPicker(
            "The client's logo",
            lambda: branding.client_logo(store, client_id),
            lambda data: branding.set_client_logo(store, client_id, data),
            writable=not store.read_only,
        )
        self.changed = False
        self.picker.changed.connect(lambda: setattr(self, "changed", True))
        intro = QLabel(f"Printed on the cover of {client_name}'s meeting packs.")
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        mute(intro)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.picker)
        layout.addWidget(buttons)
        self.setMinimumWidth(400)

    @classmethod
    def ask(cls, parent: QWidget, store: Store, client_id: int, client_name: str) -> bool:
        """Show the dialog; True when the logo was changed."""
        dialog = cls(store, client_id, client_name, parent)
        try:
            dialog.exec()
            return dialog.changed
        finally:
            dialog.deleteLater()
