"""The Year page's data: subjects × 12 months of meetings with their state, and capacity.

Held meetings take their state from the drift engine (on time, early, late);
slots that passed with nothing held appear as missed (or overdue) even though
no meeting row exists for them. The page adapts these rows; it runs no SQL.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import aliased

from vcio_desk.domain.drift import SlotState
from vcio_desk.domain.vocab import MeetingStatus
from vcio_desk.store import Store
from vcio_desk.store import models as m

from .drift import DriftReport, assess_all


class CellState(StrEnum):
    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    HELD_ON_TIME = "held_on_time"
    HELD_EARLY = "held_early"
    HELD_LATE = "held_late"
    HELD = "held"
    """Held but not the meeting counted for its slot (an extra, or no rhythm)."""
    OVERDUE = "overdue"
    MISSED = "missed"
    CANCELLED = "cancelled"


HELD_STATE = {
    SlotState.ON_TIME: CellState.HELD_ON_TIME,
    SlotState.EARLY: CellState.HELD_EARLY,
    SlotState.LATE: CellState.HELD_LATE,
}


@dataclass(frozen=True, slots=True)
class GridMeeting:
    meeting_id: int | None
    """None for a missed slot: nothing was booked or held for it."""
    day: dt.date
    state: CellState
    meeting_type_key: str
    meeting_type: str
    owner_id: int | None
    owner: str
    slot: dt.date | None
    start: str
    """Local start time "HH:MM" ("" for a missed slot)."""


@dataclass(frozen=True, slots=True)
class GridRow:
    subject_kind: str
    subject_id: int
    subject: str
    tier: str | None
    vcio_id: int | None
    tam_id: int | None
    account_manager_id: int | None
    months: tuple[tuple[GridMeeting, ...], ...]
    """Twelve tuples, January first; each sorted by day."""

    @property
    def owner_ids(self) -> frozenset[int]:
        return frozenset(
            g.owner_id for month in self.months for g in month if g.owner_id is not None
        )


@dataclass(frozen=True, slots=True)
class CapacityRow:
    owner_id: int
    owner: str
    meetings: tuple[int, ...]
    """Meetings a month (not cancelled), January first."""
    capacity: tuple[int, ...]
    """Daily capacity × working days (Mon–Fri) of each month."""

    @property
    def over(self) -> tuple[bool, ...]:
        return tuple(n > c for n, c in zip(self.meetings, self.capacity, strict=True))


@dataclass(frozen=True)
class YearGrid:
    year: int
    as_of: dt.date
    rows: list[GridRow]
    capacity: list[CapacityRow]
    staff: dict[int, str]
    meeting_types: list[tuple[str, str]]


def _working_days(year: int, month: int) -> int:
    weeks = calendar.Calendar().itermonthdays2(year, month)
    return sum(1 for day, weekday in weeks if day and weekday < 5)


def year_grid(
    store: Store, year: int, as_of: dt.date, drift: DriftReport | None = None
) -> YearGrid:
    """The wall planner for ``year``; pass a fresh ``drift`` report to avoid computing it twice."""
    drift = drift or assess_all(store, as_of)
    first, last = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    lo = dt.datetime.combine(first - dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    hi = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    am = aliased(m.Staff)
    with store.session() as session:
        connection = session.connection()
        staff = dict(connection.execute(select(m.Staff.id, m.Staff.name)).all())
        capacity = dict(connection.execute(select(m.Staff.id, m.Staff.daily_capacity)).all())
        types = connection.execute(
            select(m.MeetingType.id, m.MeetingType.key, m.MeetingType.name).order_by(
                m.MeetingType.id
            )
        ).all()
        clients = connection.execute(
            select(
                m.Client.id, m.Client.name, m.Client.tier, m.Client.vcio_id, m.Client.tam_id, am.id
            )
            .outerjoin(am, am.id == m.Client.account_manager_id)
            .where(m.Client.active)
            .order_by(m.Client.name)
        ).all()
        bodies = connection.execute(
            select(m.InternalBody.id, m.InternalBody.name)
            .where(m.InternalBody.active)
            .order_by(m.InternalBody.name)
        ).all()
        meetings = connection.execute(
            select(
                m.Meeting.id,
                m.Meeting.client_id,
                m.Meeting.internal_body_id,
                m.Meeting.meeting_type_id,
                m.Meeting.status,
                m.Meeting.scheduled_start,
                m.Meeting.timezone,
                m.Meeting.held_date,
                m.Meeting.owner_id,
                m.Meeting.slot_date,
            ).where(m.Meeting.scheduled_start >= lo, m.Meeting.scheduled_start < hi)
        ).all()
    type_by_id = {tid: (key, name) for tid, key, name in types}
    type_by_key = {key: name for _tid, key, name in types}

    held_state: dict[int, CellState] = {}
    cells: dict[tuple[str, int], list[list[GridMeeting]]] = defaultdict(
        lambda: [[] for _ in range(12)]
    )
    for rhythm in drift.rhythms:
        for slot in rhythm.assessment.slots:
            if slot.meeting_id is not None and slot.state in HELD_STATE:
                held_state[slot.meeting_id] = HELD_STATE[slot.state]
            elif (
                slot.state in (SlotState.MISSED, SlotState.OVERDUE) and first <= slot.nominal < last
            ):
                cells[(rhythm.subject_kind, rhythm.subject_id)][slot.nominal.month - 1].append(
                    GridMeeting(
                        None,
                        slot.nominal,
                        CellState(slot.state.value),
                        rhythm.meeting_type_key,
                        rhythm.meeting_type,
                        rhythm.owner_id,
                        rhythm.owner,
                        slot.nominal,
                        "",
                    )
                )

    per_owner: dict[int, list[int]] = defaultdict(lambda: [0] * 12)
    zones: dict[str, ZoneInfo] = {}
    for row in meetings:
        zone = zones.setdefault(row.timezone, ZoneInfo(row.timezone))
        local = row.scheduled_start.astimezone(zone)
        status = MeetingStatus(row.status)
        day = row.held_date if status is MeetingStatus.HELD and row.held_date else local.date()
        if not first <= day < last:
            continue
        if status is MeetingStatus.HELD:
            state = held_state.get(row.id, CellState.HELD)
        else:
            state = CellState(status.value)
        key, name = type_by_id[row.meeting_type_id]
        subject = ("client", row.client_id) if row.client_id else ("internal", row.internal_body_id)
        cells[subject][day.month - 1].append(
            GridMeeting(
                row.id,
                day,
                state,
                key,
                name,
                row.owner_id,
                staff.get(row.owner_id, "") if row.owner_id else "",
                row.slot_date,
                local.strftime("%H:%M"),
            )
        )
        if row.owner_id is not None and status is not MeetingStatus.CANCELLED:
            per_owner[row.owner_id][day.month - 1] += 1

    def months_of(kind: str, subject_id: int) -> tuple[tuple[GridMeeting, ...], ...]:
        found = cells.get((kind, subject_id))
        if found is None:
            return tuple(() for _ in range(12))
        return tuple(tuple(sorted(month, key=lambda g: (g.day, g.start))) for month in found)

    rows = [
        GridRow("client", cid, name, str(tier), vcio, tam, am_id, months_of("client", cid))
        for cid, name, tier, vcio, tam, am_id in clients
    ]
    rows += [
        GridRow("internal", bid, name, None, None, None, None, months_of("internal", bid))
        for bid, name in bodies
    ]
    working = [_working_days(year, month) for month in range(1, 13)]
    capacity_rows = [
        CapacityRow(
            owner_id,
            staff.get(owner_id, "?"),
            tuple(counts),
            tuple(capacity.get(owner_id, 2) * w for w in working),
        )
        for owner_id, counts in sorted(per_owner.items(), key=lambda kv: staff.get(kv[0], ""))
    ]
    return YearGrid(year, as_of, rows, capacity_rows, staff, sorted(type_by_key.items()))
