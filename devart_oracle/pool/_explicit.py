"""python-oracledb's explicit pool API, served by devart_oracle's pool engine.

``ConnectionPool`` runs on the thread layer and is validated by the same
background thread as ``connection_pool``; ``AsyncConnectionPool`` runs on the
asyncio layer with an upkeep task of its own. Both share :class:`PoolFace`.
"""

from __future__ import annotations

import asyncio
import inspect
import weakref
from collections.abc import Callable, Generator
from typing import Any

import oracledb

from .._connection import AsyncConnection, Connection
from ._async import AsyncPool
from ._core import GetMode
from ._face import PoolFace
from ._options import PoolOptions, connect_args
from ._physical import AsyncDriverConnector, DriverConnector
from ._sync import SyncPool
from ._validator import tick_period

__all__ = ["AsyncConnectionPool", "ConnectionPool", "create_pool", "create_pool_async"]


class ConnectionPool(PoolFace):
    """A thread-safe pool with python-oracledb's API (``create_pool()`` makes one)."""

    _handle_type = Connection
    _engine: SyncPool

    def __init__(self, options: PoolOptions, args: dict[str, Any], **face: Any) -> None:
        from .._connect import connection_pool  # the process-wide validator

        self._engine = SyncPool(options.settings(), DriverConnector(args), self._error)
        super().__init__(options, **face)
        registry = connection_pool._registry
        self._engine.on_suspect = registry.validator.wake
        registry.validator.add(self._engine)
        self._engine.call(self._engine.core.replenish)

    def acquire(
        self,
        user: str | None = None,
        password: str | None = None,
        cclass: str | None = None,
        purity: int = oracledb.PURITY_DEFAULT,
        tag: str | None = None,
        matchanytag: bool = False,
        shardingkey: Any = None,
        supershardingkey: Any = None,
    ) -> Connection:
        """Borrow a connection; ``close()`` or ``release()`` gives it back."""
        key = self._key(user, password, cclass, purity, shardingkey, supershardingkey)
        entry, _ = self._engine.acquire(key, tag, matchanytag, self._options.wait_limit())
        handle, callback = self._handle(entry, tag)
        if callback:
            assert self._callback is not None
            self._callback(handle, tag)
        return handle  # type: ignore[return-value]

    def release(self, connection: Connection, tag: str | None = None) -> None:
        """Give a connection back, optionally retagging its session."""
        self._own(connection)
        if tag is not None:
            connection.tag = tag
        connection.close()

    def drop(self, connection: Connection) -> None:
        """Log a connection's session off and free its slot."""
        entry = self._own(connection)
        connection._detach()
        self._engine.drop(entry)

    def close(self, force: bool = False) -> None:
        """Close the pool; refuses while connections are busy unless ``force``."""
        self._check_close(force)
        self._engine.call(self._engine.core.close)

    def __enter__(self) -> ConnectionPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if not self._closed:
            self.close(force=True)


class AsyncConnectionPool(PoolFace):
    """An asyncio pool with python-oracledb's API (``create_pool_async()`` makes one)."""

    _handle_type = AsyncConnection
    _engine: AsyncPool

    def __init__(self, options: PoolOptions, args: dict[str, Any], **face: Any) -> None:
        self._engine = AsyncPool(options.settings(), AsyncDriverConnector(args), self._error)
        super().__init__(options, **face)
        self._upkeep: asyncio.Task[None] | None = None
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return  # started on first use, inside the loop
        self._start()

    def _start(self) -> None:
        if self._upkeep is None:
            self._upkeep = asyncio.get_running_loop().create_task(_upkeep(weakref.ref(self)))
            self._engine.on_suspect = self._wake
            self._engine.call(self._engine.core.replenish)

    def _wake(self) -> None:
        self._engine.spawn(_validate_now(weakref.ref(self)))

    def acquire(
        self,
        user: str | None = None,
        password: str | None = None,
        cclass: str | None = None,
        purity: int = oracledb.PURITY_DEFAULT,
        tag: str | None = None,
        matchanytag: bool = False,
        shardingkey: Any = None,
        supershardingkey: Any = None,
    ) -> _Acquiring:
        """Borrow a connection: ``await pool.acquire()`` or ``async with pool.acquire()``."""
        key = self._key(user, password, cclass, purity, shardingkey, supershardingkey)
        return _Acquiring(self._acquire(key, tag, matchanytag))

    async def _acquire(self, key: Any, tag: str | None, matchany: bool) -> AsyncConnection:
        self._start()
        entry, _ = await self._engine.acquire(key, tag, matchany, self._options.wait_limit())
        handle, callback = self._handle(entry, tag)
        if callback:
            assert self._callback is not None
            result = self._callback(handle, tag)
            if asyncio.iscoroutine(result):
                await result
        return handle  # type: ignore[return-value]

    async def release(self, connection: AsyncConnection, tag: str | None = None) -> None:
        """Give a connection back, optionally retagging its session."""
        self._own(connection)
        if tag is not None:
            connection.tag = tag
        await connection.close()

    async def drop(self, connection: AsyncConnection) -> None:
        """Log a connection's session off and free its slot."""
        entry = self._own(connection)
        connection._detach()
        self._engine.drop(entry)
        await self._engine.settle()

    async def close(self, force: bool = False) -> None:
        """Close the pool; refuses while connections are busy unless ``force``."""
        self._check_close(force)
        self._engine.call(self._engine.core.close)
        if self._upkeep is not None:
            self._upkeep.cancel()
        await self._engine.settle()

    async def __aenter__(self) -> AsyncConnectionPool:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if not self._closed:
            await self.close(force=True)


class _Acquiring:
    """``pool.acquire()`` of an asyncio pool: awaitable, or an async context manager."""

    __slots__ = ("_coro", "_conn")

    def __init__(self, coro: Any) -> None:
        self._coro = coro
        self._conn: AsyncConnection | None = None

    def __await__(self) -> Generator[Any, None, AsyncConnection]:
        return self._coro.__await__()  # type: ignore[no-any-return]

    async def __aenter__(self) -> AsyncConnection:
        self._conn = await self._coro
        return self._conn

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._conn is not None
        await self._conn.close()


async def _upkeep(ref: weakref.ref[AsyncConnectionPool]) -> None:
    """The asyncio pool's validator: holds the pool only during a pass."""
    from .._connect import connection_pool

    while True:
        pool = ref()
        if pool is None or pool._closed:
            return
        interval = connection_pool.validation_interval
        period = tick_period(pool._engine.core.settings, interval)
        del pool
        await asyncio.sleep(period)
        await _validate_now(ref)


async def _validate_now(ref: weakref.ref[AsyncConnectionPool]) -> None:
    from .._connect import connection_pool

    pool = ref()
    if pool is not None and not pool._closed:
        await pool._engine.validate(connection_pool.validation_interval)


def _build(
    cls: Callable[..., Any],
    user: str | None,
    password: str | None,
    dsn: str | None,
    options: dict[str, Any],
    params: oracledb.PoolParams | None,
    connectiontype: Any,
    session_callback: Any,
    pool_alias: str | None,
    kwargs: dict[str, Any],
) -> Any:
    if params is not None:
        options = {**{k: getattr(params, k) for k in _OPTION_NAMES}, **{k: v for k, v in options.items() if v != _DEFAULTS[k]}}
        user = user or params.user
    args = connect_args(dsn, user, password, kwargs)
    if pool_alias:
        options["name"] = pool_alias
    pool_options = PoolOptions(**options)
    face = {"dsn": dsn, "username": args.get("user"), "session_callback": session_callback,
            "connectiontype": connectiontype, "pool_alias": pool_alias}
    return cls(pool_options, args, **face)


_DEFAULTS: dict[str, Any] = {
    "min": 1, "max": 2, "increment": 1, "getmode": GetMode.WAIT, "homogeneous": True, "timeout": 0,
    "wait_timeout": 0, "max_lifetime_session": 0, "max_sessions_per_shard": 0,
    "soda_metadata_cache": False, "ping_interval": 60,
}
_OPTION_NAMES = tuple(_DEFAULTS)


def _create(
    pool_class: type[PoolFace],
    user: str | None = None,
    password: str | None = None,
    dsn: str | None = None,
    min: int = 1,
    max: int = 2,
    increment: int = 1,
    connectiontype: type[Any] | None = None,
    getmode: int = oracledb.POOL_GETMODE_WAIT,
    homogeneous: bool = True,
    timeout: int = 0,
    wait_timeout: int = 0,
    max_lifetime_session: int = 0,
    session_callback: Callable[..., Any] | None = None,
    max_sessions_per_shard: int = 0,
    soda_metadata_cache: bool = False,
    ping_interval: int = 60,
    pool_alias: str | None = None,
    params: oracledb.PoolParams | None = None,
    **kwargs: Any,
) -> Any:
    options = {name: value for name, value in locals().items() if name in _DEFAULTS}
    return _build(pool_class, user, password, dsn, options, params, connectiontype, session_callback, pool_alias, kwargs)


def create_pool(*args: Any, **kwargs: Any) -> ConnectionPool:
    """Create a thread-safe pool, as ``oracledb.create_pool()`` does.

    ``dsn`` may be an Easy Connect string, a descriptor or a Devart connection
    string; other keyword arguments are connection parameters under
    python-oracledb's names or Devart's. With ``params``, its values are the
    defaults and the keyword arguments given here override them.
    """
    return _create(ConnectionPool, *args, **kwargs)  # type: ignore[no-any-return]


def create_pool_async(*args: Any, **kwargs: Any) -> AsyncConnectionPool:
    """Create an asyncio pool, as ``oracledb.create_pool_async()`` does (same parameters)."""
    return _create(AsyncConnectionPool, *args, **kwargs)  # type: ignore[no-any-return]


# Both show _create's parameters (without pool_class) to help() and IDEs.
_SIGNATURE = inspect.signature(_create)
_SIGNATURE = _SIGNATURE.replace(parameters=list(_SIGNATURE.parameters.values())[1:])
create_pool.__signature__ = _SIGNATURE.replace(return_annotation="ConnectionPool")  # type: ignore[attr-defined]
create_pool_async.__signature__ = _SIGNATURE.replace(return_annotation="AsyncConnectionPool")  # type: ignore[attr-defined]
