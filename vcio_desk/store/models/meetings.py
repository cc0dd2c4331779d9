"""Meetings with their agenda, attendees, prep checklist and the action items they raise."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vcio_desk.domain.vocab import ActionStatus, MeetingStatus

from .base import Base, utc_now
from .columns import enum_column, staff_fk


class Meeting(Base):
    __tablename__ = "meetings"
    __table_args__ = (
        CheckConstraint("(client_id IS NULL) <> (internal_body_id IS NULL)", name="one_subject"),
        Index("ix_meetings_rhythm_slot", "rhythm_id", "slot_date"),
        Index("ix_meetings_start", "scheduled_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int | None] = mapped_column(
        ForeignKey("clients.id", ondelete="CASCADE"), index=True
    )
    internal_body_id: Mapped[int | None] = mapped_column(
        ForeignKey("internal_bodies.id", ondelete="CASCADE"), index=True
    )
    meeting_type_id: Mapped[int] = mapped_column(ForeignKey("meeting_types.id"))
    rhythm_id: Mapped[int | None] = mapped_column(ForeignKey("rhythms.id", ondelete="SET NULL"))
    slot_date: Mapped[dt.date | None]
    owner_id: Mapped[int | None] = mapped_column(staff_fk(), index=True)
    scheduled_start: Mapped[dt.datetime]
    scheduled_end: Mapped[dt.datetime]
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    status: Mapped[MeetingStatus] = mapped_column(
        enum_column(MeetingStatus), default=MeetingStatus.PROPOSED
    )
    user_touched: Mapped[bool] = mapped_column(default=False)
    held_date: Mapped[dt.date | None]
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str] = mapped_column(String(300), default="")
    client_notes: Mapped[str] = mapped_column(Text, default="")
    internal_notes: Mapped[str] = mapped_column(Text, default="")
    decisions: Mapped[str] = mapped_column(Text, default="")
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utc_now, onupdate=utc_now)
    row_version: Mapped[int] = mapped_column(default=1)

    agenda_items: Mapped[list[AgendaItem]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="AgendaItem.position"
    )
    attendees: Mapped[list[MeetingAttendee]] = relationship(
        lazy="raise", cascade="all, delete-orphan"
    )
    prep_items: Mapped[list[PrepItem]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="PrepItem.position"
    )

    __mapper_args__ = {"version_id_col": row_version}  # noqa: RUF012


class AgendaItem(Base):
    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    minutes: Mapped[int] = mapped_column(default=10)
    presenter: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class MeetingAttendee(Base):
    """A staff member or a client contact invited to a meeting (or a free-text guest)."""

    __tablename__ = "meeting_attendees"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    staff_id: Mapped[int | None] = mapped_column(staff_fk())
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(200), default="")
    present: Mapped[bool | None]


class PrepItem(Base):
    __tablename__ = "prep_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    label: Mapped[str] = mapped_column(String(300))
    done: Mapped[bool] = mapped_column(default=False)


class ActionItem(Base):
    __tablename__ = "action_items"
    __table_args__ = (
        CheckConstraint(
            "NOT (owner_staff_id IS NOT NULL AND owner_contact_id IS NOT NULL)",
            name="one_owner",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int | None] = mapped_column(
        ForeignKey("clients.id", ondelete="CASCADE"), index=True
    )
    internal_body_id: Mapped[int | None] = mapped_column(
        ForeignKey("internal_bodies.id", ondelete="CASCADE")
    )
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(500))
    notes: Mapped[str] = mapped_column(Text, default="")
    owner_staff_id: Mapped[int | None] = mapped_column(staff_fk())
    owner_contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL")
    )
    due_date: Mapped[dt.date | None]
    status: Mapped[ActionStatus] = mapped_column(
        enum_column(ActionStatus), default=ActionStatus.OPEN
    )
    completed_on: Mapped[dt.date | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
