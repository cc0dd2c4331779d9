"""Adherence summaries add up from the drift report's slots (PRODUCT.md §3.4)."""

from __future__ import annotations

import datetime as dt

import pytest

from vcio_desk.domain.drift import ADHERENCE_DAYS, OPEN_STATES, SlotState
from vcio_desk.services.adherence import summarize_adherence
from vcio_desk.services.demo import build_demo
from vcio_desk.services.drift import assess_all
from vcio_desk.store import open_store

AS_OF = dt.date(2026, 11, 20)


@pytest.fixture(scope="module")
def report(build_workspace):  # type: ignore[no-untyped-def]
    demo = build_workspace(
        lambda store: build_demo(store, clients=15, years=2, seed=8, as_of=AS_OF)
    )
    with open_store(demo.target, read_only=True) as store:
        return assess_all(store, AS_OF)


def test_overall_matches_the_slots(report) -> None:
    summary = summarize_adherence(report)
    start = AS_OF - dt.timedelta(days=ADHERENCE_DAYS)
    judged = [
        s
        for r in report.rhythms
        for s in r.assessment.slots
        if start < s.nominal <= AS_OF and s.state not in OPEN_STATES
    ]
    assert summary.overall.judged == len(judged)
    assert summary.overall.kept == sum(s.state is SlotState.ON_TIME for s in judged)
    assert 0 < summary.overall.pct < 100


def test_groups_partition_the_whole(report) -> None:
    summary = summarize_adherence(report)
    assert sum(f.judged for f in summary.by_owner) == summary.overall.judged
    assert sum(f.judged for f in summary.by_kind) == summary.overall.judged
    client_judged = next(f.judged for f in summary.by_kind if f.label == "Clients")
    assert sum(f.judged for f in summary.by_tier) == client_judged
    assert {f.label for f in summary.by_tier} <= {"Tier A", "Tier B", "Tier C"}
    assert sum(summary.overall.flags.values()) == len(report.rhythms)


def test_trend_is_twelve_months_ending_this_month(report) -> None:
    trend = summarize_adherence(report).trend
    assert len(trend) == 12 and trend[0].month == dt.date(2025, 12, 1)
    assert trend[-1].month == dt.date(2026, 11, 1)
    past = [
        s
        for r in report.rhythms
        for s in r.assessment.slots
        if dt.date(2025, 12, 1) <= s.nominal <= AS_OF and s.state not in OPEN_STATES
    ]
    assert sum(p.judged for p in trend) == len(past)
    assert sum(p.kept for p in trend) == sum(s.state is SlotState.ON_TIME for s in past)
