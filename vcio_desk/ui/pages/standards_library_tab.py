"""The Library tab: sections and categories, a searchable table of standards, the one selected.

Search looks in codes, questions and guidance (every word must match, any case),
typing debounced by 150 ms; the tree narrows to a section or category; archived
standards appear on request, dimmed. Add, Edit (Enter), Archive (Del) and Restore
ask for a reason, which the change log keeps, and can be undone (Ctrl+Z; see
:mod:`.standards_undo`). The Sections menu adds, renames,
archives and restores sections and categories. Import previews a file before it
writes; Export saves CSV or JSON in the folder used last time.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.domain.errors import VcioDeskError
from vcio_desk.services.standards_library import LibraryTree, StandardView
from vcio_desk.ui import icons
from vcio_desk.ui.models.standards_models import standards_model
from vcio_desk.ui.models.standards_rows import selected, size_columns
from vcio_desk.ui.pages import standards_library_actions as actions
from vcio_desk.ui.pages.standards_detail import StandardDetail
from vcio_desk.ui.pages.standards_tree import PlaceTree
from vcio_desk.ui.pages.standards_undo import AddedCommand, ArchiveCommand, EditedCommand
from vcio_desk.ui.widgets.message_panel import MessagePanel
from vcio_desk.ui.widgets.tables import row_table

if TYPE_CHECKING:
    from vcio_desk.ui.pages.standards_page import StandardsPage

SEARCH_DELAY_MS = 150


class LibraryTab(QWidget):
    exported = Signal(Path)
    """The library was exported to this file."""

    def __init__(self, page: StandardsPage) -> None:
        super().__init__(page)
        self.page = page
        self.tree: LibraryTree | None = None
        self._select_id: int | None = None
        self.model = standards_model(self)

        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("standards_search")
        self.search_edit.setPlaceholderText("Search codes and text…")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setToolTip(
            "Every word must appear in the code, question or guidance (Ctrl+F)"
        )
        self.archived_check = QCheckBox("Show archived")
        self.count_label = QLabel("Loading the library…")
        self.count_label.setMinimumWidth(1)
        self.add_button = QPushButton("Add…")
        self.edit_button = QPushButton("Edit…")
        self.archive_button = QPushButton("Archive…")
        self.restore_button = QPushButton("Restore…")
        self.sections_button = QToolButton()
        self.sections_button.setText("Sections")
        self.sections_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.sections_menu = QMenu(self)
        self.new_section_action = self.sections_menu.addAction("New section…", self.new_section)
        self.new_category_action = self.sections_menu.addAction("New category…", self.new_category)
        self.rename_action = self.sections_menu.addAction("Rename…", self.rename_place)
        self.sections_menu.addSeparator()
        self.archive_place_action = self.sections_menu.addAction("Archive…", self.archive_place)
        self.restore_place_action = self.sections_menu.addAction("Restore…", self.restore_place)
        self.sections_menu.aboutToShow.connect(self._update_menu)
        self.sections_button.setMenu(self.sections_menu)
        self.import_button = QPushButton(icons.icon("import"), "Import…")
        self.export_button = QPushButton("Export…")
        for button, tip, slot in (
            (self.add_button, "A new standard in the chosen category", self.add_standard),
            (self.edit_button, "Change the selected standard (Enter)", self.edit_standard),
            (self.archive_button, "Take it out of use; its history stays (Del)", self.archive),
            (self.restore_button, "Bring an archived standard back into use", self.restore),
            (
                self.import_button,
                "Add and update standards from a CSV or JSON file",
                self.import_file,
            ),
            (self.export_button, "Save the library as CSV or JSON", self.export_file),
        ):
            button.setToolTip(tip)
            button.clicked.connect(slot)

        self.place_tree = PlaceTree()
        self.table = row_table(
            self.model, name="standards_table", sortable=True, stretch_last=False
        )
        header = self.table.horizontalHeader()
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        size_columns(
            self.table,
            ("BKP-0000", None, "Medium", "A B C", "Monitoring and response", "Internal only"),
        )
        self.detail = StandardDetail()
        self.detail.history_requested.connect(self.page.show_changes_for)
        self.message = MessagePanel("standards", "Loading…", "Reading the standards library.")
        self.message.button.clicked.connect(self._on_panel_action)
        self.message.text_label.setMinimumWidth(240)  # not fixed: the tab may be narrow
        self.stack = QStackedWidget()
        self.stack.addWidget(self.message)
        self.stack.addWidget(self.table)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self.apply_filter)
        self.search_edit.textChanged.connect(self._debounce.start)
        self.archived_check.toggled.connect(self._on_archived_toggled)
        self.place_tree.currentItemChanged.connect(lambda *_: self.apply_filter())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._on_current())
        self.model.modelReset.connect(self._on_current)
        self.table.activated.connect(lambda _index: self.edit_standard())
        delete = QShortcut(QKeySequence.StandardKey.Delete, self.table)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.archive)
        clear = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.search_edit)
        clear.setContext(Qt.ShortcutContext.WidgetShortcut)
        clear.activated.connect(self._escape)

        # The buttons sit in a tool bar: in a narrow window the ones that do not fit move
        # behind its » button instead of forcing the window wider.
        self.toolbar = QToolBar()
        self.toolbar.setObjectName("library_toolbar")
        for widget in (
            self.add_button,
            self.edit_button,
            self.archive_button,
            self.restore_button,
            self.sections_button,
            self.import_button,
            self.export_button,
        ):
            self.toolbar.addWidget(widget)
        self.search_edit.setMinimumWidth(140)
        self.search_edit.setMaximumWidth(320)
        top = QHBoxLayout()
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.archived_check)
        top.addWidget(self.count_label, 1)
        top.addWidget(self.toolbar)
        right = QSplitter(Qt.Orientation.Vertical)
        right.setChildrenCollapsible(False)
        right.addWidget(self.stack)
        right.addWidget(self.detail)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        right.setSizes([420, 300])
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        split.addWidget(self.place_tree)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setSizes([230, 900])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        self._update_buttons()

    # -- data ----------------------------------------------------------------------------------

    def set_tree(self, tree: LibraryTree) -> None:
        keep = self.current_standard()
        if keep is not None and self._select_id is None:
            self._select_id = keep.id
        self.tree = tree
        self._fill_tree()
        self.model.set_rows(tree.standards())
        self.apply_filter()

    def _fill_tree(self) -> None:
        assert self.tree is not None
        self.place_tree.fill(self.tree, self.archived_check.isChecked())

    def selected_place(self) -> tuple[str, int]:
        return self.place_tree.selected_place()

    def apply_filter(self) -> None:
        self._debounce.stop()
        words = self.search_edit.text().casefold().split()
        kind, place_id = self.selected_place()
        show_archived = self.archived_check.isChecked()

        def keep(s: StandardView) -> bool:
            if s.archived and not show_archived:
                return False
            if kind == "section" and s.section_id != place_id:
                return False
            if kind == "category" and s.category_id != place_id:
                return False
            return all(w in s.search_text for w in words)

        current = self.current_standard()
        wanted = self._select_id or (current.id if current else None)
        self._select_id = None
        self.model.set_predicate(keep)
        if wanted is not None:
            self.select_standard(wanted)
        self._show_counts()

    def select_standard(self, standard_id: int) -> bool:
        row = self.model.find(lambda s: s.id == standard_id)
        if row < 0:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        self._on_current()
        return True

    def keep_selected(self, standard_id: int) -> None:
        """Select this standard once the library has been loaded again."""
        self._select_id = standard_id

    def current_standard(self) -> StandardView | None:
        return selected(self.table, self.model)

    def _show_counts(self) -> None:
        if self.tree is None:
            return
        shown, total = self.model.rowCount(), len(self.tree.standards())
        self.count_label.setText(f"{shown} of {total} standards")
        if total == 0:
            self.message.set_message(
                "No standards yet", "Add a standard, or import a library file."
            )
            self.message.set_action(None)
            self.stack.setCurrentWidget(self.message)
        elif shown == 0:
            self.message.set_message("No standards match", "Nothing here matches the search.")
            self.message.set_action("Clear the search")
            self.stack.setCurrentWidget(self.message)
        else:
            self.stack.setCurrentWidget(self.table)

    def show_failure(self, message: str) -> None:
        self.count_label.setText("Could not read the library")
        self.message.set_message("Could not read the library", message)
        self.message.set_action("Try again")
        self.stack.setCurrentWidget(self.message)

    def show_history(self) -> None:
        self._on_current()

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    # -- events --------------------------------------------------------------------------------

    def _on_current(self) -> None:
        standard = self.current_standard()
        history = [c for c in self.page.changes if standard and c.standard_id == standard.id]
        self.detail.show_standard(standard, history)
        self._update_buttons()

    def _on_archived_toggled(self) -> None:
        if self.tree is not None:
            self._fill_tree()
            self.apply_filter()

    def _on_panel_action(self) -> None:
        if self.tree is None:
            self.page.reload_library()
        else:
            self.search_edit.clear()
            self.place_tree.select_all()
            self.apply_filter()

    def _escape(self) -> None:
        if self.search_edit.text():
            self.search_edit.clear()
            self.apply_filter()
        else:
            self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _update_buttons(self) -> None:
        standard = self.current_standard()
        writable = not self.page.read_only and self.tree is not None
        self.add_button.setEnabled(writable)
        self.edit_button.setEnabled(writable and standard is not None and not standard.archived)
        self.archive_button.setEnabled(writable and standard is not None and not standard.archived)
        self.restore_button.setEnabled(writable and standard is not None and standard.archived)
        self.sections_button.setEnabled(writable)
        self.import_button.setEnabled(writable)
        self.export_button.setEnabled(self.tree is not None)

    def _update_menu(self) -> None:
        kind, _ = self.selected_place()
        archived = actions.place_archived(self)
        self.new_category_action.setEnabled(actions.section_id_of(self) is not None)
        for action in (self.rename_action, self.archive_place_action, self.restore_place_action):
            action.setEnabled(kind != "all")
        self.archive_place_action.setEnabled(kind != "all" and not archived)
        self.restore_place_action.setEnabled(kind != "all" and archived)

    # -- actions -------------------------------------------------------------------------------

    def run_service(self, what: Any, *args: Any, **kwargs: Any) -> bool:
        """Call a service; a refusal is shown, and the library reloads after a change."""
        try:
            what(self.page.store, *args, author=self.page.author(), **kwargs)
        except VcioDeskError as err:
            self.page.notify(self, err.user_message)
            return False
        self.page.changed()
        return True

    def add_standard(self) -> None:
        if self.tree is None or self.page.read_only:
            return
        kind, place_id = self.selected_place()
        current = self.current_standard()
        category = place_id if kind == "category" else (current.category_id if current else None)
        new_id = self.page.ask_standard(
            self, self.page.store, self.tree, None, author=self.page.author(), category_id=category
        )
        if new_id is not None:
            self._select_id = new_id
            self._push_after(lambda: AddedCommand(self.page, new_id))

    def edit_standard(self) -> None:
        standard = self.current_standard()
        if self.tree is None or standard is None or self.page.read_only:
            return
        if standard.archived:
            self.page.notify(self, f"{standard.code} is archived; restore it before editing it.")
            return
        saved = self.page.ask_standard(
            self, self.page.store, self.tree, standard, author=self.page.author()
        )
        if saved is not None:
            self._select_id = saved
            self._push_after(lambda: EditedCommand(self.page, standard))

    def archive(self) -> None:
        standard = self.current_standard()
        if standard is None or standard.archived or self.page.read_only:
            return
        reason = self.page.ask_reason(
            self,
            f"Archive {standard.code}",
            f"Archive {standard.code}? New alignment reviews leave it out; past reviews and "
            "its history stay, and it can be restored.",
            "Archive",
        )
        if reason is not None:
            self._select_id = standard.id
            self.page.push(ArchiveCommand(self.page, standard.id, standard.code, True, reason))

    def restore(self) -> None:
        standard = self.current_standard()
        if standard is None or not standard.archived or self.page.read_only:
            return
        reason = self.page.ask_reason(
            self,
            f"Restore {standard.code}",
            f"Bring {standard.code} back into use? New alignment reviews will ask it again.",
            "Restore",
        )
        if reason is not None:
            self._select_id = standard.id
            self.page.push(ArchiveCommand(self.page, standard.id, standard.code, False, reason))

    def _push_after(self, make: Any) -> None:
        """The dialog saved a change: it becomes an undo step (the library loads again)."""
        # Its first redo does nothing (the dialog saved it). Changed again meanwhile: the
        # change stays, it is just not undoable here.
        with contextlib.suppress(VcioDeskError):
            self.page.push(make())
        self.page.changed()

    # -- sections, categories and files (in standards_library_actions) -------------------------

    def new_section(self) -> None:
        actions.new_section(self)

    def new_category(self) -> None:
        actions.new_category(self)

    def rename_place(self) -> None:
        actions.rename_place(self)

    def archive_place(self) -> None:
        actions.set_place_archived(self, True)

    def restore_place(self) -> None:
        actions.set_place_archived(self, False)

    def import_file(self) -> None:
        actions.import_file(self)

    def export_file(self) -> None:
        actions.export_file(self)
