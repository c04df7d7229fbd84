"""TTC response messages, as the 19c server (TTC field version 12) sends them.

Without END_OF_RESPONSE (protocol 319) the client reads messages until a
STATUS or an ERROR, so every function response ends with exactly one of
them; the negotiation replies are the exception, ending implicitly. ERROR
doubles as "end of call": it carries the cursor id and row count of a
successful execute, and error 1403 at the end of a fetch means "no more
rows" rather than a failure.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .codec import Writer

__all__ = [
    "CALL_TXN_IN_PROGRESS",
    "MSG_DATA_TYPES",
    "MSG_FUNCTION",
    "MSG_IO_VECTOR",
    "MSG_PIGGYBACK",
    "MSG_PROTOCOL",
    "MSG_ROW_DATA",
    "ColumnMeta",
    "call_end",
    "column",
    "data_types_reply",
    "describe_body",
    "describe_info",
    "dml_row_counts",
    "end_of_call",
    "io_vector",
    "parameters",
    "protocol_reply",
    "row_header",
    "session_sync",
    "status",
]

MSG_PROTOCOL = 1
MSG_DATA_TYPES = 2
MSG_FUNCTION = 3
MSG_ERROR = 4
MSG_ROW_HEADER = 6
MSG_ROW_DATA = 7
MSG_PARAMETER = 8
MSG_IO_VECTOR = 11
MSG_STATUS = 9
MSG_DESCRIBE_INFO = 16
MSG_PIGGYBACK = 17
MSG_SERVER_PIGGYBACK = 23

CALL_TXN_IN_PROGRESS = 0x2
_SQL_TYPE_QUERY = 3
CHARSET_AL32UTF8 = 873
FIELD_VERSION = 12

_BANNER = b"x86_64/Linux 2.4.xx\x00"
# national character set lookup: ix = 6 + fdo[5] + fdo[6]; ncharset at ix+3
_FDO = bytes(9) + (2000).to_bytes(2, "big")


def _compile_caps() -> bytes:
    caps = bytearray(55)
    caps[4] = 0x08 | 0x02 | 0x20 | 0x40 | 0x80  # O5LOGON and friends
    caps[7] = FIELD_VERSION
    caps[15] = 0x01 | 0x08 | 0x20  # end-of-call status, indicators, bit vectors
    return bytes(caps)


_COMPILE_CAPS = _compile_caps()
_RUNTIME_CAPS = bytes((2, 0, 0, 0, 0, 0, 0x01, 0, 0, 0, 0))  # no 32K strings


def protocol_reply(w: Writer) -> None:
    """The reply to protocol negotiation (message type 1)."""
    w.u8(MSG_PROTOCOL)
    w.u8(6)
    w.u8(0)
    w.raw(_BANNER)
    w.u16le(CHARSET_AL32UTF8)
    w.u8(0)
    w.u16le(0)
    w.u16be(len(_FDO))
    w.raw(_FDO)
    w.b(_COMPILE_CAPS)
    w.b(_RUNTIME_CAPS)


def data_types_reply(w: Writer) -> None:
    """The reply to data-types negotiation: no conversions (type 0 ends it)."""
    w.u8(MSG_DATA_TYPES)
    w.u16be(0)


def status(w: Writer, call_status: int) -> None:
    """STATUS: ends ping, commit and rollback (the bare type for a legacy client)."""
    w.u8(MSG_STATUS)
    if w.dialect.end_of_call_status:
        w.ub(call_status)
        w.ub(0)


def call_end(w: Writer, call_status: int) -> None:
    """The end of a call with nothing to report: logoff and both auth phases.

    A client without end-of-call status accepts only ERROR there (its logon
    loop takes message types 4, 8 and 15), so it gets an empty one.
    """
    if w.dialect.end_of_call_status:
        status(w, call_status)
    else:
        end_of_call(w, call_status)


def end_of_call(
    w: Writer,
    call_status: int,
    *,
    cursor_id: int = 0,
    rowcount: int = 0,
    error: int = 0,
    text: str = "",
    batch: Sequence[tuple[int, int, str]] = (),
    query: bool = False,
    rowid: bytes = b"\x00" * 5,
) -> None:
    """ERROR: the end of an execute or fetch, successful or not.

    ``batch`` holds the (row offset, ORA number, text) of each row an
    ``executemany`` with batch errors skipped; ``rowid`` the last row a DML
    statement changed (``cursor.lastrowid``), in ``types.rowid_bytes`` form.
    ``query`` sets the SQL type to "query", which only a legacy client reads
    (it decodes string columns by it).
    """
    if not w.dialect.end_of_call_status:
        _legacy_end_of_call(w, cursor_id, rowcount, error, text, query)
        return
    buf = w.buf
    buf.append(MSG_ERROR)
    # call status, end-to-end seq#, current row, error (ub2), array element errors (2), cursor id
    w.ubs(call_status, 0, 0, error if error < 0x10000 else 0, 0, 0, cursor_id)
    buf += _BEFORE_ROWID  # error position, sql type, fatal, flags, options, upi, warnings
    buf += rowid  # rowid: rba, partition, byte, block, slot
    if batch:
        buf += _AFTER_ROWID  # os error, statement#, call#, padding, success iters, logical rowid
        _batch_errors(w, batch)
    else:
        buf += _AFTER_ROWID_NO_BATCH  # ... then three empty arrays: codes, offsets, messages
    w.ubs(error, rowcount)
    if error:
        w.b((text.rstrip("\n") + "\n").encode())


_BEFORE_ROWID, _AFTER_ROWID, _NO_BATCH_ERRORS = b"\x00" * 7, b"\x00" * 6, b"\x00" * 3
_AFTER_ROWID_NO_BATCH = _AFTER_ROWID + _NO_BATCH_ERRORS


def io_vector(w: Writer, directions: Sequence[int]) -> None:
    """IO_VECTOR: the direction of each bind of a PL/SQL block (32 IN, 16 OUT, 48 IN OUT).

    The client then reads one ROW_DATA with the OUT and IN OUT values, and
    sends no values for the OUT binds when it re-executes the cursor.
    """
    w.u8(MSG_IO_VECTOR)
    w.u8(0)  # flags
    w.ub(len(directions))  # requests (the client reads iterations * 256 + requests)
    w.ub(0)  # iterations
    w.ub(0)  # iterations this time
    w.ub(0)  # UAC buffer length
    w.ub(0)  # fast fetch bit vector, no bytes
    w.ub(0)  # rowid, no bytes
    w.raw(bytes(directions))


def _legacy_end_of_call(w: Writer, cursor_id: int, rowcount: int, error: int, text: str,
                        query: bool) -> None:
    """ERROR without call status: the row count rides in the current-row field.

    Such a client reads 26 fields and takes the error number from the ub2
    one; there is no extended error number or row count after them, and a
    batch-error list is never asked for.
    """
    w.u8(MSG_ERROR)
    w.ub(rowcount)
    w.ub(error)
    w.raw(b"\x00\x00")  # array element errors
    w.ub(cursor_id)
    w.u8(0)  # error position
    w.u8(_SQL_TYPE_QUERY if query else 0)
    w.raw(b"\x00" * 5)  # fatal, flags, options, upi, warnings
    w.raw(b"\x00" * 11)  # rowid, os error, statement#, call#, padding, success iters, logical rowid
    w.raw(b"\x00" * 3)  # batch error codes, offsets, messages: none
    if error:
        w.b((text.rstrip("\n") + "\n").encode())


def _batch_errors(w: Writer, batch: Sequence[tuple[int, int, str]]) -> None:
    """The batch error codes, row offsets and messages: three counted arrays."""
    _array_start(w, len(batch))
    for _, code, _ in batch:
        w.ub(code)
    _array_start(w, len(batch))
    for offset, _, _ in batch:
        w.ub(offset)
    _array_start(w, len(batch))
    for _, _, text in batch:
        data = text.encode()
        w.ub(len(data))  # chunk length
        w.b(data)
        w.raw(b"\x00\x00")  # end marker


def _array_start(w: Writer, count: int) -> None:
    w.ub(count)
    if count:
        w.u8(min(count, 0xFD))  # a packed size the client skips; 0xFE would announce chunks


def parameters(w: Writer, pairs: Iterable[tuple[str, str, int]]) -> None:
    """PARAMETER as the auth phases send it: (key, value, flags) triples."""
    items = list(pairs)
    w.u8(MSG_PARAMETER)
    w.ub(len(items))
    for key, value, flags in items:
        w.text(key)
        w.text(value)
        w.ub(flags)


def dml_row_counts(w: Writer, counts: Sequence[int]) -> None:
    """PARAMETER after an array DML with ``arraydmlrowcounts`` requested."""
    w.u8(MSG_PARAMETER)
    w.raw(b"\x00\x00\x00\x00")  # al8o4l, al8txl, key/value pairs, registration
    w.ub(len(counts))
    for count in counts:
        w.ub(count)


@dataclass(frozen=True)
class ColumnMeta:
    """One select-list item as the describe info presents it."""

    name: str
    ora_type: int
    buffer_size: int
    max_size: int = 0
    precision: int = 0
    scale: int = 0
    csfrm: int = 0
    nullable: bool = True


def describe_info(w: Writer, columns: Sequence[ColumnMeta]) -> None:
    """DESCRIBE_INFO: the select list of a query, sent with its first execute."""
    w.u8(MSG_DESCRIBE_INFO)
    w.u8(0)
    describe_body(w, columns)


def describe_body(w: Writer, columns: Sequence[ColumnMeta]) -> None:
    """The column list of a describe, as DESCRIBE_INFO and a REF CURSOR value carry it."""
    w.ub(sum(meta.buffer_size for meta in columns))
    w.ub(len(columns))
    if columns:
        w.u8(0)
    for position, meta in enumerate(columns, 1):
        column(w, meta, position)
    w.raw(b"\x00" * 6)  # current date, flags, counters, query key


def column(w: Writer, meta: ColumnMeta, position: int) -> None:
    """One column descriptor, as DESCRIBE_INFO (and a legacy describe) sends it.

    Before 12.2 there is no oaccolid, and the scale is a signed universal
    integer: such a client's type list asks for SB1 in universal form.
    """
    name = meta.name.encode()
    legacy = not w.dialect.has_sql_signature
    w.u8(meta.ora_type)
    w.u8(0)
    w.u8(meta.precision & 0xFF)
    if legacy:
        w.sb(meta.scale)
    else:
        w.u8(meta.scale & 0xFF)
    w.ub(meta.buffer_size)
    w.raw(b"\x00\x00\x00\x00")  # max array elements, cont flags, OID, version
    w.ub(CHARSET_AL32UTF8 if meta.csfrm else 0)
    w.u8(meta.csfrm)
    w.ub(meta.max_size)
    if not legacy:
        w.u8(0)  # oaccolid
    w.u8(1 if meta.nullable else 0)
    w.u8(min(len(name), 255))
    w.s(name)
    w.raw(b"\x00\x00")  # schema, type name
    w.ub(position)
    w.u8(0)  # uds flags


def row_header(w: Writer) -> None:
    """ROW_HEADER before a batch of ROW_DATA messages (no bit vector)."""
    w.buf += _ROW_HEADER


_ROW_HEADER = bytes((MSG_ROW_HEADER, *[0] * 7))  # flags, requests, iteration, iters, buffer, bit vector, rxhrid


_PIGGYBACK_SYNC = 5
_SYNCED_KEYWORDS = (168, 172)  # current schema, edition: as SessionInfo.synced() gives them


def session_sync(w: Writer, before: tuple[str, ...], after: tuple[str, ...]) -> None:
    """SERVER PIGGYBACK (sync): tell the client what of ``SessionInfo.synced()`` a call changed."""
    pairs = [(keyword, new) for keyword, old, new in zip(_SYNCED_KEYWORDS, before, after) if new != old]
    w.u8(MSG_SERVER_PIGGYBACK)
    w.u8(_PIGGYBACK_SYNC)
    w.ub(0)  # DTYs
    w.u8(0)
    w.ub(len(pairs))  # key/value pairs
    w.u8(0)
    for keyword, value in pairs:
        text = value.encode()
        w.ub(len(text))
        w.b(text)
        w.ub(0)  # no binary value
        w.ub(keyword)
    w.ub(0)  # flags
