"""Which widget fills each page of the main window.

Each entry builds its page from the main window (store, clock, settings). A
page builds cheaply and loads its data when first shown, so start-up stays fast.
Every page of the main window but Clients (built at start-up) has an entry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

if TYPE_CHECKING:
    from vcio_desk.ui.main_window import MainWindow

PageFactory = Callable[["MainWindow"], QWidget]


class LazyPage(QWidget):
    """Holds a page's place in the window and builds the page the first time it is shown.

    Start-up then pays only for the page that opens first (importing and building the
    Year, Dashboard and Rhythms pages costs tens of milliseconds each).
    """

    def __init__(self, build: Callable[[], QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._build = build
        self._page: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    @property
    def is_built(self) -> bool:
        return self._page is not None

    def page(self) -> QWidget:
        if self._page is None:
            self._page = self._build()
            self.layout().addWidget(self._page)
            if self.isVisible():
                self._page.show()
        return self._page

    def showEvent(self, event: QShowEvent) -> None:
        self.page()
        super().showEvent(event)


def _open_clients_from(page: QWidget, window: MainWindow) -> QWidget:
    """Clicking a client in the drift lists opens its page."""
    page.subject_activated.connect(  # type: ignore[attr-defined]
        lambda kind, subject_id: window.open_client(subject_id) if kind == "client" else None
    )
    return page


def _year(window: MainWindow) -> QWidget:
    from vcio_desk.ui.pages.year_page import YearPage

    return YearPage(window)


def _dashboard(window: MainWindow) -> QWidget:
    from vcio_desk.ui.pages.dashboard_page import DashboardPage

    page = _open_clients_from(DashboardPage(window.store, window.as_of_provider), window)
    page.meeting_activated.connect(window.open_meeting)
    window.meeting_changed.connect(lambda _id: page.mark_stale())  # prep states follow
    return page


def _rhythms(window: MainWindow) -> QWidget:
    from vcio_desk.ui.pages.rhythms_page import RhythmsPage

    return _open_clients_from(RhythmsPage(window.store, window.as_of_provider), window)


def _standards(window: MainWindow) -> QWidget:
    from vcio_desk.ui.pages.standards_page import StandardsPage

    page = StandardsPage(window.store, window.as_of_provider)
    page.meeting_activated.connect(window.open_meeting)
    return page


def _settings(window: MainWindow) -> QWidget:
    from vcio_desk.services.settings import read_settings
    from vcio_desk.ui.pages.settings_page import SettingsPage

    page = SettingsPage(window.store, window.as_of_provider)
    page.workspace_saved.connect(
        lambda: window.workspace_settings.update(read_settings(window.store))
    )
    return page


PAGE_FACTORIES: dict[str, PageFactory] = {
    "year": _year,
    "dashboard": _dashboard,
    "rhythms": _rhythms,
    "standards": _standards,
    "settings": _settings,
}
