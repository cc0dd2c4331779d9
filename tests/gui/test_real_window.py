"""Smoke test: the real app in a real X window (Xvfb), saving a screenshot of the demo."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from vcio_desk.services.demo import build_demo
from vcio_desk.store import open_store

XVFB = shutil.which("Xvfb")
pytestmark = pytest.mark.skipif(
    XVFB is None, reason="Xvfb is not installed (scripts/system-deps.sh installs it)"
)


@pytest.fixture
def display() -> Iterator[str]:
    for number in range(90, 120):
        if (
            not Path(f"/tmp/.X11-unix/X{number}").exists()
            and not Path(f"/tmp/.X{number}-lock").exists()
        ):
            break
    server = subprocess.Popen(
        [XVFB, f":{number}", "-screen", "0", "1440x900x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    socket = Path(f"/tmp/.X11-unix/X{number}")
    deadline = time.monotonic() + 10
    while not socket.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert socket.exists(), "Xvfb did not start"
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_app_opens_in_a_real_window_and_saves_a_screenshot(display: str, tmp_path: Path) -> None:
    workspace = tmp_path / "demo.sqlite3"
    with open_store(workspace) as store:
        build_demo(store, clients=25, years=2, seed=3, as_of=dt.date.today())
    shot = tmp_path / "main-window.png"
    env = dict(
        os.environ,
        DISPLAY=display,
        QT_QPA_PLATFORM="xcb",
        VCIO_DESK_SCREENSHOT=str(shot),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_STATE_HOME=str(tmp_path / "state"),
    )
    result = subprocess.run(
        [sys.executable, "-m", "vcio_desk", "--db", str(workspace)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    from PySide6.QtGui import QImage

    image = QImage(str(shot))
    assert image.width() >= 800 and image.height() >= 500
    # A real rendering has many colours (text, icons, selection), not a blank rectangle.
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)
    }
    assert len(colours) > 20
