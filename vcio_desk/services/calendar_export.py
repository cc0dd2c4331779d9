"""Export planned meetings as a calendar file people subscribe to or import (PRODUCT §6).

People re-export after every planning session and re-import into Outlook or Google
Calendar. That only works if each meeting keeps the same UID across exports (so the
event is updated, not duplicated) and if two workspaces never share UIDs (so a vCIO
importing two demo or client workspaces gets both). UIDs are therefore
``meeting-<id>@<workspace uid>``, the workspace uid being a random value stored once in
the settings table.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from vcio_desk.atomic import write_atomically
from vcio_desk.domain.errors import ValidationError, VcioDeskError
from vcio_desk.domain.vocab import MeetingStatus
from vcio_desk.interop.ics import CalendarEvent, EventStatus, render_calendar
from vcio_desk.store import Store
from vcio_desk.store import models as m

__all__ = [
    "CALENDAR_STATUS",
    "CalendarExportReport",
    "calendar_events",
    "export_calendar",
    "workspace_uid",
]

WORKSPACE_UID_KEY = "workspace_uid"
CALENDAR_STATUS: Mapping[MeetingStatus, EventStatus] = {
    MeetingStatus.PROPOSED: "TENTATIVE",
    MeetingStatus.CONFIRMED: "CONFIRMED",
    MeetingStatus.HELD: "CONFIRMED",
    MeetingStatus.CANCELLED: "CANCELLED",
}
# Local dates differ from UTC dates by at most 14 hours: widen the SQL window by a day.
_MARGIN = dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class CalendarExportReport:
    path: Path
    events: int
    skipped: tuple[str, ...] = ()
    """One line per meeting left out, with the reason."""
    warnings: tuple[str, ...] = ()
    """Meetings exported with a compromise (e.g. shown in UTC for an unknown zone)."""
    calendar_name: str = ""


@dataclass(frozen=True, slots=True)
class CalendarContent:
    name: str
    events: tuple[CalendarEvent, ...]
    skipped: tuple[str, ...]
    warnings: tuple[str, ...]


def export_calendar(
    store: Store,
    path: Path,
    *,
    start: dt.date,
    end: dt.date,
    owner_id: int | None = None,
    client_id: int | None = None,
    internal_body_id: int | None = None,
) -> CalendarExportReport:
    """Write every meeting whose local date is in [start, end) to ``path`` (atomically).

    Filters narrow it to one owner, client or internal body. The file is replaced whole
    or not at all; errors people can fix are :class:`VcioDeskError` subclasses.
    """
    content = calendar_events(
        store,
        start=start,
        end=end,
        owner_id=owner_id,
        client_id=client_id,
        internal_body_id=internal_body_id,
    )
    write_atomically(path, render_calendar(content.events, calendar_name=content.name))
    return CalendarExportReport(
        path=path,
        events=len(content.events),
        skipped=content.skipped,
        warnings=content.warnings,
        calendar_name=content.name,
    )


def calendar_events(
    store: Store,
    *,
    start: dt.date,
    end: dt.date,
    owner_id: int | None = None,
    client_id: int | None = None,
    internal_body_id: int | None = None,
) -> CalendarContent:
    """The events (and calendar name) ``export_calendar`` writes, without writing them."""
    if end <= start:
        raise ValidationError(f"The export period must end after it starts ({start} to {end}).")
    base_uid = workspace_uid(store)
    with store.session() as session:
        labels = [
            _filter_label(session, model, key)
            for model, key in _filters(owner_id, client_id, internal_body_id)
        ]
        types = {
            type_id: (name, template)
            for type_id, name, template in session.execute(
                select(m.MeetingType.id, m.MeetingType.name, m.MeetingType.agenda_template)
            )
        }
        window = _window(start, end, owner_id, client_id, internal_body_id)
        rows = session.execute(_meetings_query(window)).mappings().all()
        agendas: dict[int, list[tuple[str, int | None]]] = defaultdict(list)
        agenda_query = (
            select(m.AgendaItem.meeting_id, m.AgendaItem.title, m.AgendaItem.minutes)
            .join(m.Meeting, m.Meeting.id == m.AgendaItem.meeting_id)
            .where(*window)
            .order_by(m.AgendaItem.meeting_id, m.AgendaItem.position, m.AgendaItem.id)
        )
        for meeting_id, title, minutes in session.execute(agenda_query):
            agendas[meeting_id].append((title, minutes))
    events: list[CalendarEvent] = []
    skipped: list[str] = []
    warnings: list[str] = []
    for row in rows:
        type_name, template = types[row["meeting_type_id"]]
        summary = _summary(row["subject"], type_name)
        tzid = row["timezone"]
        try:
            zone = ZoneInfo(tzid)
        except (ZoneInfoNotFoundError, ValueError):
            tzid, zone = "UTC", ZoneInfo("UTC")
        if not start <= row["scheduled_start"].astimezone(zone).date() < end:
            continue  # the SQL window is a day wider than asked
        if tzid != row["timezone"]:
            warnings.append(
                f"{summary} (meeting {row['id']}) has an unknown time zone "
                f"{row['timezone']!r}; it is shown in UTC."
            )
        if row["scheduled_end"] <= row["scheduled_start"]:
            skipped.append(f"{summary} (meeting {row['id']}): it ends before it starts.")
            continue
        agenda = agendas.get(row["id"]) or _template_agenda(template)
        events.append(
            CalendarEvent(
                uid=f"meeting-{row['id']}@{base_uid}",
                sequence=max(0, row["sequence"]),
                status=CALENDAR_STATUS[MeetingStatus(row["status"])],
                start_utc=row["scheduled_start"],
                end_utc=row["scheduled_end"],
                tzid=tzid,
                summary=summary,
                description=_description(row, agenda),
                location=row["location"] or "",
                last_modified_utc=row["updated_at"] or row["created_at"],
            )
        )
    name = " — ".join(["vcio_desk", *labels, _period_label(start, end)])
    return CalendarContent(name, tuple(events), tuple(skipped), tuple(warnings))


def workspace_uid(store: Store) -> str:
    """This workspace's random id for calendar UIDs, created on first use.

    A read-only workspace without one gets an id derived from its location, which is
    stable as long as the file stays where it is.
    """
    with store.session() as session:
        value = session.scalar(select(m.Setting.value).where(m.Setting.key == WORKSPACE_UID_KEY))
    if isinstance(value, str) and value:
        return value
    if store.read_only:
        return uuid.uuid5(uuid.NAMESPACE_URL, store.location.display).hex
    with store.transaction() as session:
        setting = session.get(m.Setting, WORKSPACE_UID_KEY)
        if setting is not None and isinstance(setting.value, str) and setting.value:
            return setting.value
        value = uuid.uuid4().hex
        session.merge(m.Setting(key=WORKSPACE_UID_KEY, value=value))
    return value


def _filters(
    owner_id: int | None, client_id: int | None, internal_body_id: int | None
) -> list[tuple[type[Any], int]]:
    pairs = [(m.Staff, owner_id), (m.Client, client_id), (m.InternalBody, internal_body_id)]
    return [(model, key) for model, key in pairs if key is not None]


def _filter_label(session: Session, model: type[Any], key: int) -> str:
    name = session.scalar(select(model.name).where(model.id == key))
    if name is None:
        what = {m.Staff: "Staff member", m.Client: "Client"}.get(model, "Internal body")
        raise VcioDeskError(f"{what} {key} no longer exists.")
    return str(name)


def _window(
    start: dt.date,
    end: dt.date,
    owner_id: int | None,
    client_id: int | None,
    internal_body_id: int | None,
) -> list[Any]:
    """SQL conditions: a UTC window a day wider than asked, refined by local date later."""
    lo = dt.datetime.combine(start, dt.time(), tzinfo=dt.UTC) - _MARGIN
    hi = dt.datetime.combine(end, dt.time(), tzinfo=dt.UTC) + _MARGIN
    conditions: list[Any] = [m.Meeting.scheduled_start >= lo, m.Meeting.scheduled_start < hi]
    if owner_id is not None:
        conditions.append(m.Meeting.owner_id == owner_id)
    if client_id is not None:
        conditions.append(m.Meeting.client_id == client_id)
    if internal_body_id is not None:
        conditions.append(m.Meeting.internal_body_id == internal_body_id)
    return conditions


def _meetings_query(window: list[Any]) -> Select[Any]:
    return (
        select(
            m.Meeting.id,
            m.Meeting.meeting_type_id,
            m.Meeting.status,
            m.Meeting.scheduled_start,
            m.Meeting.scheduled_end,
            m.Meeting.timezone,
            m.Meeting.location,
            m.Meeting.cancel_reason,
            m.Meeting.sequence,
            m.Meeting.created_at,
            m.Meeting.updated_at,
            func.coalesce(m.Client.name, m.InternalBody.name).label("subject"),
            m.Staff.name.label("owner"),
        )
        .outerjoin(m.Client, m.Client.id == m.Meeting.client_id)
        .outerjoin(m.InternalBody, m.InternalBody.id == m.Meeting.internal_body_id)
        .outerjoin(m.Staff, m.Staff.id == m.Meeting.owner_id)
        .where(*window)
        .order_by(m.Meeting.scheduled_start, m.Meeting.id)
    )


def _summary(subject: str | None, type_name: str) -> str:
    """'Acme — vCIO strategic meeting'; a body named like its meeting type appears once."""
    if not subject or subject.casefold() == type_name.casefold():
        return type_name
    return f"{subject} — {type_name}"


def _template_agenda(template: Any) -> list[tuple[str, int | None]]:
    """Agenda headlines from a meeting type's template, tolerating hand-edited data."""
    items: list[tuple[str, int | None]] = []
    for item in template if isinstance(template, list) else []:
        if isinstance(item, dict) and str(item.get("title") or "").strip():
            minutes = item.get("minutes")
            items.append((str(item["title"]), minutes if isinstance(minutes, int) else None))
    return items


def _description(row: Mapping[str, Any], agenda: list[tuple[str, int | None]]) -> str:
    lines: list[str] = []
    if row["status"] == MeetingStatus.CANCELLED and row["cancel_reason"]:
        lines += [f"Cancelled: {row['cancel_reason']}", ""]
    if agenda:
        lines.append("Agenda:")
        lines += [f"- {title} ({mins} min)" if mins else f"- {title}" for title, mins in agenda]
    details = []
    if row["location"]:
        details.append(f"Location: {row['location']}")
    if row["owner"]:
        details.append(f"Owner: {row['owner']}")
    if details:
        lines += ["", *details] if lines else details
    return "\n".join(lines)


def _period_label(start: dt.date, end: dt.date) -> str:
    if start.month == start.day == 1 and end == start.replace(year=start.year + 1):
        return str(start.year)
    return f"{start} to {end - dt.timedelta(days=1)}"
