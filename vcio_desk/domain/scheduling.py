"""Picking the day for a slot's meeting (PRODUCT.md §3.8), with no I/O.

The slot date is tried first, then the days around it, nearest first and the
earlier one on a tie, never beyond the tolerance. A day fits when it is not a
weekend, not a public holiday of the subject, and the owner still has capacity.
When nothing in the tolerance fits, the best day is kept and the conflict is
explained: the nearest working day if there is one, else the slot date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

HolidayLookup = Callable[[dt.date], str | None]
"""The holiday's name on a day, or None."""
LoadLookup = Callable[[dt.date], int]
"""How many meetings the owner already has on a day."""


@dataclass(frozen=True, slots=True)
class DayChoice:
    day: dt.date
    moved_because: str | None
    """Why the meeting is not on its slot date (None when it is)."""
    conflict: str | None
    """Set when no day in the tolerance fits: what stood in the way."""


def candidates(nominal: dt.date, tolerance_days: int) -> Iterator[dt.date]:
    """The slot date, then nearest first, the earlier day winning a tie."""
    yield nominal
    for distance in range(1, tolerance_days + 1):
        yield nominal - dt.timedelta(days=distance)
        yield nominal + dt.timedelta(days=distance)


def _blocker(day: dt.date, holiday: HolidayLookup) -> str | None:
    if day.weekday() >= 5:
        return "weekend"
    name = holiday(day)
    return f"holiday: {name}" if name else None


def choose_day(
    nominal: dt.date,
    tolerance_days: int,
    holiday: HolidayLookup,
    load: LoadLookup,
    capacity: int | None,
) -> DayChoice:
    """The day a new meeting for this slot should go on, and why it moved if it did."""

    def has_room(day: dt.date) -> bool:
        return capacity is None or load(day) < capacity

    nominal_blocker = _blocker(nominal, holiday)
    first_working: dt.date | None = None
    for day in candidates(nominal, tolerance_days):
        if _blocker(day, holiday) is not None:
            continue
        first_working = first_working or day
        if has_room(day):
            moved = None if day == nominal else _reason(nominal, nominal_blocker, capacity)
            return DayChoice(day, moved, None)
    if first_working is None:
        problem = "every day is a weekend or a public holiday"
    else:
        problem = f"the owner is at capacity ({capacity} a day) on every working day"
    conflict = f"No day within ±{tolerance_days} days of {nominal.isoformat()} fits: {problem}."
    best = first_working or nominal
    moved = None if best == nominal else _reason(nominal, nominal_blocker, capacity)
    return DayChoice(best, moved, conflict)


def _reason(nominal: dt.date, blocker: str | None, capacity: int | None) -> str:
    if blocker is not None:
        return (
            f"{nominal.isoformat()} is a {blocker}"
            if blocker == "weekend"
            else (f"{nominal.isoformat()} is a public {blocker}")
        )
    return f"the owner already has {capacity} meetings on {nominal.isoformat()}"
