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

from .lexer import Words

__all__ = ["INTERVAL_TAG", "YearMonth", "decode_interval", "encode_interval", "interval_type"]

INTERVAL_TAG = "\x1d"
_WIDTH = 20
_OFFSET = 10**19  # keeps the count positive, so that zero padding sorts right


class YearMonth(NamedTuple):
    """An INTERVAL YEAR TO MONTH value (both parts carry the sign)."""

    years: int
    months: int


def interval_type(words: Words) -> str:
    """Read ``DAY[(p)] TO SECOND[(s)]`` or ``YEAR[(p)] TO MONTH`` after INTERVAL."""
    first = words.take_upper()
    if words.peek() == "(":
        words.group()
    words.accept("TO")
    words.take_upper()
    if words.peek() == "(":
        words.group()
    return "INTERVAL YEAR TO MONTH" if first == "YEAR" else "INTERVAL DAY TO SECOND"


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
        years = abs(count) // 12 * (1 if count >= 0 else -1)
        return YearMonth(years, count - years * 12)
    return datetime.timedelta(microseconds=count)
