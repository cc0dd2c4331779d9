"""UI preferences (window geometry, header layouts) kept in QSettings.

QSettings holds how the windows look, never workspace data (that lives in the
store). The organisation and application names are spelled out here rather than
read from QApplication, so a widget built in a test writes to the same place as
the running app.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths

ORGANIZATION = "vcio-desk"
APPLICATION = "vcio-desk"

MAIN_GEOMETRY = "main_window/geometry"
MAIN_STATE = "main_window/state"
MAIN_PAGE = "main_window/page"
CLIENTS_HEADER = "clients_page/header"
PACK_FOLDER = "packs/folder"
"""The folder a meeting pack was last exported to."""
PACK_OPEN_AFTER = "packs/open_after_export"
"""Whether an exported pack is opened in the system viewer (default yes)."""
PACK_BATCH_FOLDER = "packs/batch_folder"
"""The folder the last batch of packs was written to."""
PACK_BATCH_DAYS = "packs/batch_days"
"""How many days ahead the last batch looked."""
PACK_PREVIEW_GEOMETRY = "packs/preview_geometry"
LOGO_FOLDER = "logos/folder"
"""The folder a logo was last chosen from."""


def ui_settings() -> QSettings:
    """The user's UI preferences store (per user, native format)."""
    return QSettings(
        QSettings.Format.NativeFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
    )


def remembered_folder(key: str) -> Path:
    """The folder saved under ``key`` if it still exists, else the user's documents folder."""
    saved = ui_settings().value(key)
    if isinstance(saved, str) and saved and Path(saved).is_dir():
        return Path(saved)
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents else Path.home()


def remember_folder(key: str, folder: Path) -> None:
    settings = ui_settings()
    settings.setValue(key, str(folder))
    settings.sync()
