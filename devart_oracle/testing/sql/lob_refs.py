"""The values of LOBs stored out of row (``lob_store``): references, and long binds.

A reference is a 20-byte blob: ``MAGIC``, ``C`` (CLOB, NCLOB) or ``B``
(BLOB), 8 random bytes, so that sessions need no shared counter.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TypeGuard

__all__ = ["CHUNK", "INLINE", "MAGIC", "REF_SIZE", "LargeLob", "LobRef", "is_ref", "new_ref"]

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
    """A LOB bind too long for its row (the wire layer's temporary LOB data)."""

    data: str | bytes


def new_ref(blob: bool) -> bytes:
    """A new reference, for a BLOB's chunks or a CLOB's."""
    return MAGIC + (b"B" if blob else b"C") + os.urandom(8)
