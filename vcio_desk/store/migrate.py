"""Schema migrations (Alembic, shipped in the package) run in-process when a workspace opens.

Alembic is imported only when a migration has to run: opening a workspace that
is already at ``SCHEMA_HEAD`` costs no Alembic import (start-up time matters).
A test keeps these constants equal to what the migration scripts say.
"""

from __future__ import annotations

from importlib.resources import as_file, files
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

SCHEMA_HEAD = "0003"
KNOWN_REVISIONS = frozenset({"0001", "0002", "0003"})


def _config(script_location: str) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", script_location)
    return config


def script_directory() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    with as_file(files("vcio_desk.migrations")) as location:
        return ScriptDirectory.from_config(_config(str(location)))


def head_revision() -> str:
    return SCHEMA_HEAD


def known_revisions() -> frozenset[str]:
    return KNOWN_REVISIONS


def refuse_newer(revision: str | None, display: str) -> None:
    """Raise before anything is written when ``revision`` is one this version does not know."""
    if revision is not None and revision not in KNOWN_REVISIONS:
        from vcio_desk.domain.errors import WorkspaceTooNewError

        raise WorkspaceTooNewError(
            f"The workspace {display} was written by a newer version of vcio_desk "
            f"(schema {revision}). Update vcio_desk to open it; the file was not changed."
        )


def current_revision(connection: Connection) -> str | None:
    if "alembic_version" not in inspect(connection).get_table_names():
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade_to_head(connection: Connection) -> None:
    from alembic import command

    with as_file(files("vcio_desk.migrations")) as location:
        config = _config(str(location))
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
