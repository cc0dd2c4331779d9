"""Drift engine (PRODUCT.md §3.2–3.5), rule by rule and edge by edge."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vcio_desk.domain.drift import Flag, HeldMeeting, SlotState, assess, match, slot_states
from vcio_desk.domain.slots import Slot, VersionSpec, slots

D = dt.date
S = SlotState


def monthly(first: dt.date, n: int, w: int = 5) -> list[Slot]:
    end = first + dt.timedelta(days=31 * n + 31)
    return slots([VersionSpec("FREQ=MONTHLY", first, w, first)], first, end)[:n]


def held(*days: dt.date) -> list[HeldMeeting]:
    return [HeldMeeting(i + 1, d) for i, d in enumerate(days)]


# ---- §3.2 matching ---------------------------------------------------------------------


def test_meeting_goes_to_the_nearest_slot() -> None:
    s = monthly(D(2026, 1, 10), 3)
    assigned, ignored = match(s, held(D(2026, 1, 26), D(2026, 1, 24)))
    assert {i: [h.meeting_id for h in hs] for i, hs in assigned.items()} == {1: [1], 0: [2]}
    assert ignored == []


def test_tie_between_two_slots_goes_to_the_earlier() -> None:
    even = [Slot(D(2026, 1, 10), 5, 0), Slot(D(2026, 1, 30), 5, 0)]
    assigned, _ = match(even, held(D(2026, 1, 20)))
    assert list(assigned) == [0]


def test_meeting_before_first_slot_window_is_ignored() -> None:
    s = monthly(D(2026, 1, 10), 2, w=5)
    _, ignored = match(s, held(D(2026, 1, 4), D(2026, 1, 5)))
    assert ignored == [1]  # 4 Jan < 10 Jan − 5; 5 Jan is inside the window


def test_several_on_one_slot_nearest_counts_others_extra() -> None:
    s = monthly(D(2026, 1, 10), 3)
    states, _ = slot_states(s, held(D(2026, 1, 8), D(2026, 1, 11), D(2026, 1, 12)), D(2026, 3, 20))
    first = states[0]
    assert (first.meeting_id, first.extra, first.state) == (2, (1, 3), S.ON_TIME)


def test_tie_on_one_slot_earlier_meeting_counts() -> None:
    s = monthly(D(2026, 1, 10), 2)
    states, _ = slot_states(s, held(D(2026, 1, 12), D(2026, 1, 8)), D(2026, 2, 20))
    assert states[0].held == D(2026, 1, 8) and states[0].extra == (1,)


# ---- §3.3 slot states ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("held_on", "state", "delta"),
    [
        (D(2026, 1, 15), S.ON_TIME, 5),
        (D(2026, 1, 5), S.ON_TIME, -5),
        (D(2026, 1, 16), S.LATE, 6),
        (D(2026, 1, 4), S.EARLY, -6),
    ],
)
def test_counted_meeting_states(held_on: dt.date, state: SlotState, delta: int) -> None:
    # The slot under test is the second: an early meeting for the first slot would be ignored.
    s = [Slot(D(2025, 11, 10), 5, 0), Slot(D(2026, 1, 10), 5, 0), Slot(D(2026, 3, 10), 5, 0)]
    states, _ = slot_states(s, held(held_on), D(2026, 2, 1))
    assert (states[1].state, states[1].delta_days) == (state, delta)


@pytest.mark.parametrize(
    ("as_of", "state"),
    [
        (D(2026, 1, 4), S.UPCOMING),  # before d − w
        (D(2026, 1, 5), S.DUE),  # d − w
        (D(2026, 1, 15), S.DUE),  # d + w
        (D(2026, 1, 16), S.OVERDUE),  # past tolerance
        (D(2026, 1, 25), S.OVERDUE),  # m = 10 Jan + floor(31 / 2) = 25 Jan
        (D(2026, 1, 26), S.MISSED),
    ],
)
def test_unmet_slot_states_on_window_edges(as_of: dt.date, state: SlotState) -> None:
    states, _ = slot_states([Slot(D(2026, 1, 10), 5, 0), Slot(D(2026, 2, 10), 5, 0)], [], as_of)
    assert states[0].state == state


def test_final_slot_is_missed_after_its_tolerance() -> None:
    only = [Slot(D(2026, 1, 10), 5, 0)]
    assert slot_states(only, [], D(2026, 1, 15))[0][0].state == S.DUE
    assert slot_states(only, [], D(2026, 1, 16))[0][0].state == S.MISSED


def test_zero_tolerance() -> None:
    s = [Slot(D(2026, 1, 10), 0, 0), Slot(D(2026, 2, 10), 0, 0)]
    assert slot_states(s, held(D(2026, 1, 11)), D(2026, 1, 20))[0][0].state == S.LATE
    assert slot_states(s, [], D(2026, 1, 10))[0][0].state == S.DUE
    assert slot_states(s, [], D(2026, 1, 11))[0][0].state == S.OVERDUE


def test_version_change_mid_history_changes_tolerance() -> None:
    v = [
        VersionSpec("FREQ=MONTHLY;INTERVAL=3", D(2025, 1, 10), 14, D(2025, 1, 10)),
        VersionSpec("FREQ=MONTHLY", D(2025, 7, 10), 3, D(2025, 7, 1)),
    ]
    s = slots(v, D(2025, 1, 1), D(2025, 9, 1))
    states, _ = slot_states(s, held(D(2025, 4, 20), D(2025, 7, 15)), D(2025, 9, 1))
    assert [(r.nominal, r.tolerance_days, r.state) for r in states] == [
        (D(2025, 1, 10), 14, S.MISSED),
        (D(2025, 4, 10), 14, S.ON_TIME),  # 10 days late, within 14
        (D(2025, 7, 10), 3, S.LATE),  # 5 days late, beyond 3
        (D(2025, 8, 10), 3, S.MISSED),
    ]


def test_meetings_held_after_as_of_do_not_count_yet() -> None:
    s = monthly(D(2026, 1, 10), 2)
    states, _ = slot_states(s, held(D(2026, 1, 12)), D(2026, 1, 11))
    assert states[0].state == S.DUE


# ---- §3.4 figures and §3.5 flags -------------------------------------------------------


def test_figures() -> None:
    s = monthly(D(2025, 1, 10), 24)
    history = held(D(2025, 9, 10), D(2025, 10, 13), D(2025, 11, 18), D(2025, 12, 22))
    a = assess(s, history, D(2026, 1, 3), label="alignment review")
    # Slots in (3 Jan 2025, 3 Jan 2026]: Jan..Dec 2025 = 12; on time: Sep, Oct (3 days) → 2.
    assert a.adherence_pct == pytest.approx(100 * 2 / 12)
    # Last 3 counted deltas: Oct +3, Nov +8, Dec +12 → mean 7.67.
    assert a.drift_days == pytest.approx((3 + 8 + 12) / 3)
    # Held gaps: 10 Sep → 22 Dec = 103 days over 3 gaps; slot gaps 10 Sep → 10 Dec = 91.
    assert a.interval_ratio == pytest.approx(103 / 91)
    assert a.last_held == D(2025, 12, 22)
    assert a.next_due == D(2026, 1, 10)


def test_flag_broken() -> None:
    a = assess(
        monthly(D(2026, 1, 10), 6), held(D(2026, 1, 10)), D(2026, 3, 20), label="vCIO meeting"
    )
    assert a.flag is Flag.BROKEN
    assert a.reason == (
        "Last two vCIO meetings, due 2026-02-10 and 2026-03-10, not held; 5 days past tolerance"
    )


def test_flag_overdue_with_reason() -> None:
    a = assess(
        monthly(D(2026, 6, 15), 6, w=14), held(D(2026, 6, 15)), D(2026, 8, 12), label="vCIO meeting"
    )
    assert a.flag is Flag.OVERDUE
    assert a.reason == "vCIO meeting due 2026-07-15 not held; 14 days past tolerance"


def test_flag_drifting() -> None:
    s = monthly(D(2026, 1, 10), 12, w=5)
    a = assess(s, held(D(2026, 1, 18), D(2026, 2, 17), D(2026, 3, 19)), D(2026, 3, 25))
    assert a.flag is Flag.DRIFTING
    assert a.reason == "Last 3 Meetings held 8 days late on average (tolerance ±5)"
    one = assess(s, held(D(2026, 1, 25)), D(2026, 1, 30), label="vCIO meeting")
    assert one.flag is Flag.DRIFTING
    assert one.reason == "Last vCIO meeting held 15 days late (tolerance ±5)"


def test_flag_unbooked_and_booked() -> None:
    s = monthly(D(2026, 1, 10), 12, w=5)
    past = held(D(2026, 1, 10), D(2026, 2, 10), D(2026, 3, 10))
    a = assess(s, past, D(2026, 3, 25), lead_days=21)
    assert a.flag is Flag.UNBOOKED and "2026-04-10 (in 16 days) is not booked" in a.reason
    b = assess(s, past, D(2026, 3, 25), booked={D(2026, 4, 10): D(2026, 4, 9)})
    assert b.flag is Flag.OK and b.reason.startswith("On track")
    c = assess(s, past, D(2026, 3, 15), lead_days=21)  # next slot 26 days away
    assert c.flag is Flag.OK


def test_no_slots_yet() -> None:
    a = assess([], [], D(2026, 1, 1))
    assert (a.flag, a.reason, a.adherence_pct, a.drift_days) == (
        Flag.OK,
        "No slots yet",
        None,
        None,
    )


def test_flag_severity_order() -> None:
    assert sorted(Flag, key=lambda f: f.severity) == [
        Flag.BROKEN,
        Flag.OVERDUE,
        Flag.DRIFTING,
        Flag.UNBOOKED,
        Flag.OK,
    ]


# ---- properties ------------------------------------------------------------------------

held_days = st.lists(st.dates(D(2024, 1, 1), D(2027, 12, 31)), max_size=40)


@settings(deadline=None)
@given(held_days)
def test_matching_is_one_to_one_and_nearest(days: list[dt.date]) -> None:
    s = monthly(D(2024, 3, 1), 36, w=6)
    meetings = held(*days)
    assigned, ignored = match(s, meetings)
    seen = [h.meeting_id for hs in assigned.values() for h in hs] + ignored
    assert sorted(seen) == [h.meeting_id for h in meetings]
    for index, hs in assigned.items():
        for h in hs:
            mine = abs((h.held - s[index].nominal).days)
            assert all(mine <= abs((h.held - other.nominal).days) for other in s)


@settings(deadline=None)
@given(held_days, st.dates(D(2024, 1, 1), D(2028, 1, 1)), st.integers(1, 400))
def test_moving_as_of_forward_never_turns_a_held_slot_into_missed(
    days: list[dt.date], as_of: dt.date, step: int
) -> None:
    s = monthly(D(2024, 3, 1), 36, w=6)
    meetings = held(*days)
    before, _ = slot_states(s, meetings, as_of)
    after, _ = slot_states(s, meetings, as_of + dt.timedelta(days=step))
    for b, a in zip(before, after, strict=True):
        if b.state in (S.ON_TIME, S.EARLY, S.LATE):
            assert a.state in (S.ON_TIME, S.EARLY, S.LATE)
