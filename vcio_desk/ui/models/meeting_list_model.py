"""A client's meetings as table rows: date, time, type, state in words, owner, prep.

States read as on the Year page (the same glyphs, words and colours), so "held late"
means the same thing everywhere. Filtering (upcoming, past, all) and sorting happen
in Python over the row list; ``data()`` never reaches the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from enum import IntEnum, StrEnum
from typing import Any

from PySide6.QtCore import QLocale, QModelIndex, QObject, Qt
from PySide6.QtGui import QBrush, QColor

from vcio_desk.services.meeting_list import ClientMeeting
from vcio_desk.ui.formatting import format_date
from vcio_desk.ui.models.base import AnyIndex, ReadOnlyTableModel
from vcio_desk.ui.models.year_model import STATE_GLYPH, STATE_WORDS
from vcio_desk.ui.widgets.year_delegate import CHIP_STYLES

MEETING_ROLE = Qt.ItemDataRole.UserRole + 1
"""``data(index, MEETING_ROLE)``: the row's :class:`ClientMeeting`."""


class MeetingColumn(IntEnum):
    DATE = 0
    TIME = 1
    TYPE = 2
    STATE = 3
    OWNER = 4
    PREP = 5


class Span(StrEnum):
    UPCOMING = "upcoming"
    PAST = "past"
    ALL = "all"


COLUMNS = tuple(MeetingColumn)

SORT_KEYS: dict[MeetingColumn, Callable[[ClientMeeting], Any]] = {
    MeetingColumn.DATE: lambda r: (r.day, r.start),
    MeetingColumn.TIME: lambda r: (r.start, r.day),
    MeetingColumn.TYPE: lambda r: (r.meeting_type.casefold(), r.day),
    MeetingColumn.STATE: lambda r: (r.state.value, r.day),
    MeetingColumn.OWNER: lambda r: (r.owner.casefold(), r.day),
    MeetingColumn.PREP: lambda r: (r.prep_total == 0, r.prep_done / (r.prep_total or 1), r.day),
}


def prep_words(row: ClientMeeting) -> str:
    if row.meeting_id is None:
        return ""
    if row.prep_total == 0:
        return "—"
    return f"{row.prep_done}/{row.prep_total}"


class MeetingListModel(ReadOnlyTableModel):
    headers = ("Date", "Time", "Meeting", "State", "Owner", "Prep")
    header_tips = {  # noqa: RUF012
        MeetingColumn.DATE: "The day it was held, or the day it is planned for",
        MeetingColumn.STATE: "Judged against the rhythm's slots, as on the Year page",
        MeetingColumn.PREP: "Prep checklist items done / total",
    }

    def __init__(self, parent: QObject | None = None, locale: QLocale | None = None) -> None:
        super().__init__(parent)
        self._locale = locale or QLocale()
        self._all: list[ClientMeeting] = []
        self._visible: list[ClientMeeting] = []
        self._texts: list[tuple[str, ...]] = []
        """Display texts of the visible rows, made once per filter or sort."""
        self._as_of = dt.date.min
        self._span = Span.ALL
        self._sort: tuple[MeetingColumn, bool] = (MeetingColumn.DATE, False)

    def set_meetings(self, meetings: Sequence[ClientMeeting], as_of: dt.date) -> None:
        self._all = list(meetings)
        self._as_of = as_of
        self._refresh()

    def set_span(self, span: Span) -> None:
        self._span = Span(span)
        self._refresh()

    @property
    def current_span(self) -> Span:
        """(Not ``span``: that name is ``QAbstractItemModel.span``.)"""
        return self._span

    def meeting_at(self, row: int) -> ClientMeeting | None:
        return self._visible[row] if 0 <= row < len(self._visible) else None

    def row_of(self, meeting_id: int) -> int:
        return next((i for i, r in enumerate(self._visible) if r.meeting_id == meeting_id), -1)

    def first_upcoming_row(self) -> int:
        """The next meeting ahead (where a person looks first), else -1."""
        return next((i for i, r in enumerate(self._visible) if r.is_planned(self._as_of)), -1)

    def counts(self) -> dict[Span, int]:
        upcoming = sum(r.is_upcoming(self._as_of) for r in self._all)
        return {
            Span.UPCOMING: upcoming,
            Span.PAST: len(self._all) - upcoming,
            Span.ALL: len(self._all),
        }

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._visible)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(MeetingColumn):
            self._sort = (MeetingColumn(column), order == Qt.SortOrder.DescendingOrder)
            self._refresh()

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._visible):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts[index.row()][index.column()]
        row = self._visible[index.row()]
        column = COLUMNS[index.column()]
        if role == MEETING_ROLE:
            return row
        if role == Qt.ItemDataRole.ToolTipRole:
            if column is MeetingColumn.STATE and row.meeting_id is None:
                return "No meeting was booked or held for this slot; it cannot be opened."
            if column is MeetingColumn.DATE and row.slot and row.slot != row.day:
                return f"Slot {format_date(row.slot, self._locale)}"
            return None
        style = CHIP_STYLES.get(row.state)
        if column is MeetingColumn.STATE and style is not None:
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(QColor(style.fill))
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor(style.text))
        if role == Qt.ItemDataRole.TextAlignmentRole and column is MeetingColumn.PREP:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _text(self, row: ClientMeeting, column: MeetingColumn) -> str:
        if column is MeetingColumn.DATE:
            return format_date(row.day, self._locale)
        if column is MeetingColumn.TIME:
            return row.start
        if column is MeetingColumn.TYPE:
            return row.meeting_type
        if column is MeetingColumn.STATE:
            return f"{STATE_GLYPH[row.state]} {STATE_WORDS[row.state]}"
        if column is MeetingColumn.OWNER:
            return row.owner or "—"
        return prep_words(row)

    def _refresh(self) -> None:
        rows = self._all
        if self._span is Span.UPCOMING:
            rows = [r for r in rows if r.is_upcoming(self._as_of)]
        elif self._span is Span.PAST:
            rows = [r for r in rows if not r.is_upcoming(self._as_of)]
        column, descending = self._sort
        rows = sorted(rows, key=SORT_KEYS[column], reverse=descending)
        self.beginResetModel()
        self._visible = rows
        self._texts = [tuple(self._text(r, c) for c in COLUMNS) for r in rows]
        self.endResetModel()

    def widest(self, column: MeetingColumn) -> list[str]:
        """The distinct texts of a column over every row, whatever the filter (for sizing)."""
        return list({self._text(row, column) for row in self._all})
