"""A TCP proxy that injects network faults, for tests.

``FaultProxy`` forwards bytes between clients and one target without ever
parsing them, so it works in front of the embedded server and in front of a
real database alike. It starts listening when it is constructed; then a
test can:

- ``stop()``: the outage. The listener closes and every connection is cut;
  new connections are refused. The port stays reserved (a bound socket that
  does not listen holds it), so ``start()`` listens again on the same port.
- ``cut()``: reset every current connection, keep listening.
- ``deaf = True``: a stall. New connections are accepted but not carried to
  the target, and no connection forwards anything; bytes wait, unread.
  Setting it back to False resumes everything.
- ``latency = s``: every chunk waits ``s`` seconds before it is forwarded,
  in each direction.

One daemon thread runs a selector loop over every socket; the control
methods hand their work to it through a queue and a wake-up socket and wait
until it is done, so a test can rely on the fault being in place when the
call returns. ``close()`` stops the thread and joins it.
"""

from __future__ import annotations

import collections
import errno
import functools
import logging
import queue
import selectors
import socket
import struct
import threading
import time
from collections.abc import Callable
from typing import Any

from ._exit import close_at_exit

__all__ = ["FaultProxy"]

log = logging.getLogger("devart_oracle.testing")

_CHUNK = 65536
_HIGH_WATER = 4 << 20  # stop reading a side while this much waits to be written
_RESET = struct.pack("ii", 1, 0)  # SO_LINGER on, 0 s: close() sends a RST


def _address(host: str, port: int) -> tuple[socket.AddressFamily, tuple[Any, ...]]:
    """Resolve once, up front, so the loop never waits for DNS; IPv4 or IPv6."""
    family, _, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    return family, address


def _reuse_socket(host: str, port: int) -> socket.socket:
    family, address = _address(host, port)
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(address)
    return sock


def _reset(sock: socket.socket | None) -> None:
    if sock is None:
        return
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _RESET)
    except OSError:
        pass
    sock.close()


class _Pipe:
    """One direction of a link: chunks read, due times, bytes being written."""

    def __init__(self) -> None:
        self.due: collections.deque[tuple[float, bytes]] = collections.deque()
        self.out = bytearray()
        self.eof = False

    @property
    def pending(self) -> int:
        return len(self.out) + sum(len(chunk) for _, chunk in self.due)

    @property
    def empty(self) -> bool:
        return not self.out and not self.due


class _Link:
    """A client connection and its connection to the target."""

    def __init__(self, client: socket.socket) -> None:
        self.client = client
        self.upstream: socket.socket | None = None
        self.connected = False
        self.up = _Pipe()  # client -> target
        self.down = _Pipe()  # target -> client


class FaultProxy:
    """A fault-injecting TCP proxy on ``host:port`` in front of ``target_host:target_port``.

    Attributes:
        host: the address it listens on.
        port: its port (chosen by the system when 0 was given).
        connections: how many connections it carries now.
    """

    def __init__(self, target_host: str, target_port: int, *, host: str = "127.0.0.1",
                 port: int = 0) -> None:
        self.target = (target_host, target_port)
        self._target_family, self._target_address = _address(target_host, target_port)
        self._listener: socket.socket | None = _reuse_socket(host, port)
        self._listener.listen()
        self._listener.setblocking(False)
        self.host, self.port = self._listener.getsockname()[:2]
        self._placeholder: socket.socket | None = None
        self._deaf = False
        self._latency = 0.0
        self._links: dict[socket.socket, _Link] = {}
        self._selector = selectors.DefaultSelector()
        self._commands: queue.SimpleQueue[tuple[Callable[[], None], threading.Event]] = (
            queue.SimpleQueue())
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._selector.register(self._wake_r, selectors.EVENT_READ, self._commands_ready)
        self._selector.register(self._listener, selectors.EVENT_READ, self._accept)
        self._closed = False
        self._thread = threading.Thread(target=self._run, name=f"fault-proxy-{self.port}",
                                        daemon=True)
        self._thread.start()
        close_at_exit(self, proxy=True)

    def __repr__(self) -> str:
        state = "closed" if self._closed else "listening" if self.listening else "stopped"
        return (f"<FaultProxy {self.address} -> {self.target[0]}:{self.target[1]} {state}"
                f" connections={self.connections} deaf={self._deaf} latency={self._latency}>")

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def address(self) -> str:
        """``"host:port"``, for a connection string."""
        return f"{self.host}:{self.port}"

    @property
    def connections(self) -> int:
        """How many client connections are open through the proxy."""
        return len(self._links)

    @property
    def listening(self) -> bool:
        """True unless stopped or closed."""
        return self._listener is not None

    @property
    def deaf(self) -> bool:
        """True while the proxy accepts connections but forwards nothing."""
        return self._deaf

    @deaf.setter
    def deaf(self, value: bool) -> None:
        self._do(lambda: self._set_deaf(bool(value)))

    @property
    def latency(self) -> float:
        """Seconds each chunk waits before it is forwarded, in each direction."""
        return self._latency

    @latency.setter
    def latency(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError(f"latency must be >= 0, not {seconds!r}")
        self._latency = float(seconds)

    # ------------------------------------------------------------ controls

    def stop(self) -> None:
        """Stop listening and cut every connection; the port stays reserved."""
        self._do(self._stop)

    def start(self) -> None:
        """Listen again, on the same port."""
        self._do(self._start)

    def cut(self) -> None:
        """Reset every current connection; keep listening."""
        self._do(self._cut)

    def close(self) -> None:
        """Stop for good: close every socket and join the thread."""
        if self._closed:
            return
        self._do(self._shutdown)
        self._thread.join()
        self._selector.close()
        self._wake_r.close()
        self._wake_w.close()

    def _do(self, command: Callable[[], None]) -> None:
        """Run ``command`` on the proxy's thread and wait for it."""
        if self._closed:
            raise RuntimeError(f"fault proxy on port {self.port} is closed")
        done = threading.Event()
        self._commands.put((command, done))
        self._wake_w.send(b"\0")
        while not done.wait(0.5):
            if not self._thread.is_alive():
                raise RuntimeError(f"fault proxy on port {self.port} has no thread any more")

    # ----------------------------------------------- commands (loop thread)

    def _stop(self) -> None:
        if self._listener is not None:
            self._selector.unregister(self._listener)
            self._listener.close()
            self._listener = None
            self._placeholder = _reuse_socket(self.host, self.port)
        self._cut()

    def _start(self) -> None:
        if self._listener is not None:
            return
        if self._placeholder is not None:
            self._placeholder.close()
            self._placeholder = None
        self._listener = _reuse_socket(self.host, self.port)
        self._listener.listen()
        self._listener.setblocking(False)
        self._selector.register(self._listener, selectors.EVENT_READ, self._accept)

    def _cut(self) -> None:
        for link in list(self._links.values()):
            self._drop(link)

    def _set_deaf(self, deaf: bool) -> None:
        self._deaf = deaf
        for link in list(self._links.values()):
            if not deaf and link.upstream is None:
                self._connect(link)
            self._update(link)

    def _shutdown(self) -> None:
        self._stop()
        if self._placeholder is not None:
            self._placeholder.close()
            self._placeholder = None
        self._closed = True

    # ------------------------------------------------------------ the loop

    def _run(self) -> None:
        while not self._closed:
            try:
                for key, mask in self._selector.select(self._timeout()):
                    key.data(mask)
                self._release_due()
            except Exception:  # a fault proxy must not die of one bad connection
                log.exception("fault proxy on port %d: loop iteration failed", self.port)

    def _timeout(self) -> float | None:
        if self._deaf:
            return None
        dues = [pipe.due[0][0] for link in self._links.values()
                for pipe in (link.up, link.down) if pipe.due]
        return max(min(dues) - time.monotonic(), 0.0) if dues else None

    def _commands_ready(self, mask: int) -> None:
        try:
            self._wake_r.recv(4096)
        except BlockingIOError:
            pass
        while not self._commands.empty():
            command, done = self._commands.get()
            try:
                command()
            finally:
                done.set()

    def _accept(self, mask: int) -> None:
        if self._listener is None:  # stopped by a command earlier in the same loop iteration
            return
        try:
            client, _ = self._listener.accept()
        except OSError:
            return
        client.setblocking(False)
        link = _Link(client)
        self._links[client] = link
        if not self._deaf:
            self._connect(link)
        self._update(link)

    def _connect(self, link: _Link) -> None:
        upstream = socket.socket(self._target_family, socket.SOCK_STREAM)
        upstream.setblocking(False)
        link.upstream = upstream
        code = upstream.connect_ex(self._target_address)
        if code not in (0, errno.EINPROGRESS, errno.EWOULDBLOCK):
            self._drop(link)
            return
        link.connected = code == 0

    def _on_client(self, link: _Link, mask: int) -> None:
        if link.client in self._links:
            self._transfer(link, link.client, link.up, link.down, mask)

    def _on_upstream(self, link: _Link, mask: int) -> None:
        if link.client not in self._links or link.upstream is None:
            return
        if not link.connected and mask & selectors.EVENT_WRITE:
            if link.upstream.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR):
                self._drop(link)
                return
            link.connected = True
        self._transfer(link, link.upstream, link.down, link.up, mask)

    def _transfer(self, link: _Link, sock: socket.socket, incoming: _Pipe, outgoing: _Pipe,
                  mask: int) -> None:
        """Read what ``sock`` sent into ``incoming``; write ``outgoing`` to it."""
        try:
            if mask & selectors.EVENT_READ:
                data = sock.recv(_CHUNK)
                if data:
                    incoming.due.append((time.monotonic() + self._latency, data))
                else:
                    incoming.eof = True
            if mask & selectors.EVENT_WRITE and outgoing.out:
                del outgoing.out[:sock.send(outgoing.out)]
        except (BlockingIOError, InterruptedError):
            pass
        except OSError:
            self._drop(link)
            return
        self._release_due()
        self._update(link)

    def _release_due(self) -> None:
        """Move chunks whose time has come to the write buffers, and write them."""
        if self._deaf:
            return
        now = time.monotonic()
        for link in list(self._links.values()):
            for pipe in (link.up, link.down):
                while pipe.due and pipe.due[0][0] <= now:
                    pipe.out += pipe.due.popleft()[1]
            self._update(link)

    def _update(self, link: _Link) -> None:
        """Register each socket for what it should wait for; end finished links."""
        if link.client not in self._links:
            return
        if (link.up.eof and link.up.empty) or (link.down.eof and link.down.empty):
            self._drop(link, graceful=True)
            return
        ready = link.connected and not self._deaf
        self._interest(link.client, not self._deaf and link.up.pending < _HIGH_WATER,
                       ready and bool(link.down.out), functools.partial(self._on_client, link))
        if link.upstream is not None:
            writing = bool(link.up.out) if link.connected else True
            self._interest(link.upstream, ready and link.down.pending < _HIGH_WATER,
                           writing and not self._deaf, functools.partial(self._on_upstream, link))

    def _interest(self, sock: socket.socket, read: bool, write: bool,
                  callback: Callable[[int], None]) -> None:
        events = (selectors.EVENT_READ if read else 0) | (selectors.EVENT_WRITE if write else 0)
        try:
            key = self._selector.get_key(sock)
        except KeyError:
            if events:
                self._selector.register(sock, events, callback)
            return
        if not events:
            self._selector.unregister(sock)
        elif key.events != events:
            self._selector.modify(sock, events, key.data)

    def _drop(self, link: _Link, graceful: bool = False) -> None:
        """Close both sides of a link; abruptly (RST) unless ``graceful``."""
        self._links.pop(link.client, None)
        for sock in (link.client, link.upstream):
            if sock is None:
                continue
            try:
                self._selector.unregister(sock)
            except (KeyError, ValueError):
                pass
            if graceful:
                sock.close()
            else:
                _reset(sock)
