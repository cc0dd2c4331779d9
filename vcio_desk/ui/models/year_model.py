"""The Year page's tables: subjects × 12 months of meeting chips, and capacity per owner.

Both models adapt what ``services.year_grid`` returns. The rows are prepared once
per load (:func:`prepare_rows`, plain Python that may run on a worker): every
meeting becomes a :class:`Chip` whose text says its state with a glyph and a word,
so colour is never the only signal. Filtering happens in Python over the prepared
rows followed by a model reset; ``data()`` only reads prepared values.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QFont

from vcio_desk.services.year_grid import CellState, GridMeeting, GridRow, YearGrid
from vcio_desk.ui.formatting import format_date
from vcio_desk.ui.models.clients_model import name_key

AnyIndex = QModelIndex | QPersistentModelIndex

SUBJECT_COLUMN = 0
MONTHS = 12

CHIPS_ROLE = Qt.ItemDataRole.UserRole + 1
"""``data(index, CHIPS_ROLE)``: the cell's chips (a tuple of :class:`Chip`)."""
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
"""``data(index, ROW_ROLE)``: the row's :class:`PreparedRow`."""
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 3
"""Subject column: the muted detail after the name ("Tier A", "Internal")."""
TODAY_ROLE = Qt.ItemDataRole.UserRole + 4
"""Month cells: the day of month of today when the cell's month is the current one, else 0."""

TODAY_TINT = QColor(255, 196, 0, 38)
"""A subtle wash over the current month's column (readable on light and dark palettes)."""
OVER_CAPACITY_BACKGROUND = QColor("#F8D3CF")
OVER_CAPACITY_TEXT = QColor("#7A1A14")


class Glyph:
    """One character per state, so a state reads without colour (and prints in grey)."""

    PROPOSED = "○"
    CONFIRMED = "●"
    HELD_ON_TIME = "✓"
    HELD_EARLY = "◑"
    HELD_LATE = "◔"
    OVERDUE = "!"
    MISSED = "✗"
    CANCELLED = "⊘"
    OVER_CAPACITY = "⚠"
    TODAY = "▼"


STATE_GLYPH: dict[CellState, str] = {
    CellState.PROPOSED: Glyph.PROPOSED,
    CellState.CONFIRMED: Glyph.CONFIRMED,
    CellState.HELD_ON_TIME: Glyph.HELD_ON_TIME,
    CellState.HELD_EARLY: Glyph.HELD_EARLY,
    CellState.HELD_LATE: Glyph.HELD_LATE,
    CellState.HELD: Glyph.HELD_ON_TIME,
    CellState.OVERDUE: Glyph.OVERDUE,
    CellState.MISSED: Glyph.MISSED,
    CellState.CANCELLED: Glyph.CANCELLED,
}
STATE_SHORT: dict[CellState, str] = {
    CellState.PROPOSED: "prop",
    CellState.CONFIRMED: "conf",
    CellState.HELD_ON_TIME: "",
    CellState.HELD_EARLY: "early",
    CellState.HELD_LATE: "late",
    CellState.HELD: "held",
    CellState.OVERDUE: "overdue",
    CellState.MISSED: "missed",
    CellState.CANCELLED: "canc",
}
STATE_WORDS: dict[CellState, str] = {
    CellState.PROPOSED: "Proposed",
    CellState.CONFIRMED: "Confirmed",
    CellState.HELD_ON_TIME: "Held on time",
    CellState.HELD_EARLY: "Held early",
    CellState.HELD_LATE: "Held late",
    CellState.HELD: "Held (not counted for a slot)",
    CellState.OVERDUE: "Overdue: not held yet",
    CellState.MISSED: "Missed: nothing was held",
    CellState.CANCELLED: "Cancelled",
}
LEGEND_ORDER = (
    CellState.PROPOSED,
    CellState.CONFIRMED,
    CellState.HELD_ON_TIME,
    CellState.HELD_EARLY,
    CellState.HELD_LATE,
    CellState.OVERDUE,
    CellState.MISSED,
    CellState.CANCELLED,
)
TYPE_ABBREVIATIONS = {
    "alignment_review": "TA",
    "vcio_meeting": "vCIO",
    "standards_committee": "SC",
    "service_delivery": "SD",
}


def type_abbreviation(key: str, name: str) -> str:
    """ "TA", "vCIO"… for the known meeting types; initials of the name otherwise."""
    known = TYPE_ABBREVIATIONS.get(key)
    if known:
        return known
    initials = "".join(word[0] for word in name.split() if word[:1].isalnum()).upper()
    return initials[:4] or "?"


def chip_text(meeting: GridMeeting, *, compact: bool = False) -> str:
    """What a chip says: glyph, day of month, meeting type, state word ("◔ 18 TA late").

    ``compact`` leaves the state word out (for narrow columns): the glyph still says it.
    """
    abbreviation = type_abbreviation(meeting.meeting_type_key, meeting.meeting_type)
    short = STATE_SHORT[meeting.state]
    text = f"{STATE_GLYPH[meeting.state]} {meeting.day.day} {abbreviation}"
    return f"{text} {short}" if short and not compact else text


@dataclass(frozen=True, slots=True)
class Chip:
    """One meeting (or missed slot) in one month cell, ready to paint."""

    meeting: GridMeeting
    text: str
    compact: str
    """The text without its state word, for narrow columns."""

    @property
    def meeting_id(self) -> int | None:
        return self.meeting.meeting_id

    @property
    def state(self) -> CellState:
        return self.meeting.state


@dataclass(frozen=True, slots=True)
class PreparedRow:
    row: GridRow
    key: str
    """Folded subject name: what the text filter searches."""
    months: tuple[tuple[Chip, ...], ...]
    detail: str

    @property
    def subject(self) -> str:
        return self.row.subject


@dataclass(frozen=True, slots=True)
class YearFilter:
    """What the Year page shows; None means "any"."""

    text: str = ""
    owner_id: int | None = None
    account_manager_id: int | None = None
    tier: str | None = None
    meeting_type: str | None = None


def prepare_rows(grid: YearGrid) -> list[PreparedRow]:
    """Chips for every cell of the grid, in the grid's order (clients, then internal bodies)."""
    prepared = []
    for row in grid.rows:
        months = tuple(
            tuple(Chip(g, chip_text(g), chip_text(g, compact=True)) for g in month)
            for month in row.months
        )
        detail = "Internal" if row.subject_kind == "internal" else f"Tier {row.tier or '?'}"
        prepared.append(PreparedRow(row, name_key(row.subject), months, detail))
    return prepared


def filter_rows(
    rows: Sequence[PreparedRow], wanted: YearFilter
) -> list[tuple[PreparedRow, tuple[tuple[Chip, ...], ...]]]:
    """The rows ``wanted`` keeps, each with the chips it keeps.

    Owner and meeting type narrow the chips too: with an owner chosen, a cell shows only
    that person's meetings. A client stays listed for its vCIO or TAM even when none of
    its meetings this year is theirs, so an owner also sees what is not planned.
    """
    text = name_key(wanted.text.strip())
    kept = [r for r in rows if text in r.key] if text else list(rows)
    if wanted.tier:
        kept = [r for r in kept if r.row.tier == wanted.tier]
    if wanted.account_manager_id is not None:
        kept = [r for r in kept if r.row.account_manager_id == wanted.account_manager_id]
    owner, kind = wanted.owner_id, wanted.meeting_type
    if owner is None and kind is None:
        return [(r, r.months) for r in kept]
    result = []
    for prepared in kept:
        months = tuple(
            tuple(
                c
                for c in month
                if (owner is None or c.meeting.owner_id == owner)
                and (kind is None or c.meeting.meeting_type_key == kind)
            )
            for month in prepared.months
        )
        assigned = kind is None and owner in (prepared.row.vcio_id, prepared.row.tam_id)
        if assigned or any(months):
            result.append((prepared, months))
    return result


def month_names(locale: QLocale) -> list[str]:
    """Short stand-alone month names in the user's language ("Jan"…; English for "C")."""
    if locale.language() == QLocale.Language.C:
        return [calendar.month_abbr[m] for m in range(1, 13)]
    return [locale.standaloneMonthName(m, QLocale.FormatType.ShortFormat) for m in range(1, 13)]


def long_month(month: int, locale: QLocale) -> str:
    """ "November" in the user's language (English for the "C" locale)."""
    if locale.language() == QLocale.Language.C:
        return calendar.month_name[month]
    return locale.standaloneMonthName(month)


def _long_date(day: dt.date, locale: QLocale) -> str:
    if locale.language() == QLocale.Language.C:
        return f"{day:%a} {day.isoformat()}"
    qdate = QDate(day.year, day.month, day.day)
    return f"{locale.dayName(qdate.dayOfWeek(), QLocale.FormatType.ShortFormat)} " + format_date(
        day, locale
    )


def chip_description(chip: Chip, locale: QLocale) -> str:
    """One line for a tooltip or a menu: type, date, time, state in words, owner."""
    g = chip.meeting
    parts = [g.meeting_type]
    if g.meeting_id is None:
        parts.append(f"slot {_long_date(g.day, locale)}")
    else:
        when = _long_date(g.day, locale)
        if g.state not in (
            CellState.HELD_ON_TIME,
            CellState.HELD_EARLY,
            CellState.HELD_LATE,
            CellState.HELD,
        ):
            when = f"{when}, {g.start}" if g.start else when
        parts.append(when)
    state = STATE_WORDS[chip.state]
    if g.slot is not None and g.meeting_id is not None and g.slot != g.day:
        state += f" (slot {format_date(g.slot, locale)})"
    parts.append(f"{STATE_GLYPH[chip.state]} {state}")
    parts.append(g.owner or "no owner")
    return " — ".join(parts)


class YearModel(QAbstractTableModel):
    """Subjects (clients, then internal bodies) × January…December, read-only."""

    def __init__(self, parent: QObject | None = None, locale: QLocale | None = None) -> None:
        super().__init__(parent)
        self._locale = locale or QLocale()
        self._months = month_names(self._locale)
        self._year = 0
        self._as_of = dt.date.min
        self._all: list[PreparedRow] = []
        self._visible: list[tuple[PreparedRow, tuple[tuple[Chip, ...], ...]]] = []
        self._filter = YearFilter()
        self._tooltips: dict[tuple[int, int], str] = {}

    # -- feeding ---------------------------------------------------------------------------

    def set_rows(self, year: int, as_of: dt.date, rows: Sequence[PreparedRow]) -> None:
        """Replace every row (after a load); the current filter stays applied."""
        self.beginResetModel()
        self._year, self._as_of = year, as_of
        self._all = list(rows)
        self._visible = filter_rows(self._all, self._filter)
        self._tooltips.clear()
        self.endResetModel()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, MONTHS)

    def set_filter(self, wanted: YearFilter) -> None:
        if wanted == self._filter:
            return
        self.beginResetModel()
        self._filter = wanted
        self._visible = filter_rows(self._all, wanted)
        self._tooltips.clear()
        self.endResetModel()

    # -- reading -----------------------------------------------------------------------------

    @property
    def year(self) -> int:
        return self._year

    @property
    def current_filter(self) -> YearFilter:
        return self._filter

    @property
    def total_count(self) -> int:
        return len(self._all)

    def all_rows(self) -> list[PreparedRow]:
        return list(self._all)

    def rows(self) -> list[PreparedRow]:
        """The visible rows in display order (a copy)."""
        return [prepared for prepared, _ in self._visible]

    def row_at(self, row: int) -> PreparedRow:
        return self._visible[row][0]

    def chips(self, row: int, month: int) -> tuple[Chip, ...]:
        """The visible chips of ``row`` in ``month`` (1–12)."""
        return self._visible[row][1][month - 1]

    def chips_at(self, index: AnyIndex) -> tuple[Chip, ...]:
        if not index.isValid() or index.column() == SUBJECT_COLUMN:
            return ()
        return self.chips(index.row(), index.column())

    def most_chips(self, row: int) -> int:
        return max((len(month) for month in self._visible[row][1]), default=0)

    def current_month(self) -> int:
        """1–12 when the shown year is today's, else 0."""
        return self._as_of.month if self._as_of.year == self._year else 0

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else MONTHS + 1

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._visible):
            return None
        prepared, months = self._visible[index.row()]
        column = index.column()
        if column == SUBJECT_COLUMN:
            return self._subject_data(prepared, role)
        chips = months[column - 1]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return "\n".join(c.text for c in chips)
        if role == CHIPS_ROLE:
            return chips
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(index.row(), column, prepared, chips)
        if role == Qt.ItemDataRole.BackgroundRole:
            return TODAY_TINT if column == self.current_month() else None
        if role == TODAY_ROLE:
            return self._as_of.day if column == self.current_month() else 0
        if role == ROW_ROLE:
            return prepared
        return None

    def _subject_data(self, prepared: PreparedRow, role: int) -> Any:
        row = prepared.row
        if role == Qt.ItemDataRole.DisplayRole:
            return row.subject
        if role == DETAIL_ROLE:
            return prepared.detail
        if role == Qt.ItemDataRole.ToolTipRole:
            if row.subject_kind == "internal":
                return f"{row.subject} (internal body)"
            return f"{row.subject} — {prepared.detail}"
        if role == ROW_ROLE:
            return prepared
        return None

    def _tooltip(
        self, row: int, column: int, prepared: PreparedRow, chips: tuple[Chip, ...]
    ) -> str | None:
        cached = self._tooltips.get((row, column))
        if cached is None:
            heading = f"{prepared.subject} — {long_month(column, self._locale)} {self._year}"
            if not chips:
                cached = f"{heading}\nNo meetings"
            else:
                lines = [chip_description(c, self._locale) for c in chips]
                cached = "\n".join([heading, *lines])
            self._tooltips[(row, column)] = cached
        return cached

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section <= MONTHS:
            return None
        today = section != SUBJECT_COLUMN and section == self.current_month()
        if role == Qt.ItemDataRole.DisplayRole:
            if section == SUBJECT_COLUMN:
                return "Subject"
            name = self._months[section - 1]
            return f"{Glyph.TODAY} {name}" if today else name
        if role == Qt.ItemDataRole.FontRole and today:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and today:
            return f"This month (today is {format_date(self._as_of, self._locale)})"
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )
