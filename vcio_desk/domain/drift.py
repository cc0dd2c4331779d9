"""Drift and adherence (PRODUCT.md §3.2–3.5): match held meetings to slots, judge each slot
as of a date, and flag the rhythm with a reason a person can read.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from .slots import Slot

ADHERENCE_DAYS = 365
DEFAULT_LEAD_DAYS = 21


class SlotState(StrEnum):
    ON_TIME = "on_time"
    EARLY = "early"
    LATE = "late"
    UPCOMING = "upcoming"
    DUE = "due"
    OVERDUE = "overdue"
    MISSED = "missed"


class Flag(StrEnum):
    """Most severe first: the order is the ranking of the drift list."""

    BROKEN = "broken"
    OVERDUE = "overdue"
    DRIFTING = "drifting"
    UNBOOKED = "unbooked"
    OK = "ok"

    @property
    def severity(self) -> int:
        return list(Flag).index(self)


HELD_STATES = frozenset({SlotState.ON_TIME, SlotState.EARLY, SlotState.LATE})
UNMET_STATES = frozenset({SlotState.OVERDUE, SlotState.MISSED})
OPEN_STATES = frozenset({SlotState.UPCOMING, SlotState.DUE})


@dataclass(frozen=True, slots=True)
class HeldMeeting:
    meeting_id: int
    held: dt.date


@dataclass(frozen=True, slots=True)
class SlotResult:
    nominal: dt.date
    tolerance_days: int
    state: SlotState
    held: dt.date | None = None
    meeting_id: int | None = None
    delta_days: int | None = None
    booked: dt.date | None = None
    extra: tuple[int, ...] = ()
    """Further held meetings that landed on this slot: reported, never penalised."""


@dataclass(frozen=True)
class Assessment:
    as_of: dt.date
    flag: Flag
    reason: str
    slots: tuple[SlotResult, ...]
    adherence_pct: float | None
    drift_days: float | None
    interval_ratio: float | None
    last_held: dt.date | None
    next_due: dt.date | None
    ignored: tuple[int, ...] = field(default=())
    """Held meetings dated before the first slot's window: ignored by the rules."""


def match(
    slots: Sequence[Slot], held: Sequence[HeldMeeting]
) -> tuple[dict[int, list[HeldMeeting]], list[int]]:
    """Held meetings per slot index (nearest slot, tie to the earlier), and the ignored ones."""
    assigned: dict[int, list[HeldMeeting]] = {}
    ignored: list[int] = []
    if not slots:
        return assigned, [h.meeting_id for h in held]
    days = [s.nominal for s in slots]
    earliest = days[0] - dt.timedelta(days=slots[0].tolerance_days)
    for meeting in held:
        if meeting.held < earliest:
            ignored.append(meeting.meeting_id)
            continue
        i = bisect.bisect_left(days, meeting.held)
        if i == len(days):
            index = i - 1
        elif i == 0 or days[i] == meeting.held:
            index = i
        else:
            before, after = meeting.held - days[i - 1], days[i] - meeting.held
            index = i - 1 if before <= after else i
        assigned.setdefault(index, []).append(meeting)
    return assigned, ignored


def _counted(slot: Slot, meetings: list[HeldMeeting]) -> tuple[HeldMeeting, tuple[int, ...]]:
    if len(meetings) == 1:  # the usual case: no ranking needed
        return meetings[0], ()
    ranked = sorted(
        meetings, key=lambda h: (abs((h.held - slot.nominal).days), h.held, h.meeting_id)
    )
    return ranked[0], tuple(h.meeting_id for h in ranked[1:])


def slot_states(
    slots: Sequence[Slot],
    held: Sequence[HeldMeeting],
    as_of: dt.date,
    booked: dict[dt.date, dt.date] | None = None,
) -> tuple[list[SlotResult], list[int]]:
    """Each slot's state as of ``as_of`` (§3.3). Meetings held after ``as_of`` do not count yet."""
    booked = booked or {}
    known = [h for h in held if h.held <= as_of]
    assigned, ignored = match(slots, known)
    results: list[SlotResult] = []
    for i, slot in enumerate(slots):
        w = slot.tolerance_days
        if i in assigned:
            counted, extra = _counted(slot, assigned[i])
            delta = (counted.held - slot.nominal).days
            state = (
                SlotState.ON_TIME
                if abs(delta) <= w
                else (SlotState.EARLY if delta < 0 else SlotState.LATE)
            )
            results.append(
                SlotResult(
                    slot.nominal,
                    w,
                    state,
                    counted.held,
                    counted.meeting_id,
                    delta,
                    booked.get(slot.nominal),
                    extra,
                )
            )
            continue
        if i + 1 < len(slots):
            last_nearer = slot.nominal + dt.timedelta(
                days=(slots[i + 1].nominal - slot.nominal).days // 2
            )
        else:
            last_nearer = slot.nominal + dt.timedelta(days=w)
        if as_of < slot.nominal - dt.timedelta(days=w):
            state = SlotState.UPCOMING
        elif as_of <= slot.nominal + dt.timedelta(days=w):
            state = SlotState.DUE
        elif as_of <= last_nearer:
            state = SlotState.OVERDUE
        else:
            state = SlotState.MISSED
        results.append(SlotResult(slot.nominal, w, state, booked=booked.get(slot.nominal)))
    return results, ignored


def assess(
    slots: Sequence[Slot],
    held: Sequence[HeldMeeting],
    as_of: dt.date,
    *,
    booked: dict[dt.date, dt.date] | None = None,
    lead_days: int = DEFAULT_LEAD_DAYS,
    label: str = "Meeting",
) -> Assessment:
    """Figures (§3.4) and flag with its reason (§3.5) for one rhythm as of ``as_of``.

    ``booked`` maps a slot date to the date of a confirmed meeting for it; ``label`` names
    the meeting in reasons ("vCIO strategic meeting").
    """
    results, ignored = slot_states(slots, held, as_of, booked)
    past = [r for r in results if r.state not in OPEN_STATES]
    counted = [r for r in results if r.state in HELD_STATES]
    window_start = as_of - dt.timedelta(days=ADHERENCE_DAYS)
    judged = [r for r in past if window_start < r.nominal <= as_of]
    adherence = (
        100.0 * sum(r.state is SlotState.ON_TIME for r in judged) / len(judged) if judged else None
    )
    recent = counted[-3:]
    drift = sum(r.delta_days or 0 for r in recent) / len(recent) if recent else None
    ratio = _interval_ratio(counted[-4:])
    next_open = next((r for r in results if r.state in OPEN_STATES), None)
    last_held = max((r.held for r in counted if r.held), default=None)
    flag, reason = _flag(past, counted, drift, next_open, as_of, lead_days, label, last_held)
    return Assessment(
        as_of=as_of,
        flag=flag,
        reason=reason,
        slots=tuple(results),
        adherence_pct=adherence,
        drift_days=drift,
        interval_ratio=ratio,
        last_held=last_held,
        next_due=next_open.nominal if next_open else None,
        ignored=tuple(ignored),
    )


def _interval_ratio(last: list[SlotResult]) -> float | None:
    if len(last) < 2:
        return None
    held_span = (last[-1].held - last[0].held).days  # type: ignore[operator]
    slot_span = (last[-1].nominal - last[0].nominal).days
    return None if slot_span <= 0 else held_span / slot_span


def _days(n: int) -> str:
    return f"{n} day" if abs(n) == 1 else f"{n} days"


def _flag(
    past: list[SlotResult],
    counted: list[SlotResult],
    drift: float | None,
    next_open: SlotResult | None,
    as_of: dt.date,
    lead_days: int,
    label: str,
    last_held: dt.date | None,
) -> tuple[Flag, str]:
    def past_tolerance(r: SlotResult) -> int:
        return (as_of - r.nominal).days - r.tolerance_days

    if len(past) >= 2 and past[-1].state in UNMET_STATES and past[-2].state in UNMET_STATES:
        a, b = past[-2], past[-1]
        return Flag.BROKEN, (
            f"Last two {label}s, due {a.nominal.isoformat()} and {b.nominal.isoformat()}, "
            f"not held; {_days(past_tolerance(b))} past tolerance"
        )
    if past and past[-1].state in UNMET_STATES:
        r = past[-1]
        return Flag.OVERDUE, (
            f"{label} due {r.nominal.isoformat()} not held; "
            f"{_days(past_tolerance(r))} past tolerance"
        )
    if counted and drift is not None and abs(drift) > counted[-1].tolerance_days:
        n = len(counted[-3:])
        direction = "late" if drift > 0 else "early"
        which = f"Last {n} {label}s held" if n > 1 else f"Last {label} held"
        return Flag.DRIFTING, (
            f"{which} {abs(drift):.0f} days {direction}"
            + (" on average" if n > 1 else "")
            + f" (tolerance ±{counted[-1].tolerance_days})"
        )
    if next_open is not None and next_open.booked is None:
        days_to = (next_open.nominal - as_of).days
        if days_to <= lead_days:
            when = f"in {_days(days_to)}" if days_to >= 0 else f"{_days(-days_to)} ago"
            return Flag.UNBOOKED, (
                f"Next {label} due {next_open.nominal.isoformat()} ({when}) is not booked"
            )
    if not past and next_open is None:
        return Flag.OK, "No slots yet"
    held_text = f"last held {last_held.isoformat()}" if last_held else "nothing held yet"
    due_text = f"next due {next_open.nominal.isoformat()}" if next_open else "no further slots"
    return Flag.OK, f"On track: {held_text}, {due_text}"
