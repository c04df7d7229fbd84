"""CREATE PROCEDURE / CREATE FUNCTION / CREATE PACKAGE: stored routines whose bodies are the
block shapes the server runs, called by the real client (callproc, callfunc, blocks, SQL)."""

from __future__ import annotations

import re

import oracledb
import pytest

from devart_oracle.testing import OracleTestServer

from .conftest import USERS

# k: a cursor of a fresh connection as scott (tests/server/conftest.py)


def test_procedure_with_in_in_out_and_out_parameters(k: oracledb.Cursor) -> None:
    k.execute("""create or replace procedure scale (a_In varchar2, a_InOut in out number,
                 a_Out out number) as
                 begin
                     a_InOut := a_InOut * length(a_In);
                     a_Out := length(a_In);
                 end;""")
    out = k.var(int)
    assert k.callproc("scale", ("abc", 5, out)) == ["abc", 15, 3]
    assert k.callproc("scott.scale", ("ab", 2, out)) == ["ab", 4, 2]  # owner-qualified
    assert k.callproc("scale", keyword_parameters={"a_In": "x", "a_InOut": 7, "a_Out": out}) == []
    assert out.getvalue() == 1


def test_function_returns_its_expression(k: oracledb.Cursor) -> None:
    k.execute("""create or replace function plus_length (a_Text varchar2, a_Extra number)
                 return number as begin return length(a_Text) + a_Extra; end;""")
    k.execute("create or replace function seven return number is begin return 7; end;")
    assert k.callfunc("plus_length", int, ("hello", 3)) == 8
    assert k.callfunc("seven", int) == 7
    result = k.var(int)
    k.execute("begin :r := seven; end;", r=result)
    assert result.getvalue() == 7


def test_defaults_and_dml_in_the_body(k: oracledb.Cursor) -> None:
    k.execute("create table audit_log (what varchar2(30), n number)")
    k.execute("""create or replace procedure log_it (a_What varchar2, a_N number default 1) as
                 begin insert into audit_log values (a_What, a_N); end;""")
    k.callproc("log_it", ("first",))
    k.callproc("log_it", ("second", 2))
    k.execute("select what, n from audit_log order by n")
    assert k.fetchall() == [("first", 1), ("second", 2)]


def test_another_session_sees_the_routine_until_it_is_dropped(wire_server: OracleTestServer,
                                                               k: oracledb.Cursor) -> None:
    k.execute("create or replace procedure shared_proc as begin null; end;")
    with oracledb.connect(user="alice", password=USERS["alice"], dsn=wire_server.dsn) as other:
        other.cursor().callproc("shared_proc")
    k.execute("drop procedure shared_proc")
    with pytest.raises(oracledb.DatabaseError, match="PLS-00201: identifier 'SHARED_PROC'"):
        k.callproc("shared_proc")


def test_or_replace_changes_the_body(k: oracledb.Cursor) -> None:
    k.execute("create or replace function version_no return number as begin return 1; end;")
    k.execute("create or replace function version_no return number as begin return 2; end;")
    assert k.callfunc("version_no", int) == 2


def test_a_body_the_server_does_not_run_fails_when_called(k: oracledb.Cursor) -> None:
    k.execute("""create or replace procedure loopy (a_Out out number) as
                 begin for i in 1 .. 2 loop a_Out := 1; end loop; end;""")
    with pytest.raises(oracledb.DatabaseError, match="PLS-00999: implementation restriction"):
        k.callproc("loopy", (k.var(int),))
    k.execute("""create or replace procedure declaring as type t is record (n number);
                 begin null; end;""")
    with pytest.raises(oracledb.DatabaseError, match="this declaration is not run"):
        k.callproc("declaring")


def test_local_declarations_run_as_a_declare_block(k: oracledb.Cursor) -> None:
    k.execute("""create or replace function doubled (a_N number) return number as
                 t_Twice number := 0;
                 begin t_Twice := a_N * 2; return t_Twice; end;""")
    assert k.callfunc("doubled", int, (21,)) == 42


def test_wrong_arguments_are_pls_00306(k: oracledb.Cursor) -> None:
    k.execute("create or replace procedure one_arg (a number) as begin null; end;")
    with pytest.raises(oracledb.DatabaseError, match="PLS-00306: wrong number or types of arguments"):
        k.callproc("one_arg", (1, 2))


def test_text_for_a_number_parameter_is_ora_06502(k: oracledb.Cursor) -> None:
    k.execute("""create or replace function add_len (a_Text varchar2, a_N number) return number
                 as begin return length(a_Text) + a_N; end;""")
    assert k.callfunc("add_len", int, ("ab", "3")) == 5  # text that is a number converts
    with pytest.raises(oracledb.DatabaseError, match="ORA-06502: PL/SQL: numeric or value error: "
                       "character to number conversion error"):
        k.callfunc("add_len", int, (5, "hi"))


def test_a_parameter_named_twice_is_ora_06550(k: oracledb.Cursor) -> None:
    k.execute("create or replace procedure two_args (a number, b number) as begin null; end;")
    with pytest.raises(oracledb.DatabaseError, match="ORA-06550"):
        k.callproc("two_args", (1, 2), {"a": 3})


def test_sql_calls_a_stored_function_as_a_built_in_one(k: oracledb.Cursor) -> None:
    k.execute("""create or replace function sql_scaled (a_Value number, a_By number default 2)
                 return number as begin return a_Value * a_By; end;""")
    k.execute("""create or replace function sql_rows (a_Limit number) return number as
                     t_Count number;
                 begin
                     select count(*) into t_Count from sql_rows_t where x <= a_Limit;
                     return t_Count;
                 end;""")
    k.execute("create or replace function sql_hello (a_Name varchar2) return varchar2 as"
              " begin return 'hello ' || a_Name; end;")
    k.execute("create table sql_rows_t (x number)")
    k.executemany("insert into sql_rows_t values (:1)", [(i,) for i in range(1, 101)])
    k.execute("select sql_scaled(21), sql_scaled(2, 5), scott.sql_scaled(:1), sql_hello('you') from dual", [4])
    assert k.fetchone() == (42, 10, 8, "hello you")
    k.execute("select x, sql_rows(x) from sql_rows_t where sql_scaled(x) > 194 order by x")  # a query in its body
    assert k.fetchall() == [(98, 98), (99, 99), (100, 100)]
    k.execute("update sql_rows_t set x = sql_scaled(x, 10) where x = 1")
    k.execute("select sum(sql_scaled(x)) from sql_rows_t")
    assert k.fetchone() == (2 * (5050 - 1 + 10),)
    k.execute("create or replace function sql_scaled (a_Value number, a_By number default 2)"
              " return number as begin return a_Value * 100; end;")
    k.execute("select sql_scaled(3) from dual")  # replaced: the body stored now runs
    assert k.fetchone() == (300,)
    k.execute("drop function sql_scaled")
    assert _code(k, "select sql_scaled(3) from dual") == 904
    k.execute("drop table sql_rows_t")


def test_sql_refuses_what_it_cannot_call(k: oracledb.Cursor) -> None:
    k.execute("create or replace function sql_pair (a number, b number) return number as begin return a + b; end;")
    k.execute("create or replace function sql_out (a out number) return number as begin a := 1; return 2; end;")
    k.execute("create or replace procedure sql_proc (a number) as begin null; end;")
    assert _code(k, "select sql_pair(1) from dual") == 6553  # PLS-00306
    assert _code(k, "select sql_pair(1, 2, 3) from dual") == 6553
    assert _code(k, "select sql_out(1) from dual") == 6572  # OUT parameters
    assert _code(k, "select sql_proc(1) from dual") == 904  # a procedure is no function
    assert _code(k, "select sql_nothing(1) from dual where 1 = 0") == 904  # at parse, as Oracle: no row needed


def _code(cursor: oracledb.Cursor, sql: str) -> int:
    with pytest.raises(oracledb.DatabaseError) as caught:
        cursor.execute(sql)
        cursor.fetchall()
    return int(caught.value.args[0].code)


_PACKAGE = """create or replace package body pkg_Shop as
    procedure Scale (a in out number, b number default 10);  -- a forward declaration
    function Total (a_Max number) return number is
        t_Total number;
    begin
        select sum(x) into t_Total from pkg_shop_t where x <= a_Max;
        return t_Total;
    end Total;
    function Capped (a number) return number is
    begin
        if a > 100 then
            return case when a > 1000 then -1 else a end;
        end if;
        return a * 2;
    end;
    procedure Rows (a_Max number, a_Cursor out sys_refcursor) is
    begin
        open a_Cursor for select x from pkg_shop_t where x <= a_Max order by x;
    end;
    procedure Scale (a in out number, b number default 10) as
    begin
        a := a * b;
    end Scale;
end pkg_Shop;"""


def test_a_packages_routines_are_called_by_its_name(k: oracledb.Cursor) -> None:
    k.execute("create table pkg_shop_t (x number)")
    k.executemany("insert into pkg_shop_t values (:1)", [(i,) for i in range(1, 6)])
    k.execute("create or replace package pkg_Shop as function Total (a_Max number) return number; end;")
    k.execute(_PACKAGE)
    assert k.callfunc("pkg_Shop.Total", int, [3]) == 6
    assert k.callfunc("scott.PKG_SHOP.capped", int, [21]) == 42  # owner-qualified, any case
    value = k.var(int)
    value.setvalue(0, 4)
    k.callproc("pkg_shop.scale", [value])
    assert value.getvalue() == 40
    rows = k.var(oracledb.DB_TYPE_CURSOR)
    k.execute("begin pkg_shop.rows(:1, :2); end;", [2, rows])
    assert rows.getvalue().fetchall() == [(1,), (2,)]
    k.execute("select pkg_shop.capped(x), scott.pkg_shop.capped(500), pkg_shop.capped(5000) from pkg_shop_t"
              " where x = 3")  # from SQL too
    assert k.fetchall() == [(6, 500, -1)]
    assert _code(k, "select pkg_shop.nothing(1) from dual") == 904
    k.execute("drop package body pkg_shop")  # the routines go with the body, the specification stays
    with pytest.raises(oracledb.DatabaseError, match="PLS-00201"):
        k.callfunc("pkg_shop.total", int, [3])
    k.execute(_PACKAGE)
    k.execute("drop package pkg_shop")
    with pytest.raises(oracledb.DatabaseError, match="PLS-00201"):
        k.callfunc("pkg_shop.total", int, [3])
    k.execute("drop table pkg_shop_t")


@pytest.mark.parametrize(("body", "what"), [
    ("t_State number; procedure p is begin null; end;", "a declaration (t_State ...)"),
    ("procedure p is begin null; end; begin null;", "an initialization section"),
    ("procedure p is begin null; end; procedure p (a number) is begin null; end;", "overloaded PKG_BAD.P"),
])
def test_what_a_package_body_may_not_hold_is_named(k: oracledb.Cursor, body: str, what: str) -> None:
    with pytest.raises(oracledb.DatabaseError, match=re.escape(what)) as caught:
        k.execute(f"create or replace package body pkg_bad as {body} end;")
    assert caught.value.args[0].code == 900


def test_routines_are_objects_a_name_names_once(k: oracledb.Cursor) -> None:
    k.execute("create procedure obj_proc as begin null; end;")
    assert _code(k, "create procedure obj_proc as begin null; end;") == 955  # no OR REPLACE
    assert _code(k, "create function obj_proc return number as begin return 1; end;") == 955
    k.execute("create or replace function obj_func return number as begin return 1; end;")
    k.execute("create or replace package obj_pkg as procedure p; end;")
    k.execute("create or replace package body obj_pkg as procedure p is begin null; end; end;")
    k.execute("select object_name, object_type, status from user_objects where object_name like 'OBJ\\_%' escape '\\'"
              " order by 1, 2")
    assert k.fetchall() == [("OBJ_FUNC", "FUNCTION", "VALID"), ("OBJ_PKG", "PACKAGE", "VALID"),
                            ("OBJ_PKG", "PACKAGE BODY", "VALID"), ("OBJ_PROC", "PROCEDURE", "VALID")]
    assert _code(k, "drop function obj_proc") == 4043  # a procedure is no function
    for sql in ("drop procedure obj_proc", "drop function obj_func", "drop package body obj_pkg",
                "drop package obj_pkg"):
        k.execute(sql)
        assert _code(k, sql) == 4043  # gone: a second drop says so
    k.execute("select count(*) from user_objects where object_name like 'OBJ\\_%' escape '\\'")
    assert k.fetchone() == (0,)
