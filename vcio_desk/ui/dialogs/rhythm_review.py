"""Rhythm review: rhythms whose cadence no longer fits what happens, with the evidence.

Lists ``services.rhythm_review.suggestions`` (subject, meeting type, owner, why); for
the one selected it shows the recent slots (planned day, held day, delta, state),
the rule in force and the proposed one, each in words with its tolerance.
"Create new version…" asks for an effective date and a reason and calls ``accept``;
"Dismiss…" asks for a note and calls ``dismiss``. A refusal (a VcioDeskError) is
shown as its ``user_message`` and the prompt opens again with what was typed.

The prompts and the message box are instance attributes (``ask_version``,
``ask_note``, ``notify``) and pages open the dialog through
:meth:`RhythmReviewDialog.ask`, so tests replace them and nothing blocks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.domain.drift import SlotResult, SlotState
from vcio_desk.domain.errors import VcioDeskError
from vcio_desk.services.client_detail import author_name
from vcio_desk.services.drift import DriftReport, assess_all
from vcio_desk.services.rhythm_review import ReviewSuggestion, accept, dismiss, review_rhythms
from vcio_desk.services.rhythms import RhythmChangedError
from vcio_desk.store import Store
from vcio_desk.ui.dialogs.messages import show_message
from vcio_desk.ui.formatting import format_date

TITLE = "Rhythm review"
KEEP_RULE = "Keep the rule: the meetings that were held fit it; book the missed ones"

STATE_WORDS = {
    SlotState.ON_TIME: "On time",
    SlotState.EARLY: "Early (outside the window)",
    SlotState.LATE: "Late (outside the window)",
    SlotState.UPCOMING: "Upcoming",
    SlotState.DUE: "Due",
    SlotState.OVERDUE: "Overdue",
    SlotState.MISSED: "Missed",
}

VersionAsker = Callable[[QWidget, dt.date, str], "tuple[dt.date, str] | None"]
NoteAsker = Callable[[QWidget, str], "str | None"]
Notifier = Callable[[QWidget, str], None]


def delta_text(days: int | None) -> str:
    """``+8 d late``, ``−3 d early``, ``on the day``; empty when nothing was held."""
    if days is None:
        return ""
    if days > 0:
        return f"+{days} d late"
    if days < 0:
        return f"−{-days} d early"
    return "on the day"


def tolerance_text(days: int) -> str:
    if days == 0:
        return "on the day exactly"
    return f"within ±{days} day{'' if days == 1 else 's'}"


def rule_text(description: str, tolerance: int) -> str:
    return f"{description}, {tolerance_text(tolerance)}"


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


def _notify(parent: QWidget, message: str) -> None:
    show_message(parent, TITLE, message)


class NewVersionPrompt(QDialog):
    """Effective date (default: the review's date) and a required reason."""

    def __init__(self, default: dt.date, reason: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Create new version")
        self.setObjectName("review_version_prompt")
        self.date_edit = QDateEdit(_qdate(default))
        self.date_edit.setCalendarPopup(True)
        self.reason_edit = QLineEdit(reason)
        self.reason_edit.setMinimumWidth(360)
        self.reason_edit.setPlaceholderText("Why the rhythm changes (required)")
        form = QFormLayout()
        form.addRow("&Effective from:", self.date_edit)
        form.addRow("&Reason:", self.reason_edit)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Create version")
        self.reason_edit.textChanged.connect(lambda text: ok.setEnabled(bool(text.strip())))
        ok.setEnabled(bool(reason.strip()))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def value(self) -> tuple[dt.date, str]:
        return _pydate(self.date_edit.date()), self.reason_edit.text()

    @classmethod
    def ask(cls, parent: QWidget, default: dt.date, reason: str) -> tuple[dt.date, str] | None:
        dialog = cls(default, reason, parent)
        try:
            return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()


class DismissPrompt(QDialog):
    """A note saying why the suggestion does not apply (kept with the dismissal)."""

    def __init__(self, note: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Dismiss suggestion")
        self.setObjectName("review_dismiss_prompt")
        intro = QLabel(
            "The suggestion stays hidden until the evidence changes "
            "(a new held meeting, a different adherence figure)."
        )
        intro.setWordWrap(True)
        self.note_edit = QLineEdit(note)
        self.note_edit.setMinimumWidth(360)
        self.note_edit.setPlaceholderText("Why it does not apply, e.g. agreed with the client")
        form = QFormLayout()
        form.addRow("&Note:", self.note_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Dismiss")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)

    @classmethod
    def ask(cls, parent: QWidget, note: str) -> str | None:
        dialog = cls(note, parent)
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            return dialog.note_edit.text() if accepted else None
        finally:
            dialog.deleteLater()


def _item(text: str, tooltip: str | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    item.setToolTip(tooltip if tooltip is not None else text)
    return item


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table


class RhythmReviewDialog(QDialog):
    """The suggestions, the selected one's evidence and proposal, and accept / dismiss."""

    SUBJECT, MEETING_TYPE, OWNER, WHY = range(4)

    def __init__(
        self,
        store: Store,
        as_of: dt.date,
        report: DriftReport | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.setObjectName("rhythm_review_dialog")
        self._store = store
        self._as_of = as_of
        self._report = report if report is not None and report.as_of == as_of else None
        self._items: list[ReviewSuggestion] = []
        self.changed = False
        """True once a version was created or a suggestion dismissed (the caller refreshes)."""
        self.ask_version: VersionAsker = NewVersionPrompt.ask
        self.ask_note: NoteAsker = DismissPrompt.ask
        self.notify: Notifier = _notify

        intro = QLabel(
            f"Rhythms whose meetings no longer fit their cadence, as of "
            f"{format_date(as_of, QLocale())}. Check the evidence, then create a new "
            "version or dismiss the suggestion."
        )
        intro.setWordWrap(True)
        self.show_dismissed = QCheckBox("Show &dismissed")
        self.show_dismissed.setToolTip("Also list suggestions dismissed with a note")
        self.show_dismissed.toggled.connect(self.reload)
        self.count_label = QLabel()

        self.table = _table(["Subject", "Meeting type", "Owner", "Why"])
        self.table.setObjectName("review_suggestions")
        self.table.itemSelectionChanged.connect(self._show_selected)

        self.evidence = _table(["Planned", "Held", "Delta", "State"])
        self.evidence.setObjectName("review_evidence")
        self.evidence.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.current_label = QLabel()
        self.current_label.setObjectName("review_current")
        self.current_label.setTextFormat(Qt.TextFormat.PlainText)
        self.current_label.setWordWrap(True)
        self.proposed_label = QLabel()
        self.proposed_label.setObjectName("review_proposed")
        self.proposed_label.setTextFormat(Qt.TextFormat.PlainText)
        self.proposed_label.setWordWrap(True)
        self.empty_label = QLabel("No rhythm needs a review: every cadence fits what happens.")
        self.empty_label.setWordWrap(True)

        self.accept_button = QPushButton("Create new version…")
        self.accept_button.setToolTip("Add a version of the rhythm with the proposed rule")
        self.accept_button.clicked.connect(self.create_version)
        self.dismiss_button = QPushButton("Dismiss…")
        self.dismiss_button.setToolTip("Hide this suggestion until its evidence changes")
        self.dismiss_button.clicked.connect(self.dismiss_selected)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)

        details = QGroupBox("Selected rhythm")
        rules = QFormLayout()
        rules.addRow("Current rule:", self.current_label)
        rules.addRow("Proposed:", self.proposed_label)
        detail_layout = QVBoxLayout(details)
        detail_layout.addWidget(QLabel("Recent held meetings (oldest first):"))
        detail_layout.addWidget(self.evidence, 1)
        detail_layout.addLayout(rules)
        actions = QHBoxLayout()
        actions.addWidget(self.accept_button)
        actions.addWidget(self.dismiss_button)
        actions.addStretch(1)
        detail_layout.addLayout(actions)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(details)
        splitter.setChildrenCollapsible(False)

        top = QHBoxLayout()
        top.addWidget(self.count_label, 1)
        top.addWidget(self.show_dismissed)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addWidget(self.empty_label)
        layout.addWidget(splitter, 1)
        layout.addWidget(close)
        self.resize(900, 620)
        self.reload()

    # -- public ------------------------------------------------------------------------------

    def suggestions(self) -> list[ReviewSuggestion]:
        """The suggestions listed, in table order."""
        return list(self._items)

    def selected(self) -> ReviewSuggestion | None:
        rows = self.table.selectionModel().selectedRows()
        return self._items[rows[0].row()] if rows else None

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)

    def reload(self) -> None:
        """List the suggestions again (the drift report is recomputed only when missing)."""
        keep = self.selected()
        keep_id = keep.rhythm.rhythm_id if keep else None
        report = self._drift_report()
        listed = review_rhythms(
            self._store, report, include_dismissed=self.show_dismissed.isChecked()
        )
        shown = listed.suggestions
        self._items = shown
        self.table.blockSignals(True)
        self.table.setRowCount(len(shown))
        for row, s in enumerate(shown):
            why = s.why
            if s.dismissed:
                why = f"Dismissed · {why}"
            self.table.setItem(row, self.SUBJECT, _item(s.rhythm.subject))
            self.table.setItem(row, self.MEETING_TYPE, _item(s.rhythm.meeting_type))
            self.table.setItem(row, self.OWNER, _item(s.rhythm.owner or "—"))
            self.table.setItem(row, self.WHY, _item(why))
        self.table.blockSignals(False)
        count = len(shown)
        text = f"{count} suggestion{'' if count == 1 else 's'}"
        if listed.replanned:
            text += f" · {listed.replanned} more already re-planned (a version from this date on)"
        self.count_label.setText(text)
        self.empty_label.setVisible(count == 0)
        ids = [s.rhythm.rhythm_id for s in shown]
        if count:
            self.table.selectRow(ids.index(keep_id) if keep_id in ids else 0)
        self._show_selected()

    def create_version(self) -> None:
        """Ask for the effective date and reason, then create the proposed version."""
        suggestion = self.selected()
        if suggestion is None or not suggestion.has_change:
            return
        effective = self._as_of
        reason = f"Rhythm review: {suggestion.proposed_description}"
        while True:
            answer = self.ask_version(self, effective, reason)
            if answer is None:
                return
            effective, reason = answer
            try:
                accept(
                    self._store,
                    suggestion,
                    effective_from=effective,
                    reason=reason.strip(),
                    author=author_name(self._store),
                )
            except RhythmChangedError as err:
                # Asking again would repeat the out-of-date suggestion: show the rhythm as it is.
                self.notify(self, err.user_message)
                self._report = None
                self.reload()
                return
            except VcioDeskError as err:
                self.notify(self, err.user_message)
                continue  # ask again with what was typed
            break
        self.changed = True
        self._report = None  # the new version changes the rhythm's slots
        self.reload()

    def dismiss_selected(self) -> None:
        """Ask for a note, then hide the suggestion until its evidence changes."""
        suggestion = self.selected()
        if suggestion is None:
            return
        note = ""
        while True:
            answer = self.ask_note(self, note)
            if answer is None:
                return
            note = answer
            try:
                dismiss(self._store, suggestion, note=note, author=author_name(self._store))
            except VcioDeskError as err:
                self.notify(self, err.user_message)
                continue
            break
        self.changed = True
        self.reload()

    @classmethod
    def ask(
        cls,
        parent: QWidget,
        store: Store,
        as_of: dt.date,
        report: DriftReport | None = None,
    ) -> bool:
        """Open the review modally; True when something was changed."""
        dialog = cls(store, as_of, report, parent)
        try:
            dialog.exec()
            return dialog.changed
        finally:
            dialog.deleteLater()

    # -- internals ---------------------------------------------------------------------------

    def _drift_report(self) -> DriftReport:
        if self._report is None:
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                self._report = assess_all(self._store, self._as_of)
            finally:
                QGuiApplication.restoreOverrideCursor()
        return self._report

    def _show_selected(self) -> None:
        suggestion = self.selected()
        self.evidence.setRowCount(0)
        if suggestion is None:
            self.current_label.setText("")
            self.proposed_label.setText("")
            self.accept_button.setEnabled(False)
            self.dismiss_button.setEnabled(False)
            return
        locale = QLocale()
        self.evidence.setRowCount(len(suggestion.evidence))
        for row, slot in enumerate(suggestion.evidence):
            self._evidence_row(row, slot, locale)
        self.current_label.setText(
            rule_text(suggestion.current_description, suggestion.current_tolerance)
        )
        if suggestion.has_change:
            self.proposed_label.setText(
                rule_text(suggestion.proposed_description, suggestion.proposed_tolerance)
            )
        else:
            self.proposed_label.setText(KEEP_RULE)
        self.accept_button.setEnabled(suggestion.has_change)
        self.dismiss_button.setEnabled(not suggestion.dismissed)

    def _evidence_row(self, row: int, slot: SlotResult, locale: QLocale) -> None:
        window = tolerance_text(slot.tolerance_days)
        self.evidence.setItem(row, 0, _item(format_date(slot.nominal, locale), f"Planned {window}"))
        self.evidence.setItem(row, 1, _item(format_date(slot.held, locale)))
        self.evidence.setItem(row, 2, _item(delta_text(slot.delta_days)))
        self.evidence.setItem(row, 3, _item(STATE_WORDS.get(slot.state, str(slot.state))))
