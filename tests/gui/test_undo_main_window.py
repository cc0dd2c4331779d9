"""The main window's Edit menu: Undo / Redo act on the page in view (Ctrl+Z, Ctrl+Shift+Z)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from vcio_desk.services.settings import read_settings
from vcio_desk.services.standards_library import get_standard
from vcio_desk.store import Store
from vcio_desk.ui.main_window import MainWindow
from vcio_desk.ui.pages.standards_page import StandardsPage

AS_OF = dt.date(2026, 11, 20)


@pytest.fixture
def window(qtbot, workspace: Store) -> MainWindow:
    window = MainWindow(workspace, read_settings(workspace), lambda: AS_OF)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


def standards(qtbot, window: MainWindow) -> StandardsPage:
    page = window.page("standards")
    assert isinstance(page, StandardsPage)
    with qtbot.waitSignal(page.library_loaded, timeout=10_000):
        window.show_page("standards")
    return page


def test_edit_menu_undoes_the_page_in_view(qtbot, window: MainWindow, workspace: Store) -> None:
    page = standards(qtbot, window)
    assert window.undo_group.activeStack() is page.undo_stack
    assert not window.undo_menu_action.isEnabled()
    assert QKeySequence(QKeySequence.StandardKey.Undo) in window.undo_menu_action.shortcuts()
    assert QKeySequence(QKeySequence.StandardKey.Redo) in window.redo_menu_action.shortcuts()
    assert page.undo_action.shortcuts() == [], "one action per key: the menu's"

    assert page.tree is not None
    chosen = next(s for s in page.tree.standards() if s.code == "BKP-002")
    assert page.library_tab.select_standard(chosen.id)
    page.ask_reason = lambda *_args: "Superseded"
    with qtbot.waitSignal(page.library_loaded, timeout=10_000):
        page.library_tab.archive()
    assert get_standard(workspace, chosen.id).archived
    assert window.undo_menu_action.isEnabled()
    assert window.undo_menu_action.text() == "&Undo Archive BKP-002"

    window.activateWindow()
    with qtbot.waitSignal(page.library_loaded, timeout=10_000):
        qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not get_standard(workspace, chosen.id).archived
    with qtbot.waitSignal(page.library_loaded, timeout=10_000):
        qtbot.keyClick(
            window,
            Qt.Key.Key_Z,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
    assert get_standard(workspace, chosen.id).archived

    # Another page in view: its own stack (none on Clients), and nothing of the library.
    window.show_page("clients")
    assert window.undo_group.activeStack() is None
    assert not window.undo_menu_action.isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert get_standard(workspace, chosen.id).archived
    window.show_page("standards")
    assert window.undo_menu_action.isEnabled()


def test_year_page_joins_the_group(qtbot, window: MainWindow) -> None:
    year = window.page("year")
    window.show_page("year")
    assert window.undo_group.activeStack() is year.undo_stack  # type: ignore[attr-defined]
    assert year.undo_action.shortcuts() == []  # type: ignore[attr-defined]
