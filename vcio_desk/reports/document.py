"""The page scaffolding every printed document shares: furniture, numbered pages, bookmarks.

- :class:`PageFurniture`: what every page carries (who it is from, what it is, the date,
  the confidentiality line) and, optionally, the three parts of the running header.
- :class:`NumberedCanvas`: keeps every page until the end, then writes "Page x of y" on
  each (the second pass over the saved pages). Bookmarks are replayed on the right page.
  A page planner may leave laid-out pages out (an unneeded contents page) before numbering.
- :class:`ReportDocument`: a ``BaseDocTemplate`` with a first-page template (a dark banner,
  or a cover drawn by a subclass) and a later-page template (a quiet running header), both
  with a footer. Headings (anything with an ``outline_title``) become PDF bookmarks.
- :func:`build_pdf`: story in, PDF bytes out.

Header and footer text is drawn with ``drawString`` (no markup) through a
:class:`~.glyphs.GlyphGuard`, so user text such as an MSP name prints literally, in a
fallback font or as a visible placeholder where DejaVu has no glyph, and is shortened
with an ellipsis when it would not fit.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from vcio_desk._version import __version__

from .glyphs import GlyphGuard, one_line
from .theme import (
    FONT,
    FONT_BOLD,
    PAGE_MARGIN,
    PALETTE,
    document_options,
    page_size,
    register_fonts,
)

__all__ = [
    "BANNER_HEIGHT",
    "BOTTOM_MARGIN",
    "CONFIDENTIAL",
    "FURNITURE_SIZE",
    "TOP_MARGIN_FIRST",
    "TOP_MARGIN_LATER",
    "NumberedCanvas",
    "PageFurniture",
    "ReportDocument",
    "build_pdf",
    "numbered_canvas",
]

CONFIDENTIAL = "Confidential — prepared for internal use"

TOP_MARGIN_FIRST = 25 * mm
TOP_MARGIN_LATER = 22 * mm
BOTTOM_MARGIN = 20 * mm
BANNER_HEIGHT = 13 * mm
FURNITURE_SIZE = 7.5
PAGE_NUMBER_ROOM = "Page 888 of 888"
"""The widest page number the footer makes room for."""


@dataclass(frozen=True)
class PageFurniture:
    """What every page carries: who it is from, what it is, as of when, how to treat it."""

    msp_name: str
    title: str
    as_of: str
    """Printed as is, e.g. "As of 2026-11-20"."""
    confidentiality: str = CONFIDENTIAL
    header: tuple[str, str, str] | None = None
    """Left, centre and right of the running header on later pages (default: the MSP
    name, the title and the date)."""


# --------------------------------------------------------------------------- canvas


class NumberedCanvas(Canvas):
    """A canvas that writes "Page x of y" once the page count is known.

    Pages are kept in memory as the document is laid out (``showPage`` only saves the
    state); ``save`` then replays the pages, asks :attr:`page_number_drawer` to draw each
    one's number, and writes it out. Bookmarks made during layout are replayed with their
    page, because a bookmark refers to the page that is being written when it is made.
    :attr:`page_planner`, given the number of pages laid out, names the pages to write
    (0-based, in order); :attr:`source_page` tells the drawer which one it is numbering.
    """

    page_number_drawer: ClassVar[Callable[[Canvas, int, int], None] | None] = None
    page_planner: ClassVar[Callable[[int], Sequence[int]] | None] = None
    open_with_outline: ClassVar[bool] = True
    """Ask the viewer to open with the bookmarks pane showing."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.open_with_outline:
            self.showOutline()
        self._saved_pages: list[dict[str, Any]] = []
        self._page_bookmarks: list[tuple[str, dict[str, Any]]] = []
        self.source_page = 0

    def bookmarkPage(self, key: str, **kwargs: Any) -> None:  # type: ignore[override]
        self._page_bookmarks.append((key, kwargs))

    def showPage(self) -> None:
        self._saved_pages.append(dict(self.__dict__))
        self._page_bookmarks = []
        self._startPage()

    def save(self) -> None:
        planner = type(self).page_planner
        pages = self._saved_pages
        kept = list(planner(len(pages))) if planner is not None else list(range(len(pages)))
        drawer = type(self).page_number_drawer
        for number, index in enumerate(kept, start=1):
            state = pages[index]
            self.__dict__.update(state)
            self.source_page = index
            for key, kwargs in state["_page_bookmarks"]:
                Canvas.bookmarkPage(self, key, **kwargs)
            if drawer is not None:
                drawer(self, number, len(kept))
            Canvas.showPage(self)
        self._saved_pages = []
        Canvas.save(self)


def numbered_canvas(
    drawer: Callable[[Canvas, int, int], None],
    *,
    show_outline: bool = True,
    planner: Callable[[int], Sequence[int]] | None = None,
) -> type[NumberedCanvas]:
    """A :class:`NumberedCanvas` class whose pages are numbered by ``drawer``."""
    attributes = {
        "page_number_drawer": staticmethod(drawer),
        "open_with_outline": show_outline,
        "page_planner": None if planner is None else staticmethod(planner),
    }
    return type("NumberedPageCanvas", (NumberedCanvas,), attributes)


# --------------------------------------------------------------------------- document


@dataclass(frozen=True)
class Bookmark:
    """A heading met during layout: its outline entry and the page it landed on (0-based)."""

    title: str
    key: str
    level: int
    page: int


class ReportDocument(BaseDocTemplate):
    """A document with a banner on page one, a running header after it, and a footer.

    ``distinct_first_page=False`` gives every page the running header (no banner).
    Subclasses change page one by overriding :meth:`draw_first_page`.
    """

    def __init__(
        self,
        target: Any,
        *,
        furniture: PageFurniture,
        paper: str,
        subject: str = "",
        deterministic: bool = False,
        glyphs: GlyphGuard | None = None,
        distinct_first_page: bool = True,
        title: str | None = None,
        keywords: str = "",
    ) -> None:
        register_fonts()
        self.furniture = furniture
        self.glyphs = glyphs or GlyphGuard()
        width, height = page_size(paper)
        super().__init__(
            target,
            pagesize=(width, height),
            leftMargin=PAGE_MARGIN,
            rightMargin=PAGE_MARGIN,
            topMargin=TOP_MARGIN_LATER,
            bottomMargin=BOTTOM_MARGIN,
            title=_meta(title or f"{furniture.title} — {furniture.as_of}"),
            author=_meta(furniture.msp_name),
            subject=_meta(subject or furniture.title),
            keywords=_meta(keywords),
            creator=f"vcio_desk {__version__}",
            producer="vcio_desk (ReportLab)",
            lang="en",
            initialFontName=FONT,
            **document_options(deterministic=deterministic),
        )
        later = PageTemplate(
            "later", frames=[self._frame("later", TOP_MARGIN_LATER)], onPage=self._on_later_page
        )
        first = PageTemplate(
            "first",
            frames=[self._frame("first", TOP_MARGIN_FIRST)],
            onPage=self._on_first_page,
            autoNextPageTemplate="later",
        )
        self.addPageTemplates([first, later] if distinct_first_page else [later, first])
        self.bookmarks: list[Bookmark] = []
        self._outline_level = -1

    def _frame(self, name: str, top_margin: float) -> Frame:
        width, height = self.pagesize
        return Frame(
            PAGE_MARGIN,
            BOTTOM_MARGIN,
            width - 2 * PAGE_MARGIN,
            height - top_margin - BOTTOM_MARGIN,
            id=name,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )

    @property
    def frame_width(self) -> float:
        return self.pagesize[0] - 2 * PAGE_MARGIN

    @property
    def frame_height(self) -> float:
        """The height of a later page's frame: the most a flowable can have on one page."""
        return self.pagesize[1] - TOP_MARGIN_LATER - BOTTOM_MARGIN

    # ---- bookmarks
    def afterFlowable(self, flowable: Flowable) -> None:
        title = getattr(flowable, "outline_title", None)
        if title is None:
            return
        key = f"section-{len(self.bookmarks) + 1}"
        level = min(getattr(flowable, "outline_level", 0), self._outline_level + 1)
        self._outline_level = level
        drawn_top = getattr(flowable, "drawn_top", None)
        top = drawn_top if drawn_top is not None else self.pagesize[1]
        self.canv.bookmarkPage(key, fit="XYZ", left=0, top=top + 6, zoom=0)
        self.canv.addOutlineEntry(_meta(title), key, level=level, closed=False)
        self.bookmarks.append(Bookmark(title, key, level, self.page - 1))

    # ---- page furniture
    def _on_first_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        self.draw_first_page(canvas)
        self.draw_footer(canvas)

    def _on_later_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        self.draw_later_page(canvas)
        self.draw_footer(canvas)

    def draw_first_page(self, canvas: Canvas) -> None:
        """A dark banner across the top: the MSP's name and the date."""
        width, height = self.pagesize
        f = self.furniture
        canvas.saveState()
        canvas.setFillColor(PALETTE.accent)
        canvas.rect(0, height - BANNER_HEIGHT, width, BANNER_HEIGHT, stroke=0, fill=1)
        baseline = height - BANNER_HEIGHT / 2 - 3.5
        usable = width - 2 * PAGE_MARGIN
        canvas.setFillColor(PALETTE.white)
        draw = self.glyphs.draw
        draw(
            canvas, PAGE_MARGIN, baseline, f.msp_name, font=FONT_BOLD, size=10, width=usable * 0.55
        )
        draw(
            canvas,
            width - PAGE_MARGIN,
            baseline,
            f.as_of,
            font=FONT,
            size=8.5,
            width=usable * 0.4,
            align="right",
        )
        canvas.restoreState()

    def draw_later_page(self, canvas: Canvas) -> None:
        """The running header: three parts over a thin accent rule."""
        width, height = self.pagesize
        f = self.furniture
        left, centre, right = f.header or (f.msp_name, f.title, f.as_of)
        usable = width - 2 * PAGE_MARGIN
        third = usable / 3 - 4
        baseline = height - 13 * mm
        size = FURNITURE_SIZE
        draw = self.glyphs.draw
        canvas.saveState()
        canvas.setFillColor(PALETTE.accent)
        draw(canvas, PAGE_MARGIN, baseline, left, font=FONT_BOLD, size=size, width=third)
        canvas.setFillColor(PALETTE.muted)
        draw(canvas, width / 2, baseline, centre, font=FONT, size=size, width=third, align="centre")
        draw(
            canvas,
            width - PAGE_MARGIN,
            baseline,
            right,
            font=FONT,
            size=size,
            width=third,
            align="right",
        )
        canvas.setStrokeColor(PALETTE.accent)
        canvas.setLineWidth(0.8)
        canvas.line(PAGE_MARGIN, baseline - 5, width - PAGE_MARGIN, baseline - 5)
        canvas.restoreState()

    def draw_footer(self, canvas: Canvas) -> None:
        """A thin rule, the MSP's name on the left and the confidentiality line centred."""
        width, _height = self.pagesize
        f = self.furniture
        usable = width - 2 * PAGE_MARGIN
        rule = BOTTOM_MARGIN - 7 * mm
        baseline = rule - 4 * mm
        size = FURNITURE_SIZE
        draw = self.glyphs.draw
        canvas.saveState()
        canvas.setStrokeColor(PALETTE.rule)
        canvas.setLineWidth(0.5)
        canvas.line(PAGE_MARGIN, rule, width - PAGE_MARGIN, rule)
        canvas.setFillColor(PALETTE.muted)
        left = self.glyphs.fit(f.msp_name, FONT, size, usable * 0.3)
        self.glyphs.draw(
            canvas, PAGE_MARGIN, baseline, f.msp_name, font=FONT, size=size, width=usable * 0.3
        )
        # The centred line gets what the name and the page number leave free.
        side = max(self.glyphs.width(left, size), stringWidth(PAGE_NUMBER_ROOM, FONT, size))
        draw(
            canvas,
            width / 2,
            baseline,
            f.confidentiality,
            font=FONT,
            size=size,
            width=usable - 2 * side - 8 * mm,
            align="centre",
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


def _meta(text: str) -> str:
    """One line of document metadata: no control characters, no lone surrogates."""
    line = "".join(c if c.isprintable() else "?" for c in one_line(text))
    return line.encode("utf-8", "replace").decode("utf-8")


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
