"""File ▸ Packs for the next N days…: one pack per upcoming meeting, written into a folder.

The dialog asks how many days ahead, which edition, which paper and which folder,
says how many meetings that covers, then writes the packs on a worker
(``services.packs.write_packs``) with a progress bar and Cancel. It ends with what
was written and what failed, and why, with "Open folder". The window stays usable
meanwhile (the dialog is not modal); closing the dialog while it works cancels
the batch first. Folder and days are remembered between sessions.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, QUrl
from PySide6.QtGui import QCloseEvent, QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.domain.errors import VcioDeskError
from vcio_desk.reports.pack_data import Edition
from vcio_desk.services.workspace_settings import read_workspace
from vcio_desk.store import Store
from vcio_desk.ui.dialogs.pack_export_dialog import edition_buttons, edition_label, paper_combo
from vcio_desk.ui.formatting import format_date
from vcio_desk.ui.preferences import (
    PACK_BATCH_DAYS,
    PACK_BATCH_FOLDER,
    remember_folder,
    remembered_folder,
    ui_settings,
)
from vcio_desk.ui.widgets.rhythm_editor import mute
from vcio_desk.ui.workers import Operation, OperationCancelled, ProgressFn, run_in_background

MAX_DAYS = 366
DEFAULT_DAYS = 7
COUNT_DELAY_MS = 250
"""Typing "14" counts once, not for "1" and then "14"."""
ERROR_STYLE = "color: #B3261E;"
SUMMARY_SIZE = QSize(720, 560)
MTIME_SLACK = 2.0
"""Seconds: file systems that keep coarse modification times still count a fresh file."""

FolderChooser = Callable[[QWidget, str], str]
"""``(parent, folder) -> chosen folder`` ("" when the person cancelled)."""
UrlOpener = Callable[[QUrl], bool]


def ask_folder(parent: QWidget, folder: str) -> str:
    return QFileDialog.getExistingDirectory(parent, "Folder for the packs", folder)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def headline(report: Any) -> str:
    """ "5 packs written, 1 failed." (and whether the batch was cancelled)."""
    written, failed = len(report.written), len(report.failed)
    text = f"{_plural(written, 'pack')} written"
    if failed:
        text += f", {failed} failed"
    left = report.total - report.processed if getattr(report, "cancelled", False) else 0
    if left > 0:
        text += f"; cancelled with {_plural(left, 'meeting')} of {report.total} left"
    return text + "."


def summary_text(report: Any) -> str:
    """Where, what was written (file names), what failed (with the reason), the warnings."""
    lines = [f"Folder: {report.out_dir}"]
    if report.written:
        lines += ["", "Written:"]
        lines.extend(f"  ✓ {Path(path).name}" for path in report.written)
    if report.failed:
        lines += ["", "Failed:"]
        lines.extend(f"  ✗ {item.label}: {item.reason}" for item in report.failed)
    if report.warnings:
        lines += ["", "Warnings:"]
        lines.extend(f"  • {text}" for text in report.warnings)
    return "\n".join(lines)


@dataclass(frozen=True)
class CancelledBatch:
    """What a cancelled batch leaves: the packs it wrote before it stopped."""

    out_dir: Path
    written: tuple[Path, ...]
    processed: int
    total: int
    failed: tuple[Any, ...] = ()
    warnings: tuple[str, ...] = ()
    cancelled: bool = True


def cancelled_batch(
    store: Store,
    as_of: dt.date,
    days: int,
    folder: Path,
    edition: Edition,
    started: float,
    processed: int,
    total: int,
) -> CancelledBatch:
    """The batch stopped before meeting ``processed``: the files it wrote until then.

    ``write_packs`` reports nothing when cancelled; its targets' files in ``folder``
    written since ``started`` are the ones this run wrote (older ones were already there).
    """
    from vcio_desk.services.packs import meetings_in_next_days

    targets = meetings_in_next_days(store, as_of, days, edition)[:processed]
    written = []
    for target in targets:
        path = folder / target.file_name
        with contextlib.suppress(OSError):
            if path.is_file() and path.stat().st_mtime >= started - MTIME_SLACK:
                written.append(path)
    return CancelledBatch(folder, tuple(written), processed, total)


class PackBatchDialog(QDialog):
    """Days ahead, edition, paper, folder; Write packs → progress → summary."""

    def __init__(
        self,
        store: Store,
        as_of_provider: Callable[[], dt.date],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("pack_batch_dialog")
        self.setWindowTitle("Packs for the next days")
        self.store = store
        self._as_of = as_of_provider
        self.choose_folder: FolderChooser = ask_folder
        self.open_url: UrlOpener = QDesktopServices.openUrl
        self.operation: Operation | None = None
        self.report: Any = None
        self.outcome = ""
        """"done", "cancelled" or "failed" once a batch has ended."""
        self._close_when_done = False
        self._written_folder = Path()

        self.days_spin = QSpinBox()
        self.days_spin.setObjectName("batch_days")
        self.days_spin.setRange(1, MAX_DAYS)
        self.days_spin.setSuffix(" days")
        self.days_spin.setValue(_remembered_days())
        self.range_label = QLabel()
        mute(self.range_label)
        days_row = QHBoxLayout()
        days_row.addWidget(self.days_spin)
        days_row.addWidget(self.range_label, 1)
        self.edition_group, self.edition_buttons = edition_buttons(self)
        self.edition_buttons[Edition.CLIENT].setChecked(True)
        editions = QHBoxLayout()
        for button in self.edition_buttons.values():
            editions.addWidget(button)
        editions.addStretch(1)
        self.paper_combo = paper_combo(read_workspace(store).paper_size)
        paper_row = QHBoxLayout()
        paper_row.addWidget(self.paper_combo)
        paper_row.addStretch(1)
        self.folder_edit = QLineEdit(str(remembered_folder(PACK_BATCH_FOLDER)))
        self.folder_edit.setObjectName("batch_folder")
        self.folder_edit.setMinimumWidth(360)
        self.browse_button = QPushButton("C&hoose…")
        self.browse_button.setAutoDefault(False)
        self.browse_button.clicked.connect(self.browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.browse_button)
        self.count_label = QLabel()
        self.count_label.setObjectName("batch_count")
        self.count_label.setWordWrap(True)
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)

        self.form = QWidget()
        form = QFormLayout(self.form)
        form.setContentsMargins(0, 0, 0, 0)
        for caption, field, buddy in (
            ("&Days ahead:", days_row, self.days_spin),
            ("Edition:", editions, None),
            ("&Paper:", paper_row, self.paper_combo),
            ("&Folder:", folder_row, self.folder_edit),
        ):
            label = QLabel(caption)
            if buddy is not None:
                label.setBuddy(buddy)
            form.addRow(label, field)
        form.addRow("", self.count_label)

        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("batch_progress")
        self.progress_label = QLabel()
        self.progress_label.setTextFormat(Qt.TextFormat.PlainText)
        mute(self.progress_label)
        self.headline_label = QLabel()
        self.headline_label.setObjectName("batch_headline")
        self.headline_label.setTextFormat(Qt.TextFormat.PlainText)
        self.headline_label.setWordWrap(True)
        font = self.headline_label.font()
        font.setBold(True)
        self.headline_label.setFont(font)
        self.summary = QPlainTextEdit()
        self.summary.setObjectName("batch_summary")
        self.summary.setReadOnly(True)
        self.summary.setMinimumHeight(160)
        self.error_label = QLabel()
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        for widget in (
            self.progress_bar,
            self.progress_label,
            self.headline_label,
            self.summary,
            self.error_label,
        ):
            widget.hide()

        self.open_folder_button = QPushButton("&Open folder")
        self.open_folder_button.setAutoDefault(False)
        self.open_folder_button.clicked.connect(self.open_folder)
        self.open_folder_button.hide()
        self.write_button = QPushButton("&Write packs")
        self.write_button.setDefault(True)
        self.write_button.clicked.connect(self.start)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        self.close_button = QPushButton("Close")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_folder_button)
        buttons.addStretch(1)
        for button in (self.write_button, self.cancel_button, self.close_button):
            buttons.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.headline_label)
        layout.addWidget(self.summary, 1)
        layout.addLayout(buttons)
        self.setMinimumWidth(600)

        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(COUNT_DELAY_MS)
        self._count_timer.timeout.connect(self.count_meetings)
        self.days_spin.valueChanged.connect(lambda _value: self._count_timer.start())
        self.count_meetings()

    # -- choices -----------------------------------------------------------------------------

    def edition(self) -> Edition:
        return next(e for e, b in self.edition_buttons.items() if b.isChecked())

    def folder(self) -> Path:
        return Path(self.folder_edit.text().strip()).expanduser()

    def browse(self) -> None:
        chosen = self.choose_folder(self, self.folder_edit.text())
        if chosen:
            self.folder_edit.setText(chosen)

    def count_meetings(self) -> int:
        """Say how many meetings the days ahead cover (and the dates); the count."""
        from vcio_desk.services.packs import meetings_in_next_days

        as_of, days = self._as_of(), self.days_spin.value()
        last = as_of + dt.timedelta(days=days - 1)  # the days ahead count today
        self.range_label.setText(f"{format_date(as_of)} – {format_date(last)}")
        try:
            targets = meetings_in_next_days(self.store, as_of, days)
        except VcioDeskError as err:
            self.count_label.setText(err.user_message)
            self.write_button.setEnabled(False)
            return 0
        count = len(targets)
        self.count_label.setText(
            f"{_plural(count, 'meeting')} in that time, one pack each."
            if count
            else "No meetings in that time: nothing to write."
        )
        self.write_button.setEnabled(count > 0 and not self.running)
        return count

    # -- running -----------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.operation is not None and self.operation.running

    def start(self) -> bool:
        """Check the folder, then write the packs on a worker; False when not started."""
        if self.running:
            return False
        folder = self.folder()
        if not self.folder_edit.text().strip():
            return self._refuse("Choose a folder for the packs.")
        if not folder.is_dir():
            return self._refuse(f"The folder {folder} does not exist.")
        self._count_timer.stop()
        if not self.count_meetings():
            return False
        remember_folder(PACK_BATCH_FOLDER, folder)
        settings = ui_settings()
        settings.setValue(PACK_BATCH_DAYS, self.days_spin.value())
        settings.sync()
        store, as_of, days = self.store, self._as_of(), self.days_spin.value()
        edition, paper = self.edition(), self.paper_combo.currentText()

        def work(progress: ProgressFn) -> Any:
            from vcio_desk.services.packs import write_packs  # reportlab loads here

            started = time.time()
            seen = [0, 0]

            def tracked(done: int, total: int, label: str) -> None:
                seen[:] = [done, total]
                progress(done, total, label)  # raises once the person has cancelled

            try:
                return write_packs(store, as_of, days, folder, edition, paper, progress=tracked)
            except OperationCancelled:
                return cancelled_batch(store, as_of, days, folder, edition, started, *seen)

        self.report = None
        self.outcome = ""
        self._written_folder = folder
        self.error_label.hide()
        self.headline_label.hide()
        self.summary.hide()
        self.open_folder_button.hide()
        self.progress_bar.setRange(0, 0)  # busy until the first report
        self.progress_label.setText(f"Writing the {edition_label(edition).lower()}s…")
        self._set_running(True)
        self.operation = run_in_background(
            self,
            work,
            on_success=self._done,
            on_failure=self._failed,
            on_progress=self._progress,
            on_cancelled=self._cancelled,
        )
        return True

    def cancel(self) -> None:
        if self.running and self.operation is not None:
            self.operation.cancel()
            self.cancel_button.setEnabled(False)
            self.progress_label.setText("Cancelling after the pack being written…")

    def _progress(self, done: int, total: int, label: str) -> None:
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(done)
        if done < total:  # told before each pack: ``label`` is the one being written now
            self.progress_label.setText(f"Writing {done + 1} of {total} · {label}")
        else:
            self.progress_label.setText(f"All {total} done, summing up…")

    def _done(self, report: Any) -> None:
        self.report = report
        self.outcome = "cancelled" if getattr(report, "cancelled", False) else "done"
        self._finish()
        self._show_summary(headline(report), summary_text(report))
        self.open_folder_button.setVisible(bool(report.written))

    def _cancelled(self) -> None:
        self.outcome = "cancelled"
        self._finish()
        self._show_summary(
            "Cancelled.", f"Packs written before that stay in {self._written_folder}."
        )
        self.open_folder_button.show()

    def _failed(self, message: str) -> None:
        self.outcome = "failed"
        self._finish()
        self._show_summary("The packs could not be written.", message)

    def _show_summary(self, head: str, text: str) -> None:
        self.headline_label.setText(head)
        self.summary.setPlainText(text)
        self.headline_label.show()
        self.summary.show()
        self.resize(self.size().expandedTo(SUMMARY_SIZE))  # room for the list

    def _finish(self) -> None:
        self.operation = None
        self._set_running(False)
        self.progress_bar.hide()
        self.progress_label.hide()
        if self._close_when_done:
            super().reject()

    def _set_running(self, running: bool) -> None:
        self.form.setEnabled(not running)
        self.write_button.setVisible(not running)
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running)
        self.progress_bar.setVisible(running)
        self.progress_label.setVisible(running)
        if not running:
            self.count_meetings()

    def _refuse(self, text: str) -> bool:
        self.error_label.setText(text)
        self.error_label.show()
        self.folder_edit.setFocus()
        return False

    def open_folder(self) -> bool:
        return self.open_url(QUrl.fromLocalFile(str(self._written_folder)))

    # -- closing -----------------------------------------------------------------------------

    def reject(self) -> None:
        """Esc / Close: a running batch is cancelled first; the window closes when it stops."""
        if self.running:
            self._close_when_done = True
            self.cancel()
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.running:
            event.ignore()
            self.reject()
            return
        super().closeEvent(event)


def _remembered_days() -> int:
    value = ui_settings().value(PACK_BATCH_DAYS, DEFAULT_DAYS)
    try:
        days = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return DEFAULT_DAYS
    return days if 1 <= days <= MAX_DAYS else DEFAULT_DAYS


def open_pack_batch(window: QWidget) -> PackBatchDialog:
    """The dialog over ``window`` (one per window; raised if it is already open)."""
    dialog = window.findChild(PackBatchDialog)
    if dialog is None:
        store: Store = window.store  # type: ignore[attr-defined]
        dialog = PackBatchDialog(store, window.as_of_provider, window)  # type: ignore[attr-defined]
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
