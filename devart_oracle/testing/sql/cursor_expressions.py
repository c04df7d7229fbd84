"""``CURSOR(subquery)`` in a query's select list: nested cursors.

For each row Oracle returns a cursor open on the subquery, which may read
the row's columns (``cursor(select ... s.description ... from dual)`` under
``from (...) s``). The server runs the query with each CURSOR expression
replaced by NULL, and with each outer reference of a subquery (a
``name.column`` whose qualifier is named in the query's FROM but not in the
subquery's) added at the end of the select list as a hidden column. Then,
for each row it hands out, it runs every subquery with the row's values of
those references as binds, reads it whole, and puts the result in the
CURSOR column as a ``RefCursor``: the column is described as type CURSOR,
and the wire layer opens a cursor id on each value as for a REF CURSOR. A
subquery may hold CURSOR expressions of its own (they go through here when
it runs). Client binds inside a CURSOR expression, and CURSOR expressions
anywhere else (a compound query, a WITH query, a WHERE clause), are refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass

from .blocks import closing
from .errors import OracleError
from .lexer import Token, name_of, significant, split_commas, tokenize
from .ref_cursors import RefCursor
from .results import Result
from .values import Column

__all__ = ["CursorColumn", "Nesting", "nest", "nesting"]

_HINT = re.compile(r"\bcursor\s*\(", re.IGNORECASE)
_CLAUSES = frozenset({"WHERE", "GROUP", "HAVING", "ORDER", "CONNECT", "START", "FOR", "OFFSET",
                      "FETCH", "UNION", "INTERSECT", "MINUS", "EXCEPT", "WINDOW"})
_SET_OPERATORS = frozenset({"UNION", "INTERSECT", "MINUS", "EXCEPT"})
_SPACE_OUTSIDE_QUOTES = re.compile(r"('(?:[^']|'')*')|\s+")


@dataclass(frozen=True)
class CursorColumn:
    """One CURSOR expression: its select-list position, its query, its outer references."""

    position: int
    sql: str  # the subquery, each outer reference a positional bind
    refs: tuple[int, ...]  # for each of its binds, the hidden column holding the value


@dataclass(frozen=True)
class Nesting:
    """A query with CURSOR expressions, as the server runs it."""

    sql: str  # the query, CURSOR expressions as NULL, outer references appended
    width: int  # the columns the client sees
    cursors: tuple[CursorColumn, ...]


def nesting(sql: str) -> Nesting | None:
    """How to run ``sql`` if its select list holds CURSOR expressions; None otherwise.

    Raises:
        OracleError: ORA-00900 for a bind inside a CURSOR expression.
    """
    if not _HINT.search(sql):
        return None
    tokens = significant(tokenize(sql))
    if not tokens or not tokens[0].is_word("SELECT"):
        return None
    start = 2 if len(tokens) > 1 and tokens[1].is_word("DISTINCT", "UNIQUE", "ALL") else 1
    end = _top_level(tokens, start, ("FROM",))
    if end is None or _top_level(tokens, end, _SET_OPERATORS) is not None:
        return None  # no FROM, or a compound query: CURSOR stays refused
    items = split_commas(tokens[start:end])
    outer_names = _from_names(tokens, end)
    hidden: list[str] = []
    texts, cursors = [], []
    for position, item in enumerate(items):
        if not (len(item) > 2 and item[0].is_word("CURSOR") and item[1].text == "("):
            texts.append(_text(item))
            continue
        close = closing(item, 1)
        inner = item[2:close]
        if any(t.kind == "bind" for t in inner):
            raise OracleError(900, "binds inside a CURSOR expression are not supported by the test server")
        query, refs = _parameterized(inner, outer_names - _from_names(inner, _from_index(inner)), hidden)
        alias = item[close + 1:]
        name = name_of(alias[-1]) if alias else _SPACE_OUTSIDE_QUOTES.sub(
            lambda m: m.group(1) or "", _text(item)).upper()
        texts.append(f'NULL AS "{name}"')
        cursors.append(CursorColumn(position, query, refs))
    if not cursors:
        return None
    select = ", ".join(texts + hidden)
    rest = " ".join(t.text for t in tokens[end:])
    head = " ".join(t.text for t in tokens[:start])
    return Nesting(f"{head} {select} {rest}", len(items), tuple(cursors))


def nest(result: Result, nesting: Nesting, run: Callable[[str, Sequence[object]], Result],
         gate: Callable[[], AbstractContextManager[None]]) -> Result:
    """The client's view of ``result``: hidden columns dropped, each CURSOR value opened.

    ``run(sql, params)`` runs a subquery, within ``gate()`` (the session's
    call gate, as the rows are fetched after the call that ran the query);
    its result is read whole at once, so no SQLite cursor stays open behind
    a nested cursor.
    """
    columns = list(result.columns or ())[:nesting.width]
    for cursor in nesting.cursors:
        columns[cursor.position] = Column(columns[cursor.position].name, "CURSOR", 1)
    width = nesting.width

    def pull(count: int) -> list[tuple[object, ...]]:
        rows = []
        for row in result.fetch(count):
            values = list(row[:width])
            for cursor in nesting.cursors:
                with gate():
                    inner = run(cursor.sql, [row[width + ref] for ref in cursor.refs])
                    inner.drain()
                values[cursor.position] = RefCursor(cursor.sql, inner)
            rows.append(tuple(values))
        return rows
    return Result(columns, 0, pull=pull, convert=tuple)


def _parameterized(inner: list[Token], outer: set[str], hidden: list[str]) -> tuple[str, tuple[int, ...]]:
    """The subquery with each reference to ``outer`` a bind, and the hidden columns of its values."""
    out: list[str] = []
    refs: list[int] = []
    index = 0
    while index < len(inner):
        token = inner[index]
        previous = inner[index - 1].text if index else ""
        if (token.kind in ("word", "ident") and name_of(token) in outer and previous != "."
                and inner[index + 1:index + 2] and inner[index + 1].text == "."
                and index + 2 < len(inner) and inner[index + 2].kind in ("word", "ident")):
            hidden.append(" ".join(t.text for t in inner[index:index + 3]))
            refs.append(len(hidden) - 1)
            out.append(f":{len(refs)}")
            index += 3
            continue
        out.append(token.text)
        index += 1
    return " ".join(out), tuple(refs)


def _from_index(tokens: Sequence[Token]) -> int:
    found = _top_level(tokens, 0, ("FROM",))
    return len(tokens) if found is None else found


def _from_names(tokens: Sequence[Token], start: int) -> set[str]:
    """The names (tables, aliases) at the top level of the FROM clause starting at ``start``."""
    names: set[str] = set()
    depth = 0
    for token in tokens[start + 1:]:
        depth += {"(": 1, ")": -1}.get(token.text, 0)
        if depth == 0 and token.is_word(*_CLAUSES):
            break
        if depth == 0 and token.kind in ("word", "ident"):
            names.add(name_of(token))
    return names


def _top_level(tokens: Sequence[Token], start: int, words: Sequence[str] | frozenset[str]) -> int | None:
    """The index of the first of ``words`` at the top level from ``start``; None if none."""
    depth = 0
    for index in range(start, len(tokens)):
        text = tokens[index].text
        depth += {"(": 1, ")": -1}.get(text, 0)
        if depth == 0 and tokens[index].is_word(*words):
            return index
    return None


def _text(tokens: list[Token]) -> str:
    return " ".join(t.text for t in tokens)
