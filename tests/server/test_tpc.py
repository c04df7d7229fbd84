"""Two-phase commit through python-oracledb thin (TTC functions 103 and 104), sync and asyncio."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Iterator

import oracledb
import pytest

from devart_oracle.testing import OracleTestServer

from .conftest import Relay

_names = itertools.count()
_xids = itertools.count(1)


@pytest.fixture
def table(conn: oracledb.Connection) -> Iterator[str]:
    name = f"tpc_{next(_names)}"
    conn.cursor().execute(f"create table {name} (id number primary key, name varchar2(20))")
    yield name
    conn.cursor().execute(f"drop table {name}")


@pytest.fixture
def other(wire_server: OracleTestServer) -> Iterator[oracledb.Connection]:
    with _connect(wire_server) as connection:
        yield connection


def _connect(server: OracleTestServer) -> oracledb.Connection:
    connection = oracledb.connect(user="scott", password="tiger", dsn=server.dsn)
    connection.call_timeout = 10_000
    return connection


def _xid(conn: oracledb.Connection) -> oracledb.Xid:
    number = next(_xids)
    return conn.xid(number, f"gtrid{number}".encode(), f"bqual{number}".encode())


def _rows(conn: oracledb.Connection, table: str) -> list[tuple[object, ...]]:
    cursor = conn.cursor()
    cursor.execute(f"select id, name from {table} order by id")
    return list(cursor.fetchall())


def _code(excinfo: pytest.ExceptionInfo[oracledb.Error]) -> str:
    return str(excinfo.value).split(":", 1)[0]


def test_a_prepared_branch_is_pending_until_another_session_commits_it(
        conn: oracledb.Connection, other: oracledb.Connection, table: str) -> None:
    xid = _xid(conn)
    conn.tpc_begin(xid)
    conn.cursor().execute(f"insert into {table} values (1, 'one')")
    assert conn.tpc_prepare() is True
    assert not conn.transaction_in_progress
    assert _rows(other, table) == []  # not committed yet
    assert xid in other.tpc_recover()
    cursor = other.cursor()
    cursor.execute("select formatid, globalid, branchid from dba_pending_transactions")
    assert [d[0] for d in cursor.description or ()] == ["FORMATID", "GLOBALID", "BRANCHID"]
    assert tuple(xid) in cursor.fetchall()
    other.tpc_commit(xid)
    assert _rows(conn, table) == [(1, "one")]
    assert xid not in conn.tpc_recover()


def test_a_branch_without_changes_prepares_read_only_and_is_forgotten(
        conn: oracledb.Connection, table: str) -> None:
    xid = _xid(conn)
    conn.tpc_begin(xid)
    conn.cursor().execute(f"select * from {table}").fetchall()
    assert conn.tpc_prepare() is False
    assert xid not in conn.tpc_recover()
    with pytest.raises(oracledb.DatabaseError) as excinfo:
        conn.tpc_commit(xid)
    assert _code(excinfo) == "ORA-24756"
    conn.tpc_begin(xid)  # the xid is free again
    conn.tpc_rollback()


def test_a_detached_branch_is_invisible_until_resumed_on_another_connection(
        conn: oracledb.Connection, other: oracledb.Connection, table: str) -> None:
    xid = _xid(conn)
    conn.tpc_begin(xid)
    conn.cursor().execute(f"insert into {table} values (1, 'one')")
    assert conn.transaction_in_progress
    conn.tpc_end(flags=oracledb.TPC_END_SUSPEND)
    assert not conn.transaction_in_progress
    assert _rows(conn, table) == [] and _rows(other, table) == []
    conn.cursor().execute(f"insert into {table} values (2, 'two')")  # the write lock is free
    conn.commit()
    other.tpc_begin(xid, oracledb.TPC_BEGIN_RESUME)
    assert _rows(other, table) == [(1, "one"), (2, "two")]
    other.cursor().execute(f"update {table} set name = 'uno' where id = 1")
    other.tpc_commit(one_phase=True)
    assert _rows(conn, table) == [(1, "uno"), (2, "two")]


def test_two_branches_with_changes_on_one_connection(conn: oracledb.Connection,
                                                     other: oracledb.Connection, table: str) -> None:
    first, second = _xid(conn), _xid(conn)
    for number, xid in enumerate((first, second), start=1):
        conn.tpc_begin(xid)
        conn.cursor().execute(f"insert into {table} values (:1, 'x')", [number])
        conn.tpc_end()
    assert conn.tpc_prepare(first) and conn.tpc_prepare(second)
    other.tpc_rollback(first)
    other.tpc_commit(second)
    assert _rows(conn, table) == [(2, "x")]


def test_beginning_a_branch_detaches_the_attached_one(conn: oracledb.Connection, table: str) -> None:
    first, second = _xid(conn), _xid(conn)
    conn.tpc_begin(first)
    conn.cursor().execute(f"insert into {table} values (1, 'a')")
    conn.tpc_begin(second)
    assert _rows(conn, table) == []
    with pytest.raises(oracledb.DatabaseError) as excinfo:
        conn.tpc_end(first)
    assert _code(excinfo) == "ORA-24758"
    conn.tpc_end(second)
    with pytest.raises(oracledb.DatabaseError) as excinfo:
        conn.tpc_end()
    assert _code(excinfo) == "ORA-25352"
    conn.tpc_commit(first, one_phase=True)
    conn.tpc_rollback(second)
    assert _rows(conn, table) == [(1, "a")]


def test_promote_makes_the_local_transaction_a_branch(conn: oracledb.Connection,
                                                      other: oracledb.Connection, table: str) -> None:
    xid = _xid(conn)
    conn.cursor().execute(f"insert into {table} values (1, 'local')")
    with pytest.raises(oracledb.DatabaseError) as excinfo:
        conn.tpc_begin(xid)
    assert _code(excinfo) == "ORA-24776"
    conn.tpc_begin(xid, oracledb.TPC_BEGIN_PROMOTE)
    with pytest.raises(oracledb.DatabaseError) as excinfo:
        conn.tpc_begin(xid, oracledb.TPC_BEGIN_PROMOTE)
    assert _code(excinfo) == "ORA-24797"
    conn.tpc_end()
    assert conn.tpc_prepare(xid)
    other.tpc_commit(xid)
    assert _rows(other, table) == [(1, "local")]


def test_the_errors_oracle_gives(conn: oracledb.Connection, other: oracledb.Connection,
                                 table: str) -> None:
    xid = _xid(conn)
    conn.tpc_begin(xid)
    for call in (lambda: conn.tpc_begin(xid), conn.commit,
                 lambda: conn.cursor().execute(f"truncate table {table}")):
        with pytest.raises(oracledb.DatabaseError) as excinfo:
            call()
        assert _code(excinfo) in ("ORA-24757", "ORA-02089")
    conn.cursor().execute(f"insert into {table} values (1, 'a')")
    with pytest.raises(oracledb.DatabaseError) as excinfo:
        other.tpc_begin(xid, oracledb.TPC_BEGIN_RESUME)
    assert _code(excinfo) == "ORA-25351"  # attached to conn
    with pytest.raises(oracledb.DatabaseError) as excinfo:
        conn.tpc_commit(xid)
    assert _code(excinfo) == "ORA-24756"  # two phases need a prepare
    conn.tpc_prepare()
    with pytest.raises(oracledb.DatabaseError) as excinfo:
        other.tpc_begin(xid, oracledb.TPC_BEGIN_RESUME)
    assert _code(excinfo) == "ORA-24756"
    with pytest.raises(oracledb.DatabaseError) as excinfo:
        other.tpc_commit(xid, one_phase=True)
    assert _code(excinfo) == "ORA-02053"  # committed all the same
    assert _rows(conn, table) == [(1, "a")]


def test_rollback_inside_a_branch_keeps_it_attached(conn: oracledb.Connection, table: str) -> None:
    xid = _xid(conn)
    conn.tpc_begin(xid)
    cursor = conn.cursor()
    cursor.execute(f"insert into {table} values (1, 'a')")
    cursor.execute("savepoint s1")
    cursor.execute(f"insert into {table} values (2, 'b')")
    cursor.execute("rollback to savepoint s1")
    cursor.execute(f"insert into {table} values (3, 'c')")
    conn.tpc_end()
    conn.tpc_begin(xid, oracledb.TPC_BEGIN_RESUME)  # the journal replays the savepoint too
    assert _rows(conn, table) == [(1, "a"), (3, "c")]
    conn.rollback()
    assert conn.transaction_in_progress  # still in the branch
    assert conn.tpc_prepare() is False  # its changes are gone


def test_a_prepared_branch_outlives_its_session(wire_server: OracleTestServer,
                                               other: oracledb.Connection, table: str) -> None:
    with _connect(wire_server) as short:
        xid = _xid(short)
        short.tpc_begin(xid)
        short.cursor().execute(f"insert into {table} values (1, 'kept')")
        short.tpc_prepare()
    assert xid in other.tpc_recover()
    other.tpc_commit(xid)
    assert _rows(other, table) == [(1, "kept")]


@pytest.mark.parametrize("ending", ["close", "cut"])
def test_an_attached_branch_rolls_back_when_its_session_ends(
        relay: Relay, other: oracledb.Connection, table: str, ending: str) -> None:
    lost = oracledb.connect(user="scott", password="tiger", dsn=relay.dsn)
    xid = _xid(lost)
    lost.tpc_begin(xid)
    lost.cursor().execute(f"insert into {table} values (1, 'lost')")
    if ending == "close":
        lost.close()  # python-oracledb sends a TPC rollback with its context
    else:
        relay.cut()  # the server ends the session itself
    deadline = time.monotonic() + 5  # the server notices a cut connection within a moment
    while True:
        with pytest.raises(oracledb.DatabaseError) as excinfo:
            other.tpc_begin(xid, oracledb.TPC_BEGIN_RESUME)
        if _code(excinfo) == "ORA-24756" or time.monotonic() > deadline:
            break
        assert _code(excinfo) == "ORA-25351"  # still attached to the session being ended
        time.sleep(0.01)
    assert _code(excinfo) == "ORA-24756"
    assert _rows(other, table) == []


def test_a_change_that_cannot_be_applied_again_fails_the_commit(
        conn: oracledb.Connection, other: oracledb.Connection, table: str) -> None:
    xid = _xid(conn)
    conn.tpc_begin(xid)
    conn.cursor().execute(f"insert into {table} values (1, 'branch')")
    conn.tpc_prepare()
    other.cursor().execute(f"insert into {table} values (1, 'other')")  # no row lock stops it
    other.commit()
    with pytest.raises(oracledb.IntegrityError) as excinfo:
        conn.tpc_commit(xid)
    assert _code(excinfo) == "ORA-00001"
    assert xid in conn.tpc_recover()  # still prepared
    conn.tpc_rollback(xid)
    assert _rows(conn, table) == [(1, "other")]


def test_the_branches_with_asyncio(wire_server: OracleTestServer, conn: oracledb.Connection,
                                   table: str) -> None:
    async def scenario() -> list[oracledb.Xid]:
        first = await oracledb.connect_async(user="scott", password="tiger", dsn=wire_server.dsn)
        second = await oracledb.connect_async(user="scott", password="tiger", dsn=wire_server.dsn)
        try:
            xid = first.xid(4242, b"async-gtrid", b"async-bqual")
            await first.tpc_begin(xid)
            await first.cursor().execute(f"insert into {table} values (1, 'async')")
            await first.tpc_end()
            await second.tpc_begin(xid, oracledb.TPC_BEGIN_RESUME)
            await second.cursor().execute(f"insert into {table} values (2, 'async')")
            assert await second.tpc_prepare()
            pending: list[oracledb.Xid] = await first.tpc_recover()
            await first.tpc_commit(xid)
            return pending
        finally:
            await first.close()
            await second.close()

    pending = asyncio.run(asyncio.wait_for(scenario(), 30))
    assert (4242, b"async-gtrid", b"async-bqual") in pending
    assert _rows(conn, table) == [(1, "async"), (2, "async")]
