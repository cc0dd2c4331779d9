"""Foundation figures: large demo build, cold start to first paint, peak memory."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from vcio_desk.services.demo import build_demo
from vcio_desk.store import open_store

from .harness import Figure, median_of, timed
from .workspace import LARGE

BARE_WINDOW = r"""
import sys, resource
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            print("first-paint", flush=True)
            QApplication.instance().quit()
        return False

app = QApplication(sys.argv)
window = QMainWindow(); window.setCentralWidget(QLabel("bare")); window.resize(1200, 800)
spy = FirstPaint(); window.installEventFilter(spy)
window.show()
app.exec()
"""


def large_build(as_of: dt.date, runs: int) -> Figure:
    def once() -> float:
        with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "b.sqlite3") as store:
            return timed(lambda: build_demo(store, as_of=as_of, **LARGE))

    value, samples = median_of(once, runs)
    return Figure("large demo build (500 clients, 5 years)", value, "s", 15.0, samples)


def _until_line(command: list[str], env: dict[str, str], marker: str) -> tuple[float, str]:
    """Seconds from spawning ``command`` to it printing a line starting with ``marker``."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith(marker):
            elapsed = time.perf_counter() - started
            proc.wait(timeout=60)
            return elapsed, line.strip()
    _out, err = proc.communicate(timeout=60)
    raise RuntimeError(f"{command[:3]} never printed {marker!r}: {err[-2000:]}")


# The app restores the last page and layout from Qt settings; measure a first start, not
# whatever page a person last left open, so every child gets a settings folder of its own.
_SETTINGS = tempfile.mkdtemp(prefix="vcio-bench-settings-")


def cold_start(workspace: Path, runs: int) -> list[Figure]:
    env = dict(os.environ, VCIO_DESK_EXIT_AFTER_FIRST_PAINT="1", XDG_CONFIG_HOME=_SETTINGS)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    app_cmd = [sys.executable, "-m", "vcio_desk", "--db", str(workspace)]
    bare_cmd = [sys.executable, "-c", BARE_WINDOW]
    app_value, app_samples = median_of(lambda: _until_line(app_cmd, env, "first-paint")[0], runs)
    bare_value, bare_samples = median_of(lambda: _until_line(bare_cmd, env, "first-paint")[0], runs)
    ratio = app_value / bare_value
    return [
        Figure("cold start to first paint (large workspace)", app_value, "s", 1.0, app_samples),
        Figure("bare PySide6 window, same way", bare_value, "s", None, bare_samples),
        Figure("cold start / bare window", ratio, "x", 6.0),
    ]


def peak_memory(workspace: Path, runs: int) -> Figure:
    env = dict(os.environ, VCIO_DESK_EXIT_AFTER_LOAD="1", XDG_CONFIG_HOME=_SETTINGS)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    cmd = [sys.executable, "-m", "vcio_desk", "--db", str(workspace)]

    def once() -> float:
        _elapsed, line = _until_line(cmd, env, "loaded")
        # "loaded <seconds> peak-rss-kb <kb>"
        return int(line.split()[3]) / 1024

    value, samples = median_of(once, runs)
    return Figure("peak RSS, large workspace open and loaded", value, "MB", 300.0, samples)
