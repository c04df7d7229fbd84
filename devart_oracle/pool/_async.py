"""The asyncio layer: performs the engine's steps by awaiting.

Background opens, logoffs and validator passes are tasks on the pool's event
loop (kept referenced until they finish); a waiter awaits a private future
that only the core's grant resolves. A cancelled waiter goes back through the
core, so a session granted to it in the meantime is handed on, never lost.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Callable, Coroutine, Hashable
from typing import Any, Protocol

from ._core import Actions, Entry
from ._engine import PoolEngine
from ._physical import LOGOFF_WAIT
from ._steps import LATE, Open, Ping, Run, Step, Steps

__all__ = ["AsyncConnector", "AsyncPool", "on_loop"]

logger = logging.getLogger("devart_oracle.pool")


class AsyncConnector(Protocol):
    """How an asyncio pool reaches the database."""

    async def open(self, key: Hashable) -> Any:
        """Open a session for ``key`` (raises the driver's error on failure)."""

    async def close(self, conn: Any) -> None:
        """Log a session off; never raises."""

    async def ping(self, conn: Any) -> bool:
        """Round-trip to the database; False when the session is dead."""


class AsyncPool(PoolEngine):
    """An asyncio pool over one connector, bound to the loop it first runs on."""

    def __init__(self, settings: Any, connector: AsyncConnector, error: Any, **kwargs: Any) -> None:
        super().__init__(settings, error, **kwargs)
        self.connector = connector
        self.tasks: set[asyncio.Task[Any]] = set()
        release = getattr(connector, "release", None)
        if release is not None:  # DRCP (see _drcp): off the release path of every other pool
            self.release = functools.partial(self._release_first, release)  # type: ignore[method-assign,assignment]

    def _release_first(self, release: Callable[[Any], Coroutine[Any, Any, bool]], entry: Entry,
                       healthy: bool | None = True, tag: str | None = None) -> Coroutine[Any, Any, None] | None:  # fmt: skip
        """Give a DRCP session back once it has released its pooled server (awaited by the handle)."""
        if healthy is not True:  # a broken or cancelled return: nothing to send, nothing to await
            PoolEngine.release(self, entry, healthy, tag)
            return None
        return self._released(release, entry, tag)

    async def _released(self, release: Callable[[Any], Coroutine[Any, Any, bool]], entry: Entry,
                        tag: str | None) -> None:  # fmt: skip
        healthy = False  # cancelled mid-release: the session's state is unknown, log it off
        try:
            healthy = await release(entry.conn)
        finally:
            PoolEngine.release(self, entry, healthy, tag)

    async def acquire(
        self, key: Hashable = None, tag: str | None = None, matchany: bool = False, timeout: float | None = None,
        lend: bool = True,
    ) -> tuple[Entry, bool]:
        """Borrow a session; returns it and whether it was opened for this call."""
        entry = self.lend(key, tag) if lend else None  # lend: False when the caller just tried
        if entry is not None:
            return entry, False  # the fast path: no generator, no I/O, no Actions
        started = self.clock()
        actions = self.checkout(key, tag, matchany, timeout)
        if actions.lease is not None and not actions.ping:
            return actions.lease, False
        return await self.drive(self.obtain(actions, started, key, tag, matchany, timeout))  # type: ignore[no-any-return]

    async def drive(self, steps: Steps) -> Any:
        """Run an engine generator to its end, performing each step by awaiting."""
        run = Run(steps)
        while run.next():
            try:
                run.reply = await self._perform(run.step)
            except BaseException as exc:  # handed to the generator: it cleans up and re-raises
                run.error = exc
        return run.result

    async def _perform(self, step: Step) -> Any:
        if isinstance(step, Ping):
            entry = step.entry
            if step.limit is None:
                return await self.connector.ping(entry.conn)
            return await self._within(step.limit, self.connector.ping(entry.conn),
                                      lambda task: self.late_ping(entry, _outcome(task)[0] is True))  # fmt: skip
        if isinstance(step, Open):
            key = step.key
            if step.limit is None:
                return await self.connector.open(key)
            return await self._within(step.limit, self.connector.open(key),
                                      lambda task: self.late_open(key, *_outcome(task)))  # fmt: skip
        future: asyncio.Future[None] = step.waiter.token  # resolved by the grant, or already
        try:
            await asyncio.wait_for(future, step.timeout)
        except asyncio.TimeoutError:
            return False
        return True

    def new_token(self) -> asyncio.Future[None]:
        """A future of the running loop's, resolved by the grant."""
        return asyncio.get_running_loop().create_future()

    async def _within(
        self, limit: float, coro: Coroutine[Any, Any, Any], late: Callable[[asyncio.Task[Any]], object]
    ) -> Any:
        """Await ``coro`` as a task of the pool's for at most ``limit``
        seconds: its result, or LATE (``late(task)`` runs once it is done).

        Cancelled meanwhile, the call is cancelled too and waited for, as an
        unlimited step would be: the engine then counts its session as lost.
        """
        task = self.spawn(coro)
        try:
            done, _ = await asyncio.wait({task}, timeout=max(0.0, limit))
        except BaseException:
            task.cancel()
            await asyncio.wait({task})
            raise
        if not done:
            task.add_done_callback(late)
            return LATE
        return task.result()

    async def validate(self, check_after: float) -> None:
        """One validator pass."""
        await self.drive(self.tick(check_after))

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Run a coroutine as a task of the pool, kept until it finishes."""
        task = asyncio.get_running_loop().create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    def run(self, actions: Actions) -> None:
        """Carry out a core decision: I/O becomes tasks, waiters are resolved."""
        for entry, reason in actions.close:
            logger.debug("logging off a session (%s)", reason.value)
            self.spawn(self.connector.close(entry.conn))
        for key in actions.spawn:
            self.spawn(self.drive(self.open_in_background(key)))
        for waiter in actions.wake:
            future = waiter.token
            if future is not None and not future.done():
                future.set_result(None)
        if actions.retry_after is not None:
            self.later(actions.retry_after, functools.partial(self.call, self.core.retry, key=actions.retry_key))
        if actions.check_soon:
            self.on_suspect()

    def adopt_now(self) -> None:
        """Take back the sessions of collected handles (on the loop, soon after)."""
        self.call(self._adopt)

    def later(self, delay: float, callback: Callable[[], Any]) -> None:
        """Call ``callback`` on the loop after ``delay`` seconds: a task of the
        pool's, or through the injected schedule."""
        if self.schedule is None:
            self.spawn(_after(delay, callback))
            return
        loop = asyncio.get_running_loop()
        self.schedule(delay, lambda: on_loop(loop, callback))

    async def settle(self, timeout: float = LOGOFF_WAIT) -> bool:
        """Wait at most ``timeout`` seconds for the pool's pending tasks
        (logoffs, pings, opens); True when none is left. A task still under
        way then (a stalled network) ends alone: logoffs and pings within
        the ping timeout, opens when the network answers."""
        deadline = time.monotonic() + timeout
        while self.tasks:
            left = deadline - time.monotonic()
            if left <= 0:
                logger.warning("%d pool task(s) still under way after %.1f s: they end in the background",
                               len(self.tasks), timeout)  # fmt: skip
                return False
            await asyncio.wait(list(self.tasks), timeout=left)
        return True

    def forget_after_fork(self) -> list[Any]:
        """In a forked child: also forget the parent's tasks (its event loop's)."""
        self.tasks = set()
        return super().forget_after_fork()


def _outcome(task: asyncio.Task[Any]) -> tuple[Any, BaseException | None]:
    """A finished task's result and error (a cancelled task's error is its cancellation)."""
    if task.cancelled():
        return None, asyncio.CancelledError()
    error = task.exception()
    return (None, error) if error is not None else (task.result(), None)


async def _after(delay: float, callback: Callable[[], Any]) -> None:
    await asyncio.sleep(delay)
    callback()


def on_loop(loop: asyncio.AbstractEventLoop, callback: Callable[[], object]) -> None:
    """Have ``callback`` run on ``loop`` soon, from any thread; nothing if the loop is closed."""
    try:
        loop.call_soon_threadsafe(callback)
    except RuntimeError:  # the loop is closed: the pool is gone with it
        pass

