"""Charts for printed documents, built with ``reportlab.graphics.charts``.

Each function takes plain (label, value) pairs and returns ``Drawing`` objects, which are
flowables: put them straight into a story. Values are percentages (0–100) or ``None``
when there was nothing to measure; ``None`` draws no bar and says so.
Chart text is drawn as plain strings (no markup), so user text prints literally.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, Group, Rect, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from .layout import fit_text
from .theme import FONT, FONT_BOLD, PALETTE, register_fonts

__all__ = [
    "MAX_BARS_PER_CHART",
    "horizontal_bars",
    "monthly_trend",
    "quarter_costs",
    "score_trend",
]

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


def score_trend(
    points: Sequence[tuple[str, float | None]],
    width: float,
    *,
    height: float = 52 * mm,
    value_title: str = "Alignment score",
) -> Drawing:
    """The alignment score of each completed review (oldest left) on a 0–100 % scale.

    A line joins the reviews that have a score; each point is labelled with its value.
    With no scored review the chart says so instead of drawing an empty frame.
    """
    register_fonts()
    drawing = _drawing(width, height)
    left, bottom, top, right = 34.0, 22.0, 10.0, 12.0
    scored = [value for _label, value in points if value is not None]
    if not scored:
        height = 16 * mm
        drawing = _drawing(width, height)
        drawing.add(
            String(
                width / 2,
                height / 2,
                "No completed review with a score yet",
                fontName=FONT,
                fontSize=AXIS_SIZE + 1,
                fillColor=PALETTE.muted,
                textAnchor="middle",
            )
        )
        return drawing
    chart = HorizontalLineChart()
    chart.x, chart.y = left, bottom
    chart.width, chart.height = width - left - right, height - bottom - top
    chart.data = [[value if value is not None else None for _label, value in points]]
    chart.categoryAxis.categoryNames = [label for label, _value in points]
    chart.joinedLines = 1
    chart.lines[0].strokeColor = PALETTE.accent
    chart.lines[0].strokeWidth = 1.6
    chart.lines[0].symbol = makeMarker("FilledCircle", size=4.5, fillColor=PALETTE.accent)
    chart.lineLabelFormat = _percent
    chart.lineLabels.fontName = FONT_BOLD
    chart.lineLabels.fontSize = 6.5
    chart.lineLabels.fillColor = PALETTE.ink
    chart.lineLabels.dy = 7
    chart.lineLabelNudge = 0
    _style_value_axis(chart.valueAxis)
    _style_category_axis(chart.categoryAxis)
    chart.categoryAxis.labels.dy = -3
    if len(points) > 8:
        chart.categoryAxis.labels.angle = 30
        chart.categoryAxis.labels.boxAnchor = "ne"
    drawing.add(chart)
    _axis_title(drawing, 9, chart.y + chart.height / 2, value_title, vertical=True)
    return drawing


def quarter_costs(
    quarters: Sequence[tuple[str, float, float]],
    width: float,
    money: Callable[[float], str],
    *,
    height: float = 62 * mm,
) -> Drawing:
    """Stacked bars per quarter: one-time costs below, the quarter's recurring costs above.

    ``quarters`` holds (label, one-time, recurring); ``money`` formats axis values.
    A legend names both colours, and each bar carries its total.
    """
    register_fonts()
    drawing = _drawing(width, height)
    one_time = [value for _label, value, _recurring in quarters] or [0.0]
    recurring = [value for _label, _one, value in quarters] or [0.0]
    top_value = max((a + b for a, b in zip(one_time, recurring, strict=True)), default=0.0)
    step = _nice_step(top_value / 4 if top_value > 0 else 1.0)
    value_max = step * max(1, -(-top_value // step))
    axis_width = max(stringWidth(money(v), FONT, AXIS_SIZE) for v in (0.0, value_max))
    left, bottom, top, right = axis_width + 8, 30.0, 16.0, 6.0
    chart = VerticalBarChart()
    chart.x, chart.y = left, bottom
    chart.width, chart.height = width - left - right, height - bottom - top
    chart.data = [one_time, recurring]
    chart.categoryAxis.categoryNames = [label for label, _one, _rec in quarters] or [""]
    chart.categoryAxis.style = "stacked"
    chart.bars[0].fillColor = PALETTE.accent
    chart.bars[1].fillColor = PALETTE.accent_mid
    chart.bars.strokeColor = None
    chart.barWidth = 14
    chart.groupSpacing = 12
    axis = chart.valueAxis
    axis.valueMin = 0
    axis.valueMax = value_max
    axis.valueStep = step
    axis.labelTextFormat = money
    for name, value in (
        ("fontName", FONT),
        ("fontSize", AXIS_SIZE),
        ("fillColor", PALETTE.muted),
    ):
        setattr(axis.labels, name, value)
    axis.strokeColor = PALETTE.rule
    axis.strokeWidth = 0.5
    axis.visibleGrid = 1
    axis.gridStrokeColor = PALETTE.grid
    axis.gridStrokeWidth = 0.4
    axis.visibleTicks = 0
    _style_category_axis(chart.categoryAxis)
    chart.categoryAxis.labels.dy = -3
    if len(quarters) > 6:
        chart.categoryAxis.labels.angle = 20
        chart.categoryAxis.labels.boxAnchor = "ne"
    drawing.add(chart)
    slot = chart.width / max(1, len(one_time))
    scale = chart.height / axis.valueMax if axis.valueMax else 0
    for index, (a, b) in enumerate(zip(one_time, recurring, strict=True)):
        if a + b <= 0:
            continue
        drawing.add(
            String(
                chart.x + slot * (index + 0.5),
                chart.y + (a + b) * scale + 3,
                money(a + b),
                fontName=FONT_BOLD,
                fontSize=6,
                fillColor=PALETTE.ink,
                textAnchor="middle",
            )
        )
    legend_y = height - 8
    x = left
    for colour, label in ((PALETTE.accent, "One-time"), (PALETTE.accent_mid, "Recurring")):
        drawing.add(Rect(x, legend_y - 1, 7, 7, fillColor=colour, strokeColor=None))
        drawing.add(
            String(
                x + 10, legend_y, label, fontName=FONT, fontSize=AXIS_SIZE, fillColor=PALETTE.ink
            )
        )
        x += 16 + stringWidth(label, FONT, AXIS_SIZE)
    return drawing


def _nice_step(raw: float) -> float:
    """1, 2, 2.5 or 5 times a power of ten, at least ``raw``."""
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1.0
    for factor in (1, 2, 2.5, 5, 10):
        if factor * power >= raw:
            return factor * power
    return 10 * power
