"""Calendar files (RFC 5545) for planned meetings, built with the ``icalendar`` library.

A published calendar is re-imported again and again as plans change, so every event
keeps a stable UID and a SEQUENCE that only grows; calendar programs then update the
event in place instead of adding a duplicate. Times are written in the subject's own
zone (``DTSTART;TZID=...``) with the matching VTIMEZONE, so a meeting at 14:00 in
New York stays at 14:00 local even across a DST change the reader's rules disagree on.

User text (client names, notes, agenda titles) only ever reaches the file through
``icalendar`` properties, which escape commas, semicolons, backslashes and newlines.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar, Event, vText

__all__ = ["PRODID", "CalendarEvent", "EventStatus", "render_calendar"]

PRODID = "-//vcio_desk//vcio-desk//EN"
EventStatus = Literal["TENTATIVE", "CONFIRMED", "CANCELLED"]
_STATUSES = frozenset({"TENTATIVE", "CONFIRMED", "CANCELLED"})
# RFC 5545 TEXT allows no control characters but TAB; line breaks are escaped as "\n".
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# VTIMEZONE rules are written for the span the events need, with a year's margin.
_ZONE_MARGIN = dt.timedelta(days=366)


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """One meeting as a calendar shows it; instants are aware UTC datetimes."""

    uid: str
    sequence: int
    status: EventStatus
    start_utc: dt.datetime
    end_utc: dt.datetime
    tzid: str
    """IANA zone name the times are shown in, e.g. ``America/New_York``."""
    summary: str
    description: str
    location: str
    last_modified_utc: dt.datetime

    def __post_init__(self) -> None:
        for name in ("start_utc", "end_utc", "last_modified_utc"):
            value: dt.datetime = getattr(self, name)
            if value.tzinfo is None or value.utcoffset() != dt.timedelta(0):
                raise ValueError(f"{name} must be an aware UTC datetime, got {value!r}")
        if self.end_utc <= self.start_utc:
            raise ValueError(f"event {self.uid} ends before it starts")
        if self.status not in _STATUSES:
            raise ValueError(f"unknown event status {self.status!r}")
        if self.sequence < 0:
            raise ValueError("SEQUENCE cannot be negative")
        zone(self.tzid)


def zone(tzid: str) -> ZoneInfo:
    """The zone for an IANA name; ``ValueError`` (not a KeyError subclass) when unknown."""
    try:
        return ZoneInfo(tzid)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {tzid!r}") from exc


def clean_text(text: str) -> str:
    """Line breaks normalised to LF and control characters dropped: RFC 5545 TEXT rules."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def render_calendar(events: Iterable[CalendarEvent], *, calendar_name: str) -> bytes:
    """A complete METHOD:PUBLISH calendar: one VEVENT per event (no RRULE) plus VTIMEZONEs.

    The output depends only on the events and the name, so re-exporting unchanged
    data gives identical bytes (no "now" stamps, no random calendar UID).
    """
    events = list(events)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # icalendar 7.3 types NAME and X-WR-CALNAME as vUnknown, which is written unescaped
    # (a newline would even abort to_ical): wrap in vText so TEXT escaping applies, and
    # keep the display name on one line.
    name = vText(" ".join(clean_text(calendar_name).split()))
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(_vevent(event))
    if events:
        first = min(e.start_utc for e in events).date() - _ZONE_MARGIN
        last = max(e.end_utc for e in events).date() + _ZONE_MARGIN
        calendar.add_missing_timezones(first_date=first, last_date=last)
        missing = calendar.get_missing_tzids()
        if missing:  # icalendar could not build a VTIMEZONE; readers would guess the zone
            raise ValueError(f"no VTIMEZONE could be built for {sorted(missing)}")
        # add_missing_timezones follows set order; sort so equal data gives equal bytes.
        zones = sorted(calendar.timezones, key=lambda tz: tz.tz_name)
        others = [c for c in calendar.subcomponents if c.name != "VTIMEZONE"]
        calendar.subcomponents[:] = [*zones, *others]
    return calendar.to_ical()


def _vevent(event: CalendarEvent) -> Event:
    local = zone(event.tzid)
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", event.last_modified_utc)
    vevent.add("last-modified", event.last_modified_utc)
    vevent.add("sequence", event.sequence)
    vevent.add("status", event.status)
    vevent.add("dtstart", event.start_utc.astimezone(local))
    vevent.add("dtend", event.end_utc.astimezone(local))
    vevent.add("summary", clean_text(event.summary))
    if event.description:
        vevent.add("description", clean_text(event.description))
    if event.location:
        vevent.add("location", clean_text(event.location))
    # A cancelled meeting stays visible but no longer blocks the owner's free/busy time.
    vevent.add("transp", "TRANSPARENT" if event.status == "CANCELLED" else "OPAQUE")
    return vevent
