"""The SQL calls: EXECUTE, RE-EXECUTE (and fetch), FETCH.

A query's response is DESCRIBE_INFO (on a full execute, or whenever the
columns changed), a ROW_HEADER and ROW_DATA per row for the rows the client
asked to prefetch, then the end-of-call ERROR message with the cursor id,
the rows sent so far and 0 ("more to come") or 1403 ("no more rows"). DML
and DDL answer with the end-of-call message alone, carrying the row count;
``executemany`` sends all its rows in one call, and with
``arraydmlrowcounts`` a PARAMETER message with the count per row precedes it.
With batch errors the failing rows are skipped and listed in the end-of-call
message, whose error is then ORA-24381 (which the client does not raise).
DML with ``RETURNING ... INTO`` sends, before that, one ROW_DATA per
execution holding each target's values for the rows it changed.
DML cursors are closed after each execute and reported as cursor 0, so the
client never re-executes DML (see ``_respond``).

A query re-executed and fetched by cursor id with plain binds and columns,
the hot call of every test suite, takes a shorter way (``_replay``).

Only the statements the client itself classified as queries get rows:
the client decodes row data differently for other statements, so a backend
result with columns for a non-query is closed instead of sent.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, ParamSpec, Protocol, TypeVar

from ._cursor import Cursor, CursorTable, refuse_reserved_binds
from ._lobs import chunk_source
from ._refs import write_implicit_results
from ._tpc import run_tpc
from .sql.errors import OracleError
from .sql.instance import sql_id
from .sql.lexer import bind_names, returning_binds, tokenize
from .wire.codec import Writer
from .wire.lob import LobStore
from .wire.lob_ops import read_lob_op, run_lob_op
from .wire.oraerror import WireError, ora_error
from .wire.requests import (
    EXEC_BATCH_ERRORS,
    EXEC_COMMIT,
    EXEC_DESCRIBE,
    EXEC_EXECUTE,
    EXEC_FETCH,
    EXEC_FLAGS_DML_ROWCOUNTS,
    EXEC_FLAGS_SCROLLABLE,
    REEXEC_COMMIT,
    ExecuteCall,
    read_bind_rows,
    read_execute,
    read_fetch,
    read_plain_row,
    read_reexecute,
)
from .wire.responses import dml_row_counts, end_of_call, session_sync
from .wire.tpc import FUNC_TPC_CHANGE_STATE, FUNC_TPC_SWITCH
from .wire.types import decode_bind, rowid_bytes

if TYPE_CHECKING:
    from .sql import Result, SessionInfo, SqlSession
    from .wire.reader import MessageReader

__all__ = ["CallRunner", "CallSession"]

T = TypeVar("T")
P = ParamSpec("P")

_EXECUTE, _REEXECUTE, _REEXECUTE_FETCH, _FETCH, _LOB_OP = 94, 4, 78, 5, 96
_CANCELLED = 1013
_ARRAY_DML_ERRORS = 24381
_NO_ROWID = b"\x00" * 5


class CallSession(Protocol):
    """What the SQL calls need from the session that received them."""

    @property
    def reader(self) -> MessageReader: ...

    @property
    def sql(self) -> SqlSession | None: ...

    @property
    def interrupted(self) -> bool: ...

    @property
    def killed(self) -> bool: ...

    @property
    def info(self) -> SessionInfo | None: ...

    def busy(self, call: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T: ...

    def call_status(self) -> int: ...


class CallRunner:
    """Runs a session's SQL calls against its backend session."""

    def __init__(self, session: CallSession) -> None:
        self.session = session
        self.lobs = LobStore(lambda: chunk_source(session.sql))  # the LOB values the client holds locators of
        self.cursors = CursorTable(self.lobs)
        self._batch: list[tuple[int, int, str]] = []  # the running call's batch errors
        self._rowid = _NO_ROWID  # the running call's last inserted row

    def run(self, function: int, w: Writer) -> bool:
        """Handle one call; False when the call was cancelled (no reply yet).

        Raises:
            WireError: ORA-03115 for a function the server does not offer.
        """
        if function == _EXECUTE:
            return self._execute(w)
        if function in (_REEXECUTE, _REEXECUTE_FETCH):
            return self._reexecute(w, function)
        if function == _FETCH:
            return self._fetch(w)
        if function == _LOB_OP:
            return self._lob_op(w)
        if function in (FUNC_TPC_SWITCH, FUNC_TPC_CHANGE_STATE):
            return run_tpc(self.session, function, w)  # two-phase commit (``_tpc``)
        raise WireError(3115, f"function {function}")

    def _execute(self, w: Writer) -> bool:
        return self.execute(read_execute(self.session.reader, self._returning), w)

    def execute(self, call: ExecuteCall, w: Writer) -> bool:
        """Run an EXECUTE whose body has been read; False when it was cancelled."""
        if call.sql is not None:
            refuse_reserved_binds(call.sql)
        cursor = self.cursors.parse(call.cursor_id, call.sql)
        self._count(parses=call.sql is not None, executes=bool(call.options & EXEC_EXECUTE))
        if not call.defines:  # a define call sends no binds: the cursor keeps its own
            cursor.binds = call.binds
        cursor.plsql = call.is_plsql
        cursor.query = call.is_query
        if call.defines:
            cursor.defines = [spec.ora_type for spec in call.defines]
        options = call.options
        if call.exec_flags & EXEC_FLAGS_SCROLLABLE and call.is_query:
            return self._respond(w, cursor, lambda body: self._scroll(body, cursor, call))
        if call.sql is None and options & EXEC_FETCH and not options & EXEC_EXECUTE:
            # the first fetch from a REF CURSOR the server opened: its rows, as a FETCH sends them
            cursor.query = True
            return self._respond(w, cursor, lambda body: (cursor.fetch(body, call.prefetch),
                                                          cursor.rows_sent))
        if not options & EXEC_EXECUTE and call.defines and cursor.result is not None:
            # a LOB query's define (its re-send): the first rows, as many as al8i4[1] asks
            count = call.al8i4[1]
            return self._respond(w, cursor, lambda body: (cursor.fetch(body, count), cursor.rows_sent))
        if not options & EXEC_EXECUTE:
            # Only a query's cursor is kept: the client would re-execute a kept DML
            # cursor by id, and DML cursors are closed after each execute (below).
            return self._respond(w, cursor, lambda body: self._describe_only(body, cursor, options),
                                 keep=call.is_query)
        fetch = call.prefetch if options & EXEC_FETCH else 0
        row_counts = bool(call.exec_flags & EXEC_FLAGS_DML_ROWCOUNTS)
        batch = bool(options & EXEC_BATCH_ERRORS) and not call.is_query
        rows = call.rows or [[] for _ in range(call.executions)]  # executemany() without binds
        return self._respond(w, cursor, lambda body: self._run(
            body, cursor, rows, fetch=fetch, commit=bool(options & EXEC_COMMIT),
            row_counts=row_counts, describe=True, batch=batch), row_counts=row_counts,
            keep=call.is_query or call.is_plsql)

    def _scroll(self, body: Writer, cursor: Cursor, call: ExecuteCall) -> tuple[int, int]:
        """A scrollable query: an execute (which reads it whole) or a scroll, then rows from the row asked."""
        if call.options & EXEC_EXECUTE or cursor.scrolled is None:
            cursor.scrolled = None
            self._run(body, cursor, call.rows, fetch=0, commit=False, row_counts=False, describe=True)
        count = call.prefetch if call.options & EXEC_FETCH else 0
        return cursor.scroll(body, *call.fetch_at, count)

    def _reexecute(self, w: Writer, function: int) -> bool:
        call = read_reexecute(self.session.reader)
        cursor = self.cursors.get(call.cursor_id)
        if self.session.info is not None:
            self.session.info.stats.executes += 1  # ``_count``, spelled out: the hot call
        if function == _REEXECUTE_FETCH and not call.options2 and cursor.replayable():
            return self._replay(w, cursor, read_plain_row(self.session.reader, cursor.binds), call.iterations)
        count = 1 if function == _REEXECUTE_FETCH else max(call.iterations, 1)
        rows = (read_bind_rows(self.session.reader, cursor.binds, count, cursor.plsql) if cursor.binds
                else [] if cursor.query else [[] for _ in range(count)])  # a query's count is rows
        fetch = call.iterations if function == _REEXECUTE_FETCH else 0
        commit = bool(call.options2 & REEXEC_COMMIT)
        return self._respond(w, cursor, lambda body: self._run(
            body, cursor, rows, fetch=fetch, commit=commit, row_counts=False, describe=False))

    def _replay(self, w: Writer, cursor: Cursor, raw: list[bytes | None], count: int) -> bool:
        """A query re-executed and fetched, its binds and last columns plain (``Cursor.replayable``).

        ``_respond`` running ``_run`` less what such a call cannot need (RETURNING, OUT binds, row
        counts, batch errors, a commit, a row id): the same reply, status, counts and errors.
        """
        mark = len(w.buf)
        session = self.session
        info = session.info
        synced = () if info is None else info.synced()
        try:
            error, rowcount = self._watched(info, cursor, self._requery, w, cursor, raw, count)
        except Exception as exc:
            return self._failed(w, mark, exc, cursor, cursor.id, row_counts=False)
        if info is not None and info.synced() != synced:
            session_sync(w, synced, info.synced())
        end_of_call(w, session.call_status(), cursor_id=cursor.id, rowcount=rowcount, error=error, query=True)
        return True

    def _requery(self, body: Writer, cursor: Cursor, raw: list[bytes | None],
                 count: int) -> tuple[int, int]:
        """``_replay``'s work: decode the binds, run the query, write its first ``count`` rows."""
        sql = self.session.sql
        assert sql is not None
        result = sql.execute(cursor.sql, [decode_bind(spec.ora_type, spec.csfrm, value)
                                          for spec, value in zip(cursor.binds, raw)])
        if sql.implicit:  # a function the query calls returned results (DBMS_SQL.RETURN_RESULT)
            write_implicit_results(body, self.cursors, sql.implicit)
            sql.implicit.clear()
        return self._outcome(body, cursor, result, count, row_counts=False, describe=False)

    def _count(self, *, parses: bool, executes: bool) -> None:
        info = self.session.info
        if info is not None:
            info.stats.parses += parses
            info.stats.executes += executes

    def _returning(self, call: ExecuteCall) -> int:
        """How many of an EXECUTE's binds are RETURNING INTO targets (the client's rule)."""
        sql = call.sql if call.sql is not None else self.cursors.sql(call.cursor_id)
        if call.is_plsql or not sql:
            return 0
        try:
            return returning_binds(tokenize(sql))
        except OracleError:
            return 0  # SQL the backend will refuse anyway

    def _lob_op(self, w: Writer) -> bool:
        """A LOB operation: it works on the session's LOB values only, never on SQL."""
        op = read_lob_op(self.session.reader)
        mark = len(w.buf)  # written in place: a read's data is the whole reply
        try:
            changed = run_lob_op(self.lobs, op, w)
            sql = self.session.sql
            if changed is not None and changed.origin is not None and sql is not None:
                sql.write_lob(*changed.origin, changed.data)  # a LOB of a row read FOR UPDATE
        except Exception as exc:
            del w.buf[mark:]
            code, text = ora_error(exc)
            end_of_call(w, self.session.call_status(), error=code, text=text)
            return True
        end_of_call(w, self.session.call_status())
        return True

    def _fetch(self, w: Writer) -> bool:
        call = read_fetch(self.session.reader)
        cursor = self.cursors.get(call.cursor_id)
        return self._respond(w, cursor, lambda body: (cursor.fetch(body, call.rows), cursor.rows_sent))

    def _respond(self, w: Writer, cursor: Cursor, work: Callable[[Writer], tuple[int, int]],
                 *, row_counts: bool = False, keep: bool = True) -> bool:
        """Run ``work(body) -> (error, rowcount)`` as a busy call and reply.

        A call that asked for DML row counts gets them even when it fails
        (the rows done before the error). A cursor not to ``keep`` is closed
        and reported as id 0, so the client sends the statement's next
        execute in full: DML cursors are not kept, because a re-execute does
        not repeat whether row counts are wanted, and the client would keep
        the previous call's counts if they did not come.
        """
        session = self.session
        mark = len(w.buf)  # the work writes in place; a failure takes its part out again
        cursor_id = cursor.id if keep else 0
        if not keep:
            self.cursors.close([cursor.id])
        self._batch, self._rowid = [], _NO_ROWID
        info = session.info
        synced = () if info is None else info.synced()
        try:
            error, rowcount = self._watched(info, cursor, work, w)
        except Exception as exc:
            return self._failed(w, mark, exc, cursor, cursor_id, row_counts=row_counts)
        if info is not None and info.synced() != synced:
            session_sync(w, synced, info.synced())
        text = WireError(error).text if error == _ARRAY_DML_ERRORS else ""
        end_of_call(w, session.call_status(), cursor_id=cursor_id, rowcount=rowcount, error=error,
                    text=text, batch=self._batch, query=cursor.query, rowid=self._rowid)
        return True

    def _failed(self, w: Writer, mark: int, exc: Exception, cursor: Cursor, cursor_id: int, *,
                row_counts: bool) -> bool:
        """Replace what a failed call wrote after ``mark`` with its ORA error; False when it was cancelled."""
        del w.buf[mark:]
        session = self.session
        if session.killed:
            raise exc  # the session answers ORA-00028 and ends
        code, text = ora_error(exc)
        if code == _CANCELLED and session.interrupted:
            return False
        if row_counts:
            dml_row_counts(w, getattr(exc, "row_counts", []))
        done = getattr(exc, "rowcount", 0)  # executemany: rows done before the error
        end_of_call(w, session.call_status(), cursor_id=cursor_id, rowcount=done, error=code,
                    text=text, query=cursor.query)
        return True

    def _watched(self, info: SessionInfo | None, cursor: Cursor,
                 work: Callable[P, tuple[int, int]], *args: P.args, **kwargs: P.kwargs) -> tuple[int, int]:
        """``work(*args)`` as a busy call, with V$SESSION's SQL_ID set to its statement's; counts open cursors."""
        if info is None:
            return self.session.busy(work, *args, **kwargs)
        info.sql_id = sql_id(cursor.sql)
        try:
            return self.session.busy(work, *args, **kwargs)
        finally:
            info.prev_sql_id, info.sql_id = info.sql_id, None
            info.stats.open_cursors = len(self.cursors)

    def _run(self, body: Writer, cursor: Cursor, rows: list[list[object]], *, fetch: int,
             commit: bool, row_counts: bool, describe: bool, batch: bool = False) -> tuple[int, int]:
        sql = self.session.sql
        assert sql is not None
        params = cursor.params(rows)
        returning = [] if cursor.query or cursor.plsql else cursor.returning()  # bad types fail first
        later: list[Result] = []
        sql.implicit.clear()
        if cursor.plsql and len(params) > 1 and not batch:
            result, later = _blocks(sql, cursor.sql, params)
        elif len(params) > 1 or batch:
            result = sql.executemany(cursor.sql, params or [()], batch_errors=batch)
        else:
            result = sql.execute(cursor.sql, params[0] if params else ())
        if returning:
            Cursor.write_returned(body, returning, result.returned)
        if result.out_binds:
            cursor.write_out_binds(body, result.out_binds, [done.out_binds or () for done in later])
        if sql.implicit:
            write_implicit_results(body, self.cursors, sql.implicit)
            sql.implicit.clear()
        error, rowcount = self._outcome(body, cursor, result, fetch, row_counts, describe)
        if commit:
            sql.commit()
        self._batch = [(offset, *ora_error(exc)) for offset, exc in result.batch_errors] if result.batch_errors else []
        if result.lastrowid is not None:
            self._rowid = rowid_bytes(result.lastrowid)
        return (_ARRAY_DML_ERRORS if self._batch else error), rowcount

    def _outcome(self, body: Writer, cursor: Cursor, result: Result, fetch: int,
                 row_counts: bool, describe: bool) -> tuple[int, int]:
        if result.columns is None or not cursor.query:
            cursor.result = None
            if row_counts:
                dml_row_counts(body, _counts(result))
            return 0, result.rowcount if result.columns is None else 0
        if cursor.open_result(result) or describe:
            cursor.describe(body)
        error = cursor.fetch(body, fetch) if fetch and not cursor.needs_define() else 0
        return error, cursor.rows_sent

    def _describe_only(self, body: Writer, cursor: Cursor, options: int) -> tuple[int, int]:
        """A parse without execute: describe a query's columns, keep no rows.

        The backend describes by running the query; one with binds runs with
        NULL for each (the column types come from the declarations, or are
        VARCHAR2 for a bare bind), except under FOR UPDATE, which would take
        the write lock: such a query is described at its execute.
        """
        sql = self.session.sql
        if not options & EXEC_DESCRIBE or not cursor.query or sql is None:
            return 0, 0
        tokens = tokenize(cursor.sql)
        if any(t.is_word("UPDATE") for t in tokens) and any(t.is_word("FOR") for t in tokens):
            return 0, 0
        result = sql.execute(cursor.sql, [None] * len(bind_names(tokens, plsql=False)))
        cursor.open_result(result)
        cursor.describe(body)
        cursor.result = None
        return 0, 0


def _blocks(sql: SqlSession, block: str, params: list[list[object]]) -> tuple[Result, list[Result]]:
    """A PL/SQL block's executemany(): each execution's OUT binds are the client's next row.

    Raises:
        OracleError: what an execution raised, its ``rowcount`` the executions done before it.
    """
    results: list[Result] = []
    for row in params:
        try:
            results.append(sql.execute(block, row))
        except OracleError as exc:
            exc.rowcount = len(results)
            raise
    return results[0], results[1:]


def _counts(result: Result) -> Sequence[int]:
    counts = result.row_counts
    return counts if counts else [result.rowcount]

