"""Nothing typed is lost: OK/Cancel dialogs ask Save / Discard / Cancel before closing over
changes, and meeting notes are saved the moment the text loses the focus."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit
from sqlalchemy import select

from vcio_desk.domain.vocab import MeetingStatus
from vcio_desk.services.committee import pending_proposals
from vcio_desk.services.meeting_prep import meeting_detail
from vcio_desk.services.standards_library import get_standard, library_tree
from vcio_desk.store import Store
from vcio_desk.store import models as m
from vcio_desk.ui.dialogs.proposal_dialog import ProposalDialog
from vcio_desk.ui.dialogs.standard_dialog import StandardDialog
from vcio_desk.ui.dialogs.unsaved import UnsavedAnswer
from vcio_desk.ui.pages.meeting_page import MeetingPage
from vcio_desk.ui.widgets.action_dialog import ActionDialog

AS_OF = dt.date(2026, 11, 20)


class Answers:
    """Stands in for the Save / Discard / Cancel question."""

    def __init__(self, answer: UnsavedAnswer) -> None:
        self.answer: UnsavedAnswer = answer
        self.asked: list[str] = []

    def __call__(self, _parent: object, what: str) -> UnsavedAnswer:
        self.asked.append(what)
        return self.answer


def test_action_dialog_asks_before_losing_notes(qtbot) -> None:
    dialog = ActionDialog([], None, AS_OF)
    qtbot.addWidget(dialog)
    answers = Answers("cancel")
    dialog.ask_unsaved = answers
    dialog.show()
    dialog.reject()  # nothing typed: closes without a question
    assert answers.asked == [] and dialog.result() == QDialog.DialogCode.Rejected

    dialog.show()
    qtbot.keyClicks(dialog.notes_edit, "Call the vendor first")
    dialog.reject()
    assert answers.asked == ["this action"] and dialog.isVisible(), "Cancel: back to it"
    answers.answer = "save"
    dialog.reject()  # Save without a title: the dialog stays, the title wants filling
    assert dialog.isVisible()
    qtbot.keyClicks(dialog.title_edit, "Renew the firewall")
    dialog.reject()
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.value().notes == "Call the vendor first"


def test_action_dialog_discard_closes(qtbot) -> None:
    dialog = ActionDialog([], None, AS_OF)
    qtbot.addWidget(dialog)
    dialog.ask_unsaved = Answers("discard")
    dialog.show()
    qtbot.keyClicks(dialog.title_edit, "Something")
    dialog.reject()
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected


def test_standard_dialog_save_from_the_question(qtbot, workspace: Store) -> None:
    tree = library_tree(workspace)
    standard = tree.standards()[0]
    dialog = StandardDialog(workspace, tree, standard, author="Ada")
    qtbot.addWidget(dialog)
    told: list[str] = []
    dialog.notify = lambda _parent, text: told.append(text)
    answers = Answers("save")
    dialog.ask_unsaved = answers
    dialog.show()
    dialog.form.question_edit.setPlainText("A much better question?")
    dialog.reject()  # Save, but no reason yet: says so and stays open
    assert answers.asked == [standard.code] and dialog.isVisible()
    assert told and "reason" in told[0]
    dialog.reason_edit.setText("Clearer")
    dialog.reject()
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Accepted
    assert get_standard(workspace, standard.id).question == "A much better question?"


def test_standard_dialog_reason_alone_is_no_change(qtbot, workspace: Store) -> None:
    tree = library_tree(workspace)
    dialog = StandardDialog(workspace, tree, tree.standards()[0], author="Ada")
    qtbot.addWidget(dialog)
    answers = Answers("cancel")
    dialog.ask_unsaved = answers
    dialog.show()
    dialog.reason_edit.setText("Just looking")
    dialog.reject()
    assert answers.asked == [] and not dialog.isVisible()


def test_proposal_dialog_asks_and_saves(qtbot, workspace: Store) -> None:
    dialog = ProposalDialog(workspace, library_tree(workspace), author="Ada")
    qtbot.addWidget(dialog)
    answers = Answers("cancel")
    dialog.ask_unsaved = answers
    dialog.show()
    qtbot.keyClicks(dialog.title_edit, "Require MFA everywhere")
    qtbot.keyClicks(dialog.description_edit, "After the phishing incident in October")
    dialog.reject()
    assert answers.asked == ["this proposal"] and dialog.isVisible()
    answers.answer = "save"
    dialog.reject()
    assert not dialog.isVisible()
    (saved,) = pending_proposals(workspace)
    assert (saved.title, saved.description) == (
        "Require MFA everywhere",
        "After the phishing incident in October",
    )


@pytest.fixture
def meeting(workspace: Store) -> int:
    with workspace.transaction() as s:
        types = dict(s.execute(select(m.MeetingType.key, m.MeetingType.id)).all())
        acme = m.Client(name="Acme Dental", tier="C", timezone="UTC")
        s.add(acme)
        s.flush()
        start = dt.datetime(2026, 12, 1, 15, 0, tzinfo=dt.UTC)
        row = m.Meeting(
            meeting_type_id=types["vcio_meeting"],
            client_id=acme.id,
            scheduled_start=start,
            scheduled_end=start + dt.timedelta(minutes=60),
            status=MeetingStatus.CONFIRMED,
            timezone="UTC",
        )
        s.add(row)
        s.flush()
        return row.id


def test_meeting_notes_are_saved_when_the_text_loses_the_focus(
    qtbot, workspace: Store, meeting: int
) -> None:
    page = MeetingPage(workspace, meeting, lambda: AS_OF)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    page.reload()
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page)
    editor = page.internal_notes
    page.tabs.setCurrentIndex(page.tabs.indexOf(editor.parentWidget()))
    editor.timer.setInterval(600_000)  # the pause would never come: only leaving saves
    editor.edit.setFocus()
    qtbot.waitUntil(editor.edit.hasFocus)
    qtbot.keyClicks(editor.edit, "Their CFO is leaving")
    assert meeting_detail(workspace, meeting).text("internal_notes") == ""
    elsewhere = page.findChild(QLineEdit) or page.client_notes.edit
    elsewhere.setFocus()
    qtbot.waitUntil(lambda: not editor.edit.hasFocus())
    assert meeting_detail(workspace, meeting).text("internal_notes") == "Their CFO is leaving"
    assert not editor.dirty
    page.close()
