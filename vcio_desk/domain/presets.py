"""Human presets for rhythms, and plain-language descriptions of rules.

A preset is what a vCIO picks ("quarterly on the 2nd Tuesday of each fiscal
quarter"); it turns into an RRULE. ``describe`` goes the other way for any rule
we can phrase, and falls back to showing the rule itself.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from .errors import ValidationError
from .recurrence import normalise, parse

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")  # fmt: skip


class PresetKind(StrEnum):
    WEEKLY = "weekly"
    EVERY_N_WEEKS = "every_n_weeks"
    MONTHLY_DAY = "monthly_day"
    MONTHLY_NTH_WEEKDAY = "monthly_nth_weekday"
    EVERY_N_MONTHS = "every_n_months"
    """On the anchor date's day of the month (monthly, quarterly... the tier templates)."""
    QUARTERLY_NTH_WEEKDAY = "quarterly_nth_weekday"
    TWICE_A_YEAR = "twice_a_year"
    YEARLY = "yearly"
    CUSTOM = "custom"


@dataclass(frozen=True)
class Preset:
    kind: PresetKind
    weekday: int = 0
    """0 = Monday ... 6 = Sunday."""
    interval: int = 1
    day_of_month: int = 1
    """1..31, or -1 for the last day."""
    nth: int = 1
    """1..4, or -1 for the last."""
    month_of_quarter: int = 1
    """1..3: which month of each quarter."""
    fiscal_start_month: int = 1
    """Quarters counted from this month (1 = calendar quarters)."""
    rule: str = ""
    """The rule itself, for CUSTOM."""


def ordinal(n: int) -> str:
    if n == -1:
        return "last"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise ValidationError(message)


def quarter_months(month_of_quarter: int, fiscal_start_month: int) -> list[int]:
    first = (fiscal_start_month - 1 + month_of_quarter - 1) % 12
    return sorted((first + 3 * k) % 12 + 1 for k in range(4))


def to_rule(preset: Preset) -> str:
    """The RRULE for a preset; anchor-independent wherever the preset names its days."""
    kind = preset.kind
    day = WEEKDAY_CODES[preset.weekday] if 0 <= preset.weekday <= 6 else None
    _check(day is not None, "Pick a weekday from Monday to Sunday.")
    _check(preset.nth in (1, 2, 3, 4, -1), "Pick the 1st, 2nd, 3rd, 4th or last weekday.")
    if kind is PresetKind.WEEKLY:
        return f"FREQ=WEEKLY;BYDAY={day}"
    if kind is PresetKind.EVERY_N_WEEKS:
        _check(1 <= preset.interval <= 52, "Every N weeks takes N from 1 to 52.")
        return f"FREQ=WEEKLY;INTERVAL={preset.interval};BYDAY={day}"
    if kind is PresetKind.MONTHLY_DAY:
        _check(preset.day_of_month == -1 or 1 <= preset.day_of_month <= 28,
               "Pick a day of the month from 1 to 28, or the last day.")  # fmt: skip
        return f"FREQ=MONTHLY;BYMONTHDAY={preset.day_of_month}"
    if kind is PresetKind.MONTHLY_NTH_WEEKDAY:
        return f"FREQ=MONTHLY;BYDAY={preset.nth}{day}"
    if kind is PresetKind.QUARTERLY_NTH_WEEKDAY:
        _check(1 <= preset.month_of_quarter <= 3, "Pick the 1st, 2nd or 3rd month of the quarter.")
        _check(1 <= preset.fiscal_start_month <= 12, "A fiscal year starts in month 1 to 12.")
        months = quarter_months(preset.month_of_quarter, preset.fiscal_start_month)
        return f"FREQ=YEARLY;BYMONTH={','.join(map(str, months))};BYDAY={preset.nth}{day}"
    if kind is PresetKind.EVERY_N_MONTHS:
        _check(1 <= preset.interval <= 12, "Every N months takes N from 1 to 12.")
        return (
            "FREQ=MONTHLY" if preset.interval == 1 else f"FREQ=MONTHLY;INTERVAL={preset.interval}"
        )
    if kind is PresetKind.TWICE_A_YEAR:
        return "FREQ=MONTHLY;INTERVAL=6"
    if kind is PresetKind.YEARLY:
        return "FREQ=YEARLY"
    _check(bool(preset.rule.strip()), "Type a recurrence rule, e.g. FREQ=MONTHLY;BYDAY=2TU.")
    return normalise(preset.rule)


def _parts(rule: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in normalise(rule).split(";") if "=" in part)


def _weekday_phrase(code: str) -> str | None:
    match = re.fullmatch(r"([+-]?\d)?(MO|TU|WE|TH|FR|SA|SU)", code)
    if not match:
        return None
    name = WEEKDAY_NAMES[WEEKDAY_CODES.index(match.group(2))]
    return f"the {ordinal(int(match.group(1)))} {name}" if match.group(1) else name


def _month_list(months: list[int]) -> str:
    names = [MONTH_ABBR[m - 1] for m in months]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def describe(rule: str, anchor: dt.date | None = None) -> str:
    """Plain language for the common rules ("Quarterly on the 2nd Tuesday of Jan, ...")."""
    parse(rule, anchor or dt.date(2000, 1, 1))  # raises a clear error for a bad rule
    p = _parts(rule)
    freq, interval = p.get("FREQ"), int(p.get("INTERVAL", "1"))
    plain = {"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYMONTH", "WKST", "COUNT", "UNTIL"}
    text = None
    if set(p) <= plain and "," not in p.get("BYDAY", "") + p.get("BYMONTHDAY", ""):
        text = _describe_simple(freq, interval, p, anchor)
    if text is None:
        return f"Custom rule: {normalise(rule)}"
    if "COUNT" in p:
        text += f", {p['COUNT']} times"
    if "UNTIL" in p:
        until = p["UNTIL"][:8]
        text += f", until {until[:4]}-{until[4:6]}-{until[6:8]}"
    return text


def _describe_simple(
    freq: str | None, interval: int, p: dict[str, str], anchor: dt.date | None
) -> str | None:
    byday = _weekday_phrase(p["BYDAY"]) if "BYDAY" in p else None
    monthday = int(p["BYMONTHDAY"]) if "BYMONTHDAY" in p else (anchor.day if anchor else None)
    day_phrase = byday or (f"the {ordinal(monthday)}" if monthday not in (None, -1) else None)
    if monthday == -1 and not byday:
        day_phrase = "the last day"
    if freq == "WEEKLY" and "BYMONTH" not in p:
        weekday = byday or (WEEKDAY_NAMES[anchor.weekday()] if anchor else None)
        if interval == 1:
            return f"Weekly on {weekday}" if weekday else "Weekly"
        return f"Every {interval} weeks on {weekday}" if weekday else f"Every {interval} weeks"
    if freq == "MONTHLY" and "BYMONTH" not in p:
        names = {1: "Monthly", 2: "Every 2 months", 3: "Quarterly", 6: "Twice a year"}
        lead = names.get(interval, f"Every {interval} months")
        return f"{lead} on {day_phrase}" if day_phrase else lead
    if freq == "YEARLY" and interval == 1:
        months = [int(m) for m in p["BYMONTH"].split(",")] if "BYMONTH" in p else None
        if months is None and anchor is not None and not byday:
            return f"Yearly on {anchor.day} {MONTH_NAMES[anchor.month - 1]}"
        if months and day_phrase:
            lead = {4: "Quarterly", 2: "Twice a year", 1: "Yearly"}.get(len(months), "Yearly")
            return f"{lead} on {day_phrase} of {_month_list(months)}"
    if freq == "DAILY" and not {"BYDAY", "BYMONTHDAY", "BYMONTH"} & set(p):
        return "Daily" if interval == 1 else f"Every {interval} days"
    return None
