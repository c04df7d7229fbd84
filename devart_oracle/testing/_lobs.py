"""Where the wire's LOB values meet the SQL backend's stored ones.

The two layers know nothing of each other: the backend's ``LobChunks``
is the wire's ``ChunkSource``, its ``LobRef`` a ``Stored`` value; a LOB bind
long enough to be stored out of row goes to the backend as ``LargeLob``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from .sql.lob_refs import INLINE, LargeLob
from .wire.lob import ChunkSource, LobStore, LobValue, Stored, lob_pieces
from .wire.types import decode_bind

if TYPE_CHECKING:
    from .sql import SqlSession

__all__ = ["bound_lob", "chunk_source", "column_pieces", "long_bind"]

_TEXT_TYPES = (1, 8)  # VARCHAR, LONG
_BYTES_TYPES = (23, 24)  # RAW, LONG RAW
_NCHAR_FORM = 2


def chunk_source(sql: SqlSession | None) -> ChunkSource | None:
    """The stored chunks a session's locators read, once it has a backend session."""
    return None if sql is None else sql.chunks


def bound_lob(data: str | bytes | Stored) -> object:
    """A LOB bind's value for the backend: a long one marked for storing by chunk."""
    if isinstance(data, (str, bytes)) and len(data) > INLINE:
        return LargeLob(data)
    return data


def long_bind(ora_type: int, csfrm: int, data: bytearray) -> object:
    """A bind the wire read in place (over ``GROWN`` bytes): text stays encoded, bytes as read, until stored or read."""
    if ora_type in _TEXT_TYPES:
        return LargeLob(data, "utf-16-be" if csfrm == _NCHAR_FORM else "utf-8")
    if ora_type in _BYTES_TYPES:
        return LargeLob(data)
    return decode_bind(ora_type, csfrm, bytes(data))


def column_pieces(store: LobStore, ora_type: int, csfrm: int, data: str | bytes | Stored) -> Iterator[bytes]:
    """A LOB column's value sent as LONG data (``fetch_lobs=False``), a slice at a time."""
    if isinstance(data, Stored):
        lob = LobValue(ora_type, csfrm, b"", stored=data, size=store.chunks().length(data.ref))
        return store.pieces(lob)
    return lob_pieces(LobValue(ora_type, csfrm, ""), data)
