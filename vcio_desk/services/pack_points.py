"""Talking points for the internal edition: what the vCIO should raise, in plain sentences.

Drawn from the parts already gathered (nothing is judged twice): every rhythm that is
not on track with its reason, overdue actions, findings rated vulnerable or not rated
yet that have no recommendation, and this quarter's roadmap budget. Long lists are cut
after a few items with a count of the rest, so the page stays a page.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from vcio_desk.domain.drift import Flag
from vcio_desk.reports.pack_data import ActionLine, FindingLine, QuarterCost, RhythmLine

MAX_LISTED = 5
"""Overdue actions or open findings named one by one before the rest are counted."""

FLAG_WORDS = {
    Flag.BROKEN: "is broken",
    Flag.OVERDUE: "is overdue",
    Flag.DRIFTING: "is drifting",
    Flag.UNBOOKED: "has its next meeting unbooked",
}


def money(amount: Decimal, symbol: str = "") -> str:
    """ "$12,500", "CHF 1,250.50", "12,500": whole amounts without cents."""
    places = 0 if amount == amount.to_integral_value() else 2
    text = f"{amount:,.{places}f}"
    if not symbol:
        return text
    sign = "-" if text.startswith("-") else ""
    gap = " " if symbol[-1:].isalpha() else ""
    return f"{sign}{symbol}{gap}{text.lstrip('-')}"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _more(count: int, noun: str, tail: str = "") -> str:
    return f"… and {count} more {noun}{'s' if count != 1 else ''}{tail}."


def rhythm_points(rhythms: Sequence[RhythmLine]) -> list[str]:
    points = []
    for line in rhythms:
        try:
            flag = Flag(line.flag)
        except ValueError:
            continue
        if flag is Flag.OK:
            continue
        points.append(
            _sentence(f"The {line.meeting_type} rhythm {FLAG_WORDS[flag]}: {line.reason}")
        )
    return points


def action_points(actions: Sequence[ActionLine]) -> list[str]:
    overdue = [a for a in actions if a.overdue]
    points = []
    for action in overdue[:MAX_LISTED]:
        owner = action.owner or "no owner"
        due = action.due.isoformat() if action.due else "no date"
        points.append(_sentence(f"Overdue action ({owner}, due {due}): {action.title}"))
    if len(overdue) > MAX_LISTED:
        points.append(_more(len(overdue) - MAX_LISTED, "overdue action"))
    return points


def finding_points(findings: Sequence[FindingLine]) -> list[str]:
    open_risks = [
        f for f in findings if f.rating in (None, "vulnerable") and not f.recommendation.strip()
    ]
    points = []
    for item in open_risks[:MAX_LISTED]:
        rating = item.rating or "not rated yet"
        label = f"{item.code} " if item.code else ""
        points.append(
            _sentence(
                f"Finding {label}({rating}, {item.priority} priority) has no recommendation "
                f"yet: {item.question}"
            )
        )
    if len(open_risks) > MAX_LISTED:
        points.append(_more(len(open_risks) - MAX_LISTED, "finding", " without one"))
    return points


def budget_points(quarters: Sequence[QuarterCost], symbol: str) -> list[str]:
    if not quarters:
        return []
    q = quarters[0]
    if not (q.one_time or q.recurring):
        return [f"Nothing is budgeted on the roadmap for this quarter ({q.label})."]
    return [
        f"This quarter ({q.label}) the roadmap budgets {money(q.one_time, symbol)} one-time "
        f"and {money(q.recurring, symbol)} recurring, {money(q.total, symbol)} in all."
    ]


def talking_points(
    rhythms: Sequence[RhythmLine],
    actions: Sequence[ActionLine],
    findings: Sequence[FindingLine],
    quarters: Sequence[QuarterCost],
    currency_symbol: str = "",
) -> tuple[str, ...]:
    """Every point, in the order a vCIO would raise them."""
    return tuple(
        rhythm_points(rhythms)
        + action_points(actions)
        + finding_points(findings)
        + budget_points(quarters, currency_symbol)
    )
