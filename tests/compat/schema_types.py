"""The tables of python-oracledb's LOB and type files (``tests/data_types``).

Written from the suite's ``create_schema.sql`` (not in the sdist): the LOB,
LONG, national string, timestamp, interval and ROWID tables, and
TestAllTypes without its object-type columns (SubObjectValue,
SubObjectArray: object types are not emulated) and its invisible column
(INVISIBLE is not emulated). Rows the script
fills in PL/SQL loops are computed here. The timestamp-with-time-zone rows
keep their offsets, so they are inserted as ``TO_TIMESTAMP_TZ`` expressions
(a bound Python datetime carries no offset), and the timestamps as
``TO_TIMESTAMP`` ones (a bound datetime is a DATE); the others go in with binds.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

Row = Sequence[Any]

TABLES: dict[str, str] = {
    "TestUnicodes": """(IntCol number(9) not null, UnicodeCol nvarchar2(20) not null,
        FixedUnicodeCol nchar(40) not null, NullableCol nvarchar2(50))""",
    "TestCLOBs": """(IntCol number(9) not null, CLOBCol clob not null, ExtraNumCol1 number(9),
        ExtraCLOBCol1 clob, ExtraNumCol2 number(9), ExtraCLOBCol2 clob)""",
    "TestNCLOBs": """(IntCol number(9) not null, NCLOBCol nclob not null, ExtraNumCol1 number(9),
        ExtraNCLOBCol1 nclob, ExtraNumCol2 number(9), ExtraNCLOBCol2 nclob)""",
    "TestBLOBs": """(IntCol number(9) not null, BLOBCol blob not null, ExtraNumCol1 number(9),
        ExtraBLOBCol1 blob, ExtraNumCol2 number(9), ExtraBLOBCol2 blob)""",
    "TestLongs": "(IntCol number(9) not null, LongCol long)",
    "TestLongRaws": "(IntCol number(9) not null, LongRawCol long raw)",
    "TestTimestamps": """(IntCol number(9) not null, TimestampCol timestamp not null,
        NullableCol timestamp, TimestampPrecisionCol timestamp(4))""",
    "TestTimestampLTZs": """(IntCol number(9) not null,
        TimestampLTZCol timestamp with local time zone not null,
        NullableCol timestamp with local time zone,
        TimestampLTZPrecisionCol timestamp(5) with local time zone)""",
    "TestTimestampTZs": """(IntCol number(9) not null, TimestampTZCol timestamp with time zone not null,
        NullableCol timestamp with time zone, TimestampTZPrecisionCol timestamp(7) with time zone)""",
    "TestIntervals": """(IntCol number(9) not null, IntervalCol interval day to second not null,
        NullableCol interval day to second, IntervalPrecisionCol interval day(7) to second,
        IntervalPrecisionScaleCol interval day(8) to second(9))""",
    "TestIntervalYMs": """(IntCol number(9) not null, IntervalCol interval year to month not null,
        NullableCol interval year to month, IntervalPrecisionCol interval year(3) to month)""",
    "TestUniversalRowids": """(IntCol number(9) not null, StringCol varchar2(250) not null,
        DateCol date not null,
        constraint TestUniversalRowids_pk primary key (IntCol, StringCol, DateCol))""",
    "TestRowids": "(IntCol number(9) not null, RowidCol rowid, URowidCol urowid)",
    "TestAllTypes": """(NumberValue number, StringValue varchar2(60), FixedCharValue char(10),
        NStringValue nvarchar2(60), NFixedCharValue nchar(10), RawValue raw(16), IntValue integer,
        SmallIntValue smallint, RealValue real, DecimalValue number(20, 6),
        DoublePrecisionValue double precision, FloatValue float, BinaryFloatValue binary_float,
        BinaryDoubleValue binary_double, DateValue date, TimestampValue timestamp,
        TimestampTZValue timestamp with time zone, TimestampLTZValue timestamp with local time zone,
        IntervalDSValue interval day to second, IntervalYMValue interval year to month,
        CLOBValue clob, NCLOBValue nclob, BLOBValue blob)""",
}


def _unicodes(i: int) -> Row:
    return (i, f"Unicode \u3042 {i}", f"Fixed Unicode {i}", None if i % 2 == 0 else f"Nullable {i}")


def _intervals(i: int) -> Row:
    col = datetime.timedelta(days=i, hours=i, minutes=i * 2, seconds=i * 3)
    nullable = None if i % 2 == 0 else datetime.timedelta(
        days=i + 5, hours=i + 2, minutes=i * 2 + 5, seconds=i * 3 + 5)
    return (i, col, nullable, datetime.timedelta(days=8, hours=5, minutes=15),
            datetime.timedelta(days=10, hours=12, minutes=15, seconds=15))


def _timestamps(i: int) -> str:
    """One row of TestTimestamps as the script's SQL expressions (a bound datetime is a DATE)."""
    base = "to_timestamp('20021209', 'YYYYMMDD')"
    nullable = "null" if i % 2 == 0 else f"{base} + to_dsinterval('{i + 1} 00:00:{i * 3}.{i * 125}')"
    return (f"({i}, {base} + to_dsinterval('{i} 00:00:{i * 2}.{i * 50}'), {nullable},"
            " to_timestamp('20091214', 'YYYYMMDD'))")


def _zoned(day: str, i: int) -> str:
    """One row of TestTimestampTZs / TestTimestampLTZs as the script's SQL expressions."""
    sign, minutes = ("-" if i % 2 == 0 else "+"), ("00" if i % 4 == 0 else "30")
    col = (f"to_timestamp_tz('{day} {sign}{i:02d}:{minutes}', 'YYYYMMDD TZH:TZM')"
           f" + to_dsinterval('{i} 00:00:{i * 2}.{i * 50}')")
    nullable = ("null" if i % 2 == 0 else f"to_timestamp_tz('{day} 00:00', 'YYYYMMDD TZH:TZM')"
                f" + to_dsinterval('{i + 1} 00:00:{i * 3}.{i * 125}')")
    return f"({i}, {col}, {nullable}, to_timestamp_tz('20091214 00:00', 'YYYYMMDD TZH:TZM'))"


def statements() -> Iterable[tuple[str, list[Row]]]:
    """``(sql, rows)`` pairs: the tables, then their rows (none for the tests that fill their own)."""
    for table, columns in TABLES.items():
        yield f"create table {table} {columns}", []
    yield "insert into TestUnicodes values (:1, :2, :3, :4)", [_unicodes(i) for i in range(1, 11)]
    yield "insert into TestIntervals values (:1, :2, :3, :4, :5)", [_intervals(i) for i in range(1, 11)]
    yield ("insert into TestIntervalYMs values (:1, to_yminterval(:2), to_yminterval(:3), to_yminterval('3-8'))",
           [(i, f"{i - 5}-{i}", None if i % 2 == 0 else f"{i + 5}-{i + 2}") for i in range(1, 11)])
    for i in range(1, 11):
        yield f"insert into TestTimestamps values {_timestamps(i)}", []
    for table, day in (("TestTimestampLTZs", "20220602"), ("TestTimestampTZs", "20220603")):
        for i in range(1, 11):
            yield f"insert into {table} values {_zoned(day, i)}", []
