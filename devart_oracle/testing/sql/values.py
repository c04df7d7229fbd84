"""Values between Oracle's types and SQLite's storage classes.

SQLite stores integers, doubles, text and blobs; Oracle has NUMBER with 38
digits, DATE and TIMESTAMP. The encoding chosen here keeps SQLite's own
comparisons and ordering right for the values tests use, and makes every
stored value say what it is, so that an expression column (``MAX(d)``,
``SYSDATE``, ``:x``) gets the right type without a declared one:

- NUMBER: an integer that fits in 64 bits is an INTEGER; a Decimal or float
  is a REAL when it has at most 15 significant digits (read back through
  ``"%.15g"``, which gives the same decimal again); a number with more digits
  is text ending in ``NUMBER_TAG``, exact but compared as text (equal to
  itself, sorted after the other numbers). Numbers come back as int when
  integral, else as Decimal, as Oracle's NUMBER would.
- DATE and TIMESTAMP: text, ``DATE_TAG`` then ``datetime.isoformat(" ")``
  (fractional seconds only when non-zero), so text order is time order and a
  bound datetime equals the stored one. Date arithmetic (``d + 1``) is done
  by the functions the operators are rewritten into (``numeric``).
- VARCHAR2 and CHAR: text; Oracle's empty string is NULL. RAW: a blob.
  An empty LOB is not NULL: the wire layer binds one as an empty instance
  of a ``str`` or ``bytes`` subclass, which is kept (``lobs``).

Which of DATE and TIMESTAMP a column is comes from its declared type; for an
expression, TIMESTAMP if a value has fractional seconds or the expression
is ``SYSTIMESTAMP``, else DATE.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

from .errors import OracleError
from .intervals import INTERVAL_TAG, YearMonth, decode_interval, encode_interval
from .lobs import LOB_KINDS, declared_kind, expression_kind, kind_coercer, stored_float

__all__ = [
    "Column", "DATE_TAG", "NUMBER_TAG", "encode", "decode", "encode_datetime",
    "declared_column", "inferred_column", "named_column", "valued_column", "coercer", "number_fits",
]

DATE_TAG = "\x1e"
NUMBER_TAG = "\x1f"
_INT64 = range(-(2**63), 2**63)
_DIGITS = 15
_EXACT = Context(prec=80)  # wider than NUMBER's 38 digits: nothing is rounded by accident
# quantizing to a scale of up to 127 places (or -84) needs more digits still
_SCALED = Context(prec=400, rounding=ROUND_HALF_UP)
_CAST_TO_STRING = re.compile(r"^CAST\(.*AS\s*(N?VARCHAR2|N?CHAR|RAW)\s*\(\s*(\d+)\s*\)\s*\)$", re.DOTALL)
_DECLARED = re.compile(
    r"^(NUMBER|VARCHAR2|CHAR|DATE|TIMESTAMP|RAW)(?:\((\d+|\*)(?:,\s*(-?\d+))?\))?$", re.I)


@dataclass(frozen=True)
class Column:
    """A result column as Oracle describes it.

    ``scale`` is -127 with ``precision`` 0 for a NUMBER expression (the client
    then returns an int when the value is integral); a TIMESTAMP's scale is
    its fractional-seconds precision.
    """

    name: str
    type: str
    size: int
    precision: int = 0
    scale: int = -127
    nullable: bool = True


# ------------------------------------------------------------------ binds in

def encode_datetime(value: datetime.datetime) -> str:
    """The stored form of a DATE or TIMESTAMP value (a zoned one ends with its offset: ``zones``)."""
    if value.utcoffset() == datetime.timedelta(0):  # +00:00 is the UTC of a naive value
        value = value.replace(tzinfo=None)
    return DATE_TAG + value.isoformat(" ")


def _encode_decimal(value: Decimal) -> object:
    if not value.is_finite():
        raise OracleError(1426)
    if value == value.to_integral_value() and int(value) in _INT64:
        return int(value)
    normal = _EXACT.normalize(value)
    if len(normal.as_tuple().digits) <= _DIGITS:
        return float(value)
    return format(normal, "f") + NUMBER_TAG


def encode(value: object) -> object:
    """The SQLite value for a bind value from the wire layer.

    Raises:
        OracleError: ORA-03115 for a type Oracle's columns cannot hold.
    """
    kind = type(value)
    if kind is int:  # the most common binds first
        return value if value in _INT64 else f"{value}{NUMBER_TAG}"
    if kind is str:
        return value or None
    if isinstance(value, (str, bytes)):
        if not value and type(value) not in (str, bytes):
            return "" if isinstance(value, str) else b""  # an empty LOB, which is not NULL
        return value or None
    if isinstance(value, float):
        return stored_float(value)
    if value is None:
        return value
    if isinstance(value, int):
        return int(value) if value in _INT64 else f"{value}{NUMBER_TAG}"
    if isinstance(value, Decimal):
        return _encode_decimal(value)
    if isinstance(value, datetime.datetime):
        return encode_datetime(value)
    if isinstance(value, (datetime.timedelta, YearMonth)):
        return encode_interval(value)
    if isinstance(value, tuple) and hasattr(value, "years") and hasattr(value, "months"):
        return encode_interval(YearMonth(int(value.years), int(value.months)))
    if isinstance(value, datetime.date):
        return encode_datetime(datetime.datetime(value.year, value.month, value.day))
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value) or None
    raise OracleError(3115, f"cannot bind a {type(value).__name__}")


# ---------------------------------------------------------------- values out

def _number(value: float) -> int | Decimal:
    number = Decimal(f"{value:.{_DIGITS}g}")
    return int(number) if number == number.to_integral_value() else number


def _tagged_datetime(value: str) -> object:
    try:
        return datetime.datetime.fromisoformat(value[1:])
    except ValueError:
        return value


def _tagged_number(value: str) -> object:
    try:
        number = Decimal(value[:-1])
    except InvalidOperation:
        return value
    return int(number) if number == number.to_integral_value() else number


def decode(value: object) -> object:
    """The Python value for a stored one: tagged text becomes datetime or Decimal."""
    if isinstance(value, float):
        if abs(value) == float("inf"):
            raise OracleError(1426)  # NUMBER has no infinity: SQLite's REAL overflowed
        return _number(value) if value == value else None
    if isinstance(value, str):
        if value.startswith(DATE_TAG):
            return _tagged_datetime(value)
        if value.startswith(INTERVAL_TAG):
            return decode_interval(value)
        if value.endswith(NUMBER_TAG):
            return _tagged_number(value)
        return value or None
    return value


def declared_column(name: str, declared: str) -> Column | None:
    """The column for a declared Oracle type, None for any other type."""
    other = declared_kind(declared)
    if other is not None:
        kind, size = other
        if kind.startswith("INTERVAL"):  # size: leading precision * 10 + fractional precision
            return Column(name, kind, 0, size // 10, size % 10)
        return Column(name, kind, 0, 0, size) if kind.startswith("TIMESTAMP") else \
            Column(name, kind, size, 0, 0)
    match = _DECLARED.match(declared.strip())
    if match is None:
        return None
    kind, first, second = match[1].upper(), match[2], match[3]
    size = int(first) if first and first != "*" else 0
    if kind == "NUMBER":
        if first is None or first == "*" and second is None:
            return Column(name, kind, 0)
        return Column(name, kind, 0, size or 38, int(second or 0))
    if kind == "TIMESTAMP":
        return Column(name, kind, 0, 0, 6 if first is None else size)
    if kind == "DATE":
        return Column(name, kind, 0, 0, 0)
    return Column(name, kind, size or (2000 if kind == "RAW" else 1), 0, 0)


def inferred_column(name: str, values: Iterable[object], timestamp: bool = False) -> Column:
    """The column for an expression, from the decoded values it produced."""
    return named_column(name) or valued_column(name, values, timestamp)


def named_column(name: str) -> Column | None:
    """The column of an expression whose name alone tells its type; None for the others."""
    kind = expression_kind(name)
    if kind is not None:
        return Column(name, kind, 0, 0, 0)
    cast = _CAST_TO_STRING.search(name.upper())
    if cast is not None:  # CAST(x AS VARCHAR2(n)) describes as that type
        return Column(name, cast[1], int(cast[2]), 0, 0)
    return None


def valued_column(name: str, values: Iterable[object], timestamp: bool = False) -> Column:
    """The column of an expression its name does not type (``named_column``), from its values."""
    present = [v for v in values if v is not None]
    first = present[0] if present else ""
    if isinstance(first, (int, Decimal)) and not isinstance(first, bool):
        return Column(name, "NUMBER", 0)
    if isinstance(first, datetime.datetime) and first.tzinfo is not None:
        return Column(name, "TIMESTAMP WITH TIME ZONE", 0, 0, 6)
    if isinstance(first, datetime.datetime):
        fractional = timestamp or any(
            isinstance(v, datetime.datetime) and v.microsecond for v in present)
        return Column(name, "TIMESTAMP", 0, 0, 6) if fractional else Column(name, "DATE", 0, 0, 0)
    if isinstance(first, bytes):
        return Column(name, "RAW", 2000, 0, 0)
    if isinstance(first, datetime.timedelta):
        return Column(name, "INTERVAL DAY TO SECOND", 0, 2, 6)
    if isinstance(first, YearMonth):
        return Column(name, "INTERVAL YEAR TO MONTH", 0, 2, 0)
    return Column(name, "VARCHAR2", 4000, 0, 0)


# ---------------------------------------------------------------- coercion

def _type_name(value: object) -> str:
    if isinstance(value, datetime.datetime):
        return "DATE"
    return "BINARY" if isinstance(value, bytes) else "CHAR"


def _to_number(value: object) -> int | Decimal:
    if isinstance(value, (int, Decimal)):
        return value
    if isinstance(value, str):
        try:
            return _number(float(value)) if "e" in value.lower() else Decimal(value.strip())
        except (InvalidOperation, ValueError):
            raise OracleError(1722) from None
    raise OracleError(932, f"NUMBER got {_type_name(value)}")


def number_fits(value: int | Decimal, precision: int, scale: int) -> bool:
    """Whether NUMBER(precision, scale) holds ``value``, as Oracle decides it.

    The value is first rounded to the scale (a negative scale rounds to
    tens, hundreds ...); what is left must be below ``10 ** (precision -
    scale)`` in magnitude.
    """
    number = Decimal(value)
    if not number.is_finite():
        return False
    limit = precision - scale
    if number.is_zero():
        return True
    if number.adjusted() >= limit:  # too large before rounding: no need to round
        return False
    rounded = number.quantize(Decimal(1).scaleb(-scale), context=_SCALED)
    return rounded.is_zero() or rounded.adjusted() < limit


def _rounder(scale: int) -> Callable[[int | Decimal], int | Decimal]:
    exponent = Decimal(1).scaleb(-scale)

    def rounded(number: int | Decimal) -> int | Decimal:
        value = Decimal(number).quantize(exponent, context=_SCALED)
        return int(value) if value == value.to_integral_value() else _EXACT.normalize(value)
    return rounded


def _number_coercer(column: Column) -> Callable[[object], object]:
    if column.scale == -127:
        return _to_number
    rounded = _rounder(column.scale)
    if column.scale >= 0:  # an int needs no rounding to a scale of 0 or more
        return lambda value: value if type(value) is int else rounded(_to_number(value))
    return lambda value: rounded(_to_number(value))


def _to_text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.hex().upper()
    if isinstance(value, datetime.datetime):
        return value.isoformat(" ")
    return str(value)


def _to_datetime(value: object) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.datetime.fromisoformat(value.strip())
        except ValueError:
            raise OracleError(1861) from None
    raise OracleError(932, f"DATE got {'NUMBER' if not isinstance(value, bytes) else 'BINARY'}")


def _to_raw(value: object) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        try:
            return bytes.fromhex(value)
        except ValueError:
            raise OracleError(1465) from None
    raise OracleError(932, f"BINARY got {_type_name(value)}")


def _coercers(column: Column) -> Callable[[object], object]:
    kind = column.type
    other = kind_coercer(kind, column.size)
    if other is not None:
        return other
    if kind == "NUMBER":
        return _number_coercer(column)
    if kind == "VARCHAR2":
        return _to_text
    if kind == "CHAR":
        return lambda value: _to_text(value).ljust(column.size)
    if kind == "DATE":
        return _to_date
    if kind == "TIMESTAMP":
        return _to_timestamp
    return _to_raw


def _to_date(value: object) -> datetime.datetime:
    moment = _to_datetime(value)
    if moment.microsecond or moment.tzinfo is not None:  # most stored dates have neither
        return moment.replace(microsecond=0, tzinfo=None)
    return moment


def _to_timestamp(value: object) -> datetime.datetime:
    moment = _to_datetime(value)
    return moment if moment.tzinfo is None else moment.replace(tzinfo=None)


def coercer(columns: Sequence[Column]) -> Callable[[Sequence[object]], tuple[object, ...]]:
    """A function turning a stored row into the values of ``columns``.

    Raises (from the function):
        OracleError: ORA-01722, ORA-00932, ORA-01861 or ORA-01465 when a
            value cannot be converted to its column's type.
    """
    converts = [_coercers(column) for column in columns]
    # LOBs keep an empty value (not NULL); binary floats keep infinities and 'NaN'
    raw = [column.type in LOB_KINDS or column.type.startswith("BINARY_") for column in columns]

    steps = list(zip(raw, converts))

    def convert(row: Sequence[object]) -> tuple[object, ...]:
        out = []  # a plain loop: it runs per value of every row fetched
        for (keep, f), value in zip(steps, row):
            if not keep and type(value) is not int:  # an int is its own value (``decode``)
                value = decode(value)
            out.append(None if value is None else f(value))
        return tuple(out)
    return convert
