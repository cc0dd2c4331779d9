"""Schema migrations (Alembic, shipped in the package) run in-process when a workspace opens."""

from __future__ import annotations

from importlib.resources import as_file, files

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect

from alembic import command


def _config(script_location: str) -> Config:
    config = Config()
    config.set_main_option("script_location", script_location)
    return config


def script_directory() -> ScriptDirectory:
    with as_file(files("vcio_desk.migrations")) as location:
        return ScriptDirectory.from_config(_config(str(location)))


def head_revision() -> str:
    head = script_directory().get_current_head()
    assert head is not None, "the package ships at least one migration"
    return head


def known_revisions() -> set[str]:
    return {rev.revision for rev in script_directory().walk_revisions()}


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def has_foreign_tables(connection: Connection) -> bool:
    """True when the database holds tables but no Alembic stamp: not a vcio_desk workspace."""
    names = set(inspect(connection).get_table_names())
    return bool(names) and "alembic_version" not in names


def upgrade_to_head(connection: Connection) -> None:
    with as_file(files("vcio_desk.migrations")) as location:
        config = _config(str(location))
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
