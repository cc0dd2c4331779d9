"""A client's Technology Alignment reviews: the list, the score trend, starting and opening one.

The list comes from ``services.reviews.client_reviews`` (newest first, each with its
score, coverage, progress and findings); the chart shows the score of every review
oldest first. "Start review" snapshots the library for the client's tier and opens
the new review; double-click or Enter opens a review in its own window (one window
per review, raised when already open). ``reload()`` is two small queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from enum import IntEnum
from typing import Any, ClassVar

from PySide6.QtCore import (
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.domain.alignment import SectionScore, format_pct
from vcio_desk.domain.errors import VcioDeskError
from vcio_desk.domain.vocab import ReviewStatus
from vcio_desk.services.reviews import ReviewSummary, client_reviews, start_review
from vcio_desk.store import Store
from vcio_desk.ui.dialogs.messages import show_message
from vcio_desk.ui.formatting import format_date
from vcio_desk.ui.models.base import ReadOnlyTableModel
from vcio_desk.ui.pages.review_header import COVERAGE_TIP, PROGRESS_TIP, SCORE_TIP
from vcio_desk.ui.pages.review_page import ReviewPage
from vcio_desk.ui.widgets.message_panel import MessagePanel
from vcio_desk.ui.widgets.rhythm_editor import mute
from vcio_desk.ui.widgets.tables import row_table
from vcio_desk.ui.widgets.trend_chart import ChartStyle, TrendChart, TrendPoint

AnyIndex = QModelIndex | QPersistentModelIndex
Notifier = Callable[[QWidget, str], None]
REVIEW_WINDOW_SIZE = (1280, 800)
MAX_ROWS = 12
"""Rows the list shows before it scrolls (about three years of quarterly reviews)."""
MAX_SECTION_ROWS = 16
"""Sections shown before that list scrolls (the bundled library has ten)."""
CHART_COLUMN = 90
"""Width of one review's bar in the score trend (a few reviews need no wide chart)."""
REFRESH_DELAY_MS = 300
"""Answers come quickly: the list and the ``changed`` signal follow once they pause."""


class Column(IntEnum):
    STARTED = 0
    COMPLETED = 1
    STATUS = 2
    TAM = 3
    SCORE = 4
    COVERAGE = 5
    PROGRESS = 6
    FINDINGS = 7


STATUS_TEXT = {ReviewStatus.IN_PROGRESS: "In progress", ReviewStatus.COMPLETED: "Completed"}
NUMERIC = (Column.SCORE, Column.COVERAGE, Column.PROGRESS, Column.FINDINGS)


class ReviewsModel(ReadOnlyTableModel):
    """The client's reviews, newest first."""

    headers: ClassVar[tuple[str, ...]] = (
        "Started",
        "Completed",
        "Status",
        "TAM",
        "Score",
        "Coverage",
        "Progress",
        "Findings",
    )
    header_tips: ClassVar[dict[int, str]] = {
        Column.SCORE: SCORE_TIP,
        Column.COVERAGE: COVERAGE_TIP,
        Column.PROGRESS: PROGRESS_TIP,
        Column.FINDINGS: "Misaligned answers (not yet rated in brackets)",
    }

    def __init__(self, parent: QObject | None = None, locale: QLocale | None = None) -> None:
        super().__init__(parent)
        self._locale = locale or QLocale()
        self._rows: list[ReviewSummary] = []

    def set_reviews(self, reviews: Sequence[ReviewSummary]) -> None:
        self.beginResetModel()
        self._rows = list(reviews)
        self.endResetModel()

    def review_at(self, row: int) -> ReviewSummary:
        return self._rows[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        review = self._rows[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(review, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column is Column.PROGRESS:
            tally = review.tally
            done = tally.answered + tally.not_applicable
            return f"{done} of {tally.items} standards answered ({tally.not_applicable} N/A)"
        return None

    def _display(self, review: ReviewSummary, column: Column) -> str:
        if column is Column.STARTED:
            return format_date(review.started_on, self._locale)
        if column is Column.COMPLETED:
            return format_date(review.completed_on, self._locale)
        if column is Column.STATUS:
            return STATUS_TEXT[review.status]
        if column is Column.TAM:
            return review.tam
        if column is Column.SCORE:
            return format_pct(review.score)
        if column is Column.COVERAGE:
            return format_pct(review.coverage)
        if column is Column.PROGRESS:
            return format_pct(review.progress)
        unrated = review.tally.unrated
        return f"{review.findings} ({unrated} unrated)" if unrated else str(review.findings)


class SectionsModel(ReadOnlyTableModel):
    """The selected review's figures by section."""

    headers: ClassVar[tuple[str, ...]] = ("Section", "Score", "Coverage", "Findings")
    header_tips: ClassVar[dict[int, str]] = {1: SCORE_TIP, 2: COVERAGE_TIP}

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[SectionScore] = []

    def set_sections(self, sections: Sequence[SectionScore]) -> None:
        self.beginResetModel()
        self._rows = list(sections)
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        section = self._rows[index.row()]
        tally = section.tally
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                section.name,
                format_pct(tally.score),
                format_pct(tally.coverage),
                str(tally.misaligned),
            )[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0:
            return section.name
        return None


def trend_points(reviews: Sequence[ReviewSummary], locale: QLocale) -> list[TrendPoint]:
    """One point per review, oldest first, labelled with its month and year (* in progress)."""
    points = []
    for review in reversed(reviews):
        day = review.day
        in_progress = review.status is ReviewStatus.IN_PROGRESS
        month = locale.monthName(day.month, QLocale.FormatType.ShortFormat)
        label = f"{month} {day.year}{'*' if in_progress else ''}"
        state = "in progress, started" if in_progress else "completed"
        detail = (
            f"Review {state} {format_date(day, locale)}: score {format_pct(review.score)}, "
            f"coverage {format_pct(review.coverage)}"
        )
        points.append(TrendPoint(label, review.score, detail))
    return points


class ReviewsTab(QWidget):
    """The Reviews tab of a client's page."""

    changed = Signal()
    """A review of this client was started, answered, completed or reopened."""

    def __init__(
        self,
        store: Store,
        client_id: int,
        as_of_provider: Callable[[], dt.date],
        locale: QLocale | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reviews_tab")
        self.store = store
        self.client_id = client_id
        self._as_of = as_of_provider
        self._locale = locale or QLocale()
        self.reviews: list[ReviewSummary] = []
        self.review_pages: dict[int, ReviewPage] = {}
        """Open review windows by review id."""
        self.notify: Notifier = lambda parent, text: show_message(parent, "Reviews", text)
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(REFRESH_DELAY_MS)
        self._refresh.timeout.connect(self._after_review_changed)

        self.count_label = QLabel()
        self.count_label.setObjectName("reviews_count")
        self.notice_label = QLabel()
        mute(self.notice_label)
        self.start_button = QPushButton("Start review")
        self.start_button.setObjectName("start_review")
        self.start_button.clicked.connect(self.start)
        self.open_button = QPushButton("Open")
        self.open_button.setObjectName("open_review")
        self.open_button.setToolTip("Open the selected review (Enter or double-click)")
        self.open_button.clicked.connect(self.open_selected)
        bar = QHBoxLayout()
        bar.addWidget(self.count_label)
        bar.addSpacing(12)
        bar.addWidget(self.notice_label, 1)
        bar.addWidget(self.open_button)
        bar.addWidget(self.start_button)

        self.chart = TrendChart(ChartStyle.BARS)
        self.chart.setObjectName("score_trend")
        self.chart.setFixedHeight(self.fontMetrics().height() * 10)
        self.chart_caption = QLabel("Score trend")
        self.chart_caption.setObjectName("score_trend_caption")
        mute(self.chart_caption)

        self.model = ReviewsModel(self, self._locale)
        self.table = row_table(self.model, name="reviews", stretch_last=False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(Column.TAM, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(
            lambda index: self.open_review(self.model.review_at(index.row()).id)
        )
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_selected())

        self.empty_panel = MessagePanel(
            "standards",
            "No alignment reviews yet",
            "A review checks the client against every standard of the library that applies "
            "to its tier. Start one to record what is aligned and what is not; the score "
            "and its trend appear here.",
        )
        self.empty_panel.setObjectName("reviews_empty")
        self.empty_panel.hide()

        self.sections_caption = QLabel()
        self.sections_caption.setObjectName("sections_caption")
        mute(self.sections_caption)
        self.sections_model = SectionsModel(self)
        self.sections_table = row_table(
            self.sections_model, name="review_sections", stretch_last=False
        )
        self.sections_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.sections_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        sections_header = self.sections_table.horizontalHeader()
        sections_header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        sections_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

        charts = QVBoxLayout()
        charts.addWidget(self.chart_caption)
        charts.addWidget(self.chart)
        charts.addStretch(1)
        by_section = QVBoxLayout()
        by_section.addWidget(self.sections_caption)
        by_section.addWidget(self.sections_table)
        by_section.addStretch(1)
        self.lower = QWidget()
        lower = QHBoxLayout(self.lower)
        lower.setContentsMargins(0, 8, 0, 0)
        lower.setSpacing(24)
        lower.addLayout(charts)
        lower.addLayout(by_section, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table)
        layout.addWidget(self.lower, 1)
        layout.addWidget(self.empty_panel, 1)

    # -- public ------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the client's reviews again (cheap: two queries)."""
        try:
            reviews = client_reviews(self.store, self.client_id)
        except VcioDeskError as err:
            reviews = []
            self.notice_label.setText(err.user_message)
        selected = self.selected()
        self.reviews = reviews
        self.model.set_reviews(reviews)
        points = trend_points(reviews, self._locale)
        self.chart.set_points(points)
        self.chart.setFixedWidth(max(320, CHART_COLUMN * len(points) + 60))
        open_one = any(r.status is ReviewStatus.IN_PROGRESS for r in reviews)
        self.chart_caption.setText(
            "Score trend, oldest first" + ("  (* in progress: answers so far)" if open_one else "")
        )
        self._fit_table()
        n = len(reviews)
        self.count_label.setText(f"{n} review{'s' if n != 1 else ''}")
        has = bool(reviews)
        for widget in (self.table, self.lower):
            widget.setVisible(has)
        self.empty_panel.setVisible(not has)
        ids = [r.id for r in reviews]
        if has:
            row = ids.index(selected.id) if selected is not None and selected.id in ids else 0
            self.table.selectRow(row)
        self._show_selected()

    def selected(self) -> ReviewSummary | None:
        index = self.table.currentIndex()
        return self.model.review_at(index.row()) if index.isValid() else None

    def start(self) -> ReviewPage | None:
        """Start a review as of today and open it."""
        try:
            review_id = start_review(self.store, self.client_id, self._as_of())
        except VcioDeskError as err:
            self.notify(self, err.user_message)
            return None
        self.reload()
        self.notice_label.setText("Review started.")
        self.changed.emit()
        return self.open_review(review_id)

    def open_selected(self) -> ReviewPage | None:
        review = self.selected()
        return None if review is None else self.open_review(review.id)

    def open_review(self, review_id: int) -> ReviewPage:
        """The review's window (one per review; raised if already open)."""
        page = self.review_pages.get(review_id)
        if page is None:
            page = ReviewPage(self.store, review_id, self._as_of, self._locale, self)
            page.setWindowFlag(Qt.WindowType.Window)
            page.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            page.changed.connect(self._on_review_changed)
            pages = self.review_pages
            page.destroyed.connect(lambda _obj=None, rid=review_id: pages.pop(rid, None))
            self.review_pages[review_id] = page
            page.reload()
            page.resize(*REVIEW_WINDOW_SIZE)
        page.show()
        page.raise_()
        page.activateWindow()
        return page

    # -- internals ---------------------------------------------------------------------------

    def _show_selected(self) -> None:
        review = self.selected()
        self.sections_model.set_sections(review.sections if review else ())
        self._fit_table(self.sections_table, most=MAX_SECTION_ROWS)
        if review is not None:
            when = format_date(review.day, self._locale)
            state = "in progress since" if review.status is ReviewStatus.IN_PROGRESS else "of"
            self.sections_caption.setText(f"By section: review {state} {when}")
        self._update_buttons()

    def _fit_table(self, view: QTableView | None = None, most: int = MAX_ROWS) -> None:
        """As tall as its rows (up to ``most``): what follows sits right under the list."""
        view = view or self.table
        rows = min(max(1, view.model().rowCount()), most)
        height = view.horizontalHeader().sizeHint().height()
        height += rows * view.verticalHeader().defaultSectionSize() + 2 * view.frameWidth()
        if view.horizontalScrollBar().isVisible():
            height += view.horizontalScrollBar().sizeHint().height()
        view.setFixedHeight(height)

    def _on_review_changed(self) -> None:
        self._refresh.start()

    def _after_review_changed(self) -> None:
        self.reload()
        self.changed.emit()

    def _update_buttons(self) -> None:
        open_review = next((r for r in self.reviews if r.status is ReviewStatus.IN_PROGRESS), None)
        if self.store.read_only:
            self.start_button.setEnabled(False)
            self.start_button.setToolTip("The workspace is open read-only.")
        elif open_review is not None:
            self.start_button.setEnabled(False)
            self.start_button.setToolTip(
                f"The review started {format_date(open_review.started_on, self._locale)} is "
                "still in progress: complete it first."
            )
        else:
            self.start_button.setEnabled(True)
            self.start_button.setToolTip(
                "Check the client against every standard that applies to its tier"
            )
        self.open_button.setEnabled(self.selected() is not None)
