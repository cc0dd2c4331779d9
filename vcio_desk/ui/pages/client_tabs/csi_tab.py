"""A client's CSI register and its roadmap with the budget (or the MSP's own, client None).

Two views of one list: the register (sortable, filterable table with a KPI bar;
add, edit, move up/down for rank) and the roadmap (cards by fiscal quarter over the
budget table). ``reload()`` is two small queries; the roadmap is laid out from the
same rows. Every edit made here is undoable: "Undo last change" (Ctrl+Z) applies the
inverse of the last edit through ``services.csi.update_item`` with the note "Undo",
against the version the edit produced, so a later edit made elsewhere is never
overwritten. The item dialog opens through the replaceable ``dialog_opener``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import QLocale, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.domain.errors import VcioDeskError
from vcio_desk.services.client_detail import author_name
from vcio_desk.services.csi import (
    CsiRow,
    RegisterContext,
    item_detail,
    register,
    register_context,
    reorder,
)
from vcio_desk.services.roadmap import build_roadmap
from vcio_desk.store import Store
from vcio_desk.ui.dialogs.csi_dialog import CsiDialog, CsiDialogRequest, CsiOpener
from vcio_desk.ui.dialogs.messages import show_message
from vcio_desk.ui.pages.client_tabs.csi_model import (
    OPEN_STATUSES,
    STATUS_FILTER_ALL,
    STATUS_FILTER_OPEN,
    Column,
    CsiModel,
    ProgressDelegate,
    status_text,
)
from vcio_desk.ui.pages.client_tabs.csi_roadmap import RoadmapView
from vcio_desk.ui.pages.client_tabs.csi_text import preview_html
from vcio_desk.ui.pages.client_tabs.csi_undo import EditCommand, ReorderCommand
from vcio_desk.ui.widgets.message_panel import MessagePanel
from vcio_desk.ui.widgets.tables import row_table
from vcio_desk.ui.workers import GENERIC_FAILURE

log = logging.getLogger(__name__)

FILTER_DELAY_MS = 150
Notifier = Callable[[QWidget, str], None]


def _warn(parent: QWidget, message: str) -> None:
    show_message(parent, "CSI register", message)


class CsiTab(QWidget):
    """The register and the roadmap of one client (or of the MSP itself)."""

    changed = Signal()
    """Something in the register was written (an item added, edited, moved, undone)."""

    def __init__(
        self,
        store: Store,
        client_id: int | None,
        as_of_provider: Callable[[], dt.date],
        locale: QLocale | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("csi_tab")
        self.store = store
        self.client_id = client_id
        self._as_of = as_of_provider
        self._locale = locale or QLocale()
        self.context: RegisterContext | None = None
        self.dialog_opener: CsiOpener = CsiDialog.ask
        self.notify: Notifier = _warn
        self._author: str | None = None
        self.model = CsiModel(self, self._locale)
        self.stack = QUndoStack(self)
        writable = not store.read_only

        # -- register -----------------------------------------------------------------------------
        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("csi_filter")
        self.filter_edit.setPlaceholderText("Filter items…")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setToolTip("Title, description, KPI, owner or quarter")
        self.status_combo = QComboBox()
        self.status_combo.setObjectName("csi_status_filter")
        self.status_combo.addItem("All", STATUS_FILTER_ALL)
        self.status_combo.addItem("Open (not done or deferred)", STATUS_FILTER_OPEN)
        for status in ("proposed", "approved", "in_progress", "done", "deferred"):
            self.status_combo.addItem(status_text(status), status)
        status_caption = QLabel("&Status:")
        status_caption.setBuddy(self.status_combo)
        self.count_label = QLabel()
        self.count_label.setObjectName("csi_count")

        self.add_button = QPushButton("&Add item…")
        self.add_button.setToolTip("A new improvement item (Ctrl+N)")
        self.add_button.clicked.connect(self.add_item)
        self.edit_button = QPushButton("&Open…" if not writable else "&Edit…")
        self.edit_button.setToolTip("Every field, the status, and the item's history (Enter)")
        self.edit_button.clicked.connect(self.edit_selected)
        self.up_button = QPushButton("Move &up")
        self.up_button.setToolTip("Rank the item one place higher (Alt+Up)")
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button = QPushButton("Move do&wn")
        self.down_button.setToolTip("Rank the item one place lower (Alt+Down)")
        self.down_button.clicked.connect(lambda: self.move_selected(1))

        self.undo_action = QAction("Undo last change", self)
        self.undo_action.setObjectName("undo")
        self.undo_action.setShortcuts(QKeySequence.StandardKey.Undo)
        self.undo_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.undo_action.setEnabled(False)
        self.undo_action.triggered.connect(self.undo)
        self.redo_action = QAction("Redo", self)
        self.redo_action.setObjectName("redo")
        self.redo_action.setShortcuts(QKeySequence.StandardKey.Redo)
        self.redo_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.redo_action.setEnabled(False)
        self.redo_action.triggered.connect(self.redo)
        self.addActions([self.undo_action, self.redo_action])
        # The actions are refreshed after each step rather than from the stack's signals:
        # the stack emits them while it is destroyed with the tab.
        undo_button = QToolButton()
        undo_button.setDefaultAction(self.undo_action)
        redo_button = QToolButton()
        redo_button.setDefaultAction(self.redo_action)

        bar = QHBoxLayout()
        bar.addWidget(self.filter_edit, 2)
        bar.addWidget(status_caption)
        bar.addWidget(self.status_combo)
        bar.addSpacing(8)
        bar.addWidget(self.count_label, 1)
        for widget in (self.add_button, self.edit_button, self.up_button, self.down_button):
            bar.addWidget(widget)
        bar.addSpacing(8)
        bar.addWidget(undo_button)
        bar.addWidget(redo_button)

        self.table = row_table(self.model, name="csi_register", sortable=True)
        self.table.setItemDelegateForColumn(Column.KPI, ProgressDelegate(self.table))
        header = self.table.horizontalHeader()
        header.setSortIndicator(Column.RANK, Qt.SortOrder.AscendingOrder)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(Column.TITLE, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self._on_activated)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._on_current())
        header.sortIndicatorChanged.connect(lambda *_: self._update_buttons())
        self._columns_fitted = False

        self.empty_panel = MessagePanel(
            "year",
            "No CSI items yet",
            "Continuous service improvement items are the changes you agree with the "
            "client: what will improve, how you will measure it, when it lands and what "
            "it costs.",
        )
        self.empty_panel.setObjectName("csi_empty")
        self.empty_panel.button.clicked.connect(self._on_panel_action)
        self.preview = QTextBrowser()
        self.preview.setObjectName("csi_preview")
        self.preview.setOpenLinks(False)
        self.preview.setPlaceholderText("Select an item to see its details and latest changes.")
        self.register_split = QSplitter(Qt.Orientation.Vertical)
        self.register_split.addWidget(self.table)
        self.register_split.addWidget(self.preview)
        self.register_split.setStretchFactor(0, 3)
        self.register_split.setStretchFactor(1, 2)
        self.register_split.setChildrenCollapsible(False)
        self.register_stack = QStackedWidget()
        self.register_stack.addWidget(self.register_split)
        self.register_stack.addWidget(self.empty_panel)

        register_page = QWidget()
        register_page.setObjectName("csi_register_page")
        register_layout = QVBoxLayout(register_page)
        register_layout.setContentsMargins(0, 4, 0, 0)
        register_layout.addLayout(bar)
        register_layout.addWidget(self.register_stack, 1)

        # -- roadmap ------------------------------------------------------------------------------
        self.roadmap_view = RoadmapView(self._locale)
        self.roadmap_view.item_activated.connect(self.edit_item)
        self.roadmap_view.quarters_changed.connect(lambda _n: self._show_roadmap())

        self.views = QTabWidget()
        self.views.setObjectName("csi_views")
        self.views.addTab(register_page, "Register")
        self.views.addTab(self.roadmap_view, "Roadmap && budget")
        self.error_panel = MessagePanel("warning", "", "")
        self.outer = QStackedWidget()
        self.outer.addWidget(self.views)
        self.outer.addWidget(self.error_panel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.outer)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(FILTER_DELAY_MS)
        self._debounce.timeout.connect(self._apply_filter)
        self.filter_edit.textChanged.connect(self._debounce.start)
        self.status_combo.currentIndexChanged.connect(self._apply_filter)
        for keys, slot in (
            (QKeySequence.StandardKey.New, self.add_item),
            (QKeySequence.StandardKey.Find, self._focus_filter),
            (QKeySequence("Alt+Up"), lambda: self.move_selected(-1)),
            (QKeySequence("Alt+Down"), lambda: self.move_selected(1)),
        ):
            shortcut = QShortcut(keys, self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self._update_buttons()

    # -- public ----------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the register again (two small queries) and lay out both views."""
        selected = self.selected_row()
        try:
            self.context = register_context(self.store, self.client_id)
            rows = register(self.store, self.client_id)
        except VcioDeskError as err:
            self.context = None
            self.error_panel.set_message("The register cannot be shown", err.user_message)
            self.outer.setCurrentWidget(self.error_panel)
            return
        self.outer.setCurrentWidget(self.views)
        self.model.set_rows(rows, self.context.currency_symbol)
        self._apply_filter()
        self._show_roadmap()
        if rows and not self._columns_fitted:
            self._fit_columns()
        if selected is not None:
            self.select_item(selected.id)
        self._update_buttons()
        self._show_preview()

    def author(self) -> str:
        """Who signs changes made here (read once; the workspace's current user)."""
        if self._author is None:
            self._author = author_name(self.store)
        return self._author

    def selected_row(self) -> CsiRow | None:
        index = self.table.currentIndex()
        if not index.isValid() or self.register_stack.currentWidget() is not self.register_split:
            return None
        return self.model.row_at(index.row())

    def select_item(self, item_id: int) -> bool:
        row = self.model.row_of(item_id)
        if row is None:
            return False
        self.table.setCurrentIndex(self.model.index(row, Column.TITLE))
        self.table.scrollTo(self.model.index(row, Column.TITLE))
        return True

    def add_item(self) -> int | None:
        """Open the dialog for a new item; its id when saved."""
        if self.store.read_only or self.context is None:
            return None
        result = self.dialog_opener(self, self._request(None))
        if result is None:
            return None
        self.after_write(select=result.item_id)
        return result.item_id

    def edit_item(self, item_id: int) -> bool:
        """Open one item; True when an edit was saved (and can be undone)."""
        if self.context is None:
            return False
        try:
            result = self.dialog_opener(self, self._request(item_id))
        except VcioDeskError as err:  # removed meanwhile
            self.notify(self, err.user_message)
            self.reload()
            return False
        if result is None or result.edit is None or not result.edit.changed:
            return False
        title = next((r.title for r in self.model.all_rows() if r.id == item_id), "the item")
        self.stack.push(EditCommand(self, f"edit of “{title}”", result.edit))
        self.after_write(select=item_id)
        return True

    def edit_selected(self) -> bool:
        row = self.selected_row()
        return self.edit_item(row.id) if row is not None else False

    def move_selected(self, offset: int) -> bool:
        """Swap the selected item with its neighbour in rank order (-1 up, +1 down)."""
        row = self.selected_row()
        if row is None or not self._can_move(row, offset):
            return False
        before = [r.id for r in sorted(self.model.all_rows(), key=lambda r: (r.rank, r.id))]
        at = before.index(row.id)
        after = list(before)
        after[at], after[at + offset] = after[at + offset], after[at]
        try:
            reorder(self.store, self.client_id, after, self.author())
        except VcioDeskError as err:
            self.notify(self, err.user_message)
            self.reload()
            return False
        verb = "up" if offset < 0 else "down"
        self.stack.push(ReorderCommand(self, f"move of “{row.title}” {verb}", before, after))
        self.after_write(select=row.id)
        return True

    def undo(self) -> None:
        if self.stack.canUndo() and not self.store.read_only:
            self.stack.undo()
        self._update_undo()

    def redo(self) -> None:
        if self.stack.canRedo() and not self.store.read_only:
            self.stack.redo()
        self._update_undo()

    def after_write(self, select: int | None = None) -> None:
        """Reload, keep the item in view, and tell the page."""
        self.reload()
        if select is not None:
            self.select_item(select)
        self._update_buttons()
        self.changed.emit()

    def report_failure(self, exc: Exception) -> None:
        if isinstance(exc, VcioDeskError):
            message = exc.user_message
        else:
            log.error("CSI register change failed", exc_info=exc)
            message = GENERIC_FAILURE
        QTimer.singleShot(0, lambda: self.notify(self, message))
        QTimer.singleShot(0, self.reload)

    # -- internals -------------------------------------------------------------------------------

    def _request(self, item_id: int | None) -> CsiDialogRequest:
        assert self.context is not None
        return CsiDialogRequest(
            self.store, self.context, self._as_of(), self.author(), item_id, self._locale
        )

    def _show_roadmap(self) -> None:
        if self.context is None:
            return
        roadmap = build_roadmap(
            self.model.all_rows(),
            self.client_id,
            self._as_of(),
            self.context.fiscal_start_month,
            self.roadmap_view.quarter_count,
        )
        self.roadmap_view.set_roadmap(roadmap, self.context.currency_symbol)

    def _apply_filter(self) -> None:
        self._debounce.stop()
        self.model.set_filter(self.filter_edit.text(), self.status_combo.currentData())
        self._show_counts()
        self._update_buttons()

    def _show_counts(self) -> None:
        rows: Sequence[CsiRow] = self.model.all_rows()
        total, shown = len(rows), self.model.rowCount()
        open_count = sum(1 for r in rows if r.status in OPEN_STATUSES)
        noun = "item" if total == 1 else "items"
        prefix = f"{shown} of " if shown != total else ""
        self.count_label.setText(f"{prefix}{total} {noun} · {open_count} open")
        if total == 0:
            self.empty_panel.set_message(
                "No CSI items yet",
                "Continuous service improvement items are the changes you agree with the "
                "client: what will improve, how you will measure it, when it lands and "
                "what it costs.",
            )
            self.empty_panel.set_action(None if self.store.read_only else "Add the first item…")
            self.register_stack.setCurrentWidget(self.empty_panel)
        elif shown == 0:
            self.empty_panel.set_message("No items match", "No item matches the filter above.")
            self.empty_panel.set_action("Clear the filter")
            self.register_stack.setCurrentWidget(self.empty_panel)
        else:
            self.register_stack.setCurrentWidget(self.register_split)

    def _on_panel_action(self) -> None:
        if self.model.total_count == 0:
            self.add_item()
        else:
            self.filter_edit.clear()
            self.status_combo.setCurrentIndex(0)
            self._apply_filter()

    def _focus_filter(self) -> None:
        self.views.setCurrentIndex(0)
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def _on_current(self) -> None:
        self._update_buttons()
        self._show_preview()

    def _show_preview(self) -> None:
        """The selected item's story: what, why, KPI, money, and its latest changes."""
        row = self.selected_row()
        if row is None or self.context is None:
            self.preview.clear()
            return
        try:
            detail = item_detail(self.store, row.id)
        except VcioDeskError as err:
            self.preview.setPlainText(err.user_message)
            return
        self.preview.setHtml(preview_html(detail, self._locale, self.context.currency_symbol))

    def _on_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.edit_item(self.model.row_at(index.row()).id)

    def _can_move(self, row: CsiRow, offset: int) -> bool:
        if self.store.read_only or not self.model.sorted_by_rank:
            return False
        ordered = sorted(self.model.all_rows(), key=lambda r: (r.rank, r.id))
        at = next(i for i, r in enumerate(ordered) if r.id == row.id)
        return 0 <= at + offset < len(ordered)

    def _update_buttons(self) -> None:
        writable = not self.store.read_only
        row = self.selected_row()
        self.add_button.setEnabled(writable and self.context is not None)
        self.edit_button.setEnabled(row is not None)
        self.up_button.setEnabled(row is not None and self._can_move(row, -1))
        self.down_button.setEnabled(row is not None and self._can_move(row, 1))
        rank_hint = "" if self.model.sorted_by_rank else " (sort by # to move items)"
        self.up_button.setToolTip(f"Rank the item one place higher (Alt+Up){rank_hint}")
        self.down_button.setToolTip(f"Rank the item one place lower (Alt+Down){rank_hint}")
        self._update_undo()

    def _update_undo(self) -> None:
        writable = not self.store.read_only
        self.undo_action.setEnabled(writable and self.stack.canUndo())
        self.redo_action.setEnabled(writable and self.stack.canRedo())
        undo_text = self.stack.undoText()
        self.undo_action.setToolTip(
            f"Undo the {undo_text} (Ctrl+Z)" if undo_text else "Nothing to undo"
        )
        redo_text = self.stack.redoText()
        self.redo_action.setToolTip(f"Redo the {redo_text}" if redo_text else "Nothing to redo")

    def _fit_columns(self) -> None:
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        header.resizeSection(Column.KPI, max(header.sectionSize(Column.KPI), 120))
        header.setSectionResizeMode(Column.TITLE, QHeaderView.ResizeMode.Stretch)
        self._columns_fitted = True
