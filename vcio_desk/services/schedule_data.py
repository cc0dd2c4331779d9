"""Everything the scheduler reads, in a handful of Core queries (no per-row lazy loads)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from vcio_desk.domain.slots import VersionSpec
from vcio_desk.store import models as m

from .rhythm_versions import versions_by_rhythm


@dataclass(frozen=True, slots=True)
class TypeInfo:
    key: str
    name: str
    kind: str
    start: dt.time
    minutes: int


@dataclass(frozen=True, slots=True)
class SubjectInfo:
    kind: str  # "client" | "internal"
    id: int
    name: str
    timezone: str
    country: str | None
    subdivision: str | None
    vcio_id: int | None
    tam_id: int | None
    owner_id: int | None
    active: bool


@dataclass(slots=True)
class RhythmInfo:
    id: int
    subject: SubjectInfo
    type_id: int
    owner_id: int | None
    versions: list[VersionSpec] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ExistingMeeting:
    id: int
    rhythm_id: int | None
    slot: dt.date | None
    start_utc: dt.datetime
    end_utc: dt.datetime
    timezone: str
    owner_id: int | None
    status: str
    user_touched: bool
    subject: SubjectInfo
    type_id: int

    @property
    def local_day(self) -> dt.date:
        return self.start_utc.astimezone(zone(self.timezone)).date()


@dataclass
class ScheduleData:
    staff: dict[int, tuple[str, int]]
    types: dict[int, TypeInfo]
    rhythms: list[RhythmInfo]
    meetings: list[ExistingMeeting]


@lru_cache(maxsize=512)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def load(session: Session, start: dt.date, end: dt.date, margin_days: int = 60) -> ScheduleData:
    """Staff, types, active rhythms with versions, and meetings near ``[start, end)``."""
    staff = {
        sid: (name, capacity)
        for sid, name, capacity in session.execute(
            select(m.Staff.id, m.Staff.name, m.Staff.daily_capacity)
        )
    }
    types = {
        row.id: TypeInfo(
            row.key,
            row.name,
            str(row.kind),
            dt.time.fromisoformat(row.default_start_time),
            row.default_duration_minutes,
        )
        for row in session.execute(
            select(
                m.MeetingType.id,
                m.MeetingType.key,
                m.MeetingType.name,
                m.MeetingType.kind,
                m.MeetingType.default_start_time,
                m.MeetingType.default_duration_minutes,
            )
        )
    }
    clients = {
        row.id: SubjectInfo(
            "client",
            row.id,
            row.name,
            row.timezone,
            row.country,
            row.subdivision,
            row.vcio_id,
            row.tam_id,
            None,
            row.active,
        )
        for row in session.execute(
            select(
                m.Client.id,
                m.Client.name,
                m.Client.timezone,
                m.Client.country,
                m.Client.subdivision,
                m.Client.vcio_id,
                m.Client.tam_id,
                m.Client.active,
            )
        )
    }
    bodies = {
        row.id: SubjectInfo(
            "internal",
            row.id,
            row.name,
            row.timezone,
            row.country,
            row.subdivision,
            None,
            None,
            row.owner_id,
            row.active,
        )
        for row in session.execute(
            select(
                m.InternalBody.id,
                m.InternalBody.name,
                m.InternalBody.timezone,
                m.InternalBody.country,
                m.InternalBody.subdivision,
                m.InternalBody.owner_id,
                m.InternalBody.active,
            )
        )
    }

    def subject_of(client_id: int | None, body_id: int | None) -> SubjectInfo:
        return clients[client_id] if client_id is not None else bodies[body_id]  # type: ignore[index]

    rhythms: dict[int, RhythmInfo] = {}
    for row in session.execute(
        select(
            m.Rhythm.id,
            m.Rhythm.client_id,
            m.Rhythm.internal_body_id,
            m.Rhythm.meeting_type_id,
            m.Rhythm.owner_id,
        )
        .where(m.Rhythm.active)
        .order_by(m.Rhythm.id)
    ):
        rhythms[row.id] = RhythmInfo(
            row.id,
            subject_of(row.client_id, row.internal_body_id),
            row.meeting_type_id,
            row.owner_id,
        )
    for rhythm_id, specs in versions_by_rhythm(session).items():
        if rhythm_id in rhythms:
            rhythms[rhythm_id].versions.extend(specs)

    lo = dt.datetime.combine(start - dt.timedelta(days=margin_days), dt.time(), tzinfo=dt.UTC)
    hi = dt.datetime.combine(end + dt.timedelta(days=margin_days), dt.time(), tzinfo=dt.UTC)
    meeting_rows = session.execute(
        select(
            m.Meeting.id,
            m.Meeting.rhythm_id,
            m.Meeting.slot_date,
            m.Meeting.scheduled_start,
            m.Meeting.scheduled_end,
            m.Meeting.timezone,
            m.Meeting.owner_id,
            m.Meeting.status,
            m.Meeting.user_touched,
            m.Meeting.client_id,
            m.Meeting.internal_body_id,
            m.Meeting.meeting_type_id,
        )
        .where(
            or_(
                and_(m.Meeting.scheduled_start >= lo, m.Meeting.scheduled_start < hi),
                and_(
                    m.Meeting.slot_date >= start - dt.timedelta(days=margin_days),
                    m.Meeting.slot_date < end + dt.timedelta(days=margin_days),
                ),
            )
        )
        .order_by(m.Meeting.id)
    )
    meetings = [
        ExistingMeeting(
            row.id,
            row.rhythm_id,
            row.slot_date,
            row.scheduled_start,
            row.scheduled_end,
            row.timezone,
            row.owner_id,
            str(row.status),
            row.user_touched,
            subject_of(row.client_id, row.internal_body_id),
            row.meeting_type_id,
        )
        for row in meeting_rows
    ]
    return ScheduleData(staff, types, list(rhythms.values()), meetings)
