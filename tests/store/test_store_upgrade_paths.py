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
from sqlalchemy import (
    JSON,
    URL,
    Engine,
    String,
    column,
    create_engine,
    func,
    select,
    table,
    update,
)

from vcio_desk import assets
from vcio_desk.services.demo import build_demo
from vcio_desk.services.seed import ensure_base_content
from vcio_desk.store import migrate, open_store
from vcio_desk.store import models as m

AS_OF = dt.date(2026, 11, 20)


def _engine(target: Path | str) -> Engine:
    """A plain engine: the SQLite file, or the PostgreSQL database of the PostgreSQL run."""
    if isinstance(target, Path):
        return create_engine(URL.create("sqlite", database=str(target)))
    return create_engine(target)


def _downgrade(path: Path | str, revision: str) -> None:
    engine = _engine(path)
    try:
        with engine.begin() as connection:
            config = Config()
            config.set_main_option("script_location", str(files("vcio_desk.migrations")))
            config.attributes["connection"] = connection
            command.downgrade(config, revision)
    finally:
        engine.dispose()


def _revision(path: Path | str) -> str | None:
    engine = _engine(path)
    try:
        with engine.connect() as connection:
            return migrate.current_revision(connection)
    finally:
        engine.dispose()


def _counts(path: Path | str) -> dict[str, int]:
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
def test_upgrade_from_each_earlier_revision_with_data(db_target, revision: str) -> None:  # type: ignore[no-untyped-def]
    path = db_target("ws")
    with open_store(path) as store:
        build_demo(store, clients=8, years=2, seed=1, as_of=AS_OF)
    before = _counts(path)
    _downgrade(path, revision)
    assert _revision(path) == revision

    with open_store(path) as store:
        assert store.schema_revision == migrate.SCHEMA_HEAD
        backup = store.migration_backup
        with store.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), m.Base.metadata)
    assert diff == []
    assert _counts(path) == before
    if not isinstance(path, Path):
        assert backup is None  # a server's backups are its own (pg_dump), not files beside it
        return
    assert backup is not None and backup.exists() and revision in backup.name
    with sqlite3.connect(backup) as copy:
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone()[0] == revision
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT count(*) FROM clients").fetchone()[0] == before["clients"]


_meeting_types = table("meeting_types", column("key", String()), column("pack_sections", JSON()))


def _pack_sections(path: Path | str) -> dict[str, list[str]]:
    engine = _engine(path)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                select(_meeting_types.c.key, _meeting_types.c.pack_sections)
            ).all()
    finally:
        engine.dispose()
    return {key: value for key, value in rows}


def _set_pack_sections(path: Path | str, key: str, sections: list[str]) -> None:
    engine = _engine(path)
    try:
        with engine.begin() as connection:
            connection.execute(
                update(_meeting_types)
                .where(_meeting_types.c.key == key)
                .values(pack_sections=sections)
            )
    finally:
        engine.dispose()


def test_0003_gives_the_bundled_meeting_types_their_pack_sections(db_target) -> None:  # type: ignore[no-untyped-def]
    """Lists as first shipped (or empty) get the new choice; a list someone changed is kept."""
    from vcio_desk.reports.pack_data import PackSection

    path = db_target("ws")
    with open_store(path) as store:
        ensure_base_content(store)
    shipped = {
        item["key"]: item["pack_sections"]
        for item in assets.template("meeting_types")["meeting_types"]
    }
    assert _pack_sections(path) == shipped
    _downgrade(path, "0002")
    before = _pack_sections(path)
    assert before["alignment_review"] == [
        "cover", "agenda", "summary", "actions", "findings", "csi", "rhythm", "notes", "signoff"
    ]  # fmt: skip
    assert all("note_pages" not in sections for sections in before.values())
    custom = ["cover", "notes"]
    _set_pack_sections(path, "service_delivery", custom)
    _set_pack_sections(path, "vcio_meeting", [])

    with open_store(path) as store:
        assert store.schema_revision == migrate.SCHEMA_HEAD
    after = _pack_sections(path)
    assert after["service_delivery"] == custom
    assert after["vcio_meeting"] == [s.value for s in PackSection]
    assert after["alignment_review"] == shipped["alignment_review"]
    assert after["standards_committee"] == shipped["standards_committee"]
    for sections in after.values():
        assert [PackSection(s) for s in sections]  # every value is a section the renderer knows
