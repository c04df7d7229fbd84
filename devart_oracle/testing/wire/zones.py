"""TIMESTAMP WITH TIME ZONE on the wire: the UTC instant, then the offset.

Oracle sends a zoned timestamp as the eleven TIMESTAMP bytes of its instant
in UTC followed by two bytes, the offset's hours plus 20 and its minutes plus
60 (both signed like the offset: -07:30 is 13, 30); the client adds the
offset back. A first byte with its high bit set names a region instead: the
server sends none and reads a bound one as UTC.
"""

from __future__ import annotations

import datetime

from .codec import decode_date, encode_timestamp

__all__ = ["decode_timestamp_tz", "encode_timestamp_tz"]

_HOUR, _MINUTE, _REGION = 20, 60, 0x80


def encode_timestamp_tz(value: datetime.date) -> bytes:
    """Thirteen bytes for a zoned timestamp; a naive value is taken as UTC."""
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime(value.year, value.month, value.day)
    offset = value.utcoffset() or datetime.timedelta(0)
    instant = value.replace(tzinfo=None) - offset
    minutes = int(offset.total_seconds()) // 60
    sign = -1 if minutes < 0 else 1
    hours, rest = divmod(abs(minutes), 60)
    return encode_timestamp(instant) + bytes((_HOUR + sign * hours, _MINUTE + sign * rest))


def decode_timestamp_tz(data: bytes) -> datetime.datetime:
    """The value of thirteen zoned bytes, aware (a fixed offset); naive at +00:00 or for shorter bytes.

    Raises:
        ValueError: the bytes hold no date Python can represent.
    """
    value = decode_date(data)
    if len(data) != 13 or data[11] & _REGION or data[11] == 0 or tuple(data[11:]) == (_HOUR, _MINUTE):
        return value
    offset = datetime.timedelta(hours=data[11] - _HOUR, minutes=data[12] - _MINUTE)
    return (value + offset).replace(tzinfo=datetime.timezone(offset))
