"""Import a standards library file (CSV or JSON): preview what it would do, then apply it.

Choosing a file runs a check (``import_library(dry_run=True)``) on a worker and
lists every record with what the import would do to it (added, updated, unchanged,
refused and why). "Import" writes it in one transaction, each change in the change
log with the reason given (prefilled with the file name). A file that cannot be
read says why and changes nothing. The file chooser is a replaceable callable and
the folder last used is remembered in QSettings.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.services.standards_import import (
    LibraryImportReport,
    import_library,
    report_summary,
)
from vcio_desk.store import Store
from vcio_desk.ui.preferences import ui_settings
from vcio_desk.ui.workers import Operation, ProgressFn, run_in_background

LAST_FOLDER = "standards/import_folder"
REFUSED_BACKGROUND = QColor(255, 228, 225)
OUTCOME_WORDS = {
    "added": "Added",
    "updated": "Updated",
    "unchanged": "Unchanged",
    "refused": "Refused",
}
FileChooser = Callable[[QWidget, str], "str | None"]


def choose_library_file(parent: QWidget, folder: str) -> str | None:
    path, _filter = QFileDialog.getOpenFileName(
        parent,
        "Choose a standards library file",
        folder,
        "Library files (*.csv *.json *.txt);;All files (*)",
    )
    return path or None


class LibraryImportDialog(QDialog):
    """File, reason, the per-record preview; Import applies it."""

    imported = Signal(object)
    """The LibraryImportReport of an import that was written."""
    checked = Signal(object)
    """The LibraryImportReport of a check (nothing written)."""

    def __init__(
        self,
        store: Store,
        *,
        author: str = "",
        file_chooser: FileChooser = choose_library_file,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store, self.author, self.file_chooser = store, author, file_chooser
        self.path: Path | None = None
        self.data: bytes | None = None
        self.report: LibraryImportReport | None = None
        self.operation: Operation | None = None
        self.setObjectName("library_import_dialog")
        self.setWindowTitle("Import standards library")
        self.path_edit = QLineEdit()
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText("A CSV or JSON file, such as one exported from here")
        self.choose_button = QPushButton("Choose…")
        self.choose_button.clicked.connect(self.choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(self.choose_button)
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText("Why (required: kept in the change log)")
        self.reason_edit.textChanged.connect(self._update)
        form = QFormLayout()
        form.addRow("File:", file_row)
        form.addRow("&Reason:", self.reason_edit)
        self.summary_label = QLabel("Choose a file to see what importing it would do.")
        self.summary_label.setObjectName("import_summary")
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextFormat(Qt.TextFormat.PlainText)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("import_preview")
        self.table.setHorizontalHeaderLabels(["Where", "Code", "Outcome", "Detail"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.import_button = QPushButton("Import")
        self.import_button.setToolTip(
            "Write the added and updated standards; refused ones are skipped"
        )
        self.import_button.clicked.connect(self.apply)
        self.import_button.setAutoDefault(False)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.resize(900, 600)
        self._update()

    @property
    def busy(self) -> bool:
        return self.operation is not None and self.operation.running

    def _update(self) -> None:
        ready = self.report is not None and self.report.dry_run and not self.busy
        has_work = ready and any(o.action in ("added", "updated") for o in self.report.outcomes)  # type: ignore[union-attr]
        self.import_button.setEnabled(bool(has_work and self.reason_edit.text().strip()))
        self.choose_button.setEnabled(not self.busy)

    def choose_file(self) -> None:
        settings = ui_settings()
        folder = str(settings.value(LAST_FOLDER, "") or Path.home())
        chosen = self.file_chooser(self, folder)
        if chosen:
            self.load_file(Path(chosen))

    def load_file(self, path: Path) -> Operation | None:
        """Read ``path`` and check it on a worker (the preview arrives in ``checked``)."""
        ui_settings().setValue(LAST_FOLDER, str(path.parent))
        self.path, self.report = path, None
        self.path_edit.setText(str(path))
        self.table.setRowCount(0)
        if not self.reason_edit.text().strip() or self.reason_edit.text().startswith("Imported "):
            self.reason_edit.setText(f"Imported from {path.name}")
        try:
            self.data = path.read_bytes()
        except OSError as exc:
            self.data = None
            self._show_problem(f"Cannot read {path}: {exc.strerror or exc}.")
            return None
        return self._run(dry_run=True)

    def apply(self) -> Operation | None:
        """Import the checked file (on a worker); the dialog closes once it is written."""
        if not self.import_button.isEnabled():
            return None
        return self._run(dry_run=False)

    def _run(self, *, dry_run: bool) -> Operation | None:
        if self.data is None or self.busy:
            return None
        store, data, author = self.store, self.data, self.author
        reason = self.reason_edit.text()
        self.summary_label.setText("Checking the file…" if dry_run else "Importing…")

        def work(_progress: ProgressFn) -> LibraryImportReport:
            return import_library(store, data, reason=reason, author=author, dry_run=dry_run)

        self.operation = run_in_background(
            self, work, on_success=self._on_done, on_failure=self._show_problem
        )
        self._update()
        return self.operation

    def _on_done(self, report: LibraryImportReport) -> None:
        self.operation = None
        self.report = report
        self.summary_label.setText(report_summary(report))
        self._fill(report)
        self._update()
        if report.dry_run:
            self.checked.emit(report)
        else:
            self.imported.emit(report)
            self.accept()

    def _show_problem(self, message: str) -> None:
        self.operation = None
        self.report = None
        self.table.setRowCount(0)
        self.summary_label.setText(f"⚠ {message}\nNothing was imported.")
        self._update()

    def _fill(self, report: LibraryImportReport) -> None:
        outcomes = report.outcomes
        self.table.setRowCount(len(outcomes))
        for row, outcome in enumerate(outcomes):
            cells = (
                outcome.where,
                outcome.code,
                OUTCOME_WORDS.get(outcome.action, ""),
                outcome.detail,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(" ".join(text.split()))
                item.setToolTip(text)
                if outcome.action == "refused":
                    item.setBackground(QBrush(REFUSED_BACKGROUND))
                self.table.setItem(row, column, item)

    def reject(self) -> None:
        if not self.busy:
            super().reject()

    @classmethod
    def ask(
        cls,
        parent: QWidget,
        store: Store,
        *,
        author: str = "",
        file_chooser: FileChooser = choose_library_file,
    ) -> LibraryImportReport | None:
        """The report of the import written, or None when nothing was imported."""
        dialog = cls(store, author=author, file_chooser=file_chooser, parent=parent)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted and dialog.report is not None:
                return dialog.report
            return None
        finally:
            dialog.deleteLater()
