"""Explicit pools, sync and asyncio, against the embedded server: one module.

Each test is written once as a coroutine. The ``face`` fixture runs it
against ``ConnectionPool`` (every call made in a worker thread, so the thread
layer really blocks) and against ``AsyncConnectionPool`` (awaited directly).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

import devart_oracle as do
from devart_oracle import DatabaseUnavailableError, InterfaceError, PoolClosedError, PoolExhaustedError, ProgrammingError
from devart_oracle.testing import FaultProxy
from devart_oracle.pool._backoff import backoff
from devart_oracle.testing import FakeClock


class SyncFace:
    """Drives a ConnectionPool from coroutines, each call in a thread."""

    name = "sync"

    def create(self, **kwargs: Any) -> Any:
        return do.create_pool(**kwargs)

    async def acquire(self, pool: Any, **kwargs: Any) -> Any:
        return await asyncio.to_thread(pool.acquire, **kwargs)

    async def release(self, pool: Any, conn: Any, **kwargs: Any) -> None:
        await asyncio.to_thread(pool.release, conn, **kwargs)

    async def drop(self, pool: Any, conn: Any) -> None:
        await asyncio.to_thread(pool.drop, conn)

    async def close(self, pool: Any, force: bool = False) -> None:
        await asyncio.to_thread(pool.close, force)

    async def query(self, conn: Any, sql: str) -> list:
        def run() -> list:
            cursor = conn.cursor()
            cursor.execute(sql)
            return cursor.fetchall()

        return await asyncio.to_thread(run)

    async def validate(self, pool: Any) -> None:
        await asyncio.to_thread(pool._engine.validate, 0.0)


class AsyncFace:
    """Drives an AsyncConnectionPool."""

    name = "async"

    def create(self, **kwargs: Any) -> Any:
        return do.create_pool_async(**kwargs)

    async def acquire(self, pool: Any, **kwargs: Any) -> Any:
        return await pool.acquire(**kwargs)

    async def release(self, pool: Any, conn: Any, **kwargs: Any) -> None:
        await pool.release(conn, **kwargs)

    async def drop(self, pool: Any, conn: Any) -> None:
        await pool.drop(conn)

    async def close(self, pool: Any, force: bool = False) -> None:
        await pool.close(force)

    async def query(self, conn: Any, sql: str) -> list:
        cursor = conn.cursor()
        await cursor.execute(sql)
        return await cursor.fetchall()

    async def validate(self, pool: Any) -> None:
        await pool._engine.validate(0.0)


@pytest.fixture(params=[SyncFace(), AsyncFace()], ids=lambda f: f.name)
def face(request: pytest.FixtureRequest) -> Any:
    return request.param


def run(coro: Any) -> Any:
    return asyncio.run(asyncio.wait_for(coro, 60))


async def eventually(predicate: Any, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached in time"
        await asyncio.sleep(0.01)


SID = "select sys_context('USERENV', 'SID') from dual"


async def sid(face: Any, conn: Any) -> int:
    return int((await face.query(conn, SID))[0][0])


def make(face: Any, server: Any, **kwargs: Any) -> Any:
    return face.create(user="scott", password="tiger", dsn=server.dsn, **kwargs)


def test_min_sessions_open_in_the_background(face, private_server):
    async def body() -> None:
        pool = make(face, private_server, min=3, max=5)
        await eventually(lambda: pool.opened == 3)
        assert len(private_server.sessions) == 3
        await face.close(pool)

    run(body())


def test_release_reuses_the_session_and_kills_the_handle(face, private_server):
    async def body() -> None:
        pool = make(face, private_server, min=1, max=1)
        conn = await face.acquire(pool)
        first = await sid(face, conn)
        cursor = conn.cursor()
        await face.release(pool, conn)
        with pytest.raises(InterfaceError):
            conn.cursor()
        with pytest.raises(InterfaceError):
            await face.query(conn, SID)
        assert cursor is not None
        again = await face.acquire(pool)
        assert await sid(face, again) == first
        assert pool.busy == 1 and pool.opened == 1
        await face.release(pool, again)
        await face.close(pool)

    run(body())


def test_nowait_raises_exhausted_with_the_numbers(face, private_server):
    async def body() -> None:
        pool = make(face, private_server, min=1, max=1, getmode=do.POOL_GETMODE_NOWAIT)
        held = await face.acquire(pool)
        with pytest.raises(PoolExhaustedError, match=r"has no free connection \(max=1, busy=1\)"):
            await face.acquire(pool)
        await face.release(pool, held)
        await face.close(pool)

    run(body())


def test_timedwait_gives_up_after_wait_timeout(face, private_server):
    async def body() -> None:
        pool = make(face, private_server, min=1, max=1, getmode=do.POOL_GETMODE_TIMEDWAIT, wait_timeout=100)
        await eventually(lambda: pool.opened == 1)  # min's session: this acquire need not wait for a logon
        held = await face.acquire(pool)
        started = time.monotonic()
        with pytest.raises(PoolExhaustedError, match=r"after waiting 0\.\d\d s \(max=1, busy=1\)"):
            await face.acquire(pool)
        assert 0.09 <= time.monotonic() - started < 2
        assert pool._engine.core.waiting == 0
        await face.release(pool, held)
        assert pool.busy == 0 and pool.opened == 1  # nothing lost to the timeout
        await face.close(pool)

    run(body())


def test_wait_blocks_until_a_release_and_serves_in_order(face, private_server):
    async def body() -> None:
        pool = make(face, private_server, min=1, max=1)
        held = await face.acquire(pool)
        order: list[int] = []

        async def waiter(n: int) -> None:
            conn = await face.acquire(pool)
            order.append(n)
            await face.release(pool, conn)

        tasks = []
        for n in range(4):
            tasks.append(asyncio.ensure_future(waiter(n)))
            await eventually(lambda: pool._engine.core.waiting == n + 1)
        await face.release(pool, held)
        await asyncio.gather(*tasks)
        assert order == [0, 1, 2, 3] and pool.opened == 1
        await face.close(pool)

    run(body())


def test_forceget_opens_beyond_max_and_drops_the_surplus(face, private_server):
    async def body() -> None:
        pool = make(face, private_server, min=1, max=1, getmode=do.POOL_GETMODE_FORCEGET)
        a = await face.acquire(pool)
        b = await face.acquire(pool)
        assert pool.opened == 2
        await face.release(pool, b)
        await face.release(pool, a)
        await eventually(lambda: pool.opened == 1 and len(private_server.sessions) == 1)
        await face.close(pool)

    run(body())


def test_database_unavailable_is_not_pool_exhausted(face, private_server, fake_time):
    async def body() -> None:
        with FaultProxy(private_server.host, private_server.port) as proxy:
            dsn = f"{proxy.host}:{proxy.port}/{private_server.service_name}"
            proxy.stop()
            pool = face.create(user="scott", password="tiger", dsn=dsn, min=1, max=2,
                               getmode=do.POOL_GETMODE_TIMEDWAIT, wait_timeout=10)  # fmt: skip
            # min's open and its fast retry failed: the retry waits on the clock, after wait_timeout.
            await eventually(lambda: pool._engine.core.backoff.down(None) is not None)
            with pytest.raises(DatabaseUnavailableError, match=r"could not open a session after waiting .* \(max=2, busy=0\)"):
                await face.acquire(pool)
            proxy.start()
            fake_time.advance(backoff(1) * 1.5)  # past the first backoff (an asyncio pool's retry runs on the loop)
            await eventually(lambda: pool.opened == 1)  # min's session: the acquire need not wait
            conn = await face.acquire(pool)
            assert await sid(face, conn) > 0
            await face.release(pool, conn)
            await face.close(pool)

    run(body())


def test_dead_idle_sessions_are_replaced_on_acquire(face, private_server):
    async def body() -> None:
        pool = make(face, private_server, min=2, max=2, ping_interval=0)
        await eventually(lambda: pool.opened == 2)
        private_server.disconnect_all()
        conn = await face.acquire(pool)
        assert await sid(face, conn) > 0
        await face.release(pool, conn)
        await face.close(pool)

    run(body())


def test_validator_finds_dead_sessions_before_anyone_asks(face, private_server):
    async def body() -> None:
        pool = make(face, private_server, min=0, max=2, ping_interval=-1)
        conn = await face.acquire(pool)
        await face.release(pool, conn)
        private_server.disconnect_all()
        await face.validate(pool)
        await eventually(lambda: pool.opened == 0)
        assert pool._engine.core.destroyed[do.pool._core.Reason.INVALID] == 1
        await face.close(pool)

    run(body())


def test_idle_timeout_and_lifetime_with_a_fake_clock(face, private_server):
    async def body() -> None:
        pool = make(face, private_server, min=1, max=3, timeout=10, max_lifetime_session=100)
        clock = FakeClock(start=1000.0)
        pool._engine.clock = clock
        conns = [await face.acquire(pool) for _ in range(3)]
        for conn in conns:
            await face.release(pool, conn)
        clock.advance(11)
        await face.validate(pool)
        await eventually(lambda: pool.opened == 1)
        conn = await face.acquire(pool)
        clock.advance(100)
        await face.release(pool, conn)  # too old: logged off on release
        await eventually(lambda: pool.opened == 1)  # and min is restored
        await face.close(pool)

    run(body())


def test_session_callback_and_tags(face, private_server):
    async def body() -> None:
        calls: list[tuple[str | None, str | None]] = []

        def callback(conn: Any, requested: str | None) -> None:
            calls.append((conn.tag, requested))

        pool = make(face, private_server, min=0, max=2, session_callback=callback)
        conn = await face.acquire(pool, tag="nls=fr")
        assert calls == [("nls=fr", "nls=fr")]  # a new session
        await face.release(pool, conn)
        conn = await face.acquire(pool, tag="nls=fr")
        assert len(calls) == 1  # exact tag: no callback
        await face.release(pool, conn, tag="nls=de")
        conn = await face.acquire(pool, tag="x", matchanytag=True)
        assert calls[-1] == ("x", "x") and conn._entry.tag == "nls=de"
        await face.release(pool, conn)
        await face.close(pool)

    run(body())


def test_heterogeneous_pool_keeps_sessions_per_user(face, private_server):
    async def body() -> None:
        pool = face.create(dsn=private_server.dsn, min=0, max=2, homogeneous=False)
        scott = await face.acquire(pool, user="scott", password="tiger")
        adams = await face.acquire(pool, user="adams", password="wood")
        users = [(await face.query(c, "select user from dual"))[0][0] for c in (scott, adams)]
        assert users == ["SCOTT", "ADAMS"]
        await face.release(pool, scott)
        await face.release(pool, adams)
        await face.close(pool)
        homogeneous = make(face, private_server, min=0)
        with pytest.raises(ProgrammingError, match="not possible with homogeneous pools"):
            await face.acquire(homogeneous, user="adams", password="wood")
        await face.close(homogeneous)

    run(body())


def test_reconfigure_grows_and_shrinks_at_run_time(face, private_server):
    async def body() -> None:
        pool = make(face, private_server, min=1, max=2)
        await eventually(lambda: pool.opened == 1)
        pool.reconfigure(min=4, max=6)
        await eventually(lambda: pool.opened == 4)
        held = [await face.acquire(pool) for _ in range(4)]
        pool.reconfigure(min=1, max=2)
        for conn in held:
            await face.release(pool, conn)
        await eventually(lambda: pool.opened == 2 and len(private_server.sessions) == 2)
        assert (pool.min, pool.max) == (1, 2)
        await face.close(pool)

    run(body())


def test_drop_frees_the_slot_and_close_refuses_while_busy(face, private_server):
    async def body() -> None:
        pool = make(face, private_server, min=0, max=1)
        conn = await face.acquire(pool)
        with pytest.raises(do.PoolError, match="1 connection\\(s\\) busy"):
            await face.close(pool)
        await face.drop(pool, conn)
        await eventually(lambda: pool.opened == 0 and not private_server.sessions)
        again = await face.acquire(pool)
        await face.close(pool, force=True)
        with pytest.raises(PoolClosedError, match="is closed"):
            await face.acquire(pool)
        assert again is not None

    run(body())


def test_devart_dsn_and_alias(face, private_server):
    async def body() -> None:
        dsn = private_server.connection_string("scott")
        pool = face.create(dsn=dsn, min=0, max=1, pool_alias=f"alias-{face.name}")
        assert do.get_pool(f"alias-{face.name}") is pool
        assert "tiger" not in pool.dsn and "tiger" not in repr(pool)
        with pytest.raises(ProgrammingError, match="already exists"):
            face.create(dsn=dsn, pool_alias=f"alias-{face.name}")
        conn = await face.acquire(pool)
        assert await sid(face, conn) > 0
        await face.release(pool, conn)
        await face.close(pool)
        assert do.get_pool(f"alias-{face.name}") is None

    run(body())


def test_cancelled_waiter_never_loses_a_connection(private_server):
    async def body() -> None:
        pool = do.create_pool_async(user="scott", password="tiger", dsn=private_server.dsn, min=1, max=1)
        held = await pool.acquire()
        waiter = asyncio.ensure_future(pool.acquire())
        await eventually(lambda: pool._engine.core.waiting == 1)
        await pool.release(held)  # granted to the waiter...
        waiter.cancel()  # ...which is cancelled before it runs
        with pytest.raises(asyncio.CancelledError):
            await waiter
        assert pool.busy == 0 and pool.opened == 1
        async with pool.acquire() as conn:
            assert await sid(AsyncFace(), conn) > 0
        await pool.close()

    run(body())


def test_pool_params_and_constants():
    params = do.PoolParams(min=2, max=7)
    assert do.PoolParams is __import__("oracledb").PoolParams
    assert (params.copy().min, params.max) == (2, 7)
    assert [int(m) for m in (do.POOL_GETMODE_WAIT, do.POOL_GETMODE_NOWAIT, do.POOL_GETMODE_FORCEGET, do.POOL_GETMODE_TIMEDWAIT)] == [0, 1, 2, 3]
    assert [int(p) for p in (do.PURITY_DEFAULT, do.PURITY_NEW, do.PURITY_SELF)] == [0, 1, 2]


def test_params_supply_defaults(private_server):
    pool = do.create_pool(user="scott", password="tiger", dsn=private_server.dsn, params=do.PoolParams(min=0, max=5), increment=2)
    assert (pool.min, pool.max, pool.increment) == (0, 5, 2)
    pool.close()


def test_waiters_behind_a_sleeping_holder(face, private_server):
    """A holder busy in DBMS_SESSION.SLEEP: a timed waiter gives up, a patient one gets it."""

    async def body() -> None:
        # The first acquire may wait for the pool's first logon, slow on a loaded machine.
        pool = make(face, private_server, min=1, max=1, getmode=do.POOL_GETMODE_TIMEDWAIT, wait_timeout=10_000)
        holder = await face.acquire(pool)
        pool.reconfigure(wait_timeout=50)

        async def hold() -> None:
            await face.query(holder, "select 1 from dual")
            cursor = holder.cursor()
            call = cursor.execute("begin dbms_session.sleep(:s); end;", s=0.3)
            if asyncio.iscoroutine(call):
                await call
            await face.release(pool, holder)

        busy = asyncio.ensure_future(hold() if face.name == "async" else asyncio.to_thread(lambda: asyncio.run(hold())))
        await asyncio.sleep(0.05)
        with pytest.raises(PoolExhaustedError):
            await face.acquire(pool)  # 50 ms is not enough
        pool.reconfigure(wait_timeout=5000)
        started = time.monotonic()
        conn = await face.acquire(pool)  # served by the holder's release
        assert time.monotonic() - started < 2
        await busy
        await face.release(pool, conn)
        assert pool.opened == 1
        await face.close(pool)

    run(body())


def test_cclass_and_purity_reach_the_database_and_sharding_is_refused(face, private_server):
    async def body() -> None:
        pool = make(face, private_server, min=0, max=2, cclass="REPORTS")
        conn = await face.acquire(pool, cclass="BATCH", purity=do.PURITY_SELF)
        assert await sid(face, conn) > 0
        assert conn._entry.key.cclass == "BATCH" and "tiger" not in repr(conn._entry.key)
        await face.release(pool, conn)
        with pytest.raises(do.NotSupportedError, match="sharding"):
            await face.acquire(pool, shardingkey=[1])
        await face.close(pool)

    run(body())


def test_background_validation_runs_by_itself(face, private_server, registry):
    """No acquire, no manual pass: the validator (thread or upkeep task) finds the dead."""

    async def body() -> None:
        do.connection_pool.validation_interval = 0.05
        pool = make(face, private_server, min=0, max=2, ping_interval=-1)
        conn = await face.acquire(pool)
        await face.release(pool, conn)
        private_server.disconnect_all()
        await eventually(lambda: pool.opened == 0)
        await face.close(pool)

    run(body())


def test_dropped_handles_give_their_slot_back(face, private_server):
    async def body() -> None:
        pool = make(face, private_server, min=0, max=1)
        conn = await face.acquire(pool)
        del conn
        import gc

        gc.collect()
        again = await face.acquire(pool)  # takes the orphan back; would wait forever if the slot were lost
        await face.release(pool, again)
        await face.close(pool)

    run(body())


# -- audit: parameters, credentials, force close, sizes, pings, tags ----------


def test_dsn_with_credentials_keeps_the_password_out_of_sight(face, private_server):
    async def body() -> None:
        pool = face.create(dsn=f"scott/tiger@{private_server.dsn}", min=0, max=1)
        assert (pool.dsn, pool.username) == (private_server.dsn, "scott")
        conn = await face.acquire(pool)
        assert (await face.query(conn, "select user from dual"))[0][0] == "SCOTT"
        assert "tiger" not in repr(conn) and "tiger" not in repr(pool) and "tiger" not in conn.connectstring
        await face.release(pool, conn)
        await face.close(pool)

    run(body())


def test_params_reach_the_sessions(face, private_server):
    async def body() -> None:
        params = do.PoolParams(user="scott", password="tiger", min=0, max=1, stmtcachesize=4, program="face-test")
        params.parse_connect_string(private_server.dsn)
        pool = face.create(params=params, max=2)
        conn = await face.acquire(pool)
        program = "select sys_context('USERENV', 'CLIENT_PROGRAM_NAME') from dual"
        assert (await face.query(conn, program))[0][0] == "face-test"
        assert conn.stmtcachesize == 4 and (pool.max, pool.stmtcachesize) == (2, 4)
        await face.release(pool, conn)
        await face.close(pool)

    run(body())


def test_force_close_logs_busy_sessions_off(face, private_server):
    async def body() -> None:
        pool = make(face, private_server, min=0, max=2)
        conn = await face.acquire(pool)
        await face.close(pool, force=True)
        await eventually(lambda: not private_server.sessions)
        with pytest.raises(InterfaceError, match="DPY-1001"):
            await face.query(conn, SID)

    run(body())


def test_growth_is_by_increment_and_never_past_max(face, private_server):
    async def body() -> None:
        pool = make(face, private_server, min=1, max=4, increment=2)
        await eventually(lambda: pool.opened == 1)
        held = [await face.acquire(pool), await face.acquire(pool)]  # the second waits for a batch of 2
        await eventually(lambda: pool.opened == 3)
        held.append(await face.acquire(pool))  # the spare of that batch
        assert pool.opened == 3
        held.append(await face.acquire(pool))  # room for one more only
        await eventually(lambda: pool.opened == 4)
        assert len(private_server.sessions) == 4 and pool.busy == 4
        for conn in held:
            await face.release(pool, conn)
        await face.close(pool)

    run(body())


def test_wait_at_max_blocks_until_a_release(face, private_server):
    async def body() -> None:
        pool = make(face, private_server, min=0, max=2)
        first, second = await face.acquire(pool), await face.acquire(pool)
        waiting = asyncio.ensure_future(face.acquire(pool))
        await eventually(lambda: pool._engine.core.waiting == 1)
        await asyncio.sleep(0.1)
        assert not waiting.done() and pool.opened == 2
        first_sid = await sid(face, first)
        await face.release(pool, first)
        third = await asyncio.wait_for(waiting, 5)
        assert await sid(face, third) == first_sid and pool.opened == 2 and len(private_server.sessions) == 2
        await face.release(pool, second)
        await face.release(pool, third)
        await face.close(pool)

    run(body())


def test_ping_interval_threshold_on_an_injected_clock(face, private_server):
    async def body() -> None:
        pool = make(face, private_server, min=0, max=1, ping_interval=10)
        clock = FakeClock(start=1000.0)
        pool._engine.clock = clock
        await face.release(pool, await face.acquire(pool))
        private_server.disconnect_all()
        clock.advance(9)  # idle for less than ping_interval: handed out without a ping
        stale = await face.acquire(pool)
        with pytest.raises(do.DatabaseError):
            await face.query(stale, SID)
        await face.release(pool, stale)  # found dead: logged off
        await face.release(pool, await face.acquire(pool))
        private_server.disconnect_all()
        clock.advance(10)  # idle for ping_interval: pinged, found dead, replaced
        fresh = await face.acquire(pool)
        assert await sid(face, fresh) > 0
        await face.release(pool, fresh)
        await face.close(pool)

    run(body())


def test_exact_tag_first_then_untagged_or_with_matchanytag_any_tag(face, private_server):
    async def body() -> None:
        calls: list[str | None] = []
        pool = make(face, private_server, min=0, max=3, session_callback=lambda conn, tag: calls.append(tag))
        a, b, c = [await face.acquire(pool) for _ in range(3)]
        sids = {name: await sid(face, conn) for name, conn in zip("abc", (a, b, c))}
        await face.release(pool, a, tag="k=a")
        await face.release(pool, b, tag="k=b")
        await face.release(pool, c)
        calls.clear()
        exact = await face.acquire(pool, tag="k=a")  # not the most recent, but its tag
        assert await sid(face, exact) == sids["a"] and calls == []
        await face.release(pool, exact)
        untagged = await face.acquire(pool, tag="k=z")  # no match: an untagged session
        assert await sid(face, untagged) == sids["c"] and calls == ["k=z"]
        anytag = await face.acquire(pool, tag="k=y", matchanytag=True)  # any tagged one
        assert await sid(face, anytag) == sids["a"] and calls == ["k=z", "k=y"]
        await face.release(pool, untagged)
        await face.release(pool, anytag)
        await face.close(pool)

    run(body())


def test_ping_timeout_bounds_validation_pings(face, private_server):
    async def body() -> None:
        with FaultProxy(private_server.host, private_server.port) as proxy:
            dsn = f"{proxy.host}:{proxy.port}/{private_server.service_name}"
            pool = face.create(
                user="scott", password="tiger", dsn=dsn, min=0, max=1, ping_interval=-1, ping_timeout=200
            )
            assert pool.ping_timeout == 200
            await face.release(pool, await face.acquire(pool))
            proxy.deaf = True  # the ping gets no answer
            started = time.monotonic()
            await asyncio.wait_for(face.validate(pool), 10)
            assert time.monotonic() - started < 2.5  # not the default 5 s
            await eventually(lambda: pool.opened == 0)
            proxy.deaf = False
            await face.close(pool)

    run(body())
