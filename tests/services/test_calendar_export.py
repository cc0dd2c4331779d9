"""export_calendar on a real demo workspace, read back with independent ICS readers."""

from __future__ import annotations

import datetime as dt
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from sqlalchemy import insert, select

from vcio_desk.atomic import WriteError
from vcio_desk.domain.errors import ValidationError, VcioDeskError
from vcio_desk.domain.vocab import MeetingStatus
from vcio_desk.services.calendar_export import export_calendar, workspace_uid
from vcio_desk.services.demo import build_demo
from vcio_desk.services.meetings import reschedule_meeting
from vcio_desk.store import Store, open_store
from vcio_desk.store import models as m

AS_OF = dt.date(2026, 11, 20)
Y2027 = {"start": dt.date(2027, 1, 1), "end": dt.date(2028, 1, 1)}
EVERYTHING = {"start": dt.date(2025, 1, 1), "end": dt.date(2028, 1, 1)}
HOSTILE = 'Acme; "R&D", <b>Co</b>\nLine2'
NOTES = "Bring: laptop, badge, coffee ☕️🚀; room 3\\B — שלום עליכם, مرحبا بكم"
STATUS = {"proposed": "TENTATIVE", "confirmed": "CONFIRMED", "held": "CONFIRMED"}


@pytest.fixture(scope="module")
def demo(build_workspace):  # type: ignore[no-untyped-def]
    """The demo is built once per module; each test gets its own copy of it."""
    return build_workspace(lambda store: build_demo(store, clients=6, years=1, seed=3, as_of=AS_OF))


@pytest.fixture
def store(demo, db_target) -> Iterator[Store]:  # type: ignore[no-untyped-def]
    with open_store(db_target("ws", copy_of=demo)) as store:
        yield store


def _read(path: Path) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(path.read_bytes())


def _events(path: Path) -> dict[str, Any]:
    """UID → VEVENT as recurring-ical-events sees them over a generous span."""
    found = recurring_ical_events.of(_read(path)).between(dt.date(2024, 1, 1), dt.date(2029, 1, 1))
    events = {str(e["UID"]): e for e in found}
    assert len(events) == len(found), "duplicate UIDs"
    return events


def _meetings(store: Store, start: dt.date, end: dt.date, **where: int) -> dict[int, m.Meeting]:
    """The oracle: every meeting whose *local* date is in [start, end), by plain ORM reads."""
    with store.session() as session:
        rows = session.scalars(select(m.Meeting).filter_by(**where)).all()
    return {
        r.id: r
        for r in rows
        if start <= r.scheduled_start.astimezone(ZoneInfo(r.timezone)).date() < end
    }


def _names(store: Store) -> tuple[dict[int, str], dict[int, str], dict[int, str]]:
    with store.session() as session:
        subjects = dict(session.execute(select(m.Client.id, m.Client.name)).tuples().all())
        bodies = dict(
            session.execute(select(m.InternalBody.id, m.InternalBody.name)).tuples().all()
        )
        types = dict(session.execute(select(m.MeetingType.id, m.MeetingType.name)).tuples().all())
    return subjects, bodies, types


def _uid(store: Store, meeting_id: int) -> str:
    return f"meeting-{meeting_id}@{workspace_uid(store)}"


def test_one_event_per_meeting_with_its_fields(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "calendar.ics"
    report = export_calendar(store, path, **Y2027)
    expected = _meetings(store, **Y2027)
    events = _events(path)
    assert report.events == len(expected) == len(events) > 50
    assert report.calendar_name == "vcio_desk — 2027" and report.skipped == ()
    assert set(events) == {_uid(store, mid) for mid in expected}
    clients, bodies, types = _names(store)
    for mid, meeting in expected.items():
        event = events[_uid(store, mid)]
        assert int(event["SEQUENCE"]) == meeting.sequence
        assert str(event["STATUS"]) == STATUS[meeting.status]
        subject = clients.get(meeting.client_id or 0) or bodies[meeting.internal_body_id or 0]
        type_name = types[meeting.meeting_type_id]
        summary = type_name if subject == type_name else f"{subject} — {type_name}"
        assert str(event["SUMMARY"]) == summary
        assert event["DTSTART"].params["TZID"] == meeting.timezone
        assert event["DTSTART"].dt == meeting.scheduled_start
        assert event["DTEND"].dt == meeting.scheduled_end
        assert str(event["LOCATION"]) == meeting.location
        assert "RRULE" not in event
    calendar = _read(path)
    assert calendar["METHOD"] == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == "vcio_desk — 2027"
    zones = {meeting.timezone for meeting in expected.values()}
    assert {tz.tz_name for tz in calendar.timezones} == zones
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_statuses_over_past_and_future(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "all.ics"
    export_calendar(store, path, **EVERYTHING)
    events = _events(path)
    expected = _meetings(store, **EVERYTHING)
    seen = {meeting.status for meeting in expected.values()}
    assert seen == set(MeetingStatus)  # the demo has every status
    mapping = {**STATUS, "cancelled": "CANCELLED"}
    for mid, meeting in expected.items():
        assert str(events[_uid(store, mid)]["STATUS"]) == mapping[meeting.status]
    cancelled = next(m_ for m_ in expected.values() if m_.status is MeetingStatus.CANCELLED)
    description = str(events[_uid(store, cancelled.id)]["DESCRIPTION"])
    assert description.startswith(f"Cancelled: {cancelled.cancel_reason}\n")


def test_window_uses_the_local_date(store: Store, tmp_path: Path) -> None:
    a, b = list(_meetings(store, **Y2027))[:2]
    sydney = dt.datetime(2027, 1, 1, 9, 0, tzinfo=ZoneInfo("Australia/Sydney"))  # 2026 in UTC
    la = dt.datetime(2026, 12, 31, 20, 0, tzinfo=ZoneInfo("America/Los_Angeles"))  # 2027 in UTC
    with store.transaction() as session:
        for mid, start in ((a, sydney), (b, la)):
            meeting = session.get(m.Meeting, mid)
            assert meeting is not None
            meeting.timezone = str(start.tzinfo)
            meeting.scheduled_start, meeting.scheduled_end = start, start + dt.timedelta(hours=1)
    path = tmp_path / "c.ics"
    export_calendar(store, path, **Y2027)
    events = _events(path)
    assert _uid(store, a) in events and _uid(store, b) not in events
    assert events[_uid(store, a)]["DTSTART"].dt == sydney


def test_reexport_keeps_uids_and_a_reschedule_raises_sequence(store: Store, tmp_path: Path) -> None:
    first, second = tmp_path / "1.ics", tmp_path / "2.ics"
    export_calendar(store, first, **Y2027)
    export_calendar(store, second, **Y2027)
    assert first.read_bytes() == second.read_bytes()  # unchanged data, identical file
    before = _events(first)
    meeting_id = next(iter(_meetings(store, **Y2027)))
    old = before[_uid(store, meeting_id)]
    new_day = old["DTSTART"].dt.date() + dt.timedelta(days=2)
    reschedule_meeting(store, meeting_id, new_day, dt.time(9, 30))
    export_calendar(store, second, **Y2027)
    after = _events(second)
    assert set(after) == set(before)
    moved = after[_uid(store, meeting_id)]
    assert int(moved["SEQUENCE"]) > int(old["SEQUENCE"])
    assert moved["DTSTART"].dt.date() == new_day
    assert moved["DTSTART"].dt.astimezone(ZoneInfo(moved["DTSTART"].params["TZID"])).time() == (
        dt.time(9, 30)
    )


def test_hostile_text_round_trips(store: Store, tmp_path: Path) -> None:
    meeting = next(iter(_meetings(store, **Y2027).values()))
    assert meeting.client_id is not None
    with store.transaction() as session:
        client = session.get(m.Client, meeting.client_id)
        row = session.get(m.Meeting, meeting.id)
        assert client is not None and row is not None
        client.name = HOSTILE
        row.location = NOTES
        session.execute(
            insert(m.AgendaItem),
            [
                {"meeting_id": meeting.id, "position": 0, "title": HOSTILE, "minutes": 20},
                {"meeting_id": meeting.id, "position": 1, "title": NOTES, "minutes": 0},
            ],
        )
    path = tmp_path / "hostile.ics"
    export_calendar(store, path, **Y2027)
    event = _events(path)[_uid(store, meeting.id)]
    _, _, types = _names(store)
    assert str(event["SUMMARY"]) == f"{HOSTILE} — {types[meeting.meeting_type_id]}"
    assert str(event["LOCATION"]) == NOTES
    owner = _owner(store, meeting.owner_id)
    assert str(event["DESCRIPTION"]) == (
        f"Agenda:\n- {HOSTILE} (20 min)\n- {NOTES}\n\nLocation: {NOTES}\nOwner: {owner}"
    )


def _owner(store: Store, staff_id: int | None) -> str:
    with store.session() as session:
        return session.scalars(select(m.Staff.name).where(m.Staff.id == staff_id)).one()


def test_agenda_falls_back_to_the_meeting_type_template(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "a.ics"
    export_calendar(store, path, **EVERYTHING)
    events = _events(path)
    with store.session() as session:
        with_items = set(session.scalars(select(m.AgendaItem.meeting_id)))
        templates = dict(
            session.execute(select(m.MeetingType.id, m.MeetingType.agenda_template)).tuples().all()
        )
    expected = _meetings(store, **EVERYTHING)
    bare = next(x for x in expected.values() if x.id not in with_items and x.status != "cancelled")
    lines = str(events[_uid(store, bare.id)]["DESCRIPTION"]).split("\n")
    template = templates[bare.meeting_type_id]
    assert lines[0] == "Agenda:"
    assert lines[1 : 1 + len(template)] == [
        f"- {i['title']} ({i['minutes']} min)" for i in template
    ]
    assert f"Location: {bare.location}" in lines
    assert with_items & set(expected)  # the demo prepares meetings near today


def test_filter_by_owner(store: Store, tmp_path: Path) -> None:
    with store.session() as session:
        owner_id, owner_name = session.execute(
            select(m.Staff.id, m.Staff.name)
            .join(m.Client, m.Client.vcio_id == m.Staff.id)
            .order_by(m.Staff.id)
            .limit(1)
        ).one()
    path = tmp_path / "owner.ics"
    report = export_calendar(store, path, owner_id=owner_id, **Y2027)
    expected = _meetings(store, owner_id=owner_id, **Y2027)
    assert set(_events(path)) == {_uid(store, mid) for mid in expected}
    assert 0 < report.events < len(_meetings(store, **Y2027))
    assert report.calendar_name == f"vcio_desk — {owner_name} — 2027"


def test_filter_by_client_and_internal_body(store: Store, tmp_path: Path) -> None:
    clients, bodies, _ = _names(store)
    client_id = min(clients)
    path = tmp_path / "client.ics"
    report = export_calendar(store, path, client_id=client_id, **Y2027)
    expected = _meetings(store, client_id=client_id, **Y2027)
    assert set(_events(path)) == {_uid(store, mid) for mid in expected} != set()
    assert clients[client_id] in report.calendar_name
    body_id = min(bodies)
    export_calendar(store, path, internal_body_id=body_id, **Y2027)
    expected = _meetings(store, internal_body_id=body_id, **Y2027)
    assert set(_events(path)) == {_uid(store, mid) for mid in expected} != set()


def test_unknown_filter_is_a_user_error(store: Store, tmp_path: Path) -> None:
    with pytest.raises(VcioDeskError, match="Client 9999 no longer exists"):
        export_calendar(store, tmp_path / "x.ics", client_id=9999, **Y2027)
    assert not (tmp_path / "x.ics").exists()


def test_empty_or_inverted_window_is_refused(store: Store, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="must end after it starts"):
        export_calendar(store, tmp_path / "x.ics", start=AS_OF, end=AS_OF)


def test_other_windows_are_named_by_their_dates(store: Store, tmp_path: Path) -> None:
    report = export_calendar(
        store, tmp_path / "x.ics", start=dt.date(2026, 11, 20), end=dt.date(2027, 11, 20)
    )
    assert report.calendar_name == "vcio_desk — 2026-11-20 to 2027-11-19"


def test_workspace_uid_is_created_once_and_differs_between_workspaces(
    store: Store, tmp_path: Path, db_target
) -> None:
    first = workspace_uid(store)
    assert first == workspace_uid(store) and len(first) == 32
    with store.session() as session:
        stored = session.scalar(select(m.Setting.value).where(m.Setting.key == "workspace_uid"))
    assert stored == first
    with open_store(db_target("other")) as other:
        build_demo(other, clients=6, years=1, seed=3, as_of=AS_OF)
        assert workspace_uid(other) != first
        export_calendar(other, tmp_path / "other.ics", **Y2027)
    export_calendar(store, tmp_path / "mine.ics", **Y2027)
    assert not set(_events(tmp_path / "other.ics")) & set(_events(tmp_path / "mine.ics"))


def test_read_only_workspace_still_exports(tmp_path: Path, db_target) -> None:  # type: ignore[no-untyped-def]
    path = db_target("ro")
    with open_store(path) as store:
        build_demo(store, clients=6, years=1, seed=3, as_of=AS_OF)
    with open_store(path, read_only=True) as store:
        uid = workspace_uid(store)
        assert uid == workspace_uid(store)
        report = export_calendar(store, tmp_path / "ro.ics", **Y2027)
    assert report.events > 0


def test_unknown_time_zone_is_exported_in_utc_with_a_warning(store: Store, tmp_path: Path) -> None:
    meeting = next(iter(_meetings(store, **Y2027).values()))
    with store.transaction() as session:
        row = session.get(m.Meeting, meeting.id)
        assert row is not None
        row.timezone = "Mars/Olympus_Mons"
    report = export_calendar(store, tmp_path / "z.ics", **Y2027)
    assert len(report.warnings) == 1 and "Mars/Olympus_Mons" in report.warnings[0]
    event = _events(tmp_path / "z.ics")[_uid(store, meeting.id)]
    assert event["DTSTART"].dt == meeting.scheduled_start


def test_a_failed_write_leaves_no_file(store: Store, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(WriteError, match=r"Cannot write calendar\.ics in .*not-a-folder"):
        export_calendar(store, blocker / "calendar.ics", **Y2027)
    assert blocker.read_text() == "x"


def test_a_meeting_that_ends_before_it_starts_is_skipped_and_reported(
    store: Store, tmp_path: Path
) -> None:
    meeting = next(iter(_meetings(store, **Y2027).values()))
    with store.transaction() as session:
        row = session.get(m.Meeting, meeting.id)
        assert row is not None
        row.scheduled_end = row.scheduled_start
    report = export_calendar(store, tmp_path / "s.ics", **Y2027)
    assert len(report.skipped) == 1
    assert f"(meeting {meeting.id}): it ends before it starts." in report.skipped[0]
    assert _uid(store, meeting.id) not in _events(tmp_path / "s.ics")
    assert report.events == len(_meetings(store, **Y2027)) - 1
