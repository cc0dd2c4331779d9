"""One Technology Alignment review in its own window: answer, rate, note and link findings.

Left, the sections with each one's score and progress; in the middle, the items of
the chosen section, filtered (all, unanswered, misaligned, unrated); right, the
current item's question, why it matters and how to align, with the answer, the
vCIO's rating, the CSI link and notes. The header keeps the live score, coverage and
progress (PRODUCT.md §3.6), overall and for the chosen section.

Keys in the items table: A aligned, M misaligned, N not applicable, 0 or Backspace
clears; 1 marginal, 2 vulnerable. After an answer the cursor moves to the next
unanswered item. Answers and ratings are undoable (Ctrl+Z, Ctrl+Shift+Z): each is a
:class:`ItemCommand` whose undo hands the state before to ``restore_item``. Every
write returns the review's new score, so nothing is reloaded per answer. Notes are
saved a moment after typing stops, on leaving the editor, on moving to another item
and on closing; a note that cannot be saved stays in the editor and is kept.
A completed review, or a read-only workspace, is shown for reading only.

The header and the section list are in :mod:`.review_header`, the item pane in
:mod:`.review_item_panel`, the undo step and the small questions in
:mod:`.review_commands`; this module ties them to the items table and the services.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import replace

from PySide6.QtCore import QEvent, QItemSelectionModel, QLocale, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.domain.alignment import AlignmentScore, format_pct
from vcio_desk.domain.errors import VcioDeskError
from vcio_desk.domain.vocab import Answer, Rating, ReviewStatus
from vcio_desk.services.client_detail import author_name
from vcio_desk.services.reviews import (
    CsiOption,
    ItemUpdate,
    ReviewDetail,
    ReviewItemView,
    answer_item,
    complete_review,
    csi_from_finding,
    csi_options,
    finding_title,
    link_csi,
    rate_item,
    reopen_review,
    review_detail,
    set_item_notes,
)
from vcio_desk.store import Store
from vcio_desk.ui.dialogs.meeting_dialog import undo_action
from vcio_desk.ui.formatting import format_date
from vcio_desk.ui.models.review_items_model import (
    ANSWER_TEXT,
    PRIORITY_TEXT,
    Column,
    ItemFilter,
    ReviewItemsModel,
)
from vcio_desk.ui.pages.review_commands import (
    Confirmer,
    ItemCommand,
    Notifier,
    TitleAsker,
    ask_title,
    warn,
)
from vcio_desk.ui.pages.review_header import ReviewHeader, SectionList, confirm_box
from vcio_desk.ui.pages.review_item_panel import ReviewItemPanel
from vcio_desk.ui.widgets.rhythm_editor import mute
from vcio_desk.ui.widgets.tables import row_table
from vcio_desk.ui.workers import GENERIC_FAILURE

log = logging.getLogger(__name__)

NOTES_DELAY_MS = 800
"""Notes are saved this long after the last keystroke (and at once on leaving the editor)."""


ANSWER_KEYS: tuple[tuple[str, Answer | None], ...] = (
    ("A", Answer.ALIGNED),
    ("M", Answer.MISALIGNED),
    ("N", Answer.NOT_APPLICABLE),
    ("0", None),
    ("Backspace", None),
)
RATING_KEYS: tuple[tuple[str, Rating], ...] = (("1", Rating.MARGINAL), ("2", Rating.VULNERABLE))
FILTER_TEXT = {
    ItemFilter.ALL: "All",
    ItemFilter.UNANSWERED: "Unanswered",
    ItemFilter.MISALIGNED: "Misaligned",
    ItemFilter.UNRATED: "Unrated",
}


class ReviewPage(QWidget):
    """A review's window; ``changed`` is emitted after every write."""

    changed = Signal()

    def __init__(
        self,
        store: Store,
        review_id: int,
        as_of_provider: Callable[[], dt.date],
        locale: QLocale | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("page_review")
        self.store = store
        self.review_id = review_id
        self._as_of = as_of_provider
        self._locale = locale or QLocale()
        self.detail: ReviewDetail | None = None
        self.score: AlignmentScore | None = None
        self.csi: list[CsiOption] = []
        self.notify: Notifier = warn
        self.confirm: Confirmer = confirm_box
        self.ask_csi_title: TitleAsker = ask_title
        self._captured: list[str] | None = None
        self._shown_item_id: int | None = None
        self._notes_dirty = False
        self._unsaved_notes: dict[int, str] = {}
        self._loading = False
        self.setWindowTitle("Alignment review — vcio_desk")

        self.stack = QUndoStack(self)
        self.undo_action = undo_action(self.stack, self, redo=False)
        self.redo_action = undo_action(self.stack, self, redo=True)
        self.addAction(self.undo_action)
        self.addAction(self.redo_action)

        self.header = header = ReviewHeader(self.stack)
        header.complete_button.clicked.connect(self.complete)
        header.reopen_button.clicked.connect(self.reopen)
        self.sections = SectionList()
        self.sections.currentRowChanged.connect(lambda _row: self._refilter())
        middle = self._build_items()
        self.panel = right = ReviewItemPanel()
        right.answer_chosen.connect(self.answer_current)
        right.rating_chosen.connect(self.rate_current)
        right.csi_chosen.connect(self.link_current)
        right.new_csi_requested.connect(self.new_csi_from_current)
        self.notes_edit = right.notes_edit
        self.notes_edit.textChanged.connect(self._on_notes_typed)
        self.notes_edit.installEventFilter(self)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("review_splitter")
        splitter.addWidget(self.sections)
        splitter.addWidget(middle)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 2)
        splitter.setSizes([230, 640, 410])
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(header)
        layout.addWidget(splitter, 1)

        self._notes_timer = QTimer(self)
        self._notes_timer.setSingleShot(True)
        self._notes_timer.setInterval(NOTES_DELAY_MS)
        self._notes_timer.timeout.connect(self.save_notes)
        for sequence in (QKeySequence(Qt.Key.Key_Escape), QKeySequence.StandardKey.Close):
            close = QShortcut(sequence, self)
            close.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            close.activated.connect(self.close)

    # -- building ----------------------------------------------------------------------------

    def _build_items(self) -> QWidget:
        self.filter_group = QButtonGroup(self)
        self.filter_group.setExclusive(True)
        self.filter_buttons: dict[ItemFilter, QToolButton] = {}
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Show:"))
        for which in ItemFilter:
            button = QToolButton()
            button.setObjectName(f"filter_{which.value}")
            button.setCheckable(True)
            button.setText(FILTER_TEXT[which])
            button.setAutoRaise(True)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            self.filter_group.addButton(button)
            self.filter_buttons[which] = button
            bar.addWidget(button)
        self.filter_buttons[ItemFilter.ALL].setChecked(True)
        self.filter_group.buttonToggled.connect(lambda _b, on: on and self._refilter())
        bar.addStretch(1)
        self.keys_label = QLabel(
            "Keys: A aligned · M misaligned · N not applicable · 0 clear · "
            "1 marginal · 2 vulnerable · F2 notes · Ctrl+Z undo"
        )
        self.keys_label.setObjectName("review_keys")
        self.keys_label.setWordWrap(True)
        mute(self.keys_label)

        self.model = ReviewItemsModel(self)
        self.table = row_table(self.model, name="review_items", stretch_last=False)
        header = self.table.horizontalHeader()
        # Widths from the longest possible text, never ResizeToContents: that re-measures
        # every row on each change, and an answer must not cost 300 rows of size hints.
        header.setSectionResizeMode(Column.QUESTION, QHeaderView.ResizeMode.Stretch)
        metrics = self.table.fontMetrics()
        pad = 2 * self.table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 14
        for column, texts in (
            (Column.CODE, ("WWW-000",)),
            (Column.PRIORITY, (*PRIORITY_TEXT.values(), "Priority")),
            (Column.ANSWER, (*ANSWER_TEXT.values(), "Answer")),
            (Column.RATING, ("Not rated", "Vulnerable", "Marginal", "Rating")),
        ):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, max(map(metrics.horizontalAdvance, texts)) + pad)
        header.setSectionResizeMode(Column.CSI, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(Column.CSI, 90)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())
        for key, answer in ANSWER_KEYS:
            self._table_key(key, lambda a=answer: self.answer_current(a))
        for key, rating in RATING_KEYS:
            self._table_key(key, lambda r=rating: self.rate_current(r))
        self._table_key("F2", self.focus_notes)

        self.empty_label = QLabel()
        self.empty_label.setObjectName("review_empty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        mute(self.empty_label)
        self.empty_label.hide()
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.keys_label)
        return box

    def _table_key(self, key: str, slot: Callable[[], object]) -> None:
        shortcut = QShortcut(QKeySequence(key), self.table)
        shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        shortcut.activated.connect(slot)

    # -- loading -----------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the review afresh (on opening, or after it changed elsewhere)."""
        self.save_notes()
        try:
            detail = review_detail(self.store, self.review_id)
            options = csi_options(self.store, detail.client_id)
        except VcioDeskError as err:
            self.detail = None
            self.header.show_missing(err.user_message)
            self.model.set_items([])
            self._update_writable()
            return
        current = self.current_item()
        self.detail = detail
        self.csi = options
        self.stack.clear()
        self.setWindowTitle(f"Review of {detail.client_name} — vcio_desk")
        self.header.show_detail(detail, self._locale)
        self.model.set_items(detail.items)
        self._fit_code_column(detail.items)
        self.panel.set_csi_options(options)
        self._show_score(detail.score)
        self.sections.fill(detail.score)
        self._update_writable()
        self._refilter(keep=current.id if current else None)

    def _fit_code_column(self, items: Sequence[ReviewItemView]) -> None:
        metrics = self.table.fontMetrics()
        widest = max((metrics.horizontalAdvance(i.code) for i in items), default=0)
        header = self.table.horizontalHeader()
        header.resizeSection(Column.CODE, max(header.sectionSize(Column.CODE), widest + 16))

    # -- state shown -------------------------------------------------------------------------

    def writable(self) -> bool:
        return self.detail is not None and not self.store.read_only and not self.detail.completed

    def current_section(self) -> str | None:
        return self.sections.current_section()

    def current_filter(self) -> ItemFilter:
        for which, button in self.filter_buttons.items():
            if button.isChecked():
                return which
        return ItemFilter.ALL

    def current_item(self) -> ReviewItemView | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.item_at(index.row())

    def _show_score(self, score: AlignmentScore) -> None:
        self.score = score
        section = self.current_section()
        self.header.show_score(score, section)
        for which, button in self.filter_buttons.items():
            n = self.model.count(which, section)
            button.setText(f"{FILTER_TEXT[which]} ({n})")

    def _update_writable(self) -> None:
        self.header.show_state(self.detail, self.store.read_only, self._locale)
        self.keys_label.setVisible(self.writable())
        self._show_current()

    def _refilter(self, keep: int | None = None) -> None:
        if keep is None:
            item = self.current_item()
            keep = item.id if item else None
        self.save_notes()
        self.model.set_view(self.current_section(), self.current_filter())
        row = self.model.row_of(keep) if keep is not None else None
        if row is None and self.model.rowCount() > 0:
            row = 0
        if row is not None:
            self._select_row(row)
        else:
            self._show_current()
        empty = self.model.rowCount() == 0 and self.detail is not None
        self.empty_label.setText(f"No {self.current_filter().value} items here.")
        self.empty_label.setVisible(empty)
        if self.score is not None:
            self._show_score(self.score)

    def _select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        self._show_current()

    def _show_current(self) -> None:
        item = self.current_item()
        if item is None or item.id != self._shown_item_id:
            self.save_notes()
        if item is None:
            self._shown_item_id = None
            self.panel.show_texts(None)
            self._set_notes_text("")
        elif item.id != self._shown_item_id:
            self._shown_item_id = item.id
            self.panel.show_texts(item)
            self._set_notes_text(self._unsaved_notes.get(item.id, item.notes))
        self.panel.show_state(item, self.writable())

    # -- writes ------------------------------------------------------------------------------

    def answer_current(self, answer: Answer | None) -> None:
        """Answer the current item (None clears), then move to the next unanswered one."""
        item = self.current_item()
        if item is None or not self.writable():
            return
        if answer is None and item.answer is None:
            return
        text = "clear answer" if answer is None else f"answer {answer.value.replace('_', ' ')}"
        if not self._push(
            f"{text} ({item.code})", lambda: answer_item(self.store, item.id, answer)
        ):
            return
        if answer is not None:
            row = self.model.row_of(item.id)
            after = row if row is not None else -1
            nxt = self.model.next_row(after, ItemFilter.UNANSWERED)
            if nxt is not None:
                self._select_row(nxt)

    def rate_current(self, rating: Rating | None) -> None:
        item = self.current_item()
        if item is None or not self.writable() or item.answer is not Answer.MISALIGNED:
            return
        label = "clear rating" if rating is None else f"rating {rating.value}"
        done = self._push(f"{label} ({item.code})", lambda: rate_item(self.store, item.id, rating))
        if done and rating is not None and self.current_filter() is ItemFilter.UNRATED:
            row = self.model.row_of(item.id)
            nxt = self.model.next_row(row if row is not None else -1, ItemFilter.UNRATED)
            if nxt is not None:
                self._select_row(nxt)

    def link_current(self, csi_item_id: int | None) -> None:
        item = self.current_item()
        if item is None or not self.writable():
            return
        try:
            update = link_csi(self.store, item.id, csi_item_id)
        except Exception as exc:
            self.report(exc)
            self._show_current()
            return
        self.apply_update(update)

    def new_csi_from_current(self) -> bool:
        """Make a CSI item from the current finding (title asked first) and link it."""
        item, detail = self.current_item(), self.detail
        if item is None or detail is None or not self.writable():
            return False
        if item.answer is not Answer.MISALIGNED:
            return False
        title = self.ask_csi_title(self, finding_title(item.code, item.question))
        if title is None or not title.strip():
            return False
        try:
            update = csi_from_finding(self.store, item.id, author_name(self.store), title)
            options = csi_options(self.store, detail.client_id)
        except Exception as exc:
            self.report(exc)
            return False
        self.csi = options
        self.panel.set_csi_options(options)
        self.apply_update(update)
        return True

    def _push(self, text: str, apply: Callable[[], ItemUpdate]) -> bool:
        """Run ``apply`` as an undoable step; False (and the reason shown) when refused."""
        captured: list[str] = []
        self._captured = captured
        try:
            self.stack.push(ItemCommand(self, text, apply))
        finally:
            self._captured = None
        if captured:
            self.notify(self, captured[0])
            return False
        return True

    def report(self, exc: Exception) -> None:
        """Say why a write failed: at once inside a push, after the stack's step otherwise."""
        if isinstance(exc, VcioDeskError):
            message = exc.user_message
        else:
            log.error("review change failed", exc_info=exc)
            message = GENERIC_FAILURE
        if self._captured is not None:
            self._captured.append(message)
        else:
            QTimer.singleShot(0, lambda: self.notify(self, message))

    def apply_update(self, update: ItemUpdate, *, reveal: bool = False) -> None:
        """Show a written item and the review's new score; ``reveal`` selects the item."""
        old = self.model.item(update.after.id)
        if old is None:
            return
        state = update.after
        if update.after.id == self._shown_item_id and self._notes_dirty:
            state = replace(state, notes=old.notes)  # the editor's text is newer
        self.model.replace_item(old.with_state(state, update.csi_title))
        if reveal:
            row = self.model.row_of(old.id)
            if row is not None:
                self._select_row(row)
        self._show_score(update.score)
        self.sections.label(update.score)
        self._show_current()
        self.changed.emit()

    # -- notes -------------------------------------------------------------------------------

    def _set_notes_text(self, text: str) -> None:
        self._loading = True
        try:
            self.notes_edit.setPlainText(text)
        finally:
            self._loading = False
        self._notes_dirty = self._shown_item_id in self._unsaved_notes
        self.panel.notes_state.setText("Not saved yet" if self._notes_dirty else "")

    def _on_notes_typed(self) -> None:
        if self._loading or self._shown_item_id is None:
            return
        self._notes_dirty = True
        self.panel.notes_state.setText("Editing…")
        self._notes_timer.start()

    def focus_notes(self) -> None:
        self.notes_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def save_notes(self) -> bool:
        """Save the notes being edited, if any; False when they could not be saved (kept)."""
        self._notes_timer.stop()
        item_id = self._shown_item_id
        if not self._notes_dirty or item_id is None or not self.writable():
            return not self._notes_dirty
        text = self.notes_edit.toPlainText()
        try:
            update = set_item_notes(self.store, item_id, text)
        except Exception as exc:
            self._unsaved_notes[item_id] = text
            self.panel.notes_state.setText("Not saved")
            self.report(exc)
            return False
        self._unsaved_notes.pop(item_id, None)
        self._notes_dirty = False
        self.panel.notes_state.setText("Saved")
        old = self.model.item(item_id)
        if old is not None:
            self.model.replace_item(old.with_state(update.after, update.csi_title))
        self.changed.emit()
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.notes_edit and event.type() == QEvent.Type.FocusOut:
            self.save_notes()
        return super().eventFilter(watched, event)

    # -- completing --------------------------------------------------------------------------

    def complete(self) -> bool:
        """Complete the review after a confirmation that says what is still open."""
        detail = self.detail
        if detail is None or not self.writable() or self.score is None:
            return False
        if not self.save_notes():
            return False
        tally = self.score.overall
        open_items = []
        if tally.unanswered:
            open_items.append(f"{tally.unanswered} standards are not answered")
        if tally.unrated:
            open_items.append(f"{tally.unrated} misaligned answers are not rated")
        warning = (" " + "; ".join(open_items).capitalize() + ".") if open_items else ""
        day = format_date(self._as_of(), self._locale)
        text = (
            f"Complete this review on {day} with a score of {format_pct(tally.score)}?{warning}\n\n"
            "Its answers become read-only; you can reopen it later."
        )
        if not self.confirm(self, "Complete review", text):
            return False
        try:
            state = complete_review(self.store, detail.id, self._as_of())
        except Exception as exc:
            self.report(exc)
            return False
        self._set_state(state.status, state.completed_on)
        return True

    def reopen(self) -> bool:
        detail = self.detail
        if detail is None or not detail.completed or self.store.read_only:
            return False
        try:
            state = reopen_review(self.store, detail.id)
        except Exception as exc:
            self.report(exc)
            return False
        self._set_state(state.status, state.completed_on)
        return True

    def _set_state(self, status: ReviewStatus, completed_on: dt.date | None) -> None:
        assert self.detail is not None
        self.detail = replace(self.detail, status=status, completed_on=completed_on)
        self.stack.clear()
        self._update_writable()
        self.table.setFocus()  # the button just pressed may be hidden now
        self.changed.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Save the note being typed; if it cannot be saved, closing needs a yes."""
        captured: list[str] = []
        self._captured = captured
        try:
            saved = self.save_notes()
        finally:
            self._captured = None
        if not saved:
            reason = captured[0] if captured else "It could not be saved."
            text = f"The note you typed could not be saved. {reason}\n\nClose and lose the note?"
            if not self.confirm(self, "Close without saving", text):
                event.ignore()
                return
        super().closeEvent(event)
