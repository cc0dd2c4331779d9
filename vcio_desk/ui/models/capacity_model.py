"""The Year page's capacity table: per owner and month, meetings / capacity, ⚠ when over.

Adapts the ``capacity`` rows of ``services.year_grid``: meetings not cancelled that
month against the owner's daily capacity × the month's working days (Mon–Fri).
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QLocale, QModelIndex, QObject, Qt
from PySide6.QtGui import QFont

from vcio_desk.services.year_grid import CapacityRow
from vcio_desk.ui.models.year_model import (
    MONTHS,
    OVER_CAPACITY_BACKGROUND,
    OVER_CAPACITY_TEXT,
    SUBJECT_COLUMN,
    AnyIndex,
    Glyph,
    long_month,
    month_names,
)


class CapacityModel(QAbstractTableModel):
    """Per owner and month: meetings (not cancelled) / capacity, ⚠ when over."""

    def __init__(self, parent: QObject | None = None, locale: QLocale | None = None) -> None:
        super().__init__(parent)
        self._locale = locale or QLocale()
        self._year = 0
        self._all: list[CapacityRow] = []
        self._visible: list[CapacityRow] = []
        self._owner: int | None = None

    def set_rows(self, year: int, rows: Sequence[CapacityRow]) -> None:
        self.beginResetModel()
        self._year = year
        self._all = list(rows)
        self._visible = self._filtered()
        self.endResetModel()

    def set_owner(self, owner_id: int | None) -> None:
        """Only that owner's row (None: everyone's)."""
        if owner_id == self._owner:
            return
        self.beginResetModel()
        self._owner = owner_id
        self._visible = self._filtered()
        self.endResetModel()

    def _filtered(self) -> list[CapacityRow]:
        if self._owner is None:
            return list(self._all)
        return [r for r in self._all if r.owner_id == self._owner]

    def rows(self) -> list[CapacityRow]:
        return list(self._visible)

    def cell_text(self, row: CapacityRow, month: int) -> str:
        """ "12 / 44", or "⚠ 70 / 66" over capacity (month 1–12)."""
        n, cap = row.meetings[month - 1], row.capacity[month - 1]
        text = f"{self._locale.toString(n)} / {self._locale.toString(cap)}"
        return f"{Glyph.OVER_CAPACITY} {text}" if row.over[month - 1] else text

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else MONTHS + 1

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._visible):
            return None
        row = self._visible[index.row()]
        column = index.column()
        if column == SUBJECT_COLUMN:
            if role == Qt.ItemDataRole.DisplayRole:
                return row.owner
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{row.owner}: meetings a month (not cancelled) / capacity"
            return None
        over = row.over[column - 1]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            return OVER_CAPACITY_BACKGROUND if over else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return OVER_CAPACITY_TEXT if over else None
        if role == Qt.ItemDataRole.FontRole and over:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        return None

    def _tooltip(self, row: CapacityRow, month: int) -> str:
        n, cap = row.meetings[month - 1], row.capacity[month - 1]
        working = sum(
            1
            for day, weekday in calendar.Calendar().itermonthdays2(self._year, month)
            if day and weekday < 5
        )
        daily = cap // working if working else 0
        noun = "meeting" if n == 1 else "meetings"
        text = (
            f"{row.owner}, {long_month(month, self._locale)} {self._year}: {n} {noun}; "
            f"capacity {cap} ({daily} a day × {working} working days)"
        )
        if row.over[month - 1]:
            text += f"\n{Glyph.OVER_CAPACITY} Over capacity by {n - cap}"
        return text

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section <= MONTHS:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return "Owner" if section == SUBJECT_COLUMN else month_names(self._locale)[section - 1]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )
