"""A schedule plan as people read it (text) and as scripts read it (JSON)."""

from __future__ import annotations

import json
from typing import Any

from .scheduler import ScheduledMeeting, SchedulePlan

LIST_LIMIT = 20


def _meeting_json(item: ScheduledMeeting) -> dict[str, Any]:
    return {
        "id": item.meeting_id,
        "subject": item.subject,
        "subject_kind": item.subject_kind,
        "meeting_type": item.meeting_type,
        "slot": item.slot.isoformat() if item.slot else None,
        "date": item.day.isoformat(),
        "time": item.start_time.strftime("%H:%M"),
        "timezone": item.timezone,
        "duration_minutes": item.duration_minutes,
        "owner": item.owner or None,
        "status": item.status,
        "change": item.change,
        "moved_because": item.moved_because,
        "conflict": item.conflict,
    }


def as_json(plan: SchedulePlan, *, applied: bool) -> str:
    payload = {
        "window": {
            "start": plan.window.start.isoformat(),
            "end": plan.window.end.isoformat(),
            "label": plan.window.label,
        },
        "as_of": plan.as_of.isoformat(),
        "applied": applied,
        "summary": _summary(plan),
        "meetings": [_meeting_json(item) for item in plan.meetings],
        "removed": [_meeting_json(item) for item in plan.removed],
        "conflicts": [
            {
                "subject": item.subject,
                "meeting_type": item.meeting_type,
                "slot": item.slot.isoformat() if item.slot else None,
                "date": item.day.isoformat(),
                "reason": item.conflict,
            }
            for item in plan.conflicts
        ],
        "notes": plan.notes,
    }
    return json.dumps(payload, indent=2, ensure_ascii=False)


def _summary(plan: SchedulePlan) -> dict[str, int]:
    return {
        "meetings": len(plan.meetings),
        "kept": len(plan.meetings) - len(plan.added),
        "added": len(plan.added),
        "moved": len(plan.moved),
        "removed": len(plan.removed),
        "conflicts": len(plan.conflicts),
    }


def _line(item: ScheduledMeeting) -> str:
    owner = f" ({item.owner})" if item.owner else ""
    when = f"{item.day.isoformat()} {item.start_time:%H:%M}"
    return f"{when}  {item.subject} — {item.meeting_type}{owner}"


def as_text(plan: SchedulePlan, *, applied: bool) -> str:
    s = _summary(plan)
    verb = ("added", "removed") if applied else ("would add", "would remove")
    lines = [
        f"Schedule {plan.window.label}: {s['meetings']:,} meetings in the window; "
        f"{s['kept']:,} already planned, {verb[0]} {s['added']:,} "
        f"({s['moved']:,} moved off their slot date), {verb[1]} {s['removed']:,}; "
        f"{s['conflicts']:,} conflict(s)."
    ]
    sections = [
        ("Moved off their slot date", plan.moved, lambda i: f"{_line(i)}: {i.moved_because}"),
        ("Removed (their slot no longer exists)", plan.removed, _line),
        ("Conflicts", plan.conflicts, lambda i: f"{_line(i)}: {i.conflict}"),
    ]
    for title, items, render in sections:
        if not items:
            continue
        lines.append("")
        lines.append(f"{title}:")
        lines.extend(f"  {render(item)}" for item in items[:LIST_LIMIT])
        if len(items) > LIST_LIMIT:
            lines.append(f"  … and {len(items) - LIST_LIMIT:,} more (use --json for all)")
    if plan.notes:
        lines.append("")
        lines.extend(f"Note: {note}" for note in plan.notes)
    if not applied and plan.has_changes:
        lines.append("")
        lines.append("This was a dry run. Add --apply to write it.")
    return "\n".join(lines)
