"""Rhythm review: cadences that no longer fit what really happens, with the evidence.

A rhythm is put up for review when the mean gap between its last (up to) four
held meetings is 1.25 times its slots' gap or more, or 0.8 times or less, or when
its adherence is below 60 %. Each suggestion carries the recent slots and deltas
and a proposed rule that fits the observed interval. Accepting creates a new
version (with a reason); dismissing stores a note that holds until the evidence
changes (a new held meeting, a different adherence figure).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from sqlalchemy import delete, insert, select

from vcio_desk.domain.drift import HELD_STATES, SlotResult
from vcio_desk.domain.errors import ValidationError
from vcio_desk.domain.presets import describe
from vcio_desk.domain.recurrence import occurrences
from vcio_desk.store import Store
from vcio_desk.store import models as m

from .drift import DriftReport, RhythmDrift
from .rhythm_versions import versions_by_rhythm
from .rhythms import add_version

RATIO_HIGH = 1.25
RATIO_LOW = 0.8
ADHERENCE_FLOOR = 60.0

# Cadences a proposal may snap to: (days, rule, words).
CADENCES = (
    (7, "FREQ=WEEKLY", "weekly"),
    (14, "FREQ=WEEKLY;INTERVAL=2", "every 2 weeks"),
    (30, "FREQ=MONTHLY", "monthly"),
    (61, "FREQ=MONTHLY;INTERVAL=2", "every 2 months"),
    (91, "FREQ=MONTHLY;INTERVAL=3", "quarterly"),
    (122, "FREQ=MONTHLY;INTERVAL=4", "every 4 months"),
    (182, "FREQ=MONTHLY;INTERVAL=6", "twice a year"),
    (365, "FREQ=YEARLY", "yearly"),
)


@dataclass(frozen=True)
class ReviewSuggestion:
    rhythm: RhythmDrift
    why: str
    evidence: tuple[SlotResult, ...]
    """The recent slots with a counted meeting, oldest first."""
    current_rule: str
    current_description: str
    proposed_rule: str
    proposed_anchor: dt.date
    proposed_tolerance: int
    proposed_description: str
    evidence_key: str
    current_tolerance: int
    dismissed: bool = False
    """Dismissed earlier with the same evidence (listed only when dismissed ones are asked for)."""
    row_version: int | None = None
    """The rhythm's version when the suggestion was made: accepting it after someone else
    changed the rhythm is refused (RhythmChangedError) rather than stacked on top."""

    @property
    def has_change(self) -> bool:
        """False when what was held already fits the rule: the fix is booking, not re-planning."""
        return (self.proposed_description, self.proposed_tolerance) != (
            self.current_description,
            self.current_tolerance,
        )


def _evidence_key(item: RhythmDrift, recent: list[SlotResult]) -> str:
    a = item.assessment
    text = "|".join(
        [f"{s.nominal}:{s.held}" for s in recent]
        + [f"{a.adherence_pct:.0f}" if a.adherence_pct is not None else "-"]
    )
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _snap(days: float) -> tuple[int, str, str]:
    return min(CADENCES, key=lambda c: abs(c[0] - days))


def _proposal(
    item: RhythmDrift, recent: list[SlotResult], current_anchor: dt.date
) -> tuple[str | None, dt.date, int]:
    """(rule or None to keep it, anchor, tolerance) that fit what really happens.

    A cadence that is off snaps to the nearest common one. A kept cadence whose
    meetings are consistently late (or early) moves its day to where they are held;
    scattered meetings get a wider tolerance, never so wide that windows overlap.
    """
    held = [s.held for s in recent if s.held]
    tolerance = recent[-1].tolerance_days
    slot_gap = _planned_gap(item)
    if len(held) > 1:
        observed = (held[-1] - held[0]).days / (len(held) - 1)
        if not RATIO_LOW < observed / slot_gap < RATIO_HIGH:
            # Meetings skip slots (or come in between): the cadence itself does not fit.
            days, rule, _words = _snap(observed)
            return rule, held[-1], int(min(tolerance, max(0, (days * 0.9 - 1) // 2)))
    deltas = [s.delta_days or 0 for s in recent]
    same_side = all(d > 0 for d in deltas) or all(d < 0 for d in deltas)
    if same_side and max(deltas) - min(deltas) <= 2 * tolerance:
        return None, held[-1], tolerance
    widest = int(slot_gap * 0.9 - 1) // 2
    wider = min(max(abs(d) for d in deltas) + 1, widest)
    return None, current_anchor, max(tolerance, wider)


def _planned_gap(item: RhythmDrift) -> float:
    """Mean days between consecutive slots over the last year of the rhythm's plan."""
    days = [s.nominal for s in item.assessment.slots if s.nominal <= item.assessment.as_of][-5:]
    if len(days) < 2:
        return 1.0
    return (days[-1] - days[0]).days / (len(days) - 1)


@dataclass(frozen=True)
class ReviewList:
    suggestions: list[ReviewSuggestion]
    replanned: int
    """Rhythms left out because a version newer than their evidence already re-planned them."""


def suggestions(
    store: Store, report: DriftReport, *, include_dismissed: bool = False
) -> list[ReviewSuggestion]:
    """Rhythms whose cadence or adherence says they need another look."""
    return review_rhythms(store, report, include_dismissed=include_dismissed).suggestions


def review_rhythms(
    store: Store, report: DriftReport, *, include_dismissed: bool = False
) -> ReviewList:
    """The suggestions, and how many rhythms were already re-planned since their evidence.

    Evidence judges the plan it was gathered under: a rhythm whose latest version takes
    effect after its last counted meeting has been re-planned, and is left out until
    meetings under the new plan speak for it.
    """
    with store.session() as session:
        rows = session.execute(
            select(m.RhythmReviewNote.rhythm_id, m.RhythmReviewNote.evidence_key)
        ).all()
        versions = versions_by_rhythm(session)
        row_versions = {
            rid: v for rid, v in session.execute(select(m.Rhythm.id, m.Rhythm.row_version))
        }
    dismissed = {rhythm_id: key for rhythm_id, key in rows}
    found: list[ReviewSuggestion] = []
    replanned = 0
    for item in report.rhythms:
        a = item.assessment
        recent = [s for s in a.slots if s.state in HELD_STATES][-4:]
        reasons = []
        if a.interval_ratio is not None and a.interval_ratio >= RATIO_HIGH:
            reasons.append(f"meetings come {a.interval_ratio:.2f}× as far apart as planned")
        elif a.interval_ratio is not None and a.interval_ratio <= RATIO_LOW:
            reasons.append(f"meetings come closer together than planned ({a.interval_ratio:.2f}×)")
        if a.adherence_pct is not None and a.adherence_pct < ADHERENCE_FLOOR:
            reasons.append(f"adherence is {a.adherence_pct:.0f} % (below {ADHERENCE_FLOOR:.0f} %)")
        specs = versions.get(item.rhythm_id, [])
        if not reasons or len(recent) < 2 or not specs:
            continue
        if specs[-1].effective_from > recent[-1].nominal:
            replanned += 1
            continue
        key = _evidence_key(item, recent)
        is_dismissed = dismissed.get(item.rhythm_id) == key
        if is_dismissed and not include_dismissed:
            continue
        in_force = [v for v in specs if v.effective_from <= report.as_of] or specs[:1]
        rule_now, anchor_now = in_force[-1].rule, in_force[-1].anchor
        rule, anchor, tolerance = _proposal(item, recent, anchor_now)
        rule = rule or rule_now
        found.append(
            ReviewSuggestion(
                rhythm=item,
                why="; ".join(reasons).capitalize(),
                evidence=tuple(recent),
                current_rule=rule_now,
                current_description=describe(rule_now, anchor_now),
                proposed_rule=rule,
                proposed_anchor=anchor,
                proposed_tolerance=tolerance,
                proposed_description=describe(rule, anchor),
                evidence_key=key,
                current_tolerance=recent[-1].tolerance_days,
                dismissed=is_dismissed,
                row_version=row_versions.get(item.rhythm_id),
            )
        )
    return ReviewList(found, replanned)


def accept(
    store: Store,
    suggestion: ReviewSuggestion,
    *,
    effective_from: dt.date,
    reason: str,
    author: str = "",
) -> int:
    """Create the proposed version; the stored dismissal (if any) no longer applies."""
    if not reason.strip():
        raise ValidationError("Say why the rhythm changes: a new version needs a reason.")
    version_id = add_version(
        store,
        suggestion.rhythm.rhythm_id,
        rule=suggestion.proposed_rule,
        anchor=_first_on_or_after(
            suggestion.proposed_rule, suggestion.proposed_anchor, effective_from
        ),
        tolerance_days=suggestion.proposed_tolerance,
        effective_from=effective_from,
        reason=reason,
        author=author,
        expected_version=suggestion.row_version,
    )
    with store.transaction() as session:
        session.execute(
            delete(m.RhythmReviewNote).where(
                m.RhythmReviewNote.rhythm_id == suggestion.rhythm.rhythm_id
            )
        )
    return version_id


def _first_on_or_after(rule: str, anchor: dt.date, day: dt.date) -> dt.date:
    """The rule's first date on or after ``day`` counted from ``anchor``: the phase is kept."""
    if anchor >= day:
        return anchor
    upcoming = occurrences(rule, anchor, day, day + dt.timedelta(days=800))
    return upcoming[0] if upcoming else day


def dismiss(store: Store, suggestion: ReviewSuggestion, *, note: str, author: str = "") -> None:
    """Hide the suggestion until its evidence changes."""
    with store.transaction() as session:
        session.execute(
            delete(m.RhythmReviewNote).where(
                m.RhythmReviewNote.rhythm_id == suggestion.rhythm.rhythm_id
            )
        )
        session.execute(
            insert(m.RhythmReviewNote).values(
                rhythm_id=suggestion.rhythm.rhythm_id,
                evidence_key=suggestion.evidence_key,
                note=note.strip(),
                author=author,
            )
        )
