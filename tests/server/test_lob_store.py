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


# ------------------------------------------------- only a LOB column stores a reference

LONG_TEXT = "x" * 40_000  # over INLINE, under the wire's GROWN: a plain str bind
LONGER = "y" * 100_000  # over GROWN: read in place, a LargeLob until stored or decoded


@pytest.fixture
def mixed(conn: oracledb.Connection) -> Iterator[oracledb.Cursor]:
    k = conn.cursor()
    k.execute("create table lob_mixed (id number, l long, c clob, v varchar2(4000), r raw(2000), b blob)")
    yield k
    conn.rollback()
    k.execute("drop table lob_mixed")


@pytest.mark.parametrize("text", [LONG_TEXT, LONGER], ids=["str", "in-place"])
def test_a_long_value_for_a_long_column_stays_whole_next_to_a_stored_clob(mixed: oracledb.Cursor,
                                                                           text: str) -> None:
    mixed.setinputsizes(l=oracledb.DB_TYPE_LONG)
    mixed.execute("insert into lob_mixed (id, l, c) values (1, :l, :c)", l=text, c=text)
    assert _chunks(mixed) > 0  # the CLOB's value is stored by chunk
    row = mixed.execute("select l, dbms_lob.getlength(c), length(l) from lob_mixed").fetchone()
    assert (row[0] == text, row[1], row[2]) == (True, len(text), len(text))


@pytest.mark.parametrize("text", [LONG_TEXT, LONGER], ids=["str", "in-place"])
@pytest.mark.parametrize("sql", [
    "insert into lob_mixed (id, v) values (2, :v)",
    "insert into lob_mixed values (2, null, null, :v, null, null)",
    "insert into lob_mixed (id, v) select 2, :v from dual",
    "update lob_mixed set v = :v",
    "merge into lob_mixed d using (select 1 id from dual) s on (d.id = s.id)"
    " when matched then update set v = :v when not matched then insert (id, v) values (s.id, :v)",
], ids=["values", "no-columns", "select", "update", "merge"])
def test_a_long_value_for_a_varchar2_column_is_ora_12899(mixed: oracledb.Cursor, sql: str, text: str) -> None:
    mixed.execute("insert into lob_mixed (id, c) values (1, :c)", c=LONG_TEXT)
    with pytest.raises(oracledb.DatabaseError, match=f'ORA-12899: .*"V" \\(actual: {len(text)}, maximum: 4000\\)'):
        mixed.execute(sql, v=text)
    assert mixed.execute("select count(*), count(v) from lob_mixed").fetchone() == (1, 0)


def test_long_bytes_for_a_raw_column_are_ora_12899(mixed: oracledb.Cursor) -> None:
    with pytest.raises(oracledb.DatabaseError, match=r'ORA-12899: .*"R" \(actual: 40000, maximum: 2000\)'):
        mixed.execute("insert into lob_mixed (id, r, b) values (1, :r, :b)", r=DATA[:40_000], b=DATA[:40_000])


def test_long_raw_over_the_inline_size_is_kept_whole(conn: oracledb.Connection) -> None:
    k = conn.cursor()
    k.execute("create table lob_long_raw (id number, lr long raw, b blob)")
    try:
        k.setinputsizes(lr=oracledb.DB_TYPE_LONG_RAW)
        k.execute("insert into lob_long_raw values (1, :lr, :b)", lr=DATA, b=DATA)
        row = k.execute("select lr, dbms_lob.getlength(b) from lob_long_raw").fetchone()
        assert (row[0] == DATA, row[1]) == (True, len(DATA))
    finally:
        k.execute("drop table lob_long_raw")


@pytest.mark.parametrize("sql", [
    "insert into lob_mixed (id, c, b) values (1, :c, :b)",
    "insert into lob_mixed values (1, null, :c, null, null, :b)",
    "insert into lob_mixed (id, c, b) select 1, :c, :b from dual",
    "merge into lob_mixed d using (select 1 id from dual) s on (d.id = s.id)"
    " when not matched then insert (id, c, b) values (s.id, :c, :b)",
], ids=["values", "no-columns", "select", "merge"])
def test_each_insert_shape_stores_a_long_lob_bind_by_chunk(mixed: oracledb.Cursor, sql: str) -> None:
    mixed.execute(sql, c=LONGER, b=DATA)
    assert _chunks(mixed) > 2
    row = mixed.execute("select length(c), dbms_lob.getlength(b), substr(c, -2) from lob_mixed").fetchone()
    assert row == (len(LONGER), len(DATA), "yy")
    clob, blob = mixed.execute("select c, b from lob_mixed").fetchone()
    assert (clob.read(), blob.read()) == (LONGER, DATA)


def test_an_update_stores_a_set_value_and_keeps_an_operand_whole(mixed: oracledb.Cursor) -> None:
    mixed.execute("insert into lob_mixed (id) values (1)")
    mixed.execute("update lob_mixed set c = :c, b = :b where id = 1", c=LONGER, b=DATA)
    assert _chunks(mixed) > 2
    mixed.execute("update lob_mixed set c = :c || 'z' where id = 1", c=LONG_TEXT)  # an operand: a value
    assert mixed.execute("select length(c), substr(c, -2) from lob_mixed").fetchone() == (len(LONG_TEXT) + 1, "xz")


def test_returning_a_stored_clob_gives_its_value(mixed: oracledb.Cursor) -> None:
    out = mixed.var(oracledb.DB_TYPE_CLOB)
    mixed.execute("insert into lob_mixed (id, c) values (1, :c) returning c into :o", c=LONGER, o=out)
    assert out.getvalue()[0].read() == LONGER


@pytest.mark.parametrize("blob", [False, True], ids=["clob-ref", "blob-ref"])
def test_bytes_shaped_like_a_reference_come_back_as_themselves(mixed: oracledb.Cursor, blob: bool) -> None:
    from devart_oracle.testing.sql.lob_refs import new_ref

    shaped = new_ref(blob)
    mixed.execute("insert into lob_mixed (id, c) values (1, :c)", c=LONGER)  # stored values exist
    out = mixed.var(oracledb.DB_TYPE_RAW)
    mixed.execute("insert into lob_mixed (id, r, b) values (2, :r, :b) returning r into :o", r=shaped, b=shaped, o=out)
    assert out.getvalue() == [shaped]
    row = mixed.execute("select r, b, utl_raw.length(r), dbms_lob.getlength(b) from lob_mixed where id = 2").fetchone()
    assert (row[0], row[1].read(), row[2], row[3]) == (shaped, shaped, 20, 20)
    mixed.execute("create table lob_shaped (id number, lr long raw)")
    try:
        mixed.setinputsizes(lr=oracledb.DB_TYPE_LONG_RAW)
        mixed.execute("insert into lob_shaped values (1, :lr)", lr=shaped)
        assert mixed.execute("select lr from lob_shaped").fetchone() == (shaped,)
    finally:
        mixed.execute("drop table lob_shaped")


@pytest.mark.parametrize(("sql", "expected"), [
    ("insert into t (id, l, c) values (:1, :2, :3)", {2}),
    ("insert into t values (:1, :2, :3, :4, :5, :6)", {2, 5}),
    ("insert into t (c, v) select :1, :2 from dual", {0}),
    ("insert into t (c) select :1 || 'x' from dual", set()),
    ("insert into t (c, b) values (upper(:1), :2)", {1}),
    ("update t x set c = :1, v = :2, b = nvl(:3, b) where c is not null and v = :4", {0}),
    ("update t set (c, v) = (select :1, :2 from dual)", set()),
    ("delete from t where v = :1", set()),
    ("merge into t d using (select :1 id from dual) s on (d.id = s.id) when matched then update set c = :2"
     " when not matched then insert (id, c, v) values (s.id, :3, :4)", "merge"),
])
def test_lob_binds_are_those_stored_as_a_lob_columns_value(sql: str, expected: set[int] | str) -> None:
    from devart_oracle.testing.sql.lob_targets import lob_binds
    from devart_oracle.testing.sql.merge import merge_steps
    from devart_oracle.testing.sql.rewrite import plan

    columns, lobs = ("ID", "L", "C", "V", "R", "B"), frozenset({"C", "B"})
    if expected != "merge":
        assert lob_binds(plan(sql, frozenset()).sql, columns, lobs) == expected
        return
    found = {}
    for step in merge_steps(sql):  # each step's binds index the MERGE's
        stored = lob_binds(plan(step.sql, frozenset()).sql, columns, lobs)
        found[step.kind] = {step.binds[i] for i in stored}
    assert (found["UPDATE"], found["INSERT"]) == ({1}, {2})


def test_a_stored_lob_of_a_suspended_branch_is_applied_again_on_resume(wire_server: OracleTestServer,
                                                                        conn: oracledb.Connection,
                                                                        mixed: oracledb.Cursor) -> None:
    xid, before = conn.xid(4711, b"lob-gtrid", b"lob-bqual"), _chunks(mixed)
    conn.tpc_begin(xid)
    mixed.execute("insert into lob_mixed (id, c, b) values (1, :c, :b)", c=LONGER, b=DATA)
    conn.tpc_end(flags=oracledb.TPC_END_SUSPEND)  # the work set aside: its chunks rolled back
    assert _chunks(mixed) == before
    with oracledb.connect(user="scott", password="tiger", dsn=wire_server.dsn) as other:
        other.tpc_begin(xid, oracledb.TPC_BEGIN_RESUME)
        other.tpc_commit(one_phase=True)
    row = mixed.execute("select length(c), dbms_lob.getlength(b), substr(c, -2) from lob_mixed").fetchone()
    assert row == (len(LONGER), len(DATA), "yy")
