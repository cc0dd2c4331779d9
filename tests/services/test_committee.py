"""The standards committee: its rhythm from the drift service, its meetings with agenda,
minutes and decisions, proposals, and decisions that apply library changes all or nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, insert, select

from vcio_desk.domain.errors import ValidationError
from vcio_desk.domain.vocab import BodyKind, MeetingStatus
from vcio_desk.services.committee import (
    ProposedChange,
    committee_status,
    create_proposal,
    get_decision,
    pending_proposals,
    record_decision,
    update_proposal,
)
from vcio_desk.services.drift import assess_all
from vcio_desk.services.rhythms import create_internal_body, create_rhythm
from vcio_desk.services.standards_library import archive_standard, get_standard, library_tree
from vcio_desk.services.standards_log import change_log
from vcio_desk.store import Store
from vcio_desk.store import models as m

AS_OF = dt.date(2026, 11, 20)
WHO = "Ada Lovelace"
ZONE = "America/New_York"


def _meeting(
    store: Store, body_id: int, day: dt.date, status: MeetingStatus, **values: object
) -> int:
    with store.transaction() as s:
        type_id = s.scalar(
            select(m.MeetingType.id).where(m.MeetingType.key == "standards_committee")
        )
        # 15:00 UTC is 10:00 in New York: the local day is the UTC day.
        start = dt.datetime.combine(day, dt.time(15), tzinfo=dt.UTC)
        return s.execute(
            insert(m.Meeting)
            .values(
                internal_body_id=body_id,
                meeting_type_id=type_id,
                scheduled_start=start,
                scheduled_end=start + dt.timedelta(hours=1),
                timezone=ZONE,
                status=status,
                held_date=day if status == MeetingStatus.HELD else None,
                **values,
            )
            .returning(m.Meeting.id)
        ).scalar_one()


@pytest.fixture
def committee(workspace: Store) -> dict[str, int]:
    body = create_internal_body(
        workspace,
        name="Standards committee",
        kind=BodyKind.STANDARDS_COMMITTEE,
        owner_id=None,
        timezone=ZONE,
        country=None,
    )
    create_rhythm(
        workspace,
        meeting_type_key="standards_committee",
        rule="FREQ=MONTHLY;BYDAY=2WE",
        anchor=dt.date(2026, 1, 1),
        tolerance_days=5,
        internal_body_id=body,
    )
    ids = {"body": body}
    ids["october"] = _meeting(
        workspace, body, dt.date(2026, 10, 14), MeetingStatus.HELD,
        client_notes="- Reviewed *feedback*\n- Agreed <nothing> & moved on",
    )  # fmt: skip
    ids["september"] = _meeting(workspace, body, dt.date(2026, 9, 9), MeetingStatus.HELD)
    ids["august"] = _meeting(workspace, body, dt.date(2026, 8, 12), MeetingStatus.CANCELLED)
    ids["next"] = _meeting(workspace, body, dt.date(2026, 12, 9), MeetingStatus.CONFIRMED)
    with workspace.transaction() as s:
        s.execute(
            insert(m.AgendaItem),
            [
                {"meeting_id": ids["october"], "position": 1, "title": "Proposals", "minutes": 20},
                {"meeting_id": ids["october"], "position": 0, "title": "Minutes", "minutes": 10},
            ],
        )
    return ids


def _standard_changes(store: Store) -> int:
    with store.session() as s:
        return int(s.scalar(select(func.count()).select_from(m.StandardChange)) or 0)


EDIT = {"action": "edit", "code": "BKP-001", "fields": {"priority": "low"}}
ADD = {
    "action": "add",
    "code": "BKP-100",
    "section": "backup",
    "category": "Backup coverage",
    "fields": {"question": "Are NAS devices backed up?", "tiers": ["A"]},
}
ARCHIVE = {"action": "archive", "code": "BKP-002"}


def test_status_reuses_the_drift_flag_and_lists_meetings(
    workspace: Store, committee: dict[str, int]
) -> None:
    status = committee_status(workspace, AS_OF)
    (expected,) = [
        r for r in assess_all(workspace, AS_OF).rhythms if r.subject_id == committee["body"]
    ]
    assert status.flag is expected.assessment.flag
    assert status.reason == expected.assessment.reason and status.reason
    assert status.body == "Standards committee"
    assert status.next_meeting is not None and status.next_meeting.id == committee["next"]
    assert [x.id for x in status.past] == [
        committee["october"],
        committee["september"],
        committee["august"],
    ]
    october = status.past[0]
    assert [a.title for a in october.agenda] == ["Minutes", "Proposals"]
    assert october.minutes.startswith("- Reviewed *feedback*")
    assert october.day == dt.date(2026, 10, 14)
    choices = [x.id for x in status.meeting_choices()]
    assert choices == [committee["next"], committee["october"], committee["september"]]


def test_status_without_a_committee_says_so(workspace: Store) -> None:
    status = committee_status(workspace, AS_OF)
    assert status.body_id is None and status.flag is None
    assert "no standards committee" in status.reason


def test_accepting_applies_every_change_linked_to_the_decision(
    workspace: Store, committee: dict[str, int]
) -> None:
    proposal = create_proposal(
        workspace,
        title="Backup review",
        description="From the October incidents",
        changes=[EDIT, ADD, ARCHIVE],
    )
    assert [p.id for p in pending_proposals(workspace)] == [proposal]
    assert _standard_changes(workspace) == 0  # checking the proposal wrote nothing
    result = record_decision(
        workspace, proposal, committee["october"], dt.date(2026, 10, 14), "accepted", WHO
    )
    assert (result.status, result.applied) == ("accepted", 3)
    decision = get_decision(workspace, proposal)
    assert (decision.status, decision.meeting_id, decision.decided_on, decision.applied) == (
        "accepted",
        committee["october"],
        dt.date(2026, 10, 14),
        3,
    )
    log = change_log(workspace, decision_id=proposal)
    assert {c.action for c in log} == {"edit", "add", "archive"}
    assert all(c.author == WHO and c.reason == "Committee decision: Backup review" for c in log)
    assert all(c.meeting_id == committee["october"] for c in log)
    codes = {s.code: s for s in library_tree(workspace, include_archived=True).standards()}
    assert codes["BKP-001"].priority.value == "low"
    assert codes["BKP-100"].tiers == ("A",) and codes["BKP-100"].category == "Backup coverage"
    assert codes["BKP-002"].archived
    assert pending_proposals(workspace) == []
    october = committee_status(workspace, AS_OF).past[0]
    assert [d.title for d in october.decisions] == ["Backup review"]
    with pytest.raises(ValidationError, match="already accepted on 2026-10-14"):
        record_decision(
            workspace, proposal, committee["october"], dt.date(2026, 10, 14), "rejected", WHO
        )


def test_rejecting_changes_no_standard(workspace: Store, committee: dict[str, int]) -> None:
    proposal = create_proposal(workspace, title="Lower BKP-001", changes=[EDIT])
    result = record_decision(
        workspace, proposal, committee["september"], dt.date(2026, 9, 9), "rejected", WHO
    )
    assert (result.status, result.applied) == ("rejected", 0)
    assert get_standard(workspace, 1).priority.value == "high"
    assert _standard_changes(workspace) == 0


def test_a_change_that_no_longer_applies_refuses_the_whole_decision(
    workspace: Store, committee: dict[str, int]
) -> None:
    proposal = create_proposal(workspace, title="Mixed", changes=[ADD, EDIT])
    sid = library_tree(workspace).standards()[0].id  # BKP-001
    archive_standard(workspace, sid, reason="Meanwhile", author=WHO)
    before = _standard_changes(workspace)
    with pytest.raises(ValidationError) as caught:
        record_decision(
            workspace, proposal, committee["october"], dt.date(2026, 10, 14), "accepted", WHO
        )
    message = caught.value.user_message
    assert "Change 2 (Edit BKP-001: Priority → low) no longer applies" in message
    assert "BKP-001 is archived" in message and "Nothing was changed" in message
    assert _standard_changes(workspace) == before  # the add (change 1) was rolled back too
    assert "BKP-100" not in {s.code for s in library_tree(workspace).standards()}
    assert get_decision(workspace, proposal).status == "proposed"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"action": "delete", "code": "BKP-001"}, "must be one of add, edit"),
        (
            {"action": "edit", "code": "BKP-999", "fields": {"priority": "low"}},
            "no standard BKP-999",
        ),
        ({"action": "edit", "code": "BKP-001"}, "say which fields"),
        ({"action": "edit", "code": "BKP-001", "fields": {"colour": "red"}}, "no field colour"),
        (ADD | {"code": "BKP-001"}, "already a standard BKP-001"),
        (ADD | {"category": "Nowhere"}, "no category 'Nowhere'"),
        ({"action": "restore", "code": "BKP-001"}, "already in use"),
        (
            {"action": "archive", "code": "BKP-001", "fields": {"priority": "low"}},
            "changes no fields",
        ),
    ],
)
def test_proposals_are_checked_against_the_library(
    workspace: Store, change: dict, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        create_proposal(workspace, title="Check", changes=[change])
    assert pending_proposals(workspace) == []


def test_a_proposal_is_edited_until_decided(workspace: Store, committee: dict[str, int]) -> None:
    proposal = create_proposal(workspace, title="First idea", changes=[EDIT])
    update_proposal(workspace, proposal, title="Better idea", description="Why", changes=[ARCHIVE])
    (view,) = pending_proposals(workspace)
    assert (view.title, view.description) == ("Better idea", "Why")
    assert view.changes == (ProposedChange("archive", "BKP-002", {}),)
    assert view.changes[0].to_json() == ARCHIVE
    with pytest.raises(ValidationError, match="needs a title"):
        update_proposal(workspace, proposal, title="  ")
    record_decision(workspace, proposal, committee["october"], AS_OF, "rejected", WHO)
    with pytest.raises(ValidationError, match="already rejected"):
        update_proposal(workspace, proposal, title="Too late")


def test_decisions_are_taken_at_committee_meetings_only(
    workspace: Store, committee: dict[str, int]
) -> None:
    proposal = create_proposal(workspace, title="Lower", changes=[EDIT])
    with pytest.raises(ValidationError, match="was cancelled"):
        record_decision(workspace, proposal, committee["august"], AS_OF, "accepted", WHO)
    with pytest.raises(ValidationError, match="meeting of the standards committee"):
        record_decision(workspace, proposal, 99_999, AS_OF, "accepted", WHO)
    with pytest.raises(ValidationError, match="accepted or rejected"):
        record_decision(workspace, proposal, committee["october"], AS_OF, "maybe", WHO)  # type: ignore[arg-type]
    assert get_decision(workspace, proposal).status == "proposed"
