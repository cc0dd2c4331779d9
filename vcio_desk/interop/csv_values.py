"""Reading the values of a client CSV: tiers, yes/no, months, countries, regions, zones.

Lookups are forgiving (accents, case and punctuation do not matter; English country
names work as well as ISO codes) but only ever answer with a value the app knows.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from .csv_presets import _names

TIER_PATTERN = re.compile(r"^(?:tier[\s_-]*)?([abc])$", re.IGNORECASE)
TRUE_WORDS = frozenset({"yes", "y", "true", "t", "1", "active", "x"})
FALSE_WORDS = frozenset({"no", "n", "false", "f", "0", "inactive"})
MONTH_NAMES = _names(
    "january|february|march|april|may|june|july|august|september|october|november|december"
)
MONTHS = {
    name: number
    for number, full in enumerate(MONTH_NAMES, start=1)
    for name in (full, full[:3], str(number), f"{number:02d}")
}
MONTHS["sept"] = 9


def _key(text: str) -> str:
    """A loose lookup key: accents, case, blanks and punctuation removed."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if c.isalnum()).casefold()
    return text[3:] if text.startswith("the") and len(text) > 5 else text


@cache
def _countries() -> dict[str, str]:
    """Lookup key of an ISO code or English name -> ISO alpha-2, for countries with holidays."""
    import holidays

    supported = {c for c in holidays.list_supported_countries() if len(c) == 2}
    index = {_key(code): code for code in supported}
    try:
        from holidays.registry import COUNTRIES
    except ImportError:  # pragma: no cover - older or newer layouts: codes still work
        COUNTRIES = {}
    for module, names in COUNTRIES.items():
        class_name, alpha2, alpha3, *others = names
        if alpha2 not in supported:
            continue
        extra = [o for o in others if not o.startswith("Holidays")]
        for alias in (module, class_name, alpha3, *extra):
            index.setdefault(_key(alias), alpha2)
    for alias, code in (("united states of america", "US"), ("great britain", "GB")):
        if code in supported:
            index.setdefault(_key(alias), code)
    return index


@cache
def _subdivisions(country: str) -> dict[str, str]:
    import holidays

    calendar = type(holidays.country_holidays(country, years=[]))
    index = {_key(code): code for code in getattr(calendar, "subdivisions", ())}
    for alias, code in getattr(calendar, "subdivisions_aliases", {}).items():
        index.setdefault(_key(alias), code)
    return index


@cache
def _zones() -> dict[str, str]:
    from zoneinfo import available_timezones

    zones = {z.casefold(): z for z in available_timezones()}
    zones.setdefault("utc", "UTC")
    return zones


def resolve_country(text: str) -> str | None:
    return _countries().get(_key(text))


def resolve_subdivision(country: str, text: str) -> str | None:
    return _subdivisions(country).get(_key(text))


def resolve_timezone(text: str) -> str | None:
    return _zones().get(text.casefold())


def clean_staff_name(text: str) -> str:
    return " ".join(text.split())
