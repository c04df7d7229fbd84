"""One session of the SQL backend: its SQLite connection, transaction, statements.

See ``devart_oracle.testing.sql`` for the backend as a whole. A session runs one call at a time (``cancel()``
may come from another thread); each statement is classified and goes to the query, DML, DDL, PL/SQL or
command path. Query results stream from SQLite; before anything else runs, the rows open results still hold
are read into memory so that every statement sees the latest commits (LOBs stored out of row: ``lob_store``).
"""

from __future__ import annotations

import sqlite3
import weakref
from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from .backend import SqliteConnection
from .catalog import Sequences, SessionInfo
from .commands import alter_session, alter_system, savepoint_name
from .connections import ConnectionPool
from .cursor_expressions import nest
from .dbms_output import OutputBuffer
from .ddl import Ddl, ddl
from .dictionary import Dictionary
from .editions import Editions
from .errors import OracleError, call_hook
from .gate import CallGate
from .lexer import Token
from .lob_rows import with_rowid
from .lob_store import LobChunks
from .lob_targets import lob_binds, returned_rows
from .merge import merge_steps, unstable_match
from .nullability import NotNulls
from .plsql import run_plsql
from .procedures import RoutineCache
from .results import Result, drain_all, run_rows
from .rowid import rowid_text
from .statements import OwnStatements, Statement, StatementCache
from .tpc import BranchLink
from .values import encode
from .views import refresh_views
from .waits import waiting

__all__ = ["SessionDatabase", "SqlSession"]

_PEEK = 64
_COMMIT_IN_BRANCH = 2089
_T = TypeVar("_T")


class SessionDatabase(Protocol):
    """What a session shares with the others through its database."""

    users: frozenset[str] | None
    generation: int  # bumped by every DDL: cached descriptions go stale
    sequences: Sequences
    editions: Editions
    lock_timeout: float
    statements: StatementCache  # what depends only on a statement's text, shared
    connections: ConnectionPool  # idle SQLite connections, reused by the next session

    def user_exists(self, name: str) -> bool: ...
    def persist(self, conn: sqlite3.Connection, ddl: Ddl) -> None: ...  # sequences, editions: in the DDL's transaction
    def applied(self, ddl: Ddl, conn: sqlite3.Connection) -> None: ...  # ... and in memory once it committed
    def sessions(self) -> list[SessionInfo]: ...
    def kill(self, sid: int, serial: int) -> bool: ...


class SqlSession:
    """One session: its SQLite connection, transaction state and Oracle functions."""

    def __init__(self, database: SessionDatabase, info: SessionInfo) -> None:
        self.info = info
        self._db = database
        self._pooled = database.connections.acquire(self)  # set up, functions bound to this session
        self._link = SqliteConnection(self._pooled.conn, lambda: self.info.current_schema, database.lock_timeout,
                                      self._pooled.resolve)  # SQL's calls of stored functions
        self._gate = CallGate(self._link, self._after_call)
        self._dirty = False
        self._schema_key: tuple[str, str] | None = None  # (user, current schema) of _schema_set
        self._schema_set: frozenset[str] = frozenset()
        self._statements = OwnStatements(database.statements)
        self._current: dict[str, int] = {}
        self._results: weakref.WeakSet[Result] = weakref.WeakSet()
        self._held = False  # a result went into _results since the last drain (else it is empty)
        self.output = OutputBuffer()  # DBMS_OUTPUT's lines
        self.implicit: list[object] = []  # DBMS_SQL.RETURN_RESULT's cursors, for the wire to take
        self.routine_cache = RoutineCache()  # the routines its blocks call, and those compiled
        self._not_nulls = NotNulls()
        self.chunks: LobChunks = LobChunks(self._link, self._gate, lambda: self.branch.attached is not None)
        self._dictionary = Dictionary(self._link.conn, database, info, self._link.constraint_name)
        self.branch = BranchLink(self._link, info.instance.branches, self)  # two-phase commit

    def __repr__(self) -> str:
        return f"<SqlSession sid={self.info.sid} user={self.info.username!r} in_transaction={self._dirty}>"

    @property
    def in_transaction(self) -> bool:
        """True while the session has an uncommitted change, or a global transaction branch."""
        return self._dirty or self.branch.attached is not None

    @property
    def pending(self) -> OracleError | None:
        """An ORA error a SQL function raised, until the statement reports it."""
        return self._link.pending

    @pending.setter
    def pending(self, error: OracleError | None) -> None:
        self._link.pending = error

    # ------------------------------------------------------------- calls

    def _after_call(self) -> None:
        self._dirty = self._link.in_transaction and (self._dirty or bool(self._link.journal))
        self.info.transaction.track(self._dirty)

    def cancel(self) -> None:
        """Interrupt the running statement or sleep (it raises ORA-01013); thread-safe."""
        self._gate.cancel()

    def close(self) -> None:
        """Roll back and close the connection; idempotent, callable from any thread."""
        self._gate.close(self._shut)

    def _shut(self) -> None:
        self._dirty = False
        self.branch.close()
        for result in list(self._results):
            result.close()  # its cursor ends: the connection keeps no read snapshot
        self._db.connections.release(self._pooled)  # rolled back there (or closed)

    def execute(self, sql: str, params: Sequence[object] = ()) -> Result:
        """Run one statement with positional bind values.

        Raises:
            OracleError: for every failure, with Oracle's number and text.
        """
        self._gate.enter()
        try:
            self._drain()
            return self._execute(self._statement(sql), params)
        finally:
            self._gate.leave()

    def executemany(self, sql: str, rows: Sequence[Sequence[object]], *, batch_errors: bool = False) -> Result:
        """Run one statement once per row of bind values.

        With ``batch_errors`` a failing row is skipped (its statement rolled back, its count 0), its error kept in
        ``Result.batch_errors``, as Oracle's array DML does; only a cancel stops it. ``lastrowid``: the last run's.

        Raises:
            OracleError: at the first failing row; ``rowcount`` counts the rows done (their changes stay).
        """
        with self._gate.call():
            self._drain()
            statement = self._statement(sql)
            return run_rows(lambda params: self._execute(statement, params), rows, batch_errors)

    def commit(self) -> None:
        """Commit the transaction."""
        with self._gate.call():
            self._drain()
            self._end("COMMIT")

    def rollback(self) -> None:
        """Roll the transaction back."""
        with self._gate.call():
            self._drain()
            self._end("ROLLBACK")

    def tpc(self, operation: Callable[[BranchLink], _T]) -> _T:
        """Run a two-phase commit operation (``tpc``) on the session's branch link, as a call."""
        with self._gate.call():
            self._drain()
            return operation(self.branch)

    # --------------------------------------------------------- statements

    def _execute(self, statement: Statement, params: Sequence[object]) -> Result:
        kind, verb, sql = statement.kind, statement.verb, statement.sql
        if kind == "query":  # CURSOR expressions: ``cursor_expressions``
            result, nesting = self._query(statement, params), statement.nesting
            return result if nesting is None else nest(result, nesting, self.open_query, self._gate.call)
        if kind == "dml":
            if verb == "MERGE":
                return self._merge(sql, params)
            return self._dml(statement, params, verb)
        if kind == "plsql":
            return Result(None, 0, out_binds=run_plsql(sql, statement.tokens, self.chunks.unwrap(params), self).binds)
        if kind == "ddl":
            self._ddl(sql, verb)
        else:
            self._command(kind, statement.tokens)
        return Result(None, 0)

    def _statement(self, sql: str) -> Statement:
        """``sql`` lexed, classified and rewritten, from the database's cache (via the session's)."""
        return self._statements.get(sql, self._schemas())

    def _schemas(self) -> frozenset[str]:
        """Schema prefixes to drop: the session's, and every user's (one namespace for all)."""
        key = (self.info.username, self.info.current_schema)
        if key != self._schema_key:
            own = frozenset(filter(None, (key[0].upper(), key[1].upper())))
            self._schema_key, self._schema_set = key, own | (self._db.users or frozenset())
        return self._schema_set

    def _binds(self, count: int, params: Sequence[object], into: frozenset[int] = frozenset()) -> list[object]:
        if len(params) != count:
            raise OracleError(1008 if len(params) < count else 1036)
        return self.chunks.binds(params, into, encode)  # into: the binds stored as a LOB column's value

    def _query(self, statement: Statement, params: Sequence[object]) -> Result:
        plan, generation, conn = statement.plan, self._db.generation, self._link.conn
        assert plan is not None
        binds = self._binds(plan.binds, params)
        _, not_null, lobs = self._not_nulls.statement(conn, plan.sql, generation)
        plan = self.chunks.plan(plan, lobs) if lobs else plan  # only LOB columns need their chunks
        if plan.for_update:
            self._begin()
            self._dirty = True
        elif self.info.transaction.serializable and not self._link.in_transaction:
            self._link.snapshot()  # the query takes the transaction's snapshot
        if statement.views or statement.dictionary:
            self._refresh(statement)
        declared = self._link.declared_types(plan.sql, generation)
        located = with_rowid(plan.sql) if plan.for_update else None
        cursor = self._link.execute(located[0] if located else plan.sql, binds)
        first = self._link.fetch(cursor, _PEEK)
        description = cursor.description[:-1] if located else cursor.description
        shape = statement.shape_of(description, declared, first, not_null, params)
        # fewer rows than asked for: SQLite is done with the cursor, nothing is left to drain
        pull = self._puller(cursor) if len(first) == _PEEK else None
        result = Result(shape.columns, 0, rows=first, pull=pull, convert=shape.convert)
        if located:
            result.lob_origin = (located[1], lobs)
        if pull is not None:
            self._results.add(result)
            self._held = True
        return result

    def _puller(self, cursor: sqlite3.Cursor) -> Callable[[int], list[tuple[object, ...]]]:
        def pull(count: int) -> list[tuple[object, ...]]:
            with self._gate.call():
                return self._link.fetch(cursor, count)
        return pull

    def _dml(self, statement: Statement, params: Sequence[object], verb: str) -> Result:
        plan = statement.plan
        assert plan is not None
        self._refresh(statement)
        began, touched = self._begin(), verb != "INSERT" and not plan.returning  # rowids wanted
        try:  # long LOB binds are stored (by chunk) in the transaction
            columns, lobs = self._not_nulls.target(self._link.conn, plan.target, self._db.generation)  # its LOBs
            binds = self._binds(plan.binds, params, lob_binds(plan.sql, columns, lobs) if lobs else frozenset())
            plan = self.chunks.plan(plan, self._not_nulls.lobs(self._link.conn, plan.sql, self._db.generation), verb)
            sql = plan.sql + " RETURNING rowid" if touched else plan.sql
            cursor = self._link.execute(sql, binds, verb, plan.target)
            returned = self._link.run(cursor.fetchall, verb, plan.target) if plan.returning or touched else None
        except OracleError:
            if began:
                self._link.abandon()
            raise
        count = len(returned) if returned is not None else max(cursor.rowcount, 0)
        if began and not count:
            self._link.abandon()  # no change: release the write lock
        else:
            self._dirty = True
            if count:
                self._link.note(sql, binds, verb=verb, table=plan.target)
        if returned is None or touched:  # lastrowid: the last row changed (Oracle: "touched")
            result = Result(None, count)
            last = cursor.lastrowid if returned is None else returned[-1][0] if returned else None
            result.lastrowid = rowid_text(plan.target, last) if count else None
            return result
        return Result(None, count, returned=[returned_rows(returned, plan.sql, lobs)])

    def _merge(self, sql: str, params: Sequence[object]) -> Result:
        """MERGE as its statements (``merge``), all or none of them done."""
        steps = merge_steps(sql)
        self._binds(1 + max((i for step in steps for i in step.binds), default=-1), params)
        began, count = self._begin(), 0
        self._link.change("SAVEPOINT ORA_MERGE")
        try:
            for step in steps:
                values = [params[i] for i in step.binds]
                if step.kind == "check":
                    unstable_match(self._query(self._statement(step.sql), values))
                else:
                    count += self._dml(self._statement(step.sql), values, step.kind).rowcount
        except OracleError:
            self._link.change("ROLLBACK TO ORA_MERGE")
            raise
        finally:
            self._link.change("RELEASE ORA_MERGE")
            if began and not count:
                self._link.abandon()
        self._dirty = self._dirty or count > 0
        return Result(None, count)

    def _ddl(self, sql: str, verb: str) -> None:
        translated, self.chunks.touched = ddl(sql, self._schemas()), True  # a dropped table may have held LOBs
        self._end("COMMIT")  # Oracle commits before DDL, even a failing one
        self._begin()
        try:
            for statement in translated.statements:
                self._link.execute(statement, verb=verb)
            self._link.run(lambda: self._db.persist(self._link.conn, translated))
            self._link.run(lambda: self._dictionary.record(sql))
            self._end("COMMIT")
        finally:
            self._link.abandon()
            self._db.generation += 1
        self._db.applied(translated, self._link.conn)

    def _command(self, kind: str, tokens: tuple[Token, ...]) -> None:
        if kind == "commit":
            self._end("COMMIT")
        elif kind == "rollback" and any(t.is_word("TO") for t in tokens):
            self._link.change("ROLLBACK TO SAVEPOINT " + savepoint_name(tokens))
        elif kind == "rollback":
            self._end("ROLLBACK")
        elif kind in ("savepoint", "lock"):
            self._begin()
            self._dirty = True
            if kind == "savepoint":
                self._link.change("SAVEPOINT " + savepoint_name(tokens))
        elif kind == "session":
            alter_session(tokens, self.info, self._db.user_exists, self._db.editions.check)
        elif kind == "system":
            alter_system(tokens, self)

    def _begin(self) -> bool:
        if self._link.in_transaction and not self._dirty:  # a serializable snapshot
            self._link.upgrade(self._db.lock_timeout)
            return False
        return self._link.begin(self._db.lock_timeout)

    def _end(self, verb: str) -> None:
        if verb == "COMMIT" and self.branch.attached is not None:
            raise OracleError(_COMMIT_IN_BRANCH)  # DDL too: a branch ends by tpc_commit only
        self.chunks.end(verb)  # the transaction's end, the chunks no row holds deleted first
        self._dirty = False
        self.info.transaction.end()

    def _drain(self) -> None:
        """Read the rows open results still hold, so their cursors end."""
        if self._held:  # not a WeakSet's len at every call
            drain_all(self._results)
            self._results, self._held = weakref.WeakSet(), False

    def _refresh(self, statement: Statement) -> None:
        """Create and fill the V$, NLS and dictionary views the statement reads."""
        refresh_views(self._link, statement.views, self.info, self._db.sessions)
        if statement.dictionary:
            sql = statement.plan.sql if statement.plan is not None else statement.sql
            self._link.run(lambda: self._dictionary.refresh(sql))

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

    def open_query(self, sql: str, params: Sequence[object]) -> Result:
        """A statement a PL/SQL block runs; a query's result is left open (OPEN ... FOR)."""
        return self._execute(self._statement(sql), params)

    def nested(self, sql: str, params: Sequence[object], limit: int) -> list[tuple[object, ...]]:
        """A query a PL/SQL block runs: its first ``limit`` rows (a DML's RETURNING rows)."""
        result = self.open_query(sql, params)
        try:
            return result.fetch(limit) if result.columns is not None else list(next(iter(result.returned), ()))
        finally:
            result.close()

    def write_lob(self, table: str, column: str, rowid: int, data: str | bytes) -> None:
        """Store a LOB changed through a locator of a row read FOR UPDATE."""
        with self._gate.call():
            self._begin()
            self._dirty = True
            self._link.change(f'UPDATE "{table}" SET "{column}" = ? WHERE rowid = ?',
                              (self.chunks.column_value(data), rowid), work=True, verb="UPDATE", table=table)

    def sleep(self, seconds: float) -> None:
        """DBMS_SESSION.SLEEP: an Event wait, so ``cancel()`` ends it."""
        with waiting():
            if self._link.cancelled.wait(max(seconds, 0.0)):
                raise OracleError(1013)

    def kill(self, sid: int, serial: int) -> bool:
        """ALTER SYSTEM KILL SESSION."""
        return call_hook(lambda: self._db.kill(sid, serial), "KILL SESSION")
