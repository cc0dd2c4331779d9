"""Alignment score (PRODUCT.md §3.6): the formula case by case, then properties."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vcio_desk.domain.alignment import (
    AlignmentScore,
    Tally,
    credit,
    format_pct,
    score_items,
    tally_one,
)
from vcio_desk.domain.vocab import Answer, Priority, Rating

H, M, L = Priority.HIGH, Priority.MEDIUM, Priority.LOW
YES, NO, NA = Answer.ALIGNED, Answer.MISALIGNED, Answer.NOT_APPLICABLE
MARG, VULN = Rating.MARGINAL, Rating.VULNERABLE


@dataclass(frozen=True)
class Item:
    priority: Priority
    answer: Answer | None = None
    rating: Rating | None = None
    section_name: str = "Backup"


def items(*specs: tuple[Priority, Answer | None, Rating | None]) -> list[Item]:
    return [Item(p, a, r) for p, a, r in specs]


# ---- the formula, case by case ------------------------------------------------------------

CASES = [
    # (items, score, coverage, progress)
    pytest.param([], None, None, None, id="empty review: nothing to score"),
    pytest.param([(H, YES, None)], 100.0, 100.0, 100.0, id="one aligned"),
    pytest.param([(H, NO, None)], 0.0, 100.0, 100.0, id="misaligned, not yet rated, earns 0"),
    pytest.param([(H, NO, VULN)], 0.0, 100.0, 100.0, id="vulnerable earns 0"),
    pytest.param([(H, NO, MARG)], 50.0, 100.0, 100.0, id="marginal earns half"),
    pytest.param(
        [(H, YES, None), (L, NO, VULN)], 100 * 5 / 6, 100.0, 100.0, id="weights high 5, low 1"
    ),
    pytest.param([(M, YES, None), (M, NO, MARG)], 75.0, 100.0, 100.0, id="medium 3: (3 + 1.5) / 6"),
    pytest.param(
        [(L, YES, None), (H, NA, None)], 100.0, 100.0, 100.0, id="N/A excluded from score"
    ),
    pytest.param(
        [(H, YES, None), (M, None, None)], 100.0, 50.0, 50.0, id="unanswered: applicable, unscored"
    ),
    pytest.param([(H, NA, None), (L, NA, None)], None, None, 100.0, id="all N/A"),
    pytest.param([(H, None, None), (L, None, None)], None, 0.0, 0.0, id="nothing answered yet"),
    pytest.param(
        [(H, NA, None), (M, None, None)], None, 0.0, 50.0, id="N/A and unanswered: no score"
    ),
    pytest.param(
        [
            (H, YES, None),  # 5 × 1
            (H, NO, MARG),  # 5 × 0.5
            (M, NO, VULN),  # 3 × 0
            (L, YES, None),  # 1 × 1
            (L, NA, None),  # excluded
            (M, None, None),  # applicable, not answered
            (M, NO, None),  # 3 × 0 (unrated)
        ],
        100 * 8.5 / 17,
        100 * 5 / 6,
        100 * 6 / 7,
        id="mixed review",
    ),
]


@pytest.mark.parametrize(("specs", "score", "coverage", "progress"), CASES)
def test_formula(
    specs: list[tuple[Priority, Answer | None, Rating | None]],
    score: float | None,
    coverage: float | None,
    progress: float | None,
) -> None:
    result = score_items(items(*specs))
    assert result.score == pytest.approx(score) if score is not None else result.score is None
    if coverage is None:
        assert result.coverage is None
    else:
        assert result.coverage == pytest.approx(coverage)
    if progress is None:
        assert result.progress is None
    else:
        assert result.progress == pytest.approx(progress)


@pytest.mark.parametrize(
    ("answer", "rating", "expected"),
    [
        (None, None, None),
        (NA, None, None),
        (YES, None, 1.0),
        (NO, None, 0.0),
        (NO, MARG, 0.5),
        (NO, VULN, 0.0),
        ("misaligned", "marginal", 0.5),  # stored strings read the same
    ],
)
def test_credit(answer: Answer | None, rating: Rating | None, expected: float | None) -> None:
    assert credit(answer, rating) == expected


def test_counts_of_the_mixed_review() -> None:
    specs = [(H, YES, None), (H, NO, MARG), (M, NO, VULN), (L, NA, None), (M, None, None)]
    tally = score_items(items(*specs)).overall
    assert (tally.items, tally.applicable, tally.answered, tally.unanswered) == (5, 4, 3, 1)
    assert (tally.aligned, tally.misaligned, tally.marginal, tally.vulnerable) == (1, 2, 1, 1)
    assert (tally.not_applicable, tally.unrated, tally.weight, tally.earned_halves) == (
        1,
        0,
        13,
        15,
    )


def test_by_section_in_item_order() -> None:
    review = [
        Item(H, YES, section_name="Security"),
        Item(L, NO, VULN, section_name="Backup"),
        Item(M, NO, MARG, section_name="Security"),
        Item(M, NA, section_name="Network"),
    ]
    result = score_items(review)
    assert [s.name for s in result.sections] == ["Security", "Backup", "Network"]
    assert result.section("Security").score == pytest.approx(100 * 6.5 / 8)
    assert result.section("Backup").score == 0.0
    assert result.section("Network").score is None
    assert result.section("Network").coverage is None
    assert result.section("Nowhere") == Tally()


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, "—"), (0.0, "0%"), (0.2, "1%"), (49.5, "50%"), (99.7, "99%"), (100.0, "100%")],
)
def test_format_pct(value: float | None, text: str) -> None:
    assert format_pct(value) == text


# ---- properties ---------------------------------------------------------------------------

answers = st.sampled_from([None, YES, NO, NA])
ratings = st.sampled_from([None, MARG, VULN])
item_strategy = st.builds(
    Item,
    priority=st.sampled_from([H, M, L]),
    answer=answers,
    rating=ratings,
    section_name=st.sampled_from(["Backup", "Security", "Network", "Cloud"]),
)
reviews = st.lists(item_strategy, max_size=60)
WEIGHT = {H: 5, M: 3, L: 1}


def reference_score(review: list[Item]) -> float | None:
    """§3.6 written out directly, in floats."""
    total = earned = 0.0
    for item in review:
        if item.answer in (None, NA):
            continue
        total += WEIGHT[item.priority]
        if item.answer is YES:
            earned += WEIGHT[item.priority]
        elif item.rating is MARG:
            earned += WEIGHT[item.priority] * 0.5
    return None if total == 0 else 100 * earned / total


@given(reviews)
def test_score_equals_the_formula(review: list[Item]) -> None:
    ours, ref = score_items(review).score, reference_score(review)
    assert (ours is None) == (ref is None)
    if ours is not None:
        assert ours == pytest.approx(ref)
        assert 0.0 <= ours <= 100.0


@given(reviews)
def test_sections_add_up_to_the_whole(review: list[Item]) -> None:
    result = score_items(review)
    assert sum((s.tally for s in result.sections), Tally()) == result.overall
    assert len({s.name for s in result.sections}) == len(result.sections)
    assert result.overall.items == len(review)


@given(reviews)
def test_coverage_and_progress_bounds(review: list[Item]) -> None:
    tally = score_items(review).overall
    assert tally.answered + tally.unanswered + tally.not_applicable == tally.items
    for value in (tally.coverage, tally.progress):
        assert value is None or 0.0 <= value <= 100.0
    assert (tally.score is None) == (tally.answered == 0)
    assert (tally.coverage is None) == (tally.applicable == 0)


@given(reviews, st.randoms(use_true_random=False))
def test_order_does_not_matter(review: list[Item], rnd) -> None:  # type: ignore[no-untyped-def]
    shuffled = list(review)
    rnd.shuffle(shuffled)
    assert score_items(shuffled).overall == score_items(review).overall


@given(reviews, st.sampled_from([H, M, L]))
def test_not_applicable_changes_neither_score_nor_coverage(review: list[Item], p: Priority) -> None:
    before = score_items(review).overall
    after = score_items([*review, Item(p, NA)]).overall
    assert after.score == before.score
    assert after.coverage == before.coverage


@given(reviews, st.data())
def test_a_better_answer_never_lowers_the_score(review: list[Item], data: st.DataObject) -> None:
    """vulnerable/unrated → marginal → aligned is a ladder the score climbs."""
    ladder = [(NO, VULN), (NO, None), (NO, MARG), (YES, None)]
    rungs = [0, 0, 1, 2]
    step = data.draw(st.integers(0, len(ladder) - 2))
    better = data.draw(st.integers(step + 1, len(ladder) - 1))
    base = Item(data.draw(st.sampled_from([H, M, L])), *ladder[step])
    lower = score_items([*review, base]).score
    higher = score_items(
        [*review, replace(base, answer=ladder[better][0], rating=ladder[better][1])]
    )
    assert lower is not None and higher.score is not None
    if rungs[better] > rungs[step]:
        assert higher.score >= lower
    else:
        assert higher.score == pytest.approx(lower)


@given(item_strategy, ratings)
def test_rating_only_counts_on_a_misaligned_answer(item: Item, rating: Rating | None) -> None:
    if item.answer is NO:
        return
    assert tally_one(item.priority, item.answer, rating) == tally_one(
        item.priority, item.answer, item.rating
    )


def test_result_is_frozen() -> None:
    result = score_items([Item(H, YES)])
    assert isinstance(result, AlignmentScore)
    with pytest.raises(AttributeError):
        result.overall = Tally()  # type: ignore[misc]
