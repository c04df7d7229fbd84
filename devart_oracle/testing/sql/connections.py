"""The idle SQLite connections of a database, reused from one session to the next.

Opening a session's connection costs more than its logon's other work: the
file, two PRAGMAs, some sixty Oracle functions registered one by one, and
the temporary DUAL. A session that ends gives its connection back here
instead, and the next logon takes it as it is.

A connection's functions are registered once, against a ``Binding``: the
session that holds the connection now, to which every session-bound
function (USER, NEXTVAL, SYS_CONTEXT, ...) and every parked error goes.

A connection comes back clean or not at all: its results are closed by the
session (so no statement holds a read snapshot), its transaction is rolled
back, every temporary object but DUAL is dropped (the V$ and dictionary
tables a session filled hold what that session saw), and DUAL must still
hold its one row. If any of that fails (an interrupt that came late, say),
the connection is closed and the next logon opens a new one.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from .errors import OracleError
from .functions import Context, register
from .plsql import run_plsql
from .stored import sql_function

if TYPE_CHECKING:
    from .catalog import SessionInfo
    from .lob_store import LobChunks

__all__ = ["Binding", "ConnectionPool", "PooledConnection"]

_NOT_LOGGED_ON = 1012
_LEFTOVERS = ("SELECT type, name FROM temp.sqlite_master "
              "WHERE type IN ('view', 'table') AND name <> 'DUAL' ORDER BY type = 'table'")
_DUAL = "SELECT * FROM temp.DUAL"
# Both in one statement, as a session usually leaves nothing behind: DUAL's rows
# (behind the marker 'DUAL', which no object's type is), then the leftovers.
_STATE = f"SELECT 'DUAL', * FROM temp.DUAL UNION ALL {_LEFTOVERS.partition(' ORDER BY')[0]}"


class Binding:
    """The session a connection's functions serve now: a ``Context`` that forwards to it."""

    __slots__ = ("session",)

    def __init__(self) -> None:
        self.session: Context | None = None

    def _bound(self) -> Context:
        session = self.session
        if session is None:
            raise OracleError(_NOT_LOGGED_ON)  # an idle connection runs nothing
        return session

    @property
    def info(self) -> SessionInfo:
        return self._bound().info

    @property
    def pending(self) -> OracleError | None:
        return self._bound().pending

    @pending.setter
    def pending(self, error: OracleError | None) -> None:
        self._bound().pending = error

    @property
    def chunks(self) -> LobChunks:
        return self._bound().chunks

    def next_value(self, name: str) -> int:
        return self._bound().next_value(name)

    def current_value(self, name: str) -> int:
        return self._bound().current_value(name)

    def stored_function(self, name: str) -> Callable[..., object] | None:
        return sql_function(self._bound(), name, run_plsql)


class PooledConnection:
    """A SQLite connection with the Oracle functions registered on it.

    Attributes:
        conn: the connection.
        binding: the session its functions serve.
        resolve: registers a stored function SQLite found missing (``functions``).
    """

    __slots__ = ("binding", "conn", "resolve")

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.binding = Binding()
        self.resolve = register(conn, self.binding, self.binding.stored_function)


class ConnectionPool:
    """Idle connections to one database file, at most ``keep`` of them.

    Args:
        connect: opens a new SQLite connection to the file, set up as a
            session starts (its temporary DUAL).
        keep: how many idle connections to keep; 0 closes each one a
            session gives back.
    """

    def __init__(self, connect: Callable[[], sqlite3.Connection], keep: int) -> None:
        self._connect = connect
        self._keep = keep
        self._lock = threading.Lock()
        self._idle: list[PooledConnection] = []
        self._closed = False

    def __repr__(self) -> str:
        return f"<ConnectionPool idle={len(self._idle)} keep={self._keep}>"

    @property
    def idle(self) -> int:
        """How many connections wait for a session."""
        return len(self._idle)

    def acquire(self, session: Context) -> PooledConnection:
        """An idle connection, else a new one, bound to ``session``."""
        with self._lock:
            pooled = self._idle.pop() if self._idle else None
        if pooled is None:
            pooled = PooledConnection(self._connect())
        pooled.binding.session = session
        return pooled

    def release(self, pooled: PooledConnection) -> None:
        """Take back a connection whose session ended (its results closed)."""
        pooled.binding.session = None
        if self._keep and _reset(pooled.conn):
            with self._lock:
                if not self._closed and len(self._idle) < self._keep:
                    self._idle.append(pooled)
                    return
        pooled.conn.close()

    def close(self) -> None:
        """Close the idle connections; the ones given back later are closed too."""
        with self._lock:
            self._closed, idle, self._idle = True, self._idle, []
        for pooled in idle:
            pooled.conn.close()


def _reset(conn: sqlite3.Connection) -> bool:
    """Bring a connection back to a new session's state; False if it cannot be.

    Without leftovers, one statement tells: DUAL holds its row (a DUAL that is not
    DUAL's one column fails the UNION, as it fails the check). With some, they are
    dropped and DUAL read again, since a leftover may be the table DUAL names now.
    """
    try:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        rows = conn.execute(_STATE).fetchall()
        if all(row[0] == "DUAL" for row in rows):
            return [row[1:] for row in rows] == [("X",)]
        for kind, name in conn.execute(_LEFTOVERS).fetchall():
            quoted = '"' + str(name).replace('"', '""') + '"'
            conn.execute(f"DROP {kind.upper()} temp.{quoted}")
        return conn.execute(_DUAL).fetchall() == [("X",)]
    except sqlite3.Error:
        return False
