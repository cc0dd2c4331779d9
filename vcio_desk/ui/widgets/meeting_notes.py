"""A plain-text editor for meeting notes, with the markup hint and a preview.

What people type is plain text (``domain.markup``: lists, *emphasis*, **strong**); the
preview shows it as the pack will, from the parsed blocks, with every character of
the user's text escaped: no HTML they type ever reaches the renderer.

The editor knows what was last saved (``base``) and whether it holds more than that
(``dirty``), so the page can autosave after a pause, when the text loses the focus and
on close, and decide what to do when the same text was changed elsewhere meanwhile.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.domain.markup import Block, BlockKind, parse
from vcio_desk.ui.widgets.rhythm_editor import mute

MARKUP_HINT = "Blank line: new paragraph · - or 1. starts a list · *emphasis* · **strong**"
AUTOSAVE_MS = 1500
"""A pause this long after the last keystroke saves the text."""


OverwriteAsker = Callable[[QWidget, Sequence[str]], bool]
"""(parent, headings of the texts changed elsewhere) → True to keep what was typed here."""
CloseAsker = Callable[[QWidget, str], bool]
"""(parent, why saving failed) → True to close anyway (the text is on the clipboard)."""


def ask_overwrite(parent: QWidget, headings: Sequence[str]) -> bool:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Changed elsewhere")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(
        f"{', '.join(headings)} of this meeting changed elsewhere while you were typing.\n\n"
        "Keep your version (the other one is replaced), or load the other version "
        "(yours is copied to the clipboard)?"
    )
    keep = box.addButton("Keep mine", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Load the other", QMessageBox.ButtonRole.RejectRole)
    try:
        box.exec()
        return box.clickedButton() == keep
    finally:
        box.deleteLater()


def ask_close_unsaved(parent: QWidget, message: str) -> bool:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Notes not saved")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(f"{message}\n\nClose anyway? What you typed is copied to the clipboard first.")
    close = box.addButton("Close anyway", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("Keep open", QMessageBox.ButtonRole.RejectRole)
    try:
        box.exec()
        return box.clickedButton() == close
    finally:
        box.deleteLater()


def blocks_to_html(blocks: tuple[Block, ...]) -> str:
    """HTML for a preview; every piece of user text is escaped."""
    out: list[str] = []
    open_list: str | None = None
    for block in blocks:
        tag = {BlockKind.BULLET: "ul", BlockKind.NUMBERED: "ol"}.get(block.kind)
        if tag != open_list:
            if open_list:
                out.append(f"</{open_list}>")
            if tag:
                start = f' start="{block.number}"' if tag == "ol" and block.number else ""
                out.append(f"<{tag}{start}>")
            open_list = tag
        inner = "".join(_run_html(run.text, run.bold, run.italic) for run in block.runs)
        out.append(f"<li>{inner}</li>" if tag else f"<p>{inner}</p>")
    if open_list:
        out.append(f"</{open_list}>")
    return "".join(out)


def _run_html(text: str, bold: bool, italic: bool) -> str:
    piece = html.escape(text, quote=False).replace("\n", "<br/>")
    if italic:
        piece = f"<i>{piece}</i>"
    if bold:
        piece = f"<b>{piece}</b>"
    return piece


class NotesEditor(QWidget):
    """Heading, hint, the text (or its preview); ``pause`` fires after typing stops."""

    pause = Signal()
    """Typing stopped for :data:`AUTOSAVE_MS` with unsaved text: time to save."""

    def __init__(
        self, name: str, heading: str, placeholder: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"notes_{name}")
        self.name = name
        self.heading = heading
        self.base = ""
        """The text as last loaded or saved."""
        self._loading = False

        title = QLabel(heading)
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        self.state_label = QLabel()
        self.state_label.setObjectName("save_state")
        mute(self.state_label)
        self.preview_box = QCheckBox("Preview")
        self.preview_box.setToolTip("Show the text as the meeting pack prints it")
        self.preview_box.toggled.connect(self.show_preview)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.state_label)
        top.addWidget(self.preview_box)

        self.edit = QPlainTextEdit()
        self.edit.setObjectName(f"{name}_edit")
        self.edit.setPlaceholderText(placeholder)
        self.edit.setTabChangesFocus(True)
        self.edit.textChanged.connect(self._on_changed)
        self.edit.installEventFilter(self)
        self.preview = QTextBrowser()
        self.preview.setObjectName(f"{name}_preview")
        self.preview.setOpenLinks(False)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.edit)
        self.stack.addWidget(self.preview)
        hint = QLabel(MARKUP_HINT)
        hint.setObjectName("markup_hint")
        mute(hint)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(AUTOSAVE_MS)
        self.timer.timeout.connect(self.pause)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        layout.addWidget(hint)

    # -- state -------------------------------------------------------------------------------

    def text(self) -> str:
        return self.edit.toPlainText()

    @property
    def dirty(self) -> bool:
        return self.text() != self.base

    def load(self, text: str) -> None:
        """Show ``text`` as the saved state (the cursor stays where it can)."""
        self.base = text
        if self.text() != text:
            self._loading = True
            try:
                cursor = self.edit.textCursor().position()
                self.edit.setPlainText(text)
                cursor_at = self.edit.textCursor()
                cursor_at.setPosition(min(cursor, len(text)))
                self.edit.setTextCursor(cursor_at)
            finally:
                self._loading = False
        self.timer.stop()
        self._show_state()

    def mark_saved(self, text: str) -> None:
        """``text`` reached the workspace; typing since then stays unsaved."""
        self.base = text
        if not self.dirty:
            self.timer.stop()
        self._show_state()

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)
        self._show_state()

    def show_preview(self, on: bool) -> None:
        if on:
            self.preview.setHtml(blocks_to_html(parse(self.text())))
        self.stack.setCurrentWidget(self.preview if on else self.edit)
        if self.preview_box.isChecked() != on:
            self.preview_box.setChecked(on)

    def set_failed(self, message: str) -> None:
        self.state_label.setText("Not saved")
        self.state_label.setToolTip(message)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Leaving the text saves it at once (``pause``), without waiting for the timer."""
        if watched is self.edit and event.type() == QEvent.Type.FocusOut and self.dirty:
            self.timer.stop()
            self.pause.emit()
        return super().eventFilter(watched, event)

    # -- internals ---------------------------------------------------------------------------

    def _on_changed(self) -> None:
        if self._loading:
            return
        self._show_state()
        if self.dirty:
            self.timer.start()

    def _show_state(self) -> None:
        if self.edit.isReadOnly():
            text = "Read-only"
        elif self.dirty:
            text = "Editing…"
        else:
            text = "Saved" if self.base else ""
        self.state_label.setText(text)
        self.state_label.setToolTip("")
        self.state_label.setTextFormat(Qt.TextFormat.PlainText)
