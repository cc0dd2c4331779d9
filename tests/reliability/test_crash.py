"""Nothing acknowledged is ever lost: a writer is SIGKILLed at random points, over and over.

``crash_writer.py`` writes notes, moves meetings, adds agenda items and plans whole
years through the services, printing what it is about to write and, after each
commit, an acknowledgement. After every kill the workspace is reopened with
``open_store`` (its quick_check), must pass ``PRAGMA integrity_check``, and must hold
every acknowledged write with its exact content; the one write in flight when the
process died may be there whole or not at all, never in part.

``VCIO_DESK_CRASH_KILLS`` sets the number of kills (100 by default) and
``VCIO_DESK_CRASH_SEED`` replays a run's delays and writes (the seed is printed, and
named in every failure).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.util
import json
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from vcio_desk.store import models as m
from vcio_desk.store import open_store

WRITER = Path(__file__).with_name("crash_writer.py")
KILLS = int(os.environ.get("VCIO_DESK_CRASH_KILLS", "100"))
SEED = os.environ.get("VCIO_DESK_CRASH_SEED") or str(random.SystemRandom().randrange(10**9))
EARLY_KILLS = 0.1
"""The share of kills aimed at start-up (open_store, WAL recovery) rather than at writes."""
MAX_DELAY = 0.5
"""Seconds: kills land anywhere in the first few dozen writes of a worker."""
EVENT_TIMEOUT = 60.0

pytestmark = pytest.mark.sqlite_only


def load_writer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("crash_writer_for_test", WRITER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class State:
    """What the workspace must hold: the parts the writer changes, read the same way."""

    texts: dict[int, tuple[str, str, str]] = field(default_factory=dict)
    starts: dict[int, str] = field(default_factory=dict)
    agenda: dict[str, tuple[int, int, int, str]] = field(default_factory=dict)
    """title -> (meeting id, item id, minutes, presenter), for the writer's items."""
    meetings: int = 0

    def copy(self) -> State:
        return State(dict(self.texts), dict(self.starts), dict(self.agenda), self.meetings)


def observe(path: Path, pool: list[int], prefix: str) -> tuple[State, dict[int, str]]:
    """Reopen as the app does, check integrity, read what the writer may have changed."""
    with open_store(path) as store:
        with store.engine.connect() as connection:
            verdict = connection.exec_driver_sql("PRAGMA integrity_check").scalars().all()
        assert verdict == ["ok"], f"integrity_check: {verdict}"
        state = State()
        zones: dict[int, str] = {}
        with store.session() as session:
            rows = session.execute(
                select(
                    m.Meeting.id,
                    m.Meeting.client_notes,
                    m.Meeting.internal_notes,
                    m.Meeting.decisions,
                    m.Meeting.scheduled_start,
                    m.Meeting.timezone,
                ).where(m.Meeting.id.in_(pool))
            )
            for meeting_id, client, internal, decisions, start, zone in rows:
                state.texts[meeting_id] = (client, internal, decisions)
                state.starts[meeting_id] = start.isoformat()
                zones[meeting_id] = zone
            items = session.execute(
                select(
                    m.AgendaItem.title,
                    m.AgendaItem.meeting_id,
                    m.AgendaItem.id,
                    m.AgendaItem.minutes,
                    m.AgendaItem.presenter,
                ).where(m.AgendaItem.title.startswith(prefix))
            )
            for title, meeting_id, item_id, minutes, presenter in items:
                assert title not in state.agenda, f"agenda item {title[:40]!r} is there twice"
                state.agenda[title] = (meeting_id, item_id, minutes, presenter)
            state.meetings = session.scalar(select(func.count()).select_from(m.Meeting))
    return state, zones


class ForkServer:
    """``crash_writer.py``, read line by line on a thread so the writer never waits on us."""

    def __init__(self, path: Path, log: Path) -> None:
        self.log = log
        self._stderr = log.open("w", encoding="utf-8")
        self.process = subprocess.Popen(
            [sys.executable, str(WRITER), str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            encoding="utf-8",
            cwd=path.parent,
            env=dict(os.environ),
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.cut_lines = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def send(self, command: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()

    def next_event(self) -> dict[str, Any]:
        while True:
            try:
                line = self.lines.get(timeout=EVENT_TIMEOUT)
            except queue.Empty:
                raise AssertionError(f"the writer said nothing for {EVENT_TIMEOUT} s") from None
            if line is None:
                raise AssertionError(f"the writer ended: {self.log.read_text()[-3000:]}")
            if not line.strip():
                continue
            try:
                return json.loads(line)
            except json.JSONDecodeError:
                self.cut_lines += 1  # the worker died while printing this line

    def close(self) -> None:
        try:
            self.send("quit")
            self.process.wait(timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait(timeout=30)
        finally:
            for stream in (self.process.stdin, self.process.stdout, self._stderr):
                if stream is not None:
                    stream.close()


@dataclass
class Tally:
    acked: dict[str, int] = field(default_factory=dict)
    in_flight: dict[str, int] = field(default_factory=dict)
    in_flight_committed: int = 0
    early: int = 0
    checking: float = 0.0
    """Seconds spent reopening and checking the workspace (the rest is the writers')."""


def utc_start(day: str, clock: str, zone: str) -> str:
    local = dt.datetime.combine(
        dt.date.fromisoformat(day), dt.time.fromisoformat(clock), tzinfo=ZoneInfo(zone)
    )
    return local.astimezone(dt.UTC).isoformat()


def apply_ack(expected: State, intent: dict[str, Any], ack: dict[str, Any], zones: dict) -> None:
    op = intent["op"]
    if op == "notes":
        texts = intent["texts"]
        expected.texts[intent["id"]] = (
            texts["client_notes"],
            texts["internal_notes"],
            texts["decisions"],
        )
    elif op == "move":
        start = utc_start(intent["day"], intent["time"], zones[intent["id"]])
        assert ack["start"] == start, (ack, start)
        expected.starts[intent["id"]] = start
    elif op == "agenda":
        expected.agenda[intent["title"]] = (
            intent["id"],
            ack["item_id"],
            intent["minutes"],
            intent["presenter"],
        )
    else:
        assert ack["added"] == intent["adds"], (intent, ack)
        expected.meetings += ack["added"]


def settle_in_flight(
    expected: State, intent: dict[str, Any], seen: State, zones: dict[int, str]
) -> bool:
    """Fold the write that was in flight into ``expected`` as it was found: whole or absent.

    Returns whether it had been committed.
    """
    op = intent["op"]
    if op == "notes":
        texts = intent["texts"]
        after = (texts["client_notes"], texts["internal_notes"], texts["decisions"])
        found = seen.texts.get(intent["id"])
        if found == after and expected.texts[intent["id"]] != after:
            expected.texts[intent["id"]] = after
            return True
    elif op == "move":
        after = utc_start(intent["day"], intent["time"], zones[intent["id"]])
        if seen.starts.get(intent["id"]) == after and expected.starts[intent["id"]] != after:
            expected.starts[intent["id"]] = after
            return True
    elif op == "agenda":
        found = seen.agenda.get(intent["title"])
        if found is not None:
            meeting_id, _item_id, minutes, presenter = found
            assert (meeting_id, minutes, presenter) == (
                intent["id"],
                intent["minutes"],
                intent["presenter"],
            ), f"the in-flight agenda item was saved wrong: {found} for {intent}"
            expected.agenda[intent["title"]] = found
            return True
    elif seen.meetings == expected.meetings + intent["adds"] and intent["adds"]:
        expected.meetings = seen.meetings
        return True
    return False


def differences(expected: State, seen: State) -> list[str]:
    found = []
    for name in ("texts", "starts", "agenda"):
        want, got = getattr(expected, name), getattr(seen, name)
        for key in sorted(set(want) | set(got), key=str):
            if want.get(key) != got.get(key):
                shown = key if isinstance(key, int) else repr(key[:50])
                found.append(
                    f"{name}[{shown}]: expected {str(want.get(key))[:80]!r}, "
                    f"found {str(got.get(key))[:80]!r}"
                )
    if expected.meetings != seen.meetings:
        found.append(f"meetings: expected {expected.meetings}, found {seen.meetings}")
    return found


def test_killed_writers_never_lose_an_acknowledged_write(
    kit, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    writer = load_writer()
    path = kit.workspace()
    with open_store(path) as store:
        pool = writer.pool(store)
    assert len(pool) == writer.POOL_SIZE
    expected, zones = observe(path, pool, writer.AGENDA_PREFIX)
    with capsys.disabled():
        print(f"\ncrash test: {KILLS} kills, replay with VCIO_DESK_CRASH_SEED={SEED}")
    tally = Tally()
    server = ForkServer(path, tmp_path / "writer-stderr.txt")
    began = time.perf_counter()
    try:
        for kill in range(KILLS):
            rng = random.Random(f"{SEED}:{kill}")
            where = f"kill {kill + 1}/{KILLS} (VCIO_DESK_CRASH_SEED={SEED})"
            server.send(f"run {SEED}-{kill}")
            events = [server.next_event()]
            assert events[0]["event"] == "start", (where, events)
            early = rng.random() < EARLY_KILLS
            if early:
                tally.early += 1
            else:
                while events[-1]["event"] not in ("ready", "exit"):
                    events.append(server.next_event())
                assert events[-1]["event"] == "ready", (where, server.log.read_text()[-3000:])
            time.sleep(rng.uniform(0, 0.05 if early else MAX_DELAY))
            with contextlib.suppress(ProcessLookupError):  # a worker that failed by itself
                os.kill(events[0]["pid"], signal.SIGKILL)
            while events[-1]["event"] != "exit":
                events.append(server.next_event())
            assert events[-1]["signal"] == signal.SIGKILL, (
                f"{where}: the writer was not killed but ended by itself ({events[-1]}): "
                + server.log.read_text()[-3000:]
            )

            intents: dict[int, dict[str, Any]] = {}
            for event in events:
                if event["event"] == "intent":
                    intents[event["seq"]] = event
                elif event["event"] == "ack":
                    intent = intents.pop(event["seq"])
                    apply_ack(expected, intent, event, zones)
                    tally.acked[intent["op"]] = tally.acked.get(intent["op"], 0) + 1
            assert len(intents) <= 1, (where, intents)
            checking = time.perf_counter()
            try:
                seen, _ = observe(path, pool, writer.AGENDA_PREFIX)
            except Exception as exc:
                raise AssertionError(
                    f"{where}: the workspace did not reopen cleanly: {exc}"
                ) from exc
            for intent in intents.values():
                tally.in_flight[intent["op"]] = tally.in_flight.get(intent["op"], 0) + 1
                tally.in_flight_committed += settle_in_flight(expected, intent, seen, zones)
            problems = differences(expected, seen)
            tally.checking += time.perf_counter() - checking
            assert not problems, f"{where}: " + "; ".join(problems[:5])
    finally:
        server.close()
    seconds = time.perf_counter() - began
    acked = sum(tally.acked.values())
    with capsys.disabled():
        print(
            f"crash test: {KILLS}/{KILLS} kills survived in {seconds:.1f} s "
            f"({seconds / max(KILLS, 1):.2f} s per kill); {acked} acknowledged writes "
            f"{tally.acked}; in flight at the kill {tally.in_flight} "
            f"({tally.in_flight_committed} of them committed); {tally.early} kills at "
            f"start-up; {server.cut_lines} lines cut; {tally.checking:.1f} s checking; seed {SEED}"
        )
    # The test proves something only if the kills hit writes of every kind.
    if KILLS >= 50:
        assert set(tally.acked) == {"notes", "move", "agenda", "plan"}, tally
        assert sum(tally.in_flight.values()) >= KILLS // 4, tally
    assert acked >= KILLS, tally
