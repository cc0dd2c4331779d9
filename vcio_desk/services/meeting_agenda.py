"""A meeting's agenda: items with title, minutes and presenter, in order.

Each change is one transaction on one item, addressed by its id, so it stays
right whatever else changed meanwhile (an item removed elsewhere is reported,
never guessed at). Positions are kept dense (0, 1, 2…) after every change.
Removing returns the removed item and :func:`add_agenda_item` takes a position,
so a page can undo a removal by putting the item back where it was.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from vcio_desk.domain.errors import ValidationError
from vcio_desk.store import Store
from vcio_desk.store import models as m

from .meeting_common import gone, load_meeting, touch, writing

TITLE_MAX = 300
PRESENTER_MAX = 200
MINUTES_MAX = 24 * 60


@dataclass(frozen=True, slots=True)
class AgendaItemView:
    id: int
    position: int
    title: str
    minutes: int
    presenter: str
    notes: str = ""


def agenda_warning(total_minutes: int, duration_minutes: int) -> str | None:
    """What to tell people when the items need more time than the meeting has."""
    if duration_minutes <= 0 or total_minutes <= duration_minutes:
        return None
    over = total_minutes - duration_minutes
    return (
        f"The agenda needs {total_minutes} minutes but the meeting lasts {duration_minutes}: "
        f"{over} minute{'s' if over != 1 else ''} too many. Shorten or remove an item, "
        "or reschedule for longer."
    )


def agenda_of(session: Session, meeting_id: int) -> list[AgendaItemView]:
    rows = session.scalars(
        select(m.AgendaItem)
        .where(m.AgendaItem.meeting_id == meeting_id)
        .order_by(m.AgendaItem.position, m.AgendaItem.id)
    )
    return [_view(row) for row in rows]


def add_agenda_item(
    store: Store,
    meeting_id: int,
    title: str,
    minutes: int = 10,
    presenter: str = "",
    *,
    position: int | None = None,
    notes: str = "",
) -> AgendaItemView:
    """Insert an item at ``position`` (default: at the end); later items move down one."""
    title, presenter = _checked(title, minutes, presenter)
    with writing(store, "the agenda") as session:
        touch(load_meeting(session, meeting_id))
        items = _items(session, meeting_id)
        index = len(items) if position is None else max(0, min(position, len(items)))
        row = m.AgendaItem(
            meeting_id=meeting_id,
            position=index,
            title=title,
            minutes=minutes,
            presenter=presenter,
            notes=notes,
        )
        items.insert(index, row)
        session.add(row)
        _renumber(items)
        session.flush()
        return _view(row)


def update_agenda_item(
    store: Store,
    item_id: int,
    *,
    title: str | None = None,
    minutes: int | None = None,
    presenter: str | None = None,
) -> tuple[AgendaItemView, AgendaItemView]:
    """Change the given fields; returns the item before and after (for undo)."""
    with writing(store, "the agenda") as session:
        row = _load(session, item_id)
        before = _view(row)
        new_title, new_presenter = _checked(
            before.title if title is None else title,
            before.minutes if minutes is None else minutes,
            before.presenter if presenter is None else presenter,
        )
        row.title, row.presenter = new_title, new_presenter
        if minutes is not None:
            row.minutes = minutes
        touch(load_meeting(session, row.meeting_id))
        session.flush()
        return before, _view(row)


def remove_agenda_item(store: Store, item_id: int) -> AgendaItemView:
    """Delete the item; returns it as it was (with its position) so it can be put back."""
    with writing(store, "the agenda") as session:
        row = _load(session, item_id)
        removed = _view(row)
        items = [i for i in _items(session, row.meeting_id) if i.id != item_id]
        touch(load_meeting(session, row.meeting_id))
        session.delete(row)
        session.flush()
        _renumber(items)
        return removed


def move_agenda_item(store: Store, item_id: int, to_index: int) -> int:
    """Move the item to ``to_index`` (clamped); returns the index it had, for undo."""
    with writing(store, "the agenda") as session:
        row = _load(session, item_id)
        items = _items(session, row.meeting_id)
        current = next(i for i, item in enumerate(items) if item.id == item_id)
        target = max(0, min(to_index, len(items) - 1))
        if target != current:
            items.insert(target, items.pop(current))
            _renumber(items)
            touch(load_meeting(session, row.meeting_id))
        return current


def _checked(title: str, minutes: int, presenter: str) -> tuple[str, str]:
    title = " ".join(title.split())
    presenter = " ".join(presenter.split())
    if not title:
        raise ValidationError("An agenda item needs a title.")
    if len(title) > TITLE_MAX:
        raise ValidationError(f"Keep an agenda item's title under {TITLE_MAX} characters.")
    if len(presenter) > PRESENTER_MAX:
        raise ValidationError(f"Keep the presenter under {PRESENTER_MAX} characters.")
    if not 0 <= minutes <= MINUTES_MAX:
        raise ValidationError(f"Give an agenda item between 0 and {MINUTES_MAX} minutes.")
    return title, presenter


def _items(session: Session, meeting_id: int) -> list[m.AgendaItem]:
    return list(
        session.scalars(
            select(m.AgendaItem)
            .where(m.AgendaItem.meeting_id == meeting_id)
            .order_by(m.AgendaItem.position, m.AgendaItem.id)
        )
    )


def _renumber(items: list[m.AgendaItem]) -> None:
    for index, item in enumerate(items):
        if item.position != index:
            item.position = index


def _load(session: Session, item_id: int) -> m.AgendaItem:
    row = session.get(m.AgendaItem, item_id)
    if row is None:
        raise gone("This agenda item")
    return row


def _view(row: m.AgendaItem) -> AgendaItemView:
    return AgendaItemView(
        row.id, row.position, row.title, row.minutes, row.presenter or "", row.notes or ""
    )
