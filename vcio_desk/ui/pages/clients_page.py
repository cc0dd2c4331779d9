"""The Clients page: a fast, filterable list of every client and who owns it.

The page asks ``services.clients.list_clients`` for plain rows when told to
(``reload``), hands them to :class:`ClientsModel`, and turns the filter widgets
into one ``set_filter`` call. Typing is debounced so a long list is filtered
once per pause, not once per key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QByteArray, QLocale, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.services.clients import list_clients
from vcio_desk.store import Store
from vcio_desk.ui.models.clients_model import ClientsModel, Column, StatusFilter
from vcio_desk.ui.preferences import CLIENTS_HEADER, ui_settings
from vcio_desk.ui.widgets.message_panel import MessagePanel
from vcio_desk.ui.widgets.tables import row_table

FILTER_DELAY_MS = 150
_TIERS = ("A", "B", "C")


class ClientsPage(QWidget):
    """Clients list with text, tier, owner and status filters."""

    client_activated = Signal(int)
    """A client's id, when its row is double-clicked or Enter is pressed on it."""
    demo_requested = Signal()
    """The empty workspace's "Fill with a demo" button was pressed."""

    def __init__(
        self,
        store: Store,
        as_of_provider: Callable[[], dt.date],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("page_clients")
        self._store = store
        self._as_of = as_of_provider
        self._loaded = False
        self.model = ClientsModel(self)

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter clients…")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setToolTip("Name, ID or owner (Ctrl+F; Esc clears)")
        self.tier_combo = QComboBox()
        self.tier_combo.addItem("All", None)
        for tier in _TIERS:
            self.tier_combo.addItem(tier, tier)
        self.owner_combo = QComboBox()
        self.owner_combo.addItem("Everyone", None)
        self.owner_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.status_combo = QComboBox()
        for label, status in (
            ("Active", StatusFilter.ACTIVE),
            ("Inactive", StatusFilter.INACTIVE),
            ("All", StatusFilter.ALL),
        ):
            self.status_combo.addItem(label, status.value)
        self.count_label = QLabel("Loading clients…")

        self.table = row_table(self.model, sortable=True)
        header = self.table.horizontalHeader()
        header.setSortIndicator(Column.CLIENT, Qt.SortOrder.AscendingOrder)
        self._columns_fitted = self._restore_header()  # saved widths win over fitting

        self.empty_panel = MessagePanel("empty", "", "", parent=self)
        self.empty_panel.button.clicked.connect(self._on_panel_action)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty_panel)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(FILTER_DELAY_MS)
        self._debounce.timeout.connect(self._apply_filter)
        self.filter_edit.textChanged.connect(self._debounce.start)
        for combo in (self.tier_combo, self.owner_combo, self.status_combo):
            combo.currentIndexChanged.connect(self._apply_filter)
        self.table.activated.connect(self._on_activated)

        # Window-wide while this page is the one shown (hidden widgets take no shortcuts).
        find = QShortcut(QKeySequence.StandardKey.Find, self)
        find.setContext(Qt.ShortcutContext.WindowShortcut)
        find.activated.connect(self.focus_filter)
        clear = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.filter_edit)
        clear.setContext(Qt.ShortcutContext.WidgetShortcut)
        clear.activated.connect(self._escape)

        bar = QHBoxLayout()
        bar.addWidget(self.filter_edit, 3)
        for label, combo in (
            ("Tier", self.tier_combo),
            ("Owner", self.owner_combo),
            ("Status", self.status_combo),
        ):
            caption = QLabel(f"{label}:")
            caption.setBuddy(combo)
            bar.addSpacing(8)
            bar.addWidget(caption)
            bar.addWidget(combo)
        bar.addStretch(1)
        bar.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)

    # -- public -----------------------------------------------------------------------------

    @property
    def loaded(self) -> bool:
        """True once rows have been fetched at least once."""
        return self._loaded

    def reload(self) -> None:
        """Fetch the rows again (after a demo, an import or an edit) keeping the filters."""
        rows = list_clients(self._store, self._as_of())
        self.model.set_rows(rows)
        self._fill_owners()
        self._loaded = True
        self._apply_filter()
        if rows and not self._columns_fitted:
            self._fit_columns()

    def focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def clear_filters(self) -> None:
        """Back to everything active: no text, all tiers, everyone."""
        for combo in (self.tier_combo, self.owner_combo, self.status_combo):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.filter_edit.blockSignals(True)
        self.filter_edit.clear()
        self.filter_edit.blockSignals(False)
        self._apply_filter()

    def save_state(self) -> None:
        """Remember column widths, order and sort for the next session."""
        ui_settings().setValue(CLIENTS_HEADER, self.table.horizontalHeader().saveState())

    # -- internals ---------------------------------------------------------------------------

    def _fit_columns(self) -> None:
        """Size columns to their contents plus breathing room (once; then the user's widths)."""
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        last = self.model.columnCount() - 1
        padded = range(last)  # the last section stretches anyway
        # A stretched last section never shrinks below its pre-stretch (default) size.
        last_width = max(header.sectionSizeHint(last), header.defaultSectionSize())
        needed = sum(header.sectionSize(c) for c in padded) + last_width
        room = self.table.viewport().width() - self.table.verticalScrollBar().sizeHint().width()
        gap = max(0, min((room - needed) // len(padded), self.fontMetrics().averageCharWidth() * 3))
        for column in padded:
            header.resizeSection(column, header.sectionSize(column) + gap)
        self._columns_fitted = True

    def _restore_header(self) -> bool:
        header = self.table.horizontalHeader()
        saved = ui_settings().value(CLIENTS_HEADER)
        if not isinstance(saved, QByteArray | bytes) or not header.restoreState(saved):
            return False
        self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        return True

    def _fill_owners(self) -> None:
        current = self.owner_combo.currentData()
        self.owner_combo.blockSignals(True)
        while self.owner_combo.count() > 1:
            self.owner_combo.removeItem(1)
        for name in self.model.owners():
            self.owner_combo.addItem(name, name)
        index = self.owner_combo.findData(current) if current is not None else 0
        self.owner_combo.setCurrentIndex(max(index, 0))
        self.owner_combo.blockSignals(False)

    def _escape(self) -> None:
        if self.filter_edit.text():
            self.filter_edit.clear()
            self._apply_filter()
        else:
            self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _apply_filter(self) -> None:
        self._debounce.stop()
        self.model.set_filter(
            self.filter_edit.text(),
            self.tier_combo.currentData(),
            self.owner_combo.currentData(),
            self.status_combo.currentData(),
        )
        self._show_counts()

    def _show_counts(self) -> None:
        if not self._loaded:
            return
        shown, total = self.model.rowCount(), self.model.total_count
        locale = QLocale()
        noun = "client" if total == 1 else "clients"
        self.count_label.setText(f"{locale.toString(shown)} of {locale.toString(total)} {noun}")
        if total == 0:
            self.empty_panel.set_message(
                "No clients yet",
                "This workspace has no clients yet. Fill it with a realistic demo of 40 "
                "clients and three years of meetings to look around.",
            )
            self.empty_panel.set_action("Fill with a demo…")
            self.stack.setCurrentWidget(self.empty_panel)
        elif shown == 0:
            self.empty_panel.set_message(
                "No clients match",
                "No client matches the filter and the tier, owner and status chosen above.",
            )
            self.empty_panel.set_action("Clear filters")
            self.stack.setCurrentWidget(self.empty_panel)
        else:
            self.stack.setCurrentWidget(self.table)

    def _on_panel_action(self) -> None:
        if self.model.total_count == 0:
            self.demo_requested.emit()
        else:
            self.clear_filters()

    def _on_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.client_activated.emit(self.model.row_at(index.row()).id)
