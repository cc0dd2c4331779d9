"""Charts for printed documents, built with ``reportlab.graphics.charts``.

Each function takes plain (label, value) pairs and returns ``Drawing`` objects, which are
flowables: put them straight into a story. Values are percentages (0–100) or ``None``
when there was nothing to measure; ``None`` draws no bar and says so.
Chart text is drawn as plain strings (no markup), so user text prints literally.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, Group, String
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from .layout import fit_text
from .theme import FONT, FONT_BOLD, PALETTE, register_fonts

__all__ = ["MAX_BARS_PER_CHART", "horizontal_bars", "monthly_trend"]

MAX_BARS_PER_CHART = 30
"""A horizontal bar chart longer than this is split so each part fits on a page."""

AXIS_SIZE = 7.0
TITLE_SIZE = 7.5


def _percent(value: float) -> str:
    return f"{value:.0f}%"


def _drawing(width: float, height: float) -> Drawing:
    drawing = Drawing(width, height)
    drawing.initialFontName = FONT  # else the renderer selects Helvetica before any text
    drawing.initialFontSize = AXIS_SIZE
    return drawing


def _label_width(label: str) -> float:
    return stringWidth(" ".join(label.split()), FONT, AXIS_SIZE)


def _axis_title(drawing: Drawing, x: float, y: float, text: str, *, vertical: bool) -> None:
    label = String(0, 0, text, fontName=FONT, fontSize=TITLE_SIZE, fillColor=PALETTE.muted)
    label.textAnchor = "middle"
    if vertical:
        group = Group(label)
        group.transform = (0, 1, -1, 0, x, y)  # rotated a quarter turn, reading upwards
        drawing.add(group)
    else:
        label.x, label.y = x, y
        drawing.add(label)


def _style_value_axis(axis: object) -> None:
    axis.valueMin = 0  # type: ignore[attr-defined]
    axis.valueMax = 100  # type: ignore[attr-defined]
    axis.valueStep = 20  # type: ignore[attr-defined]
    axis.labelTextFormat = _percent  # type: ignore[attr-defined]
    axis.labels.fontName = FONT  # type: ignore[attr-defined]
    axis.labels.fontSize = AXIS_SIZE  # type: ignore[attr-defined]
    axis.labels.fillColor = PALETTE.muted  # type: ignore[attr-defined]
    axis.strokeColor = PALETTE.rule  # type: ignore[attr-defined]
    axis.strokeWidth = 0.5  # type: ignore[attr-defined]
    axis.visibleGrid = 1  # type: ignore[attr-defined]
    axis.gridStrokeColor = PALETTE.grid  # type: ignore[attr-defined]
    axis.gridStrokeWidth = 0.4  # type: ignore[attr-defined]
    axis.visibleTicks = 0  # type: ignore[attr-defined]


def _style_category_axis(axis: object) -> None:
    axis.labels.fontName = FONT  # type: ignore[attr-defined]
    axis.labels.fontSize = AXIS_SIZE  # type: ignore[attr-defined]
    axis.labels.fillColor = PALETTE.ink  # type: ignore[attr-defined]
    axis.strokeColor = PALETTE.rule  # type: ignore[attr-defined]
    axis.strokeWidth = 0.5  # type: ignore[attr-defined]
    axis.visibleTicks = 0  # type: ignore[attr-defined]


def monthly_trend(
    months: Sequence[tuple[str, float | None]],
    width: float,
    *,
    height: float = 62 * mm,
    value_title: str = "Adherence (% on time)",
    category_title: str = "Month (past slots judged in that month)",
) -> Drawing:
    """A bar per month (oldest left) on a 0–100 % scale, each labelled with its value.

    ``months`` holds (label, percentage or None); a label may hold a line break
    ("Jan\\n2026"). Months without judged slots show "–" instead of a bar.
    """
    register_fonts()
    drawing = _drawing(width, height)
    left, bottom, top, right = 34.0, 34.0, 8.0, 4.0
    chart = VerticalBarChart()
    chart.x, chart.y = left, bottom
    chart.width, chart.height = width - left - right, height - bottom - top
    values = [value for _label, value in months] or [None]
    chart.data = [values]
    chart.categoryAxis.categoryNames = [label for label, _value in months] or [""]
    chart.barWidth = 10
    chart.groupSpacing = 10
    chart.bars[0].fillColor = PALETTE.accent
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = _percent
    chart.barLabels.fontName = FONT_BOLD
    chart.barLabels.fontSize = 6.5
    chart.barLabels.fillColor = PALETTE.ink
    chart.barLabels.nudge = 6
    _style_value_axis(chart.valueAxis)
    _style_category_axis(chart.categoryAxis)
    chart.categoryAxis.labels.dy = -3
    chart.categoryAxis.labels.leading = AXIS_SIZE * 1.15
    drawing.add(chart)
    step = chart.width / max(1, len(values))
    for index, value in enumerate(values):
        if value is None and months:
            gap = String(
                chart.x + step * (index + 0.5),
                chart.y + 3,
                "–",
                fontName=FONT,
                fontSize=AXIS_SIZE,
                fillColor=PALETTE.muted,
                textAnchor="middle",
            )
            drawing.add(gap)
    _axis_title(drawing, 9, chart.y + chart.height / 2, value_title, vertical=True)
    _axis_title(drawing, chart.x + chart.width / 2, 3, category_title, vertical=False)
    return drawing


def horizontal_bars(
    items: Sequence[tuple[str, float | None]],
    width: float,
    *,
    value_title: str = "Adherence (% of past slots on time)",
    bar_pitch: float = 13.0,
    max_bars: int = MAX_BARS_PER_CHART,
) -> list[Drawing]:
    """One horizontal bar per item (first item on top), on a 0–100 % scale.

    Returns one drawing per ``max_bars`` items, so a long list never outgrows a page.
    Labels longer than about a third of the width are shortened with "…".
    """
    register_fonts()
    if not items:
        return []
    label_width = min(
        width * 0.34,
        max(_label_width(label) for label, _value in items) + 8,
    )
    drawings: list[Drawing] = []
    for start in range(0, len(items), max_bars):
        chunk = items[start : start + max_bars]
        drawings.append(_horizontal_chunk(chunk, width, label_width, value_title, bar_pitch))
    return drawings


def _horizontal_chunk(
    items: Sequence[tuple[str, float | None]],
    width: float,
    label_width: float,
    value_title: str,
    bar_pitch: float,
) -> Drawing:
    bottom, top, right = 30.0, 6.0, 26.0
    plot_height = bar_pitch * len(items)
    drawing = _drawing(width, plot_height + bottom + top)
    chart = HorizontalBarChart()
    chart.x, chart.y = label_width, bottom
    chart.width, chart.height = width - label_width - right, plot_height
    values = [value for _label, value in items]
    chart.data = [values]
    chart.categoryAxis.categoryNames = [
        fit_text(label, FONT, AXIS_SIZE, label_width - 8) for label, _value in items
    ]
    chart.categoryAxis.reverseDirection = 1  # first item on top
    chart.barWidth = bar_pitch * 0.62
    chart.groupSpacing = bar_pitch * 0.38
    chart.bars[0].fillColor = PALETTE.accent
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = _percent
    chart.barLabels.fontName = FONT_BOLD
    chart.barLabels.fontSize = 6.5
    chart.barLabels.fillColor = PALETTE.ink
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    _style_value_axis(chart.valueAxis)
    _style_category_axis(chart.categoryAxis)
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    drawing.add(chart)
    for index, value in enumerate(values):
        if value is None:
            row_middle = chart.y + plot_height - bar_pitch * (index + 0.5)
            drawing.add(
                String(
                    chart.x + 4,
                    row_middle - 2.5,
                    "no past slots",
                    fontName=FONT,
                    fontSize=6.5,
                    fillColor=PALETTE.muted,
                )
            )
    _axis_title(drawing, chart.x + chart.width / 2, 4, value_title, vertical=False)
    return drawing
