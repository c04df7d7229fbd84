"""LOB locators and the LOB operations call (function 96) of the TTC wire.

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
locator, an offset and an amount (1-based, in characters for CLOB and NCLOB,
bytes for BLOB) and maybe data; the reply is LOB_DATA for a read, then a
PARAMETER message with the locator again, the amount (when the call sent one)
or the is-open flag, then the end of call.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from .codec import Writer
from .oraerror import WireError
from .reader import MessageReader

__all__ = [
    "BLOB", "CLOB", "LOB_TYPES", "LobOp", "LobStore", "LobValue", "bind_data", "free_temp_locators",
    "lob_bytes", "lob_data", "lob_pieces", "locator_id", "read_lob_op", "run_lob_op", "write_locator",
]

CLOB = 112
BLOB = 113
LOB_TYPES = (CLOB, BLOB)
MSG_LOB_DATA = 14
MSG_PARAMETER = 8

OP_GET_LENGTH = 0x0001
OP_READ = 0x0002
OP_TRIM = 0x0020
OP_WRITE = 0x0040
OP_GET_CHUNK_SIZE = 0x4000
OP_CREATE_TEMP = 0x0110
OP_FREE_TEMP = 0x0111
OP_OPEN = 0x8000
OP_CLOSE = 0x10000
OP_IS_OPEN = 0x11000

CHUNK_SIZE = 8132  # what Oracle reports for an 8 KB block
SLICE = 64 * 1024  # characters or bytes of a LOB encoded at a time for a reply
_LOCATOR_SIZE = 40
_FLAG_BLOB, _FLAG_ABSTRACT, _FLAG_INIT, _FLAG_TEMP = 0x01, 0x40, 0x08, 0x01
_NCHAR_FORM = 2


@dataclass
class LobValue:
    """One LOB the session holds: its kind (CLOB/BLOB), charset form and data."""

    ora_type: int
    csfrm: int
    data: str | bytes
    is_open: bool = False
    origin: tuple[str, str, int] | None = None  # (table, column, rowid) of a row read FOR UPDATE

    @property
    def empty(self) -> str | bytes:
        return b"" if self.ora_type == BLOB else ""


class EmptyText(str):
    """An empty CLOB bound: unlike ``''``, which Oracle reads as NULL, it is a value."""


class EmptyBytes(bytes):
    """An empty BLOB bound (see ``EmptyText``)."""


def bind_data(lob: LobValue) -> str | bytes:
    """The data of a bound LOB, an empty one marked so that it is not taken for NULL."""
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

    __slots__ = ("_lobs", "_next")

    def __init__(self) -> None:
        self._lobs: dict[int, LobValue] = {}
        self._next = 1

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
                  data: str | bytes, origin: tuple[str, str, int] | None = None) -> None:
    """Write a LOB column value of a row: hold ``data`` and send its locator."""
    locator = store.add(LobValue(ora_type, csfrm, data, origin=origin))
    w.ub(len(locator))
    w.ub(len(data))
    w.ub(CHUNK_SIZE)
    w.b(locator)


# ---------------------------------------------------------------- the call

@dataclass
class LobOp:
    """A LOB operations call as the client sends it."""

    operation: int
    locator: bytes | None
    source_offset: int
    dest_offset: int
    amount: int | None
    data: bytes | None
    charset: int | None


def read_lob_op(r: MessageReader) -> LobOp:
    """Read a LOB operations call's body (after its function code and sequence)."""
    has_source = r.u8()
    source_length = r.ub(4)
    r.u8()  # dest pointer
    r.ub(4)  # dest length (the duration for CREATE_TEMP)
    r.ub(4)  # short source offset
    r.ub(4)  # short dest offset
    has_charset = r.u8()
    r.u8()  # short amount pointer
    r.u8()  # NULL LOB pointer
    operation = r.ub(4)
    r.u8()  # SCN array pointer
    r.u8()  # SCN array length
    source_offset, dest_offset = r.ub(8), r.ub(8)
    has_amount = r.u8()
    r.raw(6)  # array LOB fields
    locator = r.raw(source_length) if has_source else None
    charset = r.ub(4) if has_charset else None
    data = None
    if operation == OP_WRITE:  # the only operation that carries data
        if r.u8() != MSG_LOB_DATA:
            raise WireError(3115, "LOB write without data")
        data = r.b() or b""
    amount = r.ub(8) if has_amount else None
    return LobOp(operation, locator, source_offset, dest_offset, amount, data, charset)


def free_temp_locators(r: MessageReader) -> list[bytes]:
    """Read a FREE_TEMP piggyback's body; returns the locators to free."""
    r.u8()
    total = r.ub(4)
    for kind in "buuubbbubuuubbububu":
        r.u8() if kind == "b" else r.ub(8)
    data = r.raw(total)
    return [data[i:i + _LOCATOR_SIZE] for i in range(0, len(data), _LOCATOR_SIZE)]


def lob_reply(w: Writer, op: LobOp, locator: bytes, *, data: Iterable[bytes] | None = None,
              amount: int | None = None, flag: bool | None = None) -> None:
    """Write a LOB call's reply, up to (not including) its end of call.

    ``data`` (a read's) is the pieces of a non-empty value, as ``lob_pieces`` makes them.
    """
    if data is not None:
        w.u8(MSG_LOB_DATA)
        w.b_pieces(data)
    w.u8(MSG_PARAMETER)
    w.raw(locator)
    if op.operation == OP_CREATE_TEMP:
        w.ub(0)  # character set
        w.u8(0)  # trailing flags
    elif op.amount is not None:
        w.sb(amount or 0)
    if flag is not None:
        w.u8(1 if flag else 0)



# --------------------------------------------------------------- executing

def _encoding(lob: LobValue) -> str:
    return "utf-16-be" if lob.csfrm == _NCHAR_FORM else "utf-8"


def lob_bytes(lob: LobValue, data: str | bytes) -> bytes:
    """A piece of a LOB's data as the wire carries it."""
    return data if isinstance(data, bytes) else data.encode(_encoding(lob))


def lob_pieces(lob: LobValue, data: str | bytes, start: int = 0, count: int | None = None) -> Iterator[bytes]:
    """``data[start:start + count]`` as the wire carries it, a slice of ``SLICE`` at a time.

    A large LOB is read and sent without a whole copy of it, encoded or not:
    the pieces go straight into the reply (``Writer.b_pieces``).
    """
    end = len(data) if count is None else min(len(data), start + count)
    for first in range(start, end, SLICE):
        yield lob_bytes(lob, data[first:min(first + SLICE, end)])


def _from_wire(lob: LobValue, data: bytes) -> str | bytes:
    return data if lob.ora_type == BLOB else data.decode(_encoding(lob), "replace")


def _write(lob: LobValue, offset: int, piece: str | bytes) -> None:
    """Oracle's write: past the end, the gap is filled with blanks (CLOB) or zero bytes."""
    start = max(offset, 1) - 1
    data = lob.data
    gap = start - len(data)
    if isinstance(data, bytes):
        assert isinstance(piece, bytes)
        lob.data = data[:start] + b"\x00" * gap + piece + data[start + len(piece):]
    else:
        assert isinstance(piece, str)
        lob.data = data[:start] + " " * gap + piece + data[start + len(piece):]


def _open(lob: LobValue, wanted: bool) -> None:
    if lob.is_open == wanted:
        raise WireError(22293 if wanted else 22289)
    lob.is_open = wanted


def _read(store: LobStore, lob: LobValue, op: LobOp, w: Writer) -> bool:
    start = max(op.source_offset, 1) - 1
    count = max(0, min(op.amount or 0, len(lob.data) - start))
    pieces = lob_pieces(lob, lob.data, start, count) if count else None
    lob_reply(w, op, op.locator or b"", data=pieces, amount=count)
    return False


def _write_op(store: LobStore, lob: LobValue, op: LobOp, w: Writer) -> bool:
    _write(lob, op.source_offset, _from_wire(lob, op.data or b""))
    lob_reply(w, op, op.locator or b"")
    return True


def _trim(store: LobStore, lob: LobValue, op: LobOp, w: Writer) -> bool:
    if (op.amount or 0) > len(lob.data):
        raise WireError(22926)
    lob.data = lob.data[:op.amount or 0]
    lob_reply(w, op, op.locator or b"")
    return True


def _answer(value: Callable[[LobValue], int | None] = lambda lob: None,
            flag: Callable[[LobValue], bool | None] = lambda lob: None) -> _Handler:
    """A handler that changes nothing and answers with an amount or a flag."""
    def handle(store: LobStore, lob: LobValue, op: LobOp, w: Writer) -> bool:
        lob_reply(w, op, op.locator or b"", amount=value(lob), flag=flag(lob))
        return False
    return handle


def _opener(wanted: bool) -> _Handler:
    def handle(store: LobStore, lob: LobValue, op: LobOp, w: Writer) -> bool:
        _open(lob, wanted)
        lob_reply(w, op, op.locator or b"")
        return False
    return handle


def _free(store: LobStore, lob: LobValue, op: LobOp, w: Writer) -> bool:
    store.free([op.locator or b""])
    lob_reply(w, op, op.locator or b"")
    return False


_Handler = Callable[[LobStore, LobValue, LobOp, Writer], bool]  # True: the LOB changed
_HANDLERS: dict[int, _Handler] = {
    OP_READ: _read, OP_WRITE: _write_op, OP_TRIM: _trim,
    OP_GET_LENGTH: _answer(value=lambda lob: len(lob.data)),
    OP_GET_CHUNK_SIZE: _answer(value=lambda lob: CHUNK_SIZE),
    OP_IS_OPEN: _answer(flag=lambda lob: lob.is_open),
    OP_OPEN: _opener(True), OP_CLOSE: _opener(False), OP_FREE_TEMP: _free,
}


def run_lob_op(store: LobStore, op: LobOp, w: Writer) -> LobValue | None:
    """Carry out one LOB operation and write its reply (without the end of call).

    Returns the LOB when the operation changed it (a write or a trim), so
    that the caller can store a LOB that lives in a row.

    Raises:
        WireError: ORA-22275 for an invalid locator, ORA-22926 for a trim
            that would grow the LOB, ORA-22293/ORA-22289 for opening an open
            LOB or closing a closed one, ORA-03115 for an operation the
            server does not offer.
    """
    if op.operation == OP_CREATE_TEMP:  # the offsets carry the charset form and the type
        kind = BLOB if op.dest_offset == BLOB else CLOB
        lob_reply(w, op, store.add(LobValue(kind, op.source_offset, b"" if kind == BLOB else "")))
        return None
    handler = _HANDLERS.get(op.operation)
    if handler is None:
        raise WireError(3115, f"LOB operation {op.operation:#x}")
    if op.locator is None:
        raise WireError(22275)
    lob = store.get(op.locator)
    return lob if handler(store, lob, op, w) else None


def lob_data(ora_type: int, value: object) -> str | bytes:
    """A backend value as the data of a CLOB/NCLOB (text) or BLOB (bytes).

    Raises:
        WireError: ORA-01465 for text that is no hex into a BLOB.
    """
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
