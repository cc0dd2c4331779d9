"""What the meeting-content services share: their errors, the write guard, people as options.

Kept apart from ``services.meetings`` (the lifecycle), which pulls in the calendar
library; the meeting page and the client tabs must not pay for that to open.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from vcio_desk.domain.errors import VcioDeskError, WorkspaceError
from vcio_desk.store import Store
from vcio_desk.store import models as m

PersonKind = Literal["staff", "contact"]


class MeetingGoneError(VcioDeskError):
    """The meeting (or the item of it being changed) was deleted elsewhere."""


class MeetingChangedError(VcioDeskError):
    """The meeting was saved elsewhere since it was read (its ``row_version`` moved on)."""


@dataclass(frozen=True, slots=True)
class PersonOption:
    """Someone who can attend a meeting or own an action: a staff member or a client contact."""

    kind: PersonKind
    id: int
    name: str
    detail: str
    """"vCIO", "TAM"… for staff; the contact's job title (or "Client contact")."""

    @property
    def key(self) -> tuple[PersonKind, int]:
        return (self.kind, self.id)

    @property
    def label(self) -> str:
        return f"{self.name} ({self.detail})" if self.detail else self.name


def zone_or_utc(name: str) -> dt.tzinfo:
    """The meeting's zone, or UTC when the stored name is unknown (shown, never refused)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def gone(what: str = "This meeting") -> MeetingGoneError:
    return MeetingGoneError(f"{what} no longer exists; it was removed elsewhere. Reload to see.")


def changed_elsewhere() -> MeetingChangedError:
    return MeetingChangedError(
        "This meeting was changed elsewhere since it was opened; reload it to see the "
        "changes, then try again."
    )


@contextlib.contextmanager
def writing(store: Store, what: str = "meetings") -> Iterator[Session]:
    """A transaction for changing meeting content, with clear errors for the usual failures."""
    if store.read_only:
        raise WorkspaceError(f"The workspace is open read-only; {what} cannot be changed.")
    try:
        with store.transaction() as session:
            yield session
    except StaleDataError as exc:
        raise changed_elsewhere() from exc


def load_meeting(session: Session, meeting_id: int) -> m.Meeting:
    meeting = session.get(m.Meeting, meeting_id)
    if meeting is None:
        raise gone()
    return meeting


def touch(meeting: m.Meeting) -> None:
    """Someone prepared this meeting: the year scheduler must never remove or move it now."""
    if not meeting.user_touched:
        meeting.user_touched = True


def staff_roles(row: m.Staff) -> str:
    roles = [
        name
        for flag, name in (
            (row.is_vcio, "vCIO"),
            (row.is_tam, "TAM"),
            (row.is_account_manager, "Account manager"),
            (row.is_service_manager, "Service manager"),
        )
        if flag
    ]
    return ", ".join(roles) or "Staff"


def people_options(
    session: Session, client_id: int | None, keep: frozenset[tuple[str, int]] = frozenset()
) -> tuple[PersonOption, ...]:
    """Active staff (and any in ``keep``) by name, then the client's contacts by name.

    For an internal body (``client_id`` None) only staff: its meetings are the MSP's own.
    """
    keep_staff = [pid for kind, pid in keep if kind == "staff"]
    staff = session.scalars(
        select(m.Staff).where(m.Staff.active | m.Staff.id.in_(keep_staff)).order_by(m.Staff.name)
    ).all()
    people = [PersonOption("staff", s.id, s.name, staff_roles(s)) for s in staff]
    if client_id is not None:
        contacts = session.execute(
            select(m.Contact.id, m.Contact.name, m.Contact.title)
            .where(m.Contact.client_id == client_id)
            .order_by(m.Contact.name, m.Contact.id)
        ).all()
        people += [
            PersonOption("contact", cid, name, title or "Client contact")
            for cid, name, title in contacts
        ]
    return tuple(people)
