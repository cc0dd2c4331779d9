"""The client page's Meetings and Actions tabs, on a demo workspace and on hand-made rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt
from sqlalchemy import select

from vcio_desk.domain.vocab import ActionStatus, MeetingStatus
from vcio_desk.services.actions import ActionInput, client_actions, create_action
from vcio_desk.services.demo import build_demo
from vcio_desk.services.meeting_list import client_meetings
from vcio_desk.services.year_grid import CellState
from vcio_desk.store import Store, open_store
from vcio_desk.store import models as m
from vcio_desk.ui.models.action_model import ActionColumn
from vcio_desk.ui.models.meeting_list_model import MeetingColumn, Span
from vcio_desk.ui.models.year_model import STATE_WORDS
from vcio_desk.ui.pages.client_tabs.actions_tab import COLUMNS, ActionsTab
from vcio_desk.ui.pages.client_tabs.meetings_tab import MeetingsTab

AS_OF = dt.date(2026, 11, 20)
C_LOCALE = QLocale(QLocale.Language.C)
STATUS = COLUMNS.index(ActionColumn.STATUS)


@pytest.fixture
def demo(workspace: Store) -> Store:
    build_demo(workspace, clients=6, years=2, seed=2, as_of=AS_OF)
    return workspace


def busiest_client(store: Store) -> int:
    """The demo client with the most actions (every demo client has meetings)."""
    with store.session() as s:
        ids = s.scalars(select(m.Client.id)).all()
    return max(ids, key=lambda cid: (len(client_actions(store, cid)), -cid))


@pytest.fixture
def meetings_tab(qtbot, demo: Store) -> MeetingsTab:
    tab = MeetingsTab(demo, busiest_client(demo), lambda: AS_OF, C_LOCALE)
    qtbot.addWidget(tab)
    tab.resize(1000, 600)
    tab.show()
    tab.reload()
    return tab


@pytest.fixture
def actions_tab(qtbot, demo: Store) -> ActionsTab:
    tab = ActionsTab(demo, busiest_client(demo), lambda: AS_OF, C_LOCALE)
    qtbot.addWidget(tab)
    tab.resize(1000, 600)
    tab.show()
    tab.reload()
    return tab


def column(tab: MeetingsTab, col: MeetingColumn) -> list[str]:
    model = tab.model
    return [model.index(r, col).data() for r in range(model.rowCount())]


# -- meetings ----------------------------------------------------------------------------------


def test_meetings_tab_lists_every_meeting_with_its_state_in_words(
    meetings_tab: MeetingsTab, demo: Store
) -> None:
    expected = client_meetings(demo, meetings_tab.client_id, AS_OF)
    assert meetings_tab.model.rowCount() == len(expected) > 0
    states = column(meetings_tab, MeetingColumn.STATE)
    assert states == [f"{s}" for s in (_words(r.state) for r in expected)]
    assert any("Held" in s for s in states) and any("Proposed" in s for s in states)
    dates = column(meetings_tab, MeetingColumn.DATE)
    assert dates == sorted(dates)  # ISO dates in the C locale: oldest first
    counts = meetings_tab.model.counts()
    assert meetings_tab.span_buttons[Span.ALL].text() == f"All ({counts[Span.ALL]})"
    # The next planned meeting is selected and shown.
    selected = meetings_tab.selected()
    assert selected is not None and selected.is_planned(AS_OF)
    assert all(not r.is_planned(AS_OF) for r in expected if r.day < selected.day)


def _words(state: CellState) -> str:
    from vcio_desk.ui.models.year_model import STATE_GLYPH

    return f"{STATE_GLYPH[state]} {STATE_WORDS[state]}"


def test_filters_upcoming_and_past(meetings_tab: MeetingsTab) -> None:
    meetings_tab.set_span(Span.UPCOMING)
    upcoming = [meetings_tab.model.meeting_at(r) for r in range(meetings_tab.model.rowCount())]
    assert upcoming and all(r.day >= AS_OF and r.status is not MeetingStatus.HELD for r in upcoming)  # type: ignore[union-attr]
    meetings_tab.span_buttons[Span.PAST].click()
    past = [meetings_tab.model.meeting_at(r) for r in range(meetings_tab.model.rowCount())]
    assert past and all(not r.is_upcoming(AS_OF) for r in past)  # type: ignore[union-attr]
    assert meetings_tab.model.current_span is Span.PAST


def test_enter_and_double_click_open_the_meeting(qtbot, meetings_tab: MeetingsTab) -> None:
    selected = meetings_tab.selected()
    assert selected is not None and selected.meeting_id is not None
    meetings_tab.table.setFocus()
    with qtbot.waitSignal(meetings_tab.meeting_activated) as signal:
        qtbot.keyClick(meetings_tab.table, Qt.Key.Key_Return)
    assert signal.args == [selected.meeting_id]
    row = meetings_tab.model.row_of(selected.meeting_id)
    with qtbot.waitSignal(meetings_tab.meeting_activated) as signal:
        meetings_tab.open_index(meetings_tab.model.index(row, 0))
    assert signal.args == [selected.meeting_id]


def test_sorting_and_model_contract(qtmodeltester, meetings_tab: MeetingsTab) -> None:
    qtmodeltester.check(meetings_tab.model, force_py=True)
    meetings_tab.table.sortByColumn(MeetingColumn.DATE, Qt.SortOrder.DescendingOrder)
    dates = column(meetings_tab, MeetingColumn.DATE)
    assert dates == sorted(dates, reverse=True)


def test_a_missed_slot_explains_itself_instead_of_opening(
    qtbot, workspace: Store, tmp_path: Path
) -> None:
    with workspace.transaction() as s:
        type_id = s.scalar(select(m.MeetingType.id).where(m.MeetingType.key == "vcio_meeting"))
        client = m.Client(name="Solo")
        s.add(client)
        s.flush()
        rhythm = m.Rhythm(client_id=client.id, meeting_type_id=type_id)
        s.add(rhythm)
        s.flush()
        s.add(
            m.RhythmVersion(
                rhythm_id=rhythm.id,
                rrule="FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1",
                anchor_date=dt.date(2026, 7, 1),
                tolerance_days=5,
                effective_from=dt.date(2026, 7, 1),
            )
        )
        client_id = client.id
    tab = MeetingsTab(workspace, client_id, lambda: AS_OF, C_LOCALE)
    qtbot.addWidget(tab)
    tab.reload()
    assert column(tab, MeetingColumn.STATE) == [
        "✗ Missed: nothing was held",
        "✗ Missed: nothing was held",
    ]
    assert column(tab, MeetingColumn.PREP) == ["", ""]
    tab.table.selectRow(0)
    assert not tab.open_button.isEnabled()
    with qtbot.assertNotEmitted(tab.meeting_activated):
        tab.open_selected()
    assert "no meeting to open" in tab.notice_label.text()


def test_no_meetings_shows_a_message(qtbot, workspace: Store) -> None:
    with workspace.transaction() as s:
        client = m.Client(name="Empty")
        s.add(client)
        s.flush()
        client_id = client.id
    tab = MeetingsTab(workspace, client_id, lambda: AS_OF)
    qtbot.addWidget(tab)
    tab.show()
    tab.reload()
    assert tab.empty.isVisibleTo(tab) and not tab.table.isVisibleTo(tab)


# -- actions -----------------------------------------------------------------------------------


def test_actions_tab_shows_open_actions_with_overdue_highlighted(
    actions_tab: ActionsTab, demo: Store
) -> None:
    every = client_actions(demo, actions_tab.client_id)
    open_ = [a for a in every if a.is_open]
    model = actions_tab.model
    assert model.rowCount() == len(open_)
    assert actions_tab.open_filter.text() == f"Open ({len(open_)})"
    for row, action in enumerate(open_):
        status = model.index(row, STATUS).data()
        background = model.index(row, 0).data(Qt.ItemDataRole.BackgroundRole)
        assert action.is_overdue(AS_OF) == status.startswith("Overdue by")
        assert action.is_overdue(AS_OF) == (background is not None)
    actions_tab.all_filter.click()
    assert model.rowCount() == len(every)


def test_mark_done_and_reopen(qtbot, actions_tab: ActionsTab, demo: Store) -> None:
    actions_tab.table.selectRow(0)
    action = actions_tab.selected()
    assert action is not None and action.is_open
    with qtbot.waitSignal(actions_tab.changed):
        actions_tab.done_button.click()
    stored = {a.id: a for a in client_actions(demo, actions_tab.client_id)}
    assert (stored[action.id].status, stored[action.id].completed_on) == (
        ActionStatus.DONE,
        AS_OF,
    )
    assert actions_tab.model.row_of(action.id) == -1  # the open filter hides it now
    actions_tab.set_show_all(True)
    actions_tab.select(action.id)
    assert actions_tab.done_button.text() == "Re&open"
    actions_tab.done_button.click()
    assert {a.id: a for a in client_actions(demo, actions_tab.client_id)}[action.id].is_open


def test_open_the_source_meeting(qtbot, actions_tab: ActionsTab) -> None:
    actions_tab.table.selectRow(0)
    action = actions_tab.selected()
    assert action is not None and action.meeting_id is not None
    with qtbot.waitSignal(actions_tab.meeting_activated) as signal:
        actions_tab.table.setFocus()
        qtbot.keyClick(actions_tab.table, Qt.Key.Key_Return)
    assert signal.args == [action.meeting_id]


def test_new_and_edit_through_the_dialog(qtbot, actions_tab: ActionsTab, demo: Store) -> None:
    actions_tab.ask_action = lambda _p, people, action, today: ActionInput(
        "Renew the contract", owner=people[0].key, due_date=today
    )
    with qtbot.waitSignal(actions_tab.changed):
        actions_tab.new_button.click()
    (new,) = [
        a for a in client_actions(demo, actions_tab.client_id) if a.title == "Renew the contract"
    ]
    assert new.meeting_id is None and new.due_date == AS_OF
    actions_tab.select(new.id)
    actions_tab.ask_action = lambda _p, people, action, today: ActionInput(
        action.title + " (3 years)", owner=action.owner_key, due_date=action.due_date
    )
    actions_tab.edit_button.click()
    assert {a.id: a.title for a in client_actions(demo, actions_tab.client_id)}[new.id] == (
        "Renew the contract (3 years)"
    )


def test_read_only_workspace_can_only_look(qtbot, demo: Store, tmp_path: Path) -> None:
    client_id = busiest_client(demo)
    create_action(demo, ActionInput("Look only"), as_of=AS_OF, client_id=client_id)
    demo.close()
    with open_store(tmp_path / "ws.sqlite3", read_only=True) as reader:
        tab = ActionsTab(reader, client_id, lambda: AS_OF)
        qtbot.addWidget(tab)
        tab.reload()
        tab.table.selectRow(0)
        assert not tab.new_button.isEnabled()
        assert not tab.done_button.isEnabled() and not tab.edit_button.isEnabled()
        tab.toggle_done()  # does nothing
        assert all(a.is_open for a in client_actions(reader, client_id) if a.title == "Look only")
        tab.close()
