"""The control flow shared by the thread and asyncio layers, written once.

A pool operation that needs I/O (validate a leased session, open one for the
caller, wait for a release, a background open, a validator pass) is a
generator here that *yields* each step it needs (:class:`Ping`, :class:`Open`,
:class:`Wait`) and receives the result: the thread layer (:mod:`._sync`)
performs it by blocking, the asyncio layer (:mod:`._async`) by awaiting. So
the layers cannot drift: they differ only in how a step is performed and how
side effects (log off, spawn, wake) are carried out. A step's ``limit`` is
what is left of the caller's wait (:mod:`._steps`); a step that ended
:data:`LATE` reports through ``late_ping`` or ``late_open``, so a session
pinged too slowly is never handed out and one opened too late serves the pool.

Time comes from ``clock()`` and ``schedule(delay, fn)`` (retries of failed
opens; None: the layer's timer), both a test's fake clock. Core calls hold a
:class:`threading.Lock`, never across I/O (never blocking an event loop for
longer than a core call); the cycle's fast path asks the core once each way.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Hashable
from typing import Any

from ._core import (
    Actions,
    Entry,
    PoolCore,
    PoolSettings,
    Reason,
    Refusal,
    Waiter,
)
from ._leaks import report
from ._metrics import PoolMetrics, watch
from ._steps import LATE, ErrorFactory, Open, Ping, Schedule, Steps, Wait

__all__ = ["PoolEngine"]

logger = logging.getLogger("devart_oracle.pool")


class PoolEngine:
    """A lock, a core, a clock and the shared control flow; layers add the I/O."""

    def __init__(
        self,
        settings: PoolSettings,
        error: ErrorFactory,
        *,
        clock: Callable[[], float] = time.monotonic,
        schedule: Schedule | None = None,
        on_suspect: Callable[[], None] = lambda: None,
        on_orphan: Callable[[], None] = lambda: None,
        refused: Callable[[BaseException], bool] = lambda exc: False,
    ) -> None:
        self.core = PoolCore(settings)
        self.clock = clock
        self.schedule = schedule
        self.refused = refused  # True for a logon the database refused: never retried in the background
        # Sessions of handles the garbage collector found unclosed, with
        # whether they are clean. __del__ may run while this very thread holds
        # the lock, so it only appends here (atomic, no lock); the next
        # release, checkout or validator pass takes them back.
        self.orphans: deque[tuple[Entry, bool | None]] = deque()
        self.lock = threading.Lock()
        self.error = error
        self.on_suspect = on_suspect
        self.on_orphan = on_orphan
        self.metrics = PoolMetrics()
        watch(self)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.core!r}>"

    def run(self, actions: Actions) -> None:
        """Carry out a core decision (the layer's job); the lock is not held."""
        raise NotImplementedError

    def call(self, method: Callable[..., Actions], **kwargs: Any) -> Actions:
        """Run one core method under the lock, then its actions outside it.

        Arguments go by name, so that a call site says what each one means.
        """
        with self.lock:
            actions = method(**kwargs)
        self.run(actions)
        return actions

    def lend(self, key: Hashable, tag: str | None) -> Entry | None:
        """An idle session the core hands over at once, counted (as ``served_at_once``); None: ask checkout()."""
        if self.orphans:
            return None
        lock = self.lock
        lock.acquire()  # not ``with``: a third of the cost, on the path every acquire takes
        try:
            now = self.clock()
            entry = self.core.lend(now, key, tag)
            if entry is not None:
                metrics, entry.leased_at = self.metrics, now
                metrics.requests_num += 1
                metrics.wait.append(0.0)
                if metrics.watched:
                    metrics.lent(entry, now, 0.0)
        finally:
            lock.release()
        return entry

    def checkout(self, key: Hashable, tag: str | None, matchany: bool, budget: float | None = None,
                 again: bool = False) -> Actions:  # fmt: skip
        """Ask the core for a session (no generator, no I/O); ``budget``: seconds the caller
        would wait (None: for ever); ``again``: the same request, after a failed ping."""
        if self.orphans:
            self.call(self._adopt)
        with self.lock:
            now = self.clock()
            actions = self.core.checkout(now, key, tag, matchany, budget)
            waiter = actions.wait
            if waiter is not None:
                waiter.token = self.new_token()  # before anyone can grant: the grant wakes it
            if not again:
                metrics = self.metrics
                if actions.lease is not None and not actions.ping:
                    metrics.served_at_once(actions.lease, now)
                else:  # obtain() follows: counted as it begins, and as queued once it waits
                    metrics.requests_num += 1
                    metrics.requests_queued += waiter is not None
            return actions

    def new_token(self) -> Any:
        """The layer's wake-up for a new waiter (made under the lock); the grant releases it."""
        raise NotImplementedError

    def release(self, entry: Entry, healthy: bool | None = True, tag: str | None = None) -> None:
        """Give a borrowed session back (``healthy``: see :meth:`PoolCore.checkin`);
        one the core just keeps is counted inline (as ``returned``)."""
        lock = self.lock
        lock.acquire()  # as in lend()
        try:
            now = self.clock()
            metrics = self.metrics
            if healthy is True and not (metrics.watched or self.orphans) and self.core.take_back(entry, now, tag):
                held = now - entry.leased_at
                metrics.use.append(held)
                metrics.usage += held
                return
            metrics.returned(entry, now, healthy)
            actions = self.core.checkin(entry, now, healthy, tag)
            if self.orphans:
                actions.merge(self._adopt())
        finally:
            lock.release()
        if actions.background:
            self.run(actions)

    def orphan(self, entry: Entry, healthy: bool | None) -> None:
        """A handle was collected without close(): take its session back soon
        (``healthy`` as for :meth:`release`), and have upkeep run at once for
        a waiting caller. Safe from ``__del__`` at any point, even under this
        pool's lock: the layer's ``on_orphan`` must take no lock either."""
        self.orphans.append((entry, healthy))
        try:
            self.on_orphan()
        except Exception:  # a closed event loop, a stopped validator: the next call adopts it
            pass

    def _adopt(self) -> Actions:
        """Take the orphans' sessions back (under the lock)."""
        actions = Actions()
        now = self.clock()
        while self.orphans:
            entry, healthy = self.orphans.popleft()
            self.metrics.returned(entry, now, healthy)
            actions.merge(self.core.checkin(entry, now, healthy, entry.tag))
        return actions

    def forget_after_fork(self) -> list[Any]:
        """In a forked child: start afresh (a new lock, a core with no
        session, waiter or pending open); returns the parent's sessions,
        which the caller disowns without logging them off."""
        self.lock = threading.Lock()
        old, self.core = self.core, PoolCore(self.core.settings)
        self.core.closed = old.closed
        inherited = [entry.conn for entry in old.forget()]
        inherited += [entry.conn for entry, _ in self.orphans]
        self.orphans.clear()
        return inherited

    def drop(self, entry: Entry) -> None:
        """Log a borrowed session off for good and free its slot."""
        with self.lock:
            self.metrics.returned(entry, self.clock(), True)
            actions = self.core.discard(entry)
        self.run(actions)

    def drain(self) -> None:
        """Retire every session: idle ones now, busy ones as they come back."""
        self.call(self.core.drain)

    def figures(self, reset: bool = False) -> dict[str, Any]:
        """The pool's statistics (see :meth:`PoolMetrics.snapshot`); ``reset`` zeroes the counters."""
        with self.lock:
            return self.metrics.snapshot(self.core, reset)

    # -- the shared control flow -----------------------------------------

    def obtain(
        self, actions: Actions, started: float, key: Hashable, tag: str | None, matchany: bool, timeout: float | None
    ) -> Steps:
        """An acquire begun at ``started`` past a first checkout (``actions``, which counted the request)
        that handed over no idle session at once; checks out again after a failed ping.
        Returns (entry, opened_for_this_call), counted."""
        try:
            got = yield from self._obtain(actions, started, key, tag, matchany, timeout)
        except BaseException:
            with self.lock:
                self.metrics.requests_errors += 1
            raise
        with self.lock:
            now = self.clock()
            self.metrics.served(got[0], now, now - started)
        return got

    def _obtain(
        self, actions: Actions, started: float, key: Hashable, tag: str | None, matchany: bool, timeout: float | None
    ) -> Steps:
        queued = actions.wait is not None  # the first checkout counted it
        while True:
            if actions.wait is not None and not queued:
                queued = True  # a request counts as queued once, however often it waits
                with self.lock:
                    self.metrics.requests_queued += 1
            got = yield from self.follow(actions, key, started, timeout)
            if got is not None:
                return got
            budget = None if timeout is None else max(0.0, started + timeout - self.clock())
            actions = self.checkout(key, tag, matchany, budget, again=True)
            if actions.lease is not None and not actions.ping:
                return actions.lease, False

    def follow(self, actions: Actions, key: Hashable, started: float, timeout: float | None) -> Steps:
        """Finish a checkout that did not hand over an idle session at once.

        Returns (entry, opened_for_this_call), or None to check out again
        (the leased session failed its ping).
        """
        self.run(actions)
        if actions.refuse is not None:
            raise self.error(actions.refuse, self.clock() - started)
        if actions.lease is not None:
            return (yield from self._validated(actions.lease, started, timeout))
        if actions.open_now:
            return (yield from self._open_for_caller(key, started, timeout)), True
        assert actions.wait is not None
        return (yield from self._wait(actions.wait, started, timeout))

    def _validated(self, entry: Entry, started: float, timeout: float | None) -> Steps:
        limit = None if timeout is None else started + timeout - self.clock()  # None: no limit
        if limit is not None and limit <= 0:
            # No time left to ping: the session goes back unpinged, still doubtful.
            self.call(self.core.checkin, entry=entry, now=self.clock(), tag=entry.tag)
            raise self.error(Refusal.EXHAUSTED, self.clock() - started)
        try:
            alive = yield Ping(entry, limit)
        except BaseException:
            # Cancelled mid-ping: the session's protocol state is unknown.
            self.call(self.core.discard, entry=entry, reason=Reason.INVALID)
            raise
        if alive is LATE:
            return None  # the ping goes on alone (late_ping settles it); check out again
        with self.lock:
            self.metrics.pinged(bool(alive))
        if alive:
            entry.suspect = False
            return entry, False
        self.call(self.core.ping_failed, entry=entry, now=self.clock())
        return None

    def _open_for_caller(self, key: Hashable, started: float, timeout: float | None) -> Steps:
        limit = None if timeout is None else started + timeout - self.clock()  # None: no limit
        if limit is not None and limit <= 0:
            self.call(self.core.caller_open_failed, key=key)
            raise self.error(Refusal.EXHAUSTED, self.clock() - started)
        opening = self.clock()
        try:
            conn = yield Open(key, limit)
        except BaseException as exc:
            self._open_error()
            self.call(self.core.caller_open_refused if self.refused(exc) else self.core.caller_open_failed, key=key)
            raise
        if conn is LATE:
            raise self.error(Refusal.EXHAUSTED, self.clock() - started)
        with self.lock:
            now = self.clock()
            self.metrics.opened(now - opening)
            entry, actions = self.core.admit_for_caller(conn, now, key)
        self.run(actions)
        if actions.refuse is not None:
            raise self.error(actions.refuse, 0.0)
        return entry

    def late_ping(self, entry: Entry, alive: bool) -> None:
        """A ping a caller stopped waiting for has ended: the session goes
        back (or to a waiter) if it is alive, else it is logged off."""
        if alive:
            entry.suspect = False
            self.call(self.core.checkin, entry=entry, now=self.clock(), tag=entry.tag)
        else:
            self.call(self.core.ping_failed, entry=entry, now=self.clock())

    def late_open(self, key: Hashable, conn: Any, error: BaseException | None) -> None:
        """An open a caller stopped waiting for has ended: a session joins
        the pool (or serves a waiter); a failure only frees the slot."""
        if error is not None:
            logger.info("a logon abandoned by its caller failed: %s", error)
            self.call(self.core.caller_open_refused if self.refused(error) else self.core.caller_open_failed, key=key)
            return
        with self.lock:
            entry, actions = self.core.admit_for_caller(conn, self.clock(), key)
            if actions.refuse is None:
                actions = self.core.checkin(entry, self.clock())
        self.run(actions)

    def _wait(self, waiter: Waiter, started: float, timeout: float | None) -> Steps:
        remaining = None if timeout is None else max(0.0, started + timeout - self.clock())
        try:
            woken = yield Wait(waiter, remaining)
        except BaseException:
            # Cancelled (or interrupted): a session granted meanwhile goes back.
            self.call(self.core.abandon, waiter=waiter, now=self.clock())
            raise
        if woken:
            # Settled before the wake-up was sent: no lock needed to read it.
            entry, error = waiter.entry, waiter.error
        else:
            with self.lock:  # timed out: a grant may be racing with us
                actions = self.core.abandon(waiter, self.clock()) if waiter.entry is None else Actions()
                entry, error = waiter.entry, waiter.error  # abandon tells of an outage
            self.run(actions)
        if entry is not None:
            # Pinged first if doubtful, or always with ping_interval 0: one released as healthy may have
            # been killed since its last call, and a fresh one since its logon, before this caller waited.
            if entry.suspect or self.core.settings.ping_interval == 0:
                return (yield from self._validated(entry, started, timeout))
            return entry, False
        if not woken or error is Refusal.EXHAUSTED:  # waited its limit out (EXHAUSTED: WaitQueue.expire said so)
            with self.lock:
                self.metrics.timed_out()
        raise self.error(error if error is not None else Refusal.EXHAUSTED, self.clock() - started)

    def open_in_background(self, key: Hashable) -> Steps:
        """Open one session for the pool; a failure reaches waiting callers."""
        with self.lock:  # a failure tells something new only if none was booked meanwhile
            ticket = self.core.backoff.ticket(key)
        started = self.clock()
        try:
            conn = yield Open(key)
        except Exception as exc:
            self._open_error()
            if self.refused(exc):
                self.call(self.core.open_refused, error=exc, key=key)
            else:
                self.call(self.core.open_failed, error=exc, key=key, now=self.clock(), ticket=ticket)
            return None
        with self.lock:
            now = self.clock()
            self.metrics.opened(now - started)
            _, actions = self.core.admit(conn, now, key)
        self.run(actions)
        return None

    def tick(self, check_after: float) -> Steps:
        """One validator pass: expire, ping idle sessions outside the lock, refill."""
        with self.lock:
            now = self.clock()
            actions = self.core.tick(now, check_after).merge(self._adopt())
            late = self.metrics.leaks.overdue(now)
        report(self.metrics.name, self.metrics.leak_threshold, late)
        self.run(actions)
        pending = list(reversed(actions.check))
        try:
            while pending:
                alive = yield Ping(pending[-1])
                with self.lock:
                    self.metrics.pinged(bool(alive))
                self.call(self.core.checked, entry=pending.pop(), now=self.clock(), alive=alive)
        finally:
            if pending:  # interrupted: the one mid-ping is in an unknown state
                self.call(self.core.checked, entry=pending.pop(), now=self.clock(), alive=False)
                for entry in pending:
                    self.call(self.core.unchecked, entry=entry, now=self.clock())
        return None

    def _open_error(self) -> None:
        with self.lock:
            self.metrics.connections_errors += 1
