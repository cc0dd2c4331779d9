"""What every part of the meeting pack shares: the context, formatting and safe text cells.

:class:`PackContext` carries the data, the edition, the paper, the styles and the
:class:`~.glyphs.GlyphGuard` for one render. Every piece of user text goes through
:meth:`PackContext.para` or :meth:`PackContext.cell`, which escape it and take care of
characters DejaVu lacks, so no section builds markup from user text by hand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Table

from .document import BOTTOM_MARGIN, TOP_MARGIN_LATER
from .glyphs import GlyphGuard
from .layout import Heading, KeepWithTable, Para, data_table
from .pack_data import Edition, FindingLine, PackData, PackSection
from .theme import (
    FONT,
    FONT_BOLD,
    FONT_BOLD_ITALIC,
    FONT_ITALIC,
    PAGE_MARGIN,
    PALETTE,
    TABLE_PADDING_X,
    Styles,
    box_style,
    hex_colour,
    page_size,
    stylesheet,
    table_style,
)

__all__ = ["DASH", "SECTION_TITLES", "PackContext", "money", "nice_date", "percent"]

DASH = "—"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

SECTION_TITLES: dict[PackSection, str] = {
    PackSection.COVER: "Cover",
    PackSection.AGENDA: "Agenda",
    PackSection.SUMMARY: "Executive summary",
    PackSection.ACTIONS: "Actions",
    PackSection.FINDINGS: "Alignment findings",
    PackSection.ROADMAP: "Roadmap",
    PackSection.BUDGET: "Budget",
    PackSection.CSI: "Improvement register",
    PackSection.RHYTHM: "Meeting rhythm",
    PackSection.NOTES: "Notes and decisions",
    PackSection.NOTE_PAGES: "Notes",
    PackSection.SIGNOFF: "Attendance and sign-off",
}
"""The heading and bookmark of each section."""

INTERNAL_TINT = PALETTE.zebra
BOX_ROWS = 40
"""Rows per table of an internal box: splitting a table across pages re-measures it whole."""
SHORT = 80
"""The most characters of a word-like value (status, priority, code) that print."""
CELL_LINES = 30
"""The most lines a name or title takes in a table cell (longer ones end in "…")."""
CHUNK = 1200
"""Characters per paragraph object for long user text: a page break inside a table row
re-wraps the paragraph it falls in, so long notes are laid out in pieces of this size
(cost stays linear in the length instead of growing with every page it spans)."""
CHUNK_LINES = 40
"""Line breaks per paragraph object, for the same reason (a note of many short lines)."""


# --------------------------------------------------------------------------- formatting


def money(amount: Decimal | float | int | None, symbol: str) -> str:
    """``€1,234.50``; a word-like symbol goes after the amount (``1,234.50 zł``)."""
    if amount is None:
        return DASH
    value = Decimal(amount).quantize(Decimal("0.01"))
    sign = "-" if value < 0 else ""
    figure = f"{abs(value):,.2f}"
    symbol = symbol.strip()
    if not symbol:
        return f"{sign}{figure}"
    if len(symbol) > 1 and symbol[-1].isalpha():
        return f"{sign}{figure}\u00a0{symbol}"
    return f"{sign}{symbol}{figure}"


def nice_date(day: dt.date | None, *, weekday: bool = False) -> str:
    """``24 Nov 2026`` (English, whatever the system locale), optionally after the weekday."""
    if day is None:
        return DASH
    text = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    return f"{WEEKDAYS[day.weekday()]} {text}" if weekday else text


def short_time(value: dt.time | dt.datetime | None) -> str:
    return DASH if value is None else f"{value.hour:02d}:{value.minute:02d}"


def percent(value: float | None, decimals: int = 0) -> str:
    return DASH if value is None else f"{value:.{decimals}f}%"


def word(value: str) -> str:
    """A status or priority word as printed: ``in_progress`` → ``in progress``."""
    return str(value or "").replace("_", " ").strip() or DASH


def chunks(text: str, limit: int = CHUNK, lines: int = CHUNK_LINES) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters and ``lines`` line breaks, cut at
    a line break, a sentence end or a space where there is one."""
    out: list[str] = []
    start = 0
    while True:
        end = min(len(text), start + limit)
        crowded = _nth_line_break(text, start, end, lines)
        if crowded is not None:
            cut = crowded
        elif end == len(text):
            out.append(text[start:])
            break
        else:
            cut = text.rfind("\n", start + limit // 2, end)
            if cut < 0:
                cut = text.rfind(". ", start + limit // 2, end)
                cut = cut + 1 if cut >= 0 else text.rfind(" ", start + limit // 2, end)
            if cut <= start:
                cut = end
        out.append(text[start:cut])
        start = cut
    return [piece for piece in out if piece.strip()] or [text]


def _nth_line_break(text: str, start: int, end: int, count: int) -> int | None:
    """Where the ``count``-th line break after ``start`` (not counting one right at it) is,
    when it comes before ``end``: a paragraph of many short lines is re-wrapped whole at
    every page it spans, so it is cut there."""
    position = start
    for _ in range(count):
        position = text.find("\n", position + 1, end)
        if position < 0:
            return None
    return position


# --------------------------------------------------------------------------- context


@dataclass
class PackContext:
    """One render: data, edition, paper, styles and the glyph guard, plus small factories."""

    data: PackData
    edition: Edition
    paper: str
    glyphs: GlyphGuard = field(default_factory=GlyphGuard)
    styles: Styles = field(default_factory=stylesheet)
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        width, height = page_size(self.paper)
        self.width = width - 2 * PAGE_MARGIN
        self.frame_height = height - TOP_MARGIN_LATER - BOTTOM_MARGIN
        self._joined_styles: dict[str, ParagraphStyle] = {}
        self._plain_symbol = self.glyphs.is_plain(self.data.currency_symbol)
        self.td_muted = ParagraphStyle("td_muted", parent=self.styles.td, textColor=PALETTE.muted)
        self.long_title = ParagraphStyle(
            "long_title", parent=self.styles.title, fontSize=15, leading=19
        )
        self.td_bold = ParagraphStyle("td_bold", parent=self.styles.td, fontName=FONT_BOLD)
        self.bullet_style = ParagraphStyle(
            "bullet",
            parent=self.styles.body,
            leftIndent=16,
            bulletIndent=3,
            bulletFontName=FONT,
            spaceAfter=self.styles.base_size * 0.3,
        )

    @property
    def internal(self) -> bool:
        return self.edition is Edition.INTERNAL

    @property
    def symbol(self) -> str:
        return self.data.currency_symbol

    def money(self, amount: Decimal | float | int | None) -> str:
        """Plain text (escape it with :meth:`markup` before putting it in markup)."""
        return money(amount, self.symbol)

    def amount(self, amount: Decimal | float | int | None) -> Any:
        """A right-aligned money cell: a plain string unless the symbol needs care."""
        text = money(amount, self.symbol)
        if self._plain_symbol:
            return text
        return Para(self.markup(text), self.styles.td_right)

    def chart_money(self, amount: Decimal | float | int | None) -> str:
        """Money for a chart label, drawn in DejaVu alone."""
        return self.glyphs.single_font(money(amount, self.symbol))

    # ---- text
    def markup(self, value: Any, *, bold: bool = False, italic: bool = False) -> str:
        """Escaped markup for user text in the face it will be drawn in."""
        font = {
            (False, False): FONT,
            (True, False): FONT_BOLD,
            (False, True): FONT_ITALIC,
            (True, True): FONT_BOLD_ITALIC,
        }[(bold, italic)]
        text = self.glyphs.markup(value, font)
        if bold:
            text = f"<b>{text}</b>"
        if italic:
            text = f"<i>{text}</i>"
        return text

    def para(self, value: Any, style: Any = None, *, bold: bool = False) -> Paragraph:
        """A paragraph of user text (escaped; line breaks kept)."""
        style = style or self.styles.body
        bold = bold or style.fontName in (FONT_BOLD, FONT_BOLD_ITALIC)
        return Para(self.markup(value, bold=bold), style)

    def paras(
        self, value: Any, style: Any = None, *, lead: str = "", bullet: str | None = None
    ) -> list[Paragraph]:
        """Long user text as several paragraphs that read as one (see :data:`CHUNK`).

        ``lead`` is markup put before the text (a label); ``bullet`` hangs before it.
        """
        style = style or self.styles.body
        pieces = chunks("" if value is None else str(value))
        joined = self.joined(style)
        out = []
        for index, piece in enumerate(pieces):
            markup = self.markup(piece)
            if index == 0:
                markup = lead + markup
            last = index == len(pieces) - 1
            out.append(
                Para(markup, style if last else joined, bulletText=bullet if index == 0 else None)
            )
        return out

    def joined(self, style: Any) -> ParagraphStyle:
        """``style`` without space after: for all but the last piece of a long text."""
        cached = self._joined_styles.get(style.name)
        if cached is None:
            cached = ParagraphStyle(f"{style.name}_joined", parent=style, spaceAfter=0)
            self._joined_styles[style.name] = cached
        return cached

    def rich(self, markup: str, style: Any = None) -> Paragraph:
        """A paragraph of markup the caller built (user text in it already escaped)."""
        return Para(markup, style or self.styles.body)

    def bullet(self, markup: str, bullet: str = "•", style: Any = None) -> Paragraph:
        """A list item: ``bullet`` hangs in the margin, wrapped lines align with the text."""
        return Para(markup, style or self.bullet_style, bulletText=bullet)

    def muted(self, markup: str) -> str:
        return f'<font color="{hex_colour(PALETTE.muted)}">{markup}</font>'

    def cap(self, value: Any, width: float, style: Any = None) -> str:
        """A name or title cut (with "…") to :data:`CELL_LINES` lines of a ``width`` column.

        Names and titles sit in table columns; one longer than a page could not be laid
        out at all. Notes are never cut: they are laid out in pieces instead.
        """
        style = style or self.styles.td
        text = "" if value is None else str(value)
        per_line = max(8, int((width - 2 * TABLE_PADDING_X) / (style.fontSize * 0.45)))
        limit = per_line * CELL_LINES
        return text if len(text) <= limit else text[:limit].rstrip() + "…"

    def short(self, value: Any, limit: int = SHORT) -> str:
        """A word-like value (a status, a priority, a code) cut to ``limit`` characters."""
        text = "" if value is None else str(value)
        return text if len(text) <= limit else text[:limit].rstrip() + "…"

    def cell(self, value: Any, width: float, style: Any = None) -> Any:
        """A table cell: a plain string when it fits on one line, else a wrapping Paragraph."""
        style = style or self.styles.td
        text = self.cap(value, width, style)
        if len(text) > CHUNK:
            return self.paras(text, style)
        if self.glyphs.is_plain(text, style.fontName):
            room = width - 2 * TABLE_PADDING_X
            if stringWidth(text, style.fontName, style.fontSize) <= room:
                return text
        return self.para(text, style)

    def empty(self, message: str) -> Paragraph:
        """What an empty section says instead of vanishing."""
        return self.rich(f"<i>{message}</i>", self.styles.muted)

    # ---- structure
    def heading(self, section: PackSection, *, min_space: float = 70 * mm) -> list[Flowable]:
        title = SECTION_TITLES[section]
        return [CondPageBreak(min_space), Heading(title, self.styles.h1)]

    def subheading(
        self, text: str, *, bookmark: str | None = None, min_space: float = 40 * mm
    ) -> list[Flowable]:
        """A level-two heading; user text in ``text`` is escaped here."""
        heading = Heading(
            text,
            self.styles.h2,
            level=1,
            outline_title=bookmark or text,
            markup=self.markup(text, bold=True),
        )
        return [CondPageBreak(min_space), heading]

    def table(
        self,
        rows: list[list[Any]],
        widths: Sequence[float],
        *,
        right: tuple[int, ...] = (),
        center: tuple[int, ...] = (),
        total_row: bool = False,
        extra: Sequence[tuple[Any, ...]] = (),
        min_rows: int = 2,
    ) -> Table:
        """A house table that repeats its header and splits long rows between lines.

        ``min_rows``: body rows kept together at either side of a page break (1 for
        tables of tall rows, where two would leave half a page empty).
        """
        style = table_style(right_columns=right, center_columns=center, total_row=total_row)
        for command in extra:
            style.add(*command)
        table = data_table(rows, widths, style, page_height=self.frame_height)
        table.min_rows = min_rows  # type: ignore[attr-defined]
        return table

    def headed(self, head: Sequence[Flowable], table: Flowable) -> list[Flowable]:
        """``head`` (headings, an introduction) kept with the first rows of ``table``."""
        breaks = [f for f in head if isinstance(f, CondPageBreak)]
        rest = [f for f in head if not isinstance(f, CondPageBreak)]
        return [*breaks, KeepWithTable(rest, table)]

    def kept(
        self, head: Sequence[Flowable], body: Sequence[Flowable], lines: int = 3
    ) -> list[Flowable]:
        """``head`` kept with the first ``lines`` flowables of ``body``; the rest flows on."""
        breaks = [f for f in head if isinstance(f, CondPageBreak)]
        rest = [f for f in head if not isinstance(f, CondPageBreak)]
        return [*breaks, KeepTogether([*rest, *body[:lines]]), *body[lines:]]

    def header_row(self, labels: Sequence[str], right: Sequence[int] = ()) -> list[Paragraph]:
        s = self.styles
        return [
            Para(label, s.th_right if index in right else s.th)
            for index, label in enumerate(labels)
        ]

    def internal_box(self, title: str, body: list[Flowable]) -> list[Flowable]:
        """Internal-only content in a tinted box with a label, so nobody mistakes it.

        A long body becomes a run of boxes of at most ``BOX_ROWS`` rows that join up
        seamlessly: a table is re-measured whole each time it splits across a page, so
        one table of a 100,000-character note would take minutes to lay out.
        """
        label = self.rich(
            f'<font color="{hex_colour(PALETTE.broken)}"><b>INTERNAL</b></font> · {title}',
            self.styles.small,
        )
        rows = [label, *body]
        chunks = [rows[start : start + BOX_ROWS] for start in range(0, len(rows), BOX_ROWS)]
        boxes: list[Flowable] = []
        for number, chunk in enumerate(chunks):
            commands: list[tuple[Any, ...]] = [
                ("BACKGROUND", (0, 0), (-1, -1), INTERNAL_TINT),
                ("LINEBEFORE", (0, 0), (0, -1), 2.5, PALETTE.broken),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
            if number == 0:
                commands.append(("TOPPADDING", (0, 0), (-1, 0), 6))
            if number == len(chunks) - 1:
                commands.append(("BOTTOMPADDING", (0, -1), (-1, -1), 7))
            boxes.append(
                Table(
                    [[item] for item in chunk],
                    colWidths=[self.width],
                    style=box_style(commands),
                    hAlign="LEFT",
                    splitByRow=1,
                    splitInRow=1,
                )
            )
        return boxes

    # ---- edition filters
    @property
    def findings(self) -> tuple[FindingLine, ...]:
        """The findings this edition shows: internal-only standards in the internal one."""
        if self.internal:
            return self.data.findings
        return tuple(f for f in self.data.findings if not f.internal_only)
