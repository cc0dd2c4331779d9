"""`vcio-desk export workspace` / `import workspace`, run in-process as a person would type them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from vcio_desk.__main__ import main
from vcio_desk.services.demo import build_demo
from vcio_desk.services.seed import ensure_base_content
from vcio_desk.store import models as m
from vcio_desk.store import open_store


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli-workspace") / "demo.sqlite3"
    with open_store(path) as store:
        build_demo(store, clients=5, years=1, seed=5, as_of=dt.date(2026, 11, 20))
    return path


@pytest.fixture
def exported(demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    target = tmp_path / "workspace.json"
    assert main(["--db", str(demo), "export", "workspace", str(target)]) == 0
    capsys.readouterr()
    return target


def counts(path: Path) -> dict[str, int]:
    with open_store(path, read_only=True) as store, store.session() as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table)) or 0
            for table in m.Base.metadata.sorted_tables
        }


def test_export_then_import_into_a_new_workspace(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out.json"
    assert main(["--db", str(demo), "export", "workspace", str(target)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Workspace {demo} exported to {target}: ")
    assert json.loads(target.read_bytes())["format"] == "vcio_desk.workspace"

    fresh = tmp_path / "fresh.sqlite3"
    assert main(["--db", str(fresh), "import", "workspace", str(target)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Imported {target} into {fresh}: ")
    assert "by vcio_desk " in out and "saved first" not in out
    assert counts(fresh) == counts(demo)


def test_the_workspace_can_come_from_the_environment(
    exported: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fresh = tmp_path / "env.sqlite3"
    monkeypatch.setenv("VCIO_DESK_DB", str(fresh))
    assert main(["import", "workspace", str(exported)]) == 0
    assert str(fresh) in capsys.readouterr().out


def test_a_workspace_with_data_needs_replace(
    exported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "mine.sqlite3"
    with open_store(target) as store:
        ensure_base_content(store)
        with store.transaction() as session:
            session.execute(insert(m.Client).values(name="My only client"))
    before = counts(target)

    assert main(["--db", str(target), "import", "workspace", str(exported)]) == 3
    err = capsys.readouterr().err
    assert err.startswith(f"vcio-desk: The workspace {target} already holds 1 client;")
    assert "--replace" in err and "Traceback" not in err
    assert counts(target) == before

    assert main(["--db", str(target), "import", "workspace", str(exported), "--replace"]) == 0
    out = capsys.readouterr().out
    assert "The previous content was saved first to " in out
    backups = list((tmp_path / "backups").glob("*before-workspace-import*.sqlite3"))
    assert len(backups) == 1 and str(backups[0]) in out
    assert counts(backups[0]) == before
    assert counts(target)["clients"] == 5


def test_a_bad_file_is_refused_before_the_workspace_is_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "format": "vcio_desk.workspace",\n  "tables": {,}\n}\n', encoding="utf-8")
    target = tmp_path / "never.sqlite3"
    assert main(["--db", str(target), "import", "workspace", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("vcio-desk: bad.json is not valid JSON: ")
    assert "at line 3, column 14" in err
    assert not target.exists()


def test_wrong_values_are_listed_with_their_place(
    exported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = json.loads(exported.read_bytes())
    doc["tables"]["meetings"][12]["scheduled_start"] = "tomorrow"
    doc["tables"]["meetings"][3]["client_id"] = 99
    exported.write_text(json.dumps(doc), encoding="utf-8")
    target = tmp_path / "never.sqlite3"
    assert main(["--db", str(target), "import", "workspace", str(exported)]) == 2
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "vcio-desk: workspace.json cannot be imported (1 problem); the workspace was not changed:",
        "  tables.meetings[12].scheduled_start: expected a date-time like 2026-03-04T09:00:00Z, "
        'got "tomorrow"',
    ]  # the reference is checked once every value is right
    doc["tables"]["meetings"][12]["scheduled_start"] = "2026-03-04T09:00:00Z"
    exported.write_text(json.dumps(doc), encoding="utf-8")
    assert main(["--db", str(target), "import", "workspace", str(exported)]) == 2
    assert "tables.meetings[3].client_id: client 99 is not in the file" in capsys.readouterr().err
    assert not target.exists()


def test_missing_file_and_missing_workspace(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "ws.sqlite3")
    assert main(["--db", db, "import", "workspace", str(tmp_path / "nope.json")]) == 2
    assert f"There is no file {tmp_path / 'nope.json'}." in capsys.readouterr().err
    assert main(["--db", db, "export", "workspace", str(tmp_path / "out.json")]) == 3
    assert "There is no workspace at" in capsys.readouterr().err
    assert not (tmp_path / "out.json").exists()


def test_export_into_a_missing_folder_says_so(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "no" / "such" / "folder" / "out.json"
    assert main(["--db", str(demo), "export", "workspace", str(target)]) == 4
    assert "the folder does not exist" in capsys.readouterr().err


def test_help_explains_what_import_replaces(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["import", "workspace", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--replace" in text and "backup" in text and "one transaction" in text
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    assert "workspace" in capsys.readouterr().out
