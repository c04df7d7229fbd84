"""Our pools against the embedded server's DRCP emulation: more workers than pooled servers.

Written against the server's DRCP interface (``OracleTestServer(pooled_servers=N)``,
``V$CPOOL_STATS``, ``V$CPOOL_CC_STATS`` with Oracle's column names); skipped while
the server has none. Every worker count, cycle count and wait is bounded.
"""

from __future__ import annotations

import asyncio
import inspect
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import Any

import oracledb
import pytest

import devart_oracle
from devart_oracle.pool._registry import _Registry
from devart_oracle.testing import OracleTestServer

pytestmark = pytest.mark.skipif(
    "pooled_servers" not in inspect.signature(OracleTestServer).parameters,
    reason="the embedded server does not emulate DRCP (OracleTestServer(pooled_servers=N))",
)

POOLED_SERVERS = 2
WORKERS = 6
CYCLES = 5


@pytest.fixture
def drcp_server() -> Iterator[OracleTestServer]:
    with OracleTestServer(users={"scott": "tiger"}, pooled_servers=POOLED_SERVERS) as server:  # type: ignore[call-arg]
        yield server


def _stats(server: OracleTestServer, view: str = "V$CPOOL_STATS") -> list[dict[str, Any]]:
    """The view's rows, read over a dedicated (not pooled) session."""
    with oracledb.connect(user="scott", password="tiger", dsn=server.dsn) as conn, conn.cursor() as cursor:
        cursor.execute(f"select * from {view}")
        names = [d[0].upper() for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]


def _work(cycle: Any) -> int:
    """Run ``cycle()`` CYCLES times in each of WORKERS threads; returns the calls served."""
    served: list[int] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(CYCLES):
                served.append(cycle())
        except Exception as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors[0]
    return len(served)


def _check_pool_stats(server: OracleTestServer, served: int) -> None:
    (stats,) = _stats(server)
    assert stats["NUM_REQUESTS"] >= served
    assert stats["NUM_HITS"] + stats["NUM_MISSES"] == stats["NUM_REQUESTS"]
    assert stats["NUM_HITS"] > 0  # released servers were reused
    assert stats["HISTORIC_MAX"] <= POOLED_SERVERS


def test_devart_strings_share_the_pooled_servers(drcp_server: OracleTestServer, registry: _Registry) -> None:
    text = drcp_server.connection_string("scott") + ";Server Type=Pooled;Connection Class=DEVART;Purity=Self"

    def cycle() -> int:
        with devart_oracle.connect(text) as conn, conn.cursor() as cursor:
            cursor.execute("select 1 from dual")
            return int(cursor.fetchone()[0])

    served = _work(cycle)
    assert served == WORKERS * CYCLES
    _check_pool_stats(drcp_server, served)
    classes = {row["CCLASS_NAME"]: row for row in _stats(drcp_server, "V$CPOOL_CC_STATS")}
    assert classes["SCOTT.DEVART"]["NUM_REQUESTS"] >= served


def test_an_explicit_pool_shares_the_pooled_servers(drcp_server: OracleTestServer) -> None:
    pool = devart_oracle.create_pool(user="scott", password="tiger", dsn=drcp_server.dsn + ":pooled",
                                     cclass="EXPLICIT", min=1, max=WORKERS)  # fmt: skip

    def cycle() -> int:
        with pool.acquire() as conn, conn.cursor() as cursor:
            cursor.execute("select 1 from dual")
            return int(cursor.fetchone()[0])

    try:
        served = _work(cycle)
        assert pool._connector.ping(pool.acquire()._conn)  # a ping after a release finds a server
    finally:
        pool.close(force=True)
    _check_pool_stats(drcp_server, served)


def test_an_asyncio_pool_shares_the_pooled_servers(drcp_server: OracleTestServer) -> None:
    async def run() -> int:
        pool = devart_oracle.create_pool_async(user="scott", password="tiger", dsn=drcp_server.dsn + ":pooled",
                                               cclass="ASYNC", min=0, max=WORKERS)  # fmt: skip

        async def cycle() -> None:
            for _ in range(CYCLES):
                async with pool.acquire() as conn:
                    cursor = conn.cursor()
                    await cursor.execute("select 1 from dual")
                    await cursor.fetchone()

        await asyncio.wait_for(asyncio.gather(*(cycle() for _ in range(WORKERS))), 60)
        await pool.close(force=True)
        return WORKERS * CYCLES

    _check_pool_stats(drcp_server, asyncio.run(run()))


#: One process of a fleet: an explicit pool of its own (max 3), WORKERS threads of CYCLES each.
_PROCESS = f"""
import sys, threading
import devart_oracle
pool = devart_oracle.create_pool(user="scott", password="tiger", dsn=sys.argv[1], cclass=sys.argv[2], min=0, max=3)
served = []
def worker():
    for _ in range({CYCLES}):
        with pool.acquire() as conn, conn.cursor() as cursor:
            cursor.execute("select 1 from dual")
            served.append(cursor.fetchone()[0])
threads = [threading.Thread(target=worker) for _ in range({WORKERS})]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join(60)
pool.close(force=True)
print(len(served))
"""


def test_several_processes_share_the_pooled_servers(drcp_server: OracleTestServer) -> None:
    args = [sys.executable, "-c", _PROCESS, drcp_server.dsn + ":pooled", "FLEET"]
    fleet = [subprocess.Popen(args, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    served = [int(process.communicate(timeout=120)[0]) for process in fleet]
    assert served == [WORKERS * CYCLES] * 2
    _check_pool_stats(drcp_server, sum(served))
    (fleet,) = [row for row in _stats(drcp_server, "V$CPOOL_CC_STATS") if row["CCLASS_NAME"] == "SCOTT.FLEET"]  # USER.CLASS, as Oracle names it
    assert fleet["NUM_HITS"] > 0  # one class across processes: servers shared between them
