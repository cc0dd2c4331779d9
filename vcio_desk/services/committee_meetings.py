"""The standards committee's meetings with their agenda and minutes, read with Core queries.

Kept apart from ``services.committee`` (proposals and decisions) so each stays small;
the committee service attaches each meeting's decisions.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from vcio_desk.domain.vocab import BodyKind, MeetingStatus
from vcio_desk.store import models as m

if TYPE_CHECKING:
    from .committee import DecisionView


@dataclass(frozen=True, slots=True)
class CommitteeBody:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class AgendaLine:
    title: str
    minutes: int
    presenter: str
    notes: str


@dataclass(frozen=True, slots=True)
class CommitteeMeeting:
    id: int
    day: dt.date
    """The day it was held, else the day it is scheduled for (the committee's own zone)."""
    start: dt.datetime
    """Scheduled local start."""
    status: MeetingStatus
    agenda: tuple[AgendaLine, ...]
    minutes: str
    """The meeting's notes."""
    internal_notes: str
    decisions_text: str
    """Decisions as typed into the meeting's notes (the recorded ones are ``decisions``)."""
    decisions: tuple[DecisionView, ...] = ()

    def with_decisions(self, decisions: tuple[DecisionView, ...]) -> CommitteeMeeting:
        return dataclasses.replace(self, decisions=decisions)


def committee_body(session: Session) -> CommitteeBody | None:
    """The (first) internal body of kind ``standards_committee``."""
    row = session.execute(
        select(m.InternalBody.id, m.InternalBody.name)
        .where(m.InternalBody.kind == BodyKind.STANDARDS_COMMITTEE)
        .order_by(m.InternalBody.active.desc(), m.InternalBody.id)
        .limit(1)
    ).first()
    return CommitteeBody(row[0], row[1]) if row else None


def _zone(name: str) -> dt.tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def load_meetings(
    session: Session, body_id: int, as_of: dt.date
) -> tuple[list[CommitteeMeeting], list[CommitteeMeeting]]:
    """(past meetings newest first, upcoming meetings soonest first) of the committee.

    Past: held ones, and those dated before ``as_of`` that were confirmed or cancelled
    (a proposed date that passed without a meeting is not a meeting). Upcoming:
    proposed or confirmed from ``as_of`` on.
    """
    rows = session.execute(
        select(
            m.Meeting.id,
            m.Meeting.scheduled_start,
            m.Meeting.timezone,
            m.Meeting.status,
            m.Meeting.held_date,
            m.Meeting.client_notes,
            m.Meeting.internal_notes,
            m.Meeting.decisions,
        ).where(m.Meeting.internal_body_id == body_id)
    ).all()
    agenda: dict[int, list[AgendaLine]] = {}
    for row in session.execute(
        select(
            m.AgendaItem.meeting_id,
            m.AgendaItem.title,
            m.AgendaItem.minutes,
            m.AgendaItem.presenter,
            m.AgendaItem.notes,
        )
        .join(m.Meeting, m.Meeting.id == m.AgendaItem.meeting_id)
        .where(m.Meeting.internal_body_id == body_id)
        .order_by(m.AgendaItem.meeting_id, m.AgendaItem.position, m.AgendaItem.id)
    ):
        agenda.setdefault(row[0], []).append(
            AgendaLine(row[1], row[2] or 0, row[3] or "", row[4] or "")
        )
    past, upcoming = [], []
    zones: dict[str, dt.tzinfo] = {}
    for row in rows:
        zone = zones.setdefault(row.timezone, _zone(row.timezone))
        start = row.scheduled_start.astimezone(zone)
        status = MeetingStatus(row.status)
        meeting = CommitteeMeeting(
            id=row.id,
            day=row.held_date or start.date(),
            start=start,
            status=status,
            agenda=tuple(agenda.get(row.id, ())),
            minutes=row.client_notes or "",
            internal_notes=row.internal_notes or "",
            decisions_text=row.decisions or "",
        )
        if status is MeetingStatus.HELD or (
            meeting.day < as_of and status is not MeetingStatus.PROPOSED
        ):
            past.append(meeting)
        elif meeting.day >= as_of and status in (MeetingStatus.PROPOSED, MeetingStatus.CONFIRMED):
            upcoming.append(meeting)
    past.sort(key=_newest_first)
    upcoming.sort(key=lambda x: (x.start, x.id))
    return past, upcoming


def _newest_first(meeting: CommitteeMeeting) -> Any:
    return (-meeting.day.toordinal(), -meeting.start.timestamp(), -meeting.id)
