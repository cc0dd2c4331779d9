"""Attendees of a meeting: name, who they are, and a Present checkbox.

Ticking emits :attr:`AttendeesModel.present_toggled`; the page records it and hands
the fresh list back. Presence not yet recorded shows as an empty box with a hint.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal

from vcio_desk.services.meeting_attendees import AttendeeView
from vcio_desk.ui.models.base import READ_ONLY, AnyIndex, ReadOnlyTableModel


class AttendeeColumn(IntEnum):
    PRESENT = 0
    NAME = 1
    DETAIL = 2


class AttendeesModel(ReadOnlyTableModel):
    headers = ("Present", "Name", "Role")
    header_tips = {AttendeeColumn.PRESENT: "Tick who was there; untick who was absent"}  # noqa: RUF012

    present_toggled = Signal(int, bool)
    """(attendee id, present)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[AttendeeView] = []
        self.editable = True

    def set_attendees(self, attendees: Sequence[AttendeeView]) -> None:
        self.beginResetModel()
        self._rows = list(attendees)
        self.endResetModel()

    def attendee_at(self, row: int) -> AttendeeView | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.column() == AttendeeColumn.PRESENT and self.editable:
            return READ_ONLY | Qt.ItemFlag.ItemIsUserCheckable
        return READ_ONLY

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        person = self._rows[index.row()]
        column = AttendeeColumn(index.column())
        if column is AttendeeColumn.PRESENT:
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if person.present else Qt.CheckState.Unchecked
            if role == Qt.ItemDataRole.DisplayRole:
                return {True: "present", False: "absent", None: ""}[person.present]
            if role == Qt.ItemDataRole.ToolTipRole:
                if person.present is None:
                    return "Not recorded yet"
                return "Present" if person.present else "Absent"
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return person.name if column is AttendeeColumn.NAME else person.detail
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{person.name} — {person.detail}"
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            role != Qt.ItemDataRole.CheckStateRole
            or not index.isValid()
            or index.column() != AttendeeColumn.PRESENT
            or not self.editable
        ):
            return False
        person = self.attendee_at(index.row())
        if person is None:
            return False
        present = int(getattr(value, "value", value)) == Qt.CheckState.Checked.value
        self.present_toggled.emit(person.id, present)
        return True
