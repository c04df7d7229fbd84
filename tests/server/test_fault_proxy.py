"""FaultProxy against a tiny echo server: forwarding, outage, cut, deaf, latency, close."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from devart_oracle.testing._proxy import FaultProxy


class EchoServer:
    """Echoes every byte back, one thread per connection, on 127.0.0.1:0."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.threads: list[threading.Thread] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            thread = threading.Thread(target=self._echo, args=(conn,), daemon=True)
            self.threads.append(thread)
            thread.start()

    @staticmethod
    def _echo(conn: socket.socket) -> None:
        with conn:
            try:
                while data := conn.recv(65536):
                    conn.sendall(data)
            except OSError:
                pass

    def close(self) -> None:
        self.listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        self.listener.close()
        self.thread.join(2)


@pytest.fixture
def echo() -> Iterator[EchoServer]:
    server = EchoServer()
    yield server
    server.close()


@pytest.fixture
def proxy(echo: EchoServer) -> Iterator[FaultProxy]:
    with FaultProxy("127.0.0.1", echo.port) as fault_proxy:
        yield fault_proxy


def connect(proxy: FaultProxy, timeout: float = 2.0) -> socket.socket:
    return socket.create_connection((proxy.host, proxy.port), timeout=timeout)


def round_trip(sock: socket.socket, data: bytes = b"ping") -> bytes:
    sock.sendall(data)
    received = b""
    while len(received) < len(data):
        chunk = sock.recv(65536)
        if not chunk:
            break
        received += chunk
    return received


def wait_for(condition: Callable[[], bool], timeout: float = 2.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


def is_cut(sock: socket.socket) -> bool:
    """True if the peer closed or reset the connection."""
    try:
        sock.sendall(b"x")
        return sock.recv(1) == b""
    except (ConnectionResetError, BrokenPipeError):
        return True


def test_forwards_both_ways_and_counts_connections(proxy: FaultProxy) -> None:
    assert proxy.address == f"127.0.0.1:{proxy.port}"
    with connect(proxy) as a, connect(proxy) as b:
        assert round_trip(a) == b"ping"
        assert round_trip(b, b"pong") == b"pong"
        assert proxy.connections == 2
    assert wait_for(lambda: proxy.connections == 0)


def test_large_transfer_arrives_intact(proxy: FaultProxy) -> None:
    payload = bytes(range(256)) * 8192  # 2 MiB
    with connect(proxy, timeout=5) as sock:
        sender = threading.Thread(target=sock.sendall, args=(payload,))
        sender.start()
        received = bytearray()
        while len(received) < len(payload):
            received += sock.recv(1 << 20)
        sender.join()
    assert received == payload


def test_stop_cuts_and_refuses_then_start_listens_on_same_port(proxy: FaultProxy) -> None:
    port = proxy.port
    with connect(proxy) as sock:
        assert round_trip(sock) == b"ping"
        proxy.stop()
        assert not proxy.listening
        assert is_cut(sock)
    assert proxy.connections == 0
    with pytest.raises(ConnectionRefusedError):
        connect(proxy)
    proxy.start()
    assert proxy.listening and proxy.port == port
    with connect(proxy) as sock:
        assert round_trip(sock) == b"ping"


def test_stop_and_start_are_idempotent(proxy: FaultProxy) -> None:
    proxy.start()
    proxy.stop()
    proxy.stop()
    proxy.start()
    with connect(proxy) as sock:
        assert round_trip(sock) == b"ping"


def test_cut_resets_connections_but_keeps_listening(proxy: FaultProxy) -> None:
    with connect(proxy) as sock:
        assert round_trip(sock) == b"ping"
        proxy.cut()
        assert is_cut(sock)
    assert proxy.listening and proxy.connections == 0
    with connect(proxy) as sock:
        assert round_trip(sock) == b"ping"


def test_deaf_accepts_but_never_answers_until_it_hears_again(proxy: FaultProxy) -> None:
    with connect(proxy) as old:
        assert round_trip(old) == b"ping"
        proxy.deaf = True
        assert proxy.deaf
        with connect(proxy, timeout=0.2) as new:  # accepted...
            new.sendall(b"hello")
            with pytest.raises(socket.timeout):
                new.recv(5)  # ...but never answered
            old.sendall(b"again")
            old.settimeout(0.2)
            with pytest.raises(socket.timeout):
                old.recv(5)  # existing connections stop forwarding too
            proxy.deaf = False
            new.settimeout(2)
            old.settimeout(2)
            assert new.recv(5) == b"hello"
            assert old.recv(5) == b"again"


def test_latency_delays_each_direction(proxy: FaultProxy) -> None:
    with connect(proxy) as sock:
        assert round_trip(sock) == b"ping"
        proxy.latency = 0.15
        started = time.monotonic()
        assert round_trip(sock) == b"ping"
        assert time.monotonic() - started >= 0.25  # 0.15 s each way, loosely
        proxy.latency = 0
        started = time.monotonic()
        assert round_trip(sock) == b"ping"
        assert time.monotonic() - started < 0.25


def test_negative_latency_is_refused(proxy: FaultProxy) -> None:
    with pytest.raises(ValueError, match="latency must be >= 0"):
        proxy.latency = -1


def test_unreachable_target_closes_the_client() -> None:
    with socket.create_server(("127.0.0.1", 0)) as placeholder:
        dead_port = placeholder.getsockname()[1]
    with FaultProxy("127.0.0.1", dead_port) as proxy:
        try:
            sock = connect(proxy)
        except ConnectionResetError:
            return  # reset before the client's connect even returned: cut too
        with sock:
            assert is_cut(sock)


def test_close_joins_the_thread_and_frees_the_port(echo: EchoServer) -> None:
    proxy = FaultProxy("127.0.0.1", echo.port)
    sock = connect(proxy)
    assert round_trip(sock) == b"ping"
    proxy.close()
    assert not proxy._thread.is_alive()
    assert is_cut(sock)
    sock.close()
    proxy.close()  # idempotent
    with pytest.raises(ConnectionRefusedError):
        connect(proxy)
    with pytest.raises(RuntimeError, match="closed"):
        proxy.stop()


def test_close_after_stop(echo: EchoServer) -> None:
    proxy = FaultProxy("127.0.0.1", echo.port)
    proxy.stop()
    proxy.close()
    assert not proxy._thread.is_alive()
    assert "closed" in repr(proxy)

