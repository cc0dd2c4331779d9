"""Every rhythm's drift as a table, the flag chip that draws its flag, and adherence figures.

:func:`prepare_rows` turns ``services.drift`` results into :class:`DriftRow` values
once per load (plain Python, safe on a worker): sort keys, the filter haystack and
the "next slot booked" answer are computed there, so sorting and filtering are list
operations followed by a model reset (QSortFilterProxyModel is far slower over a
Python model). ``data()`` only reads prepared values; dates are formatted in the
user's locale on first use and cached.

A flag is always shown as a glyph and a word on a coloured chip, never as colour
alone, so it reads in greyscale print and for colour-blind people.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Any, ClassVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from vcio_desk.domain.drift import OPEN_STATES, Flag
from vcio_desk.services.adherence import AdherenceFigure
from vcio_desk.services.drift import RhythmDrift
from vcio_desk.services.drift_report import days_overdue
from vcio_desk.ui.formatting import format_date
from vcio_desk.ui.models.base import ReadOnlyTableModel
from vcio_desk.ui.models.clients_model import name_key

AnyIndex = QModelIndex | QPersistentModelIndex

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
"""``data(index, ROW_ROLE)`` is the row's :class:`DriftRow`."""
FLAG_ROLE = Qt.ItemDataRole.UserRole + 2
"""``data(index, FLAG_ROLE)`` is the row's flag value ("broken"; every column). A plain
string: a StrEnum would reach Python again as ``str`` through QVariant anyway."""

MINUS = "\u2212"
READ_ONLY = (
    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
)
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_ROLES = frozenset({_DISPLAY, _TOOLTIP, _ALIGNMENT, int(FLAG_ROLE), int(ROW_ROLE)})


@dataclass(frozen=True)
class FlagStyle:
    glyph: str
    word: str
    background: str
    text: str


FLAG_STYLES: dict[Flag, FlagStyle] = {
    Flag.BROKEN: FlagStyle("✗", "Broken", "#B3261E", "#FFFFFF"),
    Flag.OVERDUE: FlagStyle("!", "Overdue", "#F9D2C4", "#7A2A0C"),
    Flag.DRIFTING: FlagStyle("↝", "Drifting", "#FCEBB6", "#5C4300"),
    Flag.UNBOOKED: FlagStyle("○", "Unbooked", "#D6E4F5", "#1D3F73"),
    Flag.OK: FlagStyle("✓", "On track", "#D8EFDB", "#1E5C28"),
}


FLAG_VALUES = frozenset(f.value for f in Flag)


def flag_text(flag: Flag) -> str:
    """The glyph and the word a flag is shown with ("✗ Broken")."""
    style = FLAG_STYLES[flag]
    return f"{style.glyph} {style.word}"


class Column(IntEnum):
    """What and why first (flag, subject, type, reason), then the figures, then the people:
    the reason must stay in view on a laptop screen; owners are also in the filters."""

    FLAG = 0
    SUBJECT = 1
    MEETING_TYPE = 2
    REASON = 3
    ADHERENCE = 4
    DRIFT = 5
    LAST_HELD = 6
    NEXT_DUE = 7
    BOOKED = 8
    OWNER = 9
    ACCOUNT_MANAGER = 10
    TIER = 11


HEADERS = {
    Column.FLAG: "Flag",
    Column.SUBJECT: "Subject",
    Column.MEETING_TYPE: "Meeting type",
    Column.REASON: "Reason",
    Column.ADHERENCE: "Adherence",
    Column.DRIFT: "Drift",
    Column.LAST_HELD: "Last held",
    Column.NEXT_DUE: "Next due",
    Column.BOOKED: "Booked",
    Column.OWNER: "Owner",
    Column.ACCOUNT_MANAGER: "Account manager",
    Column.TIER: "Tier",
}

_ALIGN: dict[int, int] = {
    Column.ADHERENCE: int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
    Column.DRIFT: int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
    Column.TIER: int(Qt.AlignmentFlag.AlignCenter),
    Column.BOOKED: int(Qt.AlignmentFlag.AlignCenter),
}

HEADER_TIPS = {
    Column.ADHERENCE: "On-time share of past slots in the last 365 days",
    Column.DRIFT: "Mean slip of the last three held meetings from their slots",
    Column.BOOKED: "Whether the next open slot has a confirmed meeting",
    Column.FLAG: "Sorted by severity, then by days overdue",
}


@dataclass(frozen=True, slots=True)
class DriftRow:
    """One rhythm, prepared for display, sorting and filtering."""

    item: RhythmDrift
    flag: Flag
    days_overdue: int
    booked: bool | None
    """The next open slot has a confirmed meeting; None when there is no open slot."""
    haystack: str
    """Subject, owner and reason, case-folded: what the text filter searches."""
    subject_key: str
    owner_key: str
    account_manager_key: str
    type_key: str

    @property
    def rhythm_id(self) -> int:
        return self.item.rhythm_id

    @property
    def tier(self) -> str:
        return self.item.tier or ""


def _booked(item: RhythmDrift) -> bool | None:
    next_open = next((s for s in item.assessment.slots if s.state in OPEN_STATES), None)
    return None if next_open is None else next_open.booked is not None


def prepare_rows(items: Iterable[RhythmDrift]) -> list[DriftRow]:
    """Display rows for ``items``, in the order given (pure Python: fine on a worker)."""
    return [
        DriftRow(
            item=item,
            flag=item.assessment.flag,
            days_overdue=days_overdue(item),
            booked=_booked(item),
            haystack="\n".join((item.subject, item.owner, item.assessment.reason)).casefold(),
            subject_key=name_key(item.subject),
            owner_key=name_key(item.owner),
            account_manager_key=name_key(item.account_manager),
            type_key=name_key(item.meeting_type),
        )
        for item in items
    ]


def drift_text(days: float | None) -> str:
    """Signed mean drift for people: "+8 d late", "−3 d early", "0 d" ("" when none)."""
    if days is None:
        return ""
    whole = round(days)
    if whole > 0:
        return f"+{whole} d late"
    if whole < 0:
        return f"{MINUS}{-whole} d early"
    return "0 d"


def severity_key(row: DriftRow) -> tuple[int, int]:
    """Most severe flag first, then the longest overdue."""
    return (row.flag.severity, -row.days_overdue)


_SORT_KEYS: dict[Column, Callable[[DriftRow], Any]] = {
    Column.SUBJECT: lambda r: r.subject_key or None,
    Column.MEETING_TYPE: lambda r: r.type_key or None,
    Column.OWNER: lambda r: r.owner_key or None,
    Column.ACCOUNT_MANAGER: lambda r: r.account_manager_key or None,
    Column.TIER: lambda r: r.item.tier or None,
    Column.FLAG: severity_key,
    Column.REASON: lambda r: r.item.assessment.reason.casefold() or None,
    Column.ADHERENCE: lambda r: r.item.assessment.adherence_pct,
    Column.DRIFT: lambda r: r.item.assessment.drift_days,
    Column.LAST_HELD: lambda r: r.item.assessment.last_held,
    Column.NEXT_DUE: lambda r: r.item.assessment.next_due,
    Column.BOOKED: lambda r: None if r.booked is None else (0 if r.booked else 1),
}


def sorted_rows(rows: Sequence[DriftRow], column: Column, descending: bool) -> list[DriftRow]:
    """Rows ordered by ``column``: stable (ties keep the given order), missing values last."""
    key = _SORT_KEYS[column]
    keyed = [(key(r), r) for r in rows]
    present = [pair for pair in keyed if pair[0] is not None]
    missing = [r for k, r in keyed if k is None]
    present.sort(key=lambda pair: pair[0], reverse=descending)
    return [r for _, r in present] + missing


@dataclass(frozen=True)
class DriftFilter:
    """What the Rhythms page's filter bar asks for; None means any."""

    text: str = ""
    flag: Flag | None = None
    owner: str | None = None
    account_manager: str | None = None
    tier: str | None = None
    meeting_type: str | None = None


class DriftModel(ReadOnlyTableModel):
    """Read-only table of rhythms; owns every prepared row and shows a filtered, sorted view."""

    headers = tuple(HEADERS[c] for c in Column)
    header_tips: ClassVar[dict[int, str]] = {int(c): tip for c, tip in HEADER_TIPS.items()}

    def __init__(self, parent: QObject | None = None, locale: QLocale | None = None) -> None:
        super().__init__(parent)
        self._locale = locale or QLocale()
        self._all: list[DriftRow] = []
        self._sorted: list[DriftRow] = []
        self._visible: list[DriftRow] = []
        self._dates: dict[dt.date, str] = {}
        self._sort: tuple[Column, bool] = (Column.FLAG, False)
        self._filter = DriftFilter()
        self._display = self._display_functions()

    # -- feeding -----------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[DriftRow]) -> None:
        """Replace every row; the current sort and filter stay applied.

        Give rows in ranked order (severity, days overdue, subject): ties in any
        column keep that order.
        """
        self._all = list(rows)
        self._sorted = sorted_rows(self._all, *self._sort)
        self._refresh()

    def set_filter(self, wanted: DriftFilter) -> None:
        wanted = DriftFilter(
            wanted.text.strip().casefold(),
            wanted.flag,
            wanted.owner or None,
            wanted.account_manager or None,
            wanted.tier or None,
            wanted.meeting_type or None,
        )
        if wanted != self._filter:
            self._filter = wanted
            self._refresh()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(Column):
            return
        wanted = (Column(column), order == Qt.SortOrder.DescendingOrder)
        if wanted != self._sort:
            self._sort = wanted
            self._sorted = sorted_rows(self._all, *wanted)
        self._refresh()

    def _refresh(self) -> None:
        f = self._filter
        rows = self._sorted
        if f.text:
            rows = [r for r in rows if f.text in r.haystack]
        if f.flag is not None:
            rows = [r for r in rows if r.flag is f.flag]
        if f.owner:
            rows = [r for r in rows if r.item.owner == f.owner]
        if f.account_manager:
            rows = [r for r in rows if r.item.account_manager == f.account_manager]
        if f.tier:
            rows = [r for r in rows if r.item.tier == f.tier]
        if f.meeting_type:
            rows = [r for r in rows if r.item.meeting_type == f.meeting_type]
        self.beginResetModel()
        self._visible = rows
        self.endResetModel()

    # -- reading -----------------------------------------------------------------------------

    @property
    def total_count(self) -> int:
        return len(self._all)

    def row_at(self, row: int) -> DriftRow:
        return self._visible[row]

    def rows(self) -> list[DriftRow]:
        """The visible rows in display order (a copy)."""
        return list(self._visible)

    def choices(self, attribute: Callable[[RhythmDrift], str | None]) -> list[str]:
        """Distinct non-empty values of ``attribute`` over every row, sorted for a combo."""
        values = {v for r in self._all if (v := attribute(r.item))}
        return sorted(values, key=lambda v: (name_key(v), v))

    def date_text(self, day: dt.date | None) -> str:
        if day is None:
            return ""
        text = self._dates.get(day)
        if text is None:
            text = self._dates[day] = format_date(day, self._locale)
        return text

    def display(self, row: DriftRow, column: int) -> str:
        return self._display[column](row)

    def _adherence_text(self, row: DriftRow) -> str:
        pct = row.item.assessment.adherence_pct
        return "" if pct is None else f"{self._locale.toString(round(pct))}%"

    def _display_functions(self) -> list[Callable[[DriftRow], str]]:
        """One function per column, indexed by column number (``data()`` is hot)."""
        functions: dict[Column, Callable[[DriftRow], str]] = {
            Column.FLAG: lambda r: flag_text(r.flag),
            Column.SUBJECT: lambda r: r.item.subject,
            Column.MEETING_TYPE: lambda r: r.item.meeting_type,
            Column.OWNER: lambda r: r.item.owner,
            Column.ACCOUNT_MANAGER: lambda r: r.item.account_manager,
            Column.TIER: lambda r: r.tier if r.item.subject_kind == "client" else "Internal",
            Column.ADHERENCE: self._adherence_text,
            Column.DRIFT: lambda r: drift_text(r.item.assessment.drift_days),
            Column.LAST_HELD: lambda r: self.date_text(r.item.assessment.last_held),
            Column.NEXT_DUE: lambda r: self.date_text(r.item.assessment.next_due),
            Column.BOOKED: lambda r: "" if r.booked is None else ("Yes" if r.booked else "No"),
            Column.REASON: lambda r: r.item.assessment.reason,
        }
        return [functions[c] for c in Column]

    def _tooltip(self, row: DriftRow, column: Column) -> str | None:
        a = row.item.assessment
        if column in (Column.SUBJECT, Column.MEETING_TYPE):
            return self.display(row, column)  # the column may be narrower than the name
        if column is Column.REASON:
            return a.reason
        if column in (Column.FLAG, Column.REASON):
            return f"{FLAG_STYLES[row.flag].word}: {a.reason}"
        if column is Column.DRIFT and a.drift_days is not None:
            return f"Mean slip of the last held meetings: {a.drift_days:+.1f} days"
        if column is Column.ADHERENCE:
            return "No past slots in the last 365 days" if a.adherence_pct is None else None
        if column is Column.BOOKED and row.booked is None:
            return "No open slot ahead"
        return None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._visible)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called thousands of times per repaint: plain ints, no enum construction.
        if role not in _ROLES or not index.isValid():
            return None
        number = index.row()
        if number >= len(self._visible):
            return None
        row = self._visible[number]
        column = index.column()
        if role == _DISPLAY:
            return self._display[column](row)
        if role == _ALIGNMENT:
            return _ALIGN.get(column)
        if role == _TOOLTIP:
            return self._tooltip(row, Column(column))
        if role == FLAG_ROLE:
            return row.flag.value
        return row  # ROW_ROLE


class FlagChipDelegate(QStyledItemDelegate):
    """Draws a cell's text on a rounded chip in its flag's colours (the text stays: glyph+word)."""

    PADDING = 6

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        value = index.data(FLAG_ROLE)
        if value not in FLAG_VALUES:
            super().paint(painter, option, index)
            return
        flag = Flag(value)
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        style = option.widget.style() if option.widget is not None else None
        # Selection and focus backgrounds first, without the text.
        blank = QStyleOptionViewItem(option)
        self.initStyleOption(blank, index)
        blank.text = ""
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, blank, painter, option.widget)
        paint_chip(painter, option.rect, flag, text, option.font)

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        base = super().sizeHint(option, index)
        return QSize(base.width() + 4 * self.PADDING, base.height())


def paint_chip(painter: QPainter, rect: QRect, flag: Flag, text: str, font: QFont) -> None:
    """A rounded chip with ``text``, left-aligned and vertically centred in ``rect``."""
    chip = FLAG_STYLES[flag]
    metrics = QFontMetrics(font)
    pad = FlagChipDelegate.PADDING
    # A little slack: the glyphs may come from a fallback font measured slightly apart.
    width = min(metrics.horizontalAdvance(text) + 2 * pad + 4, rect.width() - 4)
    height = min(metrics.height() + 4, rect.height() - 2)
    box = QRectF(rect.left() + 3, rect.center().y() - height / 2 + 1, width, height)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(chip.background))
    painter.drawRoundedRect(box, height / 2, height / 2)
    painter.setPen(QColor(chip.text))
    painter.setFont(font)
    painter.drawText(
        box.adjusted(pad, 0, -pad, 0),
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
        metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(0, int(width) - 2 * pad + 4)),
    )
    painter.restore()


class FlagChip(QWidget):
    """A stand-alone flag chip (the committee card): glyph and word on the flag's colours."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._flag: Flag | None = None
        self._text = ""

    @property
    def flag(self) -> Flag | None:
        return self._flag

    def text(self) -> str:
        return self._text

    def set_flag(self, flag: Flag | None) -> None:
        self._flag = flag
        self._text = flag_text(flag) if flag is not None else ""
        self.setAccessibleName(f"Flag: {FLAG_STYLES[flag].word}" if flag is not None else "")
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        return QSize(
            metrics.horizontalAdvance(self._text) + 2 * FlagChipDelegate.PADDING + 12,
            metrics.height() + 8,
        )

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, _event: object) -> None:
        if self._flag is None:
            return
        painter = QPainter(self)
        paint_chip(painter, self.rect(), self._flag, self._text, self.font())
        painter.end()


class AdherenceModel(QAbstractTableModel):
    """Adherence figures (by owner or by tier): label, percentage, kept of judged slots."""

    LABEL, PERCENT, SLOTS = range(3)

    def __init__(
        self, first_header: str, parent: QObject | None = None, locale: QLocale | None = None
    ) -> None:
        super().__init__(parent)
        self._locale = locale or QLocale()
        self._headers = (first_header, "Adherence", "Slots on time")
        self._figures: list[AdherenceFigure] = []

    def set_figures(self, figures: Sequence[AdherenceFigure]) -> None:
        self.beginResetModel()
        self._figures = list(figures)
        self.endResetModel()

    def figure_at(self, row: int) -> AdherenceFigure:
        return self._figures[row]

    def percent_text(self, figure: AdherenceFigure) -> str:
        pct = figure.pct
        return "–" if pct is None else f"{self._locale.toString(round(pct))}%"

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._figures)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._figures):
            return None
        figure = self._figures[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.LABEL:
                return figure.label
            if column == self.PERCENT:
                return self.percent_text(figure)
            return f"{self._locale.toString(figure.kept)} of {self._locale.toString(figure.judged)}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column != self.LABEL:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            flagged = ", ".join(
                f"{count} {FLAG_STYLES[Flag(name)].word.lower()}"
                for name, count in figure.flags.items()
                if count and name != Flag.OK.value
            )
            return f"{figure.label}: {flagged}" if flagged else f"{figure.label}: all on track"
        if role == Qt.ItemDataRole.ForegroundRole and column == self.PERCENT and figure.pct is None:
            return QPalette().color(QPalette.ColorRole.PlaceholderText)
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < 3:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        return READ_ONLY if index.isValid() else Qt.ItemFlag.NoItemFlags
