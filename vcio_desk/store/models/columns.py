"""Column helpers so every aggregate declares enums and foreign keys the same way."""

from __future__ import annotations

from enum import Enum as PyEnum

from sqlalchemy import Enum, ForeignKey

from .base import enum_values


def enum_column(enum_cls: type[PyEnum], length: int = 20) -> Enum:
    """A portable VARCHAR enum (no native PostgreSQL type, so adding values is a data change)."""
    return Enum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=enum_values,
        validate_strings=True,
    )


def staff_fk() -> ForeignKey:
    return ForeignKey("staff.id", ondelete="SET NULL")
