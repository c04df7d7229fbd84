"""``CAST(expr AS type)`` with Oracle's types and conversions.

SQLite's CAST knows only its own storage classes (``CAST(d AS TIMESTAMP)``
turns a stored date into 0), so the rewrite makes ``CAST(x AS T)`` a call
of ``ORA_CAST(x, 'T')``, which converts as Oracle does: to NUMBER[(p[,s])]
(rounded to the scale, ORA-01438 beyond the precision, ORA-01722 for text
that is no number), VARCHAR2(n) and CHAR(n) (ORA-25137 when the text is
longer), DATE and TIMESTAMP (from a datetime, or from text in ISO form or
the session's default format) and RAW(n). The ANSI names (INTEGER,
DECIMAL, VARCHAR, FLOAT ...) map to these as Oracle maps them; any other
type is ORA-00902.
"""

from __future__ import annotations

import datetime
import functools
import re
from decimal import Decimal

from .errors import OracleError
from .formats import DATE_FORMAT, TIMESTAMP_FORMAT, parse_datetime
from .numeric import oracle_text
from .values import Column, coercer, declared_column, decode, encode, number_fits

__all__ = ["cast"]

_SYNONYMS: dict[str, tuple[str, str | None]] = {  # name -> (Oracle name, fixed arguments)
    **dict.fromkeys(("INTEGER", "INT", "SMALLINT"), ("NUMBER", "(38)")),
    **dict.fromkeys(("DECIMAL", "NUMERIC", "DEC"), ("NUMBER", None)),
    **dict.fromkeys(("FLOAT", "REAL", "DOUBLE PRECISION", "BINARY_DOUBLE", "BINARY_FLOAT"),
                    ("NUMBER", "")),
    **dict.fromkeys(("VARCHAR", "NVARCHAR2", "CHARACTER VARYING"), ("VARCHAR2", None)),
    **dict.fromkeys(("NCHAR", "CHARACTER"), ("CHAR", None)),
}
_TYPE = re.compile(r"([A-Z_][A-Z_0-9 ]*?)\s*(\([^)]*\))?(?:\s+WITH(?:\s+LOCAL)?\s+TIME\s+ZONE)?")


@functools.lru_cache(maxsize=256)
def _target(type_text: str) -> Column:
    """The column type that ``AS type_text`` names.

    Raises:
        OracleError: ORA-00902 for a type the server does not have,
            ORA-00906 for VARCHAR2 or RAW without a length.
    """
    match = _TYPE.fullmatch(" ".join(type_text.upper().split()))
    if match is None:
        raise OracleError(902)
    name, arguments = match[1], (match[2] or "").replace(" ", "")
    if name in _SYNONYMS:
        name, fixed = _SYNONYMS[name]
        arguments = arguments if fixed is None else fixed
    column = declared_column("CAST", name + arguments)
    if column is None:
        raise OracleError(902)
    if name in ("VARCHAR2", "RAW") and not arguments:
        raise OracleError(906)
    return column


def cast(value: object, type_text: object) -> object:
    """``ORA_CAST(value, 'type')``: the stored form of ``value`` as that type."""
    column = _target(str(type_text))
    decoded = decode(value)
    if decoded is None:
        return None
    if column.type == "NUMBER":
        return _number(decoded, column)
    if column.type in ("VARCHAR2", "CHAR"):
        return _text(decoded, column)
    if column.type in ("DATE", "TIMESTAMP"):
        return encode(_datetime(decoded, column.type == "TIMESTAMP"))
    return encode(coercer([column])((decoded,))[0])


def _number(value: object, column: Column) -> object:
    if isinstance(value, datetime.datetime):
        raise OracleError(932, "NUMBER got DATE")
    (number,) = coercer([Column("CAST", "NUMBER", 0)])((value,))
    assert isinstance(number, (int, Decimal))
    if column.scale != -127 and not number_fits(number, column.precision, column.scale):
        raise OracleError(1438)
    return encode(coercer([column])((number,))[0])


def _text(value: object, column: Column) -> object:
    text = oracle_text(value)
    if len(text.encode()) > column.size:
        raise OracleError(25137)
    return text.ljust(column.size) if column.type == "CHAR" else text


def _datetime(value: object, timestamp: bool) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        return value if timestamp else value.replace(microsecond=0)
    if not isinstance(value, str):
        raise OracleError(932, f"{'TIMESTAMP' if timestamp else 'DATE'} got NUMBER")
    try:
        return datetime.datetime.fromisoformat(value.strip())
    except ValueError:
        return parse_datetime(value, TIMESTAMP_FORMAT if timestamp else DATE_FORMAT)
