"""The backoff book of one pool: which keys' background opens are paused.

A cut logon or one killed session is not an outage, so the first failed open
of a key in a row is retried at once (the *fast retry*): nothing pauses and
nobody hears of it. Only when a *fresh* attempt fails too, one begun after the
last failure was booked, does the key count as down: its opens then wait out
an exponential backoff with jitter, one retry pending per key, and the book
holds the error of the last failed open and when the retry is due, so that a
caller whose budget ends before then hears it at once. Opens that were under
way when a failure was booked carry an older *ticket*; their failures tell
nothing new and are not counted.

A logon the database refused for the pool's own key (bad password, locked
account) stops background opens for ``min`` until a caller asks again, so
that a typo cannot lock an account by retrying.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from ._records import Key, Outage, Why

__all__ = ["BACKOFF_BASE", "BACKOFF_CAP", "Backoff", "Pending", "backoff", "jitter"]

#: Exponential backoff of background opens after failures: base, cap (seconds).
BACKOFF_BASE = 0.05
BACKOFF_CAP = 10.0


def backoff(retries: int) -> float:
    """Seconds to wait before the ``retries``-th scheduled retry in a row (before jitter)."""
    return min(BACKOFF_CAP, BACKOFF_BASE * 2.0 ** min(retries - 1, 16))


def jitter(delay: float) -> float:
    """A retry delay spread by +-50%, so that pools do not retry in step."""
    return delay * random.uniform(0.5, 1.5)


class Pending:
    """The one retry pending for a key: when it is due, and the error of the
    last failed open (None once a session of that key opened meanwhile)."""

    __slots__ = ("due", "error")

    def __init__(self, due: float, error: BaseException | None) -> None:
        self.due = due
        self.error = error

    def __repr__(self) -> str:
        return f"<Pending due={self.due:.3f} error={self.error!r}>"


class Backoff:
    """Failed opens in a row, pending retries and the refused logon; see the module docstring.

    Args:
        spread: turns a backoff delay into the one scheduled (jitter by
            default; a test passes a fixed one).
    """

    __slots__ = ("failures", "tickets", "retrying", "refused", "spread", "last")

    def __init__(self, spread: Callable[[float], float] = jitter) -> None:
        self.failures: dict[Key, int] = {}  # failed fresh background opens in a row, per key
        self.tickets: dict[Key, int] = {}  # failures booked so far, per key: the current ticket
        self.retrying: dict[Key, Pending] = {}  # keys backing off, one retry pending each
        self.refused = False  # the pool's own logon was refused
        self.spread = spread
        self.last: dict[Key, BaseException] = {}  # the last failed open, until one succeeds

    def __repr__(self) -> str:
        return f"<Backoff retrying={len(self.retrying)} refused={self.refused}>"

    def ticket(self, key: Key) -> int:
        """What an open of ``key`` starting now shows when it fails (see :meth:`failed`)."""
        return self.tickets.get(key, 0)

    def paused(self, key: Key) -> bool:
        """Whether opens for ``key`` wait for a retry."""
        return key in self.retrying

    def down(self, key: Key) -> Pending | None:
        """The pending retry of ``key`` while the database looks down for it."""
        pending = self.retrying.get(key)
        return pending if pending is not None and pending.error is not None else None

    def outage(self, key: Key, now: float, why: Why = Why.BUDGET) -> Outage | None:
        """What a caller of ``key`` hears while the database looks down (None: it does not)."""
        pending = self.down(key)
        if pending is None or pending.error is None:
            return None
        return Outage(pending.error, why, max(0.0, pending.due - now))

    def heard(self, key: Key, now: float) -> Outage | None:
        """What a caller of ``key`` whose wait ended hears: the outage, or the
        last failed open while its retry is under way (None: nothing failed)."""
        outage = self.outage(key, now)
        error = self.last.get(key)
        return outage if outage is not None or error is None else Outage(error, Why.BUDGET)

    def refusal(self, key: Key, now: float, budget: float | None, nowait: bool) -> Outage | None:
        """The outage a caller of ``key`` with ``budget`` seconds to wait hears
        at once, or None when it may wait for the pending retry."""
        pending = self.down(key)
        if pending is not None and nowait:
            return self.outage(key, now, Why.NOWAIT)
        if pending is not None and budget is not None and now + budget < pending.due:
            return self.outage(key, now)
        return None

    def holds_min(self) -> bool:
        """Whether opens for ``min`` (the pool's own key) must wait."""
        return self.refused or None in self.retrying

    def asked(self, key: Key) -> None:
        """A caller asks for ``key``: a refused logon of the pool's own may be tried again."""
        if key is None:
            self.refused = False

    def opened(self, key: Key, background: bool) -> None:
        """A session of ``key`` opened: the database is up, that logon works."""
        if key in self.retrying:
            self.retrying[key].error = None
        self.last.pop(key, None)
        self.asked(key)
        if background:
            self._forget(key)

    def refuse(self, key: Key) -> None:
        """The database refused a logon for ``key``.

        Only the pool's own key is remembered: another key's refusal fails all
        its waiters, and nothing opens for a key without waiters.
        """
        if key is None:
            self.refused = True

    def failed(self, key: Key, error: BaseException, now: float, ticket: int, limit: float | None) -> float | None:
        """A background open of ``key`` that showed ``ticket`` failed at ``now``.

        Returns the seconds until the retry to schedule, or None when there is
        none: the failure is stale (a later one is booked, or a retry is
        pending), or it is the first in a row and the caller opens again at
        once. ``limit`` caps the delay (the budgets of waiting callers).
        """
        if ticket != self.ticket(key) or key in self.retrying:
            return None
        self.last[key] = error
        self.tickets[key] = ticket + 1
        failures = self.failures[key] = self.failures.get(key, 0) + 1
        if failures == 1:
            return None  # the fast retry
        delay = self.spread(backoff(failures - 1))
        if limit is not None:
            delay = max(0.0, min(delay, limit))
        self.retrying[key] = Pending(now + delay, error)
        return delay

    def retried(self, key: Key, wanted: bool) -> None:
        """The retry of ``key`` is due; ``wanted``: a waiter still asks for it."""
        self.retrying.pop(key, None)
        if key is not None and not wanted:
            self._forget(key)  # nobody asks for that key any more

    def _forget(self, key: Key) -> None:
        # An open still under way with an older ticket may then count as
        # fresh: one fast retry more, at worst.
        self.failures.pop(key, None)
        self.tickets.pop(key, None)
        self.last.pop(key, None)
