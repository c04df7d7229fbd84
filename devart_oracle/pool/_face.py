"""What ``ConnectionPool`` and ``AsyncConnectionPool`` share: creation from
python-oracledb's arguments, its properties, argument checks, tag handling and
the named-pool cache."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar, cast

import oracledb

from .._connection import Handle, end_lease, lease
from .._errors import (
    InterfaceError,
    NotSupportedError,
    PoolError,
    ProgrammingError,
    driver_error,
    shaped,
)
from ._core import Entry, Failure, Refusal
from ._engine import PoolEngine
from ._leaks import check_threshold
from ._options import PoolSpec, check_option, pool_spec
from ._physical import AsyncDriverConnector, DriverConnector, is_refused
from ._refusal import pool_error
from ._sessionkey import session_key
from ._upkeep import current

__all__ = ["PoolFace", "get_pool"]

_aliases: dict[str, PoolFace[Any]] = {}
_aliases_lock = threading.Lock()


def get_pool(pool_alias: str) -> Any:
    """The pool created with ``pool_alias``, or None."""
    return _aliases.get(pool_alias)


def _setting(name: str, doc: str) -> Any:
    """A read-write setting: read from the options, written through ``reconfigure()``."""

    def write(pool: PoolFace[Any], value: Any) -> None:
        pool.reconfigure(**{name: check_option(name, value)})  # None is a bad value here, not "unchanged"

    return property(lambda pool: getattr(pool._options, name), write, doc=doc)


def _reading(name: str, doc: str) -> Any:
    """A read-only setting."""
    return property(lambda pool: getattr(pool._options, name), doc=doc)


#: What ``acquire()`` returns: a connection, or an awaitable of one.
_Got = TypeVar("_Got")


class PoolFace(Generic[_Got]):
    """python-oracledb's pool API over a :class:`PoolEngine`; subclasses add I/O.

    Made by ``create_pool()`` / ``create_pool_async()``, which take the same
    arguments (see :func:`~devart_oracle.pool._options.pool_spec`).
    """

    _engine: PoolEngine
    _connector: DriverConnector | AsyncDriverConnector
    _handle_type: type[Handle]

    def __init__(
        self, dsn: str | None = None, *, params: oracledb.PoolParams | None = None, pool_alias: str | None = None,
        leak_threshold: float = 0, **kwargs: Any,
    ) -> None:
        """Build a pool from ``create_pool()``'s arguments (use that function).

        Args:
            dsn: see :func:`~devart_oracle.pool._options.pool_spec`.
            params: an ``oracledb.PoolParams`` supplying defaults; it is copied.
            pool_alias: names the pool and registers it for ``get_pool()``.
            leak_threshold: seconds a connection may be held before it is
                logged as a leak, with where it was acquired (0 = off).
            **kwargs: python-oracledb's keyword arguments and Devart names.

        Raises:
            ProgrammingError: a bad argument, or the alias is taken.
        """
        if pool_alias is not None and not isinstance(pool_alias, str):
            raise TypeError(f"pool_alias must be a str, not {type(pool_alias).__name__}")
        leak = check_threshold("leak_threshold", leak_threshold)
        spec = pool_spec(dsn, params, kwargs, pool_alias)
        self._callback = _checked_callback(spec.params.session_callback)
        # Run on every acquire, as python-oracledb does, so not by the opener too.
        self._on_connect: Callable[..., Any] | None = spec.params.on_connect_callback
        cast(Any, spec.params)._impl.on_connect_callback = None  # PoolParams.set() cannot unset it
        self._connectiontype = self._checked_type(spec.params.connectiontype)
        self._options = spec.options
        self._params = spec.params
        self._dsn = spec.dsn
        self._username: str | None = spec.params.user
        # A heterogeneous pool without a user of its own needs one on every acquire.
        self._needs_user = not spec.options.homogeneous and self._username is None and not spec.params.externalauth
        self._alias = pool_alias
        self._closed = False
        #: Whether an acquire() without arguments may take the cycle's fast
        #: path (no callback to run, no user to ask for; the layer's own
        #: condition too): kept in step by _may_lend() where any of it changes.
        self._plain = False
        self._engine = self._new_engine(spec)
        self._engine.metrics.name = self.name
        self._engine.metrics.leak_threshold = leak
        if pool_alias is not None:
            _register_alias(pool_alias, self)
        self._begin()
        self._may_lend()

    def _may_lend(self) -> None:
        """Decide ``_plain`` again (a layer adds its own condition)."""
        self._plain = self._on_connect is None and self._callback is None and not (self._needs_user or self._closed)

    def _new_engine(self, spec: PoolSpec) -> PoolEngine:
        """The engine and connector (the layer's); nothing runs yet."""
        raise NotImplementedError

    def _begin(self) -> None:
        """Start background work: open ``min`` sessions, validate."""
        raise NotImplementedError

    def _checked_type(self, connectiontype: Any) -> type[Handle]:
        if connectiontype is None:
            return self._handle_type
        if not (isinstance(connectiontype, type) and issubclass(connectiontype, self._handle_type)):
            raise driver_error(ProgrammingError, 2023,
                               f"connectiontype must be a subclass of {self._handle_type.__qualname__}")  # fmt: skip
        return connectiontype

    def _error(self, reason: Failure, waited: float) -> BaseException:
        return pool_error(self._label, self._options, self._engine.core.busy, reason, waited)

    def __repr__(self) -> str:
        core = self._engine.core
        return (
            f"<{type(self).__name__} {self._label!r} min={self.min} max={self.max}"
            f" opened={core.opened} busy={core.busy} waiting={core.waiting}>"
        )

    # -- acquiring ---------------------------------------------------------

    def _key(
        self, user: str | None, password: str | None, cclass: str | None, purity: int, shardingkey: Any, supershardingkey: Any
    ) -> Hashable:
        if self._closed:
            raise self._error(Refusal.CLOSED, 0.0)
        if shardingkey or supershardingkey:
            raise shaped(NotSupportedError, "sharding keys are not supported by devart_oracle pools")
        if user is None and self._needs_user:
            raise shaped(
                ProgrammingError, f"pool {self._label!r} is heterogeneous and was created without a user:"
                f" pass user and password to acquire()"
            )
        return session_key(self._options.homogeneous, user, password, cclass, purity)

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
    ) -> _Got:
        """Borrow a connection; ``close()`` or ``release()`` gives it back.

        An asyncio pool returns an awaitable that is also an async context
        manager: ``await pool.acquire()`` or ``async with pool.acquire()``.

        The cycle's fast path is inline here: the pool's own sessions, an
        idle one at hand, nothing to run for it (``_plain``). Its handle is
        what both layers return (an asyncio handle awaits to itself, so no
        awaitable is made for it); ``_acquire`` decides every other case.
        """
        if user is None and password is None and cclass is None and not (purity or shardingkey or supershardingkey):
            if self._plain:
                engine = self._engine
                entry = engine.lend(None, tag)
                if entry is not None:
                    handle = self._connectiontype(entry.conn, self._dsn or "", engine, entry)
                    handle._resets = False  # as _handed() makes it
                    return handle  # type: ignore[return-value]
            if not (self._needs_user or self._closed):  # the pool's own sessions, as _key() would say
                return self._acquire(None, tag, matchanytag, lend=not self._plain)  # lent: just tried
        return self._acquire(self._key(user, password, cclass, purity, shardingkey, supershardingkey), tag, matchanytag)

    def _acquire(self, key: Hashable, tag: str | None, matchany: bool, lend: bool = True) -> _Got:
        """Every acquire but the fast path's (``lend``: False when it was just tried)."""
        raise NotImplementedError

    def _engine_options(self) -> dict[str, Any]:
        """The engine's time source (the current upkeep's) and its refused-logon test."""
        upkeep = current()
        return {"clock": upkeep.clock, "schedule": upkeep.schedule, "refused": is_refused}

    def _handed(self, entry: Entry, tag: str | None) -> tuple[Handle, list[Any]]:
        """Wrap a leased session and run the on-connect callback (every time)
        and the session callback (if it must run); returns the handle and
        what the callbacks returned (coroutines, maybe, for an asyncio pool)."""
        handle = self._connectiontype(entry.conn, self._dsn or "", self._engine, entry)
        handle._resets = False  # python-oracledb's sessions keep what borrowers and callbacks set
        called = [] if self._on_connect is None else [self._on_connect(handle)]
        if self._callback is not None and (entry.leases == 1 or tag != entry.tag):
            handle.tag = tag
            called.append(self._callback(handle, tag))
        return handle, called

    def _own(self, connection: Handle) -> Entry:
        """The pool's record of a connection it lent; refuses strangers and
        released ones (as ``release()`` does when ``retag()`` says no)."""
        try:
            entry = lease(connection, self._engine)
        except LookupError:
            if not isinstance(connection, Handle):
                raise TypeError(f"expected a connection of pool {self._label!r}, not {type(connection).__name__}") from None
            raise shaped(ProgrammingError, f"the connection was not acquired from pool {self._label!r}") from None
        if entry is None:
            raise driver_error(InterfaceError, 1001,
                               f"not connected: the connection was already released to pool {self._label!r}")  # fmt: skip
        return entry

    def _end(self, connection: Handle) -> Entry:
        """End a connection's lease for ``drop()``: the pool's record of its session."""
        entry = self._own(connection)
        end_lease(connection)
        return entry

    def _close(self, force: bool) -> None:
        """Close the pool's books: refuses while busy unless ``force``."""
        self._check_close(force)
        self._engine.call(self._engine.core.close, force=force)

    def _check_close(self, force: bool) -> None:
        if self._closed:
            raise self._error(Refusal.CLOSED, 0.0)
        busy = self._engine.core.busy
        if busy and not force:
            raise PoolError(
                f"pool {self._label!r} cannot be closed: {busy} connection(s) busy;"
                f" release them first or close(force=True)",
                self._label,
            )
        self._closed = True
        self._may_lend()
        if self._alias is not None:
            with _aliases_lock:
                _aliases.pop(self._alias, None)

    def _drain(self) -> None:
        if self._closed:
            raise self._error(Refusal.CLOSED, 0.0)
        self._engine.drain()

    # -- statistics --------------------------------------------------------

    def get_stats(self) -> dict[str, Any]:
        """The pool's statistics: psycopg_pool's ``get_stats()`` keys and more
        (see docs/monitoring.md)."""
        return self._engine.figures()

    def pop_stats(self) -> dict[str, Any]:
        """The statistics, as ``get_stats()``; the counters and durations then restart from zero."""
        return self._engine.figures(reset=True)

    @property
    def leak_threshold(self) -> float:
        """Seconds a connection may be held before it is logged as a leak (0 = off)."""
        return self._engine.metrics.leak_threshold

    @leak_threshold.setter
    def leak_threshold(self, value: float) -> None:
        self._engine.metrics.leak_threshold = check_threshold("leak_threshold", value)

    # -- settings ----------------------------------------------------------

    def reconfigure(
        self,
        min: int | None = None,
        max: int | None = None,
        increment: int | None = None,
        getmode: int | None = None,
        timeout: int | None = None,
        wait_timeout: int | None = None,
        max_lifetime_session: int | None = None,
        max_sessions_per_shard: int | None = None,
        soda_metadata_cache: bool | None = None,
        stmtcachesize: int | None = None,
        ping_interval: int | None = None,
    ) -> None:
        """Change any setting at run time, sizes included (None = unchanged).

        Growing opens sessions in the background; shrinking logs idle surplus
        off at once and busy surplus as it is released. A new
        ``stmtcachesize`` applies to sessions opened from then on.

        Raises:
            ProgrammingError: a value is invalid; then nothing is changed.
            PoolClosedError: the pool is closed.
        """
        if self._closed:
            raise self._error(Refusal.CLOSED, 0.0)
        options = self._options.changed(
            min=min, max=max, increment=increment, getmode=getmode, timeout=timeout, wait_timeout=wait_timeout,
            max_lifetime_session=max_lifetime_session, max_sessions_per_shard=max_sessions_per_shard,
            soda_metadata_cache=soda_metadata_cache, stmtcachesize=stmtcachesize, ping_interval=ping_interval,
        )
        if options.stmtcachesize != self._options.stmtcachesize:
            params = self._params.copy()
            params.set(stmtcachesize=options.stmtcachesize)
            self._params = self._connector.params = params
        self._options = options
        self._engine.call(self._engine.core.configure, settings=options.settings())

    name = property(lambda self: self._alias, doc="The pool's alias, or None (as python-oracledb has it).")
    _label = property(lambda self: self._options.name, doc="What messages call the pool: its alias or 'pool-N'.")
    dsn = property(lambda self: self._dsn, doc="The data source the pool connects to (never with a password).")
    tnsentry = property(lambda self: self._dsn, doc="The same as dsn (python-oracledb's deprecated name).")
    username = property(lambda self: self._username, doc="The user the pool's own sessions log on as.")
    thin = property(lambda self: oracledb.is_thin_mode(), doc="True: sessions use python-oracledb's thin mode.")
    opened = property(lambda self: self._engine.core.opened, doc="Sessions open now.")
    busy = property(lambda self: self._engine.core.busy, doc="Sessions lent out now.")
    homogeneous = _reading("homogeneous", "Whether every session has the pool's user.")
    min = _reading("min", "Sessions kept open (change with reconfigure()).")
    max = _reading("max", "Cap on open sessions (change with reconfigure()).")
    increment = _reading("increment", "Sessions opened at a time when growing (change with reconfigure()).")
    ping_timeout = _reading("ping_timeout", "Milliseconds a validation ping may take.")
    getmode = _setting("getmode", "What acquire does at max: an oracledb.PoolGetMode.")
    timeout = _setting("timeout", "Seconds an idle session above min may live (0 = forever).")
    wait_timeout = _setting("wait_timeout", "Milliseconds a TIMEDWAIT acquire waits.")
    max_lifetime_session = _setting("max_lifetime_session", "Seconds a session may live (0 = forever).")
    max_sessions_per_shard = _setting("max_sessions_per_shard", "Kept for python-oracledb compatibility (no sharding).")
    soda_metadata_cache = _setting("soda_metadata_cache", "Kept for python-oracledb compatibility (no SODA).")
    stmtcachesize = _setting("stmtcachesize", "Statement cache size of sessions opened from now on.")
    ping_interval = _setting("ping_interval", "Seconds idle before a ping on acquire (0 = always, negative = never).")


def _checked_callback(callback: Any) -> Callable[..., Any] | None:
    if callback is not None and not callable(callback):
        raise shaped(NotSupportedError, "session_callback must be a python callable (pl/sql callbacks need thick mode)")
    return callback  # type: ignore[no-any-return]


def _register_alias(alias: str, pool: PoolFace[Any]) -> None:
    with _aliases_lock:
        if alias in _aliases:
            raise driver_error(ProgrammingError, 2055, f"connection pool with alias {alias!r} already exists")
        _aliases[alias] = pool
