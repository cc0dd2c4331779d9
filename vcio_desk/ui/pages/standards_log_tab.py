"""The Change log tab: every recorded change to the library, sortable and filterable.

Filter by words (who, what, why, the standard), by kind of action, to committee
decisions only, or to one standard or one decision (from the Library and Committee
tabs). The entry selected is shown in full below, each field old → new.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.services.standards_log import LONG_TEXT, ChangeView, value_text
from vcio_desk.ui.models.standards_models import change_log_model, changed_at_text
from vcio_desk.ui.models.standards_rows import selected, size_columns
from vcio_desk.ui.widgets.tables import row_table

if TYPE_CHECKING:
    from vcio_desk.ui.pages.standards_page import StandardsPage

FILTER_DELAY_MS = 150
ACTION_FILTERS = (
    ("All changes", None),
    ("Added", ("add",)),
    ("Edited", ("edit",)),
    ("Archived or restored", ("archive", "restore")),
    ("Sections and categories", ("section_", "category_")),
)


def change_text(change: ChangeView, locale: QLocale) -> str:
    """An entry in full, for the pane under the table (plain text)."""
    lines = [
        f"{change.action_label}: {change.subject}",
        f"When: {changed_at_text(change.changed_at, locale)}",
        f"Who: {change.author or '—'}",
        f"Why: {change.reason}",
    ]
    if change.decision_id is not None:
        lines.append(f"Decision: {change.decision_title}")
    lines.append("")
    for field in change.fields:
        if field.old is None:
            lines.append(f"{field.label}: {value_text(field.new)}")
        elif field.field in LONG_TEXT:
            lines += [
                f"{field.label}, before:",
                f"    {value_text(field.old)}",
                f"{field.label}, after:",
                f"    {value_text(field.new)}",
            ]
        elif field.old != field.new:
            lines.append(f"{field.label}: {value_text(field.old)}  →  {value_text(field.new)}")
    return "\n".join(lines)


class ChangeLogTab(QWidget):
    def __init__(self, page: StandardsPage) -> None:
        super().__init__(page)
        self.page = page
        self.locale = QLocale()
        self.model = change_log_model(self, self.locale)
        self.standard_id: int | None = None
        self.decision_id: int | None = None
        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("log_filter")
        self.filter_edit.setPlaceholderText("Filter changes…")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setToolTip("Who, what, why or the standard (Ctrl+F)")
        self.action_combo = QComboBox()
        for label, _kinds in ACTION_FILTERS:
            self.action_combo.addItem(label)
        self.committee_check = QCheckBox("Committee decisions only")
        self.scope_label = QLabel()
        self.scope_label.setTextFormat(Qt.TextFormat.PlainText)
        self.scope_button = QPushButton("Show all")
        self.scope_button.setToolTip("Show the changes of every standard again")
        self.scope_button.clicked.connect(self.clear_scope)
        self.count_label = QLabel()
        self.table = row_table(
            self.model, name="change_log_table", sortable=True, stretch_last=False
        )
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        size_columns(
            self.table,
            (
                "2026-12-31 23:59",
                "Dana Whitaker",
                "Category restored",
                "BKP-0000",
                "Priority: medium → high",
                None,
                "Set the priority of BKP-001 to high",
            ),
        )
        self.detail = QPlainTextEdit()
        self.detail.setObjectName("change_detail")
        self.detail.setReadOnly(True)
        self.detail.setPlaceholderText("Select a change to see every field it changed.")
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(FILTER_DELAY_MS)
        self._debounce.timeout.connect(self.apply_filter)
        self.filter_edit.textChanged.connect(self._debounce.start)
        self.action_combo.currentIndexChanged.connect(self.apply_filter)
        self.committee_check.toggled.connect(self.apply_filter)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._on_current())
        self.model.modelReset.connect(self._on_current)
        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 2)
        top.addWidget(self.action_combo)
        top.addWidget(self.committee_check)
        top.addWidget(self.scope_label)
        top.addWidget(self.scope_button)
        top.addWidget(self.count_label, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        self._show_scope("")

    def set_changes(self, changes: list[ChangeView]) -> None:
        self.model.set_rows(changes)
        self.apply_filter()

    def apply_filter(self) -> None:
        self._debounce.stop()
        words = self.filter_edit.text().casefold().split()
        kinds = ACTION_FILTERS[self.action_combo.currentIndex()][1]
        committee_only = self.committee_check.isChecked()
        standard_id, decision_id = self.standard_id, self.decision_id

        def keep(change: ChangeView) -> bool:
            if standard_id is not None and change.standard_id != standard_id:
                return False
            if decision_id is not None and change.decision_id != decision_id:
                return False
            if committee_only and change.decision_id is None:
                return False
            if kinds is not None and not any(
                change.action == k or (k.endswith("_") and change.action.startswith(k))
                for k in kinds
            ):
                return False
            if words:
                text = " ".join(
                    (
                        change.author,
                        change.subject,
                        change.reason,
                        change.summary,
                        change.decision_title,
                        change.action_label,
                    )
                ).casefold()
                return all(w in text for w in words)
            return True

        self.model.set_predicate(keep)
        self.count_label.setText(f"{self.model.rowCount()} of {self.model.total_count} changes")

    def filter_standard(self, standard_id: int, code: str) -> None:
        self.standard_id, self.decision_id = standard_id, None
        self._show_scope(f"Standard {code}")
        self.apply_filter()

    def filter_decision(self, decision_id: int, title: str) -> None:
        self.standard_id, self.decision_id = None, decision_id
        self._show_scope(f"Decision: {title}")
        self.apply_filter()

    def clear_scope(self) -> None:
        self.standard_id = self.decision_id = None
        self._show_scope("")
        self.apply_filter()

    def _show_scope(self, text: str) -> None:
        self.scope_label.setText(text)
        self.scope_label.setVisible(bool(text))
        self.scope_button.setVisible(bool(text))

    def focus_search(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def current_change(self) -> ChangeView | None:
        return selected(self.table, self.model)

    def _on_current(self) -> None:
        change = self.current_change()
        self.detail.setPlainText(change_text(change, self.locale) if change else "")
