"""The thread layer over :class:`~devart_oracle.pool._core.PoolCore`.

Each call takes the lock, asks the core, releases the lock, then carries out
the returned :class:`Actions`: network I/O (logon, logoff, ping) never happens
under the lock. Background opens run in short-lived daemon threads; waiters
block on a private :class:`threading.Event` that only the core's grant sets,
so a release wakes exactly one waiter.
"""

from __future__ import annotations

import logging
import random
import threading
import time
import weakref
from collections.abc import Callable, Hashable
from typing import Any, Protocol

from ._core import Actions, Entry, PoolCore, PoolSettings, Refusal, Waiter

__all__ = ["Connector", "SyncPool"]

logger = logging.getLogger("devart_oracle.pool")


class Connector(Protocol):
    """How a pool reaches the database: open, log off and ping sessions."""

    def open(self, key: Hashable) -> Any:
        """Open a session for ``key`` (raises the driver's error on failure)."""

    def close(self, conn: Any) -> None:
        """Log a session off; never raises."""

    def ping(self, conn: Any) -> bool:
        """Round-trip to the database; False when the session is dead."""


#: Builds the exception for a refused or failed acquire: (refusal or driver
#: error, seconds waited) -> exception to raise.
ErrorFactory = Callable[[Refusal | BaseException, float], BaseException]


class SyncPool:
    """A thread-safe pool: a lock, a core, a connector and a clock."""

    def __init__(
        self,
        settings: PoolSettings,
        connector: Connector,
        error: ErrorFactory,
        *,
        clock: Callable[[], float] = time.monotonic,
        on_suspect: Callable[[], None] = lambda: None,
    ) -> None:
        self.core = PoolCore(settings)
        self.connector = connector
        self.clock = clock
        self._lock = threading.Lock()
        self._error = error
        self._on_suspect = on_suspect

    def __repr__(self) -> str:
        return f"<SyncPool {self.core!r}>"

    # -- borrowing -------------------------------------------------------

    def acquire(
        self,
        key: Hashable = None,
        tag: str | None = None,
        matchany: bool = False,
        timeout: float | None = None,
    ) -> tuple[Entry, bool]:
        """Borrow a session; returns it and whether it was opened for this call.

        Args:
            timeout: seconds to wait when the pool is at ``max`` (None: forever).

        Raises:
            the exception built by the pool's error factory.
        """
        started = self.clock()
        while True:
            with self._lock:
                actions = self.core.checkout(self.clock(), key, tag, matchany)
            entry = actions.lease
            if entry is not None and not actions.ping:
                return entry, False
            got = self._follow(actions, key, started, timeout)
            if got is not None:
                return got

    def _follow(
        self, actions: Actions, key: Hashable, started: float, timeout: float | None
    ) -> tuple[Entry, bool] | None:
        """Carry out a checkout that did not hand over an idle session at once."""
        self.run(actions)
        if actions.refuse is not None:
            raise self._error(actions.refuse, self.clock() - started)
        if actions.lease is not None:
            return self._validated(actions.lease)
        if actions.open_now:
            return self._open_for_caller(key), True
        assert actions.wait is not None
        return self._wait(actions.wait, started, timeout)

    def _validated(self, entry: Entry) -> tuple[Entry, bool] | None:
        """Ping a leased session; a dead one is logged off and None returned."""
        if self.connector.ping(entry.conn):
            entry.suspect = False
            return entry, False
        with self._lock:
            actions = self.core.ping_failed(entry, self.clock())
        self.run(actions)
        return None

    def _open_for_caller(self, key: Hashable) -> Entry:
        try:
            conn = self.connector.open(key)
        except BaseException:
            with self._lock:
                self.core.open_failed(for_caller=True)
            raise
        with self._lock:
            entry, actions = self.core.admit(conn, self.clock(), key, for_caller=True)
        self.run(actions)
        if actions.refuse is not None:
            raise self._error(actions.refuse, 0.0)
        return entry

    def _wait(self, waiter: Waiter, started: float, timeout: float | None) -> tuple[Entry, bool]:
        event = threading.Event()
        with self._lock:
            waiter.token = event
        remaining = None if timeout is None else max(0.0, started + timeout - self.clock())
        event.wait(remaining)
        with self._lock:
            entry, error = waiter.entry, waiter.error
            actions = self.core.abandon(waiter, self.clock()) if entry is None else Actions()
        self.run(actions)
        if entry is not None:
            return entry, False
        raise self._error(error if error is not None else Refusal.EXHAUSTED, self.clock() - started)

    def release(self, entry: Entry, healthy: bool = True, tag: str | None = None) -> None:
        """Give a borrowed session back (healthy=False logs it off)."""
        with self._lock:
            actions = self.core.checkin(entry, self.clock(), healthy, tag)
        if actions.background:
            self.run(actions)

    def drop(self, entry: Entry) -> None:
        """Log a borrowed session off for good and free its slot."""
        with self._lock:
            actions = self.core.discard(entry)
        self.run(actions)

    # -- upkeep ----------------------------------------------------------

    def call(self, method: Callable[..., Actions], *args: Any) -> None:
        """Run one core method under the lock, then its actions outside it."""
        with self._lock:
            actions = method(*args)
        self.run(actions)

    def tick(self, check_after: float) -> None:
        """One validator pass: expire, ping idle sessions outside the lock, refill."""
        with self._lock:
            actions = self.core.tick(self.clock(), check_after)
        self.run(actions)
        for entry in actions.check:
            alive = self.connector.ping(entry.conn)
            with self._lock:
                result = self.core.checked(entry, self.clock(), alive)
            self.run(result)

    def run(self, actions: Actions) -> None:
        """Carry out a core decision; the lock must not be held."""
        for entry, reason in actions.close:
            logger.debug("logging off a session (%s)", reason.value)
            self.connector.close(entry.conn)
        for key in actions.spawn:
            _start(_open_in_background, weakref.ref(self), key)
        for waiter in actions.wake:
            if waiter.token is not None:
                waiter.token.set()
        if actions.retry_after is not None:
            delay = actions.retry_after * random.uniform(0.5, 1.5)
            timer = threading.Timer(delay, _retry, (weakref.ref(self),))
            timer.daemon = True
            timer.start()
        if actions.check_soon:
            self._on_suspect()


def _start(target: Callable[..., None], *args: Any) -> None:
    threading.Thread(target=target, args=args, daemon=True, name="devart_oracle opener").start()


def _open_in_background(ref: weakref.ref[SyncPool], key: Hashable) -> None:
    """Open one session for a pool; the thread holds the pool only while opening."""
    pool = ref()
    if pool is None:
        return
    try:
        conn = pool.connector.open(key)
    except Exception as exc:
        logger.warning("background logon failed: %s", exc)
        pool.call(pool.core.open_failed, exc)
        return
    pool.call(lambda: pool.core.admit(conn, pool.clock(), key)[1])


def _retry(ref: weakref.ref[SyncPool]) -> None:
    pool = ref()
    if pool is not None:
        pool.call(pool.core.retry)
