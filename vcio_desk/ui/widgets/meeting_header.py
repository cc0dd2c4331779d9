"""The meeting page's header: what, for whom, when, who, which state, and the lifecycle buttons.

Text people typed (subject names, cancel reasons) is shown as plain text. The buttons
are enabled by ``meeting_dialog.lifecycle_allowed``, the rule the Year page's dialog uses.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.services.meeting_prep import MeetingHead
from vcio_desk.ui.dialogs.meeting_dialog import lifecycle_allowed, status_text, when_text
from vcio_desk.ui.formatting import format_date
from vcio_desk.ui.widgets.rhythm_editor import mute

READ_ONLY_STYLE = "background: #FFF4CE; color: #5C4400; padding: 4px 8px; border-radius: 3px;"


def _label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class MeetingHeaderBar(QFrame):
    def __init__(
        self, undo: QAction, redo: QAction, locale: QLocale, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("meeting_header")
        self._locale = locale
        self.title_label = _label("meeting_title")
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.45)
        font.setBold(True)
        self.title_label.setFont(font)
        self.subject_label = _label("meeting_subject")
        subject_font = self.subject_label.font()
        subject_font.setPointSizeF(subject_font.pointSizeF() * 1.15)
        self.subject_label.setFont(subject_font)
        self.when_label = _label("meeting_when")
        self.owner_label = _label("meeting_owner")
        self.status_label = _label("meeting_status")
        self.status_label.setWordWrap(True)
        self.slot_label = _label("meeting_slot")
        self.read_only_label = QLabel(
            "Read-only workspace: this meeting can be viewed, not changed."
        )
        self.read_only_label.setObjectName("read_only_notice")
        self.read_only_label.setStyleSheet(READ_ONLY_STYLE)
        self.read_only_label.hide()

        self.confirm_button = QPushButton("&Confirm")
        self.reschedule_button = QPushButton("&Reschedule…")
        self.cancel_button = QPushButton("Cancel &meeting…")
        self.held_button = QPushButton("Mark &held…")
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        for button in (
            self.confirm_button,
            self.reschedule_button,
            self.cancel_button,
            self.held_button,
        ):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addSpacing(12)
        for action in (undo, redo):
            tool = QToolButton()
            tool.setDefaultAction(action)
            tool.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            buttons.addWidget(tool)
        buttons.addStretch(1)
        self.export_pack_button = QPushButton("&Export pack…")
        self.export_pack_button.setToolTip(
            "Write the meeting pack to a PDF file: client or internal edition (Ctrl+Shift+E)"
        )
        self.preview_pack_button = QPushButton("Pre&view…")
        self.preview_pack_button.setToolTip("The pack's pages in a window, either edition")
        self.print_pack_button = QPushButton("&Print…")
        self.print_pack_button.setToolTip(
            "Print the client edition of the pack (Ctrl+P); Preview… prints either edition"
        )
        self.pack_buttons = (
            self.export_pack_button,
            self.preview_pack_button,
            self.print_pack_button,
        )
        for button in self.pack_buttons:
            button.setAutoDefault(False)
            buttons.addWidget(button)

        facts = QGridLayout()
        facts.setHorizontalSpacing(10)
        facts.setVerticalSpacing(3)
        for row, (caption, label) in enumerate(
            (("When", self.when_label), ("Status", self.status_label))
        ):
            facts.addWidget(mute(QLabel(caption)), row, 0)
            facts.addWidget(label, row, 1)
        for row, (caption, label) in enumerate(
            (("Owner", self.owner_label), ("Slot", self.slot_label))
        ):
            facts.addWidget(mute(QLabel(caption)), row, 2)
            facts.addWidget(label, row, 3)
        facts.setColumnStretch(1, 3)
        facts.setColumnStretch(3, 2)

        name_row = QHBoxLayout()
        name_row.addWidget(self.title_label)
        name_row.addSpacing(8)
        name_row.addWidget(self.subject_label, 0, Qt.AlignmentFlag.AlignBaseline)
        name_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 6)
        layout.setSpacing(4)
        layout.addLayout(name_row)
        layout.addLayout(facts)
        layout.addWidget(self.read_only_label)
        layout.addLayout(buttons)

    def show_head(self, head: MeetingHead, *, writable: bool) -> None:
        self.title_label.setText(head.meeting_type)
        kind = "" if head.subject_kind == "client" else " (internal)"
        self.subject_label.setText(f"— {head.subject}{kind}")
        minutes = head.duration_minutes
        self.when_label.setText(
            f"{when_text(head.start, head.end, head.timezone, self._locale)} · {minutes} min"
            + (f" · {head.location}" if head.location else "")
        )
        self.owner_label.setText(head.owner or "no owner")
        self.status_label.setText(
            status_text(head.status, head.held_date, head.cancel_reason, self._locale)
        )
        self.slot_label.setText(format_date(head.slot_date, self._locale) or "none (not planned)")
        self.read_only_label.setVisible(not writable)
        allowed = lifecycle_allowed(head.status)
        self.confirm_button.setEnabled(writable and allowed["confirm"])
        self.reschedule_button.setEnabled(writable and allowed["reschedule"])
        self.cancel_button.setEnabled(writable and allowed["cancel"])
        self.held_button.setEnabled(writable and allowed["held"])
        self.set_pack_enabled(True)

    def set_pack_enabled(self, enabled: bool) -> None:
        """The pack needs the meeting only to exist: read-only workspaces print too."""
        for button in self.pack_buttons:
            button.setEnabled(enabled)

    def show_gone(self, message: str) -> None:
        self.title_label.setText("Meeting not found")
        self.subject_label.setText("")
        self.status_label.setText(message)
        for button in (
            self.confirm_button,
            self.reschedule_button,
            self.cancel_button,
            self.held_button,
            *self.pack_buttons,
        ):
            button.setEnabled(False)
