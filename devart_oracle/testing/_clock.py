"""``FakeClock``: deterministic time for code that uses devart_oracle's pools.

Pools read the time from a clock and arrange later work (the retry of a
failed background open, the validator's next pass) through a schedule. A
``FakeClock`` is both: its time moves only when ``advance()`` is called, and
what was scheduled runs inside that call, in order, once its time comes. So a
test of backoff, lifetimes or idle timeouts takes no wall-clock time at all.
Sessions are still opened and pinged for real, in the pool's own threads or
tasks; only the waiting is fake.
"""

from __future__ import annotations

import heapq
import itertools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["FakeClock"]


class FakeClock:
    """A monotonic clock and a schedule that move only when told to.

    Use :meth:`installed` so that the pools created inside it (explicit pools,
    ``connection_pool``'s partitions) and the validator run on this clock::

        clock = FakeClock()
        with clock.installed():
            pool = devart_oracle.create_pool(dsn, min=2, max=4)
            ...
            clock.advance(30)  # the validator's pass runs now, in this thread

    Args:
        start: the time the clock shows at first, in seconds.
    """

    def __init__(self, start: float = 0.0) -> None:
        self._now = float(start)
        self._due: list[tuple[float, int, Callable[[], object]]] = []
        self._order = itertools.count()  # scheduled at the same time: first come, first run
        # Reentrant: a callback (or a collector's __del__) may schedule more.
        self._lock = threading.RLock()

    def __call__(self) -> float:
        """The current time."""
        return self._now

    @property
    def now(self) -> float:
        """The current time, in seconds."""
        return self._now

    @property
    def pending(self) -> int:
        """How many scheduled callbacks have not run yet."""
        return len(self._due)

    def __repr__(self) -> str:
        return f"<FakeClock now={self._now:.3f} pending={self.pending}>"

    def schedule(self, delay: float, callback: Callable[[], object]) -> None:
        """Run ``callback`` once the clock has moved ``delay`` seconds on.

        Raises:
            ValueError: ``delay`` is negative.
        """
        if delay < 0:
            raise ValueError(f"cannot schedule {delay!r} seconds in the past: the delay must be 0 or more")
        with self._lock:
            heapq.heappush(self._due, (self._now + delay, next(self._order), callback))

    def advance(self, seconds: float) -> None:
        """Move the clock on, running every callback that falls due on the way.

        Each callback runs at its own time (the clock shows it), in this
        thread, in the order of their times; one that schedules another
        within the window sees it run too. ``advance(0)`` runs what is due now.

        Raises:
            ValueError: ``seconds`` is negative (the clock is monotonic).
        """
        if seconds < 0:
            raise ValueError(f"cannot advance the clock by {seconds!r} seconds: time only moves forward")
        until = self._now + seconds
        while (callback := self._next_due(until)) is not None:
            callback()
        self._now = until

    def _next_due(self, until: float) -> Callable[[], object] | None:
        with self._lock:
            if not self._due or self._due[0][0] > until:
                return None
            when, _, callback = heapq.heappop(self._due)
            self._now = max(self._now, when)
            return callback

    @contextmanager
    def installed(self, validation_interval: float | None = None) -> Iterator[FakeClock]:
        """Make the pools created inside the block, and their validator, run on this clock.

        Args:
            validation_interval: seconds between the validator's passes
                inside the block (default: ``connection_pool.validation_interval``).
        """
        from ..pool import (
            _upkeep,  # only when installed: importing testing loads no pool
        )

        with _upkeep.using(clock=self, schedule=self.schedule, validation_interval=validation_interval):
            yield self


FakeClock.__module__ = "devart_oracle.testing"  # its public home
