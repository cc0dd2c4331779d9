"""Meeting types: the templates a meeting is born from (agenda, checklist, pack sections)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from vcio_desk.domain.vocab import MeetingKind

from .base import Base
from .columns import enum_column


class MeetingType(Base):
    __tablename__ = "meeting_types"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[MeetingKind] = mapped_column(enum_column(MeetingKind))
    default_duration_minutes: Mapped[int] = mapped_column(default=60)
    default_start_time: Mapped[str] = mapped_column(String(5), default="10:00")
    agenda_template: Mapped[list[Any]] = mapped_column(default=list)
    prep_checklist: Mapped[list[Any]] = mapped_column(default=list)
    pack_sections: Mapped[list[Any]] = mapped_column(default=list)
    """The printed pack's sections in print order ("cover", "agenda"... as in
    ``reports.pack_data.PackSection``); empty means every section in the default order."""
