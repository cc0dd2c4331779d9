"""The Dashboard: paints before its data, fills every card from a worker, switches owners,
shows the committee's flag, reports clicks, recomputes when the date changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from vcio_desk.domain.drift import Flag
from vcio_desk.domain.errors import WorkspaceError
from vcio_desk.services.dashboard import load_dashboard
from vcio_desk.services.demo import build_demo
from vcio_desk.services.drift_report import days_overdue
from vcio_desk.store import Store
from vcio_desk.ui.models.drift_model import FLAG_STYLES, AdherenceModel
from vcio_desk.ui.models.drift_model import Column as DriftColumn
from vcio_desk.ui.models.upcoming_model import (
    MeetingColumn,
    UpcomingModel,
    prep_text,
)
from vcio_desk.ui.pages import dashboard_page
from vcio_desk.ui.pages.dashboard_page import DashboardPage
from vcio_desk.ui.widgets.trend_chart import ChartStyle, TrendChart, TrendPoint

AS_OF = dt.date(2026, 11, 20)


@pytest.fixture
def demo(workspace: Store) -> Store:
    build_demo(workspace, clients=12, years=2, seed=3, as_of=AS_OF)
    return workspace


@pytest.fixture
def make_page(qtbot, demo: Store) -> Iterator[Callable[..., DashboardPage]]:
    """Pages stay referenced until qtbot has closed them and run the pending events: a
    page dropped mid-test would be freed inside Qt's event dispatch (its finished worker
    operation, a child, holds it until its deferred delete runs)."""
    pages: list[DashboardPage] = []

    def make(clock: Callable[[], dt.date] = lambda: AS_OF, **kwargs) -> DashboardPage:
        page = DashboardPage(demo, clock, **kwargs)
        qtbot.addWidget(page)
        page.resize(1300, 820)
        pages.append(page)
        return page

    yield make
    pages.clear()


@pytest.fixture
def page(qtbot, make_page) -> DashboardPage:
    page = make_page()
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.show()
    return page


def test_models_pass_the_model_tester(qtmodeltester, demo: Store) -> None:
    data = load_dashboard(demo, AS_OF)
    upcoming = UpcomingModel()
    upcoming.set_meetings(data.meetings)
    assert upcoming.rowCount() == len(data.meetings) > 0
    qtmodeltester.check(upcoming)
    upcoming.set_owner(data.meetings[0].owner_id)
    qtmodeltester.check(upcoming)
    for figures in (data.adherence.by_owner, data.adherence.by_tier):
        model = AdherenceModel("Owner")
        model.set_figures(figures)
        assert model.rowCount() == len(figures) > 0
        qtmodeltester.check(model)


def test_first_paint_does_not_wait_for_the_numbers(qtbot, make_page) -> None:
    page = make_page()
    assert page.data is None and page.refresh_count == 0, "building the page does no work"
    page.show()
    qtbot.waitExposed(page)
    assert all(card.loading for card in page.cards), "a quiet Loading… until the worker is done"
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        pass
    assert page.is_loaded and not any(card.loading for card in page.cards)
    assert page.refresh_count == 1
    assert "2026" in page.as_of_label.text()


def test_my_next_14_days_and_the_switch_to_everyone(qtbot, page: DashboardPage) -> None:
    data = page.data
    assert data is not None and data.current_user_id is not None
    assert page.owner_id() == data.current_user_id, "starts on the person using the app"
    assert page.me_button.isChecked() and not page.everyone_button.isChecked()
    assert page.owner_combo.itemText(0) == "Everyone"
    me = page.owner_combo.findData(data.current_user_id)
    assert page.owner_combo.itemText(me).endswith("(you)")
    # The demo's current user has nothing in the next fortnight: the card says so.
    assert page.meetings_model.rowCount() == 0
    assert page.meetings_card.stack.currentWidget() is page.meetings_card.message_label
    assert "nothing scheduled" in page.meetings_card.message_label.text()

    qtbot.mouseClick(page.everyone_button, Qt.MouseButton.LeftButton)  # one click
    assert page.owner_id() is None
    assert page.everyone_button.isChecked() and not page.me_button.isChecked()
    everyone = page.meetings_model.meetings()
    assert len(everyone) == len(data.meetings) == 5
    assert page.meetings_card.stack.currentWidget() is page.meetings_table
    assert not page.meetings_table.isColumnHidden(MeetingColumn.OWNER)
    assert page.meetings_card.detail_label.text() == "5 meetings"
    assert page.meetings_card.title_label.text() == "Next 14 days"

    first = page.meetings_model.index(0, MeetingColumn.PREP)
    meeting = page.meetings_model.meeting_at(0)
    assert first.data() == prep_text(meeting.prep_done, meeting.prep_total) == "3/6 ready"
    texts = [page.meetings_model.index(0, c).data() for c in MeetingColumn]
    assert texts[MeetingColumn.SUBJECT] == "Inverness Builders"
    assert texts[MeetingColumn.STATUS] == "Confirmed"
    assert texts[MeetingColumn.TYPE] == "Technology Alignment review"

    aoife = page.owner_combo.findText("Aoife Brennan")
    page.owner_combo.setCurrentIndex(aoife)
    assert {m.owner for m in page.meetings_model.meetings()} == {"Aoife Brennan"}
    assert page.meetings_model.rowCount() == 2
    assert not page.me_button.isChecked() and not page.everyone_button.isChecked()
    assert page.meetings_table.isColumnHidden(MeetingColumn.OWNER)

    qtbot.mouseClick(page.me_button, Qt.MouseButton.LeftButton)
    assert page.owner_id() == data.current_user_id
    assert page.meetings_card.title_label.text() == "My next 14 days"


def test_owner_choice_survives_a_refresh(qtbot, page: DashboardPage) -> None:
    page.show_everyone()
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.refresh()
    assert page.owner_id() is None and page.meetings_model.rowCount() == 5


def test_drift_list_is_ranked_with_reasons(page: DashboardPage) -> None:
    model = page.drift_model
    rows = model.rows()
    assert len(rows) == 8 and all(r.flag is not Flag.OK for r in rows), "only what needs action"
    keys = [(r.flag.severity, -days_overdue(r.item)) for r in rows]
    assert keys == sorted(keys)
    assert model.index(0, DriftColumn.FLAG).data() == "✗ Broken"
    assert model.index(0, DriftColumn.REASON).data().startswith("Last two Technology Alignment")
    shown = [c for c in DriftColumn if not page.drift_table.isColumnHidden(c)]
    assert set(shown) == {
        DriftColumn.FLAG, DriftColumn.SUBJECT, DriftColumn.MEETING_TYPE, DriftColumn.OWNER,
        DriftColumn.REASON,
    }  # fmt: skip
    header = page.drift_table.horizontalHeader()
    visible = [header.logicalIndex(v) for v in range(header.count())]
    visible = [c for c in visible if not page.drift_table.isColumnHidden(c)]
    assert visible == [
        DriftColumn.FLAG, DriftColumn.SUBJECT, DriftColumn.MEETING_TYPE, DriftColumn.OWNER,
        DriftColumn.REASON,
    ], "the flag reads first; the reason takes the spare width"  # fmt: skip
    assert page.drift_card.detail_label.text() == "8 rhythms need attention"


def test_clicking_a_drift_row_shows_its_subject(qtbot, page: DashboardPage) -> None:
    table = page.drift_table
    row = page.drift_model.row_at(1).item
    rect = table.visualRect(page.drift_model.index(1, DriftColumn.REASON))
    with qtbot.waitSignal(page.subject_activated, timeout=2000) as blocker:
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == ["client", row.subject_id]
    assert row.subject == "Falconer Wealth Advisors"
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    table.setFocus()
    table.setCurrentIndex(page.drift_model.index(0, DriftColumn.SUBJECT))
    with qtbot.waitSignal(page.subject_activated, timeout=2000) as blocker:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert blocker.args[1] == page.drift_model.row_at(0).item.subject_id


def test_adherence_by_owner_and_tier_with_trend(page: DashboardPage) -> None:
    data = page.data
    assert data is not None
    summary = data.adherence
    assert page.owner_adherence.rowCount() == len(summary.by_owner)
    assert page.tier_adherence.rowCount() == 3
    assert [page.tier_adherence.index(r, 0).data() for r in range(3)] == [
        "Tier A", "Tier B", "Tier C",
    ]  # fmt: skip
    for row, figure in enumerate(summary.by_tier):
        text = page.tier_adherence.index(row, AdherenceModel.PERCENT).data()
        assert text == ("–" if figure.pct is None else f"{round(figure.pct)}%")
        assert page.tier_adherence.index(row, AdherenceModel.SLOTS).data() == (
            f"{figure.kept} of {figure.judged}"
        )
    assert page.overall_label.text().startswith("Overall ")
    points = page.trend_chart.points()
    assert len(points) == 12
    assert points[-1].label == "Nov" and points[0].label == "Dec"
    assert [p.value for p in points] == [p.pct for p in summary.trend]
    assert "2026" in points[-1].detail


def test_committee_card_shows_the_committee_flag(page: DashboardPage) -> None:
    data = page.data
    assert data is not None and data.committee is not None
    flag = data.committee.drift.assessment.flag
    assert flag is Flag.UNBOOKED
    panel = page.committee_panel
    assert page.committee_card.stack.currentWidget() is panel
    assert panel.chip.flag is flag
    assert panel.chip.text() == f"{FLAG_STYLES[flag].glyph} {FLAG_STYLES[flag].word}"
    assert panel.reason_label.text() == data.committee.drift.assessment.reason
    assert panel.name_label.text().startswith("Standards committee")
    assert panel.booked_label.text() == "No confirmed meeting yet"
    assert panel.next_due_label.text() and panel.last_held_label.text() != "Never"


def test_the_day_changing_refreshes(qtbot, make_page) -> None:
    today = [AS_OF]
    page = make_page(lambda: today[0], day_check_ms=20)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.show()
    assert page.data is not None and page.data.as_of == AS_OF
    qtbot.wait(80)
    assert page.refresh_count == 1, "the same day: nothing to recompute"
    today[0] = AS_OF + dt.timedelta(days=1)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        pass
    assert page.data.as_of == AS_OF + dt.timedelta(days=1)
    assert page.refresh_count == 2


def test_a_hidden_dashboard_catches_up_when_shown(qtbot, make_page) -> None:
    today = [AS_OF]
    page = make_page(lambda: today[0], day_check_ms=20)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.show()
    page.hide()
    today[0] = AS_OF + dt.timedelta(days=2)
    qtbot.wait(80)
    assert page.refresh_count == 1, "no work while nobody looks"
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.show()
    assert page.data is not None and page.data.as_of == AS_OF + dt.timedelta(days=2)


@pytest.fixture
def keep() -> Iterator[list[object]]:
    """Holds widgets until qtbot has closed them (see ``make_page``)."""
    held: list[object] = []
    yield held
    held.clear()


def test_empty_workspace_says_what_is_missing(qtbot, workspace: Store, keep) -> None:
    page = DashboardPage(workspace, lambda: AS_OF)
    qtbot.addWidget(page)
    keep.append(page)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.show()
    assert "nothing scheduled" in page.meetings_card.message_label.text()
    assert page.drift_card.message_label.text().startswith("Every rhythm is on track")
    assert "No standards committee" in page.committee_card.message_label.text()
    assert not page.me_button.isEnabled(), "nobody is set as the current user"


def test_trend_chart_paints_bars_lines_and_gaps(qtbot, monkeypatch) -> None:
    chart = TrendChart()
    qtbot.addWidget(chart)
    chart.resize(360, 160)
    chart.set_points([TrendPoint("Jan", 80.0), TrendPoint("Feb", None), TrendPoint("Mar", 100.0)])
    assert chart.accessibleDescription() == "Jan 80%; Feb no data; Mar 100%"
    assert not chart.grab().isNull()
    assert chart.point_at(chart.slot_rect(1).center().x()) == 1
    assert chart.point_at(0) is None
    chart.set_style(ChartStyle.LINE)
    assert not chart.grab().isNull()
    shown: list[str] = []
    monkeypatch.setattr(QToolTip, "showText", lambda _pos, text, _widget=None: shown.append(text))
    inside = chart.slot_rect(2).center().toPoint()
    QApplication.sendEvent(
        chart, QHelpEvent(QEvent.Type.ToolTip, inside, chart.mapToGlobal(inside))
    )
    assert shown == ["Mar: 100%"]
    chart.set_points([])
    assert not chart.grab().isNull()
    assert chart.point_at(QPoint(100, 50).x()) is None


def test_a_failed_load_is_said_in_every_card(qtbot, make_page, monkeypatch) -> None:
    def broken(_store, _as_of):
        raise WorkspaceError("The workspace file is damaged.")

    monkeypatch.setattr(dashboard_page, "load_dashboard", broken)
    page = make_page()
    page.show()
    qtbot.waitUntil(lambda: not page.meetings_card.loading, timeout=10_000)
    assert {card.message_label.text() for card in page.cards} == {"The workspace file is damaged."}
    assert page.refresh_button.isEnabled() and page.data is None


def test_in_the_window_f5_refreshes_the_page_shown(qtbot, demo: Store, keep) -> None:
    from vcio_desk.services.settings import read_settings
    from vcio_desk.ui.main_window import MainWindow
    from vcio_desk.ui.pages.rhythms_page import RhythmsPage

    window = MainWindow(demo, read_settings(demo), lambda: AS_OF)
    qtbot.addWidget(window)
    keep.append(window)
    dashboard = window.page("dashboard")
    rhythms = window.page("rhythms")
    assert isinstance(dashboard, DashboardPage) and isinstance(rhythms, RhythmsPage)
    window.show_page("dashboard")
    with qtbot.waitSignal(dashboard.loaded, timeout=10_000):
        window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert not rhythms.is_loaded, "a page loads when first shown, not before"
    with qtbot.waitSignal(dashboard.loaded, timeout=10_000):
        qtbot.keyClick(window, Qt.Key.Key_F5)
    assert dashboard.refresh_count == 2
    with qtbot.waitSignal(rhythms.loaded, timeout=10_000):
        window.show_page("rhythms")
    with qtbot.waitSignal(rhythms.loaded, timeout=10_000):
        qtbot.keyClick(window, Qt.Key.Key_F5)
    assert dashboard.refresh_count == 2, "F5 belongs to the page shown"
