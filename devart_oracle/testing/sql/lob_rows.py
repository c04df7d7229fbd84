"""LOB columns in statements: read ``FOR UPDATE`` (so that a LOB write reaches its row), compared.

Oracle's ``SELECT c FROM t WHERE ... FOR UPDATE`` hands out locators of the
rows' LOBs, and a write through one changes the row. Here the query of a
single table gets the table's ``rowid`` as a hidden last column; the
result's ``lob_origin`` names the table and its LOB columns, each row ends
with its rowid, and ``write_lob`` stores a changed value back.

Oracle refuses a LOB in a comparison (ORA-00932); ``check_comparisons``
finds LOB columns by name next to a comparison operator.

A row holds a stored LOB's reference (``lob_store``); ``deref`` makes the
statements that use one as an operand (``LENGTH(c)``, ``c || :x``,
``c LIKE ...``) read it whole through ``DEVART_LOB(...)``, and leaves a bare
select item, an INSERT value and a SET value as they are, so that a plain
round trip moves the reference only.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import TYPE_CHECKING

from .errors import OracleError
from .lexer import Token, significant, tokenize
from .rowid import tables

if TYPE_CHECKING:
    from .rewrite import Plan

__all__ = ["LobOrigin", "check_comparisons", "deref", "with_rowid"]

LobOrigin = tuple[str, frozenset[str]]  # the table, the names of its LOB columns


def with_rowid(sql: str) -> tuple[str, str] | None:
    """The query with its table's rowid added last, and the table; None for a join or none."""
    tokens = tokenize(sql)
    found = tables(tokens)
    table = found.get("")
    if table is None or len(set(found.values())) != 1:
        return None
    alias = next((name for name in found if name not in ("", table)), table)
    depth = 0
    for i, token in enumerate(tokens):
        depth += {"(": 1, ")": -1}.get(token.text, 0)
        if depth == 0 and token.is_word("FROM"):
            head, tail = "".join(t.text for t in tokens[:i]), "".join(t.text for t in tokens[i:])
            return f'{head}, "{alias}".rowid {tail}', table
    return None


_COMPARISONS = frozenset({"=", "!=", "<>", "^=", "<", ">", "<=", ">="})


def _lob_name(words: list[Token], i: int, lobs: frozenset[str]) -> bool:
    """Whether ``words[i]`` (or ``x.words[i]``) names one of the LOB columns."""
    return 0 <= i < len(words) and words[i].kind in ("word", "ident") \
        and words[i].text.strip('"').upper() in lobs


def check_comparisons(sql: str, lobs: frozenset[str]) -> None:
    """Refuse a LOB column compared with ``=``, ``<`` ... as Oracle does.

    Raises:
        OracleError: ORA-00932 (expected - got CLOB) naming the column.
    """
    if not lobs:
        return
    words = significant(tokenize(sql))
    depth, assigning = 0, False  # UPDATE's SET c = ... assigns, it does not compare
    for i, token in enumerate(words):
        depth += {"(": 1, ")": -1}.get(token.text, 0)
        if depth == 0 and token.kind == "word":
            assigning = token.is_word("SET") or assigning and not token.is_word("WHERE", "RETURNING")
        if token.text not in _COMPARISONS or assigning and depth == 0:
            continue
        before = i - 1
        after = i + 3 if i + 2 < len(words) and words[i + 2].text == "." else i + 1
        if _lob_name(words, before, lobs) or _lob_name(words, after, lobs):
            raise OracleError(932, "- got LOB")


_NO_CALL = frozenset({"VALUES", "IN", "EXISTS", "FROM", "JOIN", "AS", "ON", "WHERE", "AND", "OR", "NOT", "SELECT",
                      "SET", "ANY", "ALL", "SOME", "USING", "WITH", "UNION", "INTERSECT", "EXCEPT", "THEN", "ELSE",
                      "WHEN", "RETURNING", "BY"})
_BARE_BEFORE = frozenset({",", "(", "=", "SELECT", "DISTINCT", "RETURNING", "VALUES"})
_BARE_AFTER = frozenset({",", ")", "FROM", "AS", "INTO", "WHERE", "RETURNING"})
_NOT_ALIAS = frozenset({"LIKE", "IS", "NOT", "IN", "BETWEEN", "AND", "OR", "ESCAPE", "COLLATE", "GLOB", "MATCH",
                        "REGEXP", "ORDER", "GROUP", "HAVING", "THEN", "ELSE", "END", "WHEN"})
WRAPPER = "DEVART_LOB"


def _is_call(words: list[Token], i: int) -> bool:
    """Whether the ``(`` at ``words[i]`` opens a function's arguments."""
    name = words[i - 1] if i else None
    if name is None or name.kind not in ("word", "ident") or name.is_word(*_NO_CALL):
        return False
    return not (i > 1 and words[i - 2].is_word("INTO", "TABLE", "UPDATE"))  # INSERT INTO t (columns)


def _bare(words: list[Token], first: int, last: int) -> bool:
    """Whether ``words[first:last + 1]`` stands alone: a select item, a value, a SET value."""
    before = words[first - 1] if first else None
    after = words[last + 1] if last + 1 < len(words) else None
    if after is not None and (after.is_word("IS") or after.text == "=" and before is not None
                              and (before.text == "," or before.is_word("SET"))):
        return True  # IS [NOT] NULL needs no value; a SET target is no operand
    if before is None or before.text.upper() not in _BARE_BEFORE:
        return False
    if after is None or after.text.upper() in _BARE_AFTER:
        return True
    return after.kind in ("word", "ident") and not after.is_word(*_NOT_ALIAS)  # an alias


def _operands(words: list[Token], lobs: frozenset[str]) -> list[tuple[int, int]]:
    """The (first, last) word indexes of the LOB operands to read whole."""
    calls: list[bool] = []
    found = []
    for i, token in enumerate(words):
        if token.text == "(":
            calls.append(_is_call(words, i))
        elif token.text == ")" and calls:
            calls.pop()
        elif token.kind in ("word", "ident") and token.text.strip('"').upper() in lobs:
            first = i - 2 if i > 1 and words[i - 1].text == "." else i
            if first != i and words[first].kind not in ("word", "ident"):
                first = i
            if any(calls) or not _bare(words, first, i):
                found.append((first, i))
    return found


@functools.lru_cache(maxsize=256)
def deref(plan: Plan, lobs: frozenset[str]) -> Plan:
    """``plan`` with the LOB columns it uses as operands read whole (a bind is never a reference there)."""
    tokens = tokenize(plan.sql)
    positions = [i for i, token in enumerate(tokens) if token.kind not in ("ws", "comment")]
    words = [tokens[i] for i in positions]
    texts = [token.text for token in tokens]
    for first, last in _operands(words, lobs):
        texts[positions[first]] = f"{WRAPPER}({texts[positions[first]]}"
        texts[positions[last]] += ")"
    sql = "".join(texts)
    return plan if sql == plan.sql else dataclasses.replace(plan, sql=sql)
