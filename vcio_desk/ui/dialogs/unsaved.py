"""Closing an OK/Cancel dialog that holds typed changes: ask, never lose them silently.

Cancel, Esc and the window's close button all end in ``QDialog.reject``; a dialog
with text worth keeping calls :func:`close_or_keep` from its ``reject`` and only
closes when the person chose to save (and the save worked) or to discard. The
question goes through a replaceable :data:`UnsavedAsker`, so tests never block.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from PySide6.QtWidgets import QMessageBox, QWidget

UnsavedAnswer = Literal["save", "discard", "cancel"]
UnsavedAsker = Callable[[QWidget, str], UnsavedAnswer]


def ask_unsaved(parent: QWidget, what: str) -> UnsavedAnswer:
    """Save / Discard / Cancel for ``what`` (e.g. "this action"); Esc means Cancel."""
    box = QMessageBox(parent)
    box.setObjectName("unsaved_question")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Unsaved changes")
    box.setText(f"Save the changes you made to {what}?")
    box.setInformativeText("Discard throws away what you typed; Cancel goes back to it.")
    box.setStandardButtons(
        QMessageBox.StandardButton.Save
        | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel
    )
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    box.setEscapeButton(QMessageBox.StandardButton.Cancel)
    answer = box.exec()
    box.deleteLater()
    if answer == QMessageBox.StandardButton.Save:
        return "save"
    if answer == QMessageBox.StandardButton.Discard:
        return "discard"
    return "cancel"


def close_or_keep(
    parent: QWidget, what: str, dirty: bool, ask: UnsavedAsker, save: Callable[[], object]
) -> bool:
    """True when the dialog may close without saving (nothing typed, or Discard).

    On Save, ``save`` runs (it accepts the dialog when it worked, or says why not and
    leaves it open); either way the caller must not reject afterwards.
    """
    if not dirty:
        return True
    answer = ask(parent, what)
    if answer == "discard":
        return True
    if answer == "save":
        save()
    return False
