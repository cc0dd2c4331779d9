"""Two people, one workspace: the second save of the same meeting, rhythm or CSI item is a
clear conflict (never a lost update), the first save stays, and a reload lets the second
person save after all.

"Two people" are two Stores opened on the same workspace: the same SQLite file in the
normal run, the same PostgreSQL database in the PostgreSQL run (the team workspace).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from vcio_desk.domain.errors import ValidationError
from vcio_desk.domain.vocab import CsiStatus, MeetingStatus
from vcio_desk.services.csi import CsiChangedElsewhereError, create_item, update_item
from vcio_desk.services.csi_views import item_detail
from vcio_desk.services.meeting_common import MeetingChangedError
from vcio_desk.services.meeting_prep import meeting_detail, save_texts
from vcio_desk.services.rhythms import (
    RhythmChangedError,
    add_version,
    create_rhythm,
    get_rhythm,
    list_rhythms,
)
from vcio_desk.store import Store, open_store
from vcio_desk.store import models as m

D = dt.date


@pytest.fixture
def two(db_target: Callable[..., str | Path]) -> Iterator[tuple[Store, Store]]:
    """Alice's and Bob's Stores on one seeded workspace holding client Acme."""
    target = db_target("team", seeded=True)
    alice = open_store(target)
    bob = open_store(target)
    try:
        with alice.transaction() as s:
            s.execute(insert(m.Client).values(name="Acme", timezone="America/New_York"))
        yield alice, bob
    finally:
        bob.close()
        alice.close()


def _acme(store: Store) -> int:
    with store.session() as s:
        return s.scalar(select(m.Client.id).where(m.Client.name == "Acme"))


# -- meetings -------------------------------------------------------------------------


@pytest.fixture
def meeting_id(two: tuple[Store, Store]) -> int:
    alice, _ = two
    with alice.transaction() as s:
        type_id = s.scalar(select(m.MeetingType.id).where(m.MeetingType.key == "vcio_meeting"))
        start = dt.datetime(2026, 12, 1, 19, 0, tzinfo=dt.UTC)
        row = m.Meeting(
            client_id=_acme(alice),
            meeting_type_id=type_id,
            scheduled_start=start,
            scheduled_end=start + dt.timedelta(hours=1),
            status=MeetingStatus.CONFIRMED,
        )
        s.add(row)
        s.flush()
        return row.id


def test_second_save_of_meeting_notes_is_a_conflict_and_reload_lets_it_save(
    two: tuple[Store, Store], meeting_id: int
) -> None:
    alice, bob = two
    seen_by_alice = meeting_detail(alice, meeting_id).head.row_version
    seen_by_bob = meeting_detail(bob, meeting_id).head.row_version
    save_texts(alice, meeting_id, seen_by_alice, client_notes="Alice: budget agreed")

    with pytest.raises(MeetingChangedError) as caught:
        save_texts(bob, meeting_id, seen_by_bob, client_notes="Bob: budget postponed")
    assert "changed elsewhere" in caught.value.user_message
    assert "reload" in caught.value.user_message
    assert meeting_detail(bob, meeting_id).client_notes == "Alice: budget agreed"

    fresh = meeting_detail(bob, meeting_id)
    assert fresh.head.row_version > seen_by_bob
    save_texts(bob, meeting_id, fresh.head.row_version, client_notes="Bob: on top of Alice")
    assert meeting_detail(alice, meeting_id).client_notes == "Bob: on top of Alice"


def test_different_texts_of_one_meeting_are_still_one_version(
    two: tuple[Store, Store], meeting_id: int
) -> None:
    """Alice's decisions and Bob's internal notes: Bob is told, not silently overwritten."""
    alice, bob = two
    version = meeting_detail(alice, meeting_id).head.row_version
    save_texts(alice, meeting_id, version, decisions="Go with plan B")
    with pytest.raises(MeetingChangedError):
        save_texts(bob, meeting_id, version, internal_notes="Chase the renewal")
    detail = meeting_detail(alice, meeting_id)
    assert (detail.decisions, detail.internal_notes) == ("Go with plan B", "")


def test_meeting_saves_in_turn_never_conflict(two: tuple[Store, Store], meeting_id: int) -> None:
    """The check is about stale reads only: each save that read the latest version passes."""
    alice, bob = two
    for turn, store in enumerate([alice, bob, alice, bob]):
        version = meeting_detail(store, meeting_id).head.row_version
        save_texts(store, meeting_id, version, client_notes=f"turn {turn}")
    assert meeting_detail(alice, meeting_id).client_notes == "turn 3"


# -- CSI items ----------------------------------------------------------------------------


def test_second_edit_of_a_csi_item_is_a_conflict_and_reload_lets_it_save(
    two: tuple[Store, Store],
) -> None:
    alice, bob = two
    item_id = create_item(alice, _acme(alice), {"title": "Replace firewall"}, "Alice")
    seen_by_alice = item_detail(alice, item_id).row.row_version
    seen_by_bob = item_detail(bob, item_id).row.row_version
    update_item(
        alice, item_id, {"status": CsiStatus.APPROVED}, "Alice", expected_version=seen_by_alice
    )

    with pytest.raises(CsiChangedElsewhereError) as caught:
        update_item(bob, item_id, {"title": "Replace both firewalls"}, "Bob",
                    expected_version=seen_by_bob)  # fmt: skip
    assert "changed elsewhere" in caught.value.user_message
    assert "Nothing was saved" in caught.value.user_message
    kept = item_detail(bob, item_id).row
    assert (kept.title, kept.status) == ("Replace firewall", CsiStatus.APPROVED)

    edit = update_item(bob, item_id, {"title": "Replace both firewalls"}, "Bob",
                       expected_version=kept.row_version)  # fmt: skip
    assert edit.row_version > kept.row_version
    final = item_detail(alice, item_id).row
    assert (final.title, final.status) == ("Replace both firewalls", CsiStatus.APPROVED)
    with alice.session() as s:
        history = s.scalar(
            select(func.count()).select_from(m.CsiChange).where(m.CsiChange.item_id == item_id)
        )
    assert history == 3, "created, Alice's edit, Bob's edit after reloading: nothing else"


# -- rhythms ------------------------------------------------------------------------------


@pytest.fixture
def rhythm_id(two: tuple[Store, Store]) -> int:
    alice, _ = two
    return create_rhythm(
        alice,
        meeting_type_key="vcio_meeting",
        rule="FREQ=MONTHLY;INTERVAL=3",
        anchor=D(2026, 1, 15),
        tolerance_days=14,
        client_id=_acme(alice),
    )


def _new_version(store: Store, rhythm_id: int, expected: int, start: dt.date, why: str) -> int:
    return add_version(
        store,
        rhythm_id,
        rule="FREQ=MONTHLY",
        anchor=start,
        tolerance_days=7,
        effective_from=start,
        reason=why,
        author=why.split(":")[0],
        expected_version=expected,
    )


def test_second_new_version_of_a_rhythm_is_a_conflict_and_reload_lets_it_save(
    two: tuple[Store, Store], rhythm_id: int
) -> None:
    alice, bob = two
    seen_by_alice = get_rhythm(alice, rhythm_id).row_version
    seen_by_bob = get_rhythm(bob, rhythm_id).row_version
    _new_version(alice, rhythm_id, seen_by_alice, D(2027, 2, 1), "Alice: monthly during the move")

    with pytest.raises(RhythmChangedError) as caught:
        _new_version(bob, rhythm_id, seen_by_bob, D(2027, 3, 1), "Bob: monthly from March")
    assert "changed elsewhere" in caught.value.user_message
    assert "Reload" in caught.value.user_message
    versions = get_rhythm(bob, rhythm_id).versions
    assert [v.reason for v in versions] == ["New rhythm", "Alice: monthly during the move"]

    fresh = get_rhythm(bob, rhythm_id)
    assert fresh.row_version > seen_by_bob
    _new_version(bob, rhythm_id, fresh.row_version, D(2027, 3, 1), "Bob: monthly from March")
    (view,) = list_rhythms(alice, client_id=_acme(alice))
    assert [v.reason for v in view.versions] == [
        "New rhythm",
        "Alice: monthly during the move",
        "Bob: monthly from March",
    ]


def test_a_conflicting_rhythm_save_writes_nothing_even_when_its_date_is_later(
    two: tuple[Store, Store], rhythm_id: int
) -> None:
    """Without the check Bob's later date would pass the history rule and stack silently."""
    alice, bob = two
    version = get_rhythm(alice, rhythm_id).row_version
    _new_version(alice, rhythm_id, version, D(2027, 2, 1), "Alice: first")
    with pytest.raises(RhythmChangedError):
        _new_version(bob, rhythm_id, version, D(2027, 6, 1), "Bob: later")
    with bob.session() as s:
        count = s.scalar(
            select(func.count())
            .select_from(m.RhythmVersion)
            .where(m.RhythmVersion.rhythm_id == rhythm_id)
        )
    assert count == 2
    assert get_rhythm(bob, rhythm_id).row_version == version + 1


def test_a_rhythm_that_is_gone_is_not_a_conflict(two: tuple[Store, Store], rhythm_id: int) -> None:
    alice, bob = two
    version = get_rhythm(bob, rhythm_id).row_version
    with alice.transaction() as s:
        s.execute(m.Rhythm.__table__.delete().where(m.Rhythm.id == rhythm_id))
    with pytest.raises(ValidationError, match="no longer exists"):
        _new_version(bob, rhythm_id, version, D(2027, 2, 1), "Bob: too late")
    with pytest.raises(ValidationError, match="no longer exists"):
        get_rhythm(bob, rhythm_id)
