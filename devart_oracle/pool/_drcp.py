"""DRCP sessions: where they come from, and the advice about connection classes.

With Database Resident Connection Pooling a session holds one of the
database's pooled servers only between the moment it is used and the moment
the client *releases* it; the database may then give that server to another
client. python-oracledb's thin mode releases a session only when the session
belongs to one of its own pools (its ``_is_pooled`` mark): returning a pooled
connection sends a session release (TTC function 163, one way, mode 0: the
session stays authenticated), while a standalone connection only sends one,
with DRCP_DEAUTHENTICATE, when it is closed. Its pools also authenticate with
``PURITY_SELF`` by default (standalone connections with ``PURITY_NEW``) and
give a pool without a connection class a class of its own (``DPY:`` and a
random id).

So that our pools' idle DRCP sessions hold no pooled server, their sessions
are opened as python-oracledb pooled sessions: :class:`DrcpSource` keeps one
python-oracledb pool per partition as a source of sessions only (min 0, no
pings, no idle timeout; our pool decides everything else and drops a session
from it to log it off). On every release to our pool, ``_physical`` sends the
release python-oracledb's pool sends (see ``release_drcp`` there).
"""

from __future__ import annotations

import logging
import os
import threading
import warnings
from typing import Any

import oracledb

from .._errors import DrcpWarning
from ..connstring import ConnectionParameters

__all__ = ["DrcpSource", "drcp_source", "drop_quietly", "pool_params", "release_drcp", "release_drcp_async",
           "uses_drcp", "warn_without_cclass"]

logger = logging.getLogger("devart_oracle.pool")

#: The source pool never limits: our pool's ``max`` does.
_UNLIMITED = 2**32 - 1


def uses_drcp(params: Any) -> bool:
    """True when python-oracledb parameters (ConnectParams or PoolParams) ask for a pooled server."""
    kind = params.server_type
    return "pooled" in kind if isinstance(kind, list) else kind == "pooled"


def warn_without_cclass(params: Any, who: str, setting: str) -> None:
    """Warn, as Oracle's documentation advises, when DRCP is asked for without a connection class.

    Args:
        params: python-oracledb's parameters of the pool or partition.
        who: what the warning names (``pool 'pool-3'``, ``partition poolid:0``).
        setting: how to set a class where the pool was made (``cclass=``).
    """
    if not uses_drcp(params) or params.cclass:
        return
    warnings.warn(
        f"{who} uses drcp without a connection class: python-oracledb gives it a class of its own,"
        f" so its pooled servers are not shared with other processes or pools; set {setting}",
        DrcpWarning,
        stacklevel=4,
    )


def source_params(params: oracledb.PoolParams, asynchronous: bool) -> oracledb.PoolParams:
    """A copy of ``params`` for a source pool: opens on request only, never pings or times out."""
    copy: oracledb.PoolParams = params.copy()
    kind = oracledb.AsyncConnection if asynchronous else oracledb.Connection
    copy.set(min=0, max=_UNLIMITED, increment=1, getmode=oracledb.POOL_GETMODE_WAIT, timeout=0,
             max_lifetime_session=0, ping_interval=-1, connectiontype=kind)  # fmt: skip
    return copy


class DrcpSource:
    """A python-oracledb pool that only opens sessions for one of ours.

    Sessions are acquired from it (logons, with python-oracledb's pooled
    marks) and dropped from it (logoffs); they are never returned to it, so
    it holds none of its own. Made on first use, and again in a forked child
    (a python-oracledb pool's background thread does not survive a fork) or
    when ``params`` is replaced; each session is dropped from the pool that
    opened it.

    Attributes:
        params: the parameters sessions are opened with.
    """

    __slots__ = ("_asynchronous", "_lock", "_made_for", "_owners", "_pools", "params")

    def __init__(self, params: oracledb.PoolParams, asynchronous: bool = False) -> None:
        self.params = params
        self._asynchronous = asynchronous
        self._pools: dict[tuple[str | None, str | None], Any] = {}  # by the user a session key names
        self._made_for: tuple[int, int] | None = None
        self._owners: dict[int, Any] = {}  # id of a session we hold -> the pool it came from
        self._lock = threading.Lock()

    def pool(self, user: str | None = None, password: str | None = None) -> Any:
        """The source pool for the current process and parameters, and for ``user`` when given
        (python-oracledb's thin pools need credentials: a heterogeneous pool of ours has a
        source pool per user)."""
        wanted = (os.getpid(), id(self.params))
        with self._lock:
            if self._made_for != wanted:
                if self._made_for is not None and self._made_for[0] != wanted[0]:
                    self._owners.clear()  # a forked child disowns the parent's sessions
                self._pools = {}
                self._made_for = wanted
            pool = self._pools.get((user, password))
            if pool is None:
                params = source_params(self.params, self._asynchronous)
                if user is not None:
                    params.set(user=user, password=password, homogeneous=True)
                maker = oracledb.create_pool_async if self._asynchronous else oracledb.create_pool
                pool = self._pools[user, password] = maker(params=params)
                pool.session_callback = None  # ours runs the caller's, once per acquire
            return pool

    def opened(self, conn: Any, pool: Any) -> Any:
        """Note which pool opened ``conn``; returns it."""
        self._owners[id(conn)] = pool
        return conn

    def owner(self, conn: Any) -> Any:
        """The pool ``conn`` is dropped from (forgotten here), or None for a session not ours."""
        return self._owners.pop(id(conn), None)

    def open(self, overrides: dict[str, Any]) -> Any:
        """Log a session on (``user``, ``password``, ``cclass``, ``purity`` as ``acquire()`` takes them)."""
        overrides = dict(overrides)
        user, password = overrides.pop("user", None), overrides.pop("password", None)
        pool = self.pool(user, password)
        try:
            return self.opened(pool.acquire(**overrides), pool)
        except BaseException:
            if self._unused(user, password, pool):  # a wrong password must not leave a pool per attempt
                pool.close(force=True)
            raise

    def drop(self, conn: Any) -> None:
        """Log a session off (python-oracledb's pool closes it in its background thread)."""
        pool = self.owner(conn)
        if pool is None:
            conn.close()
            return
        pool.drop(conn)
        if self._retired(pool):
            pool.close(force=True)

    async def open_async(self, overrides: dict[str, Any]) -> Any:
        """:meth:`open` for an asyncio source."""
        overrides = dict(overrides)
        user, password = overrides.pop("user", None), overrides.pop("password", None)
        pool = self.pool(user, password)
        try:
            return self.opened(await pool.acquire(**overrides), pool)
        except BaseException:
            if self._unused(user, password, pool):
                await pool.close(force=True)
            raise

    def _retired(self, pool: Any) -> bool:
        """True when ``pool`` was replaced (new parameters) and holds no session of ours any more."""
        with self._lock:
            current = any(pool is other for other in self._pools.values())
            return not current and not pool.busy and not any(pool is other for other in self._owners.values())

    def _unused(self, user: str | None, password: str | None, pool: Any) -> bool:
        """Forget ``pool`` when it holds no session of ours; True when it was forgotten."""
        with self._lock:
            if pool.busy or self._pools.get((user, password)) is not pool:
                return False
            del self._pools[user, password]
            return True

    def _take_pools(self) -> list[Any]:
        with self._lock:
            pools, self._pools = list(self._pools.values()), {}
            self._owners.clear()
            return pools

    def close(self) -> None:
        """Close the source pools (their sessions were logged off already)."""
        for pool in self._take_pools():
            pool.close(force=True)

    async def close_async(self) -> None:
        """:meth:`close` for an asyncio source."""
        for pool in self._take_pools():
            await pool.close(force=True)

    async def drop_async(self, conn: Any) -> None:
        """:meth:`drop` for an asyncio source."""
        pool = self.owner(conn)
        if pool is None:
            await conn.close()
            return
        await pool.drop(conn)
        if self._retired(pool):
            await pool.close(force=True)


# python-oracledb has no public call that releases a DRCP session and keeps
# the connection: its pool does it on release with ThinConnImpl._end_request()
# (roll back an open transaction, then send the one-way session release,
# TTC function 163, mode 0 for a session of its pools), run as a database
# operation by process_sync_operation / process_async_operation, which take
# the name without its leading underscore. Isolated here; the test
# tests/pool/test_drcp_release.py fails if python-oracledb changes it.
def release_drcp(conn: Any) -> bool:
    """Release a thin DRCP session's pooled server, as python-oracledb's pool does on release.

    Returns:
        False when the session turned out to be dead (log it off), else True.
    """
    impl = conn._impl
    try:
        impl.process_sync_operation(impl, "end_request", (), {})
    except Exception as exc:  # noqa: BLE001 - a dead session: logged, the pool decides
        logger.info("drcp session release failed: %s", _first_line(exc))
        return False
    return bool(conn.is_healthy())


async def release_drcp_async(conn: Any) -> bool:
    """:func:`release_drcp` for an asyncio session."""
    impl = conn._impl
    try:
        await impl.process_async_operation(impl, "end_request", (), {})
    except Exception as exc:  # noqa: BLE001 - a dead session: logged, the pool decides
        logger.info("drcp session release failed: %s", _first_line(exc))
        return False
    return bool(conn.is_healthy())


def drcp_source(params: Any, who: str, setting: str, asynchronous: bool = False,
                thin: bool = True) -> DrcpSource | None:  # fmt: skip
    """A source of DRCP sessions when python-oracledb ``params`` ask for a pooled
    server and sessions open in thin mode (else None), with the warning when
    they name no connection class (thick mode too: the advice is the same)."""
    if not uses_drcp(params):
        return None
    warn_without_cclass(params, who, setting)
    return DrcpSource(params, asynchronous) if thin and oracledb.is_thin_mode() else None


def pool_params(params: ConnectionParameters) -> oracledb.PoolParams:
    """python-oracledb's parameters for a connection string (what ``connect()`` would read)."""
    args = params.driver_args()
    dsn = args.pop("dsn", None)
    pool_params: oracledb.PoolParams = oracledb.PoolParams(**args)
    if dsn is not None:
        pool_params.parse_connect_string(dsn)
    return pool_params


def drop_quietly(source: DrcpSource, conn: Any) -> None:
    """Log a DRCP session off through the pool that opened it; a dead one is just dropped."""
    try:
        source.drop(conn)
    except Exception as exc:  # noqa: BLE001 - a dead session: logged, the pool decides
        logger.debug("logoff failed: %s", _first_line(exc))


def _first_line(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
