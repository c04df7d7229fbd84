"""INTERVAL DAY TO SECOND and INTERVAL YEAR TO MONTH: declared types and stored values.

A day-to-second interval is a ``datetime.timedelta`` in the backend; a
year-to-month interval is a ``YearMonth``. Both are stored as tagged text
(``INTERVAL_TAG``, a kind letter, then a signed count of microseconds or
months, zero-padded so that text order is the order of the values) and
come back as those objects.
"""

from __future__ import annotations

import datetime
from typing import NamedTuple

from .errors import OracleError
from .lexer import Words

__all__ = ["INTERVAL_TAG", "YearMonth", "decode_interval", "encode_interval", "interval_sum",
           "interval_type", "year_month"]

INTERVAL_TAG = "\x1d"
_WIDTH = 20
_OFFSET = 10**19  # keeps the count positive, so that zero padding sorts right


class YearMonth(NamedTuple):
    """An INTERVAL YEAR TO MONTH value (both parts carry the sign)."""

    years: int
    months: int


def _precision(words: Words, default: int) -> int:
    if words.peek() != "(":
        return default
    numbers = [t.text for t in words.group() if t.kind == "number"]
    return int(numbers[0]) if numbers else default


def interval_type(words: Words) -> str:
    """Read ``DAY[(p)] TO SECOND[(s)]`` or ``YEAR[(p)] TO MONTH`` after INTERVAL.

    The declared type keeps the leading precision and the fractional one
    (``INTERVAL_DS(2,6)``), which the describe reports.
    """
    first = words.take_upper()
    leading = _precision(words, 2)
    words.accept("TO")
    words.take_upper()
    fraction = _precision(words, 6)
    return f"INTERVAL_YM({leading})" if first == "YEAR" else f"INTERVAL_DS({leading},{fraction})"


def encode_interval(value: datetime.timedelta | YearMonth) -> str:
    """The stored form of an interval."""
    if isinstance(value, YearMonth):
        return f"{INTERVAL_TAG}Y{value.years * 12 + value.months + _OFFSET:0{_WIDTH}d}"
    micros = (value.days * 86400 + value.seconds) * 10**6 + value.microseconds
    return f"{INTERVAL_TAG}D{micros + _OFFSET:0{_WIDTH}d}"


def decode_interval(text: str) -> datetime.timedelta | YearMonth | str:
    """The interval a stored text holds (the text itself if it holds none)."""
    try:
        count = int(text[2:]) - _OFFSET
    except ValueError:
        return text
    if text[1:2] == "Y":
        return year_month(count)
    return datetime.timedelta(microseconds=count)


def year_month(total: int) -> YearMonth:
    """``total`` months as years and months, both with the sign of the total."""
    years = abs(total) // 12 * (1 if total >= 0 else -1)
    return YearMonth(years, total - years * 12)


def _months(value: YearMonth) -> int:
    return value.years * 12 + value.months


def _plus_months(date: datetime.datetime, months: int) -> datetime.datetime:
    """Oracle's date + INTERVAL 'n' MONTH: the same day, which must exist (ORA-01839)."""
    total = date.year * 12 + date.month - 1 + months
    try:
        return date.replace(year=total // 12, month=total % 12 + 1)
    except ValueError:
        raise OracleError(1839) from None


def interval_sum(x: object, y: object, sign: int) -> object | None:
    """``x + y`` (sign 1) or ``x - y`` (sign -1) when an interval takes part; else None.

    Raises:
        OracleError: ORA-00932 for an interval with a number or with an
            interval of the other kind, ORA-01839 for a day the month lacks.
    """
    if not isinstance(x, (datetime.timedelta, YearMonth)) \
            and not isinstance(y, (datetime.timedelta, YearMonth)):
        return None
    if isinstance(x, datetime.datetime) and isinstance(y, datetime.timedelta):
        return x + sign * y
    if isinstance(x, datetime.datetime) and isinstance(y, YearMonth):
        return _plus_months(x, sign * _months(y))
    if sign > 0 and isinstance(y, datetime.datetime):
        return interval_sum(y, x, 1)
    if isinstance(x, datetime.timedelta) and isinstance(y, datetime.timedelta):
        return x + sign * y
    if isinstance(x, YearMonth) and isinstance(y, YearMonth):
        return year_month(_months(x) + sign * _months(y))
    raise OracleError(932, "INTERVAL got NUMBER")
