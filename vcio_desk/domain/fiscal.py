"""Fiscal years and quarters (PRODUCT.md §3.7).

A fiscal year is named by the calendar year in which it ends: with a July
start, FY2027 runs from July 2026 to June 2027.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .errors import ValidationError


@dataclass(frozen=True, order=True, slots=True)
class FiscalQuarter:
    year: int
    quarter: int

    @property
    def label(self) -> str:
        return f"FY{self.year} Q{self.quarter}"

    def next(self) -> FiscalQuarter:
        return (
            FiscalQuarter(self.year + 1, 1)
            if self.quarter == 4
            else FiscalQuarter(self.year, self.quarter + 1)
        )


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
