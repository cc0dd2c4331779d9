"""A centred panel with an icon, a heading and a sentence or two.

Used wherever a page has nothing to list yet (an empty workspace, a filter that
matches nothing, a page still being built) so that people read what will be
there and what to do, instead of staring at an empty grey box.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from vcio_desk.ui import icons

_ICON_SIZE = 56
_TEXT_WIDTH = 520


class MessagePanel(QWidget):
    """Icon, heading, explanation and an optional action button, centred in the page."""

    def __init__(
        self,
        icon_name: str,
        heading: str,
        text: str,
        *,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.icon_label = QLabel()
        self.icon_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        pixmap = icons.icon(icon_name).pixmap(QSize(_ICON_SIZE, _ICON_SIZE))
        if not pixmap.isNull():
            self.icon_label.setPixmap(pixmap)
        self.heading_label = QLabel(heading)
        heading_font = QFont(self.heading_label.font())
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.35)
        heading_font.setBold(True)
        self.heading_label.setFont(heading_font)
        self.heading_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.heading_label.setWordWrap(True)
        self.text_label = QLabel(text)
        self.text_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text_label.setWordWrap(True)
        self.text_label.setTextFormat(Qt.TextFormat.PlainText)
        self.text_label.setFixedWidth(_TEXT_WIDTH)  # keeps height-for-width: re-wraps on change
        self.button = QPushButton()
        self.button.hide()

        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(self.icon_label)
        layout.addSpacing(8)
        layout.addWidget(self.heading_label)
        # Centred by stretches, not by an alignment flag: with a flag, QBoxLayout asks the
        # label's height for the full row width and clips the wrapped text.
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.text_label)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addSpacing(12)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)

    def set_message(self, heading: str, text: str) -> None:
        self.heading_label.setText(heading)
        self.text_label.setText(text)

    def set_action(self, label: str | None) -> None:
        """Show the button with ``label``, or hide it (connect to ``button.clicked``)."""
        if label:
            self.button.setText(label)
            self.button.show()
        else:
            self.button.hide()
