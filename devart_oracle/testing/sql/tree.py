"""Hierarchical queries over one table: START WITH ... CONNECT BY PRIOR, as a recursive CTE.

``SELECT ... FROM t e [WHERE w] START WITH s CONNECT BY [NOCYCLE] PRIOR
e.id = e.manager_id`` reads ``t`` through

    (WITH RECURSIVE ORA_TREE AS (
        SELECT C.*, 1 AS LEVEL, '/' || printf('%020d', C._ROWID_) AS ORA_PATH
        FROM t C WHERE (s)
        UNION ALL
        SELECT C.*, P.LEVEL + 1, P.ORA_PATH || '/' || printf(...)
        FROM ORA_TREE P JOIN t C ON (condition) AND <no loop>)
     SELECT * FROM ORA_TREE) e

where, in the conditions, ``PRIOR x`` is the parent's column ``P.x`` and
every other column is the child's ``C.x``; LEVEL is the child's level.
Without START WITH every row is a root. The rows come in Oracle's
order, depth first (each row followed by its subtree), siblings in the
table's order, unless the block has its own ORDER BY: ``ORA_PATH``, the
chain of row ids from the root (SQLite's ``_ROWID_``: ``ROWID`` is Oracle's pseudo-column), is the sort key. A row that would be its
own ancestor is ORA-01436, or is left out under NOCYCLE. The block's
WHERE filters the rows of the hierarchy, as Oracle's does.

Not emulated: joins in the FROM of a hierarchical query, CONNECT_BY_ROOT,
SYS_CONNECT_BY_PATH, CONNECT_BY_ISLEAF, ORDER SIBLINGS BY (each ORA-00900);
``SELECT *`` also lists LEVEL and ORA_PATH; columns in the conditions
must be the table's (a bare name is taken for one).
"""

from __future__ import annotations

from .blocks import Block, tokens_of
from .errors import OracleError
from .lexer import Token, name_of, split_commas

__all__ = ["tree_source", "connect_loop"]

_NOT_COLUMNS = frozenset({
    "AND", "OR", "NOT", "NULL", "IS", "IN", "LIKE", "BETWEEN", "EXISTS", "TRUE", "FALSE",
    "CASE", "WHEN", "THEN", "ELSE", "END", "ESCAPE", "SYSDATE", "USER", "SYSTIMESTAMP",
})
_UNSUPPORTED = ("CONNECT_BY_ROOT", "SYS_CONNECT_BY_PATH", "CONNECT_BY_ISLEAF", "SIBLINGS")


def tree_source(block: Block, source: list[Token], condition: list[Token], start: list[Token],
                nocycle: bool) -> list[Token]:
    """The FROM item that walks the hierarchy of the one table in ``source``.

    Raises:
        OracleError: ORA-00900 for a join or what the module does not emulate.
    """
    words = {t.text.upper() for t in block.tokens if t.kind == "word"}
    if len(split_commas(source)) != 1 or "JOIN" in words or words & set(_UNSUPPORTED):
        raise OracleError(900, "CONNECT BY over a join, CONNECT_BY_ROOT, SYS_CONNECT_BY_PATH, "
                          "CONNECT_BY_ISLEAF and ORDER SIBLINGS BY are not supported by the "
                          "test server")
    table, alias = _table(source)
    names = {alias, name_of(table[-1])}
    key = tokens_of("'/' || printf('%020d', C._ROWID_)")
    loop = (tokens_of("instr(P.ORA_PATH, '/' || printf('%020d', C._ROWID_)) = 0") if nocycle else
            tokens_of("ORA_CONNECT_LOOP(P.ORA_PATH, '/' || printf('%020d', C._ROWID_))"))
    anchor = [*tokens_of("WHERE ("), *_qualified(start, names, "1"), *tokens_of(")")] \
        if start else []
    if block.clause("ORDER") is None and not block.compound:
        at = block.tail()
        block.tokens[at:at] = tokens_of(f"ORDER BY {alias}.ORA_PATH")
    return [
        *tokens_of("(WITH RECURSIVE ORA_TREE AS (SELECT C.*, 1 AS LEVEL,"), *key,
        *tokens_of("AS ORA_PATH FROM"), *table, *tokens_of("C"), *anchor,
        *tokens_of("UNION ALL SELECT C.*, P.LEVEL + 1, P.ORA_PATH ||"), *key,
        *tokens_of("FROM ORA_TREE P JOIN"), *table, *tokens_of("C ON ("),
        *_qualified(condition, names, "(P.LEVEL + 1)"), *tokens_of(") AND"), *loop,
        *tokens_of(f") SELECT * FROM ORA_TREE) {alias}"),
    ]


def connect_loop(path: object, key: object) -> int:
    """``ORA_CONNECT_LOOP``: 1, or ORA-01436 when the row is already among its ancestors."""
    if path is not None and key is not None and str(key) in str(path):
        raise OracleError(1436)
    return 1


def _table(source: list[Token]) -> tuple[list[Token], str]:
    """The table's name tokens and the name the block calls it by."""
    if source and source[0].text == "(":
        raise OracleError(900, "CONNECT BY over a subquery is not supported by the test server")
    if len(source) > 1 and source[-2].text != ".":
        return source[:-1], name_of(source[-1])
    return source, name_of(source[-1])


def _qualified(condition: list[Token], names: set[str], level: str) -> list[Token]:
    """A condition with PRIOR columns as the parent's (P) and the others as the child's (C)."""
    out: list[Token] = []
    parent = False
    for index, token in enumerate(condition):
        after = condition[index + 1] if index + 1 < len(condition) else None
        before = condition[index - 1] if index else None
        if token.is_word("PRIOR"):
            parent = True
            continue
        if token.is_word("LEVEL"):
            out += tokens_of(level)
        elif token.kind in ("word", "ident") and after is not None and after.text == "." \
                and name_of(token) in names:
            out += tokens_of("P" if parent else "C")
            continue  # the "." and the column follow
        elif _is_column(token, before, after):
            out += [*tokens_of("P ." if parent else "C ."), token]
        else:
            out.append(token)
        parent = parent and token.kind not in ("word", "ident")
    return out


def _is_column(token: Token, before: Token | None, after: Token | None) -> bool:
    if token.kind == "ident":
        return before is None or before.text != "."
    return (token.kind == "word" and token.text.upper() not in _NOT_COLUMNS
            and (before is None or before.text != ".") and (after is None or after.text != "("))
