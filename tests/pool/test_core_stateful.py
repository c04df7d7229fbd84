"""Stateful hypothesis tests: the pure core against random schedules.

The machine plays the layer: it carries out every action the core returns
(opens in the background, pings, waits, abandons) at random moments, with a
fake clock, and checks after each step that no session is lost, duplicated or
handed to two borrowers, that caps hold, and that waiters are served first
come, first served. During outages it checks the rules of issue 15: a caller
is refused at once only when its wait ends before the pending retry (or it
does not wait at all), a caller without a wait limit hears of the outage once
a fresh attempt failed (never of a transient fault), a retry is never due after a waiting caller's budget,
and the first failed open in a row never makes the database look down.
The cycle's fast path (``lend``, ``take_back``) is checked against a copy of
the core taking the full path: the same session, the same state, or nothing
changed at all.
"""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from devart_oracle.pool._core import Actions, Entry, GetMode, Outage, PoolCore, PoolSettings, Waiter, Why

KEYS = st.sampled_from([None, None, "b"])
TAGS = st.sampled_from([None, None, "x", "y"])
BUDGETS = st.one_of(st.none(), st.sampled_from([0.0, 0.02, 0.2, 5.0]))  # seconds a caller would wait

SETTINGS = st.builds(
    PoolSettings,
    min=st.integers(0, 2),
    max=st.one_of(st.none(), st.integers(2, 4)),
    max_idle=st.one_of(st.none(), st.integers(1, 4)),
    increment=st.integers(1, 2),
    lifetime=st.sampled_from([0.0, 5.0]),
    idle_timeout=st.sampled_from([0.0, 3.0]),
    ping_interval=st.sampled_from([-1.0, 0.0, 2.0]),
    getmode=st.sampled_from(list(GetMode)),
    lifetime_spread=st.sampled_from([0.0, 0.1, 0.5]),
)


class CoreMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.core: PoolCore | None = None
        self.now = 0.0
        self.serial = 0
        self.borrowed: list[Entry] = []  # held by callers
        self.to_ping: list[Entry] = []  # leased, awaiting the caller's ping
        self.to_check: list[Entry] = []  # taken out by the validator
        self.spawns: list[tuple[object, int]] = []  # background opens in flight: key, ticket
        self.caller_opens: list[object] = []  # callers opening themselves
        self.waiters: list[Waiter] = []
        self.woken: list[Waiter] = []
        self.closed: set[int] = set()
        self.graveyard: list[Entry] = []
        self.retries: list[object] = []  # keys with a retry timer pending
        self.outage = False  # the database is down: opens fail, sessions die
        self.zombies: list[Entry] = []  # held by callers, logged off by a forced close

    # -- carrying out actions -----------------------------------------------

    def apply(self, actions: Actions) -> None:
        for entry, _ in actions.close:
            assert id(entry) not in self.closed, "a session was logged off twice"
            self.closed.add(id(entry))
            self.graveyard.append(entry)  # keeps ids unique
            if entry in self.borrowed:
                self.borrowed.remove(entry)
                self.zombies.append(entry)
        if actions.retry_after is not None:
            assert actions.retry_key not in self.retries, "two retries pending for one key"
            self.retries.append(actions.retry_key)
        if actions.spawn and self.core is not None and self.core.settings.max is not None:
            total = self.core.opened + self.core.pending
            assert total <= self.core.settings.max, "a background open would exceed max"
        if self.core is not None:
            self.spawns.extend((key, self.core.backoff.ticket(key)) for key in actions.spawn)
        self.to_check.extend(actions.check)
        for waiter in actions.wake:
            # Woken, but the waiting caller has not run yet: it may still
            # time out (abandon) before it takes what it was granted.
            assert waiter in self.waiters and waiter.done
            late = waiter.deadline is not None and waiter.deadline < self.now
            assert not (late and waiter.entry is not None), "a session was granted to a waiter whose wait had ended"
            self.waiters.remove(waiter)
            self.woken.append(waiter)

    def conn(self) -> int:
        self.serial += 1
        return self.serial

    @initialize(s=SETTINGS)
    def create(self, s: PoolSettings) -> None:
        self.core = PoolCore(s, spread=lambda delay: delay)  # no jitter: hypothesis replays exactly
        self.apply(self.core.replenish())

    # -- callers --------------------------------------------------------------

    @precondition(lambda self: self.core is not None)
    @rule(key=KEYS, tag=TAGS, matchany=st.booleans(), budget=BUDGETS)
    def checkout(self, key: object, tag: str | None, matchany: bool, budget: float | None) -> None:
        assert self.core is not None
        core = self.core
        pending = core.backoff.down(key)
        # Refused at once exactly when waiting could not help: only the retry
        # could serve the caller, and it does not wait that long (or at all).
        nowait = core.settings.getmode == GetMode.NOWAIT
        hopeless = pending is not None and not (core.closed or core.settings.max is None or core.opened or core.pending)
        short = nowait or (budget is not None and pending is not None and self.now + budget < pending.due)
        actions = core.checkout(self.now, key, tag, matchany, budget)
        assert isinstance(actions.refuse, Outage) == (hopeless and short)
        if isinstance(actions.refuse, Outage):
            assert actions.refuse.why is (Why.NOWAIT if nowait else Why.BUDGET)
        self.apply(actions)
        if actions.lease is not None:
            (self.to_ping if actions.ping else self.borrowed).append(actions.lease)
        elif actions.open_now:
            self.caller_opens.append(key)
        elif actions.wait is not None:
            self.waiters.append(actions.wait)

    @precondition(lambda self: self.core is not None)
    @rule(key=KEYS, tag=TAGS, matchany=st.booleans())
    def lend(self, key: object, tag: str | None, matchany: bool) -> None:
        """The layer's fast path: ``lend`` first, ``checkout`` when it declines."""
        assert self.core is not None
        full, before = copy.deepcopy(self.core), _state(self.core)
        entry = self.core.lend(self.now, key, tag)
        if entry is None:
            assert _state(self.core) == before, "lend declined but changed the core"
            self.checkout(key, tag, matchany, None)
            return
        actions = full.checkout(self.now, key, tag, matchany)
        assert actions.lease is not None and actions.lease.conn == entry.conn and not actions.ping
        assert not actions.background and _state(full) == _state(self.core), "lend did not do what checkout does"
        self.borrowed.append(entry)

    @precondition(lambda self: self.borrowed)
    @rule(data=st.data(), tag=TAGS)
    def take_back(self, data: st.DataObject, tag: str | None) -> None:
        """The layer's fast path for a healthy session: ``take_back``, else ``checkin``."""
        assert self.core is not None
        entry = self.borrowed.pop(data.draw(st.integers(0, len(self.borrowed) - 1)))
        full, before = copy.deepcopy(self.core), _state(self.core)
        if self.outage or not self.core.take_back(entry, self.now, tag):  # a dead session is no fast path's
            assert _state(self.core) == before, "take_back declined but changed the core"
            self.apply(self.core.checkin(entry, self.now, not self.outage, tag))
            return
        twin = next(e for e in (*full._busy, *full.idle_entries()) if e.conn == entry.conn)
        actions = full.checkin(twin, self.now, True, tag)
        assert not actions.background and _state(full) == _state(self.core), "take_back did not do what checkin does"

    @precondition(lambda self: self.to_ping)
    @rule(data=st.data(), alive=st.booleans())
    def ping(self, data: st.DataObject, alive: bool) -> None:
        assert self.core is not None
        entry = self.to_ping.pop(data.draw(st.integers(0, len(self.to_ping) - 1)))
        if alive and not self.outage and id(entry) not in self.closed:
            self.borrowed.append(entry)
        else:
            self.apply(self.core.ping_failed(entry, self.now))

    @precondition(lambda self: self.caller_opens)
    @rule(ok=st.booleans())
    def caller_open(self, ok: bool) -> None:
        assert self.core is not None
        key = self.caller_opens.pop(0)
        if not ok:
            self.apply(self.core.caller_open_failed(key))
            return
        entry, actions = self.core.admit_for_caller(self.conn(), self.now, key)
        self.apply(actions)
        if actions.lease is not None:
            self.borrowed.append(entry)

    @precondition(lambda self: self.borrowed)
    @rule(data=st.data(), healthy=st.booleans(), tag=TAGS, drop=st.booleans())
    def release(self, data: st.DataObject, healthy: bool, tag: str | None, drop: bool) -> None:
        assert self.core is not None
        entry = self.borrowed.pop(data.draw(st.integers(0, len(self.borrowed) - 1)))
        if drop:
            self.apply(self.core.discard(entry))
        else:
            self.apply(self.core.checkin(entry, self.now, healthy and not self.outage, tag))

    @precondition(lambda self: self.zombies)
    @rule()
    def release_zombie(self) -> None:
        assert self.core is not None
        actions = self.core.checkin(self.zombies.pop(), self.now)
        assert not actions.background, "a session logged off by a forced close came back"

    @precondition(lambda self: self.woken)
    @rule()
    def wake_up(self) -> None:
        waiter = self.woken.pop(0)
        if waiter.entry is not None:
            closed = id(waiter.entry) in self.closed
            (self.zombies if closed else self.borrowed).append(waiter.entry)

    @precondition(lambda self: self.waiters or self.woken)
    @rule(data=st.data())
    def abandon(self, data: st.DataObject) -> None:
        assert self.core is not None
        queue = data.draw(st.sampled_from([q for q in (self.waiters, self.woken) if q]))
        waiter = queue.pop(data.draw(st.integers(0, len(queue) - 1)))
        self.apply(self.core.abandon(waiter, self.now))
        assert waiter.entry is None

    # -- background -----------------------------------------------------------

    @precondition(lambda self: self.spawns)
    @rule(ok=st.booleans(), refused=st.booleans(), late=st.booleans())
    def background_open(self, ok: bool, refused: bool, late: bool) -> None:
        assert self.core is not None
        key, ticket = self.spawns.pop(0)
        if ok and not self.outage:
            self.apply(self.core.admit(self.conn(), self.now, key)[1])
        elif refused and not self.outage:
            self.apply(self.core.open_refused(OSError("refused"), key=key))
        else:
            # ``late``: the open began only after later failures were booked.
            self.open_failed(key, self.core.backoff.ticket(key) if late else ticket)

    def open_failed(self, key: object, ticket: int) -> None:
        assert self.core is not None
        book = self.core.backoff
        fresh = ticket == book.ticket(key)
        first = fresh and not book.failures.get(key)
        before = (book.failures.get(key), book.down(key))
        actions = self.core.open_failed(OSError("down"), key=key, now=self.now, ticket=ticket)
        if first:
            assert book.down(key) is None, "one failed open made the database look down"
        if not fresh:
            assert (book.failures.get(key), book.down(key)) == before, "a stale failure was booked"
        if actions.retry_after is not None:
            due = self.now + actions.retry_after
            for waiter in self.waiters:
                if waiter.key == key and waiter.deadline is not None and waiter.deadline > self.now:
                    assert due <= waiter.deadline, "the retry is due after a waiting caller gives up"
        pending = self.core.backoff.down(key)
        for waiter in actions.wake:
            assert isinstance(waiter.error, Outage) and waiter.error.why is Why.BUDGET
            # those whose wait ends before the retry, and WAIT callers once the database looks down
            assert pending is not None and (waiter.deadline is None or waiter.deadline < pending.due)
        self.apply(actions)

    @rule()
    def database_goes_down_or_up(self) -> None:
        self.outage = not self.outage

    @precondition(lambda self: self.outage and (self.spawns or self.to_check))
    @rule()
    def outage_is_found(self) -> None:
        """Everything under way fails, fast retries included (sessions idle
        or lent out die as the validator or their borrowers find them)."""
        assert self.core is not None
        while self.to_check:
            self.apply(self.core.checked(self.to_check.pop(0), self.now, alive=False))
        while self.spawns:
            key, ticket = self.spawns.pop(0)
            self.open_failed(key, ticket)

    @precondition(lambda self: self.retries)
    @rule(data=st.data())
    def retry(self, data: st.DataObject) -> None:
        assert self.core is not None
        key = self.retries.pop(data.draw(st.integers(0, len(self.retries) - 1)))
        self.apply(self.core.retry(key))

    @precondition(lambda self: self.core is not None)
    @rule(step=st.sampled_from([0.0, 0.01, 0.5, 2.0, 6.0]))
    def tick(self, step: float) -> None:
        assert self.core is not None
        self.now += step
        self.apply(self.core.tick(self.now, check_after=1.0))

    @precondition(lambda self: self.to_check)
    @rule(alive=st.booleans())
    def checked(self, alive: bool) -> None:
        assert self.core is not None
        self.apply(self.core.checked(self.to_check.pop(0), self.now, alive and not self.outage))

    @precondition(lambda self: self.core is not None)
    @rule(s=SETTINGS)
    def configure(self, s: PoolSettings) -> None:
        assert self.core is not None
        self.apply(self.core.configure(s))

    @precondition(lambda self: self.core is not None)
    @rule()
    def clear(self) -> None:
        assert self.core is not None
        self.apply(self.core.clear())

    @precondition(lambda self: self.core is not None)
    @rule()
    def drain(self) -> None:
        assert self.core is not None
        self.apply(self.core.drain())

    @precondition(lambda self: self.core is not None and not self.core.closed)
    @rule(force=st.booleans(), now=st.integers(0, 9))
    def close(self, force: bool, now: int) -> None:
        assert self.core is not None
        if now == 0:  # rarely: a closed pool refuses everything, so little else is tried after
            self.apply(self.core.close(force))

    # -- invariants -----------------------------------------------------------

    @invariant()
    def sessions_are_conserved(self) -> None:
        core = self.core
        if core is None:
            return
        idle = list(core.idle_entries())
        granted = [w.entry for w in self.woken if w.entry is not None and id(w.entry) not in self.closed]
        to_ping = [e for e in self.to_ping if id(e) not in self.closed]
        held = idle + self.borrowed + to_ping + self.to_check + granted
        assert len({id(e) for e in held}) == len(held), "a session is in two places"
        assert not {id(e) for e in held} & self.closed, "a logged-off session is still in use"
        assert core.opened == len(held)
        assert core.created - sum(core.destroyed.values()) == core.opened
        assert core.idle == len(idle), "the idle count drifted from the stacks"
        assert core.pending == len(self.spawns) + len(self.caller_opens)

    @invariant()
    def waiters_are_served_in_order(self) -> None:
        core = self.core
        if core is None:
            return
        assert core.waiting == len(self.waiters)
        for waiter in self.waiters:
            assert not waiter.done
            usable = [e for e in core.idle_entries() if e.key == waiter.key and not (e.suspect and core._stalled)]
            assert not usable, "a waiter starves beside an idle session"

    @invariant()
    def waiters_are_never_stranded(self) -> None:
        core = self.core
        if core is not None and core.waiting:
            under_way = core.pending or core.busy or self.to_check or self.retries
            assert under_way, "callers wait with nothing under way that could serve them"
            if not (core.pending or self.retries or core._stalled):
                # Same key: it is theirs; another key: it is closed to make room.
                assert not core.idle, "callers wait beside an idle session"

    @invariant()
    def idle_cap_holds(self) -> None:
        core = self.core
        if core is not None and core.settings.max_idle is not None:
            assert core.idle <= core.settings.max_idle


def _state(core: PoolCore) -> tuple[object, ...]:
    """What a core holds, by connection: idle (in order, with tags and idle
    times), busy, counts."""
    idle = [(e.conn, e.tag, e.idle_since, e.leases) for e in core.idle_entries()]
    busy = sorted((e.conn, e.leases) for e in core._busy)
    return idle, busy, core.idle, core.opened, core.pending, core.waiting, dict(core.destroyed)


TestCore = CoreMachine.TestCase
TestCore.settings = settings(
    max_examples=200, stateful_step_count=50, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
