"""Undo and redo in the CSI register: edits and moves already written, put back on demand.

Both commands are pushed after the change was made (by the item dialog, or a move),
so their first ``redo`` does nothing. ``undo`` writes the old values back through
``services.csi`` with the note "Undo" (so the undo is itself in the history), against
the version the change produced: an item changed elsewhere meanwhile is reported,
never overwritten. A step that fails leaves the stack (``setObsolete``).
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtGui import QUndoCommand

from vcio_desk.services.csi import CsiEdit, reorder, update_item
from vcio_desk.store import Store

UNDO_NOTE = "Undo"
REDO_NOTE = "Redo"


class RegisterHost(Protocol):
    """What the commands need from the register's tab."""

    store: Store
    client_id: int | None

    def author(self) -> str: ...

    def after_write(self, select: int | None = None) -> None: ...

    def report_failure(self, exc: Exception) -> None: ...


class EditCommand(QUndoCommand):
    """An edit already made (by the dialog); undo puts the old values back, redo the new.

    Each step is checked against the version the previous step left, so an item changed
    elsewhere in between is reported, not overwritten.
    """

    def __init__(self, tab: RegisterHost, text: str, edit: CsiEdit) -> None:
        super().__init__(text)
        self._tab = tab
        self._edit = edit
        self._version = edit.row_version
        self._applied = True

    def redo(self) -> None:
        if self._applied:  # pushed after the fact: the edit is already in the workspace
            return
        self._step(self._edit.after(), REDO_NOTE)

    def undo(self) -> None:
        self._step(self._edit.before(), UNDO_NOTE)

    def _step(self, fields: dict[str, object], note: str) -> None:
        tab = self._tab
        try:
            result = update_item(
                tab.store,
                self._edit.item_id,
                fields,
                tab.author(),
                note,
                expected_version=self._version,
                undoing=True,
            )
        except Exception as exc:  # reported, never raised into Qt
            self.setObsolete(True)
            tab.report_failure(exc)
            return
        self._version = result.row_version
        self._applied = note == REDO_NOTE
        tab.after_write(select=self._edit.item_id)


class ReorderCommand(QUndoCommand):
    """A change of rank order; undo restores the order before it."""

    def __init__(self, tab: RegisterHost, text: str, before: list[int], after: list[int]) -> None:
        super().__init__(text)
        self._tab = tab
        self._orders = {UNDO_NOTE: before, REDO_NOTE: after}
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._apply(REDO_NOTE)

    def undo(self) -> None:
        self._apply(UNDO_NOTE)

    def _apply(self, note: str) -> None:
        tab = self._tab
        try:
            reorder(tab.store, tab.client_id, self._orders[note], tab.author(), note)
        except Exception as exc:
            self.setObsolete(True)
            tab.report_failure(exc)
            return
        tab.after_write()
