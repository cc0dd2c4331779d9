"""Subjects of rhythms: clients (with their contacts) and the MSP's internal bodies."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vcio_desk.domain.vocab import BodyKind, Tier

from .base import Base, utc_now
from .columns import enum_column, staff_fk


class Client(Base):
    __tablename__ = "clients"
    __table_args__ = (
        CheckConstraint("fiscal_year_start_month BETWEEN 1 AND 12", name="fiscal_month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    tier: Mapped[Tier] = mapped_column(enum_column(Tier, 4), default=Tier.B)
    fiscal_year_start_month: Mapped[int] = mapped_column(default=1)
    country: Mapped[str | None] = mapped_column(String(2))
    subdivision: Mapped[str | None] = mapped_column(String(10))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    vcio_id: Mapped[int | None] = mapped_column(staff_fk(), index=True)
    tam_id: Mapped[int | None] = mapped_column(staff_fk(), index=True)
    account_manager_id: Mapped[int | None] = mapped_column(staff_fk(), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    logo: Mapped[bytes | None] = mapped_column(default=None)
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    row_version: Mapped[int] = mapped_column(default=1)

    contacts: Mapped[list[Contact]] = relationship(
        back_populates="client", lazy="raise", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": row_version}  # noqa: RUF012


class Contact(Base):
    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(50))
    decision_maker: Mapped[bool] = mapped_column(default=False)

    client: Mapped[Client] = relationship(back_populates="contacts", lazy="raise")


class InternalBody(Base):
    """An internal forum with its own rhythm, e.g. the standards committee."""

    __tablename__ = "internal_bodies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[BodyKind] = mapped_column(enum_column(BodyKind), default=BodyKind.OTHER)
    owner_id: Mapped[int | None] = mapped_column(staff_fk())
    country: Mapped[str | None] = mapped_column(String(2))
    subdivision: Mapped[str | None] = mapped_column(String(10))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    description: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(default=True)
