"""Typed literals: ``DATE '...'``, ``TIMESTAMP '...'`` and ``INTERVAL '...' <qualifier>``.

An INTERVAL literal's text is read by its qualifier: the leading field
(``YEAR``, ``MONTH``, ``DAY``, ``HOUR``, ``MINUTE``, ``SECOND``, each with
an optional precision) and, after ``TO``, the trailing one. ``'1-6' YEAR TO
MONTH`` is 18 months; ``'2 03:04:05.5' DAY TO SECOND``, ``'90' MINUTE`` and
``'1:30' HOUR TO MINUTE`` are day-to-second intervals. A leading ``-``
negates the whole value.
"""

from __future__ import annotations

import datetime
import re

from .errors import OracleError
from .intervals import YearMonth, encode_interval, year_month
from .lexer import Token
from .literals import datetime_literal, literal_body, quote_literal

__all__ = ["interval_end", "typed_literal"]

_DAY_FIELDS = ("DAY", "HOUR", "MINUTE", "SECOND")
_SECONDS = {"DAY": 86400.0, "HOUR": 3600.0, "MINUTE": 60.0, "SECOND": 1.0}
_FIELDS = frozenset({"YEAR", "MONTH", *_DAY_FIELDS})


def _skip_blanks(tokens: tuple[Token, ...], i: int) -> int:
    while i < len(tokens) and tokens[i].kind in ("ws", "comment"):
        i += 1
    return i


def _precision_end(tokens: tuple[Token, ...], i: int) -> int:
    """The index after ``(p)`` or ``(p, s)`` at ``i``; ``i`` itself when none is there."""
    j = _skip_blanks(tokens, i)
    if j >= len(tokens) or tokens[j].text != "(":
        return i
    while j < len(tokens) and tokens[j].text != ")":
        j += 1
    return j + 1


def _qualifier(tokens: tuple[Token, ...], i: int) -> tuple[list[str], int]:
    """The field names of an interval qualifier starting at ``i``, and the index after it."""
    fields: list[str] = []
    while True:
        j = _skip_blanks(tokens, i)
        if j >= len(tokens) or tokens[j].text.upper() not in _FIELDS:
            return fields, i
        fields.append(tokens[j].text.upper())
        i = _precision_end(tokens, j + 1)
        after = _skip_blanks(tokens, i)
        if after >= len(tokens) or not tokens[after].is_word("TO"):
            return fields, i
        i = after + 1


def _interval(text: str, fields: list[str]) -> datetime.timedelta | YearMonth:
    body = text.strip()
    negative = body.startswith("-")
    parts = [p for p in re.split(r"[-\s:]+", body.lstrip("+-")) if p]
    if not fields or not parts:
        raise OracleError(1867)
    try:
        if fields[0] in ("YEAR", "MONTH"):
            numbers = [int(p) for p in parts]
            months = numbers[0] * (12 if fields[0] == "YEAR" else 1) + sum(numbers[1:2])
            return year_month(-months if negative else months)
        start = _DAY_FIELDS.index(fields[0])
        seconds = sum(float(p) * _SECONDS[_DAY_FIELDS[start + n]] for n, p in enumerate(parts))
    except (ValueError, IndexError):
        raise OracleError(1867) from None
    return datetime.timedelta(seconds=-seconds if negative else seconds)


def typed_literal(kind: str, tokens: tuple[Token, ...], j: int) -> tuple[str, int]:
    """The SQLite text for the literal whose string is ``tokens[j]``, and the index after it.

    Raises:
        OracleError: ORA-01861 for a bad datetime, ORA-01867 for a bad interval.
    """
    if kind != "INTERVAL":
        return datetime_literal(kind, tokens[j]), j + 1
    fields, end = _qualifier(tokens, j + 1)
    value = _interval(literal_body(tokens[j]), fields)
    return quote_literal(encode_interval(value)), end


def interval_end(tokens: tuple[Token, ...], i: int, end: int) -> int | None:
    """The index after the INTERVAL literal at ``tokens[i]`` (for ``arithmetic``); None if none."""
    j = i + 1
    while j < end and tokens[j].kind in ("ws", "comment"):
        j += 1
    if j >= end or "string" not in tokens[j].kind:
        return None
    return min(_qualifier(tokens, j + 1)[1], end)
