"""The pool core's records on their own: the idle stacks, the backoff book and
the wait queue (no driver, no threads, no clock)."""

from __future__ import annotations

import pytest

from devart_oracle.pool._backoff import BACKOFF_CAP, Backoff, backoff
from devart_oracle.pool._idle import IdleStacks
from devart_oracle.pool._queue import WaitQueue
from devart_oracle.pool._records import Entry, Outage, Refusal, Waiter, Why


def _entry(key: object = None, tag: str | None = None) -> Entry:
    entry = Entry(object(), key, 0.0)
    entry.tag = tag
    return entry


def test_backoff_grows_and_caps():
    assert backoff(1) < backoff(2) < backoff(3)
    assert backoff(100) == backoff(1000) == BACKOFF_CAP


def test_the_idle_count_follows_the_stacks():
    idle = IdleStacks()
    a, b, c = _entry("x"), _entry("x"), _entry("y")
    for entry in (a, b, c):
        idle.push(entry)
    assert len(idle) == 3 and list(idle) == [a, b, c] and idle.has("x")
    assert idle.take("x", None, False) is b  # the warmest first
    assert idle.coldest(other_than="y") is a and len(idle) == 1 and not idle.has("x")
    idle.sift(lambda entry: entry is not c)
    assert len(idle) == 0 and not idle


def test_take_prefers_the_exact_tag_then_untagged_then_any_with_matchany():
    idle = IdleStacks()
    untagged, red, blue = _entry(), _entry(tag="red"), _entry(tag="blue")
    for entry in (untagged, red, blue):
        idle.push(entry)
    assert idle.take(None, "red", False) is red
    assert idle.take(None, "green", True) is blue  # matchany: any tagged session
    assert idle.take(None, "green", False) is untagged
    assert idle.drain() == [] and idle.take(None, None, False) is None


def test_coldest_of_largest_and_mark_suspect():
    idle = IdleStacks()
    small, big_cold, big_warm = _entry("a"), _entry("b"), _entry("b")
    for entry in (small, big_cold, big_warm):
        idle.push(entry)
    idle.mark_suspect()
    assert all(entry.suspect for entry in idle)
    assert idle.coldest_of_largest() is big_cold


def test_the_backoff_book_pauses_a_key_only_when_a_fresh_attempt_fails():
    book = Backoff(spread=lambda delay: delay)
    down = OSError("down")
    assert book.failed("k", down, 0.0, ticket=0, limit=None) is None  # the first in a row: retried at once
    assert not book.paused("k") and book.down("k") is None and book.ticket("k") == 1
    assert book.failed("k", down, 0.0, ticket=0, limit=None) is None  # begun before that failure: stale
    assert book.ticket("k") == 1 and book.failures["k"] == 1
    assert book.failed("k", down, 1.0, ticket=1, limit=None) == backoff(1)  # the fresh retry failed too
    pending = book.down("k")
    assert pending is not None and (pending.due, pending.error) == (1.0 + backoff(1), down)
    assert book.failed("k", down, 1.0, ticket=2, limit=None) is None  # one retry pending per key
    book.opened("k", background=False)
    assert book.paused("k") and book.down("k") is None  # up again, the retry still pending
    book.retried("k", wanted=True)
    assert book.failed("k", down, 2.0, ticket=2, limit=None) == backoff(2)  # failures in a row count on
    book.retried("k", wanted=True)
    assert book.failed("k", down, 3.0, ticket=3, limit=0.01) == 0.01  # a waiting caller's budget caps it
    book.retried("k", wanted=False)
    assert not book.failures and not book.retrying and not book.tickets  # nobody asks for it: forgotten


def test_the_backoff_book_tells_which_callers_cannot_wait_for_the_retry():
    book = Backoff(spread=lambda delay: delay)
    down = OSError("down")
    book.failed(None, down, 0.0, ticket=0, limit=None)
    assert book.refusal(None, 0.0, budget=0.0, nowait=True) is None  # not down: the fast retry is on its way
    book.failed(None, down, 0.0, ticket=1, limit=None)
    due = backoff(1)
    assert book.refusal(None, 0.0, budget=None, nowait=False) is None  # waits for ever: waits for it
    assert book.refusal(None, 0.0, budget=due, nowait=False) is None  # its wait reaches the retry
    assert book.refusal(None, 0.01, budget=due / 2, nowait=False) == Outage(down, Why.BUDGET, due - 0.01)
    assert book.refusal(None, 0.0, budget=None, nowait=True) == Outage(down, Why.NOWAIT, due)


def test_a_refused_logon_of_the_pools_own_key_holds_min_until_asked():
    book = Backoff()
    book.refuse("someone")
    assert not book.holds_min()
    book.refuse(None)
    assert book.holds_min()
    book.asked(None)
    assert not book.holds_min()
    book.failed(None, OSError("down"), 0.0, ticket=0, limit=None)
    assert not book.holds_min()  # the fast retry
    book.failed(None, OSError("down"), 0.0, ticket=1, limit=None)
    assert book.holds_min()


def test_the_wait_queue_serves_each_key_in_arrival_order():
    queue = WaitQueue()
    a1, b1, a2 = Waiter("a", None, False, 0.0), Waiter("b", None, False, 0.0), Waiter("a", None, False, 0.0)
    queue.extend([a1, b1, a2])
    assert queue.first("a") is a1 and queue.wants("b") and not queue.wants("c")
    assert queue.first_not(lambda key: key == "a") is b1
    outage = Outage(OSError("down"), Why.REFUSED)
    assert queue.fail("a", outage) == [a1, a2] and list(queue) == [b1] and a1.error is a2.error is outage
    queue.append(a2)
    queue.discard(a1)  # no longer queued: nothing happens
    assert queue.take_all(Refusal.CLOSED) == [b1, a2] and not queue and b1.error is Refusal.CLOSED


def test_the_wait_queue_knows_how_long_its_waiters_will_wait():
    queue = WaitQueue()
    ever, soon, late, gone = (Waiter("a", None, False, 0.0, deadline) for deadline in (None, 0.3, 0.5, 0.05))
    queue.extend([ever, soon, late, gone, Waiter("b", None, False, 0.0, 0.15)])
    assert queue.patience("a", 0.1) == pytest.approx(0.2)  # the earliest still waiting: gone is past its own
    assert queue.patience("c", 0.1) is None
    outage = Outage(OSError("down"), Why.BUDGET, 0.3)
    assert queue.fail("a", outage, before=0.4) == [ever, soon, gone]  # no limit: the outage ends its wait
    assert ever.error is soon.error is outage and late.error is None


def test_a_claim_serves_the_oldest_waiter_still_waiting_and_refuses_those_late_before_it():
    queue = WaitQueue()
    late1, other, late2, live, late3, live2 = (
        Waiter(key, None, False, 0.0, deadline)
        for key, deadline in (("a", 0.1), ("b", 0.1), ("a", 0.2), ("a", None), ("a", 0.3), ("a", 0.9))
    )
    queue.extend([late1, other, late2, live, late3, live2])
    late, chosen = queue.claim("a", 0.5)
    assert late == [late1, late2] and chosen is live  # first come, first served, among those still waiting
    assert late1.error is late2.error is Refusal.EXHAUSTED and live.error is None
    assert list(queue) == [other, late3, live2]  # another key's waiter is not this claim's business
    assert queue.claim("a", 0.5) == ([late3], live2) and list(queue) == [other]  # the late one behind: next claim
    assert queue.claim("a", 0.5) == ([], None) and queue.claim("b", 0.0) == ([], other) and not queue
