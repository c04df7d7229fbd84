"""TIMESTAMP WITH TIME ZONE and WITH LOCAL TIME ZONE values in the backend.

A zoned value is a datetime with a fixed offset, stored like any DATE or
TIMESTAMP (``values``: ``DATE_TAG`` then ``isoformat(" ")``), so the text
ends with its offset (``+05:30``) and reads back aware. Such text does not
sort by instant, so the columns of both types are declared with the
``ORA_ZONED`` collation (:func:`collate`), which compares values by their
instant in UTC (a value with no offset is taken as UTC, and a value at
+00:00 is stored without one, so that it equals a plain timestamp in
expressions too): ``TimestampTZCol =
:value`` finds 2022-06-08 00:00 +05:30 for a bound 2022-06-07 18:30 UTC, as
Oracle does.

Read back, a TIMESTAMP WITH TIME ZONE keeps its offset; a TIMESTAMP WITH
LOCAL TIME ZONE is normalized to the database time zone, UTC, and returned
without offset (the server does not convert it to the session's time zone:
every session of it is UTC, as python-oracledb's suite sets); a plain DATE
or TIMESTAMP drops the offset and keeps the local time.
"""

from __future__ import annotations

import datetime

__all__ = ["COLLATION", "collate", "parse_offset", "to_local", "to_utc_naive"]

COLLATION = "ORA_ZONED"
_TAG = "\x1e"  # values.DATE_TAG (values imports this module)


def _instant(text: str) -> datetime.datetime | None:
    try:
        value = datetime.datetime.fromisoformat(text[1:] if text.startswith(_TAG) else text)
    except ValueError:
        return None
    return to_utc_naive(value)


def collate(left: str, right: str) -> int:
    """SQLite collation: zoned timestamps by instant; other text as text."""
    a, b = _instant(left), _instant(right)
    if a is None or b is None:
        return (left > right) - (left < right)
    return (a > b) - (a < b)


def to_utc_naive(value: datetime.datetime) -> datetime.datetime:
    """The UTC instant of an aware value, without offset; a naive value as it is."""
    offset = value.utcoffset()
    return value if offset is None else value.replace(tzinfo=None) - offset


def to_local(value: datetime.datetime) -> datetime.datetime:
    """A local time zone value: the instant in UTC (the database time zone), naive."""
    return to_utc_naive(value)


def parse_offset(text: str) -> datetime.timezone | None:
    """``+05:30``, ``-7:00`` as a fixed zone; None for text that is no offset."""
    text = text.strip()
    sign = -1 if text.startswith("-") else 1
    hours, colon, minutes = text.lstrip("+-").partition(":")
    if not colon or not hours.isdigit() or not minutes.isdigit() or len(minutes) != 2:
        return None
    if int(minutes) > 59 or int(hours) * 60 + int(minutes) > 14 * 60:
        return None
    return datetime.timezone(sign * datetime.timedelta(hours=int(hours), minutes=int(minutes)))
