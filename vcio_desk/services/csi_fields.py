"""The editable fields of a CSI item: names, labels and the checks every write goes through.

Callers (the item dialog, alignment reviews, imports) hand fields by their
``CsiItem`` column name; :func:`clean_fields` turns what people typed into the
values stored, or raises a ValidationError naming the field. Numbers are decimals
rounded to cents (the columns hold two places), so what the history records is
exactly what the register shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import Enum
from typing import Any

from vcio_desk.domain.errors import ValidationError
from vcio_desk.domain.fiscal import MAX_YEAR, MIN_YEAR
from vcio_desk.domain.vocab import CsiSize, CsiStatus, Priority

CENT = Decimal("0.01")
MAX_NUMBER = Decimal("9999999999.99")
"""The largest magnitude the Numeric(12, 2) columns hold."""

FIELD_LABELS: dict[str, str] = {
    "title": "Title",
    "description": "Description",
    "size": "Size",
    "priority": "Priority",
    "rank": "Rank",
    "kpi_name": "KPI",
    "kpi_unit": "KPI unit",
    "kpi_baseline": "KPI baseline",
    "kpi_target": "KPI target",
    "kpi_current": "KPI current",
    "justification": "Justification",
    "target_fiscal_year": "Target fiscal year",
    "target_quarter": "Target quarter",
    "one_time_cost": "One-time cost",
    "recurring_cost_monthly": "Recurring cost per month",
    "status": "Status",
    "progress_pct": "Work done (%)",
    "owner_id": "Owner",
}
"""Every field a caller may set, with the name people read in the history."""

EDITABLE_FIELDS = tuple(FIELD_LABELS)
MONEY_FIELDS = frozenset({"one_time_cost", "recurring_cost_monthly"})
KPI_FIELDS = frozenset({"kpi_baseline", "kpi_target", "kpi_current"})


def _label(name: str) -> str:
    return FIELD_LABELS[name]


def _text(max_length: int, *, required: bool = False) -> Callable[[str, Any], str]:
    def convert(name: str, value: Any) -> str:
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise ValidationError(f"{_label(name)} must be text.")
        value = value.strip()
        if required and not value:
            raise ValidationError(f"{_label(name)} is required.")
        if len(value) > max_length:
            raise ValidationError(
                f"{_label(name)} is too long ({len(value)} characters; at most {max_length})."
            )
        return value

    return convert


def _enum(enum_cls: type[Enum]) -> Callable[[str, Any], Any]:
    choices = " or ".join(str(member.value) for member in enum_cls)

    def convert(name: str, value: Any) -> Any:
        try:
            return enum_cls(value)
        except ValueError:
            raise ValidationError(f"{_label(name)} must be {choices}, not {value!r}.") from None

    return convert


def to_decimal(name: str, value: Any) -> Decimal | None:
    """A decimal rounded to cents; None for an empty value."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValidationError(f"{_label(name)} must be a number.")
    try:
        number = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        raise ValidationError(f"{_label(name)} must be a number, not {value!r}.") from None
    if not number.is_finite():
        raise ValidationError(f"{_label(name)} must be a number, not {value!r}.")
    number = number.quantize(CENT, rounding=ROUND_HALF_UP)
    if abs(number) > MAX_NUMBER:
        raise ValidationError(f"{_label(name)} is too large (at most {MAX_NUMBER:,}).")
    return number


def _money(name: str, value: Any) -> Decimal:
    number = to_decimal(name, value)
    if number is None:
        return Decimal("0.00")
    if number < 0:
        raise ValidationError(f"{_label(name)} cannot be negative.")
    return number


def _int(low: int | None, high: int | None, *, optional: bool) -> Callable[[str, Any], int | None]:
    def convert(name: str, value: Any) -> int | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            if optional:
                return None
            raise ValidationError(f"{_label(name)} is required.")
        if isinstance(value, bool):
            raise ValidationError(f"{_label(name)} must be a whole number.")
        try:
            number = int(value) if not isinstance(value, str) else int(value.strip())
        except (TypeError, ValueError):
            raise ValidationError(
                f"{_label(name)} must be a whole number, not {value!r}."
            ) from None
        if number != value and not isinstance(value, str):
            raise ValidationError(f"{_label(name)} must be a whole number, not {value!r}.")
        if (low is not None and number < low) or (high is not None and number > high):
            bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
            raise ValidationError(f"{_label(name)} must be {bounds}, not {number}.")
        return number

    return convert


_CONVERTERS: dict[str, Callable[[str, Any], Any]] = {
    "title": _text(300, required=True),
    "description": _text(20000),
    "size": _enum(CsiSize),
    "priority": _enum(Priority),
    "rank": _int(0, 1_000_000, optional=False),
    "kpi_name": _text(200),
    "kpi_unit": _text(30),
    "kpi_baseline": to_decimal,
    "kpi_target": to_decimal,
    "kpi_current": to_decimal,
    "justification": _text(20000),
    "target_fiscal_year": _int(MIN_YEAR, MAX_YEAR, optional=True),
    "target_quarter": _int(1, 4, optional=True),
    "one_time_cost": _money,
    "recurring_cost_monthly": _money,
    "status": _enum(CsiStatus),
    "progress_pct": _int(0, 100, optional=False),
    "owner_id": _int(1, None, optional=True),
}


def clean_fields(fields: Mapping[str, object]) -> dict[str, Any]:
    """The stored form of ``fields``; ValidationError for an unknown field or a bad value."""
    unknown = sorted(set(fields) - set(_CONVERTERS))
    if unknown:
        raise ValidationError(f"A CSI item has no field {', '.join(map(repr, unknown))}.")
    return {name: _CONVERTERS[name](name, value) for name, value in fields.items()}


def check_target(year: int | None, quarter: int | None) -> None:
    """A target is a fiscal year and a quarter together, or nothing."""
    if (year is None) != (quarter is None):
        raise ValidationError(
            "Give the target as a fiscal year and a quarter together, or leave both empty."
        )


def to_json(value: Any) -> Any:
    """How a value is written into the change history (JSON)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
