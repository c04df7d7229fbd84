"""Connect, authenticate, ping, commit, roll back and log off with the real client."""

from __future__ import annotations

import asyncio
import time

import oracledb
import pytest

from devart_oracle.testing import OracleTestServer

from .conftest import USERS


def _session(server: OracleTestServer, username: str = "SCOTT") -> object:
    (info,) = [info for info in server.sessions if info.username == username]
    return info


def test_sync_logon_round_trips_and_logoff(wire_server: OracleTestServer) -> None:
    before = wire_server.logons
    with oracledb.connect(user="scott", password="tiger", dsn=wire_server.dsn) as conn:
        assert conn.thin and conn.version == "19.3.0.0.0"
        conn.ping()
        conn.commit()
        conn.rollback()
        assert conn.is_healthy() and not conn.transaction_in_progress
        assert wire_server.logons == before + 1
        info = _session(wire_server)
        assert info.status == "INACTIVE" and info.service_name == "FREEPDB1"
    assert [i for i in wire_server.sessions if i.username == "SCOTT"] == []


def test_async_logon_round_trips_and_logoff(wire_server: OracleTestServer) -> None:
    async def scenario() -> str:
        conn = await oracledb.connect_async(user="scott", password="tiger", dsn=wire_server.dsn)
        try:
            await conn.ping()
            await conn.commit()
            await conn.rollback()
            return conn.version
        finally:
            await conn.close()

    assert asyncio.run(scenario()) == "19.3.0.0.0"
    assert [i for i in wire_server.sessions if i.username == "SCOTT"] == []


@pytest.mark.parametrize("user", ["scott", "SCOTT", "Scott"])
def test_user_names_are_case_insensitive(wire_server: OracleTestServer, user: str) -> None:
    with oracledb.connect(user=user, password="tiger", dsn=wire_server.dsn) as conn:
        conn.ping()


def test_password_with_separators_quotes_and_unicode(wire_server: OracleTestServer) -> None:
    with oracledb.connect(user="alice", password=USERS["alice"], dsn=wire_server.dsn) as conn:
        conn.ping()
        assert _session(wire_server, "ALICE").current_schema == "ALICE"


@pytest.mark.parametrize(
    ("user", "password"),
    [("scott", "TIGER"), ("scott", ""), ("scott", "tiger" * 10), ("nobody", "tiger"), ("alice", "tiger")],
)
def test_bad_credentials_are_ora_01017(wire_server: OracleTestServer, user: str, password: str) -> None:
    before = wire_server.logons
    with pytest.raises(oracledb.DatabaseError, match="ORA-01017: invalid username/password; logon denied"):
        oracledb.connect(user=user, password=password or "x", dsn=wire_server.dsn)
    assert wire_server.logons == before


def test_sixteen_byte_password_needs_a_full_padding_block() -> None:
    with OracleTestServer(users={"bob": "0123456789abcdef"}) as server:
        with oracledb.connect(user="bob", password="0123456789abcdef", dsn=server.dsn) as conn:
            conn.ping()


def test_unknown_service_is_refused_with_ora_12514(wire_server: OracleTestServer) -> None:
    with pytest.raises(oracledb.DatabaseError, match="12514") as caught:
        oracledb.connect(user="scott", password="tiger", dsn=f"127.0.0.1:{wire_server.port}/NOPE")
    assert "DPY-6001" in str(caught.value)


def test_unknown_sid_is_refused_with_ora_12505(wire_server: OracleTestServer) -> None:
    dsn = oracledb.makedsn("127.0.0.1", wire_server.port, sid="NOPE")
    with pytest.raises(oracledb.DatabaseError, match="12505"):
        oracledb.connect(user="scott", password="tiger", dsn=dsn)


def test_known_sid_is_accepted(wire_server: OracleTestServer) -> None:
    dsn = oracledb.makedsn("127.0.0.1", wire_server.port, sid="FREE")
    with oracledb.connect(user="scott", password="tiger", dsn=dsn) as conn:
        conn.ping()


@pytest.mark.parametrize("length", [100, 231, 2000, 9000])
def test_connect_descriptors_of_any_length(wire_server: OracleTestServer, length: int) -> None:
    """Past 230 bytes the descriptor follows the CONNECT in DATA packets."""
    program = "p" * length
    with oracledb.connect(user="scott", password="tiger", dsn=wire_server.dsn, program=program) as conn:
        conn.ping()
        assert _session(wire_server).program == program


def test_full_descriptor_with_service_name(wire_server: OracleTestServer) -> None:
    dsn = (f"(DESCRIPTION=(RETRY_COUNT=0)(ADDRESS=(PROTOCOL=tcp)(HOST=127.0.0.1)(PORT={wire_server.port}))"
           "(CONNECT_DATA=(SERVER=DEDICATED)(SERVICE_NAME=freepdb1)))")
    with oracledb.connect(user="scott", password="tiger", dsn=dsn) as conn:
        conn.ping()


def test_session_info_tracks_identity_and_end_to_end_attributes(wire_server: OracleTestServer) -> None:
    with oracledb.connect(user="scott", password="tiger", dsn=wire_server.dsn,
                          program="wire-test", machine="box-7") as conn:
        info = _session(wire_server)
        assert (info.program, info.machine, info.username) == ("wire-test", "box-7", "SCOTT")
        assert info.time_zone is not None
        conn.module, conn.action, conn.client_identifier = "billing", "post", "user-42"
        conn.ping()
        assert (info.module, info.action, info.client_identifier) == ("billing", "post", "user-42")
        conn.action = "close"
        conn.ping()
        assert (info.module, info.action) == ("billing", "close")


def test_current_schema_piggyback(wire_server: OracleTestServer) -> None:
    with oracledb.connect(user="scott", password="tiger", dsn=wire_server.dsn) as conn:
        conn.current_schema = "alice"
        cursor = conn.cursor()
        cursor.execute("select sys_context('USERENV', 'CURRENT_SCHEMA') from dual")
        assert cursor.fetchone() == ("ALICE",)
        assert _session(wire_server).current_schema == "ALICE"


def test_sessions_get_distinct_sids_and_serials(wire_server: OracleTestServer) -> None:
    conns = [oracledb.connect(user="scott", password="tiger", dsn=wire_server.dsn) for _ in range(3)]
    try:
        infos = [i for i in wire_server.sessions if i.username == "SCOTT"]
        assert len({i.sid for i in infos}) == 3 and len({i.serial for i in infos}) == 3
    finally:
        for c in conns:
            c.close()


def test_logon_delay_is_added_to_each_logon(wire_server: OracleTestServer) -> None:
    wire_server.logon_delay = 0.2
    try:
        started = time.perf_counter()
        with oracledb.connect(user="scott", password="tiger", dsn=wire_server.dsn) as conn:
            conn.ping()
        assert time.perf_counter() - started >= 0.2
    finally:
        wire_server.logon_delay = 0.0


def test_calls_after_logoff_are_refused_by_the_client(wire_server: OracleTestServer) -> None:
    conn = oracledb.connect(user="scott", password="tiger", dsn=wire_server.dsn)
    conn.close()
    with pytest.raises(oracledb.InterfaceError, match="DPY-1001"):
        conn.ping()
