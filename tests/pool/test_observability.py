"""Statistics, drain(), leak detection and storm-free lifetimes against the
embedded server, both faces and connection_pool; the server's own session
list is the evidence."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

import devart_oracle as do
from devart_oracle import connect, connection_pool
from devart_oracle.pool._upkeep import current
from devart_oracle.testing import FakeClock
from tests.fixtures.pooling import wait_for
from tests.pool.test_explicit_pools import AsyncFace, SyncFace, eventually, make, run
from tests.pool.test_metrics import PSYCOPG_KEYS


@pytest.fixture(params=[SyncFace(), AsyncFace()], ids=lambda f: f.name)
def face(request: pytest.FixtureRequest) -> Any:
    return request.param


async def drain(face: Any, pool: Any) -> None:
    if isinstance(face, SyncFace):
        await asyncio.to_thread(pool.drain)
    else:
        await pool.drain()


def sids(server: Any) -> set[tuple[int, int]]:
    """The server's live sessions, as (SID, SERIAL#): a reused SID has a new serial."""
    return {(s.sid, s.serial) for s in server.sessions}


async def identity(face: Any, conn: Any) -> tuple[int, int]:
    row = (await face.query(conn, "select sid, serial# from v$session where sid = sys_context('USERENV', 'SID')"))[0]
    return int(row[0]), int(row[1])


def test_get_stats_counts_what_the_server_saw(face, private_server):
    async def body() -> None:
        pool = make(face, private_server, min=1, max=2)
        await eventually(lambda: pool.opened == 1)
        conn = await face.acquire(pool)
        await face.query(conn, "select 1 from dual")
        await face.release(pool, conn)
        stats = pool.get_stats()
        assert PSYCOPG_KEYS <= set(stats)
        assert stats["pool_size"] == len(private_server.sessions) == private_server.logons == 1
        assert (stats["pool_min"], stats["pool_max"], stats["pool_available"]) == (1, 2, 1)
        assert (stats["requests_num"], stats["connections_num"], stats["requests_errors"]) == (1, 1, 0)
        assert stats["use_ms"]["count"] == 1 and stats["create_ms"]["count"] == 1
        assert pool.pop_stats()["requests_num"] == 1
        assert pool.get_stats()["requests_num"] == 0 and pool.get_stats()["pool_size"] == 1
        await face.close(pool)

    run(body())


def test_drain_retires_idle_sessions_now_and_busy_ones_on_return(face, private_server):
    async def body() -> None:
        pool = make(face, private_server, min=2, max=3)
        await eventually(lambda: pool.opened == 2)
        busy = await face.acquire(pool)
        held, before = await identity(face, busy), sids(private_server)
        await drain(face, pool)
        await eventually(lambda: held in sids(private_server) and len(sids(private_server) & before) == 1)
        await face.release(pool, busy)
        await eventually(lambda: not sids(private_server) & before)  # every old session logged off
        fresh = await face.acquire(pool)
        assert await identity(face, fresh) not in before
        await face.release(pool, fresh)
        await eventually(lambda: pool.opened == 2)  # min restored, the pool open throughout
        assert pool.get_stats()["destroyed"]["drained"] == 2
        await face.close(pool)
        with pytest.raises(do.PoolClosedError):
            await drain(face, pool)

    run(body())


def test_connection_pool_drains_and_reports_each_partition(registry, private_server):
    cs = private_server.connection_string("scott")
    idle, busy = connect(cs, PoolId=4), connect(cs, PoolId=4)
    idle.close()
    connect(cs, PoolId=5).close()
    before = sids(private_server)
    assert len(before) == 3
    connection_pool[4].drain()
    assert wait_for(lambda: len(sids(private_server)) == 2)  # pool 4's idle session went; pool 5's stays
    assert busy.cursor().execute("select 1 from dual").fetchall() == [(1,)]  # the busy one still works
    busy.close()
    assert wait_for(lambda: len(sids(private_server) & before) == 1)
    [stats] = connection_pool[4].get_stats()
    assert stats["pool_id"] == 4 and stats["destroyed"]["drained"] == 2 and stats["requests_num"] == 2
    with connect(cs, PoolId=4):  # a fresh session
        assert private_server.logons == 4
    assert PSYCOPG_KEYS <= set(stats)
    assert {s["pool_id"] for s in connection_pool.get_stats()} == {4, 5}
    assert connection_pool[4].pop_stats()[0]["requests_num"] == 3
    assert connection_pool[4].get_stats()[0]["requests_num"] == 0


def test_connection_pool_logs_a_leak_once_with_where_it_was_acquired(clocked_registry, clock, private_server, caplog):
    connection_pool[6].leak_threshold = 5
    cs = private_server.connection_string("scott")
    leaked = connect(cs, PoolId=6)  # the leak's origin
    with caplog.at_level(logging.WARNING, logger="devart_oracle.pool"):
        clock.advance(4)
        current().validator.run_once()
        assert not caplog.records
        clock.advance(2)
        current().validator.run_once()
        current().validator.run_once()
    [record] = caplog.records
    message = record.getMessage()
    assert "pool 'poolid:6'" in message and "leaked = connect(cs, PoolId=6)  # the leak's origin" in message
    assert "tiger" not in message
    assert connection_pool[6].get_stats()[0]["leaks"] == 1
    leaked.close()


def test_an_explicit_pools_leak_threshold_is_a_create_pool_keyword(face, private_server, caplog):
    async def body() -> None:
        clock = FakeClock()
        with clock.installed():
            pool = make(face, private_server, min=0, max=1, leak_threshold=30)
            assert pool.leak_threshold == 30
            conn = await face.acquire(pool)  # the leak's origin
            with caplog.at_level(logging.WARNING, logger="devart_oracle.pool"):
                clock.advance(29)
                await face.validate(pool)
                assert not caplog.records
                pool.leak_threshold = 10  # changed at run time
                await face.validate(pool)
            [record] = caplog.records
            assert f"pool {pool.name!r}" in record.getMessage() and "It was acquired at:" in record.getMessage()
            if isinstance(face, AsyncFace):  # the sync face acquires in a worker thread: that stack is the thread's
                assert "conn = await face.acquire(pool)  # the leak's origin" in record.getMessage()
            assert pool.get_stats()["leaks"] == 1
            await face.release(pool, conn)
            await face.close(pool)

    with pytest.raises(do.ProgrammingError, match="for leak_threshold: expected seconds"):
        make(face, private_server, leak_threshold=-1)
    run(body())


def test_a_hundred_sessions_opened_in_one_second_never_recycle_more_than_ten_a_second(private_server):
    clock = FakeClock()
    with clock.installed(validation_interval=3600.0):  # passes come from the lifetime: one a second
        pool = do.create_pool(user="scott", password="tiger", dsn=private_server.dsn, min=100, max=100,
                              max_lifetime_session=100)  # fmt: skip
        assert wait_for(lambda: pool.opened == 100, timeout=60)
        first = sids(private_server)
        assert len(first) == 100
        recycled = []
        for _ in range(103):
            before = pool.get_stats()["destroyed"]["lifetime"]
            clock.advance(1.0)
            recycled.append(pool.get_stats()["destroyed"]["lifetime"] - before)
        assert sum(recycled) == 100 and max(recycled) <= 10, recycled[88:]
        assert not any(recycled[:89])  # none before nine tenths of its lifetime
        assert wait_for(lambda: not sids(private_server) & first, timeout=30)  # the server saw them go
        assert wait_for(lambda: pool.opened == 100, timeout=60)  # and min restored
        pool.close(force=True)
