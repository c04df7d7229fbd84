"""Oracle semantics the SQL layer must get right, checked through the real client.

Each test here pins a behaviour where SQLite underneath would give a
different answer, or none: NUMBER precision and scale, schema prefixes,
date arithmetic, ``||`` with NULL, division by zero, CAST, SYS_CONTEXT.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterator
from decimal import Decimal

import oracledb
import pytest

from devart_oracle.testing import OracleTestServer

_names = itertools.count()
_CALL_TIMEOUT_MS = 10_000


@pytest.fixture
def k(wire_server: OracleTestServer) -> Iterator[oracledb.Cursor]:
    """A cursor of a fresh connection whose calls cannot hang a test."""
    with oracledb.connect(user="scott", password="tiger", dsn=wire_server.dsn) as connection:
        connection.call_timeout = _CALL_TIMEOUT_MS
        yield connection.cursor()


@pytest.fixture
def table(k: oracledb.Cursor) -> Iterator[str]:
    """A fresh table name, dropped afterwards if it was created."""
    name = f"sem_{next(_names)}"
    yield name
    try:
        k.execute(f"drop table {name}")
    except oracledb.DatabaseError:
        pass


def ora_code(k: oracledb.Cursor, sql: str, *args: object) -> int:
    """The ORA number ``sql`` fails with."""
    with pytest.raises(oracledb.DatabaseError) as caught:
        k.execute(sql, *args)
    error = caught.value.args[0]
    return int(error.code)


def one(k: oracledb.Cursor, sql: str, *args: object) -> object:
    k.execute(sql, *args)
    row = k.fetchone()
    assert row is not None
    return row[0]


# ------------------------------------------------------- NUMBER precision


def test_number_38_takes_38_digits_and_refuses_39(k: oracledb.Cursor, table: str) -> None:
    k.execute(f"create table {table} (n number(38))")
    k.execute(f"insert into {table} values (:1)", [10**30])
    k.execute(f"insert into {table} values (1{'0' * 30})")
    k.execute(f"insert into {table} values (:1)", [10**38 - 1])
    assert ora_code(k, f"insert into {table} values (:1)", [10**38]) == 1438
    assert ora_code(k, f"insert into {table} values (1{'0' * 38})") == 1438
    k.execute(f"select n from {table} order by 1")
    assert sorted(row[0] for row in k) == [10**30, 10**30, 10**38 - 1]


def test_number_scale_rounds_before_the_precision_check(k: oracledb.Cursor, table: str) -> None:
    k.execute(f"create table {table} (n number(10, 2))")
    k.execute(f"insert into {table} values (:1)", [Decimal("99999999.99")])
    k.execute(f"insert into {table} values (:1)", [Decimal("99999999.994")])
    assert ora_code(k, f"insert into {table} values (:1)", [Decimal("99999999.995")]) == 1438
    assert ora_code(k, f"insert into {table} values (:1)", [100000000]) == 1438
    k.execute(f"select n from {table}")
    assert [row[0] for row in k] == [99999999.99] * 2


def test_negative_scale_rounds_to_hundreds(k: oracledb.Cursor, table: str) -> None:
    k.execute(f"create table {table} (n number(3, -2))")
    k.execute(f"insert into {table} values (:1)", [12345])
    k.execute(f"insert into {table} values (:1)", [99949])
    assert ora_code(k, f"insert into {table} values (:1)", [99950]) == 1438
    k.execute(f"select n from {table} order by n")
    assert [row[0] for row in k] == [12300, 99900]


def test_scale_above_precision_takes_only_small_fractions(k: oracledb.Cursor, table: str) -> None:
    k.execute(f"create table {table} (n number(2, 5))")
    k.execute(f"insert into {table} values (:1)", [Decimal("0.00099")])
    assert ora_code(k, f"insert into {table} values (:1)", [Decimal("0.001")]) == 1438


# ---------------------------------------------------------- schema prefix


def test_quoted_schema_prefix_is_the_session_schema(k: oracledb.Cursor, table: str) -> None:
    upper = table.upper()
    k.execute(f"create table {table} (x number)")
    k.execute(f'insert into "SCOTT"."{upper}" ("X") values (1)')
    k.execute(f'update "SCOTT"."{upper}" set "X" = "X" + 1 where "SCOTT"."{upper}"."X" = 1')
    assert one(k, f'select count(*) from "SCOTT"."{upper}"') == 1
    assert one(k, f'select "SCOTT"."{upper}"."X" from "SCOTT"."{upper}"') == 2
    assert one(k, f'select count(*) from SCOTT."{upper}"') == 1
    k.execute(f'delete from "SCOTT"."{upper}"')
    assert k.rowcount == 1


def test_quoted_prefix_naming_the_current_schema(k: oracledb.Cursor, table: str) -> None:
    k.execute(f"create table {table} (x number)")
    k.execute("alter session set current_schema = alice")
    assert one(k, f'select count(*) from "ALICE"."{table.upper()}"') == 0


def test_quoted_schema_and_sequence_names(k: oracledb.Cursor, table: str) -> None:
    k.execute(f'create sequence "SCOTT"."{table.upper()}"')
    try:
        assert one(k, f'select "SCOTT"."{table.upper()}".nextval from dual') == 1
        assert one(k, f'select "{table.upper()}".currval from dual') == 1
    finally:
        k.execute(f"drop sequence {table}")


# ----------------------------------------------------------- SYS_CONTEXT


@pytest.mark.parametrize("parameter", ["SID", "SESSIONID", "SESSION_USER", "SERVICE_NAME"])
def test_sys_context_is_varchar2(k: oracledb.Cursor, parameter: str) -> None:
    value = one(k, f"select sys_context('USERENV', '{parameter}') from dual")
    assert isinstance(value, str)
    assert k.description is not None
    assert k.description[0][1] is oracledb.DB_TYPE_VARCHAR


def test_sys_context_sid_is_the_session_sid(k: oracledb.Cursor, wire_server: OracleTestServer) -> None:
    sid = one(k, "select sys_context('USERENV', 'SID') from dual")
    assert int(str(sid)) in [info.sid for info in wire_server.sessions]



def test_the_debuggers_session_ids_are_the_clients(k: oracledb.Cursor) -> None:
    """DBMS_DEBUG_JDWP's functions, called as Oracle lets SQL call them: with no parentheses, or empty ones."""
    k.execute("select dbms_debug_jdwp.current_session_id, dbms_debug_jdwp.current_session_serial(),"
              " dbms_debug_jdwp.current_session_id + 1 from dual")
    assert k.fetchone() == (k.connection.session_id, k.connection.serial_num, k.connection.session_id + 1)
    assert [d[0] for d in k.description][:2] == ["DBMS_DEBUG_JDWP.CURRENT_SESSION_ID",
                                                 "DBMS_DEBUG_JDWP.CURRENT_SESSION_SERIAL()"]
    assert ora_code(k, "select dbms_debug_jdwp.current_session_id(1) from dual") == 909  # it takes none

# -------------------------------------------------------- current schema


def test_current_schema_must_name_a_user(k: oracledb.Cursor) -> None:
    assert ora_code(k, "alter session set current_schema = nosuchuser") == 1435
    assert one(k, "select sys_context('USERENV', 'CURRENT_SCHEMA') from dual") == "SCOTT"
    k.execute("alter session set current_schema = alice")
    assert one(k, "select sys_context('USERENV', 'CURRENT_SCHEMA') from dual") == "ALICE"
    k.execute("alter session set current_schema = sys")
    assert one(k, "select sys_context('USERENV', 'CURRENT_SCHEMA') from dual") == "SYS"


# -------------------------------------------------------- date arithmetic


def test_date_plus_and_minus_a_number_is_day_arithmetic(k: oracledb.Cursor) -> None:
    now = one(k, "select sysdate from dual")
    assert isinstance(now, datetime.datetime)
    yesterday = one(k, "select sysdate - 1 from dual")
    assert isinstance(yesterday, datetime.datetime)
    assert abs((now - yesterday) - datetime.timedelta(days=1)) < datetime.timedelta(seconds=5)
    k.execute("select date '2024-02-28' + 1, date '2024-03-01' - 1/24, 1 + date '2024-12-31' from dual")
    assert k.fetchone() == (datetime.datetime(2024, 2, 29), datetime.datetime(2024, 2, 29, 23),
                            datetime.datetime(2025, 1, 1))
    assert k.description is not None and k.description[0][0] == "DATE'2024-02-28'+1"


def test_date_minus_date_is_a_number_of_days(k: oracledb.Cursor) -> None:
    k.execute("select date '2024-03-01' - date '2024-02-01', trunc(sysdate) - trunc(sysdate - 3),"
              " (date '2024-01-01' + 0.5) - date '2024-01-01' from dual")
    assert k.fetchone() == (29, 3, 0.5)
    assert ora_code(k, "select sysdate + sysdate from dual") == 975
    assert ora_code(k, "select 1 - sysdate from dual") == 932


def test_a_date_window_filters_rows(k: oracledb.Cursor, table: str) -> None:
    k.execute(f"create table {table} (id number, dt date)")
    now = datetime.datetime.now().replace(microsecond=0)
    k.executemany(f"insert into {table} values (:1, :2)",
                  [(1, now - datetime.timedelta(days=3)), (2, now - datetime.timedelta(hours=2))])
    k.execute(f"select id from {table} where dt > sysdate - 1")
    assert k.fetchall() == [(2,)]
    k.execute(f"select id from {table} where dt > :1 - 7 order by id", [now])
    assert k.fetchall() == [(1,), (2,)]
    k.execute(f"update {table} set dt = dt + 1 where id = 1")
    k.execute(f"select dt from {table} where id = 1")
    assert k.fetchone() == (now - datetime.timedelta(days=2),)


# ---------------------------------------------------------- || and numbers


def test_concatenation_ignores_null(k: oracledb.Cursor) -> None:
    k.execute("select 'a' || null || 'b', null || null, 'x' || :1 || 'y', concat(null, 'z') from dual",
              [None])
    assert k.fetchone() == ("ab", None, "xy", "z")
    assert k.description is not None and k.description[0][0] == "'A'||NULL||'B'"


def test_concatenation_converts_numbers_and_dates_as_oracle_does(k: oracledb.Cursor) -> None:
    assert one(k, "select 'n=' || 0.5 || ',' || 12 || ',' || date '2020-01-02' from dual") == (
        "n=.5,12,02-JAN-20")
    assert one(k, "select 1 || 2 from dual") == "12"


def test_operator_precedence_follows_oracle(k: oracledb.Cursor) -> None:
    k.execute("select 1 + 2 * 3, (1 + 2) * 3, 2 - 3 - 4, 10 / 4, 7 / 7, -2 * 3, 1 - -1,"
              " count(*) - 1, nvl(null, 0) + 1 from dual")
    assert k.fetchone() == (7, 9, -5, 2.5, 1, -6, 2, 0, 1)
    assert ora_code(k, "select 'x' || 1 + 2 from dual") == 1722  # ('x' || 1) + 2


def test_division_by_zero(k: oracledb.Cursor) -> None:
    assert ora_code(k, "select 1/0 from dual") == 1476
    assert ora_code(k, "select 1 / :1 from dual", [0]) == 1476
    assert ora_code(k, "select mod(5, 2) / (1 - 1) from dual") == 1476


@pytest.mark.parametrize("expression", ["ln(0)", "ln(-1)", "sqrt(-1)", "log(10, 0)", "power(-8, 0.5)"])
def test_arguments_out_of_range(k: oracledb.Cursor, expression: str) -> None:
    assert ora_code(k, f"select {expression} from dual") == 1428


def test_math_functions_in_range(k: oracledb.Cursor) -> None:
    k.execute("select sqrt(16), ln(1), log(10, 100), power(2, 10), power(-2, 3), exp(0) from dual")
    assert k.fetchone() == (4, 0, 2, 1024, -8, 1)


@pytest.mark.parametrize("expression", ["1e308 * 10", "exp(1000)", "power(10, 400)", "1e125 * 100"])
def test_numeric_overflow(k: oracledb.Cursor, expression: str) -> None:
    assert ora_code(k, f"select {expression} from dual") == 1426


def test_text_that_is_no_number_fails_in_arithmetic(k: oracledb.Cursor) -> None:
    assert one(k, "select '12' + 1 from dual") == 13
    assert ora_code(k, "select 'abc' + 1 from dual") == 1722


# ------------------------------------------------------------------- CAST


def test_cast_to_the_usual_types(k: oracledb.Cursor) -> None:
    stamp = datetime.datetime(2020, 1, 1, 1, 2, 3)
    k.execute("select cast(:1 as timestamp), cast(sysdate as timestamp), cast('12.5' as number),"
              " cast(12 as varchar2(5)), cast('2020-01-02' as date), cast(1.5 as integer),"
              " cast(12.345 as number(5, 2)), cast('ab' as char(4)) from dual", [stamp])
    row = k.fetchone()
    assert row is not None
    assert row[0] == stamp and isinstance(row[1], datetime.datetime)
    assert row[2:] == (12.5, "12", datetime.datetime(2020, 1, 2), 2, 12.35, "ab  ")
    assert k.description is not None
    assert k.description[0][1] is oracledb.DB_TYPE_TIMESTAMP
    assert k.description[3][0] == "CAST(12ASVARCHAR2(5))"


@pytest.mark.parametrize(("expression", "code"), [
    ("cast(12345 as varchar2(3))", 25137),
    ("cast(12345 as number(3))", 1438),
    ("cast('abc' as number)", 1722),
    ("cast(1 as xmltype)", 902),
    ("cast('x' as varchar2)", 906),
    ("cast(sysdate as number)", 932),
])
def test_cast_failures(k: oracledb.Cursor, expression: str, code: int) -> None:
    assert ora_code(k, f"select {expression} from dual") == code


def test_another_users_prefix_names_the_shared_namespace(k: oracledb.Cursor, table: str) -> None:
    k.execute(f"create table {table} (x number)")
    k.execute(f'insert into "ALICE"."{table.upper()}" values (1)')
    assert one(k, f"select count(*) from alice.{table}") == 1
    assert ora_code(k, f"select count(*) from nosuchuser.{table}") == 942


# ------------------------------------------------------------------- RAW


def test_text_into_raw_is_hex_checked_at_insert(k: oracledb.Cursor, table: str) -> None:
    """A cursor that bound a string keeps its VARCHAR variable for bytes too.

    The client converts the bytes to text and sends a VARCHAR bind (it never
    re-sends RAW metadata), so Oracle reads the text as hex: invalid hex is
    ORA-01465 at the insert, and valid hex is stored as the bytes it spells.
    """
    k.execute(f"create table {table} (r raw(2))")
    k.execute(f"insert into {table} values (:1)", ["abcd"])
    assert ora_code(k, f"insert into {table} values (:1)", [b"\x00\x01"]) == 1465
    assert k.bindvars[0].type is oracledb.DB_TYPE_VARCHAR
    assert ora_code(k, f"insert into {table} values ('ab cd')") == 1465
    assert ora_code(k, f"insert into {table} values ('abcdef')") == 12899
    with k.connection.cursor() as fresh:
        fresh.execute(f"insert into {table} values (:1)", [b"\x00\x01"])
    k.execute(f"select r from {table}")
    assert sorted(row[0] for row in k) == [b"\x00\x01", b"\xab\xcd"]


def test_a_cursor_that_bound_a_string_selects_bytes_as_text(k: oracledb.Cursor) -> None:
    """The client's choice, not the server's: its VARCHAR variable is kept."""
    k.execute("select :1 from dual", ["abc"])
    k.fetchall()
    assert one(k, "select :1 from dual", [b"\x00\x01"]) == "\x00\x01"
    with k.connection.cursor() as fresh:
        assert one(fresh, "select :1 from dual", [b"\x00\x01"]) == b"\x00\x01"


# ------------------------------------------------------- NUMBER literals


@pytest.mark.parametrize("literal", [
    "12345678901234567890123456789012345678",
    "-99999999999999999999999999999999999999",
    "9223372036854775808",
    "0.12345678901234567890123456789",
    "-1234567890.1234567890123",
])
def test_big_number_literals_are_exact(k: oracledb.Cursor, literal: str) -> None:
    k.outputtypehandler = lambda cursor, _: cursor.var(Decimal, arraysize=cursor.arraysize)
    assert one(k, f"select {literal} from dual") == Decimal(literal)
    assert k.description[0][0] == literal


def test_big_number_literals_in_arithmetic_and_columns(k: oracledb.Cursor, table: str) -> None:
    k.execute(f"create table {table} (n number(38))")
    k.execute(f"insert into {table} (n) values (-99999999999999999999999999999999999999)")
    k.execute(f"insert into {table} (n) values (12345678901234567890123456789012345678)")
    assert ora_code(k, f"insert into {table} (n) values (-{'9' * 39})") == 1438
    assert one(k, f"select count(*) from {table} where n = -{'9' * 38}") == 1
    assert one(k, "select 1 - 99999999999999999999 from dual") == 1 - 99999999999999999999
