"""The meeting dialog opened from the Year page: confirm, reschedule, cancel, mark held, undo."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QDialog

from vcio_desk.domain.vocab import MeetingStatus
from vcio_desk.services.demo import build_demo
from vcio_desk.services.meetings import snapshot_meeting
from vcio_desk.services.settings import read_settings
from vcio_desk.services.year_grid import CellState
from vcio_desk.store import Store, open_store
from vcio_desk.store import models as m
from vcio_desk.ui.dialogs.meeting_dialog import CancelDialog, HeldDialog, MeetingDialog
from vcio_desk.ui.main_window import MainWindow
from vcio_desk.ui.models.year_model import Chip
from vcio_desk.ui.pages.year_page import YearPage

AS_OF = dt.date(2026, 11, 20)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "template.sqlite3"
    with open_store(path) as store:
        build_demo(store, clients=8, years=2, seed=4, as_of=AS_OF)
    return path


@pytest.fixture
def store(demo_file: Path, tmp_path: Path) -> Iterator[Store]:
    path = tmp_path / "ws.sqlite3"
    with closing(sqlite3.connect(demo_file)) as source, closing(sqlite3.connect(path)) as copy:
        source.backup(copy)
    with open_store(path) as opened:
        yield opened


@pytest.fixture
def window(qtbot, store: Store) -> MainWindow:
    window = MainWindow(store, read_settings(store), lambda: AS_OF)
    qtbot.addWidget(window)
    window.resize(1400, 860)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def page(qtbot, window: MainWindow) -> YearPage:
    page = window.page("year")
    assert isinstance(page, YearPage)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        window.show_page("year")
    return page


@pytest.fixture
def told(page: YearPage) -> list[str]:
    """Messages the page and its undo steps would show in a box."""
    messages: list[str] = []
    page.notify = lambda _parent, text: messages.append(text)
    page.meeting_actions.notify = lambda _parent, text: messages.append(text)
    return messages


def find_chip(page: YearPage, state: CellState) -> tuple[int, Chip]:
    for row in range(page.model.rowCount()):
        for month in range(1, 13):
            for chip in page.model.chips(row, month):
                if chip.state is state and chip.meeting_id is not None:
                    return row, chip
    pytest.fail(f"no {state} meeting in the demo's 2026")


def open_dialog(page: YearPage, state: CellState) -> MeetingDialog:
    opened: list[QDialog] = []
    page.exec_dialog = opened.append
    row, chip = find_chip(page, state)
    page.open_chip(page.model.row_at(row), chip)
    (dialog,) = opened
    assert isinstance(dialog, MeetingDialog)
    dialog.show()
    return dialog


def status(store: Store, meeting_id: int) -> MeetingStatus:
    return snapshot_meeting(store, meeting_id).status


def chip_state(page: YearPage, meeting_id: int) -> CellState:
    for row in range(page.model.rowCount()):
        for month in range(1, 13):
            for chip in page.model.chips(row, month):
                if chip.meeting_id == meeting_id:
                    return chip.state
    pytest.fail(f"meeting {meeting_id} is not in the grid")


def activate(qtbot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def test_dialog_shows_the_meeting(qtbot, page: YearPage, store: Store) -> None:
    dialog = open_dialog(page, CellState.CONFIRMED)
    snapshot = snapshot_meeting(store, dialog.header.meeting_id)
    local = snapshot.local_start
    end = snapshot.scheduled_end.astimezone(local.tzinfo)
    assert f"{local:%H:%M}–{end:%H:%M}" in dialog.when_label.text()
    assert f"({snapshot.timezone})" in dialog.when_label.text()
    assert dialog.status_label.text() == "● Confirmed"
    assert dialog.subject_label.text() == dialog.header.subject
    assert not dialog.confirm_button.isEnabled()
    assert dialog.reschedule_button.isEnabled() and dialog.cancel_button.isEnabled()
    dialog.close()


def test_confirm_then_undo_and_redo(qtbot, window, page: YearPage, store: Store) -> None:
    dialog = open_dialog(page, CellState.PROPOSED)
    meeting_id = dialog.header.meeting_id
    before = snapshot_meeting(store, meeting_id)
    assert dialog.confirm_button.isEnabled()
    with qtbot.waitSignal(page.loaded, timeout=10000):
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert status(store, meeting_id) is MeetingStatus.CONFIRMED
    assert dialog.status_label.text() == "● Confirmed"
    assert not dialog.confirm_button.isEnabled()
    assert chip_state(page, meeting_id) is CellState.CONFIRMED
    assert page.undo_action.isEnabled()
    assert page.undo_action.text() == (
        f"Undo Confirm {dialog.header.meeting_type} for {dialog.header.subject}"
    )
    dialog.close()

    activate(qtbot, window)
    # In the main window Ctrl+Z belongs to Edit → Undo, which acts on the page in view.
    assert QKeySequence(QKeySequence.StandardKey.Undo) in window.undo_menu_action.shortcuts()
    with qtbot.waitSignal(page.loaded, timeout=10000):
        qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    after_undo = snapshot_meeting(store, meeting_id)
    assert after_undo.status is MeetingStatus.PROPOSED
    assert after_undo.user_touched == before.user_touched
    assert chip_state(page, meeting_id) is CellState.PROPOSED

    assert QKeySequence("Ctrl+Shift+Z") in window.redo_menu_action.shortcuts()
    with qtbot.waitSignal(page.loaded, timeout=10000):
        qtbot.keyClick(
            window,
            Qt.Key.Key_Z,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
    assert status(store, meeting_id) is MeetingStatus.CONFIRMED
    assert chip_state(page, meeting_id) is CellState.CONFIRMED


def test_cancel_dialog_requires_a_reason(qtbot, page: YearPage) -> None:
    dialog = CancelDialog("the review", page)
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.reason_edit, "   ")
    assert not dialog.ok_button.isEnabled()
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    qtbot.keyClicks(dialog.reason_edit, "Client asked to skip")
    assert dialog.ok_button.isEnabled()


def test_cancel_with_a_reason_and_undo(
    qtbot, page: YearPage, store: Store, told: list[str]
) -> None:
    dialog = open_dialog(page, CellState.CONFIRMED)
    meeting_id = dialog.header.meeting_id
    dialog.ask_cancel_reason = lambda _parent, _what: None  # "Keep it"
    assert dialog.cancel_meeting() is False
    dialog.ask_cancel_reason = lambda _parent, _what: "   "
    assert dialog.cancel_meeting() is False
    assert told and "needs a reason" in told[-1]
    assert status(store, meeting_id) is MeetingStatus.CONFIRMED
    assert page.undo_stack.count() == 0

    dialog.ask_cancel_reason = lambda _parent, _what: "Client office move"
    with qtbot.waitSignal(page.loaded, timeout=10000):
        assert dialog.cancel_meeting() is True
    snapshot = snapshot_meeting(store, meeting_id)
    assert (snapshot.status, snapshot.cancel_reason) == (
        MeetingStatus.CANCELLED,
        "Client office move",
    )
    assert dialog.status_label.text() == "⊘ Cancelled: Client office move"
    assert not dialog.cancel_button.isEnabled() and not dialog.held_button.isEnabled()
    assert chip_state(page, meeting_id) is CellState.CANCELLED
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.undo_action.trigger()
    assert status(store, meeting_id) is MeetingStatus.CONFIRMED
    assert dialog.status_label.text() == "● Confirmed", "the open dialog follows undo"
    dialog.close()


def test_reschedule_keeps_the_slot(qtbot, page: YearPage, store: Store) -> None:
    dialog = open_dialog(page, CellState.CONFIRMED)
    meeting_id = dialog.header.meeting_id
    with store.session() as session:
        row = session.get(m.Meeting, meeting_id)
        slot, rhythm, zone = row.slot_date, row.rhythm_id, row.timezone
    before = snapshot_meeting(store, meeting_id)
    asked = []
    new_day = before.local_start.date() + dt.timedelta(days=3)

    def ask(_parent, current, timezone):
        asked.append((current, timezone))
        return new_day, dt.time(15, 30)

    dialog.ask_reschedule = ask
    with qtbot.waitSignal(page.loaded, timeout=10000):
        assert dialog.reschedule() is True
    assert asked == [(before.local_start, zone)]
    after = snapshot_meeting(store, meeting_id)
    local = after.scheduled_start.astimezone(ZoneInfo(zone))
    assert (local.date(), local.hour, local.minute) == (new_day, 15, 30)
    assert after.scheduled_end - after.scheduled_start == (
        before.scheduled_end - before.scheduled_start
    )
    with store.session() as session:
        row = session.get(m.Meeting, meeting_id)
        assert (row.slot_date, row.rhythm_id) == (slot, rhythm)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.undo_action.trigger()
    assert snapshot_meeting(store, meeting_id).scheduled_start == before.scheduled_start
    dialog.close()


def test_reschedule_dialog_has_date_and_time_pickers(qtbot, page: YearPage) -> None:
    start = dt.datetime(2026, 12, 3, 14, 0, tzinfo=ZoneInfo("Europe/London"))
    dialog = HeldDialog(dt.date(2026, 12, 3), page)
    qtbot.addWidget(dialog)
    assert dialog.date_edit.calendarPopup()
    assert dialog.value() == dt.date(2026, 12, 3)
    from vcio_desk.ui.dialogs.meeting_dialog import RescheduleDialog

    reschedule = RescheduleDialog(start, "Europe/London", page)
    qtbot.addWidget(reschedule)
    assert reschedule.date_edit.calendarPopup()
    assert reschedule.value() == (dt.date(2026, 12, 3), dt.time(14, 0))


def test_mark_held_defaults_to_the_scheduled_day(
    qtbot, page: YearPage, store: Store, told: list[str]
) -> None:
    dialog = open_dialog(page, CellState.CONFIRMED)
    meeting_id = dialog.header.meeting_id
    scheduled = snapshot_meeting(store, meeting_id).local_start.date()
    assert scheduled > AS_OF, "the demo's confirmed meetings are still to come"
    defaults: list[dt.date] = []

    def ask(_parent, default):
        defaults.append(default)
        return default

    dialog.ask_held_date = ask
    assert dialog.mark_held() is False  # the scheduled day is after today: refused
    assert defaults == [scheduled]
    assert told and "after today" in told[-1]
    assert status(store, meeting_id) is MeetingStatus.CONFIRMED
    assert page.undo_stack.count() == 0

    dialog.ask_held_date = lambda _parent, _default: AS_OF
    with qtbot.waitSignal(page.loaded, timeout=10000):
        assert dialog.mark_held() is True
    snapshot = snapshot_meeting(store, meeting_id)
    assert (snapshot.status, snapshot.held_date) == (MeetingStatus.HELD, AS_OF)
    assert dialog.status_label.text().startswith("✓ Held on ")
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.undo_action.trigger()
    snapshot = snapshot_meeting(store, meeting_id)
    assert (snapshot.status, snapshot.held_date) == (MeetingStatus.CONFIRMED, None)
    dialog.close()


def test_undo_of_a_deleted_meeting_is_reported(
    qtbot, page: YearPage, store: Store, told: list[str]
) -> None:
    dialog = open_dialog(page, CellState.PROPOSED)
    meeting_id = dialog.header.meeting_id
    with qtbot.waitSignal(page.loaded, timeout=10000):
        assert dialog.confirm() is True
    dialog.close()
    with store.transaction() as session:  # deleted elsewhere (another window, an import)
        session.delete(session.get(m.Meeting, meeting_id))
    page.undo_action.trigger()
    qtbot.waitUntil(lambda: bool(told), timeout=2000)
    assert "no longer exists" in told[-1]
    assert page.undo_stack.count() == 0, "a step that cannot be undone is dropped"
