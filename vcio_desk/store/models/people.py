"""Staff of the MSP: who owns meetings, and how many a day they can take."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utc_now


class Staff(Base):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    email: Mapped[str | None] = mapped_column(String(254))
    is_vcio: Mapped[bool] = mapped_column(default=False)
    is_tam: Mapped[bool] = mapped_column(default=False)
    is_account_manager: Mapped[bool] = mapped_column(default=False)
    is_service_manager: Mapped[bool] = mapped_column(default=False)
    daily_capacity: Mapped[int] = mapped_column(default=2)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
