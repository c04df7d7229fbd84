"""The large and the other types: CLOB, NCLOB, BLOB, LONG, LONG RAW, N-strings, binary floats.

SQLite keeps each column's declared type; these are the canonical names
this module declares and reads back, chosen for the SQLite affinity each
needs (SQLite picks the affinity from substrings of the name):

=================  ===================  =====================================
Oracle type        declared as          stored as
=================  ===================  =====================================
CLOB, NCLOB        ``CLOB``, ``NCLOB``  text (TEXT affinity)
BLOB               ``BLOB``             blob (no affinity)
LONG               ``LONG VARCHAR``     text ("CHAR": TEXT affinity)
LONG RAW           ``LONG RAW``         blob
NCHAR, NVARCHAR2   ``NCHAR(n)`` ...     text, its length counted in characters
BINARY_FLOAT/DOUB  ``BINARY_FLOAT`` ... a double (REAL affinity); NaN, which
                                        SQLite would store as NULL, as ``'NaN'``
ROWID, UROWID      ``UROWID``           the 18-character text (see ``rowid``; the
                                        rewrite would take ``ROWID`` for the column)
INTERVAL ...       ``INTERVAL_DS``/YM   tagged text (see ``intervals``); SQLite
                                        reads no "TO" in a type name
TIMESTAMP WITH     ``TIMESTAMP_TZ(p)``  a TIMESTAMP (``values``) with its offset,
[LOCAL] TIME ZONE  ``TIMESTAMP_LTZ(p)`` compared by instant (see ``zones``)
=================  ===================  =====================================

A LOB differs from a string in one way the backend sees: an empty LOB
(``EMPTY_CLOB()``, ``EMPTY_BLOB()``) is a value of length 0, not NULL, so
their columns keep ``''`` and ``b''``. A value longer than a few chunks is
stored out of row (``lob_store``): its column holds a reference, which a
query returns as a ``LobRef``.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable
from decimal import Decimal

from .errors import OracleError
from .lob_refs import LobRef, is_ref
from .zones import to_local

__all__ = [
    "BinaryDouble",
    "FUNCTIONS",
    "LOB_KINDS",
    "declared_kind",
    "empty_lob",
    "expression_kind",
    "kind_coercer",
    "lob_append",
    "lob_copy",
    "lob_erase",
    "lob_trim",
    "lob_write",
    "lob_write_append",
    "stored_float",
    "to_blob",
    "to_clob",
]

LOB_KINDS = frozenset({"CLOB", "NCLOB", "BLOB"})
_ZONED = {"TIMESTAMP_TZ": "TIMESTAMP WITH TIME ZONE",
          "TIMESTAMP_LTZ": "TIMESTAMP WITH LOCAL TIME ZONE"}
_SIZED = frozenset({"NCHAR", "NVARCHAR2"})
_PLAIN = {  # declared (upper case) -> Oracle kind
    "CLOB": "CLOB", "NCLOB": "NCLOB", "BLOB": "BLOB", "LONG VARCHAR": "LONG",
    "LONG RAW": "LONG RAW", "BINARY_FLOAT": "BINARY_FLOAT", "BINARY_DOUBLE": "BINARY_DOUBLE",
    "UROWID": "ROWID",
}
_INTERVALS = {"INTERVAL_DS": "INTERVAL DAY TO SECOND", "INTERVAL_YM": "INTERVAL YEAR TO MONTH"}


def declared_kind(declared: str) -> tuple[str, int] | None:
    """The Oracle kind and size of one of this module's declared types; None for others."""
    text = " ".join(declared.upper().split())
    if text in _PLAIN:
        return _PLAIN[text], 0
    name, _, rest = text.partition("(")
    if name in _SIZED and rest.endswith(")") and rest[:-1].isdigit():
        return name, int(rest[:-1])
    if name in _ZONED and rest.endswith(")") and rest[:-1].isdigit():
        return _ZONED[name], int(rest[:-1])
    if name in _INTERVALS and rest.endswith(")"):
        numbers = [int(n) for n in rest[:-1].split(",") if n.strip().isdigit()]
        return _INTERVALS[name], numbers[0] * 10 + (numbers[1] if len(numbers) > 1 else 0)
    return None


class BinaryDouble(float):
    """A value bound as BINARY_DOUBLE: a bind alone in a select list describes as one."""

    __slots__ = ()


def stored_float(value: float) -> object:
    """The stored form of a binary float: SQLite would turn NaN into NULL."""
    return "NaN" if math.isnan(value) else float(value)


def _to_float(value: object) -> float:
    if isinstance(value, bytes):
        raise OracleError(932, "BINARY_DOUBLE got BINARY")
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise OracleError(1722) from None


def _to_text(value: object) -> str:
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).hex().upper()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _to_bytes(value: object) -> bytes:
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    try:
        return bytes.fromhex(str(value))
    except ValueError:
        raise OracleError(1465) from None


def _lob(convert: Callable[[object], object]) -> Callable[[object], object]:
    return lambda value: LobRef(value) if is_ref(value) else convert(value)


def kind_coercer(kind: str, size: int) -> Callable[[object], object] | None:
    """The conversion of a stored value (not NULL) into a value of ``kind``; None for others."""
    if kind in ("CLOB", "NCLOB"):
        return _lob(_to_text)
    if kind == "BLOB":
        return _lob(_to_bytes)
    if kind in ("LONG", "ROWID", "NVARCHAR2"):
        return _to_text
    if kind == "NCHAR":
        return lambda value: _to_text(value).ljust(size)
    if kind == "LONG RAW":
        return _to_bytes
    if kind in ("BINARY_FLOAT", "BINARY_DOUBLE"):
        return _to_float
    if kind == "TIMESTAMP WITH LOCAL TIME ZONE":
        return lambda value: to_local(value) if isinstance(value, datetime.datetime) else value
    if kind.startswith("INTERVAL") or kind in _ZONED.values():
        return lambda value: value  # decoded from its tagged text already
    return None


# ------------------------------------------------------------- functions

def to_clob(value: object) -> object:
    """``TO_CLOB(x)`` / ``TO_NCLOB(x)``: the text of a value."""
    return None if value is None else _to_text(value)


def to_blob(value: object) -> object:
    """``TO_BLOB(raw)``: the bytes of a RAW (or of hex text)."""
    return None if value is None else _to_bytes(value)


def empty_lob(kind: str) -> Callable[[], object]:
    """``EMPTY_CLOB()`` and ``EMPTY_BLOB()``: a LOB of length 0, which is not NULL."""
    return lambda: b"" if kind == "BLOB" else ""


_EXPRESSIONS = (("TO_CLOB(", "CLOB"), ("EMPTY_CLOB(", "CLOB"), ("TO_NCLOB(", "NCLOB"),
                ("TO_BLOB(", "BLOB"), ("EMPTY_BLOB(", "BLOB"))


def expression_kind(name: str) -> str | None:
    """The type of an expression column whose values alone do not tell it.

    A LOB function's result is text or bytes, like a VARCHAR2's or a RAW's;
    Oracle names the column by the expression, so the name tells.
    """
    upper = name.upper()
    for prefix, kind in _EXPRESSIONS:
        if upper.startswith(prefix):
            return kind
    if upper == "ROWID" or upper.endswith(".ROWID"):
        return "ROWID"
    return None


def _text_of(value: object) -> str | bytes:
    if isinstance(value, bytes):
        return value
    return "" if value is None else _to_text(value)


def lob_length(value: object) -> object:
    """``DBMS_LOB.GETLENGTH(lob)``: characters of a CLOB, bytes of a BLOB."""
    return None if value is None else len(_text_of(value))


def lob_substr(value: object, amount: object = 32767, offset: object = 1) -> object:
    """``DBMS_LOB.SUBSTR(lob, amount, offset)`` (note the order: amount first)."""
    if value is None or amount is None or offset is None:
        return None
    start, count = int(str(offset)), int(str(amount))
    if start < 1 or count < 1:
        return None
    piece = _text_of(value)[start - 1:start - 1 + count]
    return piece if piece else None


def lob_instr(value: object, pattern: object, offset: object = 1, nth: object = 1) -> object:
    """``DBMS_LOB.INSTR(lob, pattern, offset, nth)``: 1-based position, 0 when absent."""
    if value is None or pattern is None:
        return None
    data, wanted = _text_of(value), _text_of(pattern)
    position = int(str(offset)) - 2
    for _ in range(max(int(str(nth)), 1)):
        position = data.find(wanted, position + 1)  # type: ignore[arg-type]
        if position < 0:
            return 0
    return position + 1


# ------------------------------------------------- DBMS_LOB's procedures

def _lob_of(value: object) -> str | bytes:
    if isinstance(value, (str, bytes)):
        return value
    raise OracleError(22275)  # a NULL (or no) LOB: Oracle's "invalid LOB locator specified"


def _like(lob: str | bytes, value: object) -> str | bytes:
    """A buffer or source LOB as the kind of ``lob`` (text for a CLOB, bytes of a RAW for a BLOB)."""
    if value is None:
        raise OracleError(21560, "buffer")
    return _to_bytes(value) if isinstance(lob, bytes) else _to_text(value)


def _count(value: object, name: str, least: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)) or value < least:
        raise OracleError(21560, name)
    return int(value)


def lob_written(lob: object, offset: object, piece: str | bytes) -> str | bytes:
    """``lob`` with ``piece`` written at the 1-based ``offset``; a gap is blanks (CLOB) or zero bytes."""
    data, start = _lob_of(lob), _count(offset, "offset") - 1
    gap = (b"\x00" if isinstance(data, bytes) else " ") * (start - len(data))
    return data[:start] + gap + piece + data[start + len(piece):]  # type: ignore[operator]


def lob_append(lob: object, source: object) -> str | bytes:
    """``DBMS_LOB.APPEND(dest, src)``."""
    data = _lob_of(lob)
    return data + _like(data, source)  # type: ignore[operator]


def lob_write_append(lob: object, amount: object, buffer: object) -> str | bytes:
    """``DBMS_LOB.WRITEAPPEND(lob, amount, buffer)``: the first ``amount`` of ``buffer`` appended."""
    data = _lob_of(lob)
    return data + _piece(data, amount, buffer)  # type: ignore[operator]


def _piece(data: str | bytes, amount: object, buffer: object) -> str | bytes:
    piece, count = _like(data, buffer), _count(amount, "amount")
    if count > len(piece):
        raise OracleError(21560, "amount")
    return piece[:count]


def lob_write(lob: object, amount: object, offset: object, buffer: object) -> str | bytes:
    """``DBMS_LOB.WRITE(lob, amount, offset, buffer)``."""
    return lob_written(lob, offset, _piece(_lob_of(lob), amount, buffer))


def lob_copy(dest: object, source: object, amount: object, dest_offset: object = 1,
             src_offset: object = 1) -> str | bytes:
    """``DBMS_LOB.COPY(dest, src, amount, dest_offset, src_offset)``: part of ``src`` written into ``dest``."""
    data = _lob_of(dest)
    start = _count(src_offset, "src_offset") - 1
    return lob_written(data, dest_offset, _like(data, source)[start:start + _count(amount, "amount")])


def lob_trim(lob: object, length: object) -> str | bytes:
    """``DBMS_LOB.TRIM(lob, newlen)``: ORA-22926 for a length past the end."""
    data, keep = _lob_of(lob), _count(length, "newlen", 0)
    if keep > len(data):
        raise OracleError(22926)
    return data[:keep]


def lob_erase(lob: object, amount: object, offset: object = 1) -> tuple[str | bytes, int]:
    """``DBMS_LOB.ERASE(lob, amount, offset)``: blanks (zero bytes) in place; the amount erased."""
    data, start = _lob_of(lob), _count(offset, "offset") - 1
    count = max(0, min(_count(amount, "amount"), len(data) - start))
    filler = (b"\x00" if isinstance(data, bytes) else " ") * count
    return data[:start] + filler + data[start + count:], count  # type: ignore[operator]


FUNCTIONS: dict[str, tuple[int, Callable[..., object], bool]] = {
    "TO_CLOB": (1, to_clob, True),
    "TO_NCLOB": (1, to_clob, True),
    "TO_BLOB": (1, to_blob, True),
    "EMPTY_CLOB": (0, empty_lob("CLOB"), True),
    "EMPTY_BLOB": (0, empty_lob("BLOB"), True),
    "DBMS_LOB_GETLENGTH": (1, lob_length, True),
    "DBMS_LOB_SUBSTR": (-1, lob_substr, True),
    "DBMS_LOB_INSTR": (-1, lob_instr, True),
}
