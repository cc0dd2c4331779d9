"""Rhythms and their meeting history: mostly on time, some drifting, a few overdue or broken."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from vcio_desk.domain.slots import Slot, VersionSpec, slots

from .rows import RowBuffer

# Share of rhythms per behaviour; the rest behave well.
PROFILES = (
    ("good", 0.72),
    ("drifting", 0.09),
    ("overdue", 0.07),
    ("broken", 0.05),
    ("rough", 0.07),
)
CANCEL_REASONS = (
    "Client asked to postpone (quarter-end close)",
    "Decision maker on leave",
    "Clashed with an office move",
    "Rescheduled after a security incident",
)
LOCATIONS = ("Client office", "Microsoft Teams", "Our office", "Microsoft Teams")


@dataclass(frozen=True)
class MeetingTypeInfo:
    id: int
    key: str
    start: dt.time
    minutes: int


@dataclass
class SubjectRef:
    client_id: int | None
    body_id: int | None
    timezone: str
    owner: tuple[int, str]


@dataclass
class GeneratedMeeting:
    id: int
    type_key: str
    subject: SubjectRef
    day: dt.date
    status: str


@dataclass
class HistoryContext:
    rng: random.Random
    buffer: RowBuffer
    as_of: dt.date
    horizon: dt.date
    meetings: list[GeneratedMeeting] = field(default_factory=list)


def weekday_on_or_after(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def weekday_on_or_before(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def add_rhythm(
    ctx: HistoryContext,
    subject: SubjectRef,
    mtype: MeetingTypeInfo,
    versions: list[tuple[VersionSpec, str]],
    active: bool,
    start: dt.date,
    profile: str | None = None,
) -> int:
    """Write one rhythm with its versions and a meeting for every slot up to the horizon."""
    rhythm_id = ctx.buffer.add(
        "rhythms",
        client_id=subject.client_id,
        internal_body_id=subject.body_id,
        meeting_type_id=mtype.id,
        owner_id=subject.owner[0],
        active=active,
    )
    for spec, reason in versions:
        ctx.buffer.add(
            "rhythm_versions",
            rhythm_id=rhythm_id,
            rrule=spec.rule,
            anchor_date=spec.anchor,
            tolerance_days=spec.tolerance_days,
            effective_from=spec.effective_from,
            reason=reason,
            author=subject.owner[1],
        )
    if profile is None:
        names, weights = zip(*PROFILES, strict=True)
        profile = ctx.rng.choices(names, weights)[0]
    end = ctx.horizon if active else ctx.as_of - dt.timedelta(days=ctx.rng.randint(30, 200))
    all_slots = slots([spec for spec, _ in versions], start, end)
    past = [s for s in all_slots if s.nominal + dt.timedelta(days=s.tolerance_days) < ctx.as_of]
    unheld = _unheld_indexes(ctx.rng, profile, len(past))
    drifting_from = len(past) - ctx.rng.randint(3, 5) if profile == "drifting" else len(past)
    for index, slot in enumerate(all_slots):
        if index < len(past):
            _past_slot(
                ctx,
                rhythm_id,
                subject,
                mtype,
                slot,
                profile,
                index in unheld,
                index >= drifting_from,
            )
        else:
            _open_slot(ctx, rhythm_id, subject, mtype, slot)
    return rhythm_id


def _unheld_indexes(rng: random.Random, profile: str, past_count: int) -> set[int]:
    if past_count == 0:
        return set()
    if profile == "overdue":
        return {past_count - 1}
    if profile == "broken":
        return {past_count - 1, past_count - 2}
    # Well-run rhythms still miss the odd slot long ago.
    return {i for i in range(past_count - 3) if rng.random() < 0.03}


def _past_slot(
    ctx: HistoryContext,
    rhythm_id: int,
    subject: SubjectRef,
    mtype: MeetingTypeInfo,
    slot: Slot,
    profile: str,
    unheld: bool,
    drifting: bool,
) -> None:
    rng, w = ctx.rng, slot.tolerance_days
    if unheld:
        if rng.random() < 0.5:
            _meeting(
                ctx,
                rhythm_id,
                subject,
                mtype,
                slot,
                weekday_on_or_after(slot.nominal),
                "cancelled",
                cancel_reason=rng.choice(CANCEL_REASONS),
            )
        return
    if drifting:
        delta = w + rng.randint(3, 12)
    elif profile == "rough" and rng.random() < 0.3:
        planned = weekday_on_or_after(slot.nominal)
        _meeting(
            ctx,
            rhythm_id,
            subject,
            mtype,
            slot,
            planned,
            "cancelled",
            cancel_reason=rng.choice(CANCEL_REASONS),
        )
        delta = rng.randint(max(1, w // 2), w + 7)
    else:
        spread = max(1.0, w / 2.5)
        delta = round(rng.gauss(0, spread))
        if rng.random() < 0.06:
            delta = w + rng.randint(1, 6)
    held = slot.nominal + dt.timedelta(days=delta)
    held = weekday_on_or_before(held) if delta > 0 else weekday_on_or_after(held)
    held = min(held, ctx.as_of - dt.timedelta(days=1))
    _meeting(ctx, rhythm_id, subject, mtype, slot, held, "held", held_date=held)


def _open_slot(
    ctx: HistoryContext, rhythm_id: int, subject: SubjectRef, mtype: MeetingTypeInfo, slot: Slot
) -> None:
    """A slot whose window has not closed: held already, booked, or still only proposed."""
    rng = ctx.rng
    window_open = slot.nominal - dt.timedelta(days=slot.tolerance_days)
    day = weekday_on_or_after(slot.nominal)
    if window_open < ctx.as_of and rng.random() < 0.5:
        held = weekday_on_or_before(min(day, ctx.as_of - dt.timedelta(days=1)))
        if held >= window_open:
            _meeting(ctx, rhythm_id, subject, mtype, slot, held, "held", held_date=held)
            return
    day = max(day, weekday_on_or_after(ctx.as_of + dt.timedelta(days=1)))
    days_ahead = (day - ctx.as_of).days
    booked = days_ahead <= 45 and rng.random() < (0.92 if days_ahead > 7 else 0.97)
    _meeting(ctx, rhythm_id, subject, mtype, slot, day, "confirmed" if booked else "proposed")


def _meeting(
    ctx: HistoryContext,
    rhythm_id: int,
    subject: SubjectRef,
    mtype: MeetingTypeInfo,
    slot: Slot,
    day: dt.date,
    status: str,
    held_date: dt.date | None = None,
    cancel_reason: str = "",
) -> None:
    zone = ZoneInfo(subject.timezone)
    start = dt.datetime.combine(day, mtype.start, tzinfo=zone).astimezone(dt.UTC)
    meeting_id = ctx.buffer.add(
        "meetings",
        client_id=subject.client_id,
        internal_body_id=subject.body_id,
        meeting_type_id=mtype.id,
        rhythm_id=rhythm_id,
        slot_date=slot.nominal,
        owner_id=subject.owner[0],
        scheduled_start=start,
        scheduled_end=start + dt.timedelta(minutes=mtype.minutes),
        timezone=subject.timezone,
        status=status,
        user_touched=status != "proposed",
        held_date=held_date,
        cancel_reason=cancel_reason,
        location=ctx.rng.choice(LOCATIONS) if subject.client_id else "Boardroom",
    )
    ctx.meetings.append(GeneratedMeeting(meeting_id, mtype.key, subject, day, status))
