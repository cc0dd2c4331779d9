"""Shared test set-up: Qt runs offscreen, no test touches the user's real files, and the
store and services suites run on SQLite files or, with ``--backend=postgresql``, on a
PostgreSQL server.

The PostgreSQL run needs ``VCIO_DESK_TEST_PG``: a URL of the server's maintenance
database (``postgresql+psycopg://postgres@127.0.0.1:5433/postgres``). Once per session
two template databases are made (migrated; migrated and seeded); each test that asks for
a workspace gets its own ``CREATE DATABASE … TEMPLATE`` copy, dropped afterwards. Tests
about SQLite files themselves carry ``@pytest.mark.sqlite_only`` and are deselected in
that run; the summary says how many and which.
"""

from __future__ import annotations

import os

# Before anything imports Qt: without a display, QApplication would abort the process.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from vcio_desk.store import Store


@pytest.fixture(autouse=True)
def _isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """platformdirs and Qt read these: data, logs, config and caches go to a temp folder."""
    base = tmp_path_factory.mktemp("xdg")
    for name in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(base / name.lower()))
    monkeypatch.delenv("VCIO_DESK_DB", raising=False)


@pytest.fixture(autouse=True)
def _isolated_qsettings(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Tests that use Qt get fresh QSettings files (window geometry, header layouts)."""
    if "qapp" not in request.fixturenames:
        return  # not a Qt test: do not import Qt for it
    from PySide6.QtCore import QSettings

    folder = str(tmp_path_factory.mktemp("qsettings"))
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
            QSettings.setPath(fmt, scope, folder)


PG_ENV = "VCIO_DESK_TEST_PG"
"""The URL of a PostgreSQL server's maintenance database, for ``--backend=postgresql``."""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--backend",
        choices=("sqlite", "postgresql"),
        default="sqlite",
        help=f"where workspaces live: SQLite files (default) or the server in ${PG_ENV}",
    )


class PgServer:
    """Makes and drops the test databases on one server (names start with ``pgt_<pid>_``)."""

    def __init__(self, url: str) -> None:
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url
        from sqlalchemy.pool import NullPool

        base = make_url(url)
        if base.drivername == "postgresql":
            base = base.set(drivername="postgresql+psycopg")
        self.base = base
        self.prefix = f"pgt_{os.getpid()}_"
        self._numbers = itertools.count(1)
        self.admin = create_engine(base, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        self.templates: dict[bool, str] = {}
        self.built: list[str] = []
        """Workspaces built once for many tests (``build_workspace``), dropped at the end."""

    def url(self, database: str) -> str:
        return self.base.set(database=database).render_as_string(hide_password=False)

    def execute(self, sql: str) -> None:
        from sqlalchemy import text

        with self.admin.connect() as connection:
            connection.execute(text(sql))

    def drop(self, name: str) -> None:
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def template(self, seeded: bool) -> str:
        """A migrated (and, if ``seeded``, base-content) database to copy; made once."""
        if seeded not in self.templates:
            from vcio_desk.services.seed import ensure_base_content
            from vcio_desk.store import open_store

            name = f"{self.prefix}tmpl_{'seeded' if seeded else 'empty'}"
            self.drop(name)
            self.execute(f'CREATE DATABASE "{name}"')
            with open_store(self.url(name)) as store:
                if seeded:
                    ensure_base_content(store)
            self.templates[seeded] = name
        return self.templates[seeded]

    def create(
        self, *, seeded: bool = False, migrated: bool = True, copy_of: str | None = None
    ) -> str:
        """A new database (a copy of ``copy_of`` or of a template, or bare): its name."""
        name = f"{self.prefix}{next(self._numbers)}"
        if copy_of is not None:
            self.execute(f'CREATE DATABASE "{name}" TEMPLATE "{copy_of}"')
        elif migrated:
            self.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template(seeded)}"')
        else:
            self.execute(f'CREATE DATABASE "{name}"')
        return name

    def close(self) -> None:
        for name in [*self.templates.values(), *self.built]:
            self.drop(name)
        self.admin.dispose()


def pytest_configure(config: pytest.Config) -> None:
    config.pg_server = None  # type: ignore[attr-defined]
    if config.getoption("backend") != "postgresql":
        return
    url = os.environ.get(PG_ENV)
    if not url:
        raise pytest.UsageError(f"--backend=postgresql needs ${PG_ENV} (the server's URL)")
    config.pg_server = PgServer(url)  # type: ignore[attr-defined]


def pytest_unconfigure(config: pytest.Config) -> None:
    server = getattr(config, "pg_server", None)
    if server is not None:
        server.close()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests for the other engine are deselected (and listed in the summary), never skipped:
    ``sqlite_only`` ones on PostgreSQL, ``postgresql_only`` ones on SQLite."""
    other = "postgresql_only" if config.pg_server is None else "sqlite_only"  # type: ignore[attr-defined]
    dropped = [item for item in items if item.get_closest_marker(other) is not None]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if item.get_closest_marker(other) is None]
    config.other_engine_deselected = (other, dropped)  # type: ignore[attr-defined]


def pytest_report_header(config: pytest.Config) -> str:
    server = getattr(config, "pg_server", None)
    if server is None:
        return "workspaces: SQLite files"
    return f"workspaces: PostgreSQL at {server.base.render_as_string(hide_password=True)}"


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    marker, dropped = getattr(config, "other_engine_deselected", ("", []))
    if not dropped:
        return
    on_server = config.pg_server is not None  # type: ignore[attr-defined]
    terminalreporter.section("PostgreSQL run" if on_server else "SQLite run")
    why = "about SQLite files themselves" if on_server else "need --backend=postgresql"
    terminalreporter.write_line(f"{len(dropped)} tests deselected as {marker} ({why}):")
    per_module: dict[str, int] = {}
    for item in dropped:
        module = item.nodeid.split("::")[0]
        per_module[module] = per_module.get(module, 0) + 1
    for module, count in sorted(per_module.items()):
        terminalreporter.write_line(f"  {module}: {count}")


@pytest.fixture(scope="session")
def backend(pytestconfig: pytest.Config) -> str:
    """ "sqlite" or "postgresql": where this run's workspaces live."""
    return "sqlite" if pytestconfig.pg_server is None else "postgresql"  # type: ignore[attr-defined]


@dataclass(frozen=True)
class BuiltWorkspace:
    """A workspace built once (say, a demo) for many tests: open ``target`` read-only, or
    give it to ``db_target(name, copy_of=...)`` for a copy of its own to change."""

    target: str | Path
    database: str | None
    """The PostgreSQL database's name (None on SQLite)."""


@pytest.fixture(scope="session")
def build_workspace(
    pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory
) -> Callable[..., BuiltWorkspace]:
    """``build_workspace(builder)``: a new workspace, ``builder(store)`` run on it, closed.

    Without a builder: a new workspace for a module-scoped fixture to open itself
    (a file not yet created, or an empty migrated database), dropped after the run.
    """
    from vcio_desk.store import open_store

    server: PgServer | None = pytestconfig.pg_server  # type: ignore[attr-defined]

    def build(builder: Callable[[Store], object] | None = None) -> BuiltWorkspace:
        if server is None:
            path = tmp_path_factory.mktemp("built") / "template.sqlite3"
            built = BuiltWorkspace(path, None)
        else:
            database = server.create()
            server.built.append(database)
            built = BuiltWorkspace(server.url(database), database)
        if builder is not None:
            with open_store(built.target) as store:
                builder(store)
        return built

    return build


WorkspaceTarget = Callable[..., "str | Path"]


@pytest.fixture
def db_target(pytestconfig: pytest.Config, tmp_path: Path) -> Iterator[WorkspaceTarget]:
    """``db_target(name="ws", *, seeded=False, copy_of=None, bare=False)``: where a
    workspace for this test lives.

    A file path in ``tmp_path`` on SQLite (created when first opened), or the URL of a
    new database on PostgreSQL (already migrated; seeded if asked). ``copy_of`` (a
    :class:`BuiltWorkspace`) makes it a copy of that; ``bare`` an empty database with
    no schema at all (on SQLite: no file yet). The same name gives the same
    target, so a test can open it again (read-only, from a second Store...).
    """
    server: PgServer | None = pytestconfig.pg_server  # type: ignore[attr-defined]
    made: dict[str, str | Path] = {}
    databases: list[str] = []

    def target(
        name: str = "ws",
        *,
        seeded: bool = False,
        copy_of: BuiltWorkspace | None = None,
        bare: bool = False,
    ) -> str | Path:
        if name in made:
            return made[name]
        if server is None:
            path = tmp_path / f"{name}.sqlite3"
            if bare:
                pass  # no file yet: opening it makes the workspace
            elif copy_of is not None:
                _copy_sqlite(Path(copy_of.target), path)
            elif seeded:
                from vcio_desk.services.seed import ensure_base_content
                from vcio_desk.store import open_store

                with open_store(path) as store:
                    ensure_base_content(store)
            made[name] = path
        else:
            database = server.create(
                seeded=seeded,
                migrated=not bare,
                copy_of=copy_of.database if copy_of is not None else None,
            )
            databases.append(database)
            made[name] = server.url(database)
        return made[name]

    yield target
    if server is not None:
        for database in databases:
            server.drop(database)


def _copy_sqlite(source: Path, dest: Path) -> None:
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(dest)) as copy:
        src.backup(copy)


@pytest.fixture
def workspace(db_target: WorkspaceTarget, backend: str) -> Iterator[Store]:
    """A real, migrated and seeded workspace: a file at ``tmp_path / "ws.sqlite3"``, or a
    PostgreSQL database of its own (a copy of the seeded template) in the PostgreSQL run."""
    from vcio_desk.services.seed import ensure_base_content
    from vcio_desk.store import open_store

    on_server = backend == "postgresql"
    store = open_store(db_target("ws", seeded=on_server))
    try:
        if not on_server:
            ensure_base_content(store)
        yield store
    finally:
        store.close()
