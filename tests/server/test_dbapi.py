"""DB-API 2.0 behaviour of python-oracledb against the server (our own suite).

Everything here goes through the real thin client over TCP, so it checks the
wire layer end to end: describe info becomes ``cursor.description``, row data
becomes tuples, FETCH batches follow arraysize and prefetchrows, end-of-call
messages become ``rowcount``.
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


@pytest.fixture
def table(conn: oracledb.Connection) -> Iterator[str]:
    """A fresh table with one column of each supported type."""
    name = f"dbapi_{next(_names)}"
    cursor = conn.cursor()
    cursor.execute(f"""
        create table {name} (
            id number(10) not null,
            name varchar2(4000),
            code char(3),
            amount number(12, 2),
            ratio number,
            born date,
            stamp timestamp,
            blob_ raw(2000)
        )""")
    yield name
    cursor.execute(f"drop table {name}")


def _insert(cursor: oracledb.Cursor, table: str, rows: list[tuple[object, ...]]) -> None:
    cursor.executemany(f"insert into {table} (id, name) values (:1, :2)", rows)


def test_ddl_insert_select_round_trip(conn: oracledb.Connection, table: str) -> None:
    cursor = conn.cursor()
    cursor.execute(f"insert into {table} (id, name, amount) values (:id, :name, :amount)",
                   id=1, name="one", amount=Decimal("12.34"))
    assert cursor.rowcount == 1
    cursor.execute(f"insert into {table} (id, name, amount) values (:1, :2, :3)", [2, "two", 5])
    conn.commit()
    cursor.execute(f"select id, name, amount from {table} order by id")
    assert cursor.fetchall() == [(1, "one", 12.34), (2, "two", 5)]


def test_description_names_and_type_codes(conn: oracledb.Connection, table: str) -> None:
    cursor = conn.cursor()
    cursor.execute(f"select id, name, code, amount, ratio, born, stamp, blob_ from {table}")
    description = cursor.description
    assert [d[0] for d in description] == ["ID", "NAME", "CODE", "AMOUNT", "RATIO", "BORN", "STAMP", "BLOB_"]
    assert [d[1] for d in description] == [
        oracledb.DB_TYPE_NUMBER, oracledb.DB_TYPE_VARCHAR, oracledb.DB_TYPE_CHAR, oracledb.DB_TYPE_NUMBER,
        oracledb.DB_TYPE_NUMBER, oracledb.DB_TYPE_DATE, oracledb.DB_TYPE_TIMESTAMP, oracledb.DB_TYPE_RAW,
    ]
    assert description[0][1] == oracledb.NUMBER and description[1][1] == oracledb.STRING
    assert description[5][1] == oracledb.DATETIME and description[7][1] == oracledb.BINARY
    assert description[1][6] is True  # null_ok
    assert cursor.fetchall() == []


def test_description_is_none_for_dml(conn: oracledb.Connection, table: str) -> None:
    cursor = conn.cursor()
    cursor.execute(f"insert into {table} (id) values (1)")
    assert cursor.description is None and cursor.rowcount == 1


@pytest.mark.parametrize(("arraysize", "prefetch"), [(1, 2), (7, 2), (50, 0), (100, 100), (1000, 3)])
def test_fetch_styles_across_batches(conn: oracledb.Connection, table: str, arraysize: int, prefetch: int) -> None:
    """More rows than arraysize and prefetch, so several FETCH calls happen."""
    cursor = conn.cursor()
    _insert(cursor, table, [(i, f"row {i}") for i in range(237)])
    cursor.arraysize, cursor.prefetchrows = arraysize, prefetch
    cursor.execute(f"select id, name from {table} order by id")
    assert cursor.fetchone() == (0, "row 0")
    assert cursor.fetchmany(5) == [(i, f"row {i}") for i in range(1, 6)]
    assert cursor.fetchmany() == [(i, f"row {i}") for i in range(6, 6 + arraysize)][:237 - 6]
    rest = cursor.fetchall()
    assert [row[0] for row in rest] == list(range(min(6 + arraysize, 237), 237))
    assert cursor.fetchone() is None and cursor.fetchmany() == [] and cursor.fetchall() == []
    assert cursor.rowcount == 237


def test_iteration_and_reexecution(conn: oracledb.Connection, table: str) -> None:
    cursor = conn.cursor()
    _insert(cursor, table, [(i, str(i)) for i in range(30)])
    cursor.arraysize = 4
    sql = f"select id from {table} where id < :limit order by id"
    for limit in (10, 25, 3, 0):
        cursor.execute(sql, limit=limit)
        assert [row[0] for row in cursor] == list(range(limit))


def test_executemany_rowcounts(conn: oracledb.Connection, table: str) -> None:
    cursor = conn.cursor()
    _insert(cursor, table, [(i, f"n{i}") for i in range(100)])
    assert cursor.rowcount == 100
    cursor.executemany(f"update {table} set name = :1 where id >= :2", [("a", 90), ("b", 95), ("c", 1000)],
                       arraydmlrowcounts=True)
    assert cursor.getarraydmlrowcounts() == [10, 5, 0]
    assert cursor.rowcount == 15
    cursor.execute(f"delete from {table} where id < 50")
    assert cursor.rowcount == 50


def test_array_dml_rowcounts_are_fresh_on_every_executemany(conn: oracledb.Connection,
                                                             table: str) -> None:
    conn.call_timeout = 10_000
    cursor = conn.cursor()
    _insert(cursor, table, [(i, f"n{i}") for i in range(10)])
    sql = f"update {table} set name = :1 where id >= :2"
    cursor.executemany(sql, [("a", 8), ("b", 5)], arraydmlrowcounts=True)
    assert cursor.getarraydmlrowcounts() == [2, 5]
    cursor.executemany(sql, [("c", 9), ("d", 0), ("e", 7)], arraydmlrowcounts=True)
    assert cursor.getarraydmlrowcounts() == [1, 10, 3]
    cursor.executemany(sql, [("f", 1), ("g", 2)])  # no counts asked: the next ask is fresh
    cursor.executemany(sql, [("h", 6)], arraydmlrowcounts=True)
    assert cursor.getarraydmlrowcounts() == [4]
    cursor.executemany(sql, [("i", 3), ("j", 4)])
    assert cursor.rowcount == 13


def test_array_dml_rowcounts_after_a_failing_row(conn: oracledb.Connection, table: str) -> None:
    conn.call_timeout = 10_000
    cursor = conn.cursor()
    sql = f"insert into {table} (id, name) values (:1, :2)"
    cursor.executemany(sql, [(1, "a")], arraydmlrowcounts=True)
    with pytest.raises(oracledb.IntegrityError):
        cursor.executemany(sql, [(2, "b"), (3, "c"), (None, "d"), (4, "e")], arraydmlrowcounts=True)
    assert cursor.getarraydmlrowcounts() == [1, 1]


def test_named_and_positional_binds(conn: oracledb.Connection, table: str) -> None:
    cursor = conn.cursor()
    cursor.execute(f"insert into {table} (id, name, code) values (:id, :name, :code)",
                   {"id": 1, "name": "x", "code": "abc"})
    # positional binds go by position of occurrence, whatever their numbers
    cursor.execute(f"insert into {table} (id, name, code) values (:3, :2, :1)", [2, "y", "xyz"])
    cursor.execute(f"select id, name, code from {table} where id = :a or name = :a order by id", a=2)
    assert cursor.fetchall() == [(2, "y", "xyz")]


def test_nulls_in_every_type(conn: oracledb.Connection, table: str) -> None:
    cursor = conn.cursor()
    cursor.execute(f"insert into {table} values (:1, :2, :3, :4, :5, :6, :7, :8)",
                   [1, None, None, None, None, None, None, None])
    cursor.execute(f"select * from {table}")
    assert cursor.fetchall() == [(1, None, None, None, None, None, None, None)]
    cursor.execute(f"select count(*) from {table} where name is null and born is null")
    assert cursor.fetchone() == (1,)


def test_dates_timestamps_and_binary(conn: oracledb.Connection, table: str) -> None:
    born = oracledb.Date(1969, 7, 20)
    stamp = datetime.datetime(2024, 2, 29, 23, 59, 58, 123456)
    cursor = conn.cursor()
    cursor.setinputsizes(stamp=oracledb.DB_TYPE_TIMESTAMP)
    cursor.execute(f"insert into {table} (id, born, stamp, blob_) values (1, :born, :stamp, :bin)",
                   born=born, stamp=stamp, bin=oracledb.Binary(b"\x00\xff" * 1000))
    cursor.execute(f"select born, stamp, blob_ from {table}")
    assert cursor.fetchone() == (datetime.datetime(1969, 7, 20), stamp, b"\x00\xff" * 1000)


def test_numbers_negative_huge_tiny_and_decimal(conn: oracledb.Connection, table: str) -> None:
    values = [0, -1, 7, -(10**37), 10**37, 123456789012345678, -0.5, 1e-100, -1e100, 3.141592653589793]
    cursor = conn.cursor()
    cursor.executemany(f"insert into {table} (id, ratio) values (:1, :2)", list(enumerate(values)))
    cursor.execute(f"select ratio from {table} order by id")
    # integral values come back as int, as from Oracle: -1e100 is exactly -10**100
    assert [row[0] for row in cursor.fetchall()] == [*values[:8], -(10**100), values[9]]
    oracledb.defaults.fetch_decimals = True
    try:
        cursor.execute(f"select amount from {table} where id = 0")
        cursor.execute("select :1 from dual", [Decimal("-12345678901234567890.123456789")])
        assert cursor.fetchone() == (Decimal("-12345678901234567890.123456789"),)
    finally:
        oracledb.defaults.fetch_decimals = False


def test_long_and_unicode_strings(conn: oracledb.Connection, table: str) -> None:
    texts = ["a" * 4000, "\u00e9" * 2000, "\U0001f600" * 1000, "", "mixed \u65e5\u672c\u8a9e \u0416 \u00df"]
    cursor = conn.cursor()
    _insert(cursor, table, list(enumerate(texts)))
    cursor.execute(f"select name from {table} order by id")
    # Oracle stores the empty string as NULL
    assert [row[0] for row in cursor.fetchall()] == [*texts[:3], None, texts[4]]


def test_long_binds_travel_last_but_land_in_place(conn: oracledb.Connection, table: str) -> None:
    """The client sends values over 4000 buffer bytes after the others."""
    cursor = conn.cursor()
    cursor.execute(f"insert into {table} (name, id, code) values (:1, :2, :3)", ["x" * 3000, 1, "abc"])
    cursor.execute(f"insert into {table} (name, id, code) values (:1, :2, :3)", ["short", 2, "def"])
    cursor.execute(f"select length(name), id, code from {table} order by id")
    assert cursor.fetchall() == [(3000, 1, "abc"), (5, 2, "def")]


def test_plsql_blocks_with_in_binds(conn: oracledb.Connection) -> None:
    cursor = conn.cursor()
    for _ in range(3):  # the second and third are re-executes of the cached cursor
        cursor.execute("begin dbms_session.sleep(:1); end;", [0.01])
    cursor.callproc("dbms_session.sleep", [0.01])


def test_rollback_discards_and_commit_keeps(conn: oracledb.Connection, table: str) -> None:
    cursor = conn.cursor()
    _insert(cursor, table, [(1, "kept")])
    conn.commit()
    _insert(cursor, table, [(2, "dropped")])
    assert conn.transaction_in_progress
    conn.rollback()
    assert not conn.transaction_in_progress
    cursor.execute(f"select name from {table}")
    assert cursor.fetchall() == [("kept",)]


def test_errors_carry_oracle_numbers_and_leave_the_cursor_usable(conn: oracledb.Connection,
                                                                 table: str) -> None:
    cursor = conn.cursor()
    with pytest.raises(oracledb.DatabaseError, match="ORA-00942"):
        cursor.execute("select * from no_such_table")
    with pytest.raises(oracledb.IntegrityError, match="ORA-01400"):
        cursor.execute(f"insert into {table} (id) values (null)")
    cursor.execute("select 1 from dual")
    assert cursor.fetchall() == [(1,)]


def test_parse_describes_without_executing(conn: oracledb.Connection, table: str) -> None:
    cursor = conn.cursor()
    cursor.parse(f"select id, name from {table}")
    assert [d[0] for d in cursor.description] == ["ID", "NAME"]
    cursor.parse(f"select id from {table} where id = :1")  # described at execute instead
    cursor.parse(f"insert into {table} (id) values (:1)")
    with pytest.raises(oracledb.DatabaseError, match="ORA-00942"):
        cursor.parse("select * from no_such_table")
    cursor.execute(f"select id from {table} where id = :1", [1])
    assert cursor.fetchall() == [] and cursor.description[0][0] == "ID"


def test_executemany_error_reports_the_rows_done(conn: oracledb.Connection, table: str) -> None:
    cursor = conn.cursor()
    with pytest.raises(oracledb.IntegrityError, match="ORA-01400"):
        cursor.executemany(f"insert into {table} (id, name) values (:1, :2)", [(1, "a"), (2, "b"), (None, "c")])
    assert cursor.rowcount == 2
    conn.rollback()


def test_batch_errors_skip_the_failing_rows(conn: oracledb.Connection, table: str) -> None:
    conn.call_timeout = 10_000
    cursor = conn.cursor()
    rows = [(1, "a"), (None, "b"), (2, "c"), (3, "x" * 4001), (4, "d")]
    cursor.executemany(f"insert into {table} (id, name) values (:1, :2)", rows,
                       batcherrors=True, arraydmlrowcounts=True)
    errors = cursor.getbatcherrors()
    assert [(e.offset, e.full_code) for e in errors] == [(1, "ORA-01400"), (3, "ORA-12899")]
    assert errors[0].message.startswith("ORA-01400: cannot insert NULL")
    assert cursor.rowcount == 3
    assert cursor.getarraydmlrowcounts() == [1, 0, 1, 0, 1]
    cursor.executemany(f"insert into {table} (id) values (:1)", [(5,)], batcherrors=True)
    assert cursor.getbatcherrors() == []
    cursor.execute(f"select id from {table} order by id")
    assert [row[0] for row in cursor] == [1, 2, 4, 5]
    conn.rollback()


def test_batch_errors_come_in_oracles_order(conn: oracledb.Connection) -> None:
    """A value too precise for its column (found converting the binds) before a duplicate key."""
    cursor = conn.cursor()
    cursor.execute("create table batch_order (id number(9) primary key, small number(3))")
    rows = [(1, 100), (2, 200), (2, 300), (4, 400), (5, 1000), (6, 10000)]
    cursor.executemany("insert into batch_order values (:1, :2)", rows, batcherrors=True,
                       arraydmlrowcounts=True)
    errors = [(e.offset, e.full_code) for e in cursor.getbatcherrors()]
    assert errors == [(4, "ORA-01438"), (5, "ORA-01438"), (2, "ORA-00001")]
    assert cursor.getarraydmlrowcounts() == [1, 1, 0, 1, 0, 0]
    conn.rollback()


def test_many_cursors_and_statement_cache_churn(wire_server: OracleTestServer, table: str) -> None:
    """Statements evicted from the client's cache are closed by piggyback."""
    with oracledb.connect(user="scott", password="tiger", dsn=wire_server.dsn, stmtcachesize=2) as other:
        cursor = other.cursor()
        for index in range(40):
            cursor.execute(f"select {index} from dual")
            assert cursor.fetchone() == (index,)
        cursor.execute("select sys_context('USERENV', 'SID') from dual")
        sid = int(cursor.fetchone()[0])
        other.ping()  # carries the last close-cursors piggyback
        (session,) = [m for m in wire_server._registry if m.info is not None and m.info.sid == sid]
        assert len(session.calls.cursors) <= 4


def test_async_fetch_across_batches(wire_server: OracleTestServer) -> None:
    import asyncio

    async def scenario() -> list[int]:
        conn = await oracledb.connect_async(user="scott", password="tiger", dsn=wire_server.dsn)
        try:
            cursor = conn.cursor()
            await cursor.execute("create table async_rows (n number)")
            await cursor.executemany("insert into async_rows values (:1)", [[i] for i in range(120)])
            await conn.commit()
            cursor.arraysize = 16
            await cursor.execute("select n from async_rows order by n")
            rows = await cursor.fetchall()
            await cursor.execute("drop table async_rows")
            return [row[0] for row in rows]
        finally:
            await conn.close()

    assert asyncio.run(scenario()) == list(range(120))
