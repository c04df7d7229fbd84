"""The messages only an older TTC client exchanges (Devart's Direct mode).

Such a client (see ``dialect``) negotiates data types with a time-zone block
and wants its type list echoed, asks for the server version with function 59
instead of reading ``AUTH_VERSION_NO``, describes every query with function
98 before executing it, and reads PL/SQL OUT binds from an IO vector.
python-oracledb thin sends none of these, so none of them changes its
exchange; ``negotiate_data_types`` hands thin's negotiation to the parsers it
always had.

What is answered here is what the client accepts; where the layouts follow
a documented Oracle message (the IO vector, the column descriptors) they
follow python-oracledb's reading of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .codec import Writer
from .dialect import Dialect
from .reader import MessageReader
from .responses import (
    MSG_DATA_TYPES,
    MSG_PARAMETER,
    MSG_ROW_DATA,
    ColumnMeta,
    column,
    data_types_reply,
    io_vector,
)

__all__ = [
    "DescribeCall",
    "describe_reply",
    "negotiate_data_types",
    "out_binds",
    "read_describe",
    "read_version",
    "version_reply",
]

_BIND_DIR_OUTPUT = 16
_RCAP_TTC = 1
_RCAP_TIME_ZONE = 0x01
_CLIENT_TIME_ZONE_SIZE = 11
_TTC3 = 37
_CCAP_TZ_FILE_VERSION = 0x02
# The database time zone (UTC) as the client reads it: an 11-byte timestamp-with-zone
# header, then the time-zone file version the server claims.
_DB_TIME_ZONE = bytes((0x80, 0, 0, 0, 0x3C, 0x3C, 0x3C, 0x80, 0, 0, 0))
_TZ_FILE_VERSION = 32


def negotiate_data_types(r: MessageReader, w: Writer) -> Dialect:
    """Read data-types negotiation (after its type byte), write the reply.

    Returns:
        the dialect the client's compile-time capabilities announce.
    """
    r.raw(5)  # charset, ncharset, encoding flags
    compile_caps = r.b() or b""
    dialect = Dialect.from_caps(compile_caps)
    runtime_caps = r.b() or b""
    if not dialect.legacy:
        r.skip_records(8)
        data_types_reply(w)
        return dialect
    w.u8(MSG_DATA_TYPES)
    _time_zones(r, w, compile_caps, runtime_caps)
    # the client takes the echo of its list as "every type as asked"
    w.raw(_type_list(r))
    return dialect


def _time_zones(r: MessageReader, w: Writer, compile_caps: bytes, runtime_caps: bytes) -> None:
    """Read the client's time-zone block, if its caps announce one, and answer with the server's.

    A reply with only one of the two parts stalls the client until its timeout.
    """
    if not (len(runtime_caps) > _RCAP_TTC and runtime_caps[_RCAP_TTC] & _RCAP_TIME_ZONE):
        return
    file_version = len(compile_caps) > _TTC3 and bool(compile_caps[_TTC3] & _CCAP_TZ_FILE_VERSION)
    r.raw(_CLIENT_TIME_ZONE_SIZE)
    w.raw(_DB_TIME_ZONE)
    if file_version:
        r.raw(4)
        w.u32be(_TZ_FILE_VERSION)
    r.raw(2)  # the client's national character set


def _type_list(r: MessageReader) -> bytes:
    """Read the (type, conversion[, representation, 0]) list up to type 0, as sent."""
    out = bytearray()
    while True:
        data_type = r.raw(2)
        out += data_type
        if data_type == b"\x00\x00":
            return bytes(out)
        conversion = r.raw(2)
        out += conversion
        if conversion != b"\x00\x00":
            out += r.raw(4)


def read_version(r: MessageReader) -> None:
    """Consume function 59 (server version): buffer pointer and length, two pointers."""
    r.u8()
    r.ub(4)
    r.u8()
    r.u8()


def version_reply(w: Writer, banner: str, version: int) -> None:
    """Answer function 59: the banner and the version number in the old encoding.

    The client reads exactly one byte after the number (the bare STATUS of
    its dialect).
    """
    data = banner.encode()
    w.u8(MSG_PARAMETER)
    w.ub(len(data))
    w.b(data)
    w.ub(version)


@dataclass(frozen=True)
class DescribeCall:
    """Function 98: describe a statement's select list before executing it."""

    options: int
    sql: str


def read_describe(r: MessageReader) -> DescribeCall:
    """Read function 98: options, cursor, the SQL's pointer and length, parse version, SQL."""
    options = r.u8()  # a single byte: 07 would be a 7-byte integer
    r.ub(4)  # cursor id
    r.u8()
    r.ub(4)  # SQL length
    r.u8()
    r.u8()  # parse version
    r.u8()
    r.u8()
    raw = r.b()
    return DescribeCall(options, raw.decode("utf-8", "replace") if raw else "")


def describe_reply(w: Writer, columns: Sequence[ColumnMeta]) -> None:
    """Answer function 98 with the column descriptors (the caller ends the call)."""
    w.u8(MSG_PARAMETER)
    w.ub(len(columns))
    for position, meta in enumerate(columns, 1):
        column(w, meta, position)


def out_binds(w: Writer, values: Sequence[bytes | None]) -> None:
    """The IO vector of a PL/SQL call whose binds are all OUT, then their values.

    One ROW_DATA holds each value followed by its "actual length" of zero
    (nothing truncated).
    """
    io_vector(w, [_BIND_DIR_OUTPUT] * len(values))
    w.u8(MSG_ROW_DATA)
    for value in values:
        w.b(value)
        w.ub(0)
