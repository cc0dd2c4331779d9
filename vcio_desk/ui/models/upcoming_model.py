"""The dashboard's "next 14 days" table: its model and the prep-progress delegate."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    QTime,
)
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import (
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from vcio_desk.domain.vocab import MeetingStatus
from vcio_desk.services.dashboard import (
    UpcomingMeeting,
)
from vcio_desk.ui.formatting import format_date

AnyIndex = QModelIndex | QPersistentModelIndex
PREP_ROLE = Qt.ItemDataRole.UserRole + 1
"""Prep column: ``(done, total)``."""
MEETING_ROLE = Qt.ItemDataRole.UserRole + 2
"""Every column: the row's :class:`UpcomingMeeting`."""
STATUS_TEXT = {
    MeetingStatus.PROPOSED: "Proposed",
    MeetingStatus.CONFIRMED: "Confirmed",
    MeetingStatus.HELD: "Held",
    MeetingStatus.CANCELLED: "Cancelled",
}


class MeetingColumn(IntEnum):
    """Owner last: it is hidden while one person's meetings are listed."""

    DATE = 0
    TIME = 1
    SUBJECT = 2
    TYPE = 3
    STATUS = 4
    PREP = 5
    OWNER = 6


MEETING_HEADERS = ("Date", "Time", "Subject", "Type", "Status", "Prep", "Owner")


def prep_text(done: int, total: int) -> str:
    return "No checklist" if total == 0 else f"{done}/{total} ready"


class UpcomingModel(QAbstractTableModel):
    """Meetings of the next days (already in start order), one owner's or everyone's."""

    def __init__(self, parent: QObject | None = None, locale: QLocale | None = None) -> None:
        super().__init__(parent)
        self._locale = locale or QLocale()
        self._all: list[UpcomingMeeting] = []
        self._visible: list[UpcomingMeeting] = []
        self._owner: int | None = None

    def set_meetings(self, meetings: Sequence[UpcomingMeeting]) -> None:
        self._all = list(meetings)
        self._refresh()

    def set_owner(self, owner_id: int | None) -> None:
        """Show ``owner_id``'s meetings; None shows everyone's."""
        self._owner = owner_id
        self._refresh()

    def _refresh(self) -> None:
        owner = self._owner
        self.beginResetModel()
        self._visible = [x for x in self._all if owner is None or x.owner_id == owner]
        self.endResetModel()

    def meetings(self) -> list[UpcomingMeeting]:
        return list(self._visible)

    def meeting_at(self, row: int) -> UpcomingMeeting:
        return self._visible[row]

    def display(self, meeting: UpcomingMeeting, column: MeetingColumn) -> str:
        if column is MeetingColumn.DATE:
            day = meeting.day
            weekday = self._locale.dayName(day.isoweekday(), QLocale.FormatType.ShortFormat)
            return f"{weekday} {format_date(day, self._locale)}"
        if column is MeetingColumn.TIME:
            start = meeting.start
            return self._locale.toString(
                QTime(start.hour, start.minute), QLocale.FormatType.ShortFormat
            )
        if column is MeetingColumn.SUBJECT:
            return meeting.subject
        if column is MeetingColumn.TYPE:
            return meeting.meeting_type
        if column is MeetingColumn.OWNER:
            return meeting.owner
        if column is MeetingColumn.STATUS:
            return STATUS_TEXT.get(meeting.status, str(meeting.status))
        return prep_text(meeting.prep_done, meeting.prep_total)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(MeetingColumn)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._visible):
            return None
        meeting = self._visible[index.row()]
        column = MeetingColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(meeting, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column in (MeetingColumn.SUBJECT, MeetingColumn.TYPE):
                return self.display(meeting, column)  # may be wider than its column
            if column is MeetingColumn.TIME:
                return f"{self.display(meeting, column)} in {meeting.timezone}"
            if column is MeetingColumn.PREP and meeting.prep_total:
                left = meeting.prep_total - meeting.prep_done
                return "Every prep item is done" if left == 0 else f"{left} prep items to do"
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column is MeetingColumn.TIME:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == PREP_ROLE and column is MeetingColumn.PREP:
            return (meeting.prep_done, meeting.prep_total)
        if role == MEETING_ROLE:
            return meeting
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(MeetingColumn):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return MEETING_HEADERS[section]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )


class PrepDelegate(QStyledItemDelegate):
    """ "3/6 ready" beside a small progress bar (the words carry the state; the bar helps scan)."""

    BAR_WIDTH = 44

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        counts = index.data(PREP_ROLE)
        if not isinstance(counts, tuple):
            super().paint(painter, option, index)
            return
        done, total = counts
        blank = QStyleOptionViewItem(option)
        self.initStyleOption(blank, index)
        text = blank.text
        blank.text = ""
        style = option.widget.style() if option.widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, blank, painter, option.widget)
        rect = option.rect.adjusted(4, 0, -4, 0)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        text_colour = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if total:
            height = 6.0
            bar = QRectF(rect.left(), rect.center().y() - height / 2 + 1, self.BAR_WIDTH, height)
            track = QColor(text_colour)
            track.setAlpha(45)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(track)
            painter.drawRoundedRect(bar, 3, 3)
            filled = QRectF(bar)
            filled.setWidth(bar.width() * done / total)
            painter.setBrush(
                QColor("#2E7D32")
                if done == total
                else palette.color(
                    QPalette.ColorRole.Highlight
                    if not selected
                    else QPalette.ColorRole.HighlightedText
                )
            )
            if done:
                painter.drawRoundedRect(filled, 3, 3)
            rect = rect.adjusted(self.BAR_WIDTH + 8, 0, 0, 0)
        painter.setPen(text_colour)
        painter.setFont(option.font)
        painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        base = super().sizeHint(option, index)
        return QSize(base.width() + self.BAR_WIDTH + 16, base.height())


# -- cards -------------------------------------------------------------------------------------
