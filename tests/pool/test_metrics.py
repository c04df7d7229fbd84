"""Pool statistics without a driver: the distributions, the counts a pool
engine keeps on acquire and release, pop_stats() and leak detection, all on
a fake clock."""

from __future__ import annotations

import logging
import threading
from typing import Any

import pytest

from devart_oracle import ProgrammingError
from devart_oracle.pool._core import PoolSettings
from devart_oracle.pool._histogram import WINDOW, Window
from devart_oracle.pool._sync import SyncPool
from devart_oracle.testing import FakeClock

#: psycopg_pool's get_stats() keys.
PSYCOPG_KEYS = {
    "pool_min", "pool_max", "pool_size", "pool_available", "requests_waiting", "usage_ms", "requests_num",
    "requests_queued", "requests_wait_ms", "requests_errors", "returns_bad", "connections_num",
    "connections_ms", "connections_errors", "connections_lost",
}  # fmt: skip


def test_a_window_ranks_its_samples():
    window = Window()
    for ms in range(1, 101):
        window.append(ms / 1000)
    s = window.summary()
    assert s["count"] == 100 and s["sum"] == pytest.approx(5050)
    assert (s["p50"], s["p95"], s["p99"], s["max"]) == pytest.approx((50, 95, 99, 100))


def test_a_window_keeps_the_recent_samples_only():
    window = Window()
    for _ in range(WINDOW):
        window.append(10.0)
    for _ in range(WINDOW):
        window.append(0.001)
    s = window.summary()
    assert s["count"] == WINDOW and s["max"] == pytest.approx(1)  # the ten-second samples left the window


def test_an_empty_window_reports_zeros():
    assert Window().summary() == {"count": 0, "sum": 0, "p50": 0, "p95": 0, "p99": 0, "max": 0}


class Connector:
    """Sessions as plain objects; a logon takes ``logon`` fake seconds, and
    ``fail`` makes the next one raise."""

    def __init__(self, clock: FakeClock, logon: float = 0.25) -> None:
        self.clock = clock
        self.logon = logon
        self.fail = False
        self.alive = True

    def open(self, key: Any) -> object:
        self.clock.advance(self.logon)
        if self.fail:
            raise OSError("no route to host")
        return object()

    def close(self, conn: Any) -> None:
        pass

    def ping(self, conn: Any) -> bool:
        return self.alive


def engine(clock: FakeClock, **settings: Any) -> tuple[SyncPool, Connector]:
    connector = Connector(clock)
    pool = SyncPool(PoolSettings(**settings), connector, lambda reason, waited: TimeoutError(reason),
                    clock=clock, schedule=clock.schedule)  # fmt: skip
    return pool, connector


def test_stats_have_psycopgs_keys_and_count_opens_leases_and_use():
    clock = FakeClock()
    pool, _ = engine(clock)  # no cap: the caller opens its own session
    entry, opened = pool.acquire()
    assert opened
    clock.advance(2.0)
    pool.release(entry)
    again, _ = pool.acquire()  # the idle session, at once
    clock.advance(0.5)
    pool.release(again, healthy=None)  # not reusable: a bad return
    stats = pool.figures()
    assert PSYCOPG_KEYS <= set(stats)
    assert (stats["requests_num"], stats["requests_queued"], stats["requests_errors"]) == (2, 0, 0)
    assert (stats["connections_num"], stats["connections_ms"], stats["connections_errors"]) == (1, 250, 0)
    assert (stats["usage_ms"], stats["returns_bad"]) == (2500, 1)
    assert stats["use_ms"]["max"] == pytest.approx(2000) and stats["use_ms"]["count"] == 2
    assert stats["create_ms"]["count"] == 1 and stats["create_ms"]["p50"] == pytest.approx(250)
    assert stats["wait_ms"]["count"] == 2 and stats["requests_wait_ms"] == 250  # the first waited for its logon
    assert stats["destroyed"]["dropped"] == 1
    assert (stats["pool_size"], stats["pool_available"], stats["pool_min"], stats["pool_max"]) == (0, 0, 0, None)


def test_a_failed_logon_counts_as_a_connection_error_and_a_request_error():
    clock = FakeClock()
    pool, connector = engine(clock)
    connector.fail = True
    with pytest.raises(OSError):
        pool.acquire()
    stats = pool.figures()
    assert (stats["connections_errors"], stats["requests_errors"], stats["connections_num"]) == (1, 1, 0)


def test_a_wait_that_times_out_is_queued_timed_out_and_an_error():
    clock = FakeClock()
    pool, _ = engine(clock, max=1)
    first, _ = pool.acquire()  # a background open serves this caller's wait
    with pytest.raises(TimeoutError):
        pool.acquire(timeout=0.01)  # a real wait: the lock's timeout is real time
    stats = pool.figures()
    assert (stats["requests_num"], stats["requests_queued"], stats["timeouts"], stats["requests_errors"]) == (2, 2, 1, 1)
    assert stats["pool_max"] == 1 and stats["pool_size"] == 1
    pool.release(first)


def test_a_queued_request_reports_its_wait():
    clock = FakeClock()
    pool, _ = engine(clock, max=1)
    first, _ = pool.acquire()
    got: list[Any] = []
    waiter = threading.Thread(target=lambda: got.append(pool.acquire(timeout=30)))
    waiter.start()
    while not pool.core.waiting:
        threading.Event().wait(0.001)
    clock.advance(3.0)
    pool.release(first)
    waiter.join(30)
    stats = pool.figures()
    assert got and stats["requests_waiting"] == 0
    assert stats["wait_ms"]["max"] == pytest.approx(3000)
    assert stats["requests_wait_ms"] == 250 + 3000  # the first waited for the logon too


def test_pings_count_validations_and_lost_connections():
    clock = FakeClock()
    pool, connector = engine(clock, ping_interval=0.0)
    entry, _ = pool.acquire()
    pool.release(entry)
    connector.alive = False
    entry, opened = pool.acquire()  # the ping fails; a fresh session is opened
    assert opened
    stats = pool.figures()
    assert (stats["validations"], stats["pings_failed"], stats["connections_lost"]) == (1, 1, 1)
    assert stats["requests_num"] == 2 and stats["destroyed"]["invalid"] == 1


def test_pop_stats_zeroes_counters_but_not_the_pool_state():
    clock = FakeClock()
    pool, _ = engine(clock)
    entry, _ = pool.acquire()
    pool.release(entry)
    pool.call(pool.core.clear)
    held, _ = pool.acquire()
    popped = pool.figures(reset=True)
    assert popped["requests_num"] == 2 and popped["destroyed"]["cleared"] == 1
    after = pool.figures()
    assert after["requests_num"] == 0 and after["connections_num"] == 0 and after["usage_ms"] == 0
    assert after["destroyed"]["cleared"] == 0 and after["wait_ms"]["count"] == 0
    assert after["pool_size"] == 1  # the session lent out is still there
    pool.release(held)


def test_a_session_held_past_the_leak_threshold_is_logged_once_with_its_stack(caplog):
    clock = FakeClock()
    pool, _ = engine(clock)
    pool.metrics.name = "orders"
    pool.metrics.leak_threshold = 10.0
    kept, _ = pool.acquire()  # this line must show in the log
    returned, _ = pool.acquire()
    clock.advance(5)
    pool.release(returned)
    with caplog.at_level(logging.WARNING, logger="devart_oracle.pool"):
        pool.validate(3600)
        assert not caplog.records  # 5 s: not yet
        clock.advance(6)
        pool.validate(3600)
        pool.validate(3600)  # once only
    [record] = caplog.records
    assert "pool 'orders'" in record.getMessage() and "11.2 s" in record.getMessage()
    assert "kept, _ = pool.acquire()" in record.getMessage()
    assert record.getMessage().rstrip().endswith("kept, _ = pool.acquire()  # this line must show in the log")
    assert pool.figures()["leaks"] == 1
    pool.release(kept)


def test_leak_detection_is_off_by_default_and_records_nothing():
    clock = FakeClock()
    pool, _ = engine(clock)
    pool.acquire()
    assert len(pool.metrics.leaks) == 0 and not pool.metrics.watched
    pool.metrics.leak_threshold = 1.0
    pool.acquire()
    assert len(pool.metrics.leaks) == 1 and pool.metrics.watched


@pytest.mark.parametrize("value", [-1, "10", True, None])
def test_a_bad_leak_threshold_is_refused_by_name(value):
    from devart_oracle.pool._leaks import check_threshold

    with pytest.raises(ProgrammingError, match=r"invalid value .* for leak_threshold: expected seconds"):
        check_threshold("leak_threshold", value)
