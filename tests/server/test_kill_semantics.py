"""ALTER SYSTEM KILL SESSION as Oracle does it: roll back now, ORA-00028 at the next call."""

from __future__ import annotations

import time
from collections.abc import Iterator

import oracledb
import pytest

from devart_oracle.testing import OracleTestServer
from tests.fixtures.pooling import wait_for


@pytest.fixture
def server() -> Iterator[OracleTestServer]:
    with OracleTestServer(users={"scott": "tiger"}) as srv:
        yield srv


def _connect(server: OracleTestServer) -> oracledb.Connection:
    return oracledb.connect(user="scott", password="tiger", dsn=server.dsn)


def _sid_serial(conn: oracledb.Connection) -> tuple[int, int]:
    with conn.cursor() as cursor:
        cursor.execute("""select sid, serial# from v$session
                          where sid = sys_context('userenv', 'sid')""")
        row = cursor.fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def test_the_next_call_gets_ora_00028_and_then_the_connection_ends(server: OracleTestServer) -> None:
    with _connect(server) as killer:
        victim = _connect(server)
        sid, serial = _sid_serial(victim)
        killer.cursor().execute(f"alter system kill session '{sid},{serial}'")
        assert sid not in {info.sid for info in server.sessions}
        with pytest.raises(oracledb.DatabaseError) as caught:
            victim.ping()
        (error,) = caught.value.args
        assert error.full_code == "DPY-4011" and "ORA-00028" in error.message
        assert not victim.is_healthy()
        victim.close()


def test_a_kill_right_after_a_call_still_answers_the_next_call(server: OracleTestServer) -> None:
    # The kill may land while the session thread is still finishing the call
    # the client already has the reply of; the next call must get ORA-00028
    # all the same, not a closed socket. Repeated: the window is short.
    with _connect(server) as killer:
        for _ in range(20):
            victim = _connect(server)
            sid, serial = _sid_serial(victim)
            killer.cursor().execute(f"alter system kill session '{sid},{serial}'")
            with pytest.raises(oracledb.DatabaseError) as caught:
                victim.ping()
            assert "ORA-00028" in caught.value.args[0].message
            victim.close()


def test_the_killed_sessions_socket_stays_open_until_it_calls(server: OracleTestServer) -> None:
    victim = _connect(server)
    sid, _ = _sid_serial(victim)
    assert server.kill_session(sid)
    time.sleep(0.2)
    # Nothing reached the client yet: as with Oracle, it learns at its next call.
    assert victim.is_healthy()
    with pytest.raises(oracledb.DatabaseError, match="DPY-4011"):
        victim.cursor().execute("select 1 from dual")
    victim.close()


def test_the_kill_rolls_back_at_once_and_frees_the_write_lock(server: OracleTestServer) -> None:
    with _connect(server) as owner:
        owner.cursor().execute("create table killed_t (x number)")
        victim = _connect(server)
        victim.cursor().execute("insert into killed_t values (1)")
        sid, serial = _sid_serial(victim)
        owner.cursor().execute(f"alter system kill session '{sid},{serial}' immediate")
        # The victim has not called again, yet its lock is gone and its row rolled back.
        owner.cursor().execute("insert into killed_t values (2)")
        owner.commit()
        with owner.cursor() as cursor:
            cursor.execute("select x from killed_t")
            assert cursor.fetchall() == [(2,)]
        victim.close()


def test_a_killed_session_ends_on_stop_even_if_it_never_calls() -> None:
    server = OracleTestServer(users={"scott": "tiger"})
    try:
        victim = _connect(server)
        (info,) = server.sessions
        assert server.kill_session(info.sid)
        started = time.monotonic()
        server.stop()
        assert time.monotonic() - started < 5.0
        with pytest.raises(oracledb.Error, match="DPY-4011"):
            victim.ping()
    finally:
        server.close()


def test_disconnect_all_still_cuts_the_socket_at_once(server: OracleTestServer) -> None:
    conn = _connect(server)
    server.disconnect_all()
    assert wait_for(lambda: not server.sessions)
    with pytest.raises(oracledb.Error, match="DPY-4011"):
        conn.ping()
