"""Everything the meeting page shows and the writes that are not lifecycle or agenda.

**Templates are copied when the meeting is first opened for preparing.**
:func:`open_meeting_detail` (what the page calls) copies the meeting type's agenda
and prep checklist into a meeting that has neither yet, in one transaction, when the
workspace is writable and the meeting is still planned (proposed or confirmed).
The owner and, for a client, its decision makers are invited if nobody is. Held and
cancelled meetings are records and are never filled in after the fact; a read-only
workspace shows the meeting as it is. Because only a meeting with *no* agenda and
*no* checklist is filled, emptying an agenda later does not bring the template back.
:func:`meeting_detail` itself only reads.

**Notes are saved against the version that was read.** :func:`save_texts` takes the
``row_version`` the page loaded and refuses with :class:`MeetingChangedError` ("changed
elsewhere; reload") when the meeting was saved elsewhere since, so nobody's text is
silently overwritten. Items (agenda, attendees, prep, actions) are changed one by one
by id, so they need no such check.

Writing any content marks the meeting ``user_touched``: the year scheduler never
removes or moves a meeting someone has prepared.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, aliased

from vcio_desk.domain.vocab import MeetingStatus
from vcio_desk.store import Store
from vcio_desk.store import models as m

from .actions import ActionView, carried_to, raised_at
from .meeting_agenda import AgendaItemView, agenda_of, agenda_warning
from .meeting_attendees import AttendeeView, attendees_of
from .meeting_common import (
    MeetingChangedError,
    PersonOption,
    changed_elsewhere,
    gone,
    load_meeting,
    people_options,
    touch,
    writing,
    zone_or_utc,
)

__all__ = [
    "MeetingChangedError",
    "MeetingDetail",
    "MeetingHead",
    "PrepItemView",
    "meeting_detail",
    "open_meeting_detail",
    "prepare_meeting",
    "save_texts",
    "set_prep_done",
]

TEXT_FIELDS = ("client_notes", "internal_notes", "decisions")
PREPARABLE = (MeetingStatus.PROPOSED, MeetingStatus.CONFIRMED)


@dataclass(frozen=True, slots=True)
class MeetingHead:
    """The header: what, for whom, when (on the meeting's own clock), who, which state."""

    id: int
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
    """Local start, aware, in ``timezone``."""
    end: dt.datetime
    timezone: str
    held_date: dt.date | None
    cancel_reason: str
    slot_date: dt.date | None
    location: str
    row_version: int

    @property
    def local_start(self) -> dt.datetime:
        """The start on the meeting's own clock (as the lifecycle dialogs ask for it)."""
        return self.start

    @property
    def duration_minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    @property
    def client_id(self) -> int | None:
        return self.subject_id if self.subject_kind == "client" else None


@dataclass(frozen=True, slots=True)
class PrepItemView:
    id: int
    position: int
    label: str
    done: bool


@dataclass(frozen=True, slots=True)
class MeetingDetail:
    head: MeetingHead
    agenda: tuple[AgendaItemView, ...]
    attendees: tuple[AttendeeView, ...]
    people: tuple[PersonOption, ...]
    """Everyone who could attend or own an action: staff, then the client's contacts."""
    prep: tuple[PrepItemView, ...]
    client_notes: str
    internal_notes: str
    decisions: str
    actions: tuple[ActionView, ...]
    """Raised at this meeting."""
    carried: tuple[ActionView, ...]
    """Open actions from the subject's earlier meetings (see ``services.actions``)."""

    @property
    def candidates(self) -> tuple[PersonOption, ...]:
        """People not on the attendee list yet."""
        invited = {a.key for a in self.attendees if a.key is not None}
        return tuple(p for p in self.people if p.key not in invited)

    @property
    def agenda_minutes(self) -> int:
        return sum(item.minutes for item in self.agenda)

    @property
    def agenda_warning(self) -> str | None:
        return agenda_warning(self.agenda_minutes, self.head.duration_minutes)

    @property
    def prep_done(self) -> int:
        return sum(item.done for item in self.prep)

    def text(self, field: str) -> str:
        if field not in TEXT_FIELDS:
            raise KeyError(field)
        return str(getattr(self, field))


def meeting_detail(store: Store, meeting_id: int) -> MeetingDetail:
    """All of one meeting, read in one session (nothing is written)."""
    with store.session() as session:
        meeting = load_meeting(session, meeting_id)
        head = _head(session, meeting)
        attendees = attendees_of(session, meeting_id)
        keep = frozenset(a.key for a in attendees if a.key is not None)
        prep = session.execute(
            select(m.PrepItem.id, m.PrepItem.position, m.PrepItem.label, m.PrepItem.done)
            .where(m.PrepItem.meeting_id == meeting_id)
            .order_by(m.PrepItem.position, m.PrepItem.id)
        ).all()
        return MeetingDetail(
            head=head,
            agenda=tuple(agenda_of(session, meeting_id)),
            attendees=tuple(attendees),
            people=people_options(session, meeting.client_id, keep),
            prep=tuple(PrepItemView(*row) for row in prep),
            client_notes=meeting.client_notes or "",
            internal_notes=meeting.internal_notes or "",
            decisions=meeting.decisions or "",
            actions=tuple(raised_at(session, meeting_id)),
            carried=tuple(carried_to(session, meeting)),
        )


def open_meeting_detail(store: Store, meeting_id: int) -> MeetingDetail:
    """The page's way in: fill an unprepared planned meeting from its template, then read."""
    if not store.read_only:
        prepare_meeting(store, meeting_id)
    return meeting_detail(store, meeting_id)


def prepare_meeting(store: Store, meeting_id: int) -> bool:
    """Copy the type's agenda and checklist into a never-prepared planned meeting.

    Returns True when something was copied. One transaction: all of it or nothing.
    """
    with store.session() as session:
        meeting = load_meeting(session, meeting_id)
        if MeetingStatus(meeting.status) not in PREPARABLE or _has_content(session, meeting_id):
            return False
    with writing(store) as session:
        meeting = load_meeting(session, meeting_id)
        if _has_content(session, meeting_id):  # prepared meanwhile
            return False
        meeting_type = session.get(m.MeetingType, meeting.meeting_type_id)
        if meeting_type is None:
            return False
        agenda = [
            {"meeting_id": meeting_id, **row}
            for row in _template_agenda(session, meeting, meeting_type)
        ]
        prep = [
            {"meeting_id": meeting_id, "position": position, "label": str(label)[:300]}
            for position, label in enumerate(meeting_type.prep_checklist or [])
            if str(label).strip()
        ]
        if not agenda and not prep:
            return False
        if agenda:
            session.execute(insert(m.AgendaItem), agenda)
        if prep:
            session.execute(insert(m.PrepItem), prep)
        _invite_defaults(session, meeting)
        return True


def template_agenda(store: Store, meeting_id: int) -> tuple[AgendaItemView, ...]:
    """The agenda a never-prepared planned meeting will get from its type (read only).

    A pack printed before anyone opened the meeting shows this, as the page would.
    """
    with store.session() as session:
        meeting = load_meeting(session, meeting_id)
        if MeetingStatus(meeting.status) not in PREPARABLE or _has_content(session, meeting_id):
            return ()
        meeting_type = session.get(m.MeetingType, meeting.meeting_type_id)
        if meeting_type is None:
            return ()
        rows = _template_agenda(session, meeting, meeting_type)
    return tuple(AgendaItemView(id=0, **row) for row in rows)


def _template_agenda(
    session: Session, meeting: m.Meeting, meeting_type: m.MeetingType
) -> list[dict[str, Any]]:
    presenters = _presenters(session, meeting)
    return [
        {
            "position": position,
            "title": str(item.get("title", "")).strip()[:300] or "Agenda item",
            "minutes": _minutes(item.get("minutes")),
            "presenter": presenters.get(str(item.get("presenter_role", "")), ""),
        }
        for position, item in enumerate(meeting_type.agenda_template or [])
        if isinstance(item, dict)
    ]


def set_prep_done(store: Store, item_id: int, done: bool) -> None:
    """Tick or untick one checklist item (the dashboard's prep state follows)."""
    with writing(store, "the prep checklist") as session:
        row = session.get(m.PrepItem, item_id)
        if row is None:
            raise gone("This checklist item")
        if row.done != done:
            row.done = done
            touch(load_meeting(session, row.meeting_id))


def save_texts(
    store: Store,
    meeting_id: int,
    row_version: int,
    *,
    client_notes: str | None = None,
    internal_notes: str | None = None,
    decisions: str | None = None,
) -> int:
    """Save the given texts if the meeting is still at ``row_version``; the new version.

    Raises :class:`MeetingChangedError` when it was saved elsewhere since it was read.
    """
    values = {
        "client_notes": client_notes,
        "internal_notes": internal_notes,
        "decisions": decisions,
    }
    with writing(store, "notes") as session:
        meeting = load_meeting(session, meeting_id)
        if meeting.row_version != row_version:
            raise changed_elsewhere()
        changed = False
        for field, value in values.items():
            if value is not None and getattr(meeting, field) != value:
                setattr(meeting, field, value)
                changed = True
        if changed:
            touch(meeting)
        session.flush()
        return meeting.row_version


def _head(session: Session, meeting: m.Meeting) -> MeetingHead:
    owner = aliased(m.Staff)
    row = session.execute(
        select(
            m.MeetingType.key,
            m.MeetingType.name,
            owner.name.label("owner"),
            func.coalesce(m.Client.name, m.InternalBody.name).label("subject"),
        )
        .select_from(m.Meeting)
        .join(m.MeetingType, m.MeetingType.id == m.Meeting.meeting_type_id)
        .outerjoin(owner, owner.id == m.Meeting.owner_id)
        .outerjoin(m.Client, m.Client.id == m.Meeting.client_id)
        .outerjoin(m.InternalBody, m.InternalBody.id == m.Meeting.internal_body_id)
        .where(m.Meeting.id == meeting.id)
    ).one()
    zone = zone_or_utc(meeting.timezone)
    is_client = meeting.client_id is not None
    subject_id = meeting.client_id if is_client else meeting.internal_body_id
    return MeetingHead(
        id=meeting.id,
        subject_kind="client" if is_client else "internal",
        subject_id=subject_id or 0,
        subject=row.subject or "",
        meeting_type_key=row.key,
        meeting_type=row.name,
        owner_id=meeting.owner_id,
        owner=row.owner or "",
        status=MeetingStatus(meeting.status),
        start=meeting.scheduled_start.astimezone(zone),
        end=meeting.scheduled_end.astimezone(zone),
        timezone=meeting.timezone,
        held_date=meeting.held_date,
        cancel_reason=meeting.cancel_reason or "",
        slot_date=meeting.slot_date,
        location=meeting.location or "",
        row_version=meeting.row_version,
    )


def _has_content(session: Session, meeting_id: int) -> bool:
    for model in (m.AgendaItem, m.PrepItem):
        if session.scalar(select(model.id).where(model.meeting_id == meeting_id).limit(1)):
            return True
    return False


def _minutes(value: object) -> int:
    return value if isinstance(value, int) and 0 <= value <= 24 * 60 else 10


def _presenters(session: Session, meeting: m.Meeting) -> dict[str, str]:
    """Template roles ("vcio", "client"…) → the names that fill them for this meeting."""
    staff = dict(session.execute(select(m.Staff.id, m.Staff.name)).all())
    names = {"owner": staff.get(meeting.owner_id or -1, "")}
    if meeting.client_id is not None:
        client = session.get(m.Client, meeting.client_id)
        if client is not None:
            names["vcio"] = staff.get(client.vcio_id or -1, "")
            names["tam"] = staff.get(client.tam_id or -1, "")
            names["account_manager"] = staff.get(client.account_manager_id or -1, "")
            names["client"] = (
                session.scalar(
                    select(m.Contact.name)
                    .where(m.Contact.client_id == client.id, m.Contact.decision_maker)
                    .order_by(m.Contact.name, m.Contact.id)
                    .limit(1)
                )
                or ""
            )
    else:
        body = session.get(m.InternalBody, meeting.internal_body_id)
        if body is not None and not names["owner"]:
            names["owner"] = staff.get(body.owner_id or -1, "")
    return names


def _invite_defaults(session: Session, meeting: m.Meeting) -> None:
    """The owner and the client's decision makers, when nobody is invited yet."""
    if session.scalar(
        select(m.MeetingAttendee.id).where(m.MeetingAttendee.meeting_id == meeting.id).limit(1)
    ):
        return
    rows = []
    if meeting.owner_id is not None:
        name = session.scalar(select(m.Staff.name).where(m.Staff.id == meeting.owner_id))
        rows.append({"meeting_id": meeting.id, "staff_id": meeting.owner_id, "name": name or ""})
    if meeting.client_id is not None:
        for contact_id, name in session.execute(
            select(m.Contact.id, m.Contact.name).where(
                m.Contact.client_id == meeting.client_id, m.Contact.decision_maker
            )
        ):
            rows.append({"meeting_id": meeting.id, "contact_id": contact_id, "name": name})
    if rows:
        session.execute(insert(m.MeetingAttendee), rows)
