"""The meeting page's actions: those raised at this meeting, and those carried from earlier.

Both lists can close an action ("Mark done") or reopen it and edit it; new actions
are raised here. The carried list is computed (``services.actions``): closing an
action anywhere takes it off every later meeting. The panel only asks; the page does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QLocale, QModelIndex, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.domain.vocab import ActionStatus
from vcio_desk.services.actions import ActionView
from vcio_desk.ui.models.action_model import ActionColumn, ActionModel
from vcio_desk.ui.widgets.rhythm_editor import mute
from vcio_desk.ui.widgets.tables import row_table

RAISED_COLUMNS = (ActionColumn.TITLE, ActionColumn.OWNER, ActionColumn.DUE, ActionColumn.STATUS)
CARRIED_COLUMNS = (ActionColumn.TITLE, ActionColumn.OWNER, ActionColumn.DUE, ActionColumn.RAISED)
"""All open, so no status column: overdue ones are tinted, their due date bold."""


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


class ActionList(QWidget):
    """A heading, a table of actions and the buttons that act on the selected one."""

    edit_requested = Signal(int)
    status_requested = Signal(int, str)
    """(action id, ActionStatus value)"""

    def __init__(
        self,
        name: str,
        heading: str,
        columns: Sequence[ActionColumn],
        empty: str,
        locale: QLocale | None = None,
        parent: QWidget | None = None,
        *,
        compact: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.model = ActionModel(columns, self, locale, compact=compact)
        self.table = row_table(self.model, name=f"{name}_table", stretch_last=False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(columns)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(self._activated)
        self.heading = _heading(heading)
        self.count_label = QLabel()
        mute(self.count_label)
        self.empty_label = QLabel(empty)
        self.empty_label.setWordWrap(True)
        mute(self.empty_label)
        self.done_button = QPushButton("Mark &done")
        self.done_button.setObjectName(f"{name}_done")
        self.done_button.clicked.connect(self.toggle_done)
        self.edit_button = QPushButton("Edit…")
        self.edit_button.clicked.connect(self.edit_selected)
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        for button in (self.edit_button, self.done_button):
            button.setAutoDefault(False)
            self.buttons.addWidget(button)
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addWidget(self.count_label)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addLayout(self.buttons)
        self.table.selectionModel().selectionChanged.connect(self._enable)
        self._editable = True
        self._enable()

    def set_actions(self, actions: Sequence[ActionView], as_of: dt.date) -> None:
        selected = self.selected()
        self.model.set_actions(actions, as_of)
        overdue = sum(a.is_overdue(as_of) for a in actions)
        text = f"{len(actions)}" + (f", {overdue} overdue" if overdue else "")
        self.count_label.setText(f"({text})")
        self.table.setVisible(bool(actions))
        self.empty_label.setVisible(not actions)
        if selected is not None:
            row = self.model.row_of(selected.id)
            if row >= 0:
                self.table.selectRow(row)
        self._enable()

    def set_editable(self, editable: bool) -> None:
        self._editable = editable
        self._enable()

    def selected(self) -> ActionView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.action_at(rows[0].row()) if rows else None

    def select(self, action_id: int) -> None:
        row = self.model.row_of(action_id)
        if row >= 0:
            self.table.selectRow(row)

    def toggle_done(self) -> None:
        action = self.selected()
        if action is None or not self._editable:
            return
        status = ActionStatus.DONE if action.is_open else ActionStatus.OPEN
        self.status_requested.emit(action.id, status.value)

    def edit_selected(self) -> None:
        action = self.selected()
        if action is not None and self._editable:
            self.edit_requested.emit(action.id)

    def _activated(self, index: QModelIndex) -> None:
        action = self.model.action_at(index.row())
        if action is not None and self._editable:
            self.edit_requested.emit(action.id)

    def _enable(self) -> None:
        action = self.selected()
        self.done_button.setText("Re&open" if action and not action.is_open else "Mark &done")
        self.done_button.setEnabled(self._editable and action is not None)
        self.edit_button.setEnabled(self._editable and action is not None)


class ActionPanel(QWidget):
    """Raised here (with "New action…") beside the actions carried from earlier meetings."""

    new_requested = Signal()

    def __init__(self, locale: QLocale | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("action_panel")
        self.raised = ActionList(
            "actions_raised",
            "Actions from this meeting",
            RAISED_COLUMNS,
            "No actions raised at this meeting yet. Add one with “New action…” (Ctrl+N).",
            locale,
        )
        self.carried = ActionList(
            "actions_carried",
            "Carried from earlier meetings",
            CARRIED_COLUMNS,
            "Nothing open from earlier meetings.",
            locale,
            compact=True,
        )
        self.new_button = QPushButton("&New action…")
        self.new_button.setObjectName("new_action")
        self.new_button.setToolTip("Raise an action at this meeting (Ctrl+N)")
        self.new_button.setAutoDefault(False)
        self.new_button.clicked.connect(self.new_requested)
        self.raised.buttons.insertWidget(0, self.new_button)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 10, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(self.raised, 1)
        layout.addWidget(self.carried, 1)

    def set_actions(
        self, raised: Sequence[ActionView], carried: Sequence[ActionView], as_of: dt.date
    ) -> None:
        self.raised.set_actions(raised, as_of)
        self.carried.set_actions(carried, as_of)

    def set_editable(self, editable: bool) -> None:
        self.new_button.setEnabled(editable)
        self.raised.set_editable(editable)
        self.carried.set_editable(editable)

    def tables(self) -> tuple[QTableView, QTableView]:
        return self.raised.table, self.carried.table
