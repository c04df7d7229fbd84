"""The pump serves idle sessions from one thread, steps aside for waits, and hands sessions back."""

from __future__ import annotations

import threading
import time

import oracledb
import pytest

from devart_oracle.testing import OracleTestServer

_WAIT = 5.0  # bound of every wait here; each normally ends in milliseconds


@pytest.fixture
def server() -> OracleTestServer:
    with OracleTestServer({"scott": "tiger"}, "FREEPDB1") as running:
        yield running


def _connect(server: OracleTestServer) -> oracledb.Connection:
    return oracledb.connect(user="scott", password="tiger", dsn=server.dsn)


def _until(condition: object, timeout: float = _WAIT) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return True
        time.sleep(0.005)
    return False


def _pump_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "oracle-pump"]


def test_one_thread_answers_every_idle_session(server: OracleTestServer) -> None:
    conns = [_connect(server) for _ in range(4)]
    try:
        for conn in conns:
            conn.cursor().execute("select 1 from dual").fetchall()
        assert _until(lambda: len(server._pump._parked) == 4)
        assert len([t for t in _pump_threads() if t.is_alive()]) >= 1
        for conn in conns:
            assert conn.cursor().execute("select :x + 1 from dual", x=41).fetchone() == (42,)
    finally:
        for conn in conns:
            conn.close()
    assert _until(lambda: not server._pump._parked)
    assert _until(lambda: server._pump._leader is None)  # nobody parked: the pump ends


def test_a_waiting_call_moves_the_pump_and_the_others_go_on(server: OracleTestServer) -> None:
    sleeper, other = _connect(server), _connect(server)
    try:
        thread = threading.Thread(
            target=lambda: sleeper.cursor().execute("begin dbms_session.sleep(1); end;"), daemon=True)
        thread.start()
        time.sleep(0.2)
        began = time.monotonic()
        for value in range(20):
            assert other.cursor().execute("select :x from dual", x=value).fetchone() == (value,)
        assert time.monotonic() - began < 0.8  # served while the sleep goes on
        assert thread.is_alive()
        thread.join(_WAIT)
        assert sleeper.cursor().execute("select 7 from dual").fetchone() == (7,)  # parked again
    finally:
        sleeper.close()
        other.close()


def test_a_long_statement_is_moved_off_the_pump_by_the_watcher(server: OracleTestServer) -> None:
    busy, other = _connect(server), _connect(server)
    try:
        sql = "select count(*) from (select level from dual connect by level <= 300000)"
        thread = threading.Thread(target=lambda: busy.cursor().execute(sql).fetchall(), daemon=True)
        thread.start()
        time.sleep(0.15)
        began = time.monotonic()
        other.ping()
        waited = time.monotonic() - began
        still = thread.is_alive()
        thread.join(60)
        if still:
            assert waited < 0.5  # not behind the statement
        assert busy.cursor().execute("select 1 from dual").fetchone() == (1,)
    finally:
        busy.close()
        other.close()


def test_a_killed_parked_session_goes_back_to_its_thread(server: OracleTestServer) -> None:
    conn = _connect(server)
    conn.ping()
    assert _until(lambda: len(server._pump._parked) == 1)
    server.disconnect_all()
    assert _until(lambda: not server._pump._parked)
    assert _until(lambda: not server.sessions)  # its thread cleaned up
    with pytest.raises(oracledb.Error):
        conn.ping()
    fresh = _connect(server)
    assert fresh.cursor().execute("select 1 from dual").fetchone() == (1,)
    fresh.close()


def test_a_cancel_reaches_a_call_the_pump_runs(server: OracleTestServer) -> None:
    conn = _connect(server)
    try:
        timer = threading.Timer(0.3, conn.cancel)
        timer.start()
        sql = "select count(*) from (select level from dual connect by level <= 3000000)"
        with pytest.raises(oracledb.OperationalError, match="ORA-01013"):
            conn.cursor().execute(sql).fetchall()
        timer.join()
        assert conn.cursor().execute("select 2 from dual").fetchone() == (2,)
    finally:
        conn.close()


def test_stop_and_start_again_serve_new_sessions(server: OracleTestServer) -> None:
    conn = _connect(server)
    conn.ping()
    server.stop()
    assert _until(lambda: server._pump._leader is None)
    server.start()
    again = _connect(server)
    assert again.cursor().execute("select 3 from dual").fetchone() == (3,)
    again.close()
    with pytest.raises(oracledb.Error):
        conn.ping()
