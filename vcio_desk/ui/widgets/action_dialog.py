"""Add or edit one action item: what, who owns it (staff or client contact), due, status.

:meth:`ActionDialog.ask` returns the filled-in :class:`ActionInput` or None; pages keep
it in a replaceable attribute so tests answer without a modal dialog.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.domain.vocab import ActionStatus
from vcio_desk.services.actions import STATUS_WORDS, ActionInput, ActionView
from vcio_desk.services.meeting_common import PersonKind, PersonOption
from vcio_desk.ui.dialogs.unsaved import UnsavedAsker, ask_unsaved, close_or_keep

ActionAsker = Callable[
    [QWidget, Sequence[PersonOption], "ActionView | None", dt.date], "ActionInput | None"
]
"""(parent, owner options, action to edit or None for a new one, today) → input or None."""

DEFAULT_DUE_DAYS = 14


def _key(key: tuple[PersonKind, int]) -> str:
    """A combo's data as a string ("staff:4"): QVariant compares strings reliably."""
    return f"{key[0]}:{key[1]}"


def _person(data: object) -> tuple[PersonKind, int] | None:
    if not isinstance(data, str) or ":" not in data:
        return None
    kind, _, number = data.partition(":")
    return ("staff" if kind == "staff" else "contact", int(number))


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


class ActionDialog(QDialog):
    def __init__(
        self,
        people: Sequence[PersonOption],
        action: ActionView | None,
        today: dt.date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("action_dialog")
        self.setWindowTitle("Edit action" if action else "New action")
        self.title_edit = QLineEdit(action.title if action else "")
        self.title_edit.setPlaceholderText("What is to be done, e.g. “Replace the firewall”")
        self.title_edit.setMaxLength(500)

        self.owner_combo = QComboBox()
        self.owner_combo.setObjectName("action_owner")
        self.owner_combo.addItem("No owner yet", None)
        staff = [p for p in people if p.kind == "staff"]
        contacts = [p for p in people if p.kind == "contact"]
        for group in (staff, contacts):
            if group and self.owner_combo.count() > 1:
                self.owner_combo.insertSeparator(self.owner_combo.count())
            for person in group:
                side = "" if person.kind == "staff" else "client: "
                self.owner_combo.addItem(f"{person.name} ({side}{person.detail})", _key(person.key))
        if action and action.owner_key is not None:
            index = self.owner_combo.findData(_key(action.owner_key))
            if index < 0:  # an owner no longer offered (inactive staff): keep them
                self.owner_combo.addItem(action.owner or "(former owner)", _key(action.owner_key))
                index = self.owner_combo.count() - 1
            self.owner_combo.setCurrentIndex(index)

        due = action.due_date if action else None
        self.due_box = QCheckBox("Due")
        self.due_box.setChecked(action is None or due is not None)
        self.due_edit = QDateEdit(_qdate(due or today + dt.timedelta(days=DEFAULT_DUE_DAYS)))
        self.due_edit.setCalendarPopup(True)
        self.due_edit.setEnabled(self.due_box.isChecked())
        self.due_box.toggled.connect(self.due_edit.setEnabled)
        due_row = QHBoxLayout()
        due_row.addWidget(self.due_box)
        due_row.addWidget(self.due_edit, 1)

        self.status_combo = QComboBox()
        self.status_combo.setObjectName("action_status")
        for status in ActionStatus:
            self.status_combo.addItem(STATUS_WORDS[status], status.value)
        self.status_combo.setCurrentIndex(
            self.status_combo.findData((action.status if action else ActionStatus.OPEN).value)
        )
        self.notes_edit = QPlainTextEdit(action.notes if action else "")
        self.notes_edit.setPlaceholderText("Details (optional)")
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setFixedHeight(self.notes_edit.fontMetrics().height() * 5)

        form = QFormLayout()
        form.addRow("&Action:", self.title_edit)
        form.addRow("&Owner:", self.owner_combo)
        form.addRow("Due &date:", due_row)
        form.addRow("&Status:", self.status_combo)
        form.addRow("&Notes:", self.notes_edit)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Save" if action else "Add action")
        self.ok_button.setEnabled(bool(self.title_edit.text().strip()))
        self.title_edit.textChanged.connect(
            lambda text: self.ok_button.setEnabled(bool(text.strip()))
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)
        self.ask_unsaved: UnsavedAsker = ask_unsaved
        self._initial = self.value()

    def is_dirty(self) -> bool:
        """Something was changed since the dialog opened."""
        return self.value() != self._initial

    def value(self) -> ActionInput:
        day = self.due_edit.date()
        return ActionInput(
            title=self.title_edit.text(),
            owner=_person(self.owner_combo.currentData()),
            due_date=dt.date(day.year(), day.month(), day.day())
            if self.due_box.isChecked()
            else None,
            status=ActionStatus(self.status_combo.currentData()),
            notes=self.notes_edit.toPlainText(),
        )

    def accept(self) -> None:
        if self.title_edit.text().strip():
            super().accept()
        else:
            self.title_edit.setFocus()

    def reject(self) -> None:
        """Cancel, Esc or the close button: changes typed here are not lost silently."""
        if close_or_keep(self, "this action", self.is_dirty(), self.ask_unsaved, self.accept):
            super().reject()

    @classmethod
    def ask(
        cls,
        parent: QWidget,
        people: Sequence[PersonOption],
        action: ActionView | None,
        today: dt.date,
    ) -> ActionInput | None:
        dialog = cls(people, action, today, parent)
        try:
            return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
