"""Parsing without executing, re-parsing, bind names and the current schema, as Oracle does."""

from __future__ import annotations

from collections.abc import Iterator

import oracledb
import pytest

from devart_oracle.testing import OracleTestServer


@pytest.fixture(scope="module")
def server() -> Iterator[OracleTestServer]:
    with OracleTestServer(users={"scott": "tiger", "hr": "hr"}) as srv:
        with oracledb.connect(user="scott", password="tiger", dsn=srv.dsn) as conn:
            conn.cursor().execute("create table parsed (i number(9) not null, v varchar2(20))")
        yield srv


@pytest.fixture
def cursor(server: OracleTestServer) -> Iterator[oracledb.Cursor]:
    with oracledb.connect(user="scott", password="tiger", dsn=server.dsn) as conn:
        with conn.cursor() as cur:
            yield cur


def test_parse_describes_a_query_with_and_without_binds(cursor: oracledb.Cursor) -> None:
    cursor.parse("select i, v from parsed")
    assert [(d[0], d[1]) for d in cursor.description or []] == [
        ("I", oracledb.DB_TYPE_NUMBER), ("V", oracledb.DB_TYPE_VARCHAR)]
    cursor.parse("select v from parsed where i = :i")
    assert cursor.description is not None and cursor.description[0][:4] == (
        "V", oracledb.DB_TYPE_VARCHAR, 20, 20)
    cursor.parse("insert into parsed values (1, 'x')")
    assert cursor.description is None


def test_a_dml_statement_parses_again_after_running(cursor: oracledb.Cursor) -> None:
    cursor.execute("insert into parsed values (:1, :2)", (7, "seven"))
    sql = "update parsed set v = :v where i = :i"
    for value in ("a", "b"):
        cursor.parse(sql)
        cursor.execute(sql, (value, 7))
        assert cursor.rowcount == 1
    cursor.execute("select v from parsed where i = 7")
    assert cursor.fetchall() == [("b",)]
    cursor.connection.rollback()


@pytest.mark.parametrize("sql", ["select :ROWID from dual", "select 1 from dual where :user = 1"])
def test_a_reserved_word_is_no_bind_name(cursor: oracledb.Cursor, sql: str) -> None:
    with pytest.raises(oracledb.DatabaseError, match="ORA-01745"):
        cursor.parse(sql)
    cursor.execute('select :"ROWID" from dual', ["quoted is fine"])
    assert cursor.fetchone() == ("quoted is fine",)


def test_current_schema_changes_reach_the_client(cursor: oracledb.Cursor) -> None:
    conn = cursor.connection
    assert conn.current_schema is None
    cursor.execute("alter session set current_schema = hr")
    assert conn.current_schema == "HR"
    conn.current_schema = "SCOTT"
    cursor.execute("select sys_context('userenv', 'current_schema') from dual")
    assert cursor.fetchone() == ("SCOTT",)
