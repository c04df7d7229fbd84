"""LOB locators of the TTC wire, and the LOB values a session holds behind them.

A fetched CLOB, NCLOB or BLOB travels as a *locator*: in a row, a ``ub4``
locator length, the LOB's size (``ub8``) and chunk size (``ub4``), then the
locator as a ``B`` string. The client treats a locator as opaque bytes except
for four flag bytes: byte 4 (``0x01`` BLOB, ``0x40`` abstract, that is value
based), byte 6 (``0x80``: the CLOB's data is UTF-16; left clear here, so CLOB
data is UTF-8 and offsets and amounts count characters) and byte 7 (``0x01``
temporary). A locator flagged abstract or temporary is one the client frees
when its LOB object goes away (a FREE_TEMP piggyback on a later call), so the
server may hold the value behind it until then and no longer.

Every locator this server hands out is such a value: bytes 8-15 hold the id
of the value in the session's ``LobStore``. A LOB operation names its
locator (``lob_ops`` carries them out). A value is held whole, or, for a
LOB the SQL backend stores out of row, as its reference (``Stored``): then
its size is asked once and a read takes the backend's chunks it covers
(``ChunkSource``), so a fetched 10 MB LOB costs the session nothing until
the client reads it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from .codec import Writer
from .oraerror import WireError
from .reader import MessageReader

__all__ = [
    "BLOB", "CHUNK_SIZE", "CLOB", "LOB_TYPES", "ChunkSource", "LobStore", "LobValue", "Stored", "bind_data",
    "free_temp_locators", "lob_bytes", "lob_data", "lob_pieces", "locator_id", "write_locator",
]

CLOB = 112
BLOB = 113
LOB_TYPES = (CLOB, BLOB)
CHUNK_SIZE = 8132  # what Oracle reports for an 8 KB block
SLICE = 64 * 1024  # characters or bytes of a LOB encoded at a time for a reply
_LOCATOR_SIZE = 40
_FLAG_BLOB, _FLAG_ABSTRACT, _FLAG_INIT, _FLAG_TEMP = 0x01, 0x40, 0x08, 0x01
_NCHAR_FORM = 2


@runtime_checkable
class Stored(Protocol):
    """A LOB value the SQL backend keeps out of row: its reference."""

    @property
    def ref(self) -> bytes: ...


class ChunkSource(Protocol):
    """Where the chunks of stored values are read (the session's SQL backend)."""

    def length(self, ref: bytes) -> int: ...

    def pieces(self, ref: bytes, start: int, count: int) -> Iterator[str | bytes]: ...

    def value(self, ref: bytes) -> str | bytes: ...


@dataclass
class LobValue:
    """One LOB the session holds: its kind (CLOB/BLOB), charset form and data.

    A stored value has ``stored`` (its reference) and ``size`` instead of ``data``.
    """

    ora_type: int
    csfrm: int
    data: str | bytes
    is_open: bool = False
    origin: tuple[str, str, int] | None = None  # (table, column, rowid) of a row read FOR UPDATE
    stored: Stored | None = None
    size: int = 0

    @property
    def empty(self) -> str | bytes:
        return b"" if self.ora_type == BLOB else ""

    def length(self) -> int:
        """Characters (CLOB, NCLOB) or bytes (BLOB)."""
        return self.size if self.stored is not None else len(self.data)


class EmptyText(str):
    """An empty CLOB bound: unlike ``''``, which Oracle reads as NULL, it is a value."""


class EmptyBytes(bytes):
    """An empty BLOB bound (see ``EmptyText``)."""


def bind_data(lob: LobValue) -> str | bytes | Stored:
    """The data of a bound LOB, an empty one marked so that it is not taken for NULL."""
    if lob.stored is not None:
        return lob.stored
    if lob.data:
        return lob.data
    return EmptyBytes() if lob.ora_type == BLOB else EmptyText()


def _locator(lob_id: int, lob: LobValue) -> bytes:
    head = bytearray(_LOCATOR_SIZE)
    head[0:2] = (_LOCATOR_SIZE - 2).to_bytes(2, "big")
    head[2:4] = (4).to_bytes(2, "big")  # locator version
    head[4] = _FLAG_ABSTRACT | (_FLAG_BLOB if lob.ora_type == BLOB else 0)
    head[5] = _FLAG_INIT
    head[7] = _FLAG_TEMP
    head[8:16] = lob_id.to_bytes(8, "big")
    head[16] = lob.csfrm
    return bytes(head)


def locator_id(locator: bytes) -> int:
    """The store id a locator of this server names.

    Raises:
        WireError: ORA-22275 for bytes that are no locator of this server.
    """
    if len(locator) != _LOCATOR_SIZE or locator[0:2] != (_LOCATOR_SIZE - 2).to_bytes(2, "big"):
        raise WireError(22275)
    return int.from_bytes(locator[8:16], "big")


class LobStore:
    """The LOB values one session holds, by locator id, until the client frees them."""

    __slots__ = ("_lobs", "_next", "_source")

    def __init__(self, source: Callable[[], ChunkSource | None] = lambda: None) -> None:
        self._lobs: dict[int, LobValue] = {}
        self._next = 1
        self._source = source

    def chunks(self) -> ChunkSource:
        """The backend's chunks (a stored value exists only with a backend session)."""
        source = self._source()
        if source is None:
            raise WireError(22275)
        return source

    def pieces(self, lob: LobValue, start: int = 0, count: int | None = None) -> Iterator[bytes]:
        """A value's ``[start:start + count]`` as the wire carries it, a slice at a time."""
        if lob.stored is None:
            return lob_pieces(lob, lob.data, start, count)
        end = lob.size if count is None else min(lob.size, start + count)
        chunks = self.chunks().pieces(lob.stored.ref, start, max(end - start, 0))
        return (lob_bytes(lob, piece) for chunk in chunks for piece in _slices(chunk))

    def materialise(self, lob: LobValue) -> None:
        """Give a stored value its data (before a write changes it)."""
        if lob.stored is not None:
            lob.data, lob.stored = self.chunks().value(lob.stored.ref), None

    def __len__(self) -> int:
        return len(self._lobs)

    def add(self, lob: LobValue) -> bytes:
        """Hold a value; returns its locator."""
        lob_id, self._next = self._next, self._next + 1
        self._lobs[lob_id] = lob
        return _locator(lob_id, lob)

    def get(self, locator: bytes) -> LobValue:
        """The value behind a locator.

        Raises:
            WireError: ORA-22275 when the locator is not (or no longer) valid.
        """
        lob = self._lobs.get(locator_id(locator))
        if lob is None:
            raise WireError(22275)
        return lob

    def free(self, locators: list[bytes]) -> None:
        """Drop the values behind freed locators (unknown ones are ignored)."""
        for locator in locators:
            if len(locator) == _LOCATOR_SIZE:
                self._lobs.pop(locator_id(locator), None)


def write_locator(w: Writer, store: LobStore, ora_type: int, csfrm: int,
                  data: str | bytes | Stored, origin: tuple[str, str, int] | None = None) -> None:
    """Write a LOB column value of a row: hold ``data`` (or its reference) and send its locator."""
    if isinstance(data, Stored):
        lob = LobValue(ora_type, csfrm, b"", origin=origin, stored=data, size=store.chunks().length(data.ref))
    else:
        lob = LobValue(ora_type, csfrm, data, origin=origin)
    locator = store.add(lob)
    w.ub(len(locator))
    w.ub(lob.length())
    w.ub(CHUNK_SIZE)
    w.b(locator)


def lob_data(ora_type: int, value: object) -> str | bytes | Stored:
    """A backend value as the data of a CLOB/NCLOB (text) or BLOB (bytes), or its reference.

    Raises:
        WireError: ORA-01465 for text that is no hex into a BLOB.
    """
    if isinstance(value, Stored):
        return value
    if ora_type == BLOB:
        if isinstance(value, (bytes, bytearray, memoryview)):
            return bytes(value)
        try:
            return bytes.fromhex(str(value))
        except ValueError as exc:
            raise WireError(1465) from exc
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex().upper()
    return value if isinstance(value, str) else str(value)


# ------------------------------------------------------------ the data

def _encoding(lob: LobValue) -> str:
    return "utf-16-be" if lob.csfrm == _NCHAR_FORM else "utf-8"


def lob_bytes(lob: LobValue, data: str | bytes) -> bytes:
    """A piece of a LOB's data as the wire carries it."""
    return data if isinstance(data, bytes) else data.encode(_encoding(lob))


def _slices(data: str | bytes) -> Iterator[str | bytes]:
    for first in range(0, len(data), SLICE):
        yield data[first:first + SLICE]


def lob_pieces(lob: LobValue, data: str | bytes, start: int = 0, count: int | None = None) -> Iterator[bytes]:
    """``data[start:start + count]`` as the wire carries it, a slice of ``SLICE`` at a time.

    A large LOB is read and sent without a whole copy of it, encoded or not:
    the pieces go straight into the reply (``Writer.b_pieces``).
    """
    end = len(data) if count is None else min(len(data), start + count)
    for first in range(start, end, SLICE):
        yield lob_bytes(lob, data[first:min(first + SLICE, end)])


def free_temp_locators(r: MessageReader) -> list[bytes]:
    """Read a FREE_TEMP piggyback's body; returns the locators to free."""
    r.u8()
    total = r.ub(4)
    for kind in "buuubbbubuuubbububu":
        r.u8() if kind == "b" else r.ub(8)
    data = r.raw(total)
    return [data[i:i + _LOCATOR_SIZE] for i in range(0, len(data), _LOCATOR_SIZE)]
