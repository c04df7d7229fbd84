"""The callers waiting for a session of one pool, first come, first served.

A session is handed to a waiter *by the core*, under the caller's lock: the
core stores it in ``waiter.entry`` and asks the layer to wake exactly that
waiter. A waiter that gives up (timeout, cancellation) calls
:meth:`~._core.PoolCore.abandon`; if a session had already been granted to
it, the session goes back through :meth:`~._core.PoolCore.checkin`, so
nothing is ever lost to a cancellation and a waiter that gave up never keeps
a session. Nor is a session granted to a waiter whose deadline has passed on
the pool's clock (:meth:`WaitQueue.expire`): it is refused as if its own timed
wait had ended first.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from ._records import Failure, Key, Outage, Refusal, Waiter

__all__ = ["WaitQueue"]


class WaitQueue(deque[Waiter]):
    """Waiters in arrival order; those of one key are served in that order too."""

    __slots__ = ()

    def first(self, key: Key) -> Waiter | None:
        """The oldest waiter of ``key``, left in the queue."""
        for waiter in self:
            if waiter.key == key:
                return waiter
        return None

    def first_not(self, skip: Callable[[Key], bool]) -> Waiter | None:
        """The oldest waiter whose key ``skip`` does not rule out."""
        for waiter in self:
            if not skip(waiter.key):
                return waiter
        return None

    def wants(self, key: Key) -> bool:
        """Whether a waiter of ``key`` is queued."""
        return self.first(key) is not None

    def patience(self, key: Key, now: float) -> float | None:
        """Seconds until the first of ``key``'s waiters that is still willing
        stops waiting (None: none of them will)."""
        left = [w.deadline - now for w in self if w.key == key and w.deadline is not None and w.deadline > now]
        return min(left, default=None)

    def fail(self, key: Key, outage: Outage, before: float | None = None) -> list[Waiter]:
        """Take out the waiters of ``key`` (if ``before`` is given, those that
        stop waiting before that time, and those that wait without a limit)
        and settle them with ``outage``.

        A caller without a wait limit (WAIT) waits through a transient fault,
        which the fast retry absorbs, but hears the error once the database
        looks down: waiting for ever on a database that is gone is a hang,
        and python-oracledb's own pool raises there too.
        """
        gone = [w for w in self if w.key == key and (before is None or w.deadline is None or w.deadline < before)]
        for waiter in gone:
            self.remove(waiter)
            waiter.error = outage
        return gone

    def claim(self, key: Key, now: float) -> tuple[list[Waiter], Waiter | None]:
        """Take out the oldest waiter of ``key`` still waiting at ``now``, to
        be granted a session; and the waiters of ``key`` queued before it
        whose deadline passed, settled as refused (pool exhausted).

        A session that becomes free after a caller's deadline is not that
        caller's, however late its thread or task runs to notice: on a loaded
        machine the caller may not run at all until a logon it waits for is
        over. The next waiter, or the idle stack, gets the session. (Late
        waiters queued after the one served are refused by the next claim,
        or by their own timed wait.)
        """
        late: list[Waiter] = []
        chosen = None
        for waiter in self:
            if waiter.key == key:
                if waiter.deadline is None or waiter.deadline >= now:
                    chosen = waiter
                    break
                late.append(waiter)
        for gone in late:
            self.remove(gone)
            gone.error = Refusal.EXHAUSTED
        if chosen is not None:
            if self[0] is chosen:
                self.popleft()  # first come, first served: the usual case
            else:
                self.remove(chosen)
        return late, chosen

    def discard(self, waiter: Waiter) -> None:
        """Take a waiter out if it is still queued."""
        if waiter in self:
            self.remove(waiter)

    def take_all(self, error: Failure) -> list[Waiter]:
        """Empty the queue, settling every waiter with ``error``."""
        waiters = list(self)
        self.clear()
        for waiter in waiters:
            waiter.error = error
        return waiters
