"""Wire data types: bind values in, column descriptions and values out.

python-oracledb binds int, float and Decimal as NUMBER (2), str as VARCHAR
(1), bytes as RAW (23), date and datetime as DATE (12, seconds only), None as
a NULL VARCHAR, and bool as BINARY_INTEGER (3) against servers older than
23ai; an older client (Devart's Direct mode) binds numbers as VARNUM (6, the
NUMBER bytes alone on the wire) and strings as AL16UTF16 VARCHAR; ``setinputsizes`` can ask for CHAR (96), TIMESTAMP (180), LONG (8),
BINARY_DOUBLE (101) and friends. Binds are decoded to the Python values the
backend takes: None, int, Decimal (non-integral numbers), float (binary
floating point), str, bytes, datetime and bool.

Result columns go the other way: the backend names one of six column types
and this module gives its describe-info metadata and its value encoder. The
encoders accept the loosely typed values SQLite hands back (a number stored
in a text column, a date stored as ISO text) and apply Oracle's implicit
conversions, failing with the ORA error Oracle would raise.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import NamedTuple, Protocol

from .codec import (
    Writer,
    decode_binary_double,
    decode_binary_float,
    decode_date,
    decode_interval_ds,
    encode_binary_double,
    encode_binary_float,
    encode_date,
    encode_interval_ds,
    encode_interval_ym,
    encode_timestamp,
)
from .lob import BLOB, CLOB
from .number import decode_number, encode_number
from .oraerror import WireError
from .responses import ColumnMeta
from .zones import decode_timestamp_tz, encode_timestamp_tz

__all__ = ["ColumnSpec", "Encoder", "bind_encoder", "column_format", "decode_bind"]


class ColumnSpec(Protocol):
    """A result column as the backend describes it (its Oracle type by name)."""

    @property
    def name(self) -> str: ...

    @property
    def type(self) -> str: ...

    @property
    def size(self) -> int: ...

    @property
    def precision(self) -> int: ...

    @property
    def scale(self) -> int: ...

    @property
    def nullable(self) -> bool: ...

VARCHAR = 1
NUMBER = 2
BINARY_INTEGER = 3
VARNUM = 6
VARCHAR_LEGACY = 9  # what an older client binds a string OUT target as
LONG = 8
DATE = 12
RAW = 23
LONG_RAW = 24
CHAR = 96
BINARY_FLOAT = 100
BINARY_DOUBLE = 101
TIMESTAMP = 180
TIMESTAMP_TZ = 181
ROWID = 11
INTERVAL_YM = 182
INTERVAL_DS = 183
TIMESTAMP_LTZ = 231
BOOLEAN = 252
CURSOR = 102  # a nested cursor column (a CURSOR expression), as a REF CURSOR bind

_NCHAR_FORM = 2
_NUMBER_SIZE = 22

Encoder = Callable[[object], bytes]


class YearToMonth(NamedTuple):
    """A bound INTERVAL YEAR TO MONTH (the backend takes anything with these two fields)."""

    years: int
    months: int


def _year_month(data: bytes) -> YearToMonth:
    if len(data) != 5:
        raise ValueError(f"{len(data)} bytes cannot hold an INTERVAL YEAR TO MONTH")
    return YearToMonth(int.from_bytes(data[:4], "big") - 0x80000000, data[4] - 60)


def _decode_text(data: bytes, csfrm: int) -> str:
    return data.decode("utf-16-be" if csfrm == _NCHAR_FORM else "utf-8", "replace")


_DECODERS: dict[int, Callable[[bytes, int], object]] = {
    VARCHAR: _decode_text,
    CHAR: _decode_text,
    LONG: _decode_text,
    NUMBER: lambda data, _: decode_number(data),
    VARNUM: lambda data, _: decode_number(data),
    VARCHAR_LEGACY: _decode_text,
    BINARY_INTEGER: lambda data, _: decode_number(data),
    DATE: lambda data, _: decode_date(data),
    TIMESTAMP: lambda data, _: decode_date(data),
    TIMESTAMP_TZ: lambda data, _: decode_timestamp_tz(data),
    TIMESTAMP_LTZ: lambda data, _: decode_date(data),
    RAW: lambda data, _: bytes(data),
    LONG_RAW: lambda data, _: bytes(data),
    BINARY_DOUBLE: lambda data, _: decode_binary_double(data),
    BINARY_FLOAT: lambda data, _: decode_binary_float(data),
    BOOLEAN: lambda data, _: data[0] == 1,
    INTERVAL_DS: lambda data, _: decode_interval_ds(data),
    INTERVAL_YM: lambda data, _: _year_month(data),
}


def decode_bind(ora_type: int, csfrm: int, data: bytes | None) -> object:
    """Decode one bind value of wire type ``ora_type``.

    Raises:
        WireError: ORA-03115 for a type the server does not take, or for
            bytes that do not hold a value of the type.
    """
    if data is None:
        return None
    decoder = _DECODERS.get(ora_type)
    if decoder is None:
        raise WireError(3115, f"bind type {ora_type}")
    try:
        return decoder(data, csfrm)
    except (ValueError, IndexError) as exc:
        raise WireError(3115, str(exc)) from exc


def _number(value: object) -> bytes:
    if type(value) is not int:  # most values are: nothing to check
        if isinstance(value, str):
            try:
                value = Decimal(value.strip())
            except InvalidOperation as exc:
                raise WireError(1722) from exc
        if not isinstance(value, (int, float, Decimal)):
            raise WireError(1722)
    try:
        return encode_number(value)
    except ValueError as exc:
        raise WireError(1426) from exc


def _text(value: object) -> bytes:
    if isinstance(value, str):
        return value.encode()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex().upper().encode()
    if isinstance(value, float) and value.is_integer():
        return str(int(value)).encode()
    return str(value).encode()


def _boolean(value: object) -> bytes:
    """A PL/SQL BOOLEAN as Oracle sends one outside objects: 0x0101 for TRUE, 0x00 for FALSE."""
    if isinstance(value, str):
        raise WireError(6502)
    return b"\x01\x01" if value else b"\x00"


def _as_datetime(value: object) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.datetime.fromisoformat(value.strip())
        except ValueError as exc:
            raise WireError(1861) from exc
    raise WireError(1861)


def _date(value: object) -> bytes:
    return encode_date(_as_datetime(value))


def _timestamp(value: object) -> bytes:
    return encode_timestamp(_as_datetime(value))


def _raw(value: object) -> bytes:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, str):
        try:
            return bytes.fromhex(value)
        except ValueError as exc:
            raise WireError(1465) from exc
    raise WireError(1465)


def column_format(column: ColumnSpec) -> tuple[ColumnMeta, Encoder]:
    """The describe metadata and value encoder for a backend column.

    Raises:
        WireError: ORA-03115 for a column type the server cannot send.
    """
    kind = column.type.upper()
    size = max(column.size, 1)
    if kind == "NUMBER":
        meta = ColumnMeta(column.name, NUMBER, _NUMBER_SIZE, 0, column.precision,
                          column.scale, 0, column.nullable)
        return meta, _number
    if kind in ("VARCHAR2", "CHAR"):
        ora_type = VARCHAR if kind == "VARCHAR2" else CHAR
        return ColumnMeta(column.name, ora_type, size, size, 0, 0, 1, column.nullable), _text
    if kind == "DATE":
        return ColumnMeta(column.name, DATE, 7, 0, 0, 0, 0, column.nullable), _date
    if kind == "TIMESTAMP":
        scale = column.scale if 0 <= column.scale <= 9 else 6
        return ColumnMeta(column.name, TIMESTAMP, 11, 0, 0, scale, 0, column.nullable), _timestamp
    if kind == "RAW":
        return ColumnMeta(column.name, RAW, size, size, 0, 0, 0, column.nullable), _raw
    if kind == "CURSOR":  # its values are written by the cursor table with their describe
        return ColumnMeta(column.name, CURSOR, 1, 0, 0, 0, 0, column.nullable), _not_encoded
    if kind in _OTHERS:
        ora_type, buffer_size, csfrm, encoder = _OTHERS[kind]
        if kind in ("NCHAR", "NVARCHAR2"):
            buffer_size = size * 2
        max_size = size if kind in ("NCHAR", "NVARCHAR2") else 0
        return ColumnMeta(column.name, ora_type, buffer_size, max_size,
                          column.precision, column.scale, csfrm, column.nullable), encoder
    raise WireError(3115, f"column type {column.type!r}")


def _national(value: object) -> bytes:
    return _text(value).decode().encode("utf-16-be")


def _float(encode: Callable[[float], bytes]) -> Encoder:
    def encoder(value: object) -> bytes:
        if not isinstance(value, (int, float, Decimal, str)):
            raise WireError(932)
        return encode(float(value))
    return encoder


def _interval_ds(value: object) -> bytes:
    if not isinstance(value, datetime.timedelta):
        raise WireError(932)
    return encode_interval_ds(value)


def _interval_ym(value: object) -> bytes:
    years, months = getattr(value, "years", None), getattr(value, "months", None)
    if not isinstance(years, int) or not isinstance(months, int):
        raise WireError(932)
    return encode_interval_ym(years, months)


_ROWID_DIGITS = {c: i for i, c in enumerate(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}


def rowid_parts(text: str) -> tuple[int, int, int, int]:
    """An 18-character ROWID as (object, file, block, row) numbers.

    Raises:
        WireError: ORA-01410 for text that is no ROWID.
    """
    if len(text) != 18 or any(c not in _ROWID_DIGITS for c in text):
        raise WireError(1410)
    numbers = []
    for start, end in ((0, 6), (6, 9), (9, 15), (15, 18)):
        number = 0
        for char in text[start:end]:
            number = number * 64 + _ROWID_DIGITS[char]
        numbers.append(number)
    return numbers[0], numbers[1], numbers[2], numbers[3]


def rowid_bytes(text: str) -> bytes:
    """A ROWID as the wire carries it: object, file, a zero byte, block, row."""
    rba, partition, block, slot = rowid_parts(text)
    w = Writer()
    w.ub(rba)
    w.ub(partition)
    w.u8(0)
    w.ub(block)
    w.ub(slot)
    return bytes(w.buf)


def _not_encoded(value: object) -> bytes:
    raise WireError(3115, f"a nested cursor ({type(value).__name__}) has no encoding of its own")


def _rowid(value: object) -> bytes:
    return rowid_bytes(str(value))


def _timestamp_tz(value: object) -> bytes:
    return encode_timestamp_tz(_as_datetime(value))


_LONG_SIZE = 0x7FFFFFFF
_OTHERS: dict[str, tuple[int, int, int, Encoder]] = {  # kind -> (type, buffer size, csfrm, encoder)
    "CLOB": (CLOB, 4000, 1, _text), "NCLOB": (CLOB, 4000, 2, _text), "BLOB": (BLOB, 4000, 0, _raw),
    "LONG": (LONG, _LONG_SIZE, 1, _text), "LONG RAW": (LONG_RAW, _LONG_SIZE, 0, _raw),
    "NVARCHAR2": (VARCHAR, 0, 2, _national), "NCHAR": (CHAR, 0, 2, _national),
    "BINARY_FLOAT": (BINARY_FLOAT, 4, 0, _float(encode_binary_float)),
    "BINARY_DOUBLE": (BINARY_DOUBLE, 8, 0, _float(encode_binary_double)),
    "ROWID": (ROWID, 10, 0, _rowid),
    "INTERVAL DAY TO SECOND": (INTERVAL_DS, 11, 0, _interval_ds),
    "INTERVAL YEAR TO MONTH": (INTERVAL_YM, 5, 0, _interval_ym),
    "TIMESTAMP WITH TIME ZONE": (TIMESTAMP_TZ, 13, 0, _timestamp_tz),
    "TIMESTAMP WITH LOCAL TIME ZONE": (TIMESTAMP_LTZ, 11, 0, _timestamp),
}


_BIND_ENCODERS: dict[int, Encoder] = {
    NUMBER: _number, BINARY_INTEGER: _number, VARNUM: _number, VARCHAR: _text,
    VARCHAR_LEGACY: _text, CHAR: _text, LONG: _text,
    DATE: _date, TIMESTAMP: _timestamp, RAW: _raw, LONG_RAW: _raw,
    TIMESTAMP_TZ: _timestamp_tz, TIMESTAMP_LTZ: _timestamp,
    INTERVAL_DS: _interval_ds, INTERVAL_YM: _interval_ym, BOOLEAN: _boolean,
    BINARY_FLOAT: _float(encode_binary_float), BINARY_DOUBLE: _float(encode_binary_double),
}


def bind_encoder(ora_type: int, csfrm: int = 0) -> Encoder:
    """The encoder for a value sent back into a bind of wire type ``ora_type``.

    A national bind (``csfrm`` 2: NVARCHAR2, NCHAR) takes UTF-16 text.

    Raises:
        WireError: ORA-03115 for a type the server cannot send back.
    """
    if csfrm == _NCHAR_FORM and ora_type in (VARCHAR, CHAR, LONG):
        return _national
    encoder = _BIND_ENCODERS.get(ora_type)
    if encoder is None:
        raise WireError(3115, f"returning into a bind of type {ora_type}")
    return encoder
