"""The review window on a real workspace: keys, buttons, filters, notes, undo, completion."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import insert

from vcio_desk.domain.alignment import format_pct, score_items
from vcio_desk.domain.vocab import Answer, Priority, Rating, ReviewStatus
from vcio_desk.services.reviews import (
    answer_item,
    complete_review,
    rate_item,
    review_detail,
    start_review,
)
from vcio_desk.services.seed import ensure_base_content
from vcio_desk.store import Store, open_store
from vcio_desk.store import models as m
from vcio_desk.ui.models.review_items_model import ItemFilter, ReviewItemsModel
from vcio_desk.ui.pages.review_header import SECTION_ROLE
from vcio_desk.ui.pages.review_page import ReviewPage

AS_OF = dt.date(2026, 11, 20)
C_LOCALE = QLocale(QLocale.Language.C)


def _client(store: Store, tier: str = "C") -> int:
    with store.transaction() as s:
        return s.execute(
            insert(m.Client).values(name="Acme Dental", tier=tier).returning(m.Client.id)
        ).scalar_one()


@pytest.fixture
def review(workspace: Store) -> int:
    return start_review(workspace, _client(workspace), AS_OF)


class Recorder:
    """Stands in for the message box and the confirmation (tests never block on a modal)."""

    def __init__(self, answer: bool = True) -> None:
        self.messages: list[str] = []
        self.questions: list[str] = []
        self.answer = answer

    def notify(self, _parent: object, text: str) -> None:
        self.messages.append(text)

    def confirm(self, _parent: object, _title: str, text: str) -> bool:
        self.questions.append(text)
        return self.answer


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


def _open(qtbot, store: Store, review_id: int, recorder: Recorder) -> ReviewPage:  # type: ignore[no-untyped-def]
    page = ReviewPage(store, review_id, lambda: AS_OF, C_LOCALE)
    qtbot.addWidget(page)
    page.notify = recorder.notify
    page.confirm = recorder.confirm
    page.reload()
    page.resize(1280, 800)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page)
    page.table.setFocus()
    return page


@pytest.fixture
def page(qtbot, workspace: Store, review: int, recorder: Recorder) -> Iterator[ReviewPage]:  # type: ignore[no-untyped-def]
    yield _open(qtbot, workspace, review, recorder)


def _stored(store: Store, review_id: int, row: int) -> tuple[Answer | None, Rating | None, str]:
    item = review_detail(store, review_id).items[row]
    return item.answer, item.rating, item.notes


def _assert_header_matches_domain(page: ReviewPage, store: Store) -> None:
    detail = review_detail(store, page.review_id)
    expected = score_items(detail.items)
    assert page.header.figures["score"].text() == format_pct(expected.score)
    assert page.header.figures["coverage"].text() == format_pct(expected.coverage)
    assert page.header.figures["progress"].text() == format_pct(expected.progress)
    assert page.score == expected


def _key(qtbot, page: ReviewPage, key: Qt.Key) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(page.table, key)


# -- showing ------------------------------------------------------------------------------------


def test_opens_with_sections_items_and_no_score_yet(page: ReviewPage, workspace: Store) -> None:
    detail = review_detail(workspace, page.review_id)
    sections = {i.section_name for i in detail.items}
    assert page.sections.count() == len(sections) + 1
    assert page.sections.item(0).text().startswith("All sections")
    assert page.model.rowCount() == len(detail.items)
    assert page.header.figures["score"].text() == "—"
    assert page.header.figures["coverage"].text() == "0%"
    assert page.windowTitle() == "Review of Acme Dental — vcio_desk"
    assert page.current_item() == detail.items[0]
    assert page.panel.question_label.text() == detail.items[0].question
    assert page.panel.how_label.text() == detail.items[0].how_to_align
    assert page.filter_buttons[ItemFilter.UNANSWERED].text() == f"Unanswered ({len(detail.items)})"


def test_choosing_a_section_shows_its_items_and_figures(page: ReviewPage, workspace: Store) -> None:
    items = review_detail(workspace, page.review_id).items
    second = page.sections.item(2).data(SECTION_ROLE)
    page.sections.setCurrentRow(2)
    shown = [page.model.item_at(r) for r in range(page.model.rowCount())]
    assert shown == [i for i in items if i.section_name == second]
    assert page.header.section_label.text().startswith(f"{second}: Score —")


# -- answering with keys and buttons ------------------------------------------------------------


def test_keys_answer_and_move_to_the_next_unanswered(
    qtbot, page: ReviewPage, workspace: Store
) -> None:
    rid = page.review_id
    _key(qtbot, page, Qt.Key.Key_A)
    assert _stored(workspace, rid, 0)[0] is Answer.ALIGNED
    assert page.current_item() is not None and page.current_item().position == 1
    _key(qtbot, page, Qt.Key.Key_M)
    _key(qtbot, page, Qt.Key.Key_N)
    assert [_stored(workspace, rid, r)[0] for r in range(3)] == [
        Answer.ALIGNED,
        Answer.MISALIGNED,
        Answer.NOT_APPLICABLE,
    ]
    assert page.current_item().position == 3
    _assert_header_matches_domain(page, workspace)
    assert page.model.item_at(1).answer is Answer.MISALIGNED  # the table shows it too
    # back to the misaligned one: rate it with 1, then clear the N/A with 0 and Backspace
    page.table.setCurrentIndex(page.model.index(1, 0))
    _key(qtbot, page, Qt.Key.Key_1)
    assert _stored(workspace, rid, 1)[1] is Rating.MARGINAL
    _key(qtbot, page, Qt.Key.Key_2)
    assert _stored(workspace, rid, 1)[1] is Rating.VULNERABLE
    _assert_header_matches_domain(page, workspace)
    page.table.setCurrentIndex(page.model.index(2, 0))
    _key(qtbot, page, Qt.Key.Key_0)
    assert _stored(workspace, rid, 2)[0] is None
    page.table.setCurrentIndex(page.model.index(0, 0))
    _key(qtbot, page, Qt.Key.Key_Backspace)
    assert _stored(workspace, rid, 0)[0] is None
    assert page.current_item().position == 0, "clearing does not move on"
    _assert_header_matches_domain(page, workspace)


def test_buttons_answer_and_rate(qtbot, page: ReviewPage, workspace: Store) -> None:
    rid = page.review_id
    assert not page.panel.rating_buttons[Rating.MARGINAL].isEnabled(), "nothing to rate yet"
    qtbot.mouseClick(page.panel.answer_buttons[Answer.MISALIGNED], Qt.MouseButton.LeftButton)
    assert _stored(workspace, rid, 0)[0] is Answer.MISALIGNED
    page.table.setCurrentIndex(page.model.index(0, 0))
    assert page.panel.answer_buttons[Answer.MISALIGNED].isChecked()
    assert page.panel.rating_buttons[Rating.VULNERABLE].isEnabled()
    qtbot.mouseClick(page.panel.rating_buttons[Rating.VULNERABLE], Qt.MouseButton.LeftButton)
    assert _stored(workspace, rid, 0)[1] is Rating.VULNERABLE
    assert page.panel.rating_buttons[Rating.VULNERABLE].isChecked()
    qtbot.mouseClick(page.panel.rating_buttons[None], Qt.MouseButton.LeftButton)
    assert _stored(workspace, rid, 0)[1] is None
    qtbot.mouseClick(page.panel.answer_buttons[Answer.ALIGNED], Qt.MouseButton.LeftButton)
    assert _stored(workspace, rid, 0)[0] is Answer.ALIGNED
    page.table.setCurrentIndex(page.model.index(0, 0))
    qtbot.mouseClick(page.panel.answer_buttons[None], Qt.MouseButton.LeftButton)
    assert _stored(workspace, rid, 0)[0] is None
    _assert_header_matches_domain(page, workspace)


def test_weighted_score_shown_matches_the_domain(qtbot, page: ReviewPage, workspace: Store) -> None:
    """A high aligned, a high marginal, a low vulnerable: (5 + 2.5 + 0) / 11 = 68%."""
    items = review_detail(workspace, page.review_id).items
    high = [i for i in items if i.priority is Priority.HIGH][:2]
    low = next(i for i in items if i.priority is Priority.LOW)
    plan = [(high[0], Qt.Key.Key_A, None), (high[1], Qt.Key.Key_M, Qt.Key.Key_1)]
    plan.append((low, Qt.Key.Key_M, Qt.Key.Key_2))
    for item, answer, rating in plan:
        page.table.setCurrentIndex(page.model.index(page.model.row_of(item.id) or 0, 0))
        _key(qtbot, page, answer)
        if rating is not None:
            page.table.setCurrentIndex(page.model.index(page.model.row_of(item.id) or 0, 0))
            _key(qtbot, page, rating)
    assert page.header.figures["score"].text() == "68%"
    assert page.header.figures["findings"].text() == "2"
    _assert_header_matches_domain(page, workspace)


# -- undo and redo ------------------------------------------------------------------------------


def test_undo_and_redo_answers_and_ratings(qtbot, page: ReviewPage, workspace: Store) -> None:
    rid = page.review_id
    _key(qtbot, page, Qt.Key.Key_A)
    _key(qtbot, page, Qt.Key.Key_M)
    page.table.setCurrentIndex(page.model.index(1, 0))
    _key(qtbot, page, Qt.Key.Key_2)
    assert _stored(workspace, rid, 1)[:2] == (Answer.MISALIGNED, Rating.VULNERABLE)
    qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _stored(workspace, rid, 1)[:2] == (Answer.MISALIGNED, None)
    qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _stored(workspace, rid, 1)[:2] == (None, None)
    assert page.model.item_at(1).answer is None
    assert page.current_item().position == 1, "undo shows the item it changed"
    _assert_header_matches_domain(page, workspace)
    redo = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(page.table, Qt.Key.Key_Z, redo)
    qtbot.keyClick(page.table, Qt.Key.Key_Z, redo)
    assert _stored(workspace, rid, 1)[:2] == (Answer.MISALIGNED, Rating.VULNERABLE)
    assert _stored(workspace, rid, 0)[0] is Answer.ALIGNED
    _assert_header_matches_domain(page, workspace)
    assert page.stack.count() == 3
    undo = page.header.undo_button
    assert undo.isEnabled() and undo.text() == "Undo"
    assert undo.toolTip() == f"Undo rating vulnerable ({page.model.item_at(1).code})"
    qtbot.mouseClick(undo, Qt.MouseButton.LeftButton)
    assert _stored(workspace, rid, 1)[:2] == (Answer.MISALIGNED, None)


def test_a_failed_write_is_explained_and_not_undoable(
    qtbot, page: ReviewPage, workspace: Store, recorder: Recorder
) -> None:
    complete_review(workspace, page.review_id, AS_OF)  # elsewhere, behind the page's back
    _key(qtbot, page, Qt.Key.Key_A)
    assert recorder.messages and "completed" in recorder.messages[0]
    assert page.stack.count() == 0
    assert page.current_item().position == 0


# -- filters ------------------------------------------------------------------------------------


def test_filters_unanswered_misaligned_unrated(qtbot, page: ReviewPage, workspace: Store) -> None:
    items = review_detail(workspace, page.review_id).items
    answer_item(workspace, items[0].id, Answer.MISALIGNED)
    answer_item(workspace, items[1].id, Answer.MISALIGNED)
    rate_item(workspace, items[1].id, Rating.MARGINAL)
    answer_item(workspace, items[2].id, Answer.ALIGNED)
    page.reload()

    def shown() -> list[int]:
        return [page.model.item_at(r).id for r in range(page.model.rowCount())]

    page.filter_buttons[ItemFilter.MISALIGNED].click()
    assert shown() == [items[0].id, items[1].id]
    page.filter_buttons[ItemFilter.UNRATED].click()
    assert shown() == [items[0].id]
    assert page.filter_buttons[ItemFilter.UNRATED].text() == "Unrated (1)"
    _key(qtbot, page, Qt.Key.Key_1)  # rated: stays listed until the filter changes
    assert shown() == [items[0].id]
    page.filter_buttons[ItemFilter.UNRATED].click()
    page.filter_buttons[ItemFilter.UNANSWERED].click()
    assert shown() == [i.id for i in items[3:]]
    page.filter_buttons[ItemFilter.UNRATED].click()
    assert shown() == []
    assert page.empty_label.isVisible()


# -- notes --------------------------------------------------------------------------------------


def test_notes_are_saved_after_a_pause(qtbot, page: ReviewPage, workspace: Store) -> None:
    page.focus_notes()
    qtbot.keyClicks(page.notes_edit, "Backup job misses the SQL server")
    qtbot.waitUntil(
        lambda: _stored(workspace, page.review_id, 0)[2] == "Backup job misses the SQL server",
        timeout=3000,
    )
    assert page.panel.notes_state.text() == "Saved"


def test_notes_are_saved_on_moving_to_another_item(
    qtbot, page: ReviewPage, workspace: Store
) -> None:
    page.notes_edit.setFocus()
    qtbot.keyClicks(page.notes_edit, "Checked on site")
    page.table.setCurrentIndex(page.model.index(3, 0))  # before the debounce fires
    assert _stored(workspace, page.review_id, 0)[2] == "Checked on site"
    assert page.notes_edit.toPlainText() == ""
    page.table.setCurrentIndex(page.model.index(0, 0))
    assert page.notes_edit.toPlainText() == "Checked on site"


def test_notes_are_saved_on_close(qtbot, workspace: Store, review: int, recorder: Recorder) -> None:
    page = _open(qtbot, workspace, review, recorder)
    page.notes_edit.setFocus()
    qtbot.keyClicks(page.notes_edit, "Last words")
    page.close()
    assert _stored(workspace, review, 0)[2] == "Last words"


def test_notes_that_cannot_be_saved_are_kept(
    qtbot, page: ReviewPage, workspace: Store, recorder: Recorder
) -> None:
    page.notes_edit.setFocus()
    qtbot.keyClicks(page.notes_edit, "Precious observation")
    complete_review(workspace, page.review_id, AS_OF)  # elsewhere: the save will be refused
    assert not page.save_notes()
    assert page.panel.notes_state.text() == "Not saved"
    page.table.setCurrentIndex(page.model.index(2, 0))
    page.table.setCurrentIndex(page.model.index(0, 0))
    assert page.notes_edit.toPlainText() == "Precious observation"
    recorder.answer = False
    page.close()
    assert page.isVisible(), "closing asked first, and the answer was no"
    assert "could not be saved" in recorder.questions[-1]


def test_answering_keeps_the_note_being_typed(qtbot, page: ReviewPage, workspace: Store) -> None:
    page.notes_edit.setFocus()
    qtbot.keyClicks(page.notes_edit, "typed")
    qtbot.mouseClick(page.panel.answer_buttons[Answer.MISALIGNED], Qt.MouseButton.LeftButton)
    stored = _stored(workspace, page.review_id, 0)
    assert stored[0] is Answer.MISALIGNED and stored[2] == "typed"


# -- CSI link -----------------------------------------------------------------------------------


def test_link_a_finding_to_a_csi_item(
    qtbot, workspace: Store, review: int, recorder: Recorder
) -> None:
    client_id = review_detail(workspace, review).client_id
    with workspace.transaction() as s:
        csi = s.execute(
            insert(m.CsiItem)
            .values(client_id=client_id, title="Replace the firewall")
            .returning(m.CsiItem.id)
        ).scalar_one()
    page = _open(qtbot, workspace, review, recorder)
    assert not page.panel.csi_combo.isEnabled(), "only findings are linked"
    _key(qtbot, page, Qt.Key.Key_M)
    page.table.setCurrentIndex(page.model.index(0, 0))
    assert page.panel.csi_combo.isEnabled()
    index = page.panel.csi_combo.findData(csi)
    assert page.panel.csi_combo.itemText(index) == "Replace the firewall (proposed)"
    page.panel.csi_combo.setCurrentIndex(index)
    page.panel.csi_combo.activated.emit(index)
    item = review_detail(workspace, review).items[0]
    assert item.csi_item_id == csi
    assert page.model.item_at(0).csi_title == "Replace the firewall"


def test_new_csi_item_from_a_finding(qtbot, page: ReviewPage, workspace: Store) -> None:
    asked: list[str] = []

    def ask(_parent: object, suggested: str) -> str | None:
        asked.append(suggested)
        return "Back up Microsoft 365"

    page.ask_csi_title = ask
    assert not page.panel.new_csi_button.isEnabled(), "only a finding becomes a CSI item"
    _key(qtbot, page, Qt.Key.Key_M)
    page.table.setCurrentIndex(page.model.index(0, 0))
    first = page.current_item()
    assert first is not None and page.panel.new_csi_button.isEnabled()
    with qtbot.waitSignal(page.changed):
        qtbot.mouseClick(page.panel.new_csi_button, Qt.MouseButton.LeftButton)
    assert asked == [f"{first.code}: {first.question}"]
    stored = review_detail(workspace, page.review_id).items[0]
    assert stored.csi_title == "Back up Microsoft 365"
    assert page.model.item_at(0).csi_title == "Back up Microsoft 365"
    combo = page.panel.csi_combo
    assert combo.itemData(combo.currentIndex()) == stored.csi_item_id
    assert not page.panel.new_csi_button.isEnabled(), "linked: no second item"
    page.ask_csi_title = lambda *_: None  # cancelled: nothing is made
    _key(qtbot, page, Qt.Key.Key_M)
    assert not page.new_csi_from_current()


# -- completing ---------------------------------------------------------------------------------


def test_complete_asks_then_makes_the_review_read_only(
    qtbot, page: ReviewPage, workspace: Store, recorder: Recorder
) -> None:
    rid = page.review_id
    _key(qtbot, page, Qt.Key.Key_M)
    recorder.answer = False
    assert not page.complete()
    assert "are not answered" in recorder.questions[0]
    assert "misaligned answers are not rated" in recorder.questions[0]
    assert review_detail(workspace, rid).status is ReviewStatus.IN_PROGRESS
    recorder.answer = True
    qtbot.mouseClick(page.header.complete_button, Qt.MouseButton.LeftButton)
    detail = review_detail(workspace, rid)
    assert detail.status is ReviewStatus.COMPLETED and detail.completed_on == AS_OF
    assert not page.writable()
    assert page.header.complete_button.isHidden() and page.header.reopen_button.isVisible()
    assert not page.panel.answer_buttons[Answer.ALIGNED].isEnabled()
    assert page.notes_edit.isReadOnly()
    assert "Completed on 2026-11-20" in page.header.state_label.text()
    page.table.setCurrentIndex(page.model.index(5, 0))
    _key(qtbot, page, Qt.Key.Key_A)
    assert _stored(workspace, rid, 5)[0] is None, "keys do nothing on a completed review"
    assert recorder.messages == []
    qtbot.mouseClick(page.header.reopen_button, Qt.MouseButton.LeftButton)
    assert review_detail(workspace, rid).status is ReviewStatus.IN_PROGRESS
    _key(qtbot, page, Qt.Key.Key_A)
    assert _stored(workspace, rid, 5)[0] is Answer.ALIGNED


def test_read_only_workspace_shows_the_review_for_reading(
    qtbot, tmp_path: Path, recorder: Recorder
) -> None:
    path = tmp_path / "ro.sqlite3"
    with open_store(path) as store:
        ensure_base_content(store)
        review_id = start_review(store, _client(store), AS_OF)
    with open_store(path, read_only=True) as store:
        page = _open(qtbot, store, review_id, recorder)
        assert not page.writable()
        assert not page.header.complete_button.isEnabled()
        assert not page.panel.answer_buttons[Answer.ALIGNED].isEnabled()
        assert page.notes_edit.isReadOnly()
        assert "read-only" in page.header.state_label.text()
        _key(qtbot, page, Qt.Key.Key_A)
        assert recorder.messages == []
        page.close()
        assert review_detail(store, review_id).items[0].answer is None


def test_items_model_contract(qtmodeltester, workspace: Store, review: int) -> None:
    model = ReviewItemsModel()
    model.set_items(review_detail(workspace, review).items)
    qtmodeltester.check(model, force_py=True)
    model.set_view(None, ItemFilter.UNANSWERED)
    qtmodeltester.check(model, force_py=True)
