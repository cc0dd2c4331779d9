"""One client at a glance: each rhythm's flag with its reason, adherence, the next meeting.

Everything is computed for this client only (drift is assessed on its rhythms, not the
workspace), so the page opens quickly on a large workspace.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Integer, case, func, select

from vcio_desk.domain.drift import Flag
from vcio_desk.domain.vocab import ActionStatus, MeetingStatus
from vcio_desk.store import Store
from vcio_desk.store import models as m

from .adherence import AdherenceFigure, MonthPoint, summarize_adherence
from .csi_views import CURRENCY_SETTING
from .dashboard import prep_total
from .drift import assess_all
from .review_data import ReviewSummary
from .reviews import client_reviews
from .roadmap import Roadmap, roadmap
from .settings import read_settings

NEXT_MEETINGS = 3
"""How many upcoming meetings the overview lists."""
ROADMAP_QUARTERS = 4
"""The improvement card's budget: this fiscal quarter and the next three."""


@dataclass(frozen=True, slots=True)
class RhythmStatus:
    rhythm_id: int
    meeting_type: str
    flag: Flag
    reason: str
    adherence_pct: float | None
    last_held: dt.date | None
    next_due: dt.date | None


@dataclass(frozen=True, slots=True)
class UpcomingClientMeeting:
    meeting_id: int
    meeting_type: str
    start: dt.datetime
    """Local start in the meeting's zone."""
    status: MeetingStatus
    owner: str
    prep_done: int
    prep_total: int


@dataclass(frozen=True, slots=True)
class ActionCounts:
    open: int
    overdue: int


@dataclass(frozen=True, slots=True)
class ClientOverview:
    as_of: dt.date
    rhythms: tuple[RhythmStatus, ...]
    adherence: AdherenceFigure
    trend: tuple[MonthPoint, ...]
    upcoming: tuple[UpcomingClientMeeting, ...]
    actions: ActionCounts
    reviews: tuple[ReviewSummary, ...]
    """Newest first; the score trend reads them oldest first."""
    roadmap: Roadmap
    """The current and next three fiscal quarters of the CSI register."""
    currency_symbol: str

    @property
    def latest_completed_review(self) -> ReviewSummary | None:
        return next((r for r in self.reviews if r.completed_on is not None), None)

    @property
    def review_in_progress(self) -> ReviewSummary | None:
        return next((r for r in self.reviews if r.completed_on is None), None)

    @property
    def worst_flag(self) -> Flag | None:
        """The most severe flag among the client's rhythms (None without rhythms)."""
        return min((r.flag for r in self.rhythms), key=lambda f: f.severity, default=None)


def client_overview(store: Store, client_id: int, as_of: dt.date) -> ClientOverview:
    report = assess_all(store, as_of, client_id=client_id)
    summary = summarize_adherence(report)
    rhythms = tuple(
        RhythmStatus(
            rhythm_id=item.rhythm_id,
            meeting_type=item.meeting_type,
            flag=item.assessment.flag,
            reason=item.assessment.reason,
            adherence_pct=item.assessment.adherence_pct,
            last_held=item.assessment.last_held,
            next_due=item.assessment.next_due,
        )
        for item in sorted(report.rhythms, key=lambda r: (r.assessment.flag.severity, r.rhythm_id))
    )
    with store.session() as session:
        connection = session.connection()
        upcoming = _upcoming(connection, client_id, as_of)
        actions = _action_counts(connection, client_id, as_of)
    return ClientOverview(
        as_of=as_of,
        rhythms=rhythms,
        adherence=summary.overall,
        trend=tuple(summary.trend),
        upcoming=upcoming,
        actions=actions,
        reviews=tuple(client_reviews(store, client_id)),
        roadmap=roadmap(store, client_id, as_of, quarters=ROADMAP_QUARTERS),
        currency_symbol=str(read_settings(store).get(CURRENCY_SETTING) or "").strip(),
    )


def _upcoming(
    connection: Connection, client_id: int, as_of: dt.date
) -> tuple[UpcomingClientMeeting, ...]:
    prep = (
        select(
            m.PrepItem.meeting_id,
            func.count().label("total"),
            func.sum(case((m.PrepItem.done, 1), else_=0), type_=Integer).label("done"),
        )
        .group_by(m.PrepItem.meeting_id)
        .subquery()
    )
    # A local day on or after as_of starts no earlier than a day before it in UTC.
    earliest = dt.datetime.combine(as_of - dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    rows = connection.execute(
        select(
            m.Meeting.id,
            m.MeetingType.name,
            m.MeetingType.prep_checklist,
            m.Meeting.scheduled_start,
            m.Meeting.timezone,
            m.Meeting.status,
            m.Staff.name.label("owner"),
            prep.c.done,
            prep.c.total,
        )
        .join(m.MeetingType, m.MeetingType.id == m.Meeting.meeting_type_id)
        .outerjoin(m.Staff, m.Staff.id == m.Meeting.owner_id)
        .outerjoin(prep, prep.c.meeting_id == m.Meeting.id)
        .where(
            m.Meeting.client_id == client_id,
            m.Meeting.scheduled_start >= earliest,
            m.Meeting.status.in_([MeetingStatus.PROPOSED, MeetingStatus.CONFIRMED]),
        )
        .order_by(m.Meeting.scheduled_start, m.Meeting.id)
        .limit(NEXT_MEETINGS + 2)
    ).all()
    result = []
    for row in rows:
        local = row.scheduled_start.astimezone(_zone(row.timezone))
        if local.date() < as_of:
            continue
        result.append(
            UpcomingClientMeeting(
                meeting_id=row.id,
                meeting_type=row.name,
                start=local,
                status=MeetingStatus(row.status),
                owner=row.owner or "",
                prep_done=row.done or 0,
                prep_total=prep_total(row.total, row.prep_checklist),
            )
        )
    return tuple(result[:NEXT_MEETINGS])


def _action_counts(connection: Connection, client_id: int, as_of: dt.date) -> ActionCounts:
    row = connection.execute(
        select(
            func.count(),
            func.sum(case((m.ActionItem.due_date < as_of, 1), else_=0), type_=Integer),
        ).where(m.ActionItem.client_id == client_id, m.ActionItem.status == ActionStatus.OPEN)
    ).one()
    return ActionCounts(open=row[0] or 0, overdue=row[1] or 0)


def _zone(name: str) -> dt.tzinfo:
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):
        return dt.UTC
