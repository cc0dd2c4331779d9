"""The rhythm engine's recurrence layer: RFC 5545 examples, bounds and validation messages."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from vcio_desk.domain.errors import ValidationError
from vcio_desk.domain.recurrence import normalise, occurrences, preview, validate

D = dt.date
CONFORMANCE = (
    Path(__file__).resolve().parents[3] / "shared" / "conformance" / "rrule-consensus.json"
)

# Examples from RFC 5545 §3.8.5.3, at date level (our own transcription of the RFC text).
RFC_EXAMPLES = [
    ("FREQ=DAILY;COUNT=10", D(1997, 9, 2), None, [D(1997, 9, d) for d in range(2, 12)]),
    (
        "FREQ=WEEKLY;COUNT=10",
        D(1997, 9, 2),
        None,
        [
            D(1997, 9, 2),
            D(1997, 9, 9),
            D(1997, 9, 16),
            D(1997, 9, 23),
            D(1997, 9, 30),
            D(1997, 10, 7),
            D(1997, 10, 14),
            D(1997, 10, 21),
            D(1997, 10, 28),
            D(1997, 11, 4),
        ],
    ),
    (
        "FREQ=WEEKLY;INTERVAL=2;WKST=SU;BYDAY=TU,TH;COUNT=8",
        D(1997, 9, 2),
        None,
        [
            D(1997, 9, 2),
            D(1997, 9, 4),
            D(1997, 9, 16),
            D(1997, 9, 18),
            D(1997, 9, 30),
            D(1997, 10, 2),
            D(1997, 10, 14),
            D(1997, 10, 16),
        ],
    ),
    (
        "FREQ=MONTHLY;COUNT=6;BYDAY=1FR",
        D(1997, 9, 5),
        None,
        [
            D(1997, 9, 5),
            D(1997, 10, 3),
            D(1997, 11, 7),
            D(1997, 12, 5),
            D(1998, 1, 2),
            D(1998, 2, 6),
        ],
    ),
    (
        "FREQ=MONTHLY;COUNT=6;BYDAY=-2MO",
        D(1997, 9, 22),
        None,
        [
            D(1997, 9, 22),
            D(1997, 10, 20),
            D(1997, 11, 17),
            D(1997, 12, 22),
            D(1998, 1, 19),
            D(1998, 2, 16),
        ],
    ),
    (
        "FREQ=MONTHLY;BYMONTHDAY=-3;COUNT=6",
        D(1997, 9, 28),
        None,
        [
            D(1997, 9, 28),
            D(1997, 10, 29),
            D(1997, 11, 28),
            D(1997, 12, 29),
            D(1998, 1, 29),
            D(1998, 2, 26),
        ],
    ),
    (
        "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2;COUNT=4",
        D(1997, 9, 29),
        None,
        [D(1997, 9, 29), D(1997, 10, 30), D(1997, 11, 27), D(1997, 12, 30)],
    ),
    (
        "FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO;COUNT=3",
        D(1997, 5, 12),
        None,
        [D(1997, 5, 12), D(1998, 5, 11), D(1999, 5, 17)],
    ),
    (
        "FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8;COUNT=3",
        D(1996, 11, 5),
        None,
        [D(1996, 11, 5), D(2000, 11, 7), D(2004, 11, 2)],
    ),
    (
        "FREQ=DAILY;UNTIL=19971224T000000Z",
        D(1997, 12, 20),
        None,
        [D(1997, 12, 20), D(1997, 12, 21), D(1997, 12, 22), D(1997, 12, 23), D(1997, 12, 24)],
    ),
]


@pytest.mark.parametrize(("rule", "start", "count", "expected"), RFC_EXAMPLES)
def test_rfc5545_examples(
    rule: str, start: dt.date, count: int | None, expected: list[dt.date]
) -> None:
    assert preview(rule, start, count=count or len(expected) + 5) == expected


@pytest.mark.skipif(
    not CONFORMANCE.exists(), reason=f"third-party conformance data not at {CONFORMANCE}"
)
def test_conformance_cases_reproduce_through_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    from vcio_desk.__main__ import main

    cases = json.loads(CONFORMANCE.read_text(encoding="utf-8"))
    assert len(cases) == 88
    failures = []
    for case in cases:
        code = main(
            [
                "rhythm",
                "preview",
                "--rule",
                case["rrule"],
                "--start",
                case["dtstart"],
                "--count",
                str(len(case["dates"])),
            ]
        )
        printed = capsys.readouterr().out.split()
        if code != 0 or printed != case["dates"]:
            failures.append(case["comment"])
    assert failures == []


def test_normalise() -> None:
    assert normalise(" rrule:freq=monthly; interval=3 ") == "FREQ=MONTHLY;INTERVAL=3"


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("", "empty"),
        ("INTERVAL=2", "no FREQ"),
        ("FREQ=SOMETIMES", "cannot be read"),
        ("FREQ=HOURLY", "repeats within a day"),
        ("FREQ=DAILY;BYHOUR=9", "repeats within a day"),
        ("FREQ=MONTHLY;BYDAY=9XX", "cannot be read"),
    ],
)
def test_unreadable_rules(rule: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        preview(rule, D(2026, 1, 1), count=3)


def test_impossible_rule_ends_quickly_with_a_message() -> None:
    with pytest.raises(ValidationError, match="produces no date"):
        preview("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", D(2026, 1, 1), count=3)


def test_preview_until_is_inclusive_and_bounded() -> None:
    got = preview("FREQ=WEEKLY;BYDAY=MO", D(2026, 1, 5), until=D(2026, 1, 26))
    assert got == [D(2026, 1, 5), D(2026, 1, 12), D(2026, 1, 19), D(2026, 1, 26)]
    with pytest.raises(ValidationError):
        preview("FREQ=DAILY", D(2026, 1, 5), until=D(2025, 1, 1))
    with pytest.raises(ValidationError):
        preview("FREQ=DAILY", D(2026, 1, 5), count=0)


def test_occurrences_near_the_end_of_the_calendar() -> None:
    assert occurrences("FREQ=YEARLY", D(9990, 1, 1), D(9997, 1, 1), D(9999, 12, 31)) == [
        D(9997, 1, 1),
        D(9998, 1, 1),
        D(9999, 1, 1),
    ]


class TestValidate:
    def test_accepts_and_normalises(self) -> None:
        assert validate("freq=monthly", D(2026, 1, 10), 5) == "FREQ=MONTHLY"

    def test_until_before_anchor(self) -> None:
        with pytest.raises(ValidationError, match="before its anchor"):
            validate("FREQ=MONTHLY;UNTIL=20250101", D(2026, 1, 10), 5)

    def test_no_date_in_five_years(self) -> None:
        with pytest.raises(ValidationError, match="no date in the five years"):
            validate("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", D(2026, 1, 10), 5)

    def test_tolerance_half_the_interval_or_more(self) -> None:
        with pytest.raises(ValidationError, match="windows would overlap"):
            validate("FREQ=WEEKLY", D(2026, 1, 5), 4)
        assert validate("FREQ=WEEKLY", D(2026, 1, 5), 3) == "FREQ=WEEKLY"
        # Monthly slots can be 28 days apart (February): 14 overlaps, 13 does not.
        with pytest.raises(ValidationError, match="at most 13 days"):
            validate("FREQ=MONTHLY", D(2026, 1, 15), 14)
        assert validate("FREQ=MONTHLY", D(2026, 1, 15), 13)

    def test_negative_tolerance(self) -> None:
        with pytest.raises(ValidationError, match="negative"):
            validate("FREQ=MONTHLY", D(2026, 1, 10), -1)
