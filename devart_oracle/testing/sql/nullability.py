"""Which result columns may be NULL: ``cursor.description``'s last item.

A temporary view of a query (how ``backend`` finds declared types) keeps no
NOT NULL, so a query's columns are matched by name against the NOT NULL
columns of the tables it reads (``PRAGMA table_info``). Expressions, whose
names are their text, never match; an expression aliased to the name of a
NOT NULL column would (a rare false "not null").
"""

from __future__ import annotations

import dataclasses
import functools
import sqlite3
from collections.abc import Sequence

from .lexer import tokenize
from .rowid import tables
from .values import Column

__all__ = ["NotNulls"]


@functools.lru_cache(maxsize=1024)
def _tables(sql: str) -> frozenset[str]:
    return frozenset(tables(tokenize(sql)).values())


class NotNulls:
    """The NOT NULL columns of a connection's tables, cached until the next DDL."""

    def __init__(self) -> None:
        self._cache: dict[str, tuple[int, frozenset[str]]] = {}

    def _of(self, conn: sqlite3.Connection, table: str, generation: int) -> frozenset[str]:
        cached = self._cache.get(table)
        if cached is not None and cached[0] == generation:
            return cached[1]
        try:
            rows = conn.execute(f'PRAGMA table_info("{table}")').fetchall()
        except sqlite3.Error:
            rows = []
        names = frozenset(str(row[1]).upper() for row in rows if row[3])
        self._cache[table] = (generation, names)
        return names

    def apply(self, conn: sqlite3.Connection, sql: str, columns: Sequence[Column],
              generation: int) -> list[Column]:
        """``columns`` with ``nullable`` False where the query reads a NOT NULL column."""
        names: frozenset[str] = frozenset()
        for table in _tables(sql):
            names |= self._of(conn, table.replace('"', ""), generation)
        return [dataclasses.replace(c, nullable=False) if c.name.upper() in names else c
                for c in columns]
