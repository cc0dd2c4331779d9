"""The demo generator: deterministic for a seed, realistic in its mix, and safe to run."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from sqlalchemy import func, insert, select

from vcio_desk.domain.errors import ValidationError, WorkspaceError
from vcio_desk.services.demo import build_demo
from vcio_desk.services.demo import content as demo_content
from vcio_desk.store import Store, open_store
from vcio_desk.store import models as m

AS_OF = dt.date(2026, 11, 20)


def _snapshot(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, minus wall-clock stamps, in id order."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with store.session() as session:
        for table in m.Base.metadata.sorted_tables:
            columns = [c for c in table.c if not c.name.endswith("_at")]
            rows = session.execute(select(*columns).order_by(*table.primary_key.columns)).all()
            out[table.name] = [tuple(r) for r in rows]
    return out


@pytest.fixture
def demo_store(db_target):
    with open_store(db_target("demo")) as store:
        build_demo(store, clients=30, years=3, seed=11, as_of=AS_OF)
        yield store


def test_same_seed_same_workspace(db_target, demo_store: Store) -> None:
    with open_store(db_target("again")) as again:
        build_demo(again, clients=30, years=3, seed=11, as_of=AS_OF)
        assert _snapshot(again) == _snapshot(demo_store)


def test_other_seed_other_workspace(db_target, demo_store: Store) -> None:
    with open_store(db_target("other")) as other:
        build_demo(other, clients=30, years=3, seed=12, as_of=AS_OF)
        assert _snapshot(other)["clients"] != _snapshot(demo_store)["clients"]


def test_rebuilding_replaces_instead_of_adding(demo_store: Store) -> None:
    before = _snapshot(demo_store)
    build_demo(demo_store, clients=30, years=3, seed=11, as_of=AS_OF)
    assert _snapshot(demo_store) == before


def test_realistic_mix(demo_store: Store) -> None:
    with demo_store.session() as s:
        tiers = Counter(s.scalars(select(m.Client.tier)))
        assert set(tiers) == {"A", "B", "C"}
        assert s.scalar(select(func.count()).where(m.Staff.is_vcio)) >= 4
        assert s.scalar(select(func.count()).where(m.Staff.is_tam)) >= 3
        assert s.scalar(select(func.count()).where(m.Staff.is_account_manager)) >= 2
        # Two rhythms a client from the tier templates, plus the two internal ones.
        assert s.scalar(select(func.count()).select_from(m.Rhythm)) == 30 * 2 + 2
        bodies = set(s.scalars(select(m.InternalBody.kind)))
        assert bodies == {"standards_committee", "service_delivery"}
        statuses = Counter(s.scalars(select(m.Meeting.status)))
        assert {"held", "cancelled", "confirmed", "proposed"} <= set(statuses)
        assert statuses["held"] > statuses["cancelled"] > 0
        # Some rhythms were re-versioned; every version has a reason.
        assert s.scalar(select(func.count()).select_from(m.RhythmVersion)) > 62
        assert "" not in set(s.scalars(select(m.RhythmVersion.reason)))
        per_client = Counter(s.scalars(select(m.Contact.client_id)))
        assert min(per_client.values()) >= 2
        assert s.scalar(select(func.count()).select_from(m.AlignmentReview)) > 0
        assert (
            s.scalar(
                select(func.count()).select_from(m.CsiItem).where(m.CsiItem.client_id.is_(None))
            )
            > 0
        )
        assert s.scalar(select(func.count()).select_from(m.CommitteeDecision)) > 0
        assert s.scalar(select(func.count()).select_from(m.ActionItem)) > 30


def test_history_is_plausible(demo_store: Store) -> None:
    with demo_store.session() as s:
        meetings = s.execute(
            select(
                m.Meeting.status,
                m.Meeting.held_date,
                m.Meeting.slot_date,
                m.Meeting.scheduled_start,
                m.RhythmVersion.tolerance_days,
            ).join(m.RhythmVersion, m.RhythmVersion.rhythm_id == m.Meeting.rhythm_id)
        ).all()
    late = on_time = 0
    for status, held, slot, start, _tolerance in meetings:
        assert start.tzinfo is not None
        if status == "held":
            assert held is not None and held < AS_OF
        else:
            assert held is None
        if status in ("proposed", "confirmed"):
            assert start.date() >= AS_OF - dt.timedelta(days=1)
        if status == "held":
            on_time += abs((held - slot).days) <= 30
            late += (held - slot).days > 0
    assert on_time > 0 and late > 0


def test_some_rhythms_are_off_track(demo_store: Store) -> None:
    """Last past slot unheld (overdue/broken profiles) for at least one rhythm."""
    with demo_store.session() as s:
        rows = s.execute(
            select(m.Meeting.rhythm_id, m.Meeting.slot_date, m.Meeting.status).where(
                m.Meeting.slot_date < AS_OF - dt.timedelta(days=40)
            )
        ).all()
        slots_per_rhythm: dict[int, dict[dt.date, set[str]]] = {}
        for rhythm_id, slot, status in rows:
            slots_per_rhythm.setdefault(rhythm_id, {}).setdefault(slot, set()).add(status)
        # A rhythm whose slot has no meeting at all or only a cancelled one.
        versions = s.execute(select(m.RhythmVersion.rhythm_id)).scalars().all()
    assert versions
    unheld = sum(
        1
        for per_slot in slots_per_rhythm.values()
        for statuses in per_slot.values()
        if "held" not in statuses
    )
    assert unheld > 0


def test_refuses_a_workspace_with_the_users_own_clients(db_target) -> None:
    with open_store(db_target("mine")) as store:
        with store.transaction() as s:
            s.execute(insert(m.Client).values(name="My Real Client"))
        with pytest.raises(WorkspaceError, match="holds your own clients"):
            build_demo(store, clients=3, years=1, as_of=AS_OF)
        with store.session() as s:
            assert s.scalars(select(m.Client.name)).all() == ["My Real Client"]
        build_demo(store, clients=3, years=1, as_of=AS_OF, force=True)
        with store.session() as s:
            assert "My Real Client" not in s.scalars(select(m.Client.name)).all()


def test_a_failure_midway_leaves_the_workspace_as_it_was(
    db_target, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _snapshot(demo_store)

    def explode(*_args: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(demo_content, "action_items", explode)
    with pytest.raises(RuntimeError):
        build_demo(demo_store, clients=5, years=1, seed=3, as_of=AS_OF)
    assert _snapshot(demo_store) == before


@pytest.mark.parametrize(("clients", "years"), [(0, 3), (40, 0), (100_000, 3), (40, 99)])
def test_out_of_range_sizes_are_refused(db_target, clients: int, years: int) -> None:
    with open_store(db_target("x")) as store, pytest.raises(ValidationError):
        build_demo(store, clients=clients, years=years, as_of=AS_OF)


def test_progress_is_reported(db_target) -> None:
    seen: list[tuple[int, int, str]] = []
    with open_store(db_target("p")) as store:
        build_demo(store, clients=2, years=1, as_of=AS_OF, progress=lambda *a: seen.append(a))
    assert seen[0][0] == 0 and seen[-1][0] == seen[-1][1]
    assert [done for done, _total, _label in seen] == sorted(done for done, _t, _l in seen)
