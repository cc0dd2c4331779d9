"""'Generate year…': the scheduler's dry run as a table, then one transaction to apply it.

The dry run (``plan_schedule``) and the write (``apply_schedule``) both run on a
worker. The write can be cancelled until it starts; it is a single transaction,
so it is then all or nothing. Closing the dialog without Apply changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QProgressDialog,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.services.scheduler import (
    SchedulePlan,
    ScheduleWindow,
    apply_schedule,
    plan_schedule,
)
from vcio_desk.store import Store
from vcio_desk.ui.dialogs.messages import show_message
from vcio_desk.ui.models.plan_model import PlanColumn, PlanModel, summary_line
from vcio_desk.ui.workers import Operation, ProgressFn, run_in_background

TITLE = "Generate year"
YEAR_DELAY_MS = 300


class GenerateYearDialog(QDialog):
    """Preview what scheduling ``year`` would change; Apply writes exactly that."""

    planned = Signal(object)
    """A dry run finished: its SchedulePlan."""
    applied = Signal(object)
    """The schedule was written: the SchedulePlan that was applied."""
    failed = Signal(str)

    def __init__(
        self, store: Store, year: int, as_of: dt.date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("generate_year_dialog")
        self.setWindowTitle("Generate year")
        self._store = store
        self._as_of = as_of
        self._token = 0
        self._planning: Operation | None = None
        self._writing: Operation | None = None
        self.plan: SchedulePlan | None = None
        self.last_applied: SchedulePlan | None = None

        intro = QLabel(
            "Every slot of every active rhythm gets one proposed meeting, on its date or the "
            "nearest working day within tolerance. Meetings someone confirmed, moved, held or "
            "cancelled are never touched. Nothing is written until you press Apply."
        )
        intro.setWordWrap(True)
        self.year_spin = QSpinBox()
        self.year_spin.setRange(1900, 9000)
        self.year_spin.setValue(year)
        self.year_spin.setObjectName("generate_year_spin")
        year_caption = QLabel("&Year:")
        year_caption.setBuddy(self.year_spin)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setMaximumWidth(160)
        self.busy.hide()
        self.summary_label = QLabel("Working out the plan…")
        self.summary_label.setObjectName("generate_summary")
        bold = QFont(self.summary_label.font())
        bold.setBold(True)
        self.summary_label.setFont(bold)
        self.summary_label.setTextFormat(Qt.TextFormat.PlainText)
        self.notes_label = QLabel()
        self.notes_label.setObjectName("generate_notes")
        self.notes_label.setWordWrap(True)
        self.notes_label.setTextFormat(Qt.TextFormat.PlainText)
        self.notes_label.hide()
        self.outcome_label = QLabel()
        self.outcome_label.setObjectName("generate_outcome")
        self.outcome_label.setTextFormat(Qt.TextFormat.PlainText)
        self.outcome_label.hide()

        self.model = PlanModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        chars = self.fontMetrics().averageCharWidth()
        for column, width in (
            (PlanColumn.CHANGE, 16),
            (PlanColumn.DATE, 18),
            (PlanColumn.SUBJECT, 28),
            (PlanColumn.MEETING, 28),
            (PlanColumn.OWNER, 18),
        ):
            header.resizeSection(column, chars * width)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setResizeContentsPrecision(200)  # fitting looks at the first 200 rows

        self.apply_button = QPushButton("&Apply")
        self.apply_button.setEnabled(False)
        self.apply_button.setAutoDefault(False)
        self.apply_button.clicked.connect(self.apply)
        self.close_button = QPushButton("Close")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(year_caption)
        top.addWidget(self.year_spin)
        top.addSpacing(12)
        top.addWidget(self.busy)
        top.addWidget(self.summary_label, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.apply_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addWidget(self.outcome_label)
        layout.addWidget(self.notes_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.resize(1040, 620)

        self._year_timer = QTimer(self)
        self._year_timer.setSingleShot(True)
        self._year_timer.setInterval(YEAR_DELAY_MS)
        self._year_timer.timeout.connect(self.preview)
        self.year_spin.valueChanged.connect(self._year_timer.start)
        self.preview()

    # -- public ------------------------------------------------------------------------------

    @property
    def year(self) -> int:
        return self.year_spin.value()

    @property
    def busy_now(self) -> bool:
        return self._planning is not None or self._writing is not None

    def preview(self) -> None:
        """Start the dry run for the chosen year (a newer request supersedes an older one)."""
        self._year_timer.stop()
        if self._planning is not None:
            self._planning.cancel()
        self._token += 1
        token = self._token
        store, as_of, window = self._store, self._as_of, ScheduleWindow.year(self.year)

        def work(progress: ProgressFn) -> SchedulePlan:
            progress(0, 1, "Planning")
            return plan_schedule(store, window, as_of)

        self.plan = None
        self.model.set_plan(None)
        self.apply_button.setEnabled(False)
        self.busy.show()
        self.summary_label.setText(f"Working out the plan for {window.label}…")
        self._planning = run_in_background(
            self,
            work,
            on_success=lambda plan: self._planned(token, plan),
            on_failure=lambda message: self._plan_failed(token, message),
            on_cancelled=lambda: self._plan_cancelled(token),
        )

    def apply(self) -> None:
        """Write the plan in one transaction on a worker, behind a cancellable progress box."""
        if self.plan is None or self._writing is not None:
            return
        store, as_of, window = self._store, self._as_of, self.plan.window

        def work(progress: ProgressFn) -> SchedulePlan:
            progress(0, 1, "Writing the schedule")  # the last moment a cancel stops it
            return apply_schedule(store, window, as_of)

        progress_box = QProgressDialog(f"Writing the {window.label} schedule…", "", 0, 0, self)
        cancel_button = QPushButton("Cancel")
        progress_box.setCancelButton(cancel_button)
        progress_box.canceled.disconnect(progress_box.cancel)  # stay up until the work stops
        progress_box.setObjectName("generate_progress")
        progress_box.setWindowTitle(TITLE)
        progress_box.setWindowModality(Qt.WindowModality.WindowModal)
        progress_box.setMinimumDuration(0)
        progress_box.setAutoClose(False)
        progress_box.setAutoReset(False)
        progress_box.setMinimumWidth(380)
        self.progress_box = progress_box
        cancelled = [False]

        def cancel() -> None:
            cancelled[0] = True
            operation.cancel()
            cancel_button.setEnabled(False)
            progress_box.setLabelText("Cancelling… (nothing is written unless it has begun)")

        def finish() -> None:
            self._writing = None
            self.apply_button.setEnabled(False)
            progress_box.hide()  # not close(): QProgressDialog.closeEvent would emit canceled
            progress_box.deleteLater()
            self.progress_box = None

        def succeeded(plan: Any) -> None:
            finish()
            self.last_applied = plan
            late = " (too late to cancel: the write had begun)" if cancelled[0] else ""
            self.outcome_label.setText(
                f"✓ Written{late}: {len(plan.added)} meetings added, "
                f"{len(plan.removed)} removed. The preview below is the check that follows."
            )
            self.outcome_label.show()
            self.applied.emit(plan)
            self.preview()

        def failed(message: str) -> None:
            finish()
            self.apply_button.setEnabled(self.plan is not None and self.plan.has_changes)
            self.failed.emit(message)
            show_message(self, TITLE, message)

        def was_cancelled() -> None:
            finish()
            self.apply_button.setEnabled(self.plan is not None and self.plan.has_changes)
            self.outcome_label.setText("Cancelled; nothing was written.")
            self.outcome_label.show()

        operation = Operation(
            self, work, on_success=succeeded, on_failure=failed, on_cancelled=was_cancelled
        )
        progress_box.canceled.connect(cancel)
        progress_box.rejected.connect(cancel)
        progress_box.show()
        self.apply_button.setEnabled(False)
        self._writing = operation.start()

    # -- internals ---------------------------------------------------------------------------

    def _planned(self, token: int, plan: SchedulePlan) -> None:
        if token != self._token:
            return
        self._planning = None
        self.busy.hide()
        self.plan = plan
        self.model.set_plan(plan)
        self._fit_columns()
        if plan.has_changes:
            self.summary_label.setText(summary_line(plan))
        else:
            self.summary_label.setText(
                f"Nothing to change: every slot of {plan.window.label} already has its meeting."
            )
        self.notes_label.setText("\n".join(f"ℹ {note}" for note in plan.notes))
        self.notes_label.setVisible(bool(plan.notes))
        self.apply_button.setEnabled(plan.has_changes and self._writing is None)
        self.planned.emit(plan)

    def _fit_columns(self) -> None:
        """Columns as wide as their text (judged on the first rows); "Why" takes the rest."""
        if self.model.rowCount() == 0:
            return
        header = self.table.horizontalHeader()
        for column in (
            PlanColumn.CHANGE,
            PlanColumn.DATE,
            PlanColumn.SUBJECT,
            PlanColumn.MEETING,
            PlanColumn.OWNER,
        ):
            self.table.resizeColumnToContents(column)
            header.resizeSection(column, header.sectionSize(column) + 12)

    def _plan_failed(self, token: int, message: str) -> None:
        if token != self._token:
            return
        self._planning = None
        self.busy.hide()
        self.summary_label.setText("The plan could not be worked out.")
        self.failed.emit(message)
        show_message(self, TITLE, message)

    def _plan_cancelled(self, token: int) -> None:
        if token == self._token:
            self._planning = None
            self.busy.hide()

    def _stop(self) -> None:
        self._year_timer.stop()
        if self._planning is not None:
            self._planning.cancel()

    def reject(self) -> None:
        if self._writing is not None:
            return  # the write is one transaction: wait for it rather than hide it
        self._stop()
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._writing is not None:
            event.ignore()
            return
        self._stop()
        super().closeEvent(event)
