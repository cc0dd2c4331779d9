"""A pack's alignment figures and findings, from the review services.

The review a pack speaks for is the client's latest completed one; without any, the
review in progress (so a first review's findings can be discussed before it is closed).
Findings are that review's misaligned items in review order (grouped by section as
the review lists them), internal-only ones included: the renderer leaves those out of
the client edition. The trend is every completed review, oldest first.
"""

from __future__ import annotations

from collections.abc import Sequence

from vcio_desk.domain.vocab import Answer
from vcio_desk.reports.pack_data import FindingLine, ReviewFigures, ScorePoint, SectionScore
from vcio_desk.store import Store

from .review_data import ReviewItemView, ReviewSummary
from .reviews import client_reviews, review_detail


def chosen_review(reviews: Sequence[ReviewSummary]) -> ReviewSummary | None:
    """The latest completed review (``reviews`` newest first), else the one in progress."""
    completed = [r for r in reviews if r.completed_on is not None]
    if completed:
        return max(completed, key=lambda r: (r.completed_on, r.id))
    return next(iter(reviews), None)


def review_parts(
    store: Store, client_id: int
) -> tuple[ReviewFigures | None, tuple[FindingLine, ...]]:
    """The figures of the chosen review with the trend, and its findings."""
    reviews = client_reviews(store, client_id)
    chosen = chosen_review(reviews)
    if chosen is None:
        return None, ()
    detail = review_detail(store, chosen.id)
    completed = sorted(
        (r for r in reviews if r.completed_on is not None),
        key=lambda r: (r.completed_on, r.id),
    )
    figures = ReviewFigures(
        started_on=detail.started_on,
        completed_on=detail.completed_on,
        tam=detail.tam,
        score=detail.score.score,
        coverage=detail.score.coverage,
        progress=detail.score.progress,
        sections=tuple(
            SectionScore(
                section=s.name,
                score=s.tally.score,
                coverage=s.tally.coverage,
                findings=s.tally.misaligned,
            )
            for s in detail.score.sections
        ),
        trend=tuple(ScorePoint(r.completed_on or r.started_on, r.score) for r in completed),
    )
    return figures, tuple(finding(item) for item in detail.items if is_finding(item))


def is_finding(item: ReviewItemView) -> bool:
    return item.answer is not None and Answer(item.answer) is Answer.MISALIGNED


def finding(item: ReviewItemView) -> FindingLine:
    return FindingLine(
        code=item.code,
        section=item.section_name,
        category=item.category_name,
        question=item.question,
        priority=str(item.priority),  # StrEnum or its text: "high"
        rating=None if item.rating is None else str(item.rating),
        why_it_matters=item.why_it_matters,
        how_to_align=item.how_to_align,
        notes=item.notes,
        recommendation=item.csi_title,
        internal_only=bool(item.internal_only),
    )
