"""Oracle format models for TO_CHAR, TO_DATE and TRUNC, on Python's datetime.

Only the common elements are understood: ``YYYY RRRR YY RR MM MON MONTH DD
DY DAY HH24 HH12 HH MI SS FF[1-9] AM PM X``, quoted text and punctuation,
with ``FM`` ignored. ``MON`` and friends follow the case of the element, as
Oracle's do (``Mon`` gives ``Jan``). Number models know ``9``, ``0``, ``.``,
``,`` and ``FM``. The defaults are Oracle's: ``DD-MON-RR`` for dates and
``DD-MON-RR HH.MI.SSXFF AM`` for timestamps (a session's own are in ``nls``).
TO_DATE reads text as leniently as Oracle does (see ``parse_datetime``).
"""

from __future__ import annotations

import calendar
import datetime
import re
from decimal import ROUND_HALF_UP, Context, Decimal

from .errors import OracleError

__all__ = [
    "DATE_FORMAT",
    "TIMESTAMP_FORMAT",
    "add_months",
    "format_datetime",
    "format_number",
    "last_day",
    "parse_datetime",
    "truncate_datetime",
]

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


_NUMERIC_FIELDS = {  # element -> (field, most digits)
    "YYYY": ("year", 4), "RRRR": ("rrrr", 4), "YY": ("yy", 2), "RR": ("rr", 4), "MM": ("month", 2),
    "DD": ("day", 2), "DDD": ("yday", 3), "HH24": ("hour", 2), "HH12": ("hour12", 2),
    "HH": ("hour12", 2), "MI": ("minute", 2), "SS": ("second", 2),
}
_MONTHS = {name.upper(): number for number, name in enumerate(calendar.month_abbr) if name}
_MONTHS.update({name.upper(): number for number, name in enumerate(calendar.month_name) if name})
_PUNCTUATION = r"[-/,.;:\s]*"


def _pattern(element: str) -> str:
    """The regular expression one model element matches, as TO_DATE reads leniently."""
    upper = element.upper()
    if element.startswith('"'):
        return re.escape(element[1:-1])
    if upper in ("FM", "FX"):
        return ""
    if upper in _NUMERIC_FIELDS:
        field, digits = _NUMERIC_FIELDS[upper]
        return rf"(?P<{field}>\d{{1,{digits}}})"
    if upper.startswith("FF"):
        return rf"(?P<fraction>\d{{1,{upper[2:] or 9}}})"
    if upper in ("MON", "MONTH"):
        return r"(?P<mon>[A-Za-z]+)"
    if upper in ("DY", "DAY"):
        return r"[A-Za-z]+"
    if upper in ("AM", "PM", "A.M.", "P.M."):
        return r"(?P<meridian>[AaPp]\.?[Mm]\.?)"
    if upper == "X":
        return r"\."
    if not element.strip() or element in "-/,.;:":
        return _PUNCTUATION  # punctuation matches any punctuation, as Oracle's does without FX
    return re.escape(element)


def _year(fields: dict[str, str], today: datetime.date) -> int:
    """The year: YYYY as given, YY in this century, RR (two digits) in the nearest one."""
    if fields.get("year") or fields.get("rrrr"):
        return int(fields.get("year") or fields["rrrr"])
    if fields.get("yy"):
        return today.year // 100 * 100 + int(fields["yy"][-2:])
    if not fields.get("rr"):
        return today.year
    if len(fields["rr"]) > 2:
        return int(fields["rr"])
    given, century, now = int(fields["rr"]), today.year // 100 * 100, today.year % 100
    if now < 50:
        return century + given if given < 50 else century - 100 + given
    return century + given if given >= 50 else century + 100 + given


def _hour(fields: dict[str, str]) -> int:
    if fields.get("hour12"):
        hour = int(fields["hour12"])
        if not 1 <= hour <= 12:
            raise OracleError(1849)
        meridian = (fields.get("meridian") or "A").upper()
        return hour % 12 + (12 if meridian.startswith("P") else 0)
    return int(fields.get("hour") or 0)


def _month(fields: dict[str, str], today: datetime.date) -> int:
    if fields.get("mon"):
        number = _MONTHS.get(fields["mon"].upper())
        if number is None:
            raise OracleError(1843)
        return number
    return int(fields.get("month") or today.month)


def parse_datetime(text: str, model: str) -> datetime.datetime:
    """``TO_DATE(text, model)``, read as Oracle reads it.

    Case does not matter, punctuation matches any punctuation, numbers may
    have fewer digits than their element, RR takes a two-digit year into
    the nearest century (and a four-digit one as it is), and what the model
    leaves out defaults as in Oracle: this year, this month, day 1, midnight.

    Raises:
        OracleError: ORA-01861 when the text does not match the model,
            ORA-01843 for a month name that is none, ORA-01847/ORA-01850/
            ORA-01851/ORA-01852 for a day, hour, minute or second out of range.
    """
    pattern = "".join(_pattern(e) for e in _ELEMENT.findall(model))
    try:
        match = re.fullmatch(pattern, text.strip(), re.IGNORECASE)
    except re.error:  # an element twice (a named group repeated): the model is not valid
        raise OracleError(1821) from None
    if match is None:
        raise OracleError(1861)
    fields = {key: value for key, value in match.groupdict().items() if value}
    today = datetime.date.today()
    year, month = _year(fields, today), _month(fields, today)
    if not 1 <= year <= 9999:
        raise OracleError(1841)
    if "yday" in fields:
        return datetime.datetime(year, 1, 1) + datetime.timedelta(days=int(fields["yday"]) - 1)
    day = int(fields.get("day") or 1)
    if not 1 <= month <= 12:
        raise OracleError(1843)
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise OracleError(1847)
    hour, minute, second = _hour(fields), int(fields.get("minute") or 0), int(fields.get("second") or 0)
    for value, limit, code in ((hour, 23, 1850), (minute, 59, 1851), (second, 59, 1852)):
        if value > limit:
            raise OracleError(code)
    micro = int((fields.get("fraction") or "0").ljust(6, "0")[:6])
    return datetime.datetime(year, month, day, hour, minute, second, micro)


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
