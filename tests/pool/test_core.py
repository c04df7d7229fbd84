"""Unit tests of the pure pool core: no driver, no threads, no clock."""

from __future__ import annotations

import pytest

from devart_oracle.pool._core import Actions, GetMode, Outage, PoolCore, PoolSettings, Reason, Refusal, Why


def opened(core: PoolCore, now: float = 0.0, key: object = None) -> object:
    """Open a session the way a caller does (connect() semantics)."""
    actions = core.checkout(now, key)
    assert actions.open_now
    entry, leased = core.admit_for_caller(object(), now, key)
    assert leased.lease is entry
    return entry


def fill(core: PoolCore, n: int, now: float = 0.0) -> list:
    entries = [opened(core, now) for _ in range(n)]
    for e in entries:
        core.checkin(e, now)
    return entries


# -- connect() semantics: no cap on open sessions ---------------------------


def test_lifo_hands_out_the_most_recently_returned_session():
    core = PoolCore(PoolSettings(max_idle=10))
    a, b = opened(core), opened(core)
    core.checkin(a, 1.0)
    core.checkin(b, 2.0)
    assert core.checkout(3.0).lease is b
    assert core.checkout(3.0).lease is a


def test_max_idle_caps_what_is_kept_not_what_is_open():
    core = PoolCore(PoolSettings(max_idle=2))
    entries = [opened(core) for _ in range(5)]
    assert core.opened == 5
    closes = [core.checkin(e, 1.0).close for e in entries]
    assert [len(c) for c in closes] == [0, 0, 1, 1, 1]
    assert core.idle == 2 and core.destroyed[Reason.OVERFLOW] == 3


def test_unhealthy_session_is_logged_off_and_pool_turns_suspect():
    core = PoolCore(PoolSettings(max_idle=10))
    a, b = opened(core), opened(core)
    core.checkin(a, 1.0)
    actions = core.checkin(b, 1.0, healthy=False)
    assert actions.close == [(b, Reason.INVALID)] and actions.check_soon
    lease = core.checkout(2.0)
    assert lease.lease is a and lease.ping


def test_validate_pings_every_checkout():
    core = PoolCore(PoolSettings(max_idle=10, ping_interval=0.0))
    fill(core, 1)
    assert core.checkout(0.0).ping


@pytest.mark.parametrize(
    "interval, idle_for, ping",
    [(-1.0, 1e6, False), (0.0, 0.0, True), (60.0, 59.9, False), (60.0, 60.0, True)],
)
def test_ping_interval(interval, idle_for, ping):
    core = PoolCore(PoolSettings(max_idle=10, ping_interval=interval))
    fill(core, 1, now=100.0)
    assert core.checkout(100.0 + idle_for).ping is ping


def test_failed_ping_logs_off_and_leaves_the_rest_to_the_validator():
    core = PoolCore(PoolSettings(max_idle=10, ping_interval=0.0))
    a, b = fill(core, 2)
    first = core.checkout(1.0).lease
    actions = core.ping_failed(first, 1.0)
    assert actions.close == [(first, Reason.INVALID)] and actions.check_soon
    # No caller pings one doubtful session after another (a stalled network
    # would make each wait out a ping timeout): it opens a new one.
    assert core.checkout(1.0).open_now
    assert core.tick(1.0, check_after=60.0).check == [a]  # the validator checks it at once
    core.checked(a, 1.1, alive=True)
    assert core.checkout(1.2).lease is a


def test_refused_logon_is_not_retried_in_the_background():
    core = explicit(max=3, min=2)
    assert core.replenish().spawn == [None, None]
    waiter = core.checkout(0.0).wait
    refused = OSError("ORA-01017")
    actions = core.open_refused(refused, key=None)
    assert actions.wake == [waiter] and waiter.error == Outage(refused, Why.REFUSED) and actions.retry_after is None
    assert core.open_refused(refused, key=None).retry_after is None
    assert not core.replenish().spawn and not core.tick(10.0, 1.0).spawn
    assert core.checkout(20.0).spawn == [None]  # a new caller tries once more


def test_refused_and_failed_keys_are_not_remembered_for_ever():
    core = explicit(max=3)
    for n in range(50):
        key = f"user-{n}"
        waiter = core.checkout(0.0, key=key).wait
        core.open_refused(OSError("ORA-01017"), key=key)
        assert waiter.error is not None
    other = core.checkout(0.0, key="flaky").wait
    core.open_failed(OSError("down"), key="flaky", now=0.0)  # retried at once
    retry = core.open_failed(OSError("down"), key="flaky", now=0.0, ticket=1)
    core.abandon(other, 1.0)
    core.retry(retry.retry_key)
    assert not core.backoff.retrying and not core.backoff.failures and not core.backoff.tickets


def test_nowait_callers_ping_a_doubtful_session_rather_than_be_refused():
    core = explicit(max=2, getmode=GetMode.NOWAIT, ping_interval=0.0)
    core.checkout(0.0)
    a, _ = core.admit(object(), 0.0)
    core.checkout(0.0)
    b, _ = core.admit(object(), 0.0)
    core.checkin(a, 0.0)
    core.checkin(b, 0.0)
    core.ping_failed(core.checkout(1.0).lease, 1.0)  # stalled: the rest is doubtful
    actions = core.checkout(1.0)
    assert actions.lease is a and actions.ping


def test_lifetime_on_release_and_on_tick():
    core = PoolCore(PoolSettings(max_idle=10, lifetime=10.0))
    a, b = opened(core, 0.0), opened(core, 5.0)
    assert core.checkin(a, 10.0).close == [(a, Reason.LIFETIME)]
    core.checkin(b, 10.0)
    assert not core.tick(14.0, check_after=100).close
    assert core.tick(15.0, check_after=100).close == [(b, Reason.LIFETIME)]


def test_idle_timeout_keeps_min_and_closes_coldest_first():
    core = PoolCore(PoolSettings(min=1, max_idle=10, idle_timeout=30.0))
    a, b, c = opened(core), opened(core), opened(core)
    core.checkin(a, 0.0)
    core.checkin(b, 10.0)
    core.checkin(c, 20.0)
    actions = core.tick(100.0, check_after=1000)
    assert actions.close == [(a, Reason.IDLE), (b, Reason.IDLE)]
    assert core.idle == 1 and not actions.spawn


def test_tick_pings_idle_sessions_once_per_interval():
    core = PoolCore(PoolSettings(max_idle=10))
    (a,) = fill(core, 1)
    actions = core.tick(30.0, check_after=30.0)
    assert actions.check == [a] and core.idle == 0 and core.opened == 1
    core.checked(a, 30.0, alive=True)
    assert not core.tick(31.0, check_after=30.0).check
    assert core.tick(60.0, check_after=30.0).check == [a]
    actions = core.checked(a, 60.0, alive=False)
    assert actions.close == [(a, Reason.INVALID)] and core.opened == 0


def test_tick_restores_min():
    core = PoolCore(PoolSettings(min=3, max_idle=10))
    assert core.tick(0.0, 30.0).spawn == [None, None, None]
    assert not core.tick(0.0, 30.0).spawn  # already opening
    for _ in range(3):
        core.admit(object(), 0.0)
    assert core.idle == 3 and core.pending == 0


def test_clear_logs_off_idle_only():
    core = PoolCore(PoolSettings(max_idle=10))
    a, b = opened(core), opened(core)
    core.checkin(a, 0.0)
    assert core.clear().close == [(a, Reason.CLEARED)]
    assert core.busy == 1 and core.destroyed[Reason.CLEARED] == 1


def test_configure_shrinks_idle_at_once():
    core = PoolCore(PoolSettings(max_idle=10))
    fill(core, 5)
    actions = core.configure(PoolSettings(max_idle=2))
    assert len(actions.close) == 3 and core.idle == 2


def test_forget_drops_everything_without_closing():
    core = PoolCore(PoolSettings(max_idle=10))
    busy = opened(core)
    fill(core, 2)
    assert len(core.forget()) == 3 and core.opened == 0 and busy


# -- explicit pools: max, waiters, background opens --------------------------


def explicit(**kw) -> PoolCore:
    """A core with a cap, as explicit pools have, and retries without jitter."""
    return PoolCore(PoolSettings(**{"max": 2, "increment": 1, **kw}), spread=lambda delay: delay)


def test_waiter_triggers_one_background_open_at_a_time():
    core = explicit(max=5)
    w1 = core.checkout(0.0)
    w2 = core.checkout(0.0)
    assert w1.wait and w1.spawn == [None]
    assert w2.wait and not w2.spawn
    entry, actions = core.admit(object(), 0.1)
    assert w1.wait.entry is entry and actions.wake == [w1.wait]
    assert actions.spawn == [None]  # w2 still waits: the next batch starts


def test_release_serves_waiters_first_come_first_served():
    core = explicit(max=1)
    core.checkout(0.0)
    entry, _ = core.admit(object(), 0.0)
    w1 = core.checkout(0.0).wait  # the first waiter got entry; these queue
    assert w1 is not None
    waiters = [w1] + [core.checkout(0.0).wait for _ in range(3)]
    first = core.checkout(0.0)  # nothing idle: queues too
    core.checkin(entry, 1.0)
    granted = [w for w in waiters if w.entry is not None]
    assert granted == [w1] and first.wait.entry is None


def test_nowait_refuses_at_max():
    core = explicit(max=1, getmode=GetMode.NOWAIT)
    core.checkout(0.0)
    core.admit(object(), 0.0)
    assert core.checkout(0.0).refuse is Refusal.EXHAUSTED


def test_forceget_opens_beyond_max_and_drops_surplus_on_release():
    core = explicit(max=1, getmode=GetMode.FORCEGET)
    core.checkout(0.0)
    first, _ = core.admit(object(), 0.0)
    actions = core.checkout(0.0)
    assert actions.open_now
    extra, _ = core.admit_for_caller(object(), 0.0)
    assert core.opened == 2
    assert core.checkin(extra, 1.0).close == [(extra, Reason.OVERFLOW)]


def test_abandoned_waiter_gives_back_a_granted_session():
    core = explicit(max=1)
    w = core.checkout(0.0).wait
    entry, _ = core.admit(object(), 0.0)
    assert w.entry is entry
    other = core.checkout(0.0).wait
    actions = core.abandon(w, 1.0)
    assert other.entry is entry and actions.wake == [other]


def test_a_session_that_comes_after_a_waiters_deadline_is_not_granted_to_it():
    # python-oracledb's test_pool_1038: min=0, wait_timeout=1 ms; the logon
    # takes longer, and the caller's thread may not run again until it is over.
    core = explicit(min=0)
    actions = core.checkout(0.0, budget=0.001)
    waiter = actions.wait
    assert waiter is not None and actions.spawn == [None]
    entry, admitted = core.admit(object(), 0.005)
    assert admitted.wake == [waiter] and waiter.entry is None and waiter.error is Refusal.EXHAUSTED
    assert core.idle == 1 and core.waiting == 0 and core.busy == 0  # the next caller gets it
    assert core.lend(0.006) is entry


def test_an_expired_waiter_is_passed_over_for_the_next_one_in_line():
    core = explicit(max=1)
    core.checkout(0.0)
    entry, _ = core.admit(object(), 0.0)
    hasty = core.checkout(0.0, budget=0.1).wait
    patient = core.checkout(0.0, budget=1.0).wait
    unlimited = core.checkout(0.0).wait
    actions = core.checkin(entry, 0.5)
    assert actions.wake == [hasty, patient] and hasty.error is Refusal.EXHAUSTED and hasty.entry is None
    assert patient.entry is entry and unlimited.entry is None and core.waiting == 1


def test_a_waiter_is_served_up_to_its_deadline_itself():
    core = explicit(max=1)
    core.checkout(0.0)
    entry, _ = core.admit(object(), 0.0)
    waiter = core.checkout(0.0, budget=0.25).wait
    assert core.checkin(entry, 0.25).wake == [waiter] and waiter.entry is entry


def test_expired_waiters_of_another_key_wait_for_their_own_sessions():
    core = explicit(max=3)
    core.checkout(0.0, key="a")
    entry, _ = core.admit(object(), 0.0, key="a")
    other = core.checkout(0.0, key="b", budget=0.1).wait
    mine = core.checkout(0.0, key="a", budget=0.1).wait
    actions = core.checkin(entry, 0.5)
    assert actions.wake == [mine] and mine.error is Refusal.EXHAUSTED
    assert other.error is None and core.waiting == 1  # it times out by itself (abandon)


def test_abandoned_waiter_leaves_the_queue():
    core = explicit(max=1)
    core.checkout(0.0)
    entry, _ = core.admit(object(), 0.0)
    w = core.checkout(0.0).wait  # queued behind the first
    w2 = core.checkout(0.0).wait
    assert w is not None and w.entry is None or w.entry is entry


def test_heterogeneous_keys_make_room_at_max():
    core = explicit(max=1)
    core.checkout(0.0, key="a")
    a, _ = core.admit(object(), 0.0, key="a")
    core.checkin(a, 0.0)
    actions = core.checkout(1.0, key="b")
    assert actions.wait and actions.close == [(a, Reason.OVERFLOW)] and actions.spawn == ["b"]


@pytest.mark.parametrize(
    "tags, want, matchany, expected",
    [
        (["x", None, "y"], "x", False, "x"),
        (["x", None, "y"], "z", False, None),
        (["x", None, "y"], "z", True, "y"),
        (["x", "y"], None, False, "y"),
        ([None, "y"], None, False, None),
    ],
)
def test_tag_matching(tags, want, matchany, expected):
    core = PoolCore(PoolSettings(max_idle=10))
    entries = [opened(core) for _ in tags]
    for entry, tag in zip(entries, tags):
        core.checkin(entry, 0.0, tag=tag)
    assert core.checkout(1.0, tag=want, matchany=matchany).lease.tag == expected


def test_close_fails_waiters_and_drains_idle():
    core = explicit(max=2)
    core.checkout(0.0)
    a, _ = core.admit(object(), 0.0)
    core.checkout(0.0)
    b, _ = core.admit(object(), 0.0)
    core.checkin(b, 0.0)
    # pool at max with a busy, b idle; a waiter for another key waits
    actions = core.close()
    assert actions.close == [(b, Reason.CLOSED)]
    assert core.checkout(1.0).refuse is Refusal.CLOSED
    assert core.checkin(a, 1.0).close == [(a, Reason.CLOSED)]


def test_reconfigure_shrinks_busy_surplus_on_release():
    core = explicit(max=2)
    core.checkout(0.0)
    a, _ = core.admit(object(), 0.0)
    core.checkout(0.0)
    b, _ = core.admit(object(), 0.0)
    core.configure(PoolSettings(max=1))
    assert core.checkin(a, 1.0).close == [(a, Reason.OVERFLOW)]
    assert not core.checkin(b, 1.0).close


def test_actions_repr_and_merge():
    merged = Actions(spawn=[1]).merge(Actions(spawn=[2], check_soon=True, retry_after=1.0))
    assert merged.spawn == [1, 2] and merged.check_soon and merged.retry_after == 1.0
    assert "spawn=[1, 2]" in repr(merged)


def test_release_at_max_makes_room_for_a_waiter_of_another_key():
    core = explicit(max=1)
    core.checkout(0.0)
    a, _ = core.admit(object(), 0.0)  # busy, key None
    waiter = core.checkout(0.0, key="b").wait  # at max: nothing idle to close yet
    assert waiter is not None and core.pending == 0
    actions = core.checkin(a, 1.0)
    assert actions.close == [(a, Reason.OVERFLOW)] and actions.spawn == ["b"]
    b, done = core.admit(object(), 1.1, key="b")
    assert waiter.entry is b and done.wake == [waiter]


def test_forced_close_logs_off_busy_sessions_once():
    core = explicit(max=2)
    core.checkout(0.0)
    a, _ = core.admit(object(), 0.0)
    actions = core.close(force=True)
    assert actions.close == [(a, Reason.CLOSED)] and core.busy == 0
    assert not core.checkin(a, 1.0).close and not core.discard(a).close
    assert core.created - sum(core.destroyed.values()) == core.opened == 0


def test_unchecked_session_goes_back_as_it_was():
    core = explicit(max=2, min=0)
    core.checkout(0.0)
    a, _ = core.admit(object(), 0.0)
    core.checkin(a, 1.0)
    assert core.tick(5.0, check_after=1.0).check == [a]
    core.unchecked(a, 5.0)
    assert core.idle == 1 and a.idle_since == 1.0 and a.checked_at == 0.0


# -- the cycle's fast path: lend and take_back -------------------------------


def cycled(settings: PoolSettings, n: int) -> tuple[PoolCore, list]:
    """A core with ``n`` idle sessions, then ``settings``."""
    core = PoolCore(PoolSettings(max_idle=10))
    entries = fill(core, n)
    core.configure(settings)
    return core, entries


def test_lend_and_take_back_do_the_plain_cycle_and_change_nothing_otherwise():
    core, (a,) = cycled(PoolSettings(max=2, ping_interval=5.0), 1)
    assert core.lend(1.0) is a and core.busy == 1 and core.idle == 0 and a.leases == 2
    assert core.take_back(a, 2.0, tag="t") and core.idle == 1 and a.tag == "t" and a.idle_since == 2.0
    assert core.lend(3.0) is None, "another tag on top: checkout picks"
    assert core.lend(7.1, tag="t") is None, "a ping is due"
    a.suspect = True
    assert core.lend(3.0, tag="t") is None
    a.suspect = False
    assert core.lend(3.0, key="other", tag="t") is None
    assert (core.idle, core.busy) == (1, 0)
    assert core.lend(3.0, tag="t") is a


def _waiter(core, b):
    assert core.checkout(0.0).wait is not None


def _over_max(core, b):
    core.configure(PoolSettings(max=1, lifetime=10.0))


SPOILERS = {
    "waiter": _waiter,
    "closed": lambda core, b: core.close(),
    "drained": lambda core, b: core.drain(),
    "lifetime": lambda core, b: None,  # released after it
    "max_idle": lambda core, b: core.configure(PoolSettings(max=2, max_idle=1, lifetime=10.0)),
    "over_max": _over_max,
    "not_busy": lambda core, b: core.checkin(b, 0.0),
}


@pytest.mark.parametrize("case", sorted(SPOILERS))
def test_take_back_declines_what_checkin_decides_otherwise(case):
    core, (a, b) = cycled(PoolSettings(max=2, lifetime=10.0), 2)
    assert core.lend(0.0) is b
    if case in ("waiter", "over_max"):
        assert core.lend(0.0) is a
    SPOILERS[case](core, b)
    now = 11.0 if case == "lifetime" else 1.0
    idle, busy = core.idle, core.busy
    assert not core.take_back(b, now)
    assert (core.idle, core.busy) == (idle, busy)
    if case != "not_busy":
        assert core.checkin(b, now).background, "checkin does more than keep it idle"
