"""Many sessions at once: a thread per session holds 200 concurrent clients."""

from __future__ import annotations

import threading
import time

import oracledb

from devart_oracle.testing import OracleTestServer

SESSIONS = 200
QUERIES = 3


def test_two_hundred_concurrent_sessions(wire_server: OracleTestServer) -> None:
    peak: list[int] = []
    barrier = threading.Barrier(SESSIONS, action=lambda: peak.append(len(wire_server.sessions)), timeout=60)
    failures: list[BaseException] = []

    def client(index: int) -> None:
        try:
            with oracledb.connect(user="scott", password="tiger", dsn=wire_server.dsn) as conn:
                barrier.wait()
                cursor = conn.cursor()
                for _ in range(QUERIES):
                    cursor.execute("select :1 from dual", [index])
                    assert cursor.fetchall() == [(index,)]
                conn.ping()
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)
            barrier.abort()

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(SESSIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)
    elapsed = time.perf_counter() - started
    assert not any(thread.is_alive() for thread in threads)
    assert failures == []
    assert peak == [SESSIONS]
    assert elapsed < 60
    assert wire_server.sessions == []


def test_sessions_do_not_block_each_other_during_long_calls(wire_server: OracleTestServer) -> None:
    sleeper = oracledb.connect(user="scott", password="tiger", dsn=wire_server.dsn)
    worker = threading.Thread(target=_sleep_then_cancel, args=(sleeper,))
    worker.start()
    try:
        time.sleep(0.1)
        started = time.perf_counter()
        with oracledb.connect(user="scott", password="tiger", dsn=wire_server.dsn) as conn:
            conn.ping()
        assert time.perf_counter() - started < 1.0
    finally:
        sleeper.cancel()
        worker.join(5)
        sleeper.close()


def _sleep_then_cancel(conn: oracledb.Connection) -> None:
    try:
        conn.cursor().execute("begin dbms_session.sleep(3); end;")
    except oracledb.OperationalError:
        pass
