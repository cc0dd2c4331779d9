"""Import clients from a CSV file: choose it, check the column mapping and a preview, import.

The dialog reads the file on the UI thread only to show its header and first rows
(``interop.csv_clients``); the check (a dry run) and the import itself run
``services.client_import.import_clients`` on a worker behind a progress dialog, and
the report is shown in the dialog as text that can be selected and copied. The
file chooser is injectable (a callable ``(parent, folder) -> path or None``) so
tests never block on a native dialog; the last folder is kept in QSettings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.domain.errors import VcioDeskError
from vcio_desk.interop.csv_clients import (
    DELIMITER_NAMES,
    FIELD_LABELS,
    FIELDS,
    PRESETS,
    PREVIEW_ROWS,
    ParsedFile,
    column_examples,
    parse_clients,
    read_header,
    suggest_mapping,
)
from vcio_desk.store import Store
from vcio_desk.ui import icons
from vcio_desk.ui.preferences import ui_settings
from vcio_desk.ui.workers import Operation, ProgressFn

LAST_FOLDER = "import_clients/last_folder"
IGNORE = "(ignore)"
PROBLEM_BACKGROUND = QColor(255, 228, 225)
REPORT_PROBLEMS = 500

if TYPE_CHECKING:
    from vcio_desk.ui.main_window import MainWindow

FileChooser = Callable[[QWidget, str], str | None]


def choose_csv_file(parent: QWidget, folder: str) -> str | None:
    """The native "open file" dialog; None when cancelled."""
    path, _filter = QFileDialog.getOpenFileName(
        parent, "Choose a client list", folder, "CSV files (*.csv *.txt);;All files (*)"
    )
    return path or None


class ImportClientsDialog(QDialog):
    """File, preset, column mapping, preview; "Check" and "Import" run on a worker."""

    imported = Signal(object)
    """Emitted with the ImportReport after an import (not a check) has been written."""

    def __init__(
        self,
        store: Store,
        as_of_provider: Callable[[], dt.date],
        parent: QWidget | None = None,
        *,
        file_chooser: FileChooser = choose_csv_file,
        author: str = "",
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.as_of_provider = as_of_provider
        self.file_chooser = file_chooser
        self.author = author
        self.path: Path | None = None
        self.data: bytes | None = None
        self.headers: tuple[str, ...] = ()
        self.parsed: ParsedFile | None = None
        self.report: Any = None
        self.operation: Operation | None = None
        self.setObjectName("import_clients_dialog")
        self.setWindowTitle("Import clients")
        self.setWindowIcon(icons.icon("import"))

        self.path_edit = QLineEdit()
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText("Choose a CSV file exported from your PSA or spreadsheet")
        self.choose_button = QPushButton("Choose…")
        self.choose_button.clicked.connect(self.choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(self.choose_button)
        self.preset_combo = QComboBox()
        for key, preset in PRESETS.items():
            self.preset_combo.addItem(preset.title, key)
        self.preset_combo.currentIndexChanged.connect(self._on_preset_changed)
        self.file_info = QLabel()
        self.file_info.setObjectName("file_info")
        self.file_info.setWordWrap(True)
        self.error_label = QLabel()
        self.error_label.setObjectName("error_label")
        self.error_label.setWordWrap(True)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setStyleSheet("QLabel#error_label { color: #a61b1b; }")
        self.error_label.hide()
        form = QFormLayout()
        form.addRow("File:", file_row)
        form.addRow("Column names:", self.preset_combo)
        form.addRow("", self.file_info)

        self.mapping_table = QTableWidget(0, 3)
        self.mapping_table.setObjectName("mapping_table")
        self.mapping_table.setHorizontalHeaderLabels(
            ["Column in the file", "Imports as", "Example"]
        )
        self.mapping_table.verticalHeader().hide()
        self.mapping_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.mapping_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.mapping_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.preview_table = QTableWidget(0, 0)
        self.preview_table.setObjectName("preview_table")
        self.preview_table.verticalHeader().hide()
        self.preview_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview_table.setWordWrap(False)
        self.report_view = QPlainTextEdit()
        self.report_view.setObjectName("report_view")
        self.report_view.setReadOnly(True)
        self.report_view.setPlaceholderText(
            "Check the file to see what an import would do; nothing is written until you import."
        )
        self.copy_button = QPushButton("Copy report")
        self.copy_button.setEnabled(False)
        self.copy_button.clicked.connect(self.copy_report)

        top = QSplitter(Qt.Orientation.Horizontal)
        top.setChildrenCollapsible(False)
        top.addWidget(_group("Columns", self.mapping_table))
        self.preview_group = _group(f"Preview (first {PREVIEW_ROWS} rows)", self.preview_table)
        top.addWidget(self.preview_group)
        top.setStretchFactor(1, 1)
        top.setSizes([440, 660])
        report_box = QVBoxLayout()
        report_box.addWidget(self.report_view, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(top)
        splitter.addWidget(_group("Report", report_box))
        splitter.setSizes([380, 240])

        self.check_button = QPushButton("Check")
        self.check_button.setToolTip("Go through the whole file and report; write nothing")
        self.import_button = QPushButton(icons.icon("import"), "Import")
        self.import_button.setToolTip("Add and update the clients; refused rows are skipped")
        self.close_button = QPushButton("Close")
        self.check_button.clicked.connect(lambda: self.run(dry_run=True))
        self.import_button.clicked.connect(lambda: self.run(dry_run=False))
        self.close_button.clicked.connect(self.reject)
        self.import_button.setAutoDefault(False)  # Enter checks; importing takes a click
        self.close_button.setAutoDefault(False)
        self.copy_button.setAutoDefault(False)
        self.check_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        for button in (self.check_button, self.import_button, self.close_button):
            buttons.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        self.resize(1140, 760)
        self._update_buttons()

    # -- the file ----------------------------------------------------------------------------

    def preset(self) -> str:
        return str(self.preset_combo.currentData())

    def set_preset(self, key: str) -> None:
        self.preset_combo.setCurrentIndex(self.preset_combo.findData(key))

    def choose_file(self) -> None:
        settings = ui_settings()
        folder = str(settings.value(LAST_FOLDER, "") or Path.home())
        chosen = self.file_chooser(self, folder)
        if chosen:
            self.load_file(Path(chosen))

    def load_file(self, path: Path) -> bool:
        """Read ``path`` and show its columns and first rows; False (and why) if unreadable."""
        self.path = path
        self.path_edit.setText(str(path))
        settings = ui_settings()
        settings.setValue(LAST_FOLDER, str(path.parent))
        self.data, self.headers, self.parsed = None, (), None
        self._clear_report()
        self.mapping_table.setRowCount(0)
        self._set_preview(None)
        self.file_info.clear()
        try:
            self.data = path.read_bytes()
        except OSError as exc:
            self._show_error(f"Cannot read {path}: {exc.strerror or exc}.")
            return False
        try:
            encoding, delimiter, self.headers = read_header(self.data)
        except VcioDeskError as err:
            self._show_error(err.user_message)
            return False
        self.file_info.setText(
            f"{encoding} text, {DELIMITER_NAMES.get(delimiter, delimiter)}-separated, "
            f"{sum(1 for h in self.headers if h.strip())} columns."
        )
        self._fill_mapping()
        return True

    def _on_preset_changed(self) -> None:
        if self.data is not None and self.headers:
            self._fill_mapping()

    # -- the mapping -------------------------------------------------------------------------

    def _fill_mapping(self) -> None:
        suggested = suggest_mapping(self.headers, self.preset())
        examples = self._examples()
        self.mapping_table.setRowCount(0)
        for header, target in suggested.items():
            row = self.mapping_table.rowCount()
            self.mapping_table.insertRow(row)
            self.mapping_table.setItem(row, 0, QTableWidgetItem(header.strip()))
            combo = QComboBox()
            combo.addItem(IGNORE, None)
            for name in FIELDS:
                combo.addItem(FIELD_LABELS[name], name)
            combo.setCurrentIndex(combo.findData(target) if target else 0)
            combo.setProperty("header", header)
            combo.currentIndexChanged.connect(self._refresh_preview)
            self.mapping_table.setCellWidget(row, 1, combo)
            self.mapping_table.setItem(row, 2, QTableWidgetItem(examples.get(header, "")))
            height = combo.sizeHint().height() + 4
            self.mapping_table.verticalHeader().setDefaultSectionSize(height)
        self._refresh_preview()

    def _examples(self) -> dict[str, str]:
        if self.data is None:
            return {}
        try:
            return {h: v[:60] for h, v in column_examples(self.data).items()}
        except VcioDeskError:
            return {}

    def mapping(self) -> dict[str, str | None]:
        """Column (as written) -> field, or None, as the table shows it now."""
        result: dict[str, str | None] = {}
        for row in range(self.mapping_table.rowCount()):
            combo = self.mapping_table.cellWidget(row, 1)
            assert isinstance(combo, QComboBox)
            result[combo.property("header")] = combo.currentData()
        return result

    def set_mapping(self, header: str, field: str | None) -> None:
        """Choose what ``header`` imports as (what a person does with the combo box)."""
        for row in range(self.mapping_table.rowCount()):
            combo = self.mapping_table.cellWidget(row, 1)
            assert isinstance(combo, QComboBox)
            if combo.property("header").strip() == header.strip():
                combo.setCurrentIndex(combo.findData(field) if field else 0)
                return
        raise KeyError(header)

    # -- the preview -------------------------------------------------------------------------

    def _refresh_preview(self) -> None:
        self.parsed = None
        self._clear_report()  # a report is about the file and mapping it was made with
        if self.data is None:
            self._set_preview(None)
            return
        try:
            self.parsed = parse_clients(self.data, mapping=self.mapping(), max_rows=PREVIEW_ROWS)
        except VcioDeskError as err:
            self._show_error(err.user_message)
            self._set_preview(None)
            return
        self._show_error("")
        self._set_preview(self.parsed)

    def _set_preview(self, parsed: ParsedFile | None) -> None:
        table = self.preview_table
        table.clear()
        fields = [f for f, _index in parsed.layout.columns] if parsed else []
        table.setColumnCount(2 + len(fields))
        table.setHorizontalHeaderLabels(["Line", "Problem", *(FIELD_LABELS[f] for f in fields)])
        rows = parsed.preview if parsed else []
        table.setRowCount(len(rows))
        for number, row in enumerate(rows):
            cells = [str(row.line_number), f"Refused: {row.problem}" if row.problem else "OK"]
            cells += [" ".join(row.values.get(f, "").split()) for f in fields]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if row.problem:
                    item.setBackground(QBrush(PROBLEM_BACKGROUND))
                    item.setToolTip(row.problem)
                table.setItem(number, column, item)
        table.resizeColumnsToContents()
        for column in range(table.columnCount()):
            table.setColumnWidth(column, min(table.columnWidth(column), 320))
        if parsed is None:
            self.preview_group.setTitle(f"Preview (first {PREVIEW_ROWS} rows)")
        else:
            shown = len(rows)
            refused = sum(1 for r in rows if r.problem)
            title = f"Preview (first {shown} rows" + (f", {refused} refused)" if refused else ")")
            self.preview_group.setTitle(title)
        self._update_buttons()

    def _show_error(self, message: str) -> None:
        self.error_label.setText(f"⚠ {message}" if message else "")
        self.error_label.setVisible(bool(message))
        self._update_buttons()

    def _update_buttons(self) -> None:
        ready = self.parsed is not None and not self.busy
        self.check_button.setEnabled(ready)
        self.import_button.setEnabled(ready)
        self.choose_button.setEnabled(not self.busy)
        self.preset_combo.setEnabled(not self.busy)
        self.mapping_table.setEnabled(not self.busy)

    # -- check and import --------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self.operation is not None and self.operation.running

    def run(self, *, dry_run: bool) -> Operation | None:
        """Check (``dry_run``) or import the whole file on a worker; the report lands here."""
        if self.busy or self.data is None or self.parsed is None:
            return None
        from vcio_desk.services.client_import import import_clients

        store, data, mapping = self.store, self.data, self.mapping()
        preset, as_of, author = self.preset(), self.as_of_provider(), self.author

        def work(progress: ProgressFn) -> Any:
            return import_clients(
                store,
                data,
                preset=preset,
                mapping=mapping,
                dry_run=dry_run,
                as_of=as_of,
                author=author,
                progress=progress,
            )

        title = "Checking the client list…" if dry_run else "Importing clients…"
        progress = QProgressDialog(title, "", 0, 0, self)
        cancel_button = QPushButton("Cancel")
        progress.setCancelButton(cancel_button)
        progress.canceled.disconnect(progress.cancel)  # stay up until the work has stopped
        progress.setObjectName("import_progress")
        progress.setWindowTitle("Import clients")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.setMinimumWidth(380)

        def cancel() -> None:
            operation.cancel()
            cancel_button.setEnabled(False)
            progress.setLabelText("Cancelling… (nothing is written)")

        def step(done: int, total: int, label: str) -> None:
            progress.setMaximum(max(total, 1))
            progress.setValue(min(done, max(total, 1)))
            progress.setLabelText(f"{label}…")

        def finish() -> None:
            progress.hide()  # not close(): QProgressDialog.closeEvent would emit canceled
            progress.deleteLater()
            self.operation = None
            self._update_buttons()

        def succeeded(report: Any) -> None:
            finish()
            self.show_report(report)
            if not report.dry_run:
                self.imported.emit(report)

        def failed(message: str) -> None:
            finish()
            self._show_error(message)
            self.report_view.setPlainText(f"Nothing was imported.\n{message}")

        def cancelled() -> None:
            finish()
            self.report_view.setPlainText("Cancelled; the workspace is unchanged.")

        operation = Operation(
            self,
            work,
            on_success=succeeded,
            on_failure=failed,
            on_progress=step,
            on_cancelled=cancelled,
        )
        progress.canceled.connect(cancel)
        progress.rejected.connect(operation.cancel)
        self.operation = operation
        progress.show()
        operation.start()
        self._update_buttons()
        return operation

    def show_report(self, report: Any) -> None:
        from vcio_desk.services.client_import import as_text

        self.report = report
        source = f"{self.path.name}: " if self.path else ""
        self.report_view.setPlainText(source + as_text(report, max_problems=REPORT_PROBLEMS))
        self.copy_button.setEnabled(True)

    def _clear_report(self) -> None:
        self.report = None
        self.report_view.clear()
        self.copy_button.setEnabled(False)

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.report_view.toPlainText())

    def reject(self) -> None:
        if self.busy:
            return  # the progress dialog's Cancel stops the work first
        super().reject()


def _group(title: str, content: QWidget | QVBoxLayout) -> QGroupBox:
    box = QGroupBox(title)
    if isinstance(content, QWidget):
        layout = QVBoxLayout(box)
        layout.addWidget(content)
    else:
        box.setLayout(content)
    return box


def open_import_dialog(
    window: MainWindow, *, file_chooser: FileChooser = choose_csv_file
) -> ImportClientsDialog:
    """Open the import dialog over the main window; the Clients page reloads after an import."""
    dialog = ImportClientsDialog(
        window.store, window.as_of_provider, window, file_chooser=file_chooser
    )
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def imported(report: Any) -> None:
        window.clients_page.reload()
        window.show_page("clients")
        window.statusBar().showMessage(
            f"Clients imported: {report.added} added, {report.updated} updated, "
            f"{len(report.refused)} refused.",
            8000,
        )

    dialog.imported.connect(imported)
    dialog.open()
    return dialog
