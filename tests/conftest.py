"""Shared test set-up: Qt runs offscreen and no test touches the user's real files.

Kept small on purpose; suite-specific fixtures live in each folder's conftest.
"""

from __future__ import annotations

import os

# Before anything imports Qt: without a display, QApplication would abort the process.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
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


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Store]:
    """A real, migrated and seeded workspace file at ``tmp_path / "ws.sqlite3"``."""
    from vcio_desk.services.seed import ensure_base_content
    from vcio_desk.store import open_store

    store = open_store(tmp_path / "ws.sqlite3")
    try:
        ensure_base_content(store)
        yield store
    finally:
        store.close()
