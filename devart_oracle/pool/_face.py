"""What ``ConnectionPool`` and ``AsyncConnectionPool`` share: python-oracledb's
properties, argument checks, tag handling and the named-pool cache."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any

from .._connection import _Handle
from .._errors import NotSupportedError, PoolError, ProgrammingError
from ._core import Entry, Refusal
from ._engine import PoolEngine
from ._options import PoolOptions, masked_dsn, pool_error, session_key

__all__ = ["PoolFace", "get_pool"]

_aliases: dict[str, PoolFace] = {}
_aliases_lock = threading.Lock()


def get_pool(pool_alias: str) -> Any:
    """The pool created with ``pool_alias``, or None."""
    return _aliases.get(pool_alias)


class PoolFace:
    """python-oracledb's pool API over a :class:`PoolEngine`; subclasses add I/O."""

    _engine: PoolEngine
    _handle_type: type[_Handle]

    def __init__(
        self,
        options: PoolOptions,
        dsn: str | None,
        username: str | None,
        session_callback: Callable[..., Any] | None,
        connectiontype: type[_Handle] | None,
        pool_alias: str | None,
    ) -> None:
        if session_callback is not None and not callable(session_callback):
            raise NotSupportedError("session_callback must be a python callable (pl/sql callbacks need thick mode)")
        if connectiontype is not None and not issubclass(connectiontype, self._handle_type):
            raise ProgrammingError(f"connectiontype must be a subclass of {self._handle_type.__qualname__}")
        self._options = options
        self._dsn = masked_dsn(dsn)
        self._username = username
        self._callback = session_callback
        self._connectiontype = connectiontype or self._handle_type
        self._alias = pool_alias
        self._closed = False
        if pool_alias is not None:
            _register_alias(pool_alias, self)

    def _error(self, reason: Refusal | BaseException, waited: float) -> BaseException:
        return pool_error(self.name, self._options, self._engine.core.busy, reason, waited)

    def __repr__(self) -> str:
        core = self._engine.core
        return (
            f"<{type(self).__name__} {self.name!r} min={self.min} max={self.max}"
            f" opened={core.opened} busy={core.busy} waiting={core.waiting}>"
        )

    # -- acquiring ---------------------------------------------------------

    def _key(
        self, user: str | None, password: str | None, cclass: str | None, purity: int, shardingkey: Any, supershardingkey: Any
    ) -> Hashable:
        if self._closed:
            raise self._error(Refusal.CLOSED, 0.0)
        if shardingkey or supershardingkey:
            raise NotSupportedError("sharding keys are not supported by devart_oracle pools")
        return session_key(self._options.homogeneous, user, password, cclass, purity)

    def _handle(self, entry: Entry, tag: str | None) -> tuple[_Handle, bool]:
        """Wrap a leased session; True when the session callback must run."""
        handle = self._connectiontype(entry.conn, self._dsn or "", self._engine, entry)
        needs_callback = self._callback is not None and (entry.leases == 1 or tag != entry.tag)
        if needs_callback:
            handle.tag = tag
        return handle, needs_callback

    def _own(self, connection: _Handle) -> Entry:
        """The pool's record of a connection it lent; refuses strangers."""
        if not isinstance(connection, _Handle) or connection._pool is not self._engine:
            raise ProgrammingError("the connection was not acquired from this pool")
        if connection._entry is None or connection._conn is None:
            raise ProgrammingError("the connection was already released")
        return connection._entry

    def _check_close(self, force: bool) -> None:
        if self._closed:
            raise self._error(Refusal.CLOSED, 0.0)
        busy = self._engine.core.busy
        if busy and not force:
            raise PoolError(
                f"pool {self.name!r} cannot be closed: {busy} connection(s) busy;"
                f" release them first or close(force=True)",
                self.name,
            )
        self._closed = True
        if self._alias is not None:
            with _aliases_lock:
                _aliases.pop(self._alias, None)

    # -- settings ----------------------------------------------------------

    def reconfigure(
        self,
        min: int | None = None,
        max: int | None = None,
        increment: int | None = None,
        timeout: int | None = None,
        getmode: int | None = None,
        wait_timeout: int | None = None,
        max_lifetime_session: int | None = None,
        max_sessions_per_shard: int | None = None,
        soda_metadata_cache: bool | None = None,
        stmtcachesize: int | None = None,
        ping_interval: int | None = None,
    ) -> None:
        """Change any setting at run time, sizes included.

        Growing opens sessions in the background; shrinking logs idle surplus
        off at once and busy surplus as it is released.
        """
        self._options = self._options.changed(
            min=min, max=max, increment=increment, timeout=timeout, getmode=getmode, wait_timeout=wait_timeout,
            max_lifetime_session=max_lifetime_session, max_sessions_per_shard=max_sessions_per_shard,
            soda_metadata_cache=soda_metadata_cache, ping_interval=ping_interval,
        )
        self._engine.call(self._engine.core.configure, self._options.settings())

    name = property(lambda self: self._options.name, doc="The pool's name (its alias, if it has one).")
    dsn = property(lambda self: self._dsn, doc="The data source the pool connects to.")
    username = property(lambda self: self._username, doc="The user of a homogeneous pool.")
    homogeneous = property(lambda self: self._options.homogeneous, doc="Whether every session has the same user.")
    min = property(lambda self: self._options.min, doc="Sessions kept open.")
    max = property(lambda self: self._options.max, doc="Cap on open sessions.")
    increment = property(lambda self: self._options.increment, doc="Sessions opened at a time when growing.")
    opened = property(lambda self: self._engine.core.opened, doc="Sessions open now.")
    busy = property(lambda self: self._engine.core.busy, doc="Sessions lent out now.")
    soda_metadata_cache = property(lambda self: self._options.soda_metadata_cache, lambda self, v: self.reconfigure(soda_metadata_cache=v))
    max_sessions_per_shard = property(lambda self: self._options.max_sessions_per_shard, lambda self, v: self.reconfigure(max_sessions_per_shard=v))
    timeout = property(lambda self: self._options.timeout, lambda self, v: self.reconfigure(timeout=v), doc="Seconds an idle session above min may live.")
    getmode = property(lambda self: self._options.getmode, lambda self, v: self.reconfigure(getmode=v), doc="What acquire does at max.")
    wait_timeout = property(lambda self: self._options.wait_timeout, lambda self, v: self.reconfigure(wait_timeout=v), doc="Milliseconds a TIMEDWAIT acquire waits.")
    max_lifetime_session = property(lambda self: self._options.max_lifetime_session, lambda self, v: self.reconfigure(max_lifetime_session=v), doc="Seconds a session may live.")
    ping_interval = property(lambda self: self._options.ping_interval, lambda self, v: self.reconfigure(ping_interval=v), doc="Seconds idle before a ping on acquire.")


def _register_alias(alias: str, pool: PoolFace) -> None:
    with _aliases_lock:
        if alias in _aliases:
            raise ProgrammingError(f'connection pool with alias "{alias}" already exists')
        _aliases[alias] = pool

