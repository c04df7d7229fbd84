"""The control flow shared by the thread and asyncio layers, written once.

A pool operation that needs I/O (validate a leased session, open one for the
caller, wait for a release, a background open, a validator pass) is written
here as a generator that *yields* the I/O it needs as a step (:class:`Ping`,
:class:`Open`, :class:`Wait`) and receives the result. The thread layer
(:mod:`._sync`) performs each step by blocking; the asyncio layer
(:mod:`._async`) performs it by awaiting. So the two layers cannot drift:
their only differences are how a step is performed and how side effects
(log off, spawn, wake) are carried out.

Time comes from two injectable sources: ``clock()`` for the current time and
``schedule(delay, fn)`` for the retries of failed background opens (None: the
layer's own timer). A test's fake clock supplies both.

Core calls take a :class:`threading.Lock` in both layers: it is never held
across I/O, so holding it inside a coroutine never blocks the event loop for
longer than a core call.
"""

from __future__ import annotations

import random
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Hashable
from dataclasses import dataclass
from typing import Any

from ._core import Actions, Entry, PoolCore, PoolSettings, Reason, Refusal, Waiter
from ._leaks import report
from ._metrics import PoolMetrics, watch

__all__ = ["ErrorFactory", "Open", "Ping", "PoolEngine", "Run", "Schedule", "Step", "Steps", "Wait", "jitter"]


@dataclass(frozen=True, slots=True)
class Ping:
    """Round-trip on ``entry``'s session; reply True when it is alive."""

    entry: Entry


@dataclass(frozen=True, slots=True)
class Open:
    """Log a session on for ``key``; reply with it (or raise the driver's error)."""

    key: Hashable


@dataclass(frozen=True, slots=True)
class Wait:
    """Wait until ``waiter`` is granted or failed, at most ``timeout`` seconds;
    reply True when it was settled, False when the wait timed out."""

    waiter: Waiter
    timeout: float | None


Step = Ping | Open | Wait
Steps = Generator[Step, Any, Any]

#: Builds the exception for a refused or failed acquire from the refusal (or
#: the driver's error) and the seconds waited.
ErrorFactory = Callable[[Refusal | BaseException, float], BaseException]

#: ``schedule(delay, fn)``: call ``fn`` once ``delay`` seconds have passed.
Schedule = Callable[[float, Callable[[], object]], object]


def jitter(delay: float) -> float:
    """A retry delay spread by +-50%, so that pools do not retry in step."""
    return delay * random.uniform(0.5, 1.5)


class Run:
    """An engine generator being driven by a layer, one step at a time.

    The layer's loop is ``while run.next(): <perform run.step, storing
    run.reply or run.error>``, then ``run.result``.
    """

    __slots__ = ("_steps", "step", "reply", "error", "result")

    def __init__(self, steps: Steps) -> None:
        self._steps = steps
        self.step: Any = None
        self.reply: Any = None
        self.error: BaseException | None = None
        self.result: Any = None

    def next(self) -> bool:
        """Resume with the last step's reply (or error); False once finished."""
        reply, error, self.reply, self.error = self.reply, self.error, None, None
        try:
            self.step = self._steps.throw(error) if error is not None else self._steps.send(reply)
        except StopIteration as stop:
            self.result = stop.value
            return False
        return True


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

    def checkout(self, key: Hashable, tag: str | None, matchany: bool, again: bool = False) -> Actions:
        """Ask the core for a session (the fast path: no generator, no I/O);
        ``again``: the same request checks out again after a failed ping."""
        if self.orphans:
            self.call(self._adopt)
        with self.lock:
            now = self.clock()
            actions = self.core.checkout(now, key, tag, matchany)
            if actions.lease is not None and not actions.ping and not again:
                self.metrics.served_at_once(actions.lease, now)
            return actions

    def release(self, entry: Entry, healthy: bool | None = True, tag: str | None = None) -> None:
        """Give a borrowed session back (see :meth:`PoolCore.checkin` for ``healthy``)."""
        with self.lock:
            now = self.clock()
            self.metrics.returned(entry, now, healthy)
            actions = self.core.checkin(entry, now, healthy, tag)
            if self.orphans:
                actions.merge(self._adopt())
        if actions.background:
            self.run(actions)

    def orphan(self, entry: Entry, healthy: bool | None) -> None:
        """A handle was collected without close(): take its session back soon
        (``healthy`` as for :meth:`release`), and have upkeep run at once so
        that a caller waiting for it gets it.

        Safe from ``__del__`` at any point, even under this pool's lock: the
        layer's ``on_orphan`` must take no lock either.
        """
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
        """An acquire begun at ``started`` past its first checkout (``actions``),
        which did not hand over an idle session at once; checks out again
        after a failed ping.

        Returns (entry, opened_for_this_call); counted in the statistics.
        """
        with self.lock:
            self.metrics.requests_num += 1
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
        queued = False
        while True:
            if actions.wait is not None and not queued:
                queued = True  # a request counts as queued once, however often it waits
                with self.lock:
                    self.metrics.requests_queued += 1
            got = yield from self.follow(actions, key, started, timeout)
            if got is not None:
                return got
            actions = self.checkout(key, tag, matchany, again=True)
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
            return (yield from self._validated(actions.lease))
        if actions.open_now:
            return (yield from self._open_for_caller(key)), True
        assert actions.wait is not None
        return (yield from self._wait(actions.wait, started, timeout))

    def _validated(self, entry: Entry) -> Steps:
        try:
            alive = yield Ping(entry)
        except BaseException:
            # Cancelled mid-ping: the session's protocol state is unknown.
            self.call(self.core.discard, entry=entry, reason=Reason.INVALID)
            raise
        with self.lock:
            self.metrics.pinged(bool(alive))
        if alive:
            entry.suspect = False
            return entry, False
        self.call(self.core.ping_failed, entry=entry, now=self.clock())
        return None

    def _open_for_caller(self, key: Hashable) -> Steps:
        started = self.clock()
        try:
            conn = yield Open(key)
        except BaseException as exc:
            self._open_error()
            self.call(self.core.caller_open_refused if self.refused(exc) else self.core.caller_open_failed, key=key)
            raise
        with self.lock:
            now = self.clock()
            self.metrics.opened(now - started)
            entry, actions = self.core.admit_for_caller(conn, now, key)
        self.run(actions)
        if actions.refuse is not None:
            raise self.error(actions.refuse, 0.0)
        return entry

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
                entry, error = waiter.entry, waiter.error
                actions = self.core.abandon(waiter, self.clock()) if entry is None else Actions()
                if entry is None and error is None:
                    self.metrics.timed_out()
            self.run(actions)
        if entry is not None:
            return entry, False
        raise self.error(error if error is not None else Refusal.EXHAUSTED, self.clock() - started)

    def open_in_background(self, key: Hashable) -> Steps:
        """Open one session for the pool; a failure reaches waiting callers."""
        started = self.clock()
        try:
            conn = yield Open(key)
        except Exception as exc:
            self._open_error()
            self.call(self.core.open_refused if self.refused(exc) else self.core.open_failed, error=exc, key=key)
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

    def wait_token(self, waiter: Waiter, token: Any) -> bool:
        """Attach the layer's wake-up to a waiter; False if it is already settled."""
        with self.lock:
            waiter.token = token
            return not waiter.done
