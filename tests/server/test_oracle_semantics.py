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


# -------------------------------------------------------- current schema


def test_current_schema_must_name_a_user(k: oracledb.Cursor) -> None:
    assert ora_code(k, "alter session set current_schema = nosuchuser") == 1435
    assert one(k, "select sys_context('USERENV', 'CURRENT_SCHEMA') from dual") == "SCOTT"
    k.execute("alter session set current_schema = alice")
    assert one(k, "select sys_context('USERENV', 'CURRENT_SCHEMA') from dual") == "ALICE"
    k.execute("alter session set current_schema = sys")
    assert one(k, "select sys_context('USERENV', 'CURRENT_SCHEMA') from dual") == "SYS"
