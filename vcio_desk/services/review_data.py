"""What reviews are made of, shared by :mod:`.reviews` and :mod:`.review_answers`.

Frozen dataclasses the GUI adapts, the review errors, and two helpers: ``writing``
(one transaction, read-only workspaces and busy disks said plainly) and ``score_of``
(a review's score from a lean query of four columns).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from vcio_desk.domain.alignment import AlignmentScore, SectionScore, Tally, score_groups
from vcio_desk.domain.errors import ValidationError, WorkspaceError
from vcio_desk.domain.vocab import Answer, CsiStatus, Priority, Rating, ReviewStatus
from vcio_desk.store import Store
from vcio_desk.store import models as m


class ReviewNotFoundError(ValidationError):
    """The review (or one of its items) is gone: deleted with its client, or never existed."""


class ReviewClosedError(ValidationError):
    """The review is completed, so its answers are final until it is reopened."""


@dataclass(frozen=True, slots=True)
class ItemState:
    """What people change on an item; enough to undo a change exactly."""

    id: int
    answer: Answer | None
    rating: Rating | None
    notes: str
    csi_item_id: int | None


@dataclass(frozen=True, slots=True)
class ReviewItemView:
    """One snapshot standard with its answer: what the review page shows and scores."""

    id: int
    position: int
    code: str
    section_name: str
    category_name: str
    question: str
    why_it_matters: str
    how_to_align: str
    priority: Priority
    internal_only: bool
    answer: Answer | None
    rating: Rating | None
    notes: str
    csi_item_id: int | None
    csi_title: str = ""

    @property
    def state(self) -> ItemState:
        return ItemState(self.id, self.answer, self.rating, self.notes, self.csi_item_id)

    def with_state(self, state: ItemState, csi_title: str | None = None) -> ReviewItemView:
        """This item after a write (``csi_title`` is kept unless a new one is given)."""
        title = self.csi_title if csi_title is None else csi_title
        if state.csi_item_id is None:
            title = ""
        return replace(
            self,
            answer=state.answer,
            rating=state.rating,
            notes=state.notes,
            csi_item_id=state.csi_item_id,
            csi_title=title,
        )


@dataclass(frozen=True, slots=True)
class ReviewState:
    id: int
    status: ReviewStatus
    started_on: dt.date
    completed_on: dt.date | None

    @property
    def completed(self) -> bool:
        return self.status is ReviewStatus.COMPLETED


@dataclass(frozen=True, slots=True)
class ReviewDetail:
    id: int
    client_id: int
    client_name: str
    status: ReviewStatus
    started_on: dt.date
    completed_on: dt.date | None
    tam: str
    vcio: str
    meeting_id: int | None
    items: tuple[ReviewItemView, ...]
    score: AlignmentScore

    @property
    def completed(self) -> bool:
        return self.status is ReviewStatus.COMPLETED

    @property
    def state(self) -> ReviewState:
        return ReviewState(self.id, self.status, self.started_on, self.completed_on)


@dataclass(frozen=True, slots=True)
class ReviewSummary:
    """One line of a client's review history (and one point of its score trend)."""

    id: int
    status: ReviewStatus
    started_on: dt.date
    completed_on: dt.date | None
    tam: str
    tally: Tally
    sections: tuple[SectionScore, ...] = ()
    """The tally of each section, in the review's order."""

    @property
    def day(self) -> dt.date:
        """The date the review stands for: completed on, else started on."""
        return self.completed_on or self.started_on

    @property
    def score(self) -> float | None:
        return self.tally.score

    @property
    def coverage(self) -> float | None:
        return self.tally.coverage

    @property
    def progress(self) -> float | None:
        return self.tally.progress

    @property
    def findings(self) -> int:
        """Misaligned answers."""
        return self.tally.misaligned


@dataclass(frozen=True, slots=True)
class CsiOption:
    """A CSI item a finding can be linked to."""

    id: int
    title: str
    status: CsiStatus


@contextlib.contextmanager
def writing(store: Store) -> Iterator[Session]:
    """One transaction for a review write; a read-only workspace is said plainly (storage
    failures come from ``Store.transaction`` as one clear sentence)."""
    if store.read_only:
        raise WorkspaceError("The workspace is open read-only; reviews cannot be changed.")
    with store.transaction() as session:
        yield session


def score_of(session: Session, review_id: int) -> AlignmentScore:
    """The review's score from one GROUP BY: a few dozen rows, whatever the review's size."""
    r = m.ReviewItem
    rows = session.execute(
        select(r.section_name, r.priority, r.answer, r.rating, func.count())
        .where(r.review_id == review_id)
        .group_by(r.section_name, r.priority, r.answer, r.rating)
        .order_by(func.min(r.position), func.min(r.id))
    ).all()
    return score_groups(tuple(row) for row in rows)
