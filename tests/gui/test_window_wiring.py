"""How the main window ties pages together: meetings open from everywhere, the MSP's
register, and a workspace import that every page follows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from vcio_desk.services.clients import list_clients
from vcio_desk.services.demo import build_demo
from vcio_desk.services.settings import read_settings
from vcio_desk.services.workspace_transfer import export_workspace
from vcio_desk.store import Store, open_store
from vcio_desk.ui.dialogs.workspace_transfer import Askers
from vcio_desk.ui.main_window import MainWindow
from vcio_desk.ui.pages.client_tabs.csi_tab import CsiTab
from vcio_desk.ui.pages.meeting_page import MeetingPage

OFFSCREEN_NOISE = (
    r"This plugin does not support raise\(\)",
    r"This plugin does not support propagateSizeHints\(\)",
)


@pytest.fixture
def window(qtbot, populated: Store, as_of: dt.date) -> MainWindow:
    window = MainWindow(populated, read_settings(populated), lambda: as_of)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.mark.qt_log_ignore(*OFFSCREEN_NOISE)
def test_a_meeting_opens_once_from_the_dashboard_and_a_client_page(
    qtbot, window: MainWindow, populated: Store, as_of: dt.date
) -> None:
    dashboard = window.page("dashboard")
    acme = next(r.id for r in list_clients(populated, as_of) if r.name == "Acme Dental")
    client_page = window.open_client(acme)
    overview = client_page.tab("overview")
    meeting_id = overview.overview.upcoming[0].meeting_id
    dashboard.meeting_activated.emit(meeting_id)
    page = window.meeting_pages[meeting_id]
    assert isinstance(page, MeetingPage)
    client_page.meeting_activated.emit(meeting_id)
    assert window.meeting_pages == {meeting_id: page}  # raised, not opened twice
    page.close()
    QApplication.processEvents()
    assert meeting_id not in window.meeting_pages


@pytest.mark.qt_log_ignore(*OFFSCREEN_NOISE)
def test_the_msp_register_is_one_window(window: MainWindow) -> None:
    register = window.open_msp_register()
    assert isinstance(register, CsiTab)
    assert register.client_id is None
    assert register.isWindow() and register.isVisible()
    assert window.open_msp_register() is register


@pytest.mark.qt_log_ignore(*OFFSCREEN_NOISE)
def test_import_closes_windows_and_every_page_shows_the_new_content(
    qtbot, window: MainWindow, populated: Store, as_of: dt.date, tmp_path: Path
) -> None:
    source = tmp_path / "source.sqlite3"
    with open_store(source) as other:
        build_demo(other, clients=3, years=1, seed=4, as_of=as_of)
        export_workspace(other, tmp_path / "ws.json")
        expected = sorted(r.name for r in list_clients(other, as_of))
    asked: list[str] = []
    window.transfer_askers = Askers(
        open_path=lambda _parent, _folder: str(tmp_path / "ws.json"),
        confirm_replace=lambda _parent, text: asked.append(text) or True,
        notify=lambda _parent, _title, text, _icon: asked.append(text),
    )
    acme = next(r.id for r in list_clients(populated, as_of) if r.name == "Acme Dental")
    client_page = window.open_client(acme)
    closed: list[QWidget] = []
    client_page.destroyed.connect(lambda _obj=None: closed.append(client_page))
    assert window.import_workspace()
    QApplication.processEvents()
    assert not window.client_pages and closed
    assert asked and "replace" in asked[0].lower()  # the user's own clients: asked first
    model = window.clients_page.model
    names = sorted(model.index(row, 0).data() for row in range(model.rowCount()))
    assert names == expected


def test_a_refused_import_changes_nothing(
    window: MainWindow, populated: Store, as_of: dt.date, tmp_path: Path
) -> None:
    (tmp_path / "bad.json").write_text('{"format": "something else"}', encoding="utf-8")
    said: list[str] = []
    window.transfer_askers = Askers(
        open_path=lambda _parent, _folder: str(tmp_path / "bad.json"),
        confirm_replace=lambda _parent, _text: True,
        notify=lambda _parent, _title, text, icon: (
            said.append(text) if icon is QMessageBox.Icon.Warning else None
        ),
    )
    before = sorted(r.name for r in list_clients(populated, as_of))
    assert not window.import_workspace()
    assert said, "the reason is shown"
    assert sorted(r.name for r in list_clients(populated, as_of)) == before


def test_a_meeting_change_refreshes_the_dashboard_only_when_it_is_seen(
    qtbot, window: MainWindow
) -> None:
    dashboard = window.page("dashboard")
    assert window.current_page_key() == "clients"  # the dashboard is built but hidden
    before = dashboard.refresh_count
    window.meeting_changed.emit(1)
    window.meeting_changed.emit(2)
    assert dashboard.refresh_count == before
    window.show_page("dashboard")
    qtbot.waitUntil(lambda: dashboard.refresh_count == before + 1)
    qtbot.waitUntil(lambda: dashboard.is_loaded)
