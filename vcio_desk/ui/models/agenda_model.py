"""A meeting's agenda as an editable table: title, minutes, presenter.

Editing a cell does not write anything itself: ``setData`` emits
:attr:`AgendaModel.edit_requested` and the page turns it into an undoable step through
the agenda service, then hands the fresh rows back. So a refused edit (an empty title)
never shows as if it had been saved.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal

from vcio_desk.services.meeting_agenda import AgendaItemView
from vcio_desk.ui.models.base import READ_ONLY, AnyIndex, ReadOnlyTableModel

EDITABLE = READ_ONLY | Qt.ItemFlag.ItemIsEditable


class AgendaColumn(IntEnum):
    NUMBER = 0
    TITLE = 1
    MINUTES = 2
    PRESENTER = 3


FIELD = {
    AgendaColumn.TITLE: "title",
    AgendaColumn.MINUTES: "minutes",
    AgendaColumn.PRESENTER: "presenter",
}


class AgendaModel(ReadOnlyTableModel):
    headers = ("#", "Item", "Minutes", "Presenter")
    header_tips = {  # noqa: RUF012
        AgendaColumn.MINUTES: "How long the item takes; the total is compared with the meeting",
        AgendaColumn.PRESENTER: "Who leads the item",
    }

    edit_requested = Signal(int, str, object)
    """(item id, field name, new value): a person edited a cell."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[AgendaItemView] = []
        self.editable = True

    def set_items(self, items: Sequence[AgendaItemView]) -> None:
        self.beginResetModel()
        self._rows = list(items)
        self.endResetModel()

    def item_at(self, row: int) -> AgendaItemView | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, item_id: int) -> int:
        return next((i for i, item in enumerate(self._rows) if item.id == item_id), -1)

    @property
    def total_minutes(self) -> int:
        return sum(item.minutes for item in self._rows)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self.editable and index.column() != AgendaColumn.NUMBER:
            return EDITABLE
        return READ_ONLY

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        item = self._rows[index.row()]
        column = AgendaColumn(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column is AgendaColumn.NUMBER:
                return f"{index.row() + 1}."
            if column is AgendaColumn.MINUTES:
                return item.minutes if role == Qt.ItemDataRole.EditRole else f"{item.minutes}"
            return getattr(item, FIELD[column])
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            AgendaColumn.NUMBER,
            AgendaColumn.MINUTES,
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column is AgendaColumn.TITLE:
            return item.title
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not self.editable:
            return False
        item = self.item_at(index.row())
        column = AgendaColumn(index.column())
        if item is None or column is AgendaColumn.NUMBER:
            return False
        field = FIELD[column]
        if column is AgendaColumn.MINUTES:
            try:
                value = int(value)
            except (TypeError, ValueError):
                return False
        elif isinstance(value, str):
            value = value.strip()
        if value == getattr(item, field):
            return False
        self.edit_requested.emit(item.id, field, value)
        return True
