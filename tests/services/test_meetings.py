"""Meeting lifecycle: each operation's effect, SEQUENCE rules, refusals and undo."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import URL, create_engine, select

from vcio_desk.domain.errors import ValidationError, VcioDeskError, WorkspaceError
from vcio_desk.domain.vocab import MeetingStatus
from vcio_desk.services.demo import build_demo
from vcio_desk.services.meetings import (
    MeetingNotFoundError,
    MeetingRefusedError,
    cancel_meeting,
    confirm_meeting,
    mark_held,
    reschedule_meeting,
    restore_meeting,
    snapshot_meeting,
)
from vcio_desk.store import Store, open_store
from vcio_desk.store import models as m

AS_OF = dt.date(2026, 11, 20)


@pytest.fixture(scope="module")
def demo(build_workspace):  # type: ignore[no-untyped-def]
    """The demo is built once per module; each test gets its own copy of it."""
    return build_workspace(lambda store: build_demo(store, clients=6, years=1, seed=3, as_of=AS_OF))


@pytest.fixture
def store(demo, db_target) -> Iterator[Store]:  # type: ignore[no-untyped-def]
    with open_store(db_target("ws", copy_of=demo)) as store:
        yield store


def _first(store: Store, status: MeetingStatus, *, client: bool = True) -> m.Meeting:
    """The earliest meeting in that status (detached; scalar columns only)."""
    subject = m.Meeting.client_id if client else m.Meeting.internal_body_id
    with store.session() as session:
        return session.scalars(
            select(m.Meeting)
            .where(m.Meeting.status == status, subject.is_not(None))
            .order_by(m.Meeting.scheduled_start, m.Meeting.id)
            .limit(1)
        ).one()


def _row(store: Store, meeting_id: int) -> m.Meeting:
    with store.session() as session:
        meeting = session.get(m.Meeting, meeting_id)
        assert meeting is not None
        return meeting


def _set(store: Store, meeting_id: int, **values: object) -> None:
    """Test set-up: put a meeting into a given state directly."""
    with store.transaction() as session:
        meeting = session.get(m.Meeting, meeting_id)
        assert meeting is not None
        for key, value in values.items():
            setattr(meeting, key, value)


def test_confirm_proposed_bumps_sequence_and_marks_touched(store: Store) -> None:
    meeting = _first(store, MeetingStatus.PROPOSED)
    assert not meeting.user_touched
    change = confirm_meeting(store, meeting.id)
    assert change.before.status is MeetingStatus.PROPOSED
    assert change.after.status is MeetingStatus.CONFIRMED
    assert change.after.sequence == meeting.sequence + 1
    assert change.after.user_touched
    row = _row(store, meeting.id)
    assert (row.status, row.sequence, row.user_touched) == (MeetingStatus.CONFIRMED, 1, True)


def test_confirm_twice_changes_nothing_visible(store: Store) -> None:
    meeting = _first(store, MeetingStatus.PROPOSED)
    first = confirm_meeting(store, meeting.id)
    second = confirm_meeting(store, meeting.id)
    assert second.after.sequence == first.after.sequence
    assert not second.changed


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (MeetingStatus.CANCELLED, "was cancelled, so it cannot be confirmed."),
        (MeetingStatus.HELD, "was already held on"),
    ],
)
def test_confirm_refused_for_cancelled_or_held(
    store: Store, status: MeetingStatus, expected: str
) -> None:
    meeting = _first(store, status)
    with pytest.raises(MeetingRefusedError) as caught:
        confirm_meeting(store, meeting.id)
    message = caught.value.user_message
    assert expected in message
    client = _client_name(store, meeting.client_id)
    local_day = meeting.scheduled_start.astimezone(ZoneInfo(meeting.timezone)).date()
    assert message.startswith("The ") and f" for {client} on {local_day} " in message
    after = _row(store, meeting.id)
    assert (after.status, after.sequence) == (status, meeting.sequence)


def _client_name(store: Store, client_id: int | None) -> str:
    with store.session() as session:
        return session.scalars(select(m.Client.name).where(m.Client.id == client_id)).one()


def test_reschedule_keeps_slot_local_time_and_duration(store: Store) -> None:
    meeting = _first(store, MeetingStatus.PROPOSED)
    zone = ZoneInfo(meeting.timezone)
    old_local = meeting.scheduled_start.astimezone(zone)
    duration = meeting.scheduled_end - meeting.scheduled_start
    new_day = old_local.date() + dt.timedelta(days=3)
    change = reschedule_meeting(store, meeting.id, new_day)
    row = _row(store, meeting.id)
    expected = dt.datetime.combine(new_day, old_local.time(), tzinfo=zone)
    assert row.scheduled_start == expected
    assert row.scheduled_start.tzinfo == dt.UTC  # stored as a UTC instant
    assert row.scheduled_end - row.scheduled_start == duration
    assert (row.rhythm_id, row.slot_date) == (meeting.rhythm_id, meeting.slot_date)
    assert row.status is MeetingStatus.PROPOSED  # a moved proposal stays a proposal...
    assert row.user_touched  # ...but the scheduler must leave it alone now
    assert change.after.sequence == meeting.sequence + 1


def test_reschedule_time_is_read_on_the_meetings_own_clock(store: Store) -> None:
    meeting = _first(store, MeetingStatus.CONFIRMED)
    _set(store, meeting.id, timezone="America/New_York")
    reschedule_meeting(store, meeting.id, dt.date(2027, 7, 6), dt.time(14, 0))
    summer = _row(store, meeting.id).scheduled_start
    assert summer == dt.datetime(2027, 7, 6, 18, 0, tzinfo=dt.UTC)  # EDT, UTC-4
    reschedule_meeting(store, meeting.id, dt.date(2027, 1, 12), dt.time(14, 0))
    winter = _row(store, meeting.id)
    assert winter.scheduled_start == dt.datetime(2027, 1, 12, 19, 0, tzinfo=dt.UTC)  # EST
    assert winter.sequence == meeting.sequence + 2


def test_reschedule_to_a_time_that_does_not_exist_is_refused(store: Store) -> None:
    meeting = _first(store, MeetingStatus.CONFIRMED)
    _set(store, meeting.id, timezone="America/New_York")
    with pytest.raises(MeetingRefusedError, match="02:30 does not exist on 2027-03-14"):
        reschedule_meeting(store, meeting.id, dt.date(2027, 3, 14), dt.time(2, 30))


def test_reschedule_to_the_same_moment_does_not_bump(store: Store) -> None:
    meeting = _first(store, MeetingStatus.CONFIRMED)
    local = meeting.scheduled_start.astimezone(ZoneInfo(meeting.timezone))
    change = reschedule_meeting(store, meeting.id, local.date(), local.time())
    assert change.after.sequence == meeting.sequence


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (MeetingStatus.HELD, "so it cannot be moved."),
        (MeetingStatus.CANCELLED, "was cancelled, so it cannot be moved."),
    ],
)
def test_reschedule_refused_for_held_or_cancelled(
    store: Store, status: MeetingStatus, expected: str
) -> None:
    meeting = _first(store, status)
    with pytest.raises(MeetingRefusedError, match=expected):
        reschedule_meeting(store, meeting.id, AS_OF + dt.timedelta(days=10))
    assert _row(store, meeting.id).scheduled_start == meeting.scheduled_start


def test_cancel_records_reason_and_bumps(store: Store) -> None:
    meeting = _first(store, MeetingStatus.CONFIRMED)
    change = cancel_meeting(store, meeting.id, "  Client asked to postpone  ")
    row = _row(store, meeting.id)
    assert row.status is MeetingStatus.CANCELLED
    assert row.cancel_reason == "Client asked to postpone"
    assert row.sequence == change.after.sequence == meeting.sequence + 1


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_cancel_needs_a_reason(store: Store, reason: str) -> None:
    meeting = _first(store, MeetingStatus.PROPOSED)
    with pytest.raises(MeetingRefusedError, match="needs a reason to be cancelled"):
        cancel_meeting(store, meeting.id, reason)
    row = _row(store, meeting.id)
    assert (row.status, row.user_touched) == (MeetingStatus.PROPOSED, False)


def test_cancel_refused_for_held(store: Store) -> None:
    meeting = _first(store, MeetingStatus.HELD)
    with pytest.raises(MeetingRefusedError, match="so it cannot be cancelled"):
        cancel_meeting(store, meeting.id, "Too late")


def test_mark_held_defaults_to_the_scheduled_local_date(store: Store) -> None:
    meeting = _first(store, MeetingStatus.CONFIRMED)
    # 10:00 in Sydney is the evening before in UTC: the local date is the one that counts.
    start = dt.datetime(2026, 11, 10, 10, 0, tzinfo=ZoneInfo("Australia/Sydney"))
    _set(
        store,
        meeting.id,
        timezone="Australia/Sydney",
        scheduled_start=start,
        scheduled_end=start + dt.timedelta(hours=1),
    )
    assert start.astimezone(dt.UTC).date() == dt.date(2026, 11, 9)
    change = mark_held(store, meeting.id, as_of=AS_OF)
    assert change.after.held_date == dt.date(2026, 11, 10)
    assert change.after.status is MeetingStatus.HELD
    # confirmed and held both read CONFIRMED in a calendar: nothing to re-send
    assert change.after.sequence == change.before.sequence


def test_mark_held_on_a_given_day_from_proposed_bumps(store: Store) -> None:
    meeting = _first(store, MeetingStatus.PROPOSED)
    change = mark_held(store, meeting.id, AS_OF, as_of=AS_OF)
    assert change.after.held_date == AS_OF
    assert change.after.sequence == meeting.sequence + 1  # TENTATIVE -> CONFIRMED


def test_mark_held_in_the_future_is_refused(store: Store) -> None:
    meeting = _first(store, MeetingStatus.CONFIRMED)
    with pytest.raises(MeetingRefusedError) as caught:
        mark_held(store, meeting.id, dt.date(2027, 1, 5), as_of=dt.date(2026, 11, 22))
    assert caught.value.user_message == (
        "A meeting cannot be marked held on 2027-01-05, which is after today (2026-11-22)."
    )
    # the default (scheduled) date of a future meeting is refused the same way
    with pytest.raises(MeetingRefusedError, match="which is after today"):
        mark_held(store, meeting.id, as_of=AS_OF)
    assert _row(store, meeting.id).status is MeetingStatus.CONFIRMED


def test_mark_held_refused_for_cancelled(store: Store) -> None:
    meeting = _first(store, MeetingStatus.CANCELLED)
    with pytest.raises(MeetingRefusedError, match="was cancelled, so it cannot be marked held"):
        mark_held(store, meeting.id, as_of=AS_OF)


def test_refusals_are_user_errors(store: Store) -> None:
    assert issubclass(MeetingRefusedError, ValidationError)
    assert issubclass(MeetingNotFoundError, VcioDeskError)


def test_internal_meetings_are_named_once(store: Store) -> None:
    meeting = _first(store, MeetingStatus.CANCELLED, client=False)
    with pytest.raises(MeetingRefusedError) as caught:
        confirm_meeting(store, meeting.id)
    assert " for " not in caught.value.user_message


@pytest.mark.parametrize(
    "operation",
    [
        lambda store, mid: cancel_meeting(store, mid, "Decision maker on leave"),
        lambda store, mid: reschedule_meeting(store, mid, AS_OF + dt.timedelta(days=40)),
        lambda store, mid: confirm_meeting(store, mid),
    ],
    ids=["cancel", "reschedule", "confirm"],
)
def test_undo_restores_every_field_and_still_raises_sequence(store: Store, operation) -> None:
    meeting = _first(store, MeetingStatus.PROPOSED)
    change = operation(store, meeting.id)
    assert change.after != change.before
    undo = restore_meeting(store, change.before)
    restored = snapshot_meeting(store, meeting.id)
    assert restored == undo.after
    for field in ("status", "scheduled_start", "scheduled_end", "timezone", "held_date"):
        assert getattr(restored, field) == getattr(change.before, field), field
    assert restored.cancel_reason == change.before.cancel_reason
    assert restored.user_touched is False  # the scheduler may manage it again
    assert restored.sequence > change.after.sequence > change.before.sequence


def test_undo_of_mark_held(store: Store) -> None:
    meeting = _first(store, MeetingStatus.CONFIRMED)
    change = mark_held(store, meeting.id, AS_OF, as_of=AS_OF)
    restore_meeting(store, change.before)
    row = _row(store, meeting.id)
    assert (row.status, row.held_date) == (MeetingStatus.CONFIRMED, None)


@pytest.mark.parametrize(
    "operation",
    [
        lambda store: confirm_meeting(store, 123456),
        lambda store: reschedule_meeting(store, 123456, AS_OF),
        lambda store: cancel_meeting(store, 123456, "x"),
        lambda store: mark_held(store, 123456, as_of=AS_OF),
        lambda store: snapshot_meeting(store, 123456),
    ],
)
def test_unknown_meeting(store: Store, operation) -> None:
    with pytest.raises(MeetingNotFoundError) as caught:
        operation(store)
    assert caught.value.user_message == "Meeting 123456 no longer exists."


def test_restore_of_a_deleted_meeting(store: Store) -> None:
    meeting = _first(store, MeetingStatus.PROPOSED)
    snapshot = confirm_meeting(store, meeting.id).before
    with store.transaction() as session:
        session.delete(session.get(m.Meeting, meeting.id))
    with pytest.raises(MeetingNotFoundError, match=f"Meeting {meeting.id} no longer exists"):
        restore_meeting(store, snapshot)


def test_read_only_workspace_is_refused(store: Store, db_target) -> None:  # type: ignore[no-untyped-def]
    meeting = _first(store, MeetingStatus.PROPOSED)
    with open_store(db_target("ws"), read_only=True) as read_only:
        with pytest.raises(WorkspaceError, match="read-only"):
            confirm_meeting(read_only, meeting.id)
        assert snapshot_meeting(read_only, meeting.id).status is MeetingStatus.PROPOSED


@pytest.mark.sqlite_only  # a SQLite file's write lock; a server waits for row locks
def test_a_busy_workspace_is_a_user_error_and_changes_nothing(store: Store) -> None:
    meeting = _first(store, MeetingStatus.PROPOSED)
    path = store.location.path
    assert path is not None
    # The same workspace with a short busy timeout, while another program holds the write lock.
    engine = create_engine(URL.create("sqlite", database=str(path)), connect_args={"timeout": 0.1})
    impatient = Store(store.location, engine, False, store.schema_revision)
    blocker = sqlite3.connect(path, isolation_level=None)
    try:
        blocker.execute("BEGIN EXCLUSIVE")
        with pytest.raises(WorkspaceError, match=r"could not be saved .*database is locked"):
            confirm_meeting(impatient, meeting.id)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
        impatient.close()
    assert snapshot_meeting(store, meeting.id).status is MeetingStatus.PROPOSED
