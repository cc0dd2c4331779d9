"""The standards committee: its rhythm, its meetings, proposals and the decisions it records.

A proposal is a :class:`~vcio_desk.store.models.CommitteeDecision` with status
``proposed`` whose ``proposed_changes`` list library changes (add a standard, edit
its fields, archive or restore it). Recording the decision at a committee meeting
either rejects it or accepts it and applies every change in the same transaction,
each change-log entry linked to the decision. A change that no longer applies (the
standard is gone, archived, or already exists) refuses the whole decision and
names the change: nothing is half applied.

The committee's rhythm flag and reason come from the drift service, as everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from vcio_desk.domain.drift import Flag
from vcio_desk.domain.errors import ValidationError
from vcio_desk.domain.vocab import BodyKind, MeetingStatus
from vcio_desk.store import Store
from vcio_desk.store import models as m

from .committee_changes import ProposedChange, apply_change, parse_changes
from .committee_meetings import AgendaLine, CommitteeMeeting, committee_body, load_meetings
from .drift import DriftReport, RhythmDrift, assess_all
from .standards_changes import require_writable

__all__ = [
    "AgendaLine",
    "CommitteeMeeting",
    "CommitteeStatus",
    "DecisionResult",
    "DecisionView",
    "ProposedChange",
    "committee_status",
    "create_proposal",
    "get_decision",
    "pending_proposals",
    "record_decision",
    "update_proposal",
]

PROPOSED, ACCEPTED, REJECTED = "proposed", "accepted", "rejected"
Outcome = Literal["accepted", "rejected"]
CHOICE_DAYS_AHEAD = 45
"""Upcoming meetings this close are offered for recording a decision (one held today...)."""


@dataclass(frozen=True, slots=True)
class DecisionView:
    id: int
    title: str
    description: str
    status: str
    """``proposed``, ``accepted`` or ``rejected``."""
    changes: tuple[ProposedChange, ...]
    meeting_id: int | None
    decided_on: dt.date | None
    created_at: dt.datetime
    applied: int
    """Change-log entries linked to the decision."""


@dataclass(frozen=True)
class CommitteeStatus:
    as_of: dt.date
    body_id: int | None
    """None when the workspace has no standards committee."""
    body: str
    rhythm: RhythmDrift | None
    next_meeting: CommitteeMeeting | None
    upcoming: tuple[CommitteeMeeting, ...]
    past: tuple[CommitteeMeeting, ...]
    """Newest first, each with its agenda, minutes and decisions."""
    pending: tuple[DecisionView, ...]

    @property
    def flag(self) -> Flag | None:
        return self.rhythm.assessment.flag if self.rhythm else None

    @property
    def reason(self) -> str:
        if self.body_id is None:
            return "This workspace has no standards committee (add one in Settings)."
        if self.rhythm is None:
            return f"{self.body} has no active rhythm, so nothing tracks when it meets."
        return self.rhythm.assessment.reason

    def meeting_choices(self) -> list[CommitteeMeeting]:
        """Meetings a decision can be recorded at: past and soon, not cancelled, newest first."""
        soon = [x for x in self.upcoming if (x.day - self.as_of).days <= CHOICE_DAYS_AHEAD]
        chosen = [*reversed(soon), *self.past]
        return [x for x in chosen if x.status is not MeetingStatus.CANCELLED]


# -- reading -------------------------------------------------------------------------------------


def _decisions(session: Session, where: Any) -> list[DecisionView]:
    applied = (
        select(m.StandardChange.decision_id, func.count().label("n"))
        .group_by(m.StandardChange.decision_id)
        .subquery()
    )
    rows = session.execute(
        select(
            m.CommitteeDecision.id,
            m.CommitteeDecision.title,
            m.CommitteeDecision.description,
            m.CommitteeDecision.status,
            m.CommitteeDecision.proposed_changes,
            m.CommitteeDecision.meeting_id,
            m.CommitteeDecision.decided_on,
            m.CommitteeDecision.created_at,
            applied.c.n,
        )
        .outerjoin(applied, applied.c.decision_id == m.CommitteeDecision.id)
        .where(where)
        .order_by(m.CommitteeDecision.created_at, m.CommitteeDecision.id)
    ).all()
    result = []
    for row in rows:
        try:
            items = parse_changes(row.proposed_changes or [])
        except ValidationError:
            items = ()  # written by something else: shown without its changes, never applied
        status = ACCEPTED if row.status == "decided" else row.status
        result.append(
            DecisionView(
                row.id,
                row.title,
                row.description or "",
                status,
                items,
                row.meeting_id,
                row.decided_on,
                row.created_at,
                row.n or 0,
            )
        )
    return result


def pending_proposals(store: Store) -> list[DecisionView]:
    with store.session() as session:
        return _decisions(session, m.CommitteeDecision.status == PROPOSED)


def get_decision(store: Store, decision_id: int) -> DecisionView:
    with store.session() as session:
        found = _decisions(session, m.CommitteeDecision.id == decision_id)
    if not found:
        raise ValidationError("That proposal no longer exists; reload the committee page.")
    return found[0]


def committee_status(
    store: Store, as_of: dt.date, *, drift: DriftReport | None = None
) -> CommitteeStatus:
    """The committee's flag and reason, meetings (past with agenda, minutes and decisions,
    and upcoming) and pending proposals. ``drift`` reuses a report already computed."""
    with store.session() as session:
        body = committee_body(session)
        pending = _decisions(session, m.CommitteeDecision.status == PROPOSED)
        if body is None:
            return CommitteeStatus(as_of, None, "", None, None, (), (), tuple(pending))
        past, upcoming = load_meetings(session, body.id, as_of)
        ids = [x.id for x in past + upcoming]
        by_meeting: dict[int, list[DecisionView]] = {}
        for decision in _decisions(session, m.CommitteeDecision.meeting_id.in_(ids)):
            if decision.status != PROPOSED:
                by_meeting.setdefault(decision.meeting_id or 0, []).append(decision)
    report = drift if drift is not None else assess_all(store, as_of, internal_body_id=body.id)
    rhythms = [
        r for r in report.rhythms if r.subject_kind == "internal" and r.subject_id == body.id
    ]
    rhythms.sort(key=lambda r: (r.meeting_type_key != "standards_committee", r.rhythm_id))
    past = [x.with_decisions(tuple(by_meeting.get(x.id, ()))) for x in past]
    upcoming = [x.with_decisions(tuple(by_meeting.get(x.id, ()))) for x in upcoming]
    return CommitteeStatus(
        as_of=as_of,
        body_id=body.id,
        body=body.name,
        rhythm=rhythms[0] if rhythms else None,
        next_meeting=upcoming[0] if upcoming else None,
        upcoming=tuple(upcoming),
        past=tuple(past),
        pending=tuple(pending),
    )


# -- proposals -----------------------------------------------------------------------------------


def _check_title(title: str) -> str:
    text = " ".join((title or "").split())
    if not text:
        raise ValidationError("A proposal needs a title.")
    if len(text) > 300:
        raise ValidationError("A proposal's title has at most 300 characters.")
    return text


def _try_changes(session: Session, items: Sequence[ProposedChange], author: str) -> None:
    """Apply the changes inside a savepoint and roll them back: do they apply today?"""
    nested = session.begin_nested()
    try:
        for number, item in enumerate(items, start=1):
            apply_change(session, item, number, reason="Checking a proposal", author=author)
    finally:
        nested.rollback()


def create_proposal(
    store: Store,
    *,
    title: str,
    description: str = "",
    changes: Sequence[Mapping[str, Any] | ProposedChange] = (),
    author: str = "",
) -> int:
    """A pending proposal; its changes must apply to the library as it is now."""
    require_writable(store)
    items = _items(changes)
    with store.transaction() as session:
        _try_changes(session, items, author)
        return session.execute(
            insert(m.CommitteeDecision)
            .values(
                title=_check_title(title),
                description=(description or "").strip(),
                status=PROPOSED,
                proposed_changes=[x.to_json() for x in items],
            )
            .returning(m.CommitteeDecision.id)
        ).scalar_one()


def update_proposal(
    store: Store,
    decision_id: int,
    *,
    title: str,
    description: str = "",
    changes: Sequence[Mapping[str, Any] | ProposedChange] = (),
    author: str = "",
) -> None:
    """Change a proposal that has not been decided yet."""
    require_writable(store)
    items = _items(changes)
    with store.transaction() as session:
        _pending(session, decision_id)
        _try_changes(session, items, author)
        session.execute(
            update(m.CommitteeDecision)
            .where(m.CommitteeDecision.id == decision_id)
            .values(
                title=_check_title(title),
                description=(description or "").strip(),
                proposed_changes=[x.to_json() for x in items],
            )
        )


def _items(raw: Sequence[Mapping[str, Any] | ProposedChange]) -> tuple[ProposedChange, ...]:
    return tuple(
        x if isinstance(x, ProposedChange) else ProposedChange.from_json(x, n)
        for n, x in enumerate(raw, start=1)
    )


def _pending(session: Session, decision_id: int) -> Any:
    row = session.execute(
        select(
            m.CommitteeDecision.title,
            m.CommitteeDecision.status,
            m.CommitteeDecision.proposed_changes,
            m.CommitteeDecision.decided_on,
        ).where(m.CommitteeDecision.id == decision_id)
    ).one_or_none()
    if row is None:
        raise ValidationError("That proposal no longer exists; reload the committee page.")
    if row.status != PROPOSED:
        status = ACCEPTED if row.status == "decided" else row.status
        on = f" on {row.decided_on.isoformat()}" if row.decided_on else ""
        raise ValidationError(f"“{row.title}” was already {status}{on}.")
    return row


# -- decisions -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DecisionResult:
    decision_id: int
    status: str
    applied: int
    """Change-log entries written (0 for a rejection)."""


def record_decision(
    store: Store,
    decision_id: int,
    meeting_id: int,
    decided_on: dt.date,
    outcome: Outcome,
    author: str,
) -> DecisionResult:
    """Record what the committee decided at ``meeting_id``; accepting applies the changes."""
    require_writable(store)
    if outcome not in (ACCEPTED, REJECTED):
        raise ValidationError(f"A decision is accepted or rejected, not {outcome!r}.")
    with store.transaction() as session:
        row = _pending(session, decision_id)
        meeting = session.execute(
            select(m.Meeting.status, m.InternalBody.kind)
            .join(m.InternalBody, m.InternalBody.id == m.Meeting.internal_body_id)
            .where(m.Meeting.id == meeting_id)
        ).one_or_none()
        if meeting is None or meeting.kind != BodyKind.STANDARDS_COMMITTEE:
            raise ValidationError("Choose a meeting of the standards committee for the decision.")
        if meeting.status == MeetingStatus.CANCELLED:
            raise ValidationError(
                "That committee meeting was cancelled; choose the one that decided."
            )
        if outcome == ACCEPTED:
            reason = f"Committee decision: {row.title}"
            for number, item in enumerate(parse_changes(row.proposed_changes or []), start=1):
                apply_change(
                    session, item, number, reason=reason, author=author, decision_id=decision_id
                )
        applied = _count(session, decision_id)
        session.execute(
            update(m.CommitteeDecision)
            .where(m.CommitteeDecision.id == decision_id)
            .values(status=outcome, meeting_id=meeting_id, decided_on=decided_on)
        )
    return DecisionResult(decision_id, outcome, applied)


def _count(session: Session, decision_id: int) -> int:
    return int(
        session.scalar(select(func.count()).where(m.StandardChange.decision_id == decision_id)) or 0
    )
