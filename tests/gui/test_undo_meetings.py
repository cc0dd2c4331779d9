"""Undo of a meeting's lifecycle (Year page, meeting header): done, undone, redone, read
back at each step; an undo after the meeting was moved elsewhere is refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from sqlalchemy import select

from vcio_desk.domain.vocab import MeetingStatus
from vcio_desk.services.meeting_prep import save_texts
from vcio_desk.services.meetings import (
    cancel_meeting,
    confirm_meeting,
    reschedule_meeting,
    snapshot_meeting,
)
from vcio_desk.store import Store, open_store
from vcio_desk.store import models as m
from vcio_desk.ui.dialogs.meeting_dialog import MeetingActions

AS_OF = dt.date(2026, 11, 20)


@pytest.fixture
def meeting(workspace: Store) -> int:
    with workspace.transaction() as s:
        types = dict(s.execute(select(m.MeetingType.key, m.MeetingType.id)).all())
        acme = m.Client(name="Acme Dental", tier="C", timezone="UTC")
        s.add(acme)
        s.flush()
        start = dt.datetime(2026, 12, 1, 15, 0, tzinfo=dt.UTC)
        row = m.Meeting(
            meeting_type_id=types["vcio_meeting"],
            client_id=acme.id,
            scheduled_start=start,
            scheduled_end=start + dt.timedelta(minutes=60),
            status=MeetingStatus.PROPOSED,
            timezone="UTC",
        )
        s.add(row)
        s.flush()
        return row.id


@pytest.fixture
def actions(qtbot, workspace: Store) -> MeetingActions:
    host = QWidget()
    qtbot.addWidget(host)
    actions = MeetingActions(workspace, lambda: AS_OF, host)
    actions.told = []  # type: ignore[attr-defined]
    actions.notify = lambda _parent, text: actions.told.append(text)  # type: ignore[attr-defined]
    return actions


@pytest.fixture
def other(tmp_path: Path) -> Iterator[Store]:
    """A second store on the same workspace file: someone else, elsewhere."""
    store = open_store(tmp_path / "ws.sqlite3")
    yield store
    store.close()


def status(store: Store, meeting_id: int) -> MeetingStatus:
    return snapshot_meeting(store, meeting_id).status


def test_confirm_undo_redo(actions: MeetingActions, workspace: Store, meeting: int) -> None:
    assert actions.perform("Confirm", lambda: confirm_meeting(workspace, meeting)) is None
    assert status(workspace, meeting) is MeetingStatus.CONFIRMED
    actions.stack.undo()
    assert status(workspace, meeting) is MeetingStatus.PROPOSED
    actions.stack.redo()
    assert status(workspace, meeting) is MeetingStatus.CONFIRMED


def test_notes_saved_meanwhile_do_not_block_the_undo(
    actions: MeetingActions, workspace: Store, other: Store, meeting: int
) -> None:
    actions.perform("Confirm", lambda: confirm_meeting(workspace, meeting))
    version = 0
    with workspace.session() as s:
        version = s.get(m.Meeting, meeting).row_version  # type: ignore[union-attr]
    save_texts(other, meeting, version, client_notes="Typed in the meeting page")
    actions.stack.undo()
    assert status(workspace, meeting) is MeetingStatus.PROPOSED
    assert not actions.told  # type: ignore[attr-defined]


def test_undo_after_a_move_elsewhere_is_refused(
    qtbot, actions: MeetingActions, workspace: Store, other: Store, meeting: int
) -> None:
    actions.perform("Confirm", lambda: confirm_meeting(workspace, meeting))
    reschedule_meeting(other, meeting, dt.date(2026, 12, 3), dt.time(9, 0))  # someone else
    moved = snapshot_meeting(workspace, meeting)

    actions.stack.undo()
    qtbot.waitUntil(lambda: bool(actions.told), timeout=5000)  # type: ignore[attr-defined]
    assert "changed elsewhere" in actions.told[0]  # type: ignore[attr-defined]
    now = snapshot_meeting(workspace, meeting)
    assert (now.status, now.scheduled_start) == (MeetingStatus.CONFIRMED, moved.scheduled_start)
    assert not actions.stack.canUndo(), "the refused step left the stack"


def test_cancel_undo_puts_back_the_status_and_no_reason(
    actions: MeetingActions, workspace: Store, meeting: int
) -> None:
    actions.perform("Cancel", lambda: cancel_meeting(workspace, meeting, "Client asked"))
    assert snapshot_meeting(workspace, meeting).cancel_reason == "Client asked"
    actions.stack.undo()
    back = snapshot_meeting(workspace, meeting)
    assert (back.status, back.cancel_reason) == (MeetingStatus.PROPOSED, "")
