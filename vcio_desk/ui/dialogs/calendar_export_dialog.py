"""'Export calendar…': a year of meetings as an .ics file, for everyone, one owner or one subject.

The file is written by ``services.calendar_export.export_calendar`` on a worker
(atomically: the old file stays whole if anything fails). The folder last used is
remembered in the UI preferences; the file name is made safe from the scope's name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.atomic import safe_file_name
from vcio_desk.store import Store
from vcio_desk.ui.preferences import ui_settings
from vcio_desk.ui.workers import Operation, ProgressFn, run_in_background

if TYPE_CHECKING:
    from vcio_desk.services.calendar_export import CalendarExportReport

EXPORT_FOLDER = "calendar_export/folder"
"""QSettings key: the folder the last calendar was written to."""
ERROR_STYLE = "color: #B3261E;"

PathChooser = Callable[[QWidget, str], str]
"""``(parent, suggested path) -> chosen path`` ("" when the person cancelled)."""


def ask_save_path(parent: QWidget, suggested: str) -> str:
    path, _filter = QFileDialog.getSaveFileName(
        parent, "Export calendar", suggested, "Calendar files (*.ics);;All files (*)"
    )
    return path


def last_folder() -> Path:
    saved = ui_settings().value(EXPORT_FOLDER)
    if isinstance(saved, str) and saved and Path(saved).is_dir():
        return Path(saved)
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents else Path.home()


class CalendarExportDialog(QDialog):
    """Scope (everything / one owner / one client or internal body), year, file; Export."""

    exported = Signal(object)
    """The CalendarExportReport of a written file."""
    failed = Signal(str)

    def __init__(
        self,
        store: Store,
        year: int,
        owners: Sequence[tuple[int, str]],
        subjects: Sequence[tuple[str, int, str]],
        parent: QWidget | None = None,
    ) -> None:
        """``owners``: (staff id, name); ``subjects``: ("client" | "internal", id, name)."""
        super().__init__(parent)
        self.setObjectName("calendar_export_dialog")
        self.setWindowTitle("Export calendar")
        self._store = store
        self._operation: Operation | None = None
        self._path_chosen = False
        self.choose_path: PathChooser = ask_save_path
        self.report: CalendarExportReport | None = None

        self.everything_radio = QRadioButton("&Everything")
        self.owner_radio = QRadioButton("One &owner:")
        self.subject_radio = QRadioButton("One &client or internal body:")
        self.everything_radio.setChecked(True)
        self.scope_group = QButtonGroup(self)
        for button in (self.everything_radio, self.owner_radio, self.subject_radio):
            self.scope_group.addButton(button)
        self.owner_combo = QComboBox()
        for staff_id, name in owners:
            self.owner_combo.addItem(name, staff_id)
        self.subject_combo = QComboBox()
        for kind, subject_id, name in subjects:
            label = f"{name} (internal)" if kind == "internal" else name
            self.subject_combo.addItem(label, (kind, subject_id, name))
        self.owner_radio.setEnabled(bool(owners))
        self.subject_radio.setEnabled(bool(subjects))
        self.owner_combo.setEnabled(False)
        self.subject_combo.setEnabled(False)
        scope = QGridLayout()
        scope.addWidget(self.everything_radio, 0, 0, 1, 2)
        scope.addWidget(self.owner_radio, 1, 0)
        scope.addWidget(self.owner_combo, 1, 1)
        scope.addWidget(self.subject_radio, 2, 0)
        scope.addWidget(self.subject_combo, 2, 1)
        scope.setColumnStretch(1, 1)

        self.year_spin = QSpinBox()
        self.year_spin.setRange(1900, 9000)
        self.year_spin.setValue(year)
        self.year_spin.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("calendar_path")
        self.browse_button = QPushButton("&Choose…")
        self.browse_button.setAutoDefault(False)
        self.browse_button.clicked.connect(self.browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.browse_button)
        file_caption = QLabel("&File:")
        file_caption.setBuddy(self.path_edit)
        form = QFormLayout()
        form.addRow("&Year:", self.year_spin)
        form.addRow(file_caption, path_row)

        self.status_label = QLabel()
        self.status_label.setObjectName("calendar_status")
        self.status_label.setWordWrap(True)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.export_button = QPushButton("E&xport")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.export)
        self.close_button = QPushButton("Close")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status_label, 1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Which meetings:"))
        layout.addLayout(scope)
        layout.addLayout(form)
        layout.addLayout(buttons)
        self.setMinimumWidth(560)

        self.scope_group.buttonToggled.connect(self._scope_changed)
        self.owner_combo.currentIndexChanged.connect(self._suggest_path)
        self.subject_combo.currentIndexChanged.connect(self._suggest_path)
        self.year_spin.valueChanged.connect(self._suggest_path)
        self.path_edit.textEdited.connect(self._path_edited)
        self._suggest_path()

    # -- scope -------------------------------------------------------------------------------

    def scope_label(self) -> str:
        if self.owner_radio.isChecked() and self.owner_combo.count():
            return self.owner_combo.currentText()
        if self.subject_radio.isChecked() and self.subject_combo.count():
            return str(self.subject_combo.currentData()[2])
        return "all meetings"

    def filters(self) -> dict[str, int]:
        """The export_calendar keyword for the chosen scope (empty for everything)."""
        if self.owner_radio.isChecked() and self.owner_combo.count():
            return {"owner_id": int(self.owner_combo.currentData())}
        if self.subject_radio.isChecked() and self.subject_combo.count():
            kind, subject_id, _name = self.subject_combo.currentData()
            key = "client_id" if kind == "client" else "internal_body_id"
            return {key: int(subject_id)}
        return {}

    def default_file_name(self) -> str:
        return safe_file_name(f"vcio_desk {self.scope_label()} {self.year_spin.value()}", ".ics")

    def _scope_changed(self) -> None:
        self.owner_combo.setEnabled(self.owner_radio.isChecked())
        self.subject_combo.setEnabled(self.subject_radio.isChecked())
        self._suggest_path()

    def _suggest_path(self) -> None:
        if self._path_chosen and self.path_edit.text().strip():
            folder = Path(self.path_edit.text()).expanduser().parent
        else:
            folder = last_folder()
        self.path_edit.setText(str(folder / self.default_file_name()))

    def _path_edited(self, _text: str) -> None:
        self._path_chosen = True

    def browse(self) -> None:
        chosen = self.choose_path(self, self.path_edit.text())
        if chosen:
            self.path_edit.setText(chosen)
            self._path_chosen = True

    # -- export ------------------------------------------------------------------------------

    def target_path(self) -> Path | None:
        text = self.path_edit.text().strip()
        if not text:
            return None
        path = Path(text).expanduser()
        return path if path.suffix.lower() == ".ics" else path.with_name(path.name + ".ics")

    def export(self) -> None:
        if self._operation is not None:
            return
        path = self.target_path()
        if path is None:
            self._show_error("Choose where to save the calendar file.")
            return
        year = self.year_spin.value()
        start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
        store, filters = self._store, self.filters()

        def work(_progress: ProgressFn) -> CalendarExportReport:
            from vcio_desk.services.calendar_export import export_calendar  # icalendar: on demand

            return export_calendar(store, path, start=start, end=end, **filters)

        self.export_button.setEnabled(False)
        self.status_label.setStyleSheet("")
        self.status_label.setText("Writing the calendar…")
        self._operation = run_in_background(
            self, work, on_success=self._succeeded, on_failure=self._failed
        )

    def _succeeded(self, report: Any) -> None:
        self._operation = None
        self.export_button.setEnabled(True)
        self.report = report
        noun = "event" if report.events == 1 else "events"
        text = f"Calendar written: {report.events} {noun}"
        extras = []
        if report.skipped:
            extras.append(f"{len(report.skipped)} skipped")
        if report.warnings:
            extras.append(f"{len(report.warnings)} with a warning")
        if extras:
            text += f" ({', '.join(extras)}; hover for details)"
            self.status_label.setToolTip("\n".join([*report.skipped, *report.warnings]))
        self.status_label.setText(text)
        settings = ui_settings()
        settings.setValue(EXPORT_FOLDER, str(Path(report.path).parent))
        settings.sync()
        self.exported.emit(report)

    def _failed(self, message: str) -> None:
        self._operation = None
        self.export_button.setEnabled(True)
        self._show_error(message)
        self.failed.emit(message)

    def _show_error(self, message: str) -> None:
        self.status_label.setStyleSheet(ERROR_STYLE)
        self.status_label.setText(message)

    def reject(self) -> None:
        if self._operation is not None:
            return  # a file is being written; it takes a moment
        super().reject()
