"""SQLite's "database is locked" never reaches a client: statements wait it out.

In WAL mode even a read can meet SQLITE_BUSY (another connection checkpoints
or recovers the log), at moments no test can arrange; so these tests give the
server SQLite connections that answer "database is locked" a set number of
times, the way SQLite does, and check that sessions wait it out: their setup
at logon, queries and the describes behind them, and that past the lock
timeout the client gets ORA-00054, never SQLite's error or ORA-00600.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from typing import Any

import oracledb
import pytest

from devart_oracle.testing import OracleTestServer
from devart_oracle.testing.sql import Database, OracleError, SessionInfo


class Busy:
    """How many more statements (matching ``prefix``) fail as SQLite's busy ones do."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.left = 0
        self.prefix = ""
        self.seen = 0

    def arm(self, count: int, prefix: str) -> None:
        with self.lock:
            self.left, self.prefix, self.seen = count, prefix.upper(), 0

    def hit(self, sql: str) -> None:
        with self.lock:
            if self.left and sql.lstrip().upper().startswith(self.prefix):
                self.left -= 1
                self.seen += 1
                raise sqlite3.OperationalError("database is locked")


BUSY = Busy()


class FlakyConnection(sqlite3.Connection):
    """A SQLite connection whose statements fail while ``BUSY`` says so."""

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:  # type: ignore[override]
        BUSY.hit(sql)
        return super().execute(sql, *args)

    def executescript(self, script: str) -> sqlite3.Cursor:  # type: ignore[override]
        BUSY.hit(script.removeprefix("BEGIN;").lstrip())
        return super().executescript(script)


@pytest.fixture
def flaky(monkeypatch: pytest.MonkeyPatch) -> Iterator[Busy]:
    original = Database.connect

    def connect(self: Database) -> sqlite3.Connection:
        conn = original(self)
        conn.close()  # the real one ran its PRAGMAs; reopen the file as a flaky one
        flaky = sqlite3.connect(self.path, timeout=0.01, isolation_level=None,
                                check_same_thread=False, factory=FlakyConnection)
        flaky.execute("PRAGMA foreign_keys = ON")
        return flaky

    monkeypatch.setattr(Database, "connect", connect)
    BUSY.arm(0, "")
    yield BUSY
    BUSY.arm(0, "")


@pytest.fixture
def db(flaky: Busy) -> Iterator[Database]:
    database = Database(lock_timeout=5.0)
    yield database
    database.close()


def test_session_setup_waits_out_a_busy_database(flaky: Busy, db: Database) -> None:
    flaky.arm(3, "CREATE TEMP TABLE DUAL")
    session = db.open_session(SessionInfo(1, 1, "SCOTT"))
    assert flaky.seen == 3
    assert session.execute("select dummy from dual").fetch(1) == [("X",)]


def test_queries_and_describes_wait_out_a_busy_database(flaky: Busy, db: Database) -> None:
    session = db.open_session(SessionInfo(1, 1, "SCOTT"))
    session.execute("create table t (x number(5))")
    flaky.arm(2, "SELECT")
    assert session.execute("select x from t").fetch(1) == []
    sql = "select x, cast(x as varchar2(9)) as y from t"
    flaky.arm(2, "CREATE TEMP VIEW")
    result = session.execute(sql)
    assert flaky.seen == 2
    calm = db.open_session(SessionInfo(2, 2, "SCOTT")).execute(sql)
    assert [c.type for c in result.columns or []] == [c.type for c in calm.columns or []]


def test_past_the_lock_timeout_it_is_ora_00054(flaky: Busy, db: Database) -> None:
    db.lock_timeout = 0.2
    session = db.open_session(SessionInfo(1, 1, "SCOTT"))
    session.execute("create table t (x number)")
    flaky.arm(10**6, "SELECT X")
    with pytest.raises(OracleError) as caught:
        session.execute("select x from t")
    assert caught.value.code == 54


def test_a_client_never_sees_the_busy_database(flaky: Busy) -> None:
    with OracleTestServer(users={"scott": "tiger"}) as server:
        flaky.arm(4, "CREATE TEMP TABLE DUAL")
        with oracledb.connect(user="scott", password="tiger", dsn=server.dsn) as conn:
            assert flaky.seen == 4
            cursor = conn.cursor()
            cursor.execute("create table busy_t (x number)")
            flaky.arm(3, "SELECT")
            cursor.execute("select count(*) from busy_t")
            assert cursor.fetchone() == (0,) and flaky.seen == 3
