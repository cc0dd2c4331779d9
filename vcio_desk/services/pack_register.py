"""A pack's roadmap, budget and CSI register: the register service's rows, laid out by the
roadmap service, turned into the pack's lines.

Nothing is counted here: quarters, placements and costs are those of
:func:`vcio_desk.services.roadmap.build_roadmap`, so the pack prints exactly what the
client page's roadmap shows for the same day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from vcio_desk.domain.roadmap import DEFAULT_QUARTERS, STATUS_NAMES
from vcio_desk.domain.vocab import CsiStatus
from vcio_desk.reports.pack_data import CsiLine, QuarterCost, RoadmapLine
from vcio_desk.store import Store

from .csi_views import CsiRow, fiscal_start_month, register
from .roadmap import Roadmap, RoadmapCard, build_roadmap

PACK_QUARTERS = DEFAULT_QUARTERS
"""The roadmap window a pack prints: the quarter of the meeting and the five after it."""
EARLIER, LATER, UNSCHEDULED = "Earlier", "Later", "Unscheduled"
ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class RegisterParts:
    fiscal_start_month: int
    quarters: tuple[QuarterCost, ...]
    roadmap: tuple[RoadmapLine, ...]
    unscheduled_one_time: Decimal
    unscheduled_recurring_monthly: Decimal
    csi: tuple[CsiLine, ...]


NO_REGISTER = RegisterParts(1, (), (), ZERO, ZERO, ())
"""What an internal body's pack has: no register of its own."""


def status_words(status: str) -> str:
    """ "In progress" for ``in_progress``: the register's own names for its statuses."""
    return STATUS_NAMES[CsiStatus(status)]


def register_parts(
    store: Store, client_id: int, day: dt.date, quarters: int = PACK_QUARTERS
) -> RegisterParts:
    """The client's register on the window of fiscal quarters starting with ``day``'s."""
    start_month = fiscal_start_month(store, client_id)
    rows = register(store, client_id)
    plan = build_roadmap(rows, client_id, day, start_month, quarters)
    return RegisterParts(
        fiscal_start_month=start_month,
        quarters=quarter_costs(plan),
        roadmap=roadmap_lines(plan),
        unscheduled_one_time=plan.budget.unscheduled_one_time,
        unscheduled_recurring_monthly=plan.budget.unscheduled_recurring_monthly,
        csi=csi_lines(rows),
    )


def quarter_costs(plan: Roadmap) -> tuple[QuarterCost, ...]:
    return tuple(
        QuarterCost(
            label=q.label,
            first_day=q.first_day,
            last_day=q.last_day,
            one_time=q.budget.one_time,
            recurring=q.budget.recurring,
            annualised_recurring=q.budget.annualised_recurring,
        )
        for q in plan.quarters
    )


def _line(card: RoadmapCard, quarter: str) -> RoadmapLine:
    return RoadmapLine(
        title=card.title,
        quarter=quarter,
        status=status_words(card.status),
        size=str(card.size.value),
        priority=str(card.priority.value),
        one_time=card.one_time_cost,
        recurring_monthly=card.recurring_cost_monthly,
        kpi_progress=card.kpi_progress,
    )


def roadmap_lines(plan: Roadmap) -> tuple[RoadmapLine, ...]:
    """Earlier items, then each quarter's, then later ones, then the unscheduled; by rank."""
    lines = [_line(card, EARLIER) for card in plan.earlier]
    for quarter in plan.quarters:
        lines += [_line(card, quarter.label) for card in quarter.cards]
    lines += [_line(card, LATER) for card in plan.later]
    lines += [_line(card, UNSCHEDULED) for card in plan.unscheduled]
    return tuple(lines)


def csi_lines(rows: Sequence[CsiRow]) -> tuple[CsiLine, ...]:
    """Every item of the register by rank (deferred and done ones too: it is the register)."""
    return tuple(
        CsiLine(
            rank=row.rank,
            title=row.title,
            size=str(row.size.value),
            priority=str(row.priority.value),
            status=status_words(row.status),
            kpi_name=row.kpi_name,
            kpi_unit=row.kpi_unit,
            kpi_baseline=row.kpi_baseline,
            kpi_target=row.kpi_target,
            kpi_current=row.kpi_current,
            kpi_progress=row.kpi_progress,
            target=row.target_label or UNSCHEDULED,
            justification=row.justification,
        )
        for row in sorted(rows, key=lambda r: (r.rank, r.id))
    )
