"""Values of a workspace file by column kind: one spelling out, a strict check back in."""

from __future__ import annotations

import datetime as dt
import json
import math
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vcio_desk.interop.workspace_schema import ColumnKind, ColumnSpec
from vcio_desk.interop.workspace_values import (
    INT_MAX,
    INT_MIN,
    ValueProblem,
    bulk_decoder,
    decoder,
    encoder,
)

ENUM = ColumnSpec("status", ColumnKind.ENUM, choices=("open", "done"))
MONEY = ColumnSpec("cost", ColumnKind.DECIMAL, precision=12, scale=2)


def column(kind: ColumnKind, nullable: bool = False) -> ColumnSpec:
    if kind is ColumnKind.ENUM:
        return ColumnSpec("c", kind, nullable, choices=ENUM.choices)
    if kind is ColumnKind.DECIMAL:
        return ColumnSpec("c", kind, nullable, precision=12, scale=2)
    return ColumnSpec("c", kind, nullable)


def write(spec: ColumnSpec, value: Any) -> Any:
    """What the file holds for ``value``, through JSON text like the real writer."""
    encode = encoder(spec)
    encoded = value if encode is None or value is None else encode(value)
    return json.loads(json.dumps(encoded, ensure_ascii=False, allow_nan=False))


def read(spec: ColumnSpec, value: Any) -> Any:
    return decoder(spec)(value)


@pytest.mark.parametrize(
    ("kind", "value", "written"),
    [
        (ColumnKind.INTEGER, 42, 42),
        (ColumnKind.FLOAT, 2.5, 2.5),
        (ColumnKind.STRING, "Ça va, Łódź — 東京", "Ça va, Łódź — 東京"),
        (ColumnKind.BOOLEAN, False, False),
        (ColumnKind.DATE, dt.date(2026, 3, 4), "2026-03-04"),
        (ColumnKind.DATETIME, dt.datetime(2026, 3, 4, 9, tzinfo=dt.UTC), "2026-03-04T09:00:00Z"),
        (
            ColumnKind.DATETIME,
            dt.datetime(2026, 3, 4, 9, 0, 0, 120, tzinfo=dt.UTC),
            "2026-03-04T09:00:00.000120Z",
        ),
        (ColumnKind.DECIMAL, Decimal("1250.00"), "1250.00"),
        (ColumnKind.DECIMAL, Decimal("1E+3"), "1000"),
        (ColumnKind.JSON, {"a": [1, None, "x"]}, {"a": [1, None, "x"]}),
        (ColumnKind.ENUM, "done", "done"),
        (ColumnKind.BYTES, b"\x89PNG\x00", "iVBORwA="),
    ],
)
def test_each_kind_has_one_spelling(kind: ColumnKind, value: Any, written: Any) -> None:
    spec = column(kind)
    assert write(spec, value) == written
    assert read(spec, written) == value


def test_instants_in_other_zones_are_written_in_utc() -> None:
    berlin = dt.timezone(dt.timedelta(hours=1))
    spec = column(ColumnKind.DATETIME)
    assert write(spec, dt.datetime(2026, 3, 4, 10, tzinfo=berlin)) == "2026-03-04T09:00:00Z"
    assert read(spec, "2026-03-04T10:00:00+01:00") == dt.datetime(2026, 3, 4, 9, tzinfo=dt.UTC)
    with pytest.raises(ValueError, match="naive"):
        write(spec, dt.datetime(2026, 3, 4, 10))


def test_enum_members_are_written_as_their_values() -> None:
    from vcio_desk.domain.vocab import ActionStatus

    assert write(ENUM, ActionStatus.DONE) == "done"


def test_null_only_where_the_column_may_be_empty() -> None:
    assert read(column(ColumnKind.DATE, nullable=True), None) is None
    with pytest.raises(ValueProblem, match="a value is required here, got null"):
        read(column(ColumnKind.DATE), None)
    assert read(column(ColumnKind.JSON), None) is None  # JSON null is a value


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        (ColumnKind.INTEGER, "12", 'expected a whole number, got "12"'),
        (ColumnKind.INTEGER, 1.5, "expected a whole number, got 1.5"),
        (ColumnKind.INTEGER, True, "expected a whole number, got true"),
        (ColumnKind.INTEGER, 2**63, "fits in 64 bits"),
        (ColumnKind.FLOAT, "1.5", 'expected a number, got "1.5"'),
        (ColumnKind.STRING, 12, "expected text in quotes, got 12"),
        (ColumnKind.STRING, "bad \ud800", "unpaired surrogate"),
        (ColumnKind.BOOLEAN, 1, "expected true or false, got 1"),
        (ColumnKind.BOOLEAN, "true", 'expected true or false, got "true"'),
        (ColumnKind.DATE, "tomorrow", 'expected a date like 2026-03-04, got "tomorrow"'),
        (ColumnKind.DATE, "2026-02-30", "expected a date like 2026-03-04"),
        (ColumnKind.DATE, "20260304", "expected a date like 2026-03-04"),
        (
            ColumnKind.DATETIME,
            "tomorrow",
            'expected a date-time like 2026-03-04T09:00:00Z, got "tomorrow"',
        ),
        (ColumnKind.DATETIME, "2026-03-04T09:00:00", "expected a date-time"),  # no zone
        (ColumnKind.DATETIME, "2026-03-04", "expected a date-time"),
        (ColumnKind.DATETIME, "2026-13-04T09:00:00Z", "expected a date-time"),
        (ColumnKind.DECIMAL, 1250, 'written as text, like "1250.00", got 1250'),
        (ColumnKind.DECIMAL, "1,250.00", "written as text"),
        (ColumnKind.DECIMAL, "1e3", "written as text"),
        (ColumnKind.DECIMAL, "NaN", "written as text"),
        (ColumnKind.DECIMAL, "1.234", 'at most 2 decimal places, got "1.234"'),
        (ColumnKind.DECIMAL, "12345678901.00", "at most 10 digits before the decimal point"),
        (ColumnKind.ENUM, "closed", 'expected one of "open", "done", got "closed"'),
        (ColumnKind.ENUM, ["open"], "got a list"),
        (ColumnKind.BYTES, "not base64!", "expected bytes in base64"),
        (ColumnKind.BYTES, {"b": 1}, "got an object"),
    ],
)
def test_wrong_values_say_what_was_expected(kind: ColumnKind, value: Any, message: str) -> None:
    with pytest.raises(ValueProblem) as caught:
        read(column(kind), value)
    assert message in str(caught.value)


def test_long_values_are_shortened_in_messages() -> None:
    with pytest.raises(ValueProblem) as caught:
        read(column(ColumnKind.DATE), "x" * 500)
    assert len(str(caught.value)) < 120


@pytest.mark.parametrize("kind", list(ColumnKind))
def test_a_whole_column_is_checked_like_each_value(kind: ColumnKind) -> None:
    good = {
        ColumnKind.INTEGER: [1, INT_MIN, INT_MAX],
        ColumnKind.FLOAT: [1, 2.5],
        ColumnKind.STRING: ["a", "é"],
        ColumnKind.BOOLEAN: [True, False],
        ColumnKind.DATE: ["2026-03-04"],
        ColumnKind.DATETIME: ["2026-03-04T09:00:00Z"],
        ColumnKind.DECIMAL: ["1.00", "-3"],
        ColumnKind.JSON: [{"a": 1}, None],
        ColumnKind.ENUM: ["open", "done"],
        ColumnKind.BYTES: ["AAE="],
    }[kind]
    for spec, values in ((column(kind), good), (column(kind, nullable=True), [*good, None])):
        decoded = bulk_decoder(spec)(list(values))
        assert (values if decoded is None else decoded) == [read(spec, v) for v in values]
    if kind is not ColumnKind.JSON:
        with pytest.raises(ValueProblem):
            bulk_decoder(column(kind))([*good, [1]])
        with pytest.raises(ValueProblem):
            bulk_decoder(column(kind))([*good, None])


def test_a_column_of_numbers_out_of_range_or_surrogates_is_refused() -> None:
    with pytest.raises(ValueProblem):
        bulk_decoder(column(ColumnKind.INTEGER))([1, INT_MAX + 1])
    with pytest.raises(ValueProblem):
        bulk_decoder(column(ColumnKind.STRING))(["ok", "\udc00"])


# -- round trips -----------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)  # fmt: skip

ROUND_TRIPS = {
    ColumnKind.INTEGER: st.integers(INT_MIN, INT_MAX),
    ColumnKind.FLOAT: st.floats(allow_nan=False, allow_infinity=False),
    ColumnKind.STRING: st.text(),
    ColumnKind.BOOLEAN: st.booleans(),
    ColumnKind.DATE: st.dates(),
    ColumnKind.DATETIME: st.datetimes(timezones=st.just(dt.UTC)),
    ColumnKind.DECIMAL: st.decimals(
        min_value=Decimal("-9999999999.99"),
        max_value=Decimal("9999999999.99"),
        places=2,
        allow_nan=False,
        allow_infinity=False,
    ),
    ColumnKind.JSON: json_values,
    ColumnKind.ENUM: st.sampled_from(ENUM.choices),
    ColumnKind.BYTES: st.binary(),
}


@pytest.mark.parametrize("kind", list(ColumnKind))
def test_every_kind_survives_a_round_trip(kind: ColumnKind) -> None:
    spec = column(kind, nullable=True)

    @given(st.none() | ROUND_TRIPS[kind])
    def round_trip(value: Any) -> None:
        back = read(spec, write(spec, value))
        if isinstance(value, float) and math.copysign(1, value) < 0 and value == 0:
            assert math.copysign(1, back) < 0
        assert back == value
        assert type(back) is type(value)

    round_trip()


def test_every_kind_has_a_round_trip_strategy() -> None:
    assert set(ROUND_TRIPS) == set(ColumnKind)
