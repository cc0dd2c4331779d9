"""What a workspace file may hold, described as plain data the format is checked against.

The description is built elsewhere (from the database model, by the services layer)
and handed in: the file format knows column *kinds*, never the store's tables, so a
column added by a later schema is covered without touching this package.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class ColumnKind(StrEnum):
    """How a column's values are written in the file (see docs/workspace-format.md)."""

    INTEGER = "integer"
    FLOAT = "float"
    STRING = "string"
    BOOLEAN = "boolean"
    DATE = "date"
    DATETIME = "datetime"
    DECIMAL = "decimal"
    JSON = "json"
    ENUM = "enum"
    BYTES = "bytes"


@dataclass(frozen=True)
class ColumnSpec:
    """One column: its kind, whether it may be null, and what fills it when a file lacks it.

    ``default`` makes a value for files of an older schema that predate the column; it
    returns the decoded (Python) value. ``choices`` are an enum's values; ``precision``
    and ``scale`` bound a decimal's digits.
    """

    name: str
    kind: ColumnKind
    nullable: bool = False
    default: Callable[[], Any] | None = None
    choices: tuple[str, ...] = ()
    precision: int | None = None
    scale: int | None = None


@dataclass(frozen=True)
class ForeignKeySpec:
    """``column`` holds a value of ``target_column`` in ``target_table`` (or null)."""

    column: str
    target_table: str
    target_column: str


@dataclass(frozen=True)
class TableSpec:
    """A table: columns in file order, its key, references and unique column sets.

    ``noun`` names one row in messages ("client 99 is not in the file").
    """

    name: str
    noun: str
    columns: tuple[ColumnSpec, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKeySpec, ...] = ()
    unique: tuple[tuple[str, ...], ...] = ()

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    def column(self, name: str) -> ColumnSpec:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)


@dataclass(frozen=True)
class WorkspaceSchema:
    """Every table in dependency order (a row's references come earlier), and the revisions.

    ``revision`` is the schema this app writes; ``known_revisions`` the ones it can read.
    """

    tables: tuple[TableSpec, ...]
    revision: str
    known_revisions: frozenset[str]
    app_version: str
    _by_name: dict[str, TableSpec] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {table.name: table for table in self.tables})

    def table(self, name: str) -> TableSpec:
        return self._by_name[name]

    def has_table(self, name: str) -> bool:
        return name in self._by_name
