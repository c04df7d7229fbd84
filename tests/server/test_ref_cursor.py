"""REF CURSOR binds (type 102): a block opens a query for a cursor bind, the real client
fetches from the cursor it gets back (sync and asyncio, over TCP)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import oracledb
import pytest

from devart_oracle.testing import OracleTestServer


@pytest.fixture
def k(k: oracledb.Cursor) -> Iterator[oracledb.Cursor]:
    """The server directory's cursor (tests/server/conftest.py), with table if_rc filled."""
    k.execute("create table if_rc (id number(9), name varchar2(20))")
    k.executemany("insert into if_rc values (:1, :2)", [(n, f"name {n}") for n in range(1, 8)])
    k.connection.commit()
    yield k
    k.execute("drop table if_rc")


def test_open_for_in_a_block_hands_back_a_cursor(k: oracledb.Cursor) -> None:
    rc = k.var(oracledb.CURSOR)
    k.execute("begin open :rc for select id, name from if_rc where id <= :n order by id; end;",
              rc=rc, n=5)
    ref = rc.getvalue()
    assert [d[0] for d in ref.description] == ["ID", "NAME"]
    assert ref.description[0][1] is oracledb.DB_TYPE_NUMBER
    ref.arraysize = 2  # several fetch round trips on the server's cursor id
    assert ref.fetchall() == [(n, f"name {n}") for n in range(1, 6)]
    assert ref.fetchall() == []


def test_a_connection_cursor_as_the_out_bind(k: oracledb.Cursor) -> None:
    ref = k.connection.cursor()
    k.execute("begin :x := 3; open :rc for select name from if_rc where id > :x; end;",
              x=k.var(int), rc=ref)
    assert sorted(ref.fetchall()) == [(f"name {n}",) for n in range(4, 8)]


def test_the_cursor_sees_the_rows_as_of_the_open(k: oracledb.Cursor) -> None:
    rc = k.var(oracledb.CURSOR)
    k.execute("begin open :rc for select count(*) from if_rc; end;", rc=rc)
    k.execute("delete from if_rc")
    assert rc.getvalue().fetchone() == (7,)
    k.connection.rollback()


def test_two_cursors_from_one_block_and_reexecute(k: oracledb.Cursor) -> None:
    sql = ("begin open :a for select id from if_rc where id < 3 order by id;"
           " open :b for select 'x' from dual; end;")
    for _ in range(2):  # the second execute is a re-execute of the same cursor id
        a, b = k.var(oracledb.CURSOR), k.var(oracledb.CURSOR)
        k.execute(sql, a=a, b=b)
        assert a.getvalue().fetchall() == [(1,), (2,)]
        assert b.getvalue().fetchall() == [("x",)]


def test_stored_procedure_and_function_returning_sys_refcursor(k: oracledb.Cursor) -> None:
    k.execute("""create or replace procedure rc_names (a_Max number, a_Cursor out sys_refcursor) as
                 begin open a_Cursor for select name from if_rc where id <= a_Max order by id; end;""")
    k.execute("""create or replace function rc_ids (a_Min number) return sys_refcursor as
                 c sys_refcursor;
                 begin open c for select id from if_rc where id >= a_Min order by id; return c; end;""")
    out = k.var(oracledb.CURSOR)
    k.callproc("rc_names", (2, out))
    assert out.getvalue().fetchall() == [("name 1",), ("name 2",)]
    ref = k.callfunc("rc_ids", oracledb.DB_TYPE_CURSOR, [6])
    assert ref.fetchall() == [(6,), (7,)]


def test_a_bad_query_in_open_is_the_blocks_error(k: oracledb.Cursor) -> None:
    with pytest.raises(oracledb.DatabaseError, match="ORA-00942") as info:
        k.execute("begin open :rc for select * from no_such_table; end;",
                  rc=k.var(oracledb.CURSOR))
    assert "ORA-06512: at line 1" in str(info.value)
    with pytest.raises(oracledb.DatabaseError, match="PLS-00103"):
        k.execute("begin open :rc select 1 from dual; end;", rc=k.var(oracledb.CURSOR))


def test_asyncio_client(wire_server: OracleTestServer) -> None:
    async def main() -> list[tuple[object, ...]]:
        async with oracledb.connect_async(user="scott", password="tiger",
                                          dsn=wire_server.dsn) as connection:
            cursor = connection.cursor()
            rc = cursor.var(oracledb.CURSOR)
            await cursor.execute("begin open :rc for select level from dual"
                                 " connect by level <= 4; end;", rc=rc)
            ref = rc.getvalue()
            ref.arraysize = 3
            return await ref.fetchall()

    assert asyncio.run(asyncio.wait_for(main(), 30)) == [(1,), (2,), (3,), (4,)]


def test_implicit_results_of_a_block(k: oracledb.Cursor) -> None:
    k.execute("""declare c1 sys_refcursor; c2 sys_refcursor;
                 begin
                     open c1 for select id from if_rc where id between 2 and 4 order by id;
                     dbms_sql.return_result(c1);
                     open c2 for select name from if_rc where id > 6;
                     dbms_sql.return_result(c2);
                 end;""")
    first, second = k.getimplicitresults()
    first.arraysize = 2
    assert first.fetchall() == [(2,), (3,), (4,)]
    assert second.fetchall() == [("name 7",)]
    first.execute("select :1 from dual", [7])  # an implicit result's cursor runs new statements
    assert first.fetchone() == (7,)


def test_return_result_of_an_unopened_cursor_is_ora_01001(k: oracledb.Cursor) -> None:
    with pytest.raises(oracledb.DatabaseError, match="ORA-01001"):
        k.execute("declare c sys_refcursor; begin dbms_sql.return_result(c); end;")


def test_implicit_results_with_asyncio(wire_server: OracleTestServer) -> None:
    async def main() -> list[list[tuple[object, ...]]]:
        async with oracledb.connect_async(user="scott", password="tiger",
                                          dsn=wire_server.dsn) as connection:
            cursor = connection.cursor()
            await cursor.execute("declare c sys_refcursor; begin open c for select 'a' from dual"
                                 " union all select 'b' from dual; dbms_sql.return_result(c); end;")
            return [await result.fetchall() for result in cursor.getimplicitresults()]

    assert asyncio.run(asyncio.wait_for(main(), 30)) == [[("a",), ("b",)]]
