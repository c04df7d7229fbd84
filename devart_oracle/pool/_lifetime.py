"""When sessions reach the end of their lifetime, and when a drain retires them.

Sessions opened together (at start, after a failover) would all reach
``lifetime`` together and be recycled in one storm. So each session is
recycled at a point of its own in the last ``lifetime_spread`` of its
lifetime (a tenth for both faces), and the validator recycles at most a fair
share of the pool per pass.

Why not ``random.uniform`` per session: 100 independent draws over ten
seconds put more than 10 in some second practically always, and 14 or more
four times in five. The points here are a golden-ratio sequence from a random
start (each one still uniform, but evenly spread among its neighbours). On
top of that the validator keeps a budget, ``ceil(sessions * elapsed /
window)`` per pass, taking the earliest points first, and looks one pass
ahead so that no backlog piles up for the last one. A session past its full
lifetime is always recycled, so none outlives ``lifetime`` by more than one
validator pass, and none goes before the window opens.

A drain bumps the pool's generation: a session of an older generation is
retired whenever the core sees it (idle at once, busy when it comes back).
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable

from ._idle import IdleStacks
from ._records import Entry, PoolSettings, Reason

__all__ = ["Lifetimes"]

#: The golden ratio's fractional part: consecutive multiples mod 1 are as evenly spread as any sequence can be.
_STEP = (math.sqrt(5) - 1) / 2


class Lifetimes:
    """One pool's recycling points, recycling budget and drain generation."""

    __slots__ = ("_phase", "_last_pass", "generation")

    def __init__(self, start: float | None = None) -> None:
        self._phase = random.random() if start is None else start
        self._last_pass: float | None = None
        self.generation = 0

    def stamp(self, entry: Entry) -> Entry:
        """Give a new session its recycling point and the current generation."""
        self._phase = (self._phase + _STEP) % 1.0
        entry.phase = self._phase
        entry.generation = self.generation
        return entry

    def retired(self, entry: Entry, settings: PoolSettings, now: float) -> Reason | None:
        """Why a session coming back must be logged off now: drained, or past its full lifetime."""
        if self.stale(entry):
            return Reason.DRAINED
        return Reason.LIFETIME if self.over(entry, settings, now) else None

    def recycled(self, idle: Iterable[Entry], settings: PoolSettings, now: float, total: int) -> set[Entry]:
        """The idle sessions this validator pass recycles for their lifetime.

        Every one past its full lifetime; then, earliest point first and
        within the pass's budget, those in the window whose point falls before
        the next pass is expected (a point between two passes is as near to
        one as to the other, and taking it now keeps the last pass from a
        backlog).
        """
        if not settings.lifetime:
            return set()
        budget, horizon = self._budget(settings, total, now)
        start = settings.lifetime * (1.0 - settings.lifetime_spread)  # never before the window opens
        due = sorted(
            (e for e in idle if self._point(e, settings) <= horizon and now - e.created >= start),
            key=lambda e: self._point(e, settings),
        )
        over = [e for e in due if self.over(e, settings, now)]
        room = len(due) if budget == math.inf else max(0, int(budget) - len(over))
        return {*over, *due[:room]}

    def sweep(
        self, idle: IdleStacks, settings: PoolSettings, now: float, check_after: float, spare: int
    ) -> tuple[list[tuple[Entry, Reason]], list[Entry]]:
        """The validator's pass over the idle sessions: takes out those it logs
        off (past their lifetime, see :meth:`recycled`; idle longer than
        ``idle_timeout`` while ``spare`` sessions are above ``min``, coldest
        first) and those it pings (suspect, or idle ``check_after`` seconds).

        Returns (entry, reason) for each to log off, and those to ping.
        """
        expired: list[tuple[Entry, Reason]] = []
        check: list[Entry] = []
        recycled = self.recycled(idle, settings, now, spare + settings.min)

        def keep(entry: Entry) -> bool:
            nonlocal spare
            reason = self.expiry(entry, settings, now, spare > 0, recycled)
            if reason is not None:
                spare -= 1
                expired.append((entry, reason))
            elif entry.suspect or now - max(entry.idle_since, entry.checked_at) >= check_after:
                check.append(entry)
            else:
                return True
            return False

        idle.sift(keep)
        return expired, check

    @staticmethod
    def expiry(entry: Entry, settings: PoolSettings, now: float, may_shrink: bool, recycled: set[Entry]) -> Reason | None:
        """Why the validator logs an idle session off, if it does: its lifetime
        (chosen by :meth:`recycled`), or idling above ``min``."""
        if entry in recycled:
            return Reason.LIFETIME
        if may_shrink and settings.idle_timeout and now - entry.idle_since >= settings.idle_timeout:
            return Reason.IDLE
        return None

    def stale(self, entry: Entry) -> bool:
        """True for a session opened before the last drain."""
        return entry.generation < self.generation

    @staticmethod
    def over(entry: Entry, settings: PoolSettings, now: float) -> bool:
        """True once a session has lived its full lifetime."""
        return bool(settings.lifetime) and now - entry.created >= settings.lifetime

    @staticmethod
    def _point(entry: Entry, settings: PoolSettings) -> float:
        """When a session reaches its own recycling point."""
        return entry.created + settings.lifetime * (1.0 - settings.lifetime_spread * entry.phase)

    def _budget(self, settings: PoolSettings, total: int, now: float) -> tuple[float, float]:
        """How many sessions this pass may recycle before their full lifetime,
        and until when it looks ahead (the passes' period is taken to be the
        time since the last one)."""
        window = settings.lifetime * settings.lifetime_spread
        last, self._last_pass = self._last_pass, now
        if not window or last is None:
            return math.inf, now
        # Less a rounding hair: 100 sessions over a window of 100 * 0.1 s must
        # give 10 a second, not 11.
        return math.ceil(total * (now - last) / window - 1e-9), now + (now - last)
