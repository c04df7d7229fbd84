"""The DRCP pool alone (``testing._drcp.PooledServers``), without sockets or SQL.

Threads acquire and release through fake sessions, and the invariants are
checked as they go: never more than N sessions, never one session held by
two connections, every request a hit or a miss, PURITY_NEW never a hit.
"""

from __future__ import annotations

import random
import socket
import threading
from dataclasses import dataclass, field
from typing import Any

import pytest

from devart_oracle.testing._drcp import (
    PURITY_NEW,
    PURITY_SELF,
    PooledServer,
    PooledServers,
    Request,
)
from devart_oracle.testing._logon import Identity
from devart_oracle.testing.sql.cpool import PoolStatistics


@dataclass
class FakeSql:
    in_transaction: bool = False
    closed: bool = False

    def rollback(self) -> None:
        self.in_transaction = False

    def close(self) -> None:
        self.closed = True


@dataclass
class FakeInfo:
    sid: int
    serial: int = 1
    server: str = "DEDICATED"


@dataclass
class FakeTenant:
    sock: socket.socket
    peer: str = "127.0.0.1:1"
    killed: bool = False

    def kill_session(self) -> None:
        self.killed = True


@dataclass
class Book:
    lock: threading.Lock = field(default_factory=threading.Lock)
    held: set[int] = field(default_factory=set)
    most_held: int = 0
    opened: int = 0
    retired: list[int] = field(default_factory=list)


def make_pool(size: int, book: Book, wait: float = 10.0) -> PooledServers:
    def opener(identity: Identity, server: PooledServer, peer: str) -> tuple[Any, Any]:
        with book.lock:
            book.opened += 1
            return FakeInfo(book.opened), FakeSql()

    def retire(server: PooledServer) -> None:
        book.retired.append(server.info.sid if server.info else 0)

    return PooledServers.create(size, wait, opener, retire, PoolStatistics())


def request(cclass: str, purity: int, user: str = "SCOTT") -> Request:
    return Request.of(Identity(username=user, program="", machine="", service_name="", time_zone=None,
                               cclass=cclass, purity=purity))


@pytest.fixture
def tenant() -> Any:
    left, right = socket.socketpair()
    yield FakeTenant(left)
    left.close()
    right.close()


def test_threads_never_see_more_than_n_sessions_or_a_shared_one(tenant: FakeTenant) -> None:
    book = Book()
    pool = make_pool(3, book)
    requests = [request(c, p) for c in ("A", "B") for p in (PURITY_SELF, PURITY_NEW)]

    failures: list[AssertionError] = []

    def work(seed: int) -> None:
        try:
            cycles(random.Random(seed))
        except AssertionError as exc:  # reported below, in the test's thread
            failures.append(exc)

    def cycles(rng: random.Random) -> None:
        for _ in range(60):
            server = pool.acquire(rng.choice(requests), tenant)
            assert server.info is not None
            with book.lock:
                assert server.info.sid not in book.held  # one holder at a time
                book.held.add(server.info.sid)
                book.most_held = max(book.most_held, len(book.held))
                assert pool.open_count <= 3
            with book.lock:
                book.held.discard(server.info.sid)
            pool.release(server)

    threads = [threading.Thread(target=work, args=(seed,)) for seed in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not failures, failures[0]
    stats = pool.stats
    assert book.most_held <= 3 and stats.historic_max <= 3
    assert stats.requests == 8 * 60 == stats.hits + stats.misses
    assert stats.misses == book.opened  # every miss opened a session, every hit reused one
    assert stats.classes["SCOTT.A"].requests + stats.classes["SCOTT.B"].requests == 480
    assert stats.busy_servers == 0 and stats.open_servers == pool.open_count <= 3
    # every replaced session was retired (its sid taken out) and closed
    assert len(book.retired) == book.opened - pool.open_count


def test_purity_new_is_never_a_hit_and_replaces_the_longest_idle(tenant: FakeTenant) -> None:
    book = Book()
    pool = make_pool(2, book)
    first = pool.acquire(request("A", PURITY_SELF), tenant)
    second = pool.acquire(request("B", PURITY_SELF), tenant)
    pool.release(first)
    pool.release(second)
    fresh = pool.acquire(request("B", PURITY_NEW), tenant)
    assert fresh is not first and fresh is not second and first.discarded and not second.discarded
    assert isinstance(first.sql, FakeSql) and first.sql.closed
    pool.release(fresh)
    again = pool.acquire(request("B", PURITY_SELF), tenant)
    assert again is fresh  # the most recently released of its class
    assert (pool.stats.hits, pool.stats.misses) == (1, 3)


def test_a_cut_connection_stops_waiting(tenant: FakeTenant) -> None:
    from devart_oracle.testing.wire.packet import ConnectionClosed

    pool = make_pool(1, Book())
    held = pool.acquire(request("A", PURITY_SELF), tenant)
    left, right = socket.socketpair()
    waiter = FakeTenant(left)
    errors: list[ConnectionClosed] = []

    def wait() -> None:
        try:
            pool.acquire(request("A", PURITY_SELF), waiter)
        except ConnectionClosed as exc:
            errors.append(exc)

    thread = threading.Thread(target=wait)
    thread.start()
    left.close()
    pool.wake()
    thread.join(5)
    right.close()
    assert not thread.is_alive() and isinstance(errors[0], ConnectionClosed)
    pool.release(held)
