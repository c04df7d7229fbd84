"""LOB columns read ``FOR UPDATE``: where each value lives, so that a LOB write reaches its row.

Oracle's ``SELECT c FROM t WHERE ... FOR UPDATE`` hands out locators of the
rows' LOBs, and a write through one changes the row. Here the query of a
single table gets the table's ``rowid`` as a hidden last column; the
result's ``lob_origin`` names the table and its LOB columns, each row ends
with its rowid, and ``write_lob`` stores a changed value back.
"""

from __future__ import annotations

import sqlite3

from .lexer import tokenize
from .rowid import tables

__all__ = ["LobOrigin", "with_rowid", "lob_columns"]

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


def lob_columns(conn: sqlite3.Connection, table: str) -> frozenset[str]:
    """The CLOB, NCLOB and BLOB columns of a table, by name."""
    rows = conn.execute(f'PRAGMA table_info("{table}")').fetchall()
    return frozenset(str(row[1]).upper() for row in rows
                     if str(row[2]).upper() in ("CLOB", "NCLOB", "BLOB"))
