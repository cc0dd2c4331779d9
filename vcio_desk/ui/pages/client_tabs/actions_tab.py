"""The client page's Actions tab: every action of the client, wherever it was raised.

Open ones by default (or all), soonest due first, overdue ones tinted and saying so.
Mark done / reopen, edit, raise a new one, and open the meeting an action came from
(Enter or a double-click). Closing an action here takes it off every later meeting's
"carried" list at once: carry-over is computed (``services.actions``).

Every change made here is undoable (Undo/Redo buttons, Ctrl+Z / Ctrl+Shift+Z while the
tab has the focus): each is an :class:`~.actions_undo.ActionCommand` on the tab's stack.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QLocale, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.domain.errors import VcioDeskError
from vcio_desk.domain.vocab import ActionStatus
from vcio_desk.services import actions as service
from vcio_desk.services.actions import ActionView
from vcio_desk.store import Store
from vcio_desk.ui.dialogs.meeting_dialog import MeetingActions
from vcio_desk.ui.dialogs.messages import show_message
from vcio_desk.ui.models.action_model import ActionColumn, ActionModel
from vcio_desk.ui.pages.client_tabs.actions_undo import ActionCommand
from vcio_desk.ui.pages.meeting_commands import IdMap
from vcio_desk.ui.widgets.action_dialog import ActionAsker, ActionDialog
from vcio_desk.ui.widgets.message_panel import MessagePanel
from vcio_desk.ui.widgets.rhythm_editor import mute
from vcio_desk.ui.widgets.tables import row_table

COLUMNS = (
    ActionColumn.TITLE,
    ActionColumn.OWNER,
    ActionColumn.DUE,
    ActionColumn.STATUS,
    ActionColumn.RAISED,
)

Notifier = Callable[[QWidget, str], None]


def _warn(parent: QWidget, message: str) -> None:
    show_message(parent, "Actions", message)


def _short_button(label: str, action: QAction) -> QToolButton:
    """A button for an undo/redo action that keeps a short label; what it would undo (and
    the shortcut) is in the tooltip, so the bar does not jump as the text changes."""
    button = QToolButton()
    button.setText(label)
    button.setObjectName(f"{label.lower()}_button")

    def sync() -> None:
        if not (shiboken6.isValid(action) and shiboken6.isValid(button)):
            return  # the tab is being taken down
        button.setEnabled(action.isEnabled())
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        what = action.text().replace("&", "")
        button.setToolTip(
            f"{what} ({keys})" if action.isEnabled() else f"Nothing to {label.lower()}"
        )

    action.changed.connect(sync)
    button.clicked.connect(action.trigger)
    sync()
    return button


class ActionsTab(QWidget):
    changed = Signal()
    """An action was added, edited, closed or reopened here."""
    meeting_activated = Signal(int)
    """Open the page of the meeting an action was raised at."""

    def __init__(
        self,
        store: Store,
        client_id: int,
        as_of_provider: Callable[[], dt.date],
        locale: QLocale | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("tab_actions")
        self.store = store
        self.client_id = client_id
        self._as_of = as_of_provider
        self.ask_action: ActionAsker = ActionDialog.ask
        self.notify: Notifier = _warn
        self._all: list[ActionView] = []
        self.show_all = False
        self.action_ids = IdMap()
        self.undo_host = MeetingActions(store, as_of_provider, self)
        self.undo_host.notify = lambda parent, message: self.notify(parent, message)
        self.undo_stack = self.undo_host.stack
        self.undo_action = self.undo_host.undo_action
        self.redo_action = self.undo_host.redo_action
        for action in (self.undo_action, self.redo_action):
            # The client window holds other tabs with their own undo (the CSI register):
            # Ctrl+Z here undoes this tab's steps while it has the focus.
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addActions([self.undo_action, self.redo_action])

        self.model = ActionModel(COLUMNS, self, locale)
        self.table = row_table(self.model, name="client_actions", stretch_last=False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(self.open_index)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(key), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self.open_meeting)

        self.open_filter = QToolButton()
        self.open_filter.setObjectName("filter_open")
        self.all_filter = QToolButton()
        self.all_filter.setObjectName("filter_all")
        group = QButtonGroup(self)
        for button, show_all in ((self.open_filter, False), (self.all_filter, True)):
            button.setCheckable(True)
            button.clicked.connect(lambda _checked=False, a=show_all: self.set_show_all(a))
            group.addButton(button)
        self.open_filter.setChecked(True)
        self.notice_label = QLabel()
        self.notice_label.setTextFormat(Qt.TextFormat.PlainText)
        mute(self.notice_label)
        self.new_button = QPushButton("&New action…")
        self.new_button.clicked.connect(self.new_action)
        self.edit_button = QPushButton("&Edit…")
        self.edit_button.clicked.connect(self.edit_selected)
        self.done_button = QPushButton("Mark &done")
        self.done_button.setObjectName("toggle_done")
        self.done_button.clicked.connect(self.toggle_done)
        self.meeting_button = QPushButton("Open &meeting")
        self.meeting_button.setToolTip("The meeting the action was raised at (Enter)")
        self.meeting_button.clicked.connect(self.open_meeting)
        bar = QHBoxLayout()
        bar.addWidget(self.open_filter)
        bar.addWidget(self.all_filter)
        bar.addSpacing(12)
        bar.addWidget(self.notice_label, 1)
        self.undo_button = _short_button("Undo", self.undo_action)
        self.redo_button = _short_button("Redo", self.redo_action)
        bar.addWidget(self.undo_button)
        bar.addWidget(self.redo_button)
        for button in (self.new_button, self.edit_button, self.done_button, self.meeting_button):
            button.setAutoDefault(False)
            bar.addWidget(button)
        self.empty = MessagePanel("meeting", "No actions", "")
        self.empty.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)
        self.table.selectionModel().selectionChanged.connect(self._enable)
        self._enable()

    # -- public ------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the client's actions again (keeps the filter and the selection)."""
        try:
            self._all = service.client_actions(self.store, self.client_id)
        except VcioDeskError as err:
            self._all = []
            self.notice_label.setText(err.user_message)
        self._refresh()

    def set_show_all(self, show_all: bool) -> None:
        self.show_all = show_all
        (self.all_filter if show_all else self.open_filter).setChecked(True)
        self._refresh()

    def selected(self) -> ActionView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.action_at(rows[0].row()) if rows else None

    def select(self, action_id: int) -> None:
        row = self.model.row_of(action_id)
        if row >= 0:
            self.table.selectRow(row)

    def open_index(self, index: QModelIndex) -> None:
        self.table.selectRow(index.row())
        self.open_meeting()

    def open_meeting(self) -> None:
        action = self.selected()
        if action is None:
            return
        if action.meeting_id is None:
            self.notice_label.setText("This action was not raised at a meeting.")
            return
        self.meeting_activated.emit(action.meeting_id)

    def toggle_done(self) -> None:
        action = self.selected()
        if action is None or self.store.read_only:
            return
        status = ActionStatus.DONE if action.is_open else ActionStatus.OPEN
        verb = "Close" if status is ActionStatus.DONE else "Reopen"
        if self._push(
            f"{verb} “{action.title}”",
            lambda: self._status_then_view(action.id, status),
            action.id,
        ):
            word = "done" if status is ActionStatus.DONE else "open again"
            self.notice_label.setText(f"“{action.title}” is {word}.")

    def new_action(self) -> None:
        if self.store.read_only:
            return
        people = service.owner_options(self.store, self.client_id)
        data = self.ask_action(self, people, None, self._as_of())
        if data is not None:
            self._push(
                f"New action “{data.title.strip()}”",
                lambda: service.create_action(
                    self.store, data, as_of=self._as_of(), client_id=self.client_id
                ),
                None,
            )

    def edit_selected(self) -> None:
        action = self.selected()
        if action is None or self.store.read_only:
            return
        people = service.owner_options(self.store, self.client_id)
        data = self.ask_action(self, people, action, self._as_of())
        if data is not None:
            self._push(
                f"Edit “{action.title}”",
                lambda: service.update_action(self.store, action.id, data, as_of=self._as_of()),
                action.id,
            )

    def undo(self) -> None:
        if not self.store.read_only:
            self.undo_stack.undo()

    def redo(self) -> None:
        if not self.store.read_only:
            self.undo_stack.redo()

    # -- undo host ---------------------------------------------------------------------------

    def report(self, message: str) -> None:
        self.undo_host.report(message)

    def after_action_step(self, action_id: int | None) -> None:
        """A step was done, undone or redone (or failed): show the actions as they are now."""
        self.reload()
        if action_id is not None:
            self.select(action_id)
        self.changed.emit()

    # -- internals ---------------------------------------------------------------------------

    def _status_then_view(self, action_id: int, status: ActionStatus) -> ActionView:
        service.set_action_status(self.store, action_id, status, as_of=self._as_of())
        return service.get_action(self.store, action_id)

    def _push(self, text: str, write: Callable[[], ActionView], action_id: int | None) -> bool:
        """Do ``write`` as an undoable step; False (and the reason shown) when refused."""
        message = self.undo_host.push(ActionCommand(self, text, write, action_id))
        if message is not None:
            self.notify(self, message)
            return False
        return True

    def _refresh(self) -> None:
        selected = self.selected()
        as_of = self._as_of()
        rows = self._all if self.show_all else [a for a in self._all if a.is_open]
        self.model.set_actions(rows, as_of)
        open_count = sum(a.is_open for a in self._all)
        overdue = sum(a.is_overdue(as_of) for a in self._all)
        self.open_filter.setText(f"Open ({open_count})")
        self.all_filter.setText(f"All ({len(self._all)})")
        self.notice_label.setText(f"{overdue} overdue" if overdue else "")
        self.table.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        if self._all:
            self.empty.set_message("Nothing open", "Every action of this client is closed.")
        else:
            self.empty.set_message(
                "No actions yet",
                "Actions raised at this client's meetings appear here, with who owns them "
                "and when they are due.",
            )
        if selected is not None:
            self.select(selected.id)
        self._enable()

    def _enable(self) -> None:
        action = self.selected()
        writable = not self.store.read_only
        self.new_button.setEnabled(writable)
        self.edit_button.setEnabled(writable and action is not None)
        self.done_button.setEnabled(writable and action is not None)
        self.done_button.setText("Re&open" if action and not action.is_open else "Mark &done")
        self.meeting_button.setEnabled(action is not None and action.meeting_id is not None)
