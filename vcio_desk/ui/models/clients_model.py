"""The Clients table: a Qt adapter over the plain rows ``services.clients`` returns.

Sorting and filtering happen in Python over the row list followed by a model
reset: with a Python model, QSortFilterProxyModel costs hundreds of
milliseconds per keystroke at scale, a list comprehension a few. ``data()``
only reads prepared rows; it never reaches the database.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Sequence
from enum import IntEnum, StrEnum
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import (
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from vcio_desk.services.clients import ClientRow
from vcio_desk.ui.formatting import format_date
from vcio_desk.ui.models.base import ReadOnlyTableModel

AnyIndex = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    CLIENT = 0
    TIER = 1
    VCIO = 2
    TAM = 3
    ACCOUNT_MANAGER = 4
    COUNTRY = 5
    NEXT_MEETING = 6
    CONTACTS = 7
    STATUS = 8


HEADERS = {
    Column.CLIENT: "Client",
    Column.TIER: "Tier",
    Column.VCIO: "vCIO",
    Column.TAM: "TAM",
    Column.ACCOUNT_MANAGER: "Account manager",
    Column.COUNTRY: "Country",
    Column.NEXT_MEETING: "Next meeting",
    Column.CONTACTS: "Contacts",
    Column.STATUS: "Status",
}


class StatusFilter(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"
    ALL = "all"


ROW_ROLE = Qt.ItemDataRole.UserRole + 1
"""``data(index, ROW_ROLE)`` is the row's :class:`ClientRow`."""


@cache
def _zone(name: str) -> dt.tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def local_date(row: ClientRow) -> dt.date | None:
    """The next meeting's calendar date where the client is (instants are stored in UTC)."""
    if row.next_meeting is None:
        return None
    return row.next_meeting.astimezone(_zone(row.timezone)).date()


def name_key(text: str) -> str:
    """A sort key for names: case and accents folded, so "élan" sorts beside "Elan"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _status(row: ClientRow) -> str:
    return "Active" if row.active else "Inactive"


_TEXT: dict[Column, Callable[[ClientRow], str]] = {
    Column.CLIENT: lambda r: r.name,
    Column.TIER: lambda r: r.tier,
    Column.VCIO: lambda r: r.vcio,
    Column.TAM: lambda r: r.tam,
    Column.ACCOUNT_MANAGER: lambda r: r.account_manager,
    Column.COUNTRY: lambda r: r.country,
    Column.STATUS: _status,
}


def sort_key(column: Column) -> Callable[[ClientRow], Any]:
    """The key a column sorts by; None means "missing" and always sorts last."""
    if column is Column.NEXT_MEETING:
        return lambda r: r.next_meeting
    if column is Column.CONTACTS:
        return lambda r: r.contacts
    if column is Column.STATUS:
        return lambda r: 0 if r.active else 1
    text = _TEXT[column]
    return lambda r: name_key(text(r)) or None


def sorted_rows(rows: Sequence[ClientRow], column: Column, descending: bool) -> list[ClientRow]:
    """Rows ordered by ``column``; stable, ties keep name order, missing values last."""
    key = sort_key(column)
    keyed = [(key(r), r) for r in rows]
    present = [pair for pair in keyed if pair[0] is not None]
    missing = [r for k, r in keyed if k is None]
    present.sort(key=lambda pair: pair[0], reverse=descending)
    return [r for _, r in present] + missing


class ClientsModel(ReadOnlyTableModel):
    """Read-only table of clients; owns the full row list and shows a filtered, sorted view."""

    headers = tuple(HEADERS[c] for c in Column)

    def __init__(self, parent: QObject | None = None, locale: QLocale | None = None) -> None:
        super().__init__(parent)
        self._locale = locale or QLocale()
        self._all: list[ClientRow] = []
        self._sorted: list[ClientRow] = []
        self._haystacks: dict[int, str] = {}
        self._visible: list[ClientRow] = []
        self._dates: dict[int, str] = {}
        self._sort: tuple[Column, bool] = (Column.CLIENT, False)
        self._filter: tuple[str, str | None, str | None, StatusFilter] = (
            "",
            None,
            None,
            StatusFilter.ACTIVE,
        )

    # -- feeding ---------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[ClientRow]) -> None:
        """Replace every row (after a reload); the current sort and filter stay applied."""
        self._all = sorted(rows, key=lambda r: (name_key(r.name), r.name, r.id))
        self._haystacks = {
            r.id: "\n".join(
                (r.name, r.external_id or "", r.vcio, r.tam, r.account_manager)
            ).casefold()
            for r in self._all
        }
        self._dates.clear()
        self._sorted = sorted_rows(self._all, *self._sort)
        self._refresh()

    def set_filter(
        self,
        text: str = "",
        tier: str | None = None,
        owner: str | None = None,
        status: StatusFilter | str = StatusFilter.ACTIVE,
    ) -> None:
        """Show rows whose name, external id or owners contain ``text`` (any case), in
        ``tier``, owned by ``owner`` as vCIO, TAM or account manager, with ``status``.
        None (or "") for tier/owner means any."""
        wanted = (text.strip().casefold(), tier or None, owner or None, StatusFilter(status))
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
        """Apply the filter to the sorted rows and reset the view."""
        text, tier, owner, status = self._filter
        rows = self._sorted
        if text:
            rows = [r for r in rows if text in self._haystacks[r.id]]
        if tier:
            rows = [r for r in rows if r.tier == tier]
        if owner:
            rows = [r for r in rows if owner in (r.vcio, r.tam, r.account_manager)]
        if status is StatusFilter.ACTIVE:
            rows = [r for r in rows if r.active]
        elif status is StatusFilter.INACTIVE:
            rows = [r for r in rows if not r.active]
        self.beginResetModel()
        self._visible = rows
        self.endResetModel()

    # -- reading -----------------------------------------------------------------------------

    @property
    def total_count(self) -> int:
        return len(self._all)

    def owners(self) -> list[str]:
        """Every staff name that owns a client in any role, sorted for a combo box."""
        names = {n for r in self._all for n in (r.vcio, r.tam, r.account_manager) if n}
        return sorted(names, key=lambda n: (name_key(n), n))

    def row_at(self, row: int) -> ClientRow:
        return self._visible[row]

    def rows(self) -> list[ClientRow]:
        """The visible rows in display order (a copy)."""
        return list(self._visible)

    def next_meeting_text(self, row: ClientRow) -> str:
        """The next meeting's local date in the user's short date format ("" when none)."""
        cached = self._dates.get(row.id)
        if cached is None:
            cached = format_date(local_date(row), self._locale)
            self._dates[row.id] = cached
        return cached

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._visible)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._visible):
            return None
        row = self._visible[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            if column is Column.NEXT_MEETING:
                return self.next_meeting_text(row)
            if column is Column.CONTACTS:
                return self._locale.toString(row.contacts)
            return _TEXT[column](row)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column is Column.CLIENT and row.external_id:
                return f"{row.name} (ID {row.external_id})"
            if column is Column.NEXT_MEETING and row.next_meeting is not None:
                return f"{self.next_meeting_text(row)} in {row.timezone}"
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column is Column.CONTACTS:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if column is Column.TIER:
                return int(Qt.AlignmentFlag.AlignCenter)
            return None
        if role == ROW_ROLE:
            return row
        return None
