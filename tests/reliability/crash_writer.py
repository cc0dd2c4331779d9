"""The process the crash test kills: writes meetings and notes through the services, forever.

Run as ``python crash_writer.py WORKSPACE``. Importing SQLAlchemy and the services
takes about a second, too long to pay a hundred times, so this process is a small
fork server: it imports everything once, opens nothing, and for each ``run SEED``
line on stdin forks a worker. The worker is an ordinary process that opens the
workspace with ``open_store`` (its checks, WAL recovery and all) after the fork,
so SQLite sees exactly what it sees when the app is killed. The test SIGKILLs
the worker; this process then reaps it and reports ``exit``.

The worker prints one JSON line per step, flushed, on stdout:

* ``{"event": "start", "pid": N}`` at once, ``{"event": "ready"}`` once the store is open;
* ``{"event": "intent", "seq": N, "op": ..., ...}`` before a write, with everything it writes;
* ``{"event": "ack", "seq": N, ...}`` after the service returned, i.e. after the commit.

An intent without its ack was in flight when the worker died: it may or may not have
been committed. Every ack must be in the workspace afterwards, with its exact content.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import extract, func, select
from sqlalchemy.orm import configure_mappers

from vcio_desk.domain.vocab import MeetingStatus
from vcio_desk.services.meeting_agenda import add_agenda_item
from vcio_desk.services.meeting_prep import save_texts
from vcio_desk.services.meetings import reschedule_meeting
from vcio_desk.services.scheduler import ScheduleWindow, apply_schedule, plan_schedule
from vcio_desk.store import Store, open_store
from vcio_desk.store import models as m

AS_OF = dt.date(2026, 11, 23)
"""The day the demo history ends; the meetings edited are the planned ones after it."""
POOL_SIZE = 30
FIRST_PLANNED_YEAR = 2028
"""Year windows from here on are planned by the worker, one more each time."""
AGENDA_PREFIX = "crash-item "
OPS = ("notes",) * 5 + ("move",) * 2 + ("agenda",) * 2 + ("plan",)
TEXT_PIECES = (
    "Backups verified",
    " ",
    " ",
    "\n",
    "\n\n- ",
    "\t",
    "Ünïcödé",
    "naïve café",
    "Straße",
    "日本語のメモ",
    "🙂",
    "👩‍💻",
    "'quoted' \"text\"",
    "<b>not markup</b> & ;",
    "=SUM(A1:A9)",
    "Robert'); DROP TABLE meetings;--",
    "\u2028",
    "x" * 50,
)


def emit(event: str, **fields: Any) -> None:
    sys.stdout.write(json.dumps({"event": event, **fields}, ensure_ascii=True) + "\n")
    sys.stdout.flush()


def some_text(rng: random.Random) -> str:
    """Text of a size that fits a page, spans a few, or needs overflow pages."""
    size = rng.choice((0, rng.randint(1, 200), rng.randint(200, 3000), rng.randint(3000, 20000)))
    parts: list[str] = []
    length = 0
    while length < size:
        piece = rng.choice(TEXT_PIECES) if rng.random() < 0.3 else f"{rng.getrandbits(64):x} "
        parts.append(piece)
        length += len(piece)
    return "".join(parts)


def pool(store: Store) -> list[int]:
    """The planned meetings this worker edits (the same ones in every run)."""
    with store.session() as session:
        return list(
            session.scalars(
                select(m.Meeting.id)
                .where(m.Meeting.status.in_([MeetingStatus.PROPOSED, MeetingStatus.CONFIRMED]))
                .where(m.Meeting.scheduled_start < dt.datetime(2028, 1, 1, tzinfo=dt.UTC))
                .order_by(m.Meeting.id)
                .limit(POOL_SIZE)
            )
        )


def row_version(store: Store, meeting_id: int) -> int:
    with store.session() as session:
        return session.scalar(select(m.Meeting.row_version).where(m.Meeting.id == meeting_id))


def next_year(store: Store) -> int:
    start = dt.datetime(FIRST_PLANNED_YEAR, 1, 1, tzinfo=dt.UTC)
    with store.session() as session:
        latest = session.scalar(
            select(func.max(extract("year", m.Meeting.scheduled_start))).where(
                m.Meeting.scheduled_start >= start
            )
        )
    return FIRST_PLANNED_YEAR if latest is None else int(latest) + 1


def step(store: Store, rng: random.Random, seq: int, meetings: list[int]) -> None:
    op = rng.choice(OPS)
    meeting_id = rng.choice(meetings)
    if op == "notes":
        texts = {
            "client_notes": some_text(rng),
            "internal_notes": some_text(rng),
            "decisions": some_text(rng),
        }
        version = row_version(store, meeting_id)
        emit("intent", seq=seq, op=op, id=meeting_id, texts=texts)
        emit("ack", seq=seq, row_version=save_texts(store, meeting_id, version, **texts))
    elif op == "move":
        day = dt.date(2027, rng.randint(2, 11), rng.randint(1, 28))
        clock = dt.time(rng.randint(9, 16), rng.choice((0, 15, 30, 45)))
        emit("intent", seq=seq, op=op, id=meeting_id, day=day.isoformat(), time=clock.isoformat())
        change = reschedule_meeting(store, meeting_id, day, clock)
        emit("ack", seq=seq, start=change.after.scheduled_start.isoformat())
    elif op == "agenda":
        # Written as the service keeps it: one line, single spaces (it normalises titles).
        words = f"{AGENDA_PREFIX}{seq}-{rng.getrandbits(48):x} {some_text(rng)[:200]}"
        title = " ".join(words.split())
        minutes = rng.randint(1, 90)
        presenter = rng.choice(("", "Ada", "Émile Zola", "日本"))
        emit(
            "intent",
            seq=seq,
            op=op,
            id=meeting_id,
            title=title,
            minutes=minutes,
            presenter=presenter,
        )
        item = add_agenda_item(store, meeting_id, title, minutes, presenter)
        emit("ack", seq=seq, item_id=item.id)
    else:
        window = ScheduleWindow.year(next_year(store))
        expected = len(plan_schedule(store, window, AS_OF).added)
        emit("intent", seq=seq, op=op, year=window.start.year, adds=expected)
        emit("ack", seq=seq, added=len(apply_schedule(store, window, AS_OF).added))


def worker(path: Path, seed: str) -> None:
    emit("start", pid=os.getpid())
    rng = random.Random(seed)
    store = open_store(path)
    meetings = pool(store)
    emit("ready", pool=len(meetings))
    seq = 0
    while True:  # until killed
        seq += 1
        step(store, rng, seq, meetings)


def warm_up() -> None:
    """Pay the one-off costs (mapper set-up, lazy imports) once here, not in every worker.

    Nothing here touches a workspace: the workers open it only after the fork.
    """
    import holidays.countries  # noqa: F401 - the scheduler imports them on first use

    configure_mappers()


def main() -> int:
    path = Path(sys.argv[1])
    warm_up()
    for line in sys.stdin:
        command = line.split()
        if not command or command[0] == "quit":
            return 0
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                worker(path, command[1])
            except BaseException as exc:
                sys.stderr.write(f"worker {os.getpid()} failed: {exc!r}\n")
                import traceback

                traceback.print_exc()
                code = 1
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        signal = os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0
        code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
        # A worker killed mid-line leaves it unterminated: end it so ours stands alone.
        sys.stdout.write("\n")
        emit("exit", pid=pid, signal=signal, code=code)
    return 0


if __name__ == "__main__":
    sys.exit(main())
