"""python-oracledb's explicit pool API, served by devart_oracle's pool engine.

``ConnectionPool`` runs on the thread layer and is validated by the same
background thread as ``connection_pool``; ``AsyncConnectionPool`` runs on the
asyncio layer with an upkeep task of its own. Both share :class:`PoolFace`.
"""

from __future__ import annotations

import asyncio
import inspect
import weakref
from collections.abc import Callable, Generator, Hashable
from typing import Any, TypeVar

import oracledb

from .._connection import AsyncConnection, Connection, retag
from .._errors import ProgrammingError, driver_error
from ._async import AsyncPool
from ._face import PoolFace
from ._options import PoolSpec
from ._physical import AsyncDriverConnector, DriverConnector, is_refused
from ._records import Outage, Why
from ._sync import SyncPool
from ._upkeep import current, nap
from ._validator import tick_period

__all__ = ["AsyncConnectionPool", "ConnectionPool", "create_pool", "create_pool_async"]


class ConnectionPool(PoolFace[Connection]):
    """A thread-safe pool with python-oracledb's API (``create_pool()`` makes one)."""

    _handle_type = Connection
    _engine: SyncPool

    def _new_engine(self, spec: PoolSpec) -> SyncPool:
        self._connector = DriverConnector(spec.params, spec.options.ping_timeout, spec.options.name)
        wake = current().validator.wake
        return SyncPool(spec.options.settings(), self._connector, self._error, on_suspect=wake, on_orphan=wake,
                        **self._engine_options())  # fmt: skip

    def _begin(self) -> None:
        current().validator.add(self._engine)
        self._engine.call(self._engine.core.replenish)

    def _acquire(self, key: Hashable, tag: str | None, matchany: bool, lend: bool = True) -> Connection:
        entry, _ = self._engine.acquire(key, tag, matchany, self._options.wait_limit(), lend)
        handle, _ = self._handed(entry, tag)
        return handle  # type: ignore[return-value]

    def release(self, connection: Connection, tag: str | None = None) -> None:
        """Give a connection back, optionally retagging its session."""
        if not retag(connection, self._engine, tag):
            self._own(connection)  # raises what is wrong
        connection.close()

    def drop(self, connection: Connection) -> None:
        """Log a connection's session off and free its slot."""
        self._engine.drop(self._end(connection))
        self._engine.settle()

    def drain(self) -> None:
        """Retire every session and keep the pool open: idle ones are logged off
        now, busy ones when they come back; later acquires get fresh sessions.

        Raises:
            PoolClosedError: the pool is closed.
        """
        self._drain()

    def close(self, force: bool = False) -> None:
        """Close the pool; refuses while connections are busy unless ``force``,
        which logs busy sessions off too (their handles then fail).

        Waits for the logoffs at most two seconds (``LOGOFF_WAIT``); one still
        under way then (a stalled network) ends alone within ``ping_timeout``.
        """
        self._close(force)
        self._engine.settle()
        if self._connector.drcp is not None:
            self._connector.drcp.close()

    def __enter__(self) -> ConnectionPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if not self._closed:
            self.close(force=True)


class _Acquiring:
    """``pool.acquire()`` of an asyncio pool when no idle session was lent at
    once (see :meth:`PoolFace.acquire`): awaitable, or an async context
    manager; awaiting it awaits the pool's ``_acquired()``."""

    __slots__ = ("_conn", "_key", "_lend", "_matchany", "_pool", "_tag")

    def __init__(self, pool: AsyncConnectionPool, key: Hashable, tag: str | None, matchany: bool,
                 lend: bool) -> None:  # fmt: skip
        self._pool = pool
        self._key = key
        self._tag = tag
        self._matchany = matchany
        self._lend = lend
        self._conn: AsyncConnection | None = None

    def __await__(self) -> Generator[Any, None, AsyncConnection]:
        return self._pool._acquired(self._key, self._tag, self._matchany, self._lend).__await__()

    async def __aenter__(self) -> AsyncConnection:
        self._conn = await self
        return self._conn

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._conn is not None
        await self._conn.__aexit__(*exc_info)


class AsyncConnectionPool(PoolFace[_Acquiring | AsyncConnection]):
    """An asyncio pool with python-oracledb's API (``create_pool_async()`` makes one)."""

    _handle_type = AsyncConnection
    _engine: AsyncPool
    _async_connector: AsyncDriverConnector
    _upkeep: asyncio.Task[None] | None = None

    def _new_engine(self, spec: PoolSpec) -> AsyncPool:
        self._connector = self._async_connector = AsyncDriverConnector(
            spec.params, spec.options.ping_timeout, spec.options.name
        )
        current().unwatched.add(self)
        return AsyncPool(spec.options.settings(), self._connector, self._error, **self._engine_options())

    def reset_after_fork(self) -> list[Any]:
        """In a forked child: forget the parent's sessions, waiters, pending
        opens and tasks; the upkeep task starts again on first use."""
        self._upkeep = None
        self._may_lend()
        return self._engine.forget_after_fork()

    def _may_lend(self) -> None:
        """The fast path also waits for the upkeep task (started on first use, in the loop)."""
        super()._may_lend()
        self._plain = self._plain and self._upkeep is not None

    def _begin(self) -> None:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return  # started on first use, inside the loop
        self._start()

    def _start(self) -> None:
        if self._upkeep is None:
            loop = asyncio.get_running_loop()
            self._upkeep = loop.create_task(_upkeep(weakref.ref(self)))
            self._engine.on_suspect = self._wake
            engine = self._engine

            def adopt_soon() -> None:  # call_soon_threadsafe takes no lock: safe from __del__
                loop.call_soon_threadsafe(engine.adopt_now)

            engine.on_orphan = adopt_soon
            self._may_lend()
            self._engine.call(self._engine.core.replenish)

    def _wake(self) -> None:
        self._engine.spawn(_validate_now(weakref.ref(self)))

    def __await__(self) -> Generator[Any, None, AsyncConnectionPool]:
        """``pool = await create_pool_async(...)``: the pool once ``min`` sessions are open.

        Raises:
            DatabaseUnavailableError: the error that kept them from opening.
        """
        return self._ready().__await__()

    async def _ready(self) -> AsyncConnectionPool:
        self._start()
        core = self._engine.core
        while not self._closed and core.opened < core.settings.min:
            failed = core.backoff.outage(None, self._engine.clock())
            if failed is not None:
                raise self._error(failed, 0.0)
            pending = list(self._engine.tasks)
            if not pending:  # nothing opening: the pool's logon was refused; say why
                await self._async_connector.close(await self._try_open())
                break
            await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
        return self

    async def _try_open(self) -> Any:
        try:
            return await self._async_connector.open(None)
        except Exception as exc:
            raise self._error(Outage(exc, Why.REFUSED if is_refused(exc) else Why.BUDGET), 0.0) from exc

    def _acquire(self, key: Hashable, tag: str | None, matchany: bool, lend: bool = True) -> _Acquiring:
        """``await pool.acquire()`` or ``async with pool.acquire()``."""
        return _Acquiring(self, key, tag, matchany, lend)

    async def _acquired(self, key: Hashable, tag: str | None, matchany: bool, lend: bool = True) -> AsyncConnection:
        if self._upkeep is None:
            self._start()
        entry, _ = await self._engine.acquire(key, tag, matchany, self._options.wait_limit(), lend)
        handle, called = self._handed(entry, tag)
        for result in called:
            if asyncio.iscoroutine(result):
                await result
        return handle  # type: ignore[return-value]

    async def release(self, connection: AsyncConnection, tag: str | None = None) -> None:
        """Give a connection back, optionally retagging its session."""
        if not retag(connection, self._engine, tag):
            self._own(connection)  # raises what is wrong
        pending = connection._close_now()  # as close() does, with no coroutine of its own
        if pending is not None:
            await pending

    async def drop(self, connection: AsyncConnection) -> None:
        """Log a connection's session off and free its slot."""
        self._engine.drop(self._end(connection))
        await self._engine.settle()

    async def drain(self) -> None:
        """Retire every session and keep the pool open (as ``ConnectionPool.drain()``)."""
        self._drain()
        self._start()
        await self._engine.settle()

    async def close(self, force: bool = False) -> None:
        """Close the pool; refuses while connections are busy unless ``force``,
        which logs busy sessions off too (their handles then fail)."""
        self._close(force)
        if self._upkeep is not None:
            self._upkeep.cancel()
            await asyncio.wait([self._upkeep])  # a pass under way is among the tasks settled next
        await self._engine.settle()
        if self._connector.drcp is not None:
            await self._connector.drcp.close_async()

    async def __aenter__(self) -> AsyncConnectionPool:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if not self._closed:
            await self.close(force=True)


async def _upkeep(ref: weakref.ref[AsyncConnectionPool]) -> None:
    """The asyncio pool's validator: holds the pool only during a pass."""
    while True:
        pool = ref()
        if pool is None or pool._closed:
            return
        period = tick_period(pool._engine.core.settings, current().validation_interval)
        schedule = pool._engine.schedule
        del pool
        await nap(schedule, period)
        pool = ref()
        if pool is None:
            return
        # The pass is a task of the pool's own, shielded: close() cancels this
        # loop at once, then waits for the pass with the pool's other tasks.
        # (Cancelling a pass mid-ping would not help: python-oracledb's
        # cancelled ping on a dead network never returns, while the ping's
        # call timeout ends it within ping_timeout.)
        validating = pool._engine.spawn(_validate_now(ref))
        del pool
        await asyncio.shield(validating)


async def _validate_now(ref: weakref.ref[AsyncConnectionPool]) -> None:
    pool = ref()
    if pool is not None and not pool._closed:
        await pool._engine.validate(current().validation_interval)


_P = TypeVar("_P", bound=PoolFace[Any])


def _creator(base: type[_P], handle: type[Any], name: str, doc: str) -> Callable[..., _P]:
    """``create_pool()`` or ``create_pool_async()``: one body for both."""

    def create(
        dsn: str | None = None,
        *,
        pool_class: type[_P] = base,
        pool_alias: str | None = None,
        params: oracledb.PoolParams | None = None,
        **kwargs: Any,
    ) -> _P:
        if not (isinstance(pool_class, type) and issubclass(pool_class, base)):
            shown = pool_class.__name__ if isinstance(pool_class, type) else repr(pool_class)
            raise driver_error(ProgrammingError, 2026, f"pool_class must be a subclass of {base.__name__}, not {shown}")
        return pool_class(dsn, params=params, pool_alias=pool_alias, **kwargs)

    create.__name__ = create.__qualname__ = name
    create.__doc__ = doc
    # help() and IDEs show every keyword; Devart names go in **kwargs.
    create.__signature__ = _signature(create, base, handle)  # type: ignore[attr-defined]
    return create


def _signature(function: Callable[..., Any], base: type[Any], handle: type[Any]) -> inspect.Signature:
    """``function``'s signature with python-oracledb's keywords spelled out, as its own shows them."""
    own = [p.replace(annotation=f"type[{base.__name__}]") if p.name == "pool_class" else p
           for p in inspect.signature(function).parameters.values()]  # fmt: skip
    driver = [p.replace(default=None) for p in inspect.signature(oracledb.PoolParams).parameters.values()]
    driver = [
        p.replace(annotation=f"type[{handle.__name__}] | None") if p.name == "connectiontype" else p for p in driver
    ]
    return inspect.signature(function).replace(
        parameters=[*own[:-1], *driver, own[-1]], return_annotation=base.__name__
    )


create_pool = _creator(ConnectionPool, Connection, "create_pool", """Create a thread-safe pool, as ``oracledb.create_pool()`` does.

    The pool starts from a copy of ``params`` (or python-oracledb's defaults)
    and only the keyword arguments given here override it. ``dsn`` may be an
    Easy Connect string (``user/password@host:port/service`` too), a
    descriptor, a net service name or a Devart connection string; Devart
    parameter names may be given beside a Devart dsn or none.
    ``leak_threshold`` (seconds, 0 = off) logs a connection held longer, with
    where it was acquired (see docs/monitoring.md).

    Raises:
        ProgrammingError: a bad argument (named in the message), or
            ``pool_class`` that is not a ConnectionPool subclass.
        ConnectionStringError: a Devart string or parameter is invalid.
    """)
create_pool_async = _creator(
    AsyncConnectionPool, AsyncConnection, "create_pool_async",
    """Create an asyncio pool, as ``oracledb.create_pool_async()`` does (same parameters).""",
)
