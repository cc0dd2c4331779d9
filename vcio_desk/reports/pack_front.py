"""The pack's first and last pages: cover, agenda, lined note pages, attendance and sign-off."""

from __future__ import annotations

import datetime as dt
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Spacer,
    Table,
)

from .layout import Heading, column_widths
from .pack_base import DASH, SECTION_TITLES, PackContext, nice_date, short_time
from .pack_data import PackPerson, PackSection
from .pack_images import Logo, read_logo
from .theme import FONT, PALETTE, box_style, hex_colour

__all__ = ["agenda", "cover", "note_pages", "signoff"]

LONG_TITLE = 60
"""Client names longer than this print in a smaller title so the cover stays one page."""
BLANK_ROWS = 8
"""Rows to write attendees in by hand when none are recorded."""

EDITION_LABELS = {
    False: ("Client edition", "Prepared for the client and the meeting's attendees."),
    True: (
        "Internal edition — do not hand to the client",
        "Adds internal notes, talking points, internal-only standards and the rhythm's "
        "flag with its reason.",
    ),
}


# --------------------------------------------------------------------------- cover


def _logos(ctx: PackContext) -> Table:
    d = ctx.data
    cells: list[Any] = []
    for role, name, raw, align in (
        ("MSP", d.msp_name, d.msp_logo, "left"),
        ("client", d.client_name, d.client_logo, "right"),
    ):
        image, problem = read_logo(raw)
        if image is None:
            ctx.warnings.append(
                f"The {role} logo is not printed ({problem}): the cover shows a placeholder."
            )
        cells.append(Logo(image, name, ctx.glyphs, width=62 * mm, height=20 * mm, align=align))
    style = box_style(
        [
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ALIGN", (1, 0), (1, 0), "RIGHT"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ]
    )
    return Table([cells], colWidths=[ctx.width / 2] * 2, style=style, hAlign="LEFT")


def _when(ctx: PackContext) -> str:
    d = ctx.data
    day = nice_date(d.start.date(), weekday=True)
    hours = f"{short_time(d.start)}–{short_time(d.end)}"
    if d.end.date() != d.start.date():
        hours = f"{short_time(d.start)} – {nice_date(d.end.date())} {short_time(d.end)}"
    return f"{day}, {hours} ({d.timezone})" if d.timezone else f"{day}, {hours}"


def _facts(ctx: PackContext) -> Table:
    d, s = ctx.data, ctx.styles
    rows = [
        ("When", _when(ctx)),
        ("Where", d.location or "To be confirmed"),
        ("Prepared by", " · ".join(p for p in (d.owner, d.msp_name) if p) or DASH),
        ("Status", ctx.markup(ctx.short(d.status or DASH))),
    ]
    label_width = 30 * mm
    room = ctx.width - 30 * mm
    body = [
        [ctx.rich(label, s.kpi_label), ctx.para(ctx.cap(value, room, s.body), s.body)]
        for label, value in rows
    ]
    style = box_style(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ("LINEABOVE", (0, 0), (-1, 0), 0.9, PALETTE.accent),
            ("TOPPADDING", (0, 0), (-1, 0), 7),
        ]
    )
    widths = [label_width, ctx.width - label_width]
    return Table(body, colWidths=widths, style=style, hAlign="LEFT", splitInRow=1)


def _attendee_table(ctx: PackContext, people: tuple[PackPerson, ...]) -> Flowable:
    widths = column_widths([40, 32, 28], ctx.width)
    rows: list[list[Any]] = [ctx.header_row(["Attendee", "Role", "Organisation"])]
    for person in people:
        rows.append(
            [
                ctx.cell(person.name, widths[0]),
                ctx.cell(person.role or DASH, widths[1]),
                ctx.cell(person.organisation or DASH, widths[2]),
            ]
        )
    return ctx.table(rows, widths)


def _edition_box(ctx: PackContext) -> Table:
    title, text = EDITION_LABELS[ctx.internal]
    colour = PALETTE.broken if ctx.internal else PALETTE.accent
    s = ctx.styles
    cell = [
        ctx.rich(f'<font color="{hex_colour(colour)}"><b>{title}</b></font>', s.body),
        ctx.rich(text, s.small),
    ]
    style = box_style(
        [
            ("BACKGROUND", (0, 0), (-1, -1), PALETTE.accent_soft),
            ("LINEBEFORE", (0, 0), (0, -1), 3, colour),
            ("LEFTPADDING", (0, 0), (-1, -1), 9),
            ("TOPPADDING", (0, 0), (-1, -1), 6),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]
    )
    return Table([[cell]], colWidths=[ctx.width], style=style, hAlign="LEFT")


def cover(ctx: PackContext) -> list[Flowable]:
    """Logos, the client, the meeting, when and where, who attends, and the edition."""
    d, s = ctx.data, ctx.styles
    story: list[Flowable] = [
        _logos(ctx),
        Spacer(1, 16 * mm),
        ctx.rich(ctx.muted("MEETING PACK"), s.kpi_label),
        Spacer(1, 2 * mm),
        Heading(
            d.client_name,
            s.title if len(d.client_name) <= LONG_TITLE else ctx.long_title,
            outline_title=SECTION_TITLES[PackSection.COVER],
            markup=ctx.markup(d.client_name, bold=True),
        ),
        ctx.para(d.meeting_type, s.subtitle),
        Spacer(1, 6 * mm),
        _facts(ctx),
        Spacer(1, 7 * mm),
        _edition_box(ctx),
        Spacer(1, 7 * mm),
    ]
    heading = ctx.rich("<b>Attendees</b>", s.h2)
    if d.attendees:
        story += ctx.headed([heading], _attendee_table(ctx, d.attendees))
    else:
        story += [heading, ctx.empty("No attendees recorded yet.")]
    story.append(PageBreak())
    return story


# --------------------------------------------------------------------------- agenda


def agenda(ctx: PackContext) -> list[Flowable]:
    """The agenda items with their start times, minutes and presenters."""
    d, s = ctx.data, ctx.styles
    story = ctx.heading(PackSection.AGENDA)
    if not d.agenda:
        story.append(ctx.empty("No agenda yet."))
        return story
    widths = [16 * mm, *column_widths([62, 12, 26], ctx.width - 16 * mm)]
    rows: list[list[Any]] = [ctx.header_row(["Time", "Item", "Minutes", "Presenter"], right=(2,))]
    for line in d.agenda:
        item: Any = ctx.para(ctx.cap(line.title, widths[1]), s.td, bold=True)
        if line.notes:
            item = [item, *ctx.paras(line.notes, ctx.td_muted)]
        rows.append(
            [
                short_time(line.starts),
                item,
                f"{line.minutes:,}",
                ctx.cell(line.presenter or DASH, widths[3]),
            ]
        )
    total = sum(line.minutes for line in d.agenda)
    rows.append(["", "Total", f"{total:,}", f"ends {short_time(_ends(ctx, total))}"])
    return ctx.headed(story, ctx.table(rows, widths, right=(2,), total_row=True))


def _ends(ctx: PackContext, minutes: int) -> dt.datetime:
    return ctx.data.start + dt.timedelta(minutes=minutes)


# --------------------------------------------------------------------------- lined pages


class LinedArea(Flowable):
    """Ruled lines filling the rest of the page, for handwriting."""

    def __init__(self, pitch: float = 8 * mm) -> None:
        super().__init__()
        self.pitch = pitch

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.height = max(self.pitch, availHeight - 1)
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(PALETTE.rule)
        canvas.setLineWidth(0.4)
        y = self.height - self.pitch
        while y >= 0:
            canvas.line(0, y, self.width, y)
            y -= self.pitch
        canvas.restoreState()


def note_pages(ctx: PackContext) -> list[Flowable]:
    """A page of ruled lines to write on during the meeting."""
    return [
        PageBreak(),
        Heading(SECTION_TITLES[PackSection.NOTE_PAGES], ctx.styles.h1),
        ctx.rich(ctx.muted("Space for handwritten notes during the meeting."), ctx.styles.small),
        LinedArea(),
        PageBreak(),
    ]


# --------------------------------------------------------------------------- sign-off


def _attendance(person: PackPerson) -> str:
    if person.present is True:
        return "\u2611 present"
    if person.present is False:
        return "\u2612 absent"
    return "\u2610 present   \u2610 absent"


def _signature_block(ctx: PackContext, party: str) -> list[list[Any]]:
    s = ctx.styles
    return [
        [ctx.rich(f"For {ctx.markup(ctx.cap(party, ctx.width / 2), bold=True)}", s.body), ""],
        [ctx.rich(ctx.muted("Name"), s.small), ""],
        [ctx.rich(ctx.muted("Signature"), s.small), ""],
        [ctx.rich(ctx.muted("Date"), s.small), ""],
    ]


def signoff(ctx: PackContext) -> list[Flowable]:
    """Who attended (ticked on paper when not recorded) and lines for both signatures."""
    d, s = ctx.data, ctx.styles
    story = ctx.heading(PackSection.SIGNOFF, min_space=110 * mm)
    widths = column_widths([31, 22, 24, 23], ctx.width)
    rows: list[list[Any]] = [ctx.header_row(["Name", "Role", "Organisation", "Attendance"])]
    for person in d.attendees:
        rows.append(
            [
                ctx.cell(person.name, widths[0]),
                ctx.cell(person.role or DASH, widths[1]),
                ctx.cell(person.organisation or DASH, widths[2]),
                _attendance(person),
            ]
        )
    if not d.attendees:
        story.append(ctx.empty("No attendees recorded yet: write them in below."))
        rows += [["", "", "", _attendance(PackPerson("", "", ""))] for _ in range(BLANK_ROWS)]
    extra = [] if d.attendees else [("TOPPADDING", (0, 1), (-1, -1), 9)]
    story = ctx.headed(story, ctx.table(rows, widths, extra=extra))
    gap = 10 * mm
    half = (ctx.width - gap) / 2
    label = 22 * mm
    left = _signature_block(ctx, d.client_name)
    right = _signature_block(ctx, d.msp_name)
    rows = [[*a, "", *b] for a, b in zip(left, right, strict=True)]
    style = box_style(
        [
            ("FONT", (0, 0), (-1, -1), FONT, s.base_size),
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("SPAN", (0, 0), (1, 0)),
            ("SPAN", (3, 0), (4, 0)),
            ("LINEBELOW", (1, 1), (1, -1), 0.6, PALETTE.ink),
            ("LINEBELOW", (4, 1), (4, -1), 0.6, PALETTE.ink),
            ("TOPPADDING", (0, 1), (-1, -1), 11),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("LINEABOVE", (0, 0), (1, 0), 0.9, PALETTE.accent),
            ("LINEABOVE", (3, 0), (4, 0), 0.9, PALETTE.accent),
            ("TOPPADDING", (0, 0), (-1, 0), 6),
        ]
    )
    block = Table(
        rows,
        colWidths=[label, half - label, gap, label, half - label],
        style=style,
        hAlign="LEFT",
        splitInRow=1,  # only a name longer than a page needs it
    )
    story += [
        CondPageBreak(60 * mm),
        Spacer(1, 8 * mm),
        KeepTogether(
            [
                ctx.rich("<b>Sign-off</b>", s.h2),
                ctx.rich(
                    "We agree that this pack records the meeting, its decisions and actions.",
                    s.small,
                ),
                Spacer(1, 2 * mm),
                block,
            ]
        ),
    ]
    return story
