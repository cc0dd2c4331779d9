"""Add or edit a standard, and the small prompts of the library (a reason, a name).

:class:`StandardForm` holds a standard's fields (the proposal dialog reuses it);
:class:`StandardDialog` saves it through ``services.standards_library`` with the
reason the change log needs. A refusal (a duplicate code, a change made elsewhere)
is shown as its ``user_message`` and the dialog stays open with everything typed.
Pages open these through their ``ask()`` classmethods, which tests replace.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.domain.errors import VcioDeskError
from vcio_desk.domain.vocab import Priority, Tier
from vcio_desk.services.standards_library import (
    LibraryTree,
    StandardView,
    add_standard,
    edit_standard,
)
from vcio_desk.store import Store
from vcio_desk.ui.dialogs.messages import show_message
from vcio_desk.ui.dialogs.unsaved import UnsavedAsker, ask_unsaved, close_or_keep

Notifier = Callable[[QWidget, str], None]
CategoryChoice = tuple[int, str, str, str]
"""(category id, "Section › Category", section key, category name)."""


def category_choices(tree: LibraryTree) -> list[CategoryChoice]:
    """Categories in use (not archived), in library order."""
    return [
        (c.id, f"{s.name} › {c.name}", s.key, c.name)
        for s, c in tree.categories()
        if not (s.archived or c.archived)
    ]


def _notify(parent: QWidget, message: str) -> None:
    show_message(parent, "Standards library", message)


def _text_box(placeholder: str, lines: int) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 14)
    return box


class StandardForm(QWidget):
    """A standard's fields; :meth:`values` returns them as the services take them."""

    changed = Signal()

    def __init__(self, categories: Sequence[CategoryChoice], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code_edit = QLineEdit()
        self.code_edit.setPlaceholderText("e.g. BKP-010")
        self.code_edit.setMaxLength(30)
        self.category_combo = QComboBox()
        for category_id, path, _key, _name in categories:
            self.category_combo.addItem(path, category_id)
        self.question_edit = _text_box("The yes/no question a TAM answers", 3)
        self.why_edit = _text_box("Why it matters to the client (plain words)", 4)
        self.how_edit = _text_box("How to align: what to do to meet it", 4)
        self.priority_combo = QComboBox()
        for priority in Priority:
            self.priority_combo.addItem(priority.value.capitalize(), priority.value)
        self.priority_combo.setCurrentIndex(self.priority_combo.findData(Priority.MEDIUM.value))
        self.tier_checks = {t.value: QCheckBox(f"Tier {t.value}") for t in Tier}
        tiers = QHBoxLayout()
        for box in self.tier_checks.values():
            box.setChecked(True)
            tiers.addWidget(box)
            box.toggled.connect(self.changed)
        tiers.addStretch(1)
        self.internal_check = QCheckBox("Internal only (left out of the client edition of packs)")

        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("&Code:", self.code_edit)
        form.addRow("C&ategory:", self.category_combo)
        form.addRow("&Question:", self.question_edit)
        form.addRow("&Why it matters:", self.why_edit)
        form.addRow("&How to align:", self.how_edit)
        form.addRow("&Priority:", self.priority_combo)
        form.addRow("Tiers:", tiers)
        form.addRow("", self.internal_check)
        for signal in (
            self.code_edit.textChanged,
            self.question_edit.textChanged,
            self.category_combo.currentIndexChanged,
        ):
            signal.connect(self.changed)

    def set_values(self, standard: StandardView) -> None:
        self.code_edit.setText(standard.code)
        index = self.category_combo.findData(standard.category_id)
        if index < 0:  # an archived category: shown so the standard's place stays visible
            self.category_combo.addItem(standard.path, standard.category_id)
            index = self.category_combo.count() - 1
        self.category_combo.setCurrentIndex(index)
        self.question_edit.setPlainText(standard.question)
        self.why_edit.setPlainText(standard.why_it_matters)
        self.how_edit.setPlainText(standard.how_to_align)
        self.priority_combo.setCurrentIndex(self.priority_combo.findData(standard.priority.value))
        for tier, box in self.tier_checks.items():
            box.setChecked(tier in standard.tiers)
        self.internal_check.setChecked(standard.internal_only)

    def values(self) -> dict[str, Any]:
        return {
            "code": self.code_edit.text().strip(),
            "category_id": self.category_combo.currentData(),
            "question": self.question_edit.toPlainText().strip(),
            "why_it_matters": self.why_edit.toPlainText().strip(),
            "how_to_align": self.how_edit.toPlainText().strip(),
            "priority": self.priority_combo.currentData(),
            "tiers": [t for t, box in self.tier_checks.items() if box.isChecked()],
            "internal_only": self.internal_check.isChecked(),
        }

    def complete(self) -> bool:
        values = self.values()
        return bool(values["code"] and values["question"] and values["tiers"]) and (
            values["category_id"] is not None
        )


class StandardDialog(QDialog):
    """New standard (``standard`` None) or an edit of one; Save needs a reason."""

    def __init__(
        self,
        store: Store,
        tree: LibraryTree,
        standard: StandardView | None = None,
        *,
        author: str = "",
        category_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store, self.standard, self.author = store, standard, author
        self.saved_id: int | None = None
        self.notify: Notifier = _notify
        self.setObjectName("standard_dialog")
        self.setWindowTitle(f"Edit {standard.code}" if standard else "New standard")
        self.form = StandardForm(category_choices(tree), self)
        if standard is not None:
            self.form.set_values(standard)
        elif category_id is not None:
            index = self.form.category_combo.findData(category_id)
            self.form.category_combo.setCurrentIndex(max(index, 0))
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText("Why (required: kept in the change log)")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        form_layout = self.form.layout()
        assert isinstance(form_layout, QFormLayout)
        form_layout.addRow("&Reason:", self.reason_edit)  # aligned with the fields above
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.buttons)
        self.form.changed.connect(self._update)
        self.reason_edit.textChanged.connect(self._update)
        self.resize(640, self.sizeHint().height())
        self._update()
        self.ask_unsaved: UnsavedAsker = ask_unsaved
        self._initial = self.form.values()

    def is_dirty(self) -> bool:
        """A field was changed since the dialog opened (the reason alone is not a change)."""
        return self.form.values() != self._initial

    def reject(self) -> None:
        """Cancel, Esc or the close button: a changed standard is not lost silently."""
        what = f"{self.standard.code}" if self.standard else "the new standard"
        if close_or_keep(self, what, self.is_dirty(), self.ask_unsaved, self._save_or_say):
            super().reject()

    def _save_or_say(self) -> None:
        if not self.save_button.isEnabled():
            self.notify(
                self,
                "Give a reason (and fill in the code, question and tiers) to save, "
                "or choose Discard.",
            )
            self.reason_edit.setFocus()
            return
        self.save()

    def _update(self) -> None:
        self.save_button.setEnabled(self.form.complete() and bool(self.reason_edit.text().strip()))

    def save(self) -> bool:
        """Write the change; on a refusal say why and keep the dialog open."""
        if not self.save_button.isEnabled():
            return False
        values, reason = self.form.values(), self.reason_edit.text()
        try:
            if self.standard is None:
                self.saved_id = add_standard(self.store, values, reason=reason, author=self.author)
            else:
                edit_standard(
                    self.store,
                    self.standard.id,
                    values,
                    reason=reason,
                    author=self.author,
                    expected_updated_at=self.standard.updated_at,
                )
                self.saved_id = self.standard.id
        except VcioDeskError as err:
            self.notify(self, err.user_message)
            return False
        self.accept()
        return True

    @classmethod
    def ask(
        cls,
        parent: QWidget,
        store: Store,
        tree: LibraryTree,
        standard: StandardView | None = None,
        *,
        author: str = "",
        category_id: int | None = None,
    ) -> int | None:
        """The saved standard's id, or None when cancelled."""
        dialog = cls(store, tree, standard, author=author, category_id=category_id, parent=parent)
        try:
            return dialog.saved_id if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()


class ReasonDialog(QDialog):
    """A question that needs a reason before it goes ahead (archive, restore...)."""

    def __init__(
        self,
        title: str,
        text: str,
        action: str,
        *,
        name: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reason_dialog")
        self.setWindowTitle(title)
        self.text_label = QLabel(text)
        self.text_label.setTextFormat(Qt.TextFormat.PlainText)
        self.text_label.setWordWrap(True)
        self.name_edit = QLineEdit(name or "")
        self.name_edit.setMaxLength(200)
        self.reason_edit = QLineEdit()
        self.reason_edit.setMinimumWidth(380)
        self.reason_edit.setPlaceholderText("Why (required: kept in the change log)")
        form = QFormLayout()
        if name is not None:
            form.addRow("&Name:", self.name_edit)
        form.addRow("&Reason:", self.reason_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text_label)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.reason_edit.textChanged.connect(self._update)
        self.name_edit.textChanged.connect(self._update)
        self.asks_name = name is not None
        self._update()

    def _update(self) -> None:
        named = bool(self.name_edit.text().strip()) or not self.asks_name
        self.ok_button.setEnabled(named and bool(self.reason_edit.text().strip()))

    @classmethod
    def ask(cls, parent: QWidget, title: str, text: str, action: str) -> str | None:
        """The reason given, or None when cancelled."""
        dialog = cls(title, text, action, parent=parent)
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            return dialog.reason_edit.text().strip() if accepted else None
        finally:
            dialog.deleteLater()

    @classmethod
    def ask_name(
        cls, parent: QWidget, title: str, text: str, action: str, name: str = ""
    ) -> tuple[str, str] | None:
        """(name, reason), or None when cancelled."""
        dialog = cls(title, text, action, name=name, parent=parent)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.name_edit.text().strip(), dialog.reason_edit.text().strip()
        finally:
            dialog.deleteLater()
