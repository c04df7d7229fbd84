"""Stateful hypothesis tests: the pure core against random schedules.

The machine plays the layer: it carries out every action the core returns
(opens in the background, pings, waits, abandons) at random moments, with a
fake clock, and checks after each step that no session is lost, duplicated or
handed to two borrowers, that caps hold, and that waiters are served first
come, first served.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from devart_oracle.pool._core import Actions, Entry, GetMode, PoolCore, PoolSettings, Waiter

KEYS = st.sampled_from([None, None, "b"])
TAGS = st.sampled_from([None, None, "x", "y"])

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
        self.spawns: list[object] = []  # background opens in flight
        self.caller_opens: list[object] = []  # callers opening themselves
        self.waiters: list[Waiter] = []
        self.woken: list[Waiter] = []
        self.closed: set[int] = set()
        self.graveyard: list[Entry] = []
        self.retries: list[object] = []  # keys with a retry timer pending
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
        self.spawns.extend(actions.spawn)
        self.to_check.extend(actions.check)
        for waiter in actions.wake:
            # Woken, but the waiting caller has not run yet: it may still
            # time out (abandon) before it takes what it was granted.
            assert waiter in self.waiters and waiter.done
            self.waiters.remove(waiter)
            self.woken.append(waiter)

    def conn(self) -> int:
        self.serial += 1
        return self.serial

    @initialize(s=SETTINGS)
    def create(self, s: PoolSettings) -> None:
        self.core = PoolCore(s)
        self.apply(self.core.replenish())

    # -- callers --------------------------------------------------------------

    @precondition(lambda self: self.core is not None)
    @rule(key=KEYS, tag=TAGS, matchany=st.booleans())
    def checkout(self, key: object, tag: str | None, matchany: bool) -> None:
        assert self.core is not None
        actions = self.core.checkout(self.now, key, tag, matchany)
        self.apply(actions)
        if actions.lease is not None:
            (self.to_ping if actions.ping else self.borrowed).append(actions.lease)
        elif actions.open_now:
            self.caller_opens.append(key)
        elif actions.wait is not None:
            self.waiters.append(actions.wait)

    @precondition(lambda self: self.to_ping)
    @rule(data=st.data(), alive=st.booleans())
    def ping(self, data: st.DataObject, alive: bool) -> None:
        assert self.core is not None
        entry = self.to_ping.pop(data.draw(st.integers(0, len(self.to_ping) - 1)))
        if alive and id(entry) not in self.closed:
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
            self.apply(self.core.checkin(entry, self.now, healthy, tag))

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
    @rule(ok=st.booleans(), data=st.data())
    def background_open(self, ok: bool, data: st.DataObject) -> None:
        assert self.core is not None
        key = self.spawns.pop(0)
        if ok:
            self.apply(self.core.admit(self.conn(), self.now, key)[1])
        else:
            failed = self.core.open_failed if data.draw(st.booleans()) else self.core.open_refused
            self.apply(failed(OSError("down"), key=key))

    @precondition(lambda self: self.retries)
    @rule(data=st.data())
    def retry(self, data: st.DataObject) -> None:
        assert self.core is not None
        key = self.retries.pop(data.draw(st.integers(0, len(self.retries) - 1)))
        self.apply(self.core.retry(key))

    @precondition(lambda self: self.core is not None)
    @rule(step=st.sampled_from([0.0, 0.5, 2.0, 6.0]))
    def tick(self, step: float) -> None:
        assert self.core is not None
        self.now += step
        self.apply(self.core.tick(self.now, check_after=1.0))

    @precondition(lambda self: self.to_check)
    @rule(alive=st.booleans())
    def checked(self, alive: bool) -> None:
        assert self.core is not None
        self.apply(self.core.checked(self.to_check.pop(0), self.now, alive))

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
    @rule(force=st.booleans())
    def close(self, force: bool) -> None:
        assert self.core is not None
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


TestCore = CoreMachine.TestCase
TestCore.settings = settings(
    max_examples=200, stateful_step_count=50, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
