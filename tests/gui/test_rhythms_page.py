"""The Rhythms page: loads on a worker, sorts by every column (flag by severity), filters,
exports formula-safe CSV, and the drift model passes Qt's model tests."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from sqlalchemy import update

from vcio_desk.domain.drift import Flag
from vcio_desk.domain.errors import WorkspaceError
from vcio_desk.services.demo import build_demo
from vcio_desk.services.drift import assess_all
from vcio_desk.services.drift_report import CSV_HEADER, days_overdue, ranked
from vcio_desk.store import Store
from vcio_desk.store import models as m
from vcio_desk.ui.models.drift_model import (
    FLAG_ROLE,
    Column,
    DriftFilter,
    DriftModel,
    drift_text,
    prepare_rows,
    sorted_rows,
)
from vcio_desk.ui.pages import rhythms_page
from vcio_desk.ui.pages.rhythms_page import RhythmsPage, SaveFileDialog
from vcio_desk.ui.preferences import ui_settings

AS_OF = dt.date(2026, 11, 20)
NASTY = '=HYPERLINK("x")'


@pytest.fixture
def demo(workspace: Store) -> Store:
    build_demo(workspace, clients=12, years=2, seed=3, as_of=AS_OF)
    return workspace


@pytest.fixture
def make_page(qtbot, demo: Store) -> Iterator[Callable[..., RhythmsPage]]:
    """Pages stay referenced until qtbot has closed them and run the pending events: a
    page dropped mid-test would be freed inside Qt's event dispatch (its finished worker
    operation, a child, holds it until its deferred delete runs)."""
    pages: list[RhythmsPage] = []

    def make(clock: Callable[[], dt.date] = lambda: AS_OF, **kwargs) -> RhythmsPage:
        page = RhythmsPage(demo, clock, **kwargs)
        qtbot.addWidget(page)
        page.resize(1400, 600)
        pages.append(page)
        return page

    yield make
    pages.clear()


@pytest.fixture
def page(qtbot, make_page) -> RhythmsPage:
    page = make_page()
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.show()
    return page


def subjects(page: RhythmsPage) -> list[str]:
    return [row.item.subject for row in page.model.rows()]


def choose(combo, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, f"{text!r} not offered"
    combo.setCurrentIndex(index)


def test_model_contract(qtmodeltester, demo: Store) -> None:
    model = DriftModel()
    model.set_rows(prepare_rows(ranked(assess_all(demo, AS_OF).rhythms)))
    assert model.rowCount() == 26
    qtmodeltester.check(model)
    model.set_filter(DriftFilter(flag=Flag.BROKEN))
    qtmodeltester.check(model)
    model.sort(Column.NEXT_DUE, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)


def test_loads_on_first_show_ranked_by_severity(qtbot, make_page) -> None:
    page = make_page()
    assert not page.is_loaded and page.model.rowCount() == 0, "nothing runs before it is shown"
    assert page.count_label.text() == "Loading rhythms…"
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.show()
    assert page.is_loaded and page.as_of == AS_OF
    assert page.model.rowCount() == page.model.total_count == 26
    assert page.count_label.text().startswith("26 of 26 rhythms")
    keys = [(r.flag.severity, -r.days_overdue) for r in page.model.rows()]
    assert keys == sorted(keys)
    assert page.model.rows()[0].flag is Flag.BROKEN
    assert subjects(page)[:2] == ["Copperfield Tooling", "Falconer Wealth Advisors"]


def test_every_cell_reads_as_text(page: RhythmsPage) -> None:
    model = page.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == [
        "Flag", "Subject", "Meeting type", "Reason", "Adherence", "Drift", "Last held",
        "Next due", "Booked", "Owner", "Account manager", "Tier",
    ]  # fmt: skip
    first = model.index(0, Column.OWNER)
    row = model.row_at(0)
    texts = [model.index(0, c).data() for c in range(model.columnCount())]
    assert texts[Column.FLAG] == "✗ Broken", "a glyph and a word, never colour alone"
    assert texts[Column.REASON] == row.item.assessment.reason
    assert texts[Column.SUBJECT] == "Copperfield Tooling"
    assert texts[Column.ADHERENCE].endswith("%")
    assert texts[Column.BOOKED] in ("Yes", "No")
    assert texts[Column.LAST_HELD] == model.date_text(row.item.assessment.last_held)
    assert first.data(Qt.ItemDataRole.ToolTipRole) is None
    flag_cell = model.index(0, Column.FLAG)
    assert flag_cell.data(Qt.ItemDataRole.ToolTipRole) == f"Broken: {row.item.assessment.reason}"
    assert flag_cell.data(FLAG_ROLE) == "broken", "the chip delegate reads a plain value"
    committee = next(r for r in model.rows() if r.item.subject == "Standards committee")
    assert model.display(committee, Column.TIER) == "Internal"
    assert model.display(committee, Column.BOOKED) == "No"
    assert model.display(committee, Column.FLAG) == "○ Unbooked"


def test_drift_days_are_signed_words() -> None:
    assert drift_text(8.2) == "+8 d late"
    assert drift_text(-3.4) == "−3 d early"
    assert drift_text(0.3) == "0 d"
    assert drift_text(None) == ""


def test_flag_sorts_by_severity_then_days_overdue(qtbot, page: RhythmsPage) -> None:
    header = page.table.horizontalHeader()
    qtbot.mouseClick(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        pos=QPoint(header.sectionViewportPosition(Column.SUBJECT) + 5, 5),
    )
    names = subjects(page)
    assert names == sorted(names, key=str.casefold), "clicking a header sorts by that column"
    page.model.sort(Column.FLAG, Qt.SortOrder.DescendingOrder)
    rows = page.model.rows()
    keys = [(r.flag.severity, -r.days_overdue) for r in rows]
    assert keys == sorted(keys, reverse=True)
    assert rows[-1].flag is Flag.BROKEN
    page.model.sort(Column.FLAG, Qt.SortOrder.AscendingOrder)
    rows = page.model.rows()
    assert [r.flag for r in rows[:5]] == [
        Flag.BROKEN, Flag.BROKEN, Flag.OVERDUE, Flag.OVERDUE, Flag.DRIFTING,
    ]  # fmt: skip
    overdue = [r for r in rows if r.flag is Flag.OVERDUE]
    assert [days_overdue(r.item) for r in overdue] == sorted(
        (days_overdue(r.item) for r in overdue), reverse=True
    )


@pytest.mark.parametrize("column", list(Column))
def test_every_column_sorts(page: RhythmsPage, column: Column) -> None:
    rows = page.model.rows()
    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        page.model.sort(column, order)
        shown = page.model.rows()
        assert sorted(map(id, shown)) == sorted(map(id, rows)), "sorting keeps every row"
        expected = sorted_rows(rows, column, order == Qt.SortOrder.DescendingOrder)
        assert [r.rhythm_id for r in shown] == [r.rhythm_id for r in expected]


def test_numbers_and_dates_sort_as_values(page: RhythmsPage) -> None:
    page.model.sort(Column.DRIFT, Qt.SortOrder.AscendingOrder)
    drifts = [r.item.assessment.drift_days for r in page.model.rows()]
    present = [d for d in drifts if d is not None]
    assert present == sorted(present) and drifts[: len(present)] == present, "missing last"
    page.model.sort(Column.NEXT_DUE, Qt.SortOrder.DescendingOrder)
    due = [r.item.assessment.next_due for r in page.model.rows() if r.item.assessment.next_due]
    assert due == sorted(due, reverse=True)


def test_text_filter_waits_for_the_typing_pause(qtbot, page: RhythmsPage) -> None:
    qtbot.keyClicks(page.filter_edit, "copper")
    assert page.model.rowCount() == 26, "filtering waits for the pause"
    qtbot.waitUntil(lambda: page.model.rowCount() < 26, timeout=2000)
    assert set(subjects(page)) == {"Copperfield Tooling"}
    page.filter_edit.setText("past tolerance")  # reasons are searched too
    page.apply_filter()
    assert page.model.rowCount() == 4
    assert {r.flag for r in page.model.rows()} == {Flag.BROKEN, Flag.OVERDUE}
    page.filter_edit.setText("zzz-nothing")
    page.apply_filter()
    assert page.stack.currentWidget() is page.message
    assert page.message.heading_label.text() == "No rhythms match"
    qtbot.mouseClick(page.message.button, Qt.MouseButton.LeftButton)
    assert page.model.rowCount() == 26 and page.filter_edit.text() == ""


def test_combos_filter_at_once(page: RhythmsPage) -> None:
    assert [page.flag_combo.itemText(i) for i in range(page.flag_combo.count())] == [
        "All flags", "✗ Broken", "! Overdue", "↝ Drifting", "○ Unbooked", "✓ On track",
    ]  # fmt: skip
    choose(page.flag_combo, "↝ Drifting")
    assert page.model.rowCount() == 3
    assert {r.flag for r in page.model.rows()} == {Flag.DRIFTING}
    page.clear_filters()

    owner = page.owner_combo.itemText(1)
    choose(page.owner_combo, owner)
    assert page.model.rowCount() > 0
    assert {r.item.owner for r in page.model.rows()} == {owner}
    page.clear_filters()

    manager = page.am_combo.itemText(1)
    choose(page.am_combo, manager)
    assert {r.item.account_manager for r in page.model.rows()} == {manager}
    page.clear_filters()

    assert [page.tier_combo.itemText(i) for i in range(page.tier_combo.count())] == [
        "All tiers", "A", "B", "C",
    ]  # fmt: skip
    choose(page.tier_combo, "A")
    assert {r.item.tier for r in page.model.rows()} == {"A"}
    choose(page.type_combo, "vCIO strategic meeting")
    assert {(r.item.tier, r.item.meeting_type) for r in page.model.rows()} == {
        ("A", "vCIO strategic meeting")
    }
    assert page.count_label.text().startswith(f"{page.model.rowCount()} of 26 rhythms")


def test_csv_export_is_formula_safe_and_remembers_the_folder(
    qtbot, demo: Store, make_page, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with demo.transaction() as session:
        session.execute(
            update(m.Client).where(m.Client.name == "Copperfield Tooling").values(name=NASTY)
        )
    page = make_page()
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.show()
    asked: list[Path] = []
    target = tmp_path / "exports" / "drift"
    target.parent.mkdir()

    def ask(_parent, _caption, suggested: Path, _filter) -> Path:
        asked.append(suggested)
        return target

    monkeypatch.setattr(SaveFileDialog, "ask", classmethod(lambda cls, *a: ask(*a)))
    with qtbot.waitSignal(page.exported, timeout=5000) as blocker:
        qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    written = blocker.args[0]
    assert written == target.with_suffix(".csv")
    data = written.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM for Excel"
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == CSV_HEADER
    assert len(rows) == 27
    assert rows[1][0] == "'" + NASTY, "a formula-looking subject is neutralised"
    assert not any(cell.startswith("=") for row in rows for cell in row)
    assert page.count_label.text().startswith("Saved drift.csv")

    page.clear_filters()
    choose(page.flag_combo, "✗ Broken")
    with qtbot.waitSignal(page.exported, timeout=5000):
        page.export_csv()
    rows = list(csv.reader(io.StringIO(written.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 3 and {r[6] for r in rows[1:]} == {"broken"}, "exports what is shown"
    assert asked[1].parent == target.parent, "the next export starts in the last folder"


def test_export_failure_is_a_message_not_a_traceback(
    qtbot, page: RhythmsPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "no-such-folder" / "out.csv"
    monkeypatch.setattr(SaveFileDialog, "ask", classmethod(lambda cls, *a: missing))
    messages: list[str] = []
    monkeypatch.setattr(
        rhythms_page.QMessageBox, "warning", lambda _parent, _title, text: messages.append(text)
    )
    page.export_csv()
    qtbot.waitUntil(lambda: bool(messages), timeout=5000)
    assert "does not exist" in messages[0]
    assert page.export_button.isEnabled()


def test_adherence_report_is_written_on_a_worker(
    qtbot, page: RhythmsPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[Path] = []

    def ask(cls, _parent, _caption, suggested: Path, _filter) -> Path:
        asked.append(suggested)
        return tmp_path / "adherence"

    monkeypatch.setattr(SaveFileDialog, "ask", classmethod(ask))
    assert page.report_button.isEnabled()
    with qtbot.waitSignal(page.exported, timeout=30_000) as blocker:
        qtbot.mouseClick(page.report_button, Qt.MouseButton.LeftButton)
    assert asked[0].name == "adherence-report-2026-11-20.pdf"
    assert blocker.args[0] == tmp_path / "adherence.pdf"
    assert (tmp_path / "adherence.pdf").read_bytes().startswith(b"%PDF")
    assert page.report_button.isEnabled()


def test_cancelled_dialog_writes_nothing(page: RhythmsPage, monkeypatch) -> None:
    monkeypatch.setattr(SaveFileDialog, "ask", classmethod(lambda cls, *a: None))
    page.export_csv()
    assert page.export_button.isEnabled()


def test_refresh_and_activation(qtbot, page: RhythmsPage) -> None:
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.refresh()
        page.refresh()  # a second request while running queues one more run
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        pass
    assert page.model.rowCount() == 26
    index = page.model.index(0, Column.REASON)
    with qtbot.waitSignal(page.subject_activated) as blocker:
        page.table.activated.emit(index)
    row = page.model.row_at(0).item
    assert blocker.args == [row.subject_kind, row.subject_id]


def test_the_date_moving_on_recomputes(qtbot, make_page) -> None:
    today = [AS_OF]
    page = make_page(lambda: today[0], day_check_ms=20)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.show()
    today[0] = AS_OF + dt.timedelta(days=1)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        pass
    assert page.as_of == AS_OF + dt.timedelta(days=1)


def test_column_layout_is_remembered_but_not_across_layouts(qtbot, make_page) -> None:
    first = make_page()
    with qtbot.waitSignal(first.loaded, timeout=10_000):
        first.show()
    first.table.horizontalHeader().resizeSection(Column.SUBJECT, 321)
    first.table.sortByColumn(Column.NEXT_DUE, Qt.SortOrder.DescendingOrder)
    first.hide()  # leaving the page saves its layout

    again = make_page()
    assert again.table.horizontalHeader().sectionSize(Column.SUBJECT) == 321
    with qtbot.waitSignal(again.loaded, timeout=10_000):
        again.show()
    due = [r.item.assessment.next_due for r in again.model.rows() if r.item.assessment.next_due]
    assert due == sorted(due, reverse=True), "the saved sort applies to fresh rows"

    ui_settings().setValue(rhythms_page.HEADER_COLUMNS_KEY, "Subject|Flag")  # an older layout
    fresh = make_page()
    assert fresh.table.horizontalHeader().sectionSize(Column.SUBJECT) != 321


def test_a_failed_load_offers_to_try_again(qtbot, make_page, monkeypatch) -> None:
    calls: list[dt.date] = []

    def broken(_store, as_of):
        calls.append(as_of)
        raise WorkspaceError("The workspace file is damaged.")

    monkeypatch.setattr(rhythms_page, "assess_all", broken)
    page = make_page()
    page.show()
    qtbot.waitUntil(lambda: page.message.button.isVisible(), timeout=10_000)
    assert page.message.text_label.text() == "The workspace file is damaged."
    assert page.message.button.text() == "Try again"
    qtbot.mouseClick(page.message.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(calls) == 2, timeout=10_000)
    qtbot.waitUntil(page.refresh_button.isEnabled, timeout=10_000)
