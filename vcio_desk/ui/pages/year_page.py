"""The Year page: a wall planner of subjects (clients, then internal bodies) × 12 months.

The page builds cheaply and loads when it is shown: the drift report and the year
grid are computed on a worker (``services.drift.assess_all`` then
``services.year_grid.year_grid``) and the prepared rows handed to
:class:`YearModel`. Filters run in Python over those rows and reset the model;
typing is debounced. Meeting changes made from here are undoable (Ctrl+Z /
Ctrl+Shift+Z) and reload the grid. Dialogs are opened through ``exec_dialog``,
menus through ``choose_chip`` and messages through ``notify``, so tests replace
them and nothing blocks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QLocale,
    QModelIndex,
    QObject,
    QPoint,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QCursor, QFont, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.services.year_grid import CellState, YearGrid
from vcio_desk.ui import icons
from vcio_desk.ui.dialogs.calendar_export_dialog import CalendarExportDialog
from vcio_desk.ui.dialogs.generate_year import GenerateYearDialog
from vcio_desk.ui.dialogs.meeting_dialog import MeetingActions, MeetingDialog, MeetingHeader
from vcio_desk.ui.dialogs.messages import show_message
from vcio_desk.ui.formatting import format_date
from vcio_desk.ui.models.capacity_model import CapacityModel
from vcio_desk.ui.models.year_model import (
    MONTHS,
    SUBJECT_COLUMN,
    Chip,
    PreparedRow,
    YearFilter,
    YearModel,
    chip_description,
    prepare_rows,
)
from vcio_desk.ui.widgets.message_panel import MessagePanel
from vcio_desk.ui.widgets.year_delegate import (
    LegendStrip,
    YearDelegate,
    cell_height,
    chip_width,
)
from vcio_desk.ui.widgets.year_filters import YearFilters
from vcio_desk.ui.workers import Operation, ProgressFn, run_in_background

if TYPE_CHECKING:
    from vcio_desk.ui.main_window import MainWindow

DEFAULT_LINES = 2
"""Chips a row shows without growing (a tier A client: a TA review and a vCIO meeting)."""
MAX_LINES = 5
"""Rows grow to this many chips (a weekly meeting); beyond it a cell says "+n more"."""
SUBJECT_WIDTH = (140, 180, 300)
"""Subject column: narrowest, usual minimum, widest."""
MONTH_COMFORTABLE = "◔ 28 vCIO"
"""The subject column gives up width (down to its narrowest) so chips show this much."""
MONTH_NARROWEST = "◔ 28"
"""Months never get narrower than a glyph and a day: the whole year stays in view."""

ChipChooser = Callable[[QWidget, Sequence[Chip], QPoint], "Chip | None"]
Notifier = Callable[[QWidget, str], None]


@dataclass(frozen=True)
class YearData:
    """What the worker hands back: the grid and its rows prepared for the model."""

    year: int
    as_of: dt.date
    grid: YearGrid
    rows: list[PreparedRow]


def menu_choice(parent: QWidget, chips: Sequence[Chip], where: QPoint) -> Chip | None:
    """Pick one of several meetings in a cell from a small menu at ``where``."""
    menu = QMenu(parent)
    locale = QLocale()
    chosen: list[Chip] = []
    for chip in chips:
        action = menu.addAction(chip_description(chip, locale))
        action.triggered.connect(lambda _checked=False, c=chip: chosen.append(c))
    menu.exec(where)
    menu.deleteLater()
    return chosen[0] if chosen else None


def _inform(parent: QWidget, message: str) -> None:
    show_message(parent, "Year", message, QMessageBox.Icon.Information)


def _exec(dialog: QDialog) -> object:
    return dialog.exec()


class YearPage(QWidget):
    """Wall planner with filters, capacity per owner, Generate year, calendar export, undo."""

    loaded = Signal()
    """Rows for the shown year are in the model (after every load)."""

    def __init__(self, window: MainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page_year")
        self._window = window
        self._store = window.store
        self._as_of = window.as_of_provider
        self._year = self._as_of().year
        self._is_loaded = False
        self._operation: Operation | None = None
        self._again = False
        self._scroll_to_today = True
        self.grid: YearGrid | None = None
        self.exec_dialog: Callable[[QDialog], object] = _exec
        self.choose_chip: ChipChooser = menu_choice
        self.notify: Notifier = _inform

        self.meeting_actions = MeetingActions(self._store, self._as_of, self)
        self.undo_stack = self.meeting_actions.stack
        self.undo_stack.indexChanged.connect(self._on_undo_index)
        self.model = YearModel(self)
        self.capacity_model = CapacityModel(self)

        self._build_toolbar()
        self._build_filters()
        self.legend = LegendStrip()
        self._build_tables()

        layout = QVBoxLayout(self)
        layout.setSpacing(6)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.legend)
        layout.addWidget(self.stack, 1)

    # -- construction ------------------------------------------------------------------------

    def _build_toolbar(self) -> None:
        self.toolbar = QToolBar("Year")
        self.toolbar.setObjectName("year_toolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.previous_action = self._action("◀", "Previous year (Ctrl+PgUp)", "Ctrl+PgUp")
        self.previous_action.triggered.connect(lambda: self.set_year(self._year - 1))
        self.next_action = self._action("▶", "Next year (Ctrl+PgDown)", "Ctrl+PgDown")
        self.next_action.triggered.connect(lambda: self.set_year(self._year + 1))
        self.today_action = self._action("&Today", "Back to this year and month (Ctrl+T)", "Ctrl+T")
        self.today_action.triggered.connect(self.go_to_today)
        self.generate_action = self._action(
            "&Generate year…", "Preview and apply the year's schedule (Ctrl+G)", "Ctrl+G"
        )
        self.generate_action.setIcon(icons.icon("year"))
        self.generate_action.triggered.connect(self.generate_year)
        self.export_action = self._action(
            "&Export calendar…", "Write meetings to an .ics calendar file (Ctrl+E)", "Ctrl+E"
        )
        self.export_action.setIcon(icons.icon("meeting"))
        self.export_action.triggered.connect(self.export_calendar)
        self.undo_action = self.meeting_actions.undo_action
        self.redo_action = self.meeting_actions.redo_action

        self.year_label = QLabel(str(self._year))
        self.year_label.setObjectName("year_label")
        font = QFont(self.year_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.year_label.setFont(font)
        self.year_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.year_label.setMinimumWidth(
            self.year_label.fontMetrics().horizontalAdvance("0000") + 16
        )

        self.toolbar.addAction(self.previous_action)
        self.toolbar.addWidget(self.year_label)
        self.toolbar.addAction(self.next_action)
        self.toolbar.addAction(self.today_action)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.generate_action)
        self.toolbar.addAction(self.export_action)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.undo_action)
        self.toolbar.addAction(self.redo_action)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.toolbar.addWidget(spacer)
        self.status_label = QLabel("")
        self.status_label.setObjectName("year_status")
        self.toolbar.addWidget(self.status_label)
        self.count_label = QLabel("")
        self.count_label.setObjectName("year_count")
        self.count_label.setContentsMargins(12, 0, 4, 0)
        self.toolbar.addWidget(self.count_label)

    def _action(self, text: str, tip: str, key: str) -> QAction:
        action = QAction(text, self)
        action.setToolTip(tip)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        return action

    def _build_filters(self) -> None:
        self.filters = YearFilters()
        self.filters.changed.connect(self._apply_filter)
        self.filter_bar = self.filters
        self.filter_edit = self.filters.text_edit
        self.owner_combo = self.filters.owner_combo
        self.manager_combo = self.filters.manager_combo
        self.tier_combo = self.filters.tier_combo
        self.type_combo = self.filters.type_combo

    def _build_tables(self) -> None:
        self.delegate = YearDelegate(self)
        self.table = QTableView()
        self.table.setObjectName("year_table")
        self.table.setModel(self.model)
        self.table.setItemDelegate(self.delegate)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.verticalHeader().hide()
        metrics = self.table.fontMetrics()
        self.table.verticalHeader().setDefaultSectionSize(cell_height(DEFAULT_LINES, metrics))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.table.doubleClicked.connect(self.open_cell)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(key), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(lambda: self.open_cell(self.table.currentIndex()))

        self.capacity_table = QTableView()
        self.capacity_table.setObjectName("capacity_table")
        self.capacity_table.setModel(self.capacity_model)
        self.capacity_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.capacity_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.capacity_table.setWordWrap(False)
        self.capacity_table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.capacity_table.horizontalHeader().hide()
        self.capacity_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.capacity_table.verticalHeader().hide()
        self.capacity_table.verticalHeader().setDefaultSectionSize(metrics.height() + 8)
        self.capacity_table.setMaximumHeight(3 * (metrics.height() + 8) + 4)  # until loaded
        self.capacity_table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.capacity_table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.table.horizontalScrollBar().valueChanged.connect(
            self.capacity_table.horizontalScrollBar().setValue
        )
        self.capacity_caption = QLabel(
            "Capacity: meetings each owner has in the month (not cancelled) / daily capacity × "
            "working days. ⚠ marks a month over capacity."
        )
        self.capacity_caption.setObjectName("capacity_caption")
        self.capacity_caption.setWordWrap(True)
        capacity_box = QWidget()
        box = QVBoxLayout(capacity_box)
        box.setContentsMargins(0, 4, 0, 0)
        box.setSpacing(2)
        box.addWidget(self.capacity_caption)
        box.addWidget(self.capacity_table, 1)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(capacity_box)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)

        self.empty_panel = MessagePanel("year", "", "", parent=self)
        self.empty_panel.button.clicked.connect(self.clear_filters)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.splitter)
        self.stack.addWidget(self.empty_panel)
        self.table.viewport().installEventFilter(self)

    # -- public ------------------------------------------------------------------------------

    @property
    def year(self) -> int:
        return self._year

    @property
    def is_loaded(self) -> bool:
        """True once rows for the shown year have arrived at least once."""
        return self._is_loaded

    @property
    def is_loading(self) -> bool:
        return self._operation is not None

    def reload(self) -> None:
        """Fetch the shown year again on a worker, keeping the filters."""
        if self._operation is not None:
            self._again = True
            return
        store, year, as_of = self._store, self._year, self._as_of()

        def work(progress: ProgressFn) -> YearData:
            from vcio_desk.services.drift import assess_all
            from vcio_desk.services.year_grid import year_grid

            drift = assess_all(store, as_of)
            progress(1, 2, "Laying out the year")  # a cancelled load stops here
            grid = year_grid(store, year, as_of, drift)
            return YearData(year, as_of, grid, prepare_rows(grid))

        self.status_label.setText("Loading…")
        self._operation = run_in_background(
            self,
            work,
            on_success=self._arrived,
            on_failure=self._load_failed,
            on_cancelled=self._load_cancelled,
        )

    def set_year(self, year: int) -> None:
        year = max(1900, min(9000, year))
        if year == self._year:
            return
        self._year = year
        self.year_label.setText(str(year))
        self.reload()

    def go_to_today(self) -> None:
        self._scroll_to_today = True
        if self._year != self._as_of().year:
            self.set_year(self._as_of().year)
        else:
            self._scroll_today()

    def clear_filters(self) -> None:
        self.filters.clear()

    def current_filter(self) -> YearFilter:
        return self.filters.current()

    # -- opening meetings --------------------------------------------------------------------

    def open_cell(self, index: QModelIndex) -> None:
        """Open the cell's meeting; with several, ask which; a missed slot only explains."""
        chips = self.model.chips_at(index)
        if not chips:
            return
        if len(chips) == 1:
            chip: Chip | None = chips[0]
        else:
            rect = self.table.visualRect(index)
            where = self.table.viewport().mapToGlobal(rect.bottomLeft())
            if not self.table.viewport().rect().contains(rect.bottomLeft()):
                where = QCursor.pos()
            chip = self.choose_chip(self, chips, where)
        if chip is not None:
            self.open_chip(self.model.row_at(index.row()), chip)

    def open_chip(self, prepared: PreparedRow, chip: Chip) -> None:
        meeting = chip.meeting
        if meeting.meeting_id is None:
            self.notify(self, self.unbooked_text(prepared, chip))
            return
        header = MeetingHeader(
            meeting.meeting_id, prepared.subject, meeting.meeting_type, meeting.owner, meeting.slot
        )
        dialog = MeetingDialog(
            header, self.meeting_actions, self, open_page=self._window.open_meeting
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.exec_dialog(dialog)

    def unbooked_text(self, prepared: PreparedRow, chip: Chip) -> str:
        meeting = chip.meeting
        slot = format_date(meeting.day)
        what = f"the {meeting.meeting_type} slot of {slot} for {prepared.subject}"
        if chip.state is CellState.MISSED:
            return (
                f"Nothing was booked or held for {what}, and its window has passed: "
                "it counts as missed. There is no meeting to open."
            )
        return (
            f"Nothing is booked for {what}. It is overdue: its tolerance has passed, but a "
            "meeting held soon still counts for it."
        )

    # -- dialogs -----------------------------------------------------------------------------

    def generate_year(self) -> None:
        dialog = GenerateYearDialog(self._store, self._year, self._as_of(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.applied.connect(self._schedule_applied)
        self.exec_dialog(dialog)

    def export_calendar(self) -> None:
        owners = self.filters.owners()
        subjects = [
            (r.row.subject_kind, r.row.subject_id, r.subject) for r in self.model.all_rows()
        ]
        dialog = CalendarExportDialog(self._store, self._year, owners, subjects, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        owner = self.owner_combo.currentData()
        if owner is not None:
            dialog.owner_radio.setChecked(True)
            dialog.owner_combo.setCurrentIndex(dialog.owner_combo.findData(owner))
        dialog.exported.connect(
            lambda report: self._message(f"Calendar written: {report.events} events")
        )
        self.exec_dialog(dialog)

    def _schedule_applied(self, plan: Any) -> None:
        self._message(
            f"Schedule written for {plan.window.label}: {len(plan.added)} meetings added, "
            f"{len(plan.removed)} removed."
        )
        self.reload()

    def _message(self, text: str) -> None:
        self._window.statusBar().showMessage(text, 8000)

    # -- loading -----------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.reload()  # first time: load; later: pick up changes made on other pages

    def _arrived(self, data: Any) -> None:
        self._operation = None
        if data.year == self._year:
            self._show(data)
        if self._again or data.year != self._year:
            self._again = False
            self.reload()
            return
        self.status_label.setText("")
        self.loaded.emit()

    def _show(self, data: YearData) -> None:
        self.grid = data.grid
        self.model.set_rows(data.year, data.as_of, data.rows)
        self.capacity_model.set_rows(data.year, data.grid.capacity)
        self.filters.fill(data.grid.staff, data.rows, data.grid.meeting_types)
        self.legend.set_meeting_types(
            [(k, n) for k, n in data.grid.meeting_types if self._type_used(k, data.rows)]
        )
        self._is_loaded = True
        self._apply_filter()
        self._layout_columns()
        if self._scroll_to_today:
            self._scroll_today()

    def _load_failed(self, message: str) -> None:
        self._operation = None
        self._again = False
        self.status_label.setText("Could not load the year")
        self.notify(self, message)

    def _load_cancelled(self) -> None:
        self._operation = None
        self.status_label.setText("")

    def _on_undo_index(self, _index: int) -> None:
        self.reload()

    @staticmethod
    def _type_used(key: str, rows: Sequence[PreparedRow]) -> bool:
        return any(c.meeting.meeting_type_key == key for r in rows for m in r.months for c in m)

    # -- filters -----------------------------------------------------------------------------

    def _apply_filter(self) -> None:
        wanted = self.current_filter()
        self.model.set_filter(wanted)
        self.capacity_model.set_owner(wanted.owner_id)
        self._fit_rows()
        self._show_counts()

    def _fit_rows(self) -> None:
        header = self.table.verticalHeader()
        metrics = self.table.fontMetrics()
        default = header.defaultSectionSize()
        for row in range(self.model.rowCount()):
            lines = self.model.most_chips(row)
            if lines > DEFAULT_LINES:
                header.resizeSection(row, cell_height(min(lines, MAX_LINES), metrics))
            elif header.sectionSize(row) != default:
                header.resizeSection(row, default)
        rows = self.capacity_model.rowCount()
        height = self.capacity_table.verticalHeader().defaultSectionSize()
        self.capacity_table.setMinimumHeight(min(rows, 3) * height + 4)
        self.capacity_table.setMaximumHeight(max(rows, 1) * height + 4)

    def _show_counts(self) -> None:
        if not self._is_loaded:
            return
        shown, total = self.model.rowCount(), self.model.total_count
        locale = QLocale()
        noun = "subject" if total == 1 else "subjects"
        self.count_label.setText(f"{locale.toString(shown)} of {locale.toString(total)} {noun}")
        if total == 0:
            self.empty_panel.set_message(
                "Nothing to plan yet",
                "This workspace has no active clients or internal bodies. Add clients (or "
                "fill the workspace with the demo from the Clients page), then come back to "
                "plan their year.",
            )
            self.empty_panel.set_action(None)
            self.stack.setCurrentWidget(self.empty_panel)
        elif shown == 0:
            self.empty_panel.set_message(
                "Nothing matches",
                "No client or internal body matches the filter and the owner, account "
                "manager, tier and meeting type chosen above.",
            )
            self.empty_panel.set_action("Clear filters")
            self.stack.setCurrentWidget(self.empty_panel)
        else:
            self.stack.setCurrentWidget(self.splitter)

    # -- layout ------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._layout_columns()
        return super().eventFilter(watched, event)

    def _layout_columns(self) -> None:
        """Subject column sized to the names; the twelve months share the rest equally."""
        metrics = self.table.fontMetrics()
        names = [r.subject for r in self.model.all_rows()]
        widest = max((metrics.horizontalAdvance(n) for n in names[:2000]), default=0)
        narrowest, usual, widest_allowed = SUBJECT_WIDTH
        subject = max(usual, min(widest_allowed, widest + 70))
        viewport = self.table.viewport().width()
        comfortable = chip_width(metrics, MONTH_COMFORTABLE)
        if (viewport - subject) // MONTHS < comfortable:
            subject = max(narrowest, viewport - comfortable * MONTHS)
        month = max((viewport - subject) // MONTHS, chip_width(metrics, MONTH_NARROWEST))
        for header in (self.table.horizontalHeader(), self.capacity_table.horizontalHeader()):
            header.resizeSection(SUBJECT_COLUMN, subject)
            for column in range(1, MONTHS + 1):
                header.resizeSection(column, month)

    def _scroll_today(self) -> None:
        month = self.model.current_month()
        if not month or self.model.rowCount() == 0:
            return
        self._scroll_to_today = False
        self.table.scrollTo(self.model.index(0, month), QAbstractItemView.ScrollHint.EnsureVisible)
        self.table.selectionModel().setCurrentIndex(
            self.model.index(0, month), QItemSelectionModel.SelectionFlag.NoUpdate
        )
