"""Slots per PRODUCT.md §3.1: each version contributes its occurrences within its own period."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vcio_desk.domain.errors import ValidationError
from vcio_desk.domain.slots import VersionSpec, occurrences, slots

D = dt.date


def test_single_version_quarterly_from_anchor() -> None:
    v = VersionSpec("FREQ=MONTHLY;INTERVAL=3", D(2025, 1, 15), 14, D(2025, 1, 15))
    got = [s.nominal for s in slots([v], D(2024, 1, 1), D(2026, 1, 1))]
    assert got == [D(2025, 1, 15), D(2025, 4, 15), D(2025, 7, 15), D(2025, 10, 15)]
    assert {s.tolerance_days for s in slots([v], D(2024, 1, 1), D(2026, 1, 1))} == {14}


def test_versions_split_at_effective_from_and_carry_their_tolerance() -> None:
    old = VersionSpec("FREQ=MONTHLY;INTERVAL=3", D(2025, 1, 15), 14, D(2025, 1, 15))
    new = VersionSpec("FREQ=MONTHLY", D(2025, 6, 10), 5, D(2025, 6, 1))
    got = slots([old, new], D(2025, 1, 1), D(2025, 9, 1))
    assert [(s.nominal, s.tolerance_days, s.version_index) for s in got] == [
        (D(2025, 1, 15), 14, 0),
        (D(2025, 4, 15), 14, 0),
        (D(2025, 6, 10), 5, 1),
        (D(2025, 7, 10), 5, 1),
        (D(2025, 8, 10), 5, 1),
    ]


def test_new_version_occurrences_before_its_effective_from_are_dropped() -> None:
    # The new rule's anchor lies before effective_from: only dates on/after it count.
    old = VersionSpec("FREQ=MONTHLY", D(2025, 1, 1), 3, D(2025, 1, 1))
    new = VersionSpec("FREQ=MONTHLY", D(2025, 1, 20), 3, D(2025, 3, 5))
    got = [s.nominal for s in slots([old, new], D(2025, 1, 1), D(2025, 5, 1))]
    assert got == [D(2025, 1, 1), D(2025, 2, 1), D(2025, 3, 1), D(2025, 3, 20), D(2025, 4, 20)]


def test_window_is_half_open() -> None:
    assert occurrences("FREQ=DAILY", D(2025, 1, 1), D(2025, 1, 3), D(2025, 1, 5)) == [
        D(2025, 1, 3),
        D(2025, 1, 4),
    ]
    assert occurrences("FREQ=DAILY", D(2025, 1, 1), D(2025, 1, 5), D(2025, 1, 5)) == []


def test_second_wednesday_rule() -> None:
    got = occurrences("FREQ=MONTHLY;BYDAY=2WE", D(2026, 1, 1), D(2026, 1, 1), D(2026, 4, 1))
    assert got == [D(2026, 1, 14), D(2026, 2, 11), D(2026, 3, 11)]


def test_unreadable_rule_is_a_validation_error() -> None:
    with pytest.raises(ValidationError, match="cannot be read"):
        occurrences("FREQ=SOMETIMES", D(2025, 1, 1), D(2025, 1, 1), D(2026, 1, 1))


@given(
    interval=st.integers(1, 6),
    anchor=st.dates(D(2000, 1, 1), D(2030, 12, 28)),
    span=st.integers(1, 2000),
)
def test_every_slot_falls_in_window_and_on_the_rule(
    interval: int, anchor: dt.date, span: int
) -> None:
    rule = f"FREQ=WEEKLY;INTERVAL={interval}"
    start = anchor - dt.timedelta(days=30)
    end = anchor + dt.timedelta(days=span)
    got = slots([VersionSpec(rule, anchor, 1, anchor)], start, end)
    days = [s.nominal for s in got]
    assert days == sorted(days)
    for day in days:
        assert anchor <= day < end
        assert (day - anchor).days % (7 * interval) == 0
