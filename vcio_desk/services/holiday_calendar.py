"""Public holidays by country and subdivision (the ``holidays`` package), cached per region."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import lru_cache

from vcio_desk.domain.errors import ValidationError


@lru_cache(maxsize=256)
def _calendar(country: str, subdivision: str | None, first_year: int, last_year: int) -> dict:
    import holidays  # imported when first needed: it is not a start-up cost

    try:
        table = holidays.country_holidays(
            country, subdiv=subdivision or None, years=range(first_year, last_year + 1)
        )
    except NotImplementedError as exc:
        raise ValidationError(
            f"No public holiday calendar for {country}"
            + (f"-{subdivision}" if subdivision else "")
            + ": check the country (ISO code, e.g. US) and subdivision (e.g. NY)."
        ) from exc
    return dict(table)


def check_region(country: str, subdivision: str | None) -> None:
    """Raise a ValidationError for an unknown country or subdivision."""
    _calendar(country.upper(), subdivision, 2000, 2000)


def holiday_lookup(
    country: str | None, subdivision: str | None, first_year: int, last_year: int
) -> Callable[[dt.date], str | None]:
    """A function giving the holiday's name on a day, or None; no country means no holidays."""
    if not country:
        return lambda _day: None
    table = _calendar(country.upper(), subdivision, first_year, last_year)
    return table.get
