"""Dismissed rhythm-review suggestions, remembered until the evidence behind them changes."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utc_now


class RhythmReviewNote(Base):
    __tablename__ = "rhythm_review_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    rhythm_id: Mapped[int] = mapped_column(
        ForeignKey("rhythms.id", ondelete="CASCADE"), index=True, unique=True
    )
    evidence_key: Mapped[str] = mapped_column(String(64))
    """A digest of the evidence when dismissed; a new digest brings the suggestion back."""
    note: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(200), default="")
    dismissed_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
