"""The alignment score of one review (PRODUCT.md §3.6), overall and by section.

Words used here, precisely:

- An *item* is one standard in the review's snapshot.
- An item is *applicable* unless it was answered not applicable (N/A). An item with no
  answer yet is applicable: nobody has said it does not apply.
- An item is *answered* when it is applicable and answered aligned or misaligned.
- **Score** = 100 × Σ weight × credit / Σ weight over the answered items, with weight
  high 5, medium 3, low 1 and credit aligned 1, misaligned rated marginal 0.5,
  misaligned rated vulnerable or not rated yet 0. None when no item is answered.
- **Coverage** = answered / applicable, as a percentage. None when nothing is applicable
  (an empty review, or every item N/A).
- **Progress** = items with any answer (N/A included) / all items, as a percentage: how
  far the TAM has got. None for an empty review.

Sums are kept as integers (credit in halves), so the score is exact and the section
tallies add up to the overall tally exactly. Pure: no I/O, only frozen dataclasses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from .vocab import Answer, Priority, Rating

WEIGHTS: dict[Priority, int] = {Priority.HIGH: 5, Priority.MEDIUM: 3, Priority.LOW: 1}
HALF_CREDITS: dict[Rating | None, int] = {None: 0, Rating.MARGINAL: 1, Rating.VULNERABLE: 0}
"""Credit of a misaligned answer in halves (marginal earns half, vulnerable and unrated none)."""


class Scorable(Protocol):
    """What the score needs of an item; review item views and plain tuples-as-objects fit."""

    @property
    def section_name(self) -> str: ...
    @property
    def priority(self) -> Priority | str: ...
    @property
    def answer(self) -> Answer | str | None: ...
    @property
    def rating(self) -> Rating | str | None: ...


def weight(priority: Priority | str) -> int:
    return WEIGHTS[Priority(priority)]


def credit(answer: Answer | str | None, rating: Rating | str | None) -> float | None:
    """An item's credit, or None when it does not count (no answer yet, or N/A)."""
    if answer is None or Answer(answer) is Answer.NOT_APPLICABLE:
        return None
    if Answer(answer) is Answer.ALIGNED:
        return 1.0
    return HALF_CREDITS[None if rating is None else Rating(rating)] / 2


@dataclass(frozen=True, slots=True)
class Tally:
    """Counts and weighted sums over a set of items; every figure derives from these."""

    items: int = 0
    not_applicable: int = 0
    aligned: int = 0
    marginal: int = 0
    vulnerable: int = 0
    unrated: int = 0
    """Misaligned answers with no rating yet (they earn nothing until rated)."""
    weight: int = 0
    """Σ weight over the answered items."""
    earned_halves: int = 0
    """Σ weight × credit × 2 over the answered items (integer, so exact)."""

    @property
    def misaligned(self) -> int:
        return self.marginal + self.vulnerable + self.unrated

    @property
    def answered(self) -> int:
        """Applicable items answered aligned or misaligned."""
        return self.aligned + self.misaligned

    @property
    def applicable(self) -> int:
        """Every item not answered N/A (unanswered ones included)."""
        return self.items - self.not_applicable

    @property
    def unanswered(self) -> int:
        return self.applicable - self.answered

    @property
    def score(self) -> float | None:
        """0–100, or None when no applicable item is answered."""
        if self.weight == 0:
            return None
        return 100 * self.earned_halves / (2 * self.weight)

    @property
    def coverage(self) -> float | None:
        """Answered / applicable in percent, or None when nothing is applicable."""
        if self.applicable == 0:
            return None
        return 100 * self.answered / self.applicable

    @property
    def progress(self) -> float | None:
        """Items with any answer (N/A too) / all items in percent; None for no items."""
        if self.items == 0:
            return None
        return 100 * (self.answered + self.not_applicable) / self.items

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.items + other.items,
            self.not_applicable + other.not_applicable,
            self.aligned + other.aligned,
            self.marginal + other.marginal,
            self.vulnerable + other.vulnerable,
            self.unrated + other.unrated,
            self.weight + other.weight,
            self.earned_halves + other.earned_halves,
        )


def tally_one(
    priority: Priority | str,
    answer: Answer | str | None,
    rating: Rating | str | None,
    count: int = 1,
) -> Tally:
    """The tally of ``count`` items with the same priority, answer and rating."""
    if answer is None:
        return Tally(items=count)
    kind = Answer(answer)
    if kind is Answer.NOT_APPLICABLE:
        return Tally(items=count, not_applicable=count)
    w = weight(priority) * count
    if kind is Answer.ALIGNED:
        return Tally(items=count, aligned=count, weight=w, earned_halves=2 * w)
    grade = None if rating is None else Rating(rating)
    return Tally(
        items=count,
        marginal=count if grade is Rating.MARGINAL else 0,
        vulnerable=count if grade is Rating.VULNERABLE else 0,
        unrated=count if grade is None else 0,
        weight=w,
        earned_halves=HALF_CREDITS[grade] * w,
    )


@dataclass(frozen=True, slots=True)
class SectionScore:
    name: str
    tally: Tally


@dataclass(frozen=True, slots=True)
class AlignmentScore:
    """A review's tally overall and per section (sections in the order items list them)."""

    overall: Tally
    sections: tuple[SectionScore, ...]

    @property
    def score(self) -> float | None:
        return self.overall.score

    @property
    def coverage(self) -> float | None:
        return self.overall.coverage

    @property
    def progress(self) -> float | None:
        return self.overall.progress

    def section(self, name: str) -> Tally:
        """The tally of section ``name`` (an empty tally if the review has no such section)."""
        for section in self.sections:
            if section.name == name:
                return section.tally
        return Tally()


Group = tuple[str, Priority | str, Answer | str | None, Rating | str | None, int]
"""(section name, priority, answer, rating, how many items): a GROUP BY row."""


def score_items(items: Iterable[Scorable]) -> AlignmentScore:
    """Score ``items`` (a review's snapshot with its answers), overall and by section."""
    counts: dict[tuple[str, object, object, object], int] = {}
    for item in items:
        key = (item.section_name, item.priority, item.answer, item.rating)
        counts[key] = counts.get(key, 0) + 1
    return score_groups((*key, n) for key, n in counts.items())  # type: ignore[misc]


def score_groups(groups: Iterable[Group]) -> AlignmentScore:
    """Score items given as counts per section, priority, answer and rating.

    Sections come out in the order they first appear, so groups sorted by their
    first item's position give the review's section order.
    """
    by_section: dict[str, Tally] = {}
    for section, priority, answer, rating, count in groups:
        one = tally_one(priority, answer, rating, count)
        by_section[section] = by_section[section] + one if section in by_section else one
    overall = sum(by_section.values(), Tally())
    return AlignmentScore(
        overall, tuple(SectionScore(name, tally) for name, tally in by_section.items())
    )


def format_pct(value: float | None, none: str = "—") -> str:
    """A percentage for people: "87%", rounded half up, but "100%" and "0%" only when exact.

    A review with one vulnerable finding in 300 items must not read as fully aligned.
    """
    if value is None:
        return none
    shown = int(value + 0.5)
    if shown == 100 and value < 100:
        shown = 99
    elif shown == 0 and value > 0:
        shown = 1
    return f"{shown}%"
