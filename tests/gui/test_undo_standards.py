"""Undo and redo in the standards library: archive, restore, edit and add, each read back
through the services at every step; an undo over a change made elsewhere is refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from vcio_desk.services.standards_library import (
    StandardView,
    add_standard,
    edit_standard,
    get_standard,
    library_tree,
)
from vcio_desk.services.standards_log import change_log
from vcio_desk.services.standards_sections import rename_category
from vcio_desk.services.undo_support import place_state
from vcio_desk.store import Store, open_store
from vcio_desk.ui.pages.standards_page import StandardsPage

AS_OF = dt.date(2026, 11, 20)


@pytest.fixture
def page(qtbot, workspace: Store) -> Iterator[StandardsPage]:
    page = StandardsPage(workspace, lambda: AS_OF)
    qtbot.addWidget(page)
    page.resize(1200, 760)
    page.messages = []  # type: ignore[attr-defined]
    page.notify = lambda _parent, text: page.messages.append(text)  # type: ignore[attr-defined]
    with (
        qtbot.waitSignal(page.library_loaded, timeout=10_000),
        qtbot.waitSignal(page.committee_loaded, timeout=10_000),
    ):
        page.show()
    yield page


@pytest.fixture
def other(tmp_path: Path) -> Iterator[Store]:
    """A second store on the same workspace file: someone else, elsewhere."""
    store = open_store(tmp_path / "ws.sqlite3")
    yield store
    store.close()


def reloaded(qtbot, page: StandardsPage, action: Callable[[], object]) -> None:
    with qtbot.waitSignal(page.library_loaded, timeout=10_000):
        action()


def standard(page: StandardsPage, code: str) -> StandardView:
    assert page.tree is not None
    return next(s for s in page.tree.standards() if s.code == code)


def pick(page: StandardsPage, code: str) -> StandardView:
    chosen = standard(page, code)
    assert page.library_tab.select_standard(chosen.id)
    return chosen


def archived(store: Store, standard_id: int) -> bool:
    return get_standard(store, standard_id).archived


def test_archive_undo_redo(qtbot, page: StandardsPage, workspace: Store) -> None:
    tab = page.library_tab
    chosen = pick(page, "BKP-002")
    page.ask_reason = lambda *_args: "Superseded"
    reloaded(qtbot, page, tab.archive)
    assert archived(workspace, chosen.id)
    assert page.undo_stack.undoText() == "Archive BKP-002"
    assert page.undo_action.isEnabled()

    reloaded(qtbot, page, page.undo_stack.undo)
    assert not archived(workspace, chosen.id)
    assert tab.current_standard() is not None and tab.current_standard().id == chosen.id
    reloaded(qtbot, page, page.undo_stack.redo)
    assert archived(workspace, chosen.id)
    reasons = [c.reason for c in change_log(workspace) if c.standard_id == chosen.id][:3]
    assert reasons == ["Redo: Superseded", "Undo: Superseded", "Superseded"]


def test_restore_is_undone_by_archiving_again(qtbot, page: StandardsPage, workspace: Store) -> None:
    tab = page.library_tab
    chosen = pick(page, "BKP-003")
    page.ask_reason = lambda *_args: "Retired"
    reloaded(qtbot, page, tab.archive)
    tab.archived_check.setChecked(True)
    pick(page, "BKP-003")
    page.ask_reason = lambda *_args: "Needed after all"
    reloaded(qtbot, page, tab.restore)
    assert not archived(workspace, chosen.id)
    assert page.undo_stack.undoText() == "Restore BKP-003"
    reloaded(qtbot, page, page.undo_stack.undo)
    assert archived(workspace, chosen.id)
    reloaded(qtbot, page, page.undo_stack.undo)  # and the archive before it
    assert not archived(workspace, chosen.id)


def test_edit_made_in_the_dialog_is_undone_and_redone(
    qtbot, page: StandardsPage, workspace: Store
) -> None:
    chosen = pick(page, "BKP-004")
    assert chosen.priority.value != "low"

    def ask(_parent, store, _tree, shown, *, author, category_id=None):
        edit_standard(
            store,
            shown.id,
            {"priority": "low", "question": "Changed question?"},
            reason="Tidy",
            author=author,
            expected_updated_at=shown.updated_at,
        )
        return shown.id

    page.ask_standard = ask
    reloaded(qtbot, page, page.library_tab.edit_standard)
    after = get_standard(workspace, chosen.id)
    assert (after.priority.value, after.question) == ("low", "Changed question?")
    assert page.undo_stack.undoText() == "Edit BKP-004"

    reloaded(qtbot, page, page.undo_stack.undo)
    back = get_standard(workspace, chosen.id)
    assert (back.priority, back.question) == (chosen.priority, chosen.question)
    reloaded(qtbot, page, page.undo_stack.redo)
    again = get_standard(workspace, chosen.id)
    assert (again.priority.value, again.question) == ("low", "Changed question?")


def test_add_is_undone_by_archiving_the_new_standard(
    qtbot, page: StandardsPage, workspace: Store
) -> None:
    chosen = standard(page, "BKP-001")
    added: list[int] = []

    def ask(_parent, store, _tree, _shown, *, author, category_id=None):
        fields = {"code": "BKP-900", "question": "Is it new?", "category_id": chosen.category_id}
        added.append(add_standard(store, {**fields, "tiers": "A"}, reason="New", author=author))
        return added[0]

    page.ask_standard = ask
    reloaded(qtbot, page, page.library_tab.add_standard)
    assert not archived(workspace, added[0])
    assert page.undo_stack.undoText() == "Add BKP-900"
    reloaded(qtbot, page, page.undo_stack.undo)
    assert archived(workspace, added[0])
    assert "BKP-900" not in {s.code for s in library_tree(workspace).standards()}
    reloaded(qtbot, page, page.undo_stack.redo)
    assert not archived(workspace, added[0])


def test_undo_after_a_change_elsewhere_is_refused(
    qtbot, page: StandardsPage, workspace: Store, other: Store
) -> None:
    chosen = pick(page, "BKP-005")
    page.ask_reason = lambda *_args: "Superseded"
    reloaded(qtbot, page, page.library_tab.archive)
    # Someone else restores it and changes it, on the same file.
    from vcio_desk.services.standards_library import restore_standard

    restore_standard(other, chosen.id, reason="Still needed", author="Grace")
    edit_standard(other, chosen.id, {"question": "Theirs?"}, reason="Better", author="Grace")

    page.undo_stack.undo()
    qtbot.waitUntil(lambda: bool(page.messages), timeout=5000)  # type: ignore[attr-defined]
    assert "changed elsewhere" in page.messages[0]  # type: ignore[attr-defined]
    assert "reload" in page.messages[0].lower()  # type: ignore[attr-defined]
    now = get_standard(workspace, chosen.id)
    assert (now.archived, now.question) == (False, "Theirs?"), "nothing was overwritten"
    assert not page.undo_stack.canUndo(), "the refused step left the stack"


def test_edit_undo_after_a_change_elsewhere_is_refused(
    qtbot, page: StandardsPage, workspace: Store, other: Store
) -> None:
    chosen = pick(page, "BKP-006")

    def ask(_parent, store, _tree, shown, *, author, category_id=None):
        edit_standard(store, shown.id, {"question": "Mine?"}, reason="Mine", author=author)
        return shown.id

    page.ask_standard = ask
    reloaded(qtbot, page, page.library_tab.edit_standard)
    edit_standard(other, chosen.id, {"question": "Theirs?"}, reason="Theirs", author="Grace")
    page.undo_stack.undo()
    qtbot.waitUntil(lambda: bool(page.messages), timeout=5000)  # type: ignore[attr-defined]
    assert "changed elsewhere" in page.messages[0]  # type: ignore[attr-defined]
    assert get_standard(workspace, chosen.id).question == "Theirs?"


def test_shortcuts_on_the_page_when_it_stands_alone(page: StandardsPage) -> None:
    assert QKeySequence(QKeySequence.StandardKey.Undo) in page.undo_action.shortcuts()
    assert QKeySequence("Ctrl+Shift+Z") in page.redo_action.shortcuts()
    assert page.undo_action.shortcutContext() == Qt.ShortcutContext.WindowShortcut


def test_read_only_workspace_pushes_nothing(qtbot, tmp_path: Path, workspace: Store) -> None:
    reader = open_store(tmp_path / "ws.sqlite3", read_only=True)
    try:
        page = StandardsPage(reader, lambda: AS_OF)
        qtbot.addWidget(page)
        with qtbot.waitSignal(page.library_loaded, timeout=10_000):
            page.show()
        assert not page.push(None)  # type: ignore[arg-type]
        assert page.undo_stack.count() == 0
        page.close()
    finally:
        reader.close()


def section_item(page: StandardsPage, index: int = 1):  # type: ignore[no-untyped-def]
    return page.library_tab.place_tree.topLevelItem(index)


def test_rename_and_archive_of_a_category_are_undone(
    qtbot, page: StandardsPage, workspace: Store
) -> None:
    tab = page.library_tab
    tab.place_tree.setCurrentItem(section_item(page))
    page.ask_name = lambda *_args: ("Offsite copies", "Split from coverage")
    reloaded(qtbot, page, tab.new_category)  # adding is not an undo step
    section = section_item(page)
    tab.place_tree.setCurrentItem(section.child(section.childCount() - 1))
    kind, category_id = tab.selected_place()
    assert kind == "category"

    page.ask_name = lambda *_args: ("Offsite backups", "Clearer")
    reloaded(qtbot, page, tab.rename_place)
    assert place_state(workspace, "category", category_id) == ("Offsite backups", False)
    assert page.undo_stack.undoText() == "Rename category Offsite copies"
    reloaded(qtbot, page, page.undo_stack.undo)
    assert place_state(workspace, "category", category_id) == ("Offsite copies", False)
    reloaded(qtbot, page, page.undo_stack.redo)
    assert place_state(workspace, "category", category_id) == ("Offsite backups", False)

    page.ask_reason = lambda *_args: "Not needed"
    reloaded(qtbot, page, tab.archive_place)
    assert place_state(workspace, "category", category_id) == ("Offsite backups", True)
    reloaded(qtbot, page, page.undo_stack.undo)
    assert place_state(workspace, "category", category_id) == ("Offsite backups", False)
    reloaded(qtbot, page, page.undo_stack.undo)
    assert place_state(workspace, "category", category_id) == ("Offsite copies", False)


def test_category_undo_after_a_rename_elsewhere_is_refused(
    qtbot, page: StandardsPage, workspace: Store, other: Store
) -> None:
    tab = page.library_tab
    section = section_item(page)
    tab.place_tree.setCurrentItem(section.child(0))
    _kind, category_id = tab.selected_place()
    page.ask_name = lambda *_args: ("Mine", "Mine")
    reloaded(qtbot, page, tab.rename_place)
    rename_category(other, category_id, "Theirs", reason="Theirs", author="Grace")
    page.undo_stack.undo()
    qtbot.waitUntil(lambda: bool(page.messages), timeout=5000)  # type: ignore[attr-defined]
    assert "changed elsewhere" in page.messages[0]  # type: ignore[attr-defined]
    assert place_state(workspace, "category", category_id)[0] == "Theirs"
