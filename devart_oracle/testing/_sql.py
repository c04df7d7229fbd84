"""The SQL backend of the test server: Oracle SQL with real transactions, on SQLite.

One SQLite file is shared by every session; each session has its own SQLite
connection, so an uncommitted change is seen by its session only and is
rolled back when the session closes. Transactions are explicit: the first
change of a transaction runs ``BEGIN IMMEDIATE``, which takes SQLite's write
lock, and ``COMMIT``/``ROLLBACK`` release it. The file is in WAL mode, so
readers never wait for the writer.

A statement goes through the tokenizer (``_sqllex``) and, by its kind,
through the rewrite of queries and DML (``_sqlrewrite``), the DDL
translation (``_sqlddl``, ``_sqlcolumns``) or the commands that never reach
SQLite (``_sqlcommands``). Values are encoded and typed by ``_sqlvalues``;
the Oracle functions come from ``_sqlfuncs``; SQLite is driven and its
errors translated by ``_sqlconn`` and ``_sqlerrors``. A query's result
streams from the SQLite cursor: its first rows are read at once to type the
expression columns. Before the session runs anything else, the rows a
result still holds are read into memory, so that every statement sees the
latest commits (SQLite would keep the old snapshot while a cursor is open)
and a rollback cannot cut them off.

Limits, all consequences of SQLite underneath:

- SQLite locks the whole database for writing, not rows. While a session
  has an uncommitted change, another session's change waits for it (up to
  ``lock_timeout``, then ORA-00054), even on other rows or tables.
- Cancelling a running INSERT, UPDATE or DELETE rolls back the whole
  transaction, not just the statement (SQLite's rule for interrupts).
- Dates are stored as text: ``d + 1`` date arithmetic does not work (use
  ADD_MONTHS, TRUNC); ``||`` with NULL gives NULL where Oracle ignores it.
- NUMBER values beyond 15 significant digits are kept exactly as text:
  they compare equal to themselves but sort after ordinary numbers. Values
  are not rounded to a column's scale when stored, only when read.
- One namespace for all users; identifiers are case-insensitive even when
  quoted (``"a"`` and ``A`` collide). Global temporary tables are ordinary
  tables. ROWNUM, CONNECT BY, MERGE, LOBs, and PL/SQL beyond a few
  packaged calls are not supported (each fails with an ORA error).
- Sequence values live in memory and are written back by ``close()``.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
import threading
import weakref
from collections.abc import Callable, Collection, Iterator, Sequence
from typing import TypeVar

from ._sqlcatalog import SESSION_SETUP, Sequences, SessionInfo, create_schema, v_session_rows
from ._sqlcommands import alter_session, alter_system, run_plsql
from ._sqlconn import SqliteConnection
from ._sqlddl import ddl
from ._sqlerrors import OracleError
from ._sqlfuncs import register
from ._sqllex import Token, tokenize
from ._sqlresult import Result, describe_columns
from ._sqlrewrite import Plan, classify, plan
from ._sqlvalues import Column, encode

__all__ = ["SessionInfo", "OracleError", "Column", "Result", "Database", "SqlSession"]

DEFAULT_LOCK_TIMEOUT = 5.0
_BUSY_TIMEOUT = 0.05  # SQLite's own wait per attempt; _begin() loops around it
_PEEK = 64
_BUILTIN_USERS = frozenset({"SYS", "SYSTEM"})
_T = TypeVar("_T")


class Database:
    """The shared SQLite file and what all sessions share (sequences).

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
        self._lock = threading.Lock()
        self._open: weakref.WeakSet[SqlSession] = weakref.WeakSet()
        self._closed = False
        with contextlib.closing(self.connect()) as conn:
            self.sequences = Sequences(create_schema(conn))

    def __repr__(self) -> str:
        return f"<Database {self.path!r} sessions={len(self._open)}>"

    def user_exists(self, name: str) -> bool:
        """Whether ``name`` is a user (so a schema) of this database."""
        return self.users is None or name in self.users

    def connect(self) -> sqlite3.Connection:
        """A new SQLite connection to the file, in explicit-transaction mode."""
        conn = sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT, isolation_level=None,
                               check_same_thread=False)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")  # WAL: safe against a crash of the process
        return conn

    def open_session(self, info: SessionInfo) -> SqlSession:
        """A new session on its own SQLite connection.

        Raises:
            OracleError: ORA-01012 once the database is closed.
        """
        with self._lock:
            if self._closed:
                raise OracleError(1012)
            session = SqlSession(self, info)
            self._open.add(session)
            return session

    def close(self) -> None:
        """Close every session (rolling back), save sequences, delete a temporary file."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            sessions = list(self._open)
        for session in sessions:
            session.close()
        with contextlib.suppress(sqlite3.Error), contextlib.closing(self.connect()) as conn:
            self.sequences.save(conn)
        if self._temporary:
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(OSError):
                    os.remove(self.path + suffix)


class SqlSession:
    """One session: its SQLite connection, transaction state and Oracle functions."""

    def __init__(self, database: Database, info: SessionInfo) -> None:
        self.info = info
        self._db = database
        self._link = SqliteConnection(database.connect(), lambda: self.info.current_schema)
        self._lock = threading.RLock()  # one call at a time; close() waits for it
        self._state = threading.Lock()  # guards _running, for cancel()
        self._running = 0
        self._dirty = False
        self._closed = False
        self._current: dict[str, int] = {}
        self._results: weakref.WeakSet[Result] = weakref.WeakSet()
        register(self._link.conn, self)
        self._link.conn.executescript(SESSION_SETUP)

    def __repr__(self) -> str:
        return (f"<SqlSession sid={self.info.sid} user={self.info.username!r}"
                f" in_transaction={self._dirty}>")

    @property
    def in_transaction(self) -> bool:
        """True while the session has an uncommitted change."""
        return self._dirty

    @property
    def pending(self) -> OracleError | None:
        """An ORA error a SQL function raised, until the statement reports it."""
        return self._link.pending

    @pending.setter
    def pending(self, error: OracleError | None) -> None:
        self._link.pending = error

    # ------------------------------------------------------------- calls

    @contextlib.contextmanager
    def _call(self) -> Iterator[None]:
        """Hold the session for one call; ``cancel()`` interrupts it meanwhile."""
        with self._lock:
            if self._closed:
                raise OracleError(1012)
            with self._state:
                if not self._running:
                    self._link.cancelled.clear()
                self._running += 1
            try:
                yield
            finally:
                with self._state:
                    self._running -= 1
                self._dirty = self._dirty and self._link.in_transaction

    def cancel(self) -> None:
        """Interrupt the running statement or sleep (it raises ORA-01013); thread-safe."""
        with self._state:
            if self._running:
                self._link.interrupt()

    def close(self) -> None:
        """Roll back and close the connection; idempotent, callable from any thread."""
        self.cancel()
        with self._lock:
            if not self._closed:
                self._closed, self._dirty = True, False
                self._link.close()

    def execute(self, sql: str, params: Sequence[object] = ()) -> Result:
        """Run one statement with positional bind values.

        Raises:
            OracleError: for every failure, with Oracle's number and text.
        """
        with self._call():
            self._drain()
            return self._execute(sql, tokenize(sql), params)

    def executemany(self, sql: str, rows: Sequence[Sequence[object]]) -> Result:
        """Run one statement once per row of bind values.

        Raises:
            OracleError: at the first failing row; its ``rowcount`` counts
                the rows done before it, whose changes stay.
        """
        with self._call():
            self._drain()
            tokens = tokenize(sql)
            counts: list[int] = []
            for params in rows:
                try:
                    counts.append(self._execute(sql, tokens, params).rowcount)
                except OracleError as exc:
                    exc.rowcount, exc.row_counts = sum(counts), counts
                    raise
            return Result(None, sum(counts), counts)

    def commit(self) -> None:
        """Commit the transaction."""
        with self._call():
            self._drain()
            self._end("COMMIT")

    def rollback(self) -> None:
        """Roll the transaction back."""
        with self._call():
            self._drain()
            self._end("ROLLBACK")

    # --------------------------------------------------------- statements

    def _execute(self, sql: str, tokens: tuple[Token, ...], params: Sequence[object]) -> Result:
        kind, verb = classify(tokens)
        if kind == "query":
            return self._query(self._plan(sql), params)
        if kind == "dml":
            return self._dml(self._plan(sql), params, verb)
        if kind == "ddl":
            self._ddl(sql, verb)
        elif kind == "plsql":
            run_plsql(sql, tokens, params, self)
        else:
            self._command(kind, tokens)
        return Result(None, 0)

    def _schemas(self) -> frozenset[str]:
        return frozenset(filter(None, (self.info.username.upper(),
                                       self.info.current_schema.upper())))

    def _plan(self, sql: str) -> Plan:
        return plan(sql, self._schemas())

    def _binds(self, count: int, params: Sequence[object]) -> list[object]:
        if len(params) != count:
            raise OracleError(1008 if len(params) < count else 1036)
        return [encode(value) for value in params]

    def _query(self, plan: Plan, params: Sequence[object]) -> Result:
        binds = self._binds(plan.binds, params)
        if plan.for_update:
            self._begin()
            self._dirty = True
        self._refresh(plan)
        declared = self._link.declared_types(plan.sql, self._db.generation)
        cursor = self._link.execute(plan.sql, binds)
        first = self._link.run(lambda: cursor.fetchmany(_PEEK))
        columns = describe_columns(cursor.description, declared, first, plan)
        result = Result(columns, 0, rows=first, pull=self._puller(cursor))
        self._results.add(result)
        return result

    def _puller(self, cursor: sqlite3.Cursor) -> Callable[[int], list[tuple[object, ...]]]:
        def pull(count: int) -> list[tuple[object, ...]]:
            with self._call():
                return self._link.run(lambda: cursor.fetchmany(count))
        return pull

    def _dml(self, plan: Plan, params: Sequence[object], verb: str) -> Result:
        binds = self._binds(plan.binds, params)
        self._refresh(plan)
        began = self._begin()
        try:
            count = max(self._link.execute(plan.sql, binds, verb, plan.target).rowcount, 0)
        except OracleError:
            if began:
                self._link.abandon()
            raise
        if began and not count:
            self._link.abandon()  # no change: release the write lock
        else:
            self._dirty = True
        return Result(None, count)

    def _ddl(self, sql: str, verb: str) -> None:
        translated = ddl(sql, self._schemas())
        self._end("COMMIT")  # Oracle commits before DDL, even a failing one
        self._begin()
        try:
            for statement in translated.statements:
                self._link.execute(statement, verb=verb)
            for op in translated.sequences:
                self._link.run(lambda: self._db.sequences.persist(self._link.conn, op))
            self._end("COMMIT")
        finally:
            self._link.abandon()
            self._db.generation += 1
        self._db.sequences.apply(translated.sequences)

    def _command(self, kind: str, tokens: tuple[Token, ...]) -> None:
        if kind == "commit":
            self._end("COMMIT")
        elif kind == "rollback":
            self._rollback(tokens)
        elif kind in ("savepoint", "lock"):
            self._begin()
            self._dirty = True
            if kind == "savepoint":
                self._link.execute("SAVEPOINT " + _last_name(tokens))
        elif kind == "session":
            alter_session(tokens, self.info, self._db.user_exists)
        elif kind == "system":
            alter_system(tokens, self)

    def _rollback(self, tokens: tuple[Token, ...]) -> None:
        if any(t.is_word("TO") for t in tokens):
            self._link.execute("ROLLBACK TO SAVEPOINT " + _last_name(tokens))
        else:
            self._end("ROLLBACK")

    def _begin(self) -> bool:
        return self._link.begin(self._db.lock_timeout)

    def _end(self, verb: str) -> None:
        self._link.end(verb)
        self._dirty = False

    def _drain(self) -> None:
        """Read the rows open results still hold, so their cursors end."""
        for result in list(self._results):
            try:
                result.drain()
            except OracleError:
                result.close()  # a result that cannot be read any more is dropped
        self._results = weakref.WeakSet()

    def _refresh(self, plan: Plan) -> None:
        """Fill this connection's V$SESSION when the statement reads it."""
        if "V$SESSION" in plan.objects:
            sessions = _hook(self._db.sessions, "V$SESSION")
            self._link.fill_v_session(v_session_rows(sessions))

    # ------------------------------------------ hooks for functions, PL/SQL

    def next_value(self, name: str) -> int:
        """``seq.NEXTVAL``."""
        value = self._db.sequences.next(name)
        self._current[name] = value
        return value

    def current_value(self, name: str) -> int:
        """``seq.CURRVAL``."""
        if name in self._current:
            return self._current[name]
        raise OracleError(8002 if self._db.sequences.exists(name) else 2289, name)

    def sleep(self, seconds: float) -> None:
        """DBMS_SESSION.SLEEP: an Event wait, so ``cancel()`` ends it."""
        if self._link.cancelled.wait(max(seconds, 0.0)):
            raise OracleError(1013)

    def kill(self, sid: int, serial: int) -> bool:
        """ALTER SYSTEM KILL SESSION."""
        return _hook(lambda: self._db.kill(sid, serial), "KILL SESSION")


def _hook(call: Callable[[], _T], what: str) -> _T:
    """Call one of the server's hooks; its failure is an ORA-00600, like any internal error."""
    try:
        return call()
    except Exception as exc:
        raise OracleError(600, f"[{what}], [{type(exc).__name__}: {exc}]") from exc


def _last_name(tokens: tuple[Token, ...]) -> str:
    """The savepoint name that ends SAVEPOINT and ROLLBACK TO statements."""
    words = [t for t in tokens if t.kind in ("word", "ident")]
    if len(words) < 2:
        raise OracleError(900)
    last = words[-1]
    return last.text if last.kind == "ident" else f'"{last.text.upper()}"'
