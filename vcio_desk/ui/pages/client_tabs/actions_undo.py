"""Undoable action changes: raise, edit, close or reopen an action, and take it back.

An :class:`ActionCommand`'s first ``redo`` makes the change through
``services.actions`` and keeps the action's state before and after. Undo and later
redo hand those states to ``services.undo_support``, which writes them only if the
action is still as this step left it: an action changed elsewhere meanwhile is
reported ("changed elsewhere — reload"), never overwritten, and the step leaves the
stack. Undoing a new action deletes it; redoing raises it again (with a new id,
which :class:`~vcio_desk.ui.pages.meeting_commands.IdMap` follows).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from PySide6.QtGui import QUndoCommand

from vcio_desk.domain.errors import VcioDeskError
from vcio_desk.services.actions import ActionView, get_action
from vcio_desk.services.undo_support import ActionState, put_action_back, remove_new_action
from vcio_desk.store import Store
from vcio_desk.ui.pages.meeting_commands import IdMap
from vcio_desk.ui.workers import GENERIC_FAILURE

log = logging.getLogger(__name__)

Write = Callable[[], ActionView]


class ActionHost(Protocol):
    """What the commands need from the page or tab that shows the actions."""

    store: Store
    action_ids: IdMap

    def report(self, message: str) -> None: ...

    def after_action_step(self, action_id: int | None) -> None: ...


class ActionCommand(QUndoCommand):
    """One change of one action (``action_id`` None: a new action)."""

    def __init__(self, host: ActionHost, text: str, write: Write, action_id: int | None) -> None:
        super().__init__(text)
        self._host = host
        self._write = write
        self._id = action_id
        self._before: ActionState | None = None
        self._after: ActionState | None = None

    @property
    def action_id(self) -> int | None:
        """The action's id now (a new action undone and redone has a new one)."""
        return None if self._id is None else self._host.action_ids.now(self._id)

    def redo(self) -> None:
        store = self._host.store
        try:
            if self._after is None:  # the first time: the change itself
                if self._id is not None:
                    self._before = ActionState.of(get_action(store, self._now()))
                view = self._write()
                if self._id is None:
                    self._id = view.id
                self._after = ActionState.of(view)
                if self._before == self._after:
                    self.setObsolete(True)  # nothing changed: nothing to undo
            elif self._before is None:  # a new action, raised again
                view = self._write()
                assert self._id is not None
                self._host.action_ids.moved(self._host.action_ids.now(self._id), view.id)
                self._after = ActionState.of(view)
            else:
                put_action_back(store, self._now(), expected=self._before, target=self._after)
        except Exception as exc:  # reported, never raised into Qt
            self._fail(exc)
            return
        self._host.after_action_step(self.action_id)

    def undo(self) -> None:
        if self._after is None:
            return
        store = self._host.store
        try:
            if self._before is None:
                remove_new_action(store, self._now(), expected=self._after)
            else:
                put_action_back(store, self._now(), expected=self._after, target=self._before)
        except Exception as exc:
            self._fail(exc)
            return
        self._host.after_action_step(None if self._before is None else self.action_id)

    def _now(self) -> int:
        assert self._id is not None
        return self._host.action_ids.now(self._id)

    def _fail(self, exc: Exception) -> None:
        if isinstance(exc, VcioDeskError):
            message = exc.user_message
        else:
            log.error("action change failed", exc_info=exc)
            message = GENERIC_FAILURE
        self.setObsolete(True)  # the stack drops a step that cannot be done or undone
        self._host.report(message)
        self._host.after_action_step(None)
