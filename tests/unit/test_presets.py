"""Presets become rules whose dates match their words; rules read back in plain language."""

from __future__ import annotations

import datetime as dt

import pytest

from vcio_desk.domain.errors import ValidationError
from vcio_desk.domain.presets import Preset, PresetKind, describe, ordinal, quarter_months, to_rule
from vcio_desk.domain.recurrence import preview

D = dt.date
K = PresetKind


@pytest.mark.parametrize(
    ("preset", "rule", "first_dates"),
    [
        (Preset(K.WEEKLY, weekday=0), "FREQ=WEEKLY;BYDAY=MO", [D(2026, 1, 5), D(2026, 1, 12)]),
        (
            Preset(K.EVERY_N_WEEKS, weekday=1, interval=2),
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
            [D(2026, 1, 13), D(2026, 1, 27)],
        ),
        (
            Preset(K.MONTHLY_DAY, day_of_month=15),
            "FREQ=MONTHLY;BYMONTHDAY=15",
            [D(2026, 1, 15), D(2026, 2, 15)],
        ),
        (
            Preset(K.MONTHLY_DAY, day_of_month=-1),
            "FREQ=MONTHLY;BYMONTHDAY=-1",
            [D(2026, 1, 31), D(2026, 2, 28)],
        ),
        (
            Preset(K.MONTHLY_NTH_WEEKDAY, weekday=2, nth=2),
            "FREQ=MONTHLY;BYDAY=2WE",
            [D(2026, 1, 14), D(2026, 2, 11)],
        ),
        (
            Preset(K.QUARTERLY_NTH_WEEKDAY, weekday=1, nth=2),
            "FREQ=YEARLY;BYMONTH=1,4,7,10;BYDAY=2TU",
            [D(2026, 1, 13), D(2026, 4, 14), D(2026, 7, 14)],
        ),
        (
            Preset(
                K.QUARTERLY_NTH_WEEKDAY, weekday=4, nth=-1, month_of_quarter=3, fiscal_start_month=7
            ),
            "FREQ=YEARLY;BYMONTH=3,6,9,12;BYDAY=-1FR",
            [D(2026, 3, 27), D(2026, 6, 26)],
        ),
        (Preset(K.TWICE_A_YEAR), "FREQ=MONTHLY;INTERVAL=6", [D(2026, 1, 1), D(2026, 7, 1)]),
        (Preset(K.EVERY_N_MONTHS, interval=1), "FREQ=MONTHLY", [D(2026, 1, 1), D(2026, 2, 1)]),
        (
            Preset(K.EVERY_N_MONTHS, interval=3),
            "FREQ=MONTHLY;INTERVAL=3",
            [D(2026, 1, 1), D(2026, 4, 1)],
        ),
        (Preset(K.YEARLY), "FREQ=YEARLY", [D(2026, 1, 1), D(2027, 1, 1)]),
        (
            Preset(K.CUSTOM, rule="freq=monthly;bysetpos=-1;byday=mo,tu,we,th,fr"),
            "FREQ=MONTHLY;BYSETPOS=-1;BYDAY=MO,TU,WE,TH,FR",
            [D(2026, 1, 30), D(2026, 2, 27)],
        ),
    ],
)
def test_preset_rules_and_their_dates(
    preset: Preset, rule: str, first_dates: list[dt.date]
) -> None:
    assert to_rule(preset) == rule
    assert preview(rule, D(2026, 1, 1), count=len(first_dates)) == first_dates


def test_fiscal_quarter_months() -> None:
    assert quarter_months(1, 1) == [1, 4, 7, 10]
    assert quarter_months(2, 7) == [2, 5, 8, 11]
    assert quarter_months(1, 10) == [1, 4, 7, 10]
    assert quarter_months(3, 4) == [3, 6, 9, 12]


@pytest.mark.parametrize(
    "preset",
    [
        Preset(K.WEEKLY, weekday=7),
        Preset(K.EVERY_N_WEEKS, interval=0),
        Preset(K.EVERY_N_MONTHS, interval=13),
        Preset(K.MONTHLY_DAY, day_of_month=31),
        Preset(K.MONTHLY_NTH_WEEKDAY, nth=5),
        Preset(K.QUARTERLY_NTH_WEEKDAY, month_of_quarter=4),
        Preset(K.CUSTOM, rule="  "),
    ],
)
def test_impossible_presets_explain_themselves(preset: Preset) -> None:
    with pytest.raises(ValidationError):
        to_rule(preset)


@pytest.mark.parametrize(
    ("rule", "anchor", "text"),
    [
        (
            "FREQ=YEARLY;BYMONTH=1,4,7,10;BYDAY=2TU",
            None,
            "Quarterly on the 2nd Tuesday of Jan, Apr, Jul and Oct",
        ),
        ("FREQ=MONTHLY;INTERVAL=3", D(2026, 1, 15), "Quarterly on the 15th"),
        ("FREQ=MONTHLY;BYDAY=2WE", None, "Monthly on the 2nd Wednesday"),
        ("FREQ=MONTHLY", D(2026, 1, 3), "Monthly on the 3rd"),
        ("FREQ=WEEKLY;BYDAY=MO", None, "Weekly on Monday"),
        ("FREQ=WEEKLY", D(2026, 1, 8), "Weekly on Thursday"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", None, "Every 2 weeks on Tuesday"),
        ("FREQ=MONTHLY;BYMONTHDAY=-1", None, "Monthly on the last day"),
        ("FREQ=YEARLY", D(2026, 3, 15), "Yearly on 15 March"),
        ("FREQ=MONTHLY;INTERVAL=6", D(2026, 3, 22), "Twice a year on the 22nd"),
        (
            "FREQ=YEARLY;BYMONTH=3,9;BYDAY=-1FR",
            None,
            "Twice a year on the last Friday of Mar and Sep",
        ),
        ("FREQ=MONTHLY;COUNT=5", D(2026, 1, 11), "Monthly on the 11th, 5 times"),
        ("FREQ=MONTHLY;UNTIL=20271231", D(2026, 1, 1), "Monthly on the 1st, until 2027-12-31"),
        ("FREQ=DAILY;INTERVAL=3", None, "Every 3 days"),
        (
            "FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=-1",
            None,
            "Custom rule: FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=-1",
        ),
    ],
)
def test_describe(rule: str, anchor: dt.date | None, text: str) -> None:
    assert describe(rule, anchor) == text


def test_describe_refuses_a_bad_rule() -> None:
    with pytest.raises(ValidationError):
        describe("FREQ=NEVER")


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (-1, "last"),
    ],
)
def test_ordinal(n: int, text: str) -> None:
    assert ordinal(n) == text
