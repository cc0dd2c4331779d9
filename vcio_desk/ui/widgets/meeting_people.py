"""The meeting page's side panels: attendees (with Present) and the prep checklist.

Both only ask (signals); the page records each change through the services.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.services.meeting_attendees import AttendeeView
from vcio_desk.services.meeting_common import PersonOption
from vcio_desk.services.meeting_prep import PrepItemView
from vcio_desk.ui.models.meeting_attendees_model import AttendeeColumn, AttendeesModel
from vcio_desk.ui.widgets.rhythm_editor import mute
from vcio_desk.ui.widgets.tables import row_table

ITEM_ID_ROLE = Qt.ItemDataRole.UserRole + 1


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


class AttendeesPanel(QWidget):
    invite_requested = Signal(str, int, str)
    """(kind "staff"/"contact"/"guest", person id or 0, name)"""
    remove_requested = Signal(int)
    """(attendee id)"""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attendees_panel")
        self.model = AttendeesModel(self)
        self.present_toggled = self.model.present_toggled
        self.table = row_table(self.model, name="attendees", stretch_last=True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(AttendeeColumn.PRESENT, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(AttendeeColumn.NAME, QHeaderView.ResizeMode.ResizeToContents)
        self.heading = _heading("Attendees")
        self.count_label = QLabel()
        mute(self.count_label)

        self.candidates = QComboBox()
        self.candidates.setObjectName("attendee_candidates")
        self.candidates.setEditable(True)
        self.candidates.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.candidates.lineEdit().setPlaceholderText("Invite someone…")
        self.candidates.setMinimumContentsLength(16)
        self.candidates.lineEdit().returnPressed.connect(self.invite)
        self.invite_button = QPushButton("&Invite")
        self.invite_button.clicked.connect(self.invite)
        self.remove_button = QPushButton("Remove")
        self.remove_button.setToolTip("Take the selected person off the list (Ctrl+Z undoes)")
        self.remove_button.clicked.connect(self.remove_selected)
        for button in (self.invite_button, self.remove_button):
            button.setAutoDefault(False)
        self.table.selectionModel().selectionChanged.connect(self._enable)

        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addWidget(self.count_label)
        top.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.candidates, 1)
        row.addWidget(self.invite_button)
        row.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        self._editable = True
        self._guests = True
        self._enable()

    def set_attendees(
        self,
        attendees: Sequence[AttendeeView],
        candidates: Sequence[PersonOption],
        *,
        guests: bool,
    ) -> None:
        """``guests``: whether a free name may be typed (client meetings only)."""
        self.model.set_attendees(attendees)
        self._guests = guests
        present = sum(a.present is True for a in attendees)
        recorded = any(a.present is not None for a in attendees)
        text = f"{len(attendees)} invited"
        if recorded:
            text += f", {present} present"
        self.count_label.setText(text)
        self.candidates.clear()
        for person in candidates:
            side = "" if person.kind == "staff" else "client: "
            self.candidates.addItem(
                f"{person.name} ({side}{person.detail})", f"{person.kind}:{person.id}"
            )
        self.candidates.setCurrentIndex(-1)
        self.candidates.setEditText("")
        hint = "Choose a person" + (", or type a guest's name" if guests else " (staff only)")
        self.candidates.lineEdit().setPlaceholderText(hint + "…")
        self._enable()

    def set_editable(self, editable: bool) -> None:
        self._editable = editable
        self.model.editable = editable
        self.candidates.setEnabled(editable)
        self._enable()

    def invite(self) -> None:
        if not self._editable:
            return
        text = self.candidates.currentText().strip()
        index = self.candidates.findText(text, Qt.MatchFlag.MatchFixedString)
        data = self.candidates.itemData(index) if index >= 0 else None
        if isinstance(data, str):
            kind, _, number = data.partition(":")
            self.invite_requested.emit(kind, int(number), "")
        elif text and self._guests:
            self.invite_requested.emit("guest", 0, text)

    def remove_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        person = self.model.attendee_at(rows[0].row()) if rows else None
        if person is not None and self._editable:
            self.remove_requested.emit(person.id)

    def _enable(self) -> None:
        selected = bool(self.table.selectionModel().selectedRows())
        self.invite_button.setEnabled(self._editable)
        self.remove_button.setEnabled(self._editable and selected)


class PrepPanel(QWidget):
    toggled = Signal(int, bool)
    """(prep item id, done)"""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("prep_panel")
        self.heading = _heading("Prep checklist")
        self.count_label = QLabel()
        self.count_label.setObjectName("prep_count")
        mute(self.count_label)
        self.list = QListWidget()
        self.list.setObjectName("prep_items")
        self.list.setSpacing(2)
        self.list.itemChanged.connect(self._changed)
        self.empty_label = QLabel("This meeting type has no checklist.")
        mute(self.empty_label)
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addWidget(self.count_label)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty_label)
        self._editable = True
        self._filling = False

    def set_items(self, items: Sequence[PrepItemView]) -> None:
        self._filling = True
        try:
            current = self.list.currentRow()
            self.list.clear()
            for prep in items:
                item = QListWidgetItem(prep.label)
                item.setData(ITEM_ID_ROLE, prep.id)
                flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                if self._editable:
                    flags |= Qt.ItemFlag.ItemIsUserCheckable
                item.setFlags(flags)
                item.setCheckState(Qt.CheckState.Checked if prep.done else Qt.CheckState.Unchecked)
                self.list.addItem(item)
            if 0 <= current < self.list.count():
                self.list.setCurrentRow(current)
        finally:
            self._filling = False
        done = sum(p.done for p in items)
        self.count_label.setText(f"{done} of {len(items)} done" if items else "")
        self.list.setVisible(bool(items))
        self.empty_label.setVisible(not items)

    def set_editable(self, editable: bool) -> None:
        self._editable = editable

    def _changed(self, item: QListWidgetItem) -> None:
        if self._filling:
            return
        item_id = item.data(ITEM_ID_ROLE)
        if isinstance(item_id, int):
            self.toggled.emit(item_id, item.checkState() == Qt.CheckState.Checked)
