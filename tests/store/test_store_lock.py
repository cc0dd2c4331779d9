"""One writer per workspace: a lock file shared with Qt's QLockFile; stale locks are taken over."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from vcio_desk.domain.errors import WorkspaceLockedError
from vcio_desk.store import open_store
from vcio_desk.store.lock import (
    LockHolder,
    ensure_unlocked,
    hold_write_lock,
    lock_path_for,
    read_holder,
)

pytestmark = pytest.mark.sqlite_only  # about SQLite files themselves

# A stand-in for the running desktop app: holds a QLockFile on argv[1] until stdin closes.
QT_HOLDER = """
import sys
from PySide6.QtCore import QCoreApplication, QLockFile
app = QCoreApplication(sys.argv[:1])
lock = QLockFile(sys.argv[1])
lock.setStaleLockTime(0)
if not lock.tryLock(0):
    print("failed", int(lock.error()), flush=True)
    sys.exit(1)
print("locked", flush=True)
sys.stdin.readline()
lock.unlock()
"""

# Asks Qt what it thinks of a lock file someone else wrote.
QT_PROBE = """
import sys
from PySide6.QtCore import QCoreApplication, QLockFile

app = QCoreApplication(sys.argv[:1])
lock = QLockFile(sys.argv[1])
if len(sys.argv) > 2:
    lock.setStaleLockTime(int(sys.argv[2]))
got = lock.tryLock(0)
pid, host, app_name = lock.getLockInfo()  # PySide6 returns the out-parameters
print(got, lock.error().name, pid, flush=True)
if got:
    lock.unlock()
"""


@contextmanager
def qt_app_holding(lock_file: Path) -> Iterator[subprocess.Popen[str]]:
    child = subprocess.Popen(
        [sys.executable, "-c", QT_HOLDER, str(lock_file)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "locked"
        yield child
    finally:
        if child.poll() is None:
            assert child.stdin is not None
            child.stdin.close()
            child.wait(timeout=30)
        if child.stdin and not child.stdin.closed:
            child.stdin.close()
        if child.stdout:
            child.stdout.close()


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "vcio_desk", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=dict(os.environ),  # the isolated HOME/XDG dirs set by the fixture
        timeout=120,
    )


def test_lock_file_sits_beside_the_workspace(tmp_path: Path) -> None:
    assert lock_path_for(tmp_path / "ws.sqlite3") == tmp_path / "ws.sqlite3.lock"


def test_a_qlockfile_held_by_a_running_app_blocks_writers(kit) -> None:
    path = kit.workspace()
    lock_file = lock_path_for(path)
    with qt_app_holding(lock_file) as app:
        assert lock_file.read_text().splitlines()[0] == str(app.pid)
        holder = read_holder(lock_file)
        assert holder is not None
        assert holder.pid == app.pid
        assert holder.host == socket.gethostname()
        before = kit.snapshot(path)
        for attempt in (
            lambda: ensure_unlocked(path),
            lambda: open_store(path),
        ):
            with pytest.raises(WorkspaceLockedError) as caught:
                attempt()
            message = caught.value.user_message
            assert "open in another vcio_desk" in message
            assert f"process {app.pid}" in message
            assert str(path) in message
        with pytest.raises(WorkspaceLockedError), hold_write_lock(path):
            pytest.fail("the lock was taken from a running app")
        kit.assert_untouched(path, before)
        # Reading is still allowed while the app runs.
        with open_store(path, read_only=True) as store:
            assert store.read_only
    with open_store(path) as store:
        assert not store.read_only


def test_a_locked_new_workspace_is_not_created(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    with qt_app_holding(lock_path_for(path)), pytest.raises(WorkspaceLockedError):
        open_store(path)
    assert not path.exists()


def test_lock_left_by_a_killed_app_is_taken_over(kit) -> None:
    path = kit.workspace()
    lock_file = lock_path_for(path)
    with qt_app_holding(lock_file) as app:
        app.send_signal(signal.SIGKILL)
        app.wait(timeout=30)
    assert lock_file.exists(), "a killed QLockFile holder leaves its file behind"
    assert int(lock_file.read_text().splitlines()[0]) == app.pid
    assert read_holder(lock_file) is None
    ensure_unlocked(path)
    with hold_write_lock(path):
        lines = lock_file.read_text().splitlines()
        assert lines[0] == str(os.getpid())
        assert lines[2] == socket.gethostname()
        with open_store(path) as store:
            assert store.schema_revision is not None
    assert not lock_file.exists()


@pytest.mark.parametrize("content", ["", "not a pid\n", "0\npython3\n", "-5\nx\n{host}\n"])
def test_unreadable_lock_files_are_stale(tmp_path: Path, content: str) -> None:
    path = tmp_path / "ws.sqlite3"
    lock_path_for(path).write_text(content.format(host=socket.gethostname()))
    assert read_holder(lock_path_for(path)) is None
    with hold_write_lock(path):
        assert lock_path_for(path).read_text().startswith(f"{os.getpid()}\n")
    assert not lock_path_for(path).exists()


def test_dead_pid_lock_file_is_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "ws.sqlite3"
    pid = dead_pid()
    lock_path_for(path).write_text(f"{pid}\nvcio-desk\n{socket.gethostname()}\n")
    ensure_unlocked(path)
    with hold_write_lock(path):
        assert lock_path_for(path).read_text().startswith(f"{os.getpid()}\n")


def test_a_lock_from_another_machine_is_honoured(tmp_path: Path) -> None:
    """On a shared folder we cannot see the other machine's processes: assume it is alive."""
    path = tmp_path / "ws.sqlite3"
    lock_path_for(path).write_text("4242\nvcio-desk\nsome-other-laptop\n")
    assert read_holder(lock_path_for(path)) == LockHolder(4242, "vcio-desk", "some-other-laptop")
    with pytest.raises(WorkspaceLockedError, match="on some-other-laptop"):
        ensure_unlocked(path)
    with pytest.raises(WorkspaceLockedError), hold_write_lock(path):
        pytest.fail("took a lock held on another machine")
    assert lock_path_for(path).read_text() == "4242\nvcio-desk\nsome-other-laptop\n"


def test_the_write_lock_is_released_on_error(tmp_path: Path) -> None:
    path = tmp_path / "ws.sqlite3"
    with pytest.raises(RuntimeError), hold_write_lock(path):
        assert lock_path_for(path).exists()
        raise RuntimeError("the command failed")
    assert not lock_path_for(path).exists()


def test_the_write_lock_is_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "ws.sqlite3"
    with hold_write_lock(path):
        assert lock_path_for(path).stat().st_mode & 0o777 == 0o600


def test_qt_sees_the_cli_write_lock_as_held(tmp_path: Path) -> None:
    """The running desktop app (QLockFile) must not start writing while the CLI writes."""
    path = tmp_path / "ws.sqlite3"
    with hold_write_lock(path):
        probe = subprocess.run(
            [sys.executable, "-c", QT_PROBE, str(lock_path_for(path))],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert probe.returncode == 0, probe.stderr
    got, error, pid = probe.stdout.split()
    assert got == "False"
    assert error == "LockFailedError"
    assert pid == str(os.getpid())


def test_qt_takes_over_a_released_cli_lock(tmp_path: Path) -> None:
    path = tmp_path / "ws.sqlite3"
    with hold_write_lock(path):
        pass
    probe = subprocess.run(
        [sys.executable, "-c", QT_PROBE, str(lock_path_for(path))],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.split()[:2] == ["True", "NoError"]


def test_cli_demo_refuses_a_workspace_held_by_the_app(kit, tmp_path: Path) -> None:
    path = kit.workspace()
    with qt_app_holding(lock_path_for(path)) as app:
        before = kit.snapshot(path)
        result = cli("--db", str(path), "demo", "--clients", "2", "--years", "1", cwd=tmp_path)
        kit.assert_untouched(path, before)
    assert result.returncode == 3, result
    assert "Traceback" not in result.stderr
    assert "open in another vcio_desk" in result.stderr
    assert f"process {app.pid}" in result.stderr
    assert result.stderr.count("\n") == 1
    assert result.stdout == ""


def test_cli_demo_takes_over_a_stale_lock(tmp_path: Path) -> None:
    path = tmp_path / "ws.sqlite3"
    lock_path_for(path).write_text(f"{dead_pid()}\npython3\n{socket.gethostname()}\n")
    result = cli("--db", str(path), "demo", "--clients", "2", "--years", "1", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Demo workspace ready" in result.stdout
    assert not lock_path_for(path).exists()


@pytest.mark.parametrize(("stale_ms", "taken"), [(0, False), (30_000, True)])
def test_qt_stale_lock_time_decides_about_a_long_cli_write(
    tmp_path: Path, stale_ms: int, taken: bool
) -> None:
    """Qt treats any lock older than staleLockTime (default 30 s) as stale, even a live one.

    The app must call setStaleLockTime(0) (ui/app.py does) or it would take the lock
    from a CLI command that has been writing for more than 30 seconds.
    """
    path = tmp_path / "ws.sqlite3"
    with hold_write_lock(path):
        lock_file = lock_path_for(path)
        two_minutes_ago = time.time() - 120
        os.utime(lock_file, (two_minutes_ago, two_minutes_ago))
        probe = subprocess.run(
            [sys.executable, "-c", QT_PROBE, str(lock_file), str(stale_ms)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert probe.returncode == 0, probe.stderr
        assert probe.stdout.split()[0] == str(taken)
