"""Technology Alignment reviews: start one (a snapshot of the library), read, complete, reopen.

A review copies every standard that applies to the client's tier when it starts
(question, guidance, priority, section and category names), so later edits or
archiving in the library never change its questions or its score (PRODUCT.md §3.6).
Internal-only standards are reviewed too; their items carry ``internal_only`` so the
client edition of a pack can leave them out. Answers, ratings, notes and CSI links
are written by :mod:`.review_answers`; scores come from :mod:`vcio_desk.domain.alignment`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session, aliased

from vcio_desk.domain.alignment import AlignmentScore, Group, Tally, score_groups, score_items
from vcio_desk.domain.errors import ValidationError
from vcio_desk.domain.vocab import CsiStatus, ReviewStatus
from vcio_desk.store import Store
from vcio_desk.store import models as m

from .review_answers import (
    ItemUpdate,
    answer_item,
    csi_from_finding,
    finding_title,
    link_csi,
    rate_item,
    restore_item,
    set_item_notes,
)
from .review_data import (
    CsiOption,
    ItemState,
    ReviewClosedError,
    ReviewDetail,
    ReviewItemView,
    ReviewNotFoundError,
    ReviewState,
    ReviewSummary,
    score_of,
    writing,
)

__all__ = [
    "CsiOption",
    "ItemState",
    "ItemUpdate",
    "ReviewClosedError",
    "ReviewDetail",
    "ReviewItemView",
    "ReviewNotFoundError",
    "ReviewState",
    "ReviewSummary",
    "answer_item",
    "client_reviews",
    "complete_review",
    "csi_from_finding",
    "csi_options",
    "finding_title",
    "latest_scores",
    "link_csi",
    "rate_item",
    "reopen_review",
    "restore_item",
    "review_detail",
    "review_score",
    "set_item_notes",
    "start_review",
]


# -- writes ------------------------------------------------------------------------------------


def start_review(
    store: Store,
    client_id: int,
    as_of: dt.date,
    *,
    tam_id: int | None = None,
    vcio_id: int | None = None,
    meeting_id: int | None = None,
) -> int:
    """Start a review of ``client_id`` on ``as_of``; its id.

    Every non-archived standard (in a non-archived section and category) whose tiers
    include the client's is copied in library order. The TAM and vCIO default to the
    client's. Refused while another review of the client is in progress, so one client
    never has two half-done reviews.
    """
    with writing(store) as session:
        client = session.execute(
            select(m.Client.name, m.Client.tier, m.Client.tam_id, m.Client.vcio_id).where(
                m.Client.id == client_id
            )
        ).one_or_none()
        if client is None:
            raise ValidationError(f"Client {client_id} no longer exists in this workspace.")
        open_review = session.scalar(
            select(m.AlignmentReview.started_on).where(
                m.AlignmentReview.client_id == client_id,
                m.AlignmentReview.status == ReviewStatus.IN_PROGRESS,
            )
        )
        if open_review is not None:
            raise ValidationError(
                f"{client.name} already has a review in progress (started {open_review}). "
                "Complete it before starting another."
            )
        if meeting_id is not None:
            owner = session.scalar(select(m.Meeting.client_id).where(m.Meeting.id == meeting_id))
            if owner != client_id:
                raise ValidationError(f"Meeting {meeting_id} is not a meeting of {client.name}.")
        standards = _applicable_standards(session, str(client.tier))
        if not standards:
            raise ValidationError(
                f"No standard in the library applies to tier {client.tier}; add standards "
                "for it (or give the existing ones that tier) before starting a review."
            )
        review_id = session.execute(
            insert(m.AlignmentReview)
            .values(
                client_id=client_id,
                meeting_id=meeting_id,
                tam_id=tam_id if tam_id is not None else client.tam_id,
                vcio_id=vcio_id if vcio_id is not None else client.vcio_id,
                started_on=as_of,
                status=ReviewStatus.IN_PROGRESS,
            )
            .returning(m.AlignmentReview.id)
        ).scalar_one()
        session.execute(
            insert(m.ReviewItem),
            [
                {**row, "review_id": review_id, "position": position}
                for position, row in enumerate(standards)
            ],
        )
    return review_id


def complete_review(store: Store, review_id: int, as_of: dt.date) -> ReviewState:
    """Mark the review completed on ``as_of``; its answers are then read-only."""
    with writing(store) as session:
        state = _state(session, review_id)
        if state.completed:
            raise ReviewClosedError(f"This review was already completed on {state.completed_on}.")
        if as_of < state.started_on:
            raise ValidationError(
                f"A review started on {state.started_on} cannot be completed on {as_of}."
            )
        session.execute(
            update(m.AlignmentReview)
            .where(m.AlignmentReview.id == review_id)
            .values(status=ReviewStatus.COMPLETED, completed_on=as_of)
        )
    return replace(state, status=ReviewStatus.COMPLETED, completed_on=as_of)


def reopen_review(store: Store, review_id: int) -> ReviewState:
    """Put a completed review back in progress (to correct an answer)."""
    with writing(store) as session:
        state = _state(session, review_id)
        if not state.completed:
            return state
        session.execute(
            update(m.AlignmentReview)
            .where(m.AlignmentReview.id == review_id)
            .values(status=ReviewStatus.IN_PROGRESS, completed_on=None)
        )
    return replace(state, status=ReviewStatus.IN_PROGRESS, completed_on=None)


# -- reads -------------------------------------------------------------------------------------


def review_detail(store: Store, review_id: int) -> ReviewDetail:
    """The review with every item (in snapshot order) and its score."""
    tam, vcio = aliased(m.Staff), aliased(m.Staff)
    head_query = (
        select(
            m.AlignmentReview.id,
            m.AlignmentReview.client_id,
            m.Client.name.label("client_name"),
            m.AlignmentReview.status,
            m.AlignmentReview.started_on,
            m.AlignmentReview.completed_on,
            tam.name.label("tam"),
            vcio.name.label("vcio"),
            m.AlignmentReview.meeting_id,
        )
        .join(m.Client, m.Client.id == m.AlignmentReview.client_id)
        .outerjoin(tam, tam.id == m.AlignmentReview.tam_id)
        .outerjoin(vcio, vcio.id == m.AlignmentReview.vcio_id)
        .where(m.AlignmentReview.id == review_id)
    )
    r = m.ReviewItem
    items_query = (
        select(
            r.id,
            r.position,
            r.code,
            r.section_name,
            r.category_name,
            r.question,
            r.why_it_matters,
            r.how_to_align,
            r.priority,
            r.internal_only,
            r.answer,
            r.rating,
            r.notes,
            r.csi_item_id,
            m.CsiItem.title.label("csi_title"),
        )
        .outerjoin(m.CsiItem, m.CsiItem.id == r.csi_item_id)
        .where(r.review_id == review_id)
        .order_by(r.position, r.id)
    )
    with store.session() as session:
        head = session.execute(head_query).one_or_none()
        if head is None:
            raise ReviewNotFoundError(f"Review {review_id} no longer exists in this workspace.")
        rows = session.execute(items_query).all()
    items = tuple(
        ReviewItemView(
            **{**row._asdict(), "notes": row.notes or "", "csi_title": row.csi_title or ""}
        )
        for row in rows
    )
    return ReviewDetail(
        id=head.id,
        client_id=head.client_id,
        client_name=head.client_name,
        status=ReviewStatus(head.status),
        started_on=head.started_on,
        completed_on=head.completed_on,
        tam=head.tam or "",
        vcio=head.vcio or "",
        meeting_id=head.meeting_id,
        items=items,
        score=score_items(items),
    )


def client_reviews(store: Store, client_id: int) -> list[ReviewSummary]:
    """The client's reviews, newest first, each with its tally (two queries in all)."""
    tam = aliased(m.Staff)
    reviews_query = (
        select(
            m.AlignmentReview.id,
            m.AlignmentReview.status,
            m.AlignmentReview.started_on,
            m.AlignmentReview.completed_on,
            tam.name.label("tam"),
        )
        .outerjoin(tam, tam.id == m.AlignmentReview.tam_id)
        .where(m.AlignmentReview.client_id == client_id)
        .order_by(m.AlignmentReview.started_on.desc(), m.AlignmentReview.id.desc())
    )
    r = m.ReviewItem
    counts_query = (
        select(r.review_id, r.section_name, r.priority, r.answer, r.rating, func.count())
        .join(m.AlignmentReview, m.AlignmentReview.id == r.review_id)
        .where(m.AlignmentReview.client_id == client_id)
        .group_by(r.review_id, r.section_name, r.priority, r.answer, r.rating)
        .order_by(r.review_id, func.min(r.position), func.min(r.id))
    )
    with store.session() as session:
        heads = session.execute(reviews_query).all()
        grouped: dict[int, list[Group]] = {}
        for review_id, *group in session.execute(counts_query):
            grouped.setdefault(review_id, []).append(tuple(group))  # type: ignore[arg-type]
    summaries = []
    for h in heads:
        score = score_groups(grouped.get(h.id, []))
        summaries.append(
            ReviewSummary(
                id=h.id,
                status=ReviewStatus(h.status),
                started_on=h.started_on,
                completed_on=h.completed_on,
                tam=h.tam or "",
                tally=score.overall,
                sections=score.sections,
            )
        )
    return summaries


def latest_scores(store: Store) -> dict[int, tuple[dt.date, Tally]]:
    """Each client's latest completed review: its completion date and tally, by client id.

    For lists (the Clients page, an overview): one query for the latest review ids, one
    GROUP BY over their items. Clients without a completed review are absent.
    """
    review = m.AlignmentReview
    ranked = (
        select(
            review.id,
            review.client_id,
            review.completed_on,
            func.row_number()
            .over(
                partition_by=review.client_id,
                order_by=(review.completed_on.desc(), review.id.desc()),
            )
            .label("rank"),
        )
        .where(review.status == ReviewStatus.COMPLETED)
        .subquery()
    )
    latest = select(ranked.c.id, ranked.c.client_id, ranked.c.completed_on).where(
        ranked.c.rank == 1
    )
    r = m.ReviewItem
    with store.session() as session:
        heads = {row.id: (row.client_id, row.completed_on) for row in session.execute(latest)}
        counts = session.execute(  # no sections: a few rows per review, not dozens
            select(r.review_id, r.priority, r.answer, r.rating, func.count())
            .where(r.review_id.in_(list(heads)))
            .group_by(r.review_id, r.priority, r.answer, r.rating)
        ).all()
    grouped: dict[int, list[Group]] = {}
    for review_id, priority, answer, rating, n in counts:
        grouped.setdefault(review_id, []).append(("", priority, answer, rating, n))
    return {
        client_id: (day, score_groups(grouped.get(review_id, [])).overall)
        for review_id, (client_id, day) in heads.items()
    }


def review_score(store: Store, review_id: int) -> AlignmentScore:
    """The review's score read afresh (one lean query)."""
    with store.session() as session:
        return score_of(session, review_id)


def csi_options(store: Store, client_id: int) -> list[CsiOption]:
    """The client's CSI items a finding can be linked to, in register order."""
    query = (
        select(m.CsiItem.id, m.CsiItem.title, m.CsiItem.status)
        .where(m.CsiItem.client_id == client_id)
        .order_by(m.CsiItem.rank, m.CsiItem.id)
    )
    with store.session() as session:
        return [
            CsiOption(row.id, row.title, CsiStatus(row.status)) for row in session.execute(query)
        ]


def _state(session: Session, review_id: int) -> ReviewState:
    row = session.execute(
        select(
            m.AlignmentReview.id,
            m.AlignmentReview.status,
            m.AlignmentReview.started_on,
            m.AlignmentReview.completed_on,
        ).where(m.AlignmentReview.id == review_id)
    ).one_or_none()
    if row is None:
        raise ReviewNotFoundError(f"Review {review_id} no longer exists in this workspace.")
    return ReviewState(row.id, ReviewStatus(row.status), row.started_on, row.completed_on)


def _applicable_standards(session: Session, tier: str) -> list[dict[str, object]]:
    """The snapshot columns of every live standard for ``tier``, in library order."""
    s, c, sec = m.Standard, m.StandardCategory, m.StandardSection
    rows = session.execute(
        select(
            s.id.label("standard_id"),
            s.code,
            sec.name.label("section_name"),
            c.name.label("category_name"),
            s.question,
            s.why_it_matters,
            s.how_to_align,
            s.priority,
            s.internal_only,
            s.tiers,
        )
        .join(c, c.id == s.category_id)
        .join(sec, sec.id == c.section_id)
        .where(s.archived.is_(False), c.archived.is_(False), sec.archived.is_(False))
        .order_by(sec.position, sec.id, c.position, c.id, s.position, s.id)
    ).all()
    snapshot = [row._asdict() for row in rows if tier in (row.tiers or [])]
    for row in snapshot:
        del row["tiers"]
    return snapshot
