"""UI preferences (window geometry, header layouts) kept in QSettings.

QSettings holds how the windows look, never workspace data (that lives in the
store). The organisation and application names are spelled out here rather than
read from QApplication, so a widget built in a test writes to the same place as
the running app.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

ORGANIZATION = "vcio-desk"
APPLICATION = "vcio-desk"

MAIN_GEOMETRY = "main_window/geometry"
MAIN_STATE = "main_window/state"
MAIN_PAGE = "main_window/page"
CLIENTS_HEADER = "clients_page/header"


def ui_settings() -> QSettings:
    """The user's UI preferences store (per user, native format)."""
    return QSettings(
        QSettings.Format.NativeFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
    )
