"""The Standards page: the library, the standards committee and the change log, in three tabs.

The page builds empty and cheap; the first time it is shown it loads the library
and the change log on one worker and the committee (whose flag needs the drift
report) on another, so the library appears first. Every change goes through the
services with a reason and the author (``client_detail.author_name``), then the
data is loaded again. A read-only workspace shows everything and changes nothing.

Questions to the user go through instance attributes (``ask_standard``,
``ask_reason``, ``ask_name``, ``ask_proposal``, ``ask_decision``, ``ask_import``,
``ask_save_path``, ``confirm``, ``notify``), so tests replace them and never block.

Adding, editing, archiving and restoring a standard are undoable (``undo_stack``;
the main window's Edit menu, or Ctrl+Z / Ctrl+Shift+Z): see :mod:`.standards_undo`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent, QUndoCommand
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox, QTabWidget, QVBoxLayout, QWidget

from vcio_desk.services.client_detail import author_name
from vcio_desk.services.committee import CommitteeStatus, committee_status
from vcio_desk.services.standards_library import LibraryTree, library_tree
from vcio_desk.services.standards_log import ChangeView, change_log
from vcio_desk.store import Store
from vcio_desk.ui.dialogs.meeting_dialog import MeetingActions
from vcio_desk.ui.dialogs.messages import show_message
from vcio_desk.ui.pages.standards_committee_tab import CommitteeTab
from vcio_desk.ui.pages.standards_library_tab import LibraryTab
from vcio_desk.ui.pages.standards_log_tab import ChangeLogTab
from vcio_desk.ui.workers import ProgressFn, run_in_background

TITLE = "Standards"


def ask_save_path(parent: QWidget, caption: str, suggested: Path, filters: str) -> Path | None:
    path, _ = QFileDialog.getSaveFileName(parent, caption, str(suggested), filters)
    return Path(path) if path else None


# The dialogs are imported when first asked for: the page's first paint does not wait for them.


def ask_standard(*args: Any, **kwargs: Any) -> int | None:
    from vcio_desk.ui.dialogs.standard_dialog import StandardDialog

    return StandardDialog.ask(*args, **kwargs)


def ask_reason(*args: Any) -> str | None:
    from vcio_desk.ui.dialogs.standard_dialog import ReasonDialog

    return ReasonDialog.ask(*args)


def ask_name(*args: Any) -> tuple[str, str] | None:
    from vcio_desk.ui.dialogs.standard_dialog import ReasonDialog

    return ReasonDialog.ask_name(*args)


def ask_proposal(*args: Any, **kwargs: Any) -> int | None:
    from vcio_desk.ui.dialogs.proposal_dialog import ProposalDialog

    return ProposalDialog.ask(*args, **kwargs)


def ask_decision(*args: Any, **kwargs: Any) -> Any:
    from vcio_desk.ui.dialogs.decision_dialog import RecordDecisionDialog

    return RecordDecisionDialog.ask(*args, **kwargs)


def ask_import(*args: Any, **kwargs: Any) -> Any:
    from vcio_desk.ui.dialogs.library_import_dialog import LibraryImportDialog

    return LibraryImportDialog.ask(*args, **kwargs)


def confirm(parent: QWidget, text: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, TITLE, text, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
    try:
        return box.exec() == QMessageBox.StandardButton.Yes
    finally:
        box.deleteLater()


class StandardsPage(QWidget):
    """Library, Committee and Change log tabs over one workspace."""

    meeting_activated = Signal(int)
    """A committee meeting the user opened (double-click, Enter or "Open meeting")."""
    library_loaded = Signal()
    """The library and change log arrived (first load and every reload)."""
    committee_loaded = Signal()
    loaded = Signal()
    """Library and committee have both arrived (the pages' common "loaded" signal, which
    the app's screenshot mode and the benchmarks wait for)."""
    library_changed = Signal()
    """Something in the library was changed from this page (reviews may want to know)."""

    def __init__(
        self,
        store: Store,
        as_of_provider: Callable[[], dt.date],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("page_standards")
        self.store = store
        self.as_of_provider = as_of_provider
        self.read_only = store.read_only
        self.tree: LibraryTree | None = None
        self.changes: list[ChangeView] = []
        self.status: CommitteeStatus | None = None
        self._author: str | None = None
        self._loading: set[str] = set()
        self._pending: set[str] = set()
        self._loaded_once = False

        self.ask_standard: Callable[..., int | None] = ask_standard
        self.ask_reason: Callable[..., str | None] = ask_reason
        self.ask_name: Callable[..., tuple[str, str] | None] = ask_name
        self.ask_proposal: Callable[..., int | None] = ask_proposal
        self.ask_decision: Callable[..., Any] = ask_decision
        self.ask_import: Callable[..., Any] = ask_import
        self.ask_save_path = ask_save_path
        self.confirm: Callable[[QWidget, str], bool] = confirm
        self.notify: Callable[[QWidget, str], None] = lambda parent, text: show_message(
            parent, TITLE, text
        )

        self.versions: dict[int, dt.datetime] = {}
        """Per standard, the version this page's last undoable write left (see standards_undo)."""
        self.undo_host = MeetingActions(store, as_of_provider, self)
        self.undo_host.notify = lambda parent, text: self.notify(parent, text)
        self.undo_stack = self.undo_host.stack
        self.undo_action = self.undo_host.undo_action
        self.redo_action = self.undo_host.redo_action
        self.addActions([self.undo_action, self.redo_action])

        self.read_only_label = QLabel(
            "This workspace is open read-only: the library and the committee can be viewed, "
            "not changed."
        )
        self.read_only_label.setObjectName("read_only_note")
        self.read_only_label.setWordWrap(True)
        self.read_only_label.setVisible(self.read_only)
        self.library_tab = LibraryTab(self)
        self.committee_tab = CommitteeTab(self)
        self.log_tab = ChangeLogTab(self)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("standards_tabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.library_tab, "&Library")
        self.tabs.addTab(self.committee_tab, "&Committee")
        self.tabs.addTab(self.log_tab, "Change lo&g")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.read_only_label)
        layout.addWidget(self.tabs, 1)

        find = QShortcut(QKeySequence.StandardKey.Find, self)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(self.focus_search)
        refresh = QShortcut(QKeySequence.StandardKey.Refresh, self)
        refresh.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        refresh.activated.connect(self.reload)

    # -- data ----------------------------------------------------------------------------------

    @property
    def is_loaded(self) -> bool:
        return self.tree is not None and self.status is not None

    def author(self) -> str:
        """Who signs changes made here (read once: it does not change while the page is open)."""
        if self._author is None:
            self._author = author_name(self.store)
        return self._author

    def reload(self) -> None:
        self.reload_library()
        self.reload_committee()

    def reload_library(self) -> None:
        """The library (archived included: the page filters) and the change log, on a worker."""
        if self._start("library"):
            store = self.store

            def work(_progress: ProgressFn) -> tuple[LibraryTree, list[ChangeView]]:
                return library_tree(store, include_archived=True), change_log(store)

            run_in_background(
                self, work, on_success=self._on_library, on_failure=self._failed("library")
            )

    def reload_committee(self) -> None:
        if self._start("committee"):
            store, as_of = self.store, self.as_of_provider()

            def work(_progress: ProgressFn) -> CommitteeStatus:
                return committee_status(store, as_of)

            run_in_background(
                self, work, on_success=self._on_committee, on_failure=self._failed("committee")
            )

    def _start(self, what: str) -> bool:
        if what in self._loading:
            self._pending.add(what)
            return False
        self._loading.add(what)
        return True

    def _finish(self, what: str) -> None:
        self._loading.discard(what)
        if what in self._pending:
            self._pending.discard(what)
            (self.reload_library if what == "library" else self.reload_committee)()

    def _on_library(self, result: tuple[LibraryTree, list[ChangeView]]) -> None:
        self.tree, self.changes = result
        self.library_tab.set_tree(self.tree)
        self.log_tab.set_changes(self.changes)
        self.library_tab.show_history()
        self.library_loaded.emit()
        self._emit_loaded()
        self._finish("library")

    def _on_committee(self, status: CommitteeStatus) -> None:
        self.status = status
        self.committee_tab.set_status(status)
        self.committee_loaded.emit()
        self._emit_loaded()
        self._finish("committee")

    def _emit_loaded(self) -> None:
        if self.is_loaded:
            self.loaded.emit()

    def _failed(self, what: str) -> Callable[[str], None]:
        def show(message: str) -> None:
            tab = self.library_tab if what == "library" else self.committee_tab
            tab.show_failure(message)
            self._finish(what)

        return show

    def changed(self, *, committee: bool = False) -> None:
        """After a change made here: load again what it touched."""
        self.reload_library()
        if committee:
            self.reload_committee()
        self.library_changed.emit()

    # -- undo --------------------------------------------------------------------------------

    def push(self, command: QUndoCommand) -> bool:
        """Do ``command`` as an undoable step; False (and the reason shown) when refused."""
        if self.read_only:
            return False
        message = self.undo_host.push(command)
        if message is not None:
            self.notify(self, message)
            return False
        return True

    def report(self, message: str) -> None:
        self.undo_host.report(message)

    def after_library_step(self, standard_id: int | None) -> None:
        """A library step was done, undone or redone: load again, keep it selected."""
        if standard_id is not None:
            self.library_tab.keep_selected(standard_id)
        self.changed()

    # -- navigation ----------------------------------------------------------------------------

    def focus_search(self) -> None:
        tab = self.tabs.currentWidget()
        focus = getattr(tab, "focus_search", None)
        if callable(focus):
            focus()

    def show_changes_for(self, standard_id: int, code: str) -> None:
        """The change log, filtered to one standard (from the library's detail pane)."""
        self.log_tab.filter_standard(standard_id, code)
        self.tabs.setCurrentWidget(self.log_tab)

    def show_decision(self, decision_id: int, title: str) -> None:
        self.log_tab.filter_decision(decision_id, title)
        self.tabs.setCurrentWidget(self.log_tab)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._loaded_once:
            self._loaded_once = True
            QTimer.singleShot(0, self.reload)  # after the first paint
