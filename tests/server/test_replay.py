"""A query re-executed by cursor id takes the short way (``CallRunner._replay``): same answers.

python-oracledb's statement cache re-executes a query by cursor id, sending
only its bind row: the server then skips the steps such a call cannot need.
These tests run the same calls with the short way on and off and compare
what the client gets, and check what it must keep: errors as ORA replies,
a describe when the columns change, rows left for the next fetch, SQL_ID
and the statistics, and the general way for what it does not cover.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import oracledb
import pytest

from devart_oracle.testing import OracleTestServer
from devart_oracle.testing._calls import CallRunner
from devart_oracle.testing._cursor import Cursor
from devart_oracle.testing._replies import Replies
from devart_oracle.testing.sql.instance import sql_id
from devart_oracle.testing.wire.codec import Writer

Run = Callable[[oracledb.Cursor], list[Any]]


@pytest.fixture
def replays(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The SQL of each call that took the short way."""
    taken: list[str] = []
    requery = CallRunner._requery

    def spy(self: CallRunner, body: Writer, cursor: Cursor, raw: list[bytes | None],
            count: int) -> tuple[int, int]:
        taken.append(cursor.sql)
        return requery(self, body, cursor, raw, count)
    monkeypatch.setattr(CallRunner, "_requery", spy)
    return taken


@pytest.fixture
def replies(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Every reply the server sends, as sent."""
    sent: list[bytes] = []
    send = Replies.send

    def record(self: Replies, body: bytes | bytearray) -> None:
        sent.append(bytes(body))
        send(self, body)
    monkeypatch.setattr(Replies, "send", record)
    return sent


def _connect(server: OracleTestServer) -> oracledb.Connection:
    return oracledb.connect(user="scott", password="tiger", dsn=server.dsn)


def _both_ways(server: OracleTestServer, monkeypatch: pytest.MonkeyPatch, replies: list[bytes],
               run: Run) -> tuple[tuple[list[Any], list[bytes]], tuple[list[Any], list[bytes]]]:
    """``run`` on a new connection with the short way, then on another one without it."""
    outcomes = []
    for short in (True, False):
        if not short:
            monkeypatch.setattr(Cursor, "replayable", lambda self: False)
        with _connect(server) as conn:
            del replies[:]
            result = run(conn.cursor())
            outcomes.append((result, list(replies)))
    return outcomes[0], outcomes[1]


def test_a_replayed_query_answers_byte_for_byte_as_the_general_way(
        wire_server: OracleTestServer, monkeypatch: pytest.MonkeyPatch, replays: list[str],
        replies: list[bytes]) -> None:
    sql = "select :x + 1, :y || 'z', :d from dual"
    values: list[tuple[object, object, object]] = [
        (1, "a", datetime.date(2026, 1, 2)), (2, "bb", None), (-3, None, datetime.date(1999, 12, 31)),
        (Decimal("1.5"), "", datetime.date(2000, 2, 29)), (10 ** 30, "é", datetime.date(2026, 12, 2))]

    def run(cursor: oracledb.Cursor) -> list[Any]:
        rows = []
        for x, y, d in values:
            cursor.execute(sql, x=x, y=y, d=d)
            rows.append((cursor.fetchall(), [(c.name, c.type_code) for c in cursor.description or ()]))
        return rows

    (short, short_replies), (general, general_replies) = _both_ways(wire_server, monkeypatch, replies, run)
    # the first execute parses, and one more where a bind outgrew its buffer: the others are replayed
    assert replays.count(sql) == len(values) - 2
    assert short == general
    executes = len(values) + 1  # their replies and the logoff's (the logon's hold the session's own ids)
    assert short_replies[-executes:] == general_replies[-executes:]
    assert short[0][0] == [(2, "az", datetime.datetime(2026, 1, 2))]
    assert short[4][0] == [(10 ** 30 + 1, "éz", datetime.datetime(2026, 12, 2))]


def test_a_column_whose_type_follows_the_values_is_described_again(
        wire_server: OracleTestServer, replays: list[str]) -> None:
    with _connect(wire_server) as conn:
        cursor = conn.cursor()
        cursor.execute("select :x + 0 from dual", x=1)
        assert cursor.fetchall() == [(1,)]
        cursor.execute("select :x + 0 from dual", x=2.5)  # a float: the same NUMBER bind
        assert cursor.fetchall() == [(2.5,)]
        cursor.execute("select :x + 0 from dual", x=None)
        assert cursor.fetchall() == [(None,)]
        assert replays


def test_an_error_is_an_ora_reply_and_the_cursor_goes_on(wire_server: OracleTestServer,
                                                        replays: list[str]) -> None:
    sql = "select 10 / :x from dual"
    with _connect(wire_server) as conn:
        cursor = conn.cursor()
        cursor.execute(sql, x=2)
        assert cursor.fetchall() == [(5,)]
        with pytest.raises(oracledb.DatabaseError, match="ORA-01476"):
            cursor.execute(sql, x=0)
        cursor.execute(sql, x=4)
        assert cursor.fetchall() == [(2.5,)]
        conn.ping()
    assert replays.count(sql) == 1  # the one that failed: the client parses again after an error


def test_rows_past_the_first_fetch_are_left_for_the_next(wire_server: OracleTestServer,
                                                       replays: list[str]) -> None:
    sql = "select level from dual connect by level <= :n"
    with _connect(wire_server) as conn:
        cursor = conn.cursor()
        cursor.arraysize = cursor.prefetchrows = 7
        for n in (3, 100, 20, 0):
            cursor.execute(sql, n=n)
            assert [row[0] for row in cursor.fetchall()] == list(range(1, max(n, 1) + 1))
        cursor.execute(sql, n=50)
        assert cursor.fetchmany(3) == [(1,), (2,), (3,)]
        cursor.execute(sql, n=5)  # re-executed with rows left of the last one
        assert cursor.fetchall() == [(i,) for i in range(1, 6)]
    assert replays.count(sql) == 5


def test_sql_id_and_the_statistics_count_a_replayed_query(wire_server: OracleTestServer,
                                                          replays: list[str]) -> None:
    sql = "select :x * 2 from dual"
    statistics = ("select n.name, s.value from v$mystat s join v$statname n on n.statistic# = s.statistic#"
                  " where n.name in ('execute count', 'parse count (total)')")
    with _connect(wire_server) as conn:
        cursor, probe = conn.cursor(), conn.cursor()
        probe.execute(statistics)
        before = dict(probe.fetchall())
        for x in range(5):
            cursor.execute(sql, x=x)
            assert cursor.fetchall() == [(2 * x,)]
            if x == 0:  # the last statement before the replays is another one
                probe.execute("select 1 from dual")
                probe.fetchall()
        probe.execute("select prev_sql_id from v$session where sid = sys_context('USERENV', 'SID')")
        assert probe.fetchall() == [(sql_id(sql),)]
        probe.execute(statistics)
        after = dict(probe.fetchall())
    assert replays.count(sql) == 4
    assert after["execute count"] - before["execute count"] == 5 + 3  # the queries, and the probe's three
    assert after["parse count (total)"] - before["parse count (total)"] == 1 + 2  # and the probe's two new ones


@pytest.mark.parametrize(("sql", "binds"), [
    ("select :x from dual", {"x": 1.25}),  # a BINARY_DOUBLE bind: marked as one when decoded
    ("select to_clob(:x) from dual", {"x": "text"}),  # a LOB column
    ("select :x from dual", {"x": "a" * 5000}),  # a bind over 4000 bytes: sent after the others
])
def test_what_the_short_way_does_not_cover_goes_the_general_way(
        wire_server: OracleTestServer, replays: list[str], sql: str, binds: dict[str, object]) -> None:
    with _connect(wire_server) as conn:
        cursor = conn.cursor()
        if binds["x"] == 1.25:
            cursor.setinputsizes(x=oracledb.DB_TYPE_BINARY_DOUBLE)
        results = []
        for _ in range(3):
            cursor.execute(sql, **binds)
            results.append([tuple(v.read() if isinstance(v, oracledb.LOB) else v for v in row)
                            for row in cursor.fetchall()])
    assert results[0] == results[1] == results[2] == [(binds["x"],)]
    assert sql not in replays


@pytest.fixture
def private_server() -> Iterator[OracleTestServer]:
    """A server of the test's own: its table is no other test's."""
    with OracleTestServer(users={"scott": "tiger"}) as server:
        yield server


def test_a_replayed_query_reads_the_transactions_own_changes(private_server: OracleTestServer,
                                                            replays: list[str]) -> None:
    with _connect(private_server) as conn, _connect(private_server) as other:
        cursor, seen = conn.cursor(), other.cursor()
        cursor.execute("create table replayed (id number)")
        sql = "select count(*) from replayed where id > :x"
        for x in (0, 1):
            seen.execute(sql, x=x)
            assert seen.fetchall() == [(0,)]
        cursor.execute("insert into replayed values (5)")
        cursor.execute(sql, x=0)
        assert cursor.fetchall() == [(1,)]
        cursor.execute(sql, x=1)  # replayed inside the open transaction
        assert cursor.fetchall() == [(1,)]
        assert conn.transaction_in_progress
        seen.execute(sql, x=0)  # the other session does not see it yet
        assert seen.fetchall() == [(0,)]
        conn.commit()
        seen.execute(sql, x=0)
        assert seen.fetchall() == [(1,)]
    assert replays.count(sql) >= 3
