"""The workspace file: everything in a workspace as one versioned JSON document.

Layout (docs/workspace-format.md is the reference)::

    {"format": "vcio_desk.workspace", "format_version": 1, "schema_revision": "0002",
     "app_version": "0.1.0", "exported_at": "2026-03-04T09:00:00Z",
     "tables": {"<table>": [{"<column>": value, ...}, ...], ...}}

Tables come in dependency order and rows in key order, one row per line, so two
exports of the same workspace differ only in ``exported_at`` and a file diffs well.
Reading checks the whole document against a :class:`WorkspaceSchema` it is given
(built from the database model by the services layer) and reports every problem
with its place, before anything is written anywhere.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any

from vcio_desk.domain.errors import ValidationError

from .workspace_checks import Problems, check_keys, row_place
from .workspace_schema import (
    ColumnKind,
    ColumnSpec,
    ForeignKeySpec,
    TableSpec,
    WorkspaceSchema,
)
from .workspace_values import (
    ValueProblem,
    bulk_decoder,
    decode_datetime,
    decoder,
    encode_datetime,
    encoder,
    shown,
)

__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "ColumnKind",
    "ColumnSpec",
    "DocumentWriter",
    "ForeignKeySpec",
    "Header",
    "TableSpec",
    "WorkspaceDocument",
    "WorkspaceFileError",
    "WorkspaceSchema",
    "decode_document",
    "load_document",
    "parse_json",
    "read_workspace_file",
]

FORMAT_NAME = "vcio_desk.workspace"
FORMAT_VERSION = 1
HEADER_KEYS = ("format", "format_version", "schema_revision", "app_version", "exported_at")
TOP_KEYS = frozenset((*HEADER_KEYS, "tables"))
PROGRESS_EVERY = 5000

Progress = Callable[[int, int, str], None]


class WorkspaceFileError(ValidationError):
    """A file that cannot be imported; ``problems`` lists each one with its place."""

    def __init__(self, summary: str, problems: Sequence[str] = (), hidden: int = 0) -> None:
        lines = [summary, *(f"  {problem}" for problem in problems)]
        if hidden:
            lines.append(f"  … and {hidden:,} more")
        super().__init__("\n".join(lines))
        self.summary = summary
        self.problems = tuple(problems)
        self.hidden = hidden


@dataclass(frozen=True)
class Header:
    format_version: int
    schema_revision: str
    app_version: str
    exported_at: dt.datetime


@dataclass(frozen=True)
class WorkspaceDocument:
    """A checked file: rows decoded to stored values, complete, keyed by table in schema order."""

    header: Header
    tables: Mapping[str, list[dict[str, Any]]]

    @property
    def row_counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.tables.items()}

    @property
    def total_rows(self) -> int:
        return sum(len(rows) for rows in self.tables.values())


def _noop(_done: int, _total: int, _label: str) -> None:
    return None


# -- writing -------------------------------------------------------------------------------


class DocumentWriter:
    """Collects rows table by table and returns the file as UTF-8 bytes.

    Rows are given as sequences in the order of the table's columns, as read from
    the store. Key order is fixed (header, then tables in schema order, columns in
    schema order), so the same workspace always gives the same text.
    """

    def __init__(self, schema: WorkspaceSchema, header: Header) -> None:
        self._schema = schema
        self._header = header
        self._lines: dict[str, list[str]] = {spec.name: [] for spec in schema.tables}
        self._encoders = {
            spec.name: [
                (column.name, encode)
                for column in spec.columns
                if (encode := encoder(column)) is not None
            ]
            for spec in schema.tables
        }
        self._dumps = json.JSONEncoder(
            ensure_ascii=False, allow_nan=False, separators=(", ", ": ")
        ).encode

    def add_rows(self, table: str, rows: Iterable[Sequence[Any]]) -> int:
        """Encode ``rows`` of ``table``; returns how many were added."""
        names = self._schema.table(table).column_names
        encoders = self._encoders[table]
        lines = self._lines[table]
        dumps = self._dumps
        before = len(lines)
        for row in rows:
            values = dict(zip(names, row, strict=True))
            for name, encode in encoders:
                value = values[name]
                if value is not None:
                    values[name] = encode(value)
            lines.append(dumps(values))
        return len(lines) - before

    def to_bytes(self) -> bytes:
        header = self._header
        values: dict[str, Any] = {
            "format": FORMAT_NAME,
            "format_version": header.format_version,
            "schema_revision": header.schema_revision,
            "app_version": header.app_version,
            "exported_at": encode_datetime(header.exported_at),
        }
        parts = ["{\n"]
        parts.extend(
            f"  {json.dumps(key)}: {json.dumps(value)},\n" for key, value in values.items()
        )
        parts.append('  "tables": {')
        for number, spec in enumerate(self._schema.tables):
            parts.append(",\n" if number else "\n")
            lines = self._lines[spec.name]
            if not lines:
                parts.append(f"    {json.dumps(spec.name)}: []")
                continue
            parts.append(f"    {json.dumps(spec.name)}: [\n      ")
            parts.append(",\n      ".join(lines))
            parts.append("\n    ]")
        parts.append("\n  }\n}\n")
        return "".join(parts).encode("utf-8")


# -- reading -------------------------------------------------------------------------------


def read_workspace_file(path: Path) -> bytes:
    """The file's bytes, or a sentence saying why they cannot be read."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise WorkspaceFileError(f"There is no file {path}.") from None
    except IsADirectoryError:
        raise WorkspaceFileError(
            f"{path} is a folder; give the workspace file (.json) to import."
        ) from None
    except PermissionError:
        raise WorkspaceFileError(f"Cannot read {path}: permission denied.") from None
    except OSError as exc:
        raise WorkspaceFileError(f"Cannot read {path}: {exc.strerror or exc}.") from None


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def parse_json(data: bytes, name: str) -> Any:
    """UTF-8 JSON (a byte-order mark is allowed) to Python values, with line and column on error."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise WorkspaceFileError(
            f"{name} is not UTF-8 text: byte 0x{data[exc.start]:02x} on line {line} "
            f"(byte {exc.start + 1:,}) is not valid UTF-8. "
            "A workspace file is written by 'vcio-desk export workspace'."
        ) from None
    if not text or text.isspace():
        raise WorkspaceFileError(f"{name} is empty; it is not a workspace file.")
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise WorkspaceFileError(
            f"{name} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."
        ) from None
    except (ValueError, RecursionError) as exc:
        raise WorkspaceFileError(f"{name} is not valid JSON: {exc}.") from None


def load_document(
    path: Path, schema: WorkspaceSchema, progress: Progress | None = None
) -> WorkspaceDocument:
    """Read, parse and check the file at ``path``."""
    report = progress or _noop
    report(0, 0, f"Reading {path.name}")
    raw = parse_json(read_workspace_file(path), path.name)
    return decode_document(raw, schema, progress=progress, name=path.name)


def decode_document(
    raw: Any,
    schema: WorkspaceSchema,
    *,
    progress: Progress | None = None,
    name: str = "The file",
) -> WorkspaceDocument:
    """Check a parsed document completely; raises :class:`WorkspaceFileError` listing problems.

    The rows of ``raw`` are decoded in place (no second copy of a large file in memory)
    and become the document's rows.
    """
    header, older = _header(raw, schema, name)
    problems = Problems()
    for key in raw:
        if key not in TOP_KEYS:
            problems.add(str(key), "unknown key (a workspace file has " + _top_keys_text() + ")")
    tables_raw = raw.get("tables")
    if not isinstance(tables_raw, dict):
        problems.add("tables", f"expected an object of tables, got {shown(tables_raw)}")
        _raise_if(problems, name)
    for table in tables_raw:
        if not schema.has_table(table):
            problems.add(f"tables.{table}", "unknown table")
    total = sum(len(rows) for rows in tables_raw.values() if isinstance(rows, list))
    checker = _RowChecker(problems, older, progress or _noop, total)
    tables = {
        spec.name: checker.table(spec, tables_raw.get(spec.name), spec.name in tables_raw)
        for spec in schema.tables
    }
    _raise_if(problems, name)
    check_keys(schema, tables, problems)
    _raise_if(problems, name)
    return WorkspaceDocument(header, tables)


def _top_keys_text() -> str:
    return ", ".join([*HEADER_KEYS, "tables"])


def _raise_if(problems: Problems, name: str) -> None:
    if problems:
        noun = "problem" if problems.count == 1 else "problems"
        raise WorkspaceFileError(
            f"{name} cannot be imported ({problems.count:,} {noun}); "
            "the workspace was not changed:",
            problems.shown,
            problems.hidden,
        )


def _header(raw: Any, schema: WorkspaceSchema, name: str) -> tuple[Header, bool]:
    """The header, checked; True when the file comes from an older (known) schema."""
    unchanged = "The workspace was not changed."
    if not isinstance(raw, dict) or raw.get("format") != FORMAT_NAME:
        found = raw.get("format") if isinstance(raw, dict) else None
        detail = f' (its "format" is {shown(found)})' if found is not None else ""
        raise WorkspaceFileError(
            f"{name} is not a vcio_desk workspace file{detail}; one is written by "
            f"'vcio-desk export workspace'. {unchanged}"
        )
    problems = Problems()
    version = raw.get("format_version")
    if type(version) is not int:
        problems.add("format_version", f"expected a whole number, got {shown(version)}")
    elif version != FORMAT_VERSION:
        hint = "update vcio_desk to import it" if version > FORMAT_VERSION else "it cannot be read"
        raise WorkspaceFileError(
            f"{name} is in workspace format version {version}; this vcio_desk reads "
            f"version {FORMAT_VERSION}, so {hint}. {unchanged}"
        )
    revision = raw.get("schema_revision")
    if type(revision) is not str:
        problems.add(
            "schema_revision",
            f"expected text like {shown(schema.revision)}, got {shown(revision)}",
        )
    elif revision not in schema.known_revisions:
        raise WorkspaceFileError(
            f"{name} was written by a newer vcio_desk (schema {revision}; this one knows up "
            f"to {schema.revision}). Update vcio_desk to import it. {unchanged}"
        )
    app_version = raw.get("app_version")
    if type(app_version) is not str:
        problems.add("app_version", f'expected text like "0.1.0", got {shown(app_version)}')
    try:
        exported_at = decode_datetime(raw.get("exported_at"))
    except ValueProblem as problem:
        problems.add("exported_at", str(problem))
    _raise_if(problems, name)
    header = Header(version, revision, app_version, exported_at)
    return header, revision != schema.revision


class _RowChecker:
    """Decodes each table's rows, collecting problems instead of stopping at the first.

    Rows are checked column by column: a whole column of a big table passes its
    type check at C speed, and only a column with a bad value is gone through value
    by value to name the rows at fault. Rows are decoded in place.
    """

    def __init__(self, problems: Problems, older: bool, progress: Progress, total: int) -> None:
        self.problems = problems
        self.older = older
        self.progress = progress
        self.total = total
        self.done = 0

    def table(self, spec: TableSpec, rows: Any, present: bool) -> list[dict[str, Any]]:
        place = f"tables.{spec.name}"
        if not present:
            if not self.older:
                self.problems.add(place, "missing (write [] for a table without rows)")
            return []  # a file from an older schema may predate the table
        if not isinstance(rows, list):
            self.problems.add(place, f"expected a list of rows, got {shown(rows)}")
            return []
        label = f"Checking {spec.name.replace('_', ' ')}"
        self.progress(self.done, self.total, label)
        expected = set(spec.column_names)
        good: list[dict[str, Any]] = rows
        indexes: Sequence[int] = range(len(rows))
        irregular: set[str] = set()  # columns some row lacks: checked value by value
        odd = [i for i, row in enumerate(rows) if type(row) is not dict or row.keys() != expected]
        if odd:
            good, indexes = [], []
            for index, row in enumerate(rows):
                if (type(row) is dict and row.keys() == expected) or self._shape(
                    spec, index, row, expected, irregular
                ):
                    good.append(row)
                    indexes.append(index)
        bad_before = self.problems.count
        for number, column in enumerate(spec.columns):
            if number and not number % 4:
                share = len(rows) * number // len(spec.columns)
                self.progress(self.done + share, self.total, label)
            values = list(map(itemgetter(column.name), good))
            try:
                if column.name in irregular:
                    raise ValueProblem("some rows lack the column")
                decoded = bulk_decoder(column)(values)
            except ValueProblem:
                decoded = self._one_by_one(spec, column, values, indexes)
            if decoded is not None:
                name = column.name
                for row, value in zip(good, decoded, strict=True):
                    row[name] = value
        self.done += len(rows)
        return good if self.problems.count == bad_before else []

    def _shape(
        self, spec: TableSpec, index: int, row: Any, expected: set[str], irregular: set[str]
    ) -> bool:
        """Name unknown and missing columns, mark those an older schema lacked; False for a
        row that is not an object (its values cannot be checked)."""
        if not isinstance(row, dict):
            self.problems.add(row_place(spec.name, index), f"expected an object, got {shown(row)}")
            return False
        for key in row:
            if key not in expected:
                self.problems.add(row_place(spec.name, index, key), "unknown column")
        for column in spec.columns:
            if column.name in row:
                continue
            irregular.add(column.name)
            if self.older and (column.default is not None or column.nullable):
                row[column.name] = _FILL
            else:
                self.problems.add(row_place(spec.name, index, column.name), "missing")
                row[column.name] = _ABSENT
        return True

    def _one_by_one(
        self, spec: TableSpec, column: ColumnSpec, values: list[Any], indexes: Sequence[int]
    ) -> list[Any]:
        decode = decoder(column)
        out: list[Any] = []
        for index, value in zip(indexes, values, strict=True):
            if value is _FILL:
                # Every column is required in a file of the current schema (a round trip
                # loses nothing); one an older schema predates gets the model's default.
                out.append(column.default() if column.default is not None else None)
                continue
            if value is _ABSENT:
                out.append(None)  # reported as missing already
                continue
            try:
                out.append(decode(value))
            except ValueProblem as problem:
                self.problems.add(row_place(spec.name, index, column.name), str(problem))
                out.append(None)
        return out


_ABSENT = object()
"""Marks a required column a row lacks (reported), so its other values are still checked."""
_FILL = object()
"""Marks a column a file of an older schema lacks, until its default is put in."""
