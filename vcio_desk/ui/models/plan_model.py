"""The "Generate year" preview: what a schedule plan would add, move and remove, and why."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QLocale, QModelIndex, QObject, Qt
from PySide6.QtGui import QColor

from vcio_desk.services.scheduler import ScheduledMeeting, SchedulePlan
from vcio_desk.ui.formatting import format_date
from vcio_desk.ui.models.base import ReadOnlyTableModel
from vcio_desk.ui.models.year_model import AnyIndex

CONFLICT_BACKGROUND = QColor("#FFF0D6")
CONFLICT_TEXT = QColor("#7A1A14")


class PlanColumn(IntEnum):
    CHANGE = 0
    DATE = 1
    SUBJECT = 2
    MEETING = 3
    OWNER = 4
    WHY = 5


HEADERS = {
    PlanColumn.CHANGE: "Change",
    PlanColumn.DATE: "Date",
    PlanColumn.SUBJECT: "Subject",
    PlanColumn.MEETING: "Meeting",
    PlanColumn.OWNER: "Owner",
    PlanColumn.WHY: "Why",
}
CHANGE_TEXT = {"add": "+ Add", "move": "→ Move", "remove": "− Remove"}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def summary_line(plan: SchedulePlan) -> str:
    """'Would add 553 (240 moved off their slot date), remove 0; 0 conflicts'."""
    added, moved = len(plan.added), len(plan.moved)
    return (
        f"Would add {added} ({moved} moved off their slot date), remove {len(plan.removed)}; "
        f"{_plural(len(plan.conflicts), 'conflict')}"
    )


@dataclass(frozen=True, slots=True)
class PlanChange:
    item: ScheduledMeeting
    change: str
    """add | move | remove"""

    @property
    def conflict(self) -> bool:
        return bool(self.item.conflict)

    def why(self) -> str:
        if self.item.conflict:
            return f"Conflict: {self.item.conflict}"
        if self.change == "remove":
            return "Its slot no longer exists (the rhythm changed)"
        if self.change == "move":
            return self.item.moved_because or "Moved off its slot date"
        return "On its slot date"


def plan_changes(plan: SchedulePlan) -> list[PlanChange]:
    """Additions, moves and removals by date, then subject."""
    rows = [PlanChange(s, s.change) for s in plan.added]
    rows += [PlanChange(s, "remove") for s in plan.removed]
    rows.sort(key=lambda c: (c.item.day, c.item.start_time, c.item.subject, c.item.meeting_type))
    return rows


class PlanModel(ReadOnlyTableModel):
    """Read-only table of a plan's changes; conflicts carry ⚠ and a highlight."""

    headers = tuple(HEADERS[c] for c in PlanColumn)

    def __init__(self, parent: QObject | None = None, locale: QLocale | None = None) -> None:
        super().__init__(parent)
        self._locale = locale or QLocale()
        self._rows: list[PlanChange] = []

    def set_plan(self, plan: SchedulePlan | None) -> None:
        self.beginResetModel()
        self._rows = plan_changes(plan) if plan is not None else []
        self.endResetModel()

    def rows(self) -> list[PlanChange]:
        return list(self._rows)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def text(self, row: PlanChange, column: PlanColumn) -> str:
        item = row.item
        if column is PlanColumn.CHANGE:
            label = CHANGE_TEXT[row.change]
            return f"⚠ {label.split(' ', 1)[1]} (conflict)" if row.conflict else label
        if column is PlanColumn.DATE:
            return f"{format_date(item.day, self._locale)} {item.start_time:%H:%M}"
        if column is PlanColumn.SUBJECT:
            return item.subject
        if column is PlanColumn.MEETING:
            return item.meeting_type
        if column is PlanColumn.OWNER:
            return item.owner
        return row.why()

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = PlanColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column is PlanColumn.DATE and row.item.slot is not None:
                return (
                    f"Slot {format_date(row.item.slot, self._locale)}; times in {row.item.timezone}"
                )
            if column is PlanColumn.WHY:
                return row.why()
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return CONFLICT_BACKGROUND if row.conflict else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return CONFLICT_TEXT if row.conflict else None
        return None
