"""One meeting's lifecycle: confirm, reschedule, cancel, mark held, and undo.

Each operation is one transaction on one meeting and returns a :class:`MeetingChange`
holding the state before and after, so the GUI can undo by handing ``change.before``
to :func:`restore_meeting`. Every operation marks the meeting ``user_touched`` so
the year scheduler (PRODUCT §3.8) leaves it alone, and raises ``sequence`` (the ICS
SEQUENCE) whenever what a calendar shows changes, so exported calendars update the
event instead of ignoring the new version.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NoReturn
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from vcio_desk.domain.errors import ValidationError, VcioDeskError, WorkspaceError
from vcio_desk.domain.vocab import MeetingStatus
from vcio_desk.store import Store
from vcio_desk.store import models as m

from .calendar_export import CALENDAR_STATUS

__all__ = [
    "MeetingChange",
    "MeetingNotFoundError",
    "MeetingRefusedError",
    "MeetingSnapshot",
    "cancel_meeting",
    "confirm_meeting",
    "mark_held",
    "reschedule_meeting",
    "restore_meeting",
    "snapshot_meeting",
]


class MeetingNotFoundError(VcioDeskError):
    """The meeting was deleted (by the scheduler, another window or an import)."""


class MeetingRefusedError(ValidationError):
    """The operation makes no sense for the meeting's state (e.g. confirming a cancelled one)."""


@dataclass(frozen=True, slots=True)
class MeetingSnapshot:
    """The lifecycle fields of one meeting; enough to put it back exactly (undo)."""

    id: int
    status: MeetingStatus
    scheduled_start: dt.datetime
    scheduled_end: dt.datetime
    timezone: str
    held_date: dt.date | None
    cancel_reason: str
    sequence: int
    user_touched: bool

    @property
    def local_start(self) -> dt.datetime:
        """The start as the meeting's own clock shows it (UTC if the zone is unknown)."""
        return self.scheduled_start.astimezone(_zone_or_utc(self.timezone))


@dataclass(frozen=True, slots=True)
class MeetingChange:
    before: MeetingSnapshot
    after: MeetingSnapshot

    @property
    def changed(self) -> bool:
        return self.before != self.after


def snapshot_meeting(store: Store, meeting_id: int) -> MeetingSnapshot:
    with store.session() as session:
        return _snapshot(_get(session, meeting_id))


def confirm_meeting(store: Store, meeting_id: int) -> MeetingChange:
    """proposed → confirmed; confirming again changes nothing."""
    with _editing(store, meeting_id) as edit:
        meeting = edit.meeting
        if meeting.status is MeetingStatus.CANCELLED:
            _refuse(edit, "was cancelled, so it cannot be confirmed")
        if meeting.status is MeetingStatus.HELD:
            _refuse(edit, f"was already held on {meeting.held_date}")
        meeting.status = MeetingStatus.CONFIRMED
    return edit.change


def reschedule_meeting(
    store: Store, meeting_id: int, new_day: dt.date, new_time: dt.time | None = None
) -> MeetingChange:
    """Move to ``new_day`` (and ``new_time``, else the same local time); duration kept.

    The time is read on the meeting's own clock (its IANA zone), so "14:00" means 14:00
    where the client is. The meeting keeps its rhythm and slot: it still answers for
    the same slot, just on another day. Status is kept (a moved proposal stays proposed).
    """
    with _editing(store, meeting_id) as edit:
        meeting = edit.meeting
        if meeting.status is MeetingStatus.HELD:
            _refuse(edit, f"was held on {meeting.held_date}, so it cannot be moved")
        if meeting.status is MeetingStatus.CANCELLED:
            _refuse(edit, "was cancelled, so it cannot be moved")
        zone = _zone(edit)
        start_local = meeting.scheduled_start.astimezone(zone)
        clock = (new_time or start_local.time()).replace(tzinfo=None, microsecond=0)
        local = dt.datetime.combine(new_day, clock, tzinfo=zone)
        start = local.astimezone(dt.UTC)
        if start.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
            raise MeetingRefusedError(
                f"{clock:%H:%M} does not exist on {new_day} in {meeting.timezone} "
                "(the clocks go forward then). Choose another time."
            )
        duration = meeting.scheduled_end - meeting.scheduled_start
        meeting.scheduled_start = start
        meeting.scheduled_end = start + duration
    return edit.change


def cancel_meeting(store: Store, meeting_id: int, reason: str) -> MeetingChange:
    """→ cancelled, with the reason people will read later in the rhythm history."""
    reason = reason.strip()
    with _editing(store, meeting_id) as edit:
        meeting = edit.meeting
        if not reason:
            _refuse(edit, "needs a reason to be cancelled; please give one")
        if meeting.status is MeetingStatus.HELD:
            _refuse(edit, f"was held on {meeting.held_date}, so it cannot be cancelled")
        meeting.status = MeetingStatus.CANCELLED
        meeting.cancel_reason = reason
    return edit.change


def mark_held(
    store: Store, meeting_id: int, held_on: dt.date | None = None, *, as_of: dt.date
) -> MeetingChange:
    """→ held on ``held_on`` (default: the scheduled local date), never after ``as_of``."""
    with _editing(store, meeting_id) as edit:
        meeting = edit.meeting
        if meeting.status is MeetingStatus.CANCELLED:
            _refuse(edit, "was cancelled, so it cannot be marked held")
        day = held_on
        if day is None:
            day = meeting.scheduled_start.astimezone(_zone(edit)).date()
        if day > as_of:
            raise MeetingRefusedError(
                f"A meeting cannot be marked held on {day}, which is after today ({as_of})."
            )
        meeting.status = MeetingStatus.HELD
        meeting.held_date = day
    return edit.change


def restore_meeting(store: Store, snapshot: MeetingSnapshot) -> MeetingChange:
    """Put back the fields of ``snapshot`` (undo), including ``user_touched``.

    SEQUENCE is not restored: it goes up once more, because calendars that saw the
    undone version must be told the restored one is newer.
    """
    with _editing(store, snapshot.id) as edit:
        meeting = edit.meeting
        meeting.status = snapshot.status
        meeting.scheduled_start = snapshot.scheduled_start
        meeting.scheduled_end = snapshot.scheduled_end
        meeting.timezone = snapshot.timezone
        meeting.held_date = snapshot.held_date
        meeting.cancel_reason = snapshot.cancel_reason
        edit.user_touched = snapshot.user_touched
        edit.always_bump = True
    return edit.change


@dataclass
class _Edit:
    """One meeting being changed inside one transaction; ``change`` is set on success."""

    session: Session
    meeting: m.Meeting
    before: MeetingSnapshot
    user_touched: bool = True
    always_bump: bool = False
    after: MeetingSnapshot | None = None

    @property
    def change(self) -> MeetingChange:
        assert self.after is not None, "read only after the with-block succeeded"
        return MeetingChange(self.before, self.after)


@contextlib.contextmanager
def _editing(store: Store, meeting_id: int) -> Iterator[_Edit]:
    """Load the meeting, let the caller change it, then stamp ``user_touched``/``sequence``.

    A refusal raised inside the block rolls the whole transaction back.
    """
    if store.read_only:
        raise WorkspaceError("The workspace is open read-only; meetings cannot be changed.")
    with store.transaction() as session:
        meeting = _get(session, meeting_id)
        edit = _Edit(session, meeting, _snapshot(meeting))
        yield edit
        meeting.user_touched = edit.user_touched
        if edit.always_bump or _visible(meeting) != _visible(edit.before):
            meeting.sequence = edit.before.sequence + 1
        edit.after = _snapshot(meeting)


def _visible(meeting: m.Meeting | MeetingSnapshot) -> tuple[object, ...]:
    """What a calendar program shows and RFC 5546 counts as a significant change."""
    return (
        CALENDAR_STATUS[MeetingStatus(meeting.status)],
        meeting.scheduled_start,
        meeting.scheduled_end,
        meeting.timezone,
    )


def _get(session: Session, meeting_id: int) -> m.Meeting:
    meeting = session.get(m.Meeting, meeting_id)
    if meeting is None:
        raise MeetingNotFoundError(f"Meeting {meeting_id} no longer exists.")
    return meeting


def _snapshot(meeting: m.Meeting) -> MeetingSnapshot:
    return MeetingSnapshot(
        id=meeting.id,
        status=MeetingStatus(meeting.status),
        scheduled_start=meeting.scheduled_start,
        scheduled_end=meeting.scheduled_end,
        timezone=meeting.timezone,
        held_date=meeting.held_date,
        cancel_reason=meeting.cancel_reason,
        sequence=meeting.sequence,
        user_touched=meeting.user_touched,
    )


def _zone_or_utc(name: str) -> dt.tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def _zone(edit: _Edit) -> ZoneInfo:
    try:
        return ZoneInfo(edit.meeting.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        _refuse(
            edit,
            f"has an unknown time zone {edit.meeting.timezone!r}; correct it before changing times",
        )


def _refuse(edit: _Edit, what: str) -> NoReturn:
    """Raise a refusal that names the meeting the way people know it."""
    raise MeetingRefusedError(f"{_describe(edit.session, edit.meeting)} {what}.")


def _describe(session: Session, meeting: m.Meeting) -> str:
    """'The vCIO strategic meeting for Acme on 2027-01-05' (local date of the meeting)."""
    row = session.execute(
        select(m.MeetingType.name, func.coalesce(m.Client.name, m.InternalBody.name))
        .select_from(m.Meeting)
        .join(m.MeetingType, m.MeetingType.id == m.Meeting.meeting_type_id)
        .outerjoin(m.Client, m.Client.id == m.Meeting.client_id)
        .outerjoin(m.InternalBody, m.InternalBody.id == m.Meeting.internal_body_id)
        .where(m.Meeting.id == meeting.id)
    ).one_or_none()
    day = meeting.scheduled_start.astimezone(_zone_or_utc(meeting.timezone)).date()
    if row is None:
        return f"Meeting {meeting.id} on {day}"
    type_name, subject = row
    if not subject or subject.casefold() == type_name.casefold():
        return f"The {type_name} on {day}"
    return f"The {type_name} for {subject} on {day}"
