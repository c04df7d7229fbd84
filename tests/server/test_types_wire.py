"""The codec against the client's own encoder and decoder, over the wire.

Binds are encoded by python-oracledb: the test records the raw bytes the
server receives and checks that our encoder produces the same bytes for the
same value, and our decoder the same value. Selecting the value back makes
the client decode what our encoder wrote.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal

import oracledb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devart_oracle.testing.wire import types as _types
from devart_oracle.testing.wire.codec import (
    decode_date,
    encode_date,
    encode_timestamp,
)
from devart_oracle.testing.wire.number import decode_number, encode_number

NUMBERS = [
    0, 1, -1, 7, 100, -100, 10**37, -(10**37), 10**38 - 1, -(10**38 - 1), 2**63, -(2**63),
    Decimal("123.45"), Decimal("-123.45"), Decimal("0.1"), Decimal("-0.000001"),
    Decimal("1e125"), Decimal("-1e125"), Decimal("9.999999999999999999999999999999999999e125"),
    Decimal("1e-130"), Decimal("-1e-130"), Decimal("1.5e-129"),
    Decimal("12345678901234567890123456789012345678"), Decimal("-0.12345678901234567890123456789012345678"),
    0.5, -0.5, 1e-100, -1e100, 3.141592653589793, 1.7976931348623157e125, 2.2250738585072014e-129,
]


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[int, bytes]]]:
    """Records the raw bytes of every NUMBER/DATE/TIMESTAMP bind the server decodes."""
    seen: list[tuple[int, bytes]] = []
    decoders = dict(_types._DECODERS)

    def recorder(ora_type: int):  # type: ignore[no-untyped-def]
        def decode(data: bytes, csfrm: int) -> object:
            seen.append((ora_type, bytes(data)))
            return decoders[ora_type](data, csfrm)
        return decode

    for ora_type in (_types.NUMBER, _types.DATE, _types.TIMESTAMP):
        monkeypatch.setitem(_types._DECODERS, ora_type, recorder(ora_type))
    yield seen


def _select_back(conn: oracledb.Connection, value: object, **sizes: object) -> object:
    cursor = conn.cursor()
    if sizes:
        cursor.setinputsizes(**sizes)
        cursor.execute("select :v from dual", v=value)
    else:
        cursor.execute("select :1 from dual", [value])
    (row,) = cursor.fetchall()
    return row[0]


@pytest.mark.parametrize("value", NUMBERS, ids=str)
def test_numbers_match_the_clients_encoding(conn: oracledb.Connection, captured: list[tuple[int, bytes]],
                                            value: object) -> None:
    oracledb.defaults.fetch_decimals = True
    try:
        back = _select_back(conn, value)
    finally:
        oracledb.defaults.fetch_decimals = False
    ((ora_type, wire),) = captured
    assert ora_type == _types.NUMBER
    assert encode_number(value) == wire  # type: ignore[arg-type]
    assert decode_number(wire) == Decimal(repr(value) if isinstance(value, float) else value)  # type: ignore[arg-type]
    assert back == Decimal(repr(value) if isinstance(value, float) else value)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [-0.0, Decimal("-0"), Decimal("0E-30")], ids=str)
def test_zeros(conn: oracledb.Connection, captured: list[tuple[int, bytes]], value: object) -> None:
    assert _select_back(conn, value) == 0
    assert captured == [(_types.NUMBER, b"\x80")]


DATES = [
    datetime.datetime(1, 1, 1), datetime.datetime(1999, 12, 31, 23, 59, 59), datetime.datetime(2000, 1, 1),
    datetime.datetime(2024, 2, 29, 12, 0, 1), datetime.datetime(9999, 12, 31, 23, 59, 59),
]


@pytest.mark.parametrize("value", DATES, ids=str)
def test_dates_match_the_clients_encoding(conn: oracledb.Connection, captured: list[tuple[int, bytes]],
                                          value: datetime.datetime) -> None:
    assert _select_back(conn, value) == value
    assert captured == [(_types.DATE, encode_date(value))]
    assert decode_date(captured[0][1]) == value


@pytest.mark.parametrize("value", [
    datetime.datetime(2024, 2, 29, 12, 0, 1, 1), datetime.datetime(1, 1, 1, 0, 0, 0, 999999),
    datetime.datetime(9999, 12, 31, 23, 59, 59, 500000),
], ids=str)
def test_timestamps_match_the_clients_encoding(conn: oracledb.Connection, captured: list[tuple[int, bytes]],
                                               value: datetime.datetime) -> None:
    assert _select_back(conn, value, v=oracledb.DB_TYPE_TIMESTAMP) == value
    assert captured == [(_types.TIMESTAMP, encode_timestamp(value))]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(
    st.integers(min_value=-(10**38) + 1, max_value=10**38 - 1),
    st.decimals(allow_nan=False, allow_infinity=False).filter(
        lambda d: d == 0 or (len(d.as_tuple().digits) <= 38 and Decimal("1e-129") < abs(d) < Decimal("1e125"))),
))
def test_numbers_survive_the_client_both_ways(conn: oracledb.Connection, value: object) -> None:
    oracledb.defaults.fetch_decimals = True
    try:
        assert _select_back(conn, value) == value
    finally:
        oracledb.defaults.fetch_decimals = False
