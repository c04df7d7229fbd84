"""NLS date formats of a session, TO_DATE's lenient reading, and UTL_RAW, through the real client."""

from __future__ import annotations

import datetime

import oracledb
import pytest

# k: a cursor of a fresh connection as scott (tests/server/conftest.py)

_FORMAT = "select value from nls_session_parameters where parameter = 'NLS_DATE_FORMAT'"
_WHEN = datetime.datetime(2000, 12, 15, 7, 3)


@pytest.mark.parametrize(("text", "expected"), [
    ("04-JAN-2022", datetime.datetime(2022, 1, 4)),     # RR takes a four-digit year as it is
    ("04-jan-22", datetime.datetime(2022, 1, 4)),       # any case; RR: the nearest century
    ("4-Jan-99", datetime.datetime(1999, 1, 4)),
    ("04/JAN/2022", datetime.datetime(2022, 1, 4)),     # punctuation matches punctuation
    ("2022-01-04", datetime.datetime(2022, 1, 4)),      # ISO text, as before
])
def test_to_date_reads_the_default_format_as_oracle_does(k: oracledb.Cursor, text: str,
                                                         expected: datetime.datetime) -> None:
    k.execute("select to_date(:1) from dual", [text])
    assert k.fetchone() == (expected,)


@pytest.mark.parametrize(("text", "model", "code"), [
    ("04-XYZ-2022", "DD-MON-RR", "ORA-01843"),
    ("32-JAN-2022", "DD-MON-RR", "ORA-01847"),
    ("25:00", "HH24:MI", "ORA-01850"),
    ("nonsense", "DD-MON-RR", "ORA-01861"),
])
def test_to_date_errors_name_the_bad_field(k: oracledb.Cursor, text: str, model: str,
                                           code: str) -> None:
    with pytest.raises(oracledb.DatabaseError) as info:
        k.execute("select to_date(:1, :2) from dual", [text, model])
    assert info.value.args[0].full_code == code


def test_alter_session_nls_date_format_is_the_sessions_own(k: oracledb.Cursor,
                                                           conn: oracledb.Connection) -> None:
    k.execute(_FORMAT)
    assert k.fetchone() == ("DD-MON-RR",)
    k.execute("select to_char(:1) from dual", [_WHEN])
    assert k.fetchone() == ("15-DEC-00",)
    k.execute("alter session set nls_date_format = 'YYYY-MM-DD HH24:MI'")
    k.execute("select to_char(:1), 'at ' || :1, to_date('2001-02-03 04:05') from dual",
              [_WHEN, _WHEN])
    assert k.fetchone() == ("2000-12-15 07:03", "at 2000-12-15 07:03",
                            datetime.datetime(2001, 2, 3, 4, 5))
    k.execute(_FORMAT)
    assert k.fetchone() == ("YYYY-MM-DD HH24:MI",)
    other = conn.cursor()  # another session keeps Oracle's default
    other.execute("select to_char(:1) from dual", [_WHEN])
    assert other.fetchone() == ("15-DEC-00",)


def test_utl_raw_casts(k: oracledb.Cursor) -> None:
    k.execute("select utl_raw.cast_to_raw('abc'), utl_raw.cast_to_varchar2(:1), "
              "utl_raw.length(:1), to_blob(utl_raw.cast_to_raw('blob')) from dual",
              [b"xyz", b"xyz"])
    raw, text, length, blob = k.fetchone()
    assert (raw, text, length, blob.read()) == (b"abc", "xyz", 3, b"blob")
    k.execute("select utl_raw.cast_to_varchar2(:1) from dual", ["Я".encode("windows-1251")])
    assert k.fetchone() == ("\ufffd",)  # a byte that is no UTF-8: the replacement character
    with pytest.raises(oracledb.DatabaseError, match="ORA-01465"):
        k.execute("select utl_raw.length('not hex') from dual")
