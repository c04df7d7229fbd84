"""Oracle format models for TO_CHAR, TO_DATE and TRUNC, on Python's datetime.

Only the common elements are understood: ``YYYY RRRR YY RR MM MON MONTH DD
DY DAY HH24 HH12 HH MI SS FF[1-9] AM PM X``, quoted text and punctuation,
with ``FM`` ignored. ``MON`` and friends follow the case of the element, as
Oracle's do (``Mon`` gives ``Jan``). Number models know ``9``, ``0``, ``.``,
``,`` and ``FM``. The defaults are Oracle's: ``DD-MON-RR`` for dates and
``DD-MON-RR HH.MI.SSXFF AM`` for timestamps.
"""

from __future__ import annotations

import calendar
import datetime
import re
from decimal import ROUND_HALF_UP, Context, Decimal

from .errors import OracleError

__all__ = ["DATE_FORMAT", "TIMESTAMP_FORMAT", "format_datetime", "parse_datetime",
           "format_number", "truncate_datetime", "add_months", "last_day"]

DATE_FORMAT = "DD-MON-RR"
TIMESTAMP_FORMAT = "DD-MON-RR HH.MI.SSXFF AM"

_ELEMENT = re.compile(
    r'"[^"]*"|FM|FX|YYYY|RRRR|YY|RR|MONTH|MON|MM|DDD|DD|DY|DAY|HH24|HH12|HH|MI|SS|'
    r"FF[1-9]?|A\.M\.|P\.M\.|AM|PM|X|[-/,.;: ]|.", re.IGNORECASE)
_STRFTIME = {
    "YYYY": "%Y", "RRRR": "%Y", "YY": "%y", "RR": "%y", "MM": "%m", "DD": "%d",
    "DDD": "%j", "HH24": "%H", "HH12": "%I", "HH": "%I", "MI": "%M", "SS": "%S",
    "AM": "%p", "PM": "%p", "A.M.": "%p", "P.M.": "%p", "X": ".",
}
_NAMES = {"MONTH": "%B", "MON": "%b", "DAY": "%A", "DY": "%a"}


def _cased(text: str, element: str) -> str:
    if element.isupper():
        return text.upper()
    return text.capitalize() if element[0].isupper() else text.lower()


def _render(value: datetime.datetime, element: str) -> str:
    upper = element.upper()
    if element.startswith('"'):
        return element[1:-1]
    if upper in ("FM", "FX"):
        return ""
    if upper.startswith("FF"):
        digits = int(upper[2:] or 6)
        return f"{value.microsecond:06d}"[:digits].ljust(digits, "0")
    if upper in _NAMES:
        return _cased(value.strftime(_NAMES[upper]), element)
    if upper in ("YYYY", "RRRR"):
        return f"{value.year:04d}"
    return value.strftime(_STRFTIME.get(upper, element.replace("%", "%%")))


def format_datetime(value: datetime.datetime, model: str) -> str:
    """``TO_CHAR(value, model)``."""
    return "".join(_render(value, e) for e in _ELEMENT.findall(model))


def _pattern(element: str) -> str:
    upper = element.upper()
    if element.startswith('"'):
        return element[1:-1].replace("%", "%%")
    if upper in ("FM", "FX"):
        return ""
    if upper.startswith("FF"):
        return "%f"
    if upper in _NAMES:
        return _NAMES[upper]
    return _STRFTIME.get(upper, element.replace("%", "%%"))


def parse_datetime(text: str, model: str) -> datetime.datetime:
    """``TO_DATE(text, model)``.

    Raises:
        OracleError: ORA-01861 when the text does not match the model.
    """
    pattern = "".join(_pattern(e) for e in _ELEMENT.findall(model))
    try:
        return datetime.datetime.strptime(text.strip(), pattern)
    except ValueError:
        raise OracleError(1861) from None


_TRUNCATIONS = {
    "YYYY": "year", "YEAR": "year", "Y": "year", "RRRR": "year", "YY": "year",
    "MM": "month", "MON": "month", "MONTH": "month",
    "DD": "day", "DDD": "day", "J": "day",
    "HH": "hour", "HH24": "hour", "HH12": "hour", "MI": "minute",
}


def truncate_datetime(value: datetime.datetime, model: str = "DD") -> datetime.datetime:
    """``TRUNC(value, model)``.

    Raises:
        OracleError: ORA-01821 for a model TRUNC does not know.
    """
    unit = _TRUNCATIONS.get(model.upper())
    if unit is None:
        raise OracleError(1821)
    keep = ["year", "month", "day", "hour", "minute"]
    fields = {name: getattr(value, name) for name in keep[:keep.index(unit) + 1]}
    fields.setdefault("month", 1)
    fields.setdefault("day", 1)
    return datetime.datetime(**fields)


def format_number(value: Decimal, model: str | None = None) -> str:
    """``TO_CHAR(number[, model])``; without a model, Oracle's shortest form."""
    if model is None:
        text = format(Context(prec=80).normalize(value), "f")
        return re.sub(r"^(-?)0\.", r"\1.", text)
    fill = not model.upper().startswith("FM")
    body = re.sub(r"(?i)^FM", "", model)
    whole, _, fraction = body.partition(".")
    rounded = value.quantize(Decimal(1).scaleb(-len(fraction)), rounding=ROUND_HALF_UP)
    text = f"{abs(rounded):,.{len(fraction)}f}" if "," in whole else f"{abs(rounded):.{len(fraction)}f}"
    digits = whole.replace(",", "")
    if "0" in digits:
        text = text.zfill(len(whole) + (len(fraction) + 1 if fraction else 0))
    if len(text.partition(".")[0]) > len(whole):
        return "#" * (len(body) + 1)
    sign = "-" if rounded < 0 else (" " if fill else "")
    text = sign + text
    return text.rjust(len(body) + 1) if fill else text


def last_day(value: datetime.datetime) -> datetime.datetime:
    """``LAST_DAY(value)``: the same time on the month's last day."""
    return value.replace(day=calendar.monthrange(value.year, value.month)[1])


def add_months(value: datetime.datetime, months: int) -> datetime.datetime:
    """``ADD_MONTHS(value, n)``; a month's last day maps to the last day, as in Oracle."""
    index = value.year * 12 + value.month - 1 + months
    year, month = divmod(index, 12)
    moved = value.replace(year=year, month=month + 1, day=1)
    if value.day >= calendar.monthrange(value.year, value.month)[1]:
        return last_day(moved)
    return moved.replace(day=min(value.day, calendar.monthrange(year, month + 1)[1]))
