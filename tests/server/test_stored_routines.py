"""CREATE PROCEDURE / CREATE FUNCTION: stored routines whose bodies are the block shapes
the server runs, called by the real client (callproc, callfunc, anonymous blocks)."""

from __future__ import annotations

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
                 begin while 1 = 1 loop a_Out := 1; end loop; end;""")
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
