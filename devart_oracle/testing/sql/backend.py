"""A session's SQLite connection: error translation, the write lock, describes.

Every call into SQLite goes through ``run``, which turns SQLite's failures
into ORA errors: an error a registered function parked in ``pending`` wins
(SQLite only says "user-defined function raised exception"), then a cancel
(ORA-01013), then ``translate``. A statement that fails may have rolled
back more than itself (SQLite does that for an interrupted change, or for
I/O errors); ``in_transaction`` always asks SQLite, so the session's view
of its transaction stays true.

The write lock is taken with ``BEGIN IMMEDIATE`` in a loop of short SQLite
busy waits, so that a cancel can end the wait and ``lock_timeout`` bounds
it. Every statement, and the session's setup script, is retried the same
way while SQLite says "database is locked" (SQLITE_BUSY, which even a read
meets in WAL mode while another connection checkpoints or recovers the
log): a statement that failed so did nothing, and past ``lock_timeout`` it
is ORA-00054, never SQLite's error. The declared types of a query's
columns come from a temporary view of the query and ``PRAGMA table_info``
(SQLite's Python module does not expose ``sqlite3_column_decltype``); they
are cached until the next DDL.

The connection keeps a journal of the changes of its open transaction (the
SQLite text and values of each statement that changed something, and of the
savepoints around them): two-phase commit (``tpc``) sets a branch's work
aside with it and applies it again.
"""

from __future__ import annotations

import functools
import sqlite3
import threading
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from .columns import CONSTRAINTS, SEQUENCES
from .errors import ErrorContext, OracleError, translate
from .lexer import tokenize
from .waits import waiting

__all__ = ["Change", "SqliteConnection", "retry_while_busy"]

_T = TypeVar("_T")
_DESCRIBE = 'temp."DEVART$DESCRIBE"'
_WRITE = f"UPDATE {SEQUENCES} SET NAME = NAME WHERE 0"  # changes nothing, takes the write lock
_BUSY_SNAPSHOT = 517  # SQLITE_BUSY_SNAPSHOT: the file changed since the read snapshot
_BUSY = "database is locked"  # SQLITE_BUSY; "database table is locked" (SQLITE_LOCKED) is not
_NO_FUNCTION = "no such function: "
_FAILURES = (sqlite3.Error, OverflowError, ValueError)  # what run() turns into ORA errors
_PAUSE = 0.005  # between attempts, for the busy results SQLite gives without waiting


@dataclass(frozen=True, slots=True)
class Change:
    """One statement of a transaction's journal; ``work`` unless it is a savepoint.

    ``verb`` and ``table`` are what its errors are reported with (``translate``).
    """

    sql: str
    params: tuple[object, ...]
    work: bool = True
    verb: str = "SELECT"
    table: str = ""


def retry_while_busy(work: Callable[[], _T], timeout: float,
                     cancelled: threading.Event | None = None) -> _T:
    """Run ``work`` again while SQLite says the database is locked (busy).

    Each attempt already waits SQLite's own short busy timeout; the loop
    lets a cancel end the wait and bounds it by ``timeout`` seconds.
    "database table is locked" (SQLITE_LOCKED) is not retried: waiting
    cannot end it.

    Raises:
        OracleError: ORA-00054 after ``timeout``, ORA-01013 once ``cancelled``.
        sqlite3.Error: any other failure of ``work``.
    """
    deadline = time.monotonic() + timeout
    stop = cancelled if cancelled is not None else threading.Event()
    while True:
        try:
            return work()
        except sqlite3.OperationalError as exc:
            if not str(exc).startswith(_BUSY):
                raise
            if time.monotonic() >= deadline:
                raise OracleError(54) from None
        with waiting():  # the session that holds the lock may need the turn to let it go
            if stop.wait(_PAUSE):
                raise OracleError(1013)


class SqliteConnection:
    """One SQLite connection with Oracle's error reporting.

    Attributes:
        conn: the SQLite connection (explicit transactions).
        cancelled: set by ``interrupt()``; waits and sleeps watch it.
        pending: an ORA error a SQL function raised, until it is reported.
        journal: the changes of the open transaction (``change``, ``note``).
    """

    def __init__(self, conn: sqlite3.Connection, schema: Callable[[], str],
                 lock_timeout: float = 5.0, resolve: Callable[[str], bool] = lambda name: False) -> None:
        self.conn = conn
        self.resolve = resolve  # a function SQLite does not know: True once it registered one
        self.lock_timeout = lock_timeout
        self.cancelled = threading.Event()
        self.pending: OracleError | None = None
        self._schema = schema
        self._described: dict[str, tuple[int, list[str] | None]] = {}
        self.journal: list[Change] = []

    @property
    def in_transaction(self) -> bool:
        """True while SQLite holds a transaction open."""
        return self.conn.in_transaction

    def run(self, work: Callable[[], _T], verb: str = "SELECT", table: str = "") -> _T:
        """Run ``work`` against SQLite, turning its failures into ORA errors."""
        try:
            return work()
        except _FAILURES as exc:
            raise self.translate(exc, verb, table) from None

    def execute(self, sql: str, params: Sequence[object] = (), verb: str = "SELECT",
                table: str = "") -> sqlite3.Cursor:
        """``conn.execute`` through ``run``, retried while the database is busy.

        The first attempt is made here directly (most statements need no
        other); only a busy database goes on to ``retry``'s loop.
        """
        try:
            return self.conn.execute(sql, params)
        except sqlite3.OperationalError as exc:
            text = str(exc)
            if text.startswith(_NO_FUNCTION) and self.resolve(text[len(_NO_FUNCTION):]):
                return self.execute(sql, params, verb, table)  # a stored function, registered now
            if not text.startswith(_BUSY):
                raise self.translate(exc, verb, table) from None
        except _FAILURES as exc:
            raise self.translate(exc, verb, table) from None
        return self.run(lambda: self.retry(lambda: self.conn.execute(sql, params)), verb, table)

    def change(self, sql: str, params: Sequence[object] = (), *, work: bool = False,
               verb: str = "SELECT", table: str = "") -> sqlite3.Cursor:
        """``execute`` a statement that belongs to the transaction's journal (a savepoint by default)."""
        cursor = self.execute(sql, params, verb, table)
        self.note(sql, params, work=work, verb=verb, table=table)
        return cursor

    def note(self, sql: str, params: Sequence[object], *, work: bool = True,
             verb: str = "SELECT", table: str = "") -> None:
        """Add a statement that has just changed something to the journal."""
        self.journal.append(Change(sql, tuple(params), work, verb, table))

    def changes(self) -> list[Change]:
        """The open transaction's journal (none once SQLite ended it, even by itself)."""
        return self.journal if self.conn.in_transaction else []

    def fetch(self, cursor: sqlite3.Cursor, count: int) -> list[tuple[object, ...]]:
        """``cursor.fetchmany(count)`` with ``run``'s error reporting (spelled out: every query fetches)."""
        try:
            return cursor.fetchmany(count)
        except _FAILURES as exc:
            raise self.translate(exc, "SELECT") from None

    def script(self, sql: str) -> None:
        """Run a script of statements as one transaction, retried while the database is busy.

        Raises:
            OracleError: ORA-00054 once ``lock_timeout`` passed, or the
                script's own failure.
        """
        def attempt() -> None:
            try:
                self.conn.executescript(f"BEGIN;\n{sql}\nCOMMIT;")
            except sqlite3.Error:
                self.abandon()  # a script that failed half way leaves nothing behind
                raise
        self.run(lambda: self.retry(attempt), "CREATE")

    def retry(self, work: Callable[[], _T]) -> _T:
        """Run ``work`` again while the database is busy, up to ``lock_timeout``.

        Raises:
            OracleError: ORA-00054 after ``lock_timeout``, ORA-01013 on a cancel.
        """
        return retry_while_busy(work, self.lock_timeout, self.cancelled)

    def translate(self, exc: BaseException, verb: str, table: str = "") -> OracleError:
        """The ORA error to report for a SQLite failure."""
        error, self.pending = self.pending, None
        if error is not None:
            return error
        if self.cancelled.is_set():
            return OracleError(1013)
        return translate(exc, ErrorContext(self._schema(), verb, self.constraint_name, table))

    def interrupt(self) -> None:
        """Cancel what runs now; thread-safe."""
        self.cancelled.set()
        self.conn.interrupt()

    # ------------------------------------------------------- transactions

    def begin(self, lock_timeout: float) -> bool:
        """Start a transaction holding the write lock; False if one is open.

        Raises:
            OracleError: ORA-00054 after ``lock_timeout`` seconds,
                ORA-01013 when cancelled while waiting.
        """
        if self.conn.in_transaction:
            return False
        self.journal = []
        self._locking("BEGIN IMMEDIATE", lock_timeout)
        return True

    def snapshot(self) -> None:
        """Start a read transaction: a serializable transaction's snapshot."""
        self.journal = []
        self.execute("BEGIN")

    def upgrade(self, lock_timeout: float) -> None:
        """Take the write lock inside the open read transaction (a serializable snapshot).

        Raises:
            OracleError: ORA-08177 if another session committed since the
                snapshot, else as ``begin``.
        """
        self._locking(_WRITE, lock_timeout)

    def _locking(self, statement: str, lock_timeout: float) -> None:
        """Run a statement that takes the write lock, waiting out another writer."""
        try:
            retry_while_busy(lambda: self._write(statement), lock_timeout, self.cancelled)
        except sqlite3.Error as exc:
            raise self.translate(exc, "BEGIN") from None

    def _write(self, statement: str) -> None:
        try:
            self.conn.execute(statement)
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode == _BUSY_SNAPSHOT:  # "locked" too, but waiting cannot help
                raise OracleError(8177) from None
            raise

    def end(self, verb: str) -> None:
        """COMMIT or ROLLBACK, if a transaction is open."""
        if self.conn.in_transaction:
            self.execute(verb, verb=verb)
        self.journal = []

    def abandon(self) -> None:
        """Roll back whatever is open, reporting nothing."""
        self.journal = []
        try:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass

    # ------------------------------------------------------------ catalog

    def declared_types(self, sql: str, generation: int) -> list[str] | None:
        """The declared types of a rewritten query's columns ('' for an expression)."""
        cached = self._described.get(sql)
        if cached is not None and cached[0] == generation:
            return cached[1]
        types: list[str] | None = None
        try:
            self.retry(lambda: self.conn.execute(f"CREATE TEMP VIEW {_DESCRIBE} AS {_describe_sql(sql)}"))
            pragma = 'PRAGMA temp.table_info("DEVART$DESCRIBE")'
            types = [row[2] for row in self.conn.execute(pragma)]
        except sqlite3.Error as exc:
            if str(exc).startswith(_BUSY):
                return None  # types come from values this time; not cached
            # otherwise the query itself reports the problem, or types come from values
        finally:
            self.execute(f"DROP VIEW IF EXISTS {_DESCRIBE}")
        self._described[sql] = (generation, types)
        return types

    def constraint_name(self, table: str, columns: tuple[str, ...]) -> str:
        """A constraint's recorded name, else a stable SYS_Cnnnnnnn."""
        row = self.conn.execute(
            f"SELECT NAME FROM {CONSTRAINTS} WHERE TABLE_NAME = ? AND COLUMNS = ?",
            (table, ",".join(columns))).fetchone()
        if row is not None:
            return str(row[0])
        return f"SYS_C{zlib.crc32(repr((table, columns)).encode()) % 10**7:07d}"

    def create_temp(self, name: str, create: str) -> bool:
        """Create a temporary table unless it exists; True if it was created.

        Asked of SQLite each time: a rollback undoes a creation in its transaction.
        """
        query = "SELECT 1 FROM temp.sqlite_master WHERE type = 'table' AND name = ?"
        if self.execute(query, (name,)).fetchone() is not None:
            return False
        self.execute(create)
        return True

    def fill(self, table: str, insert: str, rows: Sequence[Sequence[object]]) -> None:
        """Replace the rows of one of this connection's temporary tables."""
        self.conn.execute(f"DELETE FROM {table}")
        self.conn.executemany(insert, rows)


@functools.lru_cache(maxsize=1024)
def _describe_sql(sql: str) -> str:
    """A rewritten query with NULL for every bind, as a view can hold it."""
    tokens = tokenize(sql)
    out: list[str] = []
    for i, token in enumerate(tokens):
        if token.kind == "number" and i and tokens[i - 1].text == "?":
            out[-1] = "NULL"
        else:
            out.append(token.text)
    return "".join(out)
