"""Hostile and broken peers end their own session only; the server keeps serving."""

from __future__ import annotations

import logging
import socket
import struct
import time
from collections.abc import Iterator

import oracledb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devart_oracle.testing import OracleTestServer

from .conftest import Relay

CONNECT, ACCEPT, DATA = 1, 2, 6


def _connect_packet(service: str) -> bytes:
    """A CONNECT packet as python-oracledb builds it (descriptor inline)."""
    descriptor = f"(DESCRIPTION=(CONNECT_DATA=(SERVICE_NAME={service})))".encode()
    body = struct.pack(">HHHHHHHHHHIBB24xIIII", 319, 300, 1, 8192, 8192, 0x4F98, 0, 1,
                       len(descriptor), 74, 0, 0x84, 0x84, 8192, 8192, 0, 0)
    return struct.pack(">HHBBH", 8 + len(body) + len(descriptor), 0, CONNECT, 0, 0) + body + descriptor


def _raw(server: OracleTestServer) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    return sock


def _closed_by_server(sock: socket.socket) -> bool:
    """True once the server has closed its end (EOF or reset)."""
    try:
        while sock.recv(65536):
            pass
    except ConnectionResetError:
        pass
    return True


def _accepted(server: OracleTestServer) -> socket.socket:
    sock = _raw(server)
    sock.sendall(_connect_packet(server.service_name))
    header = sock.recv(8)
    size, _, kind = struct.unpack(">HHB", header[:5])
    assert kind == ACCEPT
    sock.recv(size - 8)
    return sock


@pytest.fixture
def healthy(wire_server: OracleTestServer) -> oracledb.Connection:
    conn = oracledb.connect(user="scott", password="tiger", dsn=wire_server.dsn)
    yield conn
    conn.ping()  # the bystander survived whatever the test did
    conn.close()


@pytest.mark.parametrize(
    "payload",
    [
        b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
        bytes(range(256)) * 4,
        b"\x00\x03\x00\x00\x01\x00\x00\x00",  # length shorter than a header
        b"\x00\x20\x00\x00\x63\x00\x00\x00" + bytes(24),  # unknown packet type
        b"\x00\x10\x00\x00\x06\x00\x00\x00" + bytes(8),  # DATA before CONNECT
    ],
    ids=["http", "binary", "short-length", "unknown-type", "data-first"],
)
def test_garbage_ends_only_that_session(wire_server: OracleTestServer, healthy: oracledb.Connection,
                                        payload: bytes, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="devart_oracle.testing"), _raw(wire_server) as sock:
        sock.sendall(payload)
        assert _closed_by_server(sock)
        healthy.ping()
    assert any("protocol error" in record.getMessage() for record in caplog.records)


def test_oversized_packet_before_accept(wire_server: OracleTestServer, healthy: oracledb.Connection) -> None:
    with _raw(wire_server) as sock:
        sock.sendall(struct.pack(">HHBBH", 60000, 0, CONNECT, 0, 0) + bytes(100))
        assert _closed_by_server(sock)


def test_oversized_packet_after_accept(wire_server: OracleTestServer, healthy: oracledb.Connection,
                                       caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="devart_oracle.testing"), _accepted(wire_server) as sock:
        sock.sendall(struct.pack(">IBBH", 100 * 1024 * 1024, DATA, 0, 0) + bytes(1000))
        assert _closed_by_server(sock)
    assert any("exceeds the limit" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize("cut", [3, 20, 60])
def test_half_a_packet_then_disconnect(wire_server: OracleTestServer, healthy: oracledb.Connection,
                                       cut: int, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="devart_oracle.testing"):
        with _raw(wire_server) as sock:
            sock.sendall(_connect_packet(wire_server.service_name)[:cut])
        healthy.ping()
        _wait_for(lambda: len(wire_server._registry) == 1)
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_disconnect_after_accept_and_mid_request(wire_server: OracleTestServer,
                                                 healthy: oracledb.Connection) -> None:
    with _accepted(wire_server) as sock:
        sock.sendall(struct.pack(">IBBH", 40, DATA, 0, 0) + b"\x00\x00\x01\x06")  # half a DATA packet
    _wait_for(lambda: len(wire_server._registry) == 1)


def test_many_hostile_peers_in_a_row(wire_server: OracleTestServer, healthy: oracledb.Connection) -> None:
    for index in range(30):
        with _raw(wire_server) as sock:
            sock.sendall(bytes([index]) * (index * 7 + 1))
    healthy.ping()
    with oracledb.connect(user="scott", password="tiger", dsn=wire_server.dsn) as other:
        other.ping()


def test_client_vanishing_mid_session_frees_its_session(wire_server: OracleTestServer, relay: Relay) -> None:
    conn = oracledb.connect(user="scott", password="tiger", dsn=relay.dsn)
    conn.ping()
    assert len(wire_server.sessions) == 1
    relay.cut()
    _wait_for(lambda: len(wire_server.sessions) == 0)
    with pytest.raises(oracledb.Error):
        conn.ping()
    assert not conn.is_healthy()


def _wait_for(condition: object, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.01)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payload=st.one_of(
    st.binary(max_size=300),
    st.tuples(st.sampled_from([1, 2, 3, 17]), st.integers(0, 255), st.binary(max_size=200)).map(
        lambda t: bytes([t[0], t[1], 1]) + t[2]),
))
def test_fuzzed_requests_never_crash_a_session(wire_server: OracleTestServer, payload: bytes) -> None:
    """Random DATA after ACCEPT: an error reply, a wait for more, or a closed session; no crash."""
    handler = _Collect()
    logger = logging.getLogger("devart_oracle.testing")
    logger.addHandler(handler)
    try:
        with _accepted(wire_server) as sock:
            sock.sendall(struct.pack(">IBBH", 10 + len(payload), DATA, 0, 0) + b"\x00\x00" + payload)
            sock.settimeout(0.02)
            try:
                sock.recv(65536)
            except (TimeoutError, ConnectionResetError):
                pass
        _wait_for(lambda: len(wire_server._registry) == 0)
    finally:
        logger.removeHandler(handler)
    assert [r.getMessage() for r in handler.records if r.levelno >= logging.ERROR] == []


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def impatient_server() -> Iterator[OracleTestServer]:
    """A server that gives clients 0.3 s to log on."""
    with OracleTestServer(users={"scott": "tiger"}, connect_timeout=0.3) as server:
        yield server


def test_a_silent_connection_is_closed_after_the_connect_timeout(
        impatient_server: OracleTestServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, "devart_oracle.testing")
    with _raw(impatient_server) as silent, _raw(impatient_server) as halfway:
        halfway.sendall(_connect_packet(impatient_server.service_name))
        assert halfway.recv(8)[4] == ACCEPT  # accepted, but never logs on
        started = time.monotonic()
        assert _closed_by_server(silent)
        assert _closed_by_server(halfway)
        assert time.monotonic() - started < 3
    _wait_for(lambda: len(impatient_server._registry) == 0)
    assert sum("did not log on within 0.3 s" in r.getMessage() for r in caplog.records) == 2


def test_the_connect_timeout_spares_logged_on_sessions(impatient_server: OracleTestServer) -> None:
    with oracledb.connect(user="scott", password="tiger", dsn=impatient_server.dsn) as conn:
        time.sleep(0.6)
        conn.ping()
        assert len(impatient_server.sessions) == 1


def test_the_connect_timeout_can_be_turned_off(impatient_server: OracleTestServer) -> None:
    impatient_server.connect_timeout = None
    with _raw(impatient_server) as silent:
        silent.settimeout(0.6)
        with pytest.raises(TimeoutError):
            silent.recv(1)
        assert len(impatient_server._registry) == 1
