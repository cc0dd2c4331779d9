"""Alignment review figures: recording one answer in a 300-standard review, end to end.

On a copy of the large workspace, standards are added until one client's tier has
300 applicable ones, a review of that client is started, and answers are recorded
one after the other as the review page records them: the service call, which writes
the answer and returns the review's new score (overall and by section). The figure
is the median over many answers; a plain one-row UPDATE and commit on the same file
is measured beside it, for what the disk alone costs.
"""

from __future__ import annotations

import datetime as dt
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, insert, select, update

from vcio_desk.domain.vocab import Answer, Rating, ReviewStatus
from vcio_desk.services.reviews import answer_item, rate_item, review_detail, start_review
from vcio_desk.store import Store, open_store
from vcio_desk.store import models as m

from .harness import Figure

STANDARDS = 300
ANSWERS_PER_RUN = 60
"""Answers timed per run; every run answers items not answered in an earlier run."""
CYCLE = (Answer.ALIGNED, Answer.MISALIGNED, Answer.ALIGNED, Answer.NOT_APPLICABLE)


def _busiest_client(store: Store) -> tuple[int, str]:
    """A tier-A client (the tier with the most standards): the one with the most reviews."""
    with store.session() as session:
        row = session.execute(
            select(m.Client.id, m.Client.tier)
            .outerjoin(m.AlignmentReview, m.AlignmentReview.client_id == m.Client.id)
            .where(m.Client.tier == "A")
            .group_by(m.Client.id)
            .order_by(func.count(m.AlignmentReview.id).desc(), m.Client.id)
            .limit(1)
        ).one()
    return row.id, str(row.tier)


def _grow_library(store: Store, tier: str) -> int:
    """Add standards for ``tier`` until it has ``STANDARDS`` live ones; how many it has."""
    with store.transaction() as session:
        rows = session.execute(
            select(m.Standard.tiers).where(m.Standard.archived.is_(False))
        ).scalars()
        have = sum(1 for tiers in rows if tier in tiers)
        categories = list(session.scalars(select(m.StandardCategory.id)))
        missing = max(0, STANDARDS - have)
        priorities = ("high", "medium", "medium", "low")
        session.execute(
            insert(m.Standard),
            [
                {
                    "category_id": categories[n % len(categories)],
                    "code": f"BENCH-{n:03d}",
                    "question": f"Is benchmark control {n} in place and reviewed each quarter?",
                    "why_it_matters": "Added for the benchmark: a library of realistic size.",
                    "how_to_align": "Put the control in place and record the evidence.",
                    "priority": priorities[n % len(priorities)],
                    "tiers": [tier],
                    "position": 1000 + n,
                }
                for n in range(missing)
            ],
        )
    return have + missing


def _start(store: Store, client_id: int, as_of: dt.date) -> int:
    with store.transaction() as session:  # an open review would refuse a new one
        session.execute(
            update(m.AlignmentReview)
            .where(
                m.AlignmentReview.client_id == client_id,
                m.AlignmentReview.status == ReviewStatus.IN_PROGRESS,
            )
            .values(status=ReviewStatus.COMPLETED, completed_on=as_of)
        )
    return start_review(store, client_id, as_of)


def _through_the_window(
    store: Store, review_id: int, as_of: dt.date, items: list[int], runs: int
) -> list[float]:
    """Answers given as a person gives them: the A key in the review window's table."""
    from PySide6.QtCore import QLocale, Qt
    from PySide6.QtTest import QTest

    from vcio_desk.ui.pages.review_page import ReviewPage

    from .figures_gui import WINDOW_SIZE, application

    app = application()
    page = ReviewPage(store, review_id, lambda: as_of, QLocale(QLocale.Language.C))
    try:
        page.reload()
        page.resize(*WINDOW_SIZE)
        page.show()
        app.processEvents()
        page.table.setFocus()
        samples: list[float] = []
        todo = set(items)
        for _ in range(min(len(items), ANSWERS_PER_RUN * runs)):
            item = page.current_item()
            if item is None or item.id not in todo:  # the cursor jumps to the next unanswered
                row = page.model.row_of(min(todo))
                assert row is not None
                page.table.setCurrentIndex(page.model.index(row, 0))
                item = page.current_item()
            assert item is not None
            started = time.perf_counter()
            QTest.keyClick(page.table, Qt.Key.Key_A)
            app.processEvents()  # the repaint of what changed
            samples.append(time.perf_counter() - started)
            assert page.model.item(item.id).answer is Answer.ALIGNED  # type: ignore[union-attr]
            todo.discard(item.id)
            if not todo:
                break
        return samples
    finally:
        page.close()
        page.deleteLater()
        app.processEvents()


def review_answer(workspace: Path, as_of: dt.date, runs: int) -> list[Figure]:
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "copy.sqlite3"
        shutil.copyfile(workspace, copy)
        with open_store(copy) as store:
            client_id, tier = _busiest_client(store)
            size = _grow_library(store, tier)
            review_id = _start(store, client_id, as_of)
            items = [item.id for item in review_detail(store, review_id).items]
            assert len(items) == size >= STANDARDS, (len(items), size)

            answer_runs: list[float] = []
            rate_runs: list[float] = []
            samples: list[float] = []
            rate_samples: list[float] = []
            per_run = min(ANSWERS_PER_RUN, len(items) // (2 * max(1, runs)))  # half for the window
            for run in range(runs):
                chunk = items[run * per_run : (run + 1) * per_run]
                times: list[float] = []
                rates: list[float] = []
                for n, item_id in enumerate(chunk):
                    answer = CYCLE[n % len(CYCLE)]
                    started = time.perf_counter()
                    result = answer_item(store, item_id, answer)
                    times.append(time.perf_counter() - started)
                    assert result.score.overall.items == size
                    if answer is Answer.MISALIGNED:
                        started = time.perf_counter()
                        rate_item(store, item_id, Rating.MARGINAL)
                        rates.append(time.perf_counter() - started)
                answer_runs.append(statistics.median(times))
                rate_runs.append(statistics.median(rates))
                samples.extend(times)
                rate_samples.extend(rates)

            def plain_update() -> float:
                with store.engine.connect() as connection:
                    started = time.perf_counter()
                    with connection.begin():
                        connection.execute(
                            update(m.ReviewItem)
                            .where(m.ReviewItem.id == items[-1])
                            .values(notes=f"{time.perf_counter()}")
                        )
                    return time.perf_counter() - started

            base = [plain_update() for _ in range(max(runs, 20))]
            window = _through_the_window(store, review_id, as_of, items[runs * per_run :], runs)
    ms = 1000.0
    note = (
        f"{len(samples)} answers in a {size}-standard review; "
        f"p90 {sorted(samples)[int(len(samples) * 0.9)] * ms:.1f} ms"
    )
    return [
        Figure(
            f"record an answer, {size}-standard review (write + new score)",
            statistics.median(samples) * ms,
            "ms",
            30.0,
            [r * ms for r in answer_runs],
            note,
        ),
        Figure(
            "rate a misaligned answer (write + new score)",
            statistics.median(rate_samples) * ms,
            "ms",
            30.0,
            [r * ms for r in rate_runs],
        ),
        Figure(
            f"record an answer in the review window, {size} standards (offscreen)",
            statistics.median(window) * ms,
            "ms",
            30.0,
            [w * ms for w in window],
            "key press to repainted header: service, table row, sections, figures, undo step",
        ),
        Figure(
            "plain one-row UPDATE and commit, same file",
            statistics.median(base) * ms,
            "ms",
            None,
            [b * ms for b in base],
        ),
    ]
