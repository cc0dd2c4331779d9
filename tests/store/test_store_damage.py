"""Bad input to open_store: refused with one clear sentence, the file left exactly as it was."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from vcio_desk.domain.errors import WorkspaceDamagedError, WorkspaceError
from vcio_desk.store import open_store

pytestmark = pytest.mark.sqlite_only  # about SQLite files themselves

PAGE = 4096  # SQLite's default page size, which the workspaces use


def page_size(path: Path) -> int:
    raw = int.from_bytes(path.read_bytes()[16:18], "big")
    return 65536 if raw == 1 else raw


def assert_one_clear_message(error: WorkspaceError, path: Path) -> None:
    message = error.user_message
    assert str(path) in message
    assert "\n" not in message
    assert "Traceback" not in message
    assert message.endswith(".")


@pytest.fixture
def big_workspace(kit) -> Path:  # type: ignore[no-untyped-def]
    """A real workspace with a few hundred rows, so it spans many pages."""
    path = kit.workspace(staff=300, settings=300)
    assert page_size(path) == PAGE
    assert path.stat().st_size // PAGE > 60
    return path


@pytest.mark.parametrize("read_only", [False, True])
def test_a_folder_is_refused(tmp_path: Path, kit, read_only: bool) -> None:
    folder = tmp_path / "a-folder.sqlite3"
    folder.mkdir()
    (folder / "inside.txt").write_text("x")
    before = kit.snapshot(folder)
    with pytest.raises(WorkspaceError) as caught:
        open_store(folder, read_only=read_only)
    assert "is a folder" in caught.value.user_message
    assert_one_clear_message(caught.value, folder)
    assert kit.snapshot(folder) == before
    assert sorted(p.name for p in folder.iterdir()) == ["inside.txt"]


@pytest.mark.parametrize(
    "content",
    [
        b"These are my meeting notes, not a database.\n" * 200,
        b"short\n",
        b"SQLite format 2\x00" + b"\x00" * 100,
    ],
    ids=["text", "tiny-text", "almost-magic"],
)
@pytest.mark.parametrize("read_only", [False, True])
def test_a_file_that_is_not_a_database_is_refused(
    tmp_path: Path, kit, content: bytes, read_only: bool
) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_bytes(content)
    before = kit.snapshot(path)
    with pytest.raises(WorkspaceDamagedError) as caught:
        open_store(path, read_only=read_only)
    assert "not an SQLite database" in caught.value.user_message
    assert_one_clear_message(caught.value, path)
    kit.assert_untouched(path, before)


def test_another_applications_database_is_refused(tmp_path: Path, kit) -> None:
    path = tmp_path / "other.sqlite3"
    kit.execute(path, "CREATE TABLE recipes (name TEXT)", "INSERT INTO recipes VALUES ('soup')")
    before = kit.snapshot(path)
    with pytest.raises(WorkspaceError) as caught:
        open_store(path)
    assert "not a vcio_desk workspace" in caught.value.user_message
    assert_one_clear_message(caught.value, path)
    kit.assert_untouched(path, before)
    assert not (tmp_path / "backups").exists()


@pytest.mark.parametrize("read_only", [False, True])
def test_truncated_workspace_is_refused(big_workspace: Path, kit, read_only: bool) -> None:
    path = big_workspace
    os.truncate(path, path.stat().st_size // 2)
    before = kit.snapshot(path)
    with pytest.raises(WorkspaceDamagedError) as caught:
        open_store(path, read_only=read_only)
    assert "damaged" in caught.value.user_message
    assert "backup" in caught.value.user_message
    assert_one_clear_message(caught.value, path)
    kit.assert_untouched(path, before)
    assert not (path.parent / "backups").exists()


@pytest.mark.parametrize("read_only", [False, True])
def test_scribbled_header_is_refused(big_workspace: Path, kit, read_only: bool) -> None:
    path = big_workspace
    with path.open("r+b") as handle:
        handle.write(random.Random(1).randbytes(16))
    before = kit.snapshot(path)
    with pytest.raises(WorkspaceDamagedError) as caught:
        open_store(path, read_only=read_only)
    assert "header is damaged" in caught.value.user_message
    assert_one_clear_message(caught.value, path)
    kit.assert_untouched(path, before)


def scribble_page(path: Path, page: int, seed: int) -> None:
    """Overwrite 1-based ``page`` with random bytes (page 1 holds the header)."""
    with path.open("r+b") as handle:
        handle.seek((page - 1) * PAGE)
        handle.write(random.Random(seed).randbytes(PAGE))


@pytest.mark.parametrize("where", [0.25, 0.5, 0.75, 1.0])
@pytest.mark.parametrize("read_only", [False, True])
def test_scribbled_page_is_refused(big_workspace: Path, kit, where: float, read_only: bool) -> None:
    path = big_workspace
    pages = path.stat().st_size // PAGE
    page = max(2, round(pages * where))
    scribble_page(path, page, seed=page)
    before = kit.snapshot(path)
    with pytest.raises(WorkspaceDamagedError) as caught:
        open_store(path, read_only=read_only)
    assert "damaged" in caught.value.user_message
    assert_one_clear_message(caught.value, path)
    kit.assert_untouched(path, before)
    assert not (path.parent / "backups").exists()


def test_every_scribbled_page_is_detected(big_workspace: Path, tmp_path: Path) -> None:
    """quick_check finds a random page anywhere in the file: structure pages and data pages."""
    from vcio_desk.store.sqlite_file import inspect_file

    original = big_workspace.read_bytes()
    pages = len(original) // PAGE
    probe = tmp_path / "probe.sqlite3"
    missed = []
    for page in range(2, pages + 1):
        probe.write_bytes(original)
        scribble_page(probe, page, seed=page)
        try:
            inspect_file(probe)
        except WorkspaceDamagedError as error:
            assert_one_clear_message(error, probe)
            continue
        missed.append(page)
    assert missed == []


def test_quick_check_runs_on_open(big_workspace: Path, kit) -> None:
    """A broken b-tree with an intact header is found by PRAGMA quick_check, not by luck."""
    path = big_workspace
    root = kit.query(path, "SELECT rootpage FROM sqlite_master WHERE name = 'settings'")[0][0]
    # Point the settings table's root page at itself as a child: structurally invalid.
    with path.open("r+b") as handle:
        handle.seek((root - 1) * PAGE)
        header = bytearray(handle.read(12))
    if header[0] == 0x05:  # interior table page: right-most child pointer at offset 8
        header[8:12] = root.to_bytes(4, "big")
    else:  # leaf page: claim an impossible cell count
        header[3:5] = (0xFFFF).to_bytes(2, "big")
    with path.open("r+b") as handle:
        handle.seek((root - 1) * PAGE)
        handle.write(header)
    # Reading the schema stamp alone does not notice: only the integrity check can.
    assert kit.query(path, "SELECT count(*) FROM alembic_version") == [(1,)]
    with pytest.raises(WorkspaceDamagedError, match="damaged") as caught:
        open_store(path)
    assert_one_clear_message(caught.value, path)
