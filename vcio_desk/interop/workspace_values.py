"""Values in a workspace file, by column kind: how each is written and what is read back.

Every kind has one spelling on the way out and a strict check on the way in, so a
round trip is lossless and a hand-edited value that would be stored as something
else is refused with a message saying what was expected ("expected a date like
2026-03-04, got "tomorrow""). Instants are UTC with a ``Z``; decimals are strings,
so no binary float ever touches money; bytes are base64.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import math
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from .workspace_schema import ColumnKind, ColumnSpec

Codec = Callable[[Any], Any]

INT_MIN = -(2**63)
INT_MAX = 2**63 - 1
SHOWN_CHARS = 60

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2})")
_DECIMAL = re.compile(r"-?(\d+)(?:\.(\d+))?")


class ValueProblem(ValueError):
    """A value that does not fit its column; the message says what was expected and got."""


def shown(value: Any) -> str:
    """A value as it appears in the file, short enough for a message."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    text = json.dumps(value, ensure_ascii=False)
    if len(text) > SHOWN_CHARS:
        text = text[: SHOWN_CHARS - 1] + "…" + ('"' if text.startswith('"') else "")
    return text


def _problem(expected: str, value: Any) -> ValueProblem:
    return ValueProblem(f"expected {expected}, got {shown(value)}")


# -- writing -------------------------------------------------------------------------------


def encode_datetime(value: dt.datetime) -> str:
    """``2026-03-04T09:00:00Z`` (microseconds only when there are some)."""
    if value.tzinfo is None:
        raise ValueError("naive datetime given where a UTC instant is required")
    return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat() + "Z"


def encode_decimal(value: Decimal | int | float) -> str:
    """Plain notation, never an exponent: ``1250.00``."""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    return format(number, "f")


def encode_bytes(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


def encode_float(value: float) -> float:
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{number} cannot be written to a workspace file")
    return number


_ENCODERS: dict[ColumnKind, Codec | None] = {
    ColumnKind.INTEGER: None,  # the store hands back int, bool and str as they are written
    ColumnKind.FLOAT: encode_float,
    ColumnKind.STRING: None,
    ColumnKind.BOOLEAN: None,
    ColumnKind.DATE: lambda value: value.isoformat(),
    ColumnKind.DATETIME: encode_datetime,
    ColumnKind.DECIMAL: encode_decimal,
    ColumnKind.JSON: None,
    ColumnKind.ENUM: None,  # str values or str-based enum members, which JSON writes as text
    ColumnKind.BYTES: encode_bytes,
}


def encoder(column: ColumnSpec) -> Codec | None:
    """Stored value (never None) → the JSON value written for ``column``; None: as it is."""
    return _ENCODERS[column.kind]


# -- reading -------------------------------------------------------------------------------


def decode_integer(value: Any) -> int:
    if type(value) is int and INT_MIN <= value <= INT_MAX:
        return value
    if type(value) is int:
        raise ValueProblem(f"expected a whole number that fits in 64 bits, got {shown(value)}")
    raise _problem("a whole number", value)


def decode_float(value: Any) -> float:
    if type(value) in (int, float) and math.isfinite(value):
        return float(value)
    raise _problem("a number", value)


def decode_string(value: Any) -> str:
    if type(value) is not str:
        raise _problem("text in quotes", value)
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueProblem(
                "the text holds an unpaired surrogate escape (\\ud800-\\udfff), "
                "which is not a character"
            ) from None
    return value


def decode_boolean(value: Any) -> bool:
    if type(value) is bool:
        return value
    raise _problem("true or false", value)


def decode_date(value: Any) -> dt.date:
    if type(value) is str and _DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise _problem("a date like 2026-03-04", value)


def decode_datetime(value: Any) -> dt.datetime:
    if type(value) is str and _DATETIME.fullmatch(value):
        try:
            return dt.datetime.fromisoformat(value).astimezone(dt.UTC)
        except (ValueError, OverflowError):
            pass
    raise _problem("a date-time like 2026-03-04T09:00:00Z", value)


def decode_json(value: Any) -> Any:
    return value


def decode_bytes(value: Any) -> bytes:
    if type(value) is str:
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            pass
    raise _problem("bytes in base64", value)


def decimal_decoder(precision: int | None, scale: int | None) -> Codec:
    """Decimals as strings in plain notation, within the column's digits."""
    whole_digits = None if precision is None else precision - (scale or 0)

    def decode_decimal(value: Any) -> Decimal:
        match = _DECIMAL.fullmatch(value) if type(value) is str else None
        if match is None:
            raise _problem('a decimal number written as text, like "1250.00"', value)
        whole, fraction = match.group(1), match.group(2) or ""
        if scale is not None and len(fraction) > scale:
            raise ValueProblem(f"expected at most {scale} decimal places, got {shown(value)}")
        if whole_digits is not None and len(whole.lstrip("0")) > whole_digits:
            raise ValueProblem(
                f"expected at most {whole_digits} digits before the decimal point, "
                f"got {shown(value)}"
            )
        try:
            return Decimal(value)
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            raise _problem("a decimal number", value) from None

    return decode_decimal


def enum_decoder(choices: tuple[str, ...]) -> Codec:
    allowed = frozenset(choices)
    listed = ", ".join(json.dumps(choice) for choice in choices)

    def decode_enum(value: Any) -> str:
        if type(value) is str and value in allowed:
            return value
        raise _problem(f"one of {listed}", value)

    return decode_enum


_DECODERS: dict[ColumnKind, Codec] = {
    ColumnKind.INTEGER: decode_integer,
    ColumnKind.FLOAT: decode_float,
    ColumnKind.STRING: decode_string,
    ColumnKind.BOOLEAN: decode_boolean,
    ColumnKind.DATE: decode_date,
    ColumnKind.DATETIME: decode_datetime,
    ColumnKind.JSON: decode_json,
    ColumnKind.BYTES: decode_bytes,
}


def decoder(column: ColumnSpec) -> Codec:
    """JSON value → the value stored for ``column``; raises :class:`ValueProblem`.

    ``null`` is accepted where the column may be empty. A JSON column is stored as
    it is; its own ``null`` is a value, not an empty column.
    """
    if column.kind is ColumnKind.DECIMAL:
        decode = decimal_decoder(column.precision, column.scale)
    elif column.kind is ColumnKind.ENUM:
        decode = enum_decoder(column.choices)
    else:
        decode = _DECODERS[column.kind]
    if column.kind is ColumnKind.JSON:
        return decode
    nullable = column.nullable

    def decode_value(value: Any) -> Any:
        if value is None:
            if nullable:
                return None
            raise ValueProblem("a value is required here, got null")
        return decode(value)

    return decode_value


BulkCodec = Callable[[list[Any]], list[Any] | None]


def bulk_decoder(column: ColumnSpec) -> BulkCodec:
    """Checks a whole column of values at once, at C speed for the common kinds.

    Returns the decoded values, or None when they are stored as they are. Raises
    :class:`ValueProblem` on any bad value without saying which: run :func:`decoder`
    value by value to find and name them.
    """
    kind, nullable = column.kind, column.nullable
    if kind is ColumnKind.JSON:
        return lambda _values: None
    if kind is ColumnKind.ENUM:
        allowed = frozenset((*column.choices, None) if nullable else column.choices)
        return lambda values: _enum_column(values, allowed)
    if kind in _PLAIN_TYPES:
        plain = _PLAIN_TYPES[kind]
        return lambda values: _plain_column(values, plain, nullable)
    decode = decoder(column)
    return lambda values: [decode(value) for value in values]


_PLAIN_TYPES: dict[ColumnKind, type] = {
    ColumnKind.INTEGER: int,
    ColumnKind.STRING: str,
    ColumnKind.BOOLEAN: bool,
}


def _plain_column(values: list[Any], plain: type, nullable: bool) -> None:
    types = set(map(type, values))  # C speed: no Python call per value
    allowed = {plain, type(None)} if nullable else {plain}
    if not types <= allowed:
        raise ValueProblem("a value of another type")
    has_null = type(None) in types
    present = [value for value in values if value is not None] if has_null else values
    if plain is int and present and (min(present) < INT_MIN or max(present) > INT_MAX):
        raise ValueProblem("a number out of range")
    if plain is str:
        try:
            "".join(present).encode("utf-8")
        except UnicodeEncodeError:
            raise ValueProblem("an unpaired surrogate") from None
    return None


def _enum_column(values: list[Any], allowed: frozenset[Any]) -> None:
    try:
        if set(values) <= allowed:
            return None
    except TypeError:  # an object or a list among the values
        pass
    raise ValueProblem("a value outside the choices")
