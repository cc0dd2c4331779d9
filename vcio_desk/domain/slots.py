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
from functools import lru_cache

from dateutil.rrule import rrule, rrulestr

from .errors import ValidationError


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


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day)


@lru_cache(maxsize=4096)
def _parsed(rule: str, anchor: dt.date) -> rrule:
    try:
        parsed = rrulestr(rule, dtstart=_midnight(anchor), ignoretz=True)
    except (ValueError, TypeError) as exc:
        raise ValidationError(f"The recurrence rule {rule!r} cannot be read: {exc}.") from exc
    if not isinstance(parsed, rrule):
        raise ValidationError(f"The recurrence rule {rule!r} must be a single RRULE.")
    return parsed


def occurrences(rule: str, anchor: dt.date, start: dt.date, end: dt.date) -> list[dt.date]:
    """Dates of ``rule`` counted from ``anchor`` that fall in ``[start, end)``."""
    if end <= start:
        return []
    parsed = _parsed(rule, anchor)
    hits = parsed.between(_midnight(start), _midnight(end), inc=True)
    return [hit.date() for hit in hits if hit.date() < end]


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
