"""Workspace export and import: a lossless round trip, and a workspace untouched by bad files.

Every table of the model holds rows in the ``full`` fixture (a test says so), so a
table added later cannot be skipped by the export without a test failing.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Integer,
    MetaData,
    Numeric,
    PickleType,
    String,
    Table,
    func,
    insert,
    select,
    update,
)

from vcio_desk.domain.errors import WorkspaceError
from vcio_desk.interop.workspace_json import ColumnKind, WorkspaceFileError
from vcio_desk.services.demo import build_demo
from vcio_desk.services.seed import ensure_base_content
from vcio_desk.services.workspace_schema import table_spec
from vcio_desk.services.workspace_transfer import (
    BASE_CONTENT_TABLES,
    export_bytes,
    export_workspace,
    import_workspace,
    workspace_content,
    workspace_schema,
)
from vcio_desk.store import Store, open_store
from vcio_desk.store import models as m
from vcio_desk.store.migrate import head_revision, known_revisions

AS_OF = dt.date(2026, 11, 20)
NOW = dt.datetime(2026, 11, 20, 17, 30, tzinfo=dt.UTC)
LATER = dt.datetime(2026, 11, 21, 8, 0, tzinfo=dt.UTC)
Snapshot = dict[str, list[tuple[Any, ...]]]


def snapshot(store: Store) -> Snapshot:
    """Every row of every table, every column, in key order."""
    out: Snapshot = {}
    with store.engine.connect() as connection:
        for table in m.Base.metadata.sorted_tables:
            query = select(table).order_by(*table.primary_key.columns)
            out[table.name] = [tuple(row) for row in connection.execute(query)]
    return out


def fill_the_rest(store: Store) -> None:
    """What the demo leaves empty or plain: a dismissed suggestion, a logo, awkward text."""
    with store.transaction() as session:
        rhythm_id = session.scalar(select(func.min(m.Rhythm.id)))
        session.execute(
            insert(m.RhythmReviewNote).values(
                rhythm_id=rhythm_id, evidence_key="e" * 64, note="Seasonal client", author="Ada"
            )
        )
        session.execute(
            update(m.Client)
            .where(m.Client.id == 1)
            .values(
                logo=b"\x89PNG\r\n\x1a\n\x00\xff",
                notes='Ça va — «quotes» "and" \\ back\nslash\ttab 東京 🚀',
                external_id=None,
            )
        )
        session.execute(insert(m.Setting).values(key="empty_value", value=None))
        session.execute(
            insert(m.CsiItem).values(
                client_id=None, title="MSP's own item", kpi_baseline=None, one_time_cost="0.05"
            )
        )


@pytest.fixture
def full(db_target) -> Iterator[Store]:  # type: ignore[no-untyped-def]
    with open_store(db_target("full")) as store:
        build_demo(store, clients=4, years=1, seed=3, as_of=AS_OF)
        fill_the_rest(store)
        yield store


@pytest.fixture
def exported(full: Store, tmp_path: Path) -> Path:
    return export_workspace(full, tmp_path / "workspace.json", now=NOW).path


@pytest.fixture
def empty(db_target) -> Iterator[Store]:  # type: ignore[no-untyped-def]
    """A new workspace: migrated, nothing in it."""
    with open_store(db_target("empty")) as store:
        yield store


@pytest.fixture
def seeded(db_target) -> Iterator[Store]:  # type: ignore[no-untyped-def]
    """A new workspace as the app leaves it: settings, meeting types, standards library."""
    with open_store(db_target("seeded")) as store:
        ensure_base_content(store)
        yield store


# -- what is covered -------------------------------------------------------------------------


def test_every_table_of_the_model_has_rows_in_the_fixture(full: Store) -> None:
    empty_tables = [name for name, rows in snapshot(full).items() if not rows]
    assert empty_tables == [], "add rows for the new table to fill_the_rest()"


def test_the_schema_covers_every_table_and_column() -> None:
    schema = workspace_schema()
    assert schema.revision == head_revision()
    tables = m.Base.metadata.sorted_tables
    assert [spec.name for spec in schema.tables] == [table.name for table in tables]
    for spec, table in zip(schema.tables, tables, strict=True):
        assert spec.column_names == tuple(column.name for column in table.columns)
    assert schema.table("meetings").column("scheduled_start").kind is ColumnKind.DATETIME
    assert schema.table("csi_items").column("one_time_cost").scale == 2
    assert schema.table("review_items").column("answer").choices == (
        "aligned",
        "misaligned",
        "not_applicable",
    )
    assert schema.table("csi_items").noun == "CSI item"


def test_a_new_column_is_described_from_the_metadata() -> None:
    table = Table(
        "gadgets",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("label", String(20), nullable=False, default="x"),
        Column("amount", Numeric(8, 3)),
        Column("extra", JSON),
        Column("seen", m.UTCDateTime()),
    )
    spec = table_spec(table, "gadget")
    assert [(c.name, c.kind) for c in spec.columns] == [
        ("id", ColumnKind.INTEGER),
        ("label", ColumnKind.STRING),
        ("amount", ColumnKind.DECIMAL),
        ("extra", ColumnKind.JSON),
        ("seen", ColumnKind.DATETIME),
    ]
    assert spec.column("label").default is not None and spec.column("label").default() == "x"
    assert spec.column("amount").precision == 8 and spec.column("amount").scale == 3


@pytest.mark.parametrize("sql_type", [DateTime(), PickleType()])
def test_a_column_without_a_file_spelling_fails_loudly(sql_type: Any) -> None:
    table = Table("odd", MetaData(), Column("id", Integer, primary_key=True), Column("v", sql_type))
    with pytest.raises(TypeError, match=r"odd\.v"):
        table_spec(table)


# -- round trips -----------------------------------------------------------------------------


def test_round_trip_of_a_demo_workspace(tmp_path: Path, empty: Store, db_target) -> None:  # type: ignore[no-untyped-def]
    with open_store(db_target("demo")) as demo:
        build_demo(demo, clients=6, years=2, seed=11, as_of=AS_OF)
        first, _counts = export_bytes(demo, now=NOW)
        before = snapshot(demo)
    source = tmp_path / "demo.json"
    source.write_bytes(first)
    import_workspace(empty, source)
    assert snapshot(empty) == before
    again, _counts = export_bytes(empty, now=NOW)
    assert again == first


def test_round_trip_of_every_table(full: Store, exported: Path, empty: Store) -> None:
    report = import_workspace(empty, exported, now=LATER)
    assert report.replaced == {} and report.backup is None
    assert report.header.exported_at == NOW
    assert report.total_rows == sum(len(rows) for rows in snapshot(full).values())
    assert snapshot(empty) == snapshot(full)
    again = export_workspace(empty, exported.with_name("again.json"), now=LATER)
    first_doc, second_doc = json.loads(exported.read_bytes()), json.loads(again.path.read_bytes())
    assert first_doc.pop("exported_at") != second_doc.pop("exported_at")
    assert first_doc == second_doc
    text = exported.read_bytes().decode("utf-8")
    assert "Ça va — «quotes»" in text and "🚀" in text


def stored_text(path: Path | None) -> dict[str, list[tuple[Any, ...]]]:
    """Every value as SQLite holds it, with its storage class (text, integer, real...)."""
    assert path is not None
    connection = sqlite3.connect(path)
    try:
        out = {}
        for table in m.Base.metadata.sorted_tables:
            columns = ", ".join(f"{c.name}, typeof({c.name})" for c in table.columns)
            keys = ", ".join(c.name for c in table.primary_key.columns)
            out[table.name] = connection.execute(
                f"SELECT {columns} FROM {table.name} ORDER BY {keys}"
            ).fetchall()
        return out
    finally:
        connection.close()


@pytest.mark.sqlite_only  # SQLite's storage classes (typeof); a server's columns are typed
def test_imported_values_are_stored_as_the_app_stores_them(
    full: Store, exported: Path, empty: Store
) -> None:
    """The import's fast insert path must write what Core and the ORM write, byte for byte."""
    import_workspace(empty, exported)
    assert stored_text(empty.location.path) == stored_text(full.location.path)


def test_two_exports_differ_only_in_the_export_time(full: Store, tmp_path: Path) -> None:
    one = export_workspace(full, tmp_path / "one.json", now=NOW).path.read_bytes()
    two = export_workspace(full, tmp_path / "two.json", now=LATER).path.read_bytes()
    differing = [(a, b) for a, b in zip(one.splitlines(), two.splitlines(), strict=True) if a != b]
    assert differing == [(b'  "exported_at": "2026-11-20T17:30:00Z",',
                          b'  "exported_at": "2026-11-21T08:00:00Z",')]  # fmt: skip


def test_a_read_only_workspace_can_be_exported(full: Store, tmp_path: Path, db_target) -> None:  # type: ignore[no-untyped-def]
    with open_store(db_target("full"), read_only=True) as read_only:
        report = export_workspace(read_only, tmp_path / "ro.json", now=NOW)
    assert report.rows["meetings"] > 0 and report.size_bytes == report.path.stat().st_size


def test_export_reports_progress_up_to_the_total(full: Store) -> None:
    steps: list[tuple[int, int, str]] = []
    export_bytes(full, now=NOW, progress=lambda *step: steps.append(step))
    assert steps[-1][0] == steps[-1][1] > 0
    assert [done for done, _t, _l in steps] == sorted(done for done, _t, _l in steps)
    assert any(label == "Reading review items" for _d, _t, label in steps)


def test_ids_counters_and_row_versions_work_after_an_import(exported: Path, empty: Store) -> None:
    import_workspace(empty, exported)
    with empty.session() as session:
        biggest = session.scalar(select(func.max(m.Client.id)))
        versions = session.scalar(select(m.Client.row_version).where(m.Client.id == 2))
    with empty.transaction() as session:
        client = m.Client(name="Added after the import")
        session.add(client)
        session.flush()
        assert client.id == biggest + 1
        imported = session.get(m.Client, 2)
        assert imported is not None
        imported.notes = "edited after the import"
    with empty.session() as session:
        assert session.scalar(select(m.Client.row_version).where(m.Client.id == 2)) == versions + 1
    with empty.transaction() as session:
        meeting_id = session.scalar(select(func.max(m.Meeting.id)))
        session.add(m.AgendaItem(meeting_id=meeting_id, position=99, title="new"))


# -- what import may replace -----------------------------------------------------------------


def test_the_base_content_of_a_new_workspace_is_replaced_freely(
    full: Store, exported: Path, seeded: Store
) -> None:
    assert workspace_content(seeded) == {}
    report = import_workspace(seeded, exported)
    assert report.backup is None
    assert snapshot(seeded) == snapshot(full)


def test_a_workspace_with_data_is_refused_and_untouched(
    exported: Path, seeded: Store, tmp_path: Path
) -> None:
    with seeded.transaction() as session:
        session.execute(insert(m.Staff).values(name="Someone real"))
    before = snapshot(seeded)
    with pytest.raises(WorkspaceError) as caught:
        import_workspace(seeded, exported)
    message = caught.value.user_message
    assert "already holds 1 staff" in message and "--replace" in message
    assert snapshot(seeded) == before
    assert not (tmp_path / "backups").exists()


@pytest.mark.sqlite_only  # the backup is a copy of the workspace file
def test_replace_takes_a_backup_first(full: Store, exported: Path, seeded: Store) -> None:
    with seeded.transaction() as session:
        session.execute(insert(m.Staff).values(name="Someone real"))
    before = snapshot(seeded)
    report = import_workspace(seeded, exported, replace=True, now=LATER)
    assert report.replaced == {"staff": 1}
    assert report.backup is not None and report.backup.parent.name == "backups"
    assert "before-workspace-import" in report.backup.name
    assert snapshot(seeded) == snapshot(full)
    with open_store(report.backup, read_only=True) as backup:
        assert snapshot(backup) == before
    second = import_workspace(seeded, exported, replace=True, now=LATER)  # same second
    assert second.backup is not None and second.backup != report.backup
    assert report.backup.exists()


@pytest.mark.postgresql_only
def test_a_server_workspace_holding_data_is_never_replaced(exported: Path, seeded: Store) -> None:
    """No file copy can be taken on a server first: replacing is refused, nothing changes."""
    with seeded.transaction() as session:
        session.execute(insert(m.Staff).values(name="Someone real"))
    before = snapshot(seeded)
    with pytest.raises(WorkspaceError, match=r"on a database server.*import into an empty"):
        import_workspace(seeded, exported, replace=True, now=LATER)
    assert snapshot(seeded) == before


def test_a_read_only_workspace_is_not_imported_into(
    exported: Path, seeded: Store, db_target
) -> None:
    with (
        open_store(db_target("seeded"), read_only=True) as read_only,
        pytest.raises(WorkspaceError, match="read-only"),
    ):
        import_workspace(read_only, exported)


def test_base_content_tables_exist() -> None:
    assert set(m.Base.metadata.tables) >= BASE_CONTENT_TABLES


# -- bad files leave the workspace untouched -------------------------------------------------

Edit = Callable[[dict[str, Any]], None]


def _set(table: str, index: int, column: str, value: Any) -> Edit:
    def edit(doc: dict[str, Any]) -> None:
        doc["tables"][table][index][column] = value

    return edit


def _other_version(doc: dict[str, Any]) -> None:
    doc["format_version"] = 2


def _newer_schema(doc: dict[str, Any]) -> None:
    doc["schema_revision"] = "9999"


def _unknown_table(doc: dict[str, Any]) -> None:
    doc["tables"]["widgets"] = []


def _duplicate_meeting(doc: dict[str, Any]) -> None:
    doc["tables"]["meetings"].append(dict(doc["tables"]["meetings"][0]))


def _two_subjects(doc: dict[str, Any]) -> None:
    meeting = doc["tables"]["meetings"][3]
    meeting["client_id"] = 1
    meeting["internal_body_id"] = 1


BAD_EDITS: list[tuple[str, Edit, str]] = [
    (
        "wrong type",
        _set("meetings", 12, "scheduled_start", "tomorrow"),
        "tables.meetings[12].scheduled_start: expected a date-time like 2026-03-04T09:00:00Z, "
        'got "tomorrow"',
    ),
    (
        "dangling reference",
        _set("meetings", 3, "client_id", 99),
        "tables.meetings[3].client_id: client 99 is not in the file",
    ),
    ("unknown column", _set("clients", 0, "colour", "red"), "tables.clients[0].colour: unknown"),
    ("duplicate id", _duplicate_meeting, "appears twice"),
    ("unknown table", _unknown_table, "tables.widgets: unknown table"),
    ("other format version", _other_version, "format version 2"),
    ("newer schema", _newer_schema, "newer vcio_desk (schema 9999"),
    ("a rule of the database", _two_subjects, "tables.meetings: a row breaks a rule"),
]


@pytest.mark.parametrize(
    ("edit", "expected"), [b[1:] for b in BAD_EDITS], ids=[b[0] for b in BAD_EDITS]
)
def test_a_bad_file_leaves_the_workspace_untouched(
    exported: Path, seeded: Store, edit: Edit, expected: str
) -> None:
    doc = json.loads(exported.read_bytes())
    edit(doc)
    exported.write_text(json.dumps(doc), encoding="utf-8")
    before = snapshot(seeded)
    with pytest.raises(WorkspaceFileError) as caught:
        import_workspace(seeded, exported)
    assert expected in caught.value.user_message
    assert snapshot(seeded) == before


def test_a_cancel_while_writing_leaves_the_workspace_untouched(
    exported: Path, seeded: Store
) -> None:
    class Cancelled(Exception):
        pass

    def progress(_done: int, _total: int, label: str) -> None:
        if label == "Writing meetings":
            raise Cancelled

    before = snapshot(seeded)
    with pytest.raises(Cancelled):
        import_workspace(seeded, exported, progress=progress)
    assert snapshot(seeded) == before


def test_import_reports_progress_in_two_halves(exported: Path, empty: Store) -> None:
    steps: list[tuple[int, int, str]] = []
    import_workspace(empty, exported, progress=lambda *step: steps.append(step))
    total = steps[-1][1]
    assert steps[0] == (0, 0, "Reading workspace.json")
    assert steps[-1] == (total, total, "Done")
    labels = [label for _d, _t, label in steps]
    assert labels.index("Checking clients") < labels.index("Writing clients")
    assert all(done <= t for done, t, _l in steps)


def test_a_file_of_an_older_schema_may_lack_newer_tables(exported: Path, empty: Store) -> None:
    older = sorted(known_revisions() - {head_revision()})
    assert older, "schema 0001 is older than the head"
    doc = json.loads(exported.read_bytes())
    doc["schema_revision"] = older[0]  # 0001: before rhythm_review_notes existed
    del doc["tables"]["rhythm_review_notes"]
    exported.write_text(json.dumps(doc), encoding="utf-8")
    report = import_workspace(empty, exported)
    assert report.rows["rhythm_review_notes"] == 0
    assert report.rows["meetings"] > 0


def test_the_format_document_lists_every_table() -> None:
    text = (Path(__file__).parents[2] / "docs" / "workspace-format.md").read_text("utf-8")
    missing = [t.name for t in workspace_schema().tables if f"| {t.name} |" not in text]
    assert missing == [], "describe the new tables in docs/workspace-format.md"


def test_content_is_described_in_words() -> None:
    from vcio_desk.services.workspace_transfer import describe_content

    assert describe_content({"staff": 1}) == "1 staff"
    assert describe_content({"clients": 1, "contacts": 2}) == "1 client, 2 contacts"
    assert (
        describe_content({"staff": 3, "clients": 500, "contacts": 1495, "meetings": 1})
        == "3 staff, 500 clients, 1,495 contacts and 1 other row"
    )
