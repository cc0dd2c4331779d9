"""check_workspace: a readable verdict on a workspace file, without changing a byte of it."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from vcio_desk.domain.errors import WorkspaceError
from vcio_desk.store import resolve
from vcio_desk.store.check import check_workspace
from vcio_desk.store.migrate import head_revision

PAGE = 4096


def checked(kit, path: Path):  # type: ignore[no-untyped-def]
    """The report, asserting the file and its folder were left exactly as they were."""
    before = kit.snapshot(path)
    report = check_workspace(path)
    kit.assert_untouched(path, before)
    assert report.target == str(path)
    assert all("\n" not in line for line in report.lines)
    return report


@pytest.mark.sqlite_only
def test_a_good_workspace(kit) -> None:
    path = kit.workspace(staff=30)
    report = checked(kit, path)
    assert report.ok
    assert "integrity: ok" in report.lines
    assert "foreign keys: ok" in report.lines
    assert f"schema: {head_revision()} (current)" in report.lines
    assert report.lines[0].startswith("file: ")


@pytest.mark.sqlite_only
def test_a_location_is_checked_like_its_path(kit) -> None:
    path = kit.workspace()
    assert check_workspace(resolve(path)) == check_workspace(path)


def contact(contact_id: int, client_id: int) -> str:
    return (
        "INSERT INTO contacts (id, client_id, name, title, decision_maker) "
        f"VALUES ({contact_id}, {client_id}, 'C', '', 0)"
    )


@pytest.mark.sqlite_only
def test_rows_pointing_at_missing_rows_are_summarised(kit) -> None:
    path = kit.workspace()
    kit.execute(
        path,
        "PRAGMA foreign_keys=OFF",
        "INSERT INTO clients (id, name, tier, fiscal_year_start_month, timezone, active, notes, "
        "created_at, row_version) VALUES (1, 'Kept', 'A', 1, 'UTC', 1, '', '2026-01-01', 1)",
        *(contact(n, client) for n, client in ((4, 7), (9, 7), (12, 1), (15, 8))),
    )
    report = checked(kit, path)
    assert not report.ok
    assert "integrity: ok" in report.lines
    problems = [line for line in report.lines if line.startswith("foreign keys:")]
    assert problems == [
        "foreign keys: 3 rows in contacts point at a missing clients row through client_id "
        "(ids 4, 9, 15)"
    ]


@pytest.mark.sqlite_only
def test_many_ids_are_shortened(kit) -> None:
    path = kit.workspace()
    kit.execute(
        path,
        "PRAGMA foreign_keys=OFF",
        *(contact(n, 99) for n in range(1, 9)),
    )
    (line,) = [line for line in checked(kit, path).lines if line.startswith("foreign keys:")]
    assert line.endswith("(ids 1, 2, 3, 4, 5, ...)") and line.startswith("foreign keys: 8 rows")


@pytest.mark.sqlite_only
def test_a_scribbled_page_is_reported_not_raised(kit) -> None:
    path = kit.workspace(staff=300, settings=300)
    pages = path.stat().st_size // PAGE
    page = pages // 2
    with path.open("r+b") as handle:
        handle.seek((page - 1) * PAGE)
        handle.write(random.Random(page).randbytes(PAGE))
    report = checked(kit, path)
    assert not report.ok
    integrity = [line for line in report.lines if line.startswith("integrity:")]
    assert integrity and integrity[0] != "integrity: ok"


@pytest.mark.sqlite_only
def test_a_broken_header_is_reported(kit) -> None:
    path = kit.workspace()
    data = bytearray(path.read_bytes())
    data[:16] = b"x" * 16
    path.write_bytes(bytes(data))
    report = checked(kit, path)
    assert not report.ok
    assert "content: not an SQLite database (or its first bytes are damaged)" in report.lines


@pytest.mark.sqlite_only
def test_another_applications_database(kit, tmp_path: Path) -> None:
    path = tmp_path / "songs.sqlite3"
    kit.execute(path, "CREATE TABLE songs (id INTEGER PRIMARY KEY)")
    report = checked(kit, path)
    assert not report.ok
    assert "schema: not a vcio_desk workspace (it has no schema revision)" in report.lines


@pytest.mark.sqlite_only
def test_a_newer_schema_is_not_ok(kit) -> None:
    path = kit.workspace()
    kit.execute(path, "UPDATE alembic_version SET version_num = '9999'")
    report = checked(kit, path)
    assert not report.ok
    assert any(line.startswith("schema: 9999 is newer") for line in report.lines)


@pytest.mark.sqlite_only
def test_an_older_schema_is_ok(kit) -> None:
    path = kit.workspace()
    kit.execute(path, "UPDATE alembic_version SET version_num = '0002'")
    report = checked(kit, path)
    assert report.ok
    assert any(line.startswith("schema: 0002 (older;") for line in report.lines)


@pytest.mark.sqlite_only
def test_an_empty_file_is_ok(kit, tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite3"
    path.touch()
    assert checked(kit, path).ok


@pytest.mark.sqlite_only
def test_nothing_to_check_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="There is no workspace at"):
        check_workspace(tmp_path / "missing.sqlite3")
    with pytest.raises(WorkspaceError, match="is a folder"):
        check_workspace(tmp_path)


@pytest.mark.sqlite_only
def test_a_workspace_open_for_writing_is_checked_as_committed(kit) -> None:
    from vcio_desk.store import open_store
    from vcio_desk.store.models import Setting

    path = kit.workspace()
    with open_store(path) as store:
        with store.transaction() as session:
            session.add(Setting(key="pending", value=1))
        report = check_workspace(path)  # the app has it open: a -wal file holds the change
    assert report.ok
    assert any(line.startswith("log: ") for line in report.lines)


@pytest.mark.postgresql_only
def test_a_server_workspace_reports_its_connection_and_schema(db_target) -> None:
    """Runs in the PostgreSQL run, on a database of its own."""
    target = db_target("checked")
    report = check_workspace(resolve(target))
    assert report.ok
    assert report.lines[0].startswith("connection: ok (postgresql ")
    assert "integrity: looked after by the database server" in report.lines[1]
    assert report.lines[2] == f"schema: {head_revision()} (current)"
    assert report.target == resolve(target).display  # the URL without its password


@pytest.mark.sqlite_only
def test_an_unreachable_server_is_an_error() -> None:
    with pytest.raises(WorkspaceError, match="Cannot connect to the workspace") as caught:
        check_workspace(resolve("postgresql+psycopg://postgres:secret@127.0.0.1:1/bk_nowhere"))
    assert "secret" not in caught.value.user_message
