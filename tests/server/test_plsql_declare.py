"""DECLARE blocks with local variables, through the real client (python-oracledb's
executemany files send them): locals are hidden binds, the client gets its own back."""

from __future__ import annotations

import oracledb
import pytest

# k: a cursor of a fresh connection as scott (tests/server/conftest.py)


def test_locals_with_initial_values(k: oracledb.Cursor) -> None:
    out = k.var(int)
    k.execute("declare x number := 5; s varchar2(9) default 'ab'; n number; "
              "begin n := x * length(s); :o := n + 1; end;", o=out)
    assert out.getvalue() == 11


def test_select_into_a_local_then_insert_it(k: oracledb.Cursor) -> None:
    k.execute("create table numbered (id number, label varchar2(30))")
    k.executemany("""declare t_Id number;
                     begin
                         select nvl(count(*), 0) + 1 into t_Id from numbered;
                         insert into numbered values (t_Id, 'row ' || t_Id);
                     end;""", 3)
    k.execute("select id, label from numbered order by id")
    assert k.fetchall() == [(1, "row 1"), (2, "row 2"), (3, "row 3")]


def test_an_error_in_executemany_names_its_row(k: oracledb.Cursor) -> None:
    with pytest.raises(oracledb.DatabaseError, match="ORA-01476") as raised:
        k.executemany("declare t number; begin t := 10 / (4 - :1); end;", [(n,) for n in range(1, 6)])
    assert raised.value.args[0].offset == 3


def test_a_declaration_the_server_does_not_run_is_pls_00999(k: oracledb.Cursor) -> None:
    with pytest.raises(oracledb.DatabaseError, match="PLS-00999: .*this declaration is not run"):
        k.execute("declare cursor c is select 1 from dual; begin null; end;")
    with pytest.raises(oracledb.DatabaseError, match="PLS-00999: .*only literal initial values"):
        k.execute("declare d date := sysdate; begin null; end;")
