"""Which widget fills each page of the main window.

Each entry builds its page from the main window (store, clock, settings). A
page builds cheaply and loads its data when first shown, so start-up stays fast.
Keys without an entry show a placeholder that says what will be there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from vcio_desk.ui.main_window import MainWindow

PageFactory = Callable[["MainWindow"], QWidget]


def _year(window: MainWindow) -> QWidget:
    from vcio_desk.ui.pages.year_page import YearPage

    return YearPage(window)


PAGE_FACTORIES: dict[str, PageFactory] = {}
