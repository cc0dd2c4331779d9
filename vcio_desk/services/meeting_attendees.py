"""Who is invited to a meeting and who was there.

A client meeting invites staff, the client's own contacts, or a guest by name; an
internal body's meeting (the standards committee) invites staff only. Presence is
three-valued: ``None`` until recorded, then present (True) or absent (False).
The stored ``name`` is a copy taken when the person was added, so the minutes still
read right if a contact is later deleted; the current name is shown while they exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from vcio_desk.domain.errors import ValidationError
from vcio_desk.store import Store
from vcio_desk.store import models as m

from .meeting_common import PersonKind, gone, load_meeting, staff_roles, touch, writing

NAME_MAX = 200


@dataclass(frozen=True, slots=True)
class AttendeeView:
    id: int
    kind: PersonKind | None
    """``staff``, ``contact``, or None for a guest named in free text."""
    person_id: int | None
    name: str
    detail: str
    present: bool | None

    @property
    def key(self) -> tuple[PersonKind, int] | None:
        return None if self.kind is None or self.person_id is None else (self.kind, self.person_id)


def attendees_of(session: Session, meeting_id: int) -> list[AttendeeView]:
    """Staff first, then the client's people, then guests; by name within each."""
    rows = session.execute(
        select(m.MeetingAttendee, m.Staff, m.Contact)
        .outerjoin(m.Staff, m.Staff.id == m.MeetingAttendee.staff_id)
        .outerjoin(m.Contact, m.Contact.id == m.MeetingAttendee.contact_id)
        .where(m.MeetingAttendee.meeting_id == meeting_id)
    ).all()
    result = []
    for attendee, staff, contact in rows:
        if staff is not None:
            view = AttendeeView(
                attendee.id, "staff", staff.id, staff.name, staff_roles(staff), attendee.present
            )
        elif contact is not None:
            detail = contact.title or "Client contact"
            view = AttendeeView(
                attendee.id, "contact", contact.id, contact.name, detail, attendee.present
            )
        else:
            view = AttendeeView(attendee.id, None, None, attendee.name, "Guest", attendee.present)
        result.append(view)
    order = {"staff": 0, "contact": 1, None: 2}
    return sorted(result, key=lambda a: (order[a.kind], a.name.casefold(), a.id))


def add_attendee(
    store: Store,
    meeting_id: int,
    *,
    staff_id: int | None = None,
    contact_id: int | None = None,
    name: str = "",
    present: bool | None = None,
) -> AttendeeView:
    """Invite one person; inviting someone already on the list returns them unchanged."""
    if sum(x is not None for x in (staff_id, contact_id)) + bool(name.strip()) != 1:
        raise ValidationError("Choose one person to add: a staff member, a contact or a name.")
    with writing(store, "attendees") as session:
        meeting = load_meeting(session, meeting_id)
        existing = _existing(session, meeting_id, staff_id, contact_id)
        if existing is not None:
            attendee_id = existing
        else:
            row = m.MeetingAttendee(meeting_id=meeting_id, present=present)
            if staff_id is not None:
                staff = session.get(m.Staff, staff_id)
                if staff is None:
                    raise ValidationError("That staff member no longer exists.")
                row.staff_id, row.name = staff.id, staff.name
            elif contact_id is not None:
                contact = session.get(m.Contact, contact_id)
                if meeting.client_id is None:
                    raise ValidationError(
                        "Internal meetings are attended by staff only; add the person as staff."
                    )
                if contact is None or contact.client_id != meeting.client_id:
                    raise ValidationError("Only the client's own contacts can be added.")
                row.contact_id, row.name = contact.id, contact.name
            else:
                if meeting.client_id is None:
                    raise ValidationError(
                        "Internal meetings are attended by staff only; add the person as staff."
                    )
                guest = " ".join(name.split())
                if len(guest) > NAME_MAX:
                    raise ValidationError(f"Keep a name under {NAME_MAX} characters.")
                row.name = guest
            session.add(row)
            touch(meeting)
            session.flush()
            attendee_id = row.id
        found = [a for a in attendees_of(session, meeting_id) if a.id == attendee_id]
    return found[0]


def remove_attendee(store: Store, attendee_id: int) -> AttendeeView:
    """Take someone off the list; returns them as they were, so they can be put back."""
    with writing(store, "attendees") as session:
        row = _load(session, attendee_id)
        before = next(a for a in attendees_of(session, row.meeting_id) if a.id == attendee_id)
        touch(load_meeting(session, row.meeting_id))
        session.delete(row)
    return before


def set_present(store: Store, attendee_id: int, present: bool | None) -> None:
    """Record presence (None: not recorded); setting the same value again changes nothing."""
    with writing(store, "attendees") as session:
        row = _load(session, attendee_id)
        if row.present != present:
            row.present = present
            touch(load_meeting(session, row.meeting_id))


def _existing(
    session: Session, meeting_id: int, staff_id: int | None, contact_id: int | None
) -> int | None:
    if staff_id is None and contact_id is None:
        return None
    column = m.MeetingAttendee.staff_id if staff_id is not None else m.MeetingAttendee.contact_id
    person = staff_id if staff_id is not None else contact_id
    return session.scalar(
        select(m.MeetingAttendee.id).where(
            m.MeetingAttendee.meeting_id == meeting_id, column == person
        )
    )


def _load(session: Session, attendee_id: int) -> m.MeetingAttendee:
    row = session.get(m.MeetingAttendee, attendee_id)
    if row is None:
        raise gone("This attendee")
    return row
