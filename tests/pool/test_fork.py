"""A pool forked while a caller waits: the child starts with nothing of the parent's.

Before, a thread waiting in ``acquire()`` at fork time stayed queued in the
child, where that thread does not exist: the first session the child opened
was granted to the ghost and the child's own ``acquire()`` timed out.

Each child reports through a pipe and leaves with ``os._exit``; the parent
waits for it with a deadline and kills it if it hangs.
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

import devart_oracle as do
from devart_oracle.pool._upkeep import current
from devart_oracle.testing import OracleTestServer

pytestmark = [
    pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork"),
    # Python 3.12+ warns about fork in a process with threads; this test means it.
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]

#: Seconds a child may take before it counts as hung.
CHILD_DEADLINE = 30.0


def _in_child(body: Callable[[], str]) -> str:
    """Fork; the child runs ``body`` and reports what it returns (or its error)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            report = body()
        except BaseException as exc:  # reported to the parent, which fails the test
            report = f"child failed: {exc!r}"
        finally:
            try:
                os.write(write, report.encode())
            finally:
                os._exit(0)
    os.close(write)
    try:
        return _collect(pid, read)
    finally:
        os.close(read)


def _collect(pid: int, read: int) -> str:
    deadline = time.monotonic() + CHILD_DEADLINE
    while time.monotonic() < deadline:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.read(read, 4096).decode()
        time.sleep(0.02)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    pytest.fail(f"the child did not finish within {CHILD_DEADLINE:.0f} s")


def _books(pool: Any) -> tuple[int, int, int]:
    core = pool._engine.core
    return core.opened, core.waiting, core.pending


def test_a_sync_pool_forked_while_a_thread_waits(registry: Any, private_server: OracleTestServer) -> None:
    pool = do.create_pool(user="scott", password="tiger", dsn=private_server.dsn, min=0, max=1,
                          getmode=do.POOL_GETMODE_TIMEDWAIT, wait_timeout=10_000)  # fmt: skip
    held = pool.acquire()
    waiter = threading.Thread(target=lambda: pool.release(pool.acquire()))
    waiter.start()
    while pool._engine.core.waiting == 0:
        time.sleep(0.01)

    def child() -> str:
        fresh = _books(pool)
        conn = pool.acquire()  # the child's own session, not one granted to a ghost
        conn.cursor().execute("select 1 from dual")
        watched = pool._engine in current().validator.pools()  # validated in the child too
        return f"{fresh} {pool.busy} {watched}"

    assert _in_child(child) == "(0, 0, 0) 1 True"
    pool.release(held)  # the parent's waiter is served as before
    waiter.join(10)
    assert not waiter.is_alive()
    pool.close()


def test_an_async_pool_forked_while_a_task_waits(registry: Any, private_server: OracleTestServer) -> None:
    async def parent() -> str:
        pool = do.create_pool_async(user="scott", password="tiger", dsn=private_server.dsn, min=0, max=1)
        held = await pool.acquire()
        waiting = asyncio.ensure_future(pool.acquire())
        while pool._engine.core.waiting == 0:
            await asyncio.sleep(0.01)
        report = _in_child(lambda: _on_a_new_loop(pool))
        await pool.release(held)
        await pool.release(await asyncio.wait_for(waiting, 10))
        await pool.close()
        return report

    assert asyncio.run(parent()) == "(0, 0, 0) 1"


def _on_a_new_loop(pool: Any) -> str:
    """In the child: the parent's loop is mid-callback, so a thread runs a new one."""
    result: list[str] = []

    async def child() -> None:
        fresh = _books(pool)
        conn = await asyncio.wait_for(pool.acquire(), 10)
        await conn.ping()
        result.append(f"{fresh} {pool.busy}")

    runner = threading.Thread(target=lambda: asyncio.run(child()))
    runner.start()
    runner.join(CHILD_DEADLINE)
    return result[0] if result else "the child's acquire did not finish"
