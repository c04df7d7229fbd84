"""Which result columns may be NULL (``cursor.description``'s last item), and which are LOBs.

A temporary view of a query (how ``backend`` finds declared types) keeps no
NOT NULL, so a query's columns are matched by name against the NOT NULL
columns of the tables it reads (``PRAGMA table_info``). Expressions, whose
names are their text, never match; an expression aliased to the name of a
NOT NULL column would (a rare false "not null").
"""

from __future__ import annotations

import functools
import sqlite3

from .lexer import tokenize
from .rowid import tables

__all__ = ["NotNulls"]

_LOBS = frozenset({"CLOB", "NCLOB", "BLOB"})
_STATEMENTS = 1024  # statement texts whose names are kept


@functools.lru_cache(maxsize=1024)
def _tables(sql: str) -> frozenset[str]:
    return frozenset(tables(tokenize(sql)).values())


class NotNulls:
    """The NOT NULL and the LOB columns of a connection's tables, cached until the next DDL."""

    def __init__(self) -> None:
        self._cache: dict[str, tuple[int, frozenset[str], frozenset[str], tuple[str, ...]]] = {}
        # by statement text, for re-executes: (generation, NOT NULL names, LOB names) as by table
        self._by_sql: dict[str, tuple[int, frozenset[str], frozenset[str]]] = {}

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

    def statement(self, conn: sqlite3.Connection, sql: str, generation: int,
                  ) -> tuple[int, frozenset[str], frozenset[str]]:
        """(generation, NOT NULL names, LOB names) of the columns of the tables ``sql`` reads or changes.

        The names are upper case; the entry is kept per text until the next DDL.
        """
        cached = self._by_sql.get(sql)
        if cached is not None and cached[0] == generation:
            return cached
        not_null: frozenset[str] = frozenset()
        lobs: frozenset[str] = frozenset()
        for table in _tables(sql):
            table_entry = self._of(conn, table.replace('"', ""), generation)
            not_null, lobs = not_null | table_entry[1], lobs | table_entry[2]
        if len(self._by_sql) >= _STATEMENTS:
            self._by_sql.clear()
        self._by_sql[sql] = entry = (generation, not_null, lobs)
        return entry

    def lobs(self, conn: sqlite3.Connection, sql: str, generation: int) -> frozenset[str]:
        """The names of the LOB columns of the tables a statement reads or changes."""
        return self.statement(conn, sql, generation)[2]

    def target(self, conn: sqlite3.Connection, table: str, generation: int,
               ) -> tuple[tuple[str, ...], frozenset[str]]:
        """A DML statement's target table: its columns in order, and its LOB columns."""
        entry = self._of(conn, table, generation)
        return entry[3], entry[2]
