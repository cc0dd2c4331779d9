"""Rows gathered in memory with ids assigned up front, then written with Core bulk inserts."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Table, insert, text
from sqlalchemy.orm import Session

from vcio_desk.store.models import Base


class RowBuffer:
    """Per-table rows and id counters, so generated records can reference each other."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self._next_id: dict[str, int] = defaultdict(lambda: 1)

    def add(self, table: str, **values: Any) -> int:
        row_id = self._next_id[table]
        self._next_id[table] = row_id + 1
        values["id"] = row_id
        self.rows[table].append(values)
        return row_id

    def count(self, table: str) -> int:
        return len(self.rows[table])

    def write(self, session: Session) -> None:
        """Insert every table in dependency order; fill omitted columns with their defaults."""
        for table in Base.metadata.sorted_tables:
            rows = self.rows.get(table.name)
            if rows:
                session.execute(insert(table), _complete(table, rows))
        if session.get_bind().dialect.name == "postgresql":
            for table in Base.metadata.sorted_tables:
                if table.name in self.rows and "id" in table.c:
                    session.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                            f"(SELECT max(id) FROM {table.name}))"
                        )
                    )


def _complete(table: Table, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """executemany needs the same keys in every row: add client-side defaults where missing."""
    keys: set[str] = set()
    for row in rows:
        keys.update(row)
    defaults: dict[str, Any] = {}
    for column in table.c:
        if column.name in keys or column.default is None:
            continue
        default = column.default
        if default.is_scalar:  # type: ignore[attr-defined]
            defaults[column.name] = default.arg  # type: ignore[attr-defined]
        elif default.is_callable:  # type: ignore[attr-defined]
            defaults[column.name] = default.arg(None)  # type: ignore[attr-defined]
    if not defaults and all(len(row) == len(keys) for row in rows):
        return rows
    complete = []
    for row in rows:
        merged = {key: None for key in keys}
        merged.update(defaults)
        merged.update(row)
        complete.append(merged)
    return complete
