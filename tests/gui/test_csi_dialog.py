"""The CSI item dialog: every field saved, live KPI bar, status moves, history, refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtCore import QLocale
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from vcio_desk.domain.fiscal import FiscalQuarter
from vcio_desk.domain.vocab import CsiStatus
from vcio_desk.services import csi
from vcio_desk.services.settings import write_setting
from vcio_desk.store import Store
from vcio_desk.store import models as m
from vcio_desk.ui.dialogs.csi_dialog import CsiDialog, CsiDialogRequest

US = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)


@pytest.fixture
def ids(workspace: Store) -> dict[str, int]:
    with workspace.transaction() as session:
        ada = m.Staff(name="Ada Lovelace", is_vcio=True)
        tim = m.Staff(name="Tim Berners-Lee", is_tam=True)
        session.add_all([ada, tim])
        session.flush()
        acme = m.Client(name="Acme Dental", tier="A", fiscal_year_start_month=7, vcio_id=ada.id)
        session.add(acme)
        session.flush()
        return {"ada": ada.id, "tim": tim.id, "acme": acme.id}


class Harness:
    """Opens real dialogs on the workspace and records what they tell the user."""

    def __init__(self, qtbot: QtBot, store: Store, client_id: int | None, as_of: dt.date):
        self.qtbot, self.store, self.client_id, self.as_of = qtbot, store, client_id, as_of
        self.messages: list[str] = []
        self.asked_discard = 0
        self.discard = True

    def open(self, item_id: int | None = None) -> CsiDialog:
        context = csi.register_context(self.store, self.client_id)
        request = CsiDialogRequest(self.store, context, self.as_of, "Ada", item_id, US)
        dialog = CsiDialog(request)
        self.qtbot.addWidget(dialog)
        dialog.notify = lambda _parent, text: self.messages.append(text)

        def ask(_parent: object, _what: str) -> str:
            self.asked_discard += 1
            return "discard" if self.discard else "cancel"

        dialog.ask_unsaved = ask  # type: ignore[assignment]
        return dialog


@pytest.fixture
def harness(qtbot: QtBot, workspace: Store, ids: dict[str, int], as_of: dt.date) -> Harness:
    return Harness(qtbot, workspace, ids["acme"], as_of)


def _item(store: Store, client_id: int, **fields: object) -> int:
    return csi.create_item(store, client_id, {"title": "Cut phishing", **fields}, "Ada")


def test_a_new_item_starts_with_sensible_defaults(harness: Harness, ids: dict[str, int]) -> None:
    dialog = harness.open()
    assert dialog.windowTitle() == "New CSI item — Acme Dental"
    assert dialog.owner_combo.currentData() == ids["ada"]  # the client's vCIO
    # 20 Nov 2026 is in FY2027 Q2 for a July start; new items aim at the next quarter.
    assert dialog.selected_quarter() == FiscalQuarter(2027, 3)
    assert dialog.quarter_combo.currentText() == "FY2027 Q3 (Jan–Mar 2027)"
    assert dialog.size_combo.currentData() == "M"
    assert dialog.status_buttons == {}
    assert "Proposed" in dialog.status_label.text()
    assert not dialog.is_dirty()


def test_saving_a_new_item_stores_every_field(
    harness: Harness, workspace: Store, ids: dict[str, int]
) -> None:
    dialog = harness.open()
    dialog.title_edit.setText("Reduce password resets")
    dialog.description_edit.setPlainText("Self-service reset")
    dialog.justification_edit.setPlainText("Ten calls a week")
    dialog.size_combo.setCurrentIndex(dialog.size_combo.findData("L"))
    dialog.priority_combo.setCurrentIndex(dialog.priority_combo.findData("high"))
    dialog.owner_combo.setCurrentIndex(dialog.owner_combo.findData(ids["tim"]))
    dialog.quarter_combo.setCurrentIndex(dialog.quarter_combo.findData(None))
    dialog.progress_spin.setValue(10)
    dialog.kpi_name_edit.setText("Reset tickets")
    dialog.kpi_unit_edit.setText("tickets")
    dialog.kpi_edits["kpi_baseline"].setText("1,200")
    dialog.kpi_edits["kpi_target"].setText("400")
    dialog.kpi_edits["kpi_current"].setText("1000.5")
    dialog.one_time_spin.setValue(4500.5)
    dialog.recurring_spin.setValue(120)
    dialog.note_edit.setText("From the review")
    assert dialog.is_dirty()
    assert dialog.save()
    assert dialog.result_value is not None and dialog.result_value.created
    detail = csi.item_detail(workspace, dialog.result_value.item_id)
    row = detail.row
    assert row.title == "Reduce password resets"
    assert (row.description, row.justification) == ("Self-service reset", "Ten calls a week")
    assert (str(row.size), str(row.priority), row.owner) == ("L", "high", "Tim Berners-Lee")
    assert row.target is None and row.progress_pct == 10
    assert (row.kpi_name, row.kpi_unit) == ("Reset tickets", "tickets")
    assert (row.kpi_baseline, row.kpi_target, row.kpi_current) == (
        Decimal("1200.00"),
        Decimal("400.00"),
        Decimal("1000.50"),
    )
    assert (row.one_time_cost, row.recurring_cost_monthly) == (
        Decimal("4500.50"),
        Decimal("120.00"),
    )
    assert detail.history[0].note == "From the review"


def test_the_kpi_bar_follows_what_is_typed(harness: Harness) -> None:
    dialog = harness.open()
    edits = dialog.kpi_edits
    assert not dialog.kpi_bar.isEnabled()
    edits["kpi_baseline"].setText("120")
    edits["kpi_target"].setText("40")
    edits["kpi_current"].setText("100")
    assert dialog.kpi_bar.isEnabled() and dialog.kpi_bar.value() == 25
    assert "lower is better" in dialog.kpi_hint.text()
    edits["kpi_current"].setText("10")  # beyond the target
    assert dialog.kpi_bar.value() == 100
    edits["kpi_target"].setText("120")
    assert not dialog.kpi_bar.isEnabled()
    assert "same" in dialog.kpi_hint.text()
    edits["kpi_target"].setText("forty")
    assert "Not a number: target" in dialog.kpi_hint.text()


def test_a_refused_save_keeps_what_was_typed(harness: Harness, workspace: Store) -> None:
    dialog = harness.open()
    dialog.title_edit.setText("Faster onboarding")
    dialog.kpi_edits["kpi_current"].setText("lots")
    assert not dialog.save()
    assert harness.messages == ["The KPI current must be a number (e.g. 42 or 3.5)."]
    dialog.kpi_edits["kpi_current"].setText("")
    dialog.title_edit.setText("   ")
    assert not dialog.save()
    assert harness.messages[-1] == "Title is required."
    assert dialog.result_value is None
    assert dialog.kpi_edits["kpi_current"].text() == ""
    assert csi.register(workspace, harness.client_id) == []


def test_status_buttons_offer_only_valid_moves(
    harness: Harness, workspace: Store, ids: dict[str, int]
) -> None:
    item_id = _item(workspace, ids["acme"])
    dialog = harness.open(item_id)
    assert set(dialog.status_buttons) == {CsiStatus.APPROVED, CsiStatus.DEFERRED}
    dialog.status_buttons[CsiStatus.APPROVED].click()
    assert "Proposed → Approved (when you save)" in dialog.status_label.text()
    dialog.status_buttons[CsiStatus.DEFERRED].click()  # exclusive: the other one goes off
    assert not dialog.status_buttons[CsiStatus.APPROVED].isChecked()
    dialog.status_buttons[CsiStatus.DEFERRED].click()  # and off again: no move
    assert dialog.fields().get("status") is None
    dialog.status_buttons[CsiStatus.APPROVED].click()
    dialog.note_edit.setText("Agreed in the QBR")
    assert dialog.save()
    edit = dialog.result_value.edit if dialog.result_value else None
    assert edit is not None and set(edit.changes) == {"status"}
    assert csi.register(workspace, ids["acme"])[0].status is CsiStatus.APPROVED

    for status in ("in_progress", "done"):
        csi.change_status(workspace, item_id, status, "Ada")
    assert harness.open(item_id).status_buttons == {}  # done is final
    csi.create_item(workspace, ids["acme"], {"title": "Later", "status": "deferred"}, "Ada")
    deferred = csi.register(workspace, ids["acme"])[-1].id
    assert set(harness.open(deferred).status_buttons) == {
        CsiStatus.PROPOSED,
        CsiStatus.APPROVED,
    }


def test_marking_done_fills_work_done(harness: Harness, workspace: Store) -> None:
    item_id = _item(workspace, harness.client_id, status="in_progress", progress_pct=40)
    dialog = harness.open(item_id)
    dialog.status_buttons[CsiStatus.DONE].click()
    assert dialog.progress_spin.value() == 100
    assert dialog.save()
    assert csi.register(workspace, harness.client_id)[0].progress_pct == 100


def test_editing_shows_the_history_newest_first(
    harness: Harness, workspace: Store, ids: dict[str, int]
) -> None:
    item_id = _item(workspace, ids["acme"], one_time_cost="1000")
    csi.update_item(workspace, item_id, {"one_time_cost": "2500"}, "Tim", "Quote <final> & signed")
    dialog = harness.open(item_id)
    text = dialog.history_view.toPlainText()
    assert dialog.history_caption.text() == "History (2 entries, newest first)"
    assert text.index("Tim") < text.index("created")
    assert "One-time cost: 1,000.00 → 2,500.00" in text
    assert "“Quote <final> & signed”" in text  # shown as typed, not as markup
    assert dialog.one_time_spin.value() == 2500
    dialog.kpi_name_edit.setText("Click rate")
    dialog.note_edit.setText("KPI agreed")
    assert dialog.save()
    assert dialog.result_value is not None and dialog.result_value.edit is not None
    assert dict(dialog.result_value.edit.changes) == {"kpi_name": ("", "Click rate")}
    again = harness.open(item_id).history_view.toPlainText()
    assert again.index("KPI agreed") < again.index("Quote")
    assert "KPI: — → Click rate" in again


def test_an_edit_made_elsewhere_meanwhile_is_not_overwritten(
    harness: Harness, workspace: Store, ids: dict[str, int]
) -> None:
    item_id = _item(workspace, ids["acme"])
    dialog = harness.open(item_id)
    dialog.title_edit.setText("My better title")
    csi.update_item(workspace, item_id, {"title": "Their title"}, "Tim")  # another window
    assert not dialog.save()
    assert "changed elsewhere" in harness.messages[-1]
    assert "reload" in harness.messages[-1]
    assert dialog.title_edit.text() == "My better title"  # nothing typed is lost
    assert csi.register(workspace, ids["acme"])[0].title == "Their title"


def test_closing_with_changes_asks_first(harness: Harness, workspace: Store) -> None:
    item_id = _item(workspace, harness.client_id)
    dialog = harness.open(item_id)
    dialog.show()
    dialog.reject()  # nothing changed: no question
    assert harness.asked_discard == 0 and not dialog.isVisible()
    dialog = harness.open(item_id)
    dialog.show()
    dialog.description_edit.setPlainText("typed")
    harness.discard = False
    dialog.reject()
    assert harness.asked_discard == 1 and dialog.isVisible()
    harness.discard = True
    dialog.reject()
    assert not dialog.isVisible()


def test_linked_findings_are_listed(harness: Harness, workspace: Store) -> None:
    item_id = _item(workspace, harness.client_id)
    assert harness.open(item_id).findings_tree.isHidden()
    with workspace.transaction() as session:
        review = m.AlignmentReview(client_id=harness.client_id, started_on=dt.date(2026, 9, 1))
        session.add(review)
        session.flush()
        session.add(
            m.ReviewItem(
                review_id=review.id,
                code="SEC-7",
                section_name="Security",
                category_name="Email",
                question="Is DMARC enforced?",
                priority="high",
                answer="misaligned",
                rating="vulnerable",
                csi_item_id=item_id,
            )
        )
    dialog = harness.open(item_id)
    assert dialog.findings_tree.topLevelItemCount() == 1
    item = dialog.findings_tree.topLevelItem(0)
    assert item.text(0) == "SEC-7 Is DMARC enforced?"
    assert item.text(2) == "Vulnerable"
    assert "(1)" in dialog.findings_caption.text()


def test_currency_symbol_from_the_workspace(harness: Harness, workspace: Store) -> None:
    write_setting(workspace, csi.CURRENCY_SETTING, "€")
    dialog = harness.open()
    assert dialog.one_time_spin.prefix() == "€ "
    dialog.recurring_spin.setValue(100)
    assert dialog.annual_label.text().startswith("€1,200.00")


def test_a_read_only_workspace_shows_but_does_not_save(
    qtbot: QtBot, workspace: Store, ids: dict[str, int], as_of: dt.date
) -> None:
    from vcio_desk.store import open_store

    item_id = _item(workspace, ids["acme"])
    path = workspace.location.path
    workspace.close()
    with open_store(path, read_only=True) as reader:
        harness = Harness(qtbot, reader, ids["acme"], as_of)
        dialog = harness.open(item_id)
        assert not dialog.save_button.isEnabled()
        dialog.title_edit.setText("changed")
        assert not dialog.save()
        with reader.session() as session:
            assert session.scalar(select(m.CsiItem.title)) == "Cut phishing"
