"""Committee proposals: a title, a description and the library changes the committee is asked
to accept.

:class:`ChangeDialog` edits one proposed change (add, edit, archive or restore a
standard), reusing the standard's form; :class:`ProposalDialog` holds the list and
saves through ``services.committee``, which checks every change against the library
as it is now. A refusal is shown and the dialog stays open with what was typed.
Both open through ``ask()`` classmethods, and their prompts (``notify``,
``ask_change``) are instance attributes, so tests replace them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.domain.errors import VcioDeskError
from vcio_desk.services.committee import (
    DecisionView,
    ProposedChange,
    create_proposal,
    update_proposal,
)
from vcio_desk.services.committee_changes import PROPOSAL_FIELDS
from vcio_desk.services.standards_library import LibraryTree, StandardView
from vcio_desk.store import Store
from vcio_desk.ui.dialogs.messages import show_message
from vcio_desk.ui.dialogs.standard_dialog import StandardForm, category_choices
from vcio_desk.ui.dialogs.unsaved import UnsavedAsker, ask_unsaved, close_or_keep

TITLE = "Standards committee"
ACTIONS = (
    ("add", "Add a new standard"),
    ("edit", "Change a standard"),
    ("archive", "Archive a standard"),
    ("restore", "Restore an archived standard"),
)
Notifier = Callable[[QWidget, str], None]


def notify(parent: QWidget, message: str) -> None:
    show_message(parent, TITLE, message)


def dialog_buttons(dialog: QDialog, ok: str) -> tuple[QDialogButtonBox, QPushButton]:
    """Cancel, and an OK button named ``ok`` that the dialog connects itself (it checks first)."""
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    button = box.addButton(ok, QDialogButtonBox.ButtonRole.AcceptRole)
    button.setDefault(True)
    box.rejected.connect(dialog.reject)
    return box, button


class ChangeDialog(QDialog):
    """One library change of a proposal; :attr:`result_change` holds it once accepted."""

    def __init__(
        self, tree: LibraryTree, change: ProposedChange | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("change_dialog")
        self.setWindowTitle("Proposed change")
        self.notify: Notifier = notify
        self.result_change: ProposedChange | None = None
        self.standards = tree.standards()
        self.choices = category_choices(tree)
        self.action_combo = QComboBox()
        for key, label in ACTIONS:
            self.action_combo.addItem(label, key)
        self.standard_combo = QComboBox()
        self.standard_combo.setMinimumWidth(420)
        self.form = StandardForm(self.choices, self)
        self.buttons, self.ok_button = dialog_buttons(self, "OK")
        self.ok_button.clicked.connect(self.done_editing)
        rows = self.form.layout()
        assert isinstance(rows, QFormLayout)
        rows.insertRow(0, "&What:", self.action_combo)  # one form: the labels line up
        rows.insertRow(1, "&Standard:", self.standard_combo)
        self.rows = rows
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.buttons)
        self.action_combo.currentIndexChanged.connect(self._on_action)
        self.standard_combo.currentIndexChanged.connect(self._on_standard)
        if change is not None:
            self.action_combo.setCurrentIndex(self.action_combo.findData(change.action))
        self._on_action()
        if change is not None:
            self._load(change)
        self.resize(660, self.sizeHint().height())

    def action(self) -> str:
        return str(self.action_combo.currentData())

    def _on_action(self) -> None:
        action = self.action()
        self.standard_combo.blockSignals(True)
        self.standard_combo.clear()
        for s in self.standards:
            if (action == "restore") == s.archived:
                self.standard_combo.addItem(f"{s.code} — {' '.join(s.question.split())[:70]}", s.id)
        self.standard_combo.blockSignals(False)
        self.rows.setRowVisible(1, action != "add")
        for row in range(2, self.rows.rowCount()):  # the standard's fields
            self.rows.setRowVisible(row, action in ("add", "edit"))
        self.form.code_edit.setEnabled(True)
        if action == "add":
            self.form.code_edit.clear()
        self._on_standard()
        self.adjustSize()

    def standard(self) -> StandardView | None:
        wanted = self.standard_combo.currentData()
        return next((s for s in self.standards if s.id == wanted), None)

    def _on_standard(self) -> None:
        standard = self.standard()
        if self.action() == "edit" and standard is not None:
            self.form.set_values(standard)

    def _load(self, change: ProposedChange) -> None:
        if change.action != "add":
            match = next(
                (s for s in self.standards if s.code.casefold() == change.code.casefold()), None
            )
            if match is not None:
                self.standard_combo.setCurrentIndex(self.standard_combo.findData(match.id))
        else:
            self.form.code_edit.setText(change.code)
        fields = dict(change.fields)
        form = self.form
        for name, widget in (
            ("question", form.question_edit),
            ("why_it_matters", form.why_edit),
            ("how_to_align", form.how_edit),
        ):
            if name in fields:
                widget.setPlainText(str(fields[name]))
        if "code" in fields:
            form.code_edit.setText(str(fields["code"]))
        if "priority" in fields:
            form.priority_combo.setCurrentIndex(form.priority_combo.findData(fields["priority"]))
        if "tiers" in fields:
            for tier, box in form.tier_checks.items():
                box.setChecked(tier in fields["tiers"])
        if "internal_only" in fields:
            form.internal_check.setChecked(bool(fields["internal_only"]))
        if change.section is not None:
            for category_id, _path, key, name in self.choices:
                if key == change.section and name.casefold() == (change.category or "").casefold():
                    form.category_combo.setCurrentIndex(form.category_combo.findData(category_id))

    def change(self) -> dict[str, Any]:
        """The change as stored in a proposal (what :class:`ProposedChange` reads)."""
        action, values = self.action(), self.form.values()
        place = next((c for c in self.choices if c[0] == values["category_id"]), None)
        if action == "add":
            fields = {k: v for k, v in values.items() if k in PROPOSAL_FIELDS and k != "code"}
            data: dict[str, Any] = {"action": action, "code": values["code"], "fields": fields}
            if place is not None:
                data |= {"section": place[2], "category": place[3]}
            return data
        standard = self.standard()
        code = standard.code if standard else ""
        if action != "edit" or standard is None:
            return {"action": action, "code": code}
        current = {
            "code": standard.code,
            "question": standard.question,
            "why_it_matters": standard.why_it_matters,
            "how_to_align": standard.how_to_align,
            "priority": standard.priority.value,
            "tiers": list(standard.tiers),
            "internal_only": standard.internal_only,
        }
        fields = {k: values[k] for k in PROPOSAL_FIELDS if values[k] != current[k]}
        data = {"action": action, "code": code, "fields": fields}
        if place is not None and values["category_id"] != standard.category_id:
            data |= {"section": place[2], "category": place[3]}
        return data

    def done_editing(self) -> bool:
        try:
            self.result_change = ProposedChange.from_json(self.change())
        except VcioDeskError as err:
            self.notify(self, err.user_message.replace("Proposed change 1: ", ""))
            return False
        self.accept()
        return True

    @classmethod
    def ask(
        cls, parent: QWidget, tree: LibraryTree, change: ProposedChange | None = None
    ) -> ProposedChange | None:
        dialog = cls(tree, change, parent)
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            return dialog.result_change if accepted else None
        finally:
            dialog.deleteLater()


ChangeAsker = Callable[[QWidget, LibraryTree, "ProposedChange | None"], "ProposedChange | None"]


class ProposalDialog(QDialog):
    """A proposal's title, description and library changes; Save checks them against the
    library as it is now (a change that would not apply is refused, with the reason)."""

    def __init__(
        self,
        store: Store,
        tree: LibraryTree,
        proposal: DecisionView | None = None,
        *,
        author: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store, self.tree, self.proposal, self.author = store, tree, proposal, author
        self.saved_id: int | None = None
        self.notify: Notifier = notify
        self.ask_change: ChangeAsker = ChangeDialog.ask
        self.changes: list[ProposedChange] = list(proposal.changes) if proposal else []
        self.setObjectName("proposal_dialog")
        self.setWindowTitle("Edit proposal" if proposal else "New proposal")
        self.title_edit = QLineEdit(proposal.title if proposal else "")
        self.title_edit.setMaxLength(300)
        self.title_edit.setPlaceholderText("What the committee is asked to decide")
        self.description_edit = QPlainTextEdit(proposal.description if proposal else "")
        self.description_edit.setPlaceholderText("Background: why, who asked, what it affects")
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 14)
        self.change_list = QListWidget()
        self.change_list.setObjectName("proposal_changes")
        self.change_list.setWordWrap(True)
        self.add_button = QPushButton("Add change…")
        self.edit_button = QPushButton("Edit change…")
        self.remove_button = QPushButton("Remove change")
        self.add_button.clicked.connect(self.add_change)
        self.edit_button.clicked.connect(self.edit_change)
        self.remove_button.clicked.connect(self.remove_change)
        self.change_list.itemDoubleClicked.connect(lambda _item: self.edit_change())
        self.change_list.currentRowChanged.connect(self._update)
        row = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.remove_button):
            row.addWidget(button)
        row.addStretch(1)
        form = QFormLayout()
        form.addRow("&Title:", self.title_edit)
        form.addRow("&Description:", self.description_edit)
        note = QLabel("Library changes, applied when the committee accepts the proposal:")
        self.buttons, self.save_button = dialog_buttons(self, "Save")
        self.save_button.clicked.connect(self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.change_list, 1)
        layout.addLayout(row)
        layout.addWidget(self.buttons)
        self.title_edit.textChanged.connect(self._update)
        self._fill()
        self.resize(640, 460)
        self.ask_unsaved: UnsavedAsker = ask_unsaved
        self._initial = self._state()

    def _state(self) -> tuple[str, str, list[ProposedChange]]:
        return (self.title_edit.text(), self.description_edit.toPlainText(), list(self.changes))

    def is_dirty(self) -> bool:
        """Something was typed or changed since the dialog opened."""
        return self._state() != self._initial

    def reject(self) -> None:
        """Cancel, Esc or the close button: a proposal being written is not lost silently."""
        if close_or_keep(self, "this proposal", self.is_dirty(), self.ask_unsaved, self.save):
            super().reject()

    def _fill(self) -> None:
        row = self.change_list.currentRow()
        self.change_list.clear()
        for change in self.changes:
            self.change_list.addItem(change.describe())
            item = self.change_list.item(self.change_list.count() - 1)
            item.setToolTip(change.describe())
        self.change_list.setCurrentRow(min(row, len(self.changes) - 1))
        self._update()

    def _update(self) -> None:
        chosen = 0 <= self.change_list.currentRow() < len(self.changes)
        self.edit_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)
        self.save_button.setEnabled(bool(self.title_edit.text().strip()))

    def add_change(self) -> None:
        change = self.ask_change(self, self.tree, None)
        if change is not None:
            self.changes.append(change)
            self._fill()
            self.change_list.setCurrentRow(len(self.changes) - 1)

    def edit_change(self) -> None:
        row = self.change_list.currentRow()
        if 0 <= row < len(self.changes):
            change = self.ask_change(self, self.tree, self.changes[row])
            if change is not None:
                self.changes[row] = change
                self._fill()

    def remove_change(self) -> None:
        row = self.change_list.currentRow()
        if 0 <= row < len(self.changes):
            del self.changes[row]
            self._fill()

    def save(self) -> bool:
        title, description = self.title_edit.text(), self.description_edit.toPlainText()
        try:
            if self.proposal is None:
                self.saved_id = create_proposal(
                    self.store,
                    title=title,
                    description=description,
                    changes=self.changes,
                    author=self.author,
                )
            else:
                update_proposal(
                    self.store,
                    self.proposal.id,
                    title=title,
                    description=description,
                    changes=self.changes,
                    author=self.author,
                )
                self.saved_id = self.proposal.id
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
        proposal: DecisionView | None = None,
        *,
        author: str = "",
    ) -> int | None:
        dialog = cls(store, tree, proposal, author=author, parent=parent)
        try:
            return dialog.saved_id if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
