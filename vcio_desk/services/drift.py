"""Drift for every rhythm from the store: one read of versions, held meetings and bookings."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import aliased

from vcio_desk.domain.drift import DEFAULT_LEAD_DAYS, Assessment, HeldMeeting, assess
from vcio_desk.domain.errors import ValidationError
from vcio_desk.domain.slots import slots
from vcio_desk.domain.vocab import MeetingStatus
from vcio_desk.store import Store
from vcio_desk.store import models as m

from .rhythm_versions import versions_by_rhythm
from .settings import read_settings


@dataclass(frozen=True)
class RhythmDrift:
    rhythm_id: int
    subject_kind: str
    subject_id: int
    subject: str
    tier: str | None
    meeting_type_key: str
    meeting_type: str
    owner_id: int | None
    owner: str
    account_manager: str
    assessment: Assessment


@dataclass(frozen=True)
class UnplannedMeetings:
    """Held meetings of a type the subject has no rhythm for: reported, not dropped."""

    subject_kind: str
    subject_id: int
    subject: str
    meeting_type: str
    count: int
    last_held: dt.date


@dataclass(frozen=True)
class DriftReport:
    as_of: dt.date
    lead_days: int
    rhythms: list[RhythmDrift]
    unplanned: list[UnplannedMeetings]


def lead_days_setting(store: Store) -> int:
    value = read_settings(store).get("lead_days")
    return int(value) if isinstance(value, int) and value >= 0 else DEFAULT_LEAD_DAYS


def assess_all(
    store: Store,
    as_of: dt.date,
    lead_days: int | None = None,
    *,
    client_id: int | None = None,
    internal_body_id: int | None = None,
) -> DriftReport:
    """Every active rhythm's assessment as of ``as_of`` (slots through one year after it).

    ``client_id`` or ``internal_body_id`` limits the work to one subject's rhythms (a
    client page's overview, the committee's status).
    """

    def of_subject(model: type[m.Rhythm] | type[m.Meeting]) -> ColumnElement[bool]:
        if client_id is not None:
            return model.client_id == client_id
        if internal_body_id is not None:
            return model.internal_body_id == internal_body_id
        return true()

    if not 1900 <= as_of.year <= 9000:
        raise ValidationError(f"Judge drift as of a date between 1900 and 9000, not {as_of}.")
    lead = lead_days_setting(store) if lead_days is None else lead_days
    horizon = as_of + relativedelta(years=1) + dt.timedelta(days=1)  # through a year after
    owner, am = aliased(m.Staff), aliased(m.Staff)
    with store.session() as session:
        rhythm_rows = session.execute(
            select(
                m.Rhythm.id,
                m.Rhythm.client_id,
                m.Rhythm.internal_body_id,
                m.Rhythm.meeting_type_id,
                m.Rhythm.owner_id,
                m.MeetingType.key,
                m.MeetingType.name,
                m.MeetingType.kind,
                m.Client.name.label("client"),
                m.Client.tier,
                m.Client.vcio_id,
                m.Client.tam_id,
                am.name.label("am"),
                m.InternalBody.name.label("body"),
                m.InternalBody.owner_id.label("body_owner"),
                m.Rhythm.active,
            )
            .join(m.MeetingType, m.MeetingType.id == m.Rhythm.meeting_type_id)
            .outerjoin(m.Client, m.Client.id == m.Rhythm.client_id)
            .outerjoin(am, am.id == m.Client.account_manager_id)
            .outerjoin(m.InternalBody, m.InternalBody.id == m.Rhythm.internal_body_id)
            .where(of_subject(m.Rhythm))
            .order_by(m.Rhythm.id)
        ).all()
        versions = versions_by_rhythm(
            session, client_id=client_id, internal_body_id=internal_body_id
        )
        connection = session.connection()
        held_rows = connection.execute(
            select(
                m.Meeting.id,
                m.Meeting.client_id,
                m.Meeting.internal_body_id,
                m.Meeting.meeting_type_id,
                m.Meeting.held_date,
            ).where(
                m.Meeting.status == MeetingStatus.HELD,
                m.Meeting.held_date.is_not(None),
                of_subject(m.Meeting),
            )
        ).all()
        timed_rows = connection.execute(
            select(
                m.Meeting.id,
                m.Meeting.client_id,
                m.Meeting.internal_body_id,
                m.Meeting.meeting_type_id,
                m.Meeting.status,
                m.Meeting.scheduled_start,
                m.Meeting.timezone,
                m.Meeting.rhythm_id,
                m.Meeting.slot_date,
            ).where(
                (m.Meeting.status == MeetingStatus.CONFIRMED)
                | ((m.Meeting.status == MeetingStatus.HELD) & m.Meeting.held_date.is_(None)),
                of_subject(m.Meeting),
            )
        ).all()
        staff = dict(session.execute(select(owner.id, owner.name)).all())
        type_names = dict(session.execute(select(m.MeetingType.id, m.MeetingType.name)).all())
        subject_names = {
            ("client", i): n for i, n in session.execute(select(m.Client.id, m.Client.name))
        }
        subject_names |= {
            ("internal", i): n
            for i, n in session.execute(select(m.InternalBody.id, m.InternalBody.name))
        }

    held: dict[tuple[str, int, int], list[HeldMeeting]] = defaultdict(list)
    for meeting_id, client_id, body_id, type_id, held_on in held_rows:
        key = ("client", client_id, type_id) if client_id else ("internal", body_id, type_id)
        held[key].append(HeldMeeting(meeting_id, held_on))
    booked: dict[int, dict[dt.date, dt.date]] = defaultdict(dict)
    zones: dict[str, ZoneInfo] = {}
    for row in timed_rows:
        zone = zones.setdefault(row.timezone, ZoneInfo(row.timezone))
        local_day = row.scheduled_start.astimezone(zone).date()
        if row.status == MeetingStatus.HELD:  # held without a date: its scheduled day counts
            kind, subject_id = (
                ("client", row.client_id) if row.client_id else ("internal", row.internal_body_id)
            )
            held[(kind, subject_id, row.meeting_type_id)].append(HeldMeeting(row.id, local_day))
        elif row.rhythm_id is not None and row.slot_date is not None:
            booked[row.rhythm_id][row.slot_date] = local_day

    results: list[RhythmDrift] = []
    planned: set[tuple[str, int, int]] = set()
    for row in rhythm_rows:
        kind, subject_id = (
            ("client", row.client_id) if row.client_id else ("internal", row.internal_body_id)
        )
        key = (kind, subject_id, row.meeting_type_id)
        planned.add(key)  # an inactive rhythm still explains its past meetings
        if not row.active:
            continue
        specs = versions.get(row.id, [])
        rhythm_slots = slots(specs, specs[0].effective_from, horizon) if specs else []
        meetings = sorted(held.get(key, []), key=lambda h: (h.held, h.meeting_id))
        assessment = assess(
            rhythm_slots, meetings, as_of, booked=booked.get(row.id), lead_days=lead, label=row.name
        )
        owner_id = row.owner_id
        if kind == "client":
            owner_id = (row.vcio_id if str(row.kind) == "vcio" else row.tam_id) or row.owner_id
        else:
            owner_id = row.owner_id or row.body_owner
        results.append(
            RhythmDrift(
                rhythm_id=row.id,
                subject_kind=kind,
                subject_id=subject_id,
                subject=row.client or row.body,
                tier=str(row.tier) if row.tier else None,
                meeting_type_key=row.key,
                meeting_type=row.name,
                owner_id=owner_id,
                owner=staff.get(owner_id, "") if owner_id else "",
                account_manager=row.am or "",
                assessment=assessment,
            )
        )
    unplanned = [
        UnplannedMeetings(
            kind,
            sid,
            subject_names.get((kind, sid), "?"),
            type_names.get(tid, "?"),
            len(items),
            max(h.held for h in items),
        )
        for (kind, sid, tid), items in sorted(held.items())
        if (kind, sid, tid) not in planned
    ]
    return DriftReport(as_of, lead, results, unplanned)
