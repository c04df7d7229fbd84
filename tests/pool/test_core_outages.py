"""The pure core during outages (issue 15): a caller fails fast only when
waiting cannot help, the retry comes within the waiting callers' budgets,
and one failed logon is not an outage. No driver, no threads, no clock."""

from __future__ import annotations

from dataclasses import replace

import pytest

from devart_oracle.pool._backoff import backoff
from devart_oracle.pool._core import GetMode, Outage, PoolCore, PoolSettings, Why

DOWN = OSError("connection refused")


def explicit(**kw: object) -> PoolCore:
    """A core with a cap, as explicit pools have, and retries without jitter."""
    return PoolCore(PoolSettings(**{"max": 3, "increment": 1, **kw}), spread=lambda delay: delay)  # type: ignore[arg-type]


def down(core: PoolCore) -> None:
    """At 0.0, the open for ``min`` fails and so does its fast retry: the database is down."""
    assert core.configure(replace(core.settings, min=1)).spawn == [None]
    assert core.open_failed(DOWN, now=0.0, ticket=0).spawn == [None]
    assert core.open_failed(DOWN, now=0.0, ticket=1).retry_after == backoff(1)
    assert core.backoff.down(None) is not None and core.pending == 0


def told(outage: object, why: Why, retry_in: float) -> bool:
    """Whether ``outage`` is DOWN's, for ``why``, with the next attempt due in ``retry_in``."""
    assert isinstance(outage, Outage)
    return (outage.error, outage.why) == (DOWN, why) and outage.retry_in == pytest.approx(retry_in)


def test_a_first_failed_open_is_retried_at_once_and_nobody_hears_of_it():
    core = explicit()
    waiter = core.checkout(0.0, budget=0.2).wait
    actions = core.open_failed(DOWN, now=0.0)
    assert not actions.wake and actions.retry_after is None and actions.spawn == [None]
    assert core.backoff.down(None) is None  # one cut logon: not an outage
    assert core.checkout(0.0, budget=0.0).wait is not None  # nobody is refused
    assert waiter is not None and waiter.error is None


def test_a_failed_fresh_attempt_makes_the_key_down_and_backs_off():
    core = explicit(min=1)
    assert core.replenish().spawn == [None]
    assert core.open_failed(DOWN, now=0.0).spawn == [None]  # the fast retry, for min
    actions = core.open_failed(DOWN, now=0.0, ticket=1)
    assert actions.retry_after == backoff(1) and not actions.spawn
    core.retry()
    assert core.open_failed(DOWN, now=1.0, ticket=2).retry_after == backoff(2)  # exponential


def test_a_stale_failure_books_nothing():
    core = explicit(min=2)
    assert core.replenish().spawn == [None, None]  # both begin with ticket 0
    core.open_failed(DOWN, now=0.0, ticket=0)
    stale = core.open_failed(DOWN, now=0.0, ticket=0)  # under way when the first failed
    assert stale.retry_after is None and core.backoff.failures[None] == 1 and core.backoff.down(None) is None
    assert core.open_failed(DOWN, now=0.0, ticket=1).retry_after == backoff(1)
    assert core.open_failed(DOWN, now=0.0, ticket=1).retry_after is None  # one retry pending


def test_a_caller_whose_wait_reaches_the_retry_waits_for_it():
    core = explicit()
    down(core)
    assert core.checkout(0.0).wait is not None  # WAIT: for ever
    assert core.checkout(0.01, budget=backoff(1)).wait is not None  # TIMEDWAIT, long enough
    assert core.retry().spawn == [None]
    entry, actions = core.admit(object(), 0.06)
    assert actions.wake and actions.wake[0].entry is entry


def test_a_caller_whose_wait_ends_before_the_retry_fails_at_once_and_is_told_when():
    core = explicit()
    down(core)
    actions = core.checkout(0.01, budget=0.02)
    assert told(actions.refuse, Why.BUDGET, backoff(1) - 0.01)
    assert not actions.spawn and core.waiting == 0


def test_a_nowait_caller_fails_at_once_while_the_database_is_down():
    core = explicit(getmode=GetMode.NOWAIT)
    down(core)
    assert told(core.checkout(0.0).refuse, Why.NOWAIT, backoff(1))


def test_the_retry_comes_within_the_waiting_callers_budgets():
    core = explicit()
    waiter = core.checkout(0.0, budget=0.06).wait
    core.open_failed(DOWN, now=0.0)
    actions = core.open_failed(DOWN, now=0.0, ticket=1)
    assert actions.retry_after == 0.03 < backoff(1)  # half of what the caller has left
    assert not actions.wake and waiter is not None and waiter.error is None


def test_waiters_that_gave_up_before_the_retry_and_unlimited_waiters_hear_the_outage():
    core = explicit()
    late = core.checkout(0.0, budget=0.05).wait  # its wait is over, it has not run yet
    patient = core.checkout(0.0, budget=60.0).wait  # its wait reaches the retry
    unlimited = core.checkout(0.0).wait  # WAIT: through the fast retry, not through an outage
    core.open_failed(DOWN, now=0.1)
    assert unlimited is not None and unlimited.error is None  # the first failure is retried at once
    actions = core.open_failed(DOWN, now=0.1, ticket=1)
    assert actions.wake == [late, unlimited] and late is not None and patient is not None
    assert told(late.error, Why.BUDGET, backoff(1)) and patient.error is None
    assert told(unlimited.error, Why.BUDGET, backoff(1))


def test_a_caller_whose_wait_ends_while_the_database_is_down_hears_of_the_outage():
    core = explicit()
    down(core)
    waiter = core.checkout(0.0, budget=backoff(1)).wait
    core.abandon(waiter, 0.04)  # gave up: not "exhausted", the database is down
    assert waiter is not None and told(waiter.error, Why.BUDGET, backoff(1) - 0.04)


def test_busy_sessions_keep_waiters_waiting_through_a_failure():
    core = explicit()
    core.checkout(0.0)
    core.admit(object(), 0.0)  # busy: a release may serve the waiters
    late = core.checkout(0.0, budget=0.01).wait
    core.open_failed(DOWN, now=1.0)
    assert not core.open_failed(DOWN, now=1.0, ticket=1).wake and late is not None and late.error is None


def test_a_success_after_an_outage_serves_the_waiters_in_order():
    core = explicit()
    down(core)
    first, second = core.checkout(0.1).wait, core.checkout(0.1).wait
    assert core.retry().spawn == [None]
    a, actions = core.admit(object(), 0.2)
    assert actions.wake == [first] and actions.spawn == [None]  # and opens for the next
    b, actions = core.admit(object(), 0.2)
    assert actions.wake == [second] and first is not None and (first.entry, second.entry) == (a, b)  # type: ignore[union-attr]
    assert not core.backoff.failures and core.backoff.down(None) is None


def test_a_failed_open_fails_only_waiters_of_its_key():
    core = explicit()
    for_a = core.checkout(0.0, key="a", budget=0.05).wait
    for_b = core.checkout(0.0, key="b", budget=0.05).wait
    assert core.open_failed(DOWN, key="a", now=1.0).spawn == ["a"]  # the fast retry
    actions = core.open_failed(DOWN, key="a", now=1.0, ticket=1)
    assert actions.wake == [for_a] and for_b is not None and for_b.error is None
    assert (actions.retry_key, actions.retry_after) == ("a", backoff(1))
    assert actions.spawn == ["b"]  # key b is not held up by a's backoff
