"""Checked "put it back" writes that undo steps in the GUI need.

An undo must never overwrite a change made elsewhere (another window, another
person on the same workspace). Action items are compared field by field with what
the undo step last wrote, in the same transaction as the write; standards by their
``updated_at``; sections, categories and a meeting's lifecycle right before the
write. Anything different is refused with a clear "changed elsewhere — reload"
message, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from vcio_desk.domain.errors import ValidationError
from vcio_desk.domain.vocab import ActionStatus
from vcio_desk.store import Store
from vcio_desk.store import models as m

from . import standards_changes as changes
from .actions import ActionView, get_action
from .meeting_common import gone, writing
from .standards_changes import require_reason, require_writable

if TYPE_CHECKING:
    from .meetings import MeetingChange, MeetingSnapshot

ACTION_CHANGED = (
    "This action was changed elsewhere (in another window or by someone else) after this "
    "change was made, so it cannot be undone here. Reload to see it as it is now."
)
STANDARD_CHANGED = (
    "{code} was changed elsewhere (in another window or by someone else) after this change "
    "was made, so it cannot be undone here. Reload the library to see it as it is now."
)


@dataclass(frozen=True, slots=True)
class ActionState:
    """What an undo puts back on an action (everything a person can change)."""

    title: str
    notes: str
    owner_staff_id: int | None
    owner_contact_id: int | None
    due_date: dt.date | None
    status: ActionStatus
    completed_on: dt.date | None

    @classmethod
    def of(cls, view: ActionView) -> ActionState:
        staff = view.owner_id if view.owner_kind == "staff" else None
        contact = view.owner_id if view.owner_kind == "contact" else None
        return cls(
            view.title,
            view.notes,
            staff,
            contact,
            view.due_date,
            ActionStatus(view.status),
            view.completed_on,
        )


def _state_of(row: m.ActionItem) -> ActionState:
    return ActionState(
        row.title,
        row.notes or "",
        row.owner_staff_id,
        row.owner_contact_id,
        row.due_date,
        ActionStatus(row.status),
        row.completed_on,
    )


def put_action_back(
    store: Store, action_id: int, *, expected: ActionState, target: ActionState
) -> ActionView:
    """Set the action exactly to ``target``, if it is still as ``expected``; else refuse."""
    with writing(store, "actions") as session:
        row = session.get(m.ActionItem, action_id)
        if row is None:
            raise gone("This action")
        if _state_of(row) != expected:
            raise ValidationError(ACTION_CHANGED)
        row.title = target.title
        row.notes = target.notes
        row.owner_staff_id = target.owner_staff_id
        row.owner_contact_id = target.owner_contact_id
        row.due_date = target.due_date
        row.status = target.status
        row.completed_on = target.completed_on
    return get_action(store, action_id)


def remove_new_action(store: Store, action_id: int, *, expected: ActionState) -> None:
    """Undo of raising an action: delete it, if nobody changed it since; else refuse."""
    with writing(store, "actions") as session:
        row = session.get(m.ActionItem, action_id)
        if row is None:
            return  # already gone: nothing to undo
        if _state_of(row) != expected:
            raise ValidationError(ACTION_CHANGED)
        session.delete(row)


def standard_version(store: Store, standard_id: int) -> dt.datetime:
    """When the standard was last changed (what an undo step checks against)."""
    with store.session() as session:
        return changes.current_values(session, standard_id)["updated_at"]


def set_standard_archived_checked(
    store: Store,
    standard_id: int,
    archived: bool,
    *,
    expected_updated_at: dt.datetime,
    reason: str,
    author: str,
) -> dt.datetime:
    """Archive (or restore) a standard if unchanged since ``expected_updated_at``.

    Returns its new ``updated_at`` (the version the next step checks against).
    """
    require_writable(store)
    reason = require_reason(reason)
    with store.transaction() as session:
        current = changes.current_values(session, standard_id)
        if current["updated_at"] != expected_updated_at:
            raise ValidationError(STANDARD_CHANGED.format(code=current["code"]))
        changes.set_archived(session, standard_id, archived, reason=reason, author=author)
    return standard_version(store, standard_id)


PLACE_CHANGED = (
    "The {kind} {name} was changed elsewhere (in another window or by someone else) after "
    "this change was made, so it cannot be undone here. Reload the library to see it as it "
    "is now."
)


def place_state(store: Store, kind: str, place_id: int) -> tuple[str, bool]:
    """A section's or category's (name, archived), as stored now."""
    table = m.StandardSection if kind == "section" else m.StandardCategory
    with store.session() as session:
        row = session.execute(
            select(table.name, table.archived).where(table.id == place_id)
        ).one_or_none()
    if row is None:
        raise ValidationError(f"That {kind} no longer exists; reload the library.")
    return str(row.name), bool(row.archived)


def check_place(store: Store, kind: str, place_id: int, expected: tuple[str, bool]) -> None:
    """Refuse (changed elsewhere) unless the section or category is still as ``expected``.

    Sections and categories carry no version; the undo step checks their name and
    state right before it writes (the services' own checks refuse the rest).
    """
    name, archived = place_state(store, kind, place_id)
    if (name, archived) != expected:
        raise ValidationError(PLACE_CHANGED.format(kind=kind, name=name))


MEETING_CHANGED = (
    "This meeting was changed elsewhere (in another window or by someone else) after this "
    "change was made, so it cannot be undone here. Reload to see it as it is now."
)


def _lifecycle(snapshot: MeetingSnapshot) -> tuple[object, ...]:
    """What a person changes on a meeting's lifecycle (not its SEQUENCE or prep mark)."""
    return (
        snapshot.status,
        snapshot.scheduled_start,
        snapshot.scheduled_end,
        snapshot.timezone,
        snapshot.held_date,
        snapshot.cancel_reason,
    )


def restore_meeting_checked(
    store: Store, *, expected: MeetingSnapshot, target: MeetingSnapshot
) -> MeetingChange:
    """Undo a lifecycle change: put ``target`` back if the meeting is still as ``expected``.

    A meeting confirmed, moved, cancelled or marked held elsewhere meanwhile is refused
    (changed elsewhere — reload), never overwritten. The check reads just before the
    write; ``restore_meeting`` itself is versioned (``row_version``).
    """
    from .meetings import restore_meeting, snapshot_meeting  # the calendar library: on demand

    if _lifecycle(snapshot_meeting(store, target.id)) != _lifecycle(expected):
        raise ValidationError(MEETING_CHANGED)
    return restore_meeting(store, target)
