"""The table view every list in the app uses: read-only, whole rows, compact, no wrapping."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView


def row_table(
    model: QAbstractItemModel,
    *,
    name: str = "",
    sortable: bool = False,
    stretch_last: bool = True,
) -> QTableView:
    """A view over ``model`` where one row is one thing: selected whole, never edited in place."""
    table = QTableView()
    if name:
        table.setObjectName(name)
    table.setModel(model)
    table.setSortingEnabled(sortable)
    table.setAlternatingRowColors(True)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    rows = table.verticalHeader()
    rows.hide()
    rows.setDefaultSectionSize(table.fontMetrics().height() + 10)  # compact: more rows shown
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(stretch_last)
    header.setHighlightSections(False)
    return table
