"""What a review window shows of the whole review: the header and the list of sections.

The header: whose review, its state, score, coverage and progress (PRODUCT.md §3.6)
overall, the findings count and a line for the chosen section, with the Complete /
Reopen buttons and undo/redo on the right. The section list: each section's score
and how many of its items are done. The review page tells them what to show; they
write nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.domain.alignment import AlignmentScore, Tally, format_pct
from vcio_desk.services.reviews import ReviewDetail
from vcio_desk.ui.formatting import format_date
from vcio_desk.ui.pages.review_item_panel import bold, plain_label
from vcio_desk.ui.widgets.rhythm_editor import mute

SCORE_TIP = (
    "Weighted share of the answered standards the client meets: weight high 5, medium 3, "
    "low 1; aligned earns full credit, misaligned rated marginal half, vulnerable or not "
    "yet rated none. Not-applicable answers are left out."
)
COVERAGE_TIP = "Answered standards out of the applicable ones (all but those answered N/A)."
PROGRESS_TIP = "Items with any answer, N/A included, out of all items of the review."
FINDINGS_TIP = "Misaligned answers, and how many still need a rating"
SECTION_ROLE = Qt.ItemDataRole.UserRole + 1


def tally_line(tally: Tally) -> str:
    """ "Score 82% · coverage 90% · progress 95%" for one tally."""
    return (
        f"Score {format_pct(tally.score)} · coverage {format_pct(tally.coverage)} · "
        f"progress {format_pct(tally.progress)}"
    )


def confirm_box(parent: QWidget, title: str, text: str) -> bool:
    """A plain-text question whose OK button says what it does; Cancel is the default."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    box.setStandardButtons(QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel)
    box.button(QMessageBox.StandardButton.Ok).setText(title)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    try:
        return box.exec() == QMessageBox.StandardButton.Ok
    finally:
        box.deleteLater()


class ReviewHeader(QFrame):
    """Title, facts and state on the left; figures in the middle; buttons on the right."""

    def __init__(self, stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("review_header")
        self.title_label = bold(plain_label("Loading…", wrap=False), 1.4)
        self.title_label.setObjectName("review_title")
        self.facts_label = plain_label()
        self.facts_label.setObjectName("review_facts")
        mute(self.facts_label)
        self.figures: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(0)
        for column, (key, caption, tip) in enumerate(
            (
                ("score", "Score", SCORE_TIP),
                ("coverage", "Coverage", COVERAGE_TIP),
                ("progress", "Progress", PROGRESS_TIP),
                ("findings", "Findings", FINDINGS_TIP),
            )
        ):
            value = bold(plain_label("—", wrap=False), 1.6)
            value.setObjectName(f"review_{key}")
            widest = "100%" if key != "findings" else "999 (999 unrated)"
            value.setMinimumWidth(value.fontMetrics().horizontalAdvance(widest))  # steady layout
            value.setToolTip(tip)
            label = QLabel(caption)
            label.setToolTip(tip)
            mute(label)
            grid.addWidget(value, 0, column)
            grid.addWidget(label, 1, column)
            self.figures[key] = value
        self.section_label = plain_label(wrap=False)
        self.section_label.setObjectName("review_section_figures")
        self.state_label = plain_label()
        self.state_label.setObjectName("review_state")
        self.complete_button = QPushButton("Complete review…")
        self.complete_button.setObjectName("complete_review")
        self.complete_button.setToolTip("Mark the review done; its answers become read-only")
        self.reopen_button = QPushButton("Reopen review")
        self.reopen_button.setObjectName("reopen_review")
        self.reopen_button.setToolTip("Put the review back in progress to change answers")
        # Plain buttons, not the stack's actions: those put the step's name in their text
        # and would widen the header with every answer. The name goes in the tooltip.
        self.undo_button = QToolButton()
        self.undo_button.setObjectName("undo_button")
        self.undo_button.setText("Undo")
        self.undo_button.clicked.connect(stack.undo)
        stack.canUndoChanged.connect(self.undo_button.setEnabled)
        stack.undoTextChanged.connect(lambda text: self.undo_button.setToolTip(f"Undo {text}"))
        self.undo_button.setEnabled(stack.canUndo())
        self.redo_button = QToolButton()
        self.redo_button.setObjectName("redo_button")
        self.redo_button.setText("Redo")
        self.redo_button.clicked.connect(stack.redo)
        stack.canRedoChanged.connect(self.redo_button.setEnabled)
        stack.redoTextChanged.connect(lambda text: self.redo_button.setToolTip(f"Redo {text}"))
        self.redo_button.setEnabled(stack.canRedo())

        titles = QVBoxLayout()
        titles.addWidget(self.title_label)
        titles.addWidget(self.facts_label)
        titles.addWidget(self.state_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.redo_button)
        buttons.addSpacing(12)
        buttons.addWidget(self.complete_button)
        buttons.addWidget(self.reopen_button)
        top = QHBoxLayout()
        top.addLayout(titles, 1)
        top.addLayout(grid)
        top.addSpacing(24)
        top.addLayout(buttons)
        box = QVBoxLayout(self)
        box.setContentsMargins(4, 4, 4, 4)
        box.addLayout(top)
        box.addWidget(self.section_label)

    def show_detail(self, detail: ReviewDetail, locale: QLocale) -> None:
        """Whose review, when it started, who runs it, how many standards."""
        self.title_label.setText(f"{detail.client_name} — Technology Alignment review")
        facts = [f"Started {format_date(detail.started_on, locale)}"]
        if detail.tam:
            facts.append(f"TAM {detail.tam}")
        if detail.vcio:
            facts.append(f"vCIO {detail.vcio}")
        facts.append(f"{len(detail.items)} standards")
        self.facts_label.setText(" · ".join(facts))

    def show_missing(self, message: str) -> None:
        self.title_label.setText("Review not found")
        self.state_label.setText(message)

    def show_score(self, score: AlignmentScore, section: str | None) -> None:
        overall = score.overall
        self.figures["score"].setText(format_pct(overall.score))
        self.figures["coverage"].setText(format_pct(overall.coverage))
        self.figures["progress"].setText(format_pct(overall.progress))
        findings = str(overall.misaligned)
        if overall.unrated:
            findings += f" ({overall.unrated} unrated)"
        self.figures["findings"].setText(findings)
        if section is None:
            done = overall.answered + overall.not_applicable
            self.section_label.setText(
                f"All sections: {done} of {overall.items} items answered; "
                f"{overall.unanswered} to go."
            )
        else:
            self.section_label.setText(f"{section}: {tally_line(score.section(section))}")

    def show_state(self, detail: ReviewDetail | None, read_only: bool, locale: QLocale) -> None:
        """In progress, completed (read-only) or a read-only workspace; buttons to match."""
        completed = detail is not None and detail.completed
        self.complete_button.setVisible(not completed)
        self.reopen_button.setVisible(completed)
        self.complete_button.setEnabled(detail is not None and not completed and not read_only)
        self.reopen_button.setEnabled(completed and not read_only)
        if detail is None:
            return
        if read_only:
            self.state_label.setText(
                "The workspace is open read-only: this review is shown for reading."
            )
        elif completed:
            day = format_date(detail.completed_on, locale)
            self.state_label.setText(f"Completed on {day}: read-only. Reopen it to change answers.")
        else:
            self.state_label.setText("In progress")


class SectionList(QListWidget):
    """ "All sections" and each section, with its score and items done; a filter."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("review_sections")
        self.setMinimumWidth(180)
        self.setAlternatingRowColors(True)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSpacing(1)
        self.setUniformItemSizes(True)  # a changed row repaints alone, not the whole list

    def current_section(self) -> str | None:
        item = self.currentItem()
        return None if item is None else item.data(SECTION_ROLE)

    def fill(self, score: AlignmentScore) -> None:
        """One row per section of ``score``; the chosen section stays chosen if still there."""
        wanted = self.current_section()
        self.blockSignals(True)
        self.clear()
        for name in (None, *(section.name for section in score.sections)):
            item = QListWidgetItem()
            item.setData(SECTION_ROLE, name)
            self.addItem(item)
        self.label(score)
        metrics = self.fontMetrics()
        widest = max((metrics.horizontalAdvance(s.name) for s in score.sections), default=0)
        self.setMinimumWidth(min(max(180, widest + 36), 300))  # names whole when they can be
        rows = [self.item(i).data(SECTION_ROLE) for i in range(self.count())]
        self.setCurrentRow(rows.index(wanted) if wanted in rows else 0)
        self.blockSignals(False)

    def label(self, score: AlignmentScore) -> None:
        """Each row's "name / 82% · 9/12 done" from ``score``."""
        for row in range(self.count()):
            item = self.item(row)
            name = item.data(SECTION_ROLE)
            tally = score.overall if name is None else score.section(name)
            done = tally.answered + tally.not_applicable
            title = "All sections" if name is None else name
            item.setText(f"{title}\n{format_pct(tally.score)} · {done}/{tally.items} done")
            item.setToolTip(f"{title}: {tally_line(tally)}")
