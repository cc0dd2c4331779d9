"""The CSI register's table: a Qt adapter over ``services.csi`` rows, and its KPI bar delegate.

Sorting and filtering happen in Python over the row list, then the model resets
(the house way; a register is small, but the rules are the same everywhere).
``data()`` reads prepared rows only. The text helpers here (money, statuses, KPI
numbers) are shared by the tab, the roadmap and the item dialog.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QLocale, QModelIndex, QObject, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
)

from vcio_desk.domain.fiscal import FiscalQuarter, quarter_end, quarter_start
from vcio_desk.domain.roadmap import STATUS_NAMES
from vcio_desk.domain.vocab import CsiStatus, Priority
from vcio_desk.services.csi import CsiRow
from vcio_desk.ui.models.base import ReadOnlyTableModel

AnyIndex = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    RANK = 0
    TITLE = 1
    SIZE = 2
    PRIORITY = 3
    STATUS = 4
    KPI = 5
    TARGET = 6
    ONE_TIME = 7
    RECURRING = 8
    OWNER = 9


HEADERS = {
    Column.RANK: "#",
    Column.TITLE: "Title",
    Column.SIZE: "Size",
    Column.PRIORITY: "Priority",
    Column.STATUS: "Status",
    Column.KPI: "KPI progress",
    Column.TARGET: "Target quarter",
    Column.ONE_TIME: "One-time",
    Column.RECURRING: "Recurring / month",
    Column.OWNER: "Owner",
}

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
"""``data(index, ROW_ROLE)`` is the row's :class:`CsiRow`."""
PROGRESS_ROLE = Qt.ItemDataRole.UserRole + 2
"""The KPI column's progress as a float 0–100, or None when it cannot be computed."""

OPEN_STATUSES = frozenset({CsiStatus.PROPOSED, CsiStatus.APPROVED, CsiStatus.IN_PROGRESS})
STATUS_FILTER_ALL = "all"
STATUS_FILTER_OPEN = "open"
PRIORITY_ORDER = {Priority.HIGH: 0, Priority.MEDIUM: 1, Priority.LOW: 2}
SIZE_ORDER = {"S": 0, "M": 1, "L": 2}
STATUS_ORDER = {status: n for n, status in enumerate(STATUS_NAMES)}
SIZE_NAMES = {"S": "Small", "M": "Medium", "L": "Large"}
STATUS_COLOURS = {
    CsiStatus.PROPOSED: "#8a8f98",
    CsiStatus.APPROVED: "#2f6fca",
    CsiStatus.IN_PROGRESS: "#d9822b",
    CsiStatus.DONE: "#2e9d57",
    CsiStatus.DEFERRED: "#c4c7cc",
}
"""One colour per status, the same on the register and the roadmap's cards."""


# -- text ----------------------------------------------------------------------------------------


def status_text(status: CsiStatus | str) -> str:
    return STATUS_NAMES[CsiStatus(status)]


def priority_text(priority: Priority | str) -> str:
    return str(Priority(priority).value).capitalize()


def money_text(
    value: Decimal | None, locale: QLocale, symbol: str = "", *, compact: bool = False
) -> str:
    """An amount with two decimals in the user's locale, with the currency symbol if one is set.

    ``compact`` (roadmap cards) leaves out ".00" on whole amounts.
    """
    if value is None:
        return ""
    places = 0 if compact and value == value.to_integral() else 2
    if symbol:
        return locale.toCurrencyString(float(value), symbol, places)
    return locale.toString(float(value), "f", places)


def number_text(value: Decimal | None, locale: QLocale) -> str:
    """A KPI number without needless decimals ("40", "12.5"), in the user's locale."""
    if value is None:
        return ""
    exponent = value.normalize().as_tuple().exponent
    places = min(2, max(0, -exponent)) if isinstance(exponent, int) else 2
    return locale.toString(float(value), "f", places)


def parse_number(text: str, locale: QLocale) -> Decimal | None:
    """A number typed in the user's locale (or plainly with a dot); None when empty.

    Raises ValueError for text that is not a number.
    """
    text = text.strip()
    if not text:
        return None
    value, ok = locale.toDouble(text)
    if ok:
        cleaned = text.replace(locale.groupSeparator(), "").replace(locale.decimalPoint(), ".")
        try:
            return Decimal(cleaned)
        except InvalidOperation:
            return Decimal(repr(value))
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
    if not number.is_finite():
        raise ValueError(text)
    return number


def quarter_text(quarter: FiscalQuarter, start_month: int, locale: QLocale) -> str:
    """ "FY2027 Q3 (Jan–Mar 2027)"."""
    first, last = quarter_start(quarter, start_month), quarter_end(quarter, start_month)
    return f"{quarter.label} ({month_span(first, last, locale)})"


def month_span(first: dt.date, last: dt.date, locale: QLocale) -> str:
    def month(day: dt.date) -> str:
        return locale.monthName(day.month, QLocale.FormatType.ShortFormat)

    if first.year == last.year:
        return f"{month(first)}–{month(last)} {last.year}"
    return f"{month(first)} {first.year}–{month(last)} {last.year}"


def kpi_tooltip(row: CsiRow, locale: QLocale) -> str:
    unit = f" {row.kpi_unit}" if row.kpi_unit else ""
    pairs = (("from", row.kpi_baseline), ("to", row.kpi_target), ("now", row.kpi_current))
    numbers = ", ".join(
        f"{word} {number_text(value, locale)}{unit}" for word, value in pairs if value is not None
    )
    if not row.kpi_name and not numbers:
        return "No KPI recorded"
    text = f"{row.kpi_name or 'KPI'}: {numbers or 'no numbers yet'}"
    progress = row.kpi_progress
    if progress is None:
        return f"{text}\nProgress needs a baseline, a different target and a current value."
    return f"{text} ({progress:.0f} % of the way)"


# -- the model -------------------------------------------------------------------------------------


def _sort_key(column: Column) -> Callable[[CsiRow], Any]:
    keys: dict[Column, Callable[[CsiRow], Any]] = {
        Column.RANK: lambda r: (r.rank, r.id),
        Column.TITLE: lambda r: r.title.casefold(),
        Column.SIZE: lambda r: SIZE_ORDER.get(str(r.size), 9),
        Column.PRIORITY: lambda r: PRIORITY_ORDER.get(r.priority, 9),
        Column.STATUS: lambda r: STATUS_ORDER.get(r.status, 9),
        Column.KPI: lambda r: r.kpi_progress,
        Column.TARGET: lambda r: r.target,
        Column.ONE_TIME: lambda r: r.one_time_cost,
        Column.RECURRING: lambda r: r.recurring_cost_monthly,
        Column.OWNER: lambda r: r.owner.casefold() or None,
    }
    return keys[column]


def sorted_rows(rows: Sequence[CsiRow], column: Column, descending: bool) -> list[CsiRow]:
    """Stable, ties in rank order, missing values (no KPI, no quarter, no owner) last."""
    key = _sort_key(column)
    base = sorted(rows, key=lambda r: (r.rank, r.id))
    present = [(key(r), r) for r in base if key(r) is not None]
    missing = [r for r in base if key(r) is None]
    present.sort(key=lambda pair: pair[0], reverse=descending)
    return [r for _, r in present] + missing


class CsiModel(ReadOnlyTableModel):
    """The register, filtered by status and text, sorted by any column (rank by default)."""

    headers = tuple(HEADERS[c] for c in Column)

    def __init__(self, parent: QObject | None = None, locale: QLocale | None = None) -> None:
        super().__init__(parent)
        self.locale = locale or QLocale()
        self.currency_symbol = ""
        self._all: list[CsiRow] = []
        self._visible: list[CsiRow] = []
        self._haystacks: dict[int, str] = {}
        self._sort: tuple[Column, bool] = (Column.RANK, False)
        self._filter: tuple[str, str] = ("", STATUS_FILTER_ALL)

    # -- feeding -----------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[CsiRow], currency_symbol: str = "") -> None:
        self.currency_symbol = currency_symbol
        self._all = list(rows)
        self._haystacks = {
            r.id: "\n".join(
                (r.title, r.description, r.kpi_name, r.owner, r.justification, r.target_label)
            ).casefold()
            for r in rows
        }
        self._refresh()

    def set_filter(self, text: str = "", status: str = STATUS_FILTER_ALL) -> None:
        """``status``: "all", "open" (not done, not deferred) or one CsiStatus value."""
        wanted = (text.strip().casefold(), status or STATUS_FILTER_ALL)
        if wanted != self._filter:
            self._filter = wanted
            self._refresh()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(Column):
            self._sort = (Column(column), order == Qt.SortOrder.DescendingOrder)
            self._refresh()

    @property
    def sorted_by_rank(self) -> bool:
        return self._sort == (Column.RANK, False)

    def _refresh(self) -> None:
        text, status = self._filter
        rows = sorted_rows(self._all, *self._sort)
        if text:
            rows = [r for r in rows if text in self._haystacks[r.id]]
        if status == STATUS_FILTER_OPEN:
            rows = [r for r in rows if r.status in OPEN_STATUSES]
        elif status != STATUS_FILTER_ALL:
            rows = [r for r in rows if r.status == status]
        self.beginResetModel()
        self._visible = rows
        self.endResetModel()

    # -- reading -----------------------------------------------------------------------------

    @property
    def total_count(self) -> int:
        return len(self._all)

    def all_rows(self) -> list[CsiRow]:
        return list(self._all)

    def row_at(self, row: int) -> CsiRow:
        return self._visible[row]

    def row_of(self, item_id: int) -> int | None:
        for number, row in enumerate(self._visible):
            if row.id == item_id:
                return number
        return None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._visible)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._visible):
            return None
        row = self._visible[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column is Column.KPI:
                return kpi_tooltip(row, self.locale)
            if column is Column.TITLE:
                return row.description or row.title
            if column is Column.SIZE:
                return SIZE_NAMES.get(str(row.size), str(row.size))
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in (Column.ONE_TIME, Column.RECURRING, Column.RANK):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if column is Column.SIZE:
                return int(Qt.AlignmentFlag.AlignCenter)
            return None
        if role == Qt.ItemDataRole.DecorationRole and column is Column.STATUS:
            return QColor(STATUS_COLOURS[row.status])
        if role == PROGRESS_ROLE and column is Column.KPI:
            return row.kpi_progress
        if role == ROW_ROLE:
            return row
        return None

    def _text(self, row: CsiRow, column: Column) -> str:
        if column is Column.RANK:
            return self.locale.toString(row.rank)
        if column is Column.TITLE:
            return row.title
        if column is Column.SIZE:
            return str(row.size)
        if column is Column.PRIORITY:
            return priority_text(row.priority)
        if column is Column.STATUS:
            return status_text(row.status)
        if column is Column.KPI:
            progress = row.kpi_progress
            return "" if progress is None else f"{progress:.0f} %"
        if column is Column.TARGET:
            return row.target_label or "Unscheduled"
        if column is Column.ONE_TIME:
            return money_text(row.one_time_cost, self.locale, self.currency_symbol)
        if column is Column.RECURRING:
            return money_text(row.recurring_cost_monthly, self.locale, self.currency_symbol)
        return row.owner


class ProgressDelegate(QStyledItemDelegate):
    """Draws the KPI column as a progress bar; an em dash when progress cannot be computed."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        value = index.data(PROGRESS_ROLE)
        if value is None:
            opt = QStyleOptionViewItem(option)
            self.initStyleOption(opt, index)
            opt.text = "—"
            opt.displayAlignment = Qt.AlignmentFlag.AlignCenter
            style = opt.widget.style() if opt.widget else QApplication.style()
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
            return
        # The row's background (selection, alternate colour) first, then the bar on top.
        background = QStyleOptionViewItem(option)
        self.initStyleOption(background, index)
        background.text = ""
        style = background.widget.style() if background.widget else QApplication.style()
        style.drawControl(
            QStyle.ControlElement.CE_ItemViewItem, background, painter, background.widget
        )
        bar = QStyleOptionProgressBar()
        rect = QRect(option.rect).adjusted(4, 3, -4, -3)
        bar.rect = rect
        bar.minimum = 0
        bar.maximum = 100
        bar.progress = round(float(value))
        bar.text = f"{float(value):.0f} %"
        bar.textVisible = True
        bar.textAlignment = Qt.AlignmentFlag.AlignCenter
        bar.state = option.state | QStyle.StateFlag.State_Horizontal
        bar.palette = option.palette
        bar.fontMetrics = option.fontMetrics
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, background.widget)
