"""Flowables and tables shared by printed reports and meeting packs.

- :class:`Para`: a Paragraph that reuses its line breaking when wrapped again at the
  same width (tables wrap each cell several times).
- :class:`Heading`: a heading paragraph that becomes a PDF bookmark (outline entry) and is
  kept with what follows it; :class:`KeepWithTable` keeps headings with the first rows
  of a table instead of the whole table.
- :func:`data_table`: a :class:`DataTable` (``LongTable``) with the header row repeated
  on every page and no lonely row left at either side of a page break; a row taller
  than what is left of a page splits between lines of its paragraphs, never through one.
- :func:`text_cell`, :class:`FlagLabel`: cheap table cells for user text and flags.
- :func:`summary_tiles`, :func:`flag_counts`: headline figures and per-flag counts.

The page scaffolding (furniture, "Page x of y", bookmarks, :func:`build_pdf`) lives in
:mod:`.document` and is re-exported here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    LongTable,
    Paragraph,
    Table,
    TableStyle,
)

from .document import (
    CONFIDENTIAL,
    NumberedCanvas,
    PageFurniture,
    ReportDocument,
    build_pdf,
    numbered_canvas,
)
from .theme import (
    FLAG_ORDER,
    FONT,
    FONT_BOLD,
    PALETTE,
    TABLE_PADDING_X,
    Styles,
    escape_text,
    flag_chip,
    flag_colour,
    flag_label,
)

__all__ = [
    "CONFIDENTIAL",
    "DataTable",
    "FlagLabel",
    "Heading",
    "KeepWithTable",
    "NumberedCanvas",
    "PageFurniture",
    "Para",
    "ReportDocument",
    "build_pdf",
    "column_widths",
    "data_table",
    "fit_text",
    "flag_counts",
    "numbered_canvas",
    "section",
    "summary_tiles",
    "text_cell",
]


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def fit_text(text: str, font: str, size: float, width: float) -> str:
    """``text`` on one line, shortened with "…" so it is at most ``width`` points wide."""
    text = _one_line(text)
    if stringWidth(text, font, size) <= width:
        return text
    low, high = 0, len(text)
    while low < high:  # longest prefix that fits with the ellipsis
        middle = (low + high + 1) // 2
        if stringWidth(text[:middle].rstrip() + "…", font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…"


# --------------------------------------------------------------------------- flowables


class Para(Paragraph):
    """A Paragraph that remembers its last line breaking.

    Tables wrap every cell several times (to size the table, at each page break, again
    to draw it); breaking the same text into lines at the same width gives the same
    lines, so the second and later wraps at a width reuse the first one's result.
    """

    _wrapped: tuple[float, int, tuple[float, float]] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        key = (availWidth, id(self.style))
        cached = self._wrapped
        if cached is not None and cached[:2] == key and "blPara" in self.__dict__:
            self.width, self.height = cached[2]
            return cached[2]
        size = super().wrap(availWidth, availHeight)
        self._wrapped = (*key, size)
        return size


class Heading(Para):
    """A section heading: becomes a PDF bookmark and is kept with what follows it."""

    def __init__(
        self,
        text: str | None,
        style: Any,
        *,
        level: int = 0,
        outline_title: str | None = None,
        markup: str | None = None,
        **split: Any,
    ) -> None:
        """``markup``, when given, is printed instead of ``text`` (already escaped).

        ``split`` takes what ``Paragraph.split`` passes when a very long heading is
        broken across pages (its parts are made by calling this class again).
        """
        if split:
            super().__init__(text, style, **split)
            self.outline_title: str | None = None
        else:
            super().__init__(escape_text(text) if markup is None else markup, style)
            self.outline_title = _one_line(outline_title or text or "")
        self.outline_level = level
        self.drawn_top: float | None = None

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """The bookmark goes with the first part of a heading too long for one page."""
        parts = super().split(availWidth, availHeight)
        if parts and parts[0] is not self:
            parts[0].outline_title = self.outline_title  # type: ignore[attr-defined]
            parts[0].outline_level = self.outline_level  # type: ignore[attr-defined]
        return parts

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        self.drawn_top = y + self.height
        super().drawOn(canvas, x, y, _sW)


class FlagLabel(Flowable):
    """A flag printed as a colour chip and its word, optionally after a bold figure.

    ``82% ■ ok`` on one line, or stacked (figure above, flag below). Drawn directly on the
    canvas: in a table of hundreds of rows it is far cheaper than a Paragraph, and its
    baseline matches a Paragraph's or a plain string's in the same cell.
    """

    _fixedWidth = 1
    _fixedHeight = 1

    def __init__(
        self,
        flag: str,
        *,
        figure: str | None = None,
        size: float = 8.0,
        bold: bool = False,
        stacked: bool = False,
        figure_width: float | None = None,
    ) -> None:
        super().__init__()
        self.flag = str(flag)
        self.figure = figure
        self.size = size
        self.word_font = FONT_BOLD if bold else FONT
        self.stacked = stacked and figure is not None
        self.leading = size * 1.25
        self.chip = size * 0.72
        self.gap = size * 0.35
        word = flag_label(self.flag)
        flag_width = self.chip + self.gap + stringWidth(word, self.word_font, size)
        own_width = stringWidth(figure, FONT_BOLD, size) if figure is not None else 0.0
        self.figure_width = max(own_width, figure_width or 0.0)
        """Figures are right-aligned in this width, so flags line up down a column."""
        figure_width = self.figure_width
        if figure is None:
            self.width = flag_width
        elif self.stacked:
            self.width = max(flag_width, figure_width)
        else:
            self.width = figure_width + self.gap * 2 + flag_width
        self.height = self.leading * (2 if self.stacked else 1)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        size = self.size
        baseline = self.height - size
        x = 0.0
        canvas.setFillColor(PALETTE.ink)
        if self.figure is not None:
            canvas.setFont(FONT_BOLD, size)
            if self.stacked:
                canvas.drawString(0, baseline, self.figure)
                baseline -= self.leading
            else:
                canvas.drawRightString(self.figure_width, baseline, self.figure)
                x = self.figure_width + self.gap * 2
        canvas.setFillColor(flag_colour(self.flag))
        canvas.rect(x, baseline - size * 0.02, self.chip, self.chip, stroke=0, fill=1)
        canvas.setFillColor(PALETTE.ink)
        canvas.setFont(self.word_font, size)
        canvas.drawString(x + self.chip + self.gap, baseline, flag_label(self.flag))


def text_cell(text: Any, width: float, style: Any) -> Any:
    """A table cell for user text: a plain string when it fits on one line, else a Paragraph.

    Plain strings are drawn literally (no markup) and cost far less than a Paragraph;
    text that would run past ``width`` (the column width) wraps in a Paragraph instead.
    """
    value = "" if text is None else str(text)
    if "\n" not in value and "\r" not in value:
        room = width - 2 * TABLE_PADDING_X
        if stringWidth(value, style.fontName, style.fontSize) <= room:
            return value
    return Paragraph(escape_text(value), style)


def section(
    title: str, styles: Styles, *, level: int = 0, min_space: float = 60 * mm
) -> list[Flowable]:
    """A heading that starts a new page when less than ``min_space`` is left on this one.

    ``keepWithNext`` keeps the heading with its first flowable; the conditional break
    keeps it from landing at the foot of a page with only a table header under it.
    """
    style = styles.h1 if level == 0 else styles.h2
    return [CondPageBreak(min_space), Heading(title, style, level=level)]


def column_widths(fractions: Sequence[float], total: float) -> list[float]:
    """Column widths in points from fractions of ``total`` (normalised to sum to 1)."""
    scale = total / sum(fractions)
    return [f * scale for f in fractions]


class DataTable(LongTable):
    """A ``LongTable`` that leaves no lonely rows when it splits across pages.

    At least :attr:`min_rows` body rows stay at the foot of a page (else the whole table
    moves on) and at least as many start the next page (else the split comes earlier),
    so a total row is never printed alone under a repeated header.

    With :attr:`page_height` set (the tallest a frame gets), a row taller than a whole
    page is split between the lines of its paragraphs (``splitInRow``); a row that would
    fit on a page of its own is never split, it moves to the next page whole.
    """

    min_rows: int = 2
    page_height: float | None = None

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts = self._inherit(super().split(availWidth, availHeight))
        if len(parts) != 2:
            return parts
        head, tail = parts
        header = self.repeatRows if isinstance(self.repeatRows, int) else len(self.repeatRows)
        body = len(self._cellvalues) - header
        head_rows = len(head._cellvalues) - header
        tail_rows = len(tail._cellvalues) - header
        if head_rows + tail_rows > body:  # the first row was split between lines
            return [] if self._fits_on_a_page(header + 1) else parts
        if head_rows < self.min_rows:
            # Too little room here: start on the next page, unless even a fresh page
            # could not hold the first rows (then splitting here is the best there is).
            return [] if self._fits_on_a_page(header + self.min_rows) else parts
        if tail_rows >= self.min_rows or head_rows - (self.min_rows - tail_rows) < self.min_rows:
            return parts
        keep = len(head._cellvalues) - (self.min_rows - tail_rows)
        shorter = sum(self._rowHeights[:keep]) + 0.01
        return self._inherit(super().split(availWidth, shorter))

    def _inherit(self, parts: list[Flowable]) -> list[Flowable]:
        """Split parts are new tables: give them this one's settings."""
        for part in parts:
            part.min_rows = self.min_rows  # type: ignore[attr-defined]
            part.page_height = self.page_height  # type: ignore[attr-defined]
        return parts

    def _fits_on_a_page(self, rows: int) -> bool:
        if self.page_height is None:
            return True
        return sum(self._rowHeights[:rows]) <= self.page_height


class KeepWithTable(KeepTogether):
    """Headings (and a short introduction) kept with the first rows of the table after them.

    Plain ``keepWithNext`` moves a heading *and its whole table* to the next page whenever
    the table is taller than the space left. This keeps the heading with the rows that
    fit (at least the table's ``min_rows``) and moves on only when not even those fit.
    """

    def __init__(self, head: Sequence[Flowable], table: Flowable) -> None:
        for flowable in head:
            flowable.__dict__["keepWithNext"] = 0  # kept together here instead
        super().__init__([*head, table])

    def split(self, aW: float, aH: float) -> list[Flowable]:
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        *head, table = self._content
        if aH >= self._H:
            return list(self._content)
        used = 0.0
        for flowable in head:
            _width, height = flowable.wrapOn(self.canv, aW, aH)
            used += height + flowable.getSpaceBefore() + flowable.getSpaceAfter()
        parts = table.splitOn(self.canv, aW, aH - used) if used < aH else []
        if parts:
            return [*head, *parts]
        frame = getattr(self, "_frame", None)
        if frame is not None and getattr(frame, "_atTop", False):
            return list(self._content)  # a fresh page can do no better: let them flow
        return [self.FrameBreak(), *self._content]


def data_table(
    rows: list[list[Any]],
    widths: Sequence[float],
    style: TableStyle,
    *,
    header_rows: int = 1,
    page_height: float | None = None,
) -> LongTable:
    """A table that splits across pages between rows, repeating its header rows.

    Give long text as Paragraphs so it wraps inside its column instead of running over.
    ``page_height`` (a frame's height) lets a row taller than a page split between lines.
    """
    table = DataTable(
        rows,
        colWidths=list(widths),
        repeatRows=header_rows,
        splitByRow=1,
        splitInRow=1 if page_height else 0,
        style=style,
        hAlign="LEFT",
    )
    table.page_height = page_height
    return table


def summary_tiles(
    tiles: Sequence[tuple[str, str]], width: float, styles: Styles, *, gap: float = 4 * mm
) -> Table:
    """A row of headline figures: each tile is (value markup, label markup)."""
    count = max(1, len(tiles))
    tile_width = (width - gap * (count - 1)) / count
    cells: list[Any] = []
    widths: list[float] = []
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), FONT, styles.base_size),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 7),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
        ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
    ]
    for index, (value, label) in enumerate(tiles):
        column = index * 2
        cells.append([Paragraph(value, styles.kpi_value), Paragraph(label, styles.kpi_label)])
        widths.append(tile_width)
        commands += [
            ("BACKGROUND", (column, 0), (column, 0), PALETTE.accent_soft),
            ("LINEBEFORE", (column, 0), (column, 0), 2.5, PALETTE.accent),
        ]
        if index < count - 1:
            cells.append("")
            widths.append(gap)
            commands.append(("LEFTPADDING", (column + 1, 0), (column + 1, 0), 0))
    return Table([cells], colWidths=widths, style=TableStyle(commands), hAlign="LEFT")


def flag_counts(flags: Mapping[str, int], width: float, styles: Styles) -> Table:
    """A strip of one tile per flag, most severe first: the count over a chip and its word."""
    gap = 3 * mm
    count = len(FLAG_ORDER)
    tile = (width - gap * (count - 1)) / count
    size = styles.base_size
    cells: list[Any] = []
    widths: list[float] = []
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), FONT, size),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
    ]
    for index, flag in enumerate(FLAG_ORDER):
        column = index * 2
        number = f"{flags.get(flag, 0):,}"
        markup = f'<font size="{size * 1.6:.1f}"><b>{number}</b></font><br/>{flag_chip(flag)}'
        cells.append(Paragraph(markup, styles.small))
        widths.append(tile)
        commands += [
            ("LINEABOVE", (column, 0), (column, 0), 2.5, flag_colour(flag)),
            ("BOX", (column, 0), (column, 0), 0.4, PALETTE.rule),
        ]
        if index < count - 1:
            cells.append("")
            widths.append(gap)
    return Table([cells], colWidths=widths, style=TableStyle(commands), hAlign="LEFT")
