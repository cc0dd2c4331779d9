"""Where a workspace lives: the default file in the user data dir, or a path/URL the user gave."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_path, user_log_path

APP_NAME = "vcio-desk"
WORKSPACE_FILENAME = "workspace.sqlite3"
ENV_VAR = "VCIO_DESK_DB"


@dataclass(frozen=True)
class WorkspaceLocation:
    """A resolved workspace: a SQLAlchemy URL and, for SQLite files, the file path."""

    url: str
    path: Path | None

    @property
    def is_sqlite_file(self) -> bool:
        return self.path is not None

    @property
    def display(self) -> str:
        """What to show a person: the file path, or the URL without its password."""
        if self.path is not None:
            return str(self.path)
        from sqlalchemy.engine import make_url

        return make_url(self.url).render_as_string(hide_password=True)

    @property
    def backup_dir(self) -> Path | None:
        """Backups sit beside the workspace file, in a folder of their own."""
        return None if self.path is None else self.path.parent / "backups"


def default_data_dir() -> Path:
    return user_data_path(APP_NAME, appauthor=False)


def default_log_dir() -> Path:
    return user_log_path(APP_NAME, appauthor=False)


def resolve(path_or_url: str | os.PathLike[str] | None = None) -> WorkspaceLocation:
    """Turn ``--db``, ``$VCIO_DESK_DB`` or nothing into a location (no file is touched)."""
    raw = os.fspath(path_or_url) if path_or_url is not None else os.environ.get(ENV_VAR) or None
    if raw is None:
        path = default_data_dir() / WORKSPACE_FILENAME
        return WorkspaceLocation(url=f"sqlite:///{path}", path=path)
    if "://" in raw:
        scheme, _, rest = raw.partition("://")
        if scheme in ("sqlite", "sqlite+pysqlite") and rest.startswith("/") and len(rest) > 1:
            path = Path(rest[1:]).expanduser().resolve()
            return WorkspaceLocation(url=f"sqlite:///{path}", path=path)
        return WorkspaceLocation(url=raw, path=None)
    path = Path(raw).expanduser().resolve()
    return WorkspaceLocation(url=f"sqlite:///{path}", path=path)
