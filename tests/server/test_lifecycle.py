"""Server lifecycle: construction, with, stop/start outages, kills, disconnects."""

from __future__ import annotations

import threading

import oracledb
import pytest

from devart_oracle.testing import OracleTestServer


def _connect(server: OracleTestServer) -> oracledb.Connection:
    return oracledb.connect(user="scott", password="tiger", dsn=server.dsn)


@pytest.fixture
def server() -> OracleTestServer:
    with OracleTestServer(users={"scott": "tiger"}) as instance:
        yield instance


def _assert_dropped(conn: oracledb.Connection) -> None:
    with pytest.raises(oracledb.Error, match="DPY-4011|ORA-00028"):
        conn.ping()
    assert not conn.is_healthy()
    conn.close()


def test_construction_starts_listening_and_with_closes() -> None:
    server = OracleTestServer(users={"scott": "tiger"})
    try:
        assert server.running and server.host == "127.0.0.1" and server.port > 0
        with _connect(server) as conn:
            conn.ping()
    finally:
        server.close()
    assert not server.running
    server.close()  # idempotent
    with pytest.raises(RuntimeError, match="closed"):
        server.start()


def test_a_taken_port_fails_construction_cleanly(server: OracleTestServer) -> None:
    with pytest.raises(OSError):
        OracleTestServer(users={"scott": "tiger"}, port=server.port)
    with _connect(server) as conn:
        conn.ping()


def test_with_on_a_started_server_and_start_twice() -> None:
    server = OracleTestServer(users={"scott": "tiger"})
    server.start()
    with server as same:
        assert same is server
        with _connect(server) as conn:
            conn.ping()
    assert not server.running


def test_close_joins_every_thread() -> None:
    with OracleTestServer(users={"scott": "tiger"}) as server:
        conns = [_connect(server) for _ in range(3)]
        port = server.port
    assert [t.name for t in threading.enumerate() if f"-{port}" in t.name] == []
    for conn in conns:
        _assert_dropped(conn)


def test_public_properties_and_repr(server: OracleTestServer) -> None:
    assert server.dsn == f"127.0.0.1:{server.port}/FREEPDB1"
    assert server.service_name == "FREEPDB1"
    assert server.connection_string("scott") == (
        f"Direct=True;Host=127.0.0.1;Port={server.port};ServiceName=FREEPDB1;UserName=scott;Password=tiger")
    assert server.connection_string("SCOTT").endswith("UserName=scott;Password=tiger")
    assert "tiger" not in repr(server) and "running" in repr(server)
    with pytest.raises(KeyError):
        server.connection_string("nobody")


def test_connection_string_quotes_awkward_passwords() -> None:
    with OracleTestServer(users={"alice": 'a;b="c"'}) as server:
        assert server.connection_string("alice").endswith('Password="a;b=""c"""')


def test_logons_counts_successful_logons_only(server: OracleTestServer) -> None:
    with _connect(server), _connect(server):
        pass
    with pytest.raises(oracledb.DatabaseError):
        oracledb.connect(user="scott", password="wrong", dsn=server.dsn)
    assert server.logons == 2


def test_kill_session_drops_the_victim_only(server: OracleTestServer) -> None:
    victim = _connect(server)
    (victim_sid,) = [info.sid for info in server.sessions]
    bystander = _connect(server)
    assert server.kill_session(victim_sid) is True
    _assert_dropped(victim)
    bystander.ping()
    assert [info.sid for info in server.sessions] != [] and victim_sid not in {i.sid for i in server.sessions}
    assert server.kill_session(victim_sid) is False
    assert server.kill_session(9999) is False
    bystander.close()


def test_disconnect_all_drops_every_connection(server: OracleTestServer) -> None:
    conns = [_connect(server) for _ in range(3)]
    server.disconnect_all()
    for conn in conns:
        _assert_dropped(conn)
    with _connect(server) as conn:
        conn.ping()


def test_stop_is_an_outage_and_start_recovers_on_the_same_port(server: OracleTestServer) -> None:
    port = server.port
    conn = _connect(server)
    server.stop()
    assert not server.running and server.sessions == []
    _assert_dropped(conn)
    with pytest.raises(oracledb.Error, match="DPY-6005"):
        _connect(server)
    server.stop()  # idempotent
    server.start()
    assert server.port == port and server.running
    with _connect(server) as conn:
        conn.ping()


def test_async_client_sees_the_drop() -> None:
    import asyncio

    async def scenario(server: OracleTestServer) -> None:
        conn = await oracledb.connect_async(user="scott", password="tiger", dsn=server.dsn)
        server.disconnect_all()
        with pytest.raises(oracledb.Error, match="DPY-4011"):
            await conn.ping()
        assert not conn.is_healthy()
        await conn.close()

    with OracleTestServer(users={"scott": "tiger"}) as server:
        asyncio.run(scenario(server))
