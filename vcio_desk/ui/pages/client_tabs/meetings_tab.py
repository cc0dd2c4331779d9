"""The client page's Meetings tab: every meeting of the client, past and planned.

Each row has its date, time, type, state in words (held on time, late, missed…, judged
as on the Year page), owner and prep progress. Filter upcoming / past / all; Enter or a
double-click opens the meeting's page (``meeting_activated``). A slot that passed with
no meeting at all is listed as missed and explains itself instead of opening.

:meth:`MeetingsTab.reload` reads the client's meetings and judges only this client's
rhythms, so it stays cheap on a large workspace.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QLocale, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.domain.errors import VcioDeskError
from vcio_desk.services.meeting_list import ClientMeeting, client_meetings
from vcio_desk.store import Store
from vcio_desk.ui.formatting import format_date
from vcio_desk.ui.models.meeting_list_model import MeetingColumn, MeetingListModel, Span
from vcio_desk.ui.widgets.message_panel import MessagePanel
from vcio_desk.ui.widgets.rhythm_editor import mute
from vcio_desk.ui.widgets.tables import row_table

SPAN_TITLES = {Span.UPCOMING: "Upcoming", Span.PAST: "Past", Span.ALL: "All"}


class MeetingsTab(QWidget):
    changed = Signal()
    """Something was written from this tab (nothing is, yet: meetings change on their page)."""
    meeting_activated = Signal(int)
    """Open this meeting's page."""

    def __init__(
        self,
        store: Store,
        client_id: int,
        as_of_provider: Callable[[], dt.date],
        locale: QLocale | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("tab_meetings")
        self.store = store
        self.client_id = client_id
        self._as_of = as_of_provider
        self._locale = locale or QLocale()
        self.model = MeetingListModel(self, self._locale)
        self.table = row_table(
            self.model, name="client_meetings", sortable=True, stretch_last=False
        )
        self.table.sortByColumn(MeetingColumn.DATE, Qt.SortOrder.AscendingOrder)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(MeetingColumn.TYPE, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self.open_index)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(key), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self.open_selected)

        self.span_buttons: dict[Span, QToolButton] = {}
        self.span_group = QButtonGroup(self)
        bar = QHBoxLayout()
        for span in (Span.UPCOMING, Span.PAST, Span.ALL):
            button = QToolButton()
            button.setObjectName(f"span_{span.value}")
            button.setCheckable(True)
            button.setText(SPAN_TITLES[span])
            button.clicked.connect(lambda _checked=False, s=span: self.set_span(s))
            self.span_group.addButton(button)
            self.span_buttons[span] = button
            bar.addWidget(button)
        self.span_buttons[Span.ALL].setChecked(True)
        self.notice_label = QLabel()
        self.notice_label.setObjectName("meetings_notice")
        self.notice_label.setTextFormat(Qt.TextFormat.PlainText)
        mute(self.notice_label)
        self.open_button = QPushButton("&Open meeting")
        self.open_button.setToolTip("Prepare or review the selected meeting (Enter)")
        self.open_button.clicked.connect(self.open_selected)
        bar.addSpacing(12)
        bar.addWidget(self.notice_label, 1)
        bar.addWidget(self.open_button)
        self.empty = MessagePanel(
            "meeting",
            "No meetings yet",
            "This client has no meetings. Give it rhythms, then use “Generate year” on the "
            "Year page to plan them.",
        )
        self.empty.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)
        self.table.selectionModel().selectionChanged.connect(self._enable)
        self._loaded = False
        self._enable()

    # -- public ------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the client's meetings again (keeps the filter, sort and selection)."""
        selected = self.selected()
        as_of = self._as_of()
        try:
            meetings = client_meetings(self.store, self.client_id, as_of)
        except VcioDeskError as err:
            meetings = []
            self.notice_label.setText(err.user_message)
        self.model.set_meetings(meetings, as_of)
        self._fit_columns()
        self._show_counts()
        self.table.setVisible(bool(meetings))
        self.empty.setVisible(not meetings)
        if selected is not None and selected.meeting_id is not None:
            self.select_meeting(selected.meeting_id)
        elif not self._loaded:
            self._select_row(self.model.first_upcoming_row())
        self._loaded = True
        self._enable()

    def set_span(self, span: Span) -> None:
        self.span_buttons[span].setChecked(True)
        self.model.set_span(span)
        if span is Span.PAST:
            self._select_row(self.model.rowCount() - 1)
        else:
            self._select_row(self.model.first_upcoming_row())
        self._enable()

    def selected(self) -> ClientMeeting | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.meeting_at(rows[0].row()) if rows else None

    def select_meeting(self, meeting_id: int) -> None:
        self._select_row(self.model.row_of(meeting_id))

    def open_index(self, index: QModelIndex) -> None:
        self._open(self.model.meeting_at(index.row()))

    def open_selected(self) -> None:
        self._open(self.selected())

    # -- internals ---------------------------------------------------------------------------

    def _open(self, row: ClientMeeting | None) -> None:
        if row is None:
            return
        if row.meeting_id is None:
            self.notice_label.setText(
                f"Nothing was booked or held for the {row.meeting_type} slot of "
                f"{format_date(row.day, self._locale)}; there is no meeting to open."
            )
            return
        self.meeting_activated.emit(row.meeting_id)

    def _select_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.table.selectRow(row)
            self.table.scrollTo(
                self.model.index(row, 0), QAbstractItemView.ScrollHint.PositionAtCenter
            )

    def _fit_columns(self) -> None:
        """Every column but the meeting's name as wide as its widest text, plus some air.

        Measured from the distinct texts, not by asking every cell (resizeColumnToContents
        costs ~20 ms a column on a client with a hundred meetings).
        """
        metrics = self.table.fontMetrics()
        header = self.table.horizontalHeader()
        for column in MeetingColumn:
            if column is MeetingColumn.TYPE:
                continue
            texts = [*self.model.widest(column), self.model.headers[column]]
            width = max(metrics.horizontalAdvance(text) for text in texts)
            self.table.setColumnWidth(column, max(width + 24, header.sectionSizeHint(column)))

    def _show_counts(self) -> None:
        counts = self.model.counts()
        for span, button in self.span_buttons.items():
            button.setText(f"{SPAN_TITLES[span]} ({counts[span]})")
        self.notice_label.setText("")

    def _enable(self) -> None:
        row = self.selected()
        self.open_button.setEnabled(row is not None and row.meeting_id is not None)
