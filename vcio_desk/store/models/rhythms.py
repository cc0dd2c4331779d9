"""Rhythms and their versions: a planned recurrence of one meeting type for one subject."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utc_now
from .columns import staff_fk


class Rhythm(Base):
    __tablename__ = "rhythms"
    __table_args__ = (
        CheckConstraint("(client_id IS NULL) <> (internal_body_id IS NULL)", name="one_subject"),
        UniqueConstraint("client_id", "meeting_type_id", name="uq_rhythms_client_type"),
        UniqueConstraint("internal_body_id", "meeting_type_id", name="uq_rhythms_body_type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int | None] = mapped_column(
        ForeignKey("clients.id", ondelete="CASCADE"), index=True
    )
    internal_body_id: Mapped[int | None] = mapped_column(
        ForeignKey("internal_bodies.id", ondelete="CASCADE"), index=True
    )
    meeting_type_id: Mapped[int] = mapped_column(ForeignKey("meeting_types.id"))
    owner_id: Mapped[int | None] = mapped_column(staff_fk())
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    row_version: Mapped[int] = mapped_column(default=1)

    versions: Mapped[list[RhythmVersion]] = relationship(
        back_populates="rhythm",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="RhythmVersion.effective_from",
    )

    __mapper_args__ = {"version_id_col": row_version}  # noqa: RUF012


class RhythmVersion(Base):
    """One version of a rhythm, in force from ``effective_from`` until the next version."""

    __tablename__ = "rhythm_versions"
    __table_args__ = (
        UniqueConstraint("rhythm_id", "effective_from", name="uq_rhythm_versions_effective"),
        CheckConstraint("tolerance_days >= 0", name="tolerance_nonnegative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rhythm_id: Mapped[int] = mapped_column(ForeignKey("rhythms.id", ondelete="CASCADE"))
    rrule: Mapped[str] = mapped_column(String(500))
    anchor_date: Mapped[dt.date]
    tolerance_days: Mapped[int]
    effective_from: Mapped[dt.date]
    reason: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)

    rhythm: Mapped[Rhythm] = relationship(back_populates="versions", lazy="raise")
