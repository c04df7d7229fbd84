"""CURSOR(subquery) in a select list: a nested cursor per row, as python-oracledb fetches it.

The client reads the column as type CURSOR and, for each row, a describe
and a cursor id, then fetches the nested cursor by that id like a REF
CURSOR. The subquery may read the row's columns.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import oracledb
import pytest

from devart_oracle.testing import OracleTestServer

_TOP = """(select 'one' as name, 1 as n from dual union all select 'two', 2 from dual) s"""


@pytest.fixture
def cur(wire_server: OracleTestServer) -> Iterator[oracledb.Cursor]:
    with oracledb.connect(user="scott", password="tiger", dsn=wire_server.dsn) as connection:
        connection.call_timeout = 10_000
        yield connection.cursor()


def test_a_nested_cursor_is_described_as_a_cursor_and_fetched(cur: oracledb.Cursor) -> None:
    cur.execute("select 'outer', cursor(select 'inner', 2 from dual) as nested from dual")
    assert [(d[0], d[1]) for d in cur.description] == [("'OUTER'", oracledb.DB_TYPE_VARCHAR),
                                                       ("NESTED", oracledb.DB_TYPE_CURSOR)]
    ((text, nested),) = cur.fetchall()
    assert text == "outer" and isinstance(nested, oracledb.Cursor)
    assert [d[0] for d in nested.description] == ["'INNER'", "2"]
    assert nested.fetchall() == [("inner", 2)]


def test_the_subquery_reads_the_row_it_belongs_to(cur: oracledb.Cursor) -> None:
    cur.execute(f"select s.name, cursor(select s.name || '!', s.n * level from dual connect by level <= s.n) "
                f"from {_TOP} order by s.n")
    fetched = [(name, nested.fetchall()) for name, nested in cur]
    assert fetched == [("one", [("one!", 1)]), ("two", [("two!", 2), ("two!", 4)])]


def test_cursors_nest_to_any_depth(cur: oracledb.Cursor) -> None:
    cur.execute("select 1, cursor(select 2, cursor(select 3 from dual) from dual) from dual")
    ((one, middle),) = cur.fetchall()
    ((two, inner),) = middle.fetchall()
    assert (one, two, inner.fetchall()) == (1, 2, [(3,)])


def _open_cursors(cur: oracledb.Cursor) -> int:
    cur.execute("select m.value from v$mystat m join v$statname n on n.statistic# = m.statistic# "
                "where n.name = 'opened cursors current'")
    (count,) = cur.fetchone()
    return int(count)


def test_re_executing_closes_the_nested_cursors_of_the_last_execute(cur: oracledb.Cursor) -> None:
    sql = f"select s.n, cursor(select s.n from dual) from {_TOP}"
    cur.execute(sql)
    assert [nested.fetchall() for _, nested in cur] == [[(1,)], [(2,)]]
    before = _open_cursors(cur)
    for _ in range(20):  # the parent's cursor id runs again: its old children close
        cur.execute(sql)
        assert [nested.fetchall() for _, nested in cur] == [[(1,)], [(2,)]]
    assert _open_cursors(cur) <= before + 2


def test_binds_inside_a_cursor_expression_are_refused(cur: oracledb.Cursor) -> None:
    with pytest.raises(oracledb.DatabaseError, match="ORA-00900: invalid SQL statement: binds inside a CURSOR expression"):
        cur.execute("select cursor(select :1 from dual) from dual", [1])
    cur.execute("select 1 from dual")
    assert cur.fetchone() == (1,)


def test_nested_cursors_in_a_pipeline(wire_server: OracleTestServer) -> None:
    async def scenario() -> list[object]:
        async with oracledb.connect_async(user="scott", password="tiger", dsn=wire_server.dsn) as conn:
            pipeline = oracledb.create_pipeline()
            pipeline.add_fetchone("select 'a', cursor(select 'b' from dual) from dual")
            pipeline.add_fetchone("select user from dual")
            results = await conn.run_pipeline(pipeline)
            (text, nested), = results[0].rows
            return [text, await nested.fetchall(), results[1].rows]
    assert asyncio.run(asyncio.wait_for(scenario(), 20)) == ["a", [("b",)], [("SCOTT",)]]
