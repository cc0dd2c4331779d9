"""Roadmap rules: status life cycle, KPI progress, the rolling window and the budget."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vcio_desk.domain.errors import ValidationError
from vcio_desk.domain.fiscal import FiscalQuarter
from vcio_desk.domain.roadmap import (
    CostItem,
    Placement,
    budget,
    check_transition,
    kpi_progress,
    next_statuses,
    placement,
    window,
)
from vcio_desk.domain.vocab import CsiStatus

D = dt.date
S = CsiStatus
FQ = FiscalQuarter


def dec(text: str) -> Decimal:
    return Decimal(text)


# -- statuses ------------------------------------------------------------------------------------

ALLOWED = {
    (S.PROPOSED, S.APPROVED),
    (S.APPROVED, S.IN_PROGRESS),
    (S.IN_PROGRESS, S.DONE),
    (S.PROPOSED, S.DEFERRED),
    (S.APPROVED, S.DEFERRED),
    (S.IN_PROGRESS, S.DEFERRED),
    (S.DEFERRED, S.PROPOSED),
    (S.DEFERRED, S.APPROVED),
}


@pytest.mark.parametrize("old", list(S))
@pytest.mark.parametrize("new", list(S))
def test_every_transition_is_allowed_or_refused_as_listed(old: S, new: S) -> None:
    if old is new or (old, new) in ALLOWED:
        check_transition(old, new)
        assert (old is new) or new in next_statuses(old)
    else:
        with pytest.raises(ValidationError) as caught:
            check_transition(old, new)
        assert new not in next_statuses(old)
        message = caught.value.user_message
        assert old.value.replace("_", " ") in message
        assert new.value.replace("_", " ") in message


def test_refusals_say_what_is_possible() -> None:
    with pytest.raises(ValidationError, match="can go to in progress or deferred"):
        check_transition(S.APPROVED, S.DONE)
    with pytest.raises(ValidationError, match="done item stays done"):
        check_transition(S.DONE, S.DEFERRED)


def test_statuses_are_accepted_as_plain_strings() -> None:
    check_transition("proposed", "approved")  # type: ignore[arg-type]
    assert next_statuses("deferred") == (S.PROPOSED, S.APPROVED)  # type: ignore[arg-type]


# -- KPI progress ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("baseline", "target", "current", "expected"),
    [
        ("20", "80", "50", 50.0),  # raising a number
        ("120", "40", "100", 25.0),  # lowering a number is progress too
        ("120", "40", "40", 100.0),
        ("120", "40", "10", 100.0),  # beyond the target: reached, not 137 %
        ("120", "40", "150", 0.0),  # the wrong way: none, not negative
        ("20", "80", "20", 0.0),
        ("0.5", "1.5", "0.75", 25.0),
        ("-10", "10", "0", 50.0),
    ],
)
def test_kpi_progress(baseline: str, target: str, current: str, expected: float) -> None:
    assert kpi_progress(dec(baseline), dec(target), dec(current)) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("baseline", "target", "current"),
    [(None, "1", "1"), ("1", None, "1"), ("1", "2", None), ("5", "5", "5"), (None, None, None)],
)
def test_kpi_progress_is_none_when_incomplete(
    baseline: str | None, target: str | None, current: str | None
) -> None:
    values = [None if v is None else dec(v) for v in (baseline, target, current)]
    assert kpi_progress(*values) is None


numbers = st.decimals(min_value=-(10**6), max_value=10**6, places=2)


@given(numbers, numbers, numbers, numbers)
def test_kpi_progress_bounded_and_monotone(
    baseline: Decimal, target: Decimal, a: Decimal, b: Decimal
) -> None:
    """Between 0 and 100, and moving closer to the target never lowers it."""
    pa, pb = kpi_progress(baseline, target, a), kpi_progress(baseline, target, b)
    if baseline == target:
        assert pa is None and pb is None
        return
    assert pa is not None and pb is not None
    assert 0 <= pa <= 100 and 0 <= pb <= 100
    if abs(target - a) <= abs(target - b) and (a - b) * (target - baseline) >= 0:
        assert pa >= pb


# -- window ----------------------------------------------------------------------------------------


def test_window_starts_at_the_quarter_containing_as_of() -> None:
    quarters = window(D(2026, 11, 20), 7, 6)
    assert [q.label for q in quarters] == [
        "FY2027 Q2",
        "FY2027 Q3",
        "FY2027 Q4",
        "FY2028 Q1",
        "FY2028 Q2",
        "FY2028 Q3",
    ]
    assert window(D(2026, 12, 31), 1, 4)[0] == FQ(2026, 4)
    assert window(D(2027, 1, 1), 1, 4)[0] == FQ(2027, 1)
    assert len(window(D(2027, 1, 1), 4, 8)) == 8


@pytest.mark.parametrize("count", [0, 3, 9, True, 5.0])
def test_window_refuses_other_lengths(count: object) -> None:
    with pytest.raises(ValidationError):
        window(D(2026, 1, 1), 1, count)  # type: ignore[arg-type]


def test_placement() -> None:
    quarters = window(D(2026, 11, 20), 1, 4)  # 2026 Q4 .. 2027 Q3
    assert placement(None, quarters) is Placement.UNSCHEDULED
    assert placement(FQ(2026, 3), quarters) is Placement.EARLIER
    assert placement(FQ(2026, 4), quarters) is Placement.IN_WINDOW
    assert placement(FQ(2027, 3), quarters) is Placement.IN_WINDOW
    assert placement(FQ(2027, 4), quarters) is Placement.LATER


# -- budget ----------------------------------------------------------------------------------------

Q = window(D(2026, 11, 20), 1, 4)  # FY2026 Q4, FY2027 Q1, Q2, Q3


def item(
    target: FQ | None, one_time: str = "0", monthly: str = "0", status: S = S.APPROVED
) -> CostItem:
    return CostItem(target, dec(one_time), dec(monthly), status)


def test_one_time_falls_in_its_quarter_and_recurring_runs_from_it() -> None:
    result = budget([item(FQ(2027, 1), "5000", "100")], Q)
    assert [q.one_time for q in result.quarters] == [0, 5000, 0, 0]
    assert [q.recurring for q in result.quarters] == [0, 300, 300, 300]
    assert [q.total for q in result.quarters] == [0, 5300, 300, 300]
    assert [q.annualised_recurring for q in result.quarters] == [0, 1200, 1200, 1200]
    assert result.one_time == 5000
    assert result.recurring == 900
    assert result.total == 5900
    assert result.annualised_recurring == 1200


def test_items_before_the_window_run_recurring_but_spent_their_one_time_earlier() -> None:
    result = budget([item(FQ(2025, 2), "9999", "50", S.DONE)], Q)
    assert result.one_time == 0
    assert [q.recurring for q in result.quarters] == [150, 150, 150, 150]


def test_items_after_the_window_cost_nothing_in_it() -> None:
    result = budget([item(FQ(2027, 4), "1000", "10")], Q)
    assert result.total == 0
    assert result.annualised_recurring == 0


def test_deferred_items_are_excluded_and_done_items_keep_recurring() -> None:
    result = budget(
        [
            item(FQ(2026, 4), "1000", "10", S.DEFERRED),
            item(FQ(2026, 4), "2000", "20", S.DONE),
            item(FQ(2027, 2), "400", "5", S.PROPOSED),
        ],
        Q,
    )
    assert [q.one_time for q in result.quarters] == [2000, 0, 400, 0]
    assert [q.recurring_monthly for q in result.quarters] == [20, 20, 25, 25]
    assert result.annualised_recurring == 300
    assert result.total == 2400 + 60 + 60 + 75 + 75


def test_unscheduled_costs_are_kept_apart() -> None:
    result = budget(
        [item(None, "700", "30"), item(None, "1", "1", S.DEFERRED), item(FQ(2027, 1), "5")], Q
    )
    assert result.unscheduled_one_time == 700
    assert result.unscheduled_recurring_monthly == 30
    assert result.total == 5


def test_cents_add_up_exactly() -> None:
    result = budget([item(FQ(2027, 1), "0.10", "0.10")] * 3, Q)
    assert result.one_time == dec("0.30")
    assert result.quarters[1].recurring == dec("0.90")
    assert result.recurring == dec("2.70")


def test_an_empty_register_costs_nothing() -> None:
    result = budget([], Q)
    assert result.total == 0 and len(result.quarters) == 4
    assert result.annualised_recurring == 0
