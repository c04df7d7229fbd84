"""Transactions across sessions: isolation, the in-progress bit, rollback on loss."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator

import oracledb
import pytest

from devart_oracle.testing import OracleTestServer

from .conftest import Relay

_names = itertools.count()


@pytest.fixture
def table(conn: oracledb.Connection) -> Iterator[str]:
    name = f"txn_{next(_names)}"
    conn.cursor().execute(f"create table {name} (id number, name varchar2(20))")
    yield name
    conn.rollback()
    conn.cursor().execute(f"drop table {name}")


def _other(server: OracleTestServer) -> oracledb.Connection:
    return oracledb.connect(user="scott", password="tiger", dsn=server.dsn)


def _count(conn: oracledb.Connection, table: str) -> int:
    cursor = conn.cursor()
    cursor.execute(f"select count(*) from {table}")
    (count,) = cursor.fetchone()
    return int(count)


def test_transaction_in_progress_follows_the_server(conn: oracledb.Connection, table: str) -> None:
    cursor = conn.cursor()
    assert not conn.transaction_in_progress
    cursor.execute(f"select * from {table}")
    cursor.fetchall()
    assert not conn.transaction_in_progress
    cursor.execute(f"insert into {table} values (1, 'a')")
    assert conn.transaction_in_progress
    conn.ping()
    assert conn.transaction_in_progress
    conn.commit()
    assert not conn.transaction_in_progress
    cursor.execute(f"delete from {table}")
    assert conn.transaction_in_progress
    cursor.execute("rollback")
    assert not conn.transaction_in_progress


def test_autocommit_leaves_no_transaction(conn: oracledb.Connection, table: str) -> None:
    conn.autocommit = True
    try:
        conn.cursor().execute(f"insert into {table} values (1, 'a')")
        assert not conn.transaction_in_progress
        conn.cursor().executemany(f"insert into {table} values (:1, :2)", [(2, "b"), (3, "c")])
        assert not conn.transaction_in_progress
    finally:
        conn.autocommit = False
    conn.cursor().execute(f"delete from {table}")
    conn.commit()


def test_uncommitted_rows_are_invisible_to_other_sessions(wire_server: OracleTestServer,
                                                          conn: oracledb.Connection, table: str) -> None:
    conn.cursor().execute(f"insert into {table} values (1, 'pending')")
    with _other(wire_server) as other:
        assert _count(other, table) == 0
        conn.commit()
        assert _count(other, table) == 1


def test_disconnect_rolls_back(wire_server: OracleTestServer, relay: Relay,
                               conn: oracledb.Connection, table: str) -> None:
    doomed = oracledb.connect(user="scott", password="tiger", dsn=relay.dsn)
    doomed.cursor().execute(f"insert into {table} values (1, 'lost')")
    assert doomed.transaction_in_progress
    relay.cut()
    deadline = time.monotonic() + 5
    while len(wire_server.sessions) > 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert _count(conn, table) == 0
    conn.cursor().execute(f"insert into {table} values (2, 'after')")  # no lock left behind
    conn.commit()
    assert _count(conn, table) == 1
    with pytest.raises(oracledb.Error):
        doomed.ping()
    doomed.close()


def test_kill_rolls_back_and_the_victim_sees_it(wire_server: OracleTestServer,
                                                conn: oracledb.Connection, table: str) -> None:
    victim = _other(wire_server)
    victim.cursor().execute(f"insert into {table} values (1, 'lost')")
    cursor = victim.cursor()
    cursor.execute("select sys_context('USERENV', 'SID') from dual")
    sid = int(cursor.fetchone()[0])
    (info,) = [info for info in wire_server.sessions if info.sid == sid]
    killer = conn.cursor()
    killer.execute(f"alter system kill session '{info.sid},{info.serial}' immediate")
    with pytest.raises(oracledb.Error, match="DPY-4011|ORA-00028"):
        victim.ping()
    assert not victim.is_healthy()
    victim.close()
    assert _count(conn, table) == 0


def test_ddl_commits(conn: oracledb.Connection, table: str, wire_server: OracleTestServer) -> None:
    conn.cursor().execute(f"insert into {table} values (1, 'kept')")
    conn.cursor().execute(f"create table {table}_b (x number)")
    assert not conn.transaction_in_progress
    with _other(wire_server) as other:
        assert _count(other, table) == 1
    conn.cursor().execute(f"drop table {table}_b")
    conn.cursor().execute(f"delete from {table}")
    conn.commit()
