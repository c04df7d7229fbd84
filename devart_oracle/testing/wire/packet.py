"""Oracle Net packet framing over one TCP socket.

Every packet starts with an eight-byte header: its length (header included),
its type, a flags byte and a zero checksum. Until the ACCEPT the length is a
``u16be`` followed by two zero bytes; afterwards (protocol 315 and later) it
is a ``u32be``, in both directions. DATA payloads begin with ``u16be`` data
flags. Outgoing packets stay within the negotiated SDU; a response is framed
into as many DATA packets as it needs and written with a single ``sendall``;
``last_flags`` are data flags for its last packet only (END_OF_RESPONSE).

Inbound packets are checked before anything is buffered for them: a length
below the header size or above the limit, or an unknown type, ends the
session with ``ProtocolError`` instead of growing a buffer without bound.
"""

from __future__ import annotations

import select
import socket
import struct
from typing import NamedTuple

from .reader import ProtocolError

__all__ = [
    "ACCEPT",
    "CONNECT",
    "CONTROL",
    "DATA",
    "DATA_END_OF_RESPONSE",
    "DATA_EOF",
    "MARKER",
    "MARKER_BREAK",
    "MARKER_INTERRUPT",
    "MARKER_RESET",
    "REFUSE",
    "RESEND",
    "ConnectionClosed",
    "Packet",
    "PacketStream",
    "peek",
]

CONNECT = 1
ACCEPT = 2
REFUSE = 4
REDIRECT = 5
DATA = 6
RESEND = 11
MARKER = 12
CONTROL = 14
_KNOWN_TYPES = frozenset((CONNECT, ACCEPT, REFUSE, REDIRECT, DATA, RESEND, MARKER, CONTROL))

DATA_EOF = 0x0040
DATA_END_OF_RESPONSE = 0x2000  # on the last packet of a reply (protocol 319)

MARKER_BREAK = 1
MARKER_RESET = 2
MARKER_INTERRUPT = 3

HEADER_SIZE = 8
_DATA_OVERHEAD = HEADER_SIZE + 2
_RECV_SIZE = 65536
_SMALL_HEADER = struct.Struct(">HHBBH")
_LARGE_HEADER = struct.Struct(">IBBH")


def peek(sock: socket.socket, size: int) -> bytes | None:
    """Up to ``size`` bytes waiting on ``sock``, left there; None if none, b"" at EOF or on failure."""
    try:
        if not select.select([sock], [], [], 0)[0]:
            return None
        return sock.recv(size, socket.MSG_PEEK)
    except (OSError, ValueError):
        return b""


class ConnectionClosed(Exception):
    """The peer closed the connection, or the socket failed."""


class Packet(NamedTuple):
    """One inbound packet: its type, flags and the bytes after the header."""

    kind: int
    flags: int
    payload: bytes


class PacketStream:
    """Reads and writes packets on a connected socket.

    Args:
        sock: the connected socket (owned by the caller).
        max_size: the largest inbound packet accepted before ACCEPT.
    """

    __slots__ = ("sock", "large", "sdu", "max_size", "_buf", "_pos")

    def __init__(self, sock: socket.socket, max_size: int = 8192) -> None:
        self.sock = sock
        self.large = False
        self.sdu = 8192
        self.max_size = max_size
        self._buf = bytearray()
        self._pos = 0

    def pending(self) -> bytes:
        """The bytes received but not yet returned as packets."""
        return bytes(self._buf[self._pos:])

    def buffered(self) -> bool:
        """Whether a whole packet has been received and not yet read."""
        available = len(self._buf) - self._pos
        if available < HEADER_SIZE:
            return False
        size: int = (_LARGE_HEADER if self.large else _SMALL_HEADER).unpack_from(self._buf, self._pos)[0]
        return available >= size

    def fill(self) -> None:
        """Receive once (the socket is readable): what arrived is buffered for ``next``.

        Raises:
            ConnectionClosed: the peer closed the connection or the socket failed.
        """
        self._receive()

    def next(self) -> Packet | None:
        """The next whole packet received, or None if none is buffered (nothing is received).

        Raises:
            ProtocolError: the header is malformed or the packet too large.
        """
        return self._extract()

    def read(self) -> Packet:
        """Read the next whole packet.

        Raises:
            ConnectionClosed: the peer closed the socket or it failed.
            ProtocolError: the header is malformed or the packet too large.
        """
        while True:
            packet = self._extract()
            if packet is not None:
                return packet
            self._receive()

    def _extract(self) -> Packet | None:
        """Return the next buffered packet, or None if it is incomplete."""
        available = len(self._buf) - self._pos
        if available < HEADER_SIZE:
            return None
        start = self._pos
        if self.large:
            size, kind, flags, _ = _LARGE_HEADER.unpack_from(self._buf, start)
        else:
            size, _, kind, flags, _ = _SMALL_HEADER.unpack_from(self._buf, start)
        self._check_header(size, kind)
        if available < size:
            return None
        with memoryview(self._buf) as view:
            payload = bytes(view[start + HEADER_SIZE:start + size])
        self._pos = start + size
        if self._pos == len(self._buf):
            self._buf.clear()
            self._pos = 0
        return Packet(kind, flags, payload)

    def _check_header(self, size: int, kind: int) -> None:
        if size < HEADER_SIZE:
            raise ProtocolError(f"packet length {size} is shorter than its header")
        if size > self.max_size:
            raise ProtocolError(f"packet of {size} bytes exceeds the limit of {self.max_size}")
        if kind not in _KNOWN_TYPES:
            raise ProtocolError(f"unknown packet type {kind}")

    def _receive(self) -> None:
        try:
            chunk = self.sock.recv(_RECV_SIZE)
        except OSError as exc:
            raise ConnectionClosed(str(exc)) from exc
        if not chunk:
            raise ConnectionClosed("peer closed the connection")
        if self._pos:
            del self._buf[:self._pos]
            self._pos = 0
        self._buf += chunk

    def _header(self, size: int, kind: int, flags: int = 0) -> bytes:
        if self.large:
            return _LARGE_HEADER.pack(size, kind, flags, 0)
        return _SMALL_HEADER.pack(size, 0, kind, flags, 0)

    def frame(self, kind: int, payload: bytes | bytearray, flags: int = 0) -> bytes:
        """Return one packet of the given type around ``payload``."""
        return self._header(HEADER_SIZE + len(payload), kind, flags) + payload

    def frame_data(self, payload: bytes | bytearray | memoryview, data_flags: int = 0,
                   last_flags: int = 0) -> bytearray:
        """Return ``payload`` framed as DATA packets no larger than the SDU."""
        room = self.sdu - _DATA_OVERHEAD
        flags = data_flags.to_bytes(2, "big")
        out = bytearray()
        starts = range(0, max(len(payload), 1), room)
        for start in starts:
            chunk = payload[start:start + room]
            out += self._header(_DATA_OVERHEAD + len(chunk), DATA)
            out += flags if start != starts[-1] else (data_flags | last_flags).to_bytes(2, "big")
            out += chunk
        return out

    def send(self, data: bytes | bytearray) -> None:
        """Write framed packets with one ``sendall``.

        Raises:
            ConnectionClosed: the socket failed.
        """
        try:
            self.sock.sendall(data)
        except OSError as exc:
            raise ConnectionClosed(str(exc)) from exc

    def send_data(self, payload: bytes | bytearray, last_flags: int = 0) -> None:
        """Frame ``payload`` as DATA packets and write them.

        A large payload (a LOB's data) is framed and written a slice at a
        time, so that it is never copied whole.
        """
        step = (self.sdu - _DATA_OVERHEAD) * 64
        if len(payload) <= step:
            self.send(self.frame_data(payload, last_flags=last_flags))
            return
        with memoryview(payload) as view:
            for start in range(0, len(payload), step):
                last = last_flags if start + step >= len(payload) else 0
                self.send(self.frame_data(view[start:start + step], last_flags=last))

    def send_marker(self, marker: int) -> None:
        """Write a MARKER packet of the given kind (BREAK, RESET, INTERRUPT)."""
        self.send(self.frame(MARKER, bytes((1, 0, marker))))
