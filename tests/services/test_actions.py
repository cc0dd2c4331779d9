"""Action items: carry-over to later meetings, statuses with their closing day, owners."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from vcio_desk.domain.errors import ValidationError
from vcio_desk.domain.vocab import ActionStatus, BodyKind, MeetingStatus
from vcio_desk.services.actions import (
    ActionInput,
    carried_actions,
    client_actions,
    create_action,
    owner_options,
    restore_action_status,
    set_action_status,
    update_action,
)
from vcio_desk.services.meeting_common import MeetingGoneError
from vcio_desk.services.meeting_prep import meeting_detail
from vcio_desk.store import Store
from vcio_desk.store import models as m

AS_OF = dt.date(2026, 11, 20)
D = dt.date


@dataclass
class World:
    ada: int
    acme: int
    jo: int
    beta: int
    bo: int
    committee: int
    first: int
    second: int
    third: int
    """Acme's meetings, in this order (the third is planned)."""
    beta_meeting: int
    committee_first: int
    committee_second: int


@pytest.fixture
def world(workspace: Store) -> World:
    with workspace.transaction() as s:
        types = dict(s.execute(select(m.MeetingType.key, m.MeetingType.id)).all())
        ada = m.Staff(name="Ada Lovelace", is_vcio=True)
        s.add(ada)
        s.flush()
        acme = m.Client(name="Acme", vcio_id=ada.id)
        beta = m.Client(name="Beta")
        body = m.InternalBody(name="Committee", kind=BodyKind.STANDARDS_COMMITTEE)
        s.add_all([acme, beta, body])
        s.flush()
        jo = m.Contact(client_id=acme.id, name="Jo Park")
        bo = m.Contact(client_id=beta.id, name="Bo Berg")
        s.add_all([jo, bo])
        s.flush()

        def meeting(day: dt.date, status: MeetingStatus, **subject: int) -> int:
            start = dt.datetime.combine(day, dt.time(15), tzinfo=dt.UTC)
            kind = "standards_committee" if "internal_body_id" in subject else "vcio_meeting"
            row = m.Meeting(
                meeting_type_id=types[kind],
                scheduled_start=start,
                scheduled_end=start + dt.timedelta(hours=1),
                status=status,
                **subject,
            )
            s.add(row)
            s.flush()
            return row.id

        return World(
            ada=ada.id,
            acme=acme.id,
            jo=jo.id,
            beta=beta.id,
            bo=bo.id,
            committee=body.id,
            first=meeting(D(2026, 5, 4), MeetingStatus.HELD, client_id=acme.id),
            second=meeting(D(2026, 8, 3), MeetingStatus.HELD, client_id=acme.id),
            third=meeting(D(2026, 12, 7), MeetingStatus.CONFIRMED, client_id=acme.id),
            beta_meeting=meeting(D(2026, 4, 1), MeetingStatus.HELD, client_id=beta.id),
            committee_first=meeting(D(2026, 10, 14), MeetingStatus.HELD, internal_body_id=body.id),
            committee_second=meeting(
                D(2026, 11, 11), MeetingStatus.PROPOSED, internal_body_id=body.id
            ),
        )


def _raise(store: Store, meeting_id: int, title: str, **fields: object) -> int:
    return create_action(
        store,
        ActionInput(title, **fields),
        as_of=AS_OF,
        meeting_id=meeting_id,  # type: ignore[arg-type]
    ).id


def _carried(store: Store, meeting_id: int) -> list[str]:
    return [a.title for a in carried_actions(store, meeting_id)]


# -- carry-over --------------------------------------------------------------------------------


def test_open_actions_carry_to_every_later_meeting_of_the_client(
    workspace: Store, world: World
) -> None:
    _raise(workspace, world.first, "Open from the first", due_date=D(2026, 6, 1))
    _raise(workspace, world.first, "Done at the first", status=ActionStatus.DONE)
    _raise(workspace, world.first, "Cancelled at the first", status=ActionStatus.CANCELLED)
    _raise(workspace, world.second, "Open from the second", due_date=D(2026, 9, 1))
    _raise(workspace, world.beta_meeting, "Beta's own")  # another client: never carried

    assert _carried(workspace, world.first) == []
    assert _carried(workspace, world.second) == ["Open from the first"]
    assert _carried(workspace, world.third) == ["Open from the first", "Open from the second"]
    # What is raised at a meeting is listed as its own, not carried to it.
    detail = meeting_detail(workspace, world.second)
    assert [a.title for a in detail.actions] == ["Open from the second"]
    assert [a.title for a in detail.carried] == ["Open from the first"]


def test_closing_anywhere_updates_every_later_meeting_and_reopening_brings_it_back(
    workspace: Store, world: World
) -> None:
    action = _raise(workspace, world.first, "Replace the firewall")
    assert _carried(workspace, world.third) == ["Replace the firewall"]

    set_action_status(workspace, action, ActionStatus.DONE, as_of=AS_OF)
    assert _carried(workspace, world.second) == []
    assert _carried(workspace, world.third) == []

    set_action_status(workspace, action, ActionStatus.OPEN, as_of=AS_OF)
    assert _carried(workspace, world.second) == ["Replace the firewall"]
    assert _carried(workspace, world.third) == ["Replace the firewall"]


def test_an_action_raised_at_no_meeting_is_carried_to_all_of_them(
    workspace: Store, world: World
) -> None:
    create_action(workspace, ActionInput("Renew the contract"), as_of=AS_OF, client_id=world.acme)
    for meeting_id in (world.first, world.second, world.third):
        assert _carried(workspace, meeting_id) == ["Renew the contract"]
    assert _carried(workspace, world.beta_meeting) == []


def test_a_later_meetings_actions_are_not_carried_back(workspace: Store, world: World) -> None:
    _raise(workspace, world.third, "Raised at the planned one")
    assert _carried(workspace, world.first) == []
    assert _carried(workspace, world.second) == []


def test_internal_body_actions_carry_within_the_body_only(workspace: Store, world: World) -> None:
    _raise(workspace, world.committee_first, "Draft the patching standard")
    _raise(workspace, world.first, "Client work")
    assert _carried(workspace, world.committee_second) == ["Draft the patching standard"]
    assert _carried(workspace, world.third) == ["Client work"]
    detail = meeting_detail(workspace, world.committee_second)
    assert [a.title for a in detail.carried] == ["Draft the patching standard"]
    assert detail.carried[0].internal_body_id == world.committee


def test_carried_actions_of_a_removed_meeting(workspace: Store, world: World) -> None:
    with pytest.raises(MeetingGoneError):
        carried_actions(workspace, 987654)


# -- status and fields -------------------------------------------------------------------------


def test_closing_stamps_the_day_and_reopening_clears_it(workspace: Store, world: World) -> None:
    action = _raise(workspace, world.first, "Install the RMM agent")
    change = set_action_status(workspace, action, ActionStatus.DONE, as_of=D(2026, 11, 2))
    assert change.before == (ActionStatus.OPEN, None)
    assert change.after == (ActionStatus.DONE, D(2026, 11, 2))
    # Marking done again keeps the first closing day.
    again = set_action_status(workspace, action, ActionStatus.DONE, as_of=D(2026, 11, 9))
    assert again.after == (ActionStatus.DONE, D(2026, 11, 2))
    cancelled = set_action_status(workspace, action, ActionStatus.CANCELLED, as_of=D(2026, 11, 9))
    assert cancelled.after == (ActionStatus.CANCELLED, D(2026, 11, 9))
    reopened = set_action_status(workspace, action, ActionStatus.OPEN, as_of=D(2026, 11, 10))
    assert reopened.after == (ActionStatus.OPEN, None)
    restore_action_status(workspace, action, change.after)  # undo puts back exactly
    (view,) = client_actions(workspace, world.acme)
    assert (view.status, view.completed_on) == (ActionStatus.DONE, D(2026, 11, 2))


def test_owners_are_staff_or_a_contact_of_the_same_client(workspace: Store, world: World) -> None:
    by_contact = _raise(workspace, world.first, "Sign the order", owner=("contact", world.jo))
    by_staff = _raise(workspace, world.first, "Write the plan", owner=("staff", world.ada))
    owners = {a.id: (a.owner_kind, a.owner) for a in client_actions(workspace, world.acme)}
    assert owners[by_contact] == ("contact", "Jo Park")
    assert owners[by_staff] == ("staff", "Ada Lovelace")
    with pytest.raises(ValidationError, match="same client"):
        _raise(workspace, world.first, "Wrong client", owner=("contact", world.bo))
    with pytest.raises(ValidationError, match="same client"):
        _raise(workspace, world.committee_first, "Internal", owner=("contact", world.jo))
    assert [p.kind for p in owner_options(workspace, None)] == ["staff"]
    assert [p.name for p in owner_options(workspace, world.acme)] == ["Ada Lovelace", "Jo Park"]


def test_edit_changes_every_field(workspace: Store, world: World) -> None:
    action = _raise(workspace, world.first, "Old title")
    view = update_action(
        workspace,
        action,
        ActionInput(
            "  New   title ",
            owner=("staff", world.ada),
            due_date=D(2026, 12, 1),
            status=ActionStatus.DONE,
            notes=" details ",
        ),
        as_of=AS_OF,
    )
    assert (view.title, view.owner, view.due_date, view.notes) == (
        "New title",
        "Ada Lovelace",
        D(2026, 12, 1),
        "details",
    )
    assert (view.status, view.completed_on, view.meeting_id) == (
        ActionStatus.DONE,
        AS_OF,
        world.first,
    )


@pytest.mark.parametrize(("title", "message"), [("  ", "needs a title"), ("x" * 501, "under 500")])
def test_bad_titles_are_refused(workspace: Store, world: World, title: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        _raise(workspace, world.first, title)
    assert client_actions(workspace, world.acme) == []


def test_an_action_belongs_to_one_subject(workspace: Store, world: World) -> None:
    with pytest.raises(ValidationError, match="one client or one internal body"):
        create_action(workspace, ActionInput("Floating"), as_of=AS_OF)


def test_client_actions_soonest_due_first_with_overdue_judged_as_of(
    workspace: Store, world: World
) -> None:
    _raise(workspace, world.first, "No date")
    _raise(workspace, world.second, "Late", due_date=D(2026, 11, 1))
    _raise(workspace, world.first, "Later", due_date=D(2027, 1, 1))
    _raise(workspace, world.first, "Closed late", due_date=D(2026, 10, 1), status=ActionStatus.DONE)
    actions = client_actions(workspace, world.acme)
    assert [a.title for a in actions] == ["Closed late", "Late", "Later", "No date"]
    assert [a.is_overdue(AS_OF) for a in actions] == [False, True, False, False]
    late = actions[1]
    assert (late.meeting_id, late.meeting_day, late.meeting_type) == (
        world.second,
        D(2026, 8, 3),
        "vCIO strategic meeting",
    )


def test_raising_an_action_marks_the_meeting_prepared(workspace: Store, world: World) -> None:
    _raise(workspace, world.third, "Send the agenda")
    with workspace.session() as s:
        assert s.get(m.Meeting, world.third).user_touched is True  # type: ignore[union-attr]
