"""The client at a glance: rhythm flags with reasons, adherence, next meetings, score, actions.

Each part is a small card; the data comes from ``services.client_overview`` (this
client only, so it is quick) and the alignment and improvement summaries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.domain.alignment import format_pct
from vcio_desk.domain.errors import VcioDeskError
from vcio_desk.domain.vocab import CsiStatus
from vcio_desk.services.client_overview import ClientOverview, client_overview
from vcio_desk.store import Store
from vcio_desk.ui.formatting import format_date
from vcio_desk.ui.models.drift_model import FLAG_STYLES
from vcio_desk.ui.pages.client_tabs.csi_model import money_text
from vcio_desk.ui.widgets.rhythm_editor import mute
from vcio_desk.ui.widgets.trend_chart import ChartStyle, TrendChart, TrendPoint

MEETING_ROLE = Qt.ItemDataRole.UserRole + 1
CLOSED_CSI = frozenset({CsiStatus.DONE, CsiStatus.DEFERRED})


def _card(title: str, name: str) -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setObjectName(name)
    frame.setFrameShape(QFrame.Shape.StyledPanel)
    layout = QVBoxLayout(frame)
    heading = QLabel(title)
    font = heading.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.1)
    heading.setFont(font)
    layout.addWidget(heading)
    return frame, layout


def _plain(text: str = "", *, wrap: bool = True) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    return label


def _big(label: QLabel) -> QLabel:
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 2.0)
    font.setBold(True)
    label.setFont(font)
    return label


class OverviewTab(QWidget):
    """Cards over one client's state; double-clicking an upcoming meeting opens it."""

    changed = Signal()
    meeting_activated = Signal(int)

    def __init__(
        self,
        store: Store,
        client_id: int,
        as_of_provider: Callable[[], dt.date],
        locale: QLocale | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("tab_overview")
        self.store = store
        self.client_id = client_id
        self._as_of = as_of_provider
        self._locale = locale or QLocale()
        self.overview: ClientOverview | None = None

        rhythms_card, rhythms_layout = _card("Rhythms", "card_rhythms")
        self.rhythm_rows = QVBoxLayout()
        self.rhythm_rows.setSpacing(6)
        rhythms_layout.addLayout(self.rhythm_rows)
        rhythms_layout.addStretch(1)

        meetings_card, meetings_layout = _card("Next meetings", "card_meetings")
        self.meetings_list = QListWidget()
        self.meetings_list.setObjectName("upcoming_meetings")
        self.meetings_list.setFrameShape(QFrame.Shape.NoFrame)
        self.meetings_list.setStyleSheet(
            "QListWidget#upcoming_meetings { background: transparent; }"
        )
        self.meetings_list.itemActivated.connect(self._on_meeting_activated)
        self.meetings_list.setToolTip("Enter or double-click opens the meeting")
        meetings_layout.addWidget(self.meetings_list)

        adherence_card, adherence_layout = _card("Adherence (last 12 months)", "card_adherence")
        self.adherence_value = _big(_plain(wrap=False))
        self.adherence_value.setObjectName("adherence_value")
        self.adherence_detail = _plain()
        mute(self.adherence_detail)
        self.trend_chart = TrendChart(ChartStyle.BARS)
        self.trend_chart.setMinimumHeight(110)
        adherence_layout.addWidget(self.adherence_value)
        adherence_layout.addWidget(self.adherence_detail)
        adherence_layout.addWidget(self.trend_chart, 1)

        alignment_card, alignment_layout = _card("Alignment score", "card_alignment")
        self.score_value = _big(_plain(wrap=False))
        self.score_value.setObjectName("score_value")
        self.score_detail = _plain()
        mute(self.score_detail)
        self.score_chart = TrendChart(ChartStyle.LINE)
        self.score_chart.setMinimumHeight(110)
        alignment_layout.addWidget(self.score_value)
        alignment_layout.addWidget(self.score_detail)
        alignment_layout.addWidget(self.score_chart, 1)

        improvement_card, improvement_layout = _card("Improvement", "card_improvement")
        self.improvement_value = _big(_plain(wrap=False))
        self.improvement_value.setObjectName("improvement_value")
        self.improvement_detail = _plain()
        self.improvement_detail.setObjectName("improvement_detail")
        mute(self.improvement_detail)
        improvement_layout.addWidget(self.improvement_value)
        improvement_layout.addWidget(self.improvement_detail)
        improvement_layout.addStretch(1)

        actions_card, actions_layout = _card("Actions", "card_actions")
        self.actions_value = _big(_plain(wrap=False))
        self.actions_value.setObjectName("actions_value")
        self.actions_detail = _plain()
        mute(self.actions_detail)
        actions_layout.addWidget(self.actions_value)
        actions_layout.addWidget(self.actions_detail)
        actions_layout.addStretch(1)

        self.message = _plain()
        self.message.setObjectName("overview_message")
        self.message.hide()

        grid = QGridLayout()
        grid.setSpacing(12)
        grid.addWidget(rhythms_card, 0, 0)
        grid.addWidget(meetings_card, 0, 1)
        grid.addWidget(adherence_card, 1, 0)
        grid.addWidget(alignment_card, 1, 1)
        grid.addWidget(improvement_card, 2, 0)
        grid.addWidget(actions_card, 2, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self.grid = grid

        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.addWidget(self.message)
        content_layout.addLayout(grid)
        content_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    # -- public -----------------------------------------------------------------------------

    def reload(self) -> None:
        try:
            overview = client_overview(self.store, self.client_id, self._as_of())
        except VcioDeskError as err:
            self.message.setText(err.user_message)
            self.message.show()
            return
        self.message.hide()
        self.overview = overview
        self._show_rhythms(overview)
        self._show_meetings(overview)
        self._show_adherence(overview)
        self._show_alignment(overview)
        self._show_improvement(overview)
        self._show_actions(overview)

    # -- internals --------------------------------------------------------------------------

    def _show_rhythms(self, overview: ClientOverview) -> None:
        while self.rhythm_rows.count():
            item = self.rhythm_rows.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        if not overview.rhythms:
            empty = _plain("No rhythms yet: add them on the Rhythms tab.")
            mute(empty)
            self.rhythm_rows.addWidget(empty)
            return
        for status in overview.rhythms:
            style = FLAG_STYLES[status.flag]
            row = QWidget()
            row.setObjectName(f"rhythm_status_{status.rhythm_id}")
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            chip = QLabel(f" {style.glyph} {style.word} ")
            chip.setObjectName("flag_chip")
            chip.setStyleSheet(
                f"background: {style.background}; color: {style.text}; border-radius: 3px;"
            )
            chip.setAlignment(Qt.AlignmentFlag.AlignCenter)
            chip.setMinimumWidth(chip.sizeHint().width())
            text = _plain(f"{status.meeting_type}: {status.reason}")
            text.setObjectName("rhythm_reason")
            line.addWidget(chip, 0, Qt.AlignmentFlag.AlignTop)
            line.addWidget(text, 1)
            self.rhythm_rows.addWidget(row)

    def _show_meetings(self, overview: ClientOverview) -> None:
        self.meetings_list.clear()
        for meeting in overview.upcoming:
            weekday = self._locale.dayName(
                meeting.start.isoweekday(), QLocale.FormatType.ShortFormat
            )
            when = f"{weekday} {format_date(meeting.start.date(), self._locale)}"
            time = meeting.start.strftime("%H:%M")
            prep = (
                f"prep {meeting.prep_done}/{meeting.prep_total}"
                if meeting.prep_total
                else "no checklist"
            )
            text = f"{when} {time}  ·  {meeting.meeting_type}  ·  {meeting.status.value}  ·  {prep}"
            item = QListWidgetItem(text)
            item.setData(MEETING_ROLE, meeting.meeting_id)
            if meeting.owner:
                item.setToolTip(f"Owner: {meeting.owner}")
            self.meetings_list.addItem(item)
        if not overview.upcoming:
            item = QListWidgetItem("Nothing planned: generate the year on the Year page.")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.meetings_list.addItem(item)

    def _show_adherence(self, overview: ClientOverview) -> None:
        figure = overview.adherence
        self.adherence_value.setText(format_pct(figure.pct))
        self.adherence_detail.setText(
            f"{figure.kept} of {figure.judged} slots kept on time"
            if figure.judged
            else "No past slots to judge yet."
        )
        points = [
            TrendPoint(
                self._locale.monthName(p.month.month, QLocale.FormatType.ShortFormat),
                p.pct,
                f"{self._locale.monthName(p.month.month)} {p.month.year}: "
                f"{p.kept} of {p.judged} slots on time",
            )
            for p in overview.trend
        ]
        self.trend_chart.set_points(points)

    def _show_alignment(self, overview: ClientOverview) -> None:
        latest = overview.latest_completed_review
        working = overview.review_in_progress
        if latest is None:
            self.score_value.setText("—")
            details = ["No completed alignment review yet."]
        else:
            self.score_value.setText(format_pct(latest.score))
            details = [
                f"Review completed {format_date(latest.completed_on, self._locale)}, "
                f"coverage {format_pct(latest.coverage)}"
            ]
        if working is not None:
            details.append(
                f"Review in progress since {format_date(working.started_on, self._locale)}: "
                f"{format_pct(working.tally.progress)} answered"
            )
        self.score_detail.setText("\n".join(details))
        completed = [r for r in reversed(overview.reviews) if r.completed_on is not None]
        self.score_chart.set_points(
            [
                TrendPoint(
                    format_date(r.day, self._locale),
                    r.score,
                    f"{format_date(r.day, self._locale)}: score {format_pct(r.score)}, "
                    f"coverage {format_pct(r.coverage)}",
                )
                for r in completed[-8:]
            ]
        )
        self.score_chart.setVisible(bool(completed))

    def _show_improvement(self, overview: ClientOverview) -> None:
        plan = overview.roadmap
        symbol = overview.currency_symbol
        cards = [c for q in plan.quarters for c in q.cards]
        cards += [*plan.earlier, *plan.later, *plan.unscheduled]
        open_items = sum(1 for c in cards if c.status not in CLOSED_CSI)
        self.improvement_value.setText(str(open_items))
        lines = [f"open improvement item{'s' if open_items != 1 else ''} in the CSI register"]
        if plan.quarters:
            now = plan.quarters[0]
            lines.append(
                f"{now.quarter.label} (this quarter): "
                f"{money_text(now.budget.total, self._locale, symbol)}"
            )
            lines.append(
                f"{plan.quarters[0].quarter.label} – {plan.quarters[-1].quarter.label}: "
                f"{money_text(plan.budget.total, self._locale, symbol)}, recurring "
                f"{money_text(plan.budget.annualised_recurring, self._locale, symbol)} a year"
            )
        self.improvement_detail.setText("\n".join(lines))

    def _show_actions(self, overview: ClientOverview) -> None:
        counts = overview.actions
        self.actions_value.setText(str(counts.open))
        overdue = f", {counts.overdue} overdue" if counts.overdue else ""
        self.actions_detail.setText(f"open action{'s' if counts.open != 1 else ''}{overdue}")

    def _on_meeting_activated(self, item: QListWidgetItem) -> None:
        meeting_id = item.data(MEETING_ROLE)
        if isinstance(meeting_id, int):
            self.meeting_activated.emit(meeting_id)
