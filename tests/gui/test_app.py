"""``run()``: bad workspaces and a held lock end in a message box, never a traceback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QLockFile
from PySide6.QtWidgets import QMessageBox

from vcio_desk.store import Store
from vcio_desk.store.lock import LockHolder, lock_path_for, locked_message
from vcio_desk.ui.app import EXIT_AFTER_FIRST_PAINT, run


@pytest.fixture
def critical(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every QMessageBox.critical text, instead of a blocking dialog."""
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, _title, text: shown.append(text))
    return shown


def test_a_folder_is_refused_with_a_message(
    qapp, tmp_path: Path, critical: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "not-a-file"
    folder.mkdir()
    assert run(["vcio-desk"], db=str(folder)) != 0
    assert len(critical) == 1
    assert "is a folder" in critical[0]
    assert "Traceback" not in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-file"], "lock left behind"


def test_a_garbage_file_is_refused_and_left_alone(
    qapp, tmp_path: Path, critical: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    garbage = tmp_path / "notes.sqlite3"
    garbage.write_bytes(b"this is not a database\n" * 100)
    before = garbage.read_bytes()
    assert run(["vcio-desk"], db=str(garbage)) != 0
    assert len(critical) == 1
    assert "not a vcio_desk workspace" in critical[0]
    assert garbage.read_bytes() == before
    assert "Traceback" not in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.sqlite3"]


def test_a_held_lock_is_reported_and_respected(qapp, tmp_path: Path, critical: list[str]) -> None:
    path = tmp_path / "ws.sqlite3"
    held = QLockFile(str(lock_path_for(path)))
    held.setStaleLockTime(0)
    assert held.tryLock(0)
    try:
        assert run(["vcio-desk"], db=str(path)) == 3
        expected = locked_message(path, LockHolder(os.getpid(), "", socket.gethostname()))
        assert critical == [expected]
        assert f"process {os.getpid()}" in critical[0]
        assert lock_path_for(path).exists(), "the other holder's lock must stay"
        assert not path.exists(), "a locked workspace is not touched"
    finally:
        held.unlock()


def test_opens_paints_and_releases_the_lock(
    qapp,
    populated: Store,
    critical: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = populated.location.path
    assert path is not None
    monkeypatch.setenv(EXIT_AFTER_FIRST_PAINT, "1")
    assert run(["vcio-desk"], db=str(path)) == 0
    assert critical == []
    line = capsys.readouterr().out.strip().splitlines()[-1]
    label, seconds = line.split()
    assert label == "first-paint" and float(seconds) > 0
    assert not lock_path_for(path).exists()


def test_a_lock_left_by_a_dead_process_is_taken_over(
    qapp,
    populated: Store,
    critical: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = populated.location.path
    assert path is not None
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    lock_path_for(path).write_text(f"{gone.pid}\npython3\n{socket.gethostname()}\n")
    monkeypatch.setenv(EXIT_AFTER_FIRST_PAINT, "1")
    assert run(["vcio-desk"], db=str(path)) == 0
    assert critical == []


def test_start_up_leaves_heavy_libraries_unloaded(populated: Store, tmp_path: Path) -> None:
    """PDF, holidays and calendar libraries cost start-up time; nothing at start needs them."""
    script = textwrap.dedent(
        f"""
        import sys
        from vcio_desk.ui.app import run
        code = run(["vcio-desk"], db={str(populated.location.path)!r})
        heavy = sorted(
            m for m in sys.modules if m.split(".")[0] in {{"reportlab", "holidays", "icalendar"}}
        )
        print("heavy", heavy)
        sys.exit(code)
        """
    )
    env = dict(os.environ, **{EXIT_AFTER_FIRST_PAINT: "1", "QT_QPA_PLATFORM": "offscreen"})
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("first-paint ")
    assert lines[-1] == "heavy []"
    assert "Traceback" not in done.stderr
