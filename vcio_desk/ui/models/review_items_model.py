"""The items of one alignment review as a table: a Qt adapter over ``ReviewItemView`` rows.

The model keeps every item of the review and shows those of the chosen section that
pass the chosen filter (unanswered, misaligned, unrated). Filtering happens in Python
when the section or filter changes; an item written in place stays in view until the
next filter change, so the row under the cursor never jumps away while people work.
``data()`` only reads the item views; it never reaches the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum, StrEnum
from typing import Any, ClassVar

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from vcio_desk.domain.vocab import Answer, Priority, Rating
from vcio_desk.services.reviews import ReviewItemView
from vcio_desk.ui.models.base import ReadOnlyTableModel

AnyIndex = QModelIndex | QPersistentModelIndex
ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
"""``data(index, ITEM_ROLE)`` is the row's :class:`ReviewItemView`."""


class Column(IntEnum):
    CODE = 0
    QUESTION = 1
    PRIORITY = 2
    ANSWER = 3
    RATING = 4
    CSI = 5


class ItemFilter(StrEnum):
    ALL = "all"
    UNANSWERED = "unanswered"
    MISALIGNED = "misaligned"
    UNRATED = "unrated"


ANSWER_TEXT = {
    Answer.ALIGNED: "✓ Aligned",
    Answer.MISALIGNED: "✗ Misaligned",
    Answer.NOT_APPLICABLE: "N/A",
}
RATING_TEXT = {Rating.MARGINAL: "Marginal", Rating.VULNERABLE: "Vulnerable"}
PRIORITY_TEXT = {Priority.HIGH: "High", Priority.MEDIUM: "Medium", Priority.LOW: "Low"}
ANSWER_COLOUR = {Answer.ALIGNED: QColor("#2e7d32"), Answer.MISALIGNED: QColor("#c62828")}
RATING_COLOUR = {Rating.MARGINAL: QColor("#a15c00"), Rating.VULNERABLE: QColor("#c62828")}


def passes(item: ReviewItemView, which: ItemFilter) -> bool:
    if which is ItemFilter.UNANSWERED:
        return item.answer is None
    if which is ItemFilter.MISALIGNED:
        return item.answer is Answer.MISALIGNED
    if which is ItemFilter.UNRATED:
        return item.answer is Answer.MISALIGNED and item.rating is None
    return True


def rating_text(item: ReviewItemView) -> str:
    if item.answer is not Answer.MISALIGNED:
        return ""
    return "Not rated" if item.rating is None else RATING_TEXT[item.rating]


class ReviewItemsModel(ReadOnlyTableModel):
    headers: ClassVar[tuple[str, ...]] = (
        "Code",
        "Standard",
        "Priority",
        "Answer",
        "Rating",
        "CSI",
    )
    header_tips: ClassVar[dict[int, str]] = {
        Column.PRIORITY: "Weight in the score: high 5, medium 3, low 1",
        Column.RATING: "The vCIO's rating of a misaligned answer: marginal earns half credit",
        Column.CSI: "The CSI item that addresses this finding",
    }

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._all: list[ReviewItemView] = []
        self._row_of_id: dict[int, int] = {}
        """Item id → index in ``_all``."""
        self._visible: list[int] = []
        """Indexes into ``_all`` shown, in order."""
        self._section: str | None = None
        self._filter = ItemFilter.ALL

    # -- content -----------------------------------------------------------------------------

    def set_items(self, items: Sequence[ReviewItemView]) -> None:
        self._all = list(items)
        self._row_of_id = {item.id: i for i, item in enumerate(self._all)}
        self._refilter()

    def set_view(self, section: str | None, which: ItemFilter) -> None:
        """Show ``section``'s items (None: every section) that pass ``which``."""
        self._section = section
        self._filter = which
        self._refilter()

    def replace_item(self, item: ReviewItemView) -> int | None:
        """Put a written item back in place; its visible row (None when hidden)."""
        index = self._row_of_id.get(item.id)
        if index is None:
            return None
        self._all[index] = item
        try:
            row = self._visible.index(index)
        except ValueError:
            return None
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))
        return row

    def items(self) -> list[ReviewItemView]:
        """Every item of the review (not only the visible ones)."""
        return list(self._all)

    def item(self, item_id: int) -> ReviewItemView | None:
        index = self._row_of_id.get(item_id)
        return None if index is None else self._all[index]

    def item_at(self, row: int) -> ReviewItemView:
        return self._all[self._visible[row]]

    def row_of(self, item_id: int) -> int | None:
        index = self._row_of_id.get(item_id)
        if index is None or index not in self._visible:
            return None
        return self._visible.index(index)

    def count(self, which: ItemFilter, section: str | None = None) -> int:
        return sum(
            1
            for item in self._all
            if (section is None or item.section_name == section) and passes(item, which)
        )

    def next_row(self, after: int, which: ItemFilter) -> int | None:
        """The first visible row after ``after`` (wrapping) whose item passes ``which``."""
        n = len(self._visible)
        for step in range(1, n + 1):
            row = (after + step) % n
            if passes(self.item_at(row), which):
                return row
        return None

    def _refilter(self) -> None:
        section, which = self._section, self._filter
        self.beginResetModel()
        self._visible = [
            i
            for i, item in enumerate(self._all)
            if (section is None or item.section_name == section) and passes(item, which)
        ]
        self.endResetModel()

    # -- Qt ----------------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._visible)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._visible):
            return None
        item = self.item_at(index.row())
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(item, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column is Column.ANSWER and item.answer is not None:
                return ANSWER_COLOUR.get(item.answer)
            if column is Column.RATING and item.rating is not None:
                return RATING_COLOUR.get(item.rating)
            return None
        if role == Qt.ItemDataRole.FontRole and column is Column.QUESTION and item.internal_only:
            font = QFont()
            font.setItalic(True)
            return font
        if role == ITEM_ROLE:
            return item
        return None

    @staticmethod
    def _display(item: ReviewItemView, column: Column) -> str:
        if column is Column.CODE:
            return item.code
        if column is Column.QUESTION:
            return f"[Internal] {item.question}" if item.internal_only else item.question
        if column is Column.PRIORITY:
            return PRIORITY_TEXT[item.priority]
        if column is Column.ANSWER:
            return "" if item.answer is None else ANSWER_TEXT[item.answer]
        if column is Column.RATING:
            return rating_text(item)
        return item.csi_title

    @staticmethod
    def _tooltip(item: ReviewItemView, column: Column) -> str | None:
        if column is Column.QUESTION:
            where = f"{item.section_name} › {item.category_name}"
            internal = (
                "\nInternal only: left out of the client's pack." if item.internal_only else ""
            )
            return f"{item.question}\n{where}{internal}"
        if column is Column.CSI and item.csi_title:
            return item.csi_title
        if column is Column.CODE and item.notes:
            return item.notes
        return None
