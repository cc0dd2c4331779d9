"""A table model over a Python list, sorted and filtered in Python (the Standards page's tables).

Each column is a :class:`ColumnSpec`: its header, how a row reads in it, how it sorts
and, optionally, its tooltip. The model keeps every row, applies a predicate and a
sort, and resets: at library sizes (hundreds, a few thousand changes) that is a
millisecond or two, with none of ``QSortFilterProxyModel``'s cost. ``data()`` only
calls the column's text function on a row already in memory: no SQL, ever.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from vcio_desk.ui.models.base import AnyIndex, ReadOnlyTableModel

T = TypeVar("T")

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
"""``data(index, ROW_ROLE)`` is the row object itself."""
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)


@dataclass(frozen=True)
class ColumnSpec(Generic[T]):
    header: str
    text: Callable[[T], str]
    sort_key: Callable[[T], Any] | None = None
    """None: sort by the text, ignoring case. A key returning None sorts last."""
    tooltip: Callable[[T], str] | None = None
    align: Qt.AlignmentFlag | None = None


def one_line(text: str, width: int = 160) -> str:
    """Text for a table cell: whitespace and newlines collapsed, long text shortened."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


class RowsModel(ReadOnlyTableModel, Generic[T]):
    """Rows of ``T`` shown through ``columns``; see the module docstring."""

    def __init__(self, columns: Sequence[ColumnSpec[T]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self._all: list[T] = []
        self._visible: list[T] = []
        self._predicate: Callable[[T], bool] | None = None
        self._sort: tuple[int, bool] | None = None
        self.dimmed: Callable[[T], bool] = lambda _row: False
        """Rows drawn in the placeholder colour (archived standards)."""

    # -- Qt ------------------------------------------------------------------------------------

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._visible)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        return self.columns[section].header if role == _DISPLAY else None

    def data(self, index: AnyIndex, role: int = _DISPLAY) -> Any:
        if not index.isValid() or index.row() >= len(self._visible):
            return None
        row = self._visible[index.row()]
        column = self.columns[index.column()]
        if role == _DISPLAY:
            return column.text(row)
        if role == _TOOLTIP:
            return column.tooltip(row) if column.tooltip else None
        if role == _ALIGNMENT and column.align is not None:
            return int(column.align | Qt.AlignmentFlag.AlignVCenter)
        if role == _FOREGROUND and self.dimmed(row):
            return QPalette().color(QPalette.ColorRole.PlaceholderText)
        if role == ROW_ROLE:
            return row
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column >= len(self.columns):
            return
        # No column (-1): the order the rows were given in (the library's own order).
        self._sort = None if column < 0 else (column, order == Qt.SortOrder.DescendingOrder)
        self._refresh()

    # -- feeding -------------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[T]) -> None:
        """Replace every row; the filter and sort stay applied."""
        self._all = list(rows)
        self._refresh()

    def set_predicate(self, predicate: Callable[[T], bool] | None) -> None:
        self._predicate = predicate
        self._refresh()

    def rows(self) -> list[T]:
        """The rows shown, in their order."""
        return list(self._visible)

    def all_rows(self) -> list[T]:
        return list(self._all)

    @property
    def total_count(self) -> int:
        return len(self._all)

    def row_at(self, row: int) -> T:
        return self._visible[row]

    def find(self, match: Callable[[T], bool]) -> int:
        """The visible row number of the first row ``match`` accepts, or -1."""
        return next((i for i, r in enumerate(self._visible) if match(r)), -1)

    def _refresh(self) -> None:
        rows = self._all
        if self._predicate is not None:
            rows = [r for r in rows if self._predicate(r)]
        if self._sort is not None:
            rows = self._sorted(rows, *self._sort)
        self.beginResetModel()
        self._visible = list(rows)
        self.endResetModel()

    def _sorted(self, rows: list[T], column: int, descending: bool) -> list[T]:
        spec = self.columns[column]
        key = spec.sort_key or (lambda r: spec.text(r).casefold() or None)
        keyed = [(key(r), r) for r in rows]
        present = [pair for pair in keyed if pair[0] is not None]
        missing = [r for k, r in keyed if k is None]
        present.sort(key=lambda pair: pair[0], reverse=descending)
        return [r for _, r in present] + missing


def selected(view: QAbstractItemView, model: RowsModel[T]) -> T | None:
    """The row selected in ``view`` (single selection), or None."""
    rows = view.selectionModel().selectedRows()
    if not rows or rows[0].row() >= model.rowCount():
        return None
    return model.row_at(rows[0].row())


def size_columns(table: QTableView, samples: Sequence[str | None]) -> None:
    """Width each column for its sample text (and header); a None sample takes the room left.

    Sized from samples, not contents: instant whatever the rows, and the same every load.
    """
    header = table.horizontalHeader()
    metrics = table.fontMetrics()
    model = table.model()
    for column, sample in enumerate(samples):
        if sample is None:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
            continue
        title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        width = max(metrics.horizontalAdvance(sample), metrics.horizontalAdvance(title) + 16)
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(column, width + 14)
