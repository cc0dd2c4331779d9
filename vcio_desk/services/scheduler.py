"""Year-ahead scheduling (PRODUCT.md §3.8): one meeting for every slot of every active rhythm.

``plan_schedule`` is the dry run: what would be added (on the slot date or moved
to a working day with free capacity), what would be removed (proposed meetings
whose slot no longer exists), what is kept, and the conflicts. ``apply_schedule``
plans again inside one transaction and writes exactly that plan. Meetings that a
person confirmed, moved, held or cancelled are never touched.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field, replace

from dateutil.relativedelta import relativedelta
from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from vcio_desk.domain.errors import ValidationError
from vcio_desk.domain.scheduling import choose_day
from vcio_desk.domain.slots import slots
from vcio_desk.domain.vocab import MeetingStatus
from vcio_desk.store import Store
from vcio_desk.store import models as m

from .holiday_calendar import holiday_lookup
from .schedule_data import ExistingMeeting, RhythmInfo, ScheduleData, load, zone


@dataclass(frozen=True)
class ScheduleWindow:
    start: dt.date
    end: dt.date
    """Exclusive."""

    @classmethod
    def year(cls, year: int) -> ScheduleWindow:
        if not 1900 <= year <= 9000:
            raise ValidationError(f"Pick a year between 1900 and 9000, not {year}.")
        return cls(dt.date(year, 1, 1), dt.date(year + 1, 1, 1))

    @classmethod
    def twelve_months_from(cls, start: dt.date) -> ScheduleWindow:
        if start.year > 9000:
            raise ValidationError(f"{start} is too far in the future to plan from.")
        return cls(start, start + relativedelta(months=12))

    @property
    def label(self) -> str:
        if self.start.month == 1 and self.start.day == 1 and self.end.year == self.start.year + 1:
            return str(self.start.year)
        last = self.end - dt.timedelta(days=1)
        return f"{self.start.isoformat()} to {last.isoformat()}"


@dataclass(frozen=True, slots=True)
class ScheduledMeeting:
    meeting_id: int | None
    rhythm_id: int | None
    subject_kind: str
    subject_id: int
    subject: str
    meeting_type_id: int
    meeting_type: str
    slot: dt.date | None
    day: dt.date
    start_time: dt.time
    timezone: str
    duration_minutes: int
    owner_id: int | None
    owner: str
    status: str
    change: str
    """keep | add | move | remove"""
    moved_because: str | None = None
    conflict: str | None = None


@dataclass
class SchedulePlan:
    window: ScheduleWindow
    as_of: dt.date
    meetings: list[ScheduledMeeting] = field(default_factory=list)
    """Every meeting of the window after the plan: kept, added and moved, by day."""
    removed: list[ScheduledMeeting] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def added(self) -> list[ScheduledMeeting]:
        return [s for s in self.meetings if s.change in ("add", "move")]

    @property
    def moved(self) -> list[ScheduledMeeting]:
        return [s for s in self.meetings if s.change == "move"]

    @property
    def conflicts(self) -> list[ScheduledMeeting]:
        return [s for s in self.meetings if s.conflict]

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.removed)


def plan_schedule(store: Store, window: ScheduleWindow, as_of: dt.date) -> SchedulePlan:
    with store.session() as session:
        return _plan(session, window, as_of)


def apply_schedule(store: Store, window: ScheduleWindow, as_of: dt.date) -> SchedulePlan:
    """Plan and write in one transaction; running it again changes nothing."""
    with store.transaction() as session:
        plan = _plan(session, window, as_of)
        _write(session, plan)
    return plan


def _plan(session: Session, window: ScheduleWindow, as_of: dt.date) -> SchedulePlan:
    data = load(session, window.start, window.end)
    plan = SchedulePlan(window, as_of)
    by_slot: dict[tuple[int, dt.date], list[ExistingMeeting]] = {}
    for meeting in data.meetings:
        if meeting.rhythm_id is not None and meeting.slot is not None:
            by_slot.setdefault((meeting.rhythm_id, meeting.slot), []).append(meeting)

    pending: list[tuple[dt.date, int, RhythmInfo]] = []
    live_slots: set[tuple[int, dt.date]] = set()
    past_unmet = 0
    for rhythm in data.rhythms:
        if not rhythm.subject.active or not rhythm.versions:
            continue
        for slot in slots(rhythm.versions, window.start, window.end):
            live_slots.add((rhythm.id, slot.nominal))
            if (rhythm.id, slot.nominal) in by_slot:
                continue
            if slot.nominal + dt.timedelta(days=slot.tolerance_days) < as_of:
                past_unmet += 1
                continue
            pending.append((slot.nominal, slot.tolerance_days, rhythm))

    removed_ids: set[int] = set()
    for meeting in data.meetings:
        if _is_orphan(meeting, window, live_slots):
            removed_ids.add(meeting.id)
            plan.removed.append(_from_existing(meeting, data, "remove"))

    load_by_day: Counter[tuple[int, dt.date]] = Counter(
        (meeting.owner_id, meeting.local_day)
        for meeting in data.meetings
        if meeting.owner_id is not None
        and meeting.status != MeetingStatus.CANCELLED
        and meeting.id not in removed_ids
    )
    for meeting in data.meetings:
        if meeting.id not in removed_ids and window.start <= meeting.local_day < window.end:
            plan.meetings.append(_from_existing(meeting, data, "keep"))

    pending.sort(key=lambda item: (item[0], item[2].subject.name, item[2].id))
    years = (window.start.year - 1, window.end.year + 1)
    for nominal, tolerance, rhythm in pending:
        owner_id = _owner_of(rhythm, data)
        capacity = data.staff[owner_id][1] if owner_id in data.staff else None
        subject = rhythm.subject
        holidays = holiday_lookup(subject.country, subject.subdivision, *years)
        choice = choose_day(
            nominal,
            tolerance,
            holidays,
            lambda day, owner=owner_id: load_by_day[(owner, day)],
            capacity,
        )
        if owner_id is not None:
            load_by_day[(owner_id, choice.day)] += 1
        kind = data.types[rhythm.type_id]
        plan.meetings.append(
            ScheduledMeeting(
                meeting_id=None,
                rhythm_id=rhythm.id,
                subject_kind=subject.kind,
                subject_id=subject.id,
                subject=subject.name,
                meeting_type_id=rhythm.type_id,
                meeting_type=kind.name,
                slot=nominal,
                day=choice.day,
                start_time=kind.start,
                timezone=subject.timezone,
                duration_minutes=kind.minutes,
                owner_id=owner_id,
                owner=data.staff[owner_id][0] if owner_id in data.staff else "",
                status=MeetingStatus.PROPOSED.value,
                change="move" if choice.day != nominal else "add",
                moved_because=choice.moved_because,
                conflict=choice.conflict,
            )
        )
    plan.meetings.sort(key=lambda s: (s.day, s.start_time, s.subject, s.meeting_type))
    plan.notes.extend(_notes(data, pending, past_unmet))
    return plan


def _is_orphan(
    meeting: ExistingMeeting, window: ScheduleWindow, live_slots: set[tuple[int, dt.date]]
) -> bool:
    """A scheduler-made meeting in the window whose slot no longer exists."""
    if meeting.status != MeetingStatus.PROPOSED or meeting.user_touched:
        return False
    if meeting.slot is None or not window.start <= meeting.slot < window.end:
        return False
    return meeting.rhythm_id is None or (meeting.rhythm_id, meeting.slot) not in live_slots


def _owner_of(rhythm: RhythmInfo, data: ScheduleData) -> int | None:
    subject, kind = rhythm.subject, data.types[rhythm.type_id].kind
    if subject.kind == "client":
        chosen = subject.vcio_id if kind == "vcio" else subject.tam_id
        return chosen if chosen is not None else rhythm.owner_id
    return rhythm.owner_id if rhythm.owner_id is not None else subject.owner_id


def _from_existing(meeting: ExistingMeeting, data: ScheduleData, change: str) -> ScheduledMeeting:
    kind = data.types[meeting.type_id]
    local = meeting.start_utc.astimezone(zone(meeting.timezone))
    minutes = int((meeting.end_utc - meeting.start_utc).total_seconds() // 60)
    owner = data.staff.get(meeting.owner_id or -1, ("", 0))[0]
    return ScheduledMeeting(
        meeting_id=meeting.id,
        rhythm_id=meeting.rhythm_id,
        subject_kind=meeting.subject.kind,
        subject_id=meeting.subject.id,
        subject=meeting.subject.name,
        meeting_type_id=meeting.type_id,
        meeting_type=kind.name,
        slot=meeting.slot,
        day=local.date(),
        start_time=local.time().replace(tzinfo=None),
        timezone=meeting.timezone,
        duration_minutes=minutes,
        owner_id=meeting.owner_id,
        owner=owner,
        status=meeting.status,
        change=change,
    )


def _notes(
    data: ScheduleData, pending: list[tuple[dt.date, int, RhythmInfo]], past_unmet: int
) -> list[str]:
    notes = []
    no_country = sorted({r.subject.name for _, _, r in pending if not r.subject.country})
    if no_country:
        shown = ", ".join(no_country[:5]) + (" and others" if len(no_country) > 5 else "")
        notes.append(
            f"{len(no_country)} subject(s) have no country, so only weekends are avoided "
            f"for them (no public holidays): {shown}."
        )
    if past_unmet:
        notes.append(
            f"{past_unmet} slot(s) whose tolerance ended before today have no meeting; they "
            "were left alone (they count as missed)."
        )
    return notes


def _write(session: Session, plan: SchedulePlan) -> None:
    if plan.removed:
        ids = [s.meeting_id for s in plan.removed]
        session.execute(delete(m.Meeting).where(m.Meeting.id.in_(ids)))
    rows = []
    for item in plan.added:
        local = dt.datetime.combine(item.day, item.start_time, tzinfo=zone(item.timezone))
        start = local.astimezone(dt.UTC)
        rows.append(
            {
                "client_id": item.subject_id if item.subject_kind == "client" else None,
                "internal_body_id": item.subject_id if item.subject_kind == "internal" else None,
                "meeting_type_id": item.meeting_type_id,
                "rhythm_id": item.rhythm_id,
                "slot_date": item.slot,
                "owner_id": item.owner_id,
                "scheduled_start": start,
                "scheduled_end": start + dt.timedelta(minutes=item.duration_minutes),
                "timezone": item.timezone,
                "status": MeetingStatus.PROPOSED,
                "user_touched": False,
            }
        )
    if rows:
        session.execute(insert(m.Meeting), rows)


def with_ids(plan: SchedulePlan, ids: dict[tuple[int, dt.date], int]) -> SchedulePlan:
    """The plan with the ids of meetings it added (after ``apply_schedule``)."""
    meetings = [
        replace(s, meeting_id=ids.get((s.rhythm_id, s.slot))) if s.meeting_id is None else s
        for s in plan.meetings
    ]
    return replace(plan, meetings=meetings)
