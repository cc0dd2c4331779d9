"""The Committee tab: the committee's rhythm, its proposals and its meetings.

On top, the flag of the committee's own rhythm with its reason (from the drift
service) and the next meeting. Left, pending proposals (New, Edit, Record
decision…) and past meetings; right, the one selected in full: a meeting's agenda,
minutes and decisions with the library changes they made, or a proposal's text and
changes. Opening a meeting (double-click, Enter, "Open meeting") emits the page's
``meeting_activated``. The detail is rich text built from escaped user text.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.domain.markup import BlockKind, parse
from vcio_desk.services.committee import CommitteeMeeting, CommitteeStatus, DecisionView
from vcio_desk.ui.formatting import format_date
from vcio_desk.ui.models.standards_models import (
    DECISION_WORDS,
    STATUS_WORDS,
    meetings_model,
    proposals_model,
)
from vcio_desk.ui.models.standards_rows import selected, size_columns
from vcio_desk.ui.widgets.tables import row_table

if TYPE_CHECKING:
    from vcio_desk.ui.pages.standards_page import StandardsPage


def _text(value: str) -> str:
    """User text as rich text: escaped, line breaks kept."""
    return html.escape(value).replace("\n", "<br>")


def notes_html(text: str) -> str:
    """Meeting notes in their simple markup (lists, *emphasis*, **strong**) as rich text."""
    out: list[str] = []
    open_list = ""
    for block in parse(text):
        runs = "".join(
            ("<b>" if run.bold else "")
            + ("<i>" if run.italic else "")
            + _text(run.text)
            + ("</i>" if run.italic else "")
            + ("</b>" if run.bold else "")
            for run in block.runs
        )
        tag = {BlockKind.BULLET: "ul", BlockKind.NUMBERED: "ol"}.get(block.kind, "")
        if tag != open_list:
            out.append(f"</{open_list}>" if open_list else "")
            out.append(f"<{tag}>" if tag else "")
            open_list = tag
        out.append(f"<li>{runs}</li>" if tag else f"<p>{runs}</p>")
    if open_list:
        out.append(f"</{open_list}>")
    return "".join(out)


def meeting_html(meeting: CommitteeMeeting, locale: QLocale) -> str:
    status = STATUS_WORDS.get(meeting.status, str(meeting.status)).lower()
    parts = [f"<h3>Committee meeting, {_text(format_date(meeting.day, locale))} ({status})</h3>"]
    if meeting.agenda:
        items = "".join(
            f"<li>{_text(a.title)} <span style='color:gray'>({a.minutes} min"
            + (f", {_text(a.presenter)}" if a.presenter else "")
            + ")</span>"
            + (f"<br>{_text(a.notes)}" if a.notes else "")
            + "</li>"
            for a in meeting.agenda
        )
        parts.append(f"<h4>Agenda</h4><ol>{items}</ol>")
    else:
        parts.append("<h4>Agenda</h4><p><i>None recorded.</i></p>")
    parts.append("<h4>Minutes</h4>")
    parts.append(notes_html(meeting.minutes) or "<p><i>None recorded.</i></p>")
    if meeting.internal_notes:
        parts.append(f"<h4>Internal notes</h4>{notes_html(meeting.internal_notes)}")
    if meeting.decisions_text:
        parts.append(f"<h4>Decisions noted</h4>{notes_html(meeting.decisions_text)}")
    parts.append("<h4>Decisions recorded</h4>")
    if meeting.decisions:
        parts += [decision_html(d, locale, heading=False) for d in meeting.decisions]
    else:
        parts.append("<p><i>None.</i></p>")
    return "".join(parts)


def decision_html(decision: DecisionView, locale: QLocale, *, heading: bool = True) -> str:
    word = DECISION_WORDS.get(decision.status, decision.status)
    title = _text(decision.title)
    parts = [f"<h3>{title}</h3>" if heading else f"<p><b>{word}:</b> {title}</p>"]
    if heading:
        on = format_date(decision.created_at.astimezone().date(), locale)
        parts.append(f"<p style='color:gray'>{word} · proposed on {_text(on)}</p>")
    if decision.description:
        parts.append(f"<p>{_text(decision.description)}</p>")
    if decision.changes:
        items = "".join(f"<li>{_text(c.describe())}</li>" for c in decision.changes)
        parts.append(f"<ul>{items}</ul>")
    elif heading:
        parts.append("<p><i>No library changes.</i></p>")
    if decision.applied:
        noun = "change" if decision.applied == 1 else "changes"
        parts.append(f"<p style='color:gray'>{decision.applied} library {noun} recorded.</p>")
    return "".join(parts)


def _group(title: str, *widgets: QWidget | QHBoxLayout) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    for widget in widgets:
        if isinstance(widget, QHBoxLayout):
            layout.addLayout(widget)
        else:
            layout.addWidget(widget, 1)
    return box


class CommitteeTab(QWidget):
    def __init__(self, page: StandardsPage) -> None:
        super().__init__(page)
        self.page = page
        self.status: CommitteeStatus | None = None
        self.locale = QLocale()
        self.proposals = proposals_model(self, self.locale)
        self.meetings = meetings_model(self, self.locale)

        self.chip: QWidget | None = None
        """The flag chip, made with the first status (its module loads with the drift table's)."""
        self.body_label = QLabel("Standards committee")
        font = self.body_label.font()
        font.setBold(True)
        self.body_label.setFont(font)
        self.reason_label = QLabel("Loading the committee…")
        self.reason_label.setObjectName("committee_reason")
        self.reason_label.setTextFormat(Qt.TextFormat.PlainText)
        self.reason_label.setWordWrap(True)
        self.next_label = QLabel()
        self.next_label.setObjectName("committee_next")
        self.next_label.setTextFormat(Qt.TextFormat.PlainText)
        self.open_next_button = QPushButton("Open next meeting")
        self.open_next_button.clicked.connect(self.open_next_meeting)
        head = self.head = QHBoxLayout()
        head.addWidget(self.body_label)
        head.addSpacing(12)
        head.addWidget(self.next_label, 1)
        head.addWidget(self.open_next_button)

        self.proposal_table = self._table(self.proposals, "proposals_table")
        size_columns(
            self.proposal_table, ("Set the priority of BKP-009 to high", None, "2026-12-31")
        )
        self.new_button = QPushButton("New proposal…")
        self.edit_button = QPushButton("Edit proposal…")
        self.decide_button = QPushButton("Record decision…")
        self.new_button.clicked.connect(self.new_proposal)
        self.edit_button.clicked.connect(self.edit_proposal)
        self.decide_button.clicked.connect(self.record_decision)
        self.decide_button.setToolTip("What a committee meeting decided about the proposal")
        proposal_buttons = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.decide_button):
            proposal_buttons.addWidget(button)
        proposal_buttons.addStretch(1)
        self.proposal_group = _group("Pending proposals", self.proposal_table, proposal_buttons)

        self.meeting_table = self._table(self.meetings, "committee_meetings_table")
        size_columns(self.meeting_table, ("2026-12-31", "Cancelled", "1 accepted", None))
        self.meeting_table.activated.connect(lambda _index: self.open_meeting())
        self.open_button = QPushButton("Open meeting")
        self.open_button.setToolTip("Agenda, attendees, notes and actions (Enter)")
        self.open_button.clicked.connect(self.open_meeting)
        self.log_button = QPushButton("Changes made…")
        self.log_button.setToolTip("The library changes of this meeting's decisions")
        self.log_button.clicked.connect(self.show_meeting_changes)
        meeting_buttons = QHBoxLayout()
        meeting_buttons.addWidget(self.open_button)
        meeting_buttons.addWidget(self.log_button)
        meeting_buttons.addStretch(1)
        self.meeting_group = _group("Past meetings", self.meeting_table, meeting_buttons)

        self.detail = QTextBrowser()
        self.detail.setObjectName("committee_detail")
        self.detail.setOpenLinks(False)
        self.detail.setPlaceholderText("Select a proposal or a meeting to read it in full.")
        left = QSplitter(Qt.Orientation.Vertical)
        left.setChildrenCollapsible(False)
        left.addWidget(self.proposal_group)
        left.addWidget(self.meeting_group)
        left.setStretchFactor(1, 2)
        left.setSizes([200, 440])
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        split.addWidget(left)
        split.addWidget(self.detail)
        split.setSizes([660, 460])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.reason_label)
        layout.addWidget(split, 1)
        self.proposal_table.selectionModel().selectionChanged.connect(
            lambda *_: self._show_proposal()
        )
        self.meeting_table.selectionModel().selectionChanged.connect(
            lambda *_: self._show_meeting()
        )
        self._update_buttons()

    def _table(self, model: object, name: str) -> QTableView:
        table = row_table(model, name=name, sortable=True, stretch_last=False)  # type: ignore[arg-type]
        table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        return table

    # -- data ----------------------------------------------------------------------------------

    def set_status(self, status: CommitteeStatus) -> None:
        self.status = status
        self.body_label.setText(status.body or "Standards committee")
        self.reason_label.setText(status.reason)
        if status.flag is not None:
            if self.chip is None:
                from vcio_desk.ui.models.drift_model import FlagChip

                self.chip = FlagChip()
                self.head.insertWidget(0, self.chip)
            self.chip.set_flag(status.flag)  # type: ignore[attr-defined]
            self.chip.show()
        elif self.chip is not None:
            self.chip.hide()
        nxt = status.next_meeting
        if nxt is None:
            self.next_label.setText("No upcoming meeting scheduled")
        else:
            word = STATUS_WORDS.get(nxt.status, str(nxt.status)).lower()
            self.next_label.setText(f"Next meeting: {format_date(nxt.day, self.locale)} ({word})")
        self.proposal_group.setTitle(f"Pending proposals ({len(status.pending)})")
        self.meeting_group.setTitle(f"Past meetings ({len(status.past)})")
        keep_proposal = self.current_proposal()
        keep_meeting = self.current_meeting()
        self.proposals.set_rows(status.pending)
        self.meetings.set_rows(status.past)
        if not (self.proposal_table.selectionModel().hasSelection() or keep_meeting):
            self._select(self.meeting_table, 0)  # the latest meeting, read in full
        if keep_proposal is not None:
            self._select(
                self.proposal_table, self.proposals.find(lambda d: d.id == keep_proposal.id)
            )
        elif keep_meeting is not None:
            self._select(self.meeting_table, self.meetings.find(lambda x: x.id == keep_meeting.id))
        self._update_buttons()

    def _select(self, table: QTableView, row: int) -> None:
        if row >= 0:
            table.selectRow(row)

    def current_proposal(self) -> DecisionView | None:
        return selected(self.proposal_table, self.proposals)

    def current_meeting(self) -> CommitteeMeeting | None:
        return selected(self.meeting_table, self.meetings)

    def show_failure(self, message: str) -> None:
        self.reason_label.setText(f"Could not read the committee: {message}")

    # -- events --------------------------------------------------------------------------------

    def _show_proposal(self) -> None:
        proposal = self.current_proposal()
        if proposal is not None:
            self.meeting_table.clearSelection()
            self.detail.setHtml(decision_html(proposal, self.locale))
        self._update_buttons()

    def _show_meeting(self) -> None:
        meeting = self.current_meeting()
        if meeting is not None:
            self.proposal_table.clearSelection()
            self.detail.setHtml(meeting_html(meeting, self.locale))
        self._update_buttons()

    def _update_buttons(self) -> None:
        writable = not self.page.read_only and self.status is not None
        has_committee = self.status is not None and self.status.body_id is not None
        self.new_button.setEnabled(writable and self.page.tree is not None)
        self.edit_button.setEnabled(writable and self.current_proposal() is not None)
        self.decide_button.setEnabled(
            writable and has_committee and bool(self.proposals.rowCount())
        )
        meeting = self.current_meeting()
        self.open_button.setEnabled(meeting is not None)
        self.log_button.setEnabled(
            meeting is not None and any(d.applied for d in meeting.decisions)
        )
        self.open_next_button.setEnabled(
            self.status is not None and self.status.next_meeting is not None
        )

    # -- actions -------------------------------------------------------------------------------

    def open_meeting(self) -> None:
        meeting = self.current_meeting()
        if meeting is not None:
            self.page.meeting_activated.emit(meeting.id)

    def open_next_meeting(self) -> None:
        if self.status is not None and self.status.next_meeting is not None:
            self.page.meeting_activated.emit(self.status.next_meeting.id)

    def show_meeting_changes(self) -> None:
        meeting = self.current_meeting()
        applied = [d for d in meeting.decisions if d.applied] if meeting else []
        if applied:
            self.page.show_decision(applied[0].id, applied[0].title)

    def new_proposal(self) -> None:
        if self.page.tree is None or self.page.read_only:
            return
        saved = self.page.ask_proposal(
            self, self.page.store, self.page.tree, None, author=self.page.author()
        )
        if saved is not None:
            self.page.reload_committee()

    def edit_proposal(self) -> None:
        proposal = self.current_proposal()
        if proposal is None or self.page.tree is None or self.page.read_only:
            return
        saved = self.page.ask_proposal(
            self, self.page.store, self.page.tree, proposal, author=self.page.author()
        )
        if saved is not None:
            self.page.reload_committee()

    def record_decision(self) -> None:
        if self.status is None or self.page.read_only:
            return
        chosen = self.current_proposal()
        result = self.page.ask_decision(
            self,
            self.page.store,
            self.status,
            list(self.status.pending),
            proposal_id=chosen.id if chosen else None,
            author=self.page.author(),
        )
        if result is not None:
            self.page.changed(committee=True)
