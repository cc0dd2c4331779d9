"""The meeting page: agenda, attendees, prep, notes (autosave, conflicts), actions, lifecycle.

Real workspaces with rows written through the ORM; the page's questions (dates,
reasons, action details, conflicts) are answered through its replaceable askers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QAbstractItemView
from sqlalchemy import select

from vcio_desk.domain.markup import parse
from vcio_desk.domain.vocab import ActionStatus, BodyKind, MeetingStatus
from vcio_desk.services.actions import ActionInput, client_actions, create_action
from vcio_desk.services.meeting_prep import meeting_detail, save_texts
from vcio_desk.services.settings import read_settings
from vcio_desk.store import Store, open_store
from vcio_desk.store import models as m
from vcio_desk.ui.dialogs.meeting_dialog import MeetingActions, MeetingDialog, MeetingHeader
from vcio_desk.ui.main_window import MainWindow
from vcio_desk.ui.models.action_model import ActionColumn, ActionModel
from vcio_desk.ui.models.agenda_model import AgendaColumn
from vcio_desk.ui.models.meeting_attendees_model import AttendeeColumn
from vcio_desk.ui.pages.meeting_page import MeetingPage
from vcio_desk.ui.widgets.action_panel import CARRIED_COLUMNS
from vcio_desk.ui.widgets.meeting_notes import blocks_to_html

AS_OF = dt.date(2026, 11, 20)
C_LOCALE = QLocale(QLocale.Language.C)
OFFSCREEN_NOISE = (
    r"This plugin does not support propagateSizeHints\(\)",  # as tests/gui/conftest.py
    r"This plugin does not support raise\(\)",  # raising a meeting window, offscreen
)


@dataclass
class World:
    ada: int
    sam: int
    planned: int
    """Acme's confirmed vCIO meeting, 2026-12-01 14:00 New York, 60 minutes."""
    earlier: int
    committee_meeting: int


@pytest.fixture
def world(workspace: Store) -> World:
    with workspace.transaction() as s:
        types = dict(s.execute(select(m.MeetingType.key, m.MeetingType.id)).all())
        ada = m.Staff(name="Ada Lovelace", is_vcio=True)
        ken = m.Staff(name="Ken Thompson", is_account_manager=True)
        s.add_all([ada, ken])
        s.flush()
        acme = m.Client(name="Acme <R&D>", timezone="America/New_York", vcio_id=ada.id)
        body = m.InternalBody(name="Standards committee", kind=BodyKind.STANDARDS_COMMITTEE)
        s.add_all([acme, body])
        s.flush()
        jo = m.Contact(client_id=acme.id, name="Jo Park", title="CEO", decision_maker=True)
        sam = m.Contact(client_id=acme.id, name="Sam Lee", title="Office manager")
        s.add_all([jo, sam])
        s.flush()

        def meeting(key: str, start: dt.datetime, status: MeetingStatus, **subject: int) -> int:
            row = m.Meeting(
                meeting_type_id=types[key],
                scheduled_start=start,
                scheduled_end=start + dt.timedelta(minutes=60),
                status=status,
                timezone="America/New_York",
                **subject,
            )
            s.add(row)
            s.flush()
            return row.id

        start = dt.datetime(2026, 12, 1, 19, 0, tzinfo=dt.UTC)
        planned = meeting(
            "vcio_meeting", start, MeetingStatus.CONFIRMED, client_id=acme.id, owner_id=ada.id
        )
        earlier = meeting(
            "vcio_meeting",
            start - dt.timedelta(days=91),
            MeetingStatus.HELD,
            client_id=acme.id,
            owner_id=ada.id,
        )
        committee = meeting(
            "standards_committee",
            start + dt.timedelta(days=2),
            MeetingStatus.PROPOSED,
            internal_body_id=body.id,
            owner_id=ada.id,
        )
        world = World(ada.id, sam.id, planned, earlier, committee)
    create_action(
        workspace,
        ActionInput("Replace the firewall", due_date=dt.date(2026, 10, 1)),
        as_of=AS_OF,
        meeting_id=earlier,
    )
    return world


@pytest.fixture
def open_page(qtbot):
    def make(store: Store, meeting_id: int) -> MeetingPage:
        page = MeetingPage(store, meeting_id, lambda: AS_OF, locale=C_LOCALE)
        qtbot.addWidget(page)
        page.resize(1280, 800)
        page.show()
        qtbot.waitExposed(page)
        page.reload()
        page.notices = []  # type: ignore[attr-defined]
        page.actions.notify = lambda _parent, text: page.notices.append(text)  # type: ignore[attr-defined]
        for editor in page.editors:
            editor.timer.setInterval(20)  # autosave quickly in tests
        return page

    return make


@pytest.fixture
def page(open_page, workspace: Store, world: World) -> MeetingPage:
    return open_page(workspace, world.planned)


def agenda_titles(page: MeetingPage) -> list[str]:
    model = page.agenda.model
    return [model.index(r, AgendaColumn.TITLE).data() for r in range(model.rowCount())]


# -- opening -----------------------------------------------------------------------------------


def test_opens_with_header_template_agenda_attendees_and_prep(
    page: MeetingPage, world: World
) -> None:
    header = page.header
    assert header.title_label.text() == "vCIO strategic meeting"
    assert header.subject_label.text() == "— Acme <R&D>"
    assert header.subject_label.textFormat() == Qt.TextFormat.PlainText
    assert header.when_label.text().startswith("Tue 2026-12-01, 14:00–15:00 (America/New_York)")
    assert header.status_label.text() == "● Confirmed"
    assert page.windowTitle().startswith("vCIO strategic meeting — Acme <R&D> — 2026-12-01")
    assert not header.confirm_button.isEnabled() and header.held_button.isEnabled()
    assert agenda_titles(page)[0] == "Business update and goals"
    assert page.agenda.total_label.text() == "Total 60 of 60 min"
    assert page.agenda.warning_box.isHidden()
    names = [
        page.attendees.model.index(r, AttendeeColumn.NAME).data()
        for r in range(page.attendees.model.rowCount())
    ]
    assert names == ["Ada Lovelace", "Jo Park"]
    assert page.prep.list.count() == 6 and page.prep.count_label.text() == "0 of 6 done"
    carried = page.action_panel.carried.model
    assert carried.rowCount() == 1
    assert carried.index(0, 0).data() == "Replace the firewall"
    due = carried.index(0, CARRIED_COLUMNS.index(ActionColumn.DUE))
    assert due.data() == "2026-10-01"
    assert due.data(Qt.ItemDataRole.ToolTipRole) == "Overdue by 50 days"
    raised = carried.index(0, CARRIED_COLUMNS.index(ActionColumn.RAISED))
    assert raised.data() == "vCIO 2026-09-01"
    assert raised.data(Qt.ItemDataRole.ToolTipRole) == "vCIO strategic meeting, 2026-09-01"
    assert not header.read_only_label.isVisibleTo(page)


def test_models_pass_the_model_tester(qtmodeltester, page: MeetingPage) -> None:
    qtmodeltester.check(page.agenda.model, force_py=True)
    qtmodeltester.check(page.attendees.model, force_py=True)
    qtmodeltester.check(page.action_panel.carried.model, force_py=True)


# -- agenda ------------------------------------------------------------------------------------


def test_agenda_edits_are_saved_and_undone(qtbot, page: MeetingPage, workspace: Store) -> None:
    model = page.agenda.model
    first_id = page.detail.agenda[0].id  # type: ignore[union-attr]
    assert model.setData(model.index(0, AgendaColumn.TITLE), "Welcome and goals")
    qtbot.waitUntil(lambda: agenda_titles(page)[0] == "Welcome and goals")
    assert meeting_detail(workspace, page.meeting_id).agenda[0].title == "Welcome and goals"

    model.setData(model.index(0, AgendaColumn.MINUTES), 25)
    qtbot.waitUntil(lambda: page.agenda.total_label.text() == "Total 75 of 60 min")
    assert page.agenda.warning_box.isVisibleTo(page)
    assert "15 minutes too many" in page.agenda.warning_label.text()

    page.undo_action.trigger()
    assert page.agenda.warning_box.isHidden()
    page.undo_action.trigger()
    assert agenda_titles(page)[0] == "Business update and goals"
    assert meeting_detail(workspace, page.meeting_id).agenda[0].id == first_id
    page.redo_action.trigger()
    assert agenda_titles(page)[0] == "Welcome and goals"


def test_refused_edit_is_reported_and_nothing_changes(qtbot, page: MeetingPage) -> None:
    model = page.agenda.model
    model.setData(model.index(1, AgendaColumn.TITLE), "   x   ")
    qtbot.waitUntil(lambda: agenda_titles(page)[1] == "x")
    model.setData(model.index(1, AgendaColumn.MINUTES), 5000)
    qtbot.waitUntil(lambda: bool(page.notices))  # type: ignore[attr-defined]
    assert "between 0 and" in page.notices[0]  # type: ignore[attr-defined]
    assert page.detail.agenda[1].minutes == 10  # type: ignore[union-attr]


def test_add_remove_and_reorder_with_the_keyboard(qtbot, page: MeetingPage) -> None:
    before = agenda_titles(page)
    page.agenda.add_button.click()
    assert agenda_titles(page) == [*before, "New item"]
    assert page.agenda.table.state() == QAbstractItemView.State.EditingState  # type the title
    page.go_back()  # Esc while editing cancels the edit, not the window
    assert page.isVisible()
    assert page.agenda.table.state() != QAbstractItemView.State.EditingState

    page.agenda.select_row(0)
    page.agenda.table.setFocus()
    qtbot.keyClick(page.agenda.table, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert agenda_titles(page)[:2] == [before[1], before[0]]
    assert page.agenda.selected_item().title == before[0]  # type: ignore[union-attr]
    qtbot.keyClick(page.agenda.table, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert agenda_titles(page)[:2] == before[:2]

    page.agenda.select_row(2)
    qtbot.keyClick(page.agenda.table, Qt.Key.Key_Delete)
    assert before[2] not in agenda_titles(page)
    qtbot.keyClick(page, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert agenda_titles(page) == [*before, "New item"]  # back in its place


# -- attendees and prep ------------------------------------------------------------------------


def test_invite_mark_present_and_remove(qtbot, page: MeetingPage, workspace: Store) -> None:
    panel = page.attendees
    index = next(
        i for i in range(panel.candidates.count()) if panel.candidates.itemText(i).startswith("Sam")
    )
    panel.candidates.setCurrentIndex(index)
    panel.invite_button.click()
    assert panel.model.rowCount() == 3
    assert panel.count_label.text() == "3 invited"

    model = panel.model
    sam_row = next(r for r in range(3) if model.attendee_at(r).name == "Sam Lee")  # type: ignore[union-attr]
    model.setData(
        model.index(sam_row, AttendeeColumn.PRESENT),
        Qt.CheckState.Checked,
        Qt.ItemDataRole.CheckStateRole,
    )
    qtbot.waitUntil(lambda: panel.count_label.text() == "3 invited, 1 present")
    stored = {a.name: a.present for a in meeting_detail(workspace, page.meeting_id).attendees}
    assert stored["Sam Lee"] is True and stored["Jo Park"] is None

    panel.candidates.setEditText("Pat Auditor")
    panel.invite()
    assert "Pat Auditor" in [model.attendee_at(r).name for r in range(model.rowCount())]  # type: ignore[union-attr]

    panel.table.selectRow(0)
    panel.remove_button.click()
    assert model.rowCount() == 3
    page.undo_action.trigger()
    assert model.rowCount() == 4


def test_prep_ticks_are_stored(qtbot, page: MeetingPage, workspace: Store) -> None:
    page.prep.list.item(1).setCheckState(Qt.CheckState.Checked)
    qtbot.waitUntil(lambda: page.prep.count_label.text() == "1 of 6 done")
    assert meeting_detail(workspace, page.meeting_id).prep[1].done is True


# -- notes -------------------------------------------------------------------------------------


def test_notes_autosave_after_a_pause(qtbot, page: MeetingPage, workspace: Store) -> None:
    page.tabs.setCurrentIndex(1)
    editor = page.client_notes
    editor.edit.setFocus()
    qtbot.keyClicks(editor.edit, "- **Budget** agreed")
    assert editor.state_label.text() == "Editing…"
    qtbot.waitUntil(lambda: editor.state_label.text() == "Saved")
    assert meeting_detail(workspace, page.meeting_id).client_notes == "- **Budget** agreed"
    editor.show_preview(True)
    assert editor.preview.toPlainText() == "Budget agreed"  # the markers are gone
    assert 'font-weight:700;">Budget</span>' in editor.preview.toHtml()
    assert editor.stack.currentWidget() is editor.preview


def test_closing_saves_what_was_typed(qtbot, page: MeetingPage, workspace: Store) -> None:
    for editor in page.editors:
        editor.timer.setInterval(60_000)  # no pause: only the close can save it
    page.decisions.edit.setPlainText("Move to the cloud")
    page.internal_notes.edit.setPlainText("Budget is tight")
    page.close()
    detail = meeting_detail(workspace, page.meeting_id)
    assert (detail.decisions, detail.internal_notes) == ("Move to the cloud", "Budget is tight")


def test_notes_changed_elsewhere_ask_whose_version_stays(
    page: MeetingPage, workspace: Store
) -> None:
    asked: list[list[str]] = []
    answer = {"keep": True}
    page.ask_overwrite = lambda _p, headings: asked.append(list(headings)) or answer["keep"]

    page.internal_notes.edit.setPlainText("mine")
    page.client_notes.edit.setPlainText("client text")
    version = meeting_detail(workspace, page.meeting_id).head.row_version
    save_texts(workspace, page.meeting_id, version, internal_notes="theirs")
    assert page.save_notes()
    assert asked == [["Internal notes"]]  # the client notes were not touched elsewhere
    detail = meeting_detail(workspace, page.meeting_id)
    assert (detail.internal_notes, detail.client_notes) == ("mine", "client text")

    answer["keep"] = False
    page.internal_notes.edit.setPlainText("mine again")
    version = meeting_detail(workspace, page.meeting_id).head.row_version
    save_texts(workspace, page.meeting_id, version, internal_notes="theirs again")
    assert page.save_notes()
    assert page.internal_notes.text() == "theirs again"
    assert "mine again" in QGuiApplication.clipboard().text()
    assert meeting_detail(workspace, page.meeting_id).internal_notes == "theirs again"


# -- actions -----------------------------------------------------------------------------------


def test_new_action_mark_done_and_carried_close_with_undo(
    page: MeetingPage, workspace: Store, world: World
) -> None:
    seen = []

    def answer(_parent, people, action, today):
        seen.append(([p.name for p in people], action, today))
        return ActionInput("Send the roadmap", owner=("contact", world.sam), due_date=AS_OF)

    page.ask_action = answer
    page.action_panel.new_button.click()
    assert seen[0][0] == ["Ada Lovelace", "Ken Thompson", "Jo Park", "Sam Lee"]
    raised = page.action_panel.raised
    assert raised.model.rowCount() == 1
    assert raised.model.index(0, 1).data() == "Sam Lee"

    raised.table.selectRow(0)
    assert raised.done_button.text() == "Mark &done"
    raised.done_button.click()
    assert raised.model.index(0, 3).data() == "Done 2026-11-20"
    assert raised.done_button.text() == "Re&open"

    carried = page.action_panel.carried
    carried.table.selectRow(0)
    carried.done_button.click()
    assert carried.model.rowCount() == 0
    statuses = {a.title: a.status for a in client_actions(workspace, page.detail.head.subject_id)}  # type: ignore[union-attr]
    assert statuses["Replace the firewall"] is ActionStatus.DONE
    page.undo_action.trigger()
    assert carried.model.rowCount() == 1


def test_action_model_highlights_overdue(qtmodeltester, workspace: Store, world: World) -> None:
    model = ActionModel(CARRIED_COLUMNS, locale=C_LOCALE)
    actions = client_actions(workspace, meeting_detail(workspace, world.planned).head.subject_id)
    model.set_actions(actions, AS_OF)
    qtmodeltester.check(model, force_py=True)
    assert model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    model.set_actions(actions, dt.date(2026, 9, 1))
    assert model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is None


# -- lifecycle, internal bodies, read-only -----------------------------------------------------


def test_lifecycle_from_the_header_with_its_own_undo(
    open_page, workspace: Store, world: World
) -> None:
    page = open_page(workspace, world.committee_meeting)
    assert page.header.subject_label.text() == "— Standards committee (internal)"
    page.header.confirm_button.click()
    assert page.header.status_label.text() == "● Confirmed"
    page.undo_action.trigger()
    assert page.header.status_label.text().startswith("○ Proposed")
    page.ask_held_date = lambda _parent, default: default - dt.timedelta(days=30)
    assert page.mark_held() is True
    assert page.header.status_label.text() == "✓ Held on 2026-11-03"


def test_internal_meeting_offers_staff_only(open_page, workspace: Store, world: World) -> None:
    page = open_page(workspace, world.committee_meeting)
    panel = page.attendees
    labels = [panel.candidates.itemText(i) for i in range(panel.candidates.count())]
    assert labels == ["Ken Thompson (Account manager)"]
    panel.candidates.setEditText("A Guest")
    panel.invite()
    assert [a.name for a in meeting_detail(workspace, world.committee_meeting).attendees] == [
        "Ada Lovelace"
    ]


def test_read_only_workspace_is_view_only(
    open_page, workspace: Store, world: World, tmp_path: Path
) -> None:
    workspace.close()
    with open_store(tmp_path / "ws.sqlite3", read_only=True) as reader:
        page = open_page(reader, world.planned)
        assert page.header.read_only_label.isVisibleTo(page)
        assert not page.header.reschedule_button.isEnabled()
        assert not page.agenda.add_button.isEnabled()
        assert (
            not page.agenda.model.flags(page.agenda.model.index(0, 1))
            if page.agenda.model.rowCount()
            else True
        )
        assert page.client_notes.edit.isReadOnly()
        assert not page.action_panel.new_button.isEnabled()
        assert not page.attendees.invite_button.isEnabled()
        page.close()


def test_a_meeting_removed_elsewhere(page: MeetingPage, workspace: Store) -> None:
    with workspace.transaction() as s:
        s.delete(s.get(m.Meeting, page.meeting_id))
    page.reload()
    assert page.header.title_label.text() == "Meeting not found"
    assert "no longer exists" in page.header.status_label.text()
    assert not page.agenda.add_button.isEnabled()


# -- windows -----------------------------------------------------------------------------------


@pytest.mark.qt_log_ignore(*OFFSCREEN_NOISE)
def test_main_window_opens_one_window_per_meeting(qtbot, workspace: Store, world: World) -> None:
    window = MainWindow(workspace, read_settings(workspace), lambda: AS_OF)
    qtbot.addWidget(window)
    first = window.open_meeting(world.planned)
    assert window.open_meeting(world.planned) is first
    assert first.isWindow() and first.isVisible()
    other = window.open_meeting(world.committee_meeting)
    assert other is not first
    first.editors[2].edit.setPlainText("Decided at close")  # type: ignore[attr-defined]
    window.close()  # closing the app saves every open meeting's notes
    assert meeting_detail(workspace, world.planned).decisions == "Decided at close"


def test_year_dialog_opens_the_meeting_page(qtbot, workspace: Store, world: World) -> None:
    opened: list[int] = []
    parent = MeetingPage(workspace, world.planned, lambda: AS_OF)
    qtbot.addWidget(parent)
    actions = MeetingActions(workspace, lambda: AS_OF, parent)
    header = MeetingHeader(world.planned, "Acme", "vCIO strategic meeting", "Ada", None)
    dialog = MeetingDialog(header, actions, parent, open_page=opened.append)
    assert dialog.page_button.isVisibleTo(dialog)
    dialog.page_button.click()
    assert opened == [world.planned]
    bare = MeetingDialog(header, actions, parent)
    assert not bare.page_button.isVisibleTo(bare)
    bare.close()


def test_markup_preview_escapes_user_text() -> None:
    html = blocks_to_html(parse("<script>x</script> & **b**\n\n- one\n2. two"))
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp;" in html
    assert '<ul><li>one</li></ul><ol start="2"><li>two</li></ol>' in html


def test_a_window_that_cannot_save_asks_before_closing(page: MeetingPage, workspace: Store) -> None:
    asked: list[str] = []
    answers = [False, True]
    page.ask_close_unsaved = lambda _p, message: asked.append(message) or answers.pop(0)
    page.client_notes.edit.setPlainText("Typed before the meeting vanished")
    with workspace.transaction() as s:
        s.delete(s.get(m.Meeting, page.meeting_id))
    assert not page.close()  # kept open: the text is still in the box
    assert page.isVisible() and page.client_notes.text() == "Typed before the meeting vanished"
    assert "no longer exists" in asked[0]
    assert page.close()
    assert "Typed before the meeting vanished" in QGuiApplication.clipboard().text()


def test_ctrl_o_in_the_year_dialog_opens_the_page(qtbot, workspace: Store, world: World) -> None:
    opened: list[int] = []
    parent = MeetingPage(workspace, world.planned, lambda: AS_OF)
    qtbot.addWidget(parent)
    actions = MeetingActions(workspace, lambda: AS_OF, parent)
    header = MeetingHeader(world.planned, "Acme", "vCIO strategic meeting", "Ada", None)
    dialog = MeetingDialog(header, actions, parent, open_page=opened.append)
    dialog.show()
    assert dialog.page_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Open)
    dialog.page_action.trigger()
    assert opened == [world.planned]
    assert not dialog.isVisible()
