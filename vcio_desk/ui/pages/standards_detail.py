"""The selected standard in full: its question, guidance, place, tiers and recent changes.

User text goes into plain-text labels (never rich text), so markup a person typed
shows as typed. The last few change-log entries are listed with a button to the
whole history on the Change log tab.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.services.standards_library import StandardView
from vcio_desk.services.standards_log import ChangeView
from vcio_desk.ui.formatting import format_date
from vcio_desk.ui.models.standards_models import changed_at_text

RECENT = 4


def _label(text: str = "", *, bold: bool = False, muted: bool = False) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    if bold:
        font = QFont(label.font())
        font.setBold(True)
        label.setFont(font)
    if muted:
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


class StandardDetail(QScrollArea):
    """Everything about one standard; empty with a hint when none is selected."""

    history_requested = Signal(int, str)
    """(standard id, code): show all of its changes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("standard_detail")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.standard: StandardView | None = None
        self.heading = _label(bold=True)
        self.facts = _label(muted=True)
        self.question = _label()
        font = QFont(self.question.font())
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.question.setFont(font)
        self.why = _label()
        self.how = _label()
        self.history = _label()
        self.history_button = QPushButton("All changes…")
        self.history_button.setToolTip("Show every recorded change of this standard")
        self.history_button.clicked.connect(self._on_history)
        guidance = QGridLayout()
        guidance.setHorizontalSpacing(18)
        guidance.addWidget(_label("Why it matters", bold=True), 0, 0)
        guidance.addWidget(_label("How to align", bold=True), 0, 1)
        guidance.addWidget(self.why, 1, 0)
        guidance.addWidget(self.how, 1, 1)
        guidance.setColumnStretch(0, 1)
        guidance.setColumnStretch(1, 1)
        history_head = QHBoxLayout()
        history_head.addWidget(_label("Recent changes", bold=True))
        history_head.addStretch(1)
        history_head.addWidget(self.history_button)
        self.body = QWidget()
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.heading)
        layout.addWidget(self.facts)
        layout.addWidget(self.question)
        layout.addLayout(guidance)
        layout.addLayout(history_head)
        layout.addWidget(self.history)
        layout.addStretch(1)
        self.empty = _label("Select a standard to read it in full.", muted=True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWidget(self.empty)

    def show_standard(
        self, standard: StandardView | None, changes: Sequence[ChangeView] = ()
    ) -> None:
        self.standard = standard
        if standard is None:
            if self.widget() is not self.empty:
                self.takeWidget()
                self.setWidget(self.empty)
            return
        if self.widget() is not self.body:
            self.takeWidget()
            self.setWidget(self.body)
        state = " · archived" if standard.archived else ""
        self.heading.setText(f"{standard.code} — {standard.path}{state}")
        audience = "internal only" if standard.internal_only else "shown to clients"
        self.facts.setText(
            f"Priority {standard.priority.value} · tiers {', '.join(standard.tiers)} · {audience}"
        )
        self.question.setText(standard.question)
        self.why.setText(standard.why_it_matters or "—")
        self.how.setText(standard.how_to_align or "—")
        self.set_history(changes)

    def set_history(self, changes: Sequence[ChangeView]) -> None:
        locale = QLocale()
        lines = []
        for change in list(changes)[:RECENT]:
            what = f": {change.summary}" if change.summary else ""
            line = f"{changed_at_text(change.changed_at, locale)} · {change.author or '—'} · "
            line += f"{change.action_label}{what}\n    Why: {change.reason}"
            if change.decision_title and change.decision_title not in change.reason:
                line += f" (committee: {change.decision_title})"
            if change.decided_on is not None:
                line += f" · decided {format_date(change.decided_on, locale)}"
            lines.append(line)
        self.history.setText("\n".join(lines) or "No recorded changes.")
        self.history_button.setEnabled(bool(changes))

    def _on_history(self) -> None:
        if self.standard is not None:
            self.history_requested.emit(self.standard.id, self.standard.code)
