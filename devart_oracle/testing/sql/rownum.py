"""ROWNUM: Oracle's row counter, as SQLite's LIMIT and ROW_NUMBER().

Oracle numbers a block's rows as they pass its WHERE clause, before any
ORDER BY. So:

- in the select list (or anywhere but WHERE) ROWNUM is ``ROW_NUMBER()
  OVER ()``, which SQLite computes over the rows that passed WHERE, in the
  order it produced them (the ``rewrite`` does that word for word);
- a top-level condition ``ROWNUM < n``, ``<= n``, ``= n``, ``> n``, ``>= n``
  or ``<> n`` (either way round) of a block's WHERE is taken out and becomes
  the block's LIMIT, counted as Oracle's rule counts it: ``ROWNUM = 2`` or
  ``ROWNUM > 1`` never holds, since the row that would be the second is
  numbered 1 again when the first is rejected. ``ORA_ROWNUM_LIMIT`` does the
  counting, so ``n`` may be a bind or any expression.

In DELETE and UPDATE, which SQLite (as Python builds it) cannot LIMIT,
the conditions pick the rows by ROWID: ``WHERE ROWID IN (SELECT ROWID FROM
t WHERE rest LIMIT n)``.

What differs: a block that has both a ROWNUM limit and ORDER BY is sorted
before it is limited (Oracle limits first, then sorts: the classic mistake
the top-N inline view avoids). ROWNUM inside OR, or in a parenthesized part
of WHERE, is refused with ORA-00900 rather than answered wrongly.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation

from .blocks import Block, and_joined, conjuncts, tokens_of
from .errors import OracleError
from .lexer import Token
from .values import decode

__all__ = ["rownum_rule", "rownum_limit"]

_UNLIMITED = 2 ** 62
_CONDITION_WORDS = ("ROWNUM", "AND", "OR", "NOT", "IS", "LIKE", "IN", "BETWEEN", "EXISTS")
_FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "<>": "<>", "!=": "<>",
            "^=": "<>"}


def rownum_rule(block: Block) -> None:
    """Turn a block's ROWNUM conditions into its LIMIT."""
    where = block.body("WHERE")
    if not _mentions_rownum(where):
        return
    limits, rest = [], []
    for part in conjuncts(where):
        limit = _limit(part)
        if limit is not None:
            limits.append(limit)
        elif _mentions_rownum(part):
            raise OracleError(900, "ROWNUM is supported by the test server only in conditions "
                              "ROWNUM < n, <= n, = n (and the like) joined by AND to the rest")
        else:
            rest.append(part)
    if block.verb != "SELECT":
        _dml_limit(block, limits, rest)
        return
    block.replace("WHERE", [*tokens_of("WHERE"), *and_joined(rest)] if rest else [])
    if block.clause("OFFSET") or block.clause("FETCH"):
        raise OracleError(900, "ROWNUM with OFFSET or FETCH FIRST in one query block is not "
                          "supported by the test server")
    tail = block.tail()
    block.tokens[tail:tail] = [*tokens_of("LIMIT"), *_smallest(limits)]
    if block.compound:  # SQLite allows no LIMIT on a member of a UNION
        block.tokens = [*tokens_of("SELECT * FROM ("), *block.tokens, *tokens_of(")")]


def _mentions_rownum(tokens: list[Token]) -> bool:
    """True if ROWNUM appears outside the subqueries (which have their own)."""
    depth = inside = 0  # inside: the depth of the subquery being skipped, 0 if none
    for index, token in enumerate(tokens):
        if token.text == "(":
            depth += 1
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            if not inside and following is not None and following.is_word("SELECT", "WITH"):
                inside = depth
        elif token.text == ")":
            inside, depth = (0 if depth == inside else inside), depth - 1
        elif not inside and token.is_word("ROWNUM"):
            return True
    return False


def _dml_limit(block: Block, limits: list[list[Token]], rest: list[list[Token]]) -> None:
    """``DELETE ... WHERE c AND ROWNUM <= n``: the first n rows with c, picked by ROWID.

    SQLite (as Python builds it) has no LIMIT on DELETE and UPDATE.
    """
    words = block.tokens
    start = 2 if words[1].is_word("FROM") else 1
    span = block.clause("WHERE" if block.verb == "DELETE" else "SET")
    if span is None:
        raise OracleError(933)
    table = words[start:span[0]]
    alias = table[-1] if len(table) > 1 and table[-2].text != "." else None
    where = [*tokens_of("WHERE"), *and_joined(rest)] if rest else []
    picked = [*([alias] if alias else table[-1:]), *tokens_of(". ROWID")]
    block.replace("WHERE", [*tokens_of("WHERE"), *picked, *tokens_of("IN (SELECT"), *picked,
                            *tokens_of("FROM"), *table, *where, *tokens_of("LIMIT"),
                            *_smallest(limits), *tokens_of(")")])


def _limit(part: list[Token]) -> list[Token] | None:
    """``ORA_ROWNUM_LIMIT('op', n)`` for a condition on ROWNUM alone; None otherwise."""
    if len(part) < 3:
        return None
    if part[0].is_word("ROWNUM") and part[1].text in _FLIPPED:
        op, value = _FLIPPED[_FLIPPED[part[1].text]], part[2:]
    elif part[-1].is_word("ROWNUM") and part[-2].text in _FLIPPED:
        op, value = _FLIPPED[part[-2].text], part[:-2]
    else:
        return None
    if any(t.is_word(*_CONDITION_WORDS) or t.text in _FLIPPED for t in value):
        return None  # not a lone comparison: "ROWNUM <= 2 OR x = 1"
    return [*tokens_of(f"ORA_ROWNUM_LIMIT('{op}', "), *value, *tokens_of(")")]


def _smallest(limits: list[list[Token]]) -> list[Token]:
    if len(limits) == 1:
        return limits[0]
    smallest = tokens_of("MIN(")
    for index, limit in enumerate(limits):
        smallest += [*(tokens_of(",") if index else []), *limit]
    return [*smallest, *tokens_of(")")]


def rownum_limit(op: object, value: object) -> int:
    """How many rows pass ``ROWNUM op value`` under Oracle's numbering."""
    try:
        number = Decimal(str(decode(value)).strip()) if value is not None else None
    except InvalidOperation:
        raise OracleError(1722) from None
    if number is None or number.is_nan():
        return 0  # a comparison with NULL is never true
    whole = number == number.to_integral_value()
    if op == "<=":
        return max(math.floor(number), 0)
    if op == "<":
        return max(math.ceil(number) - 1, 0)
    if op == "=":
        return 1 if number == 1 else 0
    if op == ">=":
        return _UNLIMITED if number <= 1 else 0
    if op == ">":
        return _UNLIMITED if number < 1 else 0
    return int(number) - 1 if whole and number >= 1 else _UNLIMITED  # <>
