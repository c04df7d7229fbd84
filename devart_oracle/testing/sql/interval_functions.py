"""The interval and time-zone functions: TO_DSINTERVAL, TO_YMINTERVAL, NUMTO*INTERVAL, TO_TIMESTAMP_TZ, UNISTR.

They take and give stored values (see ``values``). ``TO_TIMESTAMP_TZ``
reads the offset (``TZH:TZM``) and keeps it (see ``zones``).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

from .errors import OracleError
from .formats import TIMESTAMP_FORMAT, parse_datetime
from .intervals import YearMonth, year_month
from .values import decode, encode
from .zones import parse_offset

__all__ = ["FUNCTIONS"]

_DS = re.compile(r"\s*([+-])?(\d+)\s+(\d+):(\d+):(\d+(?:\.\d*)?)\s*")
_YM = re.compile(r"\s*([+-])?(\d+)-(\d+)\s*")
_UNITS = {"DAY": 86400.0, "HOUR": 3600.0, "MINUTE": 60.0, "SECOND": 1.0}
_OFFSET = re.compile(r"\s*[+-]?\d{1,2}:\d{2}\s*$")
_ZONE_MODEL = re.compile(r"\s*TZH:TZM\s*$", re.I)


def _to_dsinterval(text: object) -> object:
    if text is None:
        return None
    match = _DS.fullmatch(str(text))
    if match is None:
        raise OracleError(1867)
    sign, days, hours, minutes, seconds = match.groups()
    value = datetime.timedelta(days=int(days), hours=int(hours), minutes=int(minutes),
                               seconds=float(seconds))
    return encode(-value if sign == "-" else value)


def _to_yminterval(text: object) -> object:
    if text is None:
        return None
    match = _YM.fullmatch(str(text))
    if match is None:
        raise OracleError(1867)
    sign = -1 if match[1] == "-" else 1
    return encode(YearMonth(sign * int(match[2]), sign * int(match[3])))


def _number(value: object) -> float:
    decoded = decode(value)
    try:
        return float(str(decoded))
    except ValueError:
        raise OracleError(1722) from None


def _numtodsinterval(number: object, unit: object) -> object:
    if number is None or unit is None:
        return None
    seconds = _UNITS.get(str(unit).strip().upper())
    if seconds is None:
        raise OracleError(1760)
    return encode(datetime.timedelta(seconds=_number(number) * seconds))


def _numtoyminterval(number: object, unit: object) -> object:
    if number is None or unit is None:
        return None
    per = {"YEAR": 12, "MONTH": 1}.get(str(unit).strip().upper())
    if per is None:
        raise OracleError(1760)
    return encode(year_month(int(_number(number) * per)))


def _to_timestamp_tz(text: object, model: object = None) -> object:
    if text is None:
        return None
    form = str(model or TIMESTAMP_FORMAT)
    found = _OFFSET.search(str(text)) if _ZONE_MODEL.search(form) else None
    plain = str(text)[:found.start()] if found else str(text)
    zone = parse_offset(found[0]) if found else None
    form = _ZONE_MODEL.sub("", form)
    try:
        value = datetime.datetime.fromisoformat(plain.strip()) if model is None else parse_datetime(plain, form)
    except ValueError:
        value = parse_datetime(plain, TIMESTAMP_FORMAT)
    if value.tzinfo is None:  # no offset given: the session's time zone, UTC here
        value = value.replace(tzinfo=zone or datetime.UTC)
    return encode(value)


def _unistr(text: object) -> object:
    if text is None:
        return None
    return re.sub(r"\\([0-9A-Fa-f]{4})", lambda m: chr(int(m[1], 16)), str(text))


FUNCTIONS: dict[str, tuple[int, Callable[..., object], bool]] = {
    "TO_DSINTERVAL": (1, _to_dsinterval, True),
    "TO_YMINTERVAL": (1, _to_yminterval, True),
    "NUMTODSINTERVAL": (2, _numtodsinterval, True),
    "NUMTOYMINTERVAL": (2, _numtoyminterval, True),
    "TO_TIMESTAMP_TZ": (-1, _to_timestamp_tz, True),
    "UNISTR": (1, _unistr, True),
}
