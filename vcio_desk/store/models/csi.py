"""The CSI register: improvement items per client (or the MSP's own) and their history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from vcio_desk.domain.vocab import CsiSize, CsiStatus, Priority

from .base import Base, utc_now
from .columns import enum_column, staff_fk


class CsiItem(Base):
    """An improvement opportunity; ``client_id`` is NULL for the MSP's own register."""

    __tablename__ = "csi_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int | None] = mapped_column(
        ForeignKey("clients.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    size: Mapped[CsiSize] = mapped_column(enum_column(CsiSize, 2), default=CsiSize.M)
    priority: Mapped[Priority] = mapped_column(enum_column(Priority), default=Priority.MEDIUM)
    rank: Mapped[int] = mapped_column(default=0)
    kpi_name: Mapped[str] = mapped_column(String(200), default="")
    kpi_unit: Mapped[str] = mapped_column(String(30), default="")
    kpi_baseline: Mapped[Decimal | None]
    kpi_target: Mapped[Decimal | None]
    kpi_current: Mapped[Decimal | None]
    justification: Mapped[str] = mapped_column(Text, default="")
    target_fiscal_year: Mapped[int | None]
    target_quarter: Mapped[int | None]
    one_time_cost: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    recurring_cost_monthly: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    status: Mapped[CsiStatus] = mapped_column(enum_column(CsiStatus), default=CsiStatus.PROPOSED)
    progress_pct: Mapped[int] = mapped_column(default=0)
    owner_id: Mapped[int | None] = mapped_column(staff_fk())
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utc_now, onupdate=utc_now)
    row_version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": row_version}  # noqa: RUF012


class CsiChange(Base):
    __tablename__ = "csi_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("csi_items.id", ondelete="CASCADE"), index=True)
    changed_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    author: Mapped[str] = mapped_column(String(200), default="")
    changes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    note: Mapped[str] = mapped_column(Text, default="")
