"""The wire codec: NUMBER and DATE at their edges, primitives, round trips.

The byte strings pinned here are Oracle's documented encodings; the same
values also cross the wire through the real client in test_types_wire.py.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devart_oracle.testing.wire.codec import (
    Writer,
    decode_binary_double,
    decode_binary_float,
    decode_date,
    encode_date,
    encode_timestamp,
)
from devart_oracle.testing.wire.number import _from_pairs, decode_number, encode_number
from devart_oracle.testing.wire.reader import MessageReader, ProtocolError

NUMBERS = [
    (0, "80"),
    (1, "c1 02"),
    (-1, "3e 64 66"),
    (10, "c1 0b"),
    (100, "c2 02"),
    (-100, "3d 64 66"),
    (Decimal("123.45"), "c2 02 18 2e"),
    (Decimal("-123.45"), "3d 64 4e 38 66"),
    (Decimal("0.1"), "c0 0b"),
    (Decimal("0.5"), "c0 33"),
    (Decimal("0.00001"), "be 0b"),
    (Decimal("1e125"), "ff 0b"),
    (Decimal("-1e125"), "00 5b 66"),
    (Decimal("1e-130"), "80 02"),
    (Decimal("-1e-130"), "7f 64 66"),
    (10**38 - 1, "d3" + " 64" * 19),
    (-(10**38 - 1), "2c" + " 02" * 19 + " 66"),
    (10**40 - 1, "d4" + " 64" * 20),
    (-(10**40 - 1), "2b" + " 02" * 20),
    (2**63, "ca 0a 17 22 49 04 45 37 4e 3b 09"),
]


@pytest.mark.parametrize(("value", "wire"), NUMBERS)
def test_number_encoding_is_oracles(value: object, wire: str) -> None:
    assert encode_number(value).hex(" ") == wire  # type: ignore[arg-type]


@pytest.mark.parametrize(("value", "wire"), NUMBERS)
def test_number_decoding_is_exact(value: object, wire: str) -> None:
    decoded = decode_number(bytes.fromhex(wire))
    assert decoded == value
    assert isinstance(decoded, int) == (Decimal(str(value)).as_integer_ratio()[1] == 1)


@pytest.mark.parametrize("value", [0.0, -0.0, Decimal("0"), Decimal("-0.000"), 0])
def test_every_zero_is_one_byte(value: object) -> None:
    assert encode_number(value) == b"\x80"  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("9" * 41), 10**41),  # 41 nines round up to one digit
        (Decimal("1." + "4" * 40 + "5"), Decimal("1." + "4" * 38)),  # 39 digits fit here
        (12345678901234567890123456789012345678951, 12345678901234567890123456789012345679000),
        (Decimal("-2.5e-131"), 0),  # below the smallest magnitude: zero
    ],
)
def test_wide_values_round_to_the_mantissa(value: Decimal, expected: object) -> None:
    assert decode_number(encode_number(value)) == expected


@pytest.mark.parametrize("value", [Decimal("1e126"), -(10**126), float("inf"), float("nan"), Decimal("NaN")])
def test_unrepresentable_numbers_raise(value: object) -> None:
    with pytest.raises(ValueError):
        encode_number(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("data", [b"", bytes(23), b"\xc1\xff"])
def test_malformed_number_bytes_raise(data: bytes) -> None:
    with pytest.raises(ValueError):
        decode_number(data)


def test_negative_sentinel_value() -> None:
    assert decode_number(b"\x00") == -(10**126)


@given(st.integers(min_value=-(10**38) + 1, max_value=10**38 - 1))
def test_integers_round_trip(value: int) -> None:
    decoded = decode_number(encode_number(value))
    assert decoded == value and isinstance(decoded, int)


@given(st.one_of(st.integers(min_value=-(10**38) + 1, max_value=10**38 - 1),
                 st.builds(lambda digits, zeros: digits * 10 ** zeros,
                           st.integers(-10**6, 10**6), st.integers(0, 31))))
def test_integers_encode_as_their_decimal_does(value: int) -> None:
    # ints below 10**38 take a divmod path of their own; the general one is the reference
    assert encode_number(value) == encode_number(Decimal(value))


@given(st.binary(min_size=2, max_size=22).map(lambda data: bytes((data[0] | 0x80,)) + data[1:]))
def test_positive_number_bytes_decode_as_their_pairs_do(data: bytes) -> None:
    # a positive integral NUMBER takes a path of its own; the pair list's is the reference
    pairs = [byte - 1 for byte in data[1:]]
    expected: object = ValueError if min(pairs) < 0 or max(pairs) > 99 else _from_pairs(False, pairs, data[0] - 192)
    try:
        decoded: object = decode_number(data)
    except ValueError:
        decoded = ValueError
    assert decoded == expected and type(decoded) is type(expected)


@given(st.decimals(allow_nan=False, allow_infinity=False, places=None).filter(
    lambda d: d == 0 or (len(d.as_tuple().digits) <= 38 and Decimal("1e-129") < abs(d) < Decimal("1e125"))))
def test_decimals_round_trip(value: Decimal) -> None:
    assert decode_number(encode_number(value)) == value


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e125, max_value=1e125))
def test_floats_round_trip_through_their_repr(value: float) -> None:
    if value != 0 and abs(value) < 1e-129:
        return
    assert float(decode_number(encode_number(value))) == value


@given(st.lists(st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-10**6, max_value=10**6),
                min_size=2, max_size=2))
def test_encoding_preserves_order(pair: list[Decimal]) -> None:
    """Oracle NUMBER bytes sort like the numbers, a negative's 102 sentinel
    included (it is what puts -0.15 after -0.151)."""
    low, high = sorted(pair)
    if low != high:
        assert encode_number(low) < encode_number(high)


DATES = [
    (datetime.datetime(2024, 2, 29, 13, 5, 59), "78 7c 02 1d 0e 06 3c"),
    (datetime.datetime(1, 1, 1), "64 65 01 01 01 01 01"),
    (datetime.datetime(9999, 12, 31, 23, 59, 59), "c7 c7 0c 1f 18 3c 3c"),
    (datetime.datetime(2000, 1, 1), "78 64 01 01 01 01 01"),
    (datetime.datetime(1999, 12, 31), "77 c7 0c 1f 01 01 01"),
]


@pytest.mark.parametrize(("value", "wire"), DATES)
def test_date_encoding_is_oracles(value: datetime.datetime, wire: str) -> None:
    assert encode_date(value).hex(" ") == wire
    assert decode_date(bytes.fromhex(wire)) == value


def test_date_drops_fraction_and_accepts_plain_dates() -> None:
    assert encode_date(datetime.datetime(2024, 1, 2, 3, 4, 5, 678)) == encode_date(datetime.datetime(2024, 1, 2, 3, 4, 5))
    assert decode_date(encode_date(datetime.date(2024, 1, 2))) == datetime.datetime(2024, 1, 2)


def test_timestamp_carries_nanoseconds() -> None:
    value = datetime.datetime(2024, 1, 2, 3, 4, 5, 678901)
    assert encode_timestamp(value)[7:] == (678901000).to_bytes(4, "big")
    assert decode_date(encode_timestamp(value)) == value
    with_zone = encode_timestamp(value) + bytes((20, 60))
    assert decode_date(with_zone) == value


@pytest.mark.parametrize("data", [b"", bytes(6), bytes.fromhex("78 7c 0d 01 01 01 01")])
def test_bad_dates_raise(data: bytes) -> None:
    with pytest.raises(ValueError):
        decode_date(data)


@given(st.datetimes(min_value=datetime.datetime(1, 1, 1), max_value=datetime.datetime(9999, 12, 31, 23, 59, 59)))
def test_datetimes_round_trip(value: datetime.datetime) -> None:
    assert decode_date(encode_timestamp(value)) == value
    assert decode_date(encode_date(value)) == value.replace(microsecond=0)


@pytest.mark.parametrize(
    ("data", "value"),
    [("bff0000000000000", 1.0), ("400fffffffffffff", -1.0), ("8000000000000000", 0.0)],
)
def test_binary_double(data: str, value: float) -> None:
    assert decode_binary_double(bytes.fromhex(data)) == value


def test_binary_float() -> None:
    assert decode_binary_float(bytes.fromhex("bfc00000")) == 1.5
    assert decode_binary_float(bytes.fromhex("403fffff")) == -1.5


@pytest.mark.parametrize(
    ("value", "wire"),
    [(0, "00"), (1, "01 01"), (255, "01 ff"), (256, "02 01 00"), (65536, "03 01 00 00"), (2**32, "05 01 00 00 00 00")],
)
def test_universal_integers(value: int, wire: str) -> None:
    w = Writer()
    w.ub(value)
    assert w.buf.hex(" ") == wire
    assert _reader(bytes(w.buf)).ub() == value


@pytest.mark.parametrize(("value", "wire"), [(0, "00"), (-1, "81 01"), (-300, "82 01 2c"), (300, "02 01 2c")])
def test_signed_universal_integers(value: int, wire: str) -> None:
    w = Writer()
    w.sb(value)
    assert w.buf.hex(" ") == wire
    assert _reader(bytes(w.buf)).sb() == value


@pytest.mark.parametrize("size", [0, 1, 252, 253, 254, 255, 32767, 32768, 100000])
def test_byte_strings_short_and_long_form(size: int) -> None:
    data = bytes(range(256)) * (size // 256) + bytes(range(size % 256))
    w = Writer()
    w.b(data)
    w.s(data)
    r = _reader(bytes(w.buf))
    expected = data or None
    assert r.b() == expected
    assert r.s() == expected
    assert r.at_end()
    assert w.buf[0] == (size if 0 < size <= 252 else 0 if size == 0 else 254)


def test_reader_pulls_packets_at_any_split() -> None:
    w = Writer()
    w.ub(70000)
    w.b(b"x" * 300)
    w.text("héllo")
    data = bytes(w.buf)
    for split in range(1, len(data)):
        r = _reader(data[:split], data[split:])
        assert (r.ub(), r.b(), r.text()) == (70000, b"x" * 300, "héllo")


def test_reader_reads_integers_and_bind_values_at_any_split() -> None:
    values = [0, 1, 255, 0, 70000, 7, 0]
    w = Writer()
    w.ubs(*values)
    w.b(b"y" * 200)
    w.b(None)
    w.ubs(0, 3)
    data = bytes(w.buf)
    for split in range(1, len(data)):
        r = _reader(data[:split], data[split:])
        assert [r.ub(4) for _ in values] == values
        assert (r.b_grown(), r.b_grown(), r.u8(), r.ub()) == (b"y" * 200, None, 0, 3)
        assert r.at_end()


def test_reader_skips_records_across_any_split() -> None:
    records = b"".join(bytes((0, n % 7 + 1, 0, 2, 0, 1, 0, 0)) for n in range(40)) + b"\x00\x00\x2a"
    for split in range(1, len(records)):
        r = _reader(records[:split], records[split:])
        r.skip_records(8)
        assert r.u8() == 42 and r.at_end()


def test_reader_rejects_oversized_integers() -> None:
    with pytest.raises(ProtocolError):
        _reader(b"\x05\x01\x02\x03\x04\x05").ub(4)


def _reader(*payloads: bytes) -> MessageReader:
    rest = list(payloads[1:])

    def more() -> bytes:
        if not rest:
            raise EOFError("no more packets")
        return rest.pop(0)

    r = MessageReader(more)
    r.start(payloads[0])
    return r
