"""The shared SQLite file of a test server, and what all its sessions share.

See ``devart_oracle.testing.sql`` for the backend as a whole. The database owns the file (a
temporary one unless a path is given), the sequences (kept in memory and
saved by ``close()``), the known users, and the hooks into the server that
V$SESSION and ALTER SYSTEM KILL SESSION need; each session gets its own
SQLite connection from it (``session``), a temporary file's reused from
session to session (``connections``).
"""

from __future__ import annotations

import contextlib
import functools
import os
import sqlite3
import tempfile
import threading
import weakref
from collections.abc import Callable, Collection

from .backend import SqliteConnection, retry_while_busy
from .catalog import SESSION_SETUP, Sequences, SessionInfo, create_schema
from .connections import ConnectionPool
from .ddl import Ddl
from .editions import Editions
from .errors import OracleError
from .session import SqlSession
from .statements import StatementCache
from .zones import COLLATION, collate

__all__ = ["DEFAULT_LOCK_TIMEOUT", "Database"]

DEFAULT_LOCK_TIMEOUT = 5.0
_BUSY_TIMEOUT = 0.05  # SQLite's own wait per attempt; sessions loop around it
_BUILTIN_USERS = frozenset({"SYS", "SYSTEM"})
_IDLE_CONNECTIONS = 16  # a temporary file's connections kept for the next logons
# synchronous=NORMAL: with WAL, still safe against a crash of the process.
_CONNECT_PRAGMAS = ("PRAGMA foreign_keys = ON", "PRAGMA synchronous = NORMAL")


class Database:
    """The shared SQLite file and what all sessions share (sequences, editions).

    Args:
        path: the SQLite file; None makes a temporary file that ``close()``
            deletes.
        sessions: gives the server's live sessions, for V$SESSION.
        kill: ends the session (sid, serial#); False if there is none.
        lock_timeout: seconds a change waits for another session's
            uncommitted change before ORA-00054.
        users: the user names (upper case) that ALTER SESSION SET
            CURRENT_SCHEMA accepts, besides SYS and SYSTEM; None accepts any.
    """

    def __init__(self, path: str | None = None, *,
                 sessions: Callable[[], list[SessionInfo]] = list,
                 kill: Callable[[int, int], bool] = lambda sid, serial: False,
                 lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
                 users: Collection[str] | None = None) -> None:
        self._temporary = path is None
        if path is None:
            handle, path = tempfile.mkstemp(prefix="devart-oracle-", suffix=".sqlite")
            os.close(handle)
        self.path = path
        self.sessions = sessions
        self.kill = kill
        self.lock_timeout = lock_timeout
        self.users = None if users is None else frozenset(users) | _BUILTIN_USERS
        self.generation = 0  # bumped by every DDL: cached descriptions go stale
        self.statements = StatementCache()  # lexed, classified, rewritten: shared by sessions
        self._lock = threading.Lock()
        self._open: weakref.WeakSet[SqlSession] = weakref.WeakSet()
        self._closed = False
        conn = self.connect()
        try:
            self.sequences = Sequences(create_schema(conn))
            self.editions = Editions(conn)
        except BaseException:
            conn.close()
            raise
        # A temporary file's first connection stays open until close(): while one is
        # open the WAL and its index stay, so a session's connection opens in about
        # 0.1 ms instead of 0.4 (when the last one closed, each logoff checkpointed
        # and deleted them, and the next logon made them anew). A named file is left
        # alone between sessions: another program may want it (even exclusively).
        self._keeper: sqlite3.Connection | None = conn if self._temporary else None
        if self._keeper is None:
            conn.close()
        # For the same reason, only a temporary file's sessions give their connections
        # back for the next logon to reuse (see connections).
        self.connections = ConnectionPool(self._session_connection,
                                          _IDLE_CONNECTIONS if self._temporary else 0)

    def __repr__(self) -> str:
        return f"<Database {self.path!r} sessions={len(self._open)}>"

    def user_exists(self, name: str) -> bool:
        """Whether ``name`` is a user (so a schema) of this database."""
        return self.users is None or name in self.users

    def persist(self, conn: sqlite3.Connection, ddl: Ddl) -> None:
        """Record the sequences and editions a DDL statement creates or drops, in its transaction.

        Raises:
            OracleError: as ``Sequences.persist`` and ``Editions.persist`` say.
        """
        for op in ddl.sequences:
            self.sequences.persist(conn, op)
        in_use = {info.edition for info in self.sessions()} if ddl.editions else set()
        for edition in ddl.editions:
            self.editions.persist(conn, edition, in_use.__contains__)

    def applied(self, ddl: Ddl, conn: sqlite3.Connection) -> None:
        """Bring the sequences and editions in memory up to a committed DDL statement."""
        self.sequences.apply(ddl.sequences)
        self.editions.apply(ddl.editions, conn)

    def connect(self) -> sqlite3.Connection:
        """A new SQLite connection to the file, in explicit-transaction mode."""
        conn = sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT, isolation_level=None,
                               check_same_thread=False)
        conn.create_collation(COLLATION, collate)  # zoned timestamps compare by instant
        try:
            for pragma in _CONNECT_PRAGMAS:
                # Even a PRAGMA can meet another connection's lock (a checkpoint,
                # a session's commit): wait for it as statements do.
                retry_while_busy(functools.partial(conn.execute, pragma), self.lock_timeout)
        except BaseException:
            conn.close()
            raise
        return conn

    def _session_connection(self) -> sqlite3.Connection:
        """A new connection with what every session starts with (its temporary DUAL).

        Raises:
            OracleError: ORA-00054 when the file stays locked past ``lock_timeout``.
        """
        conn = self.connect()
        try:
            SqliteConnection(conn, lambda: "", self.lock_timeout).script(SESSION_SETUP)
        except BaseException:
            conn.close()
            raise
        return conn

    def open_session(self, info: SessionInfo) -> SqlSession:
        """A new session on its own SQLite connection.

        Raises:
            OracleError: ORA-01012 once the database is closed, ORA-38802 for an edition
                (the logon's) that does not exist.
        """
        if self._closed:
            raise OracleError(1012)
        self.editions.check(info.edition)
        # Made outside the lock: a session's connection, functions and setup take
        # a while, and with the lock held every logon waited for every other one.
        session = SqlSession(self, info)
        with self._lock:
            if not self._closed:
                self._open.add(session)
                return session
        session.close()  # the database closed meanwhile
        raise OracleError(1012)

    def close(self) -> None:
        """Close every session (rolling back), save sequences, delete a temporary file."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            sessions = list(self._open)
        self.connections.close()
        for session in sessions:
            session.close()
        with contextlib.suppress(sqlite3.Error), contextlib.closing(self._keeper or self.connect()) as conn:
            self.sequences.save(conn)
        if self._temporary:
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(OSError):
                    os.remove(self.path + suffix)
