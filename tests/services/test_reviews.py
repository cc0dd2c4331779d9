"""Alignment reviews on a real workspace: the snapshot, answers, ratings, links, completion."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, insert, select, update

from vcio_desk.domain.alignment import score_items
from vcio_desk.domain.errors import ValidationError, WorkspaceError
from vcio_desk.domain.vocab import Answer, Priority, Rating, ReviewStatus
from vcio_desk.services.reviews import (
    ReviewClosedError,
    ReviewNotFoundError,
    answer_item,
    client_reviews,
    complete_review,
    csi_from_finding,
    csi_options,
    finding_title,
    latest_scores,
    link_csi,
    rate_item,
    reopen_review,
    restore_item,
    review_detail,
    review_score,
    set_item_notes,
    start_review,
)
from vcio_desk.store import Store, open_store
from vcio_desk.store import models as m

AS_OF = dt.date(2026, 11, 20)
YES, NO, NA = Answer.ALIGNED, Answer.MISALIGNED, Answer.NOT_APPLICABLE


def _client(store: Store, name: str, tier: str) -> int:
    with store.transaction() as s:
        tam = s.execute(
            insert(m.Staff).values(name=f"TAM of {name}", is_tam=True).returning(m.Staff.id)
        ).scalar_one()
        return s.execute(
            insert(m.Client).values(name=name, tier=tier, tam_id=tam).returning(m.Client.id)
        ).scalar_one()


def _csi(store: Store, client_id: int | None, title: str) -> int:
    with store.transaction() as s:
        return s.execute(
            insert(m.CsiItem).values(client_id=client_id, title=title).returning(m.CsiItem.id)
        ).scalar_one()


def _library(store: Store, tier: str) -> list[str]:
    """Codes of live standards for ``tier`` in library order, computed independently."""
    with store.session() as s:
        rows = s.execute(
            select(m.Standard.code, m.Standard.tiers)
            .join(m.StandardCategory)
            .join(m.StandardSection)
            .where(m.Standard.archived.is_(False))
            .order_by(m.StandardSection.position, m.StandardCategory.position, m.Standard.position)
        ).all()
    return [code for code, tiers in rows if tier in tiers]


@pytest.fixture
def acme(workspace: Store) -> int:
    return _client(workspace, "Acme Dental", "B")


@pytest.fixture
def review(workspace: Store, acme: int) -> int:
    return start_review(workspace, acme, AS_OF)


def _ids(store: Store, review_id: int) -> list[int]:
    return [item.id for item in review_detail(store, review_id).items]


# -- starting: the snapshot ---------------------------------------------------------------------


@pytest.mark.parametrize("tier", ["A", "B", "C"])
def test_snapshot_is_every_live_standard_of_the_tier_in_library_order(
    workspace: Store, tier: str
) -> None:
    client = _client(workspace, f"Client {tier}", tier)
    detail = review_detail(workspace, start_review(workspace, client, AS_OF))
    assert [i.code for i in detail.items] == _library(workspace, tier)
    assert [i.position for i in detail.items] == list(range(len(detail.items)))
    assert detail.status is ReviewStatus.IN_PROGRESS and detail.started_on == AS_OF
    assert detail.tam == f"TAM of Client {tier}"
    assert all(i.answer is None and i.rating is None for i in detail.items)
    assert detail.score.score is None and detail.score.coverage == 0.0
    assert detail.score.progress == 0.0


def test_tiers_select_different_snapshots(workspace: Store) -> None:
    a, c = _client(workspace, "A co", "A"), _client(workspace, "C co", "C")
    a_items = review_detail(workspace, start_review(workspace, a, AS_OF)).items
    c_items = review_detail(workspace, start_review(workspace, c, AS_OF)).items
    assert len(c_items) < len(a_items)
    assert {i.code for i in c_items} < {i.code for i in a_items}


def test_internal_only_standards_are_kept_and_flagged(workspace: Store) -> None:
    client = _client(workspace, "A co", "A")
    items = review_detail(workspace, start_review(workspace, client, AS_OF)).items
    with workspace.session() as s:
        internal = set(s.scalars(select(m.Standard.code).where(m.Standard.internal_only)))
    assert internal
    assert {i.code for i in items if i.internal_only} == internal


def test_archived_standards_categories_and_sections_are_left_out(
    workspace: Store, acme: int
) -> None:
    with workspace.transaction() as s:
        codes = list(s.scalars(select(m.Standard.code).order_by(m.Standard.id)))
        s.execute(update(m.Standard).where(m.Standard.code == codes[0]).values(archived=True))
        category = s.scalar(select(m.Standard.category_id).where(m.Standard.code == codes[-1]))
        s.execute(
            update(m.StandardCategory)
            .where(m.StandardCategory.id == category)
            .values(archived=True)
        )
        in_category = set(
            s.scalars(select(m.Standard.code).where(m.Standard.category_id == category))
        )
        section = s.scalars(select(m.StandardSection).order_by(m.StandardSection.position)).first()
        assert section is not None
        section.archived = True
        section_name = section.name
    items = review_detail(workspace, start_review(workspace, acme, AS_OF)).items
    shown = {i.code for i in items}
    assert codes[0] not in shown
    assert not shown & in_category
    assert section_name not in {i.section_name for i in items}
    assert items


def test_no_standard_for_the_tier_is_refused(workspace: Store, acme: int) -> None:
    with workspace.transaction() as s:
        s.execute(update(m.Standard).values(tiers=["A"]))
    with pytest.raises(ValidationError, match="No standard in the library applies to tier B"):
        start_review(workspace, acme, AS_OF)


def test_one_review_in_progress_per_client(workspace: Store, acme: int, review: int) -> None:
    with pytest.raises(ValidationError, match="already has a review in progress"):
        start_review(workspace, acme, AS_OF)
    complete_review(workspace, review, AS_OF)
    later = start_review(workspace, acme, AS_OF + dt.timedelta(days=90))
    assert [r.id for r in client_reviews(workspace, acme)] == [later, review]


def test_unknown_client_and_foreign_meeting_are_refused(workspace: Store, acme: int) -> None:
    with pytest.raises(ValidationError, match="no longer exists"):
        start_review(workspace, 9999, AS_OF)
    other = _client(workspace, "Other", "B")
    with workspace.transaction() as s:
        type_id = s.scalar(select(m.MeetingType.id))
        start = dt.datetime(2026, 11, 2, 10, tzinfo=dt.UTC)
        meeting = s.execute(
            insert(m.Meeting)
            .values(
                client_id=other,
                meeting_type_id=type_id,
                scheduled_start=start,
                scheduled_end=start + dt.timedelta(hours=1),
            )
            .returning(m.Meeting.id)
        ).scalar_one()
    with pytest.raises(ValidationError, match="is not a meeting of Acme Dental"):
        start_review(workspace, acme, AS_OF, meeting_id=meeting)
    linked = start_review(workspace, other, AS_OF, meeting_id=meeting)
    assert review_detail(workspace, linked).meeting_id == meeting


# -- answers, ratings, notes ---------------------------------------------------------------------


def test_answer_returns_the_new_score(workspace: Store, review: int) -> None:
    first, second, third = _ids(workspace, review)[:3]
    update1 = answer_item(workspace, first, YES)
    assert update1.changed and update1.before.answer is None and update1.after.answer is YES
    assert update1.score.score == 100.0
    answer_item(workspace, second, NO)
    update3 = answer_item(workspace, third, NA)
    detail = review_detail(workspace, review)
    assert update3.score == detail.score == score_items(detail.items)
    assert update3.score.overall.answered == 2
    assert update3.score.overall.not_applicable == 1
    assert review_score(workspace, review) == detail.score


def test_answer_can_be_cleared_and_is_idempotent(workspace: Store, review: int) -> None:
    item = _ids(workspace, review)[0]
    answer_item(workspace, item, YES)
    again = answer_item(workspace, item, YES)
    assert not again.changed
    cleared = answer_item(workspace, item, None)
    assert cleared.after.answer is None and cleared.score.score is None


def test_strings_are_read_as_the_vocabulary(workspace: Store, review: int) -> None:
    item = _ids(workspace, review)[0]
    answer_item(workspace, item, "misaligned")  # type: ignore[arg-type]
    assert rate_item(workspace, item, "marginal").after.rating is Rating.MARGINAL  # type: ignore[arg-type]


def test_rating_belongs_to_misaligned_answers_only(workspace: Store, review: int) -> None:
    item = _ids(workspace, review)[0]
    with pytest.raises(ValidationError, match="Only misaligned answers are rated"):
        rate_item(workspace, item, Rating.MARGINAL)
    answer_item(workspace, item, YES)
    with pytest.raises(ValidationError, match="Only misaligned answers are rated"):
        rate_item(workspace, item, Rating.VULNERABLE)
    answer_item(workspace, item, NO)
    rated = rate_item(workspace, item, Rating.MARGINAL)
    assert rated.after.rating is Rating.MARGINAL
    assert answer_item(workspace, item, NO).after.rating is Rating.MARGINAL  # kept
    moved = answer_item(workspace, item, YES)
    assert moved.after.rating is None  # cleared with the answer
    answer_item(workspace, item, NO)
    assert review_detail(workspace, review).items[0].rating is None
    rate_item(workspace, item, Rating.VULNERABLE)
    assert answer_item(workspace, item, None).after.rating is None
    assert rate_item(workspace, item, None).after.rating is None  # clearing is always fine


def test_rating_changes_the_score(workspace: Store, review: int) -> None:
    detail = review_detail(workspace, review)
    high = next(i for i in detail.items if i.priority is Priority.HIGH)
    low = next(i for i in detail.items if i.priority is Priority.LOW)
    answer_item(workspace, high.id, NO)
    answer_item(workspace, low.id, YES)
    assert review_score(workspace, review).score == pytest.approx(100 * 1 / 6)
    assert rate_item(workspace, high.id, Rating.MARGINAL).score.score == pytest.approx(
        100 * 3.5 / 6
    )
    assert rate_item(workspace, high.id, Rating.VULNERABLE).score.score == pytest.approx(
        100 * 1 / 6
    )


def test_notes_are_saved_with_or_without_an_answer(workspace: Store, review: int) -> None:
    first, second = _ids(workspace, review)[:2]
    answer_item(workspace, first, NO, notes="Two servers not in the backup job")
    set_item_notes(workspace, second, "Asked the office manager; <b>pending</b> & more")
    answer_item(workspace, first, YES)  # notes=None leaves them alone
    items = review_detail(workspace, review).items
    assert items[0].notes == "Two servers not in the backup job"
    assert items[1].notes == "Asked the office manager; <b>pending</b> & more"
    assert items[1].answer is None


def test_restore_puts_back_answer_and_rating_only(workspace: Store, review: int) -> None:
    item = _ids(workspace, review)[0]
    answer_item(workspace, item, NO)
    rated = rate_item(workspace, item, Rating.VULNERABLE)
    changed = answer_item(workspace, item, YES, notes="fixed on site")
    undone = restore_item(workspace, changed.before)
    assert (undone.after.answer, undone.after.rating) == (NO, Rating.VULNERABLE)
    assert undone.after.notes == "fixed on site"
    assert undone.score == review_score(workspace, review)
    assert restore_item(workspace, rated.before).after.rating is None


def test_unknown_item_is_reported(workspace: Store) -> None:
    with pytest.raises(ReviewNotFoundError, match="no longer exists"):
        answer_item(workspace, 424242, YES)
    with pytest.raises(ReviewNotFoundError):
        review_detail(workspace, 424242)


# -- CSI links -----------------------------------------------------------------------------------


def test_link_to_the_clients_own_csi_items_only(workspace: Store, acme: int, review: int) -> None:
    own = _csi(workspace, acme, "Replace the NAS")
    other = _csi(workspace, _client(workspace, "Other", "B"), "Other's item")
    msp = _csi(workspace, None, "MSP's own improvement")
    assert [o.title for o in csi_options(workspace, acme)] == ["Replace the NAS"]
    item = _ids(workspace, review)[0]
    answer_item(workspace, item, NO)
    linked = link_csi(workspace, item, own)
    assert linked.after.csi_item_id == own and linked.csi_title == "Replace the NAS"
    assert review_detail(workspace, review).items[0].csi_title == "Replace the NAS"
    for foreign in (other, msp):
        with pytest.raises(ValidationError, match="own client's CSI items"):
            link_csi(workspace, item, foreign)
    with pytest.raises(ValidationError, match="no longer exists"):
        link_csi(workspace, item, 999_999)
    unlinked = link_csi(workspace, item, None)
    assert unlinked.after.csi_item_id is None and unlinked.csi_title == ""


def test_deleting_the_csi_item_unlinks_the_finding(
    workspace: Store, acme: int, review: int
) -> None:
    own = _csi(workspace, acme, "Replace the NAS")
    item = _ids(workspace, review)[0]
    link_csi(workspace, item, own)
    with workspace.transaction() as s:
        s.execute(m.CsiItem.__table__.delete().where(m.CsiItem.id == own))
    assert review_detail(workspace, review).items[0].csi_item_id is None


def test_a_finding_becomes_a_linked_csi_item(workspace: Store, acme: int, review: int) -> None:
    detail = review_detail(workspace, review)
    item = detail.items[0]
    with pytest.raises(ValidationError, match="only a finding becomes a CSI item"):
        csi_from_finding(workspace, item.id, "Ada")
    answer_item(workspace, item.id, NO)
    rate_item(workspace, item.id, Rating.VULNERABLE)
    made = csi_from_finding(workspace, item.id, "Ada")
    assert made.after.csi_item_id is not None
    assert made.csi_title == finding_title(item.code, item.question)
    with workspace.session() as s:
        csi = s.get(m.CsiItem, made.after.csi_item_id)
        assert csi is not None
        assert (csi.client_id, csi.priority, csi.description) == (
            acme,
            item.priority,
            item.how_to_align,
        )
        assert "vulnerable" in csi.justification and item.why_it_matters in csi.justification
        history = s.scalars(select(m.CsiChange).where(m.CsiChange.item_id == csi.id)).all()
        assert [h.author for h in history] == ["Ada"]
        assert item.code in history[0].note
    assert [o.id for o in csi_options(workspace, acme)] == [made.after.csi_item_id]
    with pytest.raises(ValidationError, match="already linked"):
        csi_from_finding(workspace, item.id, "Ada")
    second = detail.items[1]
    answer_item(workspace, second.id, NO)
    titled = csi_from_finding(workspace, second.id, "Ada", title="  Replace the NAS  ")
    assert titled.csi_title == "Replace the NAS"


def test_finding_title_fits_the_register() -> None:
    assert finding_title("BKP-001", "Backed up?") == "BKP-001: Backed up?"
    long = finding_title("X-1", "q" * 400)
    assert len(long) == 300 and long.endswith("…")


# -- completion ----------------------------------------------------------------------------------


def test_completed_review_is_read_only_until_reopened(
    workspace: Store, acme: int, review: int
) -> None:
    item = _ids(workspace, review)[0]
    answer_item(workspace, item, NO)
    state = complete_review(workspace, review, AS_OF + dt.timedelta(days=3))
    assert state.completed and state.completed_on == AS_OF + dt.timedelta(days=3)
    csi = _csi(workspace, acme, "Fix it")
    attempts = [
        lambda: answer_item(workspace, item, YES),
        lambda: rate_item(workspace, item, Rating.MARGINAL),
        lambda: set_item_notes(workspace, item, "late note"),
        lambda: link_csi(workspace, item, csi),
        lambda: csi_from_finding(workspace, item, "Ada"),
    ]
    for attempt in attempts:
        with pytest.raises(ReviewClosedError, match="Reopen the review"):
            attempt()
    with pytest.raises(ReviewClosedError, match="already completed"):
        complete_review(workspace, review, AS_OF)
    detail = review_detail(workspace, review)
    assert detail.completed and detail.items[0].answer is NO and detail.items[0].notes == ""
    reopened = reopen_review(workspace, review)
    assert reopened.status is ReviewStatus.IN_PROGRESS and reopened.completed_on is None
    assert answer_item(workspace, item, YES).after.answer is YES


def test_cannot_complete_before_it_started(workspace: Store, review: int) -> None:
    with pytest.raises(ValidationError, match="cannot be completed on"):
        complete_review(workspace, review, AS_OF - dt.timedelta(days=1))


def test_read_only_workspace_refuses_writes(db_target) -> None:
    path = db_target("ws")
    from vcio_desk.services.seed import ensure_base_content

    with open_store(path) as store:
        ensure_base_content(store)
        client = _client(store, "Acme", "B")
        review = start_review(store, client, AS_OF)
    with open_store(path, read_only=True) as store:
        item = _ids(store, review)[0]
        for attempt in (
            lambda: start_review(store, client, AS_OF),
            lambda: answer_item(store, item, YES),
            lambda: complete_review(store, review, AS_OF),
        ):
            with pytest.raises(WorkspaceError, match="read-only"):
                attempt()
        assert client_reviews(store, client)[0].id == review


# -- the snapshot survives the library -----------------------------------------------------------


def test_library_edits_after_start_change_nothing(workspace: Store, review: int) -> None:
    ids = _ids(workspace, review)
    answer_item(workspace, ids[0], YES)
    answer_item(workspace, ids[1], NO)
    rate_item(workspace, ids[1], Rating.MARGINAL)
    answer_item(workspace, ids[2], NO)
    before = review_detail(workspace, review)
    with workspace.transaction() as s:
        s.execute(
            update(m.Standard).values(
                question="Rewritten", priority=Priority.LOW, why_it_matters="", tiers=["A"]
            )
        )
        s.execute(
            update(m.Standard).where(m.Standard.code == before.items[0].code).values(archived=True)
        )
        s.execute(update(m.StandardSection).values(name="Renamed", archived=True))
    after = review_detail(workspace, review)
    assert after == before
    assert after.score.score == before.score.score
    assert [r.score for r in client_reviews(workspace, after.client_id)] == [before.score.score]


# -- the history ---------------------------------------------------------------------------------


def test_client_reviews_newest_first_with_their_figures(workspace: Store, acme: int) -> None:
    other = _client(workspace, "Other", "B")
    start_review(workspace, other, AS_OF)  # another client's review is not listed
    old = start_review(workspace, acme, dt.date(2025, 11, 1))
    ids = _ids(workspace, old)
    for item in ids[:10]:
        answer_item(workspace, item, YES)
    answer_item(workspace, ids[10], NO)
    answer_item(workspace, ids[11], NA)
    complete_review(workspace, old, dt.date(2025, 11, 5))
    new = start_review(workspace, acme, AS_OF)
    summaries = client_reviews(workspace, acme)
    assert [s.id for s in summaries] == [new, old]
    latest, earlier = summaries
    assert latest.status is ReviewStatus.IN_PROGRESS and latest.score is None
    assert latest.progress == 0.0 and latest.day == AS_OF
    assert earlier.day == dt.date(2025, 11, 5) and earlier.findings == 1
    detail = review_detail(workspace, old)
    assert earlier.tally == detail.score.overall
    assert earlier.sections == detail.score.sections
    assert earlier.coverage == pytest.approx(100 * 11 / (len(ids) - 1))
    assert earlier.progress == pytest.approx(100 * 12 / len(ids))
    assert client_reviews(workspace, 9999) == []


def test_latest_scores_take_each_clients_latest_completed_review(
    workspace: Store, acme: int
) -> None:
    other = _client(workspace, "Other", "C")
    start_review(workspace, other, AS_OF)  # in progress only: not listed
    old = start_review(workspace, acme, dt.date(2025, 5, 1))
    answer_item(workspace, _ids(workspace, old)[0], YES)
    complete_review(workspace, old, dt.date(2025, 5, 2))
    new = start_review(workspace, acme, dt.date(2026, 5, 1))
    ids = _ids(workspace, new)
    answer_item(workspace, ids[0], YES)
    answer_item(workspace, ids[1], NO)
    rate_item(workspace, ids[1], Rating.MARGINAL)
    complete_review(workspace, new, dt.date(2026, 5, 3))
    start_review(workspace, acme, AS_OF)  # the next one, still in progress
    latest = latest_scores(workspace)
    assert set(latest) == {acme}
    day, tally = latest[acme]
    assert day == dt.date(2026, 5, 3)
    assert tally == review_detail(workspace, new).score.overall
    assert tally.score == next(r.score for r in client_reviews(workspace, acme) if r.id == new)


def test_demo_reviews_read_back(db_target) -> None:
    from vcio_desk.services.demo import build_demo

    with open_store(db_target("demo")) as store:
        build_demo(store, clients=4, years=2, seed=5, as_of=AS_OF)
        with store.session() as s:
            client_id = s.scalar(
                select(m.AlignmentReview.client_id)
                .group_by(m.AlignmentReview.client_id)
                .order_by(func.count().desc())
            )
        assert client_id is not None
        for summary in client_reviews(store, client_id):
            detail = review_detail(store, summary.id)
            assert detail.score.overall == summary.tally
            assert detail.score.score is not None
