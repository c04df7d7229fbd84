"""A bounded soak of an explicit pool under transient faults (issue 15).

16 threads acquire, query and release on a TIMEDWAIT pool (``wait_timeout``
200 ms, min 2, max 4) through a fault proxy while a chaos thread cuts every
connection (logons in flight included), kills single sessions, makes the
network deaf for short spells and, now and then, stops the database. Every retry the pool schedules is recorded, so
the soak can tell a fail-fast that was right (the next attempt was due after
the caller's budget) from one that was wrong (a retry was due within it).
It prints the outcome counts and asserts that no wrong fail-fast happened.
"""

from __future__ import annotations

import bisect
import random
import threading
import time
from collections import Counter
from typing import Any

import pytest

import devart_oracle as do
from devart_oracle.testing import FaultProxy, OracleTestServer

THREADS = 16
BUDGET = 0.2  # seconds: wait_timeout=200 ms
SOAK = 6.0  # seconds of load


class RetryBook:
    """A schedule that records when each retry of the pool is due, then runs it."""

    def __init__(self) -> None:
        self.due: list[float] = []
        self.lock = threading.Lock()

    def __call__(self, delay: float, callback: Any) -> None:
        with self.lock:
            bisect.insort(self.due, time.monotonic() + delay)
        timer = threading.Timer(delay, callback)
        timer.daemon = True
        timer.start()

    def due_between(self, start: float, end: float) -> bool:
        with self.lock:
            at = bisect.bisect_left(self.due, start)
            return at < len(self.due) and self.due[at] <= end


def chaos(proxy: FaultProxy, server: OracleTestServer, stop: threading.Event, rng: random.Random) -> None:
    while not stop.wait(rng.uniform(0.05, 0.3)):
        fault = rng.random()
        if fault < 0.4:
            proxy.cut()  # logons in flight fail half way
        elif fault < 0.7 and server.sessions:
            server.kill_session(rng.choice(server.sessions).sid)
        elif fault < 0.9:
            proxy.deaf = True
            time.sleep(rng.uniform(0.05, 0.3))
            proxy.deaf = False
        else:  # a real outage: failing fast is right once a fresh attempt failed
            proxy.stop()
            time.sleep(rng.uniform(0.2, 0.6))
            proxy.start()


def soak(pool: Any, book: RetryBook, until: float, counts: Counter[str], lock: threading.Lock) -> None:
    while time.monotonic() < until:
        started = time.monotonic()
        try:
            conn = pool.acquire()
        except do.DatabaseUnavailableError:
            failed = time.monotonic()
            wrong = failed - started < BUDGET / 2 and book.due_between(started, started + BUDGET)
            outcome = "unavailable, a retry was due in the budget" if wrong else "unavailable"
        except do.PoolExhaustedError:
            outcome = "exhausted"
        else:
            outcome = "ok"
            try:
                conn.cursor().execute("select 1 from dual").fetchall()
            except do.DatabaseError:
                outcome = "ok, then the session was cut"
            conn.close()
        with lock:
            counts[outcome] += 1


# python-oracledb (26.1) leaves the socket of a logon cut half way for the
# garbage collector to report; the proxy's cuts provoke exactly that.
@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.stress
def test_transient_faults_never_fail_a_caller_a_retry_could_serve(
    private_server: OracleTestServer, capsys: pytest.CaptureFixture[str]
) -> None:
    counts: Counter[str] = Counter()
    lock = threading.Lock()
    book = RetryBook()
    with FaultProxy(private_server.host, private_server.port) as proxy:
        dsn = f"{proxy.host}:{proxy.port}/{private_server.service_name}"
        pool = do.create_pool(user="scott", password="tiger", dsn=dsn, min=2, max=4,
                              getmode=do.POOL_GETMODE_TIMEDWAIT, wait_timeout=int(BUDGET * 1000))  # fmt: skip
        pool._engine.schedule = book
        stop = threading.Event()
        agent = threading.Thread(target=chaos, args=(proxy, private_server, stop, random.Random(15)))
        until = time.monotonic() + SOAK
        workers = [threading.Thread(target=soak, args=(pool, book, until, counts, lock)) for _ in range(THREADS)]
        agent.start()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(SOAK + 30)
        stop.set()
        agent.join(10)
        pool.close(force=True)
    with capsys.disabled():
        print("\noutage soak:", ", ".join(f"{name}={n}" for name, n in sorted(counts.items())))
    assert not any(worker.is_alive() for worker in workers), "a worker never finished"
    assert counts["ok"] > 0, "nothing succeeded: the chaos left no window"
    assert counts["unavailable, a retry was due in the budget"] == 0, counts
