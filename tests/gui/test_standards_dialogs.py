"""The Standards page's dialogs: a standard with its reason, a proposed change, a proposal,
recording a decision, and importing a library file with its preview."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QWidget

from vcio_desk.services.committee import (
    ProposedChange,
    committee_status,
    pending_proposals,
)
from vcio_desk.services.demo import build_demo
from vcio_desk.services.standards_library import (
    StandardView,
    archive_standard,
    edit_standard,
    get_standard,
    library_tree,
)
from vcio_desk.services.standards_log import change_log
from vcio_desk.store import Store
from vcio_desk.ui.dialogs.decision_dialog import RecordDecisionDialog
from vcio_desk.ui.dialogs.library_import_dialog import LibraryImportDialog
from vcio_desk.ui.dialogs.proposal_dialog import ChangeDialog, ProposalDialog
from vcio_desk.ui.dialogs.standard_dialog import ReasonDialog, StandardDialog

AS_OF = dt.date(2026, 11, 20)
WHO = "Ada Lovelace"


@pytest.fixture
def demo(workspace: Store) -> Store:
    build_demo(workspace, clients=4, years=2, seed=3, as_of=AS_OF)
    return workspace


@pytest.fixture
def parent(qtbot) -> Iterator[QWidget]:
    widget = QWidget()
    qtbot.addWidget(widget)
    yield widget


def standard(store: Store, code: str) -> StandardView:
    return next(s for s in library_tree(store, include_archived=True).standards() if s.code == code)


class Messages(list[str]):
    def __call__(self, _parent: QWidget, text: str) -> None:
        self.append(text)


# -- a standard ----------------------------------------------------------------------------------


def test_a_new_standard_needs_a_reason_and_is_logged(workspace: Store, parent: QWidget) -> None:
    tree = library_tree(workspace)
    category = tree.sections[0].categories[1]
    dialog = StandardDialog(workspace, tree, author=WHO, category_id=category.id, parent=parent)
    form = dialog.form
    assert form.category_combo.currentData() == category.id
    form.code_edit.setText("BKP-100")
    form.question_edit.setPlainText("Are NAS devices backed up?")
    form.tier_checks["C"].setChecked(False)
    form.priority_combo.setCurrentIndex(form.priority_combo.findData("high"))
    assert not dialog.save_button.isEnabled(), "no reason yet"
    dialog.reason_edit.setText("Two clients keep files on a NAS")
    assert dialog.save() and dialog.result() == QDialog.DialogCode.Accepted
    saved = get_standard(workspace, dialog.saved_id)
    assert (saved.code, saved.tiers, saved.priority.value) == ("BKP-100", ("A", "B"), "high")
    (entry,) = change_log(workspace, standard_id=saved.id)
    assert (entry.reason, entry.author) == ("Two clients keep files on a NAS", WHO)


def test_a_refusal_keeps_the_dialog_and_what_was_typed(workspace: Store, parent: QWidget) -> None:
    dialog = StandardDialog(workspace, library_tree(workspace), author=WHO, parent=parent)
    dialog.notify = messages = Messages()
    dialog.form.code_edit.setText("bkp-001")
    dialog.form.question_edit.setPlainText("A long question someone typed?")
    dialog.reason_edit.setText("why")
    assert not dialog.save()
    assert messages == ["There is already a standard BKP-001; codes are unique."]
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.form.question_edit.toPlainText() == "A long question someone typed?"


def test_editing_over_a_change_made_elsewhere_is_refused(workspace: Store, parent: QWidget) -> None:
    seen = standard(workspace, "BKP-001")
    edit_standard(workspace, seen.id, {"priority": "low"}, reason="elsewhere", author="Other")
    dialog = StandardDialog(workspace, library_tree(workspace), seen, author=WHO, parent=parent)
    dialog.notify = messages = Messages()
    assert dialog.form.code_edit.text() == "BKP-001"
    assert dialog.form.priority_combo.currentData() == "high", "what the editor was showing"
    dialog.form.why_edit.setPlainText("New words")
    dialog.reason_edit.setText("Clearer")
    assert not dialog.save()
    assert "changed elsewhere" in messages[0]


def test_reason_dialog_needs_a_reason(parent: QWidget) -> None:
    dialog = ReasonDialog("Archive BKP-001", "Archive it?", "Archive", parent=parent)
    assert not dialog.ok_button.isEnabled()
    dialog.reason_edit.setText("  ")
    assert not dialog.ok_button.isEnabled()
    dialog.reason_edit.setText("Superseded")
    assert dialog.ok_button.isEnabled()
    named = ReasonDialog("Rename", "New name", "Rename", name="", parent=parent)
    named.reason_edit.setText("why")
    assert not named.ok_button.isEnabled(), "a name is needed too"
    named.name_edit.setText("Backups")
    assert named.ok_button.isEnabled()


# -- proposals -----------------------------------------------------------------------------------


def test_change_dialog_builds_each_kind_of_change(workspace: Store, parent: QWidget) -> None:
    tree = library_tree(workspace)
    dialog = ChangeDialog(tree, parent=parent)
    dialog.action_combo.setCurrentIndex(dialog.action_combo.findData("edit"))
    dialog.standard_combo.setCurrentIndex(
        dialog.standard_combo.findData(standard(workspace, "BKP-002").id)
    )
    form = dialog.form
    assert form.question_edit.toPlainText() == standard(workspace, "BKP-002").question
    form.priority_combo.setCurrentIndex(form.priority_combo.findData("low"))
    form.category_combo.setCurrentIndex(1)
    assert dialog.change() == {
        "action": "edit",
        "code": "BKP-002",
        "fields": {"priority": "low"},
        "section": "backup",
        "category": "Backup protection",
    }
    dialog.action_combo.setCurrentIndex(dialog.action_combo.findData("add"))
    assert form.code_edit.text() == ""
    form.code_edit.setText("NEW-1")
    form.question_edit.setPlainText("New?")
    change = dialog.change()
    assert (change["action"], change["code"], change["fields"]["question"]) == (
        "add",
        "NEW-1",
        "New?",
    )
    dialog.action_combo.setCurrentIndex(dialog.action_combo.findData("archive"))
    assert not form.question_edit.isVisibleTo(dialog) and dialog.standard_combo.isVisibleTo(dialog)
    assert dialog.change() == {"action": "archive", "code": "BKP-001"}
    dialog.action_combo.setCurrentIndex(dialog.action_combo.findData("edit"))
    dialog.notify = messages = Messages()
    assert not dialog.done_editing(), "an edit that changes nothing"
    assert "say which fields" in messages[0]


def test_change_dialog_reopens_a_change(workspace: Store, parent: QWidget) -> None:
    change = ProposedChange("edit", "BKP-003", {"priority": "low", "tiers": ["A"]})
    dialog = ChangeDialog(library_tree(workspace), change, parent=parent)
    assert dialog.standard().code == "BKP-003"
    assert dialog.form.priority_combo.currentData() == "low"
    assert dialog.change()["fields"] == {"priority": "low", "tiers": ["A"]}


def test_proposal_dialog_saves_checked_changes(workspace: Store, parent: QWidget) -> None:
    tree = library_tree(workspace)
    dialog = ProposalDialog(workspace, tree, author=WHO, parent=parent)
    dialog.notify = messages = Messages()
    queue = [
        ProposedChange("archive", "BKP-002", {}),
        ProposedChange("restore", "BKP-003", {}),
    ]
    dialog.ask_change = lambda _parent, _tree, _change: queue.pop(0)
    assert not dialog.save_button.isEnabled()
    dialog.title_edit.setText("Tidy up backups")
    dialog.add_change()
    dialog.add_change()
    assert dialog.change_list.count() == 2
    assert not dialog.save(), "BKP-003 is not archived"
    assert "Change 2 (Restore BKP-003) no longer applies" in messages[0]
    dialog.change_list.setCurrentRow(1)
    dialog.remove_change()
    assert dialog.save()
    (proposal,) = pending_proposals(workspace)
    assert proposal.title == "Tidy up backups"
    assert proposal.changes == (ProposedChange("archive", "BKP-002", {}),)
    assert [dialog.change_list.item(0).text()] == ["Archive BKP-002"]


def test_record_decision_confirms_then_applies(demo: Store, parent: QWidget) -> None:
    status = committee_status(demo, AS_OF)
    edit = status.pending[1]
    dialog = RecordDecisionDialog(
        demo, status, status.pending, proposal_id=edit.id, author=WHO, parent=parent
    )
    assert dialog.proposal().id == edit.id
    assert edit.changes[0].describe() in dialog.changes_label.text()
    held = status.past[0]
    assert dialog.meeting_combo.currentData() == held.id, "the latest meeting held by default"
    assert dialog.date_edit.date().toPython() == held.day
    questions: list[str] = []
    dialog.confirm = lambda _p, text: questions.append(text) or False
    assert not dialog.record()
    assert "apply its 1 library change?" in questions[0]
    assert len(pending_proposals(demo)) == 3
    dialog.confirm = lambda _p, _text: True
    assert dialog.record()
    assert dialog.result.status == "accepted" and dialog.result.applied == 1
    assert len(pending_proposals(demo)) == 2


def test_record_decision_shows_why_a_change_no_longer_applies(demo: Store, parent: QWidget) -> None:
    status = committee_status(demo, AS_OF)
    archive = next(p for p in status.pending if p.changes[0].action == "archive")
    archive_standard(demo, standard(demo, archive.changes[0].code).id, reason="x", author=WHO)
    dialog = RecordDecisionDialog(
        demo, status, status.pending, proposal_id=archive.id, parent=parent
    )
    dialog.confirm = lambda _p, _t: True
    dialog.notify = messages = Messages()
    assert not dialog.record()
    assert "no longer applies" in messages[0] and "already archived" in messages[0]
    dialog.reject_radio.setChecked(True)
    assert dialog.record() and dialog.result.status == "rejected"


# -- import --------------------------------------------------------------------------------------


def test_import_previews_then_applies(
    qtbot, workspace: Store, parent: QWidget, tmp_path: Path
) -> None:
    path = tmp_path / "library.csv"
    path.write_bytes(
        "Code;Section;Category;Question;Priority\n"
        "BKP-001;Backup and recovery;Backup coverage;Changed question?;low\n"
        "NEW-1;Printing;Printers;Are printers patched?;\n"
        "NEW-2;Printing;Printers;;\n".encode("cp1252")
    )
    dialog = LibraryImportDialog(
        workspace, author=WHO, file_chooser=lambda _p, _f: str(path), parent=parent
    )
    with qtbot.waitSignal(dialog.checked, timeout=5000):
        dialog.choose_file()
    assert dialog.reason_edit.text() == "Imported from library.csv"
    assert dialog.table.rowCount() == 3
    assert [dialog.table.item(r, 2).text() for r in range(3)] == ["Updated", "Added", "Refused"]
    assert dialog.table.item(2, 3).text() == "question is missing"
    assert "1 added, 1 updated, 0 unchanged, 1 refused" in dialog.summary_label.text()
    assert standard(workspace, "BKP-001").priority.value == "high", "a check writes nothing"
    assert dialog.import_button.isEnabled()
    with qtbot.waitSignal(dialog.imported, timeout=5000) as blocker:
        dialog.import_button.click()
    assert blocker.args[0].count("added") == 1
    assert standard(workspace, "BKP-001").priority.value == "low"
    assert change_log(workspace, limit=1)[0].reason == "Imported from library.csv"


def test_import_of_a_bad_file_says_why(
    qtbot, workspace: Store, parent: QWidget, tmp_path: Path
) -> None:
    path = tmp_path / "clients.csv"
    path.write_text("Name,Tier\nAcme,A\n")
    dialog = LibraryImportDialog(workspace, parent=parent)
    operation = dialog.load_file(path)
    assert operation is not None
    qtbot.waitUntil(lambda: "Nothing was imported" in dialog.summary_label.text(), timeout=5000)
    assert "lacks the column(s) Code, Question, Section, Category" in dialog.summary_label.text()
    assert not dialog.import_button.isEnabled()
    assert dialog.load_file(tmp_path / "missing.csv") is None
    assert "Cannot read" in dialog.summary_label.text()
