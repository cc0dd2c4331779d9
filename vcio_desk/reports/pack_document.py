"""The pack's document: a cover band on page one, the running header after it, and a
contents page that is written only when the pack is long enough to need one.

The contents page costs no second layout pass. A placeholder page is laid out after
the cover (:class:`ContentsMarker` on a page of its own); every page is kept in memory
by the :class:`~.document.NumberedCanvas` until the end. Once the page count is known,
:meth:`PackDocument.plan` either drops the placeholder (a short pack) or keeps it, and
:meth:`PackDocument.draw_page_number` draws the contents on it from the bookmarks
gathered during layout, with their final page numbers and links.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from .document import BOTTOM_MARGIN, TOP_MARGIN_LATER, PageFurniture, ReportDocument
from .pack_base import SECTION_TITLES, PackContext, nice_date, short_time
from .pack_data import PackSection
from .theme import FONT, FONT_BOLD, PAGE_MARGIN, PALETTE

__all__ = ["CONTENTS_AFTER", "CONTENTS_TITLE", "ContentsMarker", "PackDocument"]

CONTENTS_AFTER = 6
"""A pack with more pages than this (not counting the contents) gets a contents page."""
CONTENTS_TITLE = "Contents"
COVER_BAND = 10 * mm


class ContentsMarker(Flowable):
    """Marks the page where the contents go (a zero-size flowable)."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        pass


def pack_title(ctx: PackContext) -> str:
    d = ctx.data
    return f"{d.client_name} — {d.meeting_type}, {nice_date(d.start.date())}"


class PackDocument(ReportDocument):
    """A meeting pack's pages: cover band, running header, footer, optional contents."""

    def __init__(self, target: Any, ctx: PackContext, *, deterministic: bool) -> None:
        d = ctx.data
        day = nice_date(d.start.date())
        edition = "internal edition" if ctx.internal else "client edition"
        confidentiality = (
            "INTERNAL EDITION — not for the client" if ctx.internal else d.confidentiality
        )
        furniture = PageFurniture(
            msp_name=d.msp_name,
            title=d.meeting_type,
            as_of=day,
            confidentiality=confidentiality,
            header=(d.client_name, d.meeting_type, f"{day} {short_time(d.start)}"),
        )
        super().__init__(
            target,
            furniture=furniture,
            paper=ctx.paper,
            subject=f"Meeting pack ({edition}) for {d.client_name}: {d.meeting_type}",
            deterministic=deterministic,
            glyphs=ctx.glyphs,
            distinct_first_page=PackSection.COVER in d.sections,
            title=pack_title(ctx),
            keywords=f"meeting pack, {edition}",
        )
        self.ctx = ctx
        self.contents_page: int | None = None
        self.with_contents = False
        self.page_count = 0
        self._final_numbers: dict[int, int] = {}

    # ---- layout
    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, ContentsMarker):
            self.contents_page = self.page - 1
            return
        super().afterFlowable(flowable)

    def plan(self, laid_out: int) -> list[int]:
        """The pages to write: all, less the contents placeholder when the pack is short."""
        pages = list(range(laid_out))
        if self.contents_page is not None:
            self.with_contents = laid_out - 1 > CONTENTS_AFTER
            if not self.with_contents:
                pages.remove(self.contents_page)
        self._final_numbers = {index: number for number, index in enumerate(pages, start=1)}
        self.page_count = len(pages)
        return pages

    # ---- furniture
    def draw_first_page(self, canvas: Canvas) -> None:
        """The cover: a band across the top with the MSP's name and the edition."""
        width, height = self.pagesize
        colour = PALETTE.broken if self.ctx.internal else PALETTE.accent
        label = "INTERNAL EDITION — NOT FOR THE CLIENT" if self.ctx.internal else "CLIENT EDITION"
        canvas.saveState()
        canvas.setFillColor(colour)
        canvas.rect(0, height - COVER_BAND, width, COVER_BAND, stroke=0, fill=1)
        baseline = height - COVER_BAND / 2 - 2.6
        canvas.setFillColor(PALETTE.white)
        usable = width - 2 * PAGE_MARGIN
        self.glyphs.draw(
            canvas,
            PAGE_MARGIN,
            baseline,
            self.furniture.msp_name,
            font=FONT_BOLD,
            size=8,
            width=usable * 0.45,
        )
        self.glyphs.draw(
            canvas,
            width - PAGE_MARGIN,
            baseline,
            label,
            font=FONT_BOLD,
            size=8,
            width=usable / 2,
            align="right",
        )
        canvas.restoreState()

    def draw_page_number(self, canvas: Canvas, number: int, total: int) -> None:
        if self.with_contents and getattr(canvas, "source_page", None) == self.contents_page:
            self.draw_contents(canvas)
        super().draw_page_number(canvas, number, total)

    def draw_contents(self, canvas: Canvas) -> None:
        """Every section with its page number and a link to it; subsections when they fit."""
        width, height = self.pagesize
        top = height - TOP_MARGIN_LATER
        room = top - BOTTOM_MARGIN - 20 * mm
        entries = [b for b in self.bookmarks if b.title != SECTION_TITLES[PackSection.COVER]]
        if sum(17 if b.level == 0 else 13 for b in entries) > room:
            entries = [b for b in entries if b.level == 0]
        canvas.saveState()
        canvas.setFillColor(PALETTE.accent)
        canvas.setFont(FONT_BOLD, 14.4)
        canvas.drawString(PAGE_MARGIN, top - 14, CONTENTS_TITLE)
        y = top - 14 - 26
        right = width - PAGE_MARGIN
        for bookmark in entries:
            main = bookmark.level == 0
            size = 10.5 if main else 8.5
            font = FONT_BOLD if main else FONT
            indent = 0 if main else 6 * mm
            if not main:
                y += 3
            page = str(self._final_numbers.get(bookmark.page, bookmark.page + 1))
            number_width = canvas.stringWidth(page, font, size)
            segments = self.glyphs.fit(
                bookmark.title, font, size, right - PAGE_MARGIN - indent - number_width - 30
            )
            canvas.setFillColor(PALETTE.ink if main else PALETTE.muted)
            x = PAGE_MARGIN + indent
            for seg_font, text in segments:
                canvas.setFont(seg_font, size)
                canvas.drawString(x, y, text)
                x += canvas.stringWidth(text, seg_font, size)
            canvas.setFont(font, size)
            canvas.drawRightString(right, y, page)
            canvas.setStrokeColor(PALETTE.rule)
            canvas.setDash(0.6, 2.4)
            canvas.setLineWidth(0.6)
            canvas.line(x + 4, y + 1, right - number_width - 4, y + 1)
            canvas.setDash()
            canvas.linkRect(
                "", bookmark.key, (PAGE_MARGIN, y - 3, right, y + size), relative=0, thickness=0
            )
            y -= 17 if main else 13
        canvas.restoreState()
