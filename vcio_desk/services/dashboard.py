"""The dashboard's data: the next two weeks of meetings with their prep state, the drift list,
adherence by owner and tier, and the standards committee's own rhythm.

Everything comes back as plain dataclasses so the page can compute it on a worker
and its Qt models only adapt it. Meetings are read with Core queries: one for the
meetings of the window (with their subject, type and owner), one aggregate over
``prep_items`` for done/total counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Integer, case, func, select
from sqlalchemy.engine import Connection

from vcio_desk.domain.drift import Flag
from vcio_desk.domain.vocab import BodyKind, MeetingStatus
from vcio_desk.store import Store
from vcio_desk.store import models as m

from .adherence import AdherenceSummary, summarize_adherence
from .drift import DriftReport, RhythmDrift, assess_all
from .drift_report import ranked
from .settings import read_settings

UPCOMING_DAYS = 14
CURRENT_USER_SETTING = "current_user_staff_id"


@dataclass(frozen=True, slots=True)
class UpcomingMeeting:
    """One meeting in the window, on its subject's own clock."""

    meeting_id: int
    subject_kind: str
    """``client`` or ``internal``."""
    subject_id: int
    subject: str
    meeting_type_key: str
    meeting_type: str
    owner_id: int | None
    owner: str
    status: MeetingStatus
    start: dt.datetime
    """Local start (aware, in ``timezone``)."""
    timezone: str
    prep_done: int
    prep_total: int

    @property
    def day(self) -> dt.date:
        return self.start.date()

    @property
    def prep_ready(self) -> bool:
        """Every prep item ticked (a meeting without a checklist is not "ready")."""
        return self.prep_total > 0 and self.prep_done == self.prep_total


@dataclass(frozen=True, slots=True)
class StaffMember:
    id: int
    name: str


@dataclass(frozen=True)
class CommitteeRhythm:
    """The standards committee's rhythm, tracked like any client's."""

    body: str
    drift: RhythmDrift


@dataclass(frozen=True)
class DashboardData:
    as_of: dt.date
    current_user_id: int | None
    """The ``current_user_staff_id`` setting when it names a staff member, else None."""
    staff: list[StaffMember]
    """Active staff and anyone owning a meeting in the window, by name."""
    meetings: list[UpcomingMeeting]
    """Everyone's meetings in the window (filter by ``owner_id`` for one person)."""
    drift: DriftReport
    drift_ranked: list[RhythmDrift]
    """Flagged rhythms only (not ``ok``): most severe first, then the longest overdue."""
    adherence: AdherenceSummary
    committee: CommitteeRhythm | None


def _zone(name: str, cache: dict[str, dt.tzinfo]) -> dt.tzinfo:
    zone = cache.get(name)
    if zone is None:
        try:
            zone = ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            zone = dt.UTC
        cache[name] = zone
    return zone


def _meetings(
    connection: Connection, as_of: dt.date, days: int, owner_id: int | None
) -> list[UpcomingMeeting]:
    # Local days [as_of, as_of + days) in any zone lie within a day either side in UTC.
    lo = dt.datetime.combine(as_of - dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    hi = dt.datetime.combine(as_of + dt.timedelta(days=days + 1), dt.time(), tzinfo=dt.UTC)
    prep = (
        select(
            m.PrepItem.meeting_id,
            func.count().label("total"),
            func.sum(case((m.PrepItem.done, 1), else_=0), type_=Integer).label("done"),
        )
        .group_by(m.PrepItem.meeting_id)
        .subquery()
    )
    query = (
        select(
            m.Meeting.id,
            m.Meeting.client_id,
            m.Meeting.internal_body_id,
            m.Client.name.label("client"),
            m.InternalBody.name.label("body"),
            m.MeetingType.key,
            m.MeetingType.name.label("type_name"),
            m.MeetingType.prep_checklist,
            m.Meeting.owner_id,
            m.Staff.name.label("owner"),
            m.Meeting.status,
            m.Meeting.scheduled_start,
            m.Meeting.timezone,
            prep.c.done,
            prep.c.total,
        )
        .join(m.MeetingType, m.MeetingType.id == m.Meeting.meeting_type_id)
        .outerjoin(m.Client, m.Client.id == m.Meeting.client_id)
        .outerjoin(m.InternalBody, m.InternalBody.id == m.Meeting.internal_body_id)
        .outerjoin(m.Staff, m.Staff.id == m.Meeting.owner_id)
        .outerjoin(prep, prep.c.meeting_id == m.Meeting.id)
        .where(
            m.Meeting.scheduled_start >= lo,
            m.Meeting.scheduled_start < hi,
            m.Meeting.status != MeetingStatus.CANCELLED,
        )
        .order_by(m.Meeting.scheduled_start, m.Meeting.id)
    )
    if owner_id is not None:
        query = query.where(m.Meeting.owner_id == owner_id)
    last = as_of + dt.timedelta(days=days)
    zones: dict[str, dt.tzinfo] = {}
    result = []
    for row in connection.execute(query):
        local = row.scheduled_start.astimezone(_zone(row.timezone, zones))
        if not as_of <= local.date() < last:
            continue
        is_client = row.client_id is not None
        result.append(
            UpcomingMeeting(
                meeting_id=row.id,
                subject_kind="client" if is_client else "internal",
                subject_id=row.client_id if is_client else row.internal_body_id,
                subject=(row.client if is_client else row.body) or "",
                meeting_type_key=row.key,
                meeting_type=row.type_name,
                owner_id=row.owner_id,
                owner=row.owner or "",
                status=MeetingStatus(row.status),
                start=local,
                timezone=row.timezone,
                prep_done=row.done or 0,
                prep_total=prep_total(row.total, row.prep_checklist),
            )
        )
    return result


def prep_total(items: int | None, template: object) -> int:
    """A meeting's checklist length: its own items, or its type's checklist before the
    meeting is first opened (the page copies the template then), so nothing reads ready."""
    if items:
        return items
    return len(template) if isinstance(template, list) else 0


def upcoming_meetings(
    store: Store, as_of: dt.date, owner_id: int | None = None, days: int = UPCOMING_DAYS
) -> list[UpcomingMeeting]:
    """Meetings (not cancelled) whose local date falls in [as_of, as_of + days), by start.

    ``owner_id`` None means everyone's. Each carries its prep checklist's done/total.
    """
    with store.session() as session:
        return _meetings(session.connection(), as_of, days, owner_id)


def current_user_id(store: Store) -> int | None:
    """The staff member using the app (the ``current_user_staff_id`` setting), if it exists."""
    value = read_settings(store).get(CURRENT_USER_SETTING)
    if not isinstance(value, int) or isinstance(value, bool):
        return None
    with store.session() as session:
        found = session.execute(select(m.Staff.id).where(m.Staff.id == value)).scalar()
    return found


def load_dashboard(store: Store, as_of: dt.date, days: int = UPCOMING_DAYS) -> DashboardData:
    """Everything the dashboard shows as of ``as_of`` (slow part: the drift report)."""
    report = assess_all(store, as_of)
    user = current_user_id(store)
    with store.session() as session:
        connection = session.connection()
        meetings = _meetings(connection, as_of, days, None)
        active_staff = connection.execute(
            select(m.Staff.id, m.Staff.name).where(m.Staff.active)
        ).all()
        committees = dict(
            connection.execute(
                select(m.InternalBody.id, m.InternalBody.name).where(
                    m.InternalBody.kind == BodyKind.STANDARDS_COMMITTEE
                )
            ).all()
        )
    people = {sid: name for sid, name in active_staff}
    people |= {x.owner_id: x.owner for x in meetings if x.owner_id is not None}
    staff = sorted(
        (StaffMember(sid, name) for sid, name in people.items()),
        key=lambda s: (s.name.casefold(), s.id),
    )
    committee_rhythms = [
        r for r in report.rhythms if r.subject_kind == "internal" and r.subject_id in committees
    ]
    committee_rhythms.sort(key=lambda r: (r.meeting_type_key != "standards_committee", r.rhythm_id))
    committee = (
        CommitteeRhythm(committees[committee_rhythms[0].subject_id], committee_rhythms[0])
        if committee_rhythms
        else None
    )
    flagged = [r for r in report.rhythms if r.assessment.flag is not Flag.OK]
    return DashboardData(
        as_of=as_of,
        current_user_id=user,
        staff=staff,
        meetings=meetings,
        drift=report,
        drift_ranked=ranked(flagged),
        adherence=summarize_adherence(report),
        committee=committee,
    )
