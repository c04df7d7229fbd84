"""Explicit pools during outages (issue 15), sync and asyncio, through a
fault proxy in front of the embedded server, with the real client.

A caller fails at once only when waiting cannot help (its wait ends before
the pending retry, or it does not wait), and the error says which case it is
and when the next attempt is due; a caller whose wait reaches the retry gets
the session it opens; one cut logon is retried at once, unnoticed.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import pytest

import devart_oracle as do
from devart_oracle.pool._backoff import backoff
from devart_oracle.testing import FakeClock, FaultProxy, OracleTestServer
from tests.pool.test_explicit_pools import AsyncFace, SyncFace, eventually, face, run, sid

__all__ = ["AsyncFace", "SyncFace", "face"]  # the fixture, shared with test_explicit_pools


def through(face: Any, proxy: FaultProxy, server: OracleTestServer, **kwargs: Any) -> Any:
    dsn = f"{proxy.host}:{proxy.port}/{server.service_name}"
    return face.create(user="scott", password="tiger", dsn=dsn, **kwargs)


@contextlib.asynccontextmanager
async def down(face: Any, server: OracleTestServer, clock: FakeClock, **kwargs: Any) -> AsyncIterator[Any]:
    """A pool of ``min=1`` behind a stopped proxy, once min's open and its
    fast retry failed: a retry and the validator's next pass wait on the fake
    clock. Yields the proxy and the pool; closes the pool after."""
    with FaultProxy(server.host, server.port) as proxy:
        proxy.stop()
        pool = through(face, proxy, server, min=1, **kwargs)
        await eventually(lambda: pool._engine.core.pending == 0 and clock.pending == 2)
        assert pool._engine.core.backoff.down(None) is not None
        yield proxy, pool
        await face.close(pool)


@pytest.mark.parametrize(("getmode", "case"), [
    (do.POOL_GETMODE_TIMEDWAIT, r"the next attempt is due in 0\.\d\d s, after this acquire's wait_timeout=10 ms ends"),
    (do.POOL_GETMODE_NOWAIT, r"a NOWAIT acquire does not wait for the next attempt, due in 0\.\d\d s"),
])  # fmt: skip
def test_a_caller_that_cannot_wait_for_the_retry_hears_at_once_why_and_when(
    face: Any, private_server: OracleTestServer, fake_time: FakeClock, getmode: int, case: str
) -> None:
    async def body() -> None:
        async with down(face, private_server, fake_time, max=2, getmode=getmode, wait_timeout=10) as (proxy, pool):
            for _ in range(3):
                with pytest.raises(do.DatabaseUnavailableError, match=case):
                    await face.acquire(pool)  # at once: the clock stands still, the retry is not due
            assert fake_time.pending == 2  # and no caller started another retry
            proxy.start()
            fake_time.advance(backoff(1) * 1.5)
            await eventually(lambda: pool.opened == 1)  # min comes back by itself

    run(body())


@pytest.mark.parametrize("getmode", [do.POOL_GETMODE_WAIT, do.POOL_GETMODE_TIMEDWAIT])
def test_callers_whose_wait_reaches_the_retry_get_the_sessions_it_opens(
    face: Any, private_server: OracleTestServer, fake_time: FakeClock, getmode: int
) -> None:
    async def body() -> None:
        async with down(face, private_server, fake_time, max=3, getmode=getmode, wait_timeout=30_000) as (proxy, pool):
            waiting = [asyncio.ensure_future(face.acquire(pool)) for _ in range(3)]
            await eventually(lambda: pool._engine.core.waiting == 3)
            proxy.start()
            fake_time.advance(backoff(1) * 1.5)  # the retry: the database is back
            conns = await asyncio.wait_for(asyncio.gather(*waiting), 10)
            assert len({await sid(face, conn) for conn in conns}) == 3
            for conn in conns:
                await face.release(pool, conn)

    run(body())


# python-oracledb (26.1) leaves the socket of a logon cut half way for the
# garbage collector to report.
@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_cut_logon_is_retried_at_once_and_the_caller_never_hears_of_it(
    face: Any, private_server: OracleTestServer, fake_time: FakeClock
) -> None:
    async def body() -> None:
        with FaultProxy(private_server.host, private_server.port) as proxy:
            pool = through(face, proxy, private_server, min=0, max=2, getmode=do.POOL_GETMODE_TIMEDWAIT,
                           wait_timeout=30_000)  # fmt: skip
            proxy.latency = 0.05  # the logon takes a few round trips: time to cut it
            acquiring = asyncio.ensure_future(face.acquire(pool))
            await eventually(lambda: proxy.connections == 1)
            proxy.cut()
            proxy.latency = 0.0
            # The fake clock stands still: no scheduled retry could run, the fast one did.
            conn = await asyncio.wait_for(acquiring, 10)
            assert await sid(face, conn) > 0 and fake_time.pending == 1  # the validator's pass only
            assert not pool._engine.core.backoff.failures  # a success forgets the failure
            await face.release(pool, conn)
            await face.close(pool)

    run(body())
