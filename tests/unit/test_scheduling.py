"""Choosing a meeting's day (PRODUCT.md §3.8): weekends, holidays, capacity, tolerance."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from vcio_desk.domain.scheduling import candidates, choose_day

D = dt.date
NO_HOLIDAYS = {}.get


def _load(busy: dict[dt.date, int]):
    return lambda day: busy.get(day, 0)


def test_slot_date_kept_when_it_fits() -> None:
    choice = choose_day(D(2026, 3, 11), 5, NO_HOLIDAYS, _load({}), 2)
    assert (choice.day, choice.moved_because, choice.conflict) == (D(2026, 3, 11), None, None)


def test_candidates_nearest_first_earlier_on_tie() -> None:
    assert list(candidates(D(2026, 3, 11), 2)) == [
        D(2026, 3, 11),
        D(2026, 3, 10),
        D(2026, 3, 12),
        D(2026, 3, 9),
        D(2026, 3, 13),
    ]


def test_saturday_moves_to_friday_the_earlier_of_two_equally_near_days() -> None:
    # Saturday 2026-03-14: Friday 13th is 1 day before, Monday 16th is 2 days after.
    choice = choose_day(D(2026, 3, 14), 5, NO_HOLIDAYS, _load({}), 2)
    assert choice.day == D(2026, 3, 13)
    assert "weekend" in choice.moved_because


def test_sunday_tie_goes_to_friday_over_monday() -> None:
    # Sunday 2026-03-15: Saturday is a weekend; Friday (-2) and Monday (+1): Monday is nearer.
    assert choose_day(D(2026, 3, 15), 5, NO_HOLIDAYS, _load({}), 2).day == D(2026, 3, 16)


def test_tie_between_two_working_days_goes_to_the_earlier() -> None:
    holidays = {D(2026, 3, 11): "Founders' Day"}.get
    choice = choose_day(D(2026, 3, 11), 5, holidays, _load({}), 2)
    assert choice.day == D(2026, 3, 10)
    assert choice.moved_because == "2026-03-11 is a public holiday: Founders' Day"


def test_capacity_moves_the_meeting() -> None:
    busy = {D(2026, 3, 11): 2, D(2026, 3, 10): 2}
    choice = choose_day(D(2026, 3, 11), 5, NO_HOLIDAYS, _load(busy), 2)
    assert choice.day == D(2026, 3, 12)
    assert "already has 2 meetings" in choice.moved_because


def test_no_capacity_limit_when_there_is_no_owner() -> None:
    busy = {D(2026, 3, 11): 50}
    assert choose_day(D(2026, 3, 11), 5, NO_HOLIDAYS, _load(busy), None).day == D(2026, 3, 11)


def test_tolerance_exhausted_by_capacity_keeps_nearest_working_day_and_reports() -> None:
    busy = {D(2026, 3, d): 2 for d in range(1, 31)}
    choice = choose_day(D(2026, 3, 14), 1, NO_HOLIDAYS, _load(busy), 2)
    assert choice.day == D(2026, 3, 13)
    assert "at capacity" in choice.conflict


def test_tolerance_exhausted_by_weekend_keeps_slot_date() -> None:
    choice = choose_day(D(2026, 3, 14), 1, NO_HOLIDAYS, _load({}), 2)  # Sat; Fri 13 within 1
    assert choice.day == D(2026, 3, 13) and choice.conflict is None
    zero = choose_day(D(2026, 3, 14), 0, NO_HOLIDAYS, _load({}), 2)
    assert zero.day == D(2026, 3, 14)
    assert "weekend or a public holiday" in zero.conflict
    assert zero.moved_because is None


@given(
    nominal=st.dates(D(2020, 1, 1), D(2030, 12, 31)),
    tolerance=st.integers(0, 30),
    busy_days=st.sets(st.integers(-30, 30), max_size=40),
)
def test_choice_is_always_within_tolerance(
    nominal: dt.date, tolerance: int, busy_days: set[int]
) -> None:
    busy = {nominal + dt.timedelta(days=d): 3 for d in busy_days}
    choice = choose_day(nominal, tolerance, NO_HOLIDAYS, _load(busy), 2)
    assert abs((choice.day - nominal).days) <= tolerance
    if choice.conflict is None:
        assert choice.day.weekday() < 5 and busy.get(choice.day, 0) < 2
