"""write_atomically and safe_file_name: whole files or none, and names that stay put.

The failure cases are real, not mocked: a parent that is a file (ENOTDIR), a missing
folder (ENOENT), a folder an unprivileged user cannot write (EACCES; tests usually
run as root, which ignores permission bits, so a child process drops to ``nobody``),
and a full disk simulated with RLIMIT_FSIZE in a child process (EFBIG).
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vcio_desk.atomic import WriteError, safe_file_name, write_atomically
from vcio_desk.domain.errors import VcioDeskError

REPO = Path(__file__).resolve().parents[2]
NOBODY = 65534

# Runs in a child: import first (as root, the venv may live under /root), then drop
# privileges / set limits, then write. Prints what happened as JSON.
CHILD = """
import json, os, resource, signal, sys
sys.path.insert(0, {repo!r})
from pathlib import Path
from vcio_desk.atomic import WriteError, write_atomically
mode, target, size = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
if mode == "nobody":
    os.setgroups([])
    os.setgid({nobody})
    os.setuid({nobody})
elif mode == "fsize":
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # so write() fails with EFBIG instead
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
try:
    write_atomically(target, b"n" * size)
    print(json.dumps({{"ok": True, "uid": os.geteuid()}}))
except WriteError as exc:
    print(json.dumps({{"ok": False, "message": exc.user_message, "errno": exc.errno}}))
"""


def _child(mode: str, target: Path, size: int = 100) -> dict[str, object]:
    code = CHILD.format(repo=str(REPO), nobody=NOBODY)
    done = subprocess.run(
        [sys.executable, "-c", code, mode, str(target), str(size)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_new_file_is_private_and_complete(tmp_path: Path) -> None:
    target = tmp_path / "calendar.ics"
    write_atomically(target, b"BEGIN:VCALENDAR\r\n")
    assert target.read_bytes() == b"BEGIN:VCALENDAR\r\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert _leftovers(tmp_path) == []


def test_existing_file_is_replaced_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "calendar.ics"
    target.write_bytes(b"old")
    target.chmod(0o644)
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert _leftovers(tmp_path) == []


def test_a_symlink_is_followed_and_kept(tmp_path: Path) -> None:
    real = tmp_path / "real.ics"
    real.write_bytes(b"old")
    link = tmp_path / "link.ics"
    link.symlink_to(real)
    write_atomically(link, b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"


def test_parent_is_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "exports"
    blocker.write_bytes(b"keep")
    with pytest.raises(WriteError) as caught:
        write_atomically(blocker / "calendar.ics", b"x")
    assert caught.value.user_message == (
        f"Cannot write calendar.ics in {blocker}: part of the folder path is a file, not a folder."
    )
    assert isinstance(caught.value, VcioDeskError)
    assert blocker.read_bytes() == b"keep" and sorted(os.listdir(tmp_path)) == ["exports"]


def test_missing_folder(tmp_path: Path) -> None:
    missing = tmp_path / "gone"
    with pytest.raises(WriteError) as caught:
        write_atomically(missing / "calendar.ics", b"x")
    assert caught.value.user_message == (
        f"Cannot write calendar.ics in {missing}: the folder does not exist."
    )
    assert not missing.exists()


def test_destination_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "calendar.ics").mkdir()
    with pytest.raises(WriteError, match="a folder with that name is in the way"):
        write_atomically(tmp_path / "calendar.ics", b"x")
    assert _leftovers(tmp_path) == []


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A folder outside pytest's root-only tmp tree, so ``nobody`` can reach it."""
    folder = Path(tempfile.mkdtemp(prefix="vcio-atomic-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_folder_not_writable(shared_dir: Path) -> None:
    locked = shared_dir / "locked"
    locked.mkdir(mode=0o755)
    target = locked / "calendar.ics"
    target.write_bytes(b"previous export")
    target.chmod(0o644)
    if os.geteuid() == 0:
        # Positive control: nobody *can* write where it is allowed, so the refusal
        # below is about permissions and not a broken child set-up.
        open_dir = shared_dir / "open"
        open_dir.mkdir()
        os.chown(open_dir, NOBODY, NOBODY)
        assert _child("nobody", open_dir / "calendar.ics") == {"ok": True, "uid": NOBODY}
        result = _child("nobody", target)
        message, err = result["message"], result["errno"]
    else:
        locked.chmod(0o555)
        try:
            with pytest.raises(WriteError) as caught:
                write_atomically(target, b"n" * 100)
        finally:
            locked.chmod(0o755)
        message, err = caught.value.user_message, caught.value.errno
    assert message == f"Cannot write calendar.ics in {locked}: the folder is not writable."
    assert err == errno.EACCES
    assert target.read_bytes() == b"previous export"
    assert sorted(os.listdir(locked)) == ["calendar.ics"]


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_disk_full_leaves_the_old_file_and_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "calendar.ics"
    target.write_bytes(b"previous export")
    result = _child("fsize", target, size=64 * 1024)
    assert result["ok"] is False
    assert result["message"] == (
        f"Cannot write calendar.ics in {tmp_path}: the disk is full or the file is too large."
    )
    assert result["errno"] == errno.EFBIG
    assert target.read_bytes() == b"previous export"
    assert sorted(os.listdir(tmp_path)) == ["calendar.ics"]


def test_small_write_fits_under_the_same_limit(tmp_path: Path) -> None:
    # The limit itself is not the cause of failure above: a small file goes through.
    assert _child("fsize", tmp_path / "small.ics", size=1000)["ok"] is True
    assert (tmp_path / "small.ics").read_bytes() == b"n" * 1000


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Acme Corp 2027", "Acme Corp 2027.ics"),
        ("../../etc/passwd", "_.._etc_passwd.ics"),
        ("a/b\\c", "a_b_c.ics"),
        ("..", "export.ics"),
        ("   ", "export.ics"),
        ("", "export.ics"),
        (".hidden", "hidden.ics"),
        ("CON", "CON_.ics"),
        (" .. CON", "CON_.ics"),
        ('Acme; "R&D", <b>Co</b>\nLine2', "Acme; _R&D_, _b_Co__b_ Line2.ics"),
    ],
)
def test_safe_file_name_examples(name: str, expected: str) -> None:
    assert safe_file_name(name, ".ics") == expected


def test_suffix_without_dot() -> None:
    assert safe_file_name("pack", "pdf") == "pack.pdf"


@given(st.text(max_size=400))
def test_safe_file_name_always_stays_in_the_folder(name: str) -> None:
    result = safe_file_name(name, ".ics")
    assert result.endswith(".ics") and len(result) > len(".ics")
    assert "/" not in result and "\\" not in result and "\x00" not in result
    assert not result.startswith(".") and result not in {".ics", "..ics"}
    assert len(result.encode("utf-8")) <= 255
    folder = Path("/exports")
    assert (folder / result).resolve().parent == folder
