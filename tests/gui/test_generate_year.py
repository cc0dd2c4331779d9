"""'Generate year…': the dry run as a table, Apply writes it once, Close changes nothing."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget
from sqlalchemy import func, select

from vcio_desk.domain.errors import WorkspaceError
from vcio_desk.services.demo import build_demo
from vcio_desk.services.scheduler import ScheduleWindow, plan_schedule
from vcio_desk.services.settings import read_settings
from vcio_desk.store import Store, open_store
from vcio_desk.store import models as m
from vcio_desk.ui.dialogs import generate_year
from vcio_desk.ui.dialogs.generate_year import GenerateYearDialog
from vcio_desk.ui.main_window import MainWindow
from vcio_desk.ui.models.plan_model import PlanColumn, PlanModel, summary_line
from vcio_desk.ui.pages.year_page import YearPage

AS_OF = dt.date(2026, 11, 20)
SUMMARY = re.compile(
    r"^Would add (\d+) \((\d+) moved off their slot date\), remove (\d+); (\d+) conflicts?$"
)


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
def owner(qtbot) -> QWidget:
    """Dialogs always have a parent in the app; a parentless one waited on crashes at teardown."""
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def meetings(store: Store) -> int:
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(m.Meeting)) or 0


def planned_dialog(qtbot, store: Store, owner: QWidget, year: int = 2027) -> GenerateYearDialog:
    """The dialog once its dry run (started on construction) has arrived."""
    dialog = GenerateYearDialog(store, year, AS_OF, owner)
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10000)
    return dialog


def test_plan_model_passes_the_model_tester(qtmodeltester, store: Store) -> None:
    model = PlanModel()
    model.set_plan(plan_schedule(store, ScheduleWindow.year(2027), AS_OF))
    assert model.rowCount() > 0
    qtmodeltester.check(model)


def test_dry_run_lists_the_changes(qtbot, store: Store, owner: QWidget) -> None:
    before = meetings(store)
    dialog = planned_dialog(qtbot, store, owner)
    plan = dialog.plan
    assert plan is not None and plan.has_changes
    expected = plan_schedule(store, ScheduleWindow.year(2027), AS_OF)
    assert dialog.model.rowCount() == len(expected.added) + len(expected.removed)
    match = SUMMARY.match(dialog.summary_label.text())
    assert match, dialog.summary_label.text()
    assert [int(g) for g in match.groups()] == [
        len(expected.added),
        len(expected.moved),
        len(expected.removed),
        len(expected.conflicts),
    ]
    assert dialog.summary_label.text() == summary_line(expected)
    first = dialog.model.rows()[0]
    assert dialog.model.text(first, PlanColumn.SUBJECT) == first.item.subject
    changes = {dialog.model.text(r, PlanColumn.CHANGE) for r in dialog.model.rows()}
    assert changes <= {"+ Add", "→ Move", "− Remove"} | {t for t in changes if t.startswith("⚠ ")}
    moved = [r for r in dialog.model.rows() if r.change == "move"]
    assert moved and all(dialog.model.text(r, PlanColumn.WHY) for r in moved)
    assert dialog.apply_button.isEnabled()
    dialog.reject()  # Close: nothing written
    assert meetings(store) == before


def test_apply_writes_once_then_nothing_is_left(qtbot, store: Store, owner: QWidget) -> None:
    before = meetings(store)
    dialog = planned_dialog(qtbot, store, owner)
    adding = len(dialog.plan.added)
    removing = len(dialog.plan.removed)
    with qtbot.waitSignal(dialog.applied, timeout=10000) as applied:
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
        assert dialog.progress_box is not None and dialog.progress_box.isVisible()
    assert len(applied.args[0].added) == adding
    assert meetings(store) == before + adding - removing
    assert "Written" in dialog.outcome_label.text()
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10000)  # the check that follows
    assert not dialog.plan.has_changes
    assert dialog.model.rowCount() == 0
    assert not dialog.apply_button.isEnabled()
    assert dialog.summary_label.text().startswith("Nothing to change")
    assert not plan_schedule(store, ScheduleWindow.year(2027), AS_OF).has_changes


def test_cancel_before_writing_writes_nothing(qtbot, store: Store, owner: QWidget) -> None:
    before = meetings(store)
    dialog = planned_dialog(qtbot, store, owner)
    dialog.apply()
    box = dialog.progress_box
    assert box is not None
    box.canceled.emit()  # the Cancel button, pressed at once
    qtbot.waitUntil(lambda: not dialog.busy_now, timeout=10000)
    text = dialog.outcome_label.text()
    if text.startswith("Cancelled"):
        assert meetings(store) == before
    else:  # the write had already begun: it finished, whole
        assert "too late to cancel" in text
        assert not plan_schedule(store, ScheduleWindow.year(2027), AS_OF).has_changes


def test_errors_show_their_user_message(
    qtbot, store: Store, owner: QWidget, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    dialog = planned_dialog(qtbot, store, owner)

    def refuse(*_args: object) -> None:
        raise WorkspaceError("The workspace is open read-only; the schedule cannot be written.")

    monkeypatch.setattr(generate_year, "apply_schedule", refuse)
    with qtbot.waitSignal(dialog.failed, timeout=10000):
        dialog.apply()
    assert shown == ["The workspace is open read-only; the schedule cannot be written."]
    assert dialog.apply_button.isEnabled()


def test_generate_from_the_year_page(qtbot, store: Store) -> None:
    window = MainWindow(store, read_settings(store), lambda: AS_OF)
    qtbot.addWidget(window)
    window.resize(1300, 800)
    window.show()
    qtbot.waitExposed(window)
    page = window.page("year")
    assert isinstance(page, YearPage)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        window.show_page("year")
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.next_action.trigger()
    proposed_before = sum(
        1 for r in page.model.rows() for month in r.months for c in month if c.meeting_id
    )
    opened: list[QDialog] = []
    page.exec_dialog = opened.append
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    (dialog,) = opened
    assert isinstance(dialog, GenerateYearDialog)
    assert dialog.year == 2027
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10000)
    adding = len(dialog.plan.added)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        dialog.apply()
    qtbot.waitUntil(lambda: not dialog.busy_now, timeout=10000)
    after = sum(1 for r in page.model.rows() for month in r.months for c in month if c.meeting_id)
    assert after == proposed_before + adding
    assert "Schedule written for 2027" in window.statusBar().currentMessage()
    dialog.close()


def test_conflicts_and_removals_are_marked_in_words() -> None:
    from vcio_desk.services.scheduler import ScheduledMeeting, SchedulePlan

    def item(change: str, conflict: str | None = None) -> ScheduledMeeting:
        return ScheduledMeeting(
            meeting_id=None,
            rhythm_id=1,
            subject_kind="client",
            subject_id=1,
            subject="Acme",
            meeting_type_id=1,
            meeting_type="Technology Alignment review",
            slot=dt.date(2027, 3, 10),
            day=dt.date(2027, 3, 12),
            start_time=dt.time(10),
            timezone="UTC",
            duration_minutes=90,
            owner_id=1,
            owner="Dana",
            status="proposed",
            change=change,
            moved_because="2027-03-10 already has 2 meetings for Dana",
            conflict=conflict,
        )

    plan = SchedulePlan(ScheduleWindow.year(2027), AS_OF)
    plan.meetings = [item("move"), item("move", "No day within 5 days has room; kept 2027-03-12")]
    plan.removed = [item("remove")]
    model = PlanModel()
    model.set_plan(plan)
    assert summary_line(plan) == ("Would add 2 (2 moved off their slot date), remove 1; 1 conflict")
    texts = [
        (model.data(model.index(r, PlanColumn.CHANGE)), model.data(model.index(r, PlanColumn.WHY)))
        for r in range(model.rowCount())
    ]
    assert ("→ Move", "2027-03-10 already has 2 meetings for Dana") in texts
    assert (
        "⚠ Move (conflict)",
        "Conflict: No day within 5 days has room; kept 2027-03-12",
    ) in texts
    assert ("− Remove", "Its slot no longer exists (the rhythm changed)") in texts
    background = Qt.ItemDataRole.BackgroundRole
    for row, (change, _why) in enumerate(texts):
        highlighted = model.data(model.index(row, PlanColumn.CHANGE), background) is not None
        assert highlighted == change.startswith("⚠")
