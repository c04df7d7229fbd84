"""The values of LOBs stored out of row (``lob_store``): references, and long binds.

A reference is a 20-byte blob: ``MAGIC``, ``C`` (CLOB, NCLOB) or ``B``
(BLOB), 8 random bytes, so that sessions need no shared counter.
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypeGuard

__all__ = ["CHUNK", "INLINE", "MAGIC", "REF_SIZE", "LargeLob", "LobRef", "is_ref", "new_ref", "text_chunks"]

INLINE = 32 * 1024  # a value up to this long stays in its row
CHUNK = 32 * 1024  # characters of a CLOB, bytes of a BLOB, per chunk
MAGIC = b"\x00DEVART$LOB"
REF_SIZE = len(MAGIC) + 9


def is_ref(value: object) -> TypeGuard[bytes]:
    """Whether a stored value is a reference to chunks."""
    return type(value) is bytes and len(value) == REF_SIZE and value.startswith(MAGIC)


@dataclass(frozen=True)
class LobRef:
    """A LOB column's value as a query returns it: the reference, not the data."""

    ref: bytes

    @property
    def blob(self) -> bool:
        return self.ref[len(MAGIC)] == ord("B")


@dataclass(frozen=True)
class LargeLob:
    """A bind too long for a row: a temporary LOB's data, or a long string still encoded.

    A long VARCHAR bind (python-oracledb sends a ``DB_TYPE_CLOB`` str so) is
    kept as the client's bytes, with their ``encoding``: stored, it is decoded
    a chunk at a time (``text_chunks``), so that no whole decoded copy is made;
    a long RAW (a ``DB_TYPE_BLOB`` bytes) is kept as the wire read it.
    """

    data: str | bytes | bytearray  # a bytearray: as the wire read it
    encoding: str | None = None  # of ``data``, bytes that are text

    @property
    def blob(self) -> bool:
        return not isinstance(self.data, str) and self.encoding is None

    @property
    def value(self) -> str | bytes:
        """The value whole (for a statement that reads it as a value)."""
        if self.encoding is None:
            return bytes(self.data) if isinstance(self.data, bytearray) else self.data
        assert isinstance(self.data, (bytes, bytearray))
        return self.data.decode(self.encoding, "replace")

    def chunks(self) -> Iterator[str | bytes | bytearray]:
        """The value ``CHUNK`` characters (bytes) at a time."""
        if self.encoding is None:
            return (self.data[first:first + CHUNK] for first in range(0, len(self.data), CHUNK))
        assert isinstance(self.data, (bytes, bytearray))
        return text_chunks(self.data, self.encoding)


def text_chunks(data: bytes | bytearray, encoding: str) -> Iterator[str]:
    """Encoded text decoded a slice at a time, cut into chunks of ``CHUNK`` characters."""
    decoder = codecs.getincrementaldecoder(encoding)("replace")
    pending = ""
    for first in range(0, len(data), CHUNK):
        pending += decoder.decode(data[first:first + CHUNK], final=first + CHUNK >= len(data))
        while len(pending) >= CHUNK:
            yield pending[:CHUNK]
            pending = pending[CHUNK:]
    if pending:
        yield pending


def new_ref(blob: bool) -> bytes:
    """A new reference, for a BLOB's chunks or a CLOB's."""
    return MAGIC + (b"B" if blob else b"C") + os.urandom(8)
