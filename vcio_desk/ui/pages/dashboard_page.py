"""The Dashboard: my next two weeks, the drift list, adherence by owner and tier, the committee.

Everything is computed by ``services.dashboard.load_dashboard`` on a worker; the
page paints at once with a quiet "Loading…" in each card and fills them when the
result arrives. It recomputes on :meth:`DashboardPage.refresh` (F5, or when data
changed) and by itself when the date moves on while the app is open: a timer asks
the window's clock every minute (the interval is a constructor argument, so tests
need not wait a minute).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont, QKeySequence, QPalette, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.domain.drift import OPEN_STATES
from vcio_desk.services.adherence import AdherenceSummary
from vcio_desk.services.dashboard import (
    UPCOMING_DAYS,
    CommitteeRhythm,
    DashboardData,
    load_dashboard,
)
from vcio_desk.store import Store
from vcio_desk.ui.formatting import format_date
from vcio_desk.ui.models.drift_model import (
    AdherenceModel,
    DriftModel,
    DriftRow,
    FlagChip,
    FlagChipDelegate,
    prepare_rows,
)
from vcio_desk.ui.models.drift_model import Column as DriftColumn
from vcio_desk.ui.models.upcoming_model import (
    MeetingColumn,
    PrepDelegate,
    UpcomingModel,
)
from vcio_desk.ui.widgets.tables import row_table
from vcio_desk.ui.widgets.trend_chart import TrendChart, TrendPoint
from vcio_desk.ui.workers import ProgressFn, run_in_background

DAY_CHECK_MS = 60_000
AnyIndex = QModelIndex | QPersistentModelIndex

DRIFT_COLUMNS = (
    DriftColumn.FLAG,
    DriftColumn.SUBJECT,
    DriftColumn.MEETING_TYPE,
    DriftColumn.OWNER,
    DriftColumn.REASON,
)
"""The drift list's columns, in this visual order: the reason last, taking the spare width."""


# -- my next 14 days ---------------------------------------------------------------------------


class Card(QFrame):
    """A titled panel whose body is "Loading…", a short message, or its content."""

    def __init__(self, title: str, content: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title_label = QLabel(title)
        font = QFont(self.title_label.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.title_label.setFont(font)
        self.detail_label = QLabel("")
        self.detail_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.header = QHBoxLayout()
        self.header.addWidget(self.title_label)
        self.header.addWidget(self.detail_label)
        self.header.addStretch(1)
        self.message_label = QLabel("Loading…")
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message_label.setWordWrap(True)
        self.message_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.content = content
        self.stack = QStackedWidget()
        self.stack.addWidget(self.message_label)
        self.stack.addWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 12)
        layout.addLayout(self.header)
        layout.addWidget(self.stack, 1)

    @property
    def loading(self) -> bool:
        return self.stack.currentWidget() is self.message_label and (
            self.message_label.text() == "Loading…"
        )

    def show_loading(self) -> None:
        self.show_message("Loading…")

    def show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.stack.setCurrentWidget(self.message_label)

    def show_content(self) -> None:
        self.stack.setCurrentWidget(self.content)


def _table(model: QAbstractTableModel, name: str) -> QTableView:
    table = row_table(model, name=name)
    table.setFrameShape(QFrame.Shape.NoFrame)
    return table


class CommitteePanel(QWidget):
    """The standards committee's rhythm: flag chip, reason, last held, next due, adherence."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chip = FlagChip()
        self.name_label = QLabel()
        self.reason_label = QLabel()
        self.reason_label.setWordWrap(True)
        self.reason_label.setTextFormat(Qt.TextFormat.PlainText)
        self.last_held_label = QLabel()
        self.next_due_label = QLabel()
        self.adherence_label = QLabel()
        self.booked_label = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.chip)
        top.addWidget(self.name_label, 1)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Last held:", self.last_held_label)
        form.addRow("Next due:", self.next_due_label)
        form.addRow("Booked:", self.booked_label)
        form.addRow("Adherence:", self.adherence_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.reason_label)
        layout.addLayout(form)
        layout.addStretch(1)

    def set_committee(self, committee: CommitteeRhythm, locale: QLocale) -> None:
        drift = committee.drift
        a = drift.assessment
        self.chip.set_flag(a.flag)
        self.name_label.setText(
            f"{committee.body} · {drift.owner}" if drift.owner else committee.body
        )
        self.reason_label.setText(a.reason)
        self.last_held_label.setText(format_date(a.last_held, locale) or "Never")
        self.next_due_label.setText(format_date(a.next_due, locale) or "No further meetings")
        pct = a.adherence_pct
        self.adherence_label.setText(
            "No past meetings in the last 12 months"
            if pct is None
            else f"{locale.toString(round(pct))}% on time (last 12 months)"
        )
        next_open = next((s for s in a.slots if s.state in OPEN_STATES), None)
        if next_open is None:
            self.booked_label.setText("–")
        elif next_open.booked is not None:
            self.booked_label.setText(f"Yes, for {format_date(next_open.booked, locale)}")
        else:
            self.booked_label.setText("No confirmed meeting yet")


# -- the page ----------------------------------------------------------------------------------


class DashboardPage(QWidget):
    """My next 14 days, the drift list, adherence (12 months) and the committee's rhythm."""

    loaded = Signal()
    """The worker's result is on screen (first load and every refresh)."""
    subject_activated = Signal(str, int)
    """``(subject_kind, subject_id)``: a drift-list row was clicked (or Enter pressed)."""
    meeting_activated = Signal(int)
    """A meeting of "My next 14 days" was double-clicked (or Enter pressed)."""

    def __init__(
        self,
        store: Store,
        as_of_provider: Callable[[], dt.date],
        parent: QWidget | None = None,
        *,
        day_check_ms: int = DAY_CHECK_MS,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("page_dashboard")
        self._store = store
        self._as_of = as_of_provider
        self._locale = QLocale()
        self._data: DashboardData | None = None
        self._loading = False
        self._reload_pending = False
        self._stale = True
        self._requested: dt.date | None = None
        """The date of the latest load started (the day timer compares against it)."""
        self._meetings_fitted = False
        self.refresh_count = 0
        """How many loads have been started (tests and diagnostics)."""

        # My next 14 days
        self.meetings_model = UpcomingModel(self)
        self.meetings_table = _table(self.meetings_model, "upcoming_table")
        self.meetings_table.setItemDelegateForColumn(MeetingColumn.PREP, PrepDelegate(self))
        self.meetings_table.activated.connect(self._on_meeting_activated)
        self.owner_combo = QComboBox()
        self.owner_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.owner_combo.addItem("Everyone", None)
        self.owner_combo.currentIndexChanged.connect(self._on_owner_changed)
        self.me_button = QPushButton("Me")
        self.everyone_button = QPushButton("Everyone")
        for button in (self.me_button, self.everyone_button):
            button.setCheckable(True)
            button.setAutoDefault(False)
        self.me_button.clicked.connect(self.show_mine)
        self.everyone_button.clicked.connect(self.show_everyone)
        self.meetings_card = Card(f"My next {UPCOMING_DAYS} days", self.meetings_table)
        for widget in (self.me_button, self.everyone_button, self.owner_combo):
            self.meetings_card.header.addWidget(widget)

        # Drift list
        self.drift_model = DriftModel(self)
        self.drift_table = _table(self.drift_model, "drift_table")
        self.drift_table.setItemDelegateForColumn(DriftColumn.FLAG, FlagChipDelegate(self))
        self.drift_table.setSortingEnabled(True)
        self.drift_table.horizontalHeader().setSortIndicator(
            DriftColumn.FLAG, Qt.SortOrder.AscendingOrder
        )
        for column in DriftColumn:
            self.drift_table.setColumnHidden(column, column not in DRIFT_COLUMNS)
        header = self.drift_table.horizontalHeader()
        for visual, column in enumerate(DRIFT_COLUMNS):
            header.moveSection(header.visualIndex(column), visual)
        self.drift_table.clicked.connect(self._on_drift_clicked)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            enter = QShortcut(QKeySequence(key), self.drift_table)
            enter.setContext(Qt.ShortcutContext.WidgetShortcut)
            enter.activated.connect(self._on_drift_enter)
        self.drift_card = Card("Drift list", self.drift_table)

        # Adherence
        self.overall_label = QLabel()
        self.owner_adherence = AdherenceModel("Owner", self)
        self.tier_adherence = AdherenceModel("Tier", self)
        self.owner_table = _table(self.owner_adherence, "adherence_by_owner")
        self.tier_table = _table(self.tier_adherence, "adherence_by_tier")
        self.trend_chart = TrendChart()
        self.trend_chart.setObjectName("adherence_trend")
        adherence = QWidget()
        trend_caption = QLabel("On-time share of past slots, month by month")
        trend_caption.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        trend = QVBoxLayout()
        trend.setContentsMargins(0, 0, 0, 0)
        trend.addWidget(trend_caption)
        trend.addWidget(self.trend_chart, 1)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(12)
        row.addWidget(self.owner_table, 3)
        row.addWidget(self.tier_table, 2)
        row.addLayout(trend, 4)
        column = QVBoxLayout(adherence)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.overall_label)
        column.addLayout(row, 1)
        self.adherence_card = Card("Adherence (last 12 months)", adherence)

        # The committee
        self.committee_panel = CommitteePanel()
        self.committee_card = Card("Standards committee", self.committee_panel)

        # Top bar
        self.as_of_label = QLabel("")
        self.as_of_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setToolTip("Recompute the dashboard (F5)")
        self.refresh_button.clicked.connect(self.refresh)
        refresh = QShortcut(QKeySequence.StandardKey.Refresh, self)
        refresh.setContext(Qt.ShortcutContext.WindowShortcut)
        refresh.activated.connect(self.refresh)

        grid = QGridLayout()
        grid.setSpacing(12)
        # The drift list and adherence span the width: reasons and tables need it.
        grid.addWidget(self.meetings_card, 0, 0)
        grid.addWidget(self.committee_card, 0, 1)
        grid.addWidget(self.drift_card, 1, 0, 1, 2)
        grid.addWidget(self.adherence_card, 2, 0, 1, 2)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 4)
        grid.setRowStretch(2, 3)
        body = QWidget()
        body.setMinimumHeight(720)
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        bar = QHBoxLayout()
        bar.addWidget(self.as_of_label)
        bar.addStretch(1)
        bar.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(scroll, 1)

        self.day_timer = QTimer(self)
        self.day_timer.setInterval(day_check_ms)
        self.day_timer.timeout.connect(self.check_day)
        self.day_timer.start()
        self._sync_owner_buttons()

    # -- public ------------------------------------------------------------------------------

    @property
    def data(self) -> DashboardData | None:
        """What is on screen (None until the first load finishes)."""
        return self._data

    @property
    def is_loaded(self) -> bool:
        return self._data is not None

    @property
    def cards(self) -> tuple[Card, ...]:
        return (self.meetings_card, self.drift_card, self.adherence_card, self.committee_card)

    def refresh(self) -> None:
        """Recompute everything on a worker (again after the current run, if one is going)."""
        self._stale = False
        if self._loading:
            self._reload_pending = True
            return
        self._loading = True
        self.refresh_count += 1
        self.refresh_button.setEnabled(False)
        store, as_of = self._store, self._as_of()
        self._requested = as_of

        def work(_progress: ProgressFn) -> tuple[DashboardData, list[DriftRow]]:
            data = load_dashboard(store, as_of)
            return data, prepare_rows(data.drift_ranked)

        run_in_background(self, work, on_success=self._on_loaded, on_failure=self._on_failed)

    def check_day(self) -> None:
        """Refresh if the date moved on since the last load (called by the day timer)."""
        if self._requested is None or self._as_of() == self._requested:
            return
        self.mark_stale()

    def mark_stale(self) -> None:
        """Something shown here changed elsewhere: recompute now if in view, else when shown."""
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def owner_id(self) -> int | None:
        """Whose meetings are listed (None: everyone's)."""
        return self.owner_combo.currentData()

    def set_owner(self, owner_id: int | None) -> None:
        index = self.owner_combo.findData(owner_id) if owner_id is not None else 0
        self.owner_combo.setCurrentIndex(max(index, 0))

    def show_mine(self) -> None:
        user = self._data.current_user_id if self._data else None
        if user is not None:
            self.set_owner(user)
        self._sync_owner_buttons()

    def show_everyone(self) -> None:
        self.set_owner(None)
        self._sync_owner_buttons()

    # -- events ------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale and not self._loading:
            # After this paint: the first frame never waits for the numbers.
            QTimer.singleShot(0, self._refresh_if_stale)

    # -- internals ---------------------------------------------------------------------------

    def _refresh_if_stale(self) -> None:
        if self._stale and self.isVisible():
            self.refresh()

    def _on_failed(self, message: str) -> None:
        self._loading = False
        self._reload_pending = False
        self.refresh_button.setEnabled(True)
        for card in self.cards:
            card.show_message(message)

    def _on_loaded(self, result: tuple[DashboardData, list[DriftRow]]) -> None:
        data, drift_rows = result
        self._loading = False
        self.refresh_button.setEnabled(True)
        first = self._data is None
        self._data = data
        self.as_of_label.setText(
            f"As of {self._locale.toString(_qdate(data.as_of), QLocale.FormatType.LongFormat)}"
        )
        self._fill_meetings(data, first)
        self._fill_drift(drift_rows)
        self._fill_adherence(data.adherence)
        if data.committee is None:
            self.committee_card.show_message(
                "No standards committee rhythm in this workspace yet. Add the committee as an "
                "internal body with its own rhythm to track it here."
            )
        else:
            self.committee_panel.set_committee(data.committee, self._locale)
            self.committee_card.show_content()
        self.loaded.emit()
        if self._reload_pending:
            self._reload_pending = False
            self.refresh()

    def _fill_meetings(self, data: DashboardData, first: bool) -> None:
        wanted = data.current_user_id if first else self.owner_id()
        self.owner_combo.blockSignals(True)
        while self.owner_combo.count() > 1:
            self.owner_combo.removeItem(1)
        for person in data.staff:
            label = f"{person.name} (you)" if person.id == data.current_user_id else person.name
            self.owner_combo.addItem(label, person.id)
        index = self.owner_combo.findData(wanted) if wanted is not None else 0
        self.owner_combo.setCurrentIndex(max(index, 0))
        self.owner_combo.blockSignals(False)
        self.me_button.setEnabled(data.current_user_id is not None)
        self.me_button.setToolTip(
            "Your meetings"
            if data.current_user_id is not None
            else "Who you are is not set for this workspace"
        )
        self.meetings_model.set_meetings(data.meetings)
        self._on_owner_changed()

    def _on_owner_changed(self, _index: int = 0) -> None:
        owner = self.owner_id()
        self.meetings_model.set_owner(owner)
        self.meetings_table.setColumnHidden(MeetingColumn.OWNER, owner is not None)
        self._sync_owner_buttons()
        if self._data is None:
            return
        user = self._data.current_user_id
        count = self.meetings_model.rowCount()
        self.meetings_card.title_label.setText(
            f"My next {UPCOMING_DAYS} days"
            if owner is not None and owner == user
            else f"Next {UPCOMING_DAYS} days"
        )
        self.meetings_card.detail_label.setText(
            f"{self._locale.toString(count)} meeting{'s' if count != 1 else ''}"
        )
        if count:
            self.meetings_card.show_content()
            if not self._meetings_fitted:  # once there is something to fit
                self._fit_meeting_columns()
        else:
            who = (
                "you have"
                if owner is not None and owner == user
                else ("nobody has" if owner is None else f"{self.owner_combo.currentText()} has")
            )
            self.meetings_card.show_message(
                f"No meetings: {who} nothing scheduled in the next {UPCOMING_DAYS} days."
            )

    def _fit_meeting_columns(self) -> None:
        self.meetings_table.resizeColumnsToContents()
        header = self.meetings_table.horizontalHeader()
        char = self.fontMetrics().averageCharWidth()
        for column, most in ((MeetingColumn.SUBJECT, 24), (MeetingColumn.TYPE, 22)):
            header.resizeSection(column, min(header.sectionSize(column), most * char))
        for column in list(MeetingColumn)[:-1]:  # the last one stretches anyway
            header.resizeSection(column, header.sectionSize(column) + char)
        self._meetings_fitted = True

    def _sync_owner_buttons(self) -> None:
        owner = self.owner_id()
        user = self._data.current_user_id if self._data else None
        self.everyone_button.setChecked(owner is None)
        self.me_button.setChecked(owner is not None and owner == user)

    def _fill_drift(self, rows: list[DriftRow]) -> None:
        first = self.drift_model.total_count == 0
        self.drift_model.set_rows(rows)
        count = len(rows)
        self.drift_card.detail_label.setText(
            f"{self._locale.toString(count)} rhythm{'s' if count != 1 else ''} need attention"
            if count
            else ""
        )
        if not rows:
            self.drift_card.show_message("Every rhythm is on track: nothing is flagged.")
            return
        self.drift_card.show_content()
        if first:
            self.drift_table.resizeColumnsToContents()
            header = self.drift_table.horizontalHeader()
            cap = self.fontMetrics().averageCharWidth() * 30
            for column in (DriftColumn.SUBJECT, DriftColumn.MEETING_TYPE, DriftColumn.OWNER):
                header.resizeSection(column, min(header.sectionSize(column), cap))

    def _fill_adherence(self, summary: AdherenceSummary) -> None:
        overall = summary.overall
        locale = self._locale
        if overall.pct is None:
            self.overall_label.setText("No past slots to judge in the last 12 months.")
        else:
            self.overall_label.setText(
                f"Overall {locale.toString(round(overall.pct))}% on time: "
                f"{locale.toString(overall.kept)} of {locale.toString(overall.judged)} slots"
            )
        self.owner_adherence.set_figures(summary.by_owner)
        self.tier_adherence.set_figures(summary.by_tier)
        for table in (self.owner_table, self.tier_table):
            table.resizeColumnsToContents()
        points = []
        for point in summary.trend:
            month = point.month
            short = locale.standaloneMonthName(month.month, QLocale.FormatType.ShortFormat)
            long = f"{locale.standaloneMonthName(month.month)} {month.year}"
            detail = (
                f"{long}: no past slots"
                if point.pct is None
                else f"{long}: {point.kept} of {point.judged} slots on time ({round(point.pct)}%)"
            )
            points.append(TrendPoint(short, point.pct, detail))
        self.trend_chart.set_points(points)
        self.adherence_card.show_content()

    def _on_drift_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            item = self.drift_model.row_at(index.row()).item
            self.subject_activated.emit(item.subject_kind, item.subject_id)

    def _on_drift_enter(self) -> None:
        self._on_drift_clicked(self.drift_table.currentIndex())

    def _on_meeting_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.meeting_activated.emit(self.meetings_model.meeting_at(index.row()).meeting_id)


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)
