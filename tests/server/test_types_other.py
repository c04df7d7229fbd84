"""ROWID, binary floats, intervals, time zones, national strings and LONG with the real client."""

from __future__ import annotations

import asyncio
import datetime
import math
import re

import oracledb
import pytest

from devart_oracle.testing import OracleTestServer

ROWID = re.compile(r"[A-Za-z0-9+/]{18}")


@pytest.fixture
def k(conn: oracledb.Connection) -> oracledb.Cursor:
    return conn.cursor()


def _table(k: oracledb.Cursor, name: str, columns: str) -> str:
    k.execute(f"create table {name} ({columns})")
    return name


def test_rowid_is_stable_and_selects_its_row(k: oracledb.Cursor) -> None:
    t = _table(k, "rid_rows", "id number, v varchar2(10)")
    k.executemany(f"insert into {t} values (:1, :2)", [(1, "a"), (2, "b"), (3, "c")])
    k.execute(f"select rowid, id from {t} order by id")
    assert k.description[0][:2] == ("ROWID", oracledb.DB_TYPE_ROWID)
    rows = k.fetchall()
    assert all(ROWID.fullmatch(rowid) for rowid, _ in rows)
    assert len({rowid for rowid, _ in rows}) == 3
    k.execute(f"select t.rowid from {t} t where id = 2")
    assert k.fetchone()[0] == rows[1][0]
    k.execute(f"update {t} set v = 'z' where rowid = :r", r=rows[2][0])
    assert k.rowcount == 1
    k.execute(f"select id, v from {t} where rowid = :r", r=rows[2][0])
    assert k.fetchall() == [(3, "z")]
    k.execute(f"drop table {t}")


def test_rowids_differ_between_tables_and_fit_urowid_columns(k: oracledb.Cursor) -> None:
    a = _table(k, "rid_a", "id number")
    b = _table(k, "rid_b", "id number, r urowid")
    k.execute(f"insert into {a} values (1)")
    k.execute(f"insert into {b} (id, r) select id, rowid from {a}")
    k.execute(f"select a.rowid, b.rowid, b.r from {a} a, {b} b")
    rowid_a, rowid_b, stored = k.fetchone()
    assert rowid_a != rowid_b and stored == rowid_a
    k.execute(f"select id from {a} where rowid = (select r from {b})")
    assert k.fetchall() == [(1,)]
    k.execute(f"drop table {a}")
    k.execute(f"drop table {b}")


def test_lastrowid_after_insert(k: oracledb.Cursor) -> None:
    t = _table(k, "rid_last", "id number")
    k.execute(f"insert into {t} values (7)")
    last = k.lastrowid
    assert last is not None and ROWID.fullmatch(last)
    k.execute(f"select id from {t} where rowid = :r", r=last)
    assert k.fetchall() == [(7,)]
    k.execute(f"delete from {t} where id = 8")
    assert k.lastrowid is None  # no row changed
    k.execute(f"drop table {t}")


def test_binary_floats_with_special_values(k: oracledb.Cursor) -> None:
    t = _table(k, "bin_floats", "id number, d binary_double, f binary_float")
    k.execute(f"select d, f from {t}")
    assert [d[1] for d in k.description] == [oracledb.DB_TYPE_BINARY_DOUBLE, oracledb.DB_TYPE_BINARY_FLOAT]
    k.setinputsizes(None, oracledb.DB_TYPE_BINARY_DOUBLE, oracledb.DB_TYPE_BINARY_FLOAT)
    values = [(1, math.inf, -math.inf), (2, math.nan, 0.5), (3, 1e300, 3.0e38), (4, None, None)]
    k.executemany(f"insert into {t} values (:1, :2, :3)", values)
    k.execute(f"select d, f from {t} order by id")
    rows = k.fetchall()
    assert rows[0] == (math.inf, -math.inf)
    assert math.isnan(rows[1][0]) and rows[1][1] == 0.5
    assert rows[2] == (1e300, pytest.approx(3.0e38, rel=1e-7))
    assert rows[3] == (None, None)
    k.execute(f"drop table {t}")


INTERVALS = [
    ("interval '1 02:03:04.5' day to second", datetime.timedelta(days=1, hours=2, minutes=3, seconds=4.5)),
    ("interval '90' minute", datetime.timedelta(minutes=90)),
    ("interval '1:30' hour to minute", datetime.timedelta(hours=1, minutes=30)),
    ("interval '-3' day", datetime.timedelta(days=-3)),
    ("interval '1-6' year to month", oracledb.IntervalYM(1, 6)),
    ("interval '-2-3' year(3) to month", oracledb.IntervalYM(-2, -3)),
    ("date '2024-01-31' + interval '1' day", datetime.datetime(2024, 2, 1)),
    ("date '2024-01-15' + interval '1-1' year to month", datetime.datetime(2025, 2, 15)),
    ("timestamp '2024-01-31 10:00:00' - interval '1:30' hour to minute", datetime.datetime(2024, 1, 31, 8, 30)),
    ("interval '2' day - interval '1' hour", datetime.timedelta(days=1, hours=23)),
]


@pytest.mark.parametrize(("expression", "expected"), INTERVALS, ids=[e for e, _ in INTERVALS])
def test_interval_literals_and_date_arithmetic(k: oracledb.Cursor, expression: str, expected: object) -> None:
    k.execute(f"select {expression} from dual")
    assert k.fetchone() == (expected,)


def test_month_arithmetic_needs_the_day_to_exist(k: oracledb.Cursor) -> None:
    with pytest.raises(oracledb.DatabaseError, match="ORA-01839"):
        k.execute("select date '2024-01-31' + interval '1' month from dual")


def test_interval_columns_and_binds(k: oracledb.Cursor) -> None:
    t = _table(k, "ivals", "ym interval year(2) to month, ds interval day(3) to second(6)")
    k.execute(f"select ym, ds from {t}")
    assert [d[1] for d in k.description] == [oracledb.DB_TYPE_INTERVAL_YM, oracledb.DB_TYPE_INTERVAL_DS]
    assert [d[4:6] for d in k.description] == [(2, 0), (3, 6)]
    ds = datetime.timedelta(days=-1, seconds=5, microseconds=7)
    k.execute(f"insert into {t} values (:1, :2)", [oracledb.IntervalYM(-2, -5), ds])
    k.execute(f"select ym, ds, date '2020-01-15' + ym, date '2020-01-15' + ds from {t}")
    assert k.fetchone() == (oracledb.IntervalYM(-2, -5), ds, datetime.datetime(2017, 8, 15),
                            datetime.datetime(2020, 1, 14, 0, 0, 5, 7))
    k.execute(f"drop table {t}")


def test_time_zone_timestamps_describe_and_round_trip(k: oracledb.Cursor) -> None:
    t = _table(k, "tzs", "a timestamp(3) with time zone, b timestamp with local time zone")
    value = datetime.datetime(2024, 5, 6, 7, 8, 9, 123000)
    k.setinputsizes(oracledb.DB_TYPE_TIMESTAMP, oracledb.DB_TYPE_TIMESTAMP)  # a datetime binds as DATE
    k.execute(f"insert into {t} values (:1, :2)", [value, value])
    k.execute(f"select a, b from {t}")
    assert [d[1] for d in k.description] == [oracledb.DB_TYPE_TIMESTAMP_TZ, oracledb.DB_TYPE_TIMESTAMP_LTZ]
    assert k.description[0][5] == 3
    assert k.fetchone() == (value, value)
    k.execute(f"drop table {t}")


def test_national_strings(k: oracledb.Cursor) -> None:
    t = _table(k, "nstrings", "a nchar(3), b nvarchar2(4)")
    k.execute(f"insert into {t} values (:1, :2)", ["\u00e9", "\u6f22\u5b57\u00e9\u00e9"])
    k.execute(f"select a, b from {t}")
    assert [d[1] for d in k.description] == [oracledb.DB_TYPE_NCHAR, oracledb.DB_TYPE_NVARCHAR]
    assert [d[2] for d in k.description] == [3, 4]
    assert k.fetchone() == ("\u00e9  ", "\u6f22\u5b57\u00e9\u00e9")
    with pytest.raises(oracledb.DatabaseError, match="ORA-12899.*actual: 5, maximum: 4"):
        k.execute(f"insert into {t} (b) values (:1)", ["\u00e9" * 5])
    k.execute(f"drop table {t}")


def test_long_and_long_raw(k: oracledb.Cursor) -> None:
    a = _table(k, "longs", "id number, v long")
    b = _table(k, "long_raws", "id number, v long raw")
    text, data = "007 " * 20000, bytes(range(256)) * 300
    k.execute(f"insert into {a} values (1, :1)", [text])
    k.execute(f"insert into {b} values (1, :1)", [data])
    k.execute(f"select v from {a}")
    assert k.description[0][1] == oracledb.DB_TYPE_LONG
    assert k.fetchone() == (text,)
    k.execute(f"select v from {b}")
    assert k.description[0][1] == oracledb.DB_TYPE_LONG_RAW
    assert k.fetchone() == (data,)
    k.execute(f"drop table {a}")
    k.execute(f"drop table {b}")


def test_async_types(wire_server: OracleTestServer) -> None:
    async def scenario() -> list[object]:
        conn = await oracledb.connect_async(user="scott", password="tiger", dsn=wire_server.dsn)
        try:
            k = conn.cursor()
            await k.execute("create table async_types (id number, d binary_double, i interval day to second)")
            await k.execute("insert into async_types values (1, 2.5, interval '3' hour)")
            k.setinputsizes(oracledb.DB_TYPE_BINARY_DOUBLE, None)
            await k.execute("insert into async_types values (2, :1, :2)", [math.inf, datetime.timedelta(0)])
            rowid = k.lastrowid
            await k.execute("select id, d, i from async_types where rowid = :r", r=rowid)
            rows: list[object] = list(await k.fetchall())
            await k.execute("drop table async_types")
            return rows
        finally:
            await conn.close()

    assert asyncio.run(scenario()) == [(2, math.inf, datetime.timedelta(0))]


FUNCTIONS = [
    ("to_dsinterval('1 02:03:04.5')", datetime.timedelta(days=1, hours=2, minutes=3, seconds=4.5)),
    ("to_dsinterval('-0 00:00:01')", datetime.timedelta(seconds=-1)),
    ("to_yminterval('3-8')", oracledb.IntervalYM(3, 8)),
    ("to_yminterval('-1-2')", oracledb.IntervalYM(-1, -2)),
    ("numtodsinterval(90, 'minute')", datetime.timedelta(minutes=90)),
    ("numtoyminterval(14, 'MONTH')", oracledb.IntervalYM(1, 2)),
    ("to_timestamp_tz('20220603 +01:30', 'YYYYMMDD TZH:TZM') + to_dsinterval('1 00:00:02.5')",
     datetime.datetime(2022, 6, 4, 0, 0, 2, 500000)),
    ("to_timestamp_tz('20091013 17:50:00 00:00', 'YYYYMMDD HH24:MI:SS TZH:TZM')",
     datetime.datetime(2009, 10, 13, 17, 50)),
    ("unistr('a\\3042b')", "a\u3042b"),
]


@pytest.mark.parametrize(("expression", "expected"), FUNCTIONS, ids=[e for e, _ in FUNCTIONS])
def test_interval_and_time_zone_functions(k: oracledb.Cursor, expression: str, expected: object) -> None:
    k.execute(f"select {expression} from dual")
    assert k.fetchone() == (expected,)


@pytest.mark.parametrize("expression", ["to_dsinterval('soon')", "to_yminterval('1 2')",
                                        "interval '1-x' year to month"])
def test_bad_intervals_are_ora_01867(k: oracledb.Cursor, expression: str) -> None:
    with pytest.raises(oracledb.DatabaseError, match="ORA-01867"):
        k.execute(f"select {expression} from dual")


def test_not_null_columns_describe_as_not_nullable(k: oracledb.Cursor) -> None:
    t = _table(k, "nulls_described", "a number(9) not null, b clob not null, c varchar2(5), "
                                      "d number primary key")
    k.execute(f"select a, b, c, d, a + 1, t.a from {t} t")
    assert [d[6] for d in k.description] == [False, False, True, False, True, False]
    k.execute(f"drop table {t}")


def test_rowid_columns_take_only_rowids(k: oracledb.Cursor) -> None:
    t = _table(k, "rid_checked", "id number, r rowid")
    with pytest.raises(oracledb.DatabaseError, match="ORA-00932"):
        k.execute(f"insert into {t} values (1, :r)", r=12345)
    with pytest.raises(oracledb.DatabaseError, match="ORA-01410"):
        k.execute(f"insert into {t} values (1, :r)", r="523lkhlf")
    k.execute(f"insert into {t} (id) values (2)")
    k.execute(f"update {t} set r = rowid")
    k.execute(f"select count(*) from {t} where r = rowid")
    assert k.fetchone() == (1,)
    k.execute(f"drop table {t}")


def test_casts_to_strings_describe_their_type_and_size(k: oracledb.Cursor) -> None:
    # python-oracledb's suite reads its character set ratios from these two casts
    k.execute("select cast('X' as varchar2(1)), cast('Y' as nvarchar2(1)), cast('ab' as char(3)) from dual")
    assert [d[1:4] for d in k.description] == [(oracledb.DB_TYPE_VARCHAR, 1, 1), (oracledb.DB_TYPE_NVARCHAR, 1, 2),
                                                (oracledb.DB_TYPE_CHAR, 3, 3)]
    assert k.fetchone() == ("X", "Y", "ab ")
