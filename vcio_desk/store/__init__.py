"""Persistence: the workspace store (SQLAlchemy), its models, migrations, backup and checks."""

from .engine import Store, open_store
from .location import WorkspaceLocation, resolve

__all__ = ["Store", "WorkspaceLocation", "open_store", "resolve"]
