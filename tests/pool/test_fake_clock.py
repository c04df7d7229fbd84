"""``devart_oracle.testing.FakeClock``, and pools that wait on it: retries and
validator passes happen when the test advances the clock, never before."""

from __future__ import annotations

import itertools
from collections.abc import Hashable
from typing import Any

import pytest

import devart_oracle as do
from devart_oracle.pool._backoff import backoff
from devart_oracle.pool._core import PoolSettings, Refusal
from devart_oracle.pool._sync import SyncPool
from devart_oracle.pool._upkeep import current
from devart_oracle.testing import FakeClock
from tests.fixtures.pooling import wait_for


def test_callbacks_run_in_time_order_each_at_its_time():
    clock = FakeClock(start=10.0)
    seen: list[tuple[str, float]] = []
    clock.schedule(2.0, lambda: seen.append(("b", clock())))
    clock.schedule(1.0, lambda: seen.append(("a", clock())))
    clock.schedule(2.0, lambda: seen.append(("c", clock())))  # same time: first come, first run
    clock.advance(1.5)
    assert seen == [("a", 11.0)] and clock.now == 11.5 and clock.pending == 2
    clock.advance(0.5)
    assert seen == [("a", 11.0), ("b", 12.0), ("c", 12.0)] and clock.pending == 0


def test_a_callback_may_schedule_another_inside_the_window():
    clock = FakeClock()
    seen: list[float] = []

    def tick() -> None:
        seen.append(clock())
        clock.schedule(1.0, tick)

    clock.schedule(1.0, tick)
    clock.advance(3.5)
    assert seen == [1.0, 2.0, 3.0] and clock.pending == 1 and clock() == 3.5


def test_time_only_moves_forward():
    clock = FakeClock()
    with pytest.raises(ValueError, match="cannot advance the clock by -1"):
        clock.advance(-1)
    with pytest.raises(ValueError, match="cannot schedule -0.5 seconds in the past"):
        clock.schedule(-0.5, lambda: None)
    assert repr(clock) == "<FakeClock now=0.000 pending=0>"


def test_is_exported_from_the_testing_package():
    import devart_oracle.testing as testing

    assert "FakeClock" in testing.__all__ and testing.FakeClock is FakeClock


class _Down:
    """A connector to a database that is down until told otherwise."""

    def __init__(self) -> None:
        self.up = False
        self.opens = 0
        self._ids = itertools.count()

    def open(self, key: Hashable) -> Any:
        self.opens += 1
        if not self.up:
            raise OSError("the database is down")
        return next(self._ids)

    def close(self, conn: Any) -> None:
        pass

    def ping(self, conn: Any) -> bool:
        return True


def _error(reason: Refusal | BaseException, waited: float) -> BaseException:
    return do.PoolError(f"refused: {reason}")


def test_a_pool_retries_failed_opens_only_as_the_clock_advances():
    clock, connector = FakeClock(), _Down()
    pool = SyncPool(PoolSettings(min=1, max=2), connector, _error, clock=clock, schedule=clock.schedule)
    pool.call(pool.core.replenish)  # min's open fails, then its fast retry (on workers)
    assert wait_for(lambda: pool.core.backoff.paused(None) and pool.core.pending == 0)
    assert clock.pending == 1
    connector.up = True
    clock.advance(backoff(1) * 0.4)  # not due yet (jitter is at most -50%)
    assert pool.core.backoff.paused(None)
    clock.advance(backoff(1) * 1.1)
    assert not pool.core.backoff.paused(None)


def test_the_validator_passes_on_the_fake_clock(fake_time: FakeClock):
    passes: list[float] = []

    class Watched(SyncPool):
        def validate(self, check_after: float) -> None:
            passes.append(fake_time())

    do.connection_pool.validation_interval = 5.0
    fake_time.advance(0)  # the pass that the change of interval asked for (no pool watched yet)
    pool = Watched(PoolSettings(), _Down(), _error, clock=fake_time, schedule=fake_time.schedule)
    validator = current().validator
    validator.add(pool)
    assert validator._thread is None  # no thread: the clock drives it
    start = fake_time()
    fake_time.advance(12)
    assert passes == [start + 5, start + 10]
    validator.wake()
    fake_time.advance(0)
    assert passes[-1] == start + 12
