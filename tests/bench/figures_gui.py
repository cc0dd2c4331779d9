"""GUI figures, in-process and offscreen: Year page paint and filter, Rhythms filter,
Dashboard first paint, and the adherence report PDF.

One QApplication serves every figure; QSettings go to a temporary folder so the
benchmarks never touch the user's window layout. Pages are built in a real
:class:`~vcio_desk.ui.main_window.MainWindow` over the cached large workspace opened
read-only, and their workers run as in the app. A paint is the one the event loop
does next (``processEvents``), forced with ``repaint()`` if the loop did not paint.
"""

from __future__ import annotations

import os

# Before Qt is imported: without a display QApplication would abort the process.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt
import re
import statistics
import string
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QEventLoop,
    QMessageLogContext,
    QObject,
    QSettings,
    QThreadPool,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication, QWidget

from vcio_desk.services.settings import read_settings
from vcio_desk.store import Store, open_store

from .harness import Figure, median_of, timed

LOAD_TIMEOUT_MS = 300_000
"""A page that has not loaded after this long is reported as an error, not waited on."""
WINDOW_SIZE = (1280, 800)
"""The main window's default size (``main_window.DEFAULT_SIZE``)."""

_app: QApplication | None = None
_settings_dir: tempfile.TemporaryDirectory[str] | None = None


def _quiet_qt(_mode: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    """Qt's messages go to stderr as usual, minus the offscreen plugin's size-hint notice."""
    if "propagateSizeHints" not in message:
        sys.stderr.write(f"{message}\n")


def application() -> QApplication:
    """The one QApplication of the benchmark process (created on first use)."""
    global _app, _settings_dir
    if _app is None:
        existing = QApplication.instance()
        if isinstance(existing, QApplication):
            _app = existing
        else:
            _settings_dir = tempfile.TemporaryDirectory(prefix="vcio-bench-qsettings-")
            for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
                QSettings.setPath(fmt, QSettings.Scope.UserScope, _settings_dir.name)
            qInstallMessageHandler(_quiet_qt)
            _app = QApplication(["vcio-desk-bench"])
    return _app


# -- helpers -----------------------------------------------------------------------------------


class _PaintSpy(QObject):
    """Notes that ``widget`` received a paint event."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.painted = False
        widget.installEventFilter(self)

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.painted = True
        return False


def _paint(widget: QWidget, spy: _PaintSpy) -> None:
    """Let the event loop lay out and paint what changed; force the paint if it did not."""
    spy.painted = False
    QApplication.processEvents()
    if not spy.painted:
        widget.repaint()


def _wait_for(signal: Any, done: Callable[[], bool], what: str) -> None:
    """Run the event loop until ``signal`` fires and ``done()`` holds (or time runs out)."""
    if done():
        return
    loop = QEventLoop()
    signal.connect(loop.quit)
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)
    timer.start(LOAD_TIMEOUT_MS)
    while not done() and timer.isActive():
        loop.exec()
    timer.stop()
    signal.disconnect(loop.quit)
    if not done():
        raise RuntimeError(f"{what} did not finish within {LOAD_TIMEOUT_MS / 1000:g} s")


@contextmanager
def _window(store: Store, as_of: dt.date, page: str | None = None) -> Iterator[Any]:
    """A fresh main window over ``store`` (on ``page`` if given), closed and deleted after."""
    from vcio_desk.ui.main_window import MainWindow

    application()
    window = MainWindow(store, read_settings(store), lambda: as_of)
    window.resize(*WINDOW_SIZE)
    if page is not None:
        window.show_page(page)
    try:
        yield window
    finally:
        window.close()
        QThreadPool.globalInstance().waitForDone()
        QApplication.processEvents()  # results of late workers arrive (and are dropped)
        window.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QApplication.processEvents()


def _show_and_paint(window: Any) -> None:
    """Show the main window and run the event loop until it has painted once."""
    window.show()
    _wait_for(window.first_painted, lambda: window._painted, "the main window's first paint")


def _ms(samples: Sequence[float]) -> list[float]:
    return [s * 1000 for s in samples]


def _busiest_letter(keys: Sequence[str]) -> tuple[str, int]:
    """The letter found in the most of ``keys`` (still narrowing them, when one does)."""
    counts = {c: sum(c in k for k in keys) for c in string.ascii_lowercase}
    narrowing = {c: n for c, n in counts.items() if n < len(keys)} or counts
    letter = max(narrowing, key=lambda c: (narrowing[c], c == "e"))
    return letter, narrowing[letter]


# -- Year page ---------------------------------------------------------------------------------


def year_page(workspace: Path, as_of: dt.date, runs: int) -> list[Figure]:
    """First paint of the loaded grid, the worker behind it, and one filter keystroke."""
    from vcio_desk.services.drift import assess_all
    from vcio_desk.services.year_grid import year_grid
    from vcio_desk.ui.models.year_model import prepare_rows
    from vcio_desk.ui.pages.year_page import YearPage

    application()
    with open_store(workspace, read_only=True) as store:
        paint: list[float] = []
        shown_to_loaded: list[float] = []
        subjects = 0
        for _ in range(runs):
            with _window(store, as_of, "year") as window:
                page = window.page("year")  # built, not shown yet: nothing loads before show
                assert isinstance(page, YearPage)
                spy = _PaintSpy(page.table.viewport())
                timing: list[float] = []

                def arrived(
                    data: Any,
                    page: YearPage = page,
                    spy: _PaintSpy = spy,
                    timing: list[float] = timing,
                ) -> None:
                    # The worker's YearData reaches the page: rows into the model, then paint.
                    started = time.perf_counter()
                    YearPage._arrived(page, data)
                    _paint(page.table.viewport(), spy)
                    if not timing:
                        timing.append(time.perf_counter() - started)

                page._arrived = arrived  # type: ignore[method-assign]
                started = time.perf_counter()
                window.show()
                _wait_for(page.loaded, lambda page=page: page.is_loaded, "the Year page")
                shown_to_loaded.append(time.perf_counter() - started)
                paint.extend(timing)
                subjects = page.model.rowCount()

        def work() -> tuple[float, float]:
            started = time.perf_counter()
            drift = assess_all(store, as_of)
            assessed = time.perf_counter()
            prepare_rows(year_grid(store, as_of.year, as_of, drift))
            return assessed - started, time.perf_counter() - assessed

        parts = [work() for _ in range(runs)]
        worker = [a + b for a, b in parts]
        drift_ms = statistics.median(a for a, _ in parts) * 1000
        grid_ms = statistics.median(b for _, b in parts) * 1000

        with _window(store, as_of, "year") as window:
            page = window.page("year")
            assert isinstance(page, YearPage)
            _show_and_paint(window)
            _wait_for(page.loaded, lambda page=page: page.is_loaded, "the Year page")
            keystroke, letter, kept, total = _year_keystroke(page, runs)

    return [
        Figure(
            "Year page first paint, 500 clients",
            statistics.median(paint) * 1000,
            "ms",
            300.0,
            _ms(paint),
            f"worker's rows handed to the page ({subjects} subjects): model, filters, "
            "column layout and the table's first paint",
        ),
        Figure(
            "Year page worker (assess_all + year_grid + rows)",
            statistics.median(worker) * 1000,
            "ms",
            None,
            _ms(worker),
            f"on the UI thread here: assess_all {drift_ms:.0f} ms, "
            f"year_grid + prepare_rows {grid_ms:.0f} ms",
        ),
        Figure(
            "Year page shown to loaded",
            statistics.median(shown_to_loaded) * 1000,
            "ms",
            None,
            _ms(shown_to_loaded),
            "window shown on the Year page until its rows are painted (worker included)",
        ),
        Figure(
            "Year page filter keystroke",
            keystroke[0] * 1000,
            "ms",
            50.0,
            _ms(keystroke[1]),
            f"typing {letter!r} in the subject filter: {kept} of {total} subjects kept, "
            "debounce skipped, filter applied and the table repainted",
        ),
    ]


def _year_keystroke(page: Any, runs: int) -> tuple[tuple[float, list[float]], str, int, int]:
    filters, edit = page.filters, page.filter_edit
    viewport = page.table.viewport()
    spy = _PaintSpy(viewport)
    total = page.model.total_count
    letter, kept = _busiest_letter([r.key for r in page.model.all_rows()])

    def once() -> float:
        edit.setText("")
        filters._emit()  # what the debounce timer calls when it fires
        _paint(viewport, spy)

        def keystroke() -> None:
            edit.setText(letter)
            filters._emit()
            _paint(viewport, spy)

        return timed(keystroke)

    result = median_of(once, runs)
    shown = page.model.rowCount()
    if shown != kept:
        raise RuntimeError(f"the Year filter kept {shown} subjects, expected {kept}")
    return result, letter, kept, total


# -- Rhythms page ------------------------------------------------------------------------------


def rhythms_page(workspace: Path, as_of: dt.date, runs: int) -> list[Figure]:
    """One keystroke in the Rhythms table's filter, on every rhythm of the large workspace."""
    from vcio_desk.ui.pages.rhythms_page import RhythmsPage

    application()
    with open_store(workspace, read_only=True) as store, _window(store, as_of) as window:
        _show_and_paint(window)
        started = time.perf_counter()
        window.show_page("rhythms")
        page = window.page("rhythms")
        assert isinstance(page, RhythmsPage)
        _wait_for(page.loaded, lambda: page.is_loaded, "the Rhythms page")
        loaded = time.perf_counter() - started
        edit, viewport = page.filter_edit, page.table.viewport()
        spy = _PaintSpy(viewport)
        total = page.model.total_count
        letter, kept = _busiest_letter([r.haystack for r in page.model.rows()])

        def once() -> float:
            edit.setText("")
            page.apply_filter()
            _paint(viewport, spy)

            def keystroke() -> None:
                edit.setText(letter)
                page.apply_filter()  # what the debounce timer calls when it fires
                _paint(viewport, spy)

            return timed(keystroke)

        value, samples = median_of(once, runs)
        if page.model.rowCount() != kept:
            raise RuntimeError(f"the Rhythms filter kept {page.model.rowCount()}, not {kept}")
    return [
        Figure(
            "Rhythms table filter keystroke",
            value * 1000,
            "ms",
            50.0,
            _ms(samples),
            f"typing {letter!r} in the filter: {kept:,} of {total:,} rhythms kept, debounce "
            f"skipped, filter applied and the table repainted (page loaded in {loaded:.2f} s)",
        )
    ]


# -- Dashboard ---------------------------------------------------------------------------------


def dashboard_page(workspace: Path, as_of: dt.date, runs: int) -> list[Figure]:
    """From choosing the Dashboard in a shown window to its first paint, and to loaded."""
    import vcio_desk.ui.pages.dashboard_page as dashboard_module  # imported before the runs

    application()
    paint: list[float] = []
    loaded: list[float] = []
    with open_store(workspace, read_only=True) as store:
        for _ in range(runs):
            with _window(store, as_of) as window:
                _show_and_paint(window)
                started = time.perf_counter()
                window.show_page("dashboard")  # builds the page and shows it
                page = window.page("dashboard")
                assert isinstance(page, dashboard_module.DashboardPage)
                _paint(page, _PaintSpy(page))
                paint.append(time.perf_counter() - started)
                _wait_for(page.loaded, lambda page=page: page.is_loaded, "the Dashboard")
                loaded.append(time.perf_counter() - started)
    return [
        Figure(
            "Dashboard first paint",
            statistics.median(paint) * 1000,
            "ms",
            500.0,
            _ms(paint),
            "Dashboard chosen in a shown window: page built, shown and painted "
            "(cards say Loading…; its module was imported before the runs)",
        ),
        Figure(
            "Dashboard chosen to loaded",
            statistics.median(loaded) * 1000,
            "ms",
            None,
            _ms(loaded),
            "until the worker's result is on screen (load_dashboard on the worker)",
        ),
    ]


# -- adherence report --------------------------------------------------------------------------


def adherence_report(workspace: Path, as_of: dt.date, runs: int) -> list[Figure]:
    """The adherence report PDF in-process: data from the store, then the render."""
    from vcio_desk.reports.adherence_report import render_adherence_report
    from vcio_desk.services.adherence_report import adherence_report_data

    pdf = b""
    parts: list[tuple[float, float]] = []
    with open_store(workspace, read_only=True) as store:
        for _ in range(runs):
            started = time.perf_counter()
            data = adherence_report_data(store, as_of)
            gathered = time.perf_counter()
            pdf = render_adherence_report(data)
            parts.append((gathered - started, time.perf_counter() - gathered))
    total = [a + b for a, b in parts]
    gather = [a for a, _ in parts]
    render = [b for _, b in parts]
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
    return [
        Figure(
            "Adherence report PDF, large workspace",
            statistics.median(total),
            "s",
            2.0,
            total,
            f"adherence_report_data + render_adherence_report: {pages} pages, "
            f"{len(pdf) / 1024:.0f} KB",
        ),
        Figure("adherence report data", statistics.median(gather), "s", None, gather),
        Figure("adherence report render", statistics.median(render), "s", None, render),
    ]
