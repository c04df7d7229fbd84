"""Lifetimes without storms, and drain(), in the pure core."""

from __future__ import annotations

import random
import threading
from collections import Counter

import pytest

from devart_oracle.pool._core import PoolCore, PoolSettings, Reason
from devart_oracle.pool._lifetime import Lifetimes
from devart_oracle.pool._records import Entry


def open_idle(core: PoolCore, start: float, step: float = 0.0) -> None:
    """Open the sessions ``min`` asks for, one every ``step`` seconds from ``start``, and leave them idle."""
    for i, _ in enumerate(core.replenish().spawn):
        core.admit(object(), start + i * step)


def recycled_each_second(core: PoolCore, start: float, seconds: int) -> Counter[int]:
    """Run one validator pass a second; how many sessions each one recycled for their lifetime."""
    per_second: Counter[int] = Counter()
    for second in range(1, seconds + 1):
        actions = core.tick(start + second, check_after=3600)
        per_second[second] = sum(1 for _, reason in actions.close if reason is Reason.LIFETIME)
        for _ in actions.spawn:  # min is restored: new sessions, their lifetime far ahead
            core.admit(object(), start + second)
    return per_second


@pytest.mark.parametrize("seed", range(20))
def test_a_hundred_sessions_opened_together_are_recycled_ten_a_second_at_most(seed):
    random.seed(seed)
    core = PoolCore(PoolSettings(min=100, max=100, lifetime=100.0, lifetime_spread=0.1))
    open_idle(core, 1000.0, step=0.01)  # all within one second
    per_second = recycled_each_second(core, 1000.0, 105)
    assert sum(per_second.values()) == 100
    assert max(per_second.values()) <= 10, per_second
    assert all(per_second[s] == 0 for s in range(1, 90))  # nobody goes before nine tenths of the lifetime
    assert all(per_second[s] == 0 for s in range(102, 106))  # nor outlives it by more than a pass


def test_without_a_spread_every_session_goes_at_its_lifetime():
    core = PoolCore(PoolSettings(min=10, max=10, lifetime=100.0))
    open_idle(core, 0.0)
    per_second = recycled_each_second(core, 0.0, 101)
    assert per_second[100] == 10


def test_recycling_points_are_spread_evenly_over_the_window():
    lifetimes = Lifetimes(start=random.random())
    phases = sorted(lifetimes.stamp(Entry(None, None, 0.0)).phase for _ in range(100))
    tenths = Counter(int(p * 10) for p in phases)
    assert set(tenths) == set(range(10)) and max(tenths.values()) <= 12


def test_a_returned_session_is_kept_until_its_full_lifetime():
    # recycling before the full lifetime is the validator's job, never the caller's
    core = PoolCore(PoolSettings(lifetime=100.0, lifetime_spread=0.1))
    assert core.checkout(0.0).open_now
    entry, _ = core.admit_for_caller(object(), 0.0)
    assert core.checkin(entry, 99.0).close == () and core.idle == 1
    again = core.checkout(99.5).lease
    assert [reason for _, reason in core.checkin(again, 100.0).close] == [Reason.LIFETIME]


def test_drain_logs_idle_sessions_off_now_and_busy_ones_when_they_come_back():
    core = PoolCore(PoolSettings(min=0, max=4))
    for _ in range(3):
        core.checkout(0.0)
    opened = [core.admit(object(), 0.0)[0] for _ in range(3)]
    busy = opened[:1]
    for entry in opened[1:]:
        core.checkin(entry, 1.0)
    actions = core.drain()
    assert sorted(reason.value for _, reason in actions.close) == ["drained", "drained"]
    assert core.idle == 0 and core.busy == 1 and not core.closed
    back = core.checkin(busy[0], 2.0)
    assert [reason for _, reason in back.close] == [Reason.DRAINED]
    fresh = core.checkout(3.0)
    assert fresh.wait is not None and fresh.spawn  # a new session is opened
    entry, _ = core.admit(object(), 3.0)
    assert core.checkin(entry, 4.0).close == () and core.destroyed[Reason.DRAINED] == 3


def test_drain_restores_min():
    core = PoolCore(PoolSettings(min=2, max=4))
    for _ in core.replenish().spawn:
        core.admit(object(), 0.0)
    actions = core.drain()
    assert len(actions.close) == 2 and len(actions.spawn) == 2


def test_a_session_past_its_lifetime_is_logged_off_off_the_callers_path():
    from devart_oracle.pool._sync import SyncPool
    from devart_oracle.testing import FakeClock

    clock, closing, closed = FakeClock(), threading.Event(), threading.Event()

    class SlowLogoff:
        def open(self, key: object) -> object:
            return object()

        def close(self, conn: object) -> None:
            closing.wait(30)  # a logoff that hangs until the test lets it go
            closed.set()

        def ping(self, conn: object) -> bool:
            return True

    pool = SyncPool(PoolSettings(lifetime=100.0, lifetime_spread=0.1), SlowLogoff(), lambda *a: RuntimeError(),
                    clock=clock, schedule=clock.schedule)  # fmt: skip
    entry, _ = pool.acquire()
    clock.advance(100)
    pool.release(entry)  # returns at once: the logoff runs in the background
    assert not closed.is_set() and pool.core.destroyed[Reason.LIFETIME] == 1
    closing.set()
    assert closed.wait(30)
