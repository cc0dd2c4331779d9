"""Export a whole workspace to a JSON file, and import one into a workspace.

Export reads every table with Core inside one read transaction (a consistent
snapshot, also on a read-only workspace) and writes the file atomically.

Import checks the whole file first (``interop.workspace_json``), then writes it in
one transaction: every table is emptied and refilled with the file's rows, ids
included, so references and history survive as they were. It never merges. A
workspace that holds anything beyond the base content every new workspace gets
(settings, meeting types, the standards library) is refused unless ``replace``
is given, and then an online backup is taken before anything is written. Any
failure, a cancel included, rolls the transaction back: the workspace is either
the file's or untouched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    Enum,
    String,
    Table,
    delete,
    func,
    insert,
    select,
    text,
    type_coerce,
)
from sqlalchemy.exc import DataError, IntegrityError

from vcio_desk.atomic import write_atomically
from vcio_desk.domain.errors import WorkspaceError
from vcio_desk.interop.workspace_json import (
    FORMAT_VERSION,
    DocumentWriter,
    Header,
    WorkspaceDocument,
    WorkspaceFileError,
    load_document,
)
from vcio_desk.store import Store
from vcio_desk.store import models as m
from vcio_desk.store.backup import backup_file_name, online_backup

from .workspace_schema import workspace_schema

__all__ = [
    "BASE_CONTENT_TABLES",
    "ExportReport",
    "ImportReport",
    "apply_document",
    "describe_content",
    "export_bytes",
    "export_workspace",
    "import_workspace",
    "load_workspace_file",
    "workspace_content",
    "workspace_schema",
]

Progress = Callable[[int, int, str], None]
CHUNK = 5000
BACKUP_LABEL = "before-workspace-import"
BASE_CONTENT_TABLES = frozenset(
    {"settings", "meeting_types", "standard_sections", "standard_categories", "standards"}
)
"""What ``services.seed`` installs in every new workspace: an import may replace it freely."""


@dataclass(frozen=True)
class ExportReport:
    path: Path
    rows: Mapping[str, int]
    size_bytes: int
    exported_at: dt.datetime

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


@dataclass(frozen=True)
class ImportReport:
    path: Path
    rows: Mapping[str, int]
    header: Header
    replaced: Mapping[str, int]
    """What the workspace held beyond its base content before the import (empty if nothing)."""
    backup: Path | None

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def _noop(_done: int, _total: int, _label: str) -> None:
    return None


def _label(table: str) -> str:
    return table.replace("_", " ")


def _require_current(store: Store) -> None:
    schema = workspace_schema()
    if store.schema_revision != schema.revision:
        raise WorkspaceError(
            f"The workspace {store.location.display} was written by an older vcio_desk "
            f"(schema {store.schema_revision or 'empty'}); open it once for writing to "
            "upgrade it, then try again."
        )


# -- export --------------------------------------------------------------------------------


def export_bytes(
    store: Store, *, now: dt.datetime | None = None, progress: Progress | None = None
) -> tuple[bytes, dict[str, int]]:
    """The workspace as the bytes of a workspace file, and the rows written per table."""
    _require_current(store)
    report = progress or _noop
    schema = workspace_schema()
    exported_at = now or dt.datetime.now(dt.UTC).replace(microsecond=0)
    writer = DocumentWriter(
        schema, Header(FORMAT_VERSION, schema.revision, schema.app_version, exported_at)
    )
    tables = m.Base.metadata.tables
    counts: dict[str, int] = {}
    with store.engine.connect() as connection, connection.begin():
        totals = {
            spec.name: connection.scalar(select(func.count()).select_from(tables[spec.name])) or 0
            for spec in schema.tables
        }
        total, done = sum(totals.values()), 0
        for spec in schema.tables:
            table = tables[spec.name]
            label = f"Reading {_label(spec.name)}"
            report(done, total, label)
            query = select(*(_as_stored(table.c[name]) for name in spec.column_names)).order_by(
                *(table.c[name] for name in spec.primary_key)
            )
            counts[spec.name] = 0
            for chunk in connection.execute(query).partitions(CHUNK):
                added = writer.add_rows(spec.name, chunk)
                counts[spec.name] += added
                done += added
                report(done, total, label)
    report(total, total, "Writing the file")
    return writer.to_bytes(), counts


def _as_stored(column: Column[Any]) -> ColumnElement[Any]:
    """Enum columns as their stored text: no round trip through the enum class."""
    return type_coerce(column, String) if isinstance(column.type, Enum) else column


def export_workspace(
    store: Store, path: Path, *, now: dt.datetime | None = None, progress: Progress | None = None
) -> ExportReport:
    """Write everything in ``store`` to ``path``, atomically (an old file stays whole)."""
    exported_at = now or dt.datetime.now(dt.UTC).replace(microsecond=0)
    data, counts = export_bytes(store, now=exported_at, progress=progress)
    write_atomically(path, data)
    return ExportReport(path, counts, len(data), exported_at)


# -- import --------------------------------------------------------------------------------


def load_workspace_file(path: Path, *, progress: Progress | None = None) -> WorkspaceDocument:
    """Read and check a workspace file completely; nothing is written.

    Progress covers the first half of an import (checking); :func:`apply_document`
    reports the second half (writing).
    """
    report = progress or _noop

    def halves(done: int, total: int, label: str) -> None:
        report(done, 2 * total, label)

    return load_document(path, workspace_schema(), halves)


def workspace_content(store: Store) -> dict[str, int]:
    """Rows per table beyond the base content of a new workspace (only tables with rows)."""
    tables = m.Base.metadata.tables
    with store.engine.connect() as connection:
        counts = {
            spec.name: connection.scalar(select(func.count()).select_from(tables[spec.name])) or 0
            for spec in workspace_schema().tables
            if spec.name not in BASE_CONTENT_TABLES
        }
    return {name: count for name, count in counts.items() if count}


def describe_content(content: Mapping[str, int]) -> str:
    """ "500 clients, 33 staff, 1,495 contacts and 150,000 other rows" (a sentence's object)."""
    schema = workspace_schema()
    named = list(content.items())[:3]
    parts = [
        f"{count:,} {schema.table(name).noun if count == 1 else _label(name)}"
        for name, count in named
    ]
    rest = sum(content.values()) - sum(count for _name, count in named)
    text = ", ".join(parts)
    if rest:
        text += f" and {rest:,} other {'row' if rest == 1 else 'rows'}"
    return text


def import_workspace(
    store: Store,
    path: Path,
    *,
    replace: bool = False,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Check the file at ``path`` and make it the content of ``store`` (see the module notes)."""
    document = load_workspace_file(path, progress=progress)
    return apply_document(store, document, source=path, replace=replace, now=now, progress=progress)


def apply_document(
    store: Store,
    document: WorkspaceDocument,
    *,
    source: Path,
    replace: bool = False,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Replace the content of ``store`` with a checked document, in one transaction."""
    if store.read_only:
        raise WorkspaceError(
            f"The workspace {store.location.display} is open read-only; nothing can be "
            "imported into it."
        )
    _require_current(store)
    report = progress or _noop
    content = workspace_content(store)
    backup = _backup_before_replacing(store, source, content, replace, now)
    schema = workspace_schema()
    tables = m.Base.metadata.tables
    total, done = document.total_rows, 0
    with store.transaction() as session:
        connection = session.connection()
        report(total, 2 * total, "Emptying the workspace")
        for spec in reversed(schema.tables):
            connection.execute(delete(tables[spec.name]))
        for spec in schema.tables:
            rows = document.tables[spec.name]
            label = f"Writing {_label(spec.name)}"
            report(total + done, 2 * total, label)
            for start in range(0, len(rows), CHUNK):
                chunk = rows[start : start + CHUNK]
                try:
                    _insert(connection, tables[spec.name], chunk)
                except (IntegrityError, DataError) as exc:
                    raise _rule_broken(source, spec.name, exc) from None
                done += len(chunk)
                report(total + done, 2 * total, label)
        _reset_sequences(connection, [spec.name for spec in schema.tables])
    report(2 * total, 2 * total, "Done")
    return ImportReport(source, document.row_counts, document.header, content, backup)


def _insert(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert complete rows with one executemany.

    On SQLite the values are converted column by column with the very bind processors
    Core would use, and the compiled statement goes to the driver's executemany: Core
    builds parameters row by row, a quarter of an import's time at 160,000 rows. A
    test compares the stored values with what the app itself writes.
    """
    dialect = connection.dialect
    if dialect.name != "sqlite":
        connection.execute(insert(table), rows)
        return
    compiled = insert(table).compile(dialect=dialect)
    columns = []
    for name in compiled.positiontup or ():
        values = list(map(itemgetter(name), rows))
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        columns.append(values if process is None else list(map(process, values)))
    connection.exec_driver_sql(str(compiled), list(zip(*columns, strict=True)))


def _backup_before_replacing(
    store: Store,
    source: Path,
    content: Mapping[str, int],
    replace: bool,
    now: dt.datetime | None,
) -> Path | None:
    if not content:
        return None
    display = store.location.display
    if not replace:
        raise WorkspaceError(
            f"The workspace {display} already holds {describe_content(content)}; importing "
            f"{source.name} would replace all of it. Import into a new workspace "
            "(--db NEW_FILE), or replace this one with --replace (a backup is taken first)."
        )
    path, backup_dir = store.location.path, store.location.backup_dir
    if path is None or backup_dir is None:
        raise WorkspaceError(
            f"The workspace {display} is on a database server, where vcio_desk cannot take "
            "a backup first; import into an empty database instead."
        )
    stamp = now or dt.datetime.now(dt.UTC)
    name = backup_file_name(BACKUP_LABEL, stamp)
    dest, number = backup_dir / name, 1
    while dest.exists():  # two imports in one second must not overwrite the first backup
        number += 1
        dest = backup_dir / name.replace(".sqlite3", f"-{number}.sqlite3")
    return online_backup(path, dest)


def _rule_broken(source: Path, table: str, exc: IntegrityError | DataError) -> WorkspaceFileError:
    detail = " ".join(str(exc.orig or exc).split())
    return WorkspaceFileError(
        f"{source.name} cannot be imported; the workspace was not changed:",
        [f"tables.{table}: a row breaks a rule of the workspace ({detail})"],
    )


def _reset_sequences(connection: Connection, names: list[str]) -> None:
    """PostgreSQL keeps id counters apart from the rows: move them past the imported ids.

    SQLite needs nothing: a new row's id is one more than the largest in its table.
    """
    if connection.dialect.name != "postgresql":
        return
    tables = m.Base.metadata.tables
    for name in names:
        table = tables[name]
        key = list(table.primary_key.columns)
        if len(key) != 1 or key[0].name != "id" or not key[0].autoincrement:
            continue
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"COALESCE((SELECT max(id) FROM {name}), 0) + 1, false)"
            )
        )
