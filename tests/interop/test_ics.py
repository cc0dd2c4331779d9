"""render_calendar: RFC 5545 structure, time zones and user text that must survive exactly.

Everything is read back with independent readers (icalendar's parser and
recurring-ical-events), never by comparing against hand-written ICS text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar.parser.property import unescape_backslash

from vcio_desk.interop.ics import PRODID, CalendarEvent, clean_text, render_calendar

START = dt.datetime(2027, 3, 10, 15, 0, tzinfo=dt.UTC)
STAMP = dt.datetime(2026, 11, 20, 8, 30, tzinfo=dt.UTC)
HOSTILE = 'Acme; "R&D", <b>Co</b>\nLine2'
NOTES = "Bring: laptop, badge, coffee ☕️🚀; room 3\\B — שלום עליכם, مرحبا بكم"


def _event(n: int = 1, **changes: object) -> CalendarEvent:
    base = CalendarEvent(
        uid=f"meeting-{n}@ws-1",
        sequence=n,
        status="CONFIRMED",
        start_utc=START + dt.timedelta(days=n),
        end_utc=START + dt.timedelta(days=n, hours=1),
        tzid="America/New_York",
        summary=f"Client {n} — vCIO strategic meeting",
        description="Agenda:\n- Roadmap (15 min)",
        location="Client office",
        last_modified_utc=STAMP,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def _parse(data: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(data)


def test_calendar_header() -> None:
    calendar = _parse(render_calendar([_event()], calendar_name="vcio_desk — 2027"))
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["PRODID"] == PRODID
    assert calendar["VERSION"] == "2.0"
    assert calendar["X-WR-CALNAME"] == "vcio_desk — 2027"
    assert "RRULE" not in calendar.events[0]


def test_events_read_back_with_their_fields() -> None:
    events = [_event(1), _event(2, status="TENTATIVE"), _event(3, status="CANCELLED")]
    data = render_calendar(events, calendar_name="x")
    found = recurring_ical_events.of(_parse(data)).between(START, START + dt.timedelta(days=30))
    by_uid = {str(e["UID"]): e for e in found}
    assert set(by_uid) == {e.uid for e in events}
    for event in events:
        vevent = by_uid[event.uid]
        assert int(vevent["SEQUENCE"]) == event.sequence
        assert str(vevent["STATUS"]) == event.status
        assert vevent["DTSTART"].params["TZID"] == "America/New_York"
        assert vevent["DTSTART"].dt == event.start_utc
        assert vevent["DTEND"].dt == event.end_utc
        assert vevent["DTSTAMP"].dt == STAMP
        assert str(vevent["SUMMARY"]) == event.summary
    assert str(by_uid["meeting-3@ws-1"]["TRANSP"]) == "TRANSPARENT"
    assert str(by_uid["meeting-1@ws-1"]["TRANSP"]) == "OPAQUE"


def test_local_wall_clock_is_written_in_the_zone() -> None:
    # 15:00 UTC on 2027-03-11 is 10:00 EST (DST starts 2027-03-14): the file must say 10:00.
    data = render_calendar([_event(1)], calendar_name="x")
    assert b"DTSTART;TZID=America/New_York:20270311T100000" in data


def test_a_vtimezone_for_every_zone_used() -> None:
    zones = ["Europe/Berlin", "Australia/Sydney", "America/New_York", "Asia/Kolkata"]
    events = [_event(i, tzid=zone) for i, zone in enumerate(zones, 1)]
    calendar = _parse(render_calendar(events, calendar_name="x"))
    assert sorted(tz.tz_name for tz in calendar.timezones) == sorted(zones)
    assert calendar.get_missing_tzids() == set()
    # VTIMEZONEs come first (readers that stream need them before the events)
    names = [c.name for c in calendar.subcomponents]
    assert names == ["VTIMEZONE"] * len(zones) + ["VEVENT"] * len(zones)
    for vevent, zone in zip(calendar.events, zones, strict=True):
        assert (
            vevent["DTSTART"].dt.utcoffset()
            == vevent["DTSTART"].dt.astimezone(ZoneInfo(zone)).utcoffset()
        )


def test_utc_meetings_need_no_vtimezone() -> None:
    calendar = _parse(render_calendar([_event(tzid="UTC")], calendar_name="x"))
    assert calendar.timezones == []
    assert calendar.events[0]["DTSTART"].dt == _event().start_utc


def test_hostile_text_round_trips_exactly() -> None:
    event = _event(summary=HOSTILE, description=NOTES, location=HOSTILE + ", " + NOTES)
    data = render_calendar([event], calendar_name=HOSTILE)
    calendar = _parse(data)
    vevent = calendar.events[0]
    assert str(vevent["SUMMARY"]) == HOSTILE
    assert str(vevent["DESCRIPTION"]) == NOTES
    assert str(vevent["LOCATION"]) == event.location
    # X-WR-CALNAME is parsed untyped by icalendar: unescape it as TEXT; one line by design
    for prop in ("NAME", "X-WR-CALNAME"):
        assert unescape_backslash(str(calendar[prop])) == HOSTILE.replace("\n", " ")
    # escaped by the library: no raw separators or line breaks inside the property
    assert b'SUMMARY:Acme\\; "R&D"\\, <b>Co</b>\\nLine2' in data
    assert len(calendar.events) == 1


def test_control_characters_are_dropped_and_line_breaks_normalised() -> None:
    event = _event(summary="a\x00b\x07c", description="one\r\ntwo\rthree\tfour")
    vevent = _parse(render_calendar([event], calendar_name="x")).events[0]
    assert str(vevent["SUMMARY"]) == "abc"
    assert str(vevent["DESCRIPTION"]) == "one\ntwo\nthree\tfour"


def test_same_events_same_bytes() -> None:
    events = [_event(i, tzid=zone) for i, zone in enumerate(["Europe/Dublin", "Asia/Tokyo"], 1)]
    first = render_calendar(events, calendar_name="x")
    assert render_calendar(list(reversed(events))[::-1], calendar_name="x") == first


def test_empty_calendar_is_valid() -> None:
    calendar = _parse(render_calendar([], calendar_name="Nothing planned"))
    assert calendar.events == [] and calendar["METHOD"] == "PUBLISH"


@pytest.mark.parametrize(
    "changes",
    [
        {"start_utc": dt.datetime(2027, 1, 1, 10)},  # naive
        {"start_utc": dt.datetime(2027, 1, 1, 10, tzinfo=ZoneInfo("Europe/Berlin"))},
        {"end_utc": START},  # ends before it starts
        {"status": "DONE"},
        {"sequence": -1},
        {"tzid": "Mars/Olympus_Mons"},
    ],
)
def test_invalid_events_are_rejected(changes: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        _event(**changes)


@settings(max_examples=60, deadline=None)
@given(text=st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80))
def test_any_text_round_trips_after_cleaning(text: str) -> None:
    event = _event(summary=text or "x", description=text, location=text)
    vevent = _parse(render_calendar([event], calendar_name="x")).events[0]
    expected = clean_text(text)
    assert str(vevent["SUMMARY"]) == (clean_text(text or "x"))
    if expected:
        assert str(vevent["DESCRIPTION"]) == expected
        assert str(vevent["LOCATION"]) == expected


@pytest.mark.parametrize("width", range(60, 80))
def test_folding_never_splits_an_escape(width: int) -> None:
    # Google Calendar drops an event whose "\n" escape is split by line folding.
    text = "x" * width + "\n" + "y, z; " * 30
    data = render_calendar([_event(description=text, summary=text)], calendar_name="x")
    for line in data.split(b"\r\n"):
        assert len(line) <= 75
        trailing = len(line) - len(line.rstrip(b"\\"))
        assert trailing % 2 == 0, line
