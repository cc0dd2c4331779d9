"""The client page: header, tabs, rhythm cards with history, and the dialogs that write.

Real workspaces only (the demo builder or rows inserted by the GUI conftest). The
dialogs are driven for real through the page's replaceable openers, so nothing
blocks on a modal ``exec()``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from vcio_desk.domain.presets import PresetKind
from vcio_desk.domain.slots import VersionSpec, slots
from vcio_desk.services.client_detail import author_name
from vcio_desk.services.clients import list_clients
from vcio_desk.services.demo import build_demo
from vcio_desk.services.rhythms import add_version, list_rhythms
from vcio_desk.services.settings import read_settings
from vcio_desk.store import Store
from vcio_desk.ui.dialogs.rhythm_dialog import RhythmDialog, RhythmRequest
from vcio_desk.ui.dialogs.tier_dialog import TierDialog, TierRequest
from vcio_desk.ui.main_window import MainWindow
from vcio_desk.ui.models.clients_model import Column as ClientColumn
from vcio_desk.ui.models.rhythm_versions_model import Column, RhythmVersionsModel
from vcio_desk.ui.pages.client_page import ClientPage
from vcio_desk.ui.widgets.rhythm_editor import to_qdate

D = dt.date
OFFSCREEN_NOISE = (
    r"This plugin does not support propagateSizeHints\(\)",  # as tests/gui/conftest.py
    r"This plugin does not support raise\(\)",  # raising a client window, offscreen
)
"""What the offscreen platform says about window-manager calls it cannot do."""
C_LOCALE = QLocale(QLocale.Language.C)  # ISO dates: what the assertions read
PageFactory = Callable[[Store, str], ClientPage]


@pytest.fixture
def demo(workspace: Store, as_of: dt.date) -> Store:
    build_demo(workspace, clients=6, years=2, seed=2, as_of=as_of)
    return workspace


def client_id(store: Store, name: str, as_of: dt.date) -> int:
    return next(row.id for row in list_clients(store, as_of) if row.name == name)


@pytest.fixture
def make_page(qtbot, as_of: dt.date) -> PageFactory:
    def make(store: Store, name: str) -> ClientPage:
        page = ClientPage(store, client_id(store, name, as_of), lambda: as_of, locale=C_LOCALE)
        qtbot.addWidget(page)
        page.resize(1100, 800)
        page.show()
        qtbot.waitExposed(page)
        page.reload()
        return page

    return make


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Messages the dialogs show in a warning box (the box itself is not opened)."""
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))
    return shown


def history(page: ClientPage, key: str) -> list[list[str]]:
    model = page.card_for(key).versions_model
    return [
        [model.index(row, column).data() for column in Column] for row in range(model.rowCount())
    ]


def pick(editor, kind: PresetKind) -> None:
    editor.preset_combo.setCurrentIndex(editor.preset_combo.findData(kind.value))


def choose(combo, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, f"{text!r} not offered"
    combo.setCurrentIndex(index)


# -- header and tabs --------------------------------------------------------------------------


def test_header_and_tabs(make_page: PageFactory, populated: Store) -> None:
    page = make_page(populated, "Acme Dental")
    assert page.windowTitle() == "Acme Dental — vcio_desk"
    assert page.name_label.text() == "Acme Dental"
    assert page.tier_label.text() == "A"
    assert page.change_tier_button.isEnabled()
    values = {key: label.text() for key, label in page.values.items()}
    assert values == {
        "vcio": "Ada Lovelace",
        "tam": "Émile Zola",
        "account_manager": "Ken Thompson",
        "fiscal": "January",
        "place": "US-NY",
        "timezone": "America/New_York",
        "external_id": "PSA-001",
    }
    titles = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    assert titles == [
        "Overview", "Rhythms", "Meetings", "Reviews", "CSI && roadmap", "Actions", "Contacts (2)",
    ]  # fmt: skip
    assert page.tabs.currentWidget() is page.lazy_tabs["overview"]
    assert not page.lazy_tabs["reviews"].is_built  # built when first shown
    page.show_tab("reviews")
    assert page.lazy_tabs["reviews"].is_built
    page.tabs.setCurrentWidget(page.contacts_tab)
    table = page.contacts_table
    assert table.rowCount() == 2
    assert sorted(table.item(r, 0).text() for r in range(2)) == ["Jo Park", "Sam Lee"]


def test_missing_owners_and_inactive_client(make_page: PageFactory, populated: Store) -> None:
    page = make_page(populated, "Delta Freight")
    assert page.values["vcio"].text() == "—"
    assert page.values["place"].text() == "—"
    assert page.tabs.tabText(page.tabs.indexOf(page.contacts_tab)) == "Contacts (0)"
    assert page.contacts_table.isHidden() and not page.no_contacts.isHidden()
    zenith = make_page(populated, "Zenith Legal")
    assert zenith.status_label.text() == "Inactive client"


def test_a_client_that_is_gone_says_so(qtbot, populated: Store, as_of: dt.date) -> None:
    page = ClientPage(populated, 9999, lambda: as_of)
    qtbot.addWidget(page)
    page.reload()
    assert page.name_label.text() == "Client not found"
    assert "no longer exists" in page.status_label.text()
    assert not page.change_tier_button.isEnabled()
    assert not page.add_rhythm_button.isEnabled()


# -- rhythms ----------------------------------------------------------------------------------


def test_rhythm_cards_show_rule_slots_and_history(
    make_page: PageFactory, demo: Store, as_of: dt.date
) -> None:
    page = make_page(demo, "Heron Senior Living")
    assert [card.rhythm.meeting_type_key for card in page.cards] == [
        "alignment_review",
        "vcio_meeting",
    ]
    assert page.rhythm_count_label.text() == "2 rhythms"
    assert not page.add_rhythm_button.isEnabled(), "both meeting types have a rhythm"
    card = page.card_for("vcio_meeting")
    assert card.title_label.text() == "vCIO strategic meeting"
    assert card.description_label.text() == "Quarterly on the 8th"
    assert card.facts_label.text() == (
        "Tolerance ±14 days  ·  Anchor 2026-02-08  ·  In force since 2026-02-08"
    )
    assert card.scheduled_label.isHidden()
    expected = [D(2027, 2, 8), D(2027, 5, 8), D(2027, 8, 8), D(2027, 11, 8), D(2028, 2, 8),
                D(2028, 5, 8)]  # fmt: skip
    assert card.next_dates == expected
    assert card.next_label.text().split("   ")[0] == "Mon 2027-02-08"
    # The same as the domain's slots over both versions.
    (view,) = [r for r in list_rhythms(demo, client_id=page.client_id) if r.id == card.rhythm.id]
    specs = [
        VersionSpec(v.rule, v.anchor, v.tolerance_days, v.effective_from) for v in view.versions
    ]
    assert [s.nominal for s in slots(specs, as_of, D(2030, 1, 1))][:6] == expected
    assert history(page, "vcio_meeting") == [
        ["2026-02-08", "In force", "Quarterly on the 8th", "±14 days",
         "Moved from tier B to tier A at renewal", view.versions[1].author],
        ["2025-04-20", "Superseded", "Twice a year on the 20th", "±21 days",
         "Initial rhythm from the tier template", view.versions[0].author],
    ]  # fmt: skip
    alignment = page.card_for("alignment_review")
    assert alignment.description_label.text() == "Monthly on the 9th"
    assert alignment.next_dates[:2] == [D(2026, 12, 9), D(2027, 1, 9)]
    assert alignment.versions_view.verticalScrollBar().maximum() == 0, "no scrolling inside"


def test_versions_model(qtmodeltester, demo: Store, as_of: dt.date) -> None:
    rhythms = list_rhythms(demo, client_id=client_id(demo, "Heron Senior Living", as_of))
    versions = [v for r in rhythms for v in r.versions if r.meeting_type_key == "vcio_meeting"]
    model = RhythmVersionsModel(locale=C_LOCALE)
    model.set_versions(versions, as_of)
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 2 and model.columnCount() == len(Column)
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Effective from"
    assert model.index(0, Column.EFFECTIVE_FROM).data(Qt.ItemDataRole.FontRole).bold()
    assert model.index(1, Column.EFFECTIVE_FROM).data(Qt.ItemDataRole.FontRole) is None
    assert "RRULE: FREQ=MONTHLY;INTERVAL=3" in model.index(0, Column.RULE).data(
        Qt.ItemDataRole.ToolTipRole
    )
    # Before the second version starts, it is scheduled and the first is in force.
    model.set_versions(versions, D(2025, 6, 1))
    assert [model.index(r, Column.STATE).data() for r in range(2)] == ["Scheduled", "In force"]
    model.set_versions([], as_of)
    qtmodeltester.check(model, force_py=True)


# -- new version ------------------------------------------------------------------------------


def test_new_version_through_the_dialog(
    qtbot, make_page: PageFactory, demo: Store, as_of: dt.date
) -> None:
    page = make_page(demo, "Heron Senior Living")
    seen: list[RhythmRequest] = []

    def opener(parent, request: RhythmRequest) -> int | None:
        seen.append(request)
        dialog = RhythmDialog(request, parent, locale=C_LOCALE)
        qtbot.addWidget(dialog)
        dialog.show()
        editor = dialog.editor
        # Prefilled with the version in force: quarterly on the anchor's day.
        assert editor.kind() is PresetKind.EVERY_N_MONTHS
        assert editor.interval_spin.value() == 3
        assert (editor.anchor(), editor.tolerance_days()) == (D(2026, 2, 8), 14)
        assert dialog.effective_from() == as_of
        assert not dialog.ok_button.isEnabled(), "a reason is required"
        assert "needs a reason" in dialog.note_label.text()
        pick(editor, PresetKind.MONTHLY_NTH_WEEKDAY)
        choose(editor.nth_combo, "2nd")
        choose(editor.weekday_combo, "Tuesday")
        editor.tolerance_spin.setValue(5)
        dialog.effective_edit.setDate(to_qdate(D(2027, 1, 1)))
        qtbot.keyClicks(dialog.reason_edit, "Monthly meetings during the office move")
        qtbot.waitUntil(lambda: not editor.pending and dialog.ok_button.isEnabled(), timeout=2000)
        assert editor.preview_dates()[:2] == [D(2027, 1, 12), D(2027, 2, 9)]
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert dialog.result() == QDialog.DialogCode.Accepted
        return dialog.result_id

    page.rhythm_opener = opener
    card = page.card_for("vcio_meeting")
    with qtbot.waitSignal(page.client_changed) as changed:
        qtbot.mouseClick(card.new_version_button, Qt.MouseButton.LeftButton)
    assert changed.args == [page.client_id]
    assert seen[0].rhythm is not None and seen[0].rhythm.id == card.rhythm.id

    (stored,) = [r for r in list_rhythms(demo, client_id=page.client_id) if r.id == card.rhythm.id]
    newest = stored.versions[-1]
    assert (newest.rule, newest.anchor, newest.tolerance_days, newest.effective_from) == (
        "FREQ=MONTHLY;BYDAY=2TU",
        D(2026, 2, 8),
        5,
        D(2027, 1, 1),
    )
    assert newest.reason == "Monthly meetings during the office move"
    assert newest.author == author_name(demo)  # the demo's current user, a staff member
    assert newest.author != ""

    card = page.card_for("vcio_meeting")  # rebuilt from the store
    assert history(page, "vcio_meeting")[0][:5] == [
        "2027-01-01", "Scheduled", "Monthly on the 2nd Tuesday", "±5 days",
        "Monthly meetings during the office move",
    ]  # fmt: skip
    assert [row[1] for row in history(page, "vcio_meeting")] == [
        "Scheduled", "In force", "Superseded",
    ]  # fmt: skip
    assert card.description_label.text() == "Quarterly on the 8th", "still in force today"
    assert card.scheduled_label.text() == (
        "Scheduled from 2027-01-01: Monthly on the 2nd Tuesday, ±5 days"
    )
    assert card.next_dates == [D(2027, 1, 12), D(2027, 2, 9), D(2027, 3, 9), D(2027, 4, 13),
                               D(2027, 5, 11), D(2027, 6, 8)]  # fmt: skip
    assert "saved" in page.notice_label.text()


def test_cancelled_dialog_writes_nothing(qtbot, make_page: PageFactory, demo: Store) -> None:
    page = make_page(demo, "Heron Senior Living")
    page.rhythm_opener = lambda _parent, _request: None
    before = list_rhythms(demo, client_id=page.client_id)
    with qtbot.assertNotEmitted(page.client_changed):
        page.card_for("vcio_meeting").new_version_button.click()
    assert list_rhythms(demo, client_id=page.client_id) == before


def _new_version_dialog(qtbot, page: ClientPage, as_of: dt.date) -> RhythmDialog:
    rhythm = page.card_for("vcio_meeting").rhythm
    assert page.detail is not None
    request = RhythmRequest(page.store, page.detail, as_of, "Tester", rhythm=rhythm)
    dialog = RhythmDialog(request, page, locale=C_LOCALE)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_dialog_refuses_bad_dates_and_wide_tolerance(
    qtbot, make_page: PageFactory, demo: Store, as_of: dt.date
) -> None:
    page = make_page(demo, "Heron Senior Living")
    dialog = _new_version_dialog(qtbot, page, as_of)
    dialog.reason_edit.setText("Because")
    assert dialog.ok_button.isEnabled()
    dialog.effective_edit.setDate(to_qdate(D(2026, 2, 8)))  # the current version's own date
    assert not dialog.ok_button.isEnabled()
    assert not dialog.issue_row.isHidden()
    assert "must take effect after 2026-02-08" in dialog.issue_label.text()
    dialog.effective_edit.setDate(to_qdate(D(2026, 12, 1)))
    assert dialog.ok_button.isEnabled() and dialog.issue_row.isHidden()
    pick(dialog.editor, PresetKind.WEEKLY)
    dialog.editor.flush()  # tolerance 14 on a weekly rule
    assert not dialog.ok_button.isEnabled()
    assert "too wide" in dialog.editor.error_label.text()
    dialog.accept()  # even if called directly, nothing is written
    assert dialog.result_id is None and dialog.isVisible()
    assert len(list_rhythms(demo, client_id=page.client_id)[1].versions) == 2


def test_a_refusal_from_the_store_keeps_the_dialog_and_input(
    qtbot,
    make_page: PageFactory,
    demo: Store,
    as_of: dt.date,
    errors: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = make_page(demo, "Heron Senior Living")
    dialog = _new_version_dialog(qtbot, page, as_of)
    pick(dialog.editor, PresetKind.MONTHLY_DAY)
    dialog.editor.day_spin.setValue(3)
    dialog.editor.tolerance_spin.setValue(7)
    dialog.effective_edit.setDate(to_qdate(D(2027, 1, 1)))
    dialog.reason_edit.setText("Client wants the first week of the month")
    dialog.editor.flush()
    assert dialog.ok_button.isEnabled()
    # Meanwhile someone else adds a later version (another window on the same workspace).
    rhythm_id = dialog.request.rhythm.id
    add_version(
        demo,
        rhythm_id,
        rule="FREQ=YEARLY",
        anchor=D(2027, 3, 1),
        tolerance_days=30,
        effective_from=D(2027, 3, 1),
        reason="Elsewhere",
    )
    asked: list[str] = []
    monkeypatch.setattr(
        RhythmDialog,
        "ask_reload",
        staticmethod(lambda _parent, _title, message: asked.append(message) or False),
    )
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1 and "changed" in asked[0].lower(), "a conflict, offered a reload"
    assert errors == []
    assert dialog.isVisible() and dialog.result_id is None
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.reason_edit.text() == "Client wants the first week of the month"
    assert dialog.editor.rule() == "FREQ=MONTHLY;BYMONTHDAY=3"
    stored = next(r for r in list_rhythms(demo, client_id=page.client_id) if r.id == rhythm_id)
    assert [v.reason for v in stored.versions][-1] == "Elsewhere"


# -- add rhythm -------------------------------------------------------------------------------


def test_add_rhythms_until_every_type_has_one(
    qtbot, make_page: PageFactory, populated: Store, as_of: dt.date
) -> None:
    page = make_page(populated, "Acme Dental")  # tier A, no rhythms yet
    assert page.cards == []
    assert not page.empty_rhythms.isHidden()
    assert page.add_rhythm_button.isEnabled()
    assert "Technology Alignment review" in page.add_rhythm_button.toolTip()

    def add_vcio(parent, request: RhythmRequest) -> int | None:
        dialog = RhythmDialog(request, parent, locale=C_LOCALE)
        qtbot.addWidget(dialog)
        editor = dialog.editor
        assert [dialog.type_combo.itemData(i) for i in range(dialog.type_combo.count())] == [
            "alignment_review",
            "vcio_meeting",
        ]
        # The tier A template for the first type: monthly, ±5 days, anchored today.
        assert (editor.rule(), editor.tolerance_days(), editor.anchor()) == (
            "FREQ=MONTHLY",
            5,
            as_of,
        )
        choose(dialog.type_combo, "vCIO strategic meeting")
        assert (editor.rule(), editor.tolerance_days()) == ("FREQ=MONTHLY;INTERVAL=3", 14)
        pick(editor, PresetKind.QUARTERLY_NTH_WEEKDAY)
        choose(editor.nth_combo, "2nd")
        choose(editor.weekday_combo, "Tuesday")
        editor.flush()
        assert dialog.ok_button.isEnabled(), "a reason is optional for a new rhythm"
        assert dialog.ok_button.text() == "Add rhythm"
        dialog.ok_button.click()
        return dialog.result_id

    page.rhythm_opener = add_vcio
    with qtbot.waitSignal(page.client_changed):
        page.add_rhythm_button.click()
    (stored,) = list_rhythms(populated, client_id=page.client_id)
    assert stored.meeting_type_key == "vcio_meeting"
    (version,) = stored.versions
    assert (version.rule, version.effective_from, version.reason) == (
        "FREQ=YEARLY;BYMONTH=1,4,7,10;BYDAY=2TU",
        as_of,
        "New rhythm",
    )
    assert [c.rhythm.meeting_type_key for c in page.cards] == ["vcio_meeting"]
    assert page.empty_rhythms.isHidden()
    assert page.card_for("vcio_meeting").description_label.text() == (
        "Quarterly on the 2nd Tuesday of Jan, Apr, Jul and Oct"
    )
    assert page.add_rhythm_button.isEnabled()

    def add_template(parent, request: RhythmRequest) -> int | None:
        dialog = RhythmDialog(request, parent, locale=C_LOCALE)
        qtbot.addWidget(dialog)
        assert dialog.type_combo.count() == 1  # only what is still missing
        dialog.reason_edit.setText("Onboarding")
        dialog.ok_button.click()
        return dialog.result_id

    page.rhythm_opener = add_template
    page.add_rhythm_button.click()
    assert [c.rhythm.meeting_type_key for c in page.cards] == ["alignment_review", "vcio_meeting"]
    assert page.card_for("alignment_review").description_label.text() == "Monthly on the 20th"
    assert history(page, "alignment_review")[0][4] == "Onboarding"
    assert not page.add_rhythm_button.isEnabled()


# -- tier -------------------------------------------------------------------------------------


def test_tier_change_applies_the_proposals(
    qtbot, make_page: PageFactory, demo: Store, as_of: dt.date
) -> None:
    page = make_page(demo, "Heron Senior Living")  # tier A

    def opener(parent, request: TierRequest):
        dialog = TierDialog(request, parent, locale=C_LOCALE)
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.tier() == "A"
        assert "current" in dialog.tier_buttons["A"].text()
        assert dialog.table.topLevelItemCount() == 0, "tier A's rhythms already match"
        assert not dialog.review_button.isEnabled()
        dialog.set_tier("C")
        dialog.date_edit.setDate(to_qdate(D(2026, 12, 1)))
        rows = [
            [dialog.table.topLevelItem(i).text(c) for c in range(6)]
            for i in range(dialog.table.topLevelItemCount())
        ]
        assert [row[:4] for row in rows] == [
            ["Technology Alignment review", "New version", "Twice a year on the 9th", "±21 days"],
            ["vCIO strategic meeting", "New version", "Yearly on 8 November", "±30 days"],
        ]
        assert all(row[5] == "2026-12-01" for row in rows)
        assert dialog.summary_label.text() == "This creates 2 new versions."
        dialog.review_button.click()
        assert dialog.confirming
        text = dialog.confirm_label.text()
        assert "Heron Senior Living moves from tier A to tier C." in text
        assert "From 2026-12-01:" in text
        assert "(was Monthly on the 9th, ±5 days)" in text
        dialog.back_button.click()
        assert not dialog.confirming
        dialog.review_button.click()
        dialog.apply_button.click()
        assert dialog.result() == QDialog.DialogCode.Accepted
        return dialog.applied

    page.tier_opener = opener
    with qtbot.waitSignal(page.client_changed):
        page.change_tier_button.click()
    assert page.tier_label.text() == "C"
    heron = next(r for r in list_clients(demo, as_of) if r.id == page.client_id)
    assert heron.tier == "C"
    for rhythm in list_rhythms(demo, client_id=page.client_id):
        newest = rhythm.versions[-1]
        assert (newest.effective_from, newest.reason) == (D(2026, 12, 1), "Tier C template")
    assert history(page, "vcio_meeting")[0][:4] == [
        "2026-12-01", "Scheduled", "Yearly on 8 November", "±30 days",
    ]  # fmt: skip
    assert page.notice_label.text() == "Tier changed; 2 rhythm changes."


def test_tier_change_without_rhythms(qtbot, make_page: PageFactory, demo: Store) -> None:
    page = make_page(demo, "Crestview Landscaping")  # tier C
    before = list_rhythms(demo, client_id=page.client_id)

    def opener(parent, request: TierRequest):
        dialog = TierDialog(request, parent, locale=C_LOCALE)
        qtbot.addWidget(dialog)
        dialog.set_tier("B")
        assert dialog.summary_label.text() == "This creates 2 new versions."
        dialog.apply_rhythms_check.setChecked(False)
        assert dialog.summary_label.text() == "Only the tier changes; every rhythm stays as it is."
        dialog.review_button.click()
        assert "Its rhythms stay as they are." in dialog.confirm_label.text()
        dialog.apply_button.click()
        return dialog.applied

    page.tier_opener = opener
    page.change_tier_button.click()
    assert page.tier_label.text() == "B"
    assert list_rhythms(demo, client_id=page.client_id) == before


def test_tier_refusal_keeps_the_dialog_open(
    qtbot, make_page: PageFactory, demo: Store, as_of: dt.date, errors: list[str]
) -> None:
    page = make_page(demo, "Crestview Landscaping")
    assert page.detail is not None
    dialog = TierDialog(TierRequest(demo, page.detail, as_of), page, locale=C_LOCALE)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.set_tier("A")
    dialog.review_button.click()
    # A version starting later than the tier change appears in the meantime.
    rhythm = list_rhythms(demo, client_id=page.client_id)[0]
    add_version(
        demo,
        rhythm.id,
        rule="FREQ=YEARLY",
        anchor=D(2027, 6, 1),
        tolerance_days=30,
        effective_from=D(2027, 6, 1),
        reason="Elsewhere",
    )
    dialog.apply_button.click()
    assert len(errors) == 1 and "history is never rewritten" in errors[0]
    assert dialog.isVisible() and dialog.confirming and dialog.applied is None
    crestview = next(r for r in list_clients(demo, as_of) if r.id == page.client_id)
    assert crestview.tier == "C", "nothing written: one transaction"


# -- main window ------------------------------------------------------------------------------


@pytest.mark.qt_log_ignore(*OFFSCREEN_NOISE)
def test_double_click_opens_the_client_and_esc_returns(
    qtbot, populated: Store, as_of: dt.date
) -> None:
    window = MainWindow(populated, read_settings(populated), lambda: as_of)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.clients_page.reload()
    table = window.clients_page.table
    model = window.clients_page.model
    row = next(r for r in range(model.rowCount()) if model.row_at(r).name == "Acme Dental")
    where = table.visualRect(model.index(row, ClientColumn.CLIENT)).center()
    # A person's double-click: a click, then the double-click (activation comes with it).
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    acme = model.row_at(row).id
    page = window.client_pages[acme]
    assert isinstance(page, ClientPage)
    assert page.isWindow() and page.isVisible()
    assert page.windowTitle() == "Acme Dental — vcio_desk"
    assert window.open_client(acme) is page, "one window per client"
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page)
    with qtbot.waitSignal(page.back_requested):
        qtbot.keyClick(page.tabs, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: acme not in window.client_pages)
    assert window.current_page_key() == "clients"


@pytest.mark.qt_log_ignore(*OFFSCREEN_NOISE)
def test_a_change_on_the_client_page_refreshes_the_list(
    qtbot, populated: Store, as_of: dt.date
) -> None:
    window = MainWindow(populated, read_settings(populated), lambda: as_of)
    qtbot.addWidget(window)
    window.clients_page.reload()
    acme = client_id(populated, "Acme Dental", as_of)
    page = window.open_client(acme)
    assert isinstance(page, ClientPage)

    def to_tier_c(parent, request: TierRequest):
        dialog = TierDialog(request, parent)
        qtbot.addWidget(dialog)
        dialog.set_tier("C")
        dialog.apply_rhythms_check.setChecked(False)
        dialog.review_button.click()
        dialog.apply_button.click()
        return dialog.applied

    page.tier_opener = to_tier_c
    page.change_tier_button.click()
    rows = {r.name: r.tier for r in window.clients_page.model.rows()}
    assert rows["Acme Dental"] == "C"
    page.close()
