"""The statistics of one pool: counts and durations, and what reads them.

Every pool engine owns a :class:`PoolMetrics`; the engine calls its hooks
with the pool's lock held, so the counts need no lock of their own. The
acquire+release cycle pays for a count, a timestamp and two appends to a
bounded window (``bench/bench_metrics.py`` measures it; the engine's fast
path counts inline what :meth:`PoolMetrics.served_at_once` and
:meth:`PoolMetrics.returned` count, and leaves to them a ``watched`` pool);
leak detection and the sink run only when ``watched``. :meth:`PoolMetrics.snapshot`
turns them, with the core's counts, into psycopg_pool's ``get_stats()``
dictionary plus the figures psycopg lacks.

A sink (:mod:`devart_oracle.metrics`'s OpenTelemetry instruments) may be
attached to every live pool; without one, the only cost is a ``None`` test.
"""

from __future__ import annotations

import weakref
from typing import Any, Protocol

from ._histogram import Window
from ._leaks import LeakWatch
from ._records import Entry, Reason

__all__ = ["PoolMetrics", "Sink", "attach", "live", "watch"]


class Sink(Protocol):
    """Receives each duration and timeout as it happens (seconds)."""

    def wait(self, pool: str, seconds: float) -> None: ...

    def use(self, pool: str, seconds: float) -> None: ...

    def create(self, pool: str, seconds: float) -> None: ...

    def timeout(self, pool: str) -> None: ...


#: The counters get_stats() reports and pop_stats() resets, in psycopg_pool's names.
COUNTERS = (
    "requests_num", "requests_queued", "requests_errors", "returns_bad",
    "connections_num", "connections_errors", "connections_lost",
    "timeouts", "validations", "pings_failed",
)  # fmt: skip


class PoolMetrics:
    """Counts and durations of one pool since it began (or since the last reset)."""

    __slots__ = ("name", "_sink", "leaks", "watched", "wait", "use", "create", "usage", "waited", "connecting",
                 "_base", *COUNTERS)  # fmt: skip

    requests_num: int  # acquire() calls
    requests_queued: int  # ... that had to wait for a session to be released or opened
    requests_errors: int  # ... that raised (refused, timed out, failed logon, cancelled)
    returns_bad: int  # sessions given back broken, or in a state that could not be reset
    connections_num: int  # logons that succeeded
    connections_errors: int  # logons that failed
    connections_lost: int  # sessions found dead by a ping
    timeouts: int  # requests that waited their whole timeout
    validations: int  # pings (on acquire and by the validator)
    pings_failed: int  # pings that found the session dead

    def __init__(self, name: str = "") -> None:
        self.name = name  # the pool's name in the OpenTelemetry attributes
        self._sink: Sink | None = None
        self.leaks = LeakWatch()
        self.watched = False  # a sink or leak detection wants every lease and return
        self._base: dict[Reason, int] = dict.fromkeys(Reason, 0)  # the core's destroyed counts at the last reset
        self._zero()

    def _zero(self) -> None:
        for counter in COUNTERS:
            setattr(self, counter, 0)
        self.wait, self.use, self.create = Window(), Window(), Window()
        self.usage = self.waited = self.connecting = 0.0  # seconds since the last reset
        self.leaks.found = 0

    @property
    def sink(self) -> Sink | None:
        """Where durations go as they happen (None: nowhere)."""
        return self._sink

    @sink.setter
    def sink(self, sink: Sink | None) -> None:
        self._sink = sink
        self.watched = sink is not None or bool(self.leaks.threshold)

    @property
    def leak_threshold(self) -> float:
        """Seconds a lease may last before it is reported (0 = off)."""
        return self.leaks.threshold

    @leak_threshold.setter
    def leak_threshold(self, seconds: float) -> None:
        self.leaks.threshold = seconds
        self.sink = self._sink  # recompute ``watched``

    def __repr__(self) -> str:
        return f"<PoolMetrics {self.name!r} requests={self.requests_num} watched={self.watched}>"

    # -- hooks (the engine's lock is held) --------------------------------

    def served_at_once(self, entry: Entry, now: float) -> None:
        """A request got an idle session at once: the acquire+release cycle's
        fast path, so the least that can be done."""
        self.requests_num += 1
        entry.leased_at = now
        self.wait.append(0.0)
        if self.watched:
            self.lent(entry, now, 0.0)

    def served(self, entry: Entry, now: float, waited: float) -> None:
        """A request (counted when it began) got a session after ``waited`` seconds."""
        entry.leased_at = now
        self.wait.append(waited)
        self.waited += waited
        if self.watched:
            self.lent(entry, now, waited)

    def lent(self, entry: Entry, now: float, waited: float) -> None:
        """A lease began (only when ``watched``): leak detection and the sink hear of it."""
        self.leaks.lent(entry, now)
        if self._sink is not None:
            self._sink.wait(self.name, waited)

    def returned(self, entry: Entry, now: float, healthy: bool | None) -> None:
        """A session came back: its use time; a broken or unresettable one counts as bad."""
        held = now - entry.leased_at
        self.use.append(held)
        self.usage += held
        if healthy is not True:
            self.returns_bad += 1
        if self.watched:
            self.leaks.back(entry)
            if self._sink is not None:
                self._sink.use(self.name, held)

    def timed_out(self) -> None:
        """A request waited its whole timeout."""
        self.timeouts += 1
        if self.sink is not None:
            self.sink.timeout(self.name)

    def opened(self, seconds: float) -> None:
        """A logon succeeded after ``seconds``."""
        self.connections_num += 1
        self.create.append(seconds)
        self.connecting += seconds
        if self.sink is not None:
            self.sink.create(self.name, seconds)

    def pinged(self, alive: bool) -> None:
        """A session was validated by a ping; a dead one is a lost connection."""
        self.validations += 1
        if not alive:
            self.pings_failed += 1
            self.connections_lost += 1

    # -- reading ----------------------------------------------------------

    def snapshot(self, core: Any, reset: bool = False) -> dict[str, Any]:
        """psycopg_pool's 15 keys, then ours; ``reset`` zeroes the counters after reading."""
        s = core.settings
        stats: dict[str, Any] = {
            "pool_min": s.min,
            "pool_max": s.max if s.max is not None else s.max_idle,
            "pool_size": core.opened + core.pending,
            "pool_available": core.idle,
            "requests_waiting": core.waiting,
            "usage_ms": round(self.usage * 1000),
            "requests_num": self.requests_num,
            "requests_queued": self.requests_queued,
            "requests_wait_ms": round(self.waited * 1000),
            "requests_errors": self.requests_errors,
            "returns_bad": self.returns_bad,
            "connections_num": self.connections_num,
            "connections_ms": round(self.connecting * 1000),
            "connections_errors": self.connections_errors,
            "connections_lost": self.connections_lost,
        }
        stats.update(self._extra(core))
        if reset:
            self._zero()
            self._base = dict(core.destroyed)
        return stats

    def _extra(self, core: Any) -> dict[str, Any]:
        return {
            "timeouts": self.timeouts,
            "validations": self.validations,
            "pings_failed": self.pings_failed,
            "leaks": self.leaks.found,
            "destroyed": {reason.value: core.destroyed[reason] - self._base[reason] for reason in Reason},
            "wait_ms": self.wait.summary(),
            "use_ms": self.use.summary(),
            "create_ms": self.create.summary(),
        }


# -- every live pool, for the OpenTelemetry instruments -------------------------

_live: weakref.WeakSet[Any] = weakref.WeakSet()
_sink: Sink | None = None


def watch(engine: Any) -> None:
    """Count a new pool engine among the live ones; it reports to the current sink."""
    engine.metrics.sink = _sink
    _live.add(engine)


def live() -> list[Any]:
    """The pool engines alive now."""
    return list(_live)


def attach(sink: Sink | None) -> None:
    """Make ``sink`` receive the durations of every pool, live and future (None: none)."""
    global _sink
    _sink = sink
    for engine in live():
        engine.metrics.sink = sink
