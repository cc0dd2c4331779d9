"""The drift list for people (ranked text), scripts (JSON, PRODUCT.md §5) and spreadsheets (CSV)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from vcio_desk.domain.drift import Flag, SlotState
from vcio_desk.interop.csv_export import to_csv

from .drift import DriftReport, RhythmDrift

CSV_HEADER = (
    "subject",
    "subject_kind",
    "tier",
    "meeting_type",
    "owner",
    "account_manager",
    "flag",
    "reason",
    "adherence_pct",
    "drift_days",
    "interval_ratio",
    "last_held",
    "next_due",
)


def _iso(day: Any) -> str | None:
    return day.isoformat() if day is not None else None


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def days_overdue(item: RhythmDrift) -> int:
    """How far past tolerance the oldest unmet recent slot is (0 when none)."""
    a = item.assessment
    unmet = [s for s in a.slots if s.state in (SlotState.OVERDUE, SlotState.MISSED)]
    if not unmet:
        return 0
    last = unmet[-1]
    return max(0, (a.as_of - last.nominal).days - last.tolerance_days)


def ranked(items: Sequence[RhythmDrift]) -> list[RhythmDrift]:
    """Most severe flag first, then the longest overdue, then by subject."""
    return sorted(
        items,
        key=lambda r: (r.assessment.flag.severity, -days_overdue(r), r.subject, r.meeting_type),
    )


def select(
    report: DriftReport,
    *,
    client: str | None = None,
    owner: str | None = None,
    flag: str | None = None,
) -> list[RhythmDrift]:
    """Filter by client name, owner name (case-insensitive, exact) and flag; ranked."""
    items = report.rhythms
    if client:
        items = [r for r in items if r.subject.casefold() == client.casefold()]
    if owner:
        items = [r for r in items if r.owner.casefold() == owner.casefold()]
    if flag:
        items = [r for r in items if r.assessment.flag == Flag(flag)]
    return ranked(items)


def as_json(report: DriftReport, items: Sequence[RhythmDrift]) -> str:
    payload = {
        "as_of": report.as_of.isoformat(),
        "lead_days": report.lead_days,
        "rhythms": [_rhythm_json(item) for item in items],
        "unplanned": [
            {
                "subject": u.subject,
                "subject_kind": u.subject_kind,
                "meeting_type": u.meeting_type,
                "held_meetings": u.count,
                "last_held": u.last_held.isoformat(),
            }
            for u in report.unplanned
        ],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False)


def _rhythm_json(item: RhythmDrift) -> dict[str, Any]:
    a = item.assessment
    return {
        "subject": item.subject,
        "subject_kind": item.subject_kind,
        "meeting_type": item.meeting_type,
        "owner": item.owner or None,
        "flag": a.flag.value,
        "reason": a.reason,
        "adherence_pct": _round(a.adherence_pct),
        "drift_days": _round(a.drift_days),
        "interval_ratio": _round(a.interval_ratio),
        "last_held": _iso(a.last_held),
        "next_due": _iso(a.next_due),
        "slots": [
            {
                "nominal": s.nominal.isoformat(),
                "tolerance_days": s.tolerance_days,
                "status": s.state.value,
                "held": _iso(s.held),
                "delta_days": s.delta_days,
                "booked": _iso(s.booked),
            }
            for s in a.slots
        ],
    }


def csv_rows(items: Sequence[RhythmDrift]) -> list[tuple[Any, ...]]:
    return [
        (
            r.subject,
            r.subject_kind,
            r.tier or "",
            r.meeting_type,
            r.owner,
            r.account_manager,
            r.assessment.flag.value,
            r.assessment.reason,
            _round(r.assessment.adherence_pct),
            _round(r.assessment.drift_days),
            _round(r.assessment.interval_ratio),
            _iso(r.assessment.last_held),
            _iso(r.assessment.next_due),
        )
        for r in items
    ]


def as_csv(items: Sequence[RhythmDrift]) -> str:
    return to_csv(CSV_HEADER, csv_rows(items))


def as_text(report: DriftReport, items: Sequence[RhythmDrift]) -> str:
    counts = {flag: 0 for flag in Flag}
    for item in items:
        counts[item.assessment.flag] += 1
    summary = ", ".join(f"{counts[f]} {f.value}" for f in Flag)
    lines = [f"Drift as of {report.as_of.isoformat()} ({len(items)} rhythms): {summary}."]
    flagged = [i for i in items if i.assessment.flag is not Flag.OK]
    if flagged:
        lines.append("")
    for item in flagged:
        lines.append(
            f"{item.assessment.flag.value.upper():<9} {item.subject} — {item.meeting_type}"
            + (f" ({item.owner})" if item.owner else "")
        )
        lines.append(f"          {item.assessment.reason}")
    if report.unplanned:
        lines.append("")
        lines.append("Held meetings of a type the subject has no rhythm for:")
        lines.extend(
            f"  {u.subject} — {u.meeting_type}: {u.count} held, last {u.last_held.isoformat()}"
            for u in report.unplanned
        )
    return "\n".join(lines)
