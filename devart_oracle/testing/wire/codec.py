"""The value encodings of the TTC wire, in both directions.

TTC messages are built from a handful of primitive encodings:

* fixed-width integers (``u8``, ``u16be``, ``u16le``, ``u32be``);
* *universal* integers: a length byte (0-8) followed by that many big-endian
  bytes; zero is the single byte ``00``. Signed ones set 0x80 in the length
  byte when negative and carry the magnitude;
* ``B`` byte strings: a length byte then the bytes. 0 and 255 mean NULL, 254
  opens the long form (``ub4`` chunk lengths, each followed by its bytes,
  closed by a zero length; one-byte lengths for a client without big
  chunks, see ``dialect``). The short form carries at most 252 bytes;
* ``S`` byte strings: a ``ub4`` length, then (when non-zero) a ``B``.

Column and bind values travel as ``B`` strings holding Oracle's own formats:

* NUMBER: see ``number``.
* DATE is seven bytes: ``century+100``, ``year%100+100``, month, day and
  hour, minute, second each plus one. TIMESTAMP appends the nanoseconds as a
  ``u32be``; TIMESTAMP WITH TIME ZONE appends two more offset bytes.
* BINARY_DOUBLE / BINARY_FLOAT are IEEE big-endian with the sign bit flipped
  for positive values and every bit inverted for negative ones, so that the
  bytes sort like the numbers.

``Writer`` builds outgoing messages in one ``bytearray``; the incoming side
is in ``reader``.
"""

from __future__ import annotations

import datetime
import struct
from collections.abc import Callable, Iterable
from typing import Any

from .dialect import THIN, Dialect

__all__ = [
    "Writer",
    "decode_binary_double",
    "decode_binary_float",
    "decode_date",
    "decode_interval_ds",
    "encode_binary_double",
    "encode_binary_float",
    "encode_date",
    "encode_interval_ds",
    "encode_interval_ym",
    "encode_timestamp",
]

_MAX_SHORT = 252
_LONG_FORM = 254
_CHUNK = 32767
SPILL = 1024 * 1024  # bytes of a streamed reply sent at a time
_SMALL_CHUNK = 255
# universal integers encoded: every one below 256, and others as they are written (the hot
# replies repeat theirs: 1403, row counts, cursor ids), up to _ENCODED_MAX values
_ENCODED: dict[int, bytes] = {0: b"\x00", **{value: bytes((1, value)) for value in range(1, 256)}}
_ENCODED_MAX = 4096


class Writer:
    """An append-only buffer with the TTC primitive encodings.

    Args:
        dialect: the client's dialect, which the message builders consult.

    Attributes:
        sink: where a long reply may send what it has written so far (the
            session's DATA packets), or None to keep the whole reply.
    """

    __slots__ = ("buf", "dialect", "sink")

    def __init__(self, dialect: Dialect = THIN, sink: Callable[[bytearray], None] | None = None) -> None:
        self.buf = bytearray()
        self.dialect = dialect
        self.sink = sink

    def spill(self) -> None:
        """Send the buffer through ``sink`` once it holds ``SPILL`` bytes (a long LOB read, streamed)."""
        if self.sink is not None and len(self.buf) >= SPILL:
            self.sink(self.buf)
            del self.buf[:]

    def u8(self, value: int) -> None:
        """Append one byte."""
        self.buf.append(value)

    def u16be(self, value: int) -> None:
        """Append a big-endian 16-bit integer."""
        self.buf += value.to_bytes(2, "big")

    def u16le(self, value: int) -> None:
        """Append a little-endian 16-bit integer."""
        self.buf += value.to_bytes(2, "little")

    def u32be(self, value: int) -> None:
        """Append a big-endian 32-bit integer."""
        self.buf += value.to_bytes(4, "big")

    def ubs(self, *values: int) -> None:
        """Append unsigned universal integers (ub1/ub2/ub4/ub8), one after the other.

        A message's run of fields goes in with one call: the hot replies are
        made of such runs, whose values are most often in ``_ENCODED``.
        """
        try:
            self.buf += b"".join(map(_ENCODED.__getitem__, values))
        except KeyError:
            for value in values:
                self.ub(value)

    def ub(self, value: int) -> None:
        """Append one unsigned universal integer."""
        encoded = _ENCODED.get(value)
        if encoded is None:
            size = (value.bit_length() + 7) >> 3
            encoded = bytes((size,)) + value.to_bytes(size, "big")  # OverflowError when negative
            if len(_ENCODED) < _ENCODED_MAX:
                _ENCODED[value] = encoded
        self.buf += encoded

    def sb(self, value: int) -> None:
        """Append a signed universal integer (sb2/sb4)."""
        if value >= 0:
            self.ub(value)
            return
        magnitude = -value
        size = (magnitude.bit_length() + 7) >> 3
        self.buf.append(size | 0x80)
        self.buf += magnitude.to_bytes(size, "big")

    def raw(self, data: bytes | bytearray) -> None:
        """Append bytes as they are."""
        self.buf += data

    def b(self, data: bytes | None) -> None:
        """Append a ``B`` string (``None`` and empty are both written as NULL)."""
        if not data:
            self.buf.append(0)
            return
        size = len(data)
        if size <= _MAX_SHORT:
            self.buf.append(size)
            self.buf += data
            return
        self.b_pieces((data,))

    def b_encoded(self, values: Iterable[object], encoders: Iterable[Callable[[Any], bytes]]) -> None:
        """Append each value's ``B`` string, as ``b`` would, encoded by its encoder (None: NULL).

        A row's column values, in one call: it runs for every row fetched.
        """
        buf = self.buf
        for value, encode in zip(values, encoders):
            data = None if value is None else encode(value)
            if not data:
                buf.append(0)
            elif len(data) <= _MAX_SHORT:
                buf.append(len(data))
                buf += data
            else:
                self.b_pieces((data,))

    def b_pieces(self, pieces: Iterable[bytes], spill: bool = False) -> None:
        """Append a non-empty ``B`` string in its long form from pieces made one at a time.

        A large LOB read is encoded a slice at a time into the buffer, so
        that its whole encoded text never exists apart from the reply; with
        ``spill`` the buffer is sent on as it fills (``Writer.spill``), so that
        the reply is never whole either.
        """
        self.buf.append(_LONG_FORM)
        big = self.dialect.big_chunks
        step = _CHUNK if big else _SMALL_CHUNK
        for piece in pieces:
            with memoryview(piece) as view:
                for start in range(0, len(piece), step):
                    chunk = view[start:start + step]
                    if big:
                        self.ub(len(chunk))
                    else:
                        self.buf.append(len(chunk))
                    self.buf += chunk
            if spill:
                self.spill()
        self.buf.append(0)

    def s(self, data: bytes | None) -> None:
        """Append an ``S`` string: a ``ub4`` length, then a ``B`` if non-empty."""
        if not data:
            self.buf.append(0)
            return
        size = len(data)
        if size <= _MAX_SHORT:  # most (a logon's parameters): both lengths one byte
            self.buf += bytes((1, size, size))
            self.buf += data
            return
        self.ub(size)
        self.b(data)

    def text(self, value: str | None) -> None:
        """Append a string as an ``S`` string of UTF-8 bytes."""
        self.s(None if value is None else value.encode())


# ----------------------------------------------------------- DATE, TIMESTAMP

def encode_date(value: datetime.date) -> bytes:
    """Encode a date or datetime as an Oracle DATE (seven bytes, no fraction)."""
    year = value.year
    if isinstance(value, datetime.datetime):
        clock = (value.hour + 1, value.minute + 1, value.second + 1)
    else:
        clock = (1, 1, 1)
    return bytes((year // 100 + 100, year % 100 + 100, value.month, value.day, *clock))


def encode_timestamp(value: datetime.date) -> bytes:
    """Encode a date or datetime as an Oracle TIMESTAMP (eleven bytes)."""
    micros = value.microsecond if isinstance(value, datetime.datetime) else 0
    return encode_date(value) + (micros * 1000).to_bytes(4, "big")


def decode_date(data: bytes) -> datetime.datetime:
    """Decode DATE, TIMESTAMP or TIMESTAMP WITH TIME ZONE bytes (offset dropped).

    Raises:
        ValueError: the bytes are not a date Python can represent.
    """
    if len(data) not in (7, 11, 13):
        raise ValueError(f"{len(data)} bytes cannot hold an Oracle DATE")
    year = (data[0] - 100) * 100 + data[1] - 100
    micros = int.from_bytes(data[7:11], "big") // 1000 if len(data) >= 11 else 0
    return datetime.datetime(
        year, data[2], data[3], data[4] - 1, data[5] - 1, data[6] - 1, micros
    )


# ----------------------------------------------------- BINARY_DOUBLE / FLOAT

def _unflip(data: bytes) -> bytes:
    """Undo the sortable-bytes transform of BINARY_DOUBLE/BINARY_FLOAT."""
    if data[0] & 0x80:
        return bytes([data[0] & 0x7F]) + data[1:]
    return bytes(~byte & 0xFF for byte in data)


def decode_binary_double(data: bytes) -> float:
    """Decode BINARY_DOUBLE bytes."""
    if len(data) != 8:
        raise ValueError(f"{len(data)} bytes cannot hold a BINARY_DOUBLE")
    return float(struct.unpack(">d", _unflip(data))[0])


def decode_binary_float(data: bytes) -> float:
    """Decode BINARY_FLOAT bytes."""
    if len(data) != 4:
        raise ValueError(f"{len(data)} bytes cannot hold a BINARY_FLOAT")
    return float(struct.unpack(">f", _unflip(data))[0])


def _flip(data: bytes) -> bytes:
    """The sortable-bytes transform of BINARY_DOUBLE/BINARY_FLOAT."""
    if data[0] & 0x80:
        return bytes(~byte & 0xFF for byte in data)
    return bytes([data[0] | 0x80]) + data[1:]


def encode_binary_double(value: float) -> bytes:
    """Encode a BINARY_DOUBLE."""
    return _flip(struct.pack(">d", value))


def encode_binary_float(value: float) -> bytes:
    """Encode a BINARY_FLOAT (rounded to single precision)."""
    return _flip(struct.pack(">f", value))


# ------------------------------------------------------------------ INTERVAL

_DURATION_MID = 0x80000000
_DURATION_OFFSET = 60


def encode_interval_ds(value: datetime.timedelta) -> bytes:
    """Encode an INTERVAL DAY TO SECOND: days, hours, minutes, seconds, nanoseconds.

    Every part carries the sign, as Oracle stores it.
    """
    micros = (value.days * 86400 + value.seconds) * 10**6 + value.microseconds
    sign = -1 if micros < 0 else 1
    seconds, fraction = divmod(abs(micros), 10**6)
    days, seconds = divmod(seconds, 86400)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    return ((sign * days + _DURATION_MID).to_bytes(4, "big")
            + bytes(sign * part + _DURATION_OFFSET for part in (hours, minutes, seconds))
            + (sign * fraction * 1000 + _DURATION_MID).to_bytes(4, "big"))


def decode_interval_ds(data: bytes) -> datetime.timedelta:
    """Decode INTERVAL DAY TO SECOND bytes."""
    if len(data) != 11:
        raise ValueError(f"{len(data)} bytes cannot hold an INTERVAL DAY TO SECOND")
    days = int.from_bytes(data[:4], "big") - _DURATION_MID
    hours, minutes, seconds = (byte - _DURATION_OFFSET for byte in data[4:7])
    nanos = int.from_bytes(data[7:11], "big") - _DURATION_MID
    return datetime.timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds,
                              microseconds=nanos // 1000)


def encode_interval_ym(years: int, months: int) -> bytes:
    """Encode an INTERVAL YEAR TO MONTH."""
    return (years + _DURATION_MID).to_bytes(4, "big") + bytes((months + _DURATION_OFFSET,))
