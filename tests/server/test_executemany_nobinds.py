"""executemany() of DML without binds: each iteration runs (python-oracledb's 1225)."""

from __future__ import annotations

from collections.abc import Iterator

import oracledb
import pytest

from devart_oracle.testing import OracleTestServer


@pytest.fixture
def conn() -> Iterator[oracledb.Connection]:
    with OracleTestServer(users={"scott": "tiger"}) as server, \
            oracledb.connect(user="scott", password="tiger", dsn=server.dsn) as connection:
        connection.call_timeout = 10_000
        yield connection


def test_executemany_without_binds_runs_each_iteration(conn: oracledb.Connection) -> None:
    """``executemany(sql, [[]] * n)`` and ``executemany(None, n)`` send no bind values."""
    cursor = conn.cursor()
    cursor.execute("create table marks (n number)")
    cursor.executemany("insert into marks values (67)", [[] for _ in range(5)])
    cursor.executemany(None, 4)  # re-executed by cursor id
    cursor.execute("select count(*) from marks")
    assert cursor.fetchone() == (9,)


def test_a_query_re_executed_without_binds_runs_once(conn: oracledb.Connection) -> None:
    """Only DML takes its execution count from a re-execute without binds."""
    cursor = conn.cursor()
    cursor.prefetchrows = 0  # a plain re-execute, not re-execute-and-fetch
    cursor.execute("create sequence counter")
    for _ in range(3):  # the second and third are re-executes by cursor id
        cursor.execute("select counter.nextval from dual")
        (value,) = cursor.fetchone()
    assert value == 3
