"""Read-only workspace files and folders: refused for writing, still readable, never changed.

Tests run as root in CI, and root ignores permission bits (``os.access`` says yes,
``open`` succeeds). To exercise the real code path the checks run in a child
process that is still uid 0 but has lost the capabilities that bypass permission
bits (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER, CAP_LINUX_IMMUTABLE),
dropped from its bounding set with util-linux ``setpriv``. Such a process is
treated exactly like an ordinary user owning the files: mode bits apply. For an
ordinary user no wrapper is needed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from vcio_desk.domain.errors import WorkspaceError
from vcio_desk.store import open_store
from vcio_desk.store.migrate import SCHEMA_HEAD

pytestmark = pytest.mark.sqlite_only  # about SQLite files themselves

IS_ROOT = os.geteuid() == 0
BYPASS_CAPS = "-dac_override,-dac_read_search,-fowner,-linux_immutable"

PROBE = r"""
import json, os, sys
from sqlalchemy import func, select
from vcio_desk.domain.errors import VcioDeskError
from vcio_desk.store import open_store
from vcio_desk.store.models import Standard

path = sys.argv[1]
out = {
    "file_writable": os.access(path, os.W_OK) if os.path.exists(path) else None,
    "folder_writable": os.access(os.path.dirname(path), os.W_OK),
}
for mode in ("rw", "ro"):
    try:
        with open_store(path, read_only=(mode == "ro")) as store:
            with store.session() as session:
                n = session.scalar(select(func.count()).select_from(Standard))
            out[mode] = ["opened", store.schema_revision, n]
    except VcioDeskError as err:
        out[mode] = [type(err).__name__, err.user_message]
print(json.dumps(out))
"""


def unprivileged_prefix() -> list[str]:
    """The command prefix that makes permission bits apply to a child process."""
    if not IS_ROOT:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip(
            "running as root without util-linux 'setpriv': cannot drop CAP_DAC_OVERRIDE, "
            "so read-only permissions would be bypassed and the test would prove nothing"
        )
    prefix = [setpriv, "--inh-caps=-all", f"--bounding-set={BYPASS_CAPS}"]
    works = subprocess.run([*prefix, "true"], capture_output=True, text=True)
    if works.returncode != 0:  # e.g. a container without CAP_SETPCAP
        pytest.skip(
            "running as root and setpriv cannot drop CAP_DAC_OVERRIDE here "
            f"({works.stderr.strip()}): permission bits would be bypassed"
        )
    return prefix


def run_unprivileged(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*unprivileged_prefix(), sys.executable, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=dict(os.environ),
        timeout=120,
    )


def probe(path: Path) -> dict[str, list[object]]:
    result = run_unprivileged("-c", PROBE, str(path), cwd=path.parent.parent)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout)


def cli(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_unprivileged("-m", "vcio_desk", "--db", str(path), *args, cwd=path.parent.parent)


@pytest.fixture
def read_only_file(kit) -> Iterator[Path]:  # type: ignore[no-untyped-def]
    path = kit.workspace()
    path.chmod(0o400)
    yield path
    path.chmod(0o600)


@pytest.fixture
def read_only_folder(kit, tmp_path: Path) -> Iterator[Path]:  # type: ignore[no-untyped-def]
    path = kit.workspace(folder=tmp_path / "read-only-folder")
    path.parent.chmod(0o500)
    yield path
    path.parent.chmod(0o700)


def test_the_unprivileged_child_really_cannot_write(
    read_only_file: Path, read_only_folder: Path
) -> None:
    """Guard: without this the other tests could pass for the wrong reason."""
    check = (
        "import os, sys\n"
        "a, b = sys.argv[1:]\n"
        "print(os.access(a, os.W_OK), os.access(os.path.dirname(b), os.W_OK))\n"
        "try:\n"
        "    open(a, 'r+b')\n"
        "    print('opened')\n"
        "except PermissionError:\n"
        "    print('denied')\n"
    )
    result = run_unprivileged(
        "-c", check, str(read_only_file), str(read_only_folder), cwd=read_only_file.parent
    )
    assert result.stdout.split() == ["False", "False", "denied"], result.stderr


@pytest.mark.parametrize("case", ["read_only_file", "read_only_folder"])
def test_read_only_workspace_is_refused_for_writing_but_readable(
    case: str, request: pytest.FixtureRequest, kit
) -> None:
    path: Path = request.getfixturevalue(case)
    before = kit.snapshot(path)
    out = probe(path)
    assert out["rw"][0] == "WorkspaceError"
    assert "is read-only; vcio_desk needs to write to it" in out["rw"][1]
    assert str(path) in out["rw"][1]
    assert out["ro"][:2] == ["opened", SCHEMA_HEAD]
    assert out["ro"][2] > 0
    kit.assert_untouched(path, before)


@pytest.mark.parametrize("case", ["read_only_file", "read_only_folder"])
def test_cli_info_reads_a_read_only_workspace(
    case: str, request: pytest.FixtureRequest, kit
) -> None:
    path: Path = request.getfixturevalue(case)
    before = kit.snapshot(path)
    result = cli(path, "info")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert f"workspace: {path}" in result.stdout
    assert f"schema:    {SCHEMA_HEAD}" in result.stdout
    assert any(line.split() == ["standards", "84"] for line in result.stdout.splitlines())
    kit.assert_untouched(path, before)


@pytest.mark.parametrize("case", ["read_only_file", "read_only_folder"])
def test_cli_write_command_refuses_a_read_only_workspace(
    case: str, request: pytest.FixtureRequest, kit
) -> None:
    path: Path = request.getfixturevalue(case)
    before = kit.snapshot(path)
    result = cli(path, "demo", "--clients", "2", "--years", "1")
    assert result.returncode == 3
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("vcio-desk: The workspace ")
    assert "is read-only" in result.stderr
    assert result.stderr.count("\n") == 1
    kit.assert_untouched(path, before)


def test_no_new_workspace_in_a_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "locked-folder"
    folder.mkdir(mode=0o500)
    folder.chmod(0o500)
    path = folder / "ws.sqlite3"
    try:
        out = probe(path)
        assert out["folder_writable"] is False
        assert out["rw"][0] == "WorkspaceError"
        assert "folder is not writable" in out["rw"][1]
        result = cli(path, "demo", "--clients", "2", "--years", "1")
        assert result.returncode == 3
        assert "Traceback" not in result.stderr
        assert "folder is not writable" in result.stderr
        info = cli(path, "info")
        assert info.returncode == 0
        assert "(not created yet)" in info.stdout
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_immutable_file_is_refused_in_process(kit) -> None:
    """The same refusal seen from inside the process, with the file made immutable."""
    path = kit.workspace()
    if IS_ROOT:
        made = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
        if made.returncode != 0:
            pytest.skip(f"root but 'chattr +i' is not supported here: {made.stderr.strip()}")
    else:
        path.chmod(0o400)
    try:
        before = kit.snapshot(path)
        with pytest.raises(WorkspaceError, match="is read-only"):
            open_store(path)
        with open_store(path, read_only=True) as store:
            assert store.schema_revision == SCHEMA_HEAD
        kit.assert_untouched(path, before)
    finally:
        if IS_ROOT:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        path.chmod(0o600)
