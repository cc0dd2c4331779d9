"""A small percentage chart drawn with QPainter: one bar (or line point) per period.

Made for the dashboard's twelve-month adherence trend, but it knows nothing about
adherence: it takes labelled values between 0 and 100 (None for "nothing to
judge"). No QtCharts: a dozen bars do not need a charting engine. Each bar is
labelled with its value when there is room, hovering shows the point's detail,
and the accessible description reads every value, so the chart never relies on
its shapes alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPainter, QPainterPath, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget


@dataclass(frozen=True)
class TrendPoint:
    label: str
    """Short axis label ("Nov")."""
    value: float | None
    """0–100, or None when the period has nothing to measure."""
    detail: str = ""
    """Tooltip text ("November 2026: 42 of 50 slots on time")."""


class ChartStyle(Enum):
    BARS = "bars"
    LINE = "line"


class TrendChart(QWidget):
    """Bars (default) or a line over labelled percentages, with a 0/50/100 % grid."""

    def __init__(self, style: ChartStyle = ChartStyle.BARS, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._style = style
        self._points: list[TrendPoint] = []
        self._target: float | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMouseTracking(True)

    # -- public ------------------------------------------------------------------------------

    def points(self) -> list[TrendPoint]:
        return list(self._points)

    def set_points(self, points: Sequence[TrendPoint], target: float | None = None) -> None:
        """Show ``points`` (oldest first); ``target`` draws a dashed reference line."""
        self._points = list(points)
        self._target = target
        described = "; ".join(
            f"{p.label} {'no data' if p.value is None else f'{round(p.value)}%'}"
            for p in self._points
        )
        self.setAccessibleDescription(described)
        self.update()

    def set_style(self, style: ChartStyle) -> None:
        self._style = style
        self.update()

    def sizeHint(self) -> QSize:
        line = self.fontMetrics().height()
        return QSize(max(320, 28 * max(1, len(self._points)) + 48), line * 9)

    def minimumSizeHint(self) -> QSize:
        line = self.fontMetrics().height()
        return QSize(160, line * 6)

    # -- geometry ----------------------------------------------------------------------------

    def plot_rect(self) -> QRectF:
        """Where values are drawn: room on the left for "100%" and below for labels."""
        metrics = self.fontMetrics()
        left = metrics.horizontalAdvance("100%") + 8
        top = metrics.height() * 0.9
        bottom = metrics.height() + 6
        return QRectF(
            left, top, max(1.0, self.width() - left - 6), max(1.0, self.height() - top - bottom)
        )

    def slot_rect(self, index: int) -> QRectF:
        """The full-height column of point ``index`` (hit testing and drawing)."""
        plot = self.plot_rect()
        step = plot.width() / max(1, len(self._points))
        return QRectF(plot.left() + index * step, plot.top(), step, plot.height())

    def point_at(self, x: float) -> int | None:
        plot = self.plot_rect()
        if not self._points or not plot.left() <= x < plot.right():
            return None
        step = plot.width() / len(self._points)
        return min(len(self._points) - 1, int((x - plot.left()) / step))

    def _y(self, value: float) -> float:
        plot = self.plot_rect()
        return plot.bottom() - plot.height() * max(0.0, min(100.0, value)) / 100.0

    # -- events ------------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            index = self.point_at(event.pos().x())
            if index is not None:
                point = self._points[index]
                shown = "no slots to judge" if point.value is None else f"{round(point.value)}%"
                QToolTip.showText(
                    event.globalPos(), point.detail or f"{point.label}: {shown}", self
                )
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        muted = QColor(text)
        muted.setAlpha(140)
        grid = QColor(text)
        grid.setAlpha(40)
        plot = self.plot_rect()
        metrics = self.fontMetrics()

        for value in (0, 50, 100):
            y = self._y(value)
            painter.setPen(QPen(grid, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(muted)
            label_box = QRectF(0, y - metrics.height() / 2, plot.left() - 6, metrics.height())
            painter.drawText(
                label_box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{value}%"
            )
        if self._target is not None:
            pen = QPen(muted, 1, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            y = self._y(self._target)
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))

        if not self._points:
            painter.setPen(muted)
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, "No data yet")
            painter.end()
            return
        if self._style is ChartStyle.BARS:
            self._paint_bars(painter, palette, text, muted)
        else:
            self._paint_line(painter, palette, muted)
        painter.setPen(muted)
        for index, point in enumerate(self._points):
            column = self.slot_rect(index)
            label_box = QRectF(column.left(), plot.bottom() + 3, column.width(), metrics.height())
            painter.drawText(
                label_box, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, point.label
            )
        painter.end()

    def _paint_bars(
        self, painter: QPainter, palette: QPalette, text: QColor, muted: QColor
    ) -> None:
        fill = palette.color(QPalette.ColorRole.Highlight)
        metrics = self.fontMetrics()
        bottom = self.plot_rect().bottom()
        for index, point in enumerate(self._points):
            column = self.slot_rect(index)
            width = max(2.0, column.width() * 0.62)
            left = column.center().x() - width / 2
            if point.value is None:
                painter.setPen(muted)
                painter.drawText(
                    QRectF(
                        column.left(),
                        bottom - metrics.height() - 2,
                        column.width(),
                        metrics.height(),
                    ),
                    Qt.AlignmentFlag.AlignCenter,
                    "–",
                )
                continue
            top = self._y(point.value)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawRoundedRect(QRectF(left, top, width, max(1.0, bottom - top)), 2, 2)
            value_text = f"{round(point.value)}"
            if metrics.horizontalAdvance(value_text) <= column.width():
                painter.setPen(text)
                label_top = top - metrics.height() - 1
                painter.drawText(
                    QRectF(column.left(), label_top, column.width(), metrics.height()),
                    Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                    value_text,
                )

    def _paint_line(self, painter: QPainter, palette: QPalette, muted: QColor) -> None:
        colour = palette.color(QPalette.ColorRole.Highlight)
        path = QPainterPath()
        started = False
        dots: list[QPointF] = []
        for index, point in enumerate(self._points):
            if point.value is None:
                started = False  # a gap, not a dip to zero
                continue
            where = QPointF(self.slot_rect(index).center().x(), self._y(point.value))
            dots.append(where)
            if started:
                path.lineTo(where)
            else:
                path.moveTo(where)
                started = True
        painter.setPen(QPen(colour, 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        painter.setBrush(colour)
        for dot in dots:
            painter.drawEllipse(dot, 3, 3)
