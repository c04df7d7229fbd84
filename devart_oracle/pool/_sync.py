"""The thread layer: performs the engine's steps by blocking.

Background opens run in short-lived daemon threads that hold the pool only
while they open; waiters block on a private lock that only the core's grant
releases, so a release wakes exactly one waiter.
"""

from __future__ import annotations

import logging
import functools
import threading
import weakref
from collections.abc import Callable, Hashable
from typing import Any, Protocol

from ._core import Actions, Entry, Reason
from ._engine import Open, Ping, PoolEngine, Run, Step, Steps, jitter

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


class SyncPool(PoolEngine):
    """A thread-safe pool over one connector."""

    def __init__(self, settings: Any, connector: Connector, error: Any, **kwargs: Any) -> None:
        super().__init__(settings, error, **kwargs)
        self.connector = connector

    def acquire(
        self, key: Hashable = None, tag: str | None = None, matchany: bool = False, timeout: float | None = None
    ) -> tuple[Entry, bool]:
        """Borrow a session; returns it and whether it was opened for this call.

        Args:
            timeout: seconds to wait when the pool is at ``max`` (None: forever).
        """
        started = self.clock()
        actions = self.checkout(key, tag, matchany)
        if actions.lease is not None and not actions.ping:
            return actions.lease, False  # the fast path: no generator, no I/O
        return self.drive(self.obtain(actions, started, key, tag, matchany, timeout))  # type: ignore[no-any-return]

    def drive(self, steps: Steps) -> Any:
        """Run an engine generator to its end, performing each step by blocking."""
        run = Run(steps)
        while run.next():
            try:
                run.reply = self._perform(run.step)
            except BaseException as exc:
                run.error = exc
        return run.result

    def _perform(self, step: Step) -> Any:
        if isinstance(step, Ping):
            return self.connector.ping(step.entry.conn)
        if isinstance(step, Open):
            return self.connector.open(step.key)
        # A lock taken here and released by the granting thread: the
        # cheapest handoff between two threads that the stdlib offers.
        token = threading.Lock()
        token.acquire()
        if not self.wait_token(step.waiter, token):
            return True
        return token.acquire(timeout=-1 if step.timeout is None else step.timeout)

    def validate(self, check_after: float) -> None:
        """One validator pass (called by the validator thread)."""
        self.drive(self.tick(check_after))

    def run(self, actions: Actions) -> None:
        """Carry out a core decision; the lock must not be held."""
        for entry, reason in actions.close:
            logger.debug("logging off a session (%s)", reason.value)
            if reason is Reason.LIFETIME:  # recycling is never the caller's wait
                _start(self.connector.close, entry.conn)
            else:
                self.connector.close(entry.conn)
        for key in actions.spawn:
            _start(_open_in_background, weakref.ref(self), key)
        for waiter in actions.wake:
            if waiter.token is not None:
                waiter.token.release()
        if actions.retry_after is not None:
            schedule = self.schedule or _timer
            schedule(jitter(actions.retry_after), functools.partial(_retry, weakref.ref(self), actions.retry_key))
        if actions.check_soon:
            self.on_suspect()

    def reset_after_fork(self) -> list[Any]:
        """In a forked child: forget every session (never log off the parent's)."""
        self.lock = threading.Lock()
        return [entry.conn for entry in self.core.forget()]


def _start(target: Callable[..., None], *args: Any) -> None:
    threading.Thread(target=target, args=args, daemon=True, name="devart_oracle opener").start()


def _timer(delay: float, callback: Callable[[], None]) -> None:
    """The default schedule: a daemon timer thread."""
    timer = threading.Timer(delay, callback)
    timer.daemon = True
    timer.start()


def _open_in_background(ref: weakref.ref[SyncPool], key: Hashable) -> None:
    pool = ref()
    if pool is not None:
        pool.drive(pool.open_in_background(key))


def _retry(ref: weakref.ref[SyncPool], key: Hashable) -> None:
    pool = ref()
    if pool is not None:
        pool.call(pool.core.retry, key=key)
