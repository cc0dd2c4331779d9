"""The client page on the large workspace: opening it, and each tab's first showing.

Measured on the busiest client (the most meetings), from ``MainWindow.open_client`` to
the page painted with its Overview loaded; then each lazily built tab from being
chosen to painted. The modules are imported before the runs, as the app has them
after the first client page.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from pathlib import Path

from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from vcio_desk.store import Store, open_store
from vcio_desk.store import models as m

from .figures_gui import _ms, _paint, _PaintSpy, _show_and_paint, _window, application
from .harness import Figure

CLIENT_PAGE_BUDGET_MS = 200.0


def _busiest_client(store: Store) -> tuple[int, int]:
    with store.session() as session:
        row = session.execute(
            select(m.Meeting.client_id, func.count().label("n"))
            .where(m.Meeting.client_id.is_not(None))
            .group_by(m.Meeting.client_id)
            .order_by(func.count().desc())
            .limit(1)
        ).one()
    return row.client_id, row.n


def client_page(workspace: Path, as_of: dt.date, runs: int) -> list[Figure]:
    """Open to painted (Overview loaded), then each other tab's first show."""
    from vcio_desk.ui.pages import client_page as page_module
    from vcio_desk.ui.pages.client_tabs import lazy

    application()
    opened: list[float] = []
    tabs: dict[str, list[float]] = {}
    with open_store(workspace, read_only=True) as store:
        client_id, meetings = _busiest_client(store)
        with _window(store, as_of) as window:
            _show_and_paint(window)
            warm = window.open_client(client_id)  # imports every tab module once
            for key in warm.lazy_tabs:
                warm.show_tab(key)
            warm.close()
            QApplication.processEvents()
            for _ in range(runs):
                started = time.perf_counter()
                page = window.open_client(client_id)
                assert isinstance(page, page_module.ClientPage)
                _paint(page, _PaintSpy(page))
                opened.append(time.perf_counter() - started)
                for key, holder in page.lazy_tabs.items():
                    if key == "overview":
                        continue
                    assert isinstance(holder, lazy.LazyTab)
                    started = time.perf_counter()
                    page.show_tab(key)
                    _paint(holder, _PaintSpy(holder))
                    tabs.setdefault(key, []).append(time.perf_counter() - started)
                page.close()
                QApplication.processEvents()
    figures = [
        Figure(
            "Client page open",
            statistics.median(opened) * 1000,
            "ms",
            CLIENT_PAGE_BUDGET_MS,
            _ms(opened),
            f"busiest client ({meetings} meetings): open_client to painted, Overview loaded",
        )
    ]
    figures.extend(
        Figure(f"client tab {key} first show", statistics.median(samples) * 1000, "ms", None,
               _ms(samples), "chosen to painted, data loaded")
        for key, samples in tabs.items()
    )  # fmt: skip
    return figures
