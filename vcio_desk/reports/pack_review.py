"""Alignment findings (grouped by section) and the CSI improvement register."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from .layout import column_widths
from .pack_base import DASH, PackContext, nice_date, percent, word
from .pack_data import CsiLine, FindingLine, PackSection
from .pack_summary import priority_markup, rating_markup
from .theme import FONT, FONT_BOLD, PALETTE, hex_colour

__all__ = ["ProgressBar", "csi", "findings", "number"]

_RATING_ORDER = {"vulnerable": 0, "marginal": 1}
_PRIORITY_ORDER = {"high": 0, "medium": 1, "low": 2}


def number(value: Decimal | None) -> str:
    """A KPI figure without trailing zeros: ``1,250``, ``99.5``."""
    if value is None:
        return DASH
    normal = value.normalize()
    if normal == normal.to_integral_value():
        return f"{int(normal):,}"
    return f"{normal:,f}"


# --------------------------------------------------------------------------- findings


def _intro(ctx: PackContext) -> Flowable:
    review = ctx.data.review
    assert review is not None
    who = f" by {ctx.markup(ctx.short(review.tam))}" if review.tam else ""
    if review.completed_on:
        state = f"completed {nice_date(review.completed_on)}"
    else:
        state = f"in progress, {percent(review.progress)} answered"
    return ctx.rich(
        f"Latest review: started {nice_date(review.started_on)}{who}, {state}. "
        f"Alignment score <b>{percent(review.score)}</b>, coverage {percent(review.coverage)}. "
        "Listed below: every standard the review found misaligned, most serious first.",
        ctx.styles.body,
    )


def _section_order(ctx: PackContext, items: Sequence[FindingLine]) -> list[str]:
    review = ctx.data.review
    order = [s.section for s in review.sections] if review else []
    seen = {name for name in order}
    extra = sorted({f.section for f in items} - seen, key=str.casefold)
    present = {f.section for f in items}
    return [name for name in [*order, *extra] if name in present]


def _section_scores(ctx: PackContext, visible: Sequence[FindingLine]) -> list[Flowable]:
    review = ctx.data.review
    if review is None or not review.sections:
        return []
    counts: dict[str, int] = {}
    for finding in visible:
        counts[finding.section] = counts.get(finding.section, 0) + 1
    widths = column_widths([52, 16, 16, 16], ctx.width * 0.75)
    rows: list[list[Any]] = [
        ctx.header_row(["Section", "Score", "Coverage", "Findings"], right=(1, 2, 3))
    ]
    for score in review.sections:
        rows.append(
            [
                ctx.cell(score.section, widths[0]),
                percent(score.score),
                percent(score.coverage),
                str(counts.get(score.section, 0)),
            ]
        )
    return [ctx.table(rows, widths, right=(1, 2, 3)), Spacer(1, 2 * mm)]


def _standard_cell(ctx: PackContext, finding: FindingLine) -> list[Flowable]:
    s = ctx.styles
    code = ctx.muted(
        ctx.markup(ctx.short(" · ".join(p for p in (finding.code, finding.category) if p)))
    )
    if finding.internal_only:
        code += f' <font color="{hex_colour(PALETTE.broken)}"><b>INTERNAL ONLY</b></font>'
    cell: list[Flowable] = [
        ctx.rich(ctx.markup(ctx.cap(finding.question, ctx.width * 0.5), bold=True), s.td),
        ctx.rich(code, s.td),
    ]
    for label, text in (
        ("Why it matters", finding.why_it_matters),
        ("How to align", finding.how_to_align),
        ("Notes", finding.notes),
    ):
        if text.strip():
            cell += ctx.paras(text, s.td, lead=f"<i>{label}:</i> ")
    return cell


def _findings_table(ctx: PackContext, items: Sequence[FindingLine]) -> Flowable:
    s = ctx.styles
    widths = column_widths([56, 10, 13, 21], ctx.width)
    rows: list[list[Any]] = [ctx.header_row(["Standard", "Priority", "Rating", "Recommendation"])]
    for finding in items:
        recommendation: Any = (
            ctx.cell(finding.recommendation, widths[3])
            if finding.recommendation
            else ctx.rich(ctx.muted("none yet"), s.td)
        )
        rows.append(
            [
                _standard_cell(ctx, finding),
                ctx.rich(priority_markup(ctx.markup(ctx.short(finding.priority))), s.td),
                ctx.rich(
                    rating_markup(finding.rating and ctx.markup(ctx.short(finding.rating))), s.td
                ),
                recommendation,
            ]
        )
    return ctx.table(rows, widths, min_rows=1)


def findings(ctx: PackContext) -> list[Flowable]:
    """Misaligned standards grouped by section: rating, why it matters, the recommendation."""
    story = ctx.heading(PackSection.FINDINGS)
    if ctx.data.review is None:
        story.append(ctx.empty("No alignment review yet."))
        return story
    visible = ctx.findings
    scores = _section_scores(ctx, visible)
    if scores:
        story = [*ctx.headed([*story, _intro(ctx)], scores[0]), *scores[1:]]
    else:
        story.append(_intro(ctx))
    if not visible:
        story.append(ctx.empty("No misaligned standards in the latest review."))
        return story
    ranked = sorted(
        visible,
        key=lambda f: (
            _RATING_ORDER.get(f.rating or "", 2),
            _PRIORITY_ORDER.get(f.priority, 3),
            f.code,
        ),
    )
    for name in _section_order(ctx, ranked):
        group = [f for f in ranked if f.section == name]
        count = f"{len(group)} finding" + ("" if len(group) == 1 else "s")
        head = ctx.subheading(f"{name} · {count}", bookmark=name)
        story += ctx.headed(head, _findings_table(ctx, group))
    return story


# --------------------------------------------------------------------------- CSI register


class ProgressBar(Flowable):
    """A thin bar filled to a percentage, with the figure beside it (or "no KPI yet")."""

    def __init__(self, value: float | None, width: float = 26 * mm, height: float = 4.2) -> None:
        super().__init__()
        self.value = value
        self.bar_width = width
        self.bar_height = height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = min(self.bar_width, availWidth)
        self.height = self.bar_height + 4
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        label = percent(self.value)
        label_width = 22.0
        bar = max(10.0, self.width - label_width)
        canvas.saveState()
        canvas.setFillColor(PALETTE.grid)
        canvas.rect(0, 2, bar, self.bar_height, stroke=0, fill=1)
        if self.value:
            share = max(0.0, min(100.0, self.value)) / 100
            colour = PALETTE.ok if share >= 1 else PALETTE.accent
            canvas.setFillColor(colour)
            canvas.rect(0, 2, bar * share, self.bar_height, stroke=0, fill=1)
        canvas.setFillColor(PALETTE.ink)
        canvas.setFont(FONT_BOLD if self.value is not None else FONT, 6.5)
        canvas.drawString(bar + 3, 2.3, label)
        canvas.restoreState()


def _kpi_cell(ctx: PackContext, line: CsiLine, width: float) -> list[Flowable] | str:
    if not line.kpi_name.strip():
        return DASH
    s = ctx.styles
    unit = line.kpi_unit.strip()
    unit = "" if not unit else ctx.markup(ctx.short(unit if unit == "%" else f" {unit}"))
    figures = (
        f"{number(line.kpi_baseline)} → {number(line.kpi_target)}{unit}, "
        f"now {number(line.kpi_current)}"
    )
    return [
        ctx.rich(f"{ctx.markup(ctx.cap(line.kpi_name, width))}<br/>{ctx.muted(figures)}", s.td),
        ProgressBar(line.kpi_progress, width=width - 8),
    ]


def csi(ctx: PackContext) -> list[Flowable]:
    """Every improvement: size, priority, KPI progress, target quarter and status."""
    s = ctx.styles
    story = ctx.heading(PackSection.CSI)
    items = sorted(ctx.data.csi, key=lambda line: line.rank)
    if not items:
        story.append(ctx.empty("No improvement items yet."))
        return story
    story.append(
        ctx.rich(
            "The continuous service improvement register, in priority order. KPI progress "
            "is how far the measure has moved from its baseline towards its target.",
            s.note,
        )
    )
    head = story
    rank_width = 8 * mm
    widths = [rank_width, *column_widths([32, 7, 9, 25, 14, 13], ctx.width - rank_width)]
    rows: list[list[Any]] = [
        ctx.header_row(["#", "Improvement", "Size", "Priority", "KPI", "Target", "Status"])
    ]
    for line in items:
        title = ctx.cap(line.title, widths[1])
        improvement: list[Flowable] = [ctx.rich(ctx.markup(title, bold=True), s.td)]
        if line.justification.strip():
            improvement += ctx.paras(line.justification, ctx.td_muted)
        rows.append(
            [
                str(line.rank),
                improvement,
                ctx.cell(word(line.size), widths[2]),
                ctx.rich(priority_markup(ctx.markup(ctx.short(line.priority))), s.td),
                _kpi_cell(ctx, line, widths[4]),
                ctx.cell(line.target or "Unscheduled", widths[5]),
                ctx.cell(word(line.status), widths[6]),
            ]
        )
    return ctx.headed(head, ctx.table(rows, widths, min_rows=1))
