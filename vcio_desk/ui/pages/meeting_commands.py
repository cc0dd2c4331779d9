"""The meeting page's undoable steps besides the lifecycle: agenda, attendees, action status.

Each is a :class:`ServiceCommand`: ``redo`` calls a service and keeps what undo needs,
``undo`` calls the service that puts it back. Failures are handed to ``report`` (the
page's :class:`~vcio_desk.ui.dialogs.meeting_dialog.MeetingActions`) and the command is
dropped, as the lifecycle commands do.

Putting back a removed agenda item or attendee creates a new row with a new id.
:class:`IdMap` remembers old → new, so an earlier step (an edit of that item) still
finds it when undone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

from vcio_desk.domain.errors import VcioDeskError
from vcio_desk.services import meeting_agenda as agenda
from vcio_desk.services import meeting_attendees as attendees
from vcio_desk.store import Store
from vcio_desk.ui.workers import GENERIC_FAILURE

log = logging.getLogger(__name__)

Report = Callable[[str], None]


class IdMap:
    """Ids of rows that were deleted and put back (old id → the id they have now)."""

    def __init__(self) -> None:
        self._moved: dict[int, int] = {}

    def now(self, row_id: int) -> int:
        seen = set()
        while row_id in self._moved and row_id not in seen:
            seen.add(row_id)
            row_id = self._moved[row_id]
        return row_id

    def moved(self, old: int, new: int) -> None:
        if old != new:
            self._moved[old] = new


class ServiceCommand(QUndoCommand):
    """``forward()`` returns a state; ``backward(state)`` undoes it; errors are reported."""

    def __init__(
        self,
        text: str,
        forward: Callable[[], Any],
        backward: Callable[[Any], None],
        report: Report,
    ) -> None:
        super().__init__(text)
        self._forward = forward
        self._backward = backward
        self._report = report
        self._state: Any = None
        self._done = False

    def redo(self) -> None:
        try:
            self._state = self._forward()
        except Exception as exc:  # reported, never raised into Qt
            self._fail(exc)
            return
        self._done = True

    def undo(self) -> None:
        if not self._done:
            return
        try:
            self._backward(self._state)
        except Exception as exc:
            self._fail(exc)
            return
        self._done = False

    def _fail(self, exc: Exception) -> None:
        if isinstance(exc, VcioDeskError):
            message = exc.user_message
        else:
            log.error("meeting page change failed", exc_info=exc)
            message = GENERIC_FAILURE
        self.setObsolete(True)
        self._report(message)


# -- agenda ------------------------------------------------------------------------------------


def add_item(
    store: Store,
    meeting_id: int,
    title: str,
    minutes: int,
    presenter: str,
    ids: IdMap,
    report: Report,
) -> ServiceCommand:
    first: list[int] = []

    def forward() -> int:
        item_id = agenda.add_agenda_item(store, meeting_id, title, minutes, presenter).id
        _follow(first, item_id, ids)
        return item_id

    return ServiceCommand(
        f"Add agenda item “{title}”",
        forward,
        lambda item_id: agenda.remove_agenda_item(store, ids.now(item_id)),
        report,
    )


def _follow(first: list[int], new_id: int, ids: IdMap) -> None:
    """A redone addition makes a new row: later steps that knew the first one find it."""
    if first:
        ids.moved(ids.now(first[0]), new_id)
    else:
        first.append(new_id)


def remove_item(
    store: Store, meeting_id: int, item_id: int, title: str, ids: IdMap, report: Report
) -> ServiceCommand:
    def forward() -> agenda.AgendaItemView:
        return agenda.remove_agenda_item(store, ids.now(item_id))

    def backward(item: agenda.AgendaItemView) -> None:
        back = agenda.add_agenda_item(
            store,
            meeting_id,
            item.title,
            item.minutes,
            item.presenter,
            position=item.position,
            notes=item.notes,
        )
        ids.moved(ids.now(item_id), back.id)

    return ServiceCommand(f"Remove agenda item “{title}”", forward, backward, report)


def edit_item(
    store: Store, item_id: int, field: str, value: Any, ids: IdMap, report: Report
) -> ServiceCommand:
    def forward() -> agenda.AgendaItemView:
        before, _after = agenda.update_agenda_item(store, ids.now(item_id), **{field: value})
        return before

    def backward(before: agenda.AgendaItemView) -> None:
        agenda.update_agenda_item(store, ids.now(item_id), **{field: getattr(before, field)})

    words = {"title": "title", "minutes": "minutes", "presenter": "presenter"}
    return ServiceCommand(f"Change agenda item {words[field]}", forward, backward, report)


def move_item(
    store: Store, item_id: int, to_index: int, ids: IdMap, report: Report
) -> ServiceCommand:
    return ServiceCommand(
        "Move agenda item",
        lambda: agenda.move_agenda_item(store, ids.now(item_id), to_index),
        lambda old_index: agenda.move_agenda_item(store, ids.now(item_id), old_index),
        report,
    )


# -- attendees ---------------------------------------------------------------------------------


def add_attendee(
    store: Store,
    meeting_id: int,
    ids: IdMap,
    report: Report,
    *,
    staff_id: int | None = None,
    contact_id: int | None = None,
    name: str = "",
    label: str,
) -> ServiceCommand:
    first: list[int] = []

    def forward() -> int:
        attendee_id = attendees.add_attendee(
            store, meeting_id, staff_id=staff_id, contact_id=contact_id, name=name
        ).id
        _follow(first, attendee_id, ids)
        return attendee_id

    return ServiceCommand(
        f"Invite {label}",
        forward,
        lambda attendee_id: attendees.remove_attendee(store, ids.now(attendee_id)),
        report,
    )


def remove_attendee(
    store: Store, meeting_id: int, attendee_id: int, label: str, ids: IdMap, report: Report
) -> ServiceCommand:
    def forward() -> attendees.AttendeeView:
        return attendees.remove_attendee(store, ids.now(attendee_id))

    def backward(person: attendees.AttendeeView) -> None:
        staff_id = person.person_id if person.kind == "staff" else None
        contact_id = person.person_id if person.kind == "contact" else None
        back = attendees.add_attendee(
            store,
            meeting_id,
            staff_id=staff_id,
            contact_id=contact_id,
            name=person.name if person.kind is None else "",
            present=person.present,
        )
        ids.moved(ids.now(attendee_id), back.id)

    return ServiceCommand(f"Remove {label} from the attendees", forward, backward, report)
