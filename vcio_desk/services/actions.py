"""Action items: raised at a meeting (or on their own), owned by staff or a client contact.

**Carry-over is computed, not copied.** The actions carried to a meeting are every
*open* action of the same subject (client or internal body) that was raised at a
meeting which started before this one, or at no meeting at all. Nothing is
written when a meeting comes along, so an action closed anywhere (the meeting page,
the client's Actions tab) disappears from every later meeting at once, and an
action reopened comes back everywhere. What a meeting shows is what is open now.

Statuses are open, done and cancelled; ``completed_on`` is the day an action was
closed (done or cancelled) and is cleared when it is reopened. Time is injected:
the closing day is the caller's ``as_of``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session, aliased

from vcio_desk.domain.errors import ValidationError
from vcio_desk.domain.vocab import ActionStatus
from vcio_desk.store import Store
from vcio_desk.store import models as m

from .meeting_common import (
    PersonKind,
    PersonOption,
    gone,
    load_meeting,
    people_options,
    touch,
    writing,
    zone_or_utc,
)

TITLE_MAX = 500

STATUS_WORDS = {
    ActionStatus.OPEN: "Open",
    ActionStatus.DONE: "Done",
    ActionStatus.CANCELLED: "Cancelled",
}


@dataclass(frozen=True, slots=True)
class ActionView:
    id: int
    title: str
    notes: str
    owner_kind: PersonKind | None
    owner_id: int | None
    owner: str
    due_date: dt.date | None
    status: ActionStatus
    completed_on: dt.date | None
    meeting_id: int | None
    meeting_day: dt.date | None
    """The local day of the meeting that raised it (None when raised at no meeting)."""
    meeting_type: str
    meeting_type_key: str
    client_id: int | None
    internal_body_id: int | None

    @property
    def is_open(self) -> bool:
        return self.status is ActionStatus.OPEN

    def is_overdue(self, as_of: dt.date) -> bool:
        return self.is_open and self.due_date is not None and self.due_date < as_of

    @property
    def owner_key(self) -> tuple[PersonKind, int] | None:
        if self.owner_kind is None or self.owner_id is None:
            return None
        return (self.owner_kind, self.owner_id)


@dataclass(frozen=True, slots=True)
class ActionInput:
    """What a person fills in for an action."""

    title: str
    owner: tuple[PersonKind, int] | None = None
    due_date: dt.date | None = None
    status: ActionStatus = ActionStatus.OPEN
    notes: str = ""


@dataclass(frozen=True, slots=True)
class ActionStatusChange:
    """The status before and after, so a page can undo a close or a reopen exactly."""

    action_id: int
    before: tuple[ActionStatus, dt.date | None]
    after: tuple[ActionStatus, dt.date | None]


# -- reading -----------------------------------------------------------------------------------


def _query() -> Select[tuple]:
    origin_type = aliased(m.MeetingType)
    origin = aliased(m.Meeting)
    return (
        select(
            m.ActionItem.id,
            m.ActionItem.title,
            m.ActionItem.notes,
            m.ActionItem.owner_staff_id,
            m.ActionItem.owner_contact_id,
            m.Staff.name.label("staff_name"),
            m.Contact.name.label("contact_name"),
            m.ActionItem.due_date,
            m.ActionItem.status,
            m.ActionItem.completed_on,
            m.ActionItem.meeting_id,
            origin.scheduled_start,
            origin.timezone,
            origin_type.name.label("type_name"),
            origin_type.key.label("type_key"),
            m.ActionItem.client_id,
            m.ActionItem.internal_body_id,
        )
        .outerjoin(m.Staff, m.Staff.id == m.ActionItem.owner_staff_id)
        .outerjoin(m.Contact, m.Contact.id == m.ActionItem.owner_contact_id)
        .outerjoin(origin, origin.id == m.ActionItem.meeting_id)
        .outerjoin(origin_type, origin_type.id == origin.meeting_type_id)
    )


def _views(session: Session, query: Select[tuple]) -> list[ActionView]:
    result = []
    for row in session.execute(query):
        kind: PersonKind | None = None
        owner_id = None
        if row.owner_staff_id is not None:
            kind, owner_id = "staff", row.owner_staff_id
        elif row.owner_contact_id is not None:
            kind, owner_id = "contact", row.owner_contact_id
        day = None
        if row.scheduled_start is not None:
            day = row.scheduled_start.astimezone(zone_or_utc(row.timezone)).date()
        result.append(
            ActionView(
                id=row.id,
                title=row.title,
                notes=row.notes or "",
                owner_kind=kind,
                owner_id=owner_id,
                owner=row.staff_name or row.contact_name or "",
                due_date=row.due_date,
                status=ActionStatus(row.status),
                completed_on=row.completed_on,
                meeting_id=row.meeting_id,
                meeting_day=day,
                meeting_type=row.type_name or "",
                meeting_type_key=row.type_key or "",
                client_id=row.client_id,
                internal_body_id=row.internal_body_id,
            )
        )
    return result


def _by_due(actions: list[ActionView]) -> list[ActionView]:
    """Soonest due first; no due date last; then in the order they were raised."""
    return sorted(actions, key=lambda a: (a.due_date is None, a.due_date or dt.date.min, a.id))


def client_actions(store: Store, client_id: int) -> list[ActionView]:
    """Every action of the client, whatever its status, soonest due first."""
    with store.session() as session:
        return _by_due(_views(session, _query().where(m.ActionItem.client_id == client_id)))


def raised_at(session: Session, meeting_id: int) -> list[ActionView]:
    """The actions raised at this meeting, in the order they were raised."""
    query = _query().where(m.ActionItem.meeting_id == meeting_id).order_by(m.ActionItem.id)
    return _views(session, query)


def carried_to(session: Session, meeting: m.Meeting) -> list[ActionView]:
    """Open actions of the meeting's subject raised before it (see the module docstring)."""
    earlier = aliased(m.Meeting)
    subject = (
        m.ActionItem.client_id == meeting.client_id
        if meeting.client_id is not None
        else m.ActionItem.internal_body_id == meeting.internal_body_id
    )
    query = (
        _query()
        .outerjoin(earlier, earlier.id == m.ActionItem.meeting_id)
        .where(
            subject,
            m.ActionItem.status == ActionStatus.OPEN,
            or_(
                m.ActionItem.meeting_id.is_(None),
                (earlier.id != meeting.id) & (earlier.scheduled_start < meeting.scheduled_start),
            ),
        )
    )
    return _by_due(_views(session, query))


def carried_actions(store: Store, meeting_id: int) -> list[ActionView]:
    with store.session() as session:
        return carried_to(session, load_meeting(session, meeting_id))


def owner_options(store: Store, client_id: int | None) -> tuple[PersonOption, ...]:
    """Who can own an action of this subject: staff, and the client's contacts."""
    with store.session() as session:
        return people_options(session, client_id)


# -- writing -----------------------------------------------------------------------------------


def create_action(
    store: Store,
    data: ActionInput,
    *,
    as_of: dt.date,
    meeting_id: int | None = None,
    client_id: int | None = None,
    internal_body_id: int | None = None,
) -> ActionView:
    """A new action, raised at ``meeting_id`` (its subject is the meeting's) or on its own."""
    with writing(store, "actions") as session:
        if meeting_id is not None:
            meeting = load_meeting(session, meeting_id)
            client_id, internal_body_id = meeting.client_id, meeting.internal_body_id
            touch(meeting)
        if (client_id is None) == (internal_body_id is None):
            raise ValidationError("An action belongs to one client or one internal body.")
        row = m.ActionItem(
            client_id=client_id, internal_body_id=internal_body_id, meeting_id=meeting_id
        )
        _fill(session, row, data, as_of)
        session.add(row)
        session.flush()
        action_id = row.id
    return get_action(store, action_id)


def update_action(store: Store, action_id: int, data: ActionInput, *, as_of: dt.date) -> ActionView:
    """Change every field of the action; closing it stamps ``completed_on`` with ``as_of``."""
    with writing(store, "actions") as session:
        row = _load(session, action_id)
        _fill(session, row, data, as_of)
    return get_action(store, action_id)


def set_action_status(
    store: Store, action_id: int, status: ActionStatus, *, as_of: dt.date
) -> ActionStatusChange:
    """Close (done, cancelled) or reopen an action; returns before/after for undo."""
    with writing(store, "actions") as session:
        row = _load(session, action_id)
        before = (ActionStatus(row.status), row.completed_on)
        _set_status(row, status, as_of)
        after = (ActionStatus(row.status), row.completed_on)
    return ActionStatusChange(action_id, before, after)


def restore_action_status(
    store: Store, action_id: int, state: tuple[ActionStatus, dt.date | None]
) -> None:
    """Put back a status and its closing day exactly (undo of :func:`set_action_status`)."""
    with writing(store, "actions") as session:
        row = _load(session, action_id)
        row.status, row.completed_on = state


def get_action(store: Store, action_id: int) -> ActionView:
    with store.session() as session:
        found = _views(session, _query().where(m.ActionItem.id == action_id))
    if not found:
        raise gone("This action")
    return found[0]


def _load(session: Session, action_id: int) -> m.ActionItem:
    row = session.get(m.ActionItem, action_id)
    if row is None:
        raise gone("This action")
    return row


def _fill(session: Session, row: m.ActionItem, data: ActionInput, as_of: dt.date) -> None:
    title = " ".join(data.title.split())
    if not title:
        raise ValidationError("An action needs a title saying what is to be done.")
    if len(title) > TITLE_MAX:
        raise ValidationError(f"Keep the action's title under {TITLE_MAX} characters.")
    row.title = title
    row.notes = data.notes.strip()
    row.due_date = data.due_date
    row.owner_staff_id = row.owner_contact_id = None
    if data.owner is not None:
        kind, person_id = data.owner
        if kind == "staff":
            if session.get(m.Staff, person_id) is None:
                raise ValidationError("The chosen owner is no longer on the staff list.")
            row.owner_staff_id = person_id
        else:
            contact = session.get(m.Contact, person_id)
            if contact is None or contact.client_id != row.client_id or row.client_id is None:
                raise ValidationError(
                    "An action can be owned by staff or by a contact of the same client."
                )
            row.owner_contact_id = person_id
    _set_status(row, data.status, as_of)


def _set_status(row: m.ActionItem, status: ActionStatus, as_of: dt.date) -> None:
    status = ActionStatus(status)
    if status is ActionStatus.OPEN:
        row.completed_on = None
    elif row.status != status or row.completed_on is None:
        row.completed_on = as_of
    row.status = status
