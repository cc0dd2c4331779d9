"""The Library tab's tree: every section with its categories, each with its count of standards.

Selecting "All standards", a section or a category narrows the table beside it.
Archived sections and categories appear (dimmed, marked) only when archived
standards are shown. The selection survives a reload.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from vcio_desk.services.standards_library import LibraryTree

PLACE_ROLE = Qt.ItemDataRole.UserRole + 1
"""An item's ``("all", 0)``, ``("section", id)`` or ``("category", id)``."""
Place = tuple[str, int]


class PlaceTree(QTreeWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("standards_tree")
        self.setHeaderHidden(True)
        self.setMinimumWidth(120)

    def selected_place(self) -> Place:
        item = self.currentItem()
        data: Any = item.data(0, PLACE_ROLE) if item is not None else None
        return (str(data[0]), int(data[1])) if data else ("all", 0)

    def fill(self, tree: LibraryTree, show_archived: bool) -> None:
        """Rebuild the items (keeping the selection) without announcing a new selection."""
        place = self.selected_place()
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText)

        def count(standards: list[Any] | tuple[Any, ...]) -> int:
            return sum(1 for s in standards if show_archived or not s.archived)

        def make(text: str, data: Place, tip: str, archived: bool) -> QTreeWidgetItem:
            item = QTreeWidgetItem([text + (" — archived" if archived else "")])
            item.setData(0, PLACE_ROLE, data)
            item.setToolTip(0, tip)
            if archived:
                item.setForeground(0, muted)
            return item

        self.blockSignals(True)
        self.clear()
        current = make(f"All standards ({count(tree.standards())})", ("all", 0), "", False)
        self.addTopLevelItem(current)
        for section in tree.sections:
            if section.archived and not show_archived:
                continue
            item = make(
                f"{section.name} ({count(section.standards)})",
                ("section", section.id),
                f"{section.name} · key {section.key}",
                section.archived,
            )
            self.addTopLevelItem(item)
            current = item if place == ("section", section.id) else current
            for category in section.categories:
                if category.archived and not show_archived:
                    continue
                child = make(
                    f"{category.name} ({count(category.standards)})",
                    ("category", category.id),
                    f"{section.name} › {category.name}",
                    category.archived,
                )
                item.addChild(child)
                current = child if place == ("category", category.id) else current
        self.expandAll()
        self.setCurrentItem(current)
        self.blockSignals(False)

    def select_all(self) -> None:
        self.setCurrentItem(self.topLevelItem(0))
