"""The LOB operations call (function 96) of the TTC wire.

A LOB operation names its locator (see ``lob``), an offset and an amount
(1-based, in characters for CLOB and NCLOB, bytes for BLOB) and maybe data;
the reply is LOB_DATA for a read, then a PARAMETER message with the locator
again, the amount (when the call sent one) or the is-open flag, then the end
of call. A read of a stored value takes the chunks it covers; a write or a
trim of one first makes it the session's own copy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .codec import Writer
from .lob import BLOB, CHUNK_SIZE, CLOB, LobStore, LobValue
from .oraerror import WireError
from .reader import MessageReader

__all__ = ["LobOp", "lob_reply", "read_lob_op", "run_lob_op"]

MSG_LOB_DATA = 14
MSG_PARAMETER = 8
_NCHAR_FORM = 2

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


def lob_reply(w: Writer, op: LobOp, locator: bytes, *, data: Iterable[bytes] | None = None,
              amount: int | None = None, flag: bool | None = None) -> None:
    """Write a LOB call's reply, up to (not including) its end of call.

    ``data`` (a read's) is the pieces of a non-empty value, as ``lob_pieces`` makes them.
    """
    if data is not None:
        w.u8(MSG_LOB_DATA)
        w.b_pieces(data, spill=True)  # streamed to the client as it is read
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

def _from_wire(lob: LobValue, data: bytes) -> str | bytes:
    return data if lob.ora_type == BLOB else data.decode("utf-16-be" if lob.csfrm == _NCHAR_FORM else "utf-8",
                                                          "replace")


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
    count = max(0, min(op.amount or 0, lob.length() - start))
    pieces = store.pieces(lob, start, count) if count else None
    lob_reply(w, op, op.locator or b"", data=pieces, amount=count)
    return False


def _write_op(store: LobStore, lob: LobValue, op: LobOp, w: Writer) -> bool:
    store.materialise(lob)  # a stored value is never changed: this session's copy is
    _write(lob, op.source_offset, _from_wire(lob, op.data or b""))
    lob_reply(w, op, op.locator or b"")
    return True


def _trim(store: LobStore, lob: LobValue, op: LobOp, w: Writer) -> bool:
    if (op.amount or 0) > lob.length():
        raise WireError(22926)
    store.materialise(lob)
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
    OP_GET_LENGTH: _answer(value=LobValue.length),
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
