"""A temporary database's SQLite connections, reused from one session to the next.

A session that ends gives its connection back (``sql/connections.py``); the
next session must find it as a new one would be: no transaction, no open
read snapshot, no temporary table a former session filled, a DUAL with its
one row, and functions that answer for the session that holds it now.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from devart_oracle.testing.sql import Database, OracleError, SessionInfo, SqlSession
from devart_oracle.testing.sql.catalog import SESSION_SETUP
from devart_oracle.testing.sql.connections import _reset


@pytest.fixture
def db() -> Iterator[Database]:
    database = Database(users=["SCOTT", "HR"], lock_timeout=0.2)
    yield database
    database.close()


def _session(db: Database, sid: int, user: str = "SCOTT", service: str = "") -> SqlSession:
    return db.open_session(SessionInfo(sid=sid, serial=sid, username=user, service_name=service))


def _rows(session: SqlSession, sql: str) -> list[tuple[object, ...]]:
    return session.execute(sql).fetch(1000)


def test_a_closed_session_s_connection_serves_the_next_one(db: Database) -> None:
    first = _session(db, 1, "SCOTT")
    assert _rows(first, "select user from dual") == [("SCOTT",)]
    first.close()
    assert db.connections.idle == 1
    second = _session(db, 2, "HR")
    assert db.connections.idle == 0
    assert _rows(second, "select user, sys_context('USERENV', 'SID') from dual") == [("HR", "2")]
    second.close()
    assert db.connections.idle == 1


def test_functions_of_a_closed_session_fail_cleanly(db: Database) -> None:
    first = _session(db, 1)
    first.close()
    with pytest.raises(OracleError) as caught:
        first.execute("select user from dual")
    assert caught.value.code == 1012


def test_stored_lobs_are_read_by_the_session_that_holds_the_connection_now(db: Database) -> None:
    # DEVART_LOB is registered once per connection (re-registering a function
    # would expire every statement SQLite has prepared on it): it reads through
    # the session the connection serves now, not the one it was opened for.
    first = _session(db, 1)
    first.execute("create table docs (id number, c clob)")
    first.execute("insert into docs values (1, :1)", ["x" * 40_000 + "tail"])
    first.commit()
    assert _rows(first, "select length(c), substr(c, -4) from docs") == [(40_004, "tail")]
    first.close()
    second = _session(db, 2)
    assert db.connections.idle == 0  # the connection first used
    assert _rows(second, "select length(c), substr(c, -4) from docs where c like '%tail'") == [(40_004, "tail")]
    second.close()
    with pytest.raises(OracleError) as caught:
        second.execute("select length(c) from docs")
    assert caught.value.code == 1012


def test_an_uncommitted_change_does_not_outlive_its_session(db: Database) -> None:
    setup = _session(db, 1)
    setup.execute("create table t (x number)")
    setup.close()
    writer = _session(db, 2)
    writer.execute("insert into t values (1)")
    writer.close()
    assert _rows(_session(db, 3), "select count(*) from t") == [(0,)]


def test_an_unread_result_leaves_no_old_snapshot(db: Database) -> None:
    setup = _session(db, 1)
    setup.execute("create table t (x number)")
    setup.executemany("insert into t values (:1)", [(n,) for n in range(500)])
    setup.commit()
    reader = _session(db, 2)
    unread = reader.execute("select x from t")  # kept: a wire cursor may hold it past logoff
    assert len(unread.fetch(1)) == 1  # 499 rows left in the SQLite cursor
    reader.close()
    setup.execute("insert into t values (500)")
    setup.commit()
    assert _rows(_session(db, 3), "select count(*) from t") == [(501,)]
    assert unread.fetch(10) == []


def test_views_a_former_session_filled_are_made_anew(db: Database) -> None:
    query = "select value from v$parameter where name = 'service_names'"
    first = _session(db, 1, service="ALPHA")
    assert _rows(first, query) == [("ALPHA",)]
    first.close()
    assert _rows(_session(db, 2, service="BETA"), query) == [("BETA",)]


def test_a_connection_whose_dual_changed_is_not_reused(db: Database) -> None:
    vandal = _session(db, 1)
    vandal.execute("delete from dual")
    vandal.commit()
    assert _rows(vandal, "select * from dual") == []
    vandal.close()
    assert db.connections.idle == 0
    assert _rows(_session(db, 2), "select * from dual") == [("X",)]


def test_a_named_file_keeps_no_idle_connection(tmp_path: Path) -> None:
    database = Database(str(tmp_path / "named.sqlite"))
    try:
        database.open_session(SessionInfo(sid=1, serial=1, username="SCOTT")).close()
        assert database.connections.idle == 0
    finally:
        database.close()


def test_closing_the_database_closes_idle_connections(db: Database) -> None:
    _session(db, 1).close()
    assert db.connections.idle == 1
    db.close()
    assert db.connections.idle == 0


def test_each_session_converts_dates_with_its_own_nls_format(db: Database) -> None:
    query = "select to_char(date '2024-05-06') from dual"
    first = _session(db, 1)
    first.execute("alter session set nls_date_format = 'YYYY/MM/DD'")
    assert _rows(first, query) == [("2024/05/06",)]
    first.close()
    second = _session(db, 2)  # on the connection the first one had
    assert db.connections.idle == 0
    assert _rows(second, query) == [("06-MAY-24",)]
    second.execute("alter session set nls_date_format = 'DD.MM.YYYY'")
    assert _rows(second, query) == [("06.05.2024",)]


RESETS = [  # what a session left in its connection's temporary schema, and whether the connection is reused
    ("", True),
    ("CREATE TEMP TABLE t (a); CREATE TEMP VIEW v AS SELECT * FROM t", True),
    ('CREATE TEMP TABLE "we""ird" (a)', True),
    ("BEGIN; INSERT INTO temp.DUAL VALUES ('Y')", True),  # rolled back
    ("DELETE FROM temp.DUAL", False),
    ("INSERT INTO temp.DUAL VALUES ('X')", False),
    ("UPDATE temp.DUAL SET DUMMY = NULL", False),
    ("DROP TABLE temp.DUAL", False),
    ("DROP TABLE temp.DUAL; CREATE TEMP TABLE DUAL (DUMMY, MORE); INSERT INTO DUAL VALUES ('X', 1)", False),
    # a leftover that DUAL names: dropped with the others, and DUAL is gone
    ("DROP TABLE temp.DUAL; CREATE TEMP TABLE dual (DUMMY); INSERT INTO dual VALUES ('X')", False),
]


@pytest.mark.parametrize(("script", "reused"), RESETS)
def test_a_connection_is_reused_only_when_it_is_back_to_a_new_session_s_state(script: str, reused: bool) -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        conn.executescript(SESSION_SETUP + script)
        assert _reset(conn) is reused
        if reused:
            assert conn.execute("SELECT type, name FROM temp.sqlite_master").fetchall() == [("table", "DUAL")]
            assert conn.execute("SELECT * FROM temp.DUAL").fetchall() == [("X",)]
            assert not conn.in_transaction
    finally:
        conn.close()
