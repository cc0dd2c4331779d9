"""The Rhythms page: every rhythm's flag, reason and figures in one fast, filterable table.

For account managers: which client rhythms are on track, drifting, overdue or
broken, and why. The drift report is computed on a worker the first time the page
is shown (and on Refresh / F5, or when the date changes); filtering and sorting
are Python list work followed by a model reset, typing debounced by 150 ms.
"Export CSV…" writes what the table shows, formula-safe, as UTF-8 with a BOM;
"Adherence report…" renders the printable PDF (``services.adherence_report``) on a
worker. Both ask for a file through :class:`SaveFileDialog`, which tests replace.
"Rhythm review…" (Ctrl+R) opens the review dialog on the page's latest drift report
through ``review_opener`` (tests replace it) and refreshes after a change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QLocale, QModelIndex, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.atomic import write_atomically
from vcio_desk.domain.drift import Flag
from vcio_desk.interop.csv_export import csv_bytes
from vcio_desk.services.drift import DriftReport, assess_all
from vcio_desk.services.drift_report import CSV_HEADER, csv_rows, ranked
from vcio_desk.store import Store
from vcio_desk.ui.dialogs.rhythm_review import RhythmReviewDialog
from vcio_desk.ui.formatting import format_date
from vcio_desk.ui.models.drift_model import (
    FLAG_STYLES,
    HEADERS,
    Column,
    DriftFilter,
    DriftModel,
    DriftRow,
    FlagChipDelegate,
    prepare_rows,
)
from vcio_desk.ui.preferences import ui_settings
from vcio_desk.ui.widgets.message_panel import MessagePanel
from vcio_desk.ui.widgets.tables import row_table
from vcio_desk.ui.workers import ProgressFn, run_in_background

FILTER_DELAY_MS = 150
DAY_CHECK_MS = 60_000
HEADER_KEY = "rhythms_page/header"
HEADER_COLUMNS_KEY = "rhythms_page/header_columns"
"""The column names the saved header was made for: a layout from another version is ignored."""
EXPORT_DIR_KEY = "rhythms_page/export_dir"

ReviewOpener = Callable[[QWidget, Store, dt.date, DriftReport | None], bool]
"""``(parent, store, as_of, report) -> changed``: opens the rhythm review."""


class SaveFileDialog:
    """Where to save a file; tests replace :meth:`ask` (pytest-qt's advice on dialogs)."""

    @classmethod
    def ask(cls, parent: QWidget, caption: str, suggested: Path, name_filter: str) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(parent, caption, str(suggested), name_filter)
        return Path(path) if path else None


def _column_signature() -> str:
    return "|".join(HEADERS[c] for c in Column)


def _documents() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


class RhythmsPage(QWidget):
    """All rhythms with flag, reason, adherence, drift, last held, next due and booking."""

    loaded = Signal()
    """Rows arrived from the worker (first load and every refresh)."""
    subject_activated = Signal(str, int)
    """``(subject_kind, subject_id)`` of a row double-clicked or Enter pressed on."""
    exported = Signal(Path)
    """A CSV export (or report) was written to this path."""

    def __init__(
        self,
        store: Store,
        as_of_provider: Callable[[], dt.date],
        parent: QWidget | None = None,
        *,
        day_check_ms: int = DAY_CHECK_MS,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("page_rhythms")
        self._store = store
        self._as_of = as_of_provider
        self._shown_as_of: dt.date | None = None
        self._requested: dt.date | None = None
        """The date of the latest load started (the day timer compares against it)."""
        self._loading = False
        self._reload_pending = False
        self._stale = True
        self._columns_fitted = False
        self._report: DriftReport | None = None
        """The drift report behind the rows shown (the rhythm review reuses it)."""
        self.review_opener: ReviewOpener = RhythmReviewDialog.ask
        self.model = DriftModel(self)

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter rhythms…")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setToolTip("Subject, owner or reason (Ctrl+F; Esc clears)")
        # The combos name themselves ("All owners"), so five of them fit beside each other.
        self.flag_combo = self._choice_combo("Flag", "All flags", 8)
        for flag in Flag:
            style = FLAG_STYLES[flag]
            self.flag_combo.addItem(f"{style.glyph} {style.word}", flag.value)
        self.owner_combo = self._choice_combo("Owner", "All owners", 9)
        self.am_combo = self._choice_combo("Account manager", "All account managers", 9)
        self.tier_combo = self._choice_combo("Tier", "All tiers", 5)
        self.type_combo = self._choice_combo("Meeting type", "All meeting types", 10)
        self.count_label = QLabel("Loading rhythms…")
        self.count_label.setMinimumWidth(1)  # may be clipped in a very narrow window

        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setToolTip("Recompute every rhythm's flag (F5)")
        self.export_button = QPushButton("Export CSV…")
        self.export_button.setToolTip("Save the rhythms shown as a spreadsheet file")
        self.export_button.setEnabled(False)
        self.report_button = QPushButton("Adherence report…")
        self.report_button.setToolTip("Save the printable adherence report (PDF)")
        self.report_button.setEnabled(False)
        self.report_button.clicked.connect(self.export_adherence_report)
        self.review_button = QPushButton("Rhythm review…")
        self.review_button.setToolTip(
            "Rhythms whose cadence no longer fits what happens, with the evidence (Ctrl+R)"
        )
        self.review_button.clicked.connect(self.open_review)
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button.clicked.connect(self.export_csv)

        self.table = row_table(self.model, sortable=True, stretch_last=False)
        self.table.setObjectName("rhythms_table")
        self.table.setItemDelegateForColumn(Column.FLAG, FlagChipDelegate(self.table))
        header = self.table.horizontalHeader()
        header.setSortIndicator(Column.FLAG, Qt.SortOrder.AscendingOrder)
        self._columns_fitted = self._restore_header()

        self.message = MessagePanel("rhythms", "Loading…", "Working out every rhythm's flag.")
        self.message.button.clicked.connect(self._on_panel_action)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.message)
        self.stack.addWidget(self.table)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(FILTER_DELAY_MS)
        self._debounce.timeout.connect(self.apply_filter)
        self.filter_edit.textChanged.connect(self._debounce.start)
        for combo in self._combos():
            combo.currentIndexChanged.connect(self.apply_filter)
        self.table.activated.connect(self._on_activated)

        self.day_timer = QTimer(self)
        self.day_timer.setInterval(day_check_ms)
        self.day_timer.timeout.connect(self.check_day)
        self.day_timer.start()

        refresh = QShortcut(QKeySequence.StandardKey.Refresh, self)
        refresh.setContext(Qt.ShortcutContext.WindowShortcut)
        refresh.activated.connect(self.refresh)
        find = QShortcut(QKeySequence.StandardKey.Find, self)
        find.setContext(Qt.ShortcutContext.WindowShortcut)
        find.activated.connect(self.focus_filter)
        review = QShortcut(QKeySequence("Ctrl+R"), self)
        review.setContext(Qt.ShortcutContext.WindowShortcut)
        review.activated.connect(self.open_review)
        clear = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.filter_edit)
        clear.setContext(Qt.ShortcutContext.WidgetShortcut)
        clear.activated.connect(self._escape)

        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 2)
        top.addWidget(self.flag_combo)
        top.addSpacing(8)
        top.addWidget(self.count_label, 3)
        top.addWidget(self.refresh_button)
        top.addWidget(self.export_button)
        top.addWidget(self.report_button)
        top.addWidget(self.review_button)
        filters = QHBoxLayout()
        for combo, most in (
            (self.owner_combo, 220),
            (self.am_combo, 220),
            (self.tier_combo, 110),
            (self.type_combo, 240),
        ):
            # Narrow windows get the minimum; wide ones show whole names.
            combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            combo.setMaximumWidth(most)
            filters.addWidget(combo, 1)
        filters.addStretch(2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.stack, 1)

    # -- public ------------------------------------------------------------------------------

    @property
    def is_loaded(self) -> bool:
        return self._shown_as_of is not None

    @property
    def as_of(self) -> dt.date | None:
        """The date the rows shown were computed for."""
        return self._shown_as_of

    def refresh(self) -> None:
        """Recompute every rhythm on a worker (again, if one is already running)."""
        self._stale = False
        if self._loading:
            self._reload_pending = True
            return
        self._loading = True
        self.refresh_button.setEnabled(False)
        as_of = self._requested = self._as_of()
        store = self._store

        def work(_progress: ProgressFn) -> tuple[dt.date, list[DriftRow], DriftReport]:
            report = assess_all(store, as_of)
            return as_of, prepare_rows(ranked(report.rhythms)), report

        run_in_background(self, work, on_success=self._on_loaded, on_failure=self._on_failed)

    def check_day(self) -> None:
        """Refresh when the date moved on since the rows were computed (the day timer)."""
        if self._requested is None or self._as_of() == self._requested:
            return
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def current_filter(self) -> DriftFilter:
        flag = self.flag_combo.currentData()
        return DriftFilter(
            self.filter_edit.text(),
            Flag(flag) if flag else None,
            self.owner_combo.currentData(),
            self.am_combo.currentData(),
            self.tier_combo.currentData(),
            self.type_combo.currentData(),
        )

    def apply_filter(self) -> None:
        self._debounce.stop()
        self.model.set_filter(self.current_filter())
        self._show_counts()

    def clear_filters(self) -> None:
        for combo in self._combos():
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.filter_edit.blockSignals(True)
        self.filter_edit.clear()
        self.filter_edit.blockSignals(False)
        self.apply_filter()

    def focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def export_csv(self) -> None:
        """Ask where, then write the rows shown (in their order) as formula-safe CSV."""
        if self._shown_as_of is None:
            return
        suggested = self._export_dir() / f"rhythm-drift-{self._shown_as_of.isoformat()}.csv"
        path = SaveFileDialog.ask(self, "Export rhythms as CSV", suggested, "CSV files (*.csv)")
        if path is None:
            return
        if not path.suffix:
            path = path.with_suffix(".csv")
        ui_settings().setValue(EXPORT_DIR_KEY, str(path.parent))
        data = csv_bytes(CSV_HEADER, csv_rows([r.item for r in self.model.rows()]))
        self.export_button.setEnabled(False)

        def work(_progress: ProgressFn) -> Path:
            write_atomically(path, data)
            return path

        run_in_background(
            self, work, on_success=self._on_exported, on_failure=self._on_export_failed
        )

    def export_adherence_report(self) -> None:
        """Ask where, then render the adherence report (PDF) on a worker."""
        if self._shown_as_of is None:
            return
        as_of = self._shown_as_of
        suggested = self._export_dir() / f"adherence-report-{as_of.isoformat()}.pdf"
        path = SaveFileDialog.ask(self, "Save the adherence report", suggested, "PDF (*.pdf)")
        if path is None:
            return
        if not path.suffix:
            path = path.with_suffix(".pdf")
        ui_settings().setValue(EXPORT_DIR_KEY, str(path.parent))
        store = self._store
        self.report_button.setEnabled(False)

        def work(_progress: ProgressFn) -> Path:
            # Imported here: reportlab costs start-up time and only this button needs it.
            from vcio_desk.services.adherence_report import write_adherence_report

            return write_adherence_report(store, path, as_of)

        run_in_background(
            self, work, on_success=self._on_exported, on_failure=self._on_export_failed
        )

    def open_review(self) -> None:
        """The rhythm review on the latest drift report (computed there if none yet)."""
        report = self._report
        as_of = report.as_of if report is not None else self._as_of()
        if self.review_opener(self, self._store, as_of, report):
            self.refresh()

    def save_state(self) -> None:
        """Remember column widths, order and sort for the next session."""
        settings = ui_settings()
        settings.setValue(HEADER_KEY, self.table.horizontalHeader().saveState())
        settings.setValue(HEADER_COLUMNS_KEY, _column_signature())

    # -- events ------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale and not self._loading:
            QTimer.singleShot(0, self._refresh_if_stale)

    def hideEvent(self, event: QHideEvent) -> None:
        if self.is_loaded:
            self.save_state()
        super().hideEvent(event)

    # -- internals ---------------------------------------------------------------------------

    def _refresh_if_stale(self) -> None:
        if self._stale and self.isVisible():
            self.refresh()

    def _choice_combo(self, name: str, any_label: str, chars: int) -> QComboBox:
        combo = QComboBox()
        combo.addItem(any_label, None)
        combo.setAccessibleName(name)
        combo.setToolTip(f"Show one {name.lower()} only")
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(chars)
        return combo

    def _combos(self) -> tuple[QComboBox, ...]:
        return (self.flag_combo, self.owner_combo, self.am_combo, self.tier_combo, self.type_combo)

    def _on_loaded(self, result: tuple[dt.date, list[DriftRow], DriftReport]) -> None:
        as_of, rows, self._report = result
        self._loading = False
        self.refresh_button.setEnabled(True)
        self._shown_as_of = as_of
        self.model.set_rows(rows)
        self._fill(self.owner_combo, self.model.choices(lambda r: r.owner))
        self._fill(self.am_combo, self.model.choices(lambda r: r.account_manager))
        self._fill(self.tier_combo, self.model.choices(lambda r: r.tier))
        self._fill(self.type_combo, self.model.choices(lambda r: r.meeting_type))
        self.apply_filter()
        self.export_button.setEnabled(True)
        self.report_button.setEnabled(True)
        if rows and not self._columns_fitted:
            self._fit_columns()
        self.loaded.emit()
        if self._reload_pending:
            self._reload_pending = False
            self.refresh()

    def _on_failed(self, message: str) -> None:
        self._loading = False
        self._reload_pending = False
        self.refresh_button.setEnabled(True)
        self.count_label.setText("Could not compute the rhythms")
        self.message.set_message("Could not compute the rhythms", message)
        self.message.set_action("Try again")
        self.stack.setCurrentWidget(self.message)

    def _fill(self, combo: QComboBox, values: list[str]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        while combo.count() > 1:
            combo.removeItem(1)
        for value in values:
            combo.addItem(value, value)
        index = combo.findData(current) if current is not None else 0
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)
        view = combo.view()  # the list shows whole names even when the box is narrow
        view.setMinimumWidth(view.sizeHintForColumn(0) + 2 * view.frameWidth() + 8)

    def _show_counts(self) -> None:
        if self._shown_as_of is None:
            return
        shown, total = self.model.rowCount(), self.model.total_count
        locale = QLocale()
        noun = "rhythm" if total == 1 else "rhythms"
        self.count_label.setText(
            f"{locale.toString(shown)} of {locale.toString(total)} {noun}"
            f" · as of {format_date(self._shown_as_of, locale)}"
        )
        if total == 0:
            self.message.set_message(
                "No rhythms yet",
                "This workspace has no active rhythms. Rhythms come from each client's tier; "
                "add clients (or fill the workspace with a demo) to see them here.",
            )
            self.message.set_action(None)
            self.stack.setCurrentWidget(self.message)
        elif shown == 0:
            self.message.set_message(
                "No rhythms match", "No rhythm matches the filter and the choices above."
            )
            self.message.set_action("Clear filters")
            self.stack.setCurrentWidget(self.message)
        else:
            self.stack.setCurrentWidget(self.table)

    def _on_panel_action(self) -> None:
        if self._shown_as_of is None:
            self.refresh()
        else:
            self.clear_filters()

    def _escape(self) -> None:
        if self.filter_edit.text():
            self.filter_edit.clear()
            self.apply_filter()
        else:
            self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _on_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            item = self.model.row_at(index.row()).item
            self.subject_activated.emit(item.subject_kind, item.subject_id)

    def _export_dir(self) -> Path:
        saved: Any = ui_settings().value(EXPORT_DIR_KEY)
        if isinstance(saved, str) and saved and Path(saved).is_dir():
            return Path(saved)
        return _documents()

    def _on_exported(self, path: Path) -> None:
        self.export_button.setEnabled(True)
        self.report_button.setEnabled(True)
        self.count_label.setText(f"Saved {path.name} in {path.parent}")
        self.exported.emit(path)
        QTimer.singleShot(6000, self._show_counts)

    def _on_export_failed(self, message: str) -> None:
        self.export_button.setEnabled(True)
        self.report_button.setEnabled(True)
        QMessageBox.warning(self, "vcio_desk", message)

    def _fit_columns(self) -> None:
        """Size columns to their contents once (then the user's widths); long names and
        the reason are capped so the figures stay in view (tooltips carry the whole text)."""
        header = self.table.horizontalHeader()
        header.setResizeContentsPrecision(300)  # sample the rows: fast on big workspaces
        self.table.resizeColumnsToContents()
        char = self.fontMetrics().averageCharWidth()
        caps = {Column.SUBJECT: 24, Column.MEETING_TYPE: 20, Column.REASON: 56}
        for column in Column:
            width = header.sectionSize(column)
            if column in caps:
                width = min(width, caps[column] * char)
            header.resizeSection(column, width + char)
        self._columns_fitted = True

    def _restore_header(self) -> bool:
        header = self.table.horizontalHeader()
        settings = ui_settings()
        saved = settings.value(HEADER_KEY)
        if settings.value(HEADER_COLUMNS_KEY) != _column_signature():
            return False
        if not isinstance(saved, QByteArray | bytes) or not header.restoreState(saved):
            return False
        self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        return True
