"""The UTL_RAW package's functions in SQL: ``UTL_RAW.CAST_TO_RAW`` and friends.

The rewrite turns ``UTL_RAW.f(...)`` into a call of ``UTL_RAW_f``, which
the session registers. The database character set is AL32UTF8, so a
VARCHAR2's bytes are its UTF-8 encoding:

- ``CAST_TO_RAW(text)``: the text's bytes, as a RAW;
- ``CAST_TO_VARCHAR2(raw)``: the bytes read as text. Oracle keeps bytes
  that are not UTF-8 as they are and a client decoding them sees the damage;
  this server keeps text only, so each such byte becomes U+FFFD, which is
  what such a client shows with ``encoding_errors="replace"``;
- ``LENGTH(raw)``: the number of bytes.

A NULL argument gives NULL; text passed where a RAW is expected is read as
hexadecimal (ORA-01465 if it is not), as Oracle converts it.
"""

from __future__ import annotations

from collections.abc import Callable

from .errors import OracleError
from .values import decode

__all__ = ["FUNCTIONS"]


def _raw(value: object) -> bytes:
    """A RAW argument's bytes (text is hexadecimal, as Oracle's implicit HEXTORAW reads it)."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    try:
        return bytes.fromhex(str(decode(value)))
    except ValueError:
        raise OracleError(1465) from None


def cast_to_raw(value: object) -> object:
    """``UTL_RAW.CAST_TO_RAW(text)``: the text's UTF-8 bytes."""
    if value is None:
        return None
    if isinstance(value, bytes):
        return value
    return str(decode(value)).encode() or None


def cast_to_varchar2(value: object) -> object:
    """``UTL_RAW.CAST_TO_VARCHAR2(raw)``: the bytes as UTF-8 text (bytes that are not: U+FFFD)."""
    return None if value is None else _raw(value).decode("utf-8", "replace") or None


def raw_length(value: object) -> object:
    """``UTL_RAW.LENGTH(raw)``: its bytes."""
    return None if value is None else len(_raw(value))


FUNCTIONS: dict[str, tuple[int, Callable[..., object], bool]] = {
    "UTL_RAW_CAST_TO_RAW": (1, cast_to_raw, True),
    "UTL_RAW_CAST_TO_VARCHAR2": (1, cast_to_varchar2, True),
    "UTL_RAW_LENGTH": (1, raw_length, True),
}
