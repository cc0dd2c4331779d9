"""Rhythm review: which rhythms are suggested, what is proposed, and dismissals that hold."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import insert, select

from vcio_desk.domain.errors import ValidationError
from vcio_desk.services.drift import assess_all
from vcio_desk.services.rhythm_review import accept, dismiss, suggestions
from vcio_desk.services.rhythms import create_rhythm, list_rhythms
from vcio_desk.services.seed import ensure_base_content
from vcio_desk.store import Store, open_store
from vcio_desk.store import models as m

D = dt.date
AS_OF = D(2026, 11, 20)


@pytest.fixture
def store(db_target):  # type: ignore[no-untyped-def]
    with open_store(db_target("ws")) as opened:
        ensure_base_content(opened)
        yield opened


def client_with_history(
    store: Store, rule: str, anchor: dt.date, tolerance: int, held: list[dt.date]
) -> int:
    with store.transaction() as s:
        client = s.execute(
            insert(m.Client).values(name="Acme", tier="B").returning(m.Client.id)
        ).scalar_one()
        type_id = s.scalar(select(m.MeetingType.id).where(m.MeetingType.key == "vcio_meeting"))
        for day in held:
            start = dt.datetime.combine(day, dt.time(15), tzinfo=dt.UTC)
            s.execute(
                insert(m.Meeting).values(
                    client_id=client,
                    meeting_type_id=type_id,
                    status="held",
                    held_date=day,
                    scheduled_start=start,
                    scheduled_end=start + dt.timedelta(hours=1),
                )
            )
    create_rhythm(
        store,
        meeting_type_key="vcio_meeting",
        rule=rule,
        anchor=anchor,
        tolerance_days=tolerance,
        client_id=client,
    )
    return client


def test_meetings_twice_as_far_apart_propose_a_slower_cadence(store: Store) -> None:
    # Planned quarterly; held every ~6 months.
    held = [D(2025, 1, 15), D(2025, 7, 14), D(2026, 1, 16), D(2026, 7, 15)]
    client_with_history(store, "FREQ=MONTHLY;INTERVAL=3", D(2025, 1, 15), 14, held)
    (suggestion,) = suggestions(store, assess_all(store, AS_OF))
    assert "as far apart as planned" in suggestion.why or "adherence" in suggestion.why.lower()
    assert suggestion.proposed_rule == "FREQ=MONTHLY;INTERVAL=6"
    assert suggestion.has_change


def test_consistently_late_meetings_move_the_day(store: Store) -> None:
    held = [
        D(2026, 1, 25),
        D(2026, 2, 24),
        D(2026, 3, 25),
        D(2026, 4, 24),
        D(2026, 5, 25),
        D(2026, 6, 24),
        D(2026, 7, 25),
        D(2026, 8, 24),
        D(2026, 9, 25),
        D(2026, 10, 26),
    ]
    client_with_history(store, "FREQ=MONTHLY", D(2026, 1, 5), 5, held)
    (suggestion,) = suggestions(store, assess_all(store, AS_OF))
    assert suggestion.proposed_rule == "FREQ=MONTHLY"
    assert suggestion.proposed_anchor == D(2026, 10, 26)
    assert suggestion.proposed_tolerance == 5
    assert suggestion.current_description == "Monthly on the 5th"
    assert suggestion.proposed_description == "Monthly on the 26th"


def test_a_rhythm_that_is_kept_is_not_suggested(store: Store) -> None:
    held = [
        D(2025, 1, 15),
        D(2025, 4, 16),
        D(2025, 7, 14),
        D(2025, 10, 15),
        D(2026, 1, 15),
        D(2026, 4, 15),
        D(2026, 7, 15),
        D(2026, 10, 14),
    ]
    client_with_history(store, "FREQ=MONTHLY;INTERVAL=3", D(2025, 1, 15), 14, held)
    assert suggestions(store, assess_all(store, AS_OF)) == []


def test_dismissal_holds_until_the_evidence_changes(store: Store) -> None:
    held = [D(2025, 1, 15), D(2025, 7, 14), D(2026, 1, 16), D(2026, 7, 15)]
    client = client_with_history(store, "FREQ=MONTHLY;INTERVAL=3", D(2025, 1, 15), 14, held)
    (suggestion,) = suggestions(store, assess_all(store, AS_OF))
    dismiss(store, suggestion, note="Client asked for half-yearly in the contract review")
    assert suggestions(store, assess_all(store, AS_OF)) == []
    assert len(suggestions(store, assess_all(store, AS_OF), include_dismissed=True)) == 1
    with store.transaction() as s:  # a new held meeting: the evidence changed
        type_id = s.scalar(select(m.MeetingType.id).where(m.MeetingType.key == "vcio_meeting"))
        start = dt.datetime(2026, 11, 10, 15, tzinfo=dt.UTC)
        s.execute(
            insert(m.Meeting).values(
                client_id=client,
                meeting_type_id=type_id,
                status="held",
                held_date=D(2026, 11, 10),
                scheduled_start=start,
                scheduled_end=start,
            )
        )
    assert len(suggestions(store, assess_all(store, AS_OF))) == 1


def test_accept_creates_the_version_with_its_reason(store: Store) -> None:
    held = [D(2025, 1, 15), D(2025, 7, 14), D(2026, 1, 16), D(2026, 7, 15)]
    client = client_with_history(store, "FREQ=MONTHLY;INTERVAL=3", D(2025, 1, 15), 14, held)
    (suggestion,) = suggestions(store, assess_all(store, AS_OF))
    with pytest.raises(ValidationError, match="needs a reason"):
        accept(store, suggestion, effective_from=D(2026, 12, 1), reason=" ")
    accept(
        store, suggestion, effective_from=D(2026, 12, 1), reason="Rhythm review: half-yearly fits"
    )
    (rhythm,) = list_rhythms(store, client_id=client)
    latest = rhythm.versions[-1]
    assert (latest.rule, latest.effective_from, latest.reason) == (
        "FREQ=MONTHLY;INTERVAL=6",
        D(2026, 12, 1),
        "Rhythm review: half-yearly fits",
    )
    # The new version keeps the phase of the last held meeting (15 July → 15 January).
    assert latest.anchor == D(2027, 1, 15)
