"""Workspace settings: read all at once, write one at a time."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from vcio_desk.store import Store
from vcio_desk.store.models import Setting


def read_settings(store: Store) -> dict[str, Any]:
    with store.session() as session:
        return {row.key: row.value for row in session.execute(select(Setting.key, Setting.value))}


def write_setting(store: Store, key: str, value: Any) -> None:
    with store.transaction() as session:
        session.merge(Setting(key=key, value=value))
