"""The data dictionary: USER_, ALL_ and DBA_ views derived live from the SQLite schema.

Each session's connection gets, when it first reads one, a temporary table
per view family and the USER_/ALL_/DBA_ views over it (``dictionary_views``).
Whenever a statement
names one of those views, the session refills the families it names from
the schema as it is at that moment (``dictionary_schema``, which reads
SQLite's catalog and the notes DDL leaves, ``dictionary_notes``), so the
views are always live and cost nothing to statements that do not read them.

Owners. The server keeps one namespace for all users: a schema prefix that
names a user is dropped from every statement (``rewrite``), so ``T``,
``SCOTT.T`` and ``ALICE.T`` are one table. What the dictionary adds is the
*owner* of each object: the schema its DDL named, else the current schema
of the session that created it. ``ALL_`` and ``DBA_`` views show every
object with its owner (there are no privileges); ``USER_`` views show the
current schema's, as Oracle's do (``ALTER SESSION SET CURRENT_SCHEMA``
changes what they show). An object that was not created through the
server's DDL has no noted owner and is shown as the viewer's.
"""

from __future__ import annotations

import datetime
import itertools
import sqlite3
from collections.abc import Callable, Iterable
from typing import Protocol

from .catalog import SessionInfo
from .dictionary_notes import record
from .dictionary_rows import BUILDERS, Row, Source
from .dictionary_schema import read_schema
from .dictionary_views import FAMILIES, family_table, mentioned, setup_statements
from .routine_ddl import ROUTINES
from .values import encode, encode_datetime

__all__ = ["Dictionary", "DictionaryDatabase"]

_STARTED = encode_datetime(datetime.datetime.now().replace(microsecond=0))
_SETUP = setup_statements()
_BUILTIN_USERS = ("SYS", "SYSTEM")


class SequenceValues(Protocol):
    """The sequences, as the dictionary reads them."""

    def values(self) -> dict[str, tuple[int, int]]: ...


class DictionaryDatabase(Protocol):
    """What the dictionary reads from the database besides the schema."""

    @property
    def users(self) -> frozenset[str] | None: ...

    @property
    def sequences(self) -> SequenceValues: ...


class Dictionary:
    """One session's dictionary views.

    Args:
        conn: the session's SQLite connection.
        database: gives the users and the sequences.
        info: the session (its current schema is what USER_ views show).
        namer: gives a constraint's name from its table and columns, as
            the server's error messages name it.
    """

    def __init__(self, conn: sqlite3.Connection, database: DictionaryDatabase,
                 info: SessionInfo, namer: Callable[[str, tuple[str, ...]], str]) -> None:
        self._conn, self._db, self._info, self._namer = conn, database, info, namer

    def refresh(self, sql: str) -> None:
        """Refill the families whose views ``sql`` names (a rewritten statement).

        Raises:
            sqlite3.Error: when SQLite fails.
        """
        families = mentioned(sql)
        if not families:
            return
        self._create()
        schema_name = self._info.current_schema or self._info.username
        schema = read_schema(self._conn, schema_name, self._namer)
        source = Source(schema, self._db.sequences.values(), self._users(schema_name), schema_name,
                        _STARTED, self._routines())
        for family in sorted(families):
            self._fill(family, BUILDERS[family](source))

    def _routines(self) -> tuple[tuple[str, str], ...]:
        """(name, kind) of the stored routines and packages (``routine_ddl``)."""
        try:
            return tuple(self._conn.execute(f"SELECT NAME, KIND FROM {ROUTINES}"))
        except sqlite3.OperationalError:  # none was ever created: no table yet
            return ()

    def record(self, sql: str) -> None:
        """Note what a DDL statement SQLite has just run tells the dictionary.

        Raises:
            OracleError: for COMMENT ON what does not exist.
            sqlite3.Error: when SQLite fails.
        """
        record(self._conn, sql, self._info.current_schema)

    def _create(self) -> None:
        """Create the views on first use (a logon need not pay for them).

        They are made one statement at a time, since ``executescript`` would
        commit the session's transaction; a rollback of that transaction
        takes them away again, so their presence is checked each time.
        """
        probe = "SELECT 1 FROM temp.sqlite_master WHERE name = 'DEVART$D_TABLES'"
        if self._conn.execute(probe).fetchone() is None:
            for statement in _SETUP:
                self._conn.execute(statement)

    def _users(self, viewer: str) -> list[str]:
        if self._db.users is not None:
            return sorted(self._db.users)
        return sorted({*_BUILTIN_USERS, viewer, self._info.username})

    def _fill(self, family: str, rows: Iterable[Row]) -> None:
        table = family_table(family)
        self._conn.execute(f"DELETE FROM {table}")
        known = set(FAMILIES[family].names)
        for keys, group in itertools.groupby(rows, key=_keys):
            assert known.issuperset(keys), f"{family}: {set(keys) - known}"
            insert = (f"INSERT INTO {table} ({', '.join(keys)}) "
                      f"VALUES ({', '.join('?' * len(keys))})")
            self._conn.executemany(insert, ([encode(v) for v in row.values()] for row in group))


def _keys(row: Row) -> tuple[str, ...]:
    return tuple(row)
