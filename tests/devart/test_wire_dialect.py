"""The legacy TTC dialect's layouts, byte for byte (no Devart client needed).

The bytes an older client announces and sends are built here from the
layouts that testing/wire/dialect.py and legacy.py describe (as Devart's
Direct mode sends them); python-oracledb thin's are what ``THIN`` keeps.
"""

from __future__ import annotations

import struct

from devart_oracle.testing._listener import accept_payload, parse_connect
from devart_oracle.testing.wire.codec import Writer
from devart_oracle.testing.wire.dialect import THIN, Dialect
from devart_oracle.testing.wire.legacy import negotiate_data_types, out_binds
from devart_oracle.testing.wire.reader import MessageReader
from devart_oracle.testing.wire.requests import read_execute
from devart_oracle.testing.wire.responses import ColumnMeta, call_end, column, end_of_call, status

# Devart 1.3.0's compile-time capabilities: field version 7, no END_OF_CALL_STATUS, no big chunks
DEVART_CAPS = bytes.fromhex("000000002a0000070000000000000028000300000000004300000501000000000000000000021a")
LEGACY = Dialect.from_caps(DEVART_CAPS)


def _reader(data: bytes, dialect: Dialect = THIN) -> MessageReader:
    def more() -> bytes:
        raise AssertionError("read past the end of the request")
    reader = MessageReader(more)
    reader.start(data)
    reader.dialect = dialect
    return reader


def test_devart_caps_make_the_legacy_dialect_and_thin_caps_the_default() -> None:
    assert (LEGACY.field_version, LEGACY.legacy, LEGACY.big_chunks) == (7, True, False)
    thin_caps = bytearray(55)
    thin_caps[7], thin_caps[15], thin_caps[37] = 24, 0x29, 0x20 | 0x10
    assert Dialect.from_caps(bytes(thin_caps)) == THIN
    assert Dialect.from_caps(b"").legacy


def test_long_strings_use_one_byte_chunk_lengths_both_ways() -> None:
    w = Writer(LEGACY)
    data = bytes(range(256)) * 2 + b"tail"
    w.b(data)
    assert w.buf[:2] == b"\xfe\xff" and w.buf[2 + 255] == 255 and w.buf[-1] == 0
    assert _reader(bytes(w.buf), LEGACY).b() == data
    assert _reader(bytes(_thin_b(data))).b() == data


def _thin_b(data: bytes) -> bytearray:
    w = Writer()
    w.b(data)
    return w.buf


def test_legacy_end_of_call_has_26_fields_and_the_row_count_in_the_current_row() -> None:
    w = Writer(LEGACY)
    end_of_call(w, 2, cursor_id=1, rowcount=5, query=True)
    assert bytes(w.buf) == bytes.fromhex("04 0105 00 0000 0101 00 03") + bytes(19)
    w = Writer(LEGACY)
    end_of_call(w, 0, error=942, text="ORA-00942: table or view does not exist")
    assert bytes(w.buf).startswith(bytes.fromhex("04 00 0203ae 0000 00"))
    assert bytes(w.buf).endswith(b"does not exist\n")


def test_thin_end_of_call_is_unchanged_by_the_query_marker() -> None:
    plain, marked = Writer(), Writer()
    end_of_call(plain, 2, cursor_id=1, rowcount=5)
    end_of_call(marked, 2, cursor_id=1, rowcount=5, query=True)
    assert plain.buf == marked.buf and plain.buf[:2] == b"\x04\x01"


def test_legacy_status_is_the_bare_type_and_calls_that_report_nothing_end_with_error() -> None:
    w = Writer(LEGACY)
    status(w, 2)
    assert bytes(w.buf) == b"\x09"
    w = Writer(LEGACY)
    call_end(w, 0)
    assert bytes(w.buf) == b"\x04" + bytes(26)
    thin_end, thin_status = Writer(), Writer()
    call_end(thin_end, 0)
    status(thin_status, 0)
    assert thin_end.buf == thin_status.buf == bytearray(b"\x09\x00\x00")


def test_legacy_column_descriptor_has_a_signed_scale_and_no_oaccolid() -> None:
    meta = ColumnMeta("N", 2, 22, scale=-127)
    legacy, thin = Writer(LEGACY), Writer()
    column(legacy, meta, 1)
    column(thin, meta, 1)
    assert bytes(legacy.buf[:5]) == bytes.fromhex("02 00 00 81 7f")
    assert len(legacy.buf) == len(thin.buf)  # one byte more for the scale, one less without oaccolid


def test_data_types_negotiation_echoes_a_legacy_client_list() -> None:
    w = Writer()
    w.raw(bytes.fromhex("6903 6903 02"))
    w.b(DEVART_CAPS)
    w.b(bytes.fromhex("02 01 00 00 00 00 06"))
    w.raw(bytes.fromhex("80 00 00 00 3c 3c 00 80 00 00 00") + (32).to_bytes(4, "big") + b"\xd0\x07")
    types = bytes.fromhex("0001 0001 0001 0000  000d 0000  0002 0002 000a 0000  0000")
    w.raw(types)
    reader = _reader(bytes(w.buf))
    reply = Writer()
    assert negotiate_data_types(reader, reply) == LEGACY
    assert reader.at_end()
    assert bytes(reply.buf) == b"\x02" + bytes.fromhex("80 00 00 00 3c 3c 3c 80 00 00 00") \
        + (32).to_bytes(4, "big") + types


def test_thin_data_types_negotiation_gets_the_short_reply() -> None:
    w = Writer()
    w.raw(bytes.fromhex("6903 6903 03"))
    caps = bytearray(55)
    caps[7], caps[15], caps[37] = 24, 0x29, 0x20
    w.b(bytes(caps))
    w.b(bytes.fromhex("02 05 00 00 00 00 00"))
    w.raw(bytes.fromhex("0001 0001 0001 0000 0000"))
    reader, reply = _reader(bytes(w.buf)), Writer()
    assert negotiate_data_types(reader, reply) == THIN
    assert bytes(reply.buf) == b"\x02\x00\x00" and reader.at_end()


def test_a_field_version_7_execute_with_varnum_and_utf16_binds() -> None:
    w = Writer(LEGACY)
    sql = "insert into t values (:id, :name)"
    w.ub(0x8129)  # options: not PL/SQL, commit, execute, bind, parse
    w.raw(bytes.fromhex("00 01"))  # cursor 0, SQL pointer
    w.ub(len(sql))
    w.raw(bytes.fromhex("01 010d 00 00 00 00 047fffffff 01 0102 0000000000 00 00"))
    w.raw(bytes.fromhex("00 00 01 00 00 00 00 00 00 00 00"))  # registration .. row counts; no 12.2 fields
    w.b(sql.encode())
    w.raw(bytes.fromhex("0101 0101 00 00 00 00 00 00 00 028000 00 00 00"))  # al8i4
    w.raw(bytes.fromhex("06 01 00 00 0116 00 00 00 00 00 01 00"))  # VARNUM bind, no oaccolid
    w.raw(bytes.fromhex("01 01 00 00 0106 00 00 00 00 0207d0 02 00"))  # AL16UTF16 string
    w.raw(bytes.fromhex("07 02c103 06 0074 0077 006f"))
    reader = _reader(bytes(w.buf), LEGACY)
    call = read_execute(reader)
    assert reader.at_end()
    assert (call.sql, [b.ora_type for b in call.binds], [b.csfrm for b in call.binds]) == (sql, [6, 1], [1, 2])
    assert call.rows == [[b"\xc1\x03", "two".encode("utf-16-be")]]


def test_out_binds_name_each_direction_and_count_the_binds() -> None:
    w = Writer(LEGACY)
    out_binds(w, [b"+00:00", None])
    assert bytes(w.buf) == bytes.fromhex("0b 00 0102 0000000000 10 10 07 06") + b"+00:00" + bytes.fromhex("00 00 00")


def test_a_protocol_314_connect_has_no_u32_sdu_and_is_accepted_at_314() -> None:
    descriptor = b"(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=h)(PORT=1))(CONNECT_DATA=(SERVICE_NAME=S)))"
    fixed = struct.pack(">HHHHHHHHHH", 314, 300, 0, 8192, 32767, 0x4F98, 0, 1, len(descriptor), 58)
    payload = fixed + bytes(58 - 8 - len(fixed)) + descriptor
    request = parse_connect(payload)
    assert (request.version, request.sdu, request.data) == (314, 8192, descriptor)
    assert accept_payload(request.sdu, request.version)[:2] == (314).to_bytes(2, "big")
