"""The Year page on a real demo workspace: loading, filters, navigation, chips, capacity,
opening meetings and exporting a calendar."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import icalendar
import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from vcio_desk.services.demo import build_demo
from vcio_desk.services.settings import read_settings
from vcio_desk.services.year_grid import CapacityRow, CellState, GridMeeting, year_grid
from vcio_desk.store import Store, open_store
from vcio_desk.ui.dialogs.calendar_export_dialog import EXPORT_FOLDER, CalendarExportDialog
from vcio_desk.ui.dialogs.meeting_dialog import MeetingDialog
from vcio_desk.ui.main_window import MainWindow
from vcio_desk.ui.models.capacity_model import CapacityModel
from vcio_desk.ui.models.year_model import (
    CHIPS_ROLE,
    STATE_GLYPH,
    Chip,
    YearFilter,
    YearModel,
    chip_text,
    filter_rows,
    prepare_rows,
)
from vcio_desk.ui.pages.year_page import YearPage
from vcio_desk.ui.preferences import ui_settings
from vcio_desk.ui.widgets.year_delegate import CHIP_STYLES, fitted_text, visible_chips

AS_OF = dt.date(2026, 11, 20)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo is built once per module; each test gets its own copy of the file."""
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
    window.resize(1500, 900)
    window.show()
    qtbot.waitExposed(window)
    return window


def year_page(window: MainWindow) -> YearPage:
    page = window.page("year")
    assert isinstance(page, YearPage)
    return page


@pytest.fixture
def page(qtbot, window: MainWindow) -> YearPage:
    page = year_page(window)
    assert not page.is_loaded, "the page loads when shown, not when built"
    with qtbot.waitSignal(page.loaded, timeout=10000):
        window.show_page("year")
    return page


def names(page: YearPage) -> list[str]:
    return [r.subject for r in page.model.rows()]


def select(combo, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, f"{text!r} not offered"
    combo.setCurrentIndex(index)


def meeting(state: CellState, day: int = 12, key: str = "alignment_review") -> GridMeeting:
    return GridMeeting(
        meeting_id=None if state in (CellState.MISSED, CellState.OVERDUE) else 1,
        day=dt.date(2026, 11, day),
        state=state,
        meeting_type_key=key,
        meeting_type="Technology Alignment review",
        owner_id=1,
        owner="Dana",
        slot=dt.date(2026, 11, day),
        start="10:00",
    )


# -- models ------------------------------------------------------------------------------


def test_models_pass_the_model_tester(qtmodeltester, store: Store) -> None:
    grid = year_grid(store, 2026, AS_OF)
    model = YearModel()
    model.set_rows(2026, AS_OF, prepare_rows(grid))
    qtmodeltester.check(model)
    model.set_filter(YearFilter(tier="A"))
    qtmodeltester.check(model)
    capacity = CapacityModel()
    capacity.set_rows(2026, grid.capacity)
    qtmodeltester.check(capacity)


def test_grid_rows_clients_then_internal_bodies(page: YearPage, store: Store) -> None:
    grid = year_grid(store, 2026, AS_OF)
    assert names(page) == [r.subject for r in grid.rows]
    kinds = [r.row.subject_kind for r in page.model.rows()]
    assert kinds == sorted(kinds)  # "client" < "internal": clients first
    assert "internal" in kinds
    assert page.count_label.text() == f"{len(grid.rows)} of {len(grid.rows)} subjects"
    assert page.year_label.text() == "2026"
    # Every meeting of the year is in a cell, as a chip that says its state in text.
    shown = [
        c
        for r in range(page.model.rowCount())
        for m in range(1, 13)
        for c in page.model.chips(r, m)
    ]
    assert len(shown) == sum(len(month) for r in grid.rows for month in r.months)
    index = page.model.index(0, 11)
    assert page.model.data(index) == "\n".join(c.text for c in page.model.chips(0, 11))
    assert page.model.data(index, CHIPS_ROLE) == page.model.chips(0, 11)
    tooltip = page.model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert tooltip.startswith(f"{names(page)[0]} — November 2026")


def test_today_marker_on_the_current_month(page: YearPage) -> None:
    model = page.model
    header = model.headerData(11, Qt.Orientation.Horizontal)
    assert header.startswith("▼ ")
    assert model.headerData(11, Qt.Orientation.Horizontal, Qt.ItemDataRole.FontRole).bold()
    assert not model.headerData(10, Qt.Orientation.Horizontal).startswith("▼")
    assert model.data(model.index(0, 11), Qt.ItemDataRole.BackgroundRole) is not None
    assert model.data(model.index(0, 10), Qt.ItemDataRole.BackgroundRole) is None


def test_filters_reduce_rows(qtbot, page: YearPage) -> None:
    everyone = names(page)
    select(page.tier_combo, "A")
    tier_a = names(page)
    assert 0 < len(tier_a) < len(everyone)
    assert {r.row.tier for r in page.model.rows()} == {"A"}
    select(page.tier_combo, "All")
    assert names(page) == everyone

    select(page.type_combo, "Standards committee")
    assert names(page) == ["Standards committee"]
    select(page.type_combo, "All")

    manager = page.manager_combo.itemText(1)
    select(page.manager_combo, manager)
    managed = page.model.rows()
    assert 0 < len(managed) < len(everyone)
    assert {r.row.account_manager_id for r in managed} == {page.manager_combo.currentData()}
    select(page.manager_combo, "Any")

    owner_name = page.owner_combo.itemText(1)
    select(page.owner_combo, owner_name)
    owner = page.owner_combo.currentData()
    assert len(names(page)) < len(everyone)
    for row in range(page.model.rowCount()):
        for month in range(1, 13):
            assert all(c.meeting.owner_id == owner for c in page.model.chips(row, month))
    assert [r.owner for r in page.capacity_model.rows()] in ([owner_name], [])
    page.clear_filters()
    assert names(page) == everyone

    first = everyone[0]
    qtbot.keyClicks(page.filter_edit, first[:6].lower())
    assert names(page) == everyone, "filtering waits for the typing pause"
    qtbot.waitUntil(lambda: names(page) != everyone, timeout=2000)
    assert first in names(page)
    qtbot.keyClicks(page.filter_edit, "zzzz")
    qtbot.waitUntil(lambda: page.model.rowCount() == 0, timeout=2000)
    assert page.stack.currentWidget() is page.empty_panel
    qtbot.mouseClick(page.empty_panel.button, Qt.MouseButton.LeftButton)
    assert names(page) == everyone
    assert page.stack.currentWidget() is page.splitter


def test_filter_rows_keeps_an_owners_clients_without_meetings(store: Store) -> None:
    grid = year_grid(store, 2026, AS_OF)
    rows = prepare_rows(grid)
    client = next(r for r in rows if r.row.subject_kind == "client")
    kept = filter_rows(rows, YearFilter(owner_id=client.row.tam_id))
    assert client in [prepared for prepared, _months in kept]
    kept = filter_rows(rows, YearFilter(text=client.subject.upper()))
    assert [prepared for prepared, _months in kept] == [client]


def test_year_navigation_and_today(qtbot, window: MainWindow, page: YearPage) -> None:
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.next_action.trigger()
    assert page.year == page.model.year == 2027
    assert page.year_label.text() == "2027"
    assert not any(
        page.model.headerData(c, Qt.Orientation.Horizontal).startswith("▼") for c in range(1, 13)
    )
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.previous_action.trigger()
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.previous_action.trigger()
    assert page.model.year == 2025
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert page.model.year == 2026
    assert page.model.headerData(11, Qt.Orientation.Horizontal).startswith("▼")
    assert page.table.currentIndex().column() == 11


def test_paints_without_errors(qtbot, page: YearPage) -> None:
    image = page.grab().toImage()
    assert image.width() > 500
    assert page.legend.types_label.text().startswith("Meeting types:")
    assert "TA = Technology Alignment review" in page.legend.types_label.text()


# -- chips: never colour alone -----------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "text"),
    [
        (CellState.PROPOSED, "○ 12 TA prop"),
        (CellState.CONFIRMED, "● 12 TA conf"),
        (CellState.HELD_ON_TIME, "✓ 12 TA"),
        (CellState.HELD_EARLY, "◑ 12 TA early"),
        (CellState.HELD_LATE, "◔ 12 TA late"),
        (CellState.HELD, "✓ 12 TA held"),
        (CellState.OVERDUE, "! 12 TA overdue"),
        (CellState.MISSED, "✗ 12 TA missed"),
        (CellState.CANCELLED, "⊘ 12 TA canc"),
    ],
)
def test_chip_text_says_the_state(state: CellState, text: str) -> None:
    assert chip_text(meeting(state)) == text
    assert chip_text(meeting(state), compact=True) == text.split(" TA")[0] + " TA"
    assert state in CHIP_STYLES


def test_every_state_has_its_own_glyph_and_words() -> None:
    counted = [s for s in CellState if s is not CellState.HELD]  # an extra reads "✓ … held"
    assert len({STATE_GLYPH[s] for s in counted}) == len(counted)
    texts = {chip_text(meeting(s)) for s in CellState}
    assert len(texts) == len(CellState)
    assert chip_text(meeting(CellState.PROPOSED, key="vcio_meeting")) == "○ 12 vCIO prop"


def test_narrow_chips_keep_their_glyph(qapp) -> None:
    metrics = QFontMetrics(QApplication.font())
    chip = Chip(meeting(CellState.HELD_LATE), "◔ 12 TA late", "◔ 12 TA")
    assert fitted_text(chip, metrics, 1000) == "◔ 12 TA late"
    assert fitted_text(chip, metrics, metrics.horizontalAdvance("◔ 12 TA")) == "◔ 12 TA"
    assert fitted_text(chip, metrics, metrics.horizontalAdvance("◔ 1…")).startswith("◔")
    assert visible_chips((chip, chip, chip), 2) == ((chip, chip), 1)
    assert visible_chips((chip,), 2) == ((chip,), 0)


# -- capacity ----------------------------------------------------------------------------


def test_capacity_rows_and_over_capacity_flags(qtmodeltester, page: YearPage, store) -> None:
    grid = year_grid(store, 2026, AS_OF)
    assert page.capacity_model.rows() == grid.capacity
    first = grid.capacity[0]
    assert page.capacity_model.data(page.capacity_model.index(0, 0)) == first.owner
    assert page.capacity_model.data(page.capacity_model.index(0, 2)) == (
        f"{first.meetings[1]} / {first.capacity[1]}"
    )

    over = CapacityRow(7, "Dana", (3, 45) + (0,) * 10, (44, 40) + (44,) * 10)
    model = CapacityModel(locale=QLocale.c())
    model.set_rows(2026, [over])
    qtmodeltester.check(model)
    january, february = model.index(0, 1), model.index(0, 2)
    assert model.data(january) == "3 / 44"
    assert model.data(february) == "⚠ 45 / 40"  # a glyph, not only a colour
    assert model.data(february, Qt.ItemDataRole.BackgroundRole) is not None
    assert model.data(january, Qt.ItemDataRole.BackgroundRole) is None
    tip = model.data(february, Qt.ItemDataRole.ToolTipRole)
    assert "2 a day × 20 working days" in tip and "Over capacity by 5" in tip


# -- opening meetings --------------------------------------------------------------------


def find_cell(page: YearPage, wanted) -> tuple[int, int]:
    for row in range(page.model.rowCount()):
        for month in range(1, 13):
            if wanted(page.model.chips(row, month)):
                return row, month
    pytest.fail("no such cell in the demo")


def double_click(qtbot, page: YearPage, row: int, month: int) -> None:
    index = page.model.index(row, month)
    page.table.scrollTo(index)
    where = page.table.visualRect(index).center()
    # A real double click is a click followed by a double-click event at the same place.
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=where)


def test_double_click_opens_the_meeting(qtbot, page: YearPage) -> None:
    opened: list[QDialog] = []
    page.exec_dialog = opened.append
    row, month = find_cell(page, lambda c: len(c) == 1 and c[0].meeting_id is not None)
    chip = page.model.chips(row, month)[0]
    double_click(qtbot, page, row, month)
    assert len(opened) == 1
    dialog = opened[0]
    assert isinstance(dialog, MeetingDialog)
    assert dialog.header.meeting_id == chip.meeting_id
    assert dialog.header.subject == page.model.row_at(row).subject
    dialog.close()


def test_several_meetings_ask_which(qtbot, page: YearPage) -> None:
    opened: list[QDialog] = []
    offered: list[tuple[Chip, ...]] = []
    page.exec_dialog = opened.append

    def choose(_parent: QWidget, chips, _where) -> Chip:
        offered.append(tuple(chips))
        return chips[-1]

    page.choose_chip = choose
    row, month = find_cell(page, lambda c: len(c) > 1 and all(x.meeting_id is not None for x in c))
    double_click(qtbot, page, row, month)
    assert offered == [page.model.chips(row, month)]
    assert [d.header.meeting_id for d in opened] == [offered[0][-1].meeting_id]
    opened[0].close()

    opened.clear()
    page.choose_chip = lambda _parent, _chips, _where: None  # the menu was dismissed
    double_click(qtbot, page, row, month)
    assert opened == []


def test_a_missed_slot_says_nothing_was_booked(qtbot, page: YearPage) -> None:
    told: list[str] = []
    page.notify = lambda _parent, text: told.append(text)
    page.exec_dialog = lambda _dialog: pytest.fail("a missed slot has no meeting to open")
    row, month = find_cell(page, lambda c: any(x.state is CellState.MISSED for x in c))
    page.choose_chip = lambda _parent, chips, _where: next(
        x for x in chips if x.state is CellState.MISSED
    )
    double_click(qtbot, page, row, month)
    assert len(told) == 1
    assert "Nothing was booked" in told[0] and "missed" in told[0]


# -- calendar export ---------------------------------------------------------------------


def test_calendar_export_for_one_owner(qtbot, page: YearPage, tmp_path: Path) -> None:
    opened: list[QDialog] = []
    page.exec_dialog = opened.append
    select(page.owner_combo, page.owner_combo.itemText(1))
    page.export_action.trigger()
    (dialog,) = opened
    assert isinstance(dialog, CalendarExportDialog)
    assert dialog.owner_radio.isChecked()
    owner = page.owner_combo.currentText()
    assert dialog.owner_combo.currentText() == owner
    assert Path(dialog.path_edit.text()).name == f"vcio_desk {owner} 2026.ics"

    target = tmp_path / "out" / "mine"
    target.parent.mkdir()
    dialog.choose_path = lambda _parent, _suggested: str(target)
    dialog.browse()
    with qtbot.waitSignal(dialog.exported, timeout=10000) as blocker:
        dialog.export_button.click()
    report = blocker.args[0]
    written = target.with_name("mine.ics")
    assert report.path == written
    assert dialog.status_label.text() == f"Calendar written: {report.events} events"
    assert report.events > 0
    calendar = icalendar.Calendar.from_ical(written.read_bytes())
    events = [c for c in calendar.walk("VEVENT")]
    assert len(events) == report.events
    assert ui_settings().value(EXPORT_FOLDER) == str(written.parent)
    dialog.close()


def test_calendar_export_everything_and_a_write_error(qtbot, store: Store, tmp_path) -> None:
    owner = QWidget()  # dialogs always have a parent in the app (and tests need one: a
    qtbot.addWidget(owner)  # parentless one waited on with waitSignal crashes at teardown)
    dialog = CalendarExportDialog(store, 2026, [(1, "Dana")], [("client", 1, "Acme")], owner)
    dialog.subject_radio.setChecked(True)
    assert dialog.filters() == {"client_id": 1}
    dialog.everything_radio.setChecked(True)
    assert dialog.filters() == {}
    (tmp_path / "taken.ics").mkdir()  # a folder where the file should go
    dialog.path_edit.setText(str(tmp_path / "taken.ics"))
    with qtbot.waitSignal(dialog.failed, timeout=10000) as blocker:
        dialog.export()
    assert dialog.status_label.text() == blocker.args[0]
    assert "Traceback" not in blocker.args[0]
    good = tmp_path / "all.ics"
    dialog.path_edit.setText(str(good))
    with qtbot.waitSignal(dialog.exported, timeout=10000):
        dialog.export()
    calendar = icalendar.Calendar.from_ical(good.read_bytes())
    assert len(list(calendar.walk("VEVENT"))) == dialog.report.events > 0


def test_the_page_does_not_hold_the_window_wide(page: YearPage) -> None:
    """Filters and legend wrap; the twelve months shrink to a glyph and a day."""
    assert page.minimumSizeHint().width() < 640
