"""Answering a review item: the answer, the vCIO's rating, notes and the CSI link.

Each write is one short transaction on one item: read its state (and whether its
review is still in progress), one UPDATE, then the review's score from a lean
query of four columns. The result, an :class:`ItemUpdate`, carries the state before
and after (the GUI's undo hands ``before`` to :func:`restore_item`) and the new score,
so a page refreshes without reloading the review.

A rating only means something on a misaligned answer: rating anything else is
refused, and moving an answer away from misaligned (or clearing it) clears the rating.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from vcio_desk.domain.alignment import AlignmentScore
from vcio_desk.domain.errors import ValidationError, WorkspaceError
from vcio_desk.domain.vocab import Answer, Rating, ReviewStatus
from vcio_desk.store import Store
from vcio_desk.store import models as m

from .csi import create_item
from .review_data import ItemState, ReviewClosedError, ReviewNotFoundError, score_of, writing

__all__ = [
    "ItemUpdate",
    "answer_item",
    "csi_from_finding",
    "finding_title",
    "link_csi",
    "rate_item",
    "restore_item",
    "set_item_notes",
]


@dataclass(frozen=True, slots=True)
class ItemUpdate:
    before: ItemState
    after: ItemState
    score: AlignmentScore
    csi_title: str = ""
    """The linked CSI item's title after the write ("" when none)."""

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True, slots=True)
class _Found:
    state: ItemState
    review_id: int
    client_id: int
    code: str


Change = Callable[[_Found, Session], ItemState]


def answer_item(
    store: Store, item_id: int, answer: Answer | None, notes: str | None = None
) -> ItemUpdate:
    """Record ``answer`` (None clears it); ``notes`` replaces the notes when given."""

    answer = None if answer is None else Answer(answer)

    def change(found: _Found, _session: Session) -> ItemState:
        state = found.state
        rating = state.rating if answer is Answer.MISALIGNED else None
        return replace(
            state, answer=answer, rating=rating, notes=state.notes if notes is None else notes
        )

    return _write(store, item_id, change)


def rate_item(store: Store, item_id: int, rating: Rating | None) -> ItemUpdate:
    """The vCIO's rating of a misaligned answer (None clears it)."""
    rating = None if rating is None else Rating(rating)

    def change(found: _Found, _session: Session) -> ItemState:
        if rating is not None and found.state.answer is not Answer.MISALIGNED:
            raise ValidationError(
                f"{found.code} is not answered misaligned, so it cannot be rated {rating}. "
                "Only misaligned answers are rated."
            )
        return replace(found.state, rating=rating)

    return _write(store, item_id, change)


def set_item_notes(store: Store, item_id: int, notes: str) -> ItemUpdate:
    """Replace the item's notes (what the TAM saw, what was checked)."""
    return _write(store, item_id, lambda found, _s: replace(found.state, notes=notes))


def link_csi(store: Store, item_id: int, csi_item_id: int | None) -> ItemUpdate:
    """Link the finding to a CSI item of the same client (None removes the link)."""

    def change(found: _Found, session: Session) -> ItemState:
        if csi_item_id is not None:
            owner = session.execute(
                select(m.CsiItem.client_id).where(m.CsiItem.id == csi_item_id)
            ).one_or_none()
            if owner is None:
                raise ValidationError(f"CSI item {csi_item_id} no longer exists.")
            if owner.client_id != found.client_id:
                raise ValidationError(
                    f"CSI item {csi_item_id} belongs to another register; a finding can only "
                    "be linked to its own client's CSI items."
                )
        return replace(found.state, csi_item_id=csi_item_id)

    return _write(store, item_id, change)


def restore_item(store: Store, before: ItemState) -> ItemUpdate:
    """Put back the answer and rating of ``before`` (undo); notes and link stay as they are."""

    def change(found: _Found, _session: Session) -> ItemState:
        rating = before.rating if before.answer is Answer.MISALIGNED else None
        return replace(found.state, answer=before.answer, rating=rating)

    return _write(store, before.id, change)


TITLE_LIMIT = 300
"""A CSI item's title column is 300 characters."""


def finding_title(code: str, question: str) -> str:
    """The title a CSI item made from a finding starts with (people can change it)."""
    title = f"{code}: {question}"
    return title if len(title) <= TITLE_LIMIT else title[: TITLE_LIMIT - 1] + "…"


def csi_from_finding(
    store: Store, item_id: int, author: str, title: str | None = None
) -> ItemUpdate:
    """A new CSI item in the client's register for this finding, linked to it.

    The item takes the standard's priority, "how to align" as its description and
    "why it matters" as its justification; its owner is the review's vCIO. Only a
    misaligned answer not yet linked makes one (so a double click makes one item).
    """
    if store.read_only:
        raise WorkspaceError("The workspace is open read-only; reviews cannot be changed.")
    r, review = m.ReviewItem, m.AlignmentReview
    with store.session() as session:
        found = _find(session, item_id)
        row = session.execute(
            select(r.question, r.why_it_matters, r.how_to_align, r.priority, review.vcio_id)
            .join(review, review.id == r.review_id)
            .where(r.id == item_id)
        ).one()
    if found.state.answer is not Answer.MISALIGNED:
        raise ValidationError(
            f"{found.code} is not answered misaligned; only a finding becomes a CSI item."
        )
    if found.state.csi_item_id is not None:
        raise ValidationError(
            f"{found.code} is already linked to a CSI item; unlink it first to make a new one."
        )
    name = (title or "").strip() or finding_title(found.code, row.question)
    rating = found.state.rating.value if found.state.rating else "not rated yet"
    fields = {
        "title": name[:TITLE_LIMIT],
        "description": row.how_to_align or "",
        "justification": f"Alignment review finding {found.code} ({rating}). "
        + (row.why_it_matters or ""),
        "priority": row.priority,
        "owner_id": row.vcio_id,
    }
    csi_id = create_item(
        store, found.client_id, fields, author, f"From alignment review finding {found.code}"
    )
    return link_csi(store, item_id, csi_id)


def _write(store: Store, item_id: int, change: Change) -> ItemUpdate:
    with writing(store) as session:
        found = _find(session, item_id)
        after = change(found, session)
        if after != found.state:
            session.execute(
                update(m.ReviewItem)
                .where(m.ReviewItem.id == item_id)
                .values(
                    answer=after.answer,
                    rating=after.rating,
                    notes=after.notes,
                    csi_item_id=after.csi_item_id,
                )
            )
        score = score_of(session, found.review_id)
        title = ""
        if after.csi_item_id is not None:
            title = (
                session.scalar(select(m.CsiItem.title).where(m.CsiItem.id == after.csi_item_id))
                or ""
            )
    return ItemUpdate(found.state, after, score, title)


def _find(session: Session, item_id: int) -> _Found:
    r, review = m.ReviewItem, m.AlignmentReview
    row = session.execute(
        select(
            r.id,
            r.answer,
            r.rating,
            r.notes,
            r.csi_item_id,
            r.code,
            r.review_id,
            review.client_id,
            review.status,
            review.completed_on,
        )
        .join(review, review.id == r.review_id)
        .where(r.id == item_id)
    ).one_or_none()
    if row is None:
        raise ReviewNotFoundError(
            f"Review item {item_id} no longer exists; reload the review to see its items."
        )
    if row.status == ReviewStatus.COMPLETED:
        raise ReviewClosedError(
            f"This review was completed on {row.completed_on}, so its answers are final. "
            "Reopen the review to change them."
        )
    state = ItemState(row.id, row.answer, row.rating, row.notes or "", row.csi_item_id)
    return _Found(state, row.review_id, row.client_id, row.code)
