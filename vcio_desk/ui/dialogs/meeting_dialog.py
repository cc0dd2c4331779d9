"""One meeting's lifecycle from the GUI: confirm, reschedule, cancel, mark held, and undo.

Each action is a :class:`MeetingCommand` on the Year page's ``QUndoStack``: its
``redo`` calls the service (``services.meetings``) and keeps the state it found,
its ``undo`` hands that state to ``restore_meeting``. A refused action (a held
date in the future, a cancelled meeting...) never reaches the stack; its
``user_message`` is shown instead. The small questions (new date, reason, held
date) are asked through replaceable callables, so tests never block on them.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, cast

from PySide6.QtCore import QDate, QLocale, QObject, Qt, QTime, QTimer
from PySide6.QtGui import QAction, QFont, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTimeEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.domain.errors import VcioDeskError
from vcio_desk.domain.vocab import MeetingStatus
from vcio_desk.store import Store
from vcio_desk.ui.dialogs.messages import show_message
from vcio_desk.ui.formatting import format_date
from vcio_desk.ui.workers import GENERIC_FAILURE

if TYPE_CHECKING:
    from vcio_desk.services.meetings import MeetingChange, MeetingSnapshot

# services.meetings is imported where it is used: it pulls in the calendar library,
# which start-up must not pay for (the Year page is built with the main window).

log = logging.getLogger(__name__)

Apply = Callable[[], "MeetingChange"]
RescheduleAsker = Callable[[QWidget, dt.datetime, str], "tuple[dt.date, dt.time] | None"]
ReasonAsker = Callable[[QWidget, str], "str | None"]
DateAsker = Callable[[QWidget, dt.date], "dt.date | None"]
Notifier = Callable[[QWidget, str], None]

STATUS_TEXT = {
    MeetingStatus.PROPOSED: "○ Proposed (not agreed with the attendees yet)",
    MeetingStatus.CONFIRMED: "● Confirmed",
    MeetingStatus.HELD: "✓ Held",
    MeetingStatus.CANCELLED: "⊘ Cancelled",
}


def _warn(parent: QWidget, message: str) -> None:
    show_message(parent, "Meeting", message)


class MeetingCommand(QUndoCommand):
    """One lifecycle change: ``redo`` applies it through the service, ``undo`` restores."""

    def __init__(self, store: Store, text: str, apply: Apply, report: Callable[[str], None]):
        super().__init__(text)
        self._store = store
        self._apply = apply
        self._report = report
        self._before: MeetingSnapshot | None = None
        self._after: MeetingSnapshot | None = None

    def redo(self) -> None:
        try:
            change = self._apply()
        except Exception as exc:  # reported, never raised into Qt
            self._fail(exc)
            return
        self._before, self._after = change.before, change.after
        if not change.changed:
            self.setObsolete(True)  # nothing happened: nothing to undo

    def undo(self) -> None:
        """Put the meeting back, unless it was changed elsewhere since (then say so)."""
        if self._before is None or self._after is None:
            return
        from vcio_desk.services.undo_support import restore_meeting_checked

        try:
            restore_meeting_checked(self._store, expected=self._after, target=self._before)
        except Exception as exc:
            self._fail(exc)

    def _fail(self, exc: Exception) -> None:
        if isinstance(exc, VcioDeskError):
            message = exc.user_message
        else:
            log.error("meeting change failed", exc_info=exc)
            message = GENERIC_FAILURE
        self.setObsolete(True)  # the stack drops a command that cannot be done or undone
        self._report(message)


def undo_action(stack: QUndoStack, parent: QObject, *, redo: bool) -> QAction:
    """An Undo (or Redo) action for ``stack`` with the platform's shortcuts, owned by ``parent``.

    Each window makes its own: an action shared with a dialog would die with the dialog.
    """
    if redo:
        action = stack.createRedoAction(parent, "Redo")
        action.setShortcuts(QKeySequence.StandardKey.Redo)
    else:
        action = stack.createUndoAction(parent, "Undo")
        action.setShortcuts(QKeySequence.StandardKey.Undo)
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.setObjectName("redo" if redo else "undo")
    return action


class MeetingActions(QObject):
    """The Year page's undoable meeting changes: one undo stack, one place for errors."""

    def __init__(self, store: Store, as_of: Callable[[], dt.date], widget: QWidget) -> None:
        super().__init__(widget)
        self.store = store
        self.as_of = as_of
        self._widget = widget
        self.stack = QUndoStack(self)
        self.notify: Notifier = _warn
        self._captured: list[str] | None = None
        self.undo_action = undo_action(self.stack, self, redo=False)
        self.redo_action = undo_action(self.stack, self, redo=True)

    def perform(self, text: str, apply: Apply) -> str | None:
        """Do ``apply`` as an undoable step; the refusal's message, or None when it worked."""
        return self.push(MeetingCommand(self.store, text, apply, self.report))

    def push(self, command: QUndoCommand) -> str | None:
        """Push any command that hands its failures to :meth:`report`; the message, or None."""
        captured: list[str] = []
        self._captured = captured
        try:
            self.stack.push(command)
        finally:
            self._captured = None
        return captured[0] if captured else None

    def report(self, message: str) -> None:
        """A command failed: returned by :meth:`push`, or shown once undo/redo has finished."""
        if self._captured is not None:
            self._captured.append(message)
        else:  # from undo/redo: show it once the stack has finished its step
            QTimer.singleShot(0, lambda: self.notify(self._widget, message))


@dataclass(frozen=True, slots=True)
class MeetingHeader:
    """What the grid already knows about the meeting: its names, not its state."""

    meeting_id: int
    subject: str
    meeting_type: str
    owner: str
    slot: dt.date | None


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


class RescheduleDialog(QDialog):
    """A new day (calendar popup) and start time, on the meeting's own clock."""

    def __init__(self, current: dt.datetime, zone: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Reschedule meeting")
        self.setObjectName("reschedule_dialog")
        self.date_edit = QDateEdit(_qdate(current.date()))
        self.date_edit.setCalendarPopup(True)
        self.time_edit = QTimeEdit(QTime(current.hour, current.minute))
        self.time_edit.setDisplayFormat("HH:mm")
        note = QLabel(
            f"Times are on the meeting's own clock ({zone}). It stays linked to its slot."
        )
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow("&Date:", self.date_edit)
        form.addRow("&Time:", self.time_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Reschedule")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def value(self) -> tuple[dt.date, dt.time]:
        clock = self.time_edit.time()
        return _pydate(self.date_edit.date()), dt.time(clock.hour(), clock.minute())

    @classmethod
    def ask(
        cls, parent: QWidget, current: dt.datetime, zone: str
    ) -> tuple[dt.date, dt.time] | None:
        dialog = cls(current, zone, parent)
        try:
            return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()


class CancelDialog(QDialog):
    """Why the meeting is cancelled; the reason is required (OK stays off until given)."""

    def __init__(self, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Cancel meeting")
        self.setObjectName("cancel_dialog")
        intro = QLabel(f"Cancel {what}? The reason is kept with the rhythm's history.")
        intro.setWordWrap(True)
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setPlaceholderText("Reason (required), e.g. “Client asked to skip Q3”")
        self.reason_edit.setTabChangesFocus(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Cancel meeting")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Keep it")
        self.ok_button.setEnabled(False)
        self.reason_edit.textChanged.connect(
            lambda: self.ok_button.setEnabled(bool(self.reason().strip()))
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.reason_edit)
        layout.addWidget(self.buttons)
        self.resize(420, 220)

    def reason(self) -> str:
        return self.reason_edit.toPlainText()

    def accept(self) -> None:
        if self.reason().strip():
            super().accept()

    @classmethod
    def ask(cls, parent: QWidget, what: str) -> str | None:
        dialog = cls(what, parent)
        try:
            return dialog.reason() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()


class HeldDialog(QDialog):
    """The day it was held, defaulting to the scheduled day."""

    def __init__(self, default: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Mark held")
        self.setObjectName("held_dialog")
        self.date_edit = QDateEdit(_qdate(default))
        self.date_edit.setCalendarPopup(True)
        form = QFormLayout()
        form.addRow("&Held on:", self.date_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Mark held")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def value(self) -> dt.date:
        return _pydate(self.date_edit.date())

    @classmethod
    def ask(cls, parent: QWidget, default: dt.date) -> dt.date | None:
        dialog = cls(default, parent)
        try:
            return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()


class Timed(Protocol):
    """What the lifecycle needs of a meeting's state: its local start and its zone."""

    @property
    def local_start(self) -> dt.datetime: ...

    @property
    def timezone(self) -> str: ...


def lifecycle_allowed(status: MeetingStatus | None) -> dict[str, bool]:
    """Which lifecycle buttons a meeting in ``status`` enables (None: it is gone)."""
    open_ = status in (MeetingStatus.PROPOSED, MeetingStatus.CONFIRMED)
    return {
        "confirm": status is MeetingStatus.PROPOSED,
        "reschedule": open_,
        "cancel": open_,
        "held": open_ or status is MeetingStatus.HELD,
    }


class LifecycleMixin:
    """Confirm, reschedule, cancel and mark held through :class:`MeetingActions`.

    Shared by the Year page's :class:`MeetingDialog` and the meeting page, which provide
    ``actions``, ``snapshot``, the askers, ``notify``, ``meeting_id``, ``_what()`` and
    ``refresh()``. Each returns True when the change was made.
    """

    actions: MeetingActions
    snapshot: Timed | None
    ask_reschedule: RescheduleAsker
    ask_cancel_reason: ReasonAsker
    ask_held_date: DateAsker
    notify: Notifier

    @property
    def meeting_id(self) -> int:
        raise NotImplementedError

    def _what(self) -> str:
        raise NotImplementedError

    def refresh(self) -> None:
        raise NotImplementedError

    @property
    def _widget(self) -> QWidget:
        """The window the questions and messages belong to (the class mixed into)."""
        return cast(QWidget, self)

    def _perform(self, verb: str, apply: Apply) -> bool:
        error = self.actions.perform(f"{verb} {self._what()}", apply)
        self.refresh()
        if error:
            self.notify(self._widget, error)
            return False
        return True

    def confirm(self) -> bool:
        from vcio_desk.services import meetings as service

        store, meeting_id = self.actions.store, self.meeting_id
        return self._perform("Confirm", lambda: service.confirm_meeting(store, meeting_id))

    def reschedule(self) -> bool:
        from vcio_desk.services import meetings as service

        if self.snapshot is None:
            return False
        snapshot = self.snapshot
        answer = self.ask_reschedule(self._widget, snapshot.local_start, snapshot.timezone)
        if answer is None:
            return False
        day, clock = answer
        store, meeting_id = self.actions.store, self.meeting_id
        return self._perform(
            "Reschedule", lambda: service.reschedule_meeting(store, meeting_id, day, clock)
        )

    def cancel_meeting(self) -> bool:
        from vcio_desk.services import meetings as service

        reason = self.ask_cancel_reason(self._widget, f"the {self._what()}")
        if reason is None:
            return False
        store, meeting_id = self.actions.store, self.meeting_id
        return self._perform("Cancel", lambda: service.cancel_meeting(store, meeting_id, reason))

    def mark_held(self) -> bool:
        from vcio_desk.services import meetings as service

        if self.snapshot is None:
            return False
        default = self.snapshot.local_start.date()
        day = self.ask_held_date(self._widget, default)
        if day is None:
            return False
        store, meeting_id, as_of = self.actions.store, self.meeting_id, self.actions.as_of()
        return self._perform(
            "Mark held", lambda: service.mark_held(store, meeting_id, day, as_of=as_of)
        )


def when_text(start: dt.datetime, end: dt.datetime, zone: str, locale: QLocale) -> str:
    """ "Mon 7 Dec 2026, 10:00–11:30 (America/Los_Angeles)": on the meeting's own clock."""
    end = end.astimezone(start.tzinfo)
    day = locale.dayName(_qdate(start.date()).dayOfWeek(), QLocale.FormatType.ShortFormat)
    if locale.language() == QLocale.Language.C:
        day = f"{start:%a}"
    return f"{day} {format_date(start.date(), locale)}, {start:%H:%M}–{end:%H:%M} ({zone})"


def status_text(
    status: MeetingStatus, held_date: dt.date | None, cancel_reason: str, locale: QLocale
) -> str:
    text = STATUS_TEXT[status]
    if status is MeetingStatus.HELD and held_date:
        text += f" on {format_date(held_date, locale)}"
    if status is MeetingStatus.CANCELLED and cancel_reason:
        text += f": {cancel_reason}"
    return text


class MeetingDialog(LifecycleMixin, QDialog):
    """A meeting's facts and its lifecycle buttons; every change is undoable."""

    def __init__(
        self,
        header: MeetingHeader,
        actions: MeetingActions,
        parent: QWidget | None = None,
        *,
        open_page: Callable[[int], object] | None = None,
    ) -> None:
        super().__init__(parent)
        self.header = header
        self.actions = actions
        self._open_page = open_page
        self.snapshot: MeetingSnapshot | None = None
        self.ask_reschedule: RescheduleAsker = RescheduleDialog.ask
        self.ask_cancel_reason: ReasonAsker = CancelDialog.ask
        self.ask_held_date: DateAsker = HeldDialog.ask
        self.notify: Notifier = lambda parent, text: actions.notify(parent, text)
        self._locale = QLocale()
        self.setObjectName("meeting_dialog")
        self.setWindowTitle(f"{header.meeting_type} — {header.subject}")

        title = QLabel(header.meeting_type)
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        title.setFont(font)
        self.subject_label = QLabel(header.subject)
        self.when_label = QLabel()
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.slot_label = QLabel(format_date(header.slot, self._locale) or "none (not planned)")
        self.owner_label = QLabel(header.owner or "no owner")
        for label in (self.subject_label, self.when_label, self.status_label):
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout()
        form.addRow("Subject:", self.subject_label)
        form.addRow("When:", self.when_label)
        form.addRow("Status:", self.status_label)
        form.addRow("Slot:", self.slot_label)
        form.addRow("Owner:", self.owner_label)

        self.confirm_button = QPushButton("&Confirm")
        self.reschedule_button = QPushButton("&Reschedule…")
        self.cancel_button = QPushButton("Cancel &meeting…")
        self.held_button = QPushButton("Mark &held…")
        self.close_button = QPushButton("Close")
        self.confirm_button.clicked.connect(self.confirm)
        self.reschedule_button.clicked.connect(self.reschedule)
        self.cancel_button.clicked.connect(self.cancel_meeting)
        self.held_button.clicked.connect(self.mark_held)
        self.close_button.clicked.connect(self.accept)
        self.close_button.setAutoDefault(False)
        row = QHBoxLayout()
        for button in (
            self.confirm_button,
            self.reschedule_button,
            self.cancel_button,
            self.held_button,
        ):
            button.setAutoDefault(False)
            row.addWidget(button)
        undo_row = QHBoxLayout()
        self.undo_action = undo_action(actions.stack, self, redo=False)
        self.redo_action = undo_action(actions.stack, self, redo=True)
        for action in (self.undo_action, self.redo_action):
            self.addAction(action)  # Ctrl+Z / Ctrl+Shift+Z work while the dialog is open
            tool = QToolButton()
            tool.setDefaultAction(action)
            tool.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            undo_row.addWidget(tool)
        undo_row.addStretch(1)
        self.page_button = QPushButton("Open meeting &page")
        self.page_button.setObjectName("open_meeting_page")
        self.page_button.setToolTip(
            "Agenda, attendees, prep checklist, notes and actions of this meeting (Ctrl+O)"
        )
        self.page_button.setAutoDefault(False)
        self.page_button.clicked.connect(self.open_page)
        self.page_button.setVisible(open_page is not None)
        self.page_action = QAction("Open meeting page", self)
        self.page_action.setShortcut(QKeySequence.StandardKey.Open)
        self.page_action.setEnabled(open_page is not None)
        self.page_action.triggered.connect(self.open_page)
        self.addAction(self.page_action)
        undo_row.addWidget(self.page_button)
        undo_row.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addSpacing(6)
        layout.addLayout(row)
        layout.addLayout(undo_row)
        actions.stack.indexChanged.connect(self.refresh)
        self.setMinimumWidth(520)
        self.refresh()

    # -- state -------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the meeting again and enable what its state allows."""
        from vcio_desk.services.meetings import snapshot_meeting

        try:
            self.snapshot = snapshot_meeting(self.actions.store, self.header.meeting_id)
        except VcioDeskError as err:
            self.snapshot = None
            self.status_label.setText(err.user_message)
            self.when_label.setText("")
        else:
            self.when_label.setText(self.when_text(self.snapshot))
            self.status_label.setText(self.status_text(self.snapshot))
        allowed = lifecycle_allowed(self.snapshot.status if self.snapshot else None)
        self.confirm_button.setEnabled(allowed["confirm"])
        self.reschedule_button.setEnabled(allowed["reschedule"])
        self.cancel_button.setEnabled(allowed["cancel"])
        self.held_button.setEnabled(allowed["held"])

    def when_text(self, snapshot: MeetingSnapshot) -> str:
        start = snapshot.local_start
        return when_text(start, snapshot.scheduled_end, snapshot.timezone, self._locale)

    def status_text(self, snapshot: MeetingSnapshot) -> str:
        return status_text(
            snapshot.status, snapshot.held_date, snapshot.cancel_reason, self._locale
        )

    @property
    def meeting_id(self) -> int:
        return self.header.meeting_id

    def open_page(self) -> bool:
        """Close this dialog and show the meeting's own page (where it is prepared)."""
        if self._open_page is None:
            return False
        self.accept()
        self._open_page(self.header.meeting_id)
        return True

    def _what(self) -> str:
        return f"{self.header.meeting_type} for {self.header.subject}"
