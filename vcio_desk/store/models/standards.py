"""The standards library (sections, categories, standards), change log and committee decisions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vcio_desk.domain.vocab import Priority

from .base import Base, utc_now
from .columns import enum_column


class StandardSection(Base):
    __tablename__ = "standard_sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)
    archived: Mapped[bool] = mapped_column(default=False)

    categories: Mapped[list[StandardCategory]] = relationship(
        lazy="raise", order_by="StandardCategory.position"
    )


class StandardCategory(Base):
    __tablename__ = "standard_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("standard_sections.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)
    archived: Mapped[bool] = mapped_column(default=False)


class Standard(Base):
    """A yes/no question; archived instead of deleted so reviews and history stay readable."""

    __tablename__ = "standards"

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("standard_categories.id"), index=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    question: Mapped[str] = mapped_column(Text)
    why_it_matters: Mapped[str] = mapped_column(Text, default="")
    how_to_align: Mapped[str] = mapped_column(Text, default="")
    priority: Mapped[Priority] = mapped_column(enum_column(Priority), default=Priority.MEDIUM)
    internal_only: Mapped[bool] = mapped_column(default=False)
    tiers: Mapped[list[Any]] = mapped_column(default=lambda: ["A", "B", "C"])
    position: Mapped[int] = mapped_column(default=0)
    archived: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utc_now, onupdate=utc_now)


class CommitteeDecision(Base):
    """A decision of the standards committee, taken in one of its meetings."""

    __tablename__ = "committee_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="proposed")
    proposed_changes: Mapped[list[Any]] = mapped_column(default=list)
    decided_on: Mapped[dt.date | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)


class StandardChange(Base):
    """One recorded change to the library: who, when, why, and which decision if any."""

    __tablename__ = "standard_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    standard_id: Mapped[int | None] = mapped_column(
        ForeignKey("standards.id", ondelete="SET NULL"), index=True
    )
    decision_id: Mapped[int | None] = mapped_column(
        ForeignKey("committee_decisions.id", ondelete="SET NULL"), index=True
    )
    changed_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    author: Mapped[str] = mapped_column(String(200), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    action: Mapped[str] = mapped_column(String(20))
    changes: Mapped[dict[str, Any]] = mapped_column(default=dict)
