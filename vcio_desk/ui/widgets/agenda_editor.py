"""The agenda editor: items in a table edited in place, buttons to add, remove and reorder,
and the total against the meeting's length with a visible warning when it runs over.

It only asks; the page does (every change is an undoable step through the service).
Alt+Up / Alt+Down move the selected item, Delete removes it, Insert adds one.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.services.meeting_agenda import AgendaItemView
from vcio_desk.ui import icons
from vcio_desk.ui.models.agenda_model import AgendaColumn, AgendaModel
from vcio_desk.ui.widgets.rhythm_editor import mute
from vcio_desk.ui.widgets.tables import row_table

WARNING_STYLE = "color: #8C1D18; font-weight: bold;"


class AgendaEditor(QWidget):
    add_requested = Signal()
    remove_requested = Signal(int)
    """(item id)"""
    move_requested = Signal(int, int)
    """(item id, new index)"""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agenda_editor")
        self.model = AgendaModel(self)
        self.edit_requested = self.model.edit_requested
        self.table = row_table(self.model, name="agenda", stretch_last=False)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setTabKeyNavigation(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(AgendaColumn.NUMBER, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(AgendaColumn.TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(AgendaColumn.MINUTES, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(AgendaColumn.PRESENTER, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(AgendaColumn.PRESENTER, 170)

        self.add_button = QPushButton("&Add item")
        self.add_button.setToolTip("Add an item at the end of the agenda (Insert)")
        self.remove_button = QPushButton("Remove")
        self.remove_button.setToolTip("Remove the selected item (Delete); Ctrl+Z brings it back")
        self.up_button = QPushButton("Move up")
        self.up_button.setToolTip("Move the selected item up (Alt+Up)")
        self.down_button = QPushButton("Move down")
        self.down_button.setToolTip("Move the selected item down (Alt+Down)")
        self.add_button.clicked.connect(self.add_requested)
        self.remove_button.clicked.connect(self.remove_selected)
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(+1))
        for key, slot in (
            ("Alt+Up", lambda: self.move_selected(-1)),
            ("Alt+Down", lambda: self.move_selected(+1)),
            ("Del", self.remove_selected),
            ("Ins", self.add_requested.emit),
        ):
            shortcut = QShortcut(QKeySequence(key), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)

        self.total_label = QLabel()
        self.total_label.setObjectName("agenda_total")
        mute(self.total_label)
        self.warning_icon = QLabel()
        self.warning_icon.setPixmap(icons.icon("warning").pixmap(QSize(16, 16)))
        self.warning_label = QLabel()
        self.warning_label.setObjectName("agenda_warning")
        self.warning_label.setWordWrap(True)
        self.warning_label.setStyleSheet(WARNING_STYLE)
        warning_row = QHBoxLayout()
        warning_row.addWidget(self.warning_icon, 0, Qt.AlignmentFlag.AlignTop)
        warning_row.addWidget(self.warning_label, 1)
        self.warning_box = QWidget()
        self.warning_box.setLayout(warning_row)
        warning_row.setContentsMargins(0, 0, 0, 0)
        self.warning_box.hide()

        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.total_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.warning_box)
        layout.addLayout(buttons)
        self.table.selectionModel().selectionChanged.connect(self._enable)
        self._editable = True
        self._enable()

    def set_items(
        self, items: Sequence[AgendaItemView], duration: int, warning: str | None
    ) -> None:
        selected = self.selected_item()
        self.model.set_items(items)
        total = self.model.total_minutes
        self.total_label.setText(f"Total {total} of {duration} min")
        self.warning_label.setText(warning or "")
        self.warning_box.setVisible(bool(warning))
        if selected is not None:
            self.select_item(selected.id)
        self._enable()

    def set_editable(self, editable: bool) -> None:
        self._editable = editable
        self.model.editable = editable
        self._enable()

    def selected_item(self) -> AgendaItemView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.item_at(rows[0].row()) if rows else None

    def select_item(self, item_id: int) -> None:
        row = self.model.row_of(item_id)
        if row >= 0:
            self.table.selectRow(row)

    def select_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.table.selectRow(row)

    def edit_title(self, item_id: int) -> None:
        """Select the item and open its title for typing (after "Add item")."""
        row = self.model.row_of(item_id)
        if row >= 0 and self._editable:
            index = self.model.index(row, AgendaColumn.TITLE)
            self.table.setCurrentIndex(index)
            self.table.edit(index)

    def remove_selected(self) -> None:
        item = self.selected_item()
        if item is not None and self._editable:
            self.remove_requested.emit(item.id)

    def move_selected(self, step: int) -> None:
        item = self.selected_item()
        if item is None or not self._editable:
            return
        row = self.model.row_of(item.id)
        target = row + step
        if 0 <= target < self.model.rowCount():
            self.move_requested.emit(item.id, target)

    def _enable(self) -> None:
        item = self.selected_item()
        row = self.model.row_of(item.id) if item else -1
        self.add_button.setEnabled(self._editable)
        self.remove_button.setEnabled(self._editable and item is not None)
        self.up_button.setEnabled(self._editable and row > 0)
        self.down_button.setEnabled(self._editable and 0 <= row < self.model.rowCount() - 1)
