"""DML with RETURNING INTO inside a PL/SQL block: the returned row sets the binds, no row
sets NULL, more than one is ORA-01422 (python-oracledb's 1216, 1843)."""

from __future__ import annotations

from collections.abc import Iterator

import oracledb
import pytest

from devart_oracle.testing import OracleTestServer


@pytest.fixture
def k() -> Iterator[oracledb.Cursor]:
    with OracleTestServer(users={"scott": "tiger"}) as server, \
            oracledb.connect(user="scott", password="tiger", dsn=server.dsn) as connection:
        connection.call_timeout = 10_000
        cursor = connection.cursor()
        cursor.execute("create table items (id number(9), label varchar2(30))")
        yield cursor


def test_the_returned_row_sets_the_out_binds(k: oracledb.Cursor) -> None:
    out = k.var(oracledb.NUMBER, arraysize=3)
    k.setinputsizes(out)
    k.executemany("""declare t_Id number;
                     begin
                         select nvl(count(*), 0) + 1 into t_Id from items;
                         insert into items values (t_Id, 'item ' || t_Id) returning id into :out;
                     end;""", 3)
    assert out.values == [1, 2, 3]
    label = k.var(str)
    k.execute("begin update items set label = 'x' || :1 where id = 2 returning label into :2; end;",
              [7, label])
    assert label.getvalue() == "x7"


def test_no_row_sets_null_and_several_are_ora_01422(k: oracledb.Cursor) -> None:
    k.executemany("insert into items values (:1, 'a')", [(1,), (2,)])
    out = k.var(int)
    out.setvalue(0, 99)
    k.execute("begin update items set id = :1 where label = 'none' returning id into :2; end;",
              [5, out])
    assert out.getvalue() is None
    with pytest.raises(oracledb.DatabaseError, match="ORA-01422"):
        k.execute("begin update items set id = id returning id into :1; end;", [out])
