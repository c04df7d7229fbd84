"""Which values of a DML statement go into a LOB column: its binds, its RETURNING items.

``lob_store`` keeps a long value out of row only where it is stored as a
CLOB, NCLOB or BLOB column's value, so the binds that are are found in the
SQLite text of the statement (``rewrite.plan``, binds written ``?N``):

- ``INSERT INTO t [(columns)] VALUES (...)``: a bind standing alone as a
  value, matched to its column by position (the table's columns when the
  statement names none);
- ``INSERT INTO t [(columns)] SELECT ... FROM``: a bind standing alone as an
  item of the select list (MERGE's insert is written so, ``merge``);
- ``UPDATE t SET c = :x, ...``: a bind standing alone as a SET value.

Any other bind (an operand, a bind in a shape not listed) stays a value, as
SQLite stores it: a VARCHAR2, RAW or LONG column gets the whole value and
its checks. In the same way only a RETURNING item that is a LOB column's
name returns a stored value's reference as such.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from .blocks import closing
from .lexer import Token, name_of, significant, split_commas, tokenize
from .lob_refs import LobRef, is_ref
from .values import decode

__all__ = ["lob_binds", "returned_rows"]

_ENDS = frozenset({"FROM", "WHERE", "RETURNING"})  # what ends a SET list or a select list


def _column(token: Token) -> str:
    """A column's name as ``nullability`` keeps it (SQLite's names ignore case, quoted or not)."""
    return name_of(token).upper()


def _bind_index(item: list[Token]) -> int | None:
    """The 0-based index of the bind an item is, alone; None for anything else."""
    if len(item) == 2 and item[0].text == "?" and item[1].kind == "number" and item[1].text.isdigit():
        return int(item[1].text) - 1
    return None


def _top_level(words: list[Token], start: int) -> list[Token]:
    """``words[start:]`` up to the first of ``_ENDS`` outside parentheses."""
    depth = 0
    for i in range(start, len(words)):
        depth += {"(": 1, ")": -1}.get(words[i].text, 0)
        if depth == 0 and words[i].is_word(*_ENDS):
            return words[start:i]
    return words[start:]


def _after_table(words: list[Token], start: int) -> int:
    """The index after a table name (maybe qualified) and its alias."""
    i = start + (3 if start + 1 < len(words) and words[start + 1].text == "." else 1)
    if i < len(words) and words[i].is_word("AS"):
        i += 1
    if i < len(words) and words[i].kind in ("word", "ident") and not words[i].is_word("VALUES", "SELECT", "SET"):
        i += 1
    return i


def _insert(words: list[Token], columns: Sequence[str]) -> list[tuple[str, list[Token]]]:
    """The (column, value) pairs of an INSERT's VALUES rows or select list."""
    i = _after_table(words, 2)
    if i < len(words) and words[i].text == "(":
        end = closing(words, i) + 1
        columns = [_column(part[0]) if len(part) == 1 else "" for part in split_commas(words[i + 1:end - 1])]
        i = end
    pairs: list[tuple[str, list[Token]]] = []
    if i < len(words) and words[i].is_word("SELECT"):
        return list(zip(columns, split_commas(_top_level(words, i + 1))))
    while i < len(words) and (words[i].is_word("VALUES") or words[i].text == ","):
        if i + 1 >= len(words) or words[i + 1].text != "(":
            break
        end = closing(words, i + 1) + 1
        pairs += zip(columns, split_commas(words[i + 2:end - 1]))
        i = end
    return pairs


def _update(words: list[Token]) -> list[tuple[str, list[Token]]]:
    """The (column, value) pairs of an UPDATE's ``SET c = value`` items."""
    i = _after_table(words, 1)
    if i >= len(words) or not words[i].is_word("SET"):
        return []
    return [(_column(part[0]), part[2:]) for part in split_commas(_top_level(words, i + 1))
            if len(part) > 2 and part[1].text == "="]


@functools.lru_cache(maxsize=1024)
def lob_binds(sql: str, columns: tuple[str, ...], lobs: frozenset[str]) -> frozenset[int]:
    """The 0-based indexes of the binds a DML statement stores as the value of a LOB column.

    ``columns`` are the target table's columns in order, ``lobs`` its LOB columns.
    """
    words = significant(tokenize(sql))
    if len(words) > 2 and words[0].is_word("INSERT") and words[1].is_word("INTO"):
        pairs = _insert(words, columns)
    elif len(words) > 1 and words[0].is_word("UPDATE"):
        pairs = _update(words)
    else:
        return frozenset()
    found = (_bind_index(value) for column, value in pairs if column in lobs)
    return frozenset(index for index in found if index is not None)


@functools.lru_cache(maxsize=1024)
def _returned_lobs(sql: str, lobs: frozenset[str]) -> frozenset[int]:
    """The positions of the RETURNING items that are LOB columns, by name."""
    words = significant(tokenize(sql))
    starts = [i for i, word in enumerate(words) if word.is_word("RETURNING")]
    if not starts:
        return frozenset()
    items = split_commas(words[starts[-1] + 1:])
    return frozenset(n for n, item in enumerate(items) if len(item) == 1 and _column(item[0]) in lobs)


def returned_rows(rows: Sequence[Sequence[object]], sql: str, lobs: frozenset[str]) -> list[tuple[object, ...]]:
    """RETURNING's rows decoded, a stored value's reference (``LobRef``) only in a LOB column."""
    refs = _returned_lobs(sql, lobs) if lobs else frozenset()
    return [tuple(LobRef(value) if n in refs and is_ref(value) else decode(value) for n, value in enumerate(row))
            for row in rows]
