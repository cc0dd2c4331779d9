"""The client's Reviews tab: the list and trend, starting a review, opening one per window."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import insert, select

from vcio_desk.domain.alignment import format_pct
from vcio_desk.domain.vocab import Answer, Rating, ReviewStatus
from vcio_desk.services.demo import build_demo
from vcio_desk.services.reviews import (
    answer_item,
    client_reviews,
    complete_review,
    rate_item,
    review_detail,
    start_review,
)
from vcio_desk.services.seed import ensure_base_content
from vcio_desk.store import Store, open_store
from vcio_desk.store import models as m
from vcio_desk.ui.pages.client_tabs.reviews_tab import Column, ReviewsModel, ReviewsTab
from vcio_desk.ui.pages.review_page import ReviewPage

AS_OF = dt.date(2026, 11, 20)
C_LOCALE = QLocale(QLocale.Language.C)
OFFSCREEN_NOISE = (
    r"This plugin does not support propagateSizeHints\(\)",  # as tests/gui/conftest.py
    r"This plugin does not support raise\(\)",  # raising a review window, offscreen
)
offscreen_noise = pytest.mark.qt_log_ignore(*OFFSCREEN_NOISE)
"""On the test function itself: the closest marker wins over the folder's one."""


def _client(store: Store, tier: str = "B") -> int:
    with store.transaction() as s:
        tam = s.execute(
            insert(m.Staff).values(name="Émile Zola", is_tam=True).returning(m.Staff.id)
        ).scalar_one()
        return s.execute(
            insert(m.Client)
            .values(name="Acme Dental", tier=tier, tam_id=tam)
            .returning(m.Client.id)
        ).scalar_one()


def _tab(qtbot, store: Store, client_id: int) -> ReviewsTab:  # type: ignore[no-untyped-def]
    tab = ReviewsTab(store, client_id, lambda: AS_OF, C_LOCALE)
    qtbot.addWidget(tab)  # the test keeps the reference; qtbot closes it
    messages: list[str] = []
    tab.notify = lambda _parent, text: messages.append(text)
    tab.messages = messages  # type: ignore[attr-defined]
    tab.reload()
    tab.resize(1100, 600)
    tab.show()
    qtbot.waitExposed(tab)
    return tab


def _cell(tab: ReviewsTab, row: int, column: Column) -> str:
    return tab.model.index(row, column).data()


def test_no_reviews_yet_says_so(qtbot, workspace: Store) -> None:
    tab = _tab(qtbot, workspace, _client(workspace))
    assert tab.empty_panel.isVisible()
    assert not tab.table.isVisible()
    assert tab.start_button.isEnabled()
    assert not tab.open_button.isEnabled()
    assert tab.count_label.text() == "0 reviews"


@offscreen_noise
def test_start_creates_a_review_and_opens_it(qtbot, workspace: Store) -> None:
    client = _client(workspace)
    tab = _tab(qtbot, workspace, client)
    with qtbot.waitSignal(tab.changed):
        page = tab.start()
    assert isinstance(page, ReviewPage) and page.isWindow() and page.isVisible()
    (summary,) = client_reviews(workspace, client)
    assert summary.status is ReviewStatus.IN_PROGRESS and summary.started_on == AS_OF
    assert page.review_id == summary.id
    assert tab.review_pages == {summary.id: page}
    assert tab.open_review(summary.id) is page, "one window per review"
    assert not tab.start_button.isEnabled(), "one review in progress at a time"
    assert "still in progress" in tab.start_button.toolTip()
    assert _cell(tab, 0, Column.STATUS) == "In progress"
    assert _cell(tab, 0, Column.TAM) == "Émile Zola"
    assert _cell(tab, 0, Column.PROGRESS) == "0%"
    page.close()
    qtbot.waitUntil(lambda: not tab.review_pages)


def test_refusal_is_shown_not_raised(qtbot, workspace: Store) -> None:
    client = _client(workspace)
    tab = _tab(qtbot, workspace, client)
    start_review(workspace, client, AS_OF)  # elsewhere, after the tab loaded
    assert tab.start() is None
    assert tab.messages and "already has a review in progress" in tab.messages[0]  # type: ignore[attr-defined]


def test_list_and_trend_match_the_scores(qtbot, workspace: Store) -> None:
    client = _client(workspace)
    old = start_review(workspace, client, dt.date(2025, 5, 2))
    items = review_detail(workspace, old).items
    for item in items[:6]:
        answer_item(workspace, item.id, Answer.ALIGNED)
    answer_item(workspace, items[6].id, Answer.MISALIGNED)
    rate_item(workspace, items[6].id, Rating.MARGINAL)
    answer_item(workspace, items[7].id, Answer.MISALIGNED)
    complete_review(workspace, old, dt.date(2025, 5, 9))
    new = start_review(workspace, client, AS_OF)
    answer_item(workspace, review_detail(workspace, new).items[0].id, Answer.ALIGNED)
    tab = _tab(qtbot, workspace, client)
    summaries = client_reviews(workspace, client)
    assert tab.model.rowCount() == 2
    for row, summary in enumerate(summaries):
        assert _cell(tab, row, Column.SCORE) == format_pct(summary.score)
        assert _cell(tab, row, Column.COVERAGE) == format_pct(summary.coverage)
        assert _cell(tab, row, Column.PROGRESS) == format_pct(summary.progress)
    assert _cell(tab, 1, Column.STARTED) == "2025-05-02"
    assert _cell(tab, 1, Column.COMPLETED) == "2025-05-09"
    assert _cell(tab, 1, Column.FINDINGS) == "2 (1 unrated)"
    assert _cell(tab, 0, Column.SCORE) == "100%"
    points = tab.chart.points()
    assert [p.label for p in points] == ["May 2025", "Nov 2026*"]
    assert [p.value for p in points] == [summaries[1].score, summaries[0].score]
    assert "* in progress" in tab.chart_caption.text()
    # the by-section table follows the selected review
    tab.table.selectRow(1)
    assert tab.sections_model.rowCount() == len(summaries[1].sections)
    first = summaries[1].sections[0]
    assert tab.sections_model.index(0, 0).data() == first.name
    assert tab.sections_model.index(0, 1).data() == format_pct(first.tally.score)
    assert tab.sections_caption.text() == "By section: review of 2025-05-09"


@offscreen_noise
def test_enter_opens_the_selected_review(qtbot, workspace: Store) -> None:
    client = _client(workspace)
    review = start_review(workspace, client, AS_OF)
    tab = _tab(qtbot, workspace, client)
    tab.window().activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is tab.window())
    tab.table.setFocus()
    tab.table.setCurrentIndex(tab.model.index(0, 0))
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    assert review in tab.review_pages
    tab.review_pages[review].close()


@offscreen_noise
def test_an_answer_in_the_review_window_refreshes_the_list(qtbot, workspace: Store) -> None:
    client = _client(workspace)
    review = start_review(workspace, client, AS_OF)
    tab = _tab(qtbot, workspace, client)
    page = tab.open_review(review)
    with qtbot.waitSignal(tab.changed, timeout=3000):
        page.answer_current(Answer.ALIGNED)
    assert _cell(tab, 0, Column.SCORE) == "100%"
    with qtbot.waitSignal(tab.changed, timeout=3000):
        page.confirm = lambda *_: True
        assert page.complete()
    assert _cell(tab, 0, Column.STATUS) == "Completed"
    assert tab.start_button.isEnabled()
    page.close()


def test_read_only_workspace_cannot_start(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "ro.sqlite3"
    with open_store(path) as store:
        ensure_base_content(store)
        client = _client(store)
    with open_store(path, read_only=True) as store:
        tab = _tab(qtbot, store, client)
        assert not tab.start_button.isEnabled()
        assert "read-only" in tab.start_button.toolTip()


def test_demo_client_reviews(qtbot, tmp_path: Path) -> None:
    with open_store(tmp_path / "demo.sqlite3") as store:
        build_demo(store, clients=4, years=2, seed=5, as_of=AS_OF)
        with store.session() as s:
            client = s.scalar(select(m.AlignmentReview.client_id).order_by(m.AlignmentReview.id))
        assert client is not None
        tab = _tab(qtbot, store, client)
        assert tab.model.rowCount() == len(client_reviews(store, client)) > 0
        assert all(_cell(tab, r, Column.SCORE) != "" for r in range(tab.model.rowCount()))


def test_reviews_model_contract(qtmodeltester, workspace: Store) -> None:
    client = _client(workspace)
    start_review(workspace, client, AS_OF)
    model = ReviewsModel(locale=C_LOCALE)
    model.set_reviews(client_reviews(workspace, client))
    qtmodeltester.check(model, force_py=True)


@pytest.fixture(autouse=True)
def _close_windows(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Review windows opened by a test are closed by it; this makes sure of it."""
    yield
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, ReviewPage):
            widget.close()
