"""All rhythm versions in one query, grouped per rhythm in ``effective_from`` order."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from vcio_desk.domain.slots import VersionSpec
from vcio_desk.store import models as m


def versions_by_rhythm(
    session: Session | Connection,
    *,
    client_id: int | None = None,
    internal_body_id: int | None = None,
) -> dict[int, list[VersionSpec]]:
    """``client_id`` or ``internal_body_id`` limits the read to that subject's rhythms."""
    grouped: dict[int, list[VersionSpec]] = defaultdict(list)
    query = select(
        m.RhythmVersion.rhythm_id,
        m.RhythmVersion.rrule,
        m.RhythmVersion.anchor_date,
        m.RhythmVersion.tolerance_days,
        m.RhythmVersion.effective_from,
    ).order_by(m.RhythmVersion.rhythm_id, m.RhythmVersion.effective_from)
    if client_id is not None or internal_body_id is not None:
        subject = (
            m.Rhythm.client_id == client_id
            if client_id is not None
            else m.Rhythm.internal_body_id == internal_body_id
        )
        query = query.join(m.Rhythm, m.Rhythm.id == m.RhythmVersion.rhythm_id).where(subject)
    for rid, rule, anchor, tolerance, effective in session.execute(query):
        grouped[rid].append(VersionSpec(rule, anchor, tolerance, effective))
    return grouped
