"""Every earlier revision, holding real data, upgrades to head: backed up first, nothing lost."""

from __future__ import annotations

import datetime as dt
import sqlite3
from importlib.resources import files
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import URL, create_engine, func, select

from vcio_desk.services.demo import build_demo
from vcio_desk.store import migrate, open_store
from vcio_desk.store import models as m

AS_OF = dt.date(2026, 11, 20)


def _downgrade(path: Path, revision: str) -> None:
    engine = create_engine(URL.create("sqlite", database=str(path)))
    try:
        with engine.begin() as connection:
            config = Config()
            config.set_main_option("script_location", str(files("vcio_desk.migrations")))
            config.attributes["connection"] = connection
            command.downgrade(config, revision)
    finally:
        engine.dispose()


def _counts(path: Path) -> dict[str, int]:
    with open_store(path, read_only=True) as store, store.session() as session:
        return {
            name: session.scalar(select(func.count()).select_from(model)) or 0
            for name, model in (
                ("clients", m.Client),
                ("meetings", m.Meeting),
                ("versions", m.RhythmVersion),
                ("review_items", m.ReviewItem),
            )
        }


@pytest.mark.parametrize("revision", sorted(migrate.KNOWN_REVISIONS - {migrate.SCHEMA_HEAD}))
def test_upgrade_from_each_earlier_revision_with_data(tmp_path: Path, revision: str) -> None:
    path = tmp_path / "ws.sqlite3"
    with open_store(path) as store:
        build_demo(store, clients=8, years=2, seed=1, as_of=AS_OF)
    before = _counts(path)
    _downgrade(path, revision)
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchone()[0] == revision

    with open_store(path) as store:
        assert store.schema_revision == migrate.SCHEMA_HEAD
        backup = store.migration_backup
        with store.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), m.Base.metadata)
    assert diff == []
    assert _counts(path) == before
    assert backup is not None and backup.exists() and revision in backup.name
    with sqlite3.connect(backup) as copy:
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone()[0] == revision
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT count(*) FROM clients").fetchone()[0] == before["clients"]
