"""TIMESTAMP WITH TIME ZONE keeps its offset; WITH LOCAL TIME ZONE is the instant in UTC.

python-oracledb returns a zoned value as the local time in its own offset
(naive), so what the offset changes is seen through the instant: equality
with a UTC bind, ORDER BY, the local time zone column, and the wire bytes.
"""

from __future__ import annotations

import asyncio
import datetime

import oracledb
import pytest

from devart_oracle.testing import OracleTestServer
from devart_oracle.testing.sql.zones import collate, parse_offset
from devart_oracle.testing.wire.zones import decode_timestamp_tz, encode_timestamp_tz

ZONED = [(1, "20220603 10:00 +05:30"), (2, "20220603 10:00 -07:30"), (3, "20220603 10:00 +00:00")]
MODEL = "YYYYMMDD HH24:MI TZH:TZM"


def _fill(k: oracledb.Cursor) -> None:
    k.execute("create table zoned (id number, tz timestamp with time zone, ltz timestamp with local time zone)")
    for key, text in ZONED:
        k.execute(f"insert into zoned values (:k, to_timestamp_tz(:t, '{MODEL}'), to_timestamp_tz(:t, '{MODEL}'))",
                  k=key, t=text)


def test_offsets_are_kept_and_values_compare_by_instant(k: oracledb.Cursor) -> None:
    _fill(k)
    k.execute("select id, tz, ltz from zoned order by id")
    local = datetime.datetime(2022, 6, 3, 10, 0)
    assert k.fetchall() == [  # tz: the local time in its own offset; ltz: the instant in UTC
        (1, local, datetime.datetime(2022, 6, 3, 4, 30)),
        (2, local, datetime.datetime(2022, 6, 3, 17, 30)),
        (3, local, local)]
    k.setinputsizes(v=oracledb.DB_TYPE_TIMESTAMP_TZ)  # bound with offset +00:00
    k.execute("select id from zoned where tz = :v", v=datetime.datetime(2022, 6, 3, 17, 30))
    assert k.fetchall() == [(2,)]
    k.execute("select id from zoned order by tz")
    assert k.fetchall() == [(1,), (3,), (2,)]
    k.execute("select id from zoned where tz > to_timestamp_tz('20220603 09:00 +00:00', :m) order by tz", m=MODEL)
    assert k.fetchall() == [(3,), (2,)]
    k.execute("select (max(tz) - min(tz)) * 24 from zoned")
    assert k.fetchone() == (13,)
    k.execute("drop table zoned")


def test_zoned_values_through_plain_timestamps_and_out_binds(k: oracledb.Cursor) -> None:
    k.execute("create table zone_plain (t timestamp)")
    k.execute(f"insert into zone_plain values (to_timestamp_tz('20220603 10:00 -07:30', '{MODEL}'))")
    k.execute("select t from zone_plain")
    assert k.fetchone() == (datetime.datetime(2022, 6, 3, 10, 0),)  # the offset dropped, the local time kept
    k.execute("drop table zone_plain")
    out = k.var(oracledb.DB_TYPE_TIMESTAMP_TZ)
    k.execute("begin :v := to_timestamp('20220603', 'YYYYMMDD'); end;", v=out)
    assert out.getvalue() == datetime.datetime(2022, 6, 3)


def test_zoned_values_async(wire_server: OracleTestServer) -> None:
    async def scenario() -> list[object]:
        conn = await oracledb.connect_async(user="scott", password="tiger", dsn=wire_server.dsn)
        try:
            k = conn.cursor()
            await k.execute("create table zoned_async (tz timestamp(3) with time zone)")
            await k.execute(f"insert into zoned_async values (to_timestamp_tz('20220603 10:00 +01:00', '{MODEL}'))")
            k.setinputsizes(v=oracledb.DB_TYPE_TIMESTAMP_TZ)
            await k.execute("select tz from zoned_async where tz = :v", v=datetime.datetime(2022, 6, 3, 9, 0))
            rows = await k.fetchall()
            await k.execute("drop table zoned_async")
            return rows
        finally:
            await conn.close()
    assert asyncio.run(scenario()) == [(datetime.datetime(2022, 6, 3, 10, 0),)]


@pytest.mark.parametrize(("offset", "tail"), [("+05:30", (25, 90)), ("-07:30", (13, 30)), ("+00:00", (20, 60))])
def test_wire_bytes_are_the_utc_instant_then_the_offset(offset: str, tail: tuple[int, int]) -> None:
    zone = parse_offset(offset)
    assert zone is not None
    value = datetime.datetime(2022, 6, 3, 10, 0, 0, 250000, tzinfo=zone)
    data = encode_timestamp_tz(value)
    assert len(data) == 13 and tuple(data[11:]) == tail
    utc = value.astimezone(datetime.UTC)
    assert (data[3], data[4] - 1, data[5] - 1) == (utc.day, utc.hour, utc.minute)
    back = decode_timestamp_tz(data)
    assert back == value or back == utc.replace(tzinfo=None)  # +00:00 reads back naive
    assert back.utcoffset() == (None if offset == "+00:00" else value.utcoffset())


def test_collation_and_offsets() -> None:
    assert collate("\x1e2022-06-03 10:00:00+05:30", "\x1e2022-06-03 04:30:00") == 0
    assert collate("\x1e2022-06-03 10:00:00-07:30", "\x1e2022-06-03 12:00:00+00:00") > 0
    assert collate("abc", "abd") < 0
    assert parse_offset("+14:30") is None and parse_offset("5") is None
    assert parse_offset("-7:00") == datetime.timezone(datetime.timedelta(hours=-7))
