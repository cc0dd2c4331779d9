"""The workspace file's schema description, read from the database model's metadata.

Every table and column of ``Base.metadata`` is described by its kind, so a table
or column added by a later migration is exported and checked on import without
changing the file format code. A column type without a file spelling fails
loudly here (and in the tests) instead of being skipped.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Enum,
    Float,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Table,
    UniqueConstraint,
)

from vcio_desk import __version__
from vcio_desk.interop.workspace_json import (
    ColumnKind,
    ColumnSpec,
    ForeignKeySpec,
    TableSpec,
    WorkspaceSchema,
)
from vcio_desk.store import models as m
from vcio_desk.store.migrate import head_revision, known_revisions

ACRONYMS = {"csi": "CSI"}
"""Words that stay upper case in the nouns of messages ("CSI item 4 is not in the file")."""


@functools.cache
def workspace_schema() -> WorkspaceSchema:
    """Every table of the model in dependency order, as the file format sees it."""
    nouns = _nouns()
    return WorkspaceSchema(
        tables=tuple(
            table_spec(table, nouns.get(table.name)) for table in m.Base.metadata.sorted_tables
        ),
        revision=head_revision(),
        known_revisions=known_revisions(),
        app_version=__version__,
    )


def _nouns() -> dict[str, str]:
    """Table name → how one row is called, from the mapped class ("StandardCategory")."""
    nouns = {}
    for mapper in m.Base.registry.mappers:
        words = re.findall(r"[A-Z][a-z0-9]*", mapper.class_.__name__)
        nouns[mapper.local_table.name] = " ".join(
            ACRONYMS.get(word.lower(), word.lower()) for word in words
        )
    return nouns


def table_spec(table: Table, noun: str | None = None) -> TableSpec:
    """One table as the file format sees it; raises TypeError for what it cannot spell."""
    foreign_keys = []
    for fk in sorted(table.foreign_keys, key=lambda key: key.parent.name):
        if len(fk.constraint.columns) != 1:  # type: ignore[union-attr]
            raise TypeError(f"{table.name}: composite foreign keys have no file spelling yet")
        foreign_keys.append(ForeignKeySpec(fk.parent.name, fk.column.table.name, fk.column.name))
    unique = {
        tuple(column.name for column in constraint.columns)
        for constraint in table.constraints
        if isinstance(constraint, UniqueConstraint)
    }
    unique.update(
        tuple(column.name for column in index.columns)  # type: ignore[union-attr]
        for index in table.indexes
        if index.unique
    )
    return TableSpec(
        name=table.name,
        noun=noun or table.name,
        columns=tuple(_column(table, column) for column in table.columns),
        primary_key=tuple(column.name for column in table.primary_key.columns),
        foreign_keys=tuple(foreign_keys),
        unique=tuple(sorted(unique)),
    )


def _column(table: Table, column: Column[Any]) -> ColumnSpec:
    kind, extra = _kind(table, column)
    return ColumnSpec(
        name=column.name,
        kind=kind,
        nullable=bool(column.nullable),
        default=_default(column),
        **extra,
    )


def _kind(table: Table, column: Column[Any]) -> tuple[ColumnKind, dict[str, Any]]:
    sql_type = column.type
    if isinstance(sql_type, m.UTCDateTime):
        return ColumnKind.DATETIME, {}
    if isinstance(sql_type, Enum):
        return ColumnKind.ENUM, {"choices": tuple(sql_type.enums)}
    if isinstance(sql_type, Boolean):
        return ColumnKind.BOOLEAN, {}
    if isinstance(sql_type, DateTime):
        raise TypeError(
            f"{table.name}.{column.name}: a DateTime without a zone has no file spelling; "
            "use UTCDateTime"
        )
    if isinstance(sql_type, Date):
        return ColumnKind.DATE, {}
    if isinstance(sql_type, Float):
        return ColumnKind.FLOAT, {}
    if isinstance(sql_type, Numeric):
        return ColumnKind.DECIMAL, {"precision": sql_type.precision, "scale": sql_type.scale}
    if isinstance(sql_type, Integer):
        return ColumnKind.INTEGER, {}
    if isinstance(sql_type, String):
        return ColumnKind.STRING, {}
    if isinstance(sql_type, JSON):
        return ColumnKind.JSON, {}
    if isinstance(sql_type, LargeBinary):
        return ColumnKind.BYTES, {}
    raise TypeError(f"{table.name}.{column.name}: {sql_type!r} has no workspace file spelling")


def _default(column: Column[Any]) -> Callable[[], Any] | None:
    """What a file of an older schema gets for a column it predates (the model's default)."""
    default = column.default
    if default is None:
        return None
    if default.is_scalar:  # type: ignore[attr-defined]
        value = default.arg  # type: ignore[attr-defined]
        return lambda: value
    if default.is_callable:  # type: ignore[attr-defined]
        make = default.arg  # type: ignore[attr-defined]
        return lambda: make(None)
    return None
