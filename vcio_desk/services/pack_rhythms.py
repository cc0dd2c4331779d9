"""A pack's rhythm section and adherence figure, from the drift and rhythm services.

Drift is assessed for the meeting's subject only (one client, or one internal body),
so a pack costs the same on a workspace of 40 clients or 500. Each rhythm prints the
last twelve months' slots with their state in words and the next twelve months'
dates (a booked meeting's own date where one is booked); its flag and reason are
kept for the internal edition.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from vcio_desk.domain.drift import SlotResult, SlotState
from vcio_desk.reports.pack_data import RhythmLine, SlotLine
from vcio_desk.store import Store

from .adherence import summarize_adherence
from .drift import RhythmDrift, assess_all
from .rhythms import RhythmView, list_rhythms

SLOT_WORDS = {
    SlotState.ON_TIME: "held on time",
    SlotState.EARLY: "held early",
    SlotState.LATE: "held late",
    SlotState.UPCOMING: "upcoming",
    SlotState.DUE: "due",
    SlotState.OVERDUE: "overdue",
    SlotState.MISSED: "missed",
}
OPEN_BOOKED = "booked"
"""A slot still to come (or due) that has a confirmed meeting."""


@dataclass(frozen=True, slots=True)
class RhythmParts:
    rhythms: tuple[RhythmLine, ...]
    adherence_pct: float | None
    adherence_kept: int
    adherence_judged: int


def slot_words(slot: SlotResult) -> str:
    if slot.booked is not None and slot.state in (SlotState.UPCOMING, SlotState.DUE):
        return OPEN_BOOKED
    return SLOT_WORDS[slot.state]


def rhythm_parts(
    store: Store,
    as_of: dt.date,
    *,
    client_id: int | None = None,
    internal_body_id: int | None = None,
) -> RhythmParts:
    """The subject's active rhythms as pack lines, and its adherence over the last year."""
    report = assess_all(store, as_of, client_id=client_id, internal_body_id=internal_body_id)
    overall = summarize_adherence(report).overall
    views = {
        view.id: view
        for view in list_rhythms(store, client_id=client_id, internal_body_id=internal_body_id)
    }
    lines = tuple(
        rhythm_line(item, views.get(item.rhythm_id), as_of)
        for item in sorted(report.rhythms, key=lambda r: r.rhythm_id)
    )
    return RhythmParts(lines, overall.pct, overall.kept, overall.judged)


def rhythm_line(item: RhythmDrift, view: RhythmView | None, as_of: dt.date) -> RhythmLine:
    first = as_of - relativedelta(months=12)
    last = as_of + relativedelta(months=12)
    slots = item.assessment.slots
    version = view.current(as_of) if view is not None else None
    if version is not None:
        description, tolerance = version.description, version.tolerance_days
    else:  # a rhythm without versions has no slots either; say so rather than guess
        description, tolerance = "No rule yet", 0
    return RhythmLine(
        meeting_type=item.meeting_type,
        description=description,
        tolerance_days=tolerance,
        adherence_pct=item.assessment.adherence_pct,
        past=tuple(
            SlotLine(s.nominal, slot_words(s), s.held, s.delta_days)
            for s in slots
            if first < s.nominal <= as_of
        ),
        upcoming=tuple(s.booked or s.nominal for s in slots if as_of < s.nominal <= last),
        flag=str(item.assessment.flag),
        reason=item.assessment.reason,
    )
