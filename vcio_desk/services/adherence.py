"""Adherence over the trailing twelve months, by owner, by tier and month by month.

Computed from one drift report (PRODUCT.md §3.4): a slot counts when it is dated
in (as_of − 365 days, as_of] and is past (not upcoming or due); it is kept when
its counted meeting was on time.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from vcio_desk.domain.drift import ADHERENCE_DAYS, OPEN_STATES, Flag, SlotState

from .drift import DriftReport, RhythmDrift


@dataclass(frozen=True)
class AdherenceFigure:
    label: str
    kept: int
    judged: int
    flags: dict[str, int]
    """How many of the group's rhythms carry each flag."""

    @property
    def pct(self) -> float | None:
        return None if self.judged == 0 else 100.0 * self.kept / self.judged


@dataclass(frozen=True)
class MonthPoint:
    month: dt.date
    """First day of the month."""
    kept: int
    judged: int

    @property
    def pct(self) -> float | None:
        return None if self.judged == 0 else 100.0 * self.kept / self.judged


@dataclass(frozen=True)
class AdherenceSummary:
    as_of: dt.date
    overall: AdherenceFigure
    by_owner: list[AdherenceFigure]
    by_tier: list[AdherenceFigure]
    by_kind: list[AdherenceFigure]
    """Clients and internal bodies (the committee is measured like any client)."""
    trend: list[MonthPoint]
    """The last twelve months, oldest first."""
    trend_by_owner: dict[str, list[MonthPoint]]
    trend_by_tier: dict[str, list[MonthPoint]]


def _judged_slots(item: RhythmDrift, as_of: dt.date) -> list[tuple[dt.date, bool]]:
    start = as_of - dt.timedelta(days=ADHERENCE_DAYS)
    return [
        (s.nominal, s.state is SlotState.ON_TIME)
        for s in item.assessment.slots
        if start < s.nominal <= as_of and s.state not in OPEN_STATES
    ]


def _figure(label: str, items: Iterable[RhythmDrift], as_of: dt.date) -> AdherenceFigure:
    kept = judged = 0
    flags: dict[str, int] = {f.value: 0 for f in Flag}
    for item in items:
        flags[item.assessment.flag.value] += 1
        for _day, on_time in _judged_slots(item, as_of):
            judged += 1
            kept += on_time
    return AdherenceFigure(label, kept, judged, flags)


def _trend(items: Iterable[RhythmDrift], as_of: dt.date) -> list[MonthPoint]:
    """The twelve calendar months ending with ``as_of``'s month, each judged on its past slots."""
    first = as_of.replace(day=1) - relativedelta(months=11)
    months = [first + relativedelta(months=i) for i in range(12)]
    kept: dict[dt.date, int] = defaultdict(int)
    judged: dict[dt.date, int] = defaultdict(int)
    for item in items:
        for slot in item.assessment.slots:
            if first <= slot.nominal <= as_of and slot.state not in OPEN_STATES:
                month = slot.nominal.replace(day=1)
                judged[month] += 1
                kept[month] += slot.state is SlotState.ON_TIME
    return [MonthPoint(m, kept[m], judged[m]) for m in months]


def _grouped(
    items: list[RhythmDrift], key: Callable[[RhythmDrift], str | None]
) -> dict[str, list[RhythmDrift]]:
    groups: dict[str, list[RhythmDrift]] = defaultdict(list)
    for item in items:
        label = key(item)
        if label:
            groups[label].append(item)
    return dict(sorted(groups.items()))


def summarize_adherence(report: DriftReport) -> AdherenceSummary:
    as_of, items = report.as_of, report.rhythms
    owners = _grouped(items, lambda r: r.owner or "(no owner)")
    tiers = _grouped(items, lambda r: f"Tier {r.tier}" if r.tier else None)
    kinds = _grouped(items, lambda r: "Clients" if r.subject_kind == "client" else "Internal")
    return AdherenceSummary(
        as_of=as_of,
        overall=_figure("All rhythms", items, as_of),
        by_owner=[_figure(k, v, as_of) for k, v in owners.items()],
        by_tier=[_figure(k, v, as_of) for k, v in tiers.items()],
        by_kind=[_figure(k, v, as_of) for k, v in kinds.items()],
        trend=_trend(items, as_of),
        trend_by_owner={k: _trend(v, as_of) for k, v in owners.items()},
        trend_by_tier={k: _trend(v, as_of) for k, v in tiers.items()},
    )
