"""The backend's own objects: metadata tables, sequences, DUAL and the session record.

Two tables in the database file hold what SQLite does not: the names of
PRIMARY KEY and UNIQUE constraints (ORA-00001 names the constraint, SQLite
names the columns) and the sequences. Sequence values live in memory, behind
a lock, because Oracle's NEXTVAL is not transactional and must not wait for
another session's write lock; ``Database.close()`` saves them.

The file also holds a DUAL, for views (a view in the file cannot read a
temporary table); each connection also gets temporary objects of its own:
``DUAL`` (which its statements see first); the V$ views are in ``views``, the
data dictionary views in ``dictionary``.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from .ddl import CONSTRAINTS, SEQUENCES, SequenceOp
from .dictionary_notes import NOTES_SCHEMA
from .editions import BASE, EDITIONS_SCHEMA
from .errors import OracleError
from .instance import Client, Instance, Statistics
from .lob_store import SCHEMA as LOB_SCHEMA
from .nls import Nls
from .transaction import TransactionState

__all__ = ["SESSION_SETUP", "SessionInfo", "Sequences", "create_schema"]


@dataclass
class SessionInfo:
    """A logged-on session, as V$SESSION and SYS_CONTEXT show it.

    The wire layer updates ``module``, ``action``, ``client_identifier``,
    ``client_info``, ``dbop`` (the database operation V$SQL_MONITOR shows), ``contexts`` (application contexts by namespace),
    ``status`` and ``status_since`` (``time.monotonic()``), ``sql_id`` and the counters in ``stats``; ``ALTER SESSION``
    updates ``current_schema``, ``time_zone``, the formats in ``nls`` and the isolation level of
    ``transaction``, and ``edition`` (``editions``). ``current_schema``
    defaults to ``username``; ``client`` and ``instance`` are fixed at logon.
    """

    sid: int
    serial: int
    username: str
    program: str = ""
    machine: str = ""
    service_name: str = ""
    module: str | None = None
    action: str | None = None
    client_identifier: str | None = None
    current_schema: str = ""
    time_zone: str | None = None
    status: str = "INACTIVE"
    status_since: float = field(default_factory=time.monotonic)
    client_info: str | None = None
    dbop: str | None = None
    sql_id: str | None = None
    prev_sql_id: str | None = None
    client: Client = field(default_factory=Client)
    instance: Instance = field(default_factory=Instance)
    contexts: dict[str, dict[str, str]] = field(default_factory=dict)
    stats: Statistics = field(default_factory=Statistics)
    transaction: TransactionState = field(default_factory=TransactionState)
    nls: Nls = field(default_factory=Nls)
    server: str = "DEDICATED"  # V$SESSION.SERVER: POOLED for a DRCP pooled session
    edition: str = BASE  # the logon's (AUTH_ORA_EDITION) or ALTER SESSION SET EDITION's

    def synced(self) -> tuple[str, str]:
        """What the client is told of when a call changes it (current schema, edition)."""
        return self.current_schema, self.edition

    def __post_init__(self) -> None:
        self.current_schema = self.current_schema or self.username


_SCHEMA = f"""
PRAGMA journal_mode = WAL;
CREATE TABLE IF NOT EXISTS {CONSTRAINTS} (TABLE_NAME TEXT, COLUMNS TEXT, NAME TEXT);
CREATE TABLE IF NOT EXISTS {SEQUENCES} (
    NAME TEXT PRIMARY KEY, NEXT_VALUE INTEGER, INCREMENT INTEGER);
{NOTES_SCHEMA}
{LOB_SCHEMA}
{EDITIONS_SCHEMA}
-- a view in the file cannot see a session's temp.DUAL: this one is for views
CREATE TABLE IF NOT EXISTS DUAL (DUMMY VARCHAR2(1));
INSERT INTO DUAL SELECT 'X' WHERE NOT EXISTS (SELECT 1 FROM DUAL);
"""

SESSION_SETUP = f"""
CREATE TEMP TABLE DUAL (DUMMY VARCHAR2(1));
INSERT INTO temp.DUAL VALUES ('X');
"""


def create_schema(conn: sqlite3.Connection) -> dict[str, list[int]]:
    """Create the metadata tables if needed; give the saved sequences."""
    conn.executescript(_SCHEMA)
    rows = conn.execute(f"SELECT NAME, NEXT_VALUE, INCREMENT FROM {SEQUENCES}")
    return {name: [value, increment] for name, value, increment in rows}


class Sequences:
    """The sequences: name -> [next value, increment], shared by all sessions."""

    def __init__(self, saved: dict[str, list[int]]) -> None:
        self._lock = threading.Lock()
        self._values = saved

    def next(self, name: str) -> int:
        """Take the next value.

        Raises:
            OracleError: ORA-02289 when there is no such sequence.
        """
        with self._lock:
            state = self._values.get(name)
            if state is None:
                raise OracleError(2289)
            value = state[0]
            state[0] += state[1]
            return value

    def values(self) -> dict[str, tuple[int, int]]:
        """Every sequence: name -> (next value, increment)."""
        with self._lock:
            return {name: (state[0], state[1]) for name, state in self._values.items()}

    def exists(self, name: str) -> bool:
        """True if the sequence exists."""
        with self._lock:
            return name in self._values

    def persist(self, conn: sqlite3.Connection, op: SequenceOp) -> None:
        """Record a created or dropped sequence in the file (inside the DDL's transaction).

        Raises:
            OracleError: ORA-00955 if it exists, ORA-02289 if it does not.
            sqlite3.Error: when SQLite fails.
        """
        if op.action == "CREATE":
            try:
                conn.execute(f"INSERT INTO {SEQUENCES} VALUES (?, ?, ?)",
                             (op.name, op.start, op.increment))
            except sqlite3.IntegrityError:
                raise OracleError(955) from None
        elif op.action == "DROP":
            if not conn.execute(f"DELETE FROM {SEQUENCES} WHERE NAME = ?", (op.name,)).rowcount:
                raise OracleError(2289)
        else:
            conn.execute(f"DELETE FROM {SEQUENCES} WHERE substr(NAME, 1, ?) = ?",
                         (len(op.name), op.name))

    def apply(self, ops: Iterable[SequenceOp]) -> None:
        """Apply committed sequence DDL to the values in memory."""
        with self._lock:
            for op in ops:
                if op.action == "CREATE":
                    self._values[op.name] = [op.start, op.increment]
                elif op.action == "DROP":
                    self._values.pop(op.name, None)
                else:
                    for name in [n for n in self._values if n.startswith(op.name)]:
                        del self._values[name]

    def save(self, conn: sqlite3.Connection) -> None:
        """Write the next values back to the file."""
        with self._lock:
            rows = [(state[0], name) for name, state in self._values.items()]
        conn.executemany(f"UPDATE {SEQUENCES} SET NEXT_VALUE = ? WHERE NAME = ?", rows)
