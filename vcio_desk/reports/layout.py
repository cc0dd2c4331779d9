"""Document scaffolding shared by printed reports and meeting packs.

- :class:`ReportDocument`: a ``BaseDocTemplate`` with a first-page template (a dark
  banner) and a later-page template (a quiet running header), both with a footer.
- :class:`NumberedCanvas`: keeps every page until the end, then writes "Page x of y" on
  each (the second pass over the saved pages). Bookmarks are replayed on the right page.
- :class:`Heading`: a heading paragraph that becomes a PDF bookmark (outline entry) and is
  kept with what follows it.
- :func:`data_table`: a :class:`DataTable` (``LongTable``) with the header row repeated
  on every page and no lonely row left at either side of a page break.
- :func:`text_cell`, :class:`FlagLabel`: cheap table cells for user text and flags.
- :func:`summary_tiles`, :func:`flag_counts`: headline figures and per-flag counts.
- :func:`build_pdf`: story in, PDF bytes out.

Header and footer text is drawn with ``drawString`` (no markup), so user text such as an
MSP name prints literally; it is shortened with an ellipsis when it would not fit.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    LongTable,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)

from vcio_desk._version import __version__

from .theme import (
    FLAG_ORDER,
    FONT,
    FONT_BOLD,
    PAGE_MARGIN,
    PALETTE,
    TABLE_PADDING_X,
    Styles,
    document_options,
    escape_text,
    flag_chip,
    flag_colour,
    flag_label,
    page_size,
    register_fonts,
)

__all__ = [
    "CONFIDENTIAL",
    "DataTable",
    "FlagLabel",
    "Heading",
    "NumberedCanvas",
    "PageFurniture",
    "ReportDocument",
    "build_pdf",
    "column_widths",
    "data_table",
    "fit_text",
    "flag_counts",
    "section",
    "summary_tiles",
    "text_cell",
]

CONFIDENTIAL = "Confidential — prepared for internal use"

TOP_MARGIN_FIRST = 25 * mm
TOP_MARGIN_LATER = 22 * mm
BOTTOM_MARGIN = 20 * mm
BANNER_HEIGHT = 13 * mm
FURNITURE_SIZE = 7.5


@dataclass(frozen=True)
class PageFurniture:
    """What every page carries: who it is from, what it is, as of when, how to treat it."""

    msp_name: str
    title: str
    as_of: str
    """Printed as is, e.g. "As of 2026-11-20"."""
    confidentiality: str = CONFIDENTIAL


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


# --------------------------------------------------------------------------- canvas


class NumberedCanvas(Canvas):
    """A canvas that writes "Page x of y" once the page count is known.

    Pages are kept in memory as the document is laid out (``showPage`` only saves the
    state); ``save`` then replays every page, asks :attr:`page_number_drawer` to draw its
    number, and writes it out. Bookmarks made during layout are replayed with their page,
    because a bookmark refers to the page that is being written when it is made.
    """

    page_number_drawer: ClassVar[Callable[[Canvas, int, int], None] | None] = None
    open_with_outline: ClassVar[bool] = True
    """Ask the viewer to open with the bookmarks pane showing."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.open_with_outline:
            self.showOutline()
        self._saved_pages: list[dict[str, Any]] = []
        self._page_bookmarks: list[tuple[str, dict[str, Any]]] = []

    def bookmarkPage(self, key: str, **kwargs: Any) -> None:  # type: ignore[override]
        self._page_bookmarks.append((key, kwargs))

    def showPage(self) -> None:
        self._saved_pages.append(dict(self.__dict__))
        self._page_bookmarks = []
        self._startPage()

    def save(self) -> None:
        total = len(self._saved_pages)
        drawer = type(self).page_number_drawer
        for number, state in enumerate(self._saved_pages, start=1):
            self.__dict__.update(state)
            for key, kwargs in state["_page_bookmarks"]:
                Canvas.bookmarkPage(self, key, **kwargs)
            if drawer is not None:
                drawer(self, number, total)
            Canvas.showPage(self)
        Canvas.save(self)


def numbered_canvas(
    drawer: Callable[[Canvas, int, int], None], *, show_outline: bool = True
) -> type[NumberedCanvas]:
    """A :class:`NumberedCanvas` class whose pages are numbered by ``drawer``."""
    attributes = {"page_number_drawer": staticmethod(drawer), "open_with_outline": show_outline}
    return type("NumberedPageCanvas", (NumberedCanvas,), attributes)


# --------------------------------------------------------------------------- flowables


class Heading(Paragraph):
    """A section heading: becomes a PDF bookmark and is kept with what follows it."""

    def __init__(
        self, text: str, style: Any, *, level: int = 0, outline_title: str | None = None
    ) -> None:
        super().__init__(escape_text(text), style)
        self.outline_title = _one_line(outline_title or text)
        self.outline_level = level
        self.drawn_top: float | None = None

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
    """

    min_rows: ClassVar[int] = 2

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts = super().split(availWidth, availHeight)
        if len(parts) != 2:
            return parts
        head, tail = parts
        header = self.repeatRows if isinstance(self.repeatRows, int) else len(self.repeatRows)
        head_rows = len(head._cellvalues) - header
        tail_rows = len(tail._cellvalues) - header
        if head_rows < self.min_rows:
            return []  # too little room here: start on the next page
        if tail_rows >= self.min_rows or head_rows - (self.min_rows - tail_rows) < self.min_rows:
            return parts
        keep = len(head._cellvalues) - (self.min_rows - tail_rows)
        shorter = sum(self._rowHeights[:keep]) + 0.01
        return super().split(availWidth, shorter)


def data_table(
    rows: list[list[Any]],
    widths: Sequence[float],
    style: TableStyle,
    *,
    header_rows: int = 1,
) -> LongTable:
    """A table that splits across pages between rows, repeating its header rows.

    Give long text as Paragraphs so it wraps inside its column instead of running over.
    """
    return DataTable(
        rows,
        colWidths=list(widths),
        repeatRows=header_rows,
        splitByRow=1,
        style=style,
        hAlign="LEFT",
    )


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


# --------------------------------------------------------------------------- document


class ReportDocument(BaseDocTemplate):
    """A document with a banner on page one, a running header after it, and a footer."""

    def __init__(
        self,
        target: Any,
        *,
        furniture: PageFurniture,
        paper: str,
        subject: str = "",
        deterministic: bool = False,
    ) -> None:
        register_fonts()
        self.furniture = furniture
        width, height = page_size(paper)
        super().__init__(
            target,
            pagesize=(width, height),
            leftMargin=PAGE_MARGIN,
            rightMargin=PAGE_MARGIN,
            topMargin=TOP_MARGIN_LATER,
            bottomMargin=BOTTOM_MARGIN,
            title=_one_line(f"{furniture.title} — {furniture.as_of}"),
            author=_one_line(furniture.msp_name),
            subject=_one_line(subject or furniture.title),
            creator=f"vcio_desk {__version__}",
            producer="vcio_desk (ReportLab)",
            lang="en",
            initialFontName=FONT,
            **document_options(deterministic=deterministic),
        )
        frame_width = width - 2 * PAGE_MARGIN

        def frame(name: str, top_margin: float) -> Frame:
            return Frame(
                PAGE_MARGIN,
                BOTTOM_MARGIN,
                frame_width,
                height - top_margin - BOTTOM_MARGIN,
                id=name,
                leftPadding=0,
                rightPadding=0,
                topPadding=0,
                bottomPadding=0,
            )

        self.addPageTemplates(
            [
                PageTemplate(
                    "first",
                    frames=[frame("first", TOP_MARGIN_FIRST)],
                    onPage=self._draw_first_page,
                    autoNextPageTemplate="later",
                ),
                PageTemplate(
                    "later", frames=[frame("later", TOP_MARGIN_LATER)], onPage=self._draw_later_page
                ),
            ]
        )
        self._bookmarks = 0
        self._outline_level = -1

    @property
    def frame_width(self) -> float:
        return self.pagesize[0] - 2 * PAGE_MARGIN

    # ---- bookmarks
    def afterFlowable(self, flowable: Flowable) -> None:
        if not isinstance(flowable, Heading):
            return
        self._bookmarks += 1
        key = f"section-{self._bookmarks}"
        level = min(flowable.outline_level, self._outline_level + 1)
        self._outline_level = level
        top = flowable.drawn_top if flowable.drawn_top is not None else self.pagesize[1]
        self.canv.bookmarkPage(key, fit="XYZ", left=0, top=top + 6, zoom=0)
        self.canv.addOutlineEntry(flowable.outline_title, key, level=level, closed=False)

    # ---- page furniture
    def _draw_first_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        width, height = self.pagesize
        f = self.furniture
        canvas.saveState()
        canvas.setFillColor(PALETTE.accent)
        canvas.rect(0, height - BANNER_HEIGHT, width, BANNER_HEIGHT, stroke=0, fill=1)
        baseline = height - BANNER_HEIGHT / 2 - 3.5
        usable = width - 2 * PAGE_MARGIN
        canvas.setFillColor(PALETTE.white)
        canvas.setFont(FONT_BOLD, 10)
        canvas.drawString(PAGE_MARGIN, baseline, fit_text(f.msp_name, FONT_BOLD, 10, usable * 0.55))
        canvas.setFont(FONT, 8.5)
        canvas.drawRightString(
            width - PAGE_MARGIN, baseline, fit_text(f.as_of, FONT, 8.5, usable * 0.4)
        )
        canvas.restoreState()
        self._draw_footer(canvas)

    def _draw_later_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        width, height = self.pagesize
        f = self.furniture
        usable = width - 2 * PAGE_MARGIN
        third = usable / 3 - 4
        baseline = height - 13 * mm
        size = FURNITURE_SIZE
        canvas.saveState()
        canvas.setFillColor(PALETTE.accent)
        canvas.setFont(FONT_BOLD, size)
        canvas.drawString(PAGE_MARGIN, baseline, fit_text(f.msp_name, FONT_BOLD, size, third))
        canvas.setFillColor(PALETTE.muted)
        canvas.setFont(FONT, size)
        canvas.drawCentredString(width / 2, baseline, fit_text(f.title, FONT, size, third))
        canvas.drawRightString(width - PAGE_MARGIN, baseline, fit_text(f.as_of, FONT, size, third))
        canvas.setStrokeColor(PALETTE.accent)
        canvas.setLineWidth(0.8)
        canvas.line(PAGE_MARGIN, baseline - 5, width - PAGE_MARGIN, baseline - 5)
        canvas.restoreState()
        self._draw_footer(canvas)

    def _draw_footer(self, canvas: Canvas) -> None:
        width, _height = self.pagesize
        f = self.furniture
        usable = width - 2 * PAGE_MARGIN
        rule = BOTTOM_MARGIN - 7 * mm
        baseline = rule - 4 * mm
        size = FURNITURE_SIZE
        canvas.saveState()
        canvas.setStrokeColor(PALETTE.rule)
        canvas.setLineWidth(0.5)
        canvas.line(PAGE_MARGIN, rule, width - PAGE_MARGIN, rule)
        canvas.setFillColor(PALETTE.muted)
        canvas.setFont(FONT, size)
        canvas.drawString(PAGE_MARGIN, baseline, fit_text(f.msp_name, FONT, size, usable * 0.3))
        canvas.drawCentredString(
            width / 2, baseline, fit_text(f.confidentiality, FONT, size, usable * 0.4)
        )
        canvas.restoreState()

    def draw_page_number(self, canvas: Canvas, number: int, total: int) -> None:
        """Called by the canvas once the page count is known."""
        width, _height = self.pagesize
        baseline = BOTTOM_MARGIN - 11 * mm
        canvas.saveState()
        canvas.setFillColor(PALETTE.muted)
        canvas.setFont(FONT, FURNITURE_SIZE)
        canvas.drawRightString(width - PAGE_MARGIN, baseline, f"Page {number} of {total}")
        canvas.restoreState()


def build_pdf(
    story: list[Flowable],
    *,
    furniture: PageFurniture,
    paper: str,
    subject: str = "",
    deterministic: bool = False,
    show_outline: bool = True,
) -> bytes:
    """Lay out ``story`` on numbered pages and return the PDF bytes."""
    buffer = io.BytesIO()
    doc = ReportDocument(
        buffer, furniture=furniture, paper=paper, subject=subject, deterministic=deterministic
    )
    doc.build(story, canvasmaker=numbered_canvas(doc.draw_page_number, show_outline=show_outline))
    return buffer.getvalue()
