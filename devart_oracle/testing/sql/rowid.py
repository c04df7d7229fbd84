"""The ROWID pseudo-column: Oracle's 18-character row address over SQLite's rowid.

Oracle's extended ROWID is four numbers in base 64 (``A-Za-z0-9+/``): the
data object (6 characters), the relative file (3), the block (6) and the row
in the block (3). Here the object number is a hash of the table's name, the
file is 1 and SQLite's rowid is split into block and row, so a row's ROWID
is stable for as long as the row lives, differs between tables, and
``WHERE ROWID = :r`` compares the text.

The rewrite turns ``ROWID`` into ``ORA_ROWID('TABLE', rowid)`` (and
``t.ROWID`` into ``ORA_ROWID('TABLE', t.rowid)``, the alias resolved by
``tables``).
"""

from __future__ import annotations

import functools
import zlib

from .errors import OracleError
from .lexer import Token, significant
from .literals import quote_literal

__all__ = ["NILADIC", "PACKAGES", "check_rowid", "pseudo_call", "rowid_text", "tables"]

#: The packages whose functions SQL may call (``DBMS_LOB.SUBSTR`` runs as ``DBMS_LOB_SUBSTR``).
PACKAGES = frozenset({"DBMS_LOB", "UTL_RAW", "DBMS_DEBUG_JDWP"})
#: Those of their functions that take no argument, which SQL calls with no parentheses.
NILADIC = frozenset({"DBMS_DEBUG_JDWP.CURRENT_SESSION_ID", "DBMS_DEBUG_JDWP.CURRENT_SESSION_SERIAL"})

_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_ENDS_FROM = frozenset({"WHERE", "GROUP", "ORDER", "HAVING", "CONNECT", "START", "UNION",
                        "MINUS", "INTERSECT", "EXCEPT", "FETCH", "OFFSET", "FOR", "SET",
                        "VALUES", "RETURNING", "RETURN"})
_NOT_ALIAS = _ENDS_FROM | {"JOIN", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "NATURAL", "ON",
                           "USING", "OUTER"}


def _base64(number: int, width: int) -> str:
    chars = []
    for _ in range(width):
        chars.append(_ALPHABET[number & 0x3F])
        number >>= 6
    return "".join(reversed(chars))


def rowid_text(table: object, rowid: object) -> str | None:
    """``ORA_ROWID(table, rowid)``: the ROWID of a row of ``table``."""
    if rowid is None or not isinstance(rowid, int):
        return None
    obj = zlib.crc32(str(table).upper().encode()) & 0x3FFFFFFF or 1
    return _base64(obj, 6) + _base64(1, 3) + _base64(rowid >> 16, 6) + _base64(rowid & 0xFFFF, 3)


def pseudo_call(tokens: tuple[Token, ...], qualifier: str, member: str, called: bool = True) -> tuple[str, str]:
    """``DBMS_LOB.f`` (a PACKAGES function), ``ROWID`` or ``q.ROWID``: SQLite text and Oracle name.

    A NILADIC function not ``called`` (no parentheses follow) gets SQLite's
    empty ones. The ROWID of a qualifier names the table it aliases; a bare
    ROWID the statement's first table (see ``tables``).
    """
    if qualifier in PACKAGES:
        name = f"{qualifier}.{member}"
        return f"({qualifier}_{member}())" if not called and name in NILADIC else f"{qualifier}_{member}", name
    table = quote_literal(_tables(tokens).get(qualifier, qualifier))
    column = f"{qualifier}.rowid" if qualifier else "rowid"
    return f"ORA_ROWID({table}, {column})", f"{qualifier}.ROWID" if qualifier else "ROWID"


@functools.lru_cache(maxsize=256)
def _tables(tokens: tuple[Token, ...]) -> dict[str, str]:
    return tables(tokens)


def check_rowid(value: object) -> None:
    """What a ROWID or UROWID column takes: an 18-character ROWID.

    Raises:
        OracleError: ORA-00932 for a number or bytes, ORA-01410 for other text.
    """
    if not isinstance(value, str):
        raise OracleError(932, f"ROWID got {'BINARY' if isinstance(value, bytes) else 'NUMBER'}")
    if len(value) != 18 or any(char not in _ALPHABET for char in value):
        raise OracleError(1410)


def tables(tokens: tuple[Token, ...]) -> dict[str, str]:
    """Alias (or table) -> table for the tables after FROM, JOIN, INTO and UPDATE.

    A bare ROWID belongs to the table under ``""``: the first one after a
    FROM of the outer statement, else the table UPDATE changes, else the
    first table named at all.
    """
    words = significant(tokens)
    found: dict[str, str] = {}
    ranked: list[tuple[int, int, str]] = []  # (rank, position, table) for the bare ROWID
    depth, in_from = 0, False
    for i, token in enumerate(words[:-1]):
        upper = token.text.upper()
        depth += {"(": 1, ")": -1}.get(upper, 0)
        in_from = in_from and upper not in _ENDS_FROM
        starts = token.is_word("FROM", "JOIN", "INTO", "UPDATE") or (in_from and upper == ",")
        if not starts or words[i + 1].kind not in ("word", "ident"):
            continue
        in_from = in_from or token.is_word("FROM")
        table = words[i + 1].text.strip('"').upper()
        outer_from = depth == 0 and (in_from or token.is_word("JOIN"))
        ranked.append((0 if outer_from else 1 if token.is_word("UPDATE") else 2, i, table))
        found[table] = table
        alias = words[i + 2] if i + 2 < len(words) else None
        if alias is not None and alias.kind in ("word", "ident") \
                and alias.text.upper() not in _NOT_ALIAS:
            found[alias.text.strip('"').upper()] = table
    if ranked:
        found[""] = min(ranked)[2]
    return found
