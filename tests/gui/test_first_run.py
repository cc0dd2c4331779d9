"""First run on an empty workspace: the dialog, "Start empty", and the real demo build."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget

from vcio_desk.services.workspace import summarize
from vcio_desk.store import Store
from vcio_desk.ui.first_run import FirstRunChoice, FirstRunDialog, offer_first_run, start_demo
from vcio_desk.ui.main_window import MainWindow


def make_window(qtbot, store: Store, as_of: dt.date) -> MainWindow:
    window = MainWindow(store, {}, lambda: as_of)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.clients_page.reload()
    return window


def test_dialog_appears_and_start_empty_closes_it(qtbot, workspace: Store, as_of) -> None:
    window = make_window(qtbot, workspace, as_of)
    seen: list[tuple[str, ...]] = []

    def press_start_empty() -> None:
        dialog = window.findChild(FirstRunDialog)
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(20, press_start_empty)
            return
        seen.append(tuple(b.text() for b in (dialog.demo_button, dialog.empty_button)))
        qtbot.mouseClick(dialog.empty_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, press_start_empty)
    choice = offer_first_run(window)

    assert choice is FirstRunChoice.EMPTY
    assert seen == [("Open a demo workspace", "Start empty")]
    dialog = window.findChild(FirstRunDialog)
    assert dialog is None or not dialog.isVisible()
    assert not summarize(workspace).has_clients
    assert window.findChild(QProgressDialog) is None


def test_dialog_explains_each_choice(qtbot) -> None:
    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    assert "realistic" in dialog.demo_button.description()
    assert dialog.empty_button.description()
    dialog.reject()  # closing the window is "Start empty"
    assert dialog.choice is FirstRunChoice.EMPTY


def test_not_offered_when_the_workspace_has_clients(qtbot, populated: Store, as_of) -> None:
    window = make_window(qtbot, populated, as_of)

    def chooser(_parent: QWidget) -> FirstRunChoice:
        pytest.fail("a workspace with clients must not be offered the first-run choices")

    assert offer_first_run(window, chooser) is None


def test_demo_choice_builds_the_demo_and_shows_its_clients(qtbot, workspace: Store, as_of) -> None:
    window = make_window(qtbot, workspace, as_of)
    window.show_page("dashboard")
    asked: list[QWidget] = []

    def chooser(parent: QWidget) -> FirstRunChoice:
        asked.append(parent)
        return FirstRunChoice.DEMO

    assert offer_first_run(window, chooser) is FirstRunChoice.DEMO
    assert asked == [window]
    progress = window.findChild(QProgressDialog)
    assert progress is not None and progress.isVisible()
    assert progress.windowModality() == Qt.WindowModality.WindowModal

    qtbot.waitUntil(lambda: window.clients_page.model.total_count > 0, timeout=120_000)
    assert window.clients_page.model.total_count == 40
    assert window.current_page_key() == "clients"
    assert window.clients_page.stack.currentWidget() is window.clients_page.table
    assert summarize(workspace).has_clients
    qtbot.waitUntil(lambda: window.findChild(QProgressDialog) is None)  # closed and deleted


def test_empty_page_button_starts_the_demo(qtbot, workspace: Store, as_of) -> None:
    window = make_window(qtbot, workspace, as_of)
    window.clients_page.empty_panel.button.click()
    assert window.findChild(QProgressDialog) is not None
    qtbot.waitUntil(lambda: window.clients_page.model.total_count == 40, timeout=120_000)


def test_cancelling_the_demo_leaves_the_workspace_empty(qtbot, workspace: Store, as_of) -> None:
    window = make_window(qtbot, workspace, as_of)
    operation = start_demo(window)
    assert operation is not None
    assert start_demo(window) is None, "one demo at a time"
    progress = window.findChild(QProgressDialog)
    cancel = progress.findChild(QPushButton)
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert progress.isVisible(), "the dialog stays until the work has stopped"
    assert progress.labelText().startswith("Cancelling")
    assert not cancel.isEnabled()

    qtbot.waitUntil(lambda: window.findChild(QProgressDialog) is None, timeout=120_000)
    assert "cancelled" in window.statusBar().currentMessage()
    assert not summarize(workspace).has_clients
    window.clients_page.reload()
    assert window.clients_page.model.total_count == 0
