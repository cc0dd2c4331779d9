"""Alignment reviews: a snapshot of the standards used, so library edits never change a score."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vcio_desk.domain.vocab import Answer, Priority, Rating, ReviewStatus

from .base import Base, utc_now
from .columns import enum_column, staff_fk


class AlignmentReview(Base):
    __tablename__ = "alignment_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"))
    tam_id: Mapped[int | None] = mapped_column(staff_fk())
    vcio_id: Mapped[int | None] = mapped_column(staff_fk())
    started_on: Mapped[dt.date]
    completed_on: Mapped[dt.date | None]
    status: Mapped[ReviewStatus] = mapped_column(
        enum_column(ReviewStatus), default=ReviewStatus.IN_PROGRESS
    )
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)

    items: Mapped[list[ReviewItem]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="ReviewItem.position"
    )


class ReviewItem(Base):
    """One standard as it stood when the review began, with the answer and rating given."""

    __tablename__ = "review_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(
        ForeignKey("alignment_reviews.id", ondelete="CASCADE"), index=True
    )
    standard_id: Mapped[int | None] = mapped_column(ForeignKey("standards.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(default=0)
    code: Mapped[str] = mapped_column(String(30))
    section_name: Mapped[str] = mapped_column(String(200))
    category_name: Mapped[str] = mapped_column(String(200))
    question: Mapped[str] = mapped_column(Text)
    why_it_matters: Mapped[str] = mapped_column(Text, default="")
    how_to_align: Mapped[str] = mapped_column(Text, default="")
    priority: Mapped[Priority] = mapped_column(enum_column(Priority))
    internal_only: Mapped[bool] = mapped_column(default=False)
    answer: Mapped[Answer | None] = mapped_column(enum_column(Answer))
    rating: Mapped[Rating | None] = mapped_column(enum_column(Rating))
    notes: Mapped[str] = mapped_column(Text, default="")
    csi_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("csi_items.id", ondelete="SET NULL"), index=True
    )
