"""Faults met before anything is written: one clear sentence, and nothing changed.

For each fault (a truncated file, a scribbled header or page, a workspace from a newer
version, one held by another instance, a read-only file or folder), through
``open_store`` and through the CLI (two reading and two writing commands): is the
answer one sentence (no traceback, a non-zero exit where the command cannot work),
is the file byte-identical with the same modification time, and is its folder free of
new files? For damage, a good backup is offered when one exists.

Writes that fail half-way (a full disk, an I/O error...) are in ``test_faults_writing.py``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from vcio_desk.domain.errors import (
    WorkspaceDamagedError,
    WorkspaceLockedError,
    WorkspaceTooNewError,
)
from vcio_desk.services.backups import back_up_now
from vcio_desk.store import open_store
from vcio_desk.store.lock import lock_path_for

pytestmark = pytest.mark.sqlite_only

PAGE = 4096
READERS = ("info", "drift")
WRITERS = ("demo", "import")


# -- damage -----------------------------------------------------------------------------------


def truncate(path: Path) -> None:
    os.truncate(path, path.stat().st_size // 2)


def scribble_header(path: Path) -> None:
    with path.open("r+b") as handle:
        handle.write(random.Random(1).randbytes(16))


def scribble_page(path: Path) -> None:
    page = path.stat().st_size // PAGE // 2
    with path.open("r+b") as handle:
        handle.seek((page - 1) * PAGE)
        handle.write(random.Random(page).randbytes(PAGE))


DAMAGE = {"truncated": truncate, "header": scribble_header, "page": scribble_page}


@pytest.mark.parametrize("with_backup", [True, False], ids=["backup", "no-backup"])
@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_workspace_is_refused_and_a_good_backup_offered(
    kit, csv_file: Path, capsys: pytest.CaptureFixture[str], damage: str, with_backup: bool
) -> None:
    path = kit.workspace()
    backup = None
    if with_backup:
        with open_store(path, read_only=True) as store:
            backup = back_up_now(store, now=dt.datetime(2026, 11, 22, 18, 0, tzinfo=dt.UTC)).path
    DAMAGE[damage](path)
    before, files = kit.snapshot(path), kit.tree(path.parent)

    for read_only in (False, True):
        with pytest.raises(WorkspaceDamagedError) as caught:
            open_store(path, read_only=read_only)
        kit.assert_clear(caught.value, path)
    for name, args in kit.commands(csv_file).items():
        outcome = kit.cli(capsys, path, *args)
        assert outcome.code == 3, (name, outcome)
        assert outcome.out == "", (name, outcome)
        kit.assert_one_sentence(outcome.err, str(path))
        if backup is not None:
            assert "restore it with" in outcome.err, (name, outcome.err)
            assert f"vcio-desk --db {path} restore {backup}" in outcome.err, outcome.err
        else:
            assert "restore it with" not in outcome.err, (name, outcome.err)
        kit.assert_untouched(path, before)
        assert kit.tree(path.parent) == files, name


# -- a newer version, another instance --------------------------------------------------------


def newer_workspace(kit) -> Path:  # type: ignore[no-untyped-def]
    path = kit.workspace()
    connection = sqlite3.connect(path)
    connection.execute("UPDATE alembic_version SET version_num = 'f00dfeedbeef'")
    connection.commit()
    connection.close()
    return path


def test_a_workspace_from_a_newer_version_is_refused(
    kit, csv_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = newer_workspace(kit)
    before, files = kit.snapshot(path), kit.tree(path.parent)

    for read_only in (False, True):
        with pytest.raises(WorkspaceTooNewError) as caught:
            open_store(path, read_only=read_only)
        kit.assert_clear(caught.value, path, "newer version", "f00dfeedbeef")
    kit.assert_untouched(path, before)
    for name, args in kit.commands(csv_file).items():
        outcome = kit.cli(capsys, path, *args)
        assert outcome.code == 3, (name, outcome)
        kit.assert_one_sentence(outcome.err, str(path), "newer version of vcio_desk")
        assert "restore" not in outcome.err  # not damaged: nothing to restore
        after = kit.snapshot(path)
        assert (after.content, after.mtime_ns, after.siblings) == (
            before.content,
            before.mtime_ns,
            before.siblings,
        ), name
        assert kit.tree(path.parent) == files, name


def test_a_newer_workspace_s_folder_is_not_written_by_a_writing_command(
    kit, csv_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = newer_workspace(kit)
    before = kit.snapshot(path)
    assert kit.cli(capsys, path, *kit.commands(csv_file)["demo"]).code == 3
    kit.assert_untouched(path, before)


@pytest.fixture
def other_instance(tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """Another live process, standing in for a running vcio_desk (it holds the lock file)."""
    process = subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE
    )
    try:
        yield process
    finally:
        assert process.stdin is not None
        process.stdin.close()
        process.wait(timeout=30)


def test_a_workspace_locked_by_another_instance_is_read_but_not_written(
    kit,
    csv_file: Path,
    capsys: pytest.CaptureFixture[str],
    other_instance: subprocess.Popen[bytes],
) -> None:
    path = kit.workspace()
    lock_path_for(path).write_text(f"{other_instance.pid}\nvcio-desk\n{socket.gethostname()}\n")
    before, files = kit.snapshot(path), kit.tree(path.parent)

    with pytest.raises(WorkspaceLockedError) as caught:
        open_store(path)
    kit.assert_clear(caught.value, path, f"process {other_instance.pid}")
    with open_store(path, read_only=True) as store:
        assert store.read_only
    for name, args in kit.commands(csv_file).items():
        outcome = kit.cli(capsys, path, *args)
        if name in READERS:
            assert outcome.code == 0, (name, outcome)
            assert outcome.err == "", (name, outcome)
        else:
            assert outcome.code == 3, (name, outcome)
            kit.assert_one_sentence(outcome.err, str(path), "open in another vcio_desk")
        kit.assert_untouched(path, before)
        assert kit.tree(path.parent) == files, name


# -- read-only file and folder (permission bits: checked in a process they apply to) -----------

UNPRIVILEGED_CHILD = r"""
import contextlib, io, json, sys
from vcio_desk.__main__ import main
from vcio_desk.domain.errors import VcioDeskError
from vcio_desk.store import open_store

db, runs = sys.argv[1], json.loads(sys.argv[2])
result = {}
for mode in ("rw", "ro"):
    try:
        with open_store(db, read_only=(mode == "ro")) as store:
            result[mode] = ["opened", store.read_only]
    except VcioDeskError as err:
        result[mode] = [type(err).__name__, err.user_message]
for name, args in runs.items():
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--db", db, *args])
    result[name] = [code, out.getvalue(), err.getvalue()]
print(json.dumps(result))
"""


@pytest.mark.parametrize("case", ["file", "folder"])
def test_a_read_only_workspace_is_read_but_not_written(
    kit, tmp_path: Path, csv_file: Path, case: str
) -> None:
    prefix = kit.unprivileged_prefix()
    path = kit.workspace(folder=tmp_path / "read-only")
    target = path if case == "file" else path.parent
    target.chmod(0o400 if case == "file" else 0o500)
    csv_file.parent.chmod(0o755)
    csv_file.chmod(0o644)
    try:
        before, files = kit.snapshot(path), kit.tree(path.parent)
        child = subprocess.run(
            [
                *prefix,
                sys.executable,
                "-c",
                UNPRIVILEGED_CHILD,
                str(path),
                json.dumps(kit.commands(csv_file)),
            ],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            timeout=300,
        )
        assert child.returncode == 0, child.stderr
        assert "Traceback" not in child.stderr
        result = json.loads(child.stdout)
        assert result["rw"][0] == "WorkspaceError"
        assert "is read-only; vcio_desk needs to write to it" in result["rw"][1]
        assert result["ro"] == ["opened", True]
        for name in READERS:
            code, out, err = result[name]
            assert (code, err) == (0, ""), (name, result[name])
            assert out
        for name in WRITERS:
            code, out, err = result[name]
            assert code == 3, (name, result[name])
            kit.assert_one_sentence(err, str(path), "is read-only")
        kit.assert_untouched(path, before)
        assert kit.tree(path.parent) == files
    finally:
        target.chmod(0o600 if case == "file" else 0o700)
