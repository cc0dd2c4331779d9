"""Rhythm service: validation at save, versions that never rewrite history, tier templates."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, insert, select

from vcio_desk.domain.errors import ValidationError
from vcio_desk.domain.vocab import BodyKind
from vcio_desk.services.rhythms import (
    add_version,
    create_internal_body,
    create_rhythm,
    list_rhythms,
    set_client_tier,
    tier_proposals,
)
from vcio_desk.services.seed import ensure_base_content
from vcio_desk.store import Store, open_store
from vcio_desk.store import models as m

D = dt.date


@pytest.fixture
def store(db_target):  # type: ignore[no-untyped-def]
    with open_store(db_target("ws")) as opened:
        ensure_base_content(opened)
        yield opened


@pytest.fixture
def client_id(store: Store) -> int:
    with store.transaction() as s:
        return s.execute(
            insert(m.Client)
            .values(
                name="Acme", tier="C", country="US", subdivision="NY", timezone="America/New_York"
            )
            .returning(m.Client.id)
        ).scalar_one()


def test_create_and_list_with_description(store: Store, client_id: int) -> None:
    rid = create_rhythm(
        store,
        meeting_type_key="vcio_meeting",
        rule="freq=monthly;interval=3",
        anchor=D(2026, 1, 15),
        tolerance_days=14,
        client_id=client_id,
    )
    (view,) = list_rhythms(store, client_id=client_id)
    assert view.id == rid and view.subject == "Acme" and view.meeting_type_key == "vcio_meeting"
    (version,) = view.versions
    assert version.rule == "FREQ=MONTHLY;INTERVAL=3"
    assert version.description == "Quarterly on the 15th"
    assert version.effective_from == D(2026, 1, 15)


@pytest.mark.parametrize(
    ("rule", "tolerance", "message"),
    [
        ("FREQ=BOGUS", 5, "cannot be read"),
        ("FREQ=MONTHLY;UNTIL=20200101", 5, "before its anchor"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=31", 5, "no date in the five years"),
        ("FREQ=MINUTELY", 5, "within a day"),
        ("FREQ=WEEKLY", 4, "overlap"),
    ],
)
def test_bad_rules_are_refused_and_nothing_is_written(
    store: Store, client_id: int, rule: str, tolerance: int, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        create_rhythm(
            store,
            meeting_type_key="vcio_meeting",
            rule=rule,
            anchor=D(2026, 1, 15),
            tolerance_days=tolerance,
            client_id=client_id,
        )
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(m.Rhythm)) == 0


def test_two_rhythms_for_one_subject_and_type_are_refused(store: Store, client_id: int) -> None:
    create_rhythm(
        store,
        meeting_type_key="vcio_meeting",
        rule="FREQ=YEARLY",
        anchor=D(2026, 1, 15),
        tolerance_days=30,
        client_id=client_id,
    )
    with pytest.raises(ValidationError, match="already has a rhythm"):
        create_rhythm(
            store,
            meeting_type_key="vcio_meeting",
            rule="FREQ=MONTHLY",
            anchor=D(2026, 1, 15),
            tolerance_days=5,
            client_id=client_id,
        )


def test_unknown_meeting_type(store: Store, client_id: int) -> None:
    with pytest.raises(ValidationError, match="no meeting type"):
        create_rhythm(
            store,
            meeting_type_key="nope",
            rule="FREQ=YEARLY",
            anchor=D(2026, 1, 1),
            tolerance_days=5,
            client_id=client_id,
        )


def test_versions_need_a_reason_and_move_forward(store: Store, client_id: int) -> None:
    rid = create_rhythm(
        store,
        meeting_type_key="alignment_review",
        rule="FREQ=MONTHLY;INTERVAL=6",
        anchor=D(2026, 1, 15),
        tolerance_days=21,
        client_id=client_id,
    )
    with pytest.raises(ValidationError, match="needs a reason"):
        add_version(
            store,
            rid,
            rule="FREQ=MONTHLY;INTERVAL=3",
            anchor=D(2026, 7, 1),
            tolerance_days=14,
            effective_from=D(2026, 7, 1),
            reason="  ",
        )
    with pytest.raises(ValidationError, match="after the current one"):
        add_version(
            store,
            rid,
            rule="FREQ=MONTHLY;INTERVAL=3",
            anchor=D(2026, 1, 1),
            tolerance_days=14,
            effective_from=D(2026, 1, 15),
            reason="earlier",
        )
    add_version(
        store,
        rid,
        rule="FREQ=MONTHLY;INTERVAL=3",
        anchor=D(2026, 7, 1),
        tolerance_days=14,
        effective_from=D(2026, 7, 1),
        reason="More attention needed",
    )
    (view,) = list_rhythms(store, client_id=client_id)
    assert [v.reason for v in view.versions] == ["New rhythm", "More attention needed"]
    assert view.current(D(2026, 6, 30)).rule == "FREQ=MONTHLY;INTERVAL=6"
    assert view.current(D(2026, 7, 1)).rule == "FREQ=MONTHLY;INTERVAL=3"


def test_tier_change_creates_then_reversions(store: Store, client_id: int) -> None:
    created = set_client_tier(store, client_id, "C", effective_from=D(2026, 1, 12))
    assert {p.meeting_type_key for p in created} == {"alignment_review", "vcio_meeting"}
    assert all(p.rhythm_id is None for p in created)
    upgrade = tier_proposals(store, client_id, "A", D(2026, 6, 1))
    assert {(p.meeting_type_key, p.rule, p.tolerance_days) for p in upgrade} == {
        ("alignment_review", "FREQ=MONTHLY", 5),
        ("vcio_meeting", "FREQ=MONTHLY;INTERVAL=3", 14),
    }
    # The new version keeps the phase: counted from the old rhythm's latest slot (12 Jan),
    # its first slot is the 12th after the change, not months away.
    review = next(p for p in upgrade if p.meeting_type_key == "alignment_review")
    assert review.anchor == D(2026, 1, 12)
    set_client_tier(store, client_id, "A", effective_from=D(2026, 6, 1))
    views = {v.meeting_type_key: v for v in list_rhythms(store, client_id=client_id)}
    from vcio_desk.domain.slots import VersionSpec, slots

    specs = [
        VersionSpec(v.rule, v.anchor, v.tolerance_days, v.effective_from)
        for v in views["alignment_review"].versions
    ]
    after = [s.nominal for s in slots(specs, D(2026, 6, 1), D(2026, 9, 1))]
    assert after == [D(2026, 6, 12), D(2026, 7, 12), D(2026, 8, 12)]
    assert [len(v.versions) for v in views.values()] == [2, 2]
    assert views["alignment_review"].current(D(2026, 12, 1)).reason == "Tier A template"
    # Same tier again proposes nothing.
    assert tier_proposals(store, client_id, "A", D(2026, 9, 1)) == []


def test_unknown_tier(store: Store, client_id: int) -> None:
    with pytest.raises(ValidationError, match="Unknown tier"):
        tier_proposals(store, client_id, "Z", D(2026, 1, 1))


def test_internal_body_with_its_own_rhythm(store: Store) -> None:
    body = create_internal_body(
        store,
        name="Security council",
        kind=BodyKind.OTHER,
        owner_id=None,
        timezone="Europe/Dublin",
        country="ie",
    )
    rid = create_rhythm(
        store,
        meeting_type_key="standards_committee",
        rule="FREQ=MONTHLY;BYDAY=2WE",
        anchor=D(2026, 1, 1),
        tolerance_days=5,
        internal_body_id=body,
    )
    (view,) = list_rhythms(store, internal_body_id=body)
    assert view.id == rid and view.subject_kind == "internal"
    assert view.versions[0].description == "Monthly on the 2nd Wednesday"


@pytest.mark.parametrize(
    ("timezone", "country", "subdivision", "message"),
    [
        ("Mars/Olympus", "US", None, "not a known time zone"),
        ("Europe/Dublin", "XX", None, "No public holiday calendar"),
        ("America/New_York", "US", "ZZ", "No public holiday calendar"),
    ],
)
def test_internal_body_region_checks(
    store: Store, timezone: str, country: str, subdivision: str | None, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        create_internal_body(
            store,
            name="X",
            owner_id=None,
            timezone=timezone,
            country=country,
            subdivision=subdivision,
        )


def test_an_internal_body_name_longer_than_its_column_is_refused_clearly(store: Store) -> None:
    """SQLite would keep 201 characters and a PostgreSQL server refuse them: both say why."""
    with pytest.raises(ValidationError, match="at most 200 characters"):
        create_internal_body(store, name="N" * 201, owner_id=None, timezone="UTC", country=None)
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(m.InternalBody)) == 0
    body = create_internal_body(store, name="N" * 200, owner_id=None, timezone="UTC", country=None)
    with store.session() as s:
        assert len(s.get(m.InternalBody, body).name) == 200
