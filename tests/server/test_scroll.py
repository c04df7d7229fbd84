"""Scrollable cursors through the real client: every scroll mode, in and out of the
client's buffer, with binds, and past either end (DPY-2063)."""

from __future__ import annotations

from collections.abc import Iterator

import oracledb
import pytest

from devart_oracle.testing import OracleTestServer


@pytest.fixture(scope="module")
def server() -> Iterator[OracleTestServer]:
    with OracleTestServer(users={"scott": "tiger"}) as instance:
        with oracledb.connect(user="scott", password="tiger", dsn=instance.dsn) as connection:
            cursor = connection.cursor()
            cursor.execute("create table numbers (n number(3))")
            cursor.executemany("insert into numbers values (:1)", [(i,) for i in range(1, 21)])
            connection.commit()
        yield instance


@pytest.fixture
def conn(server: OracleTestServer) -> Iterator[oracledb.Connection]:
    with oracledb.connect(user="scott", password="tiger", dsn=server.dsn) as connection:
        connection.call_timeout = 10_000
        yield connection


def _scrollable(conn: oracledb.Connection, arraysize: int = 5) -> oracledb.Cursor:
    cursor = conn.cursor(scrollable=True)
    cursor.arraysize, cursor.prefetchrows = arraysize, 0
    cursor.execute("select n from numbers order by n")
    return cursor


def test_absolute_relative_first_and_last(conn: oracledb.Connection) -> None:
    cursor = _scrollable(conn)
    cursor.scroll(12, mode="absolute")  # not in the client's buffer: the server positions
    assert (cursor.fetchone(), cursor.rowcount) == ((12,), 12)
    cursor.scroll(-5)
    assert (cursor.fetchone(), cursor.rowcount) == ((7,), 7)
    cursor.scroll(mode="last")
    assert (cursor.fetchone(), cursor.rowcount) == ((20,), 20)
    cursor.scroll(mode="first")
    assert (cursor.fetchone(), cursor.rowcount) == ((1,), 1)
    assert cursor.fetchmany(3) == [(2,), (3,), (4,)]


def test_fetching_on_after_a_scroll_continues_from_there(conn: oracledb.Connection) -> None:
    cursor = _scrollable(conn, arraysize=3)
    cursor.scroll(15, mode="absolute")
    assert [row[0] for row in cursor.fetchall()] == [15, 16, 17, 18, 19, 20]
    cursor.scroll(2, mode="absolute")  # back after the end was reached
    assert cursor.fetchone() == (2,)


@pytest.mark.parametrize(("offset", "mode"), [(21, "absolute"), (-1, "relative"), (0, "absolute")])
def test_out_of_the_result_set_is_dpy_2063(conn: oracledb.Connection, offset: int, mode: str) -> None:
    cursor = _scrollable(conn)
    with pytest.raises(oracledb.Error, match="DPY-2063"):
        cursor.scroll(offset, mode=mode)


def test_binds_and_an_empty_result(conn: oracledb.Connection) -> None:
    cursor = conn.cursor(scrollable=True)
    cursor.execute("select n + :base from numbers where n <= 3 order by n", base=100)
    cursor.scroll(mode="last")
    assert cursor.fetchone() == (103,)
    cursor.execute("select n from numbers where n > :high", high=99)
    cursor.scroll(mode="last")
    assert cursor.fetchone() is None

