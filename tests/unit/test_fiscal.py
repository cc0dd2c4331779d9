"""Fiscal years are named by the calendar year in which they end (PRODUCT.md §3.7)."""

from __future__ import annotations

import datetime as dt

import pytest

from vcio_desk.domain.errors import ValidationError
from vcio_desk.domain.fiscal import FiscalQuarter, fiscal_quarter, quarter_start

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
