"""The meeting page's services: detail, template copy, agenda, attendees, prep, notes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from vcio_desk.domain.errors import ValidationError, WorkspaceError
from vcio_desk.domain.vocab import BodyKind, MeetingStatus
from vcio_desk.services.dashboard import upcoming_meetings
from vcio_desk.services.meeting_agenda import (
    add_agenda_item,
    agenda_warning,
    move_agenda_item,
    remove_agenda_item,
    update_agenda_item,
)
from vcio_desk.services.meeting_attendees import add_attendee, remove_attendee, set_present
from vcio_desk.services.meeting_common import MeetingChangedError, MeetingGoneError
from vcio_desk.services.meeting_prep import (
    meeting_detail,
    open_meeting_detail,
    prepare_meeting,
    save_texts,
    set_prep_done,
)
from vcio_desk.services.meetings import confirm_meeting
from vcio_desk.store import Store, open_store
from vcio_desk.store import models as m

AS_OF = dt.date(2026, 11, 20)
NY = "America/New_York"


@dataclass
class World:
    ada: int
    emile: int
    ken: int
    acme: int
    jo: int
    sam: int
    beta_contact: int
    committee: int
    planned: int
    """Acme's vCIO meeting on 2026-12-01 14:00 New York, confirmed, 60 minutes."""
    held: int
    cancelled: int
    committee_meeting: int


def _meeting(session, type_key: str, start: dt.datetime, status: MeetingStatus, **subject) -> int:
    type_id = session.scalar(select(m.MeetingType.id).where(m.MeetingType.key == type_key))
    row = m.Meeting(
        meeting_type_id=type_id,
        scheduled_start=start,
        scheduled_end=start + dt.timedelta(minutes=60),
        status=status,
        **subject,
    )
    session.add(row)
    session.flush()
    return row.id


@pytest.fixture
def world(workspace: Store) -> World:
    with workspace.transaction() as s:
        ada = m.Staff(name="Ada Lovelace", is_vcio=True)
        emile = m.Staff(name="Émile Zola", is_tam=True)
        ken = m.Staff(name="Ken Thompson", is_account_manager=True)
        gone = m.Staff(name="Olga Former", is_tam=True, active=False)
        s.add_all([ada, emile, ken, gone])
        s.flush()
        acme = m.Client(
            name="Acme", timezone=NY, vcio_id=ada.id, tam_id=emile.id, account_manager_id=ken.id
        )
        beta = m.Client(name="Beta", timezone="Europe/Berlin")
        body = m.InternalBody(
            name="Standards committee", kind=BodyKind.STANDARDS_COMMITTEE, owner_id=ada.id
        )
        s.add_all([acme, beta, body])
        s.flush()
        jo = m.Contact(client_id=acme.id, name="Jo Park", title="CEO", decision_maker=True)
        sam = m.Contact(client_id=acme.id, name="Sam Lee")
        bo = m.Contact(client_id=beta.id, name="Bo Berg")
        s.add_all([jo, sam, bo])
        s.flush()
        start = dt.datetime(2026, 12, 1, 19, 0, tzinfo=dt.UTC)  # 14:00 in New York
        planned = _meeting(
            s, "vcio_meeting", start, MeetingStatus.CONFIRMED, client_id=acme.id, owner_id=ada.id
        )
        s.get(m.Meeting, planned).timezone = NY
        held = _meeting(
            s,
            "vcio_meeting",
            start - dt.timedelta(days=90),
            MeetingStatus.HELD,
            client_id=acme.id,
            owner_id=ada.id,
        )
        cancelled = _meeting(
            s,
            "alignment_review",
            start + dt.timedelta(days=10),
            MeetingStatus.CANCELLED,
            client_id=acme.id,
        )
        committee_meeting = _meeting(
            s,
            "standards_committee",
            start + dt.timedelta(days=3),
            MeetingStatus.PROPOSED,
            internal_body_id=body.id,
            owner_id=None,
        )
        return World(
            ada.id,
            emile.id,
            ken.id,
            acme.id,
            jo.id,
            sam.id,
            bo.id,
            body.id,
            planned,
            held,
            cancelled,
            committee_meeting,
        )


def _count(store: Store, model: type, meeting_id: int) -> int:
    with store.session() as s:
        return s.scalar(
            select(func.count()).select_from(model).where(model.meeting_id == meeting_id)
        )


def _row(store: Store, meeting_id: int) -> m.Meeting:
    with store.session() as s:
        row = s.get(m.Meeting, meeting_id)
        assert row is not None
        return row


# -- detail and template copy ------------------------------------------------------------------


def test_first_open_copies_the_type_templates_with_presenters_and_invites(
    workspace: Store, world: World
) -> None:
    version = _row(workspace, world.planned).row_version
    detail = open_meeting_detail(workspace, world.planned)

    assert [i.title for i in detail.agenda][:2] == [
        "Business update and goals",
        "Executive summary of alignment",
    ]
    presenters = {i.title: i.presenter for i in detail.agenda}
    assert presenters["Business update and goals"] == "Jo Park"  # the client's decision maker
    assert presenters["Technology roadmap"] == "Ada Lovelace"  # the vCIO
    assert presenters["Budget forecast and renewals"] == "Ken Thompson"  # account manager
    assert [i.position for i in detail.agenda] == list(range(len(detail.agenda)))
    assert detail.prep[0].label == "Alignment review completed"
    assert not any(p.done for p in detail.prep)
    assert [(a.kind, a.name) for a in detail.attendees] == [
        ("staff", "Ada Lovelace"),
        ("contact", "Jo Park"),
    ]
    # Preparing is not a person's edit: the scheduler may still manage the meeting.
    assert _row(workspace, world.planned).user_touched is False
    assert detail.head.row_version == version


def test_templates_are_copied_once_in_one_go(workspace: Store, world: World) -> None:
    assert prepare_meeting(workspace, world.planned) is True
    agenda = _count(workspace, m.AgendaItem, world.planned)
    assert prepare_meeting(workspace, world.planned) is False
    assert _count(workspace, m.AgendaItem, world.planned) == agenda
    # Emptying the agenda later does not bring the template back (the checklist remains).
    for item in meeting_detail(workspace, world.planned).agenda:
        remove_agenda_item(workspace, item.id)
    assert open_meeting_detail(workspace, world.planned).agenda == ()


def test_held_cancelled_and_read_only_meetings_are_never_filled(
    workspace: Store, world: World, db_target
) -> None:
    assert open_meeting_detail(workspace, world.held).agenda == ()
    assert open_meeting_detail(workspace, world.cancelled).prep == ()
    workspace.close()
    with open_store(db_target("ws"), read_only=True) as reader:
        detail = open_meeting_detail(reader, world.planned)
        assert detail.agenda == () and detail.prep == ()
    with open_store(db_target("ws")) as writer:
        assert _count(writer, m.AgendaItem, world.planned) == 0


def test_header_is_on_the_meetings_own_clock(workspace: Store, world: World) -> None:
    head = meeting_detail(workspace, world.planned).head
    assert (head.start.hour, head.start.minute, head.start.date()) == (14, 0, dt.date(2026, 12, 1))
    assert head.duration_minutes == 60
    assert (head.subject_kind, head.subject, head.owner) == ("client", "Acme", "Ada Lovelace")
    assert head.meeting_type == "vCIO strategic meeting"
    assert head.status is MeetingStatus.CONFIRMED


def test_people_are_active_staff_then_the_clients_contacts(workspace: Store, world: World) -> None:
    detail = open_meeting_detail(workspace, world.planned)
    names = [(p.kind, p.name) for p in detail.people]
    assert names == [
        ("staff", "Ada Lovelace"),
        ("staff", "Ken Thompson"),
        ("staff", "Émile Zola"),
        ("contact", "Jo Park"),
        ("contact", "Sam Lee"),
    ]  # Olga is inactive; Beta's contact is not Acme's
    assert [p.name for p in detail.candidates] == ["Ken Thompson", "Émile Zola", "Sam Lee"]


def test_internal_body_meeting_has_staff_only(workspace: Store, world: World) -> None:
    detail = open_meeting_detail(workspace, world.committee_meeting)
    assert detail.head.subject_kind == "internal"
    assert detail.head.subject == "Standards committee"
    assert {p.kind for p in detail.people} == {"staff"}
    assert detail.agenda[0].presenter == "Ada Lovelace"  # the body's owner presents
    with pytest.raises(ValidationError, match="staff only"):
        add_attendee(workspace, world.committee_meeting, contact_id=world.jo)
    with pytest.raises(ValidationError, match="staff only"):
        add_attendee(workspace, world.committee_meeting, name="A Guest")
    added = add_attendee(workspace, world.committee_meeting, staff_id=world.emile)
    assert (added.kind, added.name) == ("staff", "Émile Zola")


def test_a_meeting_removed_elsewhere_says_so(workspace: Store, world: World) -> None:
    with workspace.transaction() as s:
        s.delete(s.get(m.Meeting, world.cancelled))
    with pytest.raises(MeetingGoneError, match="no longer exists"):
        meeting_detail(workspace, world.cancelled)
    with pytest.raises(MeetingGoneError):
        add_agenda_item(workspace, world.cancelled, "Anything")


# -- agenda ------------------------------------------------------------------------------------


def test_agenda_add_edit_move_remove_and_put_back(workspace: Store, world: World) -> None:
    mid = world.held  # starts empty
    a = add_agenda_item(workspace, mid, "Welcome", 5, "Ada")
    b = add_agenda_item(workspace, mid, "Roadmap", 30)
    c = add_agenda_item(workspace, mid, "First", 5, position=0)
    titles = lambda: [i.title for i in meeting_detail(workspace, mid).agenda]  # noqa: E731
    assert titles() == ["First", "Welcome", "Roadmap"]

    before, after = update_agenda_item(workspace, b.id, title="  Road   map ", minutes=25)
    assert (before.title, before.minutes) == ("Roadmap", 30)
    assert (after.title, after.minutes, after.presenter) == ("Road map", 25, "")

    assert move_agenda_item(workspace, c.id, 2) == 0
    assert titles() == ["Welcome", "Road map", "First"]
    assert move_agenda_item(workspace, c.id, 99) == 2  # clamped: stays last

    removed = remove_agenda_item(workspace, a.id)
    assert titles() == ["Road map", "First"]
    assert [i.position for i in meeting_detail(workspace, mid).agenda] == [0, 1]
    back = add_agenda_item(
        workspace, mid, removed.title, removed.minutes, removed.presenter, position=removed.position
    )
    assert titles() == ["Welcome", "Road map", "First"]
    assert back.id != a.id and back.presenter == "Ada"
    assert _row(workspace, mid).user_touched is True


@pytest.mark.parametrize(
    ("title", "minutes", "presenter", "message"),
    [
        ("   ", 10, "", "needs a title"),
        ("x" * 301, 10, "", "under 300"),
        ("Ok", -1, "", "between 0 and"),
        ("Ok", 24 * 60 + 1, "", "between 0 and"),
        ("Ok", 10, "p" * 201, "presenter under"),
    ],
)
def test_agenda_refuses_bad_items(
    workspace: Store, world: World, title: str, minutes: int, presenter: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        add_agenda_item(workspace, world.held, title, minutes, presenter)
    assert _count(workspace, m.AgendaItem, world.held) == 0


@pytest.mark.parametrize(
    ("total", "duration", "over"),
    [(60, 60, None), (59, 60, None), (61, 60, "1 minute too many"), (90, 60, "30 minutes")],
)
def test_agenda_warning_when_items_exceed_the_meeting(
    total: int, duration: int, over: str | None
) -> None:
    warning = agenda_warning(total, duration)
    if over is None:
        assert warning is None
    else:
        assert warning is not None and over in warning and str(duration) in warning


def test_detail_warns_about_an_agenda_longer_than_the_meeting(
    workspace: Store, world: World
) -> None:
    detail = open_meeting_detail(workspace, world.planned)
    assert detail.agenda_minutes == 60 and detail.agenda_warning is None
    add_agenda_item(workspace, world.planned, "Extra", 15)
    detail = meeting_detail(workspace, world.planned)
    assert detail.agenda_minutes == 75
    assert detail.agenda_warning is not None and "15 minutes too many" in detail.agenda_warning


# -- attendees and prep ------------------------------------------------------------------------


def test_attendees_invite_remove_and_presence(workspace: Store, world: World) -> None:
    mid = world.held
    sam = add_attendee(workspace, mid, contact_id=world.sam)
    again = add_attendee(workspace, mid, contact_id=world.sam)
    assert again.id == sam.id  # inviting twice changes nothing
    guest = add_attendee(workspace, mid, name="  Pat   Auditor ")
    assert (guest.kind, guest.name, guest.detail) == (None, "Pat Auditor", "Guest")
    with pytest.raises(ValidationError, match="client's own contacts"):
        add_attendee(workspace, mid, contact_id=world.beta_contact)
    with pytest.raises(ValidationError, match="Choose one person"):
        add_attendee(workspace, mid, staff_id=world.ada, name="Ada")

    set_present(workspace, sam.id, True)
    set_present(workspace, guest.id, False)
    detail = meeting_detail(workspace, mid)
    assert {a.name: a.present for a in detail.attendees} == {"Sam Lee": True, "Pat Auditor": False}
    removed = remove_attendee(workspace, guest.id)
    assert removed.present is False
    assert [a.name for a in meeting_detail(workspace, mid).attendees] == ["Sam Lee"]


def test_prep_ticks_show_on_the_dashboard(workspace: Store, world: World) -> None:
    detail = open_meeting_detail(workspace, world.planned)
    for item in detail.prep[:2]:
        set_prep_done(workspace, item.id, True)
    set_prep_done(workspace, detail.prep[0].id, True)  # ticking twice is harmless
    (upcoming,) = [u for u in upcoming_meetings(workspace, AS_OF) if u.meeting_id == world.planned]
    assert (upcoming.prep_done, upcoming.prep_total) == (2, len(detail.prep))
    set_prep_done(workspace, detail.prep[0].id, False)
    assert meeting_detail(workspace, world.planned).prep_done == 1


# -- notes -------------------------------------------------------------------------------------


def test_notes_are_saved_against_the_version_read(workspace: Store, world: World) -> None:
    version = meeting_detail(workspace, world.planned).head.row_version
    new_version = save_texts(
        workspace,
        world.planned,
        version,
        client_notes="- **Budget** agreed",
        decisions="Go with *option B*",
    )
    assert new_version == version + 1
    detail = meeting_detail(workspace, world.planned)
    assert (detail.client_notes, detail.internal_notes, detail.decisions) == (
        "- **Budget** agreed",
        "",
        "Go with *option B*",
    )
    assert detail.head.row_version == new_version
    assert _row(workspace, world.planned).user_touched is True
    # Saving the same text again changes nothing (no new version).
    assert save_texts(
        workspace, world.planned, new_version, client_notes="- **Budget** agreed"
    ) == (new_version)


def test_a_stale_version_is_refused_with_changed_elsewhere(workspace: Store, world: World) -> None:
    version = meeting_detail(workspace, world.planned).head.row_version
    confirm_meeting(workspace, world.planned)  # the Year page touched it meanwhile
    with pytest.raises(MeetingChangedError, match="changed elsewhere") as caught:
        save_texts(workspace, world.planned, version, internal_notes="mine")
    assert "reload" in caught.value.user_message
    assert meeting_detail(workspace, world.planned).internal_notes == ""


def test_read_only_workspace_refuses_every_write(workspace: Store, world: World, db_target) -> None:
    open_meeting_detail(workspace, world.planned)
    workspace.close()
    with open_store(db_target("ws"), read_only=True) as reader:
        detail = meeting_detail(reader, world.planned)
        for write in (
            lambda: save_texts(reader, world.planned, 1, client_notes="x"),
            lambda: add_agenda_item(reader, world.planned, "x"),
            lambda: set_prep_done(reader, detail.prep[0].id, True),
            lambda: set_present(reader, detail.attendees[0].id, True),
        ):
            with pytest.raises(WorkspaceError, match="read-only"):
                write()


# -- the client's meeting list (Meetings tab) --------------------------------------------------


def test_client_meetings_judge_states_like_the_year_page(workspace: Store, world: World) -> None:
    from vcio_desk.services.meeting_list import client_meetings
    from vcio_desk.services.year_grid import CellState

    with workspace.transaction() as s:
        s.delete(s.get(m.Meeting, world.planned))
        s.delete(s.get(m.Meeting, world.held))
        type_id = s.scalar(select(m.MeetingType.id).where(m.MeetingType.key == "vcio_meeting"))
        rhythm = m.Rhythm(client_id=world.acme, meeting_type_id=type_id, owner_id=world.ada)
        s.add(rhythm)
        s.flush()
        s.add(
            m.RhythmVersion(
                rhythm_id=rhythm.id,
                rrule="FREQ=MONTHLY;BYMONTHDAY=1",
                anchor_date=dt.date(2026, 8, 1),
                tolerance_days=5,
                effective_from=dt.date(2026, 8, 1),
            )
        )

        def add(day: dt.date, status: MeetingStatus, slot: dt.date, held: dt.date | None = None):
            start = dt.datetime.combine(day, dt.time(15), tzinfo=dt.UTC)
            s.add(
                m.Meeting(
                    client_id=world.acme,
                    meeting_type_id=type_id,
                    rhythm_id=rhythm.id,
                    slot_date=slot,
                    owner_id=world.ada,
                    scheduled_start=start,
                    scheduled_end=start + dt.timedelta(hours=1),
                    status=status,
                    held_date=held,
                )
            )

        add(dt.date(2026, 8, 2), MeetingStatus.HELD, dt.date(2026, 8, 1), dt.date(2026, 8, 2))
        add(dt.date(2026, 9, 1), MeetingStatus.HELD, dt.date(2026, 9, 1), dt.date(2026, 9, 12))
        add(dt.date(2026, 11, 2), MeetingStatus.PROPOSED, dt.date(2026, 11, 1))
        add(dt.date(2026, 12, 1), MeetingStatus.CONFIRMED, dt.date(2026, 12, 1))
        add(dt.date(2027, 1, 4), MeetingStatus.CANCELLED, dt.date(2027, 1, 1))

    rows = client_meetings(workspace, world.acme, AS_OF)
    vcio = [r for r in rows if r.meeting_type_key == "vcio_meeting"]
    assert [(r.day, r.state, r.meeting_id is None) for r in vcio] == [
        (dt.date(2026, 8, 2), CellState.HELD_ON_TIME, False),
        (dt.date(2026, 9, 12), CellState.HELD_LATE, False),  # listed on the day it was held
        (dt.date(2026, 10, 1), CellState.MISSED, True),  # nothing booked: a slot, not a row
        (dt.date(2026, 11, 2), CellState.MISSED, False),  # proposed, never held
        (dt.date(2026, 12, 1), CellState.CONFIRMED, False),
        (dt.date(2027, 1, 4), CellState.CANCELLED, False),  # its slot has a row: no extra
    ]
    assert [r.is_upcoming(AS_OF) for r in vcio] == [False, False, False, False, True, True]
    assert [r.is_planned(AS_OF) for r in vcio][-2:] == [True, False]
    (cancelled_review,) = [r for r in rows if r.meeting_id == world.cancelled]
    assert cancelled_review.state is CellState.CANCELLED
    assert vcio[0].owner == "Ada Lovelace"
