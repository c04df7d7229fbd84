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

A step may carry a ``limit``: the seconds left of the caller's wait limit
(None: as long as it takes). A layer that cannot finish a limited Ping or
Open in time replies :data:`LATE` and leaves the call to finish alone; it
then reports the result through :meth:`PoolEngine.late_ping` or
:meth:`PoolEngine.late_open`, so a session pinged too slowly is never
handed out and one opened too late serves the pool instead of the caller.

Core calls take a :class:`threading.Lock` in both layers: it is never held
across I/O, so holding it inside a coroutine never blocks the event loop for
longer than a core call.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Hashable
from dataclasses import dataclass
from typing import Any

from ._core import Actions, Entry, Failure, PoolCore, PoolSettings, Reason, Refusal, Waiter

__all__ = ["LATE", "ErrorFactory", "Open", "Ping", "PoolEngine", "Run", "Schedule", "Step", "Steps", "Wait"]

logger = logging.getLogger("devart_oracle.pool")


class _Late:
    """The reply to a limited step that did not finish in time."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "LATE"


#: A limited Ping or Open still under way when its limit ran out.
LATE = _Late()


@dataclass(frozen=True, slots=True)
class Ping:
    """Round-trip on ``entry``'s session; reply True when it is alive (or
    LATE, past ``limit`` seconds)."""

    entry: Entry
    limit: float | None = None


@dataclass(frozen=True, slots=True)
class Open:
    """Log a session on for ``key``; reply with it, or raise the driver's
    error (or reply LATE, past ``limit`` seconds)."""

    key: Hashable
    limit: float | None = None


@dataclass(frozen=True, slots=True)
class Wait:
    """Wait until ``waiter`` is granted or failed, at most ``timeout`` seconds;
    reply True when it was settled, False when the wait timed out."""

    waiter: Waiter
    timeout: float | None


Step = Ping | Open | Wait
Steps = Generator[Step, Any, Any]

#: Builds the exception for a refused or failed acquire from the refusal (or
#: the outage) and the seconds waited.
ErrorFactory = Callable[[Failure, float], BaseException]

#: ``schedule(delay, fn)``: call ``fn`` once ``delay`` seconds have passed.
Schedule = Callable[[float, Callable[[], object]], object]


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

    def checkout(self, key: Hashable, tag: str | None, matchany: bool, budget: float | None = None) -> Actions:
        """Ask the core for a session (the fast path: no generator, no I/O);
        ``budget``: the seconds the caller would wait (None: for ever)."""
        if self.orphans:
            self.call(self._adopt)
        with self.lock:
            return self.core.checkout(self.clock(), key, tag, matchany, budget)

    def release(self, entry: Entry, healthy: bool | None = True, tag: str | None = None) -> None:
        """Give a borrowed session back (see :meth:`PoolCore.checkin` for ``healthy``)."""
        with self.lock:
            actions = self.core.checkin(entry, self.clock(), healthy, tag)
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
        self.call(self.core.discard, entry=entry)

    # -- the shared control flow -----------------------------------------

    def obtain(
        self, actions: Actions, started: float, key: Hashable, tag: str | None, matchany: bool, timeout: float | None
    ) -> Steps:
        """An acquire begun at ``started`` past its first checkout (``actions``),
        which did not hand over an idle session at once; checks out again
        after a failed ping.

        Returns (entry, opened_for_this_call).
        """
        while True:
            got = yield from self.follow(actions, key, started, timeout)
            if got is not None:
                return got
            budget = None if timeout is None else max(0.0, started + timeout - self.clock())
            actions = self.checkout(key, tag, matchany, budget)
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

    def _left(self, started: float, timeout: float | None) -> float | None:
        """Seconds left of a caller's wait limit (None: no limit)."""
        return None if timeout is None else started + timeout - self.clock()

    def _validated(self, entry: Entry, started: float, timeout: float | None) -> Steps:
        limit = self._left(started, timeout)
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
        if alive:
            entry.suspect = False
            return entry, False
        self.call(self.core.ping_failed, entry=entry, now=self.clock())
        return None

    def _open_for_caller(self, key: Hashable, started: float, timeout: float | None) -> Steps:
        limit = self._left(started, timeout)
        if limit is not None and limit <= 0:
            self.call(self.core.caller_open_failed, key=key)
            raise self.error(Refusal.EXHAUSTED, self.clock() - started)
        try:
            conn = yield Open(key, limit)
        except BaseException as exc:
            self.call(self.core.caller_open_refused if self.refused(exc) else self.core.caller_open_failed, key=key)
            raise
        if conn is LATE:
            raise self.error(Refusal.EXHAUSTED, self.clock() - started)
        with self.lock:
            entry, actions = self.core.admit_for_caller(conn, self.clock(), key)
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
            if self._ping_on_handoff(entry):
                return (yield from self._validated(entry, started, timeout))
            return entry, False
        raise self.error(error if error is not None else Refusal.EXHAUSTED, self.clock() - started)

    def _ping_on_handoff(self, entry: Entry) -> bool:
        """Whether a session handed to a waiter is pinged first: a doubtful
        one, or any when ``ping_interval`` is 0 ("always"). A session released
        as healthy may have been killed since its last call, and a fresh one
        since its logon, before this caller even began to wait."""
        return entry.suspect or self.core.settings.ping_interval == 0

    def open_in_background(self, key: Hashable) -> Steps:
        """Open one session for the pool; a failure reaches waiting callers."""
        with self.lock:  # a failure tells something new only if none was booked meanwhile
            ticket = self.core.backoff.ticket(key)
        try:
            conn = yield Open(key)
        except Exception as exc:
            if self.refused(exc):
                self.call(self.core.open_refused, error=exc, key=key)
            else:
                self.call(self.core.open_failed, error=exc, key=key, now=self.clock(), ticket=ticket)
            return None
        with self.lock:
            _, actions = self.core.admit(conn, self.clock(), key)
        self.run(actions)
        return None

    def tick(self, check_after: float) -> Steps:
        """One validator pass: expire, ping idle sessions outside the lock, refill."""
        with self.lock:
            actions = self.core.tick(self.clock(), check_after).merge(self._adopt())
        self.run(actions)
        pending = list(reversed(actions.check))
        try:
            while pending:
                alive = yield Ping(pending[-1])
                self.call(self.core.checked, entry=pending.pop(), now=self.clock(), alive=alive)
        finally:
            if pending:  # interrupted: the one mid-ping is in an unknown state
                self.call(self.core.checked, entry=pending.pop(), now=self.clock(), alive=False)
                for entry in pending:
                    self.call(self.core.unchecked, entry=entry, now=self.clock())
        return None

    def wait_token(self, waiter: Waiter, token: Any) -> bool:
        """Attach the layer's wake-up to a waiter; False if it is already settled."""
        with self.lock:
            waiter.token = token
            return not waiter.done
