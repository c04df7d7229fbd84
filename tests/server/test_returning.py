"""DML with ``RETURNING ... INTO``: the client sends no values for the targets.

python-oracledb describes every bind but sends values only for the ones
before ``RETURNING ... INTO``; the server must read exactly those, run the
statement, and send each target's values back per execution. A server that
waits for the missing values hangs the client, so every connection here has
a call timeout.
"""

from __future__ import annotations

import asyncio
import datetime
import itertools
from collections.abc import Iterator
from decimal import Decimal

import oracledb
import pytest

from devart_oracle.testing import OracleTestServer

_names = itertools.count()


@pytest.fixture
def k(wire_server: OracleTestServer) -> Iterator[oracledb.Cursor]:
    """A cursor whose calls end within 10 s whatever the server does."""
    with oracledb.connect(user="scott", password="tiger", dsn=wire_server.dsn) as connection:
        connection.call_timeout = 10_000
        yield connection.cursor()


@pytest.fixture
def table(k: oracledb.Cursor) -> Iterator[str]:
    name = f"ret_{next(_names)}"
    k.execute(f"create table {name} (id number(10), name varchar2(4000), born date, amount number(8, 2))")
    yield name
    k.execute(f"drop table {name}")


def test_insert_returning_into_with_no_other_binds(k: oracledb.Cursor, table: str) -> None:
    v = k.var(int)
    k.execute(f"insert into {table} (id) values (1) returning id into :v", v=v)
    assert v.getvalue() == [1]
    assert k.rowcount == 1
    k.connection.ping()  # the session is still in step


def test_several_targets_of_several_types(k: oracledb.Cursor, table: str) -> None:
    ident, name, born, amount = k.var(int), k.var(str), k.var(oracledb.DATETIME), k.var(Decimal)
    k.execute(f"insert into {table} values (:1, :2, :3, :4) "
              "returning id * 10, name, born, amount into :5, :6, :7, :8",
              [7, "seven", datetime.datetime(2024, 2, 29, 12, 30), Decimal("12.34"),
               ident, name, born, amount])
    assert ident.getvalue() == [70]
    assert name.getvalue() == ["seven"]
    assert born.getvalue() == [datetime.datetime(2024, 2, 29, 12, 30)]
    assert amount.getvalue() == [Decimal("12.34")]


def test_update_and_delete_return_one_value_per_changed_row(k: oracledb.Cursor, table: str) -> None:
    k.executemany(f"insert into {table} (id, name) values (:1, :2)", [(1, "a"), (2, "b"), (3, "c")])
    ids, names = k.var(int), k.var(str)
    k.execute(f"update {table} set id = id + :1 where id >= 2 returning id, name into :2, :3",
              [100, ids, names])
    assert k.rowcount == 2
    assert sorted(zip(ids.getvalue(), names.getvalue())) == [(102, "b"), (103, "c")]
    k.execute(f"update {table} set id = 0 where id < 0 returning id into :1", [ids])
    assert (k.rowcount, ids.getvalue()) == (0, [])
    k.execute(f"delete from {table} where id = 1 returning name into :n", n=names)
    assert (k.rowcount, names.getvalue()) == (1, ["a"])


def test_binds_inside_the_returning_list_are_inputs(k: oracledb.Cursor, table: str) -> None:
    v = k.var(int)
    k.execute(f"insert into {table} (id) values (:a) returning id + :b into :v", a=5, b=1000, v=v)
    assert v.getvalue() == [1005]


def test_long_values_travel_last_and_targets_not_at_all(k: oracledb.Cursor, table: str) -> None:
    name = k.var(str)
    k.execute(f"insert into {table} (name, id) values (:1, :2) returning length(name) into :3",
              ["x" * 3000, 1, name])
    assert name.getvalue() == ["3000"]


def test_executemany_returns_per_iteration(k: oracledb.Cursor, table: str) -> None:
    ids = k.var(int, arraysize=3)
    k.setinputsizes(None, ids)
    k.executemany(f"insert into {table} (id) values (:1) returning id * 2 into :2", [(1,), (2,), (3,)])
    assert [ids.getvalue(i) for i in range(3)] == [[2], [4], [6]]
    assert k.rowcount == 3


def test_repeated_returning_statement_stays_in_step(k: oracledb.Cursor, table: str) -> None:
    v = k.var(int)
    for i in range(3):
        k.execute(f"insert into {table} (id) values (:1) returning id into :2", [i, v])
        assert v.getvalue() == [i]
    k.execute(f"select count(*) from {table}")
    assert k.fetchone() == (3,)


def test_targets_that_do_not_pair_up_fail_and_leave_the_session_usable(
        k: oracledb.Cursor, table: str) -> None:
    v = k.var(int)
    with pytest.raises(oracledb.DatabaseError, match="ORA-00947"):
        k.execute(f"insert into {table} (id) values (1) returning id, name into :v", v=v)
    with pytest.raises(oracledb.DatabaseError, match="ORA-00913"):
        k.execute(f"insert into {table} (id) values (1) returning id into :v, :w", v=v, w=v)
    k.execute(f"select count(*) from {table}")
    assert k.fetchone() == (0,)


def test_binary_double_and_binary_float_targets(k: oracledb.Cursor, table: str) -> None:
    double, single = k.var(oracledb.DB_TYPE_BINARY_DOUBLE), k.var(oracledb.DB_TYPE_BINARY_FLOAT)
    k.execute(f"insert into {table} (id, amount) values (3, 1.25) returning id / 4, amount into :d, :f",
              d=double, f=single)
    assert double.getvalue() == [0.75]
    assert single.getvalue() == [1.25]


def test_a_target_too_small_for_the_value_is_dpy_4002(k: oracledb.Cursor, table: str) -> None:
    small = k.var(str, 2)  # a buffer of 8 bytes: 2 characters of up to 4 bytes each
    with pytest.raises(oracledb.DatabaseError, match="DPY-4002: column truncated to 8 characters. Untruncated was 13"):
        k.execute(f"insert into {table} (id, name) values (1, 'a longer text') returning name into :s", s=small)
    wide = k.var(str, 40)
    k.execute(f"update {table} set name = 'fits' returning name into :s", s=wide)
    assert wide.getvalue() == ["fits"]


def test_a_target_type_the_server_cannot_send_changes_nothing(k: oracledb.Cursor, table: str) -> None:
    v = k.var(oracledb.DB_TYPE_JSON)
    with pytest.raises(oracledb.DatabaseError, match="ORA-03115"):
        k.execute(f"insert into {table} (id) values (1) returning id into :v", v=v)
    k.execute(f"select count(*) from {table}")
    assert k.fetchone() == (0,)


def test_returning_is_part_of_the_transaction(k: oracledb.Cursor, table: str) -> None:
    v = k.var(int)
    k.execute(f"insert into {table} (id) values (42) returning id into :v", v=v)
    assert k.connection.transaction_in_progress
    k.connection.rollback()
    k.execute(f"select count(*) from {table}")
    assert k.fetchone() == (0,)


def test_returning_with_the_asyncio_client(wire_server: OracleTestServer) -> None:
    async def scenario() -> list[object]:
        async with oracledb.connect_async(user="scott", password="tiger",
                                          dsn=wire_server.dsn) as connection:
            connection.call_timeout = 10_000
            cursor = connection.cursor()
            await cursor.execute("create table ret_async (id number)")
            try:
                v = cursor.var(int)
                await cursor.execute("insert into ret_async values (:1) returning id into :2", [9, v])
                return list(v.getvalue())
            finally:
                await cursor.execute("drop table ret_async")

    assert asyncio.run(scenario()) == [9]
