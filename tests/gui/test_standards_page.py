"""The Standards page: loads after it is shown, searches and narrows the library, archives
and restores with a reason, shows the committee and its meetings, filters the change log,
exports, and changes nothing in a read-only workspace."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QTreeWidgetItem
from sqlalchemy import select, update

from vcio_desk.services.committee import committee_status, record_decision
from vcio_desk.services.demo import build_demo
from vcio_desk.services.standards_library import edit_standard, library_tree
from vcio_desk.store import Store, open_store
from vcio_desk.store import models as m
from vcio_desk.ui.models.standards_models import (
    change_log_model,
    meetings_model,
    proposals_model,
    standards_model,
)
from vcio_desk.ui.pages.standards_library_actions import EXPORT_FOLDER
from vcio_desk.ui.pages.standards_page import StandardsPage
from vcio_desk.ui.preferences import ui_settings

AS_OF = dt.date(2026, 11, 20)
SCRIPT = "<script>alert('x')</script> & <b>bold</b>"


@pytest.fixture
def demo(workspace: Store) -> Store:
    build_demo(workspace, clients=6, years=2, seed=3, as_of=AS_OF)
    return workspace


@pytest.fixture
def make_page(qtbot, demo: Store) -> Iterator[Callable[..., StandardsPage]]:
    pages: list[StandardsPage] = []

    def make(store: Store | None = None) -> StandardsPage:
        page = StandardsPage(store or demo, lambda: AS_OF)
        qtbot.addWidget(page)
        page.resize(1200, 760)
        pages.append(page)
        page.notify = lambda _parent, text: page.setProperty("last_message", text)
        return page

    yield make
    pages.clear()


def shown(qtbot, page: StandardsPage) -> StandardsPage:
    with (
        qtbot.waitSignal(page.library_loaded, timeout=10_000),
        qtbot.waitSignal(page.committee_loaded, timeout=10_000),
    ):
        page.show()
    return page


@pytest.fixture
def page(qtbot, make_page) -> StandardsPage:
    return shown(qtbot, make_page())


def reloaded(qtbot, page: StandardsPage, action: Callable[[], object]) -> None:
    with qtbot.waitSignal(page.library_loaded, timeout=10_000):
        action()


def codes(page: StandardsPage) -> list[str]:
    return [s.code for s in page.library_tab.model.rows()]


def pick(page: StandardsPage, code: str) -> None:
    standard = next(s for s in page.tree.standards() if s.code == code)  # type: ignore[union-attr]
    assert page.library_tab.select_standard(standard.id)


def test_models_pass_qt_model_checks(qtmodeltester, demo: Store) -> None:
    status = committee_status(demo, AS_OF)
    for model, rows in (
        (standards_model(), library_tree(demo, include_archived=True).standards()),
        (meetings_model(), status.past),
        (proposals_model(), status.pending),
        (change_log_model(), []),
    ):
        model.set_rows(list(rows))
        qtmodeltester.check(model)
        model.sort(1, Qt.SortOrder.DescendingOrder)
        qtmodeltester.check(model)


def test_loads_when_first_shown(qtbot, make_page) -> None:
    page = make_page()
    assert page.tree is None and page.library_tab.model.rowCount() == 0, "nothing before show"
    shown(qtbot, page)
    tab = page.library_tab
    assert tab.count_label.text() == "84 of 84 standards"
    assert codes(page)[:3] == ["BKP-001", "BKP-002", "BKP-003"], "the library's own order"
    top = tab.place_tree.topLevelItem(0)
    assert top is not None and top.text(0) == "All standards (84)"
    assert tab.place_tree.topLevelItemCount() == 11
    assert not page.read_only_label.isVisible()


def test_search_needs_every_word_and_ctrl_f_focuses_it(qtbot, page: StandardsPage) -> None:
    tab = page.library_tab
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow, timeout=2000)
    qtbot.keyClick(tab.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert tab.search_edit.hasFocus()
    qtbot.keyClicks(tab.search_edit, "backed DAILY")
    qtbot.waitUntil(lambda: tab.model.rowCount() < 84, timeout=2000)
    assert "BKP-001" in codes(page)
    assert all("daily" in s.search_text for s in tab.model.rows())
    tab.search_edit.setText("no such thing anywhere")
    tab.apply_filter()
    assert tab.stack.currentWidget() is tab.message
    tab.message.button.click()
    assert tab.model.rowCount() == 84 and tab.search_edit.text() == ""


def test_tree_narrows_to_a_section_or_category(page: StandardsPage) -> None:
    tab = page.library_tab
    section: QTreeWidgetItem = tab.place_tree.topLevelItem(1)
    assert section.text(0) == "Backup and recovery (9)"
    tab.place_tree.setCurrentItem(section)
    assert len(codes(page)) == 9 and all(c.startswith("BKP") for c in codes(page))
    tab.place_tree.setCurrentItem(section.child(2))
    assert codes(page) == ["BKP-007", "BKP-008", "BKP-009"]
    tab.model.sort(2, Qt.SortOrder.DescendingOrder)  # priority: low first
    assert [s.priority.value for s in tab.model.rows()] == ["low", "medium", "high"]


def test_archive_with_del_asks_for_a_reason_and_restore_brings_it_back(
    qtbot, page: StandardsPage, demo: Store
) -> None:
    tab = page.library_tab
    pick(page, "BKP-002")
    asked: list[str] = []
    page.ask_reason = lambda _parent, title, _text, _action: asked.append(title)  # cancels
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_Delete)
    assert asked == ["Archive BKP-002"]
    assert "BKP-002" in codes(page), "cancelled: nothing archived"
    page.ask_reason = lambda *_args: "Superseded by BKP-001"
    reloaded(qtbot, page, tab.archive)
    assert "BKP-002" not in codes(page)
    assert tab.count_label.text() == "83 of 84 standards"
    tab.archived_check.setChecked(True)
    assert "BKP-002" in codes(page)
    pick(page, "BKP-002")
    index = tab.model.index(tab.model.find(lambda s: s.code == "BKP-002"), 0)
    muted = QPalette().color(QPalette.ColorRole.PlaceholderText)
    assert index.data(Qt.ItemDataRole.ForegroundRole) == muted, "archived rows are dimmed"
    assert not tab.edit_button.isEnabled() and tab.restore_button.isEnabled()
    assert "archived" in tab.detail.heading.text()
    assert "Superseded by BKP-001" in tab.detail.history.text()
    reloaded(qtbot, page, tab.restore)
    tree = library_tree(demo)
    assert "BKP-002" in {s.code for s in tree.standards()}
    reasons = [c.reason for c in page.changes if c.code == "BKP-002"][:2]
    assert reasons == ["Superseded by BKP-001", "Superseded by BKP-001"]


def test_enter_edits_through_the_dialog(qtbot, page: StandardsPage) -> None:
    tab = page.library_tab
    pick(page, "BKP-003")
    calls: list[tuple] = []

    def ask(parent, store, tree, standard, *, author, category_id=None):
        calls.append((standard.code if standard else None, author, category_id))
        edit_standard(store, standard.id, {"priority": "low"}, reason="Test", author=author)
        return standard.id

    page.ask_standard = ask
    tab.table.setFocus()
    with qtbot.waitSignal(page.library_loaded, timeout=10_000):
        qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    assert calls == [("BKP-003", page.author(), None)]
    assert tab.current_standard() is not None and tab.current_standard().code == "BKP-003"
    assert tab.current_standard().priority.value == "low"
    assert page.changes[0].reason == "Test"


def test_add_starts_in_the_chosen_category(qtbot, page: StandardsPage) -> None:
    tab = page.library_tab
    category = tab.place_tree.topLevelItem(1).child(1)
    tab.place_tree.setCurrentItem(category)
    seen: list[int | None] = []
    page.ask_standard = lambda *a, author, category_id=None: seen.append(category_id)
    tab.add_standard()
    assert seen == [category.data(0, Qt.ItemDataRole.UserRole + 1)[1]]


def test_sections_menu_adds_and_archives_categories(qtbot, page: StandardsPage) -> None:
    tab = page.library_tab
    tab.place_tree.setCurrentItem(tab.place_tree.topLevelItem(1))
    page.ask_name = lambda *_args: ("Offsite copies", "Split from coverage")
    reloaded(qtbot, page, tab.new_category)
    section = tab.place_tree.topLevelItem(1)
    names = [section.child(i).text(0) for i in range(section.childCount())]
    assert names[-1] == "Offsite copies (0)"
    tab.place_tree.setCurrentItem(section.child(section.childCount() - 1))
    page.ask_reason = lambda *_args: "Not needed after all"
    reloaded(qtbot, page, tab.archive_place)
    section = tab.place_tree.topLevelItem(1)
    assert section.childCount() == 3, "an archived category is hidden"
    tab.place_tree.setCurrentItem(section.child(0))
    tab.archive_place()  # refused: it holds standards in use
    assert "standards in use" in page.property("last_message")


def test_committee_tab_shows_status_meetings_and_escaped_minutes(
    qtbot, demo: Store, make_page
) -> None:
    status = committee_status(demo, AS_OF)
    latest = status.past[0]
    with demo.transaction() as session:
        session.execute(
            update(m.Meeting).where(m.Meeting.id == latest.id).values(client_notes=SCRIPT)
        )
    page = shown(qtbot, make_page())
    tab = page.committee_tab
    assert tab.reason_label.text() == status.reason
    assert tab.proposals.rowCount() == 3
    assert tab.meetings.rowCount() == len(status.past)
    assert tab.current_meeting() is not None and tab.current_meeting().id == latest.id
    document = tab.detail.toPlainText()
    assert SCRIPT in document, "markup a person typed shows as typed"
    assert latest.agenda[0].title in document
    opened: list[int] = []
    page.meeting_activated.connect(opened.append)
    tab.open_button.click()
    tab.meeting_table.setFocus()
    qtbot.keyClick(tab.meeting_table, Qt.Key.Key_Return)
    tab.open_next_button.click()
    assert opened == [latest.id, latest.id, status.next_meeting.id]
    tab.proposal_table.selectRow(0)
    assert tab.current_meeting() is None
    assert status.pending[0].title in tab.detail.toPlainText()


def test_recording_a_decision_reloads_library_and_committee(
    qtbot, page: StandardsPage, demo: Store
) -> None:
    tab = page.committee_tab
    proposal = page.status.pending[1]  # an edit of one standard's priority
    tab.proposal_table.selectRow(1)

    def ask(parent, store, status, proposals, *, proposal_id, author):
        assert proposal_id == proposal.id and len(proposals) == 3
        return record_decision(store, proposal_id, status.past[0].id, AS_OF, "accepted", author)

    page.ask_decision = ask
    with (
        qtbot.waitSignal(page.committee_loaded, timeout=10_000),
        qtbot.waitSignal(page.library_loaded, timeout=10_000),
    ):
        tab.decide_button.click()
    assert tab.proposals.rowCount() == 2
    assert page.changes[0].decision_title == proposal.title
    assert tab.current_meeting() is not None
    decided = next(x for x in page.status.past if x.id == page.status.past[0].id)
    assert [d.title for d in decided.decisions][-1] == proposal.title


def test_change_log_filters_by_standard_words_and_committee(qtbot, page: StandardsPage) -> None:
    log = page.log_tab
    total = log.model.total_count
    assert total == len(page.changes) > 0
    first = page.changes[0]
    pick(page, first.code)
    page.library_tab.detail.history_button.click()
    assert page.tabs.currentWidget() is log
    assert {c.code for c in log.model.rows()} == {first.code}
    assert log.scope_label.text() == f"Standard {first.code}"
    log.scope_button.click()
    assert log.model.rowCount() == total
    log.committee_check.setChecked(True)
    assert all(c.decision_id is not None for c in log.model.rows())
    log.committee_check.setChecked(False)
    log.filter_edit.setText("TAMs")
    log.apply_filter()
    assert [c.reason for c in log.model.rows()] == ["Wording agreed with the TAMs"]
    log.table.selectRow(0)
    detail = log.detail.toPlainText()
    assert "How to align, before:" in detail and "How to align, after:" in detail
    assert log.model.rows()[0].summary == "How to align reworded"


@pytest.mark.parametrize("suffix", [".json", ".csv", ""])
def test_export_writes_the_library_and_remembers_the_folder(
    qtbot, page: StandardsPage, tmp_path: Path, suffix: str
) -> None:
    target = tmp_path / f"library{suffix}"
    asked: list[Path] = []
    page.ask_save_path = lambda _parent, _caption, suggested, _filters: (
        asked.append(suggested) or target
    )
    with qtbot.waitSignal(page.library_tab.exported, timeout=5000) as blocker:
        page.library_tab.export_button.click()
    written: Path = blocker.args[0]
    assert asked[0].name == "standards-library-2026-11-20.csv"
    assert ui_settings().value(EXPORT_FOLDER) == str(tmp_path)
    if suffix == ".json":
        document = json.loads(written.read_text("utf-8"))
        assert document["format"] == "vcio-desk-standards"
    else:
        assert written.suffix == ".csv"
        rows = list(csv.reader(io.StringIO(written.read_bytes().decode("utf-8-sig"))))
        assert rows[0][:2] == ["Code", "Section key"] and len(rows) == 85


def test_read_only_workspace_shows_everything_and_changes_nothing(
    qtbot, demo: Store, make_page
) -> None:
    path = demo.location.path
    demo.close()
    with open_store(path, read_only=True) as ro:
        page = shown(qtbot, make_page(ro))
        assert page.read_only_label.isVisible()
        tab = page.library_tab
        pick(page, "BKP-001")
        for button in (tab.add_button, tab.edit_button, tab.archive_button, tab.import_button,
                       tab.sections_button, page.committee_tab.new_button,
                       page.committee_tab.decide_button):  # fmt: skip
            assert not button.isEnabled(), button.text()
        assert tab.export_button.isEnabled()
        page.ask_reason = lambda *_a: pytest.fail("no question in a read-only workspace")
        tab.archive()
        with ro.session() as s:
            assert not s.scalar(select(m.Standard.archived).where(m.Standard.code == "BKP-001"))
        page.close()


def test_loaded_is_announced_once_both_halves_are_in(qtbot, make_page) -> None:
    page = make_page()
    assert not page.is_loaded
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.show()
    assert page.is_loaded and page.tree is not None and page.status is not None
