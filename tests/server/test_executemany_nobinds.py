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
