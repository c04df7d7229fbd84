"""What keeps the process's pools in shape: the validator, its interval, the
time source of new pools, and the hooks for process exit and fork.

One :class:`Upkeep` is current at a time (:func:`current`). Explicit pools
and ``connection_pool``'s partitions take their clock and schedule from it
when they are made, and sync pools are validated by its validator thread.
:func:`using` puts another one in place for a while (a test's fake clock).

The schedule, ``schedule(delay, fn)``, runs ``fn`` once ``delay`` seconds
have passed: it is what the engine's retries and the validator wait with.
None means the real thing (a timer thread, an asyncio task, the validator's
own thread).
"""

from __future__ import annotations

import asyncio
import atexit
import os
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from ._async import on_loop
from ._steps import Schedule
from ._validator import Validator

__all__ = ["Clock", "Schedule", "Upkeep", "current", "install", "nap", "using"]

Clock = Callable[[], float]


class Upkeep:
    """The validator and the time source shared by the pools of a process."""

    def __init__(self, clock: Clock = time.monotonic, schedule: Schedule | None = None) -> None:
        self.validation_interval = 30.0  # seconds between validator passes
        self.clock = clock
        self.schedule = schedule
        self.validator = Validator(lambda: self.validation_interval, schedule)
        # Pools the validator does not watch (asyncio ones), for fork.
        self.unwatched: weakref.WeakSet[_Forkable] = weakref.WeakSet()

    def __repr__(self) -> str:
        return f"<Upkeep interval={self.validation_interval} {self.validator!r}>"

    def shutdown(self) -> None:
        """Stop the validator (and wait for it)."""
        self.validator.stop()

    def forget_after_fork(self) -> None:
        """In a forked child: every pool forgets the parent's sessions
        without logging them off, and its waiters and pending opens; the
        validator starts afresh, watching the same sync pools."""
        watched = self.validator.pools()
        pools: list[_Forkable] = [*watched, *self.unwatched]
        for pool in pools:
            for conn in pool.reset_after_fork():
                _disown(conn)
        self.validator.reset_after_fork()
        for pool in watched:  # the child's validator restores their min
            self.validator.add(pool)


_current = Upkeep()


def current() -> Upkeep:
    """The upkeep new pools join."""
    return _current


@contextmanager
def using(
    clock: Clock = time.monotonic, schedule: Schedule | None = None, validation_interval: float | None = None
) -> Iterator[Upkeep]:
    """Make a fresh upkeep current for the block; its validator stops after it."""
    global _current
    previous = _current
    fresh = Upkeep(clock, schedule)
    fresh.validation_interval = previous.validation_interval if validation_interval is None else validation_interval
    _current = fresh
    try:
        yield fresh
    finally:
        _current = previous
        fresh.shutdown()


async def nap(schedule: Schedule | None, delay: float) -> None:
    """Sleep ``delay`` seconds on the event loop, by ``schedule`` if one is given."""
    if schedule is None:
        await asyncio.sleep(delay)
        return
    loop = asyncio.get_running_loop()
    woken: asyncio.Future[None] = loop.create_future()

    def wake() -> None:
        if not woken.done():
            woken.set_result(None)

    schedule(delay, lambda: on_loop(loop, wake))
    await woken


class _Forkable(Protocol):
    def reset_after_fork(self) -> list[Any]: ...


class _Hooked(Protocol):
    def shutdown(self) -> None: ...

    def forget_after_fork(self) -> None: ...


def install(target: Callable[[], _Hooked]) -> None:
    """Register the process hooks for whatever ``target()`` returns then: at
    exit its ``shutdown()``, after fork (in the child) its ``forget_after_fork()``."""
    atexit.register(lambda: target().shutdown())
    if hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=lambda: target().forget_after_fork())


#: The insides of sessions inherited from a parent process, kept referenced
#: for good so that nothing of theirs is finalized in the child.
_INHERITED: list[Any] = []


def _disown(conn: Any) -> None:
    """Make an inherited python-oracledb connection unusable in this process
    without logging its session off: the session is the parent's.

    python-oracledb logs off in ``Connection.__del__`` when the connection
    still has its implementation object; detached, it sends nothing (and any
    use raises its own "not connected" error). Thin mode only: the Oracle
    Client of thick mode is not fork-safe in any case.
    """
    impl = getattr(conn, "_impl", None)
    if impl is not None:
        _INHERITED.append(impl)
        conn._impl = None
