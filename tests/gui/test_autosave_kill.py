"""Notes typed in the real app survive the app being killed (SIGKILL) a moment later.

A separate process runs the app on a workspace file (``autosave_driver.py``: the same
start-up as ``python -m vcio_desk --db``), types notes into a meeting page or a review
window with real key events, idles 2.5 s and says "typed". The test then kills it
without warning, so nothing runs on the way out (no close event, no focus change),
and reads the workspace through the services: the notes must be there. With the
typing-pause autosave switched off this fails, which is what it is for.
"""

from __future__ import annotations

import datetime as dt
import os
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from vcio_desk.domain.vocab import MeetingStatus
from vcio_desk.services.meeting_prep import meeting_detail
from vcio_desk.services.reviews import review_detail, start_review
from vcio_desk.services.seed import ensure_base_content
from vcio_desk.store import models as m
from vcio_desk.store import open_store

pytestmark = [
    pytest.mark.sqlite_only,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL"),
]

DRIVER = Path(__file__).with_name("autosave_driver.py")
AS_OF = dt.date(2026, 11, 20)
READY_TIMEOUT_S = 90.0
"""Generous: start-up on a busy 2-core machine; the test never measures time."""


def _workspace(path: Path) -> tuple[int, int, int]:
    """A workspace file with one client, one confirmed meeting and one review under way."""
    store = open_store(path)
    try:
        ensure_base_content(store)
        with store.transaction() as s:
            types = dict(s.execute(select(m.MeetingType.key, m.MeetingType.id)).all())
            ada = m.Staff(name="Ada Lovelace", is_vcio=True)
            s.add(ada)
            s.flush()
            acme = m.Client(name="Acme Dental", tier="C", vcio_id=ada.id, timezone="UTC")
            s.add(acme)
            s.flush()
            start = dt.datetime(2026, 12, 1, 15, 0, tzinfo=dt.UTC)
            meeting = m.Meeting(
                meeting_type_id=types["vcio_meeting"],
                client_id=acme.id,
                owner_id=ada.id,
                scheduled_start=start,
                scheduled_end=start + dt.timedelta(minutes=60),
                status=MeetingStatus.CONFIRMED,
                timezone="UTC",
            )
            s.add(meeting)
            s.flush()
            client_id, meeting_id = acme.id, meeting.id
        review_id = start_review(store, client_id, AS_OF)
    finally:
        store.close()
    return client_id, meeting_id, review_id


def _type_and_kill(workspace: Path, kind: str, target: str, text: str) -> None:
    """Run the driver until it says "typed", then SIGKILL it."""
    process = subprocess.Popen(
        [sys.executable, str(DRIVER), str(workspace), kind, target, text],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert process.stdout is not None
    said: list[str] = []
    try:
        with selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ)
            deadline = time.monotonic() + READY_TIMEOUT_S
            while "typed" not in said and process.poll() is None:
                if not selector.select(timeout=max(0.0, deadline - time.monotonic())):
                    break
                said.append(process.stdout.readline().strip())
    finally:
        process.send_signal(signal.SIGKILL)
        _out, err = process.communicate()
    assert "typed" in said, f"the app did not get to type (stderr: {err[-2000:]})"
    assert process.returncode == -signal.SIGKILL  # killed, not closed: nothing saved on exit


def test_meeting_notes_survive_a_kill(tmp_path: Path) -> None:
    path = tmp_path / "ws.sqlite3"
    _client_id, meeting_id, _review_id = _workspace(path)
    text = "Firewall renewal agreed; budget in Q3"
    _type_and_kill(path, "meeting", str(meeting_id), text)

    store = open_store(path)
    try:
        assert meeting_detail(store, meeting_id).text("client_notes") == text
    finally:
        store.close()


def test_review_notes_survive_a_kill(tmp_path: Path) -> None:
    path = tmp_path / "ws.sqlite3"
    client_id, _meeting_id, review_id = _workspace(path)
    text = "Backups tested monthly; restore drill overdue"
    _type_and_kill(path, "review", f"{client_id}:{review_id}", text)

    store = open_store(path)
    try:
        first = review_detail(store, review_id).items[0]
        assert first.notes == text
    finally:
        store.close()
