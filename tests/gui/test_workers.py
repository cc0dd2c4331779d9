"""Background work: results, failures, progress and cancellation arrive on the UI thread."""

from __future__ import annotations

import logging
import threading
from typing import Any

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from vcio_desk.domain.errors import WorkspaceError
from vcio_desk.ui.workers import GENERIC_FAILURE, ProgressFn, run_in_background


@pytest.fixture
def window(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


class Recorder:
    """Collects callbacks with the thread they ran on."""

    def __init__(self) -> None:
        self.events: list[tuple[str, Any]] = []
        self.threads: set[QThread] = set()

    def __call__(self, name: str):
        def record(*args: Any) -> None:
            self.threads.add(QThread.currentThread())
            self.events.append((name, args[0] if len(args) == 1 else args))

        return record

    def callbacks(self) -> dict[str, Any]:
        return {
            "on_success": self("succeeded"),
            "on_failure": self("failed"),
            "on_progress": self("progress"),
            "on_cancelled": self("cancelled"),
        }

    def names(self) -> list[str]:
        return [name for name, _ in self.events]


def test_result_and_progress_arrive_on_the_ui_thread(qtbot, window: QWidget) -> None:
    seen = Recorder()
    worker_threads: list[QThread] = []

    def work(progress: ProgressFn) -> int:
        worker_threads.append(QThread.currentThread())
        progress(1, 2, "half")
        progress(2, 2, "done")
        return 42

    operation = run_in_background(window, work, **seen.callbacks())
    assert operation.running
    qtbot.waitUntil(lambda: "succeeded" in seen.names())
    assert seen.events == [
        ("progress", (1, 2, "half")),
        ("progress", (2, 2, "done")),
        ("succeeded", 42),
    ]
    assert seen.threads == {QApplication.instance().thread()}
    assert worker_threads and worker_threads[0] is not QApplication.instance().thread()


def test_a_user_error_reaches_the_user_as_its_message(qtbot, window: QWidget) -> None:
    seen = Recorder()

    def work(_progress: ProgressFn) -> None:
        raise WorkspaceError("The workspace is read-only.")

    run_in_background(window, work, **seen.callbacks())
    qtbot.waitUntil(lambda: bool(seen.events))
    assert seen.events == [("failed", "The workspace is read-only.")]


def test_a_bug_is_logged_not_shown(
    qtbot, window: QWidget, caplog: pytest.LogCaptureFixture
) -> None:
    seen = Recorder()

    def work(_progress: ProgressFn) -> None:
        raise KeyError("internal detail")

    with caplog.at_level(logging.ERROR, logger="vcio_desk.ui.workers"):
        run_in_background(window, work, **seen.callbacks())
        qtbot.waitUntil(lambda: bool(seen.events))
    assert seen.events == [("failed", GENERIC_FAILURE)]
    assert "internal detail" not in GENERIC_FAILURE
    assert any(r.exc_info and "internal detail" in str(r.exc_info[1]) for r in caplog.records)


def test_failure_without_handler_shows_a_warning(
    qtbot, window: QWidget, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[tuple[QWidget, str]] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda parent, _title, text: shown.append((parent, text))
    )

    def work(_progress: ProgressFn) -> None:
        raise WorkspaceError("Disk full.")

    run_in_background(window, work)
    qtbot.waitUntil(lambda: bool(shown))
    assert shown == [(window, "Disk full.")]


def test_cancel_stops_at_the_next_progress_report(qtbot, window: QWidget) -> None:
    seen = Recorder()
    started, release = threading.Event(), threading.Event()
    reached_the_end: list[bool] = []

    def work(progress: ProgressFn) -> None:
        started.set()
        release.wait(10)
        progress(1, 2, "next step")
        reached_the_end.append(True)

    operation = run_in_background(window, work, **seen.callbacks())
    assert started.wait(10)
    operation.cancel()
    release.set()
    qtbot.waitUntil(lambda: bool(seen.events))
    assert seen.names() == ["cancelled"]
    assert not reached_the_end
