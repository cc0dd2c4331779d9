"""Fiscal years are named by the calendar year in which they end (PRODUCT.md §3.7)."""

from __future__ import annotations

import datetime as dt

import pytest

from vcio_desk.domain.errors import ValidationError
from vcio_desk.domain.fiscal import (
    FiscalQuarter,
    check_quarter,
    fiscal_quarter,
    quarter_end,
    quarter_start,
    quarters_from,
)

D = dt.date


@pytest.mark.parametrize(
    ("day", "start_month", "expected"),
    [
        (D(2026, 1, 1), 1, (2026, 1)),
        (D(2026, 12, 31), 1, (2026, 4)),
        (D(2026, 4, 1), 4, (2027, 1)),
        (D(2026, 3, 31), 4, (2026, 4)),
        (D(2026, 7, 1), 7, (2027, 1)),
        (D(2027, 6, 30), 7, (2027, 4)),
        (D(2026, 6, 30), 7, (2026, 4)),
        (D(2026, 10, 1), 10, (2027, 1)),
        (D(2026, 9, 30), 10, (2026, 4)),
        (D(2027, 1, 15), 10, (2027, 2)),
    ],
)
def test_fiscal_quarter(day: dt.date, start_month: int, expected: tuple[int, int]) -> None:
    assert fiscal_quarter(day, start_month) == FiscalQuarter(*expected)


@pytest.mark.parametrize("start_month", [1, 4, 7, 10])
def test_quarter_start_round_trips(start_month: int) -> None:
    day = D(2024, 1, 1)
    while day < D(2028, 1, 1):
        fq = fiscal_quarter(day, start_month)
        first = quarter_start(fq, start_month)
        assert first <= day
        assert fiscal_quarter(first, start_month) == fq
        assert fiscal_quarter(first - dt.timedelta(days=1), start_month) != fq
        day += dt.timedelta(days=17)


def test_labels_and_next() -> None:
    assert FiscalQuarter(2027, 4).label == "FY2027 Q4"
    assert FiscalQuarter(2027, 4).next() == FiscalQuarter(2028, 1)
    assert FiscalQuarter(2027, 2).next() == FiscalQuarter(2027, 3)


def test_impossible_start_month() -> None:
    with pytest.raises(ValidationError):
        fiscal_quarter(D(2026, 1, 1), 13)


# -- every start month the issue names: each quarter's first and last day -----------------------

QUARTER_STARTS = {
    # start month: FY2027's four quarters as (first day, last day)
    1: [
        (D(2027, 1, 1), D(2027, 3, 31)),
        (D(2027, 4, 1), D(2027, 6, 30)),
        (D(2027, 7, 1), D(2027, 9, 30)),
        (D(2027, 10, 1), D(2027, 12, 31)),
    ],
    4: [
        (D(2026, 4, 1), D(2026, 6, 30)),
        (D(2026, 7, 1), D(2026, 9, 30)),
        (D(2026, 10, 1), D(2026, 12, 31)),
        (D(2027, 1, 1), D(2027, 3, 31)),
    ],
    7: [
        (D(2026, 7, 1), D(2026, 9, 30)),
        (D(2026, 10, 1), D(2026, 12, 31)),
        (D(2027, 1, 1), D(2027, 3, 31)),
        (D(2027, 4, 1), D(2027, 6, 30)),
    ],
    10: [
        (D(2026, 10, 1), D(2026, 12, 31)),
        (D(2027, 1, 1), D(2027, 3, 31)),
        (D(2027, 4, 1), D(2027, 6, 30)),
        (D(2027, 7, 1), D(2027, 9, 30)),
    ],
}


@pytest.mark.parametrize("start_month", sorted(QUARTER_STARTS))
def test_fy2027_quarters_by_start_month(start_month: int) -> None:
    for number, (first, last) in enumerate(QUARTER_STARTS[start_month], start=1):
        fq = FiscalQuarter(2027, number)
        assert quarter_start(fq, start_month) == first
        assert quarter_end(fq, start_month) == last
        # Boundary days belong to the quarter; the days just outside do not.
        assert fiscal_quarter(first, start_month) == fq
        assert fiscal_quarter(last, start_month) == fq
        assert fiscal_quarter(first - dt.timedelta(days=1), start_month) == fq.previous()
        assert fiscal_quarter(last + dt.timedelta(days=1), start_month) == fq.next()


@pytest.mark.parametrize(
    ("start_month", "first", "last"),
    [
        (1, D(2027, 1, 1), D(2027, 12, 31)),
        (4, D(2026, 4, 1), D(2027, 3, 31)),
        (7, D(2026, 7, 1), D(2027, 6, 30)),  # PRODUCT.md §3.7: FY2027 = Jul 2026 – Jun 2027
        (10, D(2026, 10, 1), D(2027, 9, 30)),
    ],
)
def test_fiscal_year_2027_is_named_by_the_year_it_ends(
    start_month: int, first: dt.date, last: dt.date
) -> None:
    assert quarter_start(FiscalQuarter(2027, 1), start_month) == first
    assert quarter_end(FiscalQuarter(2027, 4), start_month) == last
    assert fiscal_quarter(first - dt.timedelta(days=1), start_month) == FiscalQuarter(2026, 4)
    assert fiscal_quarter(last + dt.timedelta(days=1), start_month) == FiscalQuarter(2028, 1)


@pytest.mark.parametrize("start_month", [1, 4, 7, 10])
def test_every_day_of_four_years_in_exactly_one_quarter(start_month: int) -> None:
    """Quarters tile the calendar: consecutive, gapless, each 90 to 92 days long."""
    fq = fiscal_quarter(D(2024, 1, 1), start_month)
    day = quarter_start(fq, start_month)
    while day < D(2028, 1, 1):
        end = quarter_end(fq, start_month)
        assert 89 <= (end - day).days <= 91
        assert {fiscal_quarter(d, start_month) for d in (day, end)} == {fq}
        day, fq = end + dt.timedelta(days=1), fq.next()
        assert quarter_start(fq, start_month) == day


def test_shifting_and_counting_quarters() -> None:
    q = FiscalQuarter(2027, 3)
    assert q.shifted(2) == FiscalQuarter(2028, 1)
    assert q.shifted(-3) == FiscalQuarter(2026, 4)
    assert FiscalQuarter(2027, 1).previous() == FiscalQuarter(2026, 4)
    assert FiscalQuarter(2028, 1).index - q.index == 2
    assert FiscalQuarter.from_index(q.index) == q
    assert quarters_from(FiscalQuarter(2026, 4), 3) == [
        FiscalQuarter(2026, 4),
        FiscalQuarter(2027, 1),
        FiscalQuarter(2027, 2),
    ]


@pytest.mark.parametrize(
    ("year", "quarter"), [(2027, 0), (2027, 5), (1899, 1), (2201, 1), (2027, "2"), (2027, True)]
)
def test_check_quarter_refuses_impossible_input(year: object, quarter: object) -> None:
    with pytest.raises(ValidationError):
        check_quarter(year, quarter)  # type: ignore[arg-type]


def test_check_quarter_accepts_a_real_quarter() -> None:
    assert check_quarter(2027, 4) == FiscalQuarter(2027, 4)
