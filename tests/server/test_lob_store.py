"""LOBs longer than a few chunks, stored out of row, with the real client: what still works on them."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import oracledb
import pytest

from devart_oracle.testing import OracleTestServer

SIZE = 200_000  # over lob_refs.INLINE: stored by chunk
TEXT = "é" * (SIZE - 3) + "xyz"
DATA = bytes(range(256)) * (SIZE // 256)


@pytest.fixture
def big(conn: oracledb.Connection) -> Iterator[oracledb.Cursor]:
    k = conn.cursor()
    k.execute("create table lob_big (id number primary key, c clob, b blob)")
    k.setinputsizes(None, oracledb.DB_TYPE_CLOB, oracledb.DB_TYPE_BLOB)
    k.execute("insert into lob_big values (:1, :2, :3)", [1, TEXT, DATA])
    conn.commit()
    yield k
    k.execute("drop table lob_big")


def _chunks(k: oracledb.Cursor) -> int:
    return int(k.execute('select count(*) from "DEVART$LOB_CHUNKS"').fetchone()[0])


def test_a_long_lob_is_stored_by_chunk_and_read_back_through_its_locator(big: oracledb.Cursor) -> None:
    assert _chunks(big) > 2
    clob, blob = big.execute("select c, b from lob_big").fetchone()
    assert (clob.size(), blob.size()) == (SIZE, len(DATA))
    assert clob.read() == TEXT and blob.read() == DATA
    assert clob.read(SIZE - 2, 10) == "xyz" and blob.read(40_000, 3) == DATA[39_999:40_002]


def test_lob_functions_read_a_stored_value_whole(big: oracledb.Cursor) -> None:
    row = big.execute("select length(c), dbms_lob.getlength(b), substr(c, -3), dbms_lob.substr(b, 2, 257),"
                      " instr(c, 'xyz'), length(c || 'ab') from lob_big").fetchone()
    assert row == (SIZE, len(DATA), "xyz", b"\x00\x01", SIZE - 2, SIZE + 2)
    assert big.execute("select id from lob_big where c like '%xyz'").fetchall() == [(1,)]
    assert big.execute("select length(c) from lob_big where c is not null").description[0][0] == "LENGTH(C)"


def test_an_update_from_a_stored_value_and_a_copy_of_a_row(conn: oracledb.Connection, big: oracledb.Cursor) -> None:
    big.execute("update lob_big set c = c || 'ab' where id = 1")
    big.execute("insert into lob_big select 2, c, b from lob_big where id = 1")
    big.execute("delete from lob_big where id = 1")
    conn.commit()
    assert big.execute("select length(c), substr(c, -2), dbms_lob.getlength(b) from lob_big").fetchone() == (
        SIZE + 2, "ab", len(DATA))


def test_the_chunks_of_deleted_rows_go_at_commit_and_stay_at_rollback(conn: oracledb.Connection,
                                                                        big: oracledb.Cursor) -> None:
    before = _chunks(big)
    big.execute("delete from lob_big")
    conn.rollback()
    assert _chunks(big) == before
    big.execute("delete from lob_big")
    conn.commit()
    assert _chunks(big) == 0


def test_a_write_through_a_locator_read_for_update_stores_the_value_anew(conn: oracledb.Connection,
                                                                          big: oracledb.Cursor) -> None:
    clob = big.execute("select c from lob_big where id = 1 for update").fetchone()[0]
    clob.write("AB", 1)
    conn.commit()
    assert big.execute("select substr(c, 1, 3), length(c) from lob_big").fetchone() == ("ABé", SIZE)


def test_fetch_lobs_false_streams_the_chunks(conn: oracledb.Connection, big: oracledb.Cursor) -> None:
    oracledb.defaults.fetch_lobs = False
    try:
        with conn.cursor() as k:
            assert k.execute("select c, b from lob_big").fetchone() == (TEXT, DATA)
    finally:
        oracledb.defaults.fetch_lobs = True


def test_a_fetched_locator_bound_into_an_insert_shares_the_chunks(conn: oracledb.Connection,
                                                                   big: oracledb.Cursor) -> None:
    clob, blob = big.execute("select c, b from lob_big").fetchone()
    big.execute("insert into lob_big values (2, :1, :2)", [clob, blob])
    conn.commit()
    assert big.execute("select count(*), min(length(c)) from lob_big").fetchone() == (2, SIZE)


def test_the_asyncio_client_moves_a_stored_lob(wire_server: OracleTestServer, big: oracledb.Cursor) -> None:
    async def scenario() -> tuple[str, bytes]:
        conn = await oracledb.connect_async(user="scott", password="tiger", dsn=wire_server.dsn)
        try:
            k = conn.cursor()
            k.setinputsizes(None, oracledb.DB_TYPE_CLOB, oracledb.DB_TYPE_BLOB)
            await k.execute("insert into lob_big values (:1, :2, :3)", [2, TEXT[::-1], DATA[::-1]])
            await conn.commit()
            await k.execute("select c, b from lob_big where id = 2")
            clob, blob = await k.fetchone()
            return await clob.read(), await blob.read()
        finally:
            await conn.close()

    assert asyncio.run(scenario()) == (TEXT[::-1], DATA[::-1])


@pytest.mark.parametrize(("sql", "expected"), [
    ("insert into t values (:1, :2)", "INSERT INTO T VALUES (?1, ?2)"),
    ("insert into t (id, c) values (:1, :2)", "INSERT INTO T (ID, C) VALUES (?1, ?2)"),
    ("update t set c = :1, b = :2 where id = :3", "UPDATE T SET C = ?1 , B = ?2 WHERE ID = ?3 "),
    ("update t set c = c || :1", "UPDATE T SET C = ORA_CONCAT(DEVART_LOB(C), ?1) "),
    ("select c, t.b x, c as y from t where c is null", "SELECT C, T.B X, C AS Y FROM T WHERE C IS NULL"),
    ("select length(t.c) from t where c like :1",
     "SELECT LENGTH(DEVART_LOB(T.C)) FROM T WHERE DEVART_LOB(C) LIKE ?1"),
    ("insert into t2 select id, c from t", "INSERT INTO T2 SELECT ID, C FROM T"),
])
def test_deref_reads_operands_whole_and_leaves_plain_values(sql: str, expected: str) -> None:
    from devart_oracle.testing.sql.lob_rows import deref
    from devart_oracle.testing.sql.rewrite import plan

    assert deref(plan(sql, frozenset()), frozenset({"C", "B"})).sql == expected
