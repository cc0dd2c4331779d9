"""`vcio-desk check`, `backup [DEST]` and `restore SRC`, run in-process as a person types them."""

from __future__ import annotations

import os
import random
import shlex
import socket
import sqlite3
from pathlib import Path

import pytest

from vcio_desk.__main__ import main
from vcio_desk.cli_backup import CHECK_PROBLEMS_EXIT
from vcio_desk.services.seed import ensure_base_content
from vcio_desk.store import open_store
from vcio_desk.store.lock import lock_path_for
from vcio_desk.store.models import Setting

PAGE = 4096
ORIGINAL = '"' + "x" * 300 + '"'  # settings hold JSON

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "ws.sqlite3"
    path.parent.mkdir()
    with open_store(path) as store:
        ensure_base_content(store)
        with store.transaction() as session:
            session.add_all([Setting(key=f"test.{i:03d}", value="x" * 300) for i in range(300)])
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def value_of(path: Path, key: str) -> object:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        row = connection.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    finally:
        connection.close()
    return None if row is None else row[0]


def set_value(path: Path, key: str, value: str) -> None:
    connection = sqlite3.connect(path)
    try:
        connection.execute(
            "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, value)
        )
        connection.commit()
    finally:
        connection.close()


def scribble(path: Path) -> None:
    pages = path.stat().st_size // PAGE
    with path.open("r+b") as handle:
        handle.seek((pages // 2) * PAGE)
        handle.write(random.Random(pages).randbytes(PAGE))


def test_check_a_healthy_workspace(ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = ws.read_bytes()
    code, out, err = run(capsys, "--db", str(ws), "check")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == f"workspace: {ws}"
    assert "integrity: ok" in lines and "foreign keys: ok" in lines
    assert lines[-1] == "result: ok"
    assert ws.read_bytes() == before


def test_check_finds_rows_pointing_at_nothing(ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    connection = sqlite3.connect(ws)
    connection.execute("PRAGMA foreign_keys=OFF")
    connection.execute(
        "INSERT INTO contacts (id, client_id, name, title, decision_maker) "
        "VALUES (5, 404, 'Lost', '', 0)"
    )
    connection.commit()
    connection.close()
    code, out, _err = run(capsys, "--db", str(ws), "check")
    assert code == CHECK_PROBLEMS_EXIT == 4
    assert (
        "foreign keys: 1 row in contacts points at a missing clients row through client_id (id 5)"
        in out.splitlines()
    )
    assert out.splitlines()[-1] == "result: problems found."


def test_check_a_damaged_workspace_points_at_a_good_backup(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "--db", str(ws), "backup")[0] == 0
    scribble(ws)
    before = ws.read_bytes()
    code, out, _err = run(capsys, "--db", str(ws), "check")
    assert code == 4
    assert any(
        line.startswith("integrity: ") and line != "integrity: ok" for line in out.split("\n")
    )
    last = out.splitlines()[-1]
    assert last.startswith("result: problems found; a good backup from ")
    assert f"vcio-desk --db {ws} restore {ws.parent / 'backups'}" in last
    assert ws.read_bytes() == before


def test_check_without_a_workspace(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--db", str(tmp_path / "none.sqlite3"), "check")
    assert code == 3 and out == ""
    assert err == f"vcio-desk: There is no workspace at {tmp_path / 'none.sqlite3'}.\n"
    assert not (tmp_path / "none.sqlite3").exists()


def test_check_an_unreachable_server(capsys: pytest.CaptureFixture[str]) -> None:
    url = "postgresql+psycopg://postgres@127.0.0.1:1/bk_nowhere"
    code, _out, err = run(capsys, "--db", url, "check")
    assert code == 3
    assert err.startswith("vcio-desk: Cannot connect to the workspace postgresql+psycopg://")


def test_backup_to_the_backups_folder_a_folder_and_a_file(
    ws: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = run(capsys, "--db", str(ws), "backup")
    assert code == 0
    (made,) = (ws.parent / "backups").glob("workspace-*-manual.sqlite3")
    assert out.startswith(f"Backup of {ws} written to {made} (")
    code, out, _err = run(capsys, "--db", str(ws), "backup", str(tmp_path / "usb"))
    assert code == 0 and len(list((tmp_path / "usb").glob("workspace-*-manual.sqlite3"))) == 1
    target = tmp_path / "usb" / "monday.sqlite3"
    assert run(capsys, "--db", str(ws), "backup", str(target))[0] == 0
    assert value_of(target, "test.001") == ORIGINAL
    code, _out, err = run(capsys, "--db", str(ws), "backup", str(target))
    assert code == 3 and "already exists" in err

    code, out, _err = run(capsys, "--db", str(ws), "backup", "--list")
    assert code == 0
    assert out.splitlines()[0] == f"1 backup in {ws.parent / 'backups'}, newest first:"
    assert made.name in out and "manual" in out


def test_backup_refuses_a_server_workspace(capsys: pytest.CaptureFixture[str]) -> None:
    url = "postgresql+psycopg://postgres@127.0.0.1:1/bk_nowhere"
    code, out, err = run(capsys, "--db", url, "backup")
    assert code == 3 and out == ""
    assert "pg_dump" in err and err.count("\n") == 1


def test_restore_round_trip(ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "--db", str(ws), "backup", str(ws.parent / "kept.sqlite3"))
    set_value(ws, "test.001", '"changed"')
    code, out, _err = run(capsys, "--db", str(ws), "restore", str(ws.parent / "kept.sqlite3"))
    assert code == 0
    first, second = out.splitlines()
    assert first.startswith(f"Restored {ws} from {ws.parent / 'kept.sqlite3'} (")
    assert first.endswith(" s).")
    assert second.startswith("The previous content was saved first to ")
    safety = Path(second.removeprefix("The previous content was saved first to ").rstrip("."))
    assert value_of(ws, "test.001") == ORIGINAL
    assert value_of(safety, "test.001") == '"changed"'
    assert not lock_path_for(ws).exists(), "the lock was not released"


def test_restore_by_name_from_the_backups_folder(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "--db", str(ws), "backup")
    (made,) = (ws.parent / "backups").glob("*.sqlite3")
    set_value(ws, "test.001", '"changed"')
    code, _out, _err = run(capsys, "--db", str(ws), "restore", made.name)
    assert code == 0 and value_of(ws, "test.001") == ORIGINAL


def test_restore_is_refused_while_the_app_has_the_workspace(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "--db", str(ws), "backup", str(ws.parent / "kept.sqlite3"))
    # The lock file the app writes (QLockFile's format), held by a live process: our parent.
    lock_path_for(ws).write_text(f"{os.getppid()}\nvcio-desk\n{socket.gethostname()}\n")
    before = ws.read_bytes()
    code, out, err = run(capsys, "--db", str(ws), "restore", str(ws.parent / "kept.sqlite3"))
    assert code == 3 and out == ""
    assert f"is open in another vcio_desk (process {os.getppid()})" in err
    assert "Close it there first" in err
    assert ws.read_bytes() == before
    assert not list((ws.parent / "backups").glob("*before-restore*"))


def test_restore_refuses_a_damaged_backup(ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    kept = ws.parent / "kept.sqlite3"
    run(capsys, "--db", str(ws), "backup", str(kept))
    scribble(kept)
    before = ws.read_bytes()
    code, _out, err = run(capsys, "--db", str(ws), "restore", str(kept))
    assert code == 3
    assert "damaged" in err and "the workspace was not changed" in err
    assert err.count("\n") == 1
    assert ws.read_bytes() == before


def test_a_damaged_workspace_error_says_how_to_restore(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "--db", str(ws), "backup")
    scribble(ws)
    code, _out, err = run(capsys, "--db", str(ws), "info")
    assert code == 3
    assert "damaged" in err and " A good backup from " in err
    command = err.split("restore it with  ", 1)[1].strip().removesuffix(".")
    argv = shlex.split(command)
    assert argv[:3] == ["vcio-desk", "--db", str(ws)] and argv[3] == "restore"
    code, out, _err = run(capsys, *argv[1:])
    assert code == 0 and "The damaged workspace was kept as " in out
    assert run(capsys, "--db", str(ws), "check")[0] == 0


def test_no_hint_without_a_good_backup(ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scribble(ws)
    code, _out, err = run(capsys, "--db", str(ws), "info")
    assert code == 3 and "damaged" in err and "good backup" not in err
