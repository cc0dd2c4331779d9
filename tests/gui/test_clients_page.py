"""The Clients page: filter-as-you-type, combos, header sorting, empty states, remembered layout."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt

from vcio_desk.store import Store
from vcio_desk.ui.models.clients_model import Column
from vcio_desk.ui.pages.clients_page import ClientsPage


@pytest.fixture
def page(qtbot, populated: Store, as_of: dt.date) -> ClientsPage:
    page = ClientsPage(populated, lambda: as_of)
    qtbot.addWidget(page)
    page.resize(1100, 500)
    page.show()
    qtbot.waitExposed(page)
    page.reload()
    return page


def names(page: ClientsPage) -> list[str]:
    return [row.name for row in page.model.rows()]


def select(combo, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, f"{text!r} not offered"
    combo.setCurrentIndex(index)


def test_starts_with_active_clients(page: ClientsPage) -> None:
    assert page.loaded
    assert page.status_combo.currentText() == "Active"
    assert page.model.rowCount() == 4
    assert page.count_label.text() == "4 of 5 clients"
    assert page.stack.currentWidget() is page.table
    assert page.filter_edit.placeholderText() == "Filter clients…"


def test_typing_filters_after_the_pause(qtbot, page: ClientsPage) -> None:
    qtbot.keyClicks(page.filter_edit, "acme")
    assert page.model.rowCount() == 4, "filtering must wait for the typing pause"
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=2000)
    assert names(page) == ["Acme Dental"]
    assert page.count_label.text() == "1 of 5 clients"
    qtbot.keyClicks(page.filter_edit, "x")
    qtbot.waitUntil(lambda: page.model.rowCount() == 0, timeout=2000)
    assert page.stack.currentWidget() is page.empty_panel
    assert page.empty_panel.heading_label.text() == "No clients match"
    qtbot.mouseClick(page.empty_panel.button, Qt.MouseButton.LeftButton)
    assert page.filter_edit.text() == ""
    assert page.model.rowCount() == 4
    assert page.stack.currentWidget() is page.table


def test_escape_clears_the_filter(qtbot, page: ClientsPage) -> None:
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    page.filter_edit.setFocus()
    qtbot.keyClicks(page.filter_edit, "zzz")
    qtbot.keyClick(page.filter_edit, Qt.Key.Key_Escape)
    assert page.filter_edit.text() == ""
    assert page.model.rowCount() == 4


def test_combos_filter_at_once(page: ClientsPage) -> None:
    assert [page.tier_combo.itemText(i) for i in range(page.tier_combo.count())] == [
        "All", "A", "B", "C",
    ]  # fmt: skip
    assert [page.owner_combo.itemText(i) for i in range(page.owner_combo.count())] == [
        "Everyone", "Ada Lovelace", "Émile Zola", "Grace Hopper", "Ken Thompson",
        "Tim Berners-Lee",
    ]  # fmt: skip
    select(page.tier_combo, "B")
    assert sorted(names(page)) == ["Delta Freight", "beta Logistics"]
    select(page.owner_combo, "Grace Hopper")
    assert names(page) == ["beta Logistics"]
    select(page.tier_combo, "All")
    select(page.status_combo, "Inactive")
    assert names(page) == ["Zenith Legal"]
    select(page.status_combo, "All")
    assert sorted(names(page)) == ["Zenith Legal", "beta Logistics"]
    assert page.count_label.text() == "2 of 5 clients"


def test_header_click_sorts(qtbot, page: ClientsPage) -> None:
    header = page.table.horizontalHeader()
    select(page.status_combo, "All")
    where = QPoint(header.sectionViewportPosition(Column.NEXT_MEETING) + 5, 5)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=where)
    first = names(page)
    assert first[-2:] == ["beta Logistics", "Delta Freight"]
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert names(page)[-2:] == ["beta Logistics", "Delta Freight"]
    assert names(page)[:3] == first[:3][::-1]


def test_reload_keeps_filters_and_owner(page: ClientsPage) -> None:
    select(page.owner_combo, "Ken Thompson")
    select(page.status_combo, "All")
    page.reload()
    assert page.owner_combo.currentText() == "Ken Thompson"
    assert sorted(names(page)) == ["Acme Dental", "Zenith Legal", "beta Logistics"]


def test_header_layout_is_remembered(qtbot, populated: Store, as_of: dt.date, page) -> None:
    page.table.horizontalHeader().resizeSection(Column.CLIENT, 333)
    page.table.sortByColumn(Column.TIER, Qt.SortOrder.DescendingOrder)
    page.save_state()
    again = ClientsPage(populated, lambda: as_of)
    qtbot.addWidget(again)
    again.reload()
    header = again.table.horizontalHeader()
    assert header.sectionSize(Column.CLIENT) == 333
    assert header.sortIndicatorSection() == Column.TIER
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert again.model.rows()[0].tier == "C"


def test_activating_a_row_names_the_client(qtbot, page: ClientsPage) -> None:
    index = page.model.index(0, Column.CLIENT)
    with qtbot.waitSignal(page.client_activated) as signal:
        page.table.activated.emit(index)
    assert signal.args == [page.model.row_at(0).id]


def test_empty_workspace_says_so(qtbot, workspace: Store, as_of: dt.date) -> None:
    page = ClientsPage(workspace, lambda: as_of)
    qtbot.addWidget(page)
    assert page.count_label.text() == "Loading clients…"
    page.reload()
    assert page.stack.currentWidget() is page.empty_panel
    assert page.empty_panel.heading_label.text() == "No clients yet"
    assert page.count_label.text() == "0 of 0 clients"
    with qtbot.waitSignal(page.demo_requested):
        page.empty_panel.button.click()
