"""A client's meetings, past and planned, each with its state in words and its prep count.

The state of a held meeting (on time, early, late) and of a slot nobody held (overdue,
missed) is judged by the drift engine exactly as the Year page judges it
(``services.drift.assess_all`` for this client, mapped with ``year_grid.HELD_STATE``);
nothing is re-derived here. Slots that passed with no meeting at all are listed too,
with ``meeting_id`` None, because a missed meeting is part of the client's story.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Integer, case, func, select

from vcio_desk.domain.drift import SlotState
from vcio_desk.domain.vocab import MeetingStatus
from vcio_desk.store import Store
from vcio_desk.store import models as m

from .drift import assess_all
from .meeting_common import zone_or_utc
from .year_grid import HELD_STATE, CellState

UNMET = {SlotState.OVERDUE: CellState.OVERDUE, SlotState.MISSED: CellState.MISSED}


@dataclass(frozen=True, slots=True)
class ClientMeeting:
    meeting_id: int | None
    """None for a slot that passed with nothing booked or held."""
    day: dt.date
    """The day it was held (held meetings), else its local scheduled day (or the slot)."""
    start: str
    """Local start "HH:MM" ("" for a missed slot)."""
    meeting_type_key: str
    meeting_type: str
    status: MeetingStatus | None
    state: CellState
    owner: str
    prep_done: int
    prep_total: int
    slot: dt.date | None

    def is_upcoming(self, as_of: dt.date) -> bool:
        """Dated today or later and not held yet (a cancelled one says so in its state)."""
        return (
            self.meeting_id is not None
            and self.status is not MeetingStatus.HELD
            and self.day >= as_of
        )

    def is_planned(self, as_of: dt.date) -> bool:
        """Still going to happen: upcoming, proposed or confirmed."""
        return self.is_upcoming(as_of) and self.status is not MeetingStatus.CANCELLED


def client_meetings(store: Store, client_id: int, as_of: dt.date) -> list[ClientMeeting]:
    """Every meeting of the client and every missed slot, by date (then start)."""
    report = assess_all(store, as_of, client_id=client_id)
    held_state: dict[int, CellState] = {}
    unmet: dict[tuple[int, dt.date], CellState] = {}
    missed: list[tuple[int, ClientMeeting]] = []
    for rhythm in report.rhythms:
        if rhythm.subject_kind != "client" or rhythm.subject_id != client_id:
            continue
        for slot in rhythm.assessment.slots:
            if slot.meeting_id is not None and slot.state in HELD_STATE:
                held_state[slot.meeting_id] = HELD_STATE[slot.state]
            elif slot.state in UNMET:
                state = UNMET[slot.state]
                unmet[(rhythm.rhythm_id, slot.nominal)] = state
                gap = ClientMeeting(
                    None,
                    slot.nominal,
                    "",
                    rhythm.meeting_type_key,
                    rhythm.meeting_type,
                    None,
                    state,
                    rhythm.owner,
                    0,
                    0,
                    slot.nominal,
                )
                missed.append((rhythm.rhythm_id, gap))
    prep = (
        select(
            m.PrepItem.meeting_id,
            func.count().label("total"),
            func.sum(case((m.PrepItem.done, 1), else_=0), type_=Integer).label("done"),
        )
        .join(m.Meeting, m.Meeting.id == m.PrepItem.meeting_id)
        .where(m.Meeting.client_id == client_id)
        .group_by(m.PrepItem.meeting_id)
        .subquery()
    )
    query = (
        select(
            m.Meeting.id,
            m.Meeting.status,
            m.Meeting.scheduled_start,
            m.Meeting.timezone,
            m.Meeting.held_date,
            m.Meeting.rhythm_id,
            m.Meeting.slot_date,
            m.MeetingType.key,
            m.MeetingType.name,
            m.Staff.name.label("owner"),
            prep.c.done,
            prep.c.total,
        )
        .join(m.MeetingType, m.MeetingType.id == m.Meeting.meeting_type_id)
        .outerjoin(m.Staff, m.Staff.id == m.Meeting.owner_id)
        .outerjoin(prep, prep.c.meeting_id == m.Meeting.id)
        .where(m.Meeting.client_id == client_id)
    )
    with store.session() as session:
        found = session.execute(query).all()
    taken = {(row.rhythm_id, row.slot_date) for row in found if row.slot_date is not None}
    rows = [row for rhythm_id, row in missed if (rhythm_id, row.slot) not in taken]
    for row in found:
        status = MeetingStatus(row.status)
        local = row.scheduled_start.astimezone(zone_or_utc(row.timezone))
        day = row.held_date if status is MeetingStatus.HELD and row.held_date else local.date()
        if status is MeetingStatus.HELD:
            state = held_state.get(row.id, CellState.HELD)
        elif status is MeetingStatus.CANCELLED:
            state = CellState.CANCELLED
        else:
            state = unmet.get((row.rhythm_id, row.slot_date), CellState(status.value))
        rows.append(
            ClientMeeting(
                row.id,
                day,
                local.strftime("%H:%M"),
                row.key,
                row.name,
                status,
                state,
                row.owner or "",
                row.done or 0,
                row.total or 0,
                row.slot_date,
            )
        )
    rows.sort(key=lambda r: (r.day, r.start, r.meeting_id or 0))
    return rows
