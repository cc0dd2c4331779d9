"""The workspace file as a document: layout, stable text, and every problem named by its place.

The schema here is a small hand-made one (the format is given its schema; it never
reads the store's), so each rule is tested on its own.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vcio_desk.domain.errors import ValidationError
from vcio_desk.interop.workspace_json import (
    FORMAT_NAME,
    FORMAT_VERSION,
    ColumnKind,
    ColumnSpec,
    DocumentWriter,
    ForeignKeySpec,
    Header,
    TableSpec,
    WorkspaceFileError,
    WorkspaceSchema,
    decode_document,
    load_document,
    parse_json,
    read_workspace_file,
)

K = ColumnKind
CLIENTS = TableSpec(
    name="clients",
    noun="client",
    columns=(
        ColumnSpec("id", K.INTEGER),
        ColumnSpec("name", K.STRING),
        ColumnSpec("tier", K.ENUM, choices=("A", "B", "C")),
        ColumnSpec("since", K.DATE, nullable=True),
        ColumnSpec("created_at", K.DATETIME),
        ColumnSpec("budget", K.DECIMAL, nullable=True, precision=12, scale=2),
        ColumnSpec("active", K.BOOLEAN),
        ColumnSpec("logo", K.BYTES, nullable=True),
        ColumnSpec("extra", K.JSON, nullable=True),
    ),
    primary_key=("id",),
    unique=(("name",),),
)
MEETINGS = TableSpec(
    name="meetings",
    noun="meeting",
    columns=(
        ColumnSpec("id", K.INTEGER),
        ColumnSpec("client_id", K.INTEGER, nullable=True),
        ColumnSpec("scheduled_start", K.DATETIME),
        ColumnSpec("slot", K.INTEGER),
        ColumnSpec("notes", K.STRING, default=lambda: "(none)"),
    ),
    primary_key=("id",),
    foreign_keys=(ForeignKeySpec("client_id", "clients", "id"),),
    unique=(("client_id", "slot"),),
)
SETTINGS = TableSpec(
    name="settings",
    noun="setting",
    columns=(ColumnSpec("key", K.STRING), ColumnSpec("value", K.JSON, nullable=True)),
    primary_key=("key",),
)
SCHEMA = WorkspaceSchema(
    tables=(SETTINGS, CLIENTS, MEETINGS),
    revision="0005",
    known_revisions=frozenset({"0004", "0005"}),
    app_version="9.9.9",
)
EXPORTED = dt.datetime(2026, 3, 4, 9, tzinfo=dt.UTC)
HEADER = Header(FORMAT_VERSION, "0005", "9.9.9", EXPORTED)
T0 = dt.datetime(2026, 1, 2, 3, 4, 5, 678, tzinfo=dt.UTC)


def client_row(i: int, **changes: Any) -> tuple[Any, ...]:
    row = {
        "id": i,
        "name": f"Client {i}",
        "tier": "A",
        "since": dt.date(2020, 1, i),
        "created_at": T0,
        "budget": Decimal("1250.50"),
        "active": True,
        "logo": None,
        "extra": {"k": [1, 2]},
    } | changes
    return tuple(row.values())


def stored() -> dict[str, list[tuple[Any, ...]]]:
    return {
        "settings": [("msp_name", "Bright IT"), ("lead_days", 21), ("nothing", None)],
        "clients": [client_row(1), client_row(2, logo=b"\x00\xff", since=None, budget=None)],
        "meetings": [
            (1, 1, T0, 1, "Ça va — « notes »\nline 2"),
            (2, 2, T0, 1, ""),
            (3, None, T0, 2, "no client"),
        ],
    }


def document_bytes(tables: dict[str, list[tuple[Any, ...]]] | None = None) -> bytes:
    writer = DocumentWriter(SCHEMA, HEADER)
    for name, rows in (tables or stored()).items():
        writer.add_rows(name, rows)
    return writer.to_bytes()


def raw() -> dict[str, Any]:
    return json.loads(document_bytes())


def problems_of(document: Any) -> list[str]:
    with pytest.raises(WorkspaceFileError) as caught:
        decode_document(document, SCHEMA, name="ws.json")
    assert "the workspace was not changed" in caught.value.user_message.lower()
    return list(caught.value.problems) or [caught.value.user_message]


def one_problem(document: Any) -> str:
    found = problems_of(document)
    assert len(found) == 1, found
    return found[0]


# -- writing ---------------------------------------------------------------------------------


def test_layout_header_then_tables_one_row_per_line() -> None:
    text = document_bytes().decode("utf-8")
    lines = text.splitlines()
    assert lines[:7] == [
        "{",
        f'  "format": "{FORMAT_NAME}",',
        f'  "format_version": {FORMAT_VERSION},',
        '  "schema_revision": "0005",',
        '  "app_version": "9.9.9",',
        '  "exported_at": "2026-03-04T09:00:00Z",',
        '  "tables": {',
    ]
    assert '"Ça va — « notes »\\nline 2"' in text  # UTF-8, not \\u escapes; newlines escaped
    assert lines[7] == '    "settings": ['
    assert lines[8] == '      {"key": "msp_name", "value": "Bright IT"},'
    assert text.endswith("  }\n}\n")
    assert list(json.loads(text)) == [
        "format",
        "format_version",
        "schema_revision",
        "app_version",
        "exported_at",
        "tables",
    ]
    assert list(json.loads(text)["tables"]) == ["settings", "clients", "meetings"]
    assert list(json.loads(text)["tables"]["clients"][0]) == list(CLIENTS.column_names)


def test_empty_tables_are_written_as_empty_lists() -> None:
    doc = json.loads(document_bytes({"settings": [], "clients": [], "meetings": []}))
    assert doc["tables"] == {"settings": [], "clients": [], "meetings": []}


def test_the_same_rows_give_the_same_bytes() -> None:
    assert document_bytes() == document_bytes()


def test_a_round_trip_gives_back_the_stored_values() -> None:
    document = decode_document(json.loads(document_bytes()), SCHEMA)
    assert document.header == HEADER
    for name, rows in stored().items():
        names = SCHEMA.table(name).column_names
        assert [tuple(row[n] for n in names) for row in document.tables[name]] == rows
    assert document.row_counts == {"settings": 3, "clients": 2, "meetings": 3}
    assert document.total_rows == 8


@settings(max_examples=40, deadline=None)
@given(
    names=st.lists(st.text(min_size=1), min_size=1, max_size=6, unique=True),
    stamp=st.datetimes(timezones=st.just(dt.UTC)),
    budget=st.none() | st.decimals(min_value=-(10**9), max_value=10**9, places=2),
)
def test_any_rows_survive_a_round_trip(
    names: list[str], stamp: dt.datetime, budget: Decimal | None
) -> None:
    clients = [
        client_row(i + 1, name=name, created_at=stamp, budget=budget)
        for i, name in enumerate(names)
    ]
    data = document_bytes({"settings": [], "clients": clients, "meetings": []})
    document = decode_document(parse_json(data, "ws.json"), SCHEMA)
    again = DocumentWriter(SCHEMA, HEADER)
    again.add_rows("clients", [tuple(r.values()) for r in document.tables["clients"]])
    assert again.to_bytes() == data


# -- the header ------------------------------------------------------------------------------


def test_another_format_is_not_a_workspace_file() -> None:
    doc = raw()
    doc["format"] = "something.else"
    message = one_problem(doc)
    assert "is not a vcio_desk workspace file" in message and "something.else" in message
    assert "not a vcio_desk workspace file" in one_problem([1, 2])
    assert "not a vcio_desk workspace file" in one_problem({"tables": {}})


@pytest.mark.parametrize(("version", "hint"), [(2, "update vcio_desk"), (0, "cannot be read")])
def test_another_format_version_is_refused(version: int, hint: str) -> None:
    doc = raw()
    doc["format_version"] = version
    message = one_problem(doc)
    assert f"format version {version}" in message and hint in message


def test_a_newer_schema_revision_is_refused() -> None:
    doc = raw()
    doc["schema_revision"] = "0006"
    message = one_problem(doc)
    assert "newer vcio_desk (schema 0006; this one knows up to 0005)" in message


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("format_version", "1", 'format_version: expected a whole number, got "1"'),
        ("schema_revision", 5, "schema_revision: expected text"),
        ("app_version", None, "app_version: expected text"),
        ("exported_at", "yesterday", "exported_at: expected a date-time like"),
    ],
)
def test_header_values_are_checked(key: str, value: Any, expected: str) -> None:
    doc = raw()
    doc[key] = value
    assert expected in one_problem(doc)


def test_unknown_top_level_keys_and_tables() -> None:
    doc = raw()
    doc["comment"] = "hi"
    doc["tables"]["widgets"] = []
    assert problems_of(doc) == [
        "comment: unknown key (a workspace file has format, format_version, schema_revision, "
        "app_version, exported_at, tables)",
        "tables.widgets: unknown table",
    ]


def test_tables_must_be_an_object_of_lists() -> None:
    doc = raw()
    doc["tables"] = []
    assert one_problem(doc) == "tables: expected an object of tables, got a list"
    doc = raw()
    doc["tables"]["clients"] = {"id": 1}
    assert one_problem(doc) == "tables.clients: expected a list of rows, got an object"


def test_a_missing_table_is_a_problem_in_a_current_file() -> None:
    doc = raw()
    del doc["tables"]["meetings"]
    assert one_problem(doc) == "tables.meetings: missing (write [] for a table without rows)"


# -- rows and values -------------------------------------------------------------------------


def test_a_wrong_date_time_is_named_by_its_place() -> None:
    doc = raw()
    doc["tables"]["meetings"][2]["scheduled_start"] = "tomorrow"
    assert one_problem(doc) == (
        "tables.meetings[2].scheduled_start: "
        'expected a date-time like 2026-03-04T09:00:00Z, got "tomorrow"'
    )


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("id", "7", 'tables.clients[1].id: expected a whole number, got "7"'),
        ("name", None, "tables.clients[1].name: a value is required here, got null"),
        ("tier", "D", 'tables.clients[1].tier: expected one of "A", "B", "C", got "D"'),
        ("since", "2026-02-30", "tables.clients[1].since: expected a date like 2026-03-04"),
        ("budget", 12.5, "tables.clients[1].budget: expected a decimal number written as text"),
        ("active", "yes", 'tables.clients[1].active: expected true or false, got "yes"'),
        ("logo", "%%%", "tables.clients[1].logo: expected bytes in base64"),
    ],
)
def test_wrong_types_are_named_by_their_place(column: str, value: Any, expected: str) -> None:
    doc = raw()
    doc["tables"]["clients"][1][column] = value
    assert one_problem(doc).startswith(expected)


def test_every_problem_in_a_row_is_reported() -> None:
    doc = raw()
    row = doc["tables"]["clients"][0]
    row["tier"] = "Z"
    row["active"] = 1
    row["colour"] = "red"
    del row["name"]
    assert sorted(problems_of(doc)) == sorted(
        [
            "tables.clients[0].colour: unknown column",
            "tables.clients[0].name: missing",
            'tables.clients[0].tier: expected one of "A", "B", "C", got "Z"',
            "tables.clients[0].active: expected true or false, got 1",
        ]
    )


def test_a_row_must_be_an_object() -> None:
    doc = raw()
    doc["tables"]["meetings"][1] = [2, 2]
    assert one_problem(doc) == "tables.meetings[1]: expected an object, got a list"


def test_many_problems_are_counted_beyond_those_shown() -> None:
    doc = raw()
    doc["tables"]["meetings"] = [
        {"id": i, "client_id": None, "scheduled_start": "soon", "slot": i, "notes": ""}
        for i in range(50)
    ]
    with pytest.raises(WorkspaceFileError) as caught:
        decode_document(doc, SCHEMA, name="ws.json")
    error = caught.value
    assert len(error.problems) == 20 and error.hidden == 30
    assert error.user_message.startswith(
        "ws.json cannot be imported (50 problems); the workspace was not changed:"
    )
    assert error.user_message.endswith("… and 30 more")
    assert isinstance(error, ValidationError)


# -- keys and references ---------------------------------------------------------------------


def test_a_dangling_reference_is_named() -> None:
    doc = raw()
    doc["tables"]["meetings"][1]["client_id"] = 99
    assert one_problem(doc) == "tables.meetings[1].client_id: client 99 is not in the file"


def test_duplicate_ids_are_named() -> None:
    doc = raw()
    doc["tables"]["clients"][1]["id"] = 1
    found = problems_of(doc)
    assert "tables.clients[1].id: client 1 appears twice (first at tables.clients[0])" in found


def test_duplicate_text_keys_are_named() -> None:
    doc = raw()
    doc["tables"]["settings"][2]["key"] = "msp_name"
    assert one_problem(doc) == (
        'tables.settings[2].key: setting "msp_name" appears twice (first at tables.settings[0])'
    )


def test_unique_columns_are_checked() -> None:
    doc = raw()
    doc["tables"]["clients"][1]["name"] = "Client 1"
    assert one_problem(doc) == (
        'tables.clients[1].name: "Client 1" is already used by tables.clients[0] '
        "(it must be unique)"
    )


def test_unique_column_pairs_are_checked_and_empty_values_never_clash() -> None:
    doc = raw()
    doc["tables"]["meetings"][1]["client_id"] = 1
    assert one_problem(doc) == (
        "tables.meetings[1]: client_id, slot (1, 1) are already used by tables.meetings[0] "
        "(together they must be unique)"
    )
    doc = raw()
    doc["tables"]["meetings"].append(
        {"id": 4, "client_id": None, "scheduled_start": "2026-01-01T00:00:00Z", "slot": 2,
         "notes": ""}
    )  # fmt: skip
    decode_document(doc, SCHEMA)  # (NULL, 2) twice is allowed, as in SQL


# -- files from an older schema --------------------------------------------------------------


def test_an_older_file_may_lack_tables_and_columns_that_have_defaults() -> None:
    doc = raw()
    doc["schema_revision"] = "0004"
    del doc["tables"]["settings"]
    for row in doc["tables"]["meetings"]:
        del row["notes"]
    for row in doc["tables"]["clients"]:
        del row["logo"]  # nullable: becomes null
    document = decode_document(doc, SCHEMA)
    assert document.tables["settings"] == []
    assert [row["notes"] for row in document.tables["meetings"]] == ["(none)"] * 3
    assert [row["logo"] for row in document.tables["clients"]] == [None, None]
    assert set(document.tables["meetings"][0]) == set(MEETINGS.column_names)


def test_an_older_file_still_needs_required_columns() -> None:
    doc = raw()
    doc["schema_revision"] = "0004"
    del doc["tables"]["meetings"][0]["slot"]
    assert one_problem(doc) == "tables.meetings[0].slot: missing"


def test_a_current_file_needs_every_column() -> None:
    doc = raw()
    del doc["tables"]["meetings"][0]["notes"]
    assert one_problem(doc) == "tables.meetings[0].notes: missing"


# -- reading files ---------------------------------------------------------------------------


def test_a_file_is_read_checked_and_reported_with_progress(tmp_path: Path) -> None:
    path = tmp_path / "ws.json"
    path.write_bytes(document_bytes())
    seen: list[tuple[int, int, str]] = []
    document = load_document(path, SCHEMA, lambda *step: seen.append(step))
    assert document.total_rows == 8
    assert seen[0] == (0, 0, "Reading ws.json")
    assert any(label == "Checking clients" for _d, _t, label in seen)
    assert all(total == 8 for _d, total, _l in seen[1:])


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "ws.json"
    path.write_bytes(b"\xef\xbb\xbf" + document_bytes())
    assert load_document(path, SCHEMA).total_rows == 8


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceFileError, match="There is no file"):
        read_workspace_file(tmp_path / "nope.json")
    with pytest.raises(WorkspaceFileError, match="is a folder"):
        read_workspace_file(tmp_path)


def test_not_json_names_line_and_column() -> None:
    data = document_bytes().replace(b'"tier": "A",', b'"tier": "A"', 1)
    with pytest.raises(WorkspaceFileError) as caught:
        parse_json(data, "ws.json")
    line = next(n for n, text in enumerate(data.splitlines(), 1) if b'"tier": "A" "' in text)
    assert caught.value.user_message.startswith("ws.json is not valid JSON: Expecting ',' ")
    assert f"at line {line}, column " in caught.value.user_message


def test_not_utf8_names_the_byte() -> None:
    data = document_bytes().replace("Ça va".encode(), b"\xc7a va", 1)
    with pytest.raises(WorkspaceFileError) as caught:
        parse_json(data, "ws.json")
    assert "ws.json is not UTF-8 text: byte 0xc7 on line" in caught.value.user_message


@pytest.mark.parametrize("data", [b"", b"  \n", b"NaN", b'{"a": Infinity}'])
def test_empty_files_and_non_json_numbers(data: bytes) -> None:
    with pytest.raises(WorkspaceFileError):
        parse_json(data, "ws.json")


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (PermissionError(13, "Permission denied"), "Cannot read ws.json: permission denied."),
        (OSError(5, "Input/output error"), "Cannot read ws.json: Input/output error."),
    ],
)
def test_unreadable_files_say_why(
    monkeypatch: pytest.MonkeyPatch, error: OSError, expected: str
) -> None:
    def refuse(_path: Path) -> bytes:
        raise error

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(WorkspaceFileError) as caught:
        read_workspace_file(Path("ws.json"))
    assert caught.value.user_message == expected
