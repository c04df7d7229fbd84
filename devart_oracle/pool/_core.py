"""The pool's decisions: a pure state machine with no locks, no I/O, no clock.

Every pool in devart_oracle (a partition of the global ``connection_pool``, an
explicit ``ConnectionPool`` or ``AsyncConnectionPool``) keeps its bookkeeping
in one :class:`PoolCore`. The thread and asyncio layers take their lock, call
one core method with the current time, release the lock, and only then carry
out the :class:`Actions` it returned: log sessions off, open new ones in the
background, wake waiters. The core never blocks and never talks to a database,
so the stateful hypothesis tests can drive thousands of schedules through it
with a fake clock and no threads.

The states of a session (an :class:`Entry`)::

    opening --> idle <--> busy --> closed
                 |  ^
                 v  |
               checking (the validator pings it outside the lock)

Waiters are served strictly first come, first served, and a session is
handed to a waiter by the core itself (see :mod:`._queue`).

The cycle's fast path (:meth:`PoolCore.lend`, :meth:`PoolCore.take_back`)
makes no :class:`Actions`; in any case but the plainest it changes nothing and
says so, and :meth:`PoolCore.checkout` or :meth:`PoolCore.checkin` decides.

Sessions are grouped by *key* (the user of a heterogeneous pool, else None)
and may carry a *tag*; idle ones are a stack per key (:mod:`._idle`), failed
opens are booked in :mod:`._backoff`, and the layer reports its opens as named
events (``admit``, ``open_failed``, ``open_refused`` and their ``caller_`` twins).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from ._backoff import Backoff, jitter
from ._idle import IdleStacks
from ._lifetime import Lifetimes
from ._queue import WaitQueue
from ._records import Actions, Entry, Failure, GetMode, Key, Outage, PoolSettings, Reason, Refusal, Waiter, Why

# The records are re-exported: layers import them from here.
__all__ = ["Actions", "Entry", "Failure", "GetMode", "Outage", "PoolCore", "PoolSettings", "Reason", "Refusal",
           "Waiter", "Why"]  # fmt: skip


class PoolCore:
    """The bookkeeping of one pool (see the module docstring); ``spread`` jitters retry delays."""

    def __init__(self, settings: PoolSettings, spread: Callable[[float], float] = jitter) -> None:
        self.settings = settings
        self.closed = False
        self._idle = IdleStacks()
        self._busy: set[Entry] = set()
        self._checking: set[Entry] = set()
        self._opening = 0
        self._caller_opening = 0
        self._waiters = WaitQueue()
        self.backoff = Backoff(spread)
        self._stalled = False  # a checkout's ping failed since the last validator pass
        self.created = 0
        self.destroyed: dict[Reason, int] = dict.fromkeys(Reason, 0)
        self.lifetimes = Lifetimes()

    # -- counts ----------------------------------------------------------

    idle = property(lambda self: self._idle.count, doc="Sessions waiting in the pool.")
    busy = property(lambda self: len(self._busy), doc="Sessions lent out.")
    opened = property(lambda self: self._idle.count + len(self._busy) + len(self._checking),
                      doc="Sessions open now: idle, busy and being validated.")  # fmt: skip
    waiting = property(lambda self: len(self._waiters), doc="Callers waiting for a session.")
    pending = property(lambda self: self._opening + self._caller_opening,
                       doc="Sessions being opened, in the background or by callers.")  # fmt: skip

    def _total(self) -> int:
        return self._idle.count + len(self._busy) + len(self._checking) + self._opening + self._caller_opening

    def idle_entries(self) -> Iterator[Entry]:
        """Every idle session, least recently returned first within a key."""
        return iter(self._idle)

    def __repr__(self) -> str:
        return (
            f"<PoolCore opened={self.opened} idle={self.idle} busy={self.busy}"
            f" pending={self.pending} waiting={self.waiting}>"
        )

    # -- the cycle's fast path (see the module docstring) -------------------

    def lend(self, now: float, key: Key = None, tag: str | None = None) -> Entry | None:
        """Lease the top idle session of ``key`` if :meth:`checkout` would hand
        it over at once: its tag is ``tag`` and no ping is due (the stack is
        read in place: this is every pooled acquire)."""
        stack = self._idle.stacks.get(key)
        if not stack or self.closed:
            return None
        entry, interval = stack[-1], self.settings.ping_interval
        if entry.tag != tag or entry.suspect or (interval >= 0 and now - entry.idle_since >= interval):
            return None
        stack.pop()
        self._idle.count -= 1
        entry.leases += 1
        self._busy.add(entry)
        return entry

    def take_back(self, entry: Entry, now: float, tag: str | None = None) -> bool:
        """Keep a healthy session idle if that is all :meth:`checkin` would do
        (no waiter, nothing retires it, room for it: see :meth:`_return`)."""
        s, idle = self.settings, self._idle
        if (self._waiters or self.closed or entry not in self._busy or entry.generation < self.lifetimes.generation
                or (s.lifetime and now - entry.created >= s.lifetime)  # Lifetimes.over
                or (s.max_idle is not None and idle.count >= s.max_idle)
                or (s.max is not None and idle.count + len(self._busy) + len(self._checking)
                    + self._opening + self._caller_opening > s.max)):  # fmt: skip
            return False  # (the _total() that counts this session, still busy)
        stack = idle.stacks.get(entry.key)
        if stack is None:
            return False  # the key's first idle session: push() makes its stack
        self._busy.remove(entry)
        entry.tag, entry.idle_since = tag, now
        stack.append(entry)
        idle.count += 1
        return True

    # -- checkout --------------------------------------------------------

    def checkout(self, now: float, key: Key = None, tag: str | None = None, matchany: bool = False,
                 budget: float | None = None) -> Actions:  # fmt: skip
        """Decide how a caller gets a session: lease, open, wait or refuse (``budget``: seconds it would wait)."""
        if self.closed:
            return Actions(refuse=Refusal.CLOSED)
        entry = self._idle.take(key, tag, matchany)
        if entry is not None and entry.suspect and self._stalled and self.settings.getmode != GetMode.NOWAIT:
            # A ping already failed: the validator checks the rest, callers
            # do not wait on one doubtful session after another (NOWAIT
            # callers, who cannot wait, ping it).
            self._idle.push(entry)
            entry = None
        if entry is not None:
            entry.leases += 1
            self._busy.add(entry)
            interval = self.settings.ping_interval  # a ping is due as lend() says
            return Actions(lease=entry, ping=entry.suspect or (interval >= 0 and now - entry.idle_since >= interval))
        return self._no_idle(now, key, tag, matchany, budget)

    def _no_idle(self, now: float, key: Key, tag: str | None, matchany: bool, budget: float | None) -> Actions:
        limit = self.settings.max
        if limit is None:
            self._caller_opening += 1
            return Actions(open_now=True)
        if self._total() >= limit and len(self._waiters) >= self._opening:
            # At max, and no session under way is left for this caller.
            mode = self.settings.getmode
            if mode == GetMode.FORCEGET:
                self._caller_opening += 1
                return Actions(open_now=True)
            if mode == GetMode.NOWAIT:
                return Actions(refuse=Refusal.EXHAUSTED)
        if not (self.opened or self.pending):
            # Nothing but the pending retry could serve this caller: one
            # whose wait ends before it is due hears so now.
            outage = self.backoff.refusal(key, now, budget, self.settings.getmode == GetMode.NOWAIT)
            if outage is not None:
                return Actions(refuse=outage)
        self.backoff.asked(key)  # a refused logon is tried again
        waiter = Waiter(key, tag, matchany, now, None if budget is None else now + budget)
        self._waiters.append(waiter)
        actions = self._grow()  # always a new Actions: the waiter is added to it
        actions.wait = waiter
        return actions

    def _grow(self) -> Actions:
        """Open sessions for waiters: ``increment`` at a time, never past ``max``.

        Only one batch is in flight at a time. Under a burst, sessions being
        released usually serve the queue long before a logon completes, so
        opening one session per waiter would flood the database for nothing.
        """
        actions = Actions()
        if not self._waiters or self._opening:
            return actions
        first = self._waiters.first_not(self.backoff.paused)
        if first is None:
            return actions
        key = first.key
        limit = self.settings.max
        # No cap (reconfigured away while callers waited): room for a batch.
        room = self.settings.increment if limit is None else limit - self._total()
        if room <= 0:
            return self._make_room(key, actions)
        count = min(self.settings.increment, room)
        self._opening += count
        actions.spawn = [key] * count
        return actions

    def _make_room(self, key: Key, actions: Actions) -> Actions:
        """At ``max``, close an idle session of another key for a waiter of ``key``."""
        victim = None if not self._idle.count or self._idle.has(key) else self._idle.coldest(other_than=key)
        if victim is None:
            return actions
        self._opening += 1
        return Actions(close=[self._count_destroyed(victim, Reason.OVERFLOW)], spawn=[key])

    # -- results of the layer's I/O ---------------------------------------

    def admit(self, conn: Any, now: float, key: Key = None) -> tuple[Entry, Actions]:
        """A background open succeeded: the session serves a waiter or waits idle."""
        self._opening -= 1
        entry = self._opened(conn, now, key, background=True)
        actions = self._return(entry, now)
        return entry, actions.merge(self._grow()).merge(self.replenish())

    def admit_for_caller(self, conn: Any, now: float, key: Key = None) -> tuple[Entry, Actions]:
        """A caller's own open succeeded: the session is leased to it."""
        self._caller_opening -= 1
        entry = self._opened(conn, now, key, background=False)
        if self.closed:
            return entry, Actions(refuse=Refusal.CLOSED, close=[self._count_destroyed(entry, Reason.CLOSED)])
        self._busy.add(entry)
        entry.leases = 1
        return entry, Actions(lease=entry)

    def _opened(self, conn: Any, now: float, key: Key, background: bool) -> Entry:
        self.created += 1
        self.backoff.opened(key, background)
        return self.lifetimes.stamp(Entry(conn, key, now))

    def caller_open_failed(self, key: Key = None) -> Actions:
        """A caller's own open failed (the caller hears the error itself)."""
        self._caller_opening -= 1
        return Actions()

    def caller_open_refused(self, key: Key = None) -> Actions:
        """The database refused a caller's own logon: ``min`` waits for the next caller."""
        self.backoff.refuse(key)
        return self.caller_open_failed(key)

    def open_failed(self, error: BaseException, key: Key = None, *, now: float, ticket: int = 0) -> Actions:
        """A background open (begun when ``backoff.ticket(key)`` was ``ticket``) failed at ``now``.

        See :mod:`._backoff` for when the key pauses; its retry is due within
        half the time the first waiting caller has left (the rest is for the
        logon). Waiters keep waiting while the retry or a release may serve
        them: only those whose wait ends before the retry hear of it now.
        """
        self._opening -= 1
        patience = self._waiters.patience(key, now)
        delay = self.backoff.failed(key, error, now, ticket, None if patience is None else patience / 2)
        actions = Actions(retry_after=delay, retry_key=key)
        pending = self.backoff.down(key)
        if pending is not None and not (self._busy or self._opening):
            actions.wake = self._waiters.fail(key, Outage(error, Why.BUDGET, pending.due - now), pending.due)
        return actions.merge(self._grow()).merge(self.replenish())

    def open_refused(self, error: BaseException, key: Key = None) -> Actions:
        """The database refused a background logon: every waiter of the key
        gets the error, and nothing is retried until a new caller asks."""
        self._opening -= 1
        self.backoff.refuse(key)
        return Actions(wake=self._waiters.fail(key, Outage(error, Why.REFUSED))).merge(self._grow())

    def ping_failed(self, entry: Entry, now: float) -> Actions:
        """A leased session failed its ping: log it off; the caller checks out again."""
        if entry not in self._busy:  # a forced close logged it off already
            return Actions()
        self._busy.remove(entry)
        self._stalled = True
        return self._dead(entry)

    def checkin(self, entry: Entry, now: float, healthy: bool | None = True, tag: str | None = None) -> Actions:
        """Take a session back from its borrower (or from a waiter that gave up).

        ``healthy=False``: the session is broken (the pool turns suspect);
        ``None``: it is fine but not fit to lend again (state that could not
        be reset), so it is logged off quietly. A session the pool no longer
        counts as lent (a forced close logged it off already) is ignored.
        """
        if entry not in self._busy:
            return Actions()
        self._busy.remove(entry)
        if healthy is None:
            return self._logoff(entry, Reason.DROPPED)
        if not healthy:
            return self._dead(entry)
        entry.tag = tag
        return self._return(entry, now)

    def discard(self, entry: Entry, reason: Reason = Reason.DROPPED) -> Actions:
        """Log off a busy session for good (``pool.drop()``) and free its slot."""
        if entry not in self._busy:
            return Actions()
        self._busy.remove(entry)
        return self._logoff(entry, reason)

    def _logoff(self, entry: Entry, reason: Reason) -> Actions:
        """Log a session off; its slot may serve a waiter or ``min``."""
        actions = Actions(close=[self._count_destroyed(entry, reason)])
        return actions.merge(self._grow()).merge(self.replenish())

    def _dead(self, entry: Entry) -> Actions:
        """Log a dead session off: its siblings turn suspect, the validator runs soon."""
        self._idle.mark_suspect()
        actions = self._logoff(entry, Reason.INVALID)
        actions.check_soon = True
        return actions

    def _return(self, entry: Entry, now: float, idle_since: float | None = None) -> Actions:
        """Route a live session: log it off, grant it to a waiter, or keep it idle."""
        reason = self._retire_reason(entry, now)
        if reason is not None:
            return self._logoff(entry, reason)
        # A waiter whose wait ended (its thread or task may not have run
        # since) is refused, not served: the pool's clock decides (_queue).
        late, waiter = self._waiters.claim(entry.key, now) if self._waiters else ([], None)
        if waiter is not None:
            self._grant(waiter, entry)
            return Actions(wake=[*late, waiter])
        limit = self.settings.max_idle
        if limit is not None and self._idle.count >= limit:
            return Actions(close=[self._count_destroyed(entry, Reason.OVERFLOW)], wake=late)
        entry.idle_since = now if idle_since is None else idle_since
        self._idle.push(entry)
        # Waiters of other keys: at max, this session may make room for them.
        return Actions(wake=late).merge(self._grow()) if self._waiters else Actions(wake=late)

    def _retire_reason(self, entry: Entry, now: float) -> Reason | None:
        if self.closed:
            return Reason.CLOSED
        reason = self.lifetimes.retired(entry, self.settings, now)
        if reason is not None:
            return reason
        limit = self.settings.max
        if limit is not None and self._total() >= limit:
            return Reason.OVERFLOW
        return None

    def _grant(self, waiter: Waiter, entry: Entry) -> None:
        """Lease ``entry`` to a waiter already taken out of the queue."""
        self._busy.add(entry)
        entry.leases += 1
        waiter.entry = entry

    def abandon(self, waiter: Waiter, now: float) -> Actions:
        """A waiter gave up; a session already granted to it goes back."""
        if waiter.entry is None:
            self._waiters.discard(waiter)
            if waiter.error is None:  # its wait ended while the database looked down: it hears so
                waiter.error = self.backoff.heard(waiter.key, now)
            return Actions()
        entry, waiter.entry = waiter.entry, None
        return self.checkin(entry, now, tag=entry.tag)

    # -- upkeep ----------------------------------------------------------

    def mark_suspect(self) -> Actions:
        """A fatal error was seen: validate every idle session before reuse."""
        self._idle.mark_suspect()
        return Actions(check_soon=bool(self._idle))

    def replenish(self) -> Actions:
        """Open sessions in the background until ``min`` are open or opening."""
        deficit = self.settings.min - self._total()
        if self.closed or deficit <= 0 or self.backoff.holds_min():
            return Actions()
        self._opening += deficit
        return Actions(spawn=[None] * deficit)

    def retry(self, key: Key = None) -> Actions:
        """After a backoff of ``key``: open again what waiters and ``min`` still need."""
        self.backoff.retried(key, wanted=self._waiters.wants(key))
        return self._grow().merge(self.replenish())

    def tick(self, now: float, check_after: float) -> Actions:
        """The validator's pass at time ``now``.

        Logs off idle sessions past their lifetime, and those idle longer than
        ``idle_timeout`` while more than ``min`` are open (coldest first); takes
        out for a ping the suspect ones and those idle at least
        ``check_after`` seconds; and opens sessions to restore ``min``.
        """
        self._stalled = False  # every suspect session is checked now
        spare = self._total() - self.settings.min
        expired, check = self.lifetimes.sweep(self._idle, self.settings, now, check_after, spare)
        self._checking.update(check)
        close = [self._count_destroyed(entry, reason) for entry, reason in expired]
        return Actions(close=close, check=check).merge(self.replenish())

    def checked(self, entry: Entry, now: float, alive: bool) -> Actions:
        """Report a validator ping; a live session goes back (or to a waiter)."""
        self._checking.discard(entry)
        if not alive:
            self._idle.mark_suspect()
            return self._logoff(entry, Reason.INVALID)
        entry.suspect = False
        entry.checked_at = now
        return self._return(entry, now, idle_since=entry.idle_since)

    def unchecked(self, entry: Entry, now: float) -> Actions:
        """A session taken out for a ping that never happened (the pass was
        interrupted) goes back as it was."""
        self._checking.discard(entry)
        return self._return(entry, now, idle_since=entry.idle_since)

    def clear(self) -> Actions:
        """Log off every idle session."""
        return Actions(close=self._drain(Reason.CLEARED))

    def drain(self) -> Actions:
        """Retire every session: idle ones now, busy ones as they come back."""
        self.lifetimes.generation += 1
        return Actions(close=self._drain(Reason.DRAINED)).merge(self.replenish())

    def _drain(self, reason: Reason) -> list[tuple[Entry, Reason]]:
        return [self._count_destroyed(entry, reason) for entry in self._idle.drain()]

    def close(self, force: bool = False) -> Actions:
        """Close the pool: idle sessions go now, busy ones when released
        (or now too, with ``force``)."""
        self.closed = True
        failed = self._waiters.take_all(Refusal.CLOSED)
        closing = self._drain(Reason.CLOSED)
        if force:
            closing += [self._count_destroyed(entry, Reason.CLOSED) for entry in self._busy]
            self._busy.clear()
        return Actions(close=closing, wake=failed)

    def forget(self) -> list[Entry]:
        """Drop every session without logging off (the process forked)."""
        entries, self._busy, self._checking = [*self._idle.drain(), *self._busy, *self._checking], set(), set()
        return entries

    def configure(self, settings: PoolSettings) -> Actions:
        """Apply new settings; idle surplus is logged off at once."""
        self.settings = settings
        close = []
        while self._idle and self._idle_over(settings):
            victim = self._idle.coldest_of_largest()
            close.append(self._count_destroyed(victim, Reason.OVERFLOW))
        return Actions(close=close).merge(self._grow()).merge(self.replenish())

    def _idle_over(self, s: PoolSettings) -> bool:
        over_idle = s.max_idle is not None and self._idle.count > s.max_idle
        return over_idle or (s.max is not None and self._total() > s.max)

    def _count_destroyed(self, entry: Entry, reason: Reason) -> tuple[Entry, Reason]:
        self.destroyed[reason] += 1
        return entry, reason


