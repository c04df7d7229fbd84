"""Fixtures for the wire-protocol server tests.

``wire_server`` is a private server per test module, so that tests which
count logons or inspect sessions see only their own connections; tests that
stop, restart or disconnect a server start one of their own.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from collections.abc import Iterator

import oracledb
import pytest

from devart_oracle.testing import OracleTestServer

USERS = {"scott": "tiger", "alice": 'p;w="x" \u00e9t\u00e9'}


@pytest.fixture(scope="module")
def wire_server() -> Iterator[OracleTestServer]:
    """A server with two users (one with an awkward password) and SID FREE."""
    with OracleTestServer(users=USERS, service_name="FREEPDB1", sid="FREE") as server:
        yield server


@pytest.fixture
def conn(wire_server: OracleTestServer) -> Iterator[oracledb.Connection]:
    """A thin connection to ``wire_server`` as scott, closed afterwards."""
    connection = oracledb.connect(user="scott", password="tiger", dsn=wire_server.dsn)
    try:
        yield connection
    finally:
        with contextlib.suppress(oracledb.Error):
            connection.close()


@pytest.fixture
def k(wire_server: OracleTestServer) -> Iterator[oracledb.Cursor]:
    """A cursor of a fresh connection as scott whose calls cannot hang a test."""
    with oracledb.connect(user="scott", password="tiger", dsn=wire_server.dsn) as connection:
        connection.call_timeout = 10_000
        yield connection.cursor()


class Relay:
    """A one-connection TCP relay to a server that can be cut abruptly.

    It stands in for a client process that dies without logging off: ``cut``
    resets both TCP connections, so the server sees the client vanish.
    """

    def __init__(self, server: OracleTestServer) -> None:
        self._target = ("127.0.0.1", server.port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.dsn = f"127.0.0.1:{self._listener.getsockname()[1]}/{server.service_name}"
        self._sockets: list[socket.socket] = []
        self._threads = [threading.Thread(target=self._accept, daemon=True)]
        self._threads[0].start()

    def _accept(self) -> None:
        client, _ = self._listener.accept()
        upstream = socket.create_connection(self._target)
        self._sockets += [client, upstream]
        for source, sink in ((client, upstream), (upstream, client)):
            thread = threading.Thread(target=self._pump, args=(source, sink), daemon=True)
            self._threads.append(thread)
            thread.start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)

    def cut(self) -> None:
        """Reset both connections and stop relaying."""
        for sock in self._sockets:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                sock.shutdown(socket.SHUT_RDWR)
        self.close()

    def close(self) -> None:
        for sock in [*self._sockets, self._listener]:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        for thread in self._threads:
            thread.join(5)


@pytest.fixture
def relay(wire_server: OracleTestServer) -> Iterator[Relay]:
    """A relay to ``wire_server``; its ``dsn`` goes through it."""
    instance = Relay(wire_server)
    try:
        yield instance
    finally:
        instance.close()
