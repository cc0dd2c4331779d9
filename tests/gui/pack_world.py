"""Shared by the pack GUI tests: a small demo workspace, its next client meeting, PDF text.

Not a conftest: the pack tests import what they need from here explicitly.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import select

from vcio_desk.domain.vocab import MeetingStatus
from vcio_desk.services.demo import build_demo
from vcio_desk.store import Store
from vcio_desk.store import models as m

AS_OF = dt.date(2026, 11, 20)


def build_pack_demo(store: Store) -> Store:
    build_demo(store, clients=3, years=1, seed=2, as_of=AS_OF)
    return store


def next_client_meeting(store: Store) -> int:
    """The first client meeting after AS_OF that is still going to happen."""
    start = dt.datetime.combine(AS_OF, dt.time(), tzinfo=dt.UTC)
    with store.session() as session:
        meeting_id = session.scalar(
            select(m.Meeting.id)
            .where(
                m.Meeting.client_id.is_not(None),
                m.Meeting.scheduled_start >= start,
                m.Meeting.status.in_([MeetingStatus.PROPOSED, MeetingStatus.CONFIRMED]),
            )
            .order_by(m.Meeting.scheduled_start, m.Meeting.id)
            .limit(1)
        )
    assert meeting_id is not None, "the demo has meetings after AS_OF"
    return meeting_id


def pdf_text(data: bytes | Path) -> str:
    raw = data.read_bytes() if isinstance(data, Path) else data
    reader = PdfReader(io.BytesIO(raw))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def pdf_pages(data: bytes | Path) -> int:
    raw = data.read_bytes() if isinstance(data, Path) else data
    return len(PdfReader(io.BytesIO(raw)).pages)
