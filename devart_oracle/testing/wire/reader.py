"""A structural reader for TTC requests that span DATA packets.

TTC messages carry no length of their own: a request is a run of messages
whose extent is known only by parsing them, and the client splits the run
into DATA packets wherever its buffer fills up, even in the middle of an
integer. The reader therefore works over the payload of the current packet
and, when a read needs more bytes than are left, asks its ``more`` callback
for the payload of the next DATA packet and carries the unread tail over.
"""

from __future__ import annotations

from typing import Callable

from .dialect import THIN, Dialect

__all__ = ["GROWN", "MessageReader", "ProtocolError"]

GROWN = 64 * 1024  # a bind value longer than this stays a bytearray (``MessageReader.b``)
_NULL = 255
_LONG_FORM = 254


class ProtocolError(Exception):
    """The peer sent bytes that do not follow the protocol."""


class MessageReader:
    """Reads TTC primitives from a request, pulling packets as needed.

    Args:
        more: returns the payload of the next DATA packet (after its data
            flags); it raises to abort the request.

    Attributes:
        dialect: the client's dialect (thin until data-types negotiation
            says otherwise), which the request parsers consult.
    """

    __slots__ = ("_data", "_pos", "_more", "dialect")

    def __init__(self, more: Callable[[], bytes]) -> None:
        self._data = b""
        self._pos = 0
        self._more = more
        self.dialect: Dialect = THIN

    def start(self, payload: bytes) -> None:
        """Begin a request with the payload of its first DATA packet."""
        self._data = payload
        self._pos = 0

    def at_end(self) -> bool:
        """Whether the current packet is used up (no further packet is read)."""
        return self._pos >= len(self._data)

    def _fill(self, size: int) -> None:
        """Make ``size`` bytes available at the current position."""
        while len(self._data) - self._pos < size:
            self._data = self._data[self._pos:] + self._more()
            self._pos = 0

    def raw(self, size: int) -> bytes:
        """Read ``size`` bytes."""
        if len(self._data) - self._pos < size:
            self._fill(size)
        start = self._pos
        self._pos = start + size
        return self._data[start:self._pos]

    def peek(self) -> int:
        """Return the next byte without consuming it."""
        if self._pos >= len(self._data):
            self._fill(1)
        return self._data[self._pos]

    def u8(self) -> int:
        """Read one byte."""
        pos = self._pos
        try:
            value = self._data[pos]
        except IndexError:  # the packet is used up (the position is never past its end)
            self._fill(1)
            pos = self._pos
            value = self._data[pos]
        self._pos = pos + 1
        return value

    def u16be(self) -> int:
        """Read a big-endian 16-bit integer."""
        return int.from_bytes(self.raw(2), "big")

    def u16le(self) -> int:
        """Read a little-endian 16-bit integer."""
        return int.from_bytes(self.raw(2), "little")

    def ub(self, max_size: int = 8) -> int:
        """Read an unsigned universal integer of at most ``max_size`` bytes."""
        data, pos = self._data, self._pos
        if pos < len(data):  # the common case, the whole integer at hand: read in place
            size = data[pos]
            end = pos + 1 + size
            if size <= max_size and end <= len(data):
                self._pos = end
                if size <= 1:  # most fields: zero, or one byte
                    return data[pos + 1] if size else 0
                return int.from_bytes(data[pos + 1:end], "big")
        size = self.u8()
        if size == 0:
            return 0
        if size > max_size:
            raise ProtocolError(f"integer of {size} bytes where at most {max_size} fit")
        return int.from_bytes(self.raw(size), "big")

    def sb(self, max_size: int = 4) -> int:
        """Read a signed universal integer of at most ``max_size`` bytes."""
        head = self.u8()
        size = head & 0x7F
        if size > max_size:
            raise ProtocolError(f"integer of {size} bytes where at most {max_size} fit")
        value = int.from_bytes(self.raw(size), "big") if size else 0
        return -value if head & 0x80 else value

    def b(self) -> bytes | None:
        """Read a ``B`` string; ``None`` for NULL."""
        at, pos = self._data, self._pos
        if pos < len(at):  # the common case, a short value at hand: read in place
            size = at[pos]
            end = pos + 1 + size
            if 0 < size < _LONG_FORM and end <= len(at):
                self._pos = end
                return at[pos + 1:end]
        size = self.u8()
        if size == 0 or size == _NULL:
            return None
        if size != _LONG_FORM:
            return self.raw(size)
        chunks: list[bytes] = []
        big = self.dialect.big_chunks
        while True:
            chunk_size = self.ub(4) if big else self.u8()
            if chunk_size == 0:
                return b"".join(chunks)
            chunks.append(self.raw(chunk_size))

    def b_grown(self) -> bytes | bytearray | None:
        """Read a ``B`` string (a bind value), a long one gathered in place.

        One over ``GROWN`` bytes is returned as the ``bytearray`` it grew in,
        so that a 10 MB value costs 10 MB, not its chunks and their join.
        """
        at, pos = self._data, self._pos
        if (at[pos] if pos < len(at) else self.peek()) != _LONG_FORM:
            return self.b()  # a short value (read in place there) or NULL
        self.u8()
        data = bytearray()
        big = self.dialect.big_chunks
        while chunk_size := self.ub(4) if big else self.u8():
            data += self.raw(chunk_size)
        return data if len(data) > GROWN else bytes(data)

    def s(self) -> bytes | None:
        """Read an ``S`` string (``ub4`` length, then a ``B``); ``None`` if empty."""
        if self.ub(4) == 0:
            return None
        return self.b()

    def text(self) -> str | None:
        """Read an ``S`` string as UTF-8 text."""
        data = self.s()
        return None if data is None else data.decode("utf-8", "replace")

    def skip_records(self, size: int) -> None:
        """Skip ``size``-byte records up to one that starts with two zero bytes.

        Data-types negotiation sends some 330 eight-byte records; scanning the
        buffer here costs a fraction of reading them field by field.
        """
        while True:
            self._fill(2)
            data, pos = self._data, self._pos
            limit = len(data) - 1
            while pos < limit and (data[pos] or data[pos + 1]):
                pos += size
            if pos < limit:
                self._pos = pos + 2
                return
            self._pos = min(pos, len(data))
            if pos > len(data):
                self.raw(pos - len(data))

    def cstring(self) -> bytes:
        """Read bytes up to and excluding a NUL terminator."""
        chunks: list[int] = []
        while True:
            byte = self.u8()
            if byte == 0:
                return bytes(chunks)
            chunks.append(byte)
