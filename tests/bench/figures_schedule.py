"""Rhythm and schedule figures: slot expansion, year dry run and apply, drift for every rhythm."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import time
from pathlib import Path

from dateutil.rrule import rrulestr
from sqlalchemy import select

from vcio_desk.domain.slots import VersionSpec, slots
from vcio_desk.services.drift import assess_all
from vcio_desk.services.rhythm_versions import versions_by_rhythm
from vcio_desk.services.scheduler import ScheduleWindow, apply_schedule, plan_schedule
from vcio_desk.store import models as m
from vcio_desk.store import open_store

from .harness import Figure, median_of, timed


def _versions(workspace: Path) -> dict[int, list[VersionSpec]]:
    with open_store(workspace, read_only=True) as store, store.session() as session:
        return versions_by_rhythm(session)


def slot_expansion(workspace: Path, as_of: dt.date, runs: int) -> list[Figure]:
    versions = _versions(workspace)
    horizon = as_of + dt.timedelta(days=366)

    def ours() -> float:
        from vcio_desk.domain import recurrence

        recurrence.parse.cache_clear()  # cold: no parsed rule carried between runs
        return timed(lambda: [slots(v, v[0].effective_from, horizon) for v in versions.values()])

    def plain_dateutil() -> float:
        def expand() -> None:
            for specs in versions.values():
                for i, v in enumerate(specs):
                    end = specs[i + 1].effective_from if i + 1 < len(specs) else horizon
                    rule = rrulestr(v.rule, dtstart=dt.datetime.combine(v.anchor, dt.time()))
                    rule.between(
                        dt.datetime.combine(v.effective_from, dt.time()),
                        dt.datetime.combine(end, dt.time()),
                        inc=True,
                    )

        return timed(expand)

    value, samples = median_of(ours, runs)
    base, base_samples = median_of(plain_dateutil, runs)
    count = sum(len(slots(v, v[0].effective_from, horizon)) for v in versions.values())
    return [
        Figure(
            f"slots of every rhythm ({len(versions)} rhythms, {count:,} slots)",
            value * 1000,
            "ms",
            300.0,
            [s * 1000 for s in samples],
        ),
        Figure(
            "plain dateutil expansion of the same rules",
            base * 1000,
            "ms",
            None,
            [s * 1000 for s in base_samples],
        ),
        Figure("slots / plain dateutil", value / base, "x", 2.0),
    ]


def year_schedule(workspace: Path, as_of: dt.date, runs: int) -> list[Figure]:
    """Plan and apply the year after next, where no meeting exists yet: every slot is new."""
    window = ScheduleWindow.year(as_of.year + 2)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "copy.sqlite3"
        shutil.copyfile(workspace, copy)
        with open_store(copy) as store:
            value, samples = median_of(
                lambda: timed(lambda: plan_schedule(store, window, as_of)), runs
            )
            added = len(plan_schedule(store, window, as_of).added)

        def apply_once() -> float:
            shutil.copyfile(workspace, copy)
            for suffix in ("-wal", "-shm"):
                Path(f"{copy}{suffix}").unlink(missing_ok=True)
            with open_store(copy) as store:
                return timed(lambda: apply_schedule(store, window, as_of))

        applied, applied_samples = median_of(apply_once, runs)
    return [
        Figure(f"year dry run, 500 clients ({added:,} meetings to add)", value, "s", 1.0, samples),
        Figure("year apply, same plan", applied, "s", 3.0, applied_samples),
    ]


def drift_all(workspace: Path, as_of: dt.date, runs: int) -> list[Figure]:
    with open_store(workspace, read_only=True) as store:
        value, samples = median_of(lambda: timed(lambda: assess_all(store, as_of)), runs)

        def plain_select() -> float:
            query = select(
                m.Meeting.id,
                m.Meeting.client_id,
                m.Meeting.internal_body_id,
                m.Meeting.meeting_type_id,
                m.Meeting.held_date,
                m.Meeting.status,
                m.Meeting.scheduled_start,
                m.Meeting.timezone,
                m.Meeting.rhythm_id,
                m.Meeting.slot_date,
            ).where(m.Meeting.status.in_(["held", "confirmed"]))
            with store.engine.connect() as connection:
                started = time.perf_counter()
                connection.execute(query).all()
                return time.perf_counter() - started

        base, base_samples = median_of(plain_select, runs)
    return [
        Figure(
            "drift for every rhythm, store to result",
            value * 1000,
            "ms",
            300.0,
            [s * 1000 for s in samples],
        ),
        Figure(
            "plain Core SELECT of the same meetings",
            base * 1000,
            "ms",
            None,
            [s * 1000 for s in base_samples],
        ),
        Figure("drift / plain SELECT", value / base, "x", 3.0),
    ]
