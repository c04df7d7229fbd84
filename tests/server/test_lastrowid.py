"""cursor.lastrowid as Oracle sets it: the ROWID of the last row an INSERT, UPDATE or DELETE
touched (None when none was), also after executemany() (real client over TCP)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import oracledb
import pytest

from devart_oracle.testing import OracleTestServer


@pytest.fixture
def k(k: oracledb.Cursor) -> Iterator[oracledb.Cursor]:
    """The server directory's cursor (tests/server/conftest.py), with table lr."""
    k.execute("create table lr (n number(9), s varchar2(20))")
    yield k
    k.execute("drop table lr")


def test_lastrowid_after_insert_update_and_delete(k: oracledb.Cursor) -> None:
    rows = [(n,) for n in range(50)]
    k.executemany("insert into lr (n) values (:1)", rows)
    inserted = k.lastrowid
    k.execute("select n from lr where rowid = :1", [inserted])
    assert k.fetchone() == (49,)  # executemany: the last row inserted
    k.execute("delete from lr where 1 = 0")
    assert k.lastrowid is None
    k.execute("update lr set s = 'changed' where n = :1", [48])
    updated = k.lastrowid
    k.execute("select rowid from lr where n = 48")
    assert k.fetchone() == (updated,)
    k.execute("update lr set s = 'row ' || to_char(n) where n > :1", [45])
    k.execute("select s from lr where rowid = :1", [k.lastrowid])
    assert k.fetchone()[0] in {f"row {n}" for n in range(46, 50)}  # one of the rows touched
    k.execute("delete from lr where n = 10")
    deleted = k.lastrowid
    assert deleted is not None and deleted not in (inserted, updated)
    k.execute("select count(*) from lr where rowid = :1", [deleted])
    assert k.fetchone() == (0,)


def test_lastrowid_with_asyncio(wire_server: OracleTestServer) -> None:
    async def main() -> tuple[object, object]:
        async with oracledb.connect_async(user="scott", password="tiger",
                                          dsn=wire_server.dsn) as connection:
            cursor = connection.cursor()
            await cursor.execute("create table lr_async (n number)")
            await cursor.execute("insert into lr_async values (1)")
            await cursor.execute("update lr_async set n = 2")
            updated = cursor.lastrowid
            await cursor.execute("select rowid from lr_async")
            (row,) = await cursor.fetchone()
            await cursor.execute("drop table lr_async")
            return updated, row

    updated, row = asyncio.run(asyncio.wait_for(main(), 30))
    assert updated == row
