"""One meeting's page, in its own window: prepare it, run it, record it.

Header with the lifecycle (the Year page's commands and questions, on this window's
own undo stack); the agenda; attendees and the prep checklist; client-facing notes,
internal notes and decisions; the actions raised here and those carried from
earlier meetings. Every write goes through the services and the page re-reads the
meeting afterwards, so what it shows is what is stored.

Notes are saved after a pause in typing, before anything else is done, and on close
(a window that cannot save stays open unless the person chooses otherwise, with the
text on the clipboard): nothing typed is lost. When the same text was changed
elsewhere meanwhile, the person chooses whose version stays.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QEvent, QLocale, Qt, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QShortcut,
    QUndoCommand,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.domain.errors import VcioDeskError
from vcio_desk.domain.vocab import ActionStatus
from vcio_desk.services import actions as action_service
from vcio_desk.services.meeting_attendees import set_present
from vcio_desk.services.meeting_common import MeetingChangedError
from vcio_desk.services.meeting_prep import (
    MeetingDetail,
    meeting_detail,
    prepare_meeting,
    save_texts,
    set_prep_done,
)
from vcio_desk.store import Store
from vcio_desk.ui.dialogs.meeting_dialog import (
    CancelDialog,
    DateAsker,
    HeldDialog,
    LifecycleMixin,
    MeetingActions,
    Notifier,
    ReasonAsker,
    RescheduleAsker,
    RescheduleDialog,
    undo_action,
)
from vcio_desk.ui.formatting import format_date
from vcio_desk.ui.pages import meeting_commands as commands
from vcio_desk.ui.pages.client_tabs.actions_undo import ActionCommand
from vcio_desk.ui.widgets.action_dialog import ActionAsker, ActionDialog
from vcio_desk.ui.widgets.action_panel import ActionPanel
from vcio_desk.ui.widgets.agenda_editor import AgendaEditor
from vcio_desk.ui.widgets.meeting_header import MeetingHeaderBar
from vcio_desk.ui.widgets.meeting_notes import (
    CloseAsker,
    NotesEditor,
    OverwriteAsker,
    ask_close_unsaved,
    ask_overwrite,
)
from vcio_desk.ui.widgets.meeting_people import AttendeesPanel, PrepPanel
from vcio_desk.ui.widgets.pack_actions import PackCommands


class MeetingPage(LifecycleMixin, QWidget):
    """A meeting's page; one window per meeting (``MainWindow.open_meeting``)."""

    meeting_changed = Signal(int)
    """Something of this meeting (or its actions) was written."""

    def __init__(
        self,
        store: Store,
        meeting_id: int,
        as_of_provider: Callable[[], dt.date],
        parent: QWidget | None = None,
        *,
        locale: QLocale | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("page_meeting")
        self.setWindowTitle("Meeting — vcio_desk")
        self.store = store
        self._meeting_id = meeting_id
        self._as_of = as_of_provider
        self._locale = locale or QLocale()
        self.detail: MeetingDetail | None = None
        self.snapshot = None
        self.row_version = 0
        self.ids = commands.IdMap()
        self.action_ids = commands.IdMap()
        """Actions raised here, undone and raised again, keep being found by their first id."""
        self._prepared = False
        self._save_error = ""
        """Why the last save failed ("" once a save succeeds): said once, not per pause."""
        self.actions = MeetingActions(store, as_of_provider, self)
        self.stack = self.actions.stack
        self.ask_reschedule: RescheduleAsker = RescheduleDialog.ask
        self.ask_cancel_reason: ReasonAsker = CancelDialog.ask
        self.ask_held_date: DateAsker = HeldDialog.ask
        self.ask_action: ActionAsker = ActionDialog.ask
        self.ask_overwrite: OverwriteAsker = ask_overwrite
        self.ask_close_unsaved: CloseAsker = ask_close_unsaved
        self.notify: Notifier = lambda parent, text: self.actions.notify(parent, text)

        self.undo_action = undo_action(self.stack, self, redo=False)
        self.redo_action = undo_action(self.stack, self, redo=True)
        self.addAction(self.undo_action)
        self.addAction(self.redo_action)
        self.header = MeetingHeaderBar(self.undo_action, self.redo_action, self._locale)
        self.header.confirm_button.clicked.connect(self.confirm)
        self.header.reschedule_button.clicked.connect(self.reschedule)
        self.header.cancel_button.clicked.connect(self.cancel_meeting)
        self.header.held_button.clicked.connect(self.mark_held)
        self.pack = PackCommands(
            self,
            store,
            meeting_id,
            as_of_provider,
            lambda: self.detail.head if self.detail else None,
            before=self.save_notes,
        )
        """Export, preview and print of this meeting's pack (its askers are replaceable)."""
        self.header.export_pack_button.clicked.connect(lambda: self.pack.export())
        self.header.preview_pack_button.clicked.connect(self.pack.show_preview)
        self.header.print_pack_button.clicked.connect(lambda: self.pack.print_pack())
        self.pack.busy_changed.connect(
            lambda busy: self.header.set_pack_enabled(not busy and self.detail is not None)
        )

        self.agenda = AgendaEditor()
        self.agenda.add_requested.connect(self.add_agenda_item)
        self.agenda.remove_requested.connect(self.remove_agenda_item)
        self.agenda.move_requested.connect(self.move_agenda_item)
        self.agenda.edit_requested.connect(
            self.edit_agenda_item,
            Qt.ConnectionType.QueuedConnection,  # after the editor closes
        )
        self.client_notes = NotesEditor(
            "client_notes", "Client-facing notes", "What the client sees in the pack"
        )
        self.internal_notes = NotesEditor(
            "internal_notes", "Internal notes", "For the MSP only (internal edition of the pack)"
        )
        self.decisions = NotesEditor("decisions", "Decisions", "What was decided, one per line")
        self.editors = (self.client_notes, self.internal_notes, self.decisions)
        for editor in self.editors:
            editor.pause.connect(self.save_notes)
        notes = QSplitter(Qt.Orientation.Vertical)
        notes.addWidget(self.client_notes)
        notes.addWidget(self.internal_notes)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("meeting_tabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.agenda, "Agenda")
        self.tabs.addTab(notes, "Notes")
        self.tabs.addTab(self.decisions, "Decisions")

        self.attendees = AttendeesPanel()
        self.attendees.invite_requested.connect(self.invite)
        self.attendees.remove_requested.connect(self.remove_attendee)
        self.attendees.present_toggled.connect(self.set_present, Qt.ConnectionType.QueuedConnection)
        self.prep = PrepPanel()
        self.prep.toggled.connect(self.toggle_prep, Qt.ConnectionType.QueuedConnection)
        side = QSplitter(Qt.Orientation.Vertical)
        side.addWidget(self.attendees)
        side.addWidget(self.prep)
        upper = QSplitter(Qt.Orientation.Horizontal)
        upper.addWidget(self.tabs)
        upper.addWidget(side)
        upper.setStretchFactor(0, 3)
        upper.setStretchFactor(1, 2)
        self.action_panel = ActionPanel(self._locale)
        self.action_panel.new_requested.connect(self.new_action)
        for part in (self.action_panel.raised, self.action_panel.carried):
            part.edit_requested.connect(self.edit_action)
            part.status_requested.connect(self.set_action_status)
        body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(upper)
        body.addWidget(self.action_panel)
        body.setStretchFactor(0, 3)
        body.setStretchFactor(1, 2)
        body.setSizes([420, 280])  # the actions get room from the start
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(body, 1)

        for keys, slot in (
            (QKeySequence(Qt.Key.Key_Escape), self.go_back),
            (QKeySequence(QKeySequence.StandardKey.Close), self.go_back),
            (QKeySequence(QKeySequence.StandardKey.New), self.new_action),
            (QKeySequence(QKeySequence.StandardKey.Save), self.save_notes),
            (QKeySequence(QKeySequence.StandardKey.Print), lambda: self.pack.print_pack()),
            (QKeySequence("Ctrl+Shift+E"), lambda: self.pack.export()),
        ):
            shortcut = QShortcut(keys, self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self.stack.indexChanged.connect(self._after_step)

    # -- reading ---------------------------------------------------------------------------

    @property
    def meeting_id(self) -> int:
        return self._meeting_id

    def _what(self) -> str:
        if self.detail is None:
            return "meeting"
        head = self.detail.head
        return f"{head.meeting_type} for {head.subject}"

    @property
    def writable(self) -> bool:
        return not self.store.read_only and self.detail is not None

    def refresh(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Save what was typed, then read the meeting again and show it."""
        self.save_notes()
        if not self._prepared and not self.store.read_only:
            self._prepared = True
            try:
                if prepare_meeting(self.store, self._meeting_id):
                    self.meeting_changed.emit(self._meeting_id)
            except VcioDeskError as err:  # e.g. busy: show the meeting anyway, say why
                self.notify(self, f"The agenda template was not filled in: {err.user_message}")
        try:
            detail = meeting_detail(self.store, self._meeting_id)
        except VcioDeskError as err:
            self._show_gone(err.user_message)
            return
        self._show(detail)

    def _show(self, detail: MeetingDetail) -> None:
        self.detail = detail
        head = detail.head
        self.snapshot = head  # type: ignore[assignment]  # what the lifecycle asks needs
        writable = self.writable
        day = format_date(head.start.date(), self._locale)
        self.setWindowTitle(f"{head.meeting_type} — {head.subject} — {day} — vcio_desk")
        self.header.show_head(head, writable=writable)
        self.agenda.set_items(detail.agenda, head.duration_minutes, detail.agenda_warning)
        self.agenda.set_editable(writable)
        self.tabs.setTabText(0, f"Agenda ({len(detail.agenda)} · {detail.agenda_minutes} min)")
        self.attendees.set_editable(writable)
        self.attendees.set_attendees(
            detail.attendees, detail.candidates, guests=head.subject_kind == "client"
        )
        self.prep.set_editable(writable)
        self.prep.set_items(detail.prep)
        in_sync = True
        for editor in self.editors:
            stored = detail.text(editor.name)
            if not editor.dirty:
                editor.load(stored)
            elif stored != editor.base:
                in_sync = False  # changed elsewhere under unsaved typing: saving will ask
            editor.set_read_only(not writable)
        if in_sync:
            self.row_version = head.row_version
        self.action_panel.set_editable(writable)
        self.action_panel.set_actions(detail.actions, detail.carried, self._as_of())

    def _show_gone(self, message: str) -> None:
        self.detail = None
        self.snapshot = None
        self.header.show_gone(message)
        for part in (self.agenda, self.attendees, self.prep, self.action_panel):
            part.set_editable(False)
        for editor in self.editors:
            editor.set_read_only(True)

    # -- notes -------------------------------------------------------------------------------

    def save_notes(self) -> bool:
        """Save every edited text now; False (and the text kept) when it could not be."""
        dirty = {e.name: e.text() for e in self.editors if e.dirty}
        if not dirty or self.store.read_only or self.detail is None:
            return not dirty
        try:
            try:
                version = save_texts(self.store, self._meeting_id, self.row_version, **dirty)
            except MeetingChangedError:
                version = self._save_over_changes(dirty)
        except VcioDeskError as err:
            for editor in self.editors:
                if editor.name in dirty:
                    editor.set_failed(err.user_message)
            if err.user_message != self._save_error:
                self._save_error = err.user_message
                self.notify(self, f"What you typed was not saved yet: {err.user_message}")
            return False
        self._save_error = ""
        self.row_version = version
        for editor in self.editors:
            if editor.name in dirty:
                editor.mark_saved(dirty[editor.name])
        # No meeting_changed here: notes show on no other page, and autosave runs after
        # every pause in typing (each signal would recompute the dashboard).
        return True

    def _save_over_changes(self, dirty: dict[str, str]) -> int:
        """The meeting moved on: keep texts nobody else touched; ask about the others."""
        fresh = meeting_detail(self.store, self._meeting_id)
        clashes = [e for e in self.editors if e.name in dirty and fresh.text(e.name) != e.base]
        if clashes and not self.ask_overwrite(self, [e.heading for e in clashes]):
            QGuiApplication.clipboard().setText(
                "\n\n".join(f"{e.heading}:\n{dirty.pop(e.name)}" for e in clashes)
            )
            for editor in clashes:
                editor.load(fresh.text(editor.name))
        return save_texts(self.store, self._meeting_id, fresh.head.row_version, **dirty)

    # -- agenda, attendees, prep ------------------------------------------------------------

    def _push(self, command: QUndoCommand) -> bool:
        self.save_notes()
        error = self.actions.push(command)
        if error:
            self.notify(self, error)
            self.reload()
        return error is None

    def add_agenda_item(self) -> None:
        if not self.writable:
            return
        command = commands.add_item(
            self.store, self._meeting_id, "New item", 10, "", self.ids, self.actions.report
        )
        if self._push(command) and self.detail and self.detail.agenda:
            self.agenda.edit_title(self.detail.agenda[-1].id)

    def remove_agenda_item(self, item_id: int) -> None:
        item = (
            next((i for i in self.detail.agenda if i.id == item_id), None) if self.detail else None
        )
        if item is not None and self.writable:
            self._push(
                commands.remove_item(
                    self.store, self._meeting_id, item_id, item.title, self.ids, self.actions.report
                )
            )

    def move_agenda_item(self, item_id: int, to_index: int) -> None:
        if self.writable:
            self._push(
                commands.move_item(self.store, item_id, to_index, self.ids, self.actions.report)
            )
            self.agenda.select_item(item_id)

    def edit_agenda_item(self, item_id: int, field: str, value: object) -> None:
        if self.writable:
            self._push(
                commands.edit_item(self.store, item_id, field, value, self.ids, self.actions.report)
            )

    def invite(self, kind: str, person_id: int, name: str) -> None:
        if not self.writable:
            return
        label = name
        if self.detail is not None and kind != "guest":
            person = next((p for p in self.detail.people if p.key == (kind, person_id)), None)
            label = person.name if person else "attendee"
        self._push(
            commands.add_attendee(
                self.store,
                self._meeting_id,
                self.ids,
                self.actions.report,
                staff_id=person_id if kind == "staff" else None,
                contact_id=person_id if kind == "contact" else None,
                name=name if kind == "guest" else "",
                label=label,
            )
        )

    def remove_attendee(self, attendee_id: int) -> None:
        person = (
            next((a for a in self.detail.attendees if a.id == attendee_id), None)
            if self.detail
            else None
        )
        if person is not None and self.writable:
            self._push(
                commands.remove_attendee(
                    self.store,
                    self._meeting_id,
                    attendee_id,
                    person.name,
                    self.ids,
                    self.actions.report,
                )
            )

    def set_present(self, attendee_id: int, present: bool) -> None:
        self._write(lambda: set_present(self.store, self.ids.now(attendee_id), present))

    def toggle_prep(self, item_id: int, done: bool) -> None:
        self._write(lambda: set_prep_done(self.store, item_id, done))

    # -- actions ----------------------------------------------------------------------------

    def new_action(self) -> None:
        if not self.writable or self.detail is None:
            return
        data = self.ask_action(self, self.detail.people, None, self._as_of())
        if data is not None:
            self._push(
                ActionCommand(
                    self,
                    f"New action “{data.title.strip()}”",
                    lambda: action_service.create_action(
                        self.store, data, as_of=self._as_of(), meeting_id=self._meeting_id
                    ),
                    None,
                )
            )

    def edit_action(self, action_id: int) -> None:
        if not self.writable or self.detail is None:
            return
        every = self.detail.actions + self.detail.carried
        action = next((a for a in every if a.id == action_id), None)
        if action is None:
            return
        data = self.ask_action(self, self.detail.people, action, self._as_of())
        if data is not None:
            self._push(
                ActionCommand(
                    self,
                    f"Edit action “{action.title}”",
                    lambda: action_service.update_action(
                        self.store, self.action_ids.now(action_id), data, as_of=self._as_of()
                    ),
                    action_id,
                )
            )

    def report(self, message: str) -> None:
        """An action step failed (see :class:`ActionCommand`)."""
        self.actions.report(message)

    def after_action_step(self, action_id: int | None) -> None:
        """The stack's ``indexChanged`` re-reads after a step; a failed one re-reads here."""
        if action_id is None:
            self.reload()

    def set_action_status(self, action_id: int, status: str) -> None:
        if self.writable:
            verb = {
                ActionStatus.OPEN: "Reopen",
                ActionStatus.DONE: "Close",
                ActionStatus.CANCELLED: "Cancel",
            }[ActionStatus(status)]

            def write() -> action_service.ActionView:
                now = self.action_ids.now(action_id)
                action_service.set_action_status(
                    self.store, now, ActionStatus(status), as_of=self._as_of()
                )
                return action_service.get_action(self.store, now)

            self._push(ActionCommand(self, f"{verb} action", write, action_id))

    # -- window ------------------------------------------------------------------------------

    def _write(self, work: Callable[[], object]) -> bool:
        """A change that is not an undo step (a tick, a new action): do it, then re-read."""
        self.save_notes()
        try:
            work()
        except VcioDeskError as err:
            self.notify(self, err.user_message)
            self.reload()
            return False
        self.reload()
        self.meeting_changed.emit(self._meeting_id)
        return True

    def _after_step(self, _index: int) -> None:
        self.reload()
        self.meeting_changed.emit(self._meeting_id)

    def go_back(self) -> None:
        """Esc / Ctrl+W: close an open cell editor first, else the window."""
        for view in self.findChildren(QAbstractItemView):
            if view.state() == QAbstractItemView.State.EditingState:
                focus = QApplication.focusWidget()
                if focus is not None:
                    QApplication.sendEvent(
                        focus,
                        QKeyEvent(
                            QEvent.Type.KeyPress, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier
                        ),
                    )
                return
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.save_notes():
            super().closeEvent(event)
            return
        unsaved = "\n\n".join(f"{e.heading}:\n{e.text()}" for e in self.editors if e.dirty)
        if self.ask_close_unsaved(self, self._save_error or "The notes could not be saved."):
            QGuiApplication.clipboard().setText(unsaved)
            super().closeEvent(event)
        else:
            event.ignore()
