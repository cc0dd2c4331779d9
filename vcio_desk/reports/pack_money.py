"""The roadmap by fiscal quarter (chart and table) and the budget table."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from .charts import quarter_costs
from .layout import column_widths
from .pack_base import PackContext, nice_date, percent, word
from .pack_data import PackSection, RoadmapLine
from .pack_summary import priority_markup
from .theme import FONT_BOLD, PALETTE

__all__ = ["budget", "roadmap"]

EARLIER, LATER, UNSCHEDULED = "Earlier", "Later", "Unscheduled"
ZERO = Decimal(0)


def _groups(ctx: PackContext) -> list[tuple[str, list[RoadmapLine]]]:
    """Roadmap lines by quarter: earlier, the window's quarters, later, unscheduled."""
    labels = [EARLIER, *(q.label for q in ctx.data.quarters)]
    others = sorted({line.quarter for line in ctx.data.roadmap} - {*labels, LATER, UNSCHEDULED})
    order = [*labels, *others, LATER, UNSCHEDULED]
    return [
        (label, [line for line in ctx.data.roadmap if line.quarter == label])
        for label in order
        if any(line.quarter == label for line in ctx.data.roadmap)
    ]


def _chart(ctx: PackContext) -> list[Flowable]:
    quarters = ctx.data.quarters
    if not quarters:
        return []
    bars = [(q.label, float(q.one_time), float(q.recurring)) for q in quarters]
    chart = quarter_costs(bars, ctx.width, lambda value: ctx.chart_money(Decimal(str(value))))
    caption = ctx.rich(
        "Costs per fiscal quarter: one-time costs of the items planned in it, and three "
        "months of every recurring cost running in it.",
        ctx.styles.note,
    )
    return [KeepTogether([chart, caption])]


def roadmap(ctx: PackContext) -> list[Flowable]:
    """What is planned in each fiscal quarter, with its costs and KPI progress."""
    s = ctx.styles
    story = ctx.heading(PackSection.ROADMAP)
    if not ctx.data.roadmap:
        story.append(ctx.empty("No roadmap items yet."))
        story += _chart(ctx) if any(q.total for q in ctx.data.quarters) else []
        return story
    story += _chart(ctx)
    widths = column_widths([36, 12, 8, 10, 13, 12, 9], ctx.width)
    right = (4, 5, 6)
    rows: list[list[Any]] = [
        ctx.header_row(
            ["Item", "Status", "Size", "Priority", "One-time", "Monthly", "KPI"], right=right
        )
    ]
    extra: list[tuple[Any, ...]] = []
    for label, lines in _groups(ctx):
        one_time = sum((line.one_time for line in lines), ZERO)
        monthly = sum((line.recurring_monthly for line in lines), ZERO)
        index = len(rows)
        rows.append(
            [
                ctx.rich(f"<b>{ctx.markup(ctx.short(label))}</b>", s.td),
                "",
                "",
                "",
                ctx.amount(one_time),
                ctx.amount(monthly),
                "",
            ]
        )
        extra += [
            ("BACKGROUND", (0, index), (-1, index), PALETTE.accent_soft),
            ("FONT", (4, index), (5, index), FONT_BOLD, s.base_size - 1),
            ("LINEABOVE", (0, index), (-1, index), 0.5, PALETTE.accent_mid),
        ]
        for line in lines:
            rows.append(
                [
                    ctx.cell(line.title, widths[0]),
                    ctx.cell(word(line.status), widths[1]),
                    ctx.cell(word(line.size), widths[2]),
                    ctx.rich(priority_markup(ctx.markup(ctx.short(line.priority))), s.td),
                    ctx.amount(line.one_time),
                    ctx.amount(line.recurring_monthly),
                    percent(line.kpi_progress),
                ]
            )
    story.append(ctx.table(rows, widths, right=right, extra=extra))
    story.append(
        ctx.rich(
            "Monthly: the item's recurring cost per month. “Earlier”: planned before this "
            "quarter and not done yet; “Later”: beyond the quarters shown.",
            s.note,
        )
    )
    return story


def budget(ctx: PackContext) -> list[Flowable]:
    """One-time and recurring costs per fiscal quarter, with totals and the annual run rate."""
    d, s = ctx.data, ctx.styles
    story = ctx.heading(PackSection.BUDGET)
    if not d.quarters:
        story.append(ctx.empty("No costs planned yet."))
        return story
    widths = column_widths([15, 25, 15, 15, 15, 15], ctx.width)
    right = (2, 3, 4, 5)
    rows: list[list[Any]] = [
        ctx.header_row(
            ["Quarter", "Dates", "One-time", "Recurring", "Total", "Annualised recurring"],
            right=right,
        )
    ]
    for q in d.quarters:
        rows.append(
            [
                q.label,
                f"{nice_date(q.first_day)} – {nice_date(q.last_day)}",
                ctx.amount(q.one_time),
                ctx.amount(q.recurring),
                ctx.amount(q.total),
                ctx.amount(q.annualised_recurring),
            ]
        )
    rows.append(
        [
            "Total",
            f"{len(d.quarters)} quarters",
            ctx.amount(sum((q.one_time for q in d.quarters), ZERO)),
            ctx.amount(sum((q.recurring for q in d.quarters), ZERO)),
            ctx.amount(sum((q.total for q in d.quarters), ZERO)),
            "",
        ]
    )
    story = ctx.headed(story, ctx.table(rows, widths, right=right, total_row=True))
    notes = [
        "Recurring: three months of every recurring cost running in the quarter. "
        "Annualised recurring: that quarter's recurring costs over a whole year."
    ]
    if d.unscheduled_one_time or d.unscheduled_recurring_monthly:
        one_time = ctx.markup(ctx.money(d.unscheduled_one_time))
        monthly = ctx.markup(ctx.money(d.unscheduled_recurring_monthly))
        notes.append(
            f"Not yet scheduled (no target quarter): {one_time} one-time and {monthly} "
            "a month recurring, not included above."
        )
    story += [Spacer(1, 1 * mm), *(ctx.rich(text, s.note) for text in notes)]
    return story
