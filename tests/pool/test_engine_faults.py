"""The pool engine under interruptions and failures, against the embedded server.

Cancellation in the middle of a ping, a pool closed while its validator is
pinging, one user's failed logons beside another's, and a heterogeneous pool
at ``max``: no session or slot may be lost, and no caller may be stranded.
"""

from __future__ import annotations

import asyncio
import gc
import threading
import time
from typing import Any

import pytest

import devart_oracle as do
from devart_oracle.pool._backoff import backoff
from devart_oracle.pool._upkeep import using
from devart_oracle.testing import FakeClock, FaultProxy, OracleTestServer
from tests.fixtures.pooling import wait_for


def _dsn(proxy: FaultProxy, server: OracleTestServer) -> str:
    return f"{proxy.host}:{proxy.port}/{server.service_name}"


async def _until(predicate: Any, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached in time"
        await asyncio.sleep(0.01)


def test_async_acquire_cancelled_mid_ping_loses_no_slot(private_server: OracleTestServer) -> None:
    async def run() -> None:
        with FaultProxy(private_server.host, private_server.port) as proxy:
            pool = do.create_pool_async(
                user="scott", password="tiger", dsn=_dsn(proxy, private_server), min=1, max=1, ping_interval=0
            )
            await pool.release(await pool.acquire())
            proxy.deaf = True  # the ping on the next acquire stalls
            stalled = asyncio.ensure_future(pool.acquire())
            await asyncio.sleep(0.2)
            stalled.cancel()
            proxy.deaf = False  # python-oracledb finishes its own cancellation with the server
            with pytest.raises(asyncio.CancelledError):
                await stalled
            assert pool.busy == 0
            conn = await asyncio.wait_for(pool.acquire(), 5)  # a fresh session: the slot was freed
            assert pool.busy == 1
            await pool.release(conn)
            await pool.close()
        await _until(lambda: not private_server.sessions)

    asyncio.run(run())


def test_one_users_failed_logons_do_not_fail_another_user(private_server: OracleTestServer) -> None:
    pool = do.create_pool(
        user="scott", password="tiger", dsn=private_server.dsn, min=0, max=4, homogeneous=False
    )
    results: dict[str, Any] = {}

    def acquire(name: str, user: str, password: str) -> None:
        try:
            conn = pool.acquire(user=user, password=password)
        except do.Error as exc:
            results[name] = exc
        else:
            results[name] = "ok"
            pool.release(conn)

    threads = [
        threading.Thread(target=acquire, args=("bad", "adams", "wrong")),
        threading.Thread(target=acquire, args=("scott", "scott", "tiger")),
        threading.Thread(target=acquire, args=("adams", "adams", "wood")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert results["scott"] == results["adams"] == "ok"
    assert isinstance(results["bad"], do.DatabaseUnavailableError) and "ORA-01017" in str(results["bad"])
    pool.close()


def test_heterogeneous_pool_at_max_serves_another_user_after_a_release(private_server: OracleTestServer) -> None:
    pool = do.create_pool(
        user="scott", password="tiger", dsn=private_server.dsn, min=0, max=1, homogeneous=False
    )
    held = pool.acquire(user="scott", password="tiger")
    got: list[Any] = []
    waiter = threading.Thread(target=lambda: got.append(pool.acquire(user="adams", password="wood")))
    waiter.start()
    time.sleep(0.1)
    pool.release(held)  # scott's session is closed to make room for adams
    waiter.join(5)
    assert got, "the waiter for another user was never served"
    cursor = got[0].cursor()
    cursor.execute("select user from dual")
    assert cursor.fetchone() == ("ADAMS",)
    assert pool.opened == 1
    pool.release(got[0])
    pool.close()


class _Counting:
    """A connector that records when each open was tried."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.attempts: list[float] = []

    def open(self, key: Any) -> Any:
        self.attempts.append(time.monotonic())
        return self.inner.open(key)

    def close(self, conn: Any) -> None:
        self.inner.close(conn)

    def ping(self, conn: Any) -> bool:
        return bool(self.inner.ping(conn))


def _settled(pool: Any, clock: FakeClock, timers: int) -> bool:
    """True once no open is under way and ``timers`` callbacks wait on the clock."""
    return wait_for(lambda: pool._engine.core.pending == 0 and clock.pending == timers)


def test_failed_opens_back_off_then_recover(private_server: OracleTestServer, fake_time: FakeClock) -> None:
    with FaultProxy(private_server.host, private_server.port) as proxy:
        proxy.stop()
        pool = do.create_pool(user="scott", password="tiger", dsn=_dsn(proxy, private_server), min=0, max=3)
        counting = pool._engine.connector = _Counting(pool._engine.connector)
        pool.reconfigure(min=3)
        # The validator's next pass and one retry wait on the clock.
        assert _settled(pool, fake_time, timers=2)
        # Three, then the fast retry of each that failed before a fresh attempt did.
        first = len(counting.attempts)
        assert 4 <= first <= 6
        for retries in range(1, 6):
            # Each retry is due within backoff(n) +-50%, and reopens all three.
            fake_time.advance(backoff(retries) * 1.5)
            assert _settled(pool, fake_time, timers=2)
            assert len(counting.attempts) == first + 3 * retries
        proxy.start()
        fake_time.advance(backoff(6) * 1.5)
        assert wait_for(lambda: pool.opened == 3)
        pool.close()


def test_a_refused_logon_is_not_retried_in_the_background(
    private_server: OracleTestServer, fake_time: FakeClock
) -> None:
    pool = do.create_pool(user="scott", password="wrong", dsn=private_server.dsn, min=0, max=3)
    counting = pool._engine.connector = _Counting(pool._engine.connector)
    pool.reconfigure(min=2)
    assert _settled(pool, fake_time, timers=1)  # the validator's pass only: no retry
    fake_time.advance(60)  # past any backoff, and a validator pass
    assert pool._engine.core.pending == 0 and len(counting.attempts) == 2  # refused: no retries (accounts lock)
    with pytest.raises(do.DatabaseUnavailableError, match="ORA-01017"):
        pool.acquire()
    assert len(counting.attempts) == 3  # a new caller tries once more
    fake_time.advance(60)
    assert pool._engine.core.pending == 0 and len(counting.attempts) == 3
    pool.close()


async def _pinging_on_a_deaf_network(proxy: FaultProxy, server: OracleTestServer, **kwargs: Any) -> Any:
    """An asyncio pool of one session, which its upkeep task is pinging when
    the proxy goes deaf (the registry's validation interval must be short)."""
    pool = do.create_pool_async(user="scott", password="tiger", dsn=_dsn(proxy, server), min=1, max=1, **kwargs)
    await _until(lambda: pool.opened == 1)
    proxy.deaf = True
    await _until(lambda: pool._engine.core.idle == 0)  # the upkeep task took it for a ping
    return pool


def test_async_close_while_the_upkeep_task_pings_leaves_no_session(
    registry: Any, private_server: OracleTestServer
) -> None:
    do.connection_pool.validation_interval = 0.05

    async def run() -> None:
        with FaultProxy(private_server.host, private_server.port) as proxy:
            pool = await _pinging_on_a_deaf_network(proxy, private_server)
            asyncio.get_running_loop().call_later(0.2, setattr, proxy, "deaf", False)
            await pool.close()
            assert pool.opened == 0
        await _until(lambda: not private_server.sessions)

    asyncio.run(run())


def test_a_dropped_handle_serves_a_waiting_caller_at_once(private_server: OracleTestServer) -> None:
    # The validator's next pass is a minute away, the caller waits 20 s at most:
    # served within 10 s means the bell woke the validator, whatever the load.
    with using(validation_interval=60.0):
        pool = do.create_pool(user="scott", password="tiger", dsn=private_server.dsn, min=0, max=1,
                              getmode=do.POOL_GETMODE_TIMEDWAIT, wait_timeout=20000)  # fmt: skip
        held = pool.acquire()
        got: list[Any] = []
        waiter = threading.Thread(target=lambda: got.append(pool.acquire()))
        waiter.start()
        time.sleep(0.1)
        dropped = time.monotonic()
        del held
        gc.collect()
        waiter.join(20)
        assert got and time.monotonic() - dropped < 10.0  # not at the validator's next pass
        pool.release(got[0])
        pool.close()


def test_a_dropped_async_handle_serves_a_waiting_task_at_once(private_server: OracleTestServer) -> None:
    async def run() -> None:
        pool = do.create_pool_async(user="scott", password="tiger", dsn=private_server.dsn, min=0, max=1)
        held = await pool.acquire()
        waiting = asyncio.ensure_future(pool.acquire())
        await asyncio.sleep(0.05)
        del held
        gc.collect()
        conn = await asyncio.wait_for(waiting, 1.0)
        await pool.release(conn)
        await pool.close()

    asyncio.run(run())


def test_async_close_cancelled_mid_rollback_frees_the_slot(private_server: OracleTestServer) -> None:
    async def run() -> None:
        with FaultProxy(private_server.host, private_server.port) as proxy:
            pool = do.create_pool_async(user="scott", password="tiger", dsn=_dsn(proxy, private_server), min=0, max=1)
            conn = await pool.acquire()
            await conn.cursor().execute("create table half_done (x number)")
            await conn.cursor().execute("insert into half_done values (1)")
            proxy.deaf = True  # the rollback on release stalls
            closing = asyncio.ensure_future(conn.close())
            await asyncio.sleep(0.1)
            closing.cancel()
            proxy.deaf = False
            with pytest.raises(asyncio.CancelledError):
                await closing
            assert pool.busy == 0
            again = await asyncio.wait_for(pool.acquire(), 5)  # the slot is free
            await pool.release(again)
            await pool.close()

    asyncio.run(run())


def test_async_close_on_a_dead_network_returns_within_the_ping_timeout(
    registry: Any, private_server: OracleTestServer
) -> None:
    do.connection_pool.validation_interval = 0.05

    async def run() -> None:
        with FaultProxy(private_server.host, private_server.port) as proxy:
            pool = await _pinging_on_a_deaf_network(proxy, private_server, ping_timeout=300)  # deaf for good
            started = time.monotonic()
            await asyncio.wait_for(pool.close(), 5)
            assert time.monotonic() - started < 3 and pool.opened == 0
        await _until(lambda: not private_server.sessions)

    asyncio.run(run())
