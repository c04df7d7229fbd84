"""The background validator: one daemon thread per process for every sync pool.

Every ``interval`` seconds (sooner when a pool's idle timeout or lifetime asks
for finer steps, or at once when a pool turns suspect) it gives each pool a
:meth:`~devart_oracle.pool._sync.SyncPool.validate` pass: expired sessions are logged
off, idle ones pinged outside the pool's lock, and ``min`` restored. It holds
pools through weak references, so it never keeps one alive; an exception in a
pass is logged and the thread carries on.

It sleeps on a socket pair rather than a ``threading.Event``: ``wake()`` is
then one non-blocking send, no lock taken, so it is safe from ``__del__``
(a handle collected without ``close()`` wakes it, and the collector may run
while any lock is held, an Event's own included).

Given a ``schedule(delay, fn)`` (a test's fake clock), it runs no thread: each
pass is scheduled there, and ``wake()`` schedules one at once.
"""

from __future__ import annotations

import logging
import select
import socket
import threading
import weakref
from collections.abc import Callable

from ._core import PoolSettings
from ._steps import Schedule
from ._sync import SyncPool

__all__ = ["Validator", "tick_period"]

logger = logging.getLogger("devart_oracle.pool")

#: The finest step the validator takes, in seconds.
MIN_PERIOD = 0.05


def tick_period(settings: PoolSettings, interval: float) -> float:
    """How often a pool needs a pass so that timeouts fire roughly on time."""
    limits = [t / 4 for t in (settings.idle_timeout, settings.lifetime) if t > 0]
    # Ten passes in the window where sessions are recycled, so that each
    # recycles a tenth of them at most (see _lifetime).
    window = settings.lifetime * settings.lifetime_spread
    if window > 0:
        limits.append(window / 10)
    return max(MIN_PERIOD, min([interval, *limits]))


class Validator:
    """Runs pool upkeep in one background thread, started on first use."""

    def __init__(self, interval: Callable[[], float], schedule: Schedule | None = None) -> None:
        self._interval = interval
        self._schedule = schedule
        self._pools: weakref.WeakSet[SyncPool] = weakref.WeakSet()
        self._bell, self._ring = _socket_pair()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._ticking = False  # passes are scheduled (no thread)
        self._stopping = False

    def __repr__(self) -> str:
        state = "running" if self._thread is not None else "idle"
        return f"<Validator {state} pools={len(self._pools)}>"

    def add(self, pool: SyncPool) -> None:
        """Watch a pool (weakly) and make sure the thread runs."""
        with self._lock:
            self._pools.add(pool)
            if self._thread is not None or self._ticking or self._stopping:
                return
            if self._schedule is not None:
                self._ticking = True
                self._schedule(self._period(), self._scheduled_pass)
                return
            self._thread = threading.Thread(target=self._run, name="devart_oracle validator", daemon=True)
            self._thread.start()

    def wake(self) -> None:
        """Run a pass now (a pool turned suspect, settings changed, a handle
        was collected). Takes no lock: safe from ``__del__``."""
        if self._schedule is not None:
            self._schedule(0.0, self._woken_pass)
            return
        try:
            self._ring.send(b"!")
        except OSError:  # already ringing (buffer full), or stopped
            pass

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the thread and wait for it."""
        with self._lock:
            self._stopping = True
            thread = self._thread
        self.wake()
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
        if thread is None or not thread.is_alive():
            self._bell.close()
            self._ring.close()

    def reset_after_fork(self) -> None:
        """In a forked child: no thread runs, no pool is watched yet."""
        self._pools = weakref.WeakSet()
        self._bell.close()  # the child's copies: the parent's stay open
        self._ring.close()
        self._bell, self._ring = _socket_pair()
        self._lock = threading.Lock()
        self._thread = None
        self._ticking = False

    def pools(self) -> list[SyncPool]:
        """The pools watched now."""
        return list(self._pools)

    def _period(self) -> float:
        interval = self._interval()
        periods = [tick_period(p.core.settings, interval) for p in self.pools()]
        return min([interval, *periods])

    def _run(self) -> None:
        while not self._stopping:
            self._sleep(self._period())
            if not self._stopping:
                self.run_once()

    def _scheduled_pass(self) -> None:
        if not self._stopping and self._schedule is not None:
            self.run_once()
            self._schedule(self._period(), self._scheduled_pass)

    def _woken_pass(self) -> None:
        if not self._stopping:
            self.run_once()

    def _sleep(self, seconds: float) -> None:
        """Wait until woken or ``seconds`` pass; then clear the bell."""
        ready, _, _ = select.select([self._bell], [], [], seconds)
        if ready:
            try:
                self._bell.recv(4096)
            except OSError:
                pass

    def run_once(self) -> None:
        """One pass over every pool; errors are logged, never raised."""
        interval = self._interval()
        for pool in self.pools():
            try:
                pool.validate(interval)
            except Exception:
                logger.exception("pool validation pass failed")


def _socket_pair() -> tuple[socket.socket, socket.socket]:
    """The validator's bell: it sleeps on the first, ``wake()`` sends on the second."""
    bell, ring = socket.socketpair()
    bell.setblocking(False)
    ring.setblocking(False)
    return bell, ring
