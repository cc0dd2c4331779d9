"""Slots of a rhythm (PRODUCT.md §3.1): each version's occurrences inside its own period.

A rhythm has versions ``v`` with a rule, an anchor, a tolerance and an
``effective_from``. Version v contributes the rule's occurrences (counted from
its anchor) dated in ``[effective_from_v, effective_from_{v+1})``; the rhythm's
slots are their union in date order, each carrying its version's tolerance.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from .recurrence import occurrences


@dataclass(frozen=True, slots=True)
class VersionSpec:
    rule: str
    anchor: dt.date
    tolerance_days: int
    effective_from: dt.date


@dataclass(frozen=True, slots=True)
class Slot:
    nominal: dt.date
    tolerance_days: int
    version_index: int


def slots(versions: Sequence[VersionSpec], start: dt.date, end: dt.date) -> list[Slot]:
    """All slots dated in ``[start, end)``, versions given in ``effective_from`` order."""
    result: list[Slot] = []
    for index, version in enumerate(versions):
        period_end = versions[index + 1].effective_from if index + 1 < len(versions) else end
        lo, hi = max(start, version.effective_from), min(end, period_end)
        result.extend(
            Slot(day, version.tolerance_days, index)
            for day in occurrences(version.rule, version.anchor, lo, hi)
        )
    return result
