"""The one way dialogs and pages tell people something: a plain-text message box.

:func:`show_message` builds a ``QMessageBox`` and calls its ``exec()``, so tests can
replace ``QMessageBox.exec`` (or a page's injectable ``notify``) and nothing blocks.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def show_message(
    parent: QWidget | None,
    title: str,
    text: str,
    icon: QMessageBox.Icon = QMessageBox.Icon.Warning,
) -> None:
    """A modal message with one OK button; ``text`` is plain text (user data is safe)."""
    box = QMessageBox(parent)
    box.setIcon(icon)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    try:
        box.exec()
    finally:
        box.deleteLater()
