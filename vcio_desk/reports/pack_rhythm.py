"""The meeting rhythm (last twelve months' slots, the next twelve months) and the notes.

Notes are typed in the simple markup of :mod:`vcio_desk.domain.markup`; each block
becomes a paragraph or a list item, and every run's text is escaped on the way in, so
``<font color=red>`` typed in a note prints as those characters.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table

from vcio_desk.domain.markup import BlockKind, Run, parse

from .layout import Para
from .pack_base import CHUNK, DASH, PackContext, chunks, nice_date, percent
from .pack_data import PackSection, RhythmLine, SlotLine
from .pack_summary import chip, talking_points
from .theme import PALETTE, box_style, flag_chip

__all__ = ["notes", "notes_flowables", "rhythm"]

SLOTS_PER_COLUMN = 8
"""Past slots beyond this are laid out in two columns side by side."""

_SLOT_COLOURS = {
    "held on time": PALETTE.ok,
    "held early": PALETTE.drifting,
    "held late": PALETTE.drifting,
    "missed": PALETTE.broken,
    "overdue": PALETTE.overdue,
}


# --------------------------------------------------------------------------- rhythm


def _slot_table(ctx: PackContext, slots: list[SlotLine], width: float) -> Table:
    s = ctx.styles
    widths = [width * 0.3, width * 0.36, width * 0.34]
    rows: list[list[Any]] = [ctx.header_row(["Slot", "Status", "Held"])]
    for slot in slots:
        colour = _SLOT_COLOURS.get(slot.status, PALETTE.accent_mid)
        held = nice_date(slot.held) if slot.held else DASH
        if slot.delta_days:
            held += f" ({slot.delta_days:+d} d)"
        rows.append(
            [
                nice_date(slot.nominal),
                ctx.rich(chip(colour, ctx.markup(ctx.short(slot.status))), s.td),
                held,
            ]
        )
    return ctx.table(rows, widths)


def _past(ctx: PackContext, line: RhythmLine) -> Flowable:
    slots = list(line.past)
    if not slots:
        return ctx.empty("No slots in the last twelve months.")
    if len(slots) <= SLOTS_PER_COLUMN:
        return _slot_table(ctx, slots, ctx.width * 0.6)
    gap = 6 * mm
    half = (ctx.width - gap) / 2
    middle = (len(slots) + 1) // 2
    style = box_style(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
        ]
    )
    return Table(
        [
            [
                _slot_table(ctx, slots[:middle], half),
                "",
                _slot_table(ctx, slots[middle:], half),
            ]
        ],
        colWidths=[half, gap, half],
        style=style,
        hAlign="LEFT",
    )


def _rhythm_block(ctx: PackContext, line: RhythmLine) -> list[Flowable]:
    s = ctx.styles
    facts = (
        f"{ctx.markup(line.description)} · on time within ±{line.tolerance_days} days · "
        f"<b>{percent(line.adherence_pct)}</b> held on time in the last twelve months"
    )
    story: list[Flowable] = [
        *ctx.subheading(line.meeting_type, min_space=55 * mm),
        ctx.rich(facts, s.body),
    ]
    if ctx.internal:
        story += [
            *ctx.internal_box(
                "Rhythm flag",
                ctx.paras(line.reason, s.small, lead=f"{flag_chip(line.flag, bold=True)} · "),
            ),
            Spacer(1, 2 * mm),
        ]
    upcoming = ", ".join(nice_date(day) for day in line.upcoming) or "none scheduled"
    story += [
        ctx.rich("<b>Last twelve months</b>", s.small),
        _past(ctx, line),
        Spacer(1, 2 * mm),
        ctx.rich("<b>Next twelve months</b>", s.small),
        ctx.rich(upcoming, s.body),
    ]
    return story


def rhythm(ctx: PackContext) -> list[Flowable]:
    """Each of the client's rhythms: the rule, adherence, past slots and upcoming dates."""
    story = ctx.heading(PackSection.RHYTHM)
    d = ctx.data
    if not d.rhythms:
        story.append(ctx.empty("No meeting rhythm is set up yet."))
        return story
    story.append(
        ctx.rich(
            f"Overall <b>{percent(d.adherence_pct)}</b> of meetings held on time in the last "
            f"twelve months ({d.adherence_kept} of {d.adherence_judged}).",
            ctx.styles.body,
        )
    )
    # One rhythm on one page when it fits (a weekly rhythm's 52 slots may not: it splits);
    # the section's heading goes with the first one.
    out: list[Flowable] = []
    for line in d.rhythms:
        story += _rhythm_block(ctx, line)
        breaks = [f for f in story if isinstance(f, CondPageBreak)][:1]
        out += [*breaks, KeepTogether([f for f in story if not isinstance(f, CondPageBreak)])]
        story = []
    return out


# --------------------------------------------------------------------------- notes


def _pieces(runs: tuple[Run, ...]) -> list[list[Run]]:
    """A block's runs in pieces of about :data:`CHUNK` characters (long notes)."""
    if sum(len(run.text) for run in runs) <= CHUNK:
        return [list(runs)]
    out: list[list[Run]] = []
    current: list[Run] = []
    size = 0
    for run in runs:
        for piece in chunks(run.text):
            if current and size + len(piece) > CHUNK:
                out.append(current)
                current, size = [], 0
            current.append(Run(piece, run.bold, run.italic))
            size += len(piece)
    if current:
        out.append(current)
    return out


def notes_flowables(ctx: PackContext, text: str) -> list[Flowable]:
    """Paragraphs and list items of a note in the simple markup, every run escaped."""
    out: list[Flowable] = []
    for block in parse(text):
        if block.kind is BlockKind.PARAGRAPH:
            style, bullet = ctx.styles.body, None
        else:
            style = ctx.bullet_style
            bullet = "•" if block.kind is BlockKind.BULLET else f"{block.number}."
        pieces = _pieces(block.runs)
        for index, runs in enumerate(pieces):
            markup = "".join(ctx.markup(r.text, bold=r.bold, italic=r.italic) for r in runs)
            last = index == len(pieces) - 1
            out.append(
                Para(
                    markup,
                    style if last else ctx.joined(style),
                    bulletText=bullet if index == 0 else None,
                )
            )
    return out


def notes(
    ctx: PackContext, *, with_internal_notes: bool, with_talking_points: bool
) -> list[Flowable]:
    """The client-facing notes and decisions; internal notes in the internal edition."""
    d = ctx.data
    story = ctx.heading(PackSection.NOTES, min_space=50 * mm)
    if with_talking_points:
        story += talking_points(ctx)
    for title, text, empty in (
        ("Meeting notes", d.client_notes, "No notes yet."),
        ("Decisions", d.decisions, "No decisions recorded yet."),
    ):
        body = notes_flowables(ctx, text) or [ctx.empty(empty)]
        story += ctx.kept(ctx.subheading(title, min_space=20 * mm), body)
    if with_internal_notes:
        body = notes_flowables(ctx, d.internal_notes) or [ctx.empty("No internal notes.")]
        story += [Spacer(1, 3 * mm), *ctx.internal_box("Internal notes", body)]
    return story
