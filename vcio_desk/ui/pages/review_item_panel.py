"""The right-hand side of a review window: one item's question, guidance and answer controls.

It shows an item and says what people chose (``answer_chosen``, ``rating_chosen``,
``csi_chosen``); the review page does the writing, the undo and the notes saving, so
this widget holds no state of its own beyond what it displays.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.domain.vocab import Answer, Rating
from vcio_desk.services.reviews import CsiOption, ReviewItemView
from vcio_desk.ui.models.review_items_model import PRIORITY_TEXT
from vcio_desk.ui.widgets.rhythm_editor import mute

ANSWER_BUTTONS: tuple[tuple[str, Answer | None, str], ...] = (
    ("Aligned", Answer.ALIGNED, "A"),
    ("Misaligned", Answer.MISALIGNED, "M"),
    ("N/A", Answer.NOT_APPLICABLE, "N"),
    ("Clear", None, "0"),
)
RATING_BUTTONS: tuple[tuple[str, Rating | None, str], ...] = (
    ("Marginal", Rating.MARGINAL, "1"),
    ("Vulnerable", Rating.VULNERABLE, "2"),
    ("Not rated", None, ""),
)


def plain_label(text: str = "", *, wrap: bool = True) -> QLabel:
    """A label for user text: plain (never rich text), selectable, wrapped."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def bold(label: QLabel, factor: float = 1.0) -> QLabel:
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * factor)
    font.setBold(True)
    label.setFont(font)
    return label


class ReviewItemPanel(QScrollArea):
    """Question, why it matters, how to align; answer, rating, CSI link and notes."""

    answer_chosen = Signal(object)
    """An :class:`Answer`, or None to clear."""
    rating_chosen = Signal(object)
    """A :class:`Rating`, or None to clear."""
    csi_chosen = Signal(object)
    """A CSI item id, or None to unlink."""
    new_csi_requested = Signal()
    """Make a new CSI item from this finding and link it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("item_detail")
        self.item_facts = plain_label()
        self.item_facts.setObjectName("item_facts")
        mute(self.item_facts)
        self.question_label = bold(plain_label(), 1.1)
        self.question_label.setObjectName("item_question")
        self.why_label = plain_label()
        self.why_label.setObjectName("item_why")
        self.how_label = plain_label()
        self.how_label.setObjectName("item_how")
        self.answer_buttons: dict[Answer | None, QPushButton] = {}
        answers = QHBoxLayout()
        for text, answer, key in ANSWER_BUTTONS:
            button = QPushButton(f"{text}  ({key})")
            button.setObjectName(f"answer_{answer.value if answer else 'clear'}")
            button.setCheckable(answer is not None)
            button.clicked.connect(lambda _c=False, a=answer: self.answer_chosen.emit(a))
            answers.addWidget(button)
            self.answer_buttons[answer] = button
        self.rating_buttons: dict[Rating | None, QPushButton] = {}
        ratings = QHBoxLayout()
        for text, rating, key in RATING_BUTTONS:
            button = QPushButton(f"{text}  ({key})" if key else text)
            button.setObjectName(f"rating_{rating.value if rating else 'none'}")
            button.setCheckable(True)
            button.clicked.connect(lambda _c=False, r=rating: self.rating_chosen.emit(r))
            ratings.addWidget(button)
            self.rating_buttons[rating] = button
        self.csi_combo = QComboBox()
        self.csi_combo.setObjectName("csi_link")
        self.csi_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.csi_combo.setMinimumContentsLength(18)
        self.csi_combo.activated.connect(
            lambda index: self.csi_chosen.emit(self.csi_combo.itemData(index))
        )
        self.new_csi_button = QPushButton("New CSI item…")
        self.new_csi_button.setObjectName("new_csi_item")
        self.new_csi_button.setToolTip(
            "Add an item to the client's CSI register for this finding, and link it"
        )
        self.new_csi_button.clicked.connect(self.new_csi_requested)
        self.csi_row = QHBoxLayout()
        self.csi_row.addWidget(self.csi_combo, 1)
        self.csi_row.addWidget(self.new_csi_button)
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setObjectName("item_notes")
        self.notes_edit.setPlaceholderText(
            "Notes: what was checked, what was found (saved as you type)"
        )
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setMinimumHeight(70)
        self.notes_state = QLabel()
        self.notes_state.setObjectName("notes_state")
        mute(self.notes_state)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(self.item_facts)
        layout.addWidget(self.question_label)
        layout.addSpacing(6)
        layout.addWidget(bold(QLabel("Why it matters")))
        layout.addWidget(self.why_label)
        layout.addWidget(bold(QLabel("How to align")))
        layout.addWidget(self.how_label)
        layout.addSpacing(8)
        layout.addWidget(bold(QLabel("Answer (TAM)")))
        layout.addLayout(answers)
        self.rating_caption = bold(QLabel("Rating of the finding (vCIO)"))
        layout.addWidget(self.rating_caption)
        layout.addLayout(ratings)
        layout.addWidget(bold(QLabel("CSI item")))
        layout.addLayout(self.csi_row)
        notes_row = QHBoxLayout()
        notes_row.addWidget(bold(QLabel("Notes")))
        notes_row.addStretch(1)
        notes_row.addWidget(self.notes_state)
        layout.addLayout(notes_row)
        layout.addWidget(self.notes_edit, 1)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidget(content)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumWidth(400)

    def set_csi_options(self, options: Sequence[CsiOption]) -> None:
        """The client's CSI items a finding can be linked to."""
        combo = self.csi_combo
        combo.blockSignals(True)
        combo.clear()
        combo.addItem("Not linked", None)
        for option in options:
            combo.addItem(f"{option.title} ({option.status.replace('_', ' ')})", option.id)
        combo.blockSignals(False)

    def show_texts(self, item: ReviewItemView | None) -> None:
        """The item's fixed texts (its snapshot), or blanks."""
        if item is None:
            for label in (self.item_facts, self.question_label, self.why_label, self.how_label):
                label.setText("")
            return
        priority = PRIORITY_TEXT[item.priority]
        internal = " · internal only (not in the client's pack)" if item.internal_only else ""
        self.item_facts.setText(
            f"{item.code} · {item.section_name} › {item.category_name} · "
            f"{priority} priority{internal}"
        )
        self.question_label.setText(item.question)
        self.why_label.setText(item.why_it_matters or "—")
        self.how_label.setText(item.how_to_align or "—")

    def show_state(self, item: ReviewItemView | None, writable: bool) -> None:
        """Which answer and rating are chosen, and which controls may be used."""
        misaligned = item is not None and item.answer is Answer.MISALIGNED
        for answer, button in self.answer_buttons.items():
            button.setEnabled(writable and item is not None)
            button.setChecked(item is not None and answer is not None and item.answer is answer)
        for rating, button in self.rating_buttons.items():
            button.setEnabled(writable and misaligned)
            button.setChecked(misaligned and item is not None and item.rating is rating)
        self.rating_caption.setEnabled(misaligned)
        linked = item is not None and item.csi_item_id is not None
        self.csi_combo.setEnabled(writable and (misaligned or linked))
        self.new_csi_button.setEnabled(writable and misaligned and not linked)
        at = self.csi_combo.findData(item.csi_item_id) if item is not None and linked else 0
        self.csi_combo.setCurrentIndex(max(0, at))
        self.notes_edit.setEnabled(item is not None)
        self.notes_edit.setReadOnly(not writable)
