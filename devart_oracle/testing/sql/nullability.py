"""Which result columns may be NULL (``cursor.description``'s last item), and which are LOBs.

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

_LOBS = frozenset({"CLOB", "NCLOB", "BLOB"})


@functools.lru_cache(maxsize=1024)
def _tables(sql: str) -> frozenset[str]:
    return frozenset(tables(tokenize(sql)).values())


class NotNulls:
    """The NOT NULL and the LOB columns of a connection's tables, cached until the next DDL."""

    def __init__(self) -> None:
        self._cache: dict[str, tuple[int, frozenset[str], frozenset[str], tuple[str, ...]]] = {}

    def _of(self, conn: sqlite3.Connection, table: str, generation: int,
            ) -> tuple[int, frozenset[str], frozenset[str], tuple[str, ...]]:
        cached = self._cache.get(table)
        if cached is not None and cached[0] == generation:
            return cached
        try:
            rows = conn.execute(f'PRAGMA table_info("{table}")').fetchall()
        except sqlite3.Error:
            rows = []
        not_null = frozenset(str(row[1]).upper() for row in rows if row[3])
        lobs = frozenset(str(row[1]).upper() for row in rows if str(row[2]).upper() in _LOBS)
        names = tuple(str(row[1]).upper() for row in rows)
        self._cache[table] = entry = (generation, not_null, lobs, names)
        return entry

    def _names(self, conn: sqlite3.Connection, sql: str, generation: int, lobs: bool,
               ) -> frozenset[str]:
        names: frozenset[str] = frozenset()
        for table in _tables(sql):
            entry = self._of(conn, table.replace('"', ""), generation)
            names |= entry[2] if lobs else entry[1]
        return names

    def apply(self, conn: sqlite3.Connection, sql: str, columns: Sequence[Column],
              generation: int) -> list[Column]:
        """``columns`` with ``nullable`` False where the query reads a NOT NULL column."""
        names = self._names(conn, sql, generation, False)
        return [dataclasses.replace(c, nullable=False) if c.name.upper() in names else c
                for c in columns]

    def lobs(self, conn: sqlite3.Connection, sql: str, generation: int) -> frozenset[str]:
        """The names of the LOB columns of the tables a statement reads or changes."""
        return self._names(conn, sql, generation, True)

    def target(self, conn: sqlite3.Connection, table: str, generation: int,
               ) -> tuple[tuple[str, ...], frozenset[str]]:
        """A DML statement's target table: its columns in order, and its LOB columns."""
        entry = self._of(conn, table, generation)
        return entry[3], entry[2]
