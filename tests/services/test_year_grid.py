"""The Year page's data (services.year_grid) on a small, hand-built workspace.

One client with a monthly Technology Alignment rhythm (10th of the month, w = 3)
whose year 2026 holds every kind of cell: held on time, late and early; a missed
slot; a cancelled meeting; an overdue slot; a confirmed one to come. As of
2026-11-20.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import insert, select

from vcio_desk.domain.drift import SlotState
from vcio_desk.domain.vocab import MeetingStatus
from vcio_desk.services.drift import assess_all
from vcio_desk.services.seed import ensure_base_content
from vcio_desk.services.year_grid import CellState, GridRow, YearGrid, year_grid
from vcio_desk.store import Store, open_store
from vcio_desk.store import models as m

D = dt.date
AS_OF = D(2026, 11, 20)


@pytest.fixture
def store(db_target) -> Iterator[Store]:  # type: ignore[no-untyped-def]
    with open_store(db_target("ws")) as opened:
        ensure_base_content(opened)
        yield opened


def _id(store: Store, table: type, **values: object) -> int:
    with store.transaction() as session:
        return session.execute(insert(table).values(**values).returning(table.id)).scalar_one()


def _type_id(store: Store, key: str) -> int:
    with store.session() as session:
        found = session.scalar(select(m.MeetingType.id).where(m.MeetingType.key == key))
    assert found is not None
    return found


def _meeting(
    store: Store,
    *,
    owner: int,
    day: D,
    status: MeetingStatus,
    type_id: int,
    client: int | None = None,
    body: int | None = None,
    rhythm: int | None = None,
    slot: D | None = None,
    held: D | None = None,
) -> int:
    start = dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC)
    return _id(
        store,
        m.Meeting,
        client_id=client,
        internal_body_id=body,
        meeting_type_id=type_id,
        rhythm_id=rhythm,
        slot_date=slot,
        owner_id=owner,
        scheduled_start=start,
        scheduled_end=start + dt.timedelta(hours=1),
        timezone="UTC",
        status=status,
        held_date=held,
        cancel_reason="Client closed for the holidays" if status == "cancelled" else "",
    )


@pytest.fixture
def setup(store: Store) -> dict[str, int]:
    dana = _id(store, m.Staff, name="Dana", is_tam=True, is_vcio=True, daily_capacity=2)
    sam = _id(store, m.Staff, name="Sam", is_vcio=True, daily_capacity=3)
    acme = _id(store, m.Client, name="Acme", tier="A", vcio_id=dana, tam_id=dana, timezone="UTC")
    zulu = _id(store, m.Client, name="Zulu Co", tier="B", vcio_id=sam, tam_id=sam, timezone="UTC")
    # Alphabetically first, but internal bodies come after every client.
    body = _id(store, m.InternalBody, name="Aardvark committee", owner_id=sam, timezone="UTC")
    ta, vcio = _type_id(store, "alignment_review"), _type_id(store, "vcio_meeting")
    rhythm = _id(store, m.Rhythm, client_id=acme, meeting_type_id=ta)
    _id(
        store,
        m.RhythmVersion,
        rhythm_id=rhythm,
        rrule="FREQ=MONTHLY",
        anchor_date=D(2026, 1, 10),
        tolerance_days=3,
        effective_from=D(2026, 1, 10),
        reason="test",
    )
    common = {"owner": dana, "type_id": ta, "client": acme, "rhythm": rhythm}
    held = MeetingStatus.HELD
    ids = {
        "dana": dana,
        "sam": sam,
        "acme": acme,
        "zulu": zulu,
        "body": body,
        "on_time": _meeting(
            store, day=D(2026, 1, 10), status=held, slot=D(2026, 1, 10), held=D(2026, 1, 10),
            **common,
        ),
        "late": _meeting(
            store, day=D(2026, 2, 10), status=held, slot=D(2026, 2, 10), held=D(2026, 2, 20),
            **common,
        ),
        "early": _meeting(
            store, day=D(2026, 3, 10), status=held, slot=D(2026, 3, 10), held=D(2026, 3, 2),
            **common,
        ),
        # April: nothing at all (missed). May: cancelled (and so missed as well).
        "cancelled": _meeting(
            store, day=D(2026, 5, 11), status=MeetingStatus.CANCELLED, slot=D(2026, 5, 10),
            **common,
        ),
        "vcio_may": _meeting(
            store, day=D(2026, 5, 15), status=MeetingStatus.PROPOSED, owner=dana, type_id=vcio,
            client=acme,
        ),
        "confirmed": _meeting(
            store, day=D(2026, 12, 10), status=MeetingStatus.CONFIRMED, slot=D(2026, 12, 10),
            **common,
        ),
        "committee": _meeting(
            store, day=D(2026, 2, 4), status=MeetingStatus.PROPOSED, owner=sam,
            type_id=_type_id(store, "standards_committee"), body=body,
        ),
    }  # fmt: skip
    return ids


def _row(grid: YearGrid, name: str) -> GridRow:
    (row,) = [r for r in grid.rows if r.subject == name]
    return row


def test_held_states_come_from_the_drift_engine(store: Store, setup: dict[str, int]) -> None:
    grid = year_grid(store, 2026, AS_OF)
    acme = _row(grid, "Acme")
    by_id = {g.meeting_id: g for month in acme.months for g in month if g.meeting_id}
    assert by_id[setup["on_time"]].state is CellState.HELD_ON_TIME
    assert by_id[setup["late"]].state is CellState.HELD_LATE
    assert by_id[setup["early"]].state is CellState.HELD_EARLY
    # The same verdicts the drift engine gives the slots these meetings count for.
    drift = assess_all(store, AS_OF)
    (rhythm,) = [r for r in drift.rhythms if r.subject == "Acme"]
    verdicts = {s.meeting_id: s.state for s in rhythm.assessment.slots if s.meeting_id}
    assert verdicts == {
        setup["on_time"]: SlotState.ON_TIME,
        setup["late"]: SlotState.LATE,
        setup["early"]: SlotState.EARLY,
    }
    # A held meeting sits in the month it was held, on its held day.
    assert by_id[setup["late"]].day == D(2026, 2, 20)
    assert by_id[setup["early"]].day == D(2026, 3, 2)
    # Passing the report in gives the same grid.
    assert year_grid(store, 2026, AS_OF, drift).rows == grid.rows


def test_missed_slots_appear_without_a_meeting(store: Store, setup: dict[str, int]) -> None:
    acme = _row(year_grid(store, 2026, AS_OF), "Acme")
    april = acme.months[3]
    assert [(g.meeting_id, g.state, g.day, g.slot, g.owner) for g in april] == [
        (None, CellState.MISSED, D(2026, 4, 10), D(2026, 4, 10), "Dana")
    ]
    assert april[0].start == ""
    # November's slot (10th, w = 3) is past its tolerance but not yet half-way: overdue.
    (november,) = acme.months[10]
    assert (november.meeting_id, november.state) == (None, CellState.OVERDUE)


def test_cancelled_meetings_show_as_cancelled(store: Store, setup: dict[str, int]) -> None:
    acme = _row(year_grid(store, 2026, AS_OF), "Acme")
    may = acme.months[4]
    states = {(g.meeting_id, g.state) for g in may}
    assert (setup["cancelled"], CellState.CANCELLED) in states
    assert (setup["vcio_may"], CellState.PROPOSED) in states
    assert (None, CellState.MISSED) in states  # a cancelled meeting does not hold the slot
    assert [g.day for g in may] == sorted(g.day for g in may)
    (december,) = acme.months[11]
    assert (december.meeting_id, december.state) == (setup["confirmed"], CellState.CONFIRMED)


def test_internal_bodies_come_after_clients(store: Store, setup: dict[str, int]) -> None:
    grid = year_grid(store, 2026, AS_OF)
    assert [(r.subject_kind, r.subject) for r in grid.rows] == [
        ("client", "Acme"),
        ("client", "Zulu Co"),
        ("internal", "Aardvark committee"),
    ]
    body = grid.rows[-1]
    assert body.tier is None and body.account_manager_id is None
    assert [g.meeting_id for g in body.months[1]] == [setup["committee"]]
    assert all(not month for month in _row(grid, "Zulu Co").months)


def test_capacity_counts_exclude_cancelled(store: Store, setup: dict[str, int]) -> None:
    grid = year_grid(store, 2026, AS_OF)
    capacity = {c.owner: c for c in grid.capacity}
    assert set(capacity) == {"Dana", "Sam"}
    # Dana: Jan, Feb (held late, counted in its held month), Mar, the May vCIO proposal
    # (the cancelled May meeting is not counted), December's confirmed meeting.
    assert capacity["Dana"].meetings == (1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1)
    assert capacity["Sam"].meetings == (0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    assert not any(capacity["Dana"].over)


def test_capacity_is_daily_capacity_times_working_days(store: Store, setup: dict[str, int]) -> None:
    capacity = {c.owner: c for c in year_grid(store, 2026, AS_OF).capacity}
    # 2026: January has 22 weekdays, February 20, November 21.
    assert capacity["Dana"].capacity[0] == 2 * 22
    assert capacity["Dana"].capacity[1] == 2 * 20
    assert capacity["Sam"].capacity[1] == 3 * 20
    assert capacity["Sam"].capacity[10] == 3 * 21


def test_over_capacity_is_flagged(store: Store, setup: dict[str, int]) -> None:
    ta = _type_id(store, "alignment_review")
    for offset in range(41):  # Dana's February holds 2 × 20 = 40
        _meeting(
            store,
            day=D(2026, 2, 2) + dt.timedelta(days=offset % 26),
            status=MeetingStatus.PROPOSED,
            owner=setup["dana"],
            type_id=ta,
            client=setup["zulu"],
        )
    capacity = {c.owner: c for c in year_grid(store, 2026, AS_OF).capacity}
    assert capacity["Dana"].meetings[1] == 42
    assert capacity["Dana"].over[1] is True
    assert capacity["Dana"].over[0] is False
