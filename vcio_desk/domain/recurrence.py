"""RFC 5545 recurrence at date level, on ``dateutil.rrule``: parse, expand, preview, validate.

Rhythms are planned by date, so a rule is read with its anchor as DTSTART at
midnight and any time or zone in UNTIL is ignored. Expansion is always bounded
by a date window, so a rule that never matches cannot spin for centuries.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from functools import lru_cache

from dateutil.rrule import rrule, rrulestr

from .errors import ValidationError
from .recurrence_fast import fast_occurrences

SUB_DAILY = re.compile(r"(^|;)(FREQ=(HOURLY|MINUTELY|SECONDLY)|BYHOUR=|BYMINUTE=|BYSECOND=)")
PREVIEW_LIMIT = 10_000
SEARCH_YEARS = 200


def normalise(rule: str) -> str:
    """Upper-case, no ``RRULE:`` prefix, no blanks: the form that is stored."""
    text = re.sub(r"\s+", "", rule or "").upper()
    return text[len("RRULE:") :] if text.startswith("RRULE:") else text


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day)


@lru_cache(maxsize=8192)
def parse(rule: str, anchor: dt.date) -> rrule:
    """The dateutil rule for ``rule`` anchored at ``anchor``; ValidationError if unusable."""
    text = normalise(rule)
    if not text:
        raise ValidationError("The recurrence rule is empty.")
    if not text.startswith("FREQ=") and ";FREQ=" not in text:
        raise ValidationError(f"The recurrence rule {rule!r} has no FREQ (e.g. FREQ=MONTHLY).")
    if SUB_DAILY.search(text):
        raise ValidationError(
            f"The rule {rule!r} repeats within a day; rhythms are planned by date, so use "
            "DAILY, WEEKLY, MONTHLY or YEARLY without BYHOUR/BYMINUTE/BYSECOND."
        )
    try:
        parsed = rrulestr(text, dtstart=_midnight(anchor), ignoretz=True)
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise ValidationError(f"The recurrence rule {rule!r} cannot be read: {exc}.") from exc
    if not isinstance(parsed, rrule):
        raise ValidationError(f"The recurrence rule {rule!r} must be a single RRULE.")
    return parsed


@lru_cache(maxsize=8192)
def _parts(rule: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in normalise(rule).split(";") if "=" in part)


def occurrences(rule: str, anchor: dt.date, start: dt.date, end: dt.date) -> list[dt.date]:
    """Dates of ``rule`` counted from ``anchor`` that fall in ``[start, end)``.

    Everyday shapes are computed by date arithmetic (``recurrence_fast``, checked
    against dateutil by property tests); every other rule is expanded by dateutil.
    """
    if end <= start:
        return []
    parsed = parse(rule, anchor)  # validates the rule whichever path computes it
    fast = fast_occurrences(_parts(rule), anchor, start, end)
    if fast is not None:
        return fast
    hits = parsed.between(_midnight(start), _midnight(end), inc=True)
    return [hit.date() for hit in hits if hit.date() < end]


def preview(
    rule: str,
    start: dt.date,
    *,
    count: int | None = None,
    until: dt.date | None = None,
) -> list[dt.date]:
    """The first ``count`` dates from ``start`` (or all up to ``until`` inclusive).

    ``start`` is the anchor (DTSTART). Iteration stops at the rule's own COUNT/UNTIL,
    at ``count``/``until``, or after ``SEARCH_YEARS`` years, whichever comes first.
    """
    if count is not None and not 1 <= count <= PREVIEW_LIMIT:
        raise ValidationError(f"A preview lists 1 to {PREVIEW_LIMIT} dates, not {count}.")
    if until is not None and until < start:
        raise ValidationError(f"The preview end {until} is before the start {start}.")
    parsed = parse(rule, start)
    horizon = min(dt.date.max - dt.timedelta(days=1), _years_after(start, SEARCH_YEARS))
    if until is not None:
        horizon = min(horizon, until)
    limit = count if count is not None else PREVIEW_LIMIT
    result: list[dt.date] = []
    for hit in parsed.xafter(_midnight(start), count=limit, inc=True):
        if hit.date() > horizon:
            break
        result.append(hit.date())
    if not result:
        raise ValidationError(
            f"The rule {rule!r} produces no date from {start}"
            + (f" to {until}." if until is not None else f" in the next {SEARCH_YEARS} years.")
        )
    return result


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, or past year 9999
        return dt.date(min(9999, day.year + years), 12, 31)


def validate(rule: str, anchor: dt.date, tolerance_days: int) -> str:
    """Check a rhythm's rule before it is saved; returns the normalised rule.

    Refuses: an unreadable or sub-daily rule, UNTIL before the anchor, a rule with no
    date in the five years from its anchor, and a tolerance of half the shortest gap
    between slots or more (tolerance windows would overlap).
    """
    text = normalise(rule)
    parsed = parse(text, anchor)
    until = parsed._until
    if until is not None and until.date() < anchor:
        raise ValidationError(
            f"The rule ends (UNTIL {until.date()}) before its anchor date {anchor}."
        )
    if tolerance_days < 0:
        raise ValidationError("The tolerance cannot be negative.")
    upcoming = occurrences(text, anchor, anchor, _years_after(anchor, 5))
    if not upcoming:
        raise ValidationError(
            f"The rule {rule!r} produces no date in the five years from {anchor}; "
            "check BYMONTHDAY/BYMONTH combinations such as the 30th of February."
        )
    gaps = [(b - a).days for a, b in itertools.pairwise(upcoming)]
    if gaps and 2 * tolerance_days >= min(gaps):
        widest = max(0, (min(gaps) - 1) // 2)
        raise ValidationError(
            f"A tolerance of {tolerance_days} days is too wide for this rule: its slots can be "
            f"{min(gaps)} days apart, so their windows would overlap. Use at most {widest} days."
        )
    return text
