"""Undo and redo of action changes on the client's Actions tab and the meeting page:
close, reopen, edit and raise, each read back through the services at every step; an
undo after the action was changed elsewhere is refused and overwrites nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from vcio_desk.domain.vocab import ActionStatus, MeetingStatus
from vcio_desk.services.actions import (
    ActionInput,
    client_actions,
    create_action,
    get_action,
    update_action,
)
from vcio_desk.store import Store, open_store
from vcio_desk.store import models as m
from vcio_desk.ui.pages.client_tabs.actions_tab import ActionsTab
from vcio_desk.ui.pages.meeting_page import MeetingPage

AS_OF = dt.date(2026, 11, 20)


@pytest.fixture
def client(workspace: Store) -> int:
    with workspace.transaction() as s:
        ada = m.Staff(name="Ada Lovelace", is_vcio=True)
        s.add(ada)
        s.flush()
        acme = m.Client(name="Acme Dental", tier="C", vcio_id=ada.id, timezone="UTC")
        s.add(acme)
        s.flush()
        return acme.id


@pytest.fixture
def action(workspace: Store, client: int) -> int:
    data = ActionInput("Replace the firewall", due_date=dt.date(2026, 12, 1), notes="Quote in")
    return create_action(workspace, data, as_of=AS_OF, client_id=client).id


@pytest.fixture
def tab(qtbot, workspace: Store, client: int, action: int) -> ActionsTab:
    tab = ActionsTab(workspace, client, lambda: AS_OF)
    qtbot.addWidget(tab)
    tab.messages = []  # type: ignore[attr-defined]
    tab.notify = lambda _parent, text: tab.messages.append(text)  # type: ignore[attr-defined]
    tab.reload()
    tab.show()
    tab.select(action)
    return tab


@pytest.fixture
def other(tmp_path: Path) -> Iterator[Store]:
    """A second store on the same workspace file: someone else, elsewhere."""
    store = open_store(tmp_path / "ws.sqlite3")
    yield store
    store.close()


def test_close_undo_redo(tab: ActionsTab, workspace: Store, action: int) -> None:
    tab.toggle_done()
    done = get_action(workspace, action)
    assert (done.status, done.completed_on) == (ActionStatus.DONE, AS_OF)
    assert tab.undo_stack.undoText() == "Close “Replace the firewall”"
    assert tab.undo_button.isEnabled() and not tab.redo_button.isEnabled()
    assert tab.undo_button.text() == "Undo", "a short label: the bar does not jump"
    assert tab.undo_button.toolTip().startswith("Undo Close “Replace the firewall”")

    tab.undo_action.trigger()
    back = get_action(workspace, action)
    assert (back.status, back.completed_on) == (ActionStatus.OPEN, None)
    assert tab.selected() is not None and tab.selected().id == action
    tab.redo_action.trigger()
    assert get_action(workspace, action).status is ActionStatus.DONE


def test_edit_undo_redo(tab: ActionsTab, workspace: Store, action: int) -> None:
    tab.ask_action = lambda *_a: ActionInput("Replace both firewalls", notes="Two quotes")
    tab.edit_selected()
    edited = get_action(workspace, action)
    assert (edited.title, edited.notes, edited.due_date) == (
        "Replace both firewalls",
        "Two quotes",
        None,
    )
    tab.undo_stack.undo()
    back = get_action(workspace, action)
    assert (back.title, back.notes, back.due_date) == (
        "Replace the firewall",
        "Quote in",
        dt.date(2026, 12, 1),
    )
    tab.undo_stack.redo()
    assert get_action(workspace, action).title == "Replace both firewalls"


def test_new_action_undo_deletes_it_and_redo_raises_it_again(
    tab: ActionsTab, workspace: Store, client: int
) -> None:
    tab.ask_action = lambda *_a: ActionInput("Review the backups")
    tab.new_action()
    titles = lambda: sorted(a.title for a in client_actions(workspace, client))  # noqa: E731
    assert titles() == ["Replace the firewall", "Review the backups"]
    tab.undo_stack.undo()
    assert titles() == ["Replace the firewall"]
    tab.undo_stack.redo()
    assert titles() == ["Replace the firewall", "Review the backups"]
    # An edit of the raised-again action is undone on the row it has now.
    tab.select(next(a.id for a in client_actions(workspace, client) if a.title.startswith("Rev")))
    tab.ask_action = lambda *_a: ActionInput("Review the backups monthly")
    tab.edit_selected()
    tab.undo_stack.undo()
    tab.undo_stack.undo()
    assert titles() == ["Replace the firewall"]


def test_steps_on_one_action_undo_in_order(tab: ActionsTab, workspace: Store, action: int) -> None:
    tab.toggle_done()
    tab.ask_action = lambda *_a: ActionInput("Renamed", status=ActionStatus.DONE)
    tab.edit_selected()
    tab.undo_stack.undo()
    tab.undo_stack.undo()
    back = get_action(workspace, action)
    assert (back.title, back.status) == ("Replace the firewall", ActionStatus.OPEN)
    assert not tab.messages  # type: ignore[attr-defined]


def test_undo_after_a_change_elsewhere_is_refused(
    qtbot, tab: ActionsTab, workspace: Store, other: Store, action: int
) -> None:
    tab.toggle_done()
    update_action(other, action, ActionInput("Theirs", status=ActionStatus.DONE), as_of=AS_OF)
    tab.undo_stack.undo()
    qtbot.waitUntil(lambda: bool(tab.messages), timeout=5000)  # type: ignore[attr-defined]
    assert "changed elsewhere" in tab.messages[0]  # type: ignore[attr-defined]
    assert "Reload" in tab.messages[0]  # type: ignore[attr-defined]
    now = get_action(workspace, action)
    assert (now.title, now.status) == ("Theirs", ActionStatus.DONE), "nothing overwritten"
    assert not tab.undo_stack.canUndo()


def test_undo_of_a_new_action_edited_elsewhere_keeps_it(
    qtbot, tab: ActionsTab, workspace: Store, other: Store, client: int
) -> None:
    tab.ask_action = lambda *_a: ActionInput("Review the backups")
    tab.new_action()
    new_id = next(a.id for a in client_actions(workspace, client) if a.title.startswith("Rev"))
    update_action(other, new_id, ActionInput("Review the backups (theirs)"), as_of=AS_OF)
    tab.undo_stack.undo()
    qtbot.waitUntil(lambda: bool(tab.messages), timeout=5000)  # type: ignore[attr-defined]
    assert get_action(workspace, new_id).title == "Review the backups (theirs)"


def test_ctrl_z_in_the_tab(qtbot, tab: ActionsTab, workspace: Store, action: int) -> None:
    tab.toggle_done()
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert get_action(workspace, action).status is ActionStatus.OPEN
    qtbot.keyClick(
        tab.table,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert get_action(workspace, action).status is ActionStatus.DONE


def test_meeting_page_action_edits_are_undoable(
    qtbot, workspace: Store, client: int, action: int
) -> None:
    with workspace.transaction() as s:
        types = dict(s.execute(select(m.MeetingType.key, m.MeetingType.id)).all())
        start = dt.datetime(2026, 12, 1, 15, 0, tzinfo=dt.UTC)
        meeting = m.Meeting(
            meeting_type_id=types["vcio_meeting"],
            client_id=client,
            scheduled_start=start,
            scheduled_end=start + dt.timedelta(minutes=60),
            status=MeetingStatus.CONFIRMED,
            timezone="UTC",
        )
        s.add(meeting)
        s.flush()
        meeting_id = meeting.id
    page = MeetingPage(workspace, meeting_id, lambda: AS_OF)
    qtbot.addWidget(page)
    page.show()
    page.reload()
    page.ask_action = lambda *_a: ActionInput("Raised at the meeting")
    page.new_action()
    titles = lambda: sorted(a.title for a in client_actions(workspace, client))  # noqa: E731
    assert "Raised at the meeting" in titles()
    assert page.stack.undoText() == "New action “Raised at the meeting”"
    page.stack.undo()
    assert "Raised at the meeting" not in titles()
    page.stack.redo()
    assert "Raised at the meeting" in titles()

    page.ask_action = lambda *_a: ActionInput("Carried, renamed")
    page.edit_action(action)
    assert get_action(workspace, action).title == "Carried, renamed"
    page.stack.undo()
    assert get_action(workspace, action).title == "Replace the firewall"
    page.set_action_status(action, ActionStatus.DONE.value)
    assert get_action(workspace, action).status is ActionStatus.DONE
    page.stack.undo()
    assert get_action(workspace, action).status is ActionStatus.OPEN
    page.close()
