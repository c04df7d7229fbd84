"""``conn.cancel()`` during a long call: in-band break/reset, ORA-01013, still usable."""

from __future__ import annotations

import asyncio
import threading
import time

import oracledb
import pytest

from devart_oracle.testing import OracleTestServer

SLEEP = "begin dbms_session.sleep(5); end;"


def _cancel_soon(conn: oracledb.Connection, delay: float = 0.3) -> threading.Timer:
    timer = threading.Timer(delay, conn.cancel)
    timer.start()
    return timer


def test_cancel_ends_a_long_call_with_ora_01013(conn: oracledb.Connection) -> None:
    cursor = conn.cursor()
    timer = _cancel_soon(conn)
    started = time.perf_counter()
    with pytest.raises(oracledb.OperationalError, match="ORA-01013"):
        cursor.execute(SLEEP)
    elapsed = time.perf_counter() - started
    timer.join()
    assert 0.25 < elapsed < 2.0
    assert conn.is_healthy()
    conn.ping()
    cursor.execute("select 1 from dual")
    assert cursor.fetchall() == [(1,)]


def test_cancel_twice_in_a_row(conn: oracledb.Connection) -> None:
    cursor = conn.cursor()
    for _ in range(2):
        timer = _cancel_soon(conn, 0.2)
        with pytest.raises(oracledb.OperationalError, match="ORA-01013"):
            cursor.execute(SLEEP)
        timer.join()
    conn.ping()


def test_cancel_from_asyncio(wire_server: OracleTestServer) -> None:
    async def scenario() -> float:
        conn = await oracledb.connect_async(user="scott", password="tiger", dsn=wire_server.dsn)
        try:
            cursor = conn.cursor()
            loop = asyncio.get_running_loop()
            loop.call_later(0.3, conn.cancel)
            started = time.perf_counter()
            with pytest.raises(oracledb.OperationalError, match="ORA-01013"):
                await cursor.execute(SLEEP)
            elapsed = time.perf_counter() - started
            await conn.ping()
            await cursor.execute("select 1 from dual")
            assert await cursor.fetchall() == [(1,)]
            return elapsed
        finally:
            await conn.close()

    assert asyncio.run(scenario()) < 2.0


def test_kill_during_a_long_call_ends_it_at_once(wire_server: OracleTestServer,
                                                 conn: oracledb.Connection) -> None:
    sid = next(info.sid for info in wire_server.sessions)
    timer = threading.Timer(0.3, wire_server.kill_session, args=(sid,))
    timer.start()
    started = time.perf_counter()
    with pytest.raises(oracledb.Error, match="(?s)DPY-4011.*ORA-00028"):  # told, not cut
        conn.cursor().execute(SLEEP)
    timer.join()
    assert time.perf_counter() - started < 2.0
    assert not conn.is_healthy()


def test_session_is_active_during_a_call(wire_server: OracleTestServer, conn: oracledb.Connection) -> None:
    (info,) = wire_server.sessions
    seen: list[str] = []
    timer = threading.Timer(0.2, lambda: (seen.append(info.status), conn.cancel()))
    timer.start()
    with pytest.raises(oracledb.OperationalError):
        conn.cursor().execute(SLEEP)
    timer.join()
    assert seen == ["ACTIVE"] and info.status == "INACTIVE"


def test_stop_during_a_long_call_returns_promptly() -> None:
    with OracleTestServer(users={"scott": "tiger"}) as server:
        conn = oracledb.connect(user="scott", password="tiger", dsn=server.dsn)
        worker = threading.Thread(target=_expect_drop, args=(conn,))
        worker.start()
        time.sleep(0.3)
        started = time.perf_counter()
        server.stop()
        assert time.perf_counter() - started < 2.0
        worker.join(5)
        conn.close()


def _expect_drop(conn: oracledb.Connection) -> None:
    with pytest.raises(oracledb.Error):
        conn.cursor().execute(SLEEP)


def test_call_timeout_breaks_the_call_and_keeps_the_connection(conn: oracledb.Connection) -> None:
    conn.call_timeout = 300
    cursor = conn.cursor()
    started = time.perf_counter()
    with pytest.raises(oracledb.Error, match="DPY-4024"):
        cursor.execute(SLEEP)
    assert time.perf_counter() - started < 2.0
    conn.call_timeout = 0
    cursor.execute("select 1 from dual")
    assert cursor.fetchall() == [(1,)]


def test_cancel_while_idle_fails_the_next_call_only(conn: oracledb.Connection) -> None:
    """A break sent between calls is answered with the next call, which ends in ORA-01013."""
    cursor = conn.cursor()
    conn.cancel()
    with pytest.raises(oracledb.OperationalError, match="ORA-01013"):
        cursor.execute("select 1 from dual")
    cursor.execute("select 2 from dual")
    assert cursor.fetchall() == [(2,)]
