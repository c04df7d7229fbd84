"""The SQL backend of the test server: Oracle SQL with real transactions, on SQLite.

One SQLite file is shared by every session; each session has its own SQLite
connection, so an uncommitted change is seen by its session only and is
rolled back when the session closes. Transactions are explicit: the first
change of a transaction runs ``BEGIN IMMEDIATE``, which takes SQLite's write
lock, and ``COMMIT``/``ROLLBACK`` release it. The file is in WAL mode, so
readers never wait for the writer.

The limit that follows: SQLite locks the whole database for writing, not
rows. While one session has an uncommitted change, a second session's
change waits for the lock (up to ``lock_timeout`` seconds, then ORA-00054)
even if it touches other rows or tables; Oracle would let it through.

A statement goes through the tokenizer (``_sqllex``) and, by its kind,
through the rewrite of queries and DML (``_sqlrewrite``), the DDL
translation (``_sqlddl``) or the commands that never reach SQLite
(``_sqlcommands``). Values are encoded and typed by ``_sqlvalues``; the
Oracle functions come from ``_sqlfuncs``; errors are translated by
``_sqlerrors``. A query's result streams from the SQLite cursor: its first
rows are read at once to type the expression columns. Before the session
runs anything else, the rows a result still holds are read into memory, so
that every statement sees the latest commits (SQLite would otherwise keep
the old snapshot while a cursor is open) and a rollback cannot cut them off.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
import threading
import time
import weakref
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

from ._sqlcommands import alter_session, alter_system, run_plsql
from ._sqlcatalog import SESSION_SETUP, V_SESSION_INSERT, Sequences, create_schema, v_session_rows
from ._sqlddl import CONSTRAINTS, Ddl, ddl
from ._sqlerrors import ErrorContext, OracleError, translate
from ._sqlfuncs import register
from ._sqllex import Token, tokenize
from ._sqlresult import Result, describe_columns
from ._sqlrewrite import Plan, classify, describe_sql, plan
from ._sqlvalues import Column, encode

__all__ = ["SessionInfo", "OracleError", "Column", "Result", "Database", "SqlSession"]

DEFAULT_LOCK_TIMEOUT = 5.0
_BUSY_TIMEOUT = 0.05  # SQLite's own wait per attempt; _begin() loops around it
_PEEK = 64
_T = TypeVar("_T")


@dataclass
class SessionInfo:
    """A logged-on session, as V$SESSION and SYS_CONTEXT show it.

    The wire layer updates ``module``, ``action``, ``client_identifier`` and
    ``status``; ``ALTER SESSION`` updates ``current_schema`` and
    ``time_zone``. ``current_schema`` defaults to ``username``.
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

    def __post_init__(self) -> None:
        self.current_schema = self.current_schema or self.username


class Database:
    """The shared SQLite file and what all sessions share (sequences).

    Args:
        path: the SQLite file; None makes a temporary file that ``close()``
            deletes.
        sessions: gives the server's live sessions, for V$SESSION.
        kill: ends the session (sid, serial#); False if there is none.
        lock_timeout: seconds a change waits for another session's
            uncommitted change before ORA-00054.
    """

    def __init__(self, path: str | None = None, *,
                 sessions: Callable[[], list[SessionInfo]] = list,
                 kill: Callable[[int, int], bool] = lambda sid, serial: False,
                 lock_timeout: float = DEFAULT_LOCK_TIMEOUT) -> None:
        self._temporary = path is None
        if path is None:
            handle, path = tempfile.mkstemp(prefix="devart-oracle-", suffix=".sqlite")
            os.close(handle)
        self.path = path
        self.sessions = sessions
        self.kill = kill
        self.lock_timeout = lock_timeout
        self.generation = 0  # bumped by every DDL: cached descriptions go stale
        self._lock = threading.Lock()
        self._open: weakref.WeakSet[SqlSession] = weakref.WeakSet()
        self._closed = False
        with contextlib.closing(self.connect()) as conn:
            self.sequences = Sequences(create_schema(conn))

    def __repr__(self) -> str:
        return f"<Database {self.path!r} sessions={len(self._open)}>"

    def connect(self) -> sqlite3.Connection:
        """A new SQLite connection to the file, in explicit-transaction mode."""
        conn = sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT, isolation_level=None,
                               check_same_thread=False)
        conn.execute("PRAGMA foreign_keys = ON")
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
    """One session's SQLite connection, transaction state and Oracle functions."""

    def __init__(self, database: Database, info: SessionInfo) -> None:
        self.info = info
        self.pending: OracleError | None = None  # an error a SQL function raised
        self._db = database
        self._conn = database.connect()
        self._lock = threading.RLock()  # one call at a time; close() waits for it
        self._state = threading.Lock()  # guards _running, for cancel()
        self._cancel = threading.Event()
        self._running = 0
        self._dirty = False
        self._closed = False
        self._current: dict[str, int] = {}
        self._results: weakref.WeakSet[Result] = weakref.WeakSet()
        self._described: dict[str, tuple[int, list[str] | None]] = {}
        register(self._conn, self)
        self._conn.executescript(SESSION_SETUP)

    def __repr__(self) -> str:
        return (f"<SqlSession sid={self.info.sid} user={self.info.username!r}"
                f" in_transaction={self._dirty}>")

    @property
    def in_transaction(self) -> bool:
        """True while the session has an uncommitted change."""
        return self._dirty

    # ------------------------------------------------------------- calls

    @contextlib.contextmanager
    def _call(self) -> Iterator[None]:
        """Hold the session for one call; ``cancel()`` interrupts it meanwhile."""
        with self._lock:
            if self._closed:
                raise OracleError(1012)
            with self._state:
                if not self._running:
                    self._cancel.clear()
                self._running += 1
            try:
                yield
            finally:
                with self._state:
                    self._running -= 1

    def cancel(self) -> None:
        """Interrupt the running statement or sleep (it raises ORA-01013); thread-safe."""
        with self._state:
            if self._running:
                self._cancel.set()
                self._conn.interrupt()

    def close(self) -> None:
        """Roll back and close the connection; idempotent, callable from any thread."""
        self.cancel()
        with self._lock:
            if self._closed:
                return
            self._closed = True
            with contextlib.suppress(sqlite3.Error):
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
            self._dirty = False
            self._conn.close()

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
                    exc.rowcount = sum(counts)
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
        declared = self._declared(plan)
        cursor = self._sqlite(lambda: self._conn.execute(plan.sql, binds))
        first = self._sqlite(lambda: cursor.fetchmany(_PEEK))
        columns = describe_columns(cursor.description, declared, first, plan)
        result = Result(columns, 0, rows=first, pull=self._puller(cursor))
        self._results.add(result)
        return result

    def _puller(self, cursor: sqlite3.Cursor) -> Callable[[int], list[tuple[object, ...]]]:
        def pull(count: int) -> list[tuple[object, ...]]:
            with self._call():
                return self._sqlite(lambda: cursor.fetchmany(count))
        return pull

    def _dml(self, plan: Plan, params: Sequence[object], verb: str) -> Result:
        binds = self._binds(plan.binds, params)
        self._refresh(plan)
        began = self._begin()
        try:
            cursor = self._sqlite(lambda: self._conn.execute(plan.sql, binds), verb, plan.target)
        except OracleError:
            if began:
                self._conn.execute("ROLLBACK")
            raise
        count = max(cursor.rowcount, 0)
        if began and not count:
            self._conn.execute("ROLLBACK")  # no change: release the write lock
        else:
            self._dirty = True
        return Result(None, count)

    def _ddl(self, sql: str, verb: str) -> None:
        translated = ddl(sql, self._schemas())
        self._end("COMMIT")  # Oracle commits before DDL, even a failing one
        self._begin()
        try:
            for statement in translated.statements:
                self._sqlite(lambda: self._conn.execute(statement), verb)
            self.sequences_changed(translated)
            self._end("COMMIT")
        finally:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            self._db.generation += 1
        self._db.sequences.apply(translated.sequences)

    def sequences_changed(self, translated: Ddl) -> None:
        """Persist the sequences a DDL creates or drops, in its transaction."""
        for op in translated.sequences:
            self._sqlite(lambda: self._db.sequences.persist(self._conn, op))

    def _command(self, kind: str, tokens: tuple[Token, ...]) -> None:
        if kind in ("commit", "rollback"):
            self._rollback_to(tokens) if kind == "rollback" else self._end("COMMIT")
        elif kind in ("savepoint", "lock"):
            self._begin()
            self._dirty = True
            if kind == "savepoint":
                self._sqlite(lambda: self._conn.execute("SAVEPOINT " + _last_name(tokens)))
        elif kind == "session":
            alter_session(tokens, self.info)
        elif kind == "system":
            alter_system(tokens, self)

    def _rollback_to(self, tokens: tuple[Token, ...]) -> None:
        words = [t.text.upper() for t in tokens if t.kind not in ("ws", "comment")]
        if "TO" not in words:
            self._end("ROLLBACK")
            return
        name = _last_name(tokens)
        self._sqlite(lambda: self._conn.execute("ROLLBACK TO SAVEPOINT " + name))

    # ------------------------------------------------------- transactions

    def _begin(self) -> bool:
        """Start a transaction holding the write lock; False if one is open.

        Raises:
            OracleError: ORA-00054 after ``lock_timeout`` seconds,
                ORA-01013 when cancelled while waiting.
        """
        if self._conn.in_transaction:
            return False
        deadline = time.monotonic() + self._db.lock_timeout
        while True:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                return True
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise self._translate(exc, "BEGIN") from None
            if self._cancel.is_set():
                raise OracleError(1013)
            if time.monotonic() >= deadline:
                raise OracleError(54)

    def _end(self, verb: str) -> None:
        if self._conn.in_transaction:
            self._sqlite(lambda: self._conn.execute(verb))
        self._dirty = False

    def _drain(self) -> None:
        """Read the rows open results still hold, so their cursors end."""
        for result in list(self._results):
            try:
                result.drain()
            except OracleError:
                result.close()  # a result that cannot be read any more is dropped
        self._results = weakref.WeakSet()

    # ---------------------------------------------------- SQLite plumbing

    def _sqlite(self, work: Callable[[], _T], verb: str = "SELECT", table: str = "") -> _T:
        """Run ``work`` against SQLite, turning its failures into ORA errors."""
        try:
            return work()
        except (sqlite3.Error, OverflowError, ValueError) as exc:
            raise self._translate(exc, verb, table) from None

    def _translate(self, exc: BaseException, verb: str, table: str = "") -> OracleError:
        error, self.pending = self.pending, None
        if error is not None:
            return error
        if self._cancel.is_set():
            return OracleError(1013)
        context = ErrorContext(self.info.current_schema or self.info.username, verb,
                               self._constraint_name, table)
        return translate(exc, context)

    def _constraint_name(self, table: str, columns: tuple[str, ...]) -> str:
        row = self._conn.execute(
            f"SELECT NAME FROM {CONSTRAINTS} WHERE TABLE_NAME = ? AND COLUMNS = ?",
            (table, ",".join(columns))).fetchone()
        if row is not None:
            return str(row[0])
        return f"SYS_C{zlib.crc32(repr((table, columns)).encode()) % 10**7:07d}"

    def _refresh(self, plan: Plan) -> None:
        """Fill this connection's V$SESSION when the statement reads it."""
        if "V$SESSION" not in plan.objects:
            return
        rows = v_session_rows(self._db.sessions())
        self._conn.execute('DELETE FROM temp."V$SESSION"')
        self._conn.executemany(V_SESSION_INSERT, rows)

    def _declared(self, plan: Plan) -> list[str] | None:
        """The declared types of a query's columns ('' for an expression)."""
        cached = self._described.get(plan.sql)
        if cached is not None and cached[0] == self._db.generation:
            return cached[1]
        types: list[str] | None = None
        try:
            self._conn.execute(f'CREATE TEMP VIEW "DEVART$DESCRIBE" AS {describe_sql(plan.sql)}')
            types = [row[2] for row in self._conn.execute('PRAGMA temp.table_info("DEVART$DESCRIBE")')]
        except sqlite3.Error:
            pass  # the query itself will report the problem, or types come from values
        finally:
            self._conn.execute('DROP VIEW IF EXISTS temp."DEVART$DESCRIBE"')
        self._described[plan.sql] = (self._db.generation, types)
        return types

    # ------------------------------------------------- hooks for functions

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
        if self._cancel.wait(max(seconds, 0.0)):
            raise OracleError(1013)

    def kill(self, sid: int, serial: int) -> bool:
        """ALTER SYSTEM KILL SESSION."""
        return self._db.kill(sid, serial)


def _last_name(tokens: tuple[Token, ...]) -> str:
    """The savepoint name that ends SAVEPOINT and ROLLBACK TO statements."""
    words = [t for t in tokens if t.kind in ("word", "ident")]
    if len(words) < 2:
        raise OracleError(900)
    last = words[-1]
    return last.text if last.kind == "ident" else f'"{last.text.upper()}"'
