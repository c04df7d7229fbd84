"""The thread layer: performs the engine's steps by blocking.

Background opens run as jobs on the reused daemon workers of
:mod:`._offload` (starting a thread makes its starter wait until the thread
runs: on a busy interpreter, a caller's wait would pay for that), holding the
pool only while they open; waiters block on a private lock that only the
core's grant releases, so a release wakes exactly one waiter. A ping or open limited by the
caller's wait runs as a job on a worker thread (:mod:`._offload`), so the
caller stops waiting in time and the call ends alone.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
import weakref
from collections.abc import Callable, Hashable
from typing import Any, Protocol

from ._core import Actions, Entry
from ._engine import PoolEngine
from ._offload import Job, submit
from ._physical import LOGOFF_WAIT
from ._steps import LATE, Open, Ping, Run, Step, Steps

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
        self.logoffs: set[Job] = set()  # set.add and discard are atomic: no lock
        release = getattr(connector, "release", None)
        if release is not None:  # DRCP (see _drcp): off the release path of every other pool
            self.release = functools.partial(self._release_first, release)  # type: ignore[method-assign]

    def _release_first(self, release: Callable[[Any], bool], entry: Entry, healthy: bool | None = True,
                       tag: str | None = None) -> None:  # fmt: skip
        """Give a DRCP session back once it has released its pooled server."""
        released: bool | None = False  # interrupted mid-release: log the session off
        try:
            released = release(entry.conn) if healthy is True else healthy
        finally:
            PoolEngine.release(self, entry, released, tag)

    def acquire(
        self, key: Hashable = None, tag: str | None = None, matchany: bool = False, timeout: float | None = None,
        lend: bool = True,
    ) -> tuple[Entry, bool]:
        """Borrow a session; returns it and whether it was opened for this call.

        Args:
            timeout: seconds to wait when the pool is at ``max`` (None: forever).
            lend: try the fast path (False: the caller just did).
        """
        entry = self.lend(key, tag) if lend else None
        if entry is not None:
            return entry, False  # the fast path: no generator, no I/O, no Actions
        started = self.clock()
        actions = self.checkout(key, tag, matchany, timeout)
        if actions.lease is not None and not actions.ping:
            return actions.lease, False
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
            entry = step.entry
            if step.limit is None:
                return self.connector.ping(entry.conn)
            return _within(step.limit, functools.partial(self.connector.ping, entry.conn),
                           lambda job: self.late_ping(entry, job.value is True))  # fmt: skip
        if isinstance(step, Open):
            key = step.key
            if step.limit is None:
                return self.connector.open(key)
            return _within(step.limit, functools.partial(self.connector.open, key),
                           lambda job: self.late_open(key, job.value, job.error))  # fmt: skip
        token: threading.Lock = step.waiter.token  # released by the grant, or already
        return token.acquire(timeout=-1 if step.timeout is None else step.timeout)

    def new_token(self) -> threading.Lock:
        """A lock taken here and released by the granting thread: the
        cheapest handoff between two threads that the stdlib offers."""
        token = threading.Lock()
        token.acquire()
        return token

    def validate(self, check_after: float) -> None:
        """One validator pass (called by the validator thread)."""
        self.drive(self.tick(check_after))

    def run(self, actions: Actions) -> None:
        """Carry out a core decision; the lock must not be held."""
        if actions.close:  # on a worker: neither recycling nor a stalled logoff is the caller's wait
            self._log_off([entry.conn for entry, _ in actions.close], [reason.value for _, reason in actions.close])
        for key in actions.spawn:  # on a reused worker: no thread to start while a caller's wait runs
            submit(functools.partial(_open_in_background, weakref.ref(self), key))
        for waiter in actions.wake:
            if waiter.token is not None:
                waiter.token.release()
        if actions.retry_after is not None:
            schedule = self.schedule or _timer
            schedule(actions.retry_after, functools.partial(_retry, weakref.ref(self), actions.retry_key))
        if actions.check_soon:
            self.on_suspect()

    def _log_off(self, conns: list[Any], reasons: list[str]) -> None:
        """Log sessions off on a worker: no caller waits on a stalled logoff
        (:meth:`settle` waits, within a bound)."""
        logger.debug("logging off %d session(s) (%s)", len(conns), ", ".join(reasons))
        job = submit(functools.partial(_close_all, self.connector, conns))
        self.logoffs.add(job)
        job.then(self.logoffs.discard)

    def settle(self, timeout: float = LOGOFF_WAIT) -> bool:
        """Wait at most ``timeout`` seconds for the logoffs under way; True
        when none is left (the rest end alone, within the ping timeout)."""
        deadline = time.monotonic() + timeout
        for job in list(self.logoffs):
            if not job.wait(deadline - time.monotonic()):
                logger.info("logoffs still under way after %.1f s: they end in the background", timeout)
                return False
        return True

    def reset_after_fork(self) -> list[Any]:
        """In a forked child: forget every session, waiter and pending open
        (never log off the parent's sessions)."""
        self.logoffs = set()
        return self.forget_after_fork()


def _close_all(connector: Connector, conns: list[Any]) -> None:
    for conn in conns:
        connector.close(conn)


def _within(limit: float, call: Callable[[], Any], late: Callable[[Job], object]) -> Any:
    """``call()`` on a worker, waited for at most ``limit`` seconds: its
    result, or LATE (``late(job)`` then runs once it is done)."""
    deadline = time.monotonic() + limit  # starting a worker counts towards the limit
    job = submit(call)
    if job.wait(deadline - time.monotonic()):
        return job.result()
    job.then(late)
    return LATE


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
