"""The Settings page: workspace settings, tier templates and internal bodies, on a real
demo workspace; dialogs and messages are replaced so nothing blocks."""

from __future__ import annotations

import datetime as dt

import pytest

from vcio_desk import assets
from vcio_desk.services.demo import build_demo
from vcio_desk.services.rhythms import list_rhythms, tier_templates
from vcio_desk.services.settings import read_settings
from vcio_desk.services.workspace_settings import staff_options
from vcio_desk.store import Store
from vcio_desk.ui.pages.settings_page import (
    BodyDialog,
    BodyRequest,
    BodyRhythmDialog,
    SettingsPage,
    TierEditRequest,
    TierRuleDialog,
)

AS_OF = dt.date(2026, 11, 20)


@pytest.fixture
def demo(workspace: Store) -> Store:
    build_demo(workspace, clients=4, years=1, seed=2, as_of=AS_OF)
    return workspace


@pytest.fixture
def messages() -> list[tuple[str, str]]:
    return []


@pytest.fixture
def page(qtbot, demo: Store, messages) -> SettingsPage:
    page = SettingsPage(demo, lambda: AS_OF)
    page.notify = lambda _parent, title, text: messages.append((title, text))
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    return page


def row_of(page: SettingsPage, tier: str, key: str) -> int:
    rows = page.tier_model.rows()
    return next(i for i, r in enumerate(rows) if (r.tier, r.meeting_type_key) == (tier, key))


def test_models_pass_qt_model_tests(qtmodeltester, page: SettingsPage) -> None:
    assert page.tier_model.rowCount() == 6
    assert page.body_model.rowCount() >= 2
    qtmodeltester.check(page.tier_model, force_py=True)
    qtmodeltester.check(page.body_model, force_py=True)


def test_shows_location_and_backups(page: SettingsPage, demo: Store) -> None:
    assert page.location_label.text() == demo.location.display
    assert page.backups_label.text() == str(demo.location.backup_dir)


def test_save_workspace_round_trip(qtbot, page: SettingsPage, demo: Store, messages) -> None:
    someone = staff_options(demo)[1]
    page.msp_name_edit.setText("Northwind IT")
    page.paper_combo.setCurrentText("Letter")
    page.lead_spin.setValue(30)
    page.country_edit.setText("us")
    page.subdivision_edit.setText("NY")
    page.user_combo.setCurrentIndex(page.user_combo.findData(someone.id))
    with qtbot.waitSignal(page.workspace_saved):
        page.save_button.click()
    assert messages == []
    settings = read_settings(demo)
    assert settings["msp_name"] == "Northwind IT"
    assert settings["paper_size"] == "Letter"
    assert settings["lead_days"] == 30
    assert (settings["holidays_country"], settings["holidays_subdivision"]) == ("US", "NY")
    assert settings["current_user_staff_id"] == someone.id
    assert page.country_edit.text() == "US"

    again = SettingsPage(demo, lambda: AS_OF)
    qtbot.addWidget(again)
    assert again.msp_name_edit.text() == "Northwind IT"
    assert again.paper_combo.currentText() == "Letter"
    assert again.user_combo.currentData() == someone.id


def test_bad_country_is_refused_and_nothing_saved(
    page: SettingsPage, demo: Store, messages
) -> None:
    before = read_settings(demo)
    page.msp_name_edit.setText("Changed name")
    page.country_edit.setText("XX")
    assert page.save_workspace() is False
    assert len(messages) == 1
    assert "No public holiday calendar for XX" in messages[0][1]
    assert read_settings(demo) == before
    assert page.country_edit.text() == "XX"  # the input stays
    assert page.msp_name_edit.text() == "Changed name"


def test_tier_template_edit_is_saved(page: SettingsPage, demo: Store, messages) -> None:
    asked: list[TierEditRequest] = []

    def opener(_parent, request: TierEditRequest):
        asked.append(request)
        return "FREQ=MONTHLY;INTERVAL=2", 9

    page.tier_opener = opener
    row = row_of(page, "A", "vcio_meeting")
    page.tier_view.selectRow(row)
    page.edit_tier_button.click()
    assert asked[0].row.rule == "FREQ=MONTHLY;INTERVAL=3"
    assert messages == []
    item = next(
        i for i in tier_templates(demo)["tiers"]["A"] if i["meeting_type"] == "vcio_meeting"
    )
    assert (item["rrule"], item["tolerance_days"]) == ("FREQ=MONTHLY;INTERVAL=2", 9)
    shown = page.tier_model.rows()[row_of(page, "A", "vcio_meeting")]
    assert shown.tolerance_days == 9
    assert "2 months" in shown.description.lower() or "every" in shown.description.lower()


def test_invalid_tier_edit_is_refused(page: SettingsPage, demo: Store, messages) -> None:
    before = tier_templates(demo)
    page.tier_opener = lambda _p, _r: ("FREQ=WEEKLY", 10)  # windows would overlap
    assert page.edit_tier(row_of(page, "A", "alignment_review")) is False
    assert messages and "tolerance" in messages[0][1].lower()
    assert tier_templates(demo) == before


def test_reset_to_defaults_asks_first(page: SettingsPage, demo: Store) -> None:
    page.tier_opener = lambda _p, _r: ("FREQ=MONTHLY;INTERVAL=2", 9)
    assert page.edit_tier(0)
    page.confirm = lambda *_args: False
    assert page.reset_tiers() is False
    assert tier_templates(demo) != assets.template("tier_rhythms")
    page.confirm = lambda *_args: True
    page.reset_tiers_button.click()
    assert tier_templates(demo) == assets.template("tier_rhythms")
    assert (
        page.tier_model.rows()[0].rule == assets.template("tier_rhythms")["tiers"]["A"][0]["rrule"]
    )


def test_tier_dialog_returns_the_edited_rule(qtbot, page: SettingsPage) -> None:
    row = page.tier_model.rows()[row_of(page, "C", "vcio_meeting")]
    dialog = TierRuleDialog(TierEditRequest(row, AS_OF), page)
    qtbot.addWidget(dialog)
    assert dialog.value() == ("FREQ=YEARLY", 30)
    dialog.editor.tolerance_spin.setValue(40)
    dialog.editor.flush()
    assert dialog.value() == ("FREQ=YEARLY", 40)
    assert not dialog.editor.anchor_edit.isVisibleTo(dialog)


def test_add_body_and_rhythm(qtbot, page: SettingsPage, demo: Store, messages) -> None:
    owner = staff_options(demo)[0]
    dialogs: list[object] = []

    def add_body(parent, request: BodyRequest):
        dialog = BodyDialog(request, parent)
        qtbot.addWidget(dialog)
        dialog.name_edit.setText("Security board")
        dialog.owner_combo.setCurrentIndex(dialog.owner_combo.findData(owner.id))
        dialog.timezone_edit.setText("Europe/Berlin")
        dialog.country_edit.setText("DE")
        dialog.accept()
        dialogs.append(dialog)
        return dialog.result_id

    page.body_opener = add_body
    page.add_body_button.click()
    body_id = dialogs[0].result_id
    assert body_id is not None
    rows = [r for r in page.body_model.rows() if r.body_id == body_id]
    assert [(r.name, r.owner, r.timezone, r.rhythm_id) for r in rows] == [
        ("Security board", owner.name, "Europe/Berlin", None)
    ]
    selected = page._selected(page.body_view)
    assert page.body_model.rows()[selected].body_id == body_id

    def add_rhythm(parent, request):
        dialog = BodyRhythmDialog(request, parent)
        qtbot.addWidget(dialog)
        assert dialog.type_combo.currentData() == "standards_committee"
        assert dialog.editor.rule() == "FREQ=MONTHLY;BYDAY=2WE"  # from the internal template
        dialog.accept()
        return dialog.result_id

    page.body_rhythm_opener = add_rhythm
    page.add_rhythm_button.click()
    assert messages == []
    rhythms = list_rhythms(demo, internal_body_id=body_id)
    assert [(r.meeting_type_key, r.subject_kind, r.owner_id) for r in rhythms] == [
        ("standards_committee", "internal", owner.id)
    ]
    rows = [r for r in page.body_model.rows() if r.body_id == body_id]
    assert rows[0].rhythm_id == rhythms[0].id
    assert "2nd Wednesday" in rows[0].rhythm
    assert rows[0].tolerance_days == 5

    def new_version(parent, request):
        dialog = BodyRhythmDialog(request, parent)
        qtbot.addWidget(dialog)
        assert not dialog.ok_button.isEnabled()  # a new version needs a reason
        dialog.reason_edit.setText("Fortnightly during the audit")
        dialog.editor.set_rhythm("FREQ=WEEKLY;INTERVAL=2;BYDAY=WE", AS_OF, 3)
        dialog.accept()
        return dialog.result_id

    page.body_rhythm_opener = new_version
    assert page.new_body_version(page._selected(page.body_view)) is not None
    versions = list_rhythms(demo, internal_body_id=body_id)[0].versions
    assert len(versions) == 2
    assert versions[-1].reason == "Fortnightly during the audit"


def test_bad_body_is_explained_and_dialog_stays(
    qtbot, page: SettingsPage, demo: Store, monkeypatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(
        "vcio_desk.ui.dialogs.rhythm_dialog.show_error", lambda _p, _t, text: shown.append(text)
    )
    dialog = BodyDialog(BodyRequest(demo, tuple(staff_options(demo))), page)
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("Night shift")
    dialog.timezone_edit.setText("Mars/Olympus")
    dialog.accept()
    assert dialog.result_id is None
    assert shown and "time zone" in shown[0]
    assert dialog.name_edit.text() == "Night shift"
