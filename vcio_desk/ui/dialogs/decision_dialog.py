"""Record what a committee meeting decided about a proposal.

:class:`RecordDecisionDialog` chooses the proposal, the meeting, the day and
accepted or rejected, asks for confirmation and records it through
``services.committee.record_decision`` (accepting applies the proposal's library
changes, all or nothing). A refusal — a change that no longer applies — is shown
and the dialog stays open. It opens through :meth:`RecordDecisionDialog.ask`, and
its prompts (``notify``, ``confirm``) are instance attributes, so tests replace them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QLabel,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.domain.errors import VcioDeskError
from vcio_desk.services.committee import (
    CommitteeStatus,
    DecisionResult,
    DecisionView,
    record_decision,
)
from vcio_desk.store import Store
from vcio_desk.ui.dialogs.proposal_dialog import TITLE, Notifier, dialog_buttons, notify
from vcio_desk.ui.formatting import format_date
from vcio_desk.ui.models.standards_models import STATUS_WORDS

Confirmer = Callable[[QWidget, str], bool]


def _confirm(parent: QWidget, text: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, TITLE, text, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Yes)
    try:
        return box.exec() == QMessageBox.StandardButton.Yes
    finally:
        box.deleteLater()


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


class RecordDecisionDialog(QDialog):
    """Which proposal, at which meeting, on which day, accepted or rejected; then confirm."""

    def __init__(
        self,
        store: Store,
        status: CommitteeStatus,
        proposals: Sequence[DecisionView],
        *,
        proposal_id: int | None = None,
        author: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store, self.author = store, author
        self.proposals = list(proposals)
        self.meetings = status.meeting_choices()
        self.result: DecisionResult | None = None
        self.notify: Notifier = notify
        self.confirm: Confirmer = _confirm
        locale = QLocale()
        self.setObjectName("record_decision_dialog")
        self.setWindowTitle("Record decision")
        self.proposal_combo = QComboBox()
        for proposal in self.proposals:
            self.proposal_combo.addItem(proposal.title, proposal.id)
        if proposal_id is not None:
            self.proposal_combo.setCurrentIndex(max(self.proposal_combo.findData(proposal_id), 0))
        self.changes_label = QLabel()
        self.changes_label.setTextFormat(Qt.TextFormat.PlainText)
        self.changes_label.setWordWrap(True)
        self.meeting_combo = QComboBox()
        for meeting in self.meetings:
            word = STATUS_WORDS.get(meeting.status, str(meeting.status)).lower()
            self.meeting_combo.addItem(f"{format_date(meeting.day, locale)} ({word})", meeting.id)
        held = next((i for i, x in enumerate(self.meetings) if x.day <= status.as_of), 0)
        self.meeting_combo.setCurrentIndex(held)
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.accept_radio = QRadioButton("&Accepted: apply its library changes")
        self.reject_radio = QRadioButton("&Rejected: the library stays as it is")
        self.accept_radio.setChecked(True)
        self.outcome_group = QButtonGroup(self)
        self.outcome_group.addButton(self.accept_radio)
        self.outcome_group.addButton(self.reject_radio)
        form = QFormLayout()
        form.addRow("&Proposal:", self.proposal_combo)
        form.addRow("Changes:", self.changes_label)
        form.addRow("&Meeting:", self.meeting_combo)
        form.addRow("&Decided on:", self.date_edit)
        form.addRow("Outcome:", self.accept_radio)
        form.addRow("", self.reject_radio)
        self.buttons, self.record_button = dialog_buttons(self, "Record decision")
        self.record_button.clicked.connect(self.record)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        if not self.meetings:
            hint = QLabel("The committee has no meeting to record a decision at yet.")
            layout.addWidget(hint)
        layout.addWidget(self.buttons)
        self.proposal_combo.currentIndexChanged.connect(self._on_proposal)
        self.meeting_combo.currentIndexChanged.connect(self._on_meeting)
        self._on_proposal()
        self._on_meeting()
        self.record_button.setEnabled(bool(self.proposals and self.meetings))
        self.resize(560, self.sizeHint().height())

    def proposal(self) -> DecisionView | None:
        wanted = self.proposal_combo.currentData()
        return next((p for p in self.proposals if p.id == wanted), None)

    def _on_proposal(self) -> None:
        proposal = self.proposal()
        lines = [c.describe() for c in proposal.changes] if proposal else []
        self.changes_label.setText("\n".join(f"• {line}" for line in lines) or "None")

    def _on_meeting(self) -> None:
        index = self.meeting_combo.currentIndex()
        if 0 <= index < len(self.meetings):
            self.date_edit.setDate(_qdate(self.meetings[index].day))

    def outcome(self) -> str:
        return "accepted" if self.accept_radio.isChecked() else "rejected"

    def record(self) -> bool:
        proposal, meeting_id = self.proposal(), self.meeting_combo.currentData()
        if proposal is None or meeting_id is None:
            return False
        day = self.date_edit.date().toPython()
        count = len(proposal.changes)
        if self.outcome() == "accepted":
            what = (
                f" and apply its {count} library change{'s' if count != 1 else ''}" if count else ""
            )
            question = f"Record “{proposal.title}” as accepted{what}?"
        else:
            question = f"Record “{proposal.title}” as rejected? The library stays as it is."
        if not self.confirm(self, question):
            return False
        try:
            self.result = record_decision(
                self.store,
                proposal.id,
                int(meeting_id),
                day,
                self.outcome(),
                self.author,  # type: ignore[arg-type]
            )
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
        status: CommitteeStatus,
        proposals: Sequence[DecisionView],
        *,
        proposal_id: int | None = None,
        author: str = "",
    ) -> DecisionResult | None:
        dialog = cls(
            store, status, proposals, proposal_id=proposal_id, author=author, parent=parent
        )
        try:
            return dialog.result if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
