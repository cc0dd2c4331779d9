"""The arithmetic fast path gives exactly dateutil's dates for every shape it accepts."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given, settings
from hypothesis import strategies as st

from vcio_desk.domain.recurrence import _parts
from vcio_desk.domain.recurrence_fast import fast_occurrences

D = dt.date
CONFORMANCE = (
    Path(__file__).resolve().parents[3] / "shared" / "conformance" / "rrule-consensus.json"
)


def reference(rule: str, anchor: dt.date, start: dt.date, end: dt.date) -> list[dt.date]:
    parsed = rrulestr(rule, dtstart=dt.datetime.combine(anchor, dt.time()), ignoretz=True)
    hits = parsed.between(
        dt.datetime.combine(start, dt.time()), dt.datetime.combine(end, dt.time()), inc=True
    )
    return [h.date() for h in hits if h.date() < end]


weekday = st.sampled_from(["MO", "TU", "WE", "TH", "FR", "SA", "SU"])
ordinal = st.sampled_from(["1", "2", "3", "4", "5", "-1", "-2", "+1"])


@st.composite
def rules(draw: st.DrawFn) -> str:
    freq = draw(st.sampled_from(["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]))
    parts = [f"FREQ={freq}"]
    if draw(st.booleans()):
        parts.append(f"INTERVAL={draw(st.integers(1, 13))}")
    if freq == "WEEKLY" and draw(st.booleans()):
        parts.append(f"BYDAY={draw(weekday)}")
    if freq == "WEEKLY" and draw(st.booleans()):
        parts.append(f"WKST={draw(weekday)}")
    if freq in ("MONTHLY", "YEARLY"):
        choice = draw(st.sampled_from(["none", "byday", "bymonthday"]))
        if freq == "YEARLY" and draw(st.booleans()):
            months = draw(st.lists(st.integers(1, 12), min_size=1, max_size=4, unique=True))
            parts.append("BYMONTH=" + ",".join(map(str, months)))
        if choice == "byday":
            parts.append(f"BYDAY={draw(ordinal)}{draw(weekday)}")
        elif choice == "bymonthday":
            parts.append(
                f"BYMONTHDAY={draw(st.sampled_from([1, 2, 15, 28, 29, 30, 31, -1, -2, -31]))}"
            )
    if draw(st.booleans()):
        until = draw(st.dates(D(1995, 1, 1), D(2040, 1, 1)))
        parts.append(f"UNTIL={until:%Y%m%d}" + draw(st.sampled_from(["", "T000000Z", "T235959Z"])))
    return ";".join(parts)


@settings(max_examples=1500, deadline=None)
@given(
    rules(),
    st.dates(D(1996, 1, 1), D(2035, 12, 31)),
    st.dates(D(1995, 1, 1), D(2036, 1, 1)),
    st.integers(0, 3000),
)
def test_fast_path_equals_dateutil(rule: str, anchor: dt.date, start: dt.date, span: int) -> None:
    end = start + dt.timedelta(days=span)
    fast = fast_occurrences(_parts(rule), anchor, start, end)
    if fast is None:
        return
    assert fast == reference(rule, anchor, start, end), rule


def test_shapes_used_by_rhythms_take_the_fast_path() -> None:
    for rule in (
        "FREQ=MONTHLY",
        "FREQ=MONTHLY;INTERVAL=3",
        "FREQ=MONTHLY;INTERVAL=6",
        "FREQ=YEARLY",
        "FREQ=MONTHLY;BYDAY=2WE",
        "FREQ=WEEKLY;BYDAY=MO",
        "FREQ=YEARLY;BYMONTH=1,4,7,10;BYDAY=2TU",
        "FREQ=MONTHLY;BYMONTHDAY=-1",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
    ):
        assert (
            fast_occurrences(_parts(rule), D(2026, 1, 15), D(2026, 1, 1), D(2027, 1, 1)) is not None
        )


def test_other_shapes_fall_back() -> None:
    for rule in (
        "FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=-1",
        "FREQ=MONTHLY;COUNT=3",
        "FREQ=YEARLY;BYWEEKNO=20",
        "FREQ=MONTHLY;BYDAY=MO",
        "FREQ=YEARLY;BYDAY=20MO",
        "FREQ=MONTHLY;BYMONTHDAY=1,15",
    ):
        assert fast_occurrences(_parts(rule), D(2026, 1, 15), D(2026, 1, 1), D(2027, 1, 1)) is None


@pytest.mark.skipif(
    not CONFORMANCE.exists(), reason=f"third-party conformance data not at {CONFORMANCE}"
)
def test_conformance_cases_that_take_the_fast_path_agree() -> None:
    cases = json.loads(CONFORMANCE.read_text(encoding="utf-8"))
    checked = 0
    for case in cases:
        anchor = D.fromisoformat(case["dtstart"])
        expected = [D.fromisoformat(d) for d in case["dates"]]
        fast = fast_occurrences(
            _parts(case["rrule"]), anchor, anchor, expected[-1] + dt.timedelta(days=1)
        )
        if fast is not None:
            checked += 1
            assert fast == expected, case["comment"]
    assert checked >= 5
