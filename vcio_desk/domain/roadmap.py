"""The rules of the CSI register's roadmap: statuses, KPI progress, the quarter window, budget.

Pure functions over plain values, so the register, the roadmap page and a pack
all count the same way.

Budget rules (what a vCIO presents as "what this costs, and when"):

- An item's one-time cost falls in its target quarter.
- Its recurring monthly cost counts three months in every quarter from the target
  quarter onward: the service runs from the moment the item lands. Items whose target
  quarter lies before the window therefore still count recurring costs in every quarter
  of the window (they are running), but not their one-time cost (spent earlier).
- Done items keep their recurring cost: what they introduced is running now.
- Deferred items are excluded: nobody plans to pay for them.
- Items without a target quarter are not placed in any quarter; their costs are summed
  separately ("unscheduled") so they are not forgotten.
- Annualised recurring is the monthly run rate × 12. Per quarter it is the run rate in
  that quarter; for the whole window it is the run rate in the window's last quarter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from .errors import ValidationError
from .fiscal import FiscalQuarter, fiscal_quarter, quarters_from
from .vocab import CsiStatus

MIN_QUARTERS = 4
MAX_QUARTERS = 8
DEFAULT_QUARTERS = 6
ZERO = Decimal("0")
MONTHS_PER_QUARTER = 3
MONTHS_PER_YEAR = 12

# -- statuses ------------------------------------------------------------------------------------

TRANSITIONS: dict[CsiStatus, tuple[CsiStatus, ...]] = {
    CsiStatus.PROPOSED: (CsiStatus.APPROVED, CsiStatus.DEFERRED),
    CsiStatus.APPROVED: (CsiStatus.IN_PROGRESS, CsiStatus.DEFERRED),
    CsiStatus.IN_PROGRESS: (CsiStatus.DONE, CsiStatus.DEFERRED),
    CsiStatus.DONE: (),
    CsiStatus.DEFERRED: (CsiStatus.PROPOSED, CsiStatus.APPROVED),
}
"""proposed → approved → in progress → done; any not-done state → deferred; deferred →
proposed or approved. Done is final."""

STATUS_NAMES: dict[CsiStatus, str] = {
    CsiStatus.PROPOSED: "Proposed",
    CsiStatus.APPROVED: "Approved",
    CsiStatus.IN_PROGRESS: "In progress",
    CsiStatus.DONE: "Done",
    CsiStatus.DEFERRED: "Deferred",
}


def next_statuses(status: CsiStatus) -> tuple[CsiStatus, ...]:
    """The statuses an item in ``status`` may move to, in the order a person reads them."""
    return TRANSITIONS[CsiStatus(status)]


def check_transition(old: CsiStatus, new: CsiStatus) -> None:
    """Refuse a status change the register's life cycle does not allow (same status is fine)."""
    old, new = CsiStatus(old), CsiStatus(new)
    if old is new or new in TRANSITIONS[old]:
        return
    allowed = TRANSITIONS[old]
    if not allowed:
        hint = "a done item stays done; propose a new item instead"
    else:
        hint = "it can go to " + " or ".join(STATUS_NAMES[s].lower() for s in allowed)
    raise ValidationError(
        f"An item that is {STATUS_NAMES[old].lower()} cannot become "
        f"{STATUS_NAMES[new].lower()}; {hint}."
    )


# -- KPI -----------------------------------------------------------------------------------------


def kpi_progress(
    baseline: Decimal | None, target: Decimal | None, current: Decimal | None
) -> float | None:
    """How far ``current`` has moved from ``baseline`` towards ``target``, as 0–100 %.

    Works in either direction (fewer tickets is progress when the target is lower than
    the baseline). Clamped to 0–100: overshooting counts as reached, going the wrong way
    as none. None while a number is missing, or when baseline and target are equal (no
    distance to travel, so no honest percentage).
    """
    if baseline is None or target is None or current is None:
        return None
    distance = Decimal(target) - Decimal(baseline)
    if distance == 0:
        return None
    share = (Decimal(current) - Decimal(baseline)) / distance * 100
    return float(min(Decimal(100), max(ZERO, share)))


# -- the window ----------------------------------------------------------------------------------


def check_quarter_count(count: int) -> int:
    if isinstance(count, bool) or not isinstance(count, int):
        raise ValidationError(f"The roadmap shows a whole number of quarters, not {count!r}.")
    if not MIN_QUARTERS <= count <= MAX_QUARTERS:
        raise ValidationError(
            f"The roadmap shows {MIN_QUARTERS} to {MAX_QUARTERS} quarters, not {count}."
        )
    return count


def window(as_of: dt.date, start_month: int, count: int = DEFAULT_QUARTERS) -> list[FiscalQuarter]:
    """The rolling window: ``count`` (4–8) fiscal quarters from the one containing ``as_of``."""
    check_quarter_count(count)
    return quarters_from(fiscal_quarter(as_of, start_month), count)


class Placement(StrEnum):
    EARLIER = "earlier"
    IN_WINDOW = "in_window"
    LATER = "later"
    UNSCHEDULED = "unscheduled"


def placement(target: FiscalQuarter | None, quarters: Sequence[FiscalQuarter]) -> Placement:
    """Where an item with ``target`` goes on a roadmap showing ``quarters``."""
    if target is None:
        return Placement.UNSCHEDULED
    if target < quarters[0]:
        return Placement.EARLIER
    if target > quarters[-1]:
        return Placement.LATER
    return Placement.IN_WINDOW


# -- budget --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CostItem:
    """What the budget needs to know about one item."""

    target: FiscalQuarter | None
    one_time: Decimal
    recurring_monthly: Decimal
    status: CsiStatus


@dataclass(frozen=True, slots=True)
class QuarterBudget:
    quarter: FiscalQuarter
    one_time: Decimal
    recurring: Decimal
    """Three months of every recurring cost running in the quarter."""
    recurring_monthly: Decimal
    """The monthly run rate in the quarter."""

    @property
    def total(self) -> Decimal:
        return self.one_time + self.recurring

    @property
    def annualised_recurring(self) -> Decimal:
        return self.recurring_monthly * MONTHS_PER_YEAR


@dataclass(frozen=True, slots=True)
class Budget:
    quarters: tuple[QuarterBudget, ...]
    unscheduled_one_time: Decimal
    unscheduled_recurring_monthly: Decimal

    @property
    def one_time(self) -> Decimal:
        return sum((q.one_time for q in self.quarters), ZERO)

    @property
    def recurring(self) -> Decimal:
        return sum((q.recurring for q in self.quarters), ZERO)

    @property
    def total(self) -> Decimal:
        return self.one_time + self.recurring

    @property
    def annualised_recurring(self) -> Decimal:
        """The yearly cost of what runs by the end of the window."""
        return self.quarters[-1].annualised_recurring if self.quarters else ZERO


def counts_in_budget(status: CsiStatus) -> bool:
    return CsiStatus(status) is not CsiStatus.DEFERRED


def budget(items: Iterable[CostItem], quarters: Sequence[FiscalQuarter]) -> Budget:
    """One-time and recurring costs per quarter of ``quarters`` (see the module's rules)."""
    one_time = {q: ZERO for q in quarters}
    monthly = {q: ZERO for q in quarters}
    unscheduled_one_time = ZERO
    unscheduled_monthly = ZERO
    for item in items:
        if not counts_in_budget(item.status):
            continue
        if item.target is None:
            unscheduled_one_time += item.one_time
            unscheduled_monthly += item.recurring_monthly
            continue
        if item.target in one_time:
            one_time[item.target] += item.one_time
        for quarter in quarters:
            if quarter >= item.target:
                monthly[quarter] += item.recurring_monthly
    return Budget(
        quarters=tuple(
            QuarterBudget(q, one_time[q], monthly[q] * MONTHS_PER_QUARTER, monthly[q])
            for q in quarters
        ),
        unscheduled_one_time=unscheduled_one_time,
        unscheduled_recurring_monthly=unscheduled_monthly,
    )
