"""The review window's undoable step and its small questions, replaceable in tests.

An :class:`ItemCommand` is one answer or rating on the window's ``QUndoStack``: its
first ``redo`` calls the service and keeps the :class:`ItemUpdate` (state before and
after), later ``redo``/``undo`` hand ``after``/``before`` to ``restore_item``. A write
that fails marks the command obsolete (the stack drops it) and the page says why.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from vcio_desk.services.reviews import ItemUpdate, restore_item
from vcio_desk.ui.dialogs.messages import show_message

if TYPE_CHECKING:
    from vcio_desk.ui.pages.review_page import ReviewPage

Notifier = Callable[[QWidget, str], None]
Confirmer = Callable[[QWidget, str, str], bool]
TitleAsker = Callable[[QWidget, str], "str | None"]


def warn(parent: QWidget, message: str) -> None:
    show_message(parent, "Alignment review", message)


def ask_title(parent: QWidget, suggested: str) -> str | None:
    text, ok = QInputDialog.getText(
        parent,
        "New CSI item",
        "Title of the improvement (you can fill in the rest in the CSI register):",
        QLineEdit.EchoMode.Normal,
        suggested,
    )
    return text if ok else None


class ItemCommand(QUndoCommand):
    """One answer or rating: ``redo`` writes it (then re-applies it), ``undo`` restores."""

    def __init__(self, page: ReviewPage, text: str, apply: Callable[[], ItemUpdate]) -> None:
        super().__init__(text)
        self._page = page
        self._apply = apply
        self._update: ItemUpdate | None = None

    def redo(self) -> None:
        store = self._page.store
        first = self._update is None
        try:
            update = (
                self._apply() if self._update is None else restore_item(store, self._update.after)
            )
        except Exception as exc:  # reported, never raised into Qt
            self._fail(exc)
            return
        if first:
            self._update = update
            if not update.changed:
                self.setObsolete(True)  # nothing happened: nothing to undo
        self._page.apply_update(update, reveal=not first)

    def undo(self) -> None:
        if self._update is None:
            return
        try:
            update = restore_item(self._page.store, self._update.before)
        except Exception as exc:
            self._fail(exc)
            return
        self._page.apply_update(update, reveal=True)

    def _fail(self, exc: Exception) -> None:
        self.setObsolete(True)
        self._page.report(exc)
