"""Add or edit one CSI item: every field, a live KPI bar, status moves, history and findings.

The dialog reads the item through ``services.csi.item_detail`` and saves through
``create_item`` / ``update_item`` with the version it read, so an edit made
elsewhere in the meantime is refused with a clear message instead of being
overwritten. A refused save keeps the dialog open with everything typed. The status
buttons offer only the moves the life cycle allows from the stored status; the
chosen move is saved with the other fields and the reason. Closing with unsaved
changes asks Save / Discard / Cancel first (through the replaceable ``ask_unsaved``).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.domain.errors import VcioDeskError
from vcio_desk.domain.fiscal import FiscalQuarter, fiscal_quarter
from vcio_desk.domain.roadmap import kpi_progress, next_statuses
from vcio_desk.domain.vocab import CsiSize, CsiStatus, Priority
from vcio_desk.services.csi import (
    CsiDetail,
    CsiEdit,
    RegisterContext,
    create_item,
    item_detail,
    update_item,
)
from vcio_desk.store import Store
from vcio_desk.ui.dialogs.messages import show_message
from vcio_desk.ui.dialogs.unsaved import UnsavedAsker, ask_unsaved, close_or_keep
from vcio_desk.ui.pages.client_tabs.csi_model import (
    SIZE_NAMES,
    money_text,
    number_text,
    parse_number,
    priority_text,
    quarter_text,
    status_text,
)
from vcio_desk.ui.pages.client_tabs.csi_text import KPI_KEYS, ItemRecord
from vcio_desk.ui.workers import GENERIC_FAILURE

log = logging.getLogger(__name__)

QUARTERS_BACK = 8
QUARTERS_AHEAD = 16
MAX_MONEY = 9_999_999_999.99
STATUS_VERBS = {
    CsiStatus.APPROVED: "Approve",
    CsiStatus.IN_PROGRESS: "Start work",
    CsiStatus.DONE: "Mark done",
    CsiStatus.DEFERRED: "Defer",
    CsiStatus.PROPOSED: "Propose again",
}

Notifier = Callable[[QWidget, str], None]


@dataclass(frozen=True)
class CsiDialogRequest:
    """What the dialog needs: where the item lives, who edits, and which item (None: new)."""

    store: Store
    context: RegisterContext
    as_of: dt.date
    author: str
    item_id: int | None = None
    locale: QLocale | None = None
    """How numbers, money and dates are shown (the register's locale)."""


@dataclass(frozen=True)
class CsiDialogResult:
    item_id: int
    created: bool
    edit: CsiEdit | None
    """What an edit changed (None for a new item); the tab keeps it for undo."""


def _warn(parent: QWidget, message: str) -> None:
    show_message(parent, "CSI item", message)


class CsiDialog(QDialog):
    """One CSI item's every field; Save writes it (with a reason) and closes."""

    def __init__(self, request: CsiDialogRequest, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.request = request
        self.context = request.context
        self.detail: CsiDetail | None = None
        self.result_value: CsiDialogResult | None = None
        self.notify: Notifier = _warn
        self.ask_unsaved: UnsavedAsker = ask_unsaved
        self._locale = request.locale or QLocale()
        self._staged_status: CsiStatus | None = None
        self._loaded_values: dict[str, Any] = {}
        self.setObjectName("csi_dialog")
        writable = not request.store.read_only
        if request.item_id is not None:
            self.detail = item_detail(request.store, request.item_id)

        # -- the item ---------------------------------------------------------------------------
        self.title_edit = QLineEdit()
        self.title_edit.setMaxLength(300)
        self.title_edit.setPlaceholderText("What will improve, e.g. “Cut phishing click rate”")
        self.description_edit = QPlainTextEdit()
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setPlaceholderText("What will be done")
        self.justification_edit = QPlainTextEdit()
        self.justification_edit.setTabChangesFocus(True)
        self.justification_edit.setPlaceholderText("Why it matters to the client (risk, cost…)")
        for edit in (self.description_edit, self.justification_edit):
            edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 3 + 14)
        self.size_combo = QComboBox()
        for size in CsiSize:
            self.size_combo.addItem(f"{size.value} — {SIZE_NAMES[size.value]}", size.value)
        self.priority_combo = QComboBox()
        for priority in Priority:
            self.priority_combo.addItem(priority_text(priority), priority.value)
        self.owner_combo = QComboBox()
        self.owner_combo.addItem("Nobody", None)
        for staff in self.context.staff:
            self.owner_combo.addItem(staff.name, staff.id)
        self.quarter_combo = QComboBox()
        self.quarter_combo.setObjectName("target_quarter")
        self.rank_label = QLabel("Last (new items go to the end)")
        self.progress_spin = QSpinBox()
        self.progress_spin.setRange(0, 100)
        self.progress_spin.setSuffix(" %")
        self.progress_spin.setToolTip("How much of the work is done (done items are 100 %)")
        self.progress_spin.setMaximumWidth(self.fontMetrics().horizontalAdvance("0" * 12))

        # -- KPI ------------------------------------------------------------------------------
        self.kpi_name_edit = QLineEdit()
        self.kpi_name_edit.setMaxLength(200)
        self.kpi_name_edit.setPlaceholderText("e.g. Phishing simulation click rate")
        self.kpi_unit_edit = QLineEdit()
        self.kpi_unit_edit.setMaxLength(30)
        self.kpi_unit_edit.setPlaceholderText("%, tickets, days…")
        self.kpi_edits: dict[str, QLineEdit] = {}
        for key, hint in zip(
            KPI_KEYS, ("where it started", "where it should get", "today"), strict=True
        ):
            edit = QLineEdit()
            edit.setObjectName(key)
            edit.setPlaceholderText(hint)
            edit.textChanged.connect(self._update_kpi_bar)
            self.kpi_edits[key] = edit
        self.kpi_bar = QProgressBar()
        self.kpi_bar.setObjectName("kpi_bar")
        self.kpi_bar.setRange(0, 100)
        self.kpi_hint = QLabel()
        self.kpi_hint.setObjectName("kpi_hint")
        self.kpi_hint.setWordWrap(True)

        # -- money ---------------------------------------------------------------------------
        self.one_time_spin = self._money_spin("one_time_cost")
        self.recurring_spin = self._money_spin("recurring_cost_monthly")
        self.annual_label = QLabel()
        self.recurring_spin.valueChanged.connect(self._update_annual)

        # -- status ------------------------------------------------------------------------------
        self.status_label = QLabel()
        self.status_label.setObjectName("status_label")
        self.status_label.setWordWrap(True)
        self.status_buttons: dict[CsiStatus, QPushButton] = {}
        self.status_group = QButtonGroup(self)
        self.status_group.setExclusive(False)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status_label, 1)
        stored = self.detail.row.status if self.detail else CsiStatus.PROPOSED
        for status in next_statuses(stored) if self.detail else ():
            button = QPushButton(STATUS_VERBS[status])
            button.setObjectName(f"status_{status.value}")
            button.setCheckable(True)
            button.setAutoDefault(False)
            button.setToolTip(f"Saved as {status_text(status).lower()} with the other changes")
            button.toggled.connect(lambda on, s=status: self._stage_status(s, on))
            self.status_buttons[status] = button
            status_row.addWidget(button)

        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("note")
        self.note_edit.setPlaceholderText("Why this change? Kept in the item's history")

        form = QFormLayout()
        form.addRow("&Title:", self.title_edit)
        form.addRow("&Description:", self.description_edit)
        form.addRow("&Justification:", self.justification_edit)
        facts = QHBoxLayout()
        for caption, widget in (("&Size", self.size_combo), ("&Priority", self.priority_combo)):
            label = QLabel(f"{caption}:")
            label.setBuddy(widget)
            facts.addWidget(label)
            facts.addWidget(widget)
            facts.addSpacing(8)
        facts.addStretch(1)
        form.addRow("", facts)
        form.addRow("&Owner:", self.owner_combo)
        form.addRow("Target &quarter:", self.quarter_combo)
        form.addRow("Rank:", self.rank_label)
        form.addRow("&Work done:", self.progress_spin)

        kpi_box = QGroupBox("KPI")
        kpi_form = QFormLayout(kpi_box)
        kpi_form.addRow("&Name:", self.kpi_name_edit)
        kpi_form.addRow("&Unit:", self.kpi_unit_edit)
        numbers = QHBoxLayout()
        for key, caption in zip(KPI_KEYS, ("&Baseline", "Tar&get", "C&urrent"), strict=True):
            label = QLabel(f"{caption}:")
            label.setBuddy(self.kpi_edits[key])
            numbers.addWidget(label)
            numbers.addWidget(self.kpi_edits[key], 1)
        kpi_form.addRow(numbers)
        kpi_form.addRow("Progress:", self.kpi_bar)
        kpi_form.addRow("", self.kpi_hint)

        cost_box = QGroupBox("Cost")
        cost_form = QFormLayout(cost_box)
        cost_form.addRow("O&ne-time:", self.one_time_spin)
        cost_form.addRow("&Recurring per month:", self.recurring_spin)
        cost_form.addRow("Per year:", self.annual_label)

        status_box = QGroupBox("Status")
        status_layout = QVBoxLayout(status_box)
        status_layout.addLayout(status_row)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(form)
        left_layout.addWidget(kpi_box)
        left_layout.addWidget(cost_box)
        left_layout.addWidget(status_box)
        left_layout.addStretch(1)

        # -- history and findings ----------------------------------------------------------------
        self.record = ItemRecord(self._locale, self.context.currency_symbol)
        self.history_view = self.record.history_view
        self.findings_tree = self.record.findings_tree
        self.history_caption = self.record.history_caption
        self.findings_caption = self.record.findings_caption

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.record)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([600, 420])

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setEnabled(writable)
        if not writable:
            self.save_button.setToolTip("The workspace is open read-only")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        note_row = QHBoxLayout()
        note_caption = QLabel("Rea&son:")
        note_caption.setBuddy(self.note_edit)
        note_row.addWidget(note_caption)
        note_row.addWidget(self.note_edit, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(note_row)
        layout.addWidget(self.buttons)
        save = QShortcut(QKeySequence.StandardKey.Save, self)
        save.activated.connect(self.save)

        self._fill()
        self.resize(1040, 700)

    # -- building --------------------------------------------------------------------------------

    def _money_spin(self, name: str) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setObjectName(name)
        spin.setDecimals(2)
        spin.setRange(0, MAX_MONEY)
        spin.setGroupSeparatorShown(True)
        spin.setLocale(self._locale)
        spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        if self.context.currency_symbol:
            spin.setPrefix(f"{self.context.currency_symbol} ")
        spin.setMinimumWidth(spin.fontMetrics().horizontalAdvance("0" * 18))
        spin.setMaximumWidth(spin.fontMetrics().horizontalAdvance("0" * 26))
        return spin

    def _fill(self) -> None:
        """Put the item's values (or a new item's defaults) into the widgets."""
        start_month = self.context.fiscal_start_month
        now = fiscal_quarter(self.request.as_of, start_month)
        row = self.detail.row if self.detail else None
        quarters = [now.shifted(n) for n in range(-QUARTERS_BACK, QUARTERS_AHEAD + 1)]
        if row and row.target and row.target not in quarters:
            quarters = sorted({*quarters, row.target})
        self.quarter_combo.addItem("Unscheduled (no quarter yet)", None)
        for quarter in quarters:
            self.quarter_combo.addItem(
                quarter_text(quarter, start_month, self._locale), quarter.index
            )
        if row is None:
            self.setWindowTitle(f"New CSI item — {self.context.name}")
            self._select(self.size_combo, CsiSize.M.value)
            self._select(self.priority_combo, Priority.MEDIUM.value)
            self._select(self.owner_combo, self.context.default_owner_id)
            self._select(self.quarter_combo, now.next().index)
            self.record.show_new()
        else:
            self.setWindowTitle(f"{row.title} — {self.context.name}")
            self.title_edit.setText(row.title)
            self.description_edit.setPlainText(row.description)
            self.justification_edit.setPlainText(row.justification)
            self._select(self.size_combo, str(row.size))
            self._select(self.priority_combo, str(row.priority))
            if row.owner_id is not None and self.owner_combo.findData(row.owner_id) < 0:
                self.owner_combo.addItem(row.owner or f"Staff member {row.owner_id}", row.owner_id)
            self._select(self.owner_combo, row.owner_id)
            self._select(self.quarter_combo, row.target.index if row.target else None)
            self.rank_label.setText(
                f"{self._locale.toString(row.rank)} (move it in the register’s list)"
            )
            self.progress_spin.setValue(row.progress_pct)
            self.kpi_name_edit.setText(row.kpi_name)
            self.kpi_unit_edit.setText(row.kpi_unit)
            for key, value in zip(
                KPI_KEYS, (row.kpi_baseline, row.kpi_target, row.kpi_current), strict=True
            ):
                self.kpi_edits[key].setText(number_text(value, self._locale))
            self.one_time_spin.setValue(float(row.one_time_cost))
            self.recurring_spin.setValue(float(row.recurring_cost_monthly))
            self.record.show_detail(self.detail)
        self._update_kpi_bar()
        self._update_annual()
        self._show_status()
        self._loaded_values = self._raw_values()

    def selected_quarter(self) -> FiscalQuarter | None:
        index = self.quarter_combo.currentData()
        return FiscalQuarter.from_index(index) if isinstance(index, int) else None

    @staticmethod
    def _select(combo: QComboBox, value: object) -> None:
        index = combo.findData(value)
        combo.setCurrentIndex(max(index, 0))

    # -- live parts ------------------------------------------------------------------------------

    def _kpi_numbers(self) -> tuple[dict[str, Decimal | None], list[str]]:
        numbers: dict[str, Decimal | None] = {}
        wrong: list[str] = []
        for key, edit in self.kpi_edits.items():
            try:
                numbers[key] = parse_number(edit.text(), self._locale)
            except ValueError:
                numbers[key] = None
                wrong.append(key.removeprefix("kpi_"))
        return numbers, wrong

    def _update_kpi_bar(self) -> None:
        numbers, wrong = self._kpi_numbers()
        progress = kpi_progress(*(numbers[k] for k in KPI_KEYS))
        if wrong:
            self.kpi_hint.setText(f"Not a number: {', '.join(wrong)}.")
        elif progress is None:
            same = (
                numbers["kpi_baseline"] is not None
                and numbers["kpi_baseline"] == numbers["kpi_target"]
            )
            self.kpi_hint.setText(
                "Baseline and target are the same: there is no distance to measure."
                if same
                else "Give a baseline, a target and the current value to see progress."
            )
        else:
            lower = (numbers["kpi_target"] or 0) < (numbers["kpi_baseline"] or 0)
            direction = "lower is better" if lower else "higher is better"
            self.kpi_hint.setText(
                f"{progress:.0f} % of the way from baseline to target ({direction})."
            )
        self.kpi_bar.setEnabled(progress is not None)
        self.kpi_bar.setValue(round(progress) if progress is not None else 0)
        self.kpi_bar.setFormat("%p %" if progress is not None else "—")

    def _update_annual(self) -> None:
        yearly = Decimal(f"{self.recurring_spin.value():.2f}") * 12
        self.annual_label.setText(
            money_text(yearly, self._locale, self.context.currency_symbol) + " recurring"
        )

    def _stage_status(self, status: CsiStatus, on: bool) -> None:
        if on:
            for other, button in self.status_buttons.items():
                if other is not status and button.isChecked():
                    button.blockSignals(True)
                    button.setChecked(False)
                    button.blockSignals(False)
            self._staged_status = status
            if status is CsiStatus.DONE:
                self.progress_spin.setValue(100)
        elif self._staged_status is status:
            self._staged_status = None
        self._show_status()

    def _show_status(self) -> None:
        if self.detail is None:
            self.status_label.setText("Proposed (every new item starts here)")
            return
        stored = status_text(self.detail.row.status)
        if self._staged_status is None:
            allowed = next_statuses(self.detail.row.status)
            tail = "" if allowed else " (final)"
            self.status_label.setText(f"{stored}{tail}")
        else:
            self.status_label.setText(
                f"{stored} → {status_text(self._staged_status)} (when you save)"
            )

    # -- values ----------------------------------------------------------------------------------

    def _raw_values(self) -> dict[str, Any]:
        """What the widgets hold, as typed (for "is anything changed?")."""
        return {
            "title": self.title_edit.text(),
            "description": self.description_edit.toPlainText(),
            "justification": self.justification_edit.toPlainText(),
            "size": self.size_combo.currentData(),
            "priority": self.priority_combo.currentData(),
            "owner_id": self.owner_combo.currentData(),
            "target": self.quarter_combo.currentData(),
            "progress_pct": self.progress_spin.value(),
            "kpi_name": self.kpi_name_edit.text(),
            "kpi_unit": self.kpi_unit_edit.text(),
            **{key: edit.text() for key, edit in self.kpi_edits.items()},
            "one_time_cost": self.one_time_spin.value(),
            "recurring_cost_monthly": self.recurring_spin.value(),
            "status": self._staged_status,
            "note": self.note_edit.text(),
        }

    def is_dirty(self) -> bool:
        return self._raw_values() != self._loaded_values

    def fields(self) -> dict[str, Any]:
        """The fields to save, by ``CsiItem`` column name; ValueError names a bad KPI number."""
        numbers, wrong = self._kpi_numbers()
        if wrong:
            raise ValueError(f"The KPI {' and '.join(wrong)} must be a number (e.g. 42 or 3.5).")
        target = self.selected_quarter()
        year, quarter = (target.year, target.quarter) if target else (None, None)
        fields: dict[str, Any] = {
            "title": self.title_edit.text(),
            "description": self.description_edit.toPlainText(),
            "justification": self.justification_edit.toPlainText(),
            "size": self.size_combo.currentData(),
            "priority": self.priority_combo.currentData(),
            "owner_id": self.owner_combo.currentData(),
            "target_fiscal_year": year,
            "target_quarter": quarter,
            "progress_pct": self.progress_spin.value(),
            "kpi_name": self.kpi_name_edit.text(),
            "kpi_unit": self.kpi_unit_edit.text(),
            **numbers,
            "one_time_cost": Decimal(f"{self.one_time_spin.value():.2f}"),
            "recurring_cost_monthly": Decimal(f"{self.recurring_spin.value():.2f}"),
        }
        if self._staged_status is not None:
            fields["status"] = self._staged_status
        return fields

    # -- saving ----------------------------------------------------------------------------------

    def save(self) -> bool:
        """Write the item; on a refusal, say why and keep everything typed."""
        if self.request.store.read_only:
            return False
        try:
            fields = self.fields()
        except ValueError as exc:
            self.notify(self, str(exc))
            return False
        store, author, note = self.request.store, self.request.author, self.note_edit.text()
        try:
            if self.detail is None:
                item_id = create_item(store, self.context.client_id, fields, author, note)
                self.result_value = CsiDialogResult(item_id, True, None)
            else:
                row = self.detail.row
                edit = update_item(
                    store, row.id, fields, author, note, expected_version=row.row_version
                )
                self.result_value = CsiDialogResult(row.id, False, edit)
        except VcioDeskError as err:
            self.notify(self, err.user_message)
            return False
        except Exception as exc:  # logged; the dialog stays open with what was typed
            log.error("saving a CSI item failed", exc_info=exc)
            self.notify(self, GENERIC_FAILURE)
            return False
        self._loaded_values = self._raw_values()
        super().accept()
        return True

    def reject(self) -> None:
        """Cancel, Esc or the close button: Save / Discard / Cancel when something was typed."""
        dirty = self.is_dirty() and not self.request.store.read_only
        if close_or_keep(self, "this item", dirty, self.ask_unsaved, self.save):
            super().reject()

    @classmethod
    def ask(cls, parent: QWidget, request: CsiDialogRequest) -> CsiDialogResult | None:
        """Open the dialog; what was saved, or None when cancelled."""
        dialog = cls(request, parent)
        try:
            dialog.exec()
            return dialog.result_value
        finally:
            dialog.deleteLater()


CsiOpener = Callable[[QWidget, CsiDialogRequest], "CsiDialogResult | None"]
"""How the register opens the dialog; tests replace it to drive the real dialog."""
