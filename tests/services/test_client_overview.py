"""A client's overview: its rhythms judged alone agree with the whole-workspace drift report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from vcio_desk.domain.vocab import ActionStatus, MeetingStatus
from vcio_desk.services.adherence import summarize_adherence
from vcio_desk.services.client_overview import client_overview
from vcio_desk.services.demo import build_demo
from vcio_desk.services.drift import assess_all
from vcio_desk.store import Store, open_store
from vcio_desk.store import models as m

AS_OF = dt.date(2026, 11, 20)


@pytest.fixture(scope="module")
def demo(build_workspace) -> Iterator[Store]:  # type: ignore[no-untyped-def]
    with open_store(build_workspace().target) as store:
        build_demo(store, clients=12, years=2, seed=5, as_of=AS_OF)
        yield store


def _client_ids(store: Store) -> list[int]:
    with store.session() as session:
        return list(session.scalars(select(m.Client.id).order_by(m.Client.id)))


def test_one_clients_drift_equals_its_part_of_the_whole_report(demo: Store) -> None:
    whole = assess_all(demo, AS_OF)
    for client_id in _client_ids(demo):
        alone = assess_all(demo, AS_OF, client_id=client_id)
        expected = [
            r for r in whole.rhythms if r.subject_kind == "client" and r.subject_id == client_id
        ]
        assert [r.rhythm_id for r in alone.rhythms] == [r.rhythm_id for r in expected]
        assert [r.assessment for r in alone.rhythms] == [r.assessment for r in expected]


def test_one_internal_bodys_drift_equals_its_part_of_the_whole_report(demo: Store) -> None:
    whole = assess_all(demo, AS_OF)
    with demo.session() as session:
        bodies = list(session.scalars(select(m.InternalBody.id)))
    assert bodies
    for body_id in bodies:
        alone = assess_all(demo, AS_OF, internal_body_id=body_id)
        expected = [
            r for r in whole.rhythms if r.subject_kind == "internal" and r.subject_id == body_id
        ]
        assert expected
        assert [r.assessment for r in alone.rhythms] == [r.assessment for r in expected]


def test_overview_flags_adherence_and_next_meetings(demo: Store) -> None:
    client_id = _client_ids(demo)[0]
    overview = client_overview(demo, client_id, AS_OF)
    report = assess_all(demo, AS_OF, client_id=client_id)
    assert {r.rhythm_id for r in overview.rhythms} == {r.rhythm_id for r in report.rhythms}
    assert overview.adherence == summarize_adherence(report).overall
    severities = [r.flag.severity for r in overview.rhythms]
    assert severities == sorted(severities)
    assert overview.worst_flag == overview.rhythms[0].flag
    starts = [u.start for u in overview.upcoming]
    assert starts == sorted(starts)
    assert all(u.start.date() >= AS_OF for u in overview.upcoming)
    assert all(
        u.status in (MeetingStatus.PROPOSED, MeetingStatus.CONFIRMED) for u in overview.upcoming
    )


def test_action_counts_follow_status_and_due_date(workspace: Store) -> None:
    with workspace.transaction() as session:
        client = m.Client(name="Acme", tier="A", fiscal_year_start_month=1, timezone="UTC")
        session.add(client)
        session.flush()
        for title, due, status in (
            ("late", AS_OF - dt.timedelta(days=1), ActionStatus.OPEN),
            ("due today", AS_OF, ActionStatus.OPEN),
            ("no date", None, ActionStatus.OPEN),
            ("closed late", AS_OF - dt.timedelta(days=9), ActionStatus.DONE),
        ):
            session.add(m.ActionItem(client_id=client.id, title=title, due_date=due, status=status))
        client_id = client.id
    overview = client_overview(workspace, client_id, AS_OF)
    assert (overview.actions.open, overview.actions.overdue) == (3, 1)
    assert overview.rhythms == ()
    assert overview.worst_flag is None
    assert overview.upcoming == ()
