"""Oracle's operators and numeric functions, as SQL functions for SQLite.

The rewrite (``rewrite``, ``arithmetic``) turns ``a + b``, ``a - b``,
``a / b`` and ``a || b`` into ``ORA_ADD``, ``ORA_SUB``, ``ORA_DIV`` and
``ORA_CONCAT``, which apply Oracle's rules where SQLite's differ:

- ``date ± number`` moves the date by that many days (fractions too,
  rounded to the second, as a DATE keeps no fractions); ``date - date`` is
  the number of days between them; ``date + date`` is ORA-00975;
- ``||`` treats NULL as the empty string, and the empty result as NULL;
  numbers and dates are converted as TO_CHAR converts them;
- division by zero is ORA-01476, a result beyond NUMBER's range ORA-01426,
  text that is no number ORA-01722;
- LN, LOG and SQRT outside their domain are ORA-01428, where SQLite's
  built-ins return NULL; EXP and POWER that overflow are ORA-01426.

Numbers keep the storage rules of ``values``: integers stay exact, a
non-integral quotient is a binary double as SQLite would have made it
(read back with 15 significant digits, as every REAL is).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Sequence
from decimal import Context, Decimal, InvalidOperation

from .errors import OracleError
from .formats import format_datetime, format_number
from .intervals import interval_sum
from .nls import NLS_DEFAULT, Nls
from .values import decode, encode, encode_datetime
from .zones import to_utc_naive

__all__ = ["FUNCTIONS", "concat", "oracle_text"]

Number = int | Decimal
_EXACT = Context(prec=80)
_MAX = Decimal("1e126")  # NUMBER holds magnitudes below 1.0E+126
_DAY = datetime.timedelta(days=1)
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1  # an int in this range is stored as itself


def oracle_text(value: object, nls: Nls = NLS_DEFAULT) -> str:
    """A stored value as Oracle converts it to text (NULL as ``""``; dates in ``nls``'s format)."""
    decoded = decode(value)
    if decoded is None:
        return ""
    if isinstance(decoded, str):
        return decoded
    if isinstance(decoded, datetime.datetime):
        return format_datetime(decoded, nls.model(decoded))
    if isinstance(decoded, bytes):
        return decoded.hex().upper()
    return format_number(Decimal(str(decoded)))


def _number(value: object) -> Number:
    """A decoded operand as a number; text is converted, as Oracle does."""
    if isinstance(value, (int, Decimal)):
        return value
    if isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            raise OracleError(1722) from None
        if not number.is_finite():
            raise OracleError(1722)
        return number
    kind = "DATE" if isinstance(value, datetime.datetime) else "BINARY"
    raise OracleError(932, f"NUMBER got {kind}")


def _result(number: Number) -> object:
    """The stored form of an arithmetic result, checked against NUMBER's range."""
    if abs(Decimal(number)) >= _MAX:
        raise OracleError(1426)
    if isinstance(number, int) or number == number.to_integral_value():
        return encode(int(number))
    return encode(_EXACT.normalize(number))


def _moved(date: datetime.datetime, days: object) -> object:
    try:
        moved = date + _DAY * float(_number(days))
    except OverflowError:
        raise OracleError(1841) from None
    return encode_datetime(moved.replace(microsecond=0) + datetime.timedelta(
        seconds=round(moved.microsecond / 1e6)))


def _add(a: object, b: object) -> object:
    if type(a) is int and type(b) is int:  # two stored integers (``:x + 1``): neither is a date nor an interval
        total = a + b
        return total if _INT64_MIN <= total <= _INT64_MAX else _result(total)  # as ``encode`` stores it
    if a is None or b is None:
        return None
    x, y = decode(a), decode(b)
    if (moved := interval_sum(x, y, 1)) is not None:
        return encode(moved)
    if isinstance(x, datetime.datetime) and isinstance(y, datetime.datetime):
        raise OracleError(975)
    if isinstance(x, datetime.datetime):
        return _moved(x, y)
    if isinstance(y, datetime.datetime):
        return _moved(y, x)
    return _result(_EXACT.add(_number(x), _number(y)) if _decimal(x, y) else _int(x) + _int(y))


def _subtract(a: object, b: object) -> object:
    if a is None or b is None:
        return None
    x, y = decode(a), decode(b)
    if (moved := interval_sum(x, y, -1)) is not None:
        return encode(moved)
    if isinstance(x, datetime.datetime) and isinstance(y, datetime.datetime):
        micros = (to_utc_naive(x) - to_utc_naive(y)) // datetime.timedelta(microseconds=1)
        return _quotient(_EXACT.divide(Decimal(micros), Decimal(86_400_000_000)))
    if isinstance(x, datetime.datetime):
        return _moved(x, -_number(y))
    return _result(_EXACT.subtract(_number(x), _number(y)) if _decimal(x, y) else _int(x) - _int(y))


def _decimal(x: object, y: object) -> bool:
    return not (type(x) is int and type(y) is int)


def _int(value: object) -> int:
    assert type(value) is int
    return value


def _quotient(number: Decimal) -> object:
    """An exact quotient: an integer if it is one, else a binary double."""
    if abs(number) >= _MAX:
        raise OracleError(1426)
    if number == number.to_integral_value():
        return encode(int(number))
    return float(number)


def _divide(a: object, b: object) -> object:
    if a is None or b is None:
        return None
    x, y = _number(decode(a)), _number(decode(b))
    if y == 0:
        raise OracleError(1476)
    return _quotient(_EXACT.divide(Decimal(x), Decimal(y)))


def concat(values: Sequence[object], nls: Nls = NLS_DEFAULT) -> object:
    """``a || b ...``: the values' texts (dates in ``nls``'s format) joined; NULL for ''."""
    return "".join(oracle_text(value, nls) for value in values) or None


def _concat(*values: object) -> object:
    return concat(values)


# ------------------------------------------------------------ functions

def _float(value: object) -> float:
    return float(_number(decode(value)))


def _checked(function: Callable[..., float], valid: Callable[..., bool], argument: str,
             ) -> Callable[..., object]:
    def apply(*args: object) -> object:
        if any(a is None for a in args):
            return None
        numbers = [_float(a) for a in args]
        if not valid(*numbers):
            raise OracleError(1428, f"'{_plain(numbers[-1] if argument == 'last' else numbers[0])}'")
        try:
            result = function(*numbers)
        except OverflowError:
            raise OracleError(1426) from None
        if math.isinf(result):
            raise OracleError(1426)
        return result
    return apply


def _plain(number: float) -> str:
    return format_number(Decimal(repr(number)))


def _power_valid(x: float, y: float) -> bool:
    return x > 0 or (x == 0 and y >= 0) or (x < 0 and y == int(y))


FUNCTIONS: dict[str, tuple[int, Callable[..., object], bool]] = {
    "ORA_ADD": (2, _add, True),
    "ORA_SUB": (2, _subtract, True),
    "ORA_DIV": (2, _divide, True),
    "ORA_CONCAT": (-1, _concat, True),
    "CONCAT": (2, _concat, True),
    "LN": (1, _checked(math.log, lambda x: x > 0, "first"), True),
    "SQRT": (1, _checked(math.sqrt, lambda x: x >= 0, "first"), True),
    "LOG": (2, _checked(lambda b, x: math.log(x, b), lambda b, x: b > 0 and b != 1 and x > 0,
                        "last"), True),
    "EXP": (1, _checked(math.exp, lambda x: True, "first"), True),
    "POWER": (2, _checked(math.pow, _power_valid, "first"), True),
    "BITAND": (2, lambda x, y: None if x is None or y is None else int(x) & int(y), True),
}
