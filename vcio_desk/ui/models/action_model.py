"""Action items as table rows: title, owner, due, status, and the meeting that raised them.

One model serves the meeting page (raised here, carried from earlier) and the client's
Actions tab; each picks its columns. An open action past its due date is overdue: its
status says so in words, and the row is tinted and its due date drawn bold.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QLocale, QModelIndex, QObject, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from vcio_desk.domain.vocab import ActionStatus
from vcio_desk.services.actions import STATUS_WORDS, ActionView
from vcio_desk.ui.formatting import format_date
from vcio_desk.ui.models.base import AnyIndex, ReadOnlyTableModel
from vcio_desk.ui.models.year_model import type_abbreviation

ACTION_ROLE = Qt.ItemDataRole.UserRole + 1
"""``data(index, ACTION_ROLE)``: the row's :class:`ActionView`."""
OVERDUE_BACKGROUND = QColor("#FBE3E1")
OVERDUE_TEXT = QColor("#8C1D18")
CLOSED_TEXT = QColor("#6B6B6B")


class ActionColumn(IntEnum):
    TITLE = 0
    OWNER = 1
    DUE = 2
    STATUS = 3
    RAISED = 4


HEADERS = {
    ActionColumn.TITLE: "Action",
    ActionColumn.OWNER: "Owner",
    ActionColumn.DUE: "Due",
    ActionColumn.STATUS: "Status",
    ActionColumn.RAISED: "Raised at",
}


def status_words(action: ActionView, as_of: dt.date, locale: QLocale) -> str:
    if action.is_overdue(as_of):
        assert action.due_date is not None
        days = (as_of - action.due_date).days
        return f"Overdue by {days} day{'s' if days != 1 else ''}"
    text = STATUS_WORDS[action.status]
    if action.status is not ActionStatus.OPEN and action.completed_on:
        text += f" {format_date(action.completed_on, locale)}"
    return text


def raised_words(action: ActionView, locale: QLocale, *, compact: bool = False) -> str:
    """ "vCIO strategic meeting, 2026-06-11", or "vCIO 2026-06-11" when ``compact``."""
    if action.meeting_id is None:
        return "Not at a meeting"
    day = format_date(action.meeting_day, locale)
    if compact:
        return f"{type_abbreviation(action.meeting_type_key, action.meeting_type)} {day}"
    return f"{action.meeting_type}, {day}".strip(", ")


class ActionModel(ReadOnlyTableModel):
    """Rows of :class:`ActionView` in the order given, with the chosen columns."""

    def __init__(
        self,
        columns: Sequence[ActionColumn],
        parent: QObject | None = None,
        locale: QLocale | None = None,
        *,
        compact: bool = False,
    ) -> None:
        """``compact``: short meeting names in "Raised at" ("TA 2026-06-13")."""
        super().__init__(parent)
        self.columns = tuple(columns)
        self._compact = compact
        self.headers = tuple(HEADERS[c] for c in self.columns)  # type: ignore[misc]
        self._locale = locale or QLocale()
        self._rows: list[ActionView] = []
        self._as_of = dt.date.min

    def set_actions(self, actions: Sequence[ActionView], as_of: dt.date) -> None:
        self.beginResetModel()
        self._rows = list(actions)
        self._as_of = as_of
        self.endResetModel()

    def action_at(self, row: int) -> ActionView | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, action_id: int) -> int:
        return next((i for i, a in enumerate(self._rows) if a.id == action_id), -1)

    @property
    def actions(self) -> list[ActionView]:
        return list(self._rows)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        action = self._rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(action, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tip(action, column)
        if role == ACTION_ROLE:
            return action
        overdue = action.is_overdue(self._as_of)
        if role == Qt.ItemDataRole.BackgroundRole and overdue:
            return QBrush(OVERDUE_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole:
            if overdue:
                return QBrush(OVERDUE_TEXT)
            if not action.is_open:
                return QBrush(CLOSED_TEXT)
        if role == Qt.ItemDataRole.FontRole:
            if overdue and column in (ActionColumn.DUE, ActionColumn.STATUS):
                font = QFont()
                font.setBold(True)
                return font
            if action.status is ActionStatus.CANCELLED and column is ActionColumn.TITLE:
                font = QFont()
                font.setStrikeOut(True)
                return font
        return None

    def _text(self, action: ActionView, column: ActionColumn) -> str:
        if column is ActionColumn.TITLE:
            return action.title
        if column is ActionColumn.OWNER:
            return action.owner or "—"
        if column is ActionColumn.DUE:
            return format_date(action.due_date, self._locale) or "—"
        if column is ActionColumn.STATUS:
            return status_words(action, self._as_of, self._locale)
        return raised_words(action, self._locale, compact=self._compact)

    def _tip(self, action: ActionView, column: ActionColumn) -> str | None:
        if column is ActionColumn.TITLE:
            return f"{action.title}\n\n{action.notes}" if action.notes else action.title
        if column is ActionColumn.RAISED:
            return raised_words(action, self._locale)
        if column is ActionColumn.DUE and action.is_overdue(self._as_of):
            return status_words(action, self._as_of, self._locale)
        return self._text(action, column) or None
