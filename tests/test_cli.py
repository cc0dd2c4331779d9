"""The command line, run as a person would: a separate process, isolated user folders."""

from __future__ import annotations

import os
import random
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from vcio_desk import __version__
from vcio_desk.services.seed import ensure_base_content
from vcio_desk.store import open_store
from vcio_desk.store.migrate import SCHEMA_HEAD


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local/share"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local/state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.delenv("VCIO_DESK_DB", raising=False)
    return home


def run(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "vcio_desk", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        timeout=120,
    )
    assert "Traceback" not in result.stderr
    assert "Traceback" not in result.stdout
    return result


def make_workspace(path: Path, staff: int = 0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open_store(path) as store:
        ensure_base_content(store)
        if staff:
            with store.transaction() as session:
                from sqlalchemy import insert

                from vcio_desk.store.models import Staff

                session.execute(insert(Staff), [{"name": f"Person {i}"} for i in range(staff)])
    return path


def state(path: Path) -> tuple[object, ...]:
    """Bytes, mtime, mode of the path and the names beside it."""
    st = path.stat()
    content = path.read_bytes() if path.is_file() else b""
    return content, st.st_mtime_ns, st.st_mode, sorted(p.name for p in path.parent.iterdir())


def info_counts(stdout: str) -> dict[str, int]:
    counts = {}
    for line in stdout.splitlines():
        match = re.fullmatch(r"  (\S.*?)\s+([\d,]+)", line)
        if match:
            counts[match.group(1)] = int(match.group(2).replace(",", ""))
    return counts


def assert_refused(result: subprocess.CompletedProcess[str], *phrases: str) -> None:
    assert result.returncode == 3, (result.stdout, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("vcio-desk: ")
    for phrase in phrases:
        assert phrase in lines[0]


def test_version(tmp_path: Path) -> None:
    result = run("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.strip() == f"vcio-desk {__version__}"
    assert __version__ == "0.1.0"


def test_help_lists_the_commands(tmp_path: Path) -> None:
    result = run("--help", cwd=tmp_path)
    assert result.returncode == 0
    for command in ("info", "demo", "--db"):
        assert command in result.stdout


def test_info_on_a_path_with_no_workspace_yet(tmp_path: Path) -> None:
    target = tmp_path / "later" / "ws.sqlite3"
    result = run("--db", str(target), "info", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == f"workspace: {target} (not created yet)\n"
    assert not target.parent.exists()


def test_info_defaults_to_the_user_data_dir(tmp_path: Path, isolated_env: Path) -> None:
    result = run("info", cwd=tmp_path)
    expected = isolated_env / ".local/share/vcio-desk/workspace.sqlite3"
    assert result.returncode == 0
    assert result.stdout == f"workspace: {expected} (not created yet)\n"
    assert not expected.exists()


def test_info_on_a_real_workspace(tmp_path: Path, isolated_env: Path) -> None:
    path = make_workspace(tmp_path / "data" / "ws.sqlite3", staff=12)
    before = state(path)
    result = run("--db", str(path), "info", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"workspace: {path}"
    assert f"backups:   {path.parent / 'backups'}" in lines
    assert f"schema:    {SCHEMA_HEAD}" in lines
    log_file = isolated_env / ".local/state/vcio-desk/log/vcio-desk.log"
    assert f"log:       {log_file}" in lines
    assert "kind:      user" in lines
    counts = info_counts(result.stdout)
    assert counts["standards"] == 84
    assert counts["staff"] == 12
    assert counts["clients"] == 0
    assert len(counts) == 11
    assert state(path) == before, "info changed the workspace or left files beside it"
    assert log_file.stat().st_mode & 0o777 == 0o600


def test_env_var_is_honoured_and_db_wins(tmp_path: Path) -> None:
    from_env = make_workspace(tmp_path / "env" / "ws.sqlite3", staff=3)
    result = run("info", cwd=tmp_path, env={"VCIO_DESK_DB": str(from_env)})
    assert result.returncode == 0
    assert result.stdout.splitlines()[0] == f"workspace: {from_env}"
    assert info_counts(result.stdout)["staff"] == 3
    other = tmp_path / "other.sqlite3"
    result = run("--db", str(other), "info", cwd=tmp_path, env={"VCIO_DESK_DB": str(from_env)})
    assert result.stdout == f"workspace: {other} (not created yet)\n"


def test_info_on_an_older_workspace_says_it_will_be_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute(
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)"
    )
    connection.commit()
    connection.close()
    before = state(path)
    result = run("--db", str(path), "info", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (
        f"schema:    empty (this version upgrades it to {SCHEMA_HEAD} when opened for writing)"
        in (result.stdout)
    )
    assert state(path) == before


def test_demo_then_info(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite3"
    made = run("--db", str(path), "demo", "--clients", "3", "--years", "1", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith(f"Demo workspace ready at {path}: 3 clients")
    assert path.stat().st_mode & 0o777 == 0o600
    assert not Path(f"{path}.lock").exists()
    result = run("--db", str(path), "info", cwd=tmp_path)
    assert "kind:      demo" in result.stdout
    assert info_counts(result.stdout)["clients"] == 3


def test_bad_arguments_exit_with_usage(tmp_path: Path) -> None:
    result = run("demo", "--clients", "0", cwd=tmp_path)
    assert result.returncode == 2
    assert "must be at least 1" in result.stderr
    assert not (tmp_path / "home" / ".local/share/vcio-desk").exists()


# --- bad input: one clear sentence, exit 3, the file left exactly as it was ---------------


def bad_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "folder.sqlite3"
    folder.mkdir()
    return folder


def bad_text(tmp_path: Path) -> Path:
    path = tmp_path / "notes.sqlite3"
    path.write_text("Quarterly business review notes\n" * 50)
    return path


def bad_truncated(tmp_path: Path) -> Path:
    path = make_workspace(tmp_path / "ws.sqlite3", staff=400)
    os.truncate(path, path.stat().st_size // 2)
    return path


def bad_header(tmp_path: Path) -> Path:
    path = make_workspace(tmp_path / "ws.sqlite3", staff=50)
    with path.open("r+b") as handle:
        handle.write(random.Random(3).randbytes(16))
    return path


def bad_page(tmp_path: Path) -> Path:
    path = make_workspace(tmp_path / "ws.sqlite3", staff=400)
    middle = path.stat().st_size // 4096 // 2
    with path.open("r+b") as handle:
        handle.seek(middle * 4096)
        handle.write(random.Random(4).randbytes(4096))
    return path


def bad_newer(tmp_path: Path) -> Path:
    path = make_workspace(tmp_path / "ws.sqlite3")
    connection = sqlite3.connect(path)
    connection.execute("UPDATE alembic_version SET version_num = '0999'")
    connection.commit()
    connection.close()
    return path


def bad_foreign(tmp_path: Path) -> Path:
    path = tmp_path / "photos.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, file TEXT)")
    connection.commit()
    connection.close()
    return path


BAD_INPUTS = {
    "folder": (bad_folder, ["is a folder, not a workspace file"]),
    "text": (bad_text, ["is not a vcio_desk workspace", "not an SQLite database"]),
    "truncated": (bad_truncated, ["damaged", "from a backup"]),
    "scribbled-header": (bad_header, ["not an SQLite database"]),
    "scribbled-page": (bad_page, ["damaged", "from a backup"]),
    "newer": (bad_newer, ["newer version of vcio_desk", "0999", "Update vcio_desk"]),
    "foreign-sqlite": (bad_foreign, ["not a vcio_desk workspace"]),
}


@pytest.mark.parametrize("kind", list(BAD_INPUTS))
@pytest.mark.parametrize(
    "command", [["info"], ["demo", "--clients", "2", "--years", "1"]], ids=["info", "demo"]
)
def test_bad_input_is_refused_untouched(tmp_path: Path, kind: str, command: list[str]) -> None:
    make, phrases = BAD_INPUTS[kind]
    path = make(tmp_path)
    before = state(path)
    result = run("--db", str(path), *command, cwd=tmp_path)
    assert_refused(result, str(path), *phrases)
    assert state(path) == before
    assert not (tmp_path / "backups").exists()
    assert not Path(f"{path}.lock").exists()


def test_a_non_file_url_that_cannot_connect(tmp_path: Path) -> None:
    """Missing driver or refused connection: the same clear refusal, password hidden."""
    result = run("--db", "postgresql://u:secret@127.0.0.1:1/x", "info", cwd=tmp_path)
    assert_refused(result, "Cannot connect to the workspace postgresql://u:***@127.0.0.1:1/x")
    assert "secret" not in result.stderr
