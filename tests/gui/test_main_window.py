"""The main window: navigation, shortcuts, menus, status bar, remembered geometry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from vcio_desk import __version__
from vcio_desk.services.settings import read_settings
from vcio_desk.store import Store
from vcio_desk.ui.main_window import PAGES, MainWindow
from vcio_desk.ui.pages.registry import PAGE_FACTORIES

Factory = Callable[[], MainWindow]


@pytest.fixture
def make_window(qtbot, populated: Store, as_of: dt.date) -> Factory:
    def make() -> MainWindow:
        window = MainWindow(populated, read_settings(populated), lambda: as_of)
        qtbot.addWidget(window)
        window.restore_layout()
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        return window

    return make


def test_title_status_bar_and_pages(make_window: Factory, populated: Store) -> None:
    window = make_window()
    assert window.windowTitle() == "vcio_desk — ws.sqlite3"
    assert window.workspace_label.text() == populated.location.display
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == [
        "Dashboard", "Year", "Clients", "Rhythms", "Standards", "Settings",
    ]  # fmt: skip
    assert all(not window.nav.item(i).icon().isNull() for i in range(window.nav.count()))
    assert window.current_page_key() == "clients"
    assert set(PAGE_FACTORIES) == {spec.key for spec in PAGES} - {"clients"}
    for index, spec in enumerate(PAGES):
        if spec.key == "clients":
            continue
        holder = window.pages.widget(index)
        assert not holder.is_built, f"{spec.key} is built only when first shown"
        page = window.page(spec.key)
        assert holder.is_built and page.parent() is holder, spec.key


def test_first_paint_is_announced_once(qtbot, populated: Store, as_of: dt.date) -> None:
    window = MainWindow(populated, {}, lambda: as_of)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.first_painted, timeout=3000):
        window.show()
    with qtbot.assertNotEmitted(window.first_painted, wait=50):
        window.update()


def test_ctrl_numbers_switch_pages(qtbot, make_window: Factory) -> None:
    window = make_window()
    for number, spec in enumerate(PAGES, start=1):
        qtbot.keyClick(window, Qt.Key(Qt.Key.Key_0 + number), Qt.KeyboardModifier.ControlModifier)
        assert window.current_page_key() == spec.key
        assert window.nav.currentRow() == number - 1
        assert window.page_actions[number - 1].isChecked()
    window.nav.setCurrentRow(1)
    assert window.current_page_key() == "year"
    assert window.page_actions[1].isChecked()


def test_ctrl_f_focuses_the_filter_on_the_clients_page(qtbot, make_window: Factory) -> None:
    window = make_window()
    page = window.clients_page
    page.reload()
    window.nav.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is page.filter_edit
    qtbot.keyClicks(page.filter_edit, "beta")
    qtbot.keyClick(page.filter_edit, Qt.Key.Key_Escape)
    assert page.filter_edit.text() == ""


def test_menus(make_window: Factory) -> None:
    window = make_window()
    menus = {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions()}
    assert list(menus) == ["File", "Edit", "View", "Help"]
    edit_actions = [a.text().replace("&", "") for a in menus["Edit"].actions()]
    assert edit_actions == ["Undo", "Redo"]
    file_actions = [a.text().replace("&", "") for a in menus["File"].actions()]
    assert file_actions[-1] == "Quit"
    assert menus["File"].actions()[-1].shortcut().toString() == "Ctrl+Q"
    shortcuts = [a.shortcut().toString() for a in menus["View"].actions()]
    assert shortcuts == [f"Ctrl+{n}" for n in range(1, 7)]
    assert __version__ in window.about_text()
    assert window.store.location.display in window.about_text()


def test_about_box(qtbot, make_window: Factory, monkeypatch: pytest.MonkeyPatch) -> None:
    window = make_window()
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    window.show_about()
    assert shown == [window.about_text()]


def test_quit_closes_the_window(qtbot, make_window: Factory) -> None:
    window = make_window()
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()


def test_geometry_page_and_state_survive_a_restart(qtbot, make_window: Factory) -> None:
    first = make_window()
    first.resize(QSize(720, 460))
    first.move(40, 30)
    first.show_page("standards")
    qtbot.waitUntil(lambda: first.size() == QSize(720, 460))
    first.close()

    second = make_window()
    assert second.size() == QSize(720, 460)
    assert second.pos() == first.pos()
    assert second.current_page_key() == "standards"


def test_first_window_gets_a_sensible_default_size(make_window: Factory) -> None:
    window = make_window()
    available = window.screen().availableGeometry()
    assert window.width() <= available.width()
    assert window.height() <= available.height()
    assert window.width() >= min(900, int(available.width() * 0.9))


def test_empty_text_is_not_clipped(qtbot, make_window: Factory) -> None:
    window = make_window()
    window.resize(QSize(900, 600))
    clients = window.clients_page
    clients.reload()
    qtbot.keyClicks(clients.filter_edit, "no client is called this")
    qtbot.waitUntil(lambda: clients.stack.currentWidget() is clients.empty_panel)
    panel = clients.empty_panel
    qtbot.waitUntil(panel.isVisible)
    label = panel.text_label
    assert label.height() >= label.heightForWidth(label.width())
