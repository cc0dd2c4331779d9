"""The CSI tab: the register table, add/edit through the dialog, rank, undo, the roadmap."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel, QProgressBar
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from vcio_desk.domain.vocab import CsiStatus
from vcio_desk.services import csi
from vcio_desk.services.settings import write_setting
from vcio_desk.store import Store, open_store
from vcio_desk.store import models as m
from vcio_desk.ui.dialogs.csi_dialog import CsiDialog, CsiDialogRequest, CsiDialogResult
from vcio_desk.ui.pages.client_tabs.csi_model import (
    PROGRESS_ROLE,
    STATUS_FILTER_OPEN,
    Column,
    CsiModel,
)
from vcio_desk.ui.pages.client_tabs.csi_roadmap import ROADMAP_QUARTERS_KEY, RoadmapView
from vcio_desk.ui.pages.client_tabs.csi_tab import CsiTab
from vcio_desk.ui.preferences import ui_settings

US = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)


@pytest.fixture
def client_id(workspace: Store) -> int:
    with workspace.transaction() as session:
        ada = m.Staff(name="Ada Lovelace", is_vcio=True)
        session.add(ada)
        session.flush()
        acme = m.Client(name="Acme Dental", tier="A", fiscal_year_start_month=7, vcio_id=ada.id)
        session.add(acme)
        session.flush()
        return acme.id


def _add(store: Store, client: int | None, title: str, **fields: object) -> int:
    return csi.create_item(store, client, {"title": title, **fields}, "Ada")


@pytest.fixture
def items(workspace: Store, client_id: int) -> dict[str, int]:
    """Three items of Acme: one per kind of placement on the roadmap."""
    return {
        "firewall": _add(
            workspace,
            client_id,
            "Replace firewall",
            size="L",
            priority="high",
            status="approved",
            target_fiscal_year=2027,
            target_quarter=3,
            one_time_cost="12000",
            recurring_cost_monthly="150",
            kpi_baseline="20",
            kpi_target="80",
            kpi_current="50",
        ),
        "phishing": _add(
            workspace,
            client_id,
            "Cut phishing clicks",
            target_fiscal_year=2027,
            target_quarter=2,
            one_time_cost="800.5",
        ),
        "vault": _add(workspace, client_id, "Password vault", status="deferred"),
    }


class RecordingTab(CsiTab):
    """The real tab, keeping what it would have shown in a message box."""

    def __init__(self, store: Store, client: int | None, as_of: dt.date) -> None:
        super().__init__(store, client, lambda: as_of, US)
        self.messages: list[str] = []
        self.notify = lambda _parent, text: self.messages.append(text)


def make_tab(qtbot: QtBot, store: Store, client: int | None, as_of: dt.date) -> RecordingTab:
    tab = RecordingTab(store, client, as_of)
    qtbot.addWidget(tab)
    tab.resize(1280, 800)
    tab.reload()
    return tab


@pytest.fixture
def tab(
    qtbot: QtBot, workspace: Store, client_id: int, items: dict[str, int], as_of: dt.date
) -> RecordingTab:
    return make_tab(qtbot, workspace, client_id, as_of)


def opener(fill: Callable[[CsiDialog], None]) -> Callable[..., CsiDialogResult | None]:
    """Drive the real dialog: fill it in, press Save, hand back what it saved."""

    def open_(parent: CsiTab, request: CsiDialogRequest) -> CsiDialogResult | None:
        dialog = CsiDialog(request, parent)
        try:
            fill(dialog)
            dialog.save()
            return dialog.result_value
        finally:
            dialog.deleteLater()

    return open_


def texts(tab: CsiTab, column: Column) -> list[str]:
    model = tab.model
    return [model.index(r, column).data() for r in range(model.rowCount())]


# -- the register --------------------------------------------------------------------------------


def test_the_register_lists_items_in_rank_order(tab: CsiTab) -> None:
    assert texts(tab, Column.TITLE) == ["Replace firewall", "Cut phishing clicks", "Password vault"]
    assert texts(tab, Column.RANK) == ["1", "2", "3"]
    assert texts(tab, Column.STATUS) == ["Approved", "Proposed", "Deferred"]
    assert texts(tab, Column.TARGET) == ["FY2027 Q3", "FY2027 Q2", "Unscheduled"]
    assert texts(tab, Column.ONE_TIME) == ["12,000.00", "800.50", "0.00"]
    assert texts(tab, Column.RECURRING)[0] == "150.00"
    assert texts(tab, Column.OWNER) == ["", "", ""]
    assert tab.model.index(0, Column.KPI).data(PROGRESS_ROLE) == pytest.approx(50.0)
    assert tab.model.index(1, Column.KPI).data(PROGRESS_ROLE) is None
    assert "from 20" in tab.model.index(0, Column.KPI).data(Qt.ItemDataRole.ToolTipRole)
    assert tab.count_label.text() == "3 items · 2 open"
    tab.grab()  # the progress delegate paints without complaint


def test_filter_by_text_and_status(tab: CsiTab) -> None:
    tab.filter_edit.setText("PHISH")
    tab._apply_filter()  # what the debounce timer calls
    assert texts(tab, Column.TITLE) == ["Cut phishing clicks"]
    assert tab.count_label.text() == "1 of 3 items · 2 open"
    tab.filter_edit.clear()
    tab.status_combo.setCurrentIndex(tab.status_combo.findData(STATUS_FILTER_OPEN))
    assert texts(tab, Column.TITLE) == ["Replace firewall", "Cut phishing clicks"]
    tab.status_combo.setCurrentIndex(tab.status_combo.findData("deferred"))
    assert texts(tab, Column.TITLE) == ["Password vault"]
    tab.status_combo.setCurrentIndex(tab.status_combo.findData("done"))
    assert tab.register_stack.currentWidget() is tab.empty_panel
    assert tab.empty_panel.heading_label.text() == "No items match"


def test_sorting_keeps_missing_values_last(tab: CsiTab) -> None:
    tab.model.sort(Column.KPI, Qt.SortOrder.AscendingOrder)
    assert texts(tab, Column.TITLE)[0] == "Replace firewall"
    tab.model.sort(Column.ONE_TIME, Qt.SortOrder.DescendingOrder)
    assert texts(tab, Column.ONE_TIME) == ["12,000.00", "800.50", "0.00"]
    tab.model.sort(Column.TARGET, Qt.SortOrder.AscendingOrder)
    assert texts(tab, Column.TARGET) == ["FY2027 Q2", "FY2027 Q3", "Unscheduled"]
    assert not tab.up_button.isEnabled()  # moving only makes sense in rank order


def test_the_model_passes_qt_checks(qtmodeltester: ModelTester, tab: CsiTab) -> None:
    qtmodeltester.check(tab.model)
    empty = CsiModel(locale=US)
    qtmodeltester.check(empty)


def test_an_empty_register_invites_the_first_item(
    qtbot: QtBot, workspace: Store, client_id: int, as_of: dt.date
) -> None:
    tab = make_tab(qtbot, workspace, client_id, as_of)
    assert tab.register_stack.currentWidget() is tab.empty_panel
    assert tab.empty_panel.button.text() == "Add the first item…"
    tab.dialog_opener = opener(lambda d: d.title_edit.setText("First"))
    tab.empty_panel.button.click()
    assert texts(tab, Column.TITLE) == ["First"]


# -- adding, editing, undo -----------------------------------------------------------------------


def test_add_item_through_the_dialog(qtbot: QtBot, tab: CsiTab, workspace: Store) -> None:
    def fill(dialog: CsiDialog) -> None:
        dialog.title_edit.setText("Add MFA for admins")
        dialog.one_time_spin.setValue(300)

    tab.dialog_opener = opener(fill)
    with qtbot.waitSignal(tab.changed):
        new_id = tab.add_item()
    assert new_id is not None
    assert texts(tab, Column.TITLE)[-1] == "Add MFA for admins"
    assert tab.selected_row() is not None and tab.selected_row().id == new_id
    assert not tab.undo_action.isEnabled()  # adding is not an edit to undo
    owner = csi.register(workspace, tab.client_id)[-1].owner
    assert owner == "Ada Lovelace"  # the client's vCIO by default


def test_edit_then_undo_and_redo(
    qtbot: QtBot, tab: CsiTab, workspace: Store, items: dict[str, int]
) -> None:
    def fill(dialog: CsiDialog) -> None:
        dialog.title_edit.setText("Replace both firewalls")
        dialog.one_time_spin.setValue(20000)
        dialog.status_buttons[CsiStatus.IN_PROGRESS].click()
        dialog.note_edit.setText("Second site added")

    tab.dialog_opener = opener(fill)
    tab.select_item(items["firewall"])
    with qtbot.waitSignal(tab.changed):
        assert tab.edit_selected()
    row = csi.register(workspace, tab.client_id)[0]
    assert (row.title, row.status, row.one_time_cost) == (
        "Replace both firewalls",
        CsiStatus.IN_PROGRESS,
        Decimal("20000.00"),
    )
    assert tab.undo_action.isEnabled()
    assert "Replace firewall" in tab.undo_action.toolTip()
    assert QKeySequence(QKeySequence.StandardKey.Undo) in tab.undo_action.shortcuts()

    with qtbot.waitSignal(tab.changed):
        tab.undo_action.trigger()
    row = csi.register(workspace, tab.client_id)[0]
    assert (row.title, row.status, row.one_time_cost) == (
        "Replace firewall",
        CsiStatus.APPROVED,  # back along the life cycle: the undo puts back what was
        Decimal("12000.00"),
    )
    history = csi.item_detail(workspace, items["firewall"]).history
    assert [e.note for e in history[:2]] == ["Undo", "Second site added"]
    assert texts(tab, Column.TITLE)[0] == "Replace firewall"

    tab.redo_action.trigger()
    assert csi.register(workspace, tab.client_id)[0].title == "Replace both firewalls"
    assert csi.item_detail(workspace, items["firewall"]).history[0].note == "Redo"


def test_ctrl_z_undoes_the_last_change(
    qtbot: QtBot, tab: CsiTab, workspace: Store, items: dict[str, int]
) -> None:
    tab.dialog_opener = opener(lambda d: d.title_edit.setText("Typo titel"))
    tab.edit_item(items["phishing"])
    with qtbot.waitActive(tab):
        tab.show()
        tab.activateWindow()
    tab.table.setFocus()
    with qtbot.waitSignal(tab.changed):
        qtbot.keyClick(tab.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert csi.register(workspace, tab.client_id)[1].title == "Cut phishing clicks"


def test_undo_never_overwrites_a_later_edit_made_elsewhere(
    qtbot: QtBot, tab: RecordingTab, workspace: Store, items: dict[str, int]
) -> None:
    tab.dialog_opener = opener(lambda d: d.title_edit.setText("Mine"))
    tab.edit_item(items["phishing"])
    csi.update_item(workspace, items["phishing"], {"title": "Theirs"}, "Tim")
    tab.undo()
    assert csi.register(workspace, tab.client_id)[1].title == "Theirs"
    assert not tab.undo_action.isEnabled()  # the failed step left the stack

    qtbot.waitUntil(lambda: any("changed elsewhere" in text for text in tab.messages))


def test_a_cancelled_or_unchanged_dialog_leaves_nothing_to_undo(
    tab: CsiTab, items: dict[str, int]
) -> None:
    tab.dialog_opener = lambda _parent, _request: None
    assert not tab.edit_item(items["vault"])
    tab.dialog_opener = opener(lambda _dialog: None)  # Save without changes
    assert not tab.edit_item(items["vault"])
    assert not tab.undo_action.isEnabled()


# -- rank ------------------------------------------------------------------------------------------


def test_move_up_and_down_and_undo_the_move(
    qtbot: QtBot, tab: CsiTab, workspace: Store, items: dict[str, int]
) -> None:
    tab.select_item(items["vault"])
    assert tab.up_button.isEnabled() and not tab.down_button.isEnabled()
    with qtbot.waitSignal(tab.changed):
        tab.up_button.click()
    assert texts(tab, Column.TITLE) == ["Replace firewall", "Password vault", "Cut phishing clicks"]
    assert tab.selected_row() is not None and tab.selected_row().id == items["vault"]
    tab.move_selected(-1)
    assert texts(tab, Column.TITLE)[0] == "Password vault"
    assert not tab.up_button.isEnabled()
    tab.undo()
    assert texts(tab, Column.TITLE)[1] == "Password vault"
    tab.undo()
    assert texts(tab, Column.TITLE) == ["Replace firewall", "Cut phishing clicks", "Password vault"]
    notes = [e.note for e in csi.item_detail(workspace, items["vault"]).history]
    assert notes[:3] == ["Undo", "Undo", "Reordered"]


# -- roadmap ---------------------------------------------------------------------------------------


def test_the_roadmap_shows_quarters_cards_and_budget(tab: CsiTab, items: dict[str, int]) -> None:
    view = tab.roadmap_view
    assert view.quarter_count == 6
    headings = [c.heading.text() for c in view.columns]
    # As of 20 Nov 2026 with a July fiscal year: FY2027 Q2 is current.
    assert headings == [
        "FY2027 Q2",
        "FY2027 Q3",
        "FY2027 Q4",
        "FY2028 Q1",
        "FY2028 Q2",
        "FY2028 Q3",
        "Unscheduled",
    ]
    assert view.column("FY2027_Q2").dates.text() == "Oct–Dec 2026"
    assert view.card(items["firewall"]) in view.column("FY2027_Q3").cards
    assert view.card(items["vault"]) in view.column("unscheduled").cards
    card = view.card(items["firewall"])
    assert card.findChild(QLabel, "card_meta").text() == "L · High · Approved"
    assert card.findChild(QLabel, "card_costs").text() == "12,000 + 150/mo"
    assert card.findChild(QProgressBar, "card_kpi").value() == 50
    deferred = view.card(items["vault"])
    assert "not in the budget" in "".join(w.text() for w in deferred.findChildren(QLabel))
    table = view.budget_table
    header = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert header[0] == "FY2027 Q2" and header[-1] == "Total"
    assert [table.item(r, 0).text() for r in range(4)] == ["800.50", "0.00", "800.50", "0.00"]
    assert [table.item(r, 1).text() for r in range(4)] == [
        "12,000.00",
        "450.00",
        "12,450.00",
        "1,800.00",
    ]
    last = table.columnCount() - 1
    assert table.item(2, last).text() == "15,050.50"  # 800.50 + 12,000 + 5 × 450
    assert table.item(3, last).text() == "1,800.00"
    assert view.unscheduled_label.isHidden()  # the deferred vault costs nothing


def test_the_number_of_quarters_is_remembered(
    qtbot: QtBot, tab: CsiTab, workspace: Store, client_id: int, as_of: dt.date
) -> None:
    tab.roadmap_view.quarters_spin.setValue(8)
    assert sum(1 for c in tab.roadmap_view.columns if c.heading.text().startswith("FY")) == 8
    assert int(ui_settings().value(ROADMAP_QUARTERS_KEY)) == 8
    again = make_tab(qtbot, workspace, client_id, as_of)
    assert again.roadmap_view.quarter_count == 8
    assert tab.roadmap_view.quarters_spin.minimum() == 4
    assert tab.roadmap_view.quarters_spin.maximum() == 8
    ui_settings().setValue(ROADMAP_QUARTERS_KEY, "lots")
    assert RoadmapView(US).quarter_count == 6


def test_double_clicking_a_card_opens_the_item(
    qtbot: QtBot, tab: CsiTab, items: dict[str, int]
) -> None:
    opened: list[int | None] = []
    tab.dialog_opener = lambda _parent, request: opened.append(request.item_id)
    tab.views.setCurrentIndex(1)
    card = tab.roadmap_view.card(items["phishing"])
    qtbot.mouseDClick(card, Qt.MouseButton.LeftButton)
    assert opened == [items["phishing"]]


def test_an_edit_moves_the_card_and_updates_the_budget(tab: CsiTab, items: dict[str, int]) -> None:
    def fill(dialog: CsiDialog) -> None:
        combo = dialog.quarter_combo
        combo.setCurrentIndex(combo.findText("FY2028 Q1", Qt.MatchFlag.MatchStartsWith))

    tab.dialog_opener = opener(fill)
    tab.edit_item(items["phishing"])
    view = tab.roadmap_view
    assert view.card(items["phishing"]) in view.column("FY2028_Q1").cards
    assert view.budget_table.item(0, 0).text() == "0.00"
    assert view.budget_table.item(0, 3).text() == "800.50"


# -- other registers -------------------------------------------------------------------------------


def test_the_msps_own_register(
    qtbot: QtBot, workspace: Store, client_id: int, items: dict[str, int], as_of: dt.date
) -> None:
    write_setting(workspace, csi.MSP_FISCAL_START_SETTING, 4)
    write_setting(workspace, csi.CURRENCY_SETTING, "$")
    _add(workspace, None, "New PSA", target_fiscal_year=2027, target_quarter=3, one_time_cost=5)
    tab = make_tab(qtbot, workspace, None, as_of)
    assert texts(tab, Column.TITLE) == ["New PSA"]
    assert texts(tab, Column.ONE_TIME) == ["$5.00"]
    assert tab.roadmap_view.columns[0].heading.text() == "FY2027 Q3"  # Oct–Dec, April start
    assert tab.roadmap_view.card(1 + max(items.values())) is not None


def test_a_read_only_workspace_lists_but_does_not_edit(
    qtbot: QtBot, workspace: Store, client_id: int, items: dict[str, int], as_of: dt.date
) -> None:
    path = workspace.location.path
    workspace.close()
    with open_store(path, read_only=True) as reader:
        tab = make_tab(qtbot, reader, client_id, as_of)
        tab.select_item(items["vault"])
        assert len(texts(tab, Column.TITLE)) == 3
        assert not tab.add_button.isEnabled()
        assert not tab.up_button.isEnabled()
        assert tab.edit_button.isEnabled() and tab.edit_button.text() == "&Open…"
        assert tab.add_item() is None
        assert not tab.move_selected(-1)


def test_a_missing_client_says_so(qtbot: QtBot, workspace: Store, as_of: dt.date) -> None:
    tab = make_tab(qtbot, workspace, 4242, as_of)
    assert tab.outer.currentWidget() is tab.error_panel
    assert "no longer exists" in tab.error_panel.text_label.text()


def test_the_preview_tells_the_selected_items_story(
    tab: CsiTab, workspace: Store, items: dict[str, int]
) -> None:
    assert tab.preview.toPlainText() == ""
    csi.update_item(workspace, items["firewall"], {"justification": "<b>Old</b> & slow"}, "Tim")
    for n in range(4):
        csi.update_item(workspace, items["firewall"], {"progress_pct": 10 * (n + 1)}, "Tim")
    tab.reload()
    tab.select_item(items["firewall"])
    text = tab.preview.toPlainText()
    assert "Replace firewall — rank 1, Approved, work done 40 %" in text
    assert "Why: <b>Old</b> & slow" in text  # shown as typed
    assert "from 20, to 80, now 50 (50 % of the way)" in text
    assert "FY2027 Q3 (Jan–Mar 2027)" in text
    assert "150.00 a month (1,800.00 a year)" in text
    assert "Work done (%): 30 % → 40 %" in text
    assert "… and 3 earlier" in text  # 3 shown of 6 entries
