"""The roadmap: a register's items laid out by fiscal quarter, with the budget per quarter.

The window is 4 to 8 fiscal quarters from the one containing ``as_of`` (the
client's fiscal year; the MSP's own register uses the workspace's). Items are
placed by their target quarter; those targeted before the window are listed as
"earlier", after it as "later", without a target as "unscheduled". Deferred items
are shown (so nobody wonders where they went) but cost nothing; the budget rules
are in :mod:`vcio_desk.domain.roadmap`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from vcio_desk.domain.fiscal import FiscalQuarter, quarter_end, quarter_start
from vcio_desk.domain.roadmap import (
    DEFAULT_QUARTERS,
    Budget,
    CostItem,
    Placement,
    QuarterBudget,
    budget,
    counts_in_budget,
    placement,
    window,
)
from vcio_desk.domain.vocab import CsiSize, CsiStatus, Priority
from vcio_desk.store import Store

from .csi_views import CsiRow, fiscal_start_month, register


@dataclass(frozen=True, slots=True)
class RoadmapCard:
    """One item as a card on the roadmap."""

    id: int
    rank: int
    title: str
    size: CsiSize
    priority: Priority
    status: CsiStatus
    target: FiscalQuarter | None
    one_time_cost: Decimal
    recurring_cost_monthly: Decimal
    kpi_progress: float | None
    owner: str

    @property
    def in_budget(self) -> bool:
        return counts_in_budget(self.status)


@dataclass(frozen=True, slots=True)
class RoadmapQuarter:
    quarter: FiscalQuarter
    first_day: dt.date
    last_day: dt.date
    cards: tuple[RoadmapCard, ...]
    budget: QuarterBudget

    @property
    def label(self) -> str:
        """ "FY2027 Q2"."""
        return self.quarter.label


@dataclass(frozen=True, slots=True)
class Roadmap:
    client_id: int | None
    as_of: dt.date
    fiscal_start_month: int
    quarters: tuple[RoadmapQuarter, ...]
    earlier: tuple[RoadmapCard, ...]
    later: tuple[RoadmapCard, ...]
    unscheduled: tuple[RoadmapCard, ...]
    budget: Budget

    @property
    def item_count(self) -> int:
        placed = sum(len(q.cards) for q in self.quarters)
        return placed + len(self.earlier) + len(self.later) + len(self.unscheduled)


def card(row: CsiRow) -> RoadmapCard:
    return RoadmapCard(
        id=row.id,
        rank=row.rank,
        title=row.title,
        size=row.size,
        priority=row.priority,
        status=row.status,
        target=row.target,
        one_time_cost=row.one_time_cost,
        recurring_cost_monthly=row.recurring_cost_monthly,
        kpi_progress=row.kpi_progress,
        owner=row.owner,
    )


def build_roadmap(
    rows: Sequence[CsiRow],
    client_id: int | None,
    as_of: dt.date,
    start_month: int,
    quarters: int = DEFAULT_QUARTERS,
) -> Roadmap:
    """Lay ``rows`` out on the window (pure: the GUI reuses the register's rows)."""
    shown = window(as_of, start_month, quarters)
    ordered = sorted(rows, key=lambda r: (r.rank, r.id))
    by_quarter: dict[FiscalQuarter, list[RoadmapCard]] = {q: [] for q in shown}
    lists: dict[Placement, list[RoadmapCard]] = {p: [] for p in Placement}
    for row in ordered:
        where = placement(row.target, shown)
        if where is Placement.IN_WINDOW:
            assert row.target is not None
            by_quarter[row.target].append(card(row))
        else:
            lists[where].append(card(row))
    costs = budget(
        (CostItem(r.target, r.one_time_cost, r.recurring_cost_monthly, r.status) for r in ordered),
        shown,
    )
    return Roadmap(
        client_id=client_id,
        as_of=as_of,
        fiscal_start_month=start_month,
        quarters=tuple(
            RoadmapQuarter(
                quarter=q,
                first_day=quarter_start(q, start_month),
                last_day=quarter_end(q, start_month),
                cards=tuple(by_quarter[q]),
                budget=money,
            )
            for q, money in zip(shown, costs.quarters, strict=True)
        ),
        earlier=tuple(lists[Placement.EARLIER]),
        later=tuple(lists[Placement.LATER]),
        unscheduled=tuple(lists[Placement.UNSCHEDULED]),
        budget=costs,
    )


def roadmap(
    store: Store, client_id: int | None, as_of: dt.date, quarters: int = DEFAULT_QUARTERS
) -> Roadmap:
    """The register of ``client_id`` (None: the MSP's own) on ``quarters`` fiscal quarters."""
    start_month = fiscal_start_month(store, client_id)
    return build_roadmap(register(store, client_id), client_id, as_of, start_month, quarters)
