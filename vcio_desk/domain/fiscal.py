"""Fiscal years and quarters (PRODUCT.md §3.7).

A fiscal year is named by the calendar year in which it ends: with a July
start, FY2027 runs from July 2026 to June 2027. With a January start the
fiscal year is the calendar year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .errors import ValidationError

MIN_YEAR = 1900
MAX_YEAR = 2200
"""Fiscal years outside this range are typing mistakes, not plans."""


@dataclass(frozen=True, order=True, slots=True)
class FiscalQuarter:
    year: int
    quarter: int

    @property
    def label(self) -> str:
        return f"FY{self.year} Q{self.quarter}"

    @property
    def index(self) -> int:
        """A running count of quarters, so two quarters can be subtracted."""
        return self.year * 4 + self.quarter - 1

    @classmethod
    def from_index(cls, index: int) -> FiscalQuarter:
        return cls(index // 4, index % 4 + 1)

    def next(self) -> FiscalQuarter:
        return self.shifted(1)

    def previous(self) -> FiscalQuarter:
        return self.shifted(-1)

    def shifted(self, quarters: int) -> FiscalQuarter:
        """The quarter ``quarters`` later (earlier when negative)."""
        return FiscalQuarter.from_index(self.index + quarters)


def check_quarter(year: int, quarter: int) -> FiscalQuarter:
    """A FiscalQuarter from user input; ValidationError for an impossible year or quarter."""
    if isinstance(quarter, bool) or not isinstance(quarter, int) or not 1 <= quarter <= 4:
        raise ValidationError(f"A fiscal quarter is 1 to 4, not {quarter!r}.")
    if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(
            f"The fiscal year {year!r} is out of range (use {MIN_YEAR} to {MAX_YEAR})."
        )
    return FiscalQuarter(year, quarter)


def _check_month(start_month: int) -> None:
    if not 1 <= start_month <= 12:
        raise ValidationError(f"A fiscal year cannot start in month {start_month}; use 1 to 12.")


def fiscal_quarter(day: dt.date, start_month: int) -> FiscalQuarter:
    """The fiscal quarter containing ``day`` for a fiscal year starting in ``start_month``."""
    _check_month(start_month)
    months_in = (day.month - start_month) % 12
    year = day.year if start_month == 1 or day.month < start_month else day.year + 1
    return FiscalQuarter(year, months_in // 3 + 1)


def quarter_start(fq: FiscalQuarter, start_month: int) -> dt.date:
    """First day of a fiscal quarter."""
    _check_month(start_month)
    first_year = fq.year if start_month == 1 else fq.year - 1
    month_index = start_month - 1 + (fq.quarter - 1) * 3
    return dt.date(first_year + month_index // 12, month_index % 12 + 1, 1)


def quarter_end(fq: FiscalQuarter, start_month: int) -> dt.date:
    """Last day of a fiscal quarter (the day before the next one starts)."""
    return quarter_start(fq.next(), start_month) - dt.timedelta(days=1)


def quarters_from(first: FiscalQuarter, count: int) -> list[FiscalQuarter]:
    """``count`` consecutive quarters starting with ``first``."""
    return [first.shifted(n) for n in range(count)]
