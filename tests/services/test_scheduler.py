"""The year-ahead scheduler, rule by rule (PRODUCT.md §3.8), on real workspaces."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, select, update

from vcio_desk.domain.errors import ValidationError
from vcio_desk.services.demo import build_demo
from vcio_desk.services.scheduler import ScheduleWindow, apply_schedule, plan_schedule
from vcio_desk.services.seed import ensure_base_content
from vcio_desk.store import Store, open_store
from vcio_desk.store import models as m

D = dt.date
AS_OF = D(2026, 11, 20)
Y2027 = ScheduleWindow.year(2027)


@pytest.fixture
def store(db_target):  # type: ignore[no-untyped-def]
    with open_store(db_target("ws")) as opened:
        ensure_base_content(opened)
        yield opened


def add_staff(store: Store, name: str, capacity: int = 2) -> int:
    with store.transaction() as s:
        return s.execute(
            insert(m.Staff)
            .values(name=name, is_vcio=True, is_tam=True, daily_capacity=capacity)
            .returning(m.Staff.id)
        ).scalar_one()


def add_client(
    store: Store,
    name: str,
    owner: int,
    country: str | None = "US",
    subdivision: str | None = "NY",
    tz: str = "America/New_York",
) -> int:
    with store.transaction() as s:
        return s.execute(
            insert(m.Client)
            .values(
                name=name,
                tier="B",
                country=country,
                subdivision=subdivision,
                timezone=tz,
                vcio_id=owner,
                tam_id=owner,
            )
            .returning(m.Client.id)
        ).scalar_one()


def add_rhythm(
    store: Store, client_id: int, type_key: str, versions: list[tuple[str, dt.date, int, dt.date]]
) -> int:
    with store.transaction() as s:
        type_id = s.scalar(select(m.MeetingType.id).where(m.MeetingType.key == type_key))
        rhythm_id = s.execute(
            insert(m.Rhythm)
            .values(client_id=client_id, meeting_type_id=type_id)
            .returning(m.Rhythm.id)
        ).scalar_one()
        for rule, anchor, tolerance, effective in versions:
            s.execute(
                insert(m.RhythmVersion).values(
                    rhythm_id=rhythm_id,
                    rrule=rule,
                    anchor_date=anchor,
                    tolerance_days=tolerance,
                    effective_from=effective,
                    reason="test",
                )
            )
        return rhythm_id


def meetings(store: Store) -> list[tuple]:
    with store.session() as s:
        return s.execute(
            select(
                m.Meeting.id,
                m.Meeting.rhythm_id,
                m.Meeting.slot_date,
                m.Meeting.scheduled_start,
                m.Meeting.status,
                m.Meeting.owner_id,
            ).order_by(m.Meeting.id)
        ).all()


def local_days(store: Store) -> dict[dt.date, dt.date]:
    """slot → local scheduled day (New York)."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo("America/New_York")
    return {row.slot_date: row.scheduled_start.astimezone(zone).date() for row in meetings(store)}


def test_each_slot_gets_one_proposed_meeting_on_its_date(store: Store) -> None:
    owner = add_staff(store, "Dana")
    client = add_client(store, "Acme", owner)
    # Quarterly on Wednesday 13 Jan 2027 and every 3 months: all weekdays, no NY holidays.
    add_rhythm(
        store,
        client,
        "vcio_meeting",
        [("FREQ=MONTHLY;INTERVAL=3", D(2027, 1, 13), 14, D(2027, 1, 13))],
    )
    plan = apply_schedule(store, Y2027, AS_OF)
    assert [(a.slot, a.change) for a in plan.added] == [
        (D(2027, 1, 13), "add"),
        (D(2027, 4, 13), "add"),
        (D(2027, 7, 13), "add"),
        (D(2027, 10, 13), "add"),
    ]
    rows = meetings(store)
    assert {row.status for row in rows} == {"proposed"}
    assert {row.owner_id for row in rows} == {owner}
    assert local_days(store) == {
        d: d for d in (D(2027, 1, 13), D(2027, 4, 13), D(2027, 7, 13), D(2027, 10, 13))
    }
    # Start time and duration come from the meeting type (vCIO meeting: 14:00, 60 minutes).
    from zoneinfo import ZoneInfo

    first = rows[0].scheduled_start.astimezone(ZoneInfo("America/New_York"))
    assert (first.hour, first.minute) == (14, 0)


@pytest.mark.parametrize(
    ("slot", "tolerance", "country", "expected", "reason"),
    [
        (
            D(2027, 7, 4),
            5,
            "US",
            D(2027, 7, 2),
            "weekend",
        ),  # Sunday → Fri (Mon 5th is observed holiday)
        (D(2027, 12, 24), 5, "US", D(2027, 12, 23), "Christmas"),  # observed Christmas → Thu 23rd
        (
            D(2027, 5, 31),
            5,
            "US",
            D(2027, 6, 1),
            "Memorial Day",
        ),  # Mon holiday; Sun/Sat before → Tue
        (D(2027, 5, 31), 5, None, D(2027, 5, 31), None),  # no country: weekends only
        (D(2027, 8, 30), 5, "GB", D(2027, 8, 31), "Summer Bank Holiday"),
    ],
)
def test_holiday_and_weekend_moves(
    store: Store,
    slot: dt.date,
    tolerance: int,
    country: str | None,
    expected: dt.date,
    reason: str | None,
) -> None:
    owner = add_staff(store, "Dana")
    subdivision = {"US": "NY", "GB": "ENG"}.get(country or "")
    client = add_client(store, "Acme", owner, country=country, subdivision=subdivision)
    add_rhythm(store, client, "vcio_meeting", [("FREQ=YEARLY", slot, tolerance, slot)])
    plan = plan_schedule(store, Y2027, AS_OF)
    (item,) = plan.added
    assert item.day == expected
    if reason is None:
        assert item.moved_because is None and item.change == "add"
    else:
        assert reason in item.moved_because and item.change == "move"
    if country is None:
        assert any("no country" in note for note in plan.notes)


def test_capacity_moves_the_third_meeting_of_a_day(store: Store) -> None:
    owner = add_staff(store, "Dana", capacity=2)
    for name in ("A Co", "B Co", "C Co"):
        client = add_client(store, name, owner)
        add_rhythm(
            store, client, "vcio_meeting", [("FREQ=YEARLY", D(2027, 3, 10), 14, D(2027, 3, 10))]
        )
    plan = apply_schedule(store, Y2027, AS_OF)
    days = sorted((a.subject, a.day) for a in plan.added)
    assert days == [("A Co", D(2027, 3, 10)), ("B Co", D(2027, 3, 10)), ("C Co", D(2027, 3, 9))]
    moved = [a for a in plan.added if a.change == "move"]
    assert len(moved) == 1 and "already has 2 meetings" in moved[0].moved_because


def test_tolerance_exhausted_keeps_best_day_and_reports_conflict(store: Store) -> None:
    owner = add_staff(store, "Dana", capacity=1)
    for name in ("A Co", "B Co"):
        client = add_client(store, name, owner)
        add_rhythm(
            store, client, "vcio_meeting", [("FREQ=YEARLY", D(2027, 3, 10), 0, D(2027, 3, 10))]
        )
    plan = plan_schedule(store, Y2027, AS_OF)
    assert [a.day for a in plan.added] == [D(2027, 3, 10), D(2027, 3, 10)]
    (conflict,) = plan.conflicts
    assert conflict.subject == "B Co" and "at capacity" in conflict.conflict


def test_rerunning_changes_nothing(store: Store) -> None:
    owner = add_staff(store, "Dana")
    client = add_client(store, "Acme", owner)
    add_rhythm(
        store, client, "alignment_review", [("FREQ=MONTHLY", D(2027, 1, 4), 5, D(2027, 1, 4))]
    )
    first = apply_schedule(store, Y2027, AS_OF)
    before = meetings(store)
    second = apply_schedule(store, Y2027, AS_OF)
    assert len(first.added) == 12
    assert not second.has_changes
    assert meetings(store) == before


def test_user_touched_meetings_are_never_moved_or_removed(store: Store) -> None:
    owner = add_staff(store, "Dana")
    client = add_client(store, "Acme", owner)
    rhythm = add_rhythm(
        store,
        client,
        "vcio_meeting",
        [("FREQ=MONTHLY;INTERVAL=3", D(2027, 1, 13), 14, D(2027, 1, 13))],
    )
    apply_schedule(store, Y2027, AS_OF)
    with store.transaction() as s:
        first_id = s.scalar(select(m.Meeting.id).where(m.Meeting.slot_date == D(2027, 1, 13)))
        s.execute(
            update(m.Meeting)
            .where(m.Meeting.id == first_id)
            .values(
                status="confirmed",
                user_touched=True,
                scheduled_start=dt.datetime(2027, 1, 20, 19, tzinfo=dt.UTC),
                scheduled_end=dt.datetime(2027, 1, 20, 20, tzinfo=dt.UTC),
            )
        )
        # A new version from February: the old slots after it disappear.
        s.execute(
            insert(m.RhythmVersion).values(
                rhythm_id=rhythm,
                rrule="FREQ=MONTHLY;INTERVAL=3",
                anchor_date=D(2027, 2, 10),
                tolerance_days=14,
                effective_from=D(2027, 2, 1),
                reason="moved to February",
            )
        )
    plan = apply_schedule(store, Y2027, AS_OF)
    removed_slots = sorted(r.slot for r in plan.removed)
    assert removed_slots == [D(2027, 4, 13), D(2027, 7, 13), D(2027, 10, 13)]
    assert sorted(a.slot for a in plan.added) == [
        D(2027, 2, 10),
        D(2027, 5, 10),
        D(2027, 8, 10),
        D(2027, 11, 10),
    ]
    kept = {row.id: row for row in meetings(store)}
    assert kept[first_id].status == "confirmed"
    assert kept[first_id].scheduled_start == dt.datetime(2027, 1, 20, 19, tzinfo=dt.UTC)


def test_version_change_mid_year_switches_rule_and_tolerance(store: Store) -> None:
    owner = add_staff(store, "Dana")
    client = add_client(store, "Acme", owner, country=None)
    add_rhythm(
        store,
        client,
        "alignment_review",
        [
            ("FREQ=MONTHLY;INTERVAL=3", D(2027, 1, 5), 14, D(2027, 1, 5)),
            ("FREQ=MONTHLY", D(2027, 7, 6), 5, D(2027, 7, 1)),
        ],
    )
    plan = plan_schedule(store, Y2027, AS_OF)
    assert [a.slot for a in plan.added] == [
        D(2027, 1, 5),
        D(2027, 4, 5),
        D(2027, 7, 6),
        D(2027, 8, 6),
        D(2027, 9, 6),
        D(2027, 10, 6),
        D(2027, 11, 6),
        D(2027, 12, 6),
    ]
    # 6 Nov 2027 is a Saturday: with the new tolerance of 5 it moves to Friday the 5th.
    saturday = next(a for a in plan.added if a.slot == D(2027, 11, 6))
    assert saturday.day == D(2027, 11, 5)


def test_past_slots_are_left_alone(store: Store) -> None:
    owner = add_staff(store, "Dana")
    client = add_client(store, "Acme", owner)
    add_rhythm(
        store, client, "alignment_review", [("FREQ=MONTHLY", D(2026, 1, 5), 5, D(2026, 1, 5))]
    )
    plan = plan_schedule(store, ScheduleWindow.year(2026), AS_OF)
    # Slots up to 5 Nov are past their tolerance on 20 Nov; 5 Dec (a Saturday) goes to Friday.
    assert [(a.slot, a.day) for a in plan.added] == [(D(2026, 12, 5), D(2026, 12, 4))]
    assert any("left alone" in note for note in plan.notes)


def test_inactive_client_gets_nothing_and_loses_its_proposals(store: Store) -> None:
    owner = add_staff(store, "Dana")
    client = add_client(store, "Acme", owner)
    add_rhythm(
        store,
        client,
        "vcio_meeting",
        [("FREQ=MONTHLY;INTERVAL=3", D(2027, 1, 13), 14, D(2027, 1, 13))],
    )
    apply_schedule(store, Y2027, AS_OF)
    with store.transaction() as s:
        s.execute(update(m.Client).values(active=False))
    plan = apply_schedule(store, Y2027, AS_OF)
    assert len(plan.removed) == 4 and not plan.added
    assert meetings(store) == []


def test_windows() -> None:
    assert ScheduleWindow.year(2027).label == "2027"
    window = ScheduleWindow.twelve_months_from(D(2026, 12, 1))
    assert (window.start, window.end) == (D(2026, 12, 1), D(2027, 12, 1))
    assert window.label == "2026-12-01 to 2027-11-30"
    with pytest.raises(ValidationError):
        ScheduleWindow.year(99999)


@pytest.fixture(scope="module")
def demo(build_workspace):  # type: ignore[no-untyped-def]
    return build_workspace(
        lambda store: build_demo(store, clients=12, years=2, seed=5, as_of=AS_OF)
    )


_copies = itertools.count(1)


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(start=st.dates(D(2026, 6, 1), D(2028, 6, 1)))
def test_property_rerun_on_a_demo_changes_nothing(demo, db_target, start: dt.date) -> None:
    copy = db_target(f"copy-{next(_copies)}", copy_of=demo)
    with open_store(copy) as store:
        window = ScheduleWindow.twelve_months_from(start)
        first = apply_schedule(store, window, AS_OF)
        snapshot = meetings(store)
        second = plan_schedule(store, window, AS_OF)
        assert not second.has_changes, (len(second.added), len(second.removed))
        assert meetings(store) == snapshot
        # Every added meeting stays within its slot's tolerance and is one per slot.
        slots = [(a.rhythm_id, a.slot) for a in first.added]
        assert len(slots) == len(set(slots))
