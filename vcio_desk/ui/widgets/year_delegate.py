"""Painting the Year grid: each month cell as small chips, plus the legend that explains them.

A chip is a rounded box holding a glyph, the day, the meeting type and a state word
("◔ 18 TA late"); colour repeats what the text says and never carries it alone. The
chip colours are fixed light fills with dark text, so they stay readable on light
and dark palettes alike, and proposals, overdue and missed slots get a dashed edge
(nothing is fixed yet) while cancelled ones are struck through.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.services.year_grid import CellState
from vcio_desk.ui.models.year_model import (
    CHIPS_ROLE,
    DETAIL_ROLE,
    LEGEND_ORDER,
    OVER_CAPACITY_BACKGROUND,
    OVER_CAPACITY_TEXT,
    STATE_GLYPH,
    STATE_WORDS,
    SUBJECT_COLUMN,
    TODAY_TINT,
    TYPE_ABBREVIATIONS,
    Chip,
    Glyph,
    type_abbreviation,
)
from vcio_desk.ui.widgets.flow_layout import FlowLayout

AnyIndex = QModelIndex | QPersistentModelIndex

PAD = 3
GAP = 2
TEXT_PAD = 4
RADIUS = 3.0
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


@dataclass(frozen=True, slots=True)
class ChipStyle:
    fill: str
    border: str
    text: str
    dashed: bool = False
    struck: bool = False


CHIP_STYLES: dict[CellState, ChipStyle] = {
    CellState.PROPOSED: ChipStyle("#FFFFFF", "#5B6B7F", "#2E3A48", dashed=True),
    CellState.CONFIRMED: ChipStyle("#D6E6F5", "#0B5CAD", "#0B3C6E"),
    CellState.HELD_ON_TIME: ChipStyle("#D4EFDF", "#1E7B45", "#14532D"),
    CellState.HELD_EARLY: ChipStyle("#D5EEF0", "#137C7C", "#0F4F4F"),
    CellState.HELD_LATE: ChipStyle("#FCE8C8", "#B26A00", "#6B3F00"),
    CellState.HELD: ChipStyle("#E6F4EA", "#5A9A6E", "#14532D"),
    CellState.OVERDUE: ChipStyle("#FFF0D6", "#B3261E", "#7A1A14", dashed=True),
    CellState.MISSED: ChipStyle("#F8D3CF", "#B3261E", "#7A1A14", dashed=True),
    CellState.CANCELLED: ChipStyle("#ECECEC", "#8A8A8A", "#555555", struck=True),
}


def chip_height(metrics: QFontMetrics) -> int:
    return metrics.height() + 2


def cell_height(chips: int, metrics: QFontMetrics) -> int:
    """The row height that shows ``chips`` chips stacked in a cell (grid line included)."""
    lines = max(chips, 1)
    return 2 * PAD + lines * chip_height(metrics) + (lines - 1) * GAP + 1


def visible_chips(chips: tuple[Chip, ...], lines: int) -> tuple[tuple[Chip, ...], int]:
    """The chips that fit in ``lines`` lines and how many more there are ("+n" on the last)."""
    lines = max(lines, 1)
    return chips[:lines], max(len(chips) - lines, 0)


def fitted_text(chip: Chip, metrics: QFontMetrics, width: int) -> str:
    """The longest form of the chip's text that fits ``width``; the glyph always stays.

    Full ("◔ 18 TA late"), then without the state word ("◔ 18 TA"), then glyph and
    day ("◔ 18"), then that elided.
    """
    minimal = " ".join(chip.compact.split(" ", 2)[:2])
    for text in (chip.text, chip.compact, minimal):
        if metrics.horizontalAdvance(text) <= width:
            return text
    return metrics.elidedText(minimal, Qt.TextElideMode.ElideRight, width)


def chip_width(metrics: QFontMetrics, text: str) -> int:
    """The cell width a chip needs to show ``text`` whole."""
    return metrics.horizontalAdvance(text) + 2 * (PAD + TEXT_PAD) + 2


class YearDelegate(QStyledItemDelegate):
    """Paints the subject column (name and a muted tier) and month cells as chips.

    Month cells are painted without the style's item machinery (the fill, the chips,
    a focus line): it is the hot path of every scroll and filter keystroke.
    """

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        if index.column() == SUBJECT_COLUMN:
            self._paint_subject(painter, option, index)
            return
        painter.save()
        try:
            rect = option.rect
            state = option.state
            if state & QStyle.StateFlag.State_Selected:
                painter.fillRect(rect, option.palette.highlight())
            else:
                tint = index.data(Qt.ItemDataRole.BackgroundRole)
                if tint is not None:
                    painter.fillRect(rect, tint)
            self._paint_chips(painter, option, index.data(CHIPS_ROLE) or ())
            if state & QStyle.StateFlag.State_HasFocus:
                pen = QPen(option.palette.color(QPalette.ColorRole.Highlight))
                pen.setWidth(2)
                painter.setPen(pen)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(rect.adjusted(1, 1, -1, -1))
        finally:
            painter.restore()

    def _paint_subject(
        self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        name = opt.text
        opt.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        detail = str(index.data(DETAIL_ROLE) or "")
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        palette = opt.palette
        rect = opt.rect.adjusted(6, 0, -6, 0)
        metrics = opt.fontMetrics
        tight = rect.width() < metrics.averageCharWidth() * 30  # the same for every row
        if detail and tight:  # a narrow column keeps the name and shortens the detail
            detail = detail.removeprefix("Tier ").replace("Internal", "Int.")
        detail_width = metrics.horizontalAdvance(detail) if detail else 0
        role = palette.ColorRole.HighlightedText if selected else palette.ColorRole.Text
        painter.save()
        painter.setFont(opt.font)
        if detail:
            muted = QColor(palette.color(role))
            muted.setAlphaF(0.65)
            painter.setPen(muted)
            painter.drawText(rect, RIGHT, detail)
        name_rect = rect.adjusted(0, 0, -(detail_width + 8 if detail else 0), 0)
        painter.setPen(palette.color(role))
        elided = metrics.elidedText(name, Qt.TextElideMode.ElideRight, name_rect.width())
        painter.drawText(name_rect, LEFT, elided)
        painter.restore()

    def _paint_chips(
        self, painter: QPainter, option: QStyleOptionViewItem, chips: tuple[Chip, ...]
    ) -> None:
        if not chips:
            return
        metrics = option.fontMetrics
        height = chip_height(metrics)
        area = option.rect.adjusted(PAD, PAD, -PAD, -PAD)
        lines = max(1, (area.height() + GAP) // (height + GAP))
        shown, more = visible_chips(chips, lines)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        y = area.top()
        for number, chip in enumerate(shown, start=1):
            rect = QRect(area.left(), y, area.width(), height)
            if more and number == len(shown):
                label = f"+{more}"
                room = metrics.horizontalAdvance(label) + TEXT_PAD
                rect.setRight(rect.right() - room)
                painter.setPen(option.palette.color(QPalette.ColorRole.Text))
                painter.setFont(option.font)
                painter.drawText(
                    QRect(rect.right() + 1, y, room, height),
                    RIGHT,
                    label,
                )
            paint_chip(painter, rect, chip, option.font, metrics)
            y += height + GAP

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        metrics = QFontMetrics(option.font)
        if index.column() == SUBJECT_COLUMN:
            name = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
            detail = str(index.data(DETAIL_ROLE) or "")
            width = metrics.horizontalAdvance(name) + metrics.horizontalAdvance(detail) + 28
            return QSize(width, cell_height(1, metrics))
        chips = index.data(CHIPS_ROLE) or ()
        widest = max((metrics.horizontalAdvance(c.text) for c in chips), default=0)
        return QSize(widest + 2 * (PAD + TEXT_PAD), cell_height(len(chips), metrics))


@cache
def _tools(state: CellState) -> tuple[QPen, QBrush, QPen]:
    """Border pen, fill and text pen of a state's chips (made once)."""
    style = CHIP_STYLES[state]
    border = QPen(QColor(style.border))
    border.setWidthF(1.0)
    if style.dashed:
        border.setStyle(Qt.PenStyle.DashLine)
    return border, QBrush(QColor(style.fill)), QPen(QColor(style.text))


def paint_chip(
    painter: QPainter,
    rect: QRect,
    chip: Chip,
    font: QFont,
    metrics: QFontMetrics | None = None,
) -> None:
    """One chip: a rounded box in the state's colours with its text, shortened to fit."""
    border, fill, text_pen = _tools(chip.state)
    painter.setPen(border)
    painter.setBrush(fill)
    painter.drawRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), RADIUS, RADIUS)
    if CHIP_STYLES[chip.state].struck:
        font = QFont(font)
        font.setStrikeOut(True)
    painter.setFont(font)
    painter.setPen(text_pen)
    inner = rect.adjusted(TEXT_PAD, 0, -TEXT_PAD, 0)
    text = fitted_text(chip, metrics or QFontMetrics(font), inner.width())
    painter.drawText(inner, LEFT, text)


def _css(style: ChipStyle) -> str:
    border = "dashed" if style.dashed else "solid"
    decoration = "text-decoration: line-through;" if style.struck else ""
    return (
        f"background: {style.fill}; color: {style.text}; border: 1px {border} {style.border};"
        f" border-radius: 3px; padding: 0px 5px; {decoration}"
    )


class LegendStrip(QWidget):
    """What each glyph means, drawn in the chips' own colours, and the type abbreviations."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("year_legend")
        self.labels: dict[str, QLabel] = {}
        chips = QWidget()
        row = FlowLayout(chips)
        caption = QLabel("Legend:")
        row.addWidget(caption)
        for state in LEGEND_ORDER:
            self._add(row, state.value, f"{STATE_GLYPH[state]} {_legend_word(state)}", state)
        today = QColor(TODAY_TINT)
        over = (
            f"background: {OVER_CAPACITY_BACKGROUND.name()}; color: {OVER_CAPACITY_TEXT.name()};"
            " border: 1px solid #B3261E; border-radius: 3px; padding: 0px 5px; font-weight: bold;"
        )
        self._add(row, "over", f"{Glyph.OVER_CAPACITY} Over capacity", css=over)
        tint = f"rgba({today.red()}, {today.green()}, {today.blue()}, {today.alpha() * 2})"
        self._add(
            row,
            "today",
            f"{Glyph.TODAY} This month",
            css=f"background: {tint}; border-radius: 3px; padding: 0px 5px; font-weight: bold;",
        )
        self.types_label = QLabel()
        self.types_label.setObjectName("year_legend_types")
        self.types_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(chips)
        layout.addWidget(self.types_label)

    def _add(
        self,
        row: FlowLayout,
        key: str,
        text: str,
        state: CellState | None = None,
        css: str = "",
    ) -> None:
        label = QLabel(text)
        label.setStyleSheet(_css(CHIP_STYLES[state]) if state is not None else css)
        if state is not None:
            label.setToolTip(STATE_WORDS[state])
        row.addWidget(label)
        self.labels[key] = label

    def set_meeting_types(self, types: list[tuple[str, str]]) -> None:
        """Explain the abbreviations chips use, e.g. "TA = Technology Alignment review"."""
        order = list(TYPE_ABBREVIATIONS)
        ranked = sorted(
            types, key=lambda t: (order.index(t[0]) if t[0] in order else len(order), t[1])
        )
        parts = [f"{type_abbreviation(key, name)} = {name}" for key, name in ranked]
        self.types_label.setText("Meeting types:  " + "   ·   ".join(parts) if parts else "")


def _legend_word(state: CellState) -> str:
    return {
        CellState.OVERDUE: "Overdue",
        CellState.MISSED: "Missed",
    }.get(state, STATE_WORDS[state])
