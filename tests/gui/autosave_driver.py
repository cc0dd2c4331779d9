"""Drives the real app in its own process for the autosave kill test.

``python autosave_driver.py <workspace> meeting <meeting id> <text>`` (or ``review
<client id>:<review id> <text>``) starts the app as ``python -m vcio_desk --db
<workspace>`` does (lock, seed, main window, event loop), opens the meeting's page (or
the client's review window) once the window has painted, types ``text`` into the
notes with real key events, lets the event loop run for 2.5 s without touching
anything, prints ``typed`` and keeps running until it is killed. Nothing here saves:
whatever reaches the workspace got there by the app's own autosave.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from vcio_desk.ui import app

IDLE_MS = 2500
"""How long the typed text sits in the editor before the test may kill the app."""


def _notes_edit(window: QWidget, kind: str, target: str) -> QPlainTextEdit:
    if kind == "meeting":
        page = window.open_meeting(int(target))  # type: ignore[attr-defined]
        editor = page.client_notes.edit
    else:
        client_id, review_id = (int(part) for part in target.split(":"))
        client = window.open_client(client_id)  # type: ignore[attr-defined]
        client.show_tab("reviews")
        page = client.tab("reviews").open_review(review_id)
        if page.current_item() is None:
            page.table.setCurrentIndex(page.model.index(0, 0))
        editor = page.notes_edit
    editor.setFocus()
    return editor


def _type_then_idle(window: QWidget, kind: str, target: str, text: str) -> None:
    editor = _notes_edit(window, kind, target)
    QTest.keyClicks(editor, text)
    # No focus change, no close: only the typing pause may save what was typed.
    QTimer.singleShot(IDLE_MS, lambda: print("typed", flush=True))


def main() -> int:
    workspace, kind, target, text = sys.argv[1:5]

    def after_first_paint(window: QWidget) -> None:
        QTimer.singleShot(0, lambda: _type_then_idle(window, kind, target, text))

    app.after_first_paint = after_first_paint  # instead of filling Clients / first-run offer
    return app.run([sys.argv[0]], db=workspace)


if __name__ == "__main__":
    sys.exit(main())
