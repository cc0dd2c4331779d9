"""'Export pack…': which edition, which paper, which file, and whether to open it afterwards.

The dialog only asks; the meeting page writes the file on a worker
(``services.packs.write_pack``, atomically). Defaults: the client edition (the one
that may leave the building), the workspace's paper size, the folder last exported
to, and a file name made safe from the meeting. The suggested name follows the
edition until the person types a path of their own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.reports.pack_data import Edition
from vcio_desk.ui.preferences import (
    PACK_FOLDER,
    PACK_OPEN_AFTER,
    remember_folder,
    remembered_folder,
    ui_settings,
)
from vcio_desk.ui.widgets.rhythm_editor import mute

PAPER_CHOICES: tuple[str, ...] = ("A4", "Letter")
ERROR_STYLE = "color: #B3261E;"
EDITION_HINTS = {
    Edition.CLIENT: "What the client holds: no internal notes, talking points or flags.",
    Edition.INTERNAL: "For the MSP only: adds internal notes, talking points, "
    "internal-only standards and the rhythm's flag.",
}

PathChooser = Callable[[QWidget, str], str]
"""``(parent, suggested path) -> chosen path`` ("" when the person cancelled)."""
OverwriteAsker = Callable[[QWidget, Path], bool]


@dataclass(frozen=True)
class ExportRequest:
    """What the dialog needs to know: the meeting's title and how to name its file."""

    title: str
    """Shown at the top ("vCIO meeting — Acme — 1 Dec 2026")."""
    file_name: Callable[[Edition], str]
    """A safe file name (with ``.pdf``) for an edition."""
    edition: Edition = Edition.CLIENT
    paper: str = "A4"


@dataclass(frozen=True)
class ExportChoice:
    edition: Edition
    paper: str
    path: Path
    open_after: bool


def ask_save_path(parent: QWidget, suggested: str) -> str:
    path, _filter = QFileDialog.getSaveFileName(
        parent, "Export pack", suggested, "PDF files (*.pdf);;All files (*)"
    )
    return path


def ask_overwrite(parent: QWidget, path: Path) -> bool:
    answer = QMessageBox.question(
        parent,
        "Export pack",
        f"{path.name} already exists in {path.parent}. Replace it?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


def edition_label(edition: Edition) -> str:
    return "Client edition" if edition is Edition.CLIENT else "Internal edition"


def edition_buttons(parent: QWidget) -> tuple[QButtonGroup, dict[Edition, QRadioButton]]:
    """The two edition radio buttons (``&Client`` / ``&Internal``), in one group."""
    group = QButtonGroup(parent)
    buttons: dict[Edition, QRadioButton] = {}
    for edition, text in ((Edition.CLIENT, "&Client"), (Edition.INTERNAL, "&Internal")):
        button = QRadioButton(text)
        button.setObjectName(f"edition_{edition.value}")
        button.setToolTip(EDITION_HINTS[edition])
        group.addButton(button)
        buttons[edition] = button
    return group, buttons


def paper_combo(paper: str, choices: Sequence[str] = PAPER_CHOICES) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName("paper")
    combo.addItems(list(choices))
    combo.setCurrentText(paper if paper in choices else choices[0])
    return combo


def with_pdf_suffix(path: Path) -> Path:
    return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")


class PackExportDialog(QDialog):
    """Edition, paper, file; "Open the pack when it is written"; Export or Cancel."""

    def __init__(self, request: ExportRequest, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pack_export_dialog")
        self.setWindowTitle("Export pack")
        self._request = request
        self._path_typed = False
        self._confirmed: Path | None = None
        """A path whose replacement the file dialog already confirmed."""
        self.choose_path: PathChooser = ask_save_path
        self.ask_overwrite: OverwriteAsker = ask_overwrite
        self.choice: ExportChoice | None = None

        title = QLabel(request.title)
        title.setObjectName("pack_title")
        title.setTextFormat(Qt.TextFormat.PlainText)
        title.setWordWrap(True)
        font = title.font()
        font.setBold(True)
        title.setFont(font)

        self.edition_group, self.edition_buttons = edition_buttons(self)
        self.edition_buttons[request.edition].setChecked(True)
        editions = QHBoxLayout()
        for button in self.edition_buttons.values():
            editions.addWidget(button)
        editions.addStretch(1)
        self.edition_hint = QLabel()
        self.edition_hint.setWordWrap(True)
        mute(self.edition_hint)
        self.paper_combo = paper_combo(request.paper)

        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("pack_path")
        self.path_edit.setMinimumWidth(380)
        self.browse_button = QPushButton("C&hoose…")
        self.browse_button.setAutoDefault(False)
        self.browse_button.clicked.connect(self.browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.browse_button)
        file_caption = QLabel("&File:")
        file_caption.setBuddy(self.path_edit)
        paper_caption = QLabel("&Paper:")
        paper_caption.setBuddy(self.paper_combo)

        self.open_check = QCheckBox("&Open the pack when it is written")
        self.open_check.setChecked(_open_after_default())
        self.error_label = QLabel()
        self.error_label.setObjectName("pack_export_error")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        form = QFormLayout()
        form.addRow("Edition:", editions)
        form.addRow("", self.edition_hint)
        form.addRow(paper_caption, self.paper_combo)
        form.addRow(file_caption, path_row)
        form.addRow("", self.open_check)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.export_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.export_button.setText("E&xport")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

        self.edition_group.buttonToggled.connect(self._edition_changed)
        self.path_edit.textEdited.connect(self._path_edited)
        self._edition_changed()

    @classmethod
    def ask(cls, parent: QWidget, request: ExportRequest) -> ExportChoice | None:
        dialog = cls(request, parent)
        try:
            return dialog.choice if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()

    # -- choices -----------------------------------------------------------------------------

    def edition(self) -> Edition:
        return next(e for e, b in self.edition_buttons.items() if b.isChecked())

    def set_edition(self, edition: Edition) -> None:
        self.edition_buttons[edition].setChecked(True)

    def path(self) -> Path | None:
        text = self.path_edit.text().strip()
        return with_pdf_suffix(Path(text).expanduser()) if text else None

    def _edition_changed(self, *_args: object) -> None:
        edition = self.edition()
        self.edition_hint.setText(EDITION_HINTS[edition])
        if self._path_typed and self.path_edit.text().strip():
            return
        folder = remembered_folder(PACK_FOLDER)
        current = self.path()
        if current is not None:
            folder = current.parent
        self.path_edit.setText(str(folder / self._request.file_name(edition)))

    def _path_edited(self, _text: str) -> None:
        self._path_typed = True
        self._confirmed = None

    def browse(self) -> None:
        chosen = self.choose_path(self, self.path_edit.text())
        if chosen:
            path = with_pdf_suffix(Path(chosen))
            self.path_edit.setText(str(path))
            self._path_typed = True
            self._confirmed = path

    # -- accepting ---------------------------------------------------------------------------

    def accept(self) -> None:
        path = self.path()
        problem = ""
        if path is None:
            problem = "Choose where to write the pack."
        elif path.is_dir():
            problem = f"{path} is a folder; add a file name."
        elif not path.parent.is_dir():
            problem = f"The folder {path.parent} does not exist."
        if problem or path is None:
            self._show_error(problem)
            return
        if path.exists() and path != self._confirmed and not self.ask_overwrite(self, path):
            return
        self.choice = ExportChoice(
            self.edition(), self.paper_combo.currentText(), path, self.open_check.isChecked()
        )
        remember_folder(PACK_FOLDER, path.parent)
        settings = ui_settings()
        settings.setValue(PACK_OPEN_AFTER, self.open_check.isChecked())
        settings.sync()
        super().accept()

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))
        self.path_edit.setFocus()


def _open_after_default() -> bool:
    value = ui_settings().value(PACK_OPEN_AFTER, True)
    return value not in (False, "false", "0", 0)
