"""The executive summary and the actions section."""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from .charts import score_trend
from .layout import column_widths, summary_tiles
from .pack_base import DASH, MONTHS, PackContext, nice_date, percent
from .pack_data import ActionLine, PackSection
from .theme import PALETTE, box_style, hex_colour

__all__ = ["actions", "chip", "priority_markup", "rating_markup", "summary", "talking_points"]

MAX_LISTED = 8
"""Open high risks and open actions listed in the summary (the sections have them all)."""

_RATING_COLOURS = {"vulnerable": PALETTE.broken, "marginal": PALETTE.drifting}
_STATUS_COLOURS = {
    "done": PALETTE.ok,
    "cancelled": PALETTE.muted,
    "overdue": PALETTE.broken,
    "open": PALETTE.accent,
}


def chip(colour: Any, text: str) -> str:
    """A colour square and a word (already escaped): colour is never the only signal."""
    return f'<font color="{hex_colour(colour)}">\u25a0</font>\u00a0{text}'


def rating_markup(rating: str | None) -> str:
    if not rating:
        return chip(PALETTE.rule, "not rated")
    return chip(_RATING_COLOURS.get(rating, PALETTE.muted), rating)


def priority_markup(priority: str) -> str:
    word = priority or DASH
    return f"<b>{word}</b>" if priority == "high" else word


def action_status(ctx: PackContext, action: ActionLine) -> str:
    if action.status == "open" and action.overdue:
        return chip(PALETTE.broken, "<b>overdue</b>")
    status = ctx.markup(ctx.short(action.status or DASH))
    return chip(_STATUS_COLOURS.get(action.status, PALETTE.muted), status)


# --------------------------------------------------------------------------- summary


def talking_points(ctx: PackContext) -> list[Flowable]:
    """Internal edition: what the vCIO should raise, in a box marked internal."""
    points = ctx.data.talking_points
    body: list[Flowable]
    if points:
        body = [para for point in points for para in ctx.paras(point, ctx.bullet_style, bullet="•")]
    else:
        body = [ctx.empty("No talking points for this meeting.")]
    return [*ctx.internal_box("Talking points", body), Spacer(1, 4 * mm)]


def _tiles(ctx: PackContext) -> Table:
    d = ctx.data
    review = d.review
    if review is None or review.score is None:
        score_label = "<b>Alignment score</b><br/>no completed review yet"
        score = DASH
    else:
        score = percent(review.score)
        when = nice_date(review.completed_on or review.started_on)
        state = "review of" if review.completed_on else "review in progress since"
        score_label = (
            f"<b>Alignment score</b><br/>coverage {percent(review.coverage)} · {state} {when}"
        )
    rhythm = (
        f"{d.adherence_kept} of {d.adherence_judged} meetings on time in the last 12 months"
        if d.adherence_judged
        else "no past meetings to judge yet"
    )
    high = sum(1 for f in ctx.findings if f.priority == "high")
    open_actions = [a for a in d.actions if a.status == "open"]
    overdue = sum(1 for a in open_actions if a.overdue)
    return summary_tiles(
        [
            (score, score_label),
            (percent(d.adherence_pct), f"<b>Meeting rhythm</b><br/>{rhythm}"),
            (str(high), "<b>Open high risks</b><br/>high-priority standards not met"),
            (str(len(open_actions)), f"<b>Open actions</b><br/>{overdue} overdue"),
        ],
        ctx.width,
        ctx.styles,
    )


def _budget_box(ctx: PackContext, width: float) -> list[Flowable]:
    s = ctx.styles
    quarters = ctx.data.quarters[:4]
    title = ctx.rich("<b>Budget, next four quarters</b>", s.small)
    if not quarters:
        return [title, ctx.empty("No costs planned yet.")]
    widths = [width * 0.22, width * 0.26, width * 0.26, width * 0.26]
    rows: list[list[Any]] = [
        ctx.header_row(["Quarter", "One-time", "Recurring", "Total"], (1, 2, 3))
    ]
    for q in quarters:
        rows.append([q.label, ctx.amount(q.one_time), ctx.amount(q.recurring), ctx.amount(q.total)])
    rows.append(
        [
            "Total",
            ctx.amount(sum(q.one_time for q in quarters)),
            ctx.amount(sum(q.recurring for q in quarters)),
            ctx.amount(sum(q.total for q in quarters)),
        ]
    )
    return [title, Spacer(1, 1 * mm), ctx.table(rows, widths, right=(1, 2, 3), total_row=True)]


def _trend_and_budget(ctx: PackContext) -> Table:
    s = ctx.styles
    gap = 6 * mm
    left = (ctx.width - gap) * 0.42
    right = ctx.width - gap - left
    review = ctx.data.review
    points = [
        (f"{p.day.day} {MONTHS[p.day.month - 1]}\n{p.day.year}", p.score)
        for p in (review.trend if review else ())
    ]
    chart: list[Flowable] = [
        ctx.rich("<b>Alignment score by completed review</b>", s.small),
        score_trend(points, left),
    ]
    style = box_style(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ]
    )
    return Table(
        [[chart, "", _budget_box(ctx, right)]],
        colWidths=[left, gap, right],
        style=style,
        hAlign="LEFT",
    )


def _high_risks(ctx: PackContext) -> list[Flowable]:
    s = ctx.styles
    high = [f for f in ctx.findings if f.priority == "high"]
    story: list[Flowable] = [ctx.rich("<b>Open high risks</b>", s.h2)]
    if ctx.data.review is None:
        return [*story, ctx.empty("No alignment review yet.")]
    if not high:
        return [*story, ctx.empty("No high-priority standard is misaligned.")]
    high.sort(key=lambda f: (f.rating != "vulnerable", f.section, f.code))
    widths = column_widths([50, 14, 36], ctx.width)
    rows: list[list[Any]] = [ctx.header_row(["Standard", "Rating", "Recommendation"])]
    for finding in high[:MAX_LISTED]:
        rows.append(
            [
                ctx.rich(
                    f"{ctx.markup(ctx.cap(finding.question, widths[0]))} "
                    + ctx.muted(ctx.markup(ctx.short(f"({finding.section})"))),
                    s.td,
                ),
                ctx.rich(rating_markup(finding.rating), s.td),
                ctx.cell(finding.recommendation or "none yet", widths[2]),
            ]
        )
    story = ctx.headed(story, ctx.table(rows, widths))
    if len(high) > MAX_LISTED:
        more = len(high) - MAX_LISTED
        story.append(ctx.rich(f"and {more} more under Alignment findings.", s.note))
    return story


def _open_actions(ctx: PackContext) -> list[Flowable]:
    s = ctx.styles
    open_actions = [a for a in ctx.data.actions if a.status == "open"]
    story: list[Flowable] = [ctx.rich("<b>Open actions</b>", s.h2)]
    if not open_actions:
        return [*story, ctx.empty("No open actions.")]
    open_actions.sort(key=lambda a: (not a.overdue, a.due is None, a.due or ctx.data.as_of))
    widths = column_widths([58, 22, 20], ctx.width)
    rows: list[list[Any]] = [ctx.header_row(["Action", "Owner", "Due"])]
    for action in open_actions[:MAX_LISTED]:
        due = nice_date(action.due) if action.due else "no date"
        if action.overdue:
            due = f'<font color="{hex_colour(PALETTE.broken)}"><b>{due}</b> overdue</font>'
        rows.append(
            [
                ctx.cell(action.title, widths[0]),
                ctx.cell(action.owner or DASH, widths[1]),
                ctx.rich(due, s.td),
            ]
        )
    story = ctx.headed(story, ctx.table(rows, widths))
    if len(open_actions) > MAX_LISTED:
        more = len(open_actions) - MAX_LISTED
        story.append(ctx.rich(f"and {more} more under Actions.", s.note))
    return story


def summary(ctx: PackContext, *, with_talking_points: bool) -> list[Flowable]:
    """Score and trend, adherence, open high risks, next four quarters' budget, open actions."""
    story = ctx.heading(PackSection.SUMMARY)
    if with_talking_points:
        story += talking_points(ctx)
    story += [
        _tiles(ctx),
        Spacer(1, 5 * mm),
        KeepTogether([_trend_and_budget(ctx)]),
        *_high_risks(ctx),
        *_open_actions(ctx),
    ]
    return story


# --------------------------------------------------------------------------- actions


def _action_rows(ctx: PackContext, items: list[ActionLine], carried: bool) -> Table:
    s = ctx.styles
    fractions = [38, 16, 12, 12, 22] if carried else [52, 20, 14, 14]
    widths = column_widths(fractions, ctx.width)
    labels = ["Action", "Owner", "Due", "Status"] + (["Raised at"] if carried else [])
    rows: list[list[Any]] = [ctx.header_row(labels)]
    for action in items:
        title: Any = ctx.cell(action.title, widths[0])
        if action.notes:
            title = [*ctx.paras(action.title, s.td), *ctx.paras(action.notes, ctx.td_muted)]
        row: list[Any] = [
            title,
            ctx.cell(action.owner or DASH, widths[1]),
            nice_date(action.due) if action.due else DASH,
            ctx.rich(action_status(ctx, action), s.td),
        ]
        if carried:
            row.append(ctx.cell(action.raised_at or DASH, widths[4]))
        rows.append(row)
    return ctx.table(rows, widths, min_rows=1)


def actions(ctx: PackContext) -> list[Flowable]:
    """Actions carried from earlier meetings with their status, then those raised here."""
    d = ctx.data
    story = ctx.heading(PackSection.ACTIONS)
    if not d.actions:
        story.append(ctx.empty("No actions from earlier meetings or this one."))
        return story
    carried = [a for a in d.actions if a.carried]
    raised = [a for a in d.actions if not a.carried]
    out: list[Flowable] = []
    head = story  # the section's heading stays with the first table's first rows
    for title, items, is_carried, empty in (
        ("From earlier meetings", carried, True, "Nothing carried over."),
        ("Raised at this meeting", raised, False, "None raised yet."),
    ):
        head = [*head, *ctx.subheading(title, min_space=30 * mm)]
        if items:
            out += ctx.headed(head, _action_rows(ctx, items, is_carried))
        else:
            out += [*head, ctx.empty(empty)]
        head = []
    return out
