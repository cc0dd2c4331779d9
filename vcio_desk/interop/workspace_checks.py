"""Checks across rows of a workspace file: duplicate keys, unique values, dangling references.

They run on decoded rows, after every value has passed its column's check, and
name the place of each problem the way a person finds it in the file:
``tables.meetings[3].client_id: client 99 is not in the file``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from operator import itemgetter
from typing import Any

from .workspace_schema import TableSpec, WorkspaceSchema
from .workspace_values import shown

MAX_SHOWN = 20


class Problems:
    """Problems found so far: the first few are kept word for word, the rest only counted."""

    def __init__(self, limit: int = MAX_SHOWN) -> None:
        self.limit = limit
        self.shown: list[str] = []
        self.count = 0

    def add(self, place: str, message: str) -> None:
        self.count += 1
        if len(self.shown) < self.limit:
            self.shown.append(f"{place}: {message}")

    @property
    def full(self) -> bool:
        """Enough kept to show; checks may stop looking for more of the same."""
        return len(self.shown) >= self.limit

    def __bool__(self) -> bool:
        return self.count > 0

    @property
    def hidden(self) -> int:
        return self.count - len(self.shown)


def row_place(table: str, index: int, column: str | None = None) -> str:
    place = f"tables.{table}[{index}]"
    return place if column is None else f"{place}.{column}"


def _key_text(values: Sequence[Any]) -> str:
    return ", ".join(shown(value) for value in values)


def check_keys(
    schema: WorkspaceSchema, tables: Mapping[str, list[dict[str, Any]]], problems: Problems
) -> None:
    """Primary keys once each, unique columns unique, every reference pointing into the file."""
    for spec in schema.tables:
        rows = tables.get(spec.name, [])
        _check_primary_key(spec, rows, problems)
        for columns in spec.unique:
            _check_unique(spec, rows, columns, problems)
    for spec in schema.tables:
        _check_references(schema, spec, tables, problems)


def _check_primary_key(spec: TableSpec, rows: list[dict[str, Any]], problems: Problems) -> None:
    if not spec.primary_key:
        return
    single = spec.primary_key[0] if len(spec.primary_key) == 1 else None
    keys = list(map(itemgetter(*spec.primary_key), rows))
    if len(set(keys)) == len(keys):
        return  # the usual case, decided at C speed
    seen: dict[Any, int] = {}
    for index, key in enumerate(keys):
        first = seen.setdefault(key, index)
        if first != index:
            values = [key] if single else list(key)
            problems.add(
                row_place(spec.name, index, single),
                f"{spec.noun} {_key_text(values)} appears twice "
                f"(first at {row_place(spec.name, first)})",
            )


def _check_unique(
    spec: TableSpec, rows: list[dict[str, Any]], columns: tuple[str, ...], problems: Problems
) -> None:
    keys = list(map(itemgetter(*columns), rows))
    if len(columns) == 1:
        keys = [(key,) for key in keys]
    filled = [key for key in keys if None not in key]
    if len(set(filled)) == len(filled):
        return
    seen: dict[tuple[Any, ...], int] = {}
    for index, key in enumerate(keys):
        if None in key:
            continue  # SQL lets any number of rows leave a unique column empty
        first = seen.setdefault(key, index)
        if first == index:
            continue
        if len(columns) == 1:
            problems.add(
                row_place(spec.name, index, columns[0]),
                f"{shown(key[0])} is already used by {row_place(spec.name, first)} "
                "(it must be unique)",
            )
        else:
            problems.add(
                row_place(spec.name, index),
                f"{', '.join(columns)} ({_key_text(key)}) are already used by "
                f"{row_place(spec.name, first)} (together they must be unique)",
            )


def _check_references(
    schema: WorkspaceSchema,
    spec: TableSpec,
    tables: Mapping[str, list[dict[str, Any]]],
    problems: Problems,
) -> None:
    rows = tables.get(spec.name, [])
    for fk in spec.foreign_keys:
        target = schema.table(fk.target_table)
        present = set(map(itemgetter(fk.target_column), tables.get(fk.target_table, [])))
        values = list(map(itemgetter(fk.column), rows))
        referenced = set(values)
        referenced.discard(None)
        if referenced <= present:
            continue  # the usual case, decided at C speed
        for index, value in enumerate(values):
            if value is not None and value not in present:
                problems.add(
                    row_place(spec.name, index, fk.column),
                    f"{target.noun} {shown(value)} is not in the file",
                )
                if problems.full:
                    return
