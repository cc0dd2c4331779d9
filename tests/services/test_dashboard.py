"""services.dashboard: the next 14 days of meetings with prep counts, and the dashboard bundle."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from vcio_desk.domain.drift import Flag
from vcio_desk.domain.vocab import BodyKind, MeetingStatus
from vcio_desk.services.dashboard import (
    current_user_id,
    load_dashboard,
    upcoming_meetings,
)
from vcio_desk.services.demo import build_demo
from vcio_desk.services.drift_report import days_overdue
from vcio_desk.services.settings import write_setting
from vcio_desk.store import Store
from vcio_desk.store import models as m

AS_OF = dt.date(2026, 11, 20)


@pytest.fixture
def demo(workspace: Store) -> Store:
    build_demo(workspace, clients=12, years=2, seed=3, as_of=AS_OF)
    return workspace


def _prep_counts(store: Store, meeting_id: int) -> tuple[int, int]:
    with store.session() as session:
        done = session.scalar(
            select(func.count())
            .select_from(m.PrepItem)
            .where(m.PrepItem.meeting_id == meeting_id, m.PrepItem.done)
        )
        total = session.scalar(
            select(func.count()).select_from(m.PrepItem).where(m.PrepItem.meeting_id == meeting_id)
        )
    return done or 0, total or 0


def test_demo_meetings_of_the_next_14_days_with_prep_counts(demo: Store) -> None:
    everyone = upcoming_meetings(demo, AS_OF)
    assert everyone, "the demo books meetings in the coming fortnight"
    starts = [x.start for x in everyone]
    assert starts == sorted(starts)
    for meeting in everyone:
        assert AS_OF <= meeting.day < AS_OF + dt.timedelta(days=14)
        assert meeting.status is not MeetingStatus.CANCELLED
        assert (meeting.prep_done, meeting.prep_total) == _prep_counts(demo, meeting.meeting_id)
        assert meeting.subject and meeting.meeting_type
    assert any(0 < x.prep_done < x.prep_total for x in everyone), "partly prepared meetings"

    with demo.session() as session:
        in_window = session.scalars(
            select(m.Meeting.id).where(
                m.Meeting.status != MeetingStatus.CANCELLED,
                m.Meeting.scheduled_start >= dt.datetime(2026, 11, 19, tzinfo=dt.UTC),
                m.Meeting.scheduled_start < dt.datetime(2026, 12, 5, tzinfo=dt.UTC),
            )
        ).all()
    assert {x.meeting_id for x in everyone} <= set(in_window)

    owner = everyone[0].owner_id
    assert owner is not None
    mine = upcoming_meetings(demo, AS_OF, owner_id=owner)
    assert mine == [x for x in everyone if x.owner_id == owner]


def _staff(session, name: str) -> m.Staff:
    person = m.Staff(name=name, is_vcio=True)
    session.add(person)
    session.flush()
    return person


def test_window_bounds_local_days_cancellations_and_prep(workspace: Store) -> None:
    with workspace.transaction() as session:
        ada = _staff(session, "Ada Lovelace")
        bob = _staff(session, "Bob Noyce")
        client = m.Client(name="Tokyo Trading", timezone="Asia/Tokyo", vcio_id=ada.id)
        session.add(client)
        session.flush()
        vcio_type = session.scalar(
            select(m.MeetingType.id).where(m.MeetingType.key == "vcio_meeting")
        )

        def meeting(start: dt.datetime, status=MeetingStatus.CONFIRMED, owner=ada) -> m.Meeting:
            row = m.Meeting(
                client_id=client.id,
                meeting_type_id=vcio_type,
                owner_id=owner.id,
                scheduled_start=start,
                scheduled_end=start + dt.timedelta(hours=1),
                timezone="Asia/Tokyo",
                status=status,
            )
            session.add(row)
            session.flush()
            return row

        utc = dt.UTC
        # 20:00 UTC on 19 Nov is 05:00 on 20 Nov in Tokyo: inside the window.
        first = meeting(dt.datetime(2026, 11, 19, 20, 0, tzinfo=utc))
        # 14:00 UTC on 19 Nov is still 19 Nov in Tokyo: before the window.
        meeting(dt.datetime(2026, 11, 19, 14, 0, tzinfo=utc))
        # Day 13 (3 Dec, Tokyo) is in; day 14 (4 Dec, Tokyo) is out.
        last = meeting(dt.datetime(2026, 12, 3, 1, 0, tzinfo=utc), MeetingStatus.PROPOSED)
        meeting(dt.datetime(2026, 12, 4, 1, 0, tzinfo=utc))
        meeting(dt.datetime(2026, 11, 25, 1, 0, tzinfo=utc), MeetingStatus.CANCELLED)
        other = meeting(dt.datetime(2026, 11, 26, 1, 0, tzinfo=utc), owner=bob)
        for position in range(6):
            session.add(
                m.PrepItem(
                    meeting_id=first.id, position=position, label=f"item {position}",
                    done=position < 3,
                )
            )  # fmt: skip
        first_id, last_id, other_id = first.id, last.id, other.id
        ada_id = ada.id

    everyone = upcoming_meetings(workspace, AS_OF)
    assert [x.meeting_id for x in everyone] == [first_id, other_id, last_id]
    head = everyone[0]
    assert (head.prep_done, head.prep_total) == (3, 6)
    assert not head.prep_ready
    assert head.day == AS_OF and head.start.hour == 5
    assert head.subject == "Tokyo Trading" and head.subject_kind == "client"
    assert head.owner == "Ada Lovelace"
    # Not opened yet: its type's checklist (6 items) is still all to do.
    assert (everyone[1].prep_done, everyone[1].prep_total) == (0, 6)
    assert not everyone[1].prep_ready
    assert everyone[2].status is MeetingStatus.PROPOSED
    assert [x.meeting_id for x in upcoming_meetings(workspace, AS_OF, ada_id)] == [
        first_id,
        last_id,
    ]
    assert upcoming_meetings(workspace, AS_OF, days=1)[0].meeting_id == first_id


def test_current_user_setting(workspace: Store) -> None:
    assert current_user_id(workspace) is None
    with workspace.transaction() as session:
        person = _staff(session, "Ada Lovelace")
        person_id = person.id
    write_setting(workspace, "current_user_staff_id", person_id)
    assert current_user_id(workspace) == person_id
    write_setting(workspace, "current_user_staff_id", person_id + 100)
    assert current_user_id(workspace) is None, "a deleted staff member is nobody"
    write_setting(workspace, "current_user_staff_id", "1")
    assert current_user_id(workspace) is None


def test_load_dashboard_bundle(demo: Store) -> None:
    data = load_dashboard(demo, AS_OF)
    assert data.as_of == AS_OF
    assert data.current_user_id is not None
    assert data.current_user_id in {s.id for s in data.staff}
    assert [s.name.casefold() for s in data.staff] == sorted(s.name.casefold() for s in data.staff)
    assert data.meetings == upcoming_meetings(demo, AS_OF)

    flagged = data.drift_ranked
    assert flagged and all(r.assessment.flag is not Flag.OK for r in flagged)
    keys = [(r.assessment.flag.severity, -days_overdue(r)) for r in flagged]
    assert keys == sorted(keys)
    assert len(flagged) == sum(r.assessment.flag is not Flag.OK for r in data.drift.rhythms)

    assert data.adherence.as_of == AS_OF and len(data.adherence.trend) == 12
    with demo.session() as session:
        committee_id, committee_name = session.execute(
            select(m.InternalBody.id, m.InternalBody.name).where(
                m.InternalBody.kind == BodyKind.STANDARDS_COMMITTEE
            )
        ).one()
    assert data.committee is not None
    assert data.committee.body == committee_name
    assert data.committee.drift.subject_kind == "internal"
    assert data.committee.drift.subject_id == committee_id


def test_no_committee_no_meetings(workspace: Store) -> None:
    data = load_dashboard(workspace, AS_OF)
    assert data.meetings == []
    assert data.committee is None
    assert data.drift_ranked == []
