"""The standards library: tree and search, recorded edits, archive instead of delete,
sections and categories, the change log, and import/export with a per-record report."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from vcio_desk.domain.errors import ValidationError, WorkspaceError
from vcio_desk.interop.standards_io import LibraryFileError
from vcio_desk.services import standards_sections as sections
from vcio_desk.services.standards_import import export_library, import_library, report_text
from vcio_desk.services.standards_library import (
    add_standard,
    archive_standard,
    edit_standard,
    get_standard,
    library_tree,
    restore_standard,
    search_library,
    search_standards,
)
from vcio_desk.services.standards_log import change_log
from vcio_desk.store import Store, open_store
from vcio_desk.store import models as m

WHO = "Ada Lovelace"


def _id(store: Store, code: str) -> int:
    with store.session() as s:
        found = s.scalar(select(m.Standard.id).where(m.Standard.code == code))
    assert found is not None
    return found


def _count(store: Store, model: type) -> int:
    with store.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def _category(store: Store, name: str) -> int:
    with store.session() as s:
        found = s.scalar(select(m.StandardCategory.id).where(m.StandardCategory.name == name))
    assert found is not None
    return found


# -- reading -------------------------------------------------------------------------------------


def test_tree_holds_the_seeded_library_in_order(workspace: Store) -> None:
    tree = library_tree(workspace)
    assert [s.key for s in tree.sections][:3] == ["backup", "security", "identity"]
    standards = tree.standards()
    assert len(standards) == 84
    assert standards[0].code == "BKP-001"
    assert standards[0].path == "Backup and recovery › Backup coverage"
    assert standards[0].tiers == ("A", "B", "C")
    assert all(not s.archived for s in standards)


def test_search_matches_every_word_in_code_and_text(workspace: Store) -> None:
    assert [s.code for s in search_library(workspace, "bkp-001")] == ["BKP-001"]
    found = search_library(workspace, "DAILY backed")
    assert "BKP-001" in [s.code for s in found]
    assert all("daily" in s.search_text and "backed" in s.search_text for s in found)
    assert search_library(workspace, "no such words anywhere") == []
    assert len(search_library(workspace, "  ")) == 84


def test_search_on_a_large_library(workspace: Store) -> None:
    rows = ["Code,Section,Category,Question"]
    rows += [f"BIG-{n:03d},Bulk,Things {n % 7},Is thing number {n} in place?" for n in range(320)]
    report = import_library(workspace, "\n".join(rows).encode(), reason="bulk", author=WHO)
    assert report.count("added") == 320
    standards = library_tree(workspace).standards()
    assert len(standards) == 404
    hits = search_standards(standards, "number 31")
    assert {s.code for s in hits} == {f"BIG-{n:03d}" for n in range(320) if "31" in str(n)}


# -- standards -----------------------------------------------------------------------------------


def test_add_records_who_why_and_every_field(workspace: Store) -> None:
    category = _category(workspace, "Backup coverage")
    new_id = add_standard(
        workspace,
        {
            "code": "BKP-100",
            "category_id": category,
            "question": "  Are NAS devices backed up? ",
            "priority": "High",
            "tiers": "c, a",
        },
        reason="Seen at two clients",
        author=WHO,
    )
    view = get_standard(workspace, new_id)
    assert (view.question, view.priority.value, view.tiers) == (
        "Are NAS devices backed up?",
        "high",
        ("A", "C"),
    )
    (entry,) = change_log(workspace, standard_id=new_id)
    assert (entry.action, entry.author, entry.reason, entry.subject) == (
        "add",
        WHO,
        "Seen at two clients",
        "BKP-100",
    )
    fields = {f.field: (f.old, f.new) for f in entry.fields}
    assert fields["category"] == (None, "Backup and recovery › Backup coverage")
    assert fields["tiers"] == (None, ["A", "C"])
    assert entry.summary == "Are NAS devices backed up?"


@pytest.mark.parametrize(
    ("fields", "reason", "message"),
    [
        ({"code": "bkp-001"}, "x", "already a standard BKP-001"),
        ({"code": "BKP 100"}, "x", "not usable"),
        ({"code": "BKP-100", "question": " "}, "x", "yes/no question"),
        ({"code": "BKP-100", "tiers": "A, D"}, "x", "Unknown tier D"),
        ({"code": "BKP-100", "tiers": ""}, "x", "at least one tier"),
        ({"code": "BKP-100", "priority": "urgent"}, "x", "not one of high"),
        ({"code": "BKP-100"}, "  ", "Say why"),
        ({"code": "BKP-100", "colour": "red"}, "x", "no field colour"),
    ],
)
def test_add_refuses_bad_input(workspace: Store, fields: dict, reason: str, message: str) -> None:
    values = {"category_id": _category(workspace, "Backup coverage"), "question": "Q?"} | fields
    before = _count(workspace, m.StandardChange)
    with pytest.raises(ValidationError, match=message):
        add_standard(workspace, values, reason=reason, author=WHO)
    assert _count(workspace, m.StandardChange) == before


def test_edit_records_old_and_new_values(workspace: Store) -> None:
    sid = _id(workspace, "BKP-001")
    target = _category(workspace, "Recovery testing")
    logged = edit_standard(
        workspace,
        sid,
        {"priority": "low", "tiers": ["A"], "question": get_standard(workspace, sid).question,
         "category_id": target},
        reason="Committee asked",
        author=WHO,
    )  # fmt: skip
    assert logged == {
        "priority": ["high", "low"],
        "tiers": [["A", "B", "C"], ["A"]],
        "category": [
            "Backup and recovery › Backup coverage",
            "Backup and recovery › Recovery testing",
        ],
    }
    view = get_standard(workspace, sid)
    assert (view.priority.value, view.tiers, view.category) == ("low", ("A",), "Recovery testing")
    (entry,) = change_log(workspace, standard_id=sid)
    assert entry.action == "edit" and entry.reason == "Committee asked"
    assert "Priority: high → low" in entry.summary


def test_edit_without_a_difference_records_nothing(workspace: Store) -> None:
    sid = _id(workspace, "BKP-001")
    assert edit_standard(workspace, sid, {"priority": "high"}, reason="x", author=WHO) == {}
    assert change_log(workspace, standard_id=sid) == []


def test_edit_over_a_change_made_elsewhere_is_refused(workspace: Store) -> None:
    sid = _id(workspace, "BKP-001")
    seen = get_standard(workspace, sid).updated_at
    edit_standard(workspace, sid, {"priority": "low"}, reason="first", author="Someone else")
    with pytest.raises(ValidationError, match="changed elsewhere"):
        edit_standard(
            workspace, sid, {"priority": "medium"}, reason="second", author=WHO,
            expected_updated_at=seen,
        )  # fmt: skip
    assert get_standard(workspace, sid).priority.value == "low"


def test_renaming_a_code_keeps_codes_unique(workspace: Store) -> None:
    sid = _id(workspace, "BKP-001")
    with pytest.raises(ValidationError, match="already a standard BKP-002"):
        edit_standard(workspace, sid, {"code": "bkp-002"}, reason="x", author=WHO)
    edit_standard(workspace, sid, {"code": "BKP-001A"}, reason="typo", author=WHO)
    assert get_standard(workspace, sid).code == "BKP-001A"
    assert change_log(workspace, standard_id=sid)[0].subject == "BKP-001A"


def test_archive_hides_and_restore_brings_back(workspace: Store) -> None:
    sid = _id(workspace, "BKP-002")
    archive_standard(workspace, sid, reason="Superseded", author=WHO)
    assert "BKP-002" not in {s.code for s in library_tree(workspace).standards()}
    assert get_standard(workspace, sid).archived
    assert "BKP-002" in {s.code for s in library_tree(workspace, include_archived=True).standards()}
    with pytest.raises(ValidationError, match="already archived"):
        archive_standard(workspace, sid, reason="again", author=WHO)
    with pytest.raises(ValidationError, match="restore it before editing"):
        edit_standard(workspace, sid, {"priority": "low"}, reason="x", author=WHO)
    restore_standard(workspace, sid, reason="Still needed", author=WHO)
    actions = [(c.action, c.reason) for c in change_log(workspace, standard_id=sid)]
    assert actions == [("restore", "Still needed"), ("archive", "Superseded")]
    assert _count(workspace, m.Standard) == 84  # nothing was ever deleted


def test_read_only_workspace_refuses_changes(workspace: Store, db_target) -> None:
    workspace.close()
    with open_store(db_target("ws"), read_only=True) as ro:
        assert len(library_tree(ro).standards()) == 84
        with pytest.raises(WorkspaceError, match="read-only"):
            archive_standard(ro, 1, reason="x", author=WHO)
        report = import_library(ro, b"Code,Section,Category,Question\nX-1,S,C,Q?\n",
                                reason="", author=WHO, dry_run=True)  # fmt: skip
        assert report.count("added") == 1


# -- sections and categories ---------------------------------------------------------------------


def test_sections_and_categories_are_added_renamed_and_archived(workspace: Store) -> None:
    sid = sections.add_section(workspace, "Printing & scanning", reason="New area", author=WHO)
    cid = sections.add_category(workspace, sid, "Printers", reason="New area", author=WHO)
    tree = library_tree(workspace)
    section = next(s for s in tree.sections if s.id == sid)
    assert (section.key, [c.name for c in section.categories]) == (
        "printing_scanning",
        ["Printers"],
    )
    with pytest.raises(ValidationError, match="already a section"):
        sections.add_section(workspace, "printing & SCANNING", reason="x", author=WHO)
    assert sections.rename_category(workspace, cid, "Printers and MFPs", reason="Wider", author=WHO)
    assert not sections.rename_category(workspace, cid, "Printers and MFPs", reason="x", author=WHO)
    add_standard(
        workspace,
        {"code": "PRN-001", "category_id": cid, "question": "Are printers patched?"},
        reason="x",
        author=WHO,
    )
    with pytest.raises(ValidationError, match="1 standards in use"):
        sections.set_category_archived(workspace, cid, True, reason="x", author=WHO)
    archive_standard(workspace, _id(workspace, "PRN-001"), reason="x", author=WHO)
    sections.set_category_archived(workspace, cid, True, reason="Gone", author=WHO)
    with pytest.raises(ValidationError, match="archived; restore that first"):
        restore_standard(workspace, _id(workspace, "PRN-001"), reason="x", author=WHO)
    sections.set_section_archived(workspace, sid, True, reason="Gone", author=WHO)
    assert sid not in {s.id for s in library_tree(workspace).sections}
    with pytest.raises(ValidationError, match="archived; restore it first"):
        sections.set_category_archived(workspace, cid, False, reason="x", author=WHO)
    subjects = [(c.action, c.subject) for c in change_log(workspace) if c.standard_id is None]
    assert subjects[0] == ("section_archive", "Section Printing & scanning")
    assert ("category_edit", "Category Printers and MFPs") in subjects
    assert subjects[-1] == ("section_add", "Section Printing & scanning")


# -- import and export ---------------------------------------------------------------------------


def test_export_then_import_changes_nothing(workspace: Store) -> None:
    archive_standard(workspace, _id(workspace, "BKP-003"), reason="x", author=WHO)
    edit_standard(workspace, _id(workspace, "BKP-001"), {"question": '=HYPERLINK("x") <b>&'},
                  reason="x", author=WHO)  # fmt: skip
    before = _count(workspace, m.StandardChange)
    for fmt in ("csv", "json"):
        report = import_library(
            workspace, export_library(workspace, fmt), reason="round trip", author=WHO
        )
        assert report.count("unchanged") == 84, report_text(report)
    assert _count(workspace, m.StandardChange) == before
    document = json.loads(export_library(workspace, "json"))
    assert document["format"] == "vcio-desk-standards"
    first = document["sections"][0]["categories"][0]["standards"]
    assert first[0]["question"] == '=HYPERLINK("x") <b>&'
    assert first[2].get("archived") is True


def test_import_upserts_by_code_with_a_report(workspace: Store) -> None:
    archive_standard(workspace, _id(workspace, "BKP-003"), reason="x", author=WHO)
    data = (
        b"Code;Section;Category;Question;Priority;Tiers;Archived\n"
        b"bkp-001;Backup and recovery;Backup coverage;"
        b"Are all production servers and virtual machines backed up at least daily?;low;A;\n"
        b"BKP-002;Backup and recovery;Backup coverage;Changed text for BKP-002?;;;\n"
        b"NEW-001;Printing;Printers;Are printers on a support contract?;high;A B;\n"
        b"NEW-002;Printing;Printers;Second printer question?;;;yes\n"
        b"BKP-003;Backup and recovery;Backup coverage;New words?;;;\n"
        b"NEW-003;Printing;Printers;;;;\n"
        b"NEW-001;Printing;Printers;Again?;;;\n"
        b"BKP-004;Backup and recovery;Backup coverage;Rewritten after restore?;;;no\n"
    )
    archive_standard(workspace, _id(workspace, "BKP-004"), reason="x", author=WHO)
    dry = import_library(workspace, data, reason="", author=WHO, dry_run=True)
    assert _count(workspace, m.StandardSection) == 10  # the dry run wrote nothing
    report = import_library(workspace, data, reason="Imported from list.csv", author=WHO)
    assert [(o.where, o.action) for o in report.outcomes] == [
        (o.where, o.action) for o in dry.outcomes
    ]
    outcomes = {o.where: (o.action, o.detail) for o in report.outcomes}
    assert outcomes["line 2"] == ("updated", "Priority: high → low; Tiers: A, B, C → A")
    assert outcomes["line 3"][0] == "updated"
    assert outcomes["line 4"] == ("added", "new in Printing › Printers")
    assert outcomes["line 5"] == ("added", "new in Printing › Printers, archived")
    assert outcomes["line 6"][0] == "refused" and "Archived: no" in outcomes["line 6"][1]
    assert outcomes["line 7"] == ("refused", "question is missing")
    assert outcomes["line 8"] == ("refused", "the code NEW-001 already appears at line 4")
    assert outcomes["line 9"][0] == "updated" and outcomes["line 9"][1].startswith("restored")
    assert report.sections_added == ["Printing"]
    assert report.categories_added == ["Printing › Printers"]
    tree = library_tree(workspace, include_archived=True)
    codes = {s.code: s for s in tree.standards()}
    assert codes["BKP-001"].tiers == ("A",) and codes["BKP-001"].code == "BKP-001"
    assert codes["NEW-002"].archived and codes["NEW-001"].tiers == ("A", "B")
    assert codes["BKP-004"].question == "Rewritten after restore?" and not codes["BKP-004"].archived
    assert codes["BKP-003"].question != "New words?"
    reasons = {c.reason for c in change_log(workspace)[:8]}
    assert reasons == {"Imported from list.csv"}
    text = report_text(report)
    assert "2 added, 3 updated, 0 unchanged, 3 refused" in text
    assert "line 7 (NEW-003): question is missing" in text


def test_a_bad_file_changes_nothing(workspace: Store) -> None:
    before = _count(workspace, m.StandardChange)
    with pytest.raises(LibraryFileError, match="lacks the column"):
        import_library(workspace, b"Code,Question\nX-1,Q?\n", reason="x", author=WHO)
    with pytest.raises(LibraryFileError, match="not valid JSON"):
        import_library(workspace, b'{"format": ', reason="x", author=WHO)
    with pytest.raises(ValidationError, match="Say why"):
        import_library(workspace, b"Code,Section,Category,Question\nX-1,S,C,Q?\n",
                       reason=" ", author=WHO)  # fmt: skip
    assert _count(workspace, m.StandardChange) == before
    assert _count(workspace, m.StandardSection) == 10


def test_import_refuses_archived_places(workspace: Store) -> None:
    sid = sections.add_section(workspace, "Old", reason="x", author=WHO)
    sections.set_section_archived(workspace, sid, True, reason="x", author=WHO)
    data = b"Code,Section,Category,Question\nOLD-1,Old,Any,Q?\n"
    report = import_library(workspace, data, reason="x", author=WHO)
    (outcome,) = report.outcomes
    assert (outcome.action, outcome.detail) == ("refused", "the section Old is archived")


def test_change_log_filters_by_decision_and_orders_newest_first(workspace: Store) -> None:
    first = _id(workspace, "BKP-001")
    edit_standard(workspace, first, {"priority": "low"}, reason="one", author=WHO)
    edit_standard(workspace, first, {"priority": "medium"}, reason="two", author=WHO)
    log = change_log(workspace, standard_id=first)
    assert [c.reason for c in log] == ["two", "one"]
    assert change_log(workspace, decision_id=12345) == []
    assert len(change_log(workspace, limit=1)) == 1
    assert isinstance(log[0].changed_at, dt.datetime) and log[0].changed_at.tzinfo is not None
