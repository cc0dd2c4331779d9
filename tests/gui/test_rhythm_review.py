"""The rhythm review dialog on a real store: suggestions with their why and evidence,
creating the proposed version, dismissing (and showing dismissed), and the Rhythms
page's "Rhythm review…" button. Prompts and message boxes are replaced: nothing blocks."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import insert, select

from vcio_desk.services.drift import DriftReport, assess_all
from vcio_desk.services.rhythms import add_version, create_rhythm, list_rhythms
from vcio_desk.store import Store
from vcio_desk.store import models as m
from vcio_desk.ui.dialogs.rhythm_review import (
    KEEP_RULE,
    RhythmReviewDialog,
    delta_text,
)
from vcio_desk.ui.pages.rhythms_page import RhythmsPage

D = dt.date
AS_OF = D(2026, 11, 20)
HALF_YEARLY = [D(2025, 1, 15), D(2025, 7, 14), D(2026, 1, 16), D(2026, 7, 15)]
"""Planned quarterly, held about every six months: a slower cadence is proposed."""


def client_with_history(
    store: Store,
    rule: str,
    anchor: dt.date,
    tolerance: int,
    held: list[dt.date],
    name: str = "Acme",
) -> int:
    with store.transaction() as s:
        client = s.execute(
            insert(m.Client).values(name=name, tier="B").returning(m.Client.id)
        ).scalar_one()
        type_id = s.scalar(select(m.MeetingType.id).where(m.MeetingType.key == "vcio_meeting"))
        for day in held:
            start = dt.datetime.combine(day, dt.time(15), tzinfo=dt.UTC)
            s.execute(
                insert(m.Meeting).values(
                    client_id=client,
                    meeting_type_id=type_id,
                    status="held",
                    held_date=day,
                    scheduled_start=start,
                    scheduled_end=start + dt.timedelta(hours=1),
                )
            )
    create_rhythm(
        store,
        meeting_type_key="vcio_meeting",
        rule=rule,
        anchor=anchor,
        tolerance_days=tolerance,
        client_id=client,
    )
    return client


@pytest.fixture
def acme(workspace: Store) -> int:
    return client_with_history(
        workspace, "FREQ=MONTHLY;INTERVAL=3", D(2025, 1, 15), 14, HALF_YEARLY
    )


@pytest.fixture
def make_dialog(qtbot, workspace: Store):
    def make(report: DriftReport | None = None) -> RhythmReviewDialog:
        dialog = RhythmReviewDialog(workspace, AS_OF, report)
        qtbot.addWidget(dialog)
        dialog.notify = lambda _parent, text: pytest.fail(f"unexpected message: {text}")
        return dialog

    return make


def cells(table, row: int) -> list[str]:
    return [table.item(row, c).text() for c in range(table.columnCount())]


def test_lists_the_suggestion_with_its_why_and_evidence(make_dialog, acme: int) -> None:
    dialog = make_dialog()
    assert dialog.table.rowCount() == 1
    subject, meeting_type, _owner, why = cells(dialog.table, 0)
    assert subject == "Acme"
    assert meeting_type == dialog.suggestions()[0].rhythm.meeting_type
    assert why == dialog.suggestions()[0].why
    assert "as far apart as planned" in why or "adherence" in why.lower()
    assert dialog.count_label.text() == "1 suggestion"

    suggestion = dialog.selected()
    assert suggestion is not None and suggestion.has_change
    assert dialog.evidence.rowCount() == len(suggestion.evidence) >= 2
    for row, slot in enumerate(suggestion.evidence):
        texts = cells(dialog.evidence, row)
        assert texts[2] == delta_text(slot.delta_days)
        assert texts[3] in {"On time", "Early (outside the window)", "Late (outside the window)"}
        assert texts[0] and texts[1]
    assert dialog.current_label.text() == f"{suggestion.current_description}, within ±14 days"
    assert dialog.proposed_label.text().startswith(suggestion.proposed_description)
    assert dialog.accept_button.isEnabled() and dialog.dismiss_button.isEnabled()


def test_delta_in_words() -> None:
    assert delta_text(8) == "+8 d late"
    assert delta_text(-3) == "−3 d early"
    assert delta_text(0) == "on the day"
    assert delta_text(None) == ""


def test_reuses_the_report_it_is_given(make_dialog, workspace: Store, acme: int) -> None:
    empty = DriftReport(AS_OF, 21, [], [])
    assert make_dialog(empty).table.rowCount() == 0, "the given report is used, not recomputed"
    assert make_dialog(assess_all(workspace, AS_OF)).table.rowCount() == 1


def test_accept_creates_the_version_and_the_suggestion_goes(
    make_dialog, workspace: Store, acme: int
) -> None:
    dialog = make_dialog()
    suggestion = dialog.selected()
    assert suggestion is not None
    asked: list[tuple[dt.date, str]] = []

    def ask_version(_parent, default: dt.date, reason: str):
        asked.append((default, reason))
        return D(2026, 12, 1), reason

    dialog.ask_version = ask_version
    dialog.accept_button.click()
    assert asked == [(AS_OF, f"Rhythm review: {suggestion.proposed_description}")]
    (rhythm,) = list_rhythms(workspace, client_id=acme)
    latest = rhythm.versions[-1]
    assert (latest.rule, latest.effective_from, latest.reason) == (
        suggestion.proposed_rule,
        D(2026, 12, 1),
        f"Rhythm review: {suggestion.proposed_description}",
    )
    assert dialog.changed
    assert dialog.table.rowCount() == 0, "a rhythm with a planned version is not suggested"
    assert dialog.count_label.text() == (
        "0 suggestions · 1 more already re-planned (a version from this date on)"
    )
    assert dialog.empty_label.isVisibleTo(dialog)
    assert not dialog.accept_button.isEnabled()


def test_a_version_from_the_review_date_settles_it(
    make_dialog, workspace: Store, acme: int
) -> None:
    dialog = make_dialog()
    dialog.ask_version = lambda _parent, default, reason: (default, reason)
    dialog.create_version()
    (rhythm,) = list_rhythms(workspace, client_id=acme)
    assert rhythm.versions[-1].effective_from == AS_OF
    assert dialog.table.rowCount() == 0
    assert dialog.count_label.text().startswith("0 suggestions · 1 more already re-planned")


def test_a_refusal_is_shown_and_the_input_kept(make_dialog, workspace: Store, acme: int) -> None:
    dialog = make_dialog()
    answers = [(D(2026, 12, 3), "   "), None]
    asked: list[tuple[dt.date, str]] = []
    messages: list[str] = []

    def ask_version(_parent, default: dt.date, reason: str):
        asked.append((default, reason))
        return answers.pop(0)

    dialog.ask_version = ask_version
    dialog.notify = lambda _parent, text: messages.append(text)
    dialog.create_version()
    assert messages == ["Say why the rhythm changes: a new version needs a reason."]
    assert asked[1] == (D(2026, 12, 3), "   "), "asked again with what was typed"
    (rhythm,) = list_rhythms(workspace, client_id=acme)
    assert len(rhythm.versions) == 1
    assert not dialog.changed and dialog.table.rowCount() == 1


def test_dismiss_hides_it_until_show_dismissed(make_dialog, acme: int) -> None:
    dialog = make_dialog()
    notes: list[str] = []

    def ask_note(_parent, note: str):
        notes.append(note)
        return "Client asked for half-yearly in the contract review"

    dialog.ask_note = ask_note
    dialog.dismiss_button.click()
    assert notes == [""]
    assert dialog.changed
    assert dialog.table.rowCount() == 0

    dialog.show_dismissed.setChecked(True)
    assert dialog.table.rowCount() == 1
    assert cells(dialog.table, 0)[3].startswith("Dismissed · ")
    assert not dialog.dismiss_button.isEnabled()
    assert dialog.accept_button.isEnabled(), "a dismissed suggestion can still be accepted"
    dialog.show_dismissed.setChecked(False)
    assert dialog.table.rowCount() == 0


def test_cancelled_prompts_change_nothing(make_dialog, workspace: Store, acme: int) -> None:
    dialog = make_dialog()
    dialog.ask_version = lambda *_args: None
    dialog.ask_note = lambda *_args: None
    dialog.accept_button.click()
    dialog.dismiss_button.click()
    assert not dialog.changed and dialog.table.rowCount() == 1
    assert len(list_rhythms(workspace, client_id=acme)[0].versions) == 1


def test_a_rule_that_fits_says_keep_it(make_dialog, workspace: Store) -> None:
    # Quarterly, the last two held on the day, the two since missed: adherence is low,
    # but what was held fits the rule.
    client_with_history(
        workspace, "FREQ=MONTHLY;INTERVAL=3", D(2025, 1, 15), 14, [D(2026, 1, 15), D(2026, 4, 15)]
    )
    dialog = make_dialog()
    assert dialog.table.rowCount() == 1
    suggestion = dialog.selected()
    assert suggestion is not None and not suggestion.has_change
    assert dialog.proposed_label.text() == KEEP_RULE
    assert not dialog.accept_button.isEnabled()
    assert dialog.dismiss_button.isEnabled()


@pytest.fixture
def page(qtbot, workspace: Store, acme: int) -> RhythmsPage:
    page = RhythmsPage(workspace, lambda: AS_OF)
    qtbot.addWidget(page)
    page.resize(1400, 600)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.show()
    return page


def test_the_page_button_opens_the_review_on_its_report(
    qtbot, page: RhythmsPage, workspace: Store
) -> None:
    opened: list[tuple[Store, dt.date, DriftReport | None, int]] = []

    def opener(parent, store: Store, as_of: dt.date, report: DriftReport | None) -> bool:
        dialog = RhythmReviewDialog(store, as_of, report, parent)
        opened.append((store, as_of, report, dialog.table.rowCount()))
        dialog.deleteLater()
        return False

    page.review_opener = opener
    assert page.review_button.text() == "Rhythm review…"
    page.review_button.click()
    ((store, as_of, report, rows),) = opened
    assert store is workspace and as_of == AS_OF
    assert report is not None and report is page._report, "the page's report is reused"
    assert rows == 1


def test_the_page_refreshes_after_a_change(qtbot, page: RhythmsPage) -> None:
    page.review_opener = lambda *_args: True
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.review_button.click()


def test_ctrl_r_opens_the_review(qtbot, page: RhythmsPage) -> None:
    calls: list[object] = []
    page.review_opener = lambda *args: calls.append(args) or False
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow, timeout=2_000)
    qtbot.keyClick(page.table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert len(calls) == 1


def test_a_rhythm_changed_elsewhere_is_refused_and_the_review_reloads(
    make_dialog, workspace: Store, acme: int
) -> None:
    dialog = make_dialog()
    (rhythm,) = list_rhythms(workspace, client_id=acme)
    current = rhythm.versions[-1]
    # A colleague (or another window) re-plans the rhythm after the review was read.
    add_version(
        workspace,
        rhythm.id,
        rule="FREQ=MONTHLY;INTERVAL=6",
        anchor=current.anchor,
        tolerance_days=current.tolerance_days,
        effective_from=D(2026, 11, 1),
        reason="agreed with the client",
    )
    asked: list[dt.date] = []
    messages: list[str] = []

    def ask_version(_parent, default: dt.date, reason: str):
        asked.append(default)
        return (D(2026, 12, 1), reason) if len(asked) == 1 else None  # no endless asking

    dialog.ask_version = ask_version
    dialog.notify = lambda _parent, text: messages.append(text)
    dialog.create_version()
    assert len(asked) == 1, "not asked again with the out-of-date suggestion"
    assert len(messages) == 1 and "changed" in messages[0].lower()
    (rhythm,) = list_rhythms(workspace, client_id=acme)
    assert [v.reason for v in rhythm.versions][-1] == "agreed with the client"
    assert not dialog.changed
