"""``connect()`` and ``connect_async()``: Devart's language and python-oracledb's.

Devart-style connections are pooled through ``connection_pool``; the rule
that tells the two languages apart is in :mod:`devart_oracle._vocabulary`.
"""

from __future__ import annotations

from typing import Any

import oracledb

from ._connection import AsyncConnection, Connection
from ._errors import ProgrammingError, driver_error, shaped
from ._vocabulary import ACQUIRE_NAMES, connect_params, is_oracledb_call, translated
from .connstring import ConnectionParameters, parse
from .pool._face import PoolFace, get_pool
from .pool._registry import GlobalPool, install

__all__ = ["connect", "connect_async", "connection_pool"]

#: Devart's module-level pooling switches and settings.
connection_pool = GlobalPool()
install(connection_pool)

#: Devart strings ``connect()`` was given alone (no keyword) and what they
#: parse to: the pooled cycle's fast path skips the rule of the two languages
#: and the parse cache's keyword key with one lookup. Both are pure functions
#: of the text, so this cannot go stale; past KNOWN_TEXTS it starts afresh.
_known: dict[str, ConnectionParameters] = {}
KNOWN_TEXTS = 256


def connect(dsn: str = "", *, pool: Any = None, pool_alias: Any = None, params: Any = None,
            **kwargs: Any) -> Connection:  # fmt: skip
    """Open a DB-API 2.0 connection, from the pool when pooling is enabled.

    Args:
        dsn: a Devart connection string
            (``"Direct=True;Host=db;ServiceName=orcl;UserName=scott;Password=tiger"``),
            or, as in ``oracledb.connect()``, an Easy Connect string,
            a descriptor or a net service name.
        pool: an explicit pool to acquire from (``pool.acquire()``).
        pool_alias: the alias of an explicit pool to acquire from.
        params: an ``oracledb.ConnectParams`` (python-oracledb's language).
        **kwargs: Devart parameters by name (``PoolId=42``), which may
            complete or extend the string but not repeat its parameters; or
            python-oracledb's keywords (``user``, ``password``, ``mode``...).

    Returns:
        a connection; ``close()`` returns a pooled session to its pool.

    Raises:
        ProgrammingError: no parameters at all; ``pool`` and ``pool_alias``
            both (DPY-2014) or an unknown alias (DPY-2054).
        ConnectionStringError: the string or a parameter is invalid, or the
            two vocabularies are mixed in one call.
        DatabaseError: the database refused the logon or cannot be reached.
    """
    if not kwargs and pool is None and pool_alias is None and params is None:
        try:
            known = _known.get(dsn)
        except TypeError:  # unhashable: the checks below say what is wrong
            known = None
        if known is not None:
            return connection_pool.connect(known)
    if pool is not None or pool_alias is not None:
        return _pool(pool, pool_alias).acquire(**_acquire_args(kwargs))  # type: ignore[no-any-return]
    if not dsn and not kwargs and params is None:
        raise shaped(ProgrammingError, "connect() needs a connection string or connection parameters")
    if not is_oracledb_call(dsn, {**kwargs, **({"params": params} if params is not None else {})}):
        parsed = parse(dsn, **kwargs)
        if not kwargs and type(dsn) is str:
            if len(_known) >= KNOWN_TEXTS:
                _known.clear()
            _known[dsn] = parsed
        return connection_pool.connect(parsed)
    devart = translated(dsn or None, params, kwargs)
    if devart is not None:
        return connection_pool.connect(devart)
    built = connect_params(dsn or None, params, kwargs)
    return Connection(oracledb.connect(params=built), built.get_connect_string())


async def connect_async(dsn: str = "", *, pool: Any = None, pool_alias: Any = None, params: Any = None,
                        **kwargs: Any) -> AsyncConnection:  # fmt: skip
    """Open an asyncio connection, as ``oracledb.connect_async()`` does.

    Takes ``connect()``'s arguments. With ``pool`` or ``pool_alias`` it
    acquires from that asyncio pool; otherwise it opens a standalone session
    (``connection_pool`` pools sync connections only).
    """
    if pool is not None or pool_alias is not None:
        return await _pool(pool, pool_alias).acquire(**_acquire_args(kwargs))  # type: ignore[no-any-return]
    if params is None and not is_oracledb_call(dsn, kwargs):
        parsed = parse(dsn, **kwargs)
        return AsyncConnection(await oracledb.connect_async(**parsed.driver_args()), parsed.masked())
    built = connect_params(dsn or None, params, kwargs)
    return AsyncConnection(await oracledb.connect_async(params=built), built.get_connect_string())


def _pool(pool: Any, pool_alias: Any) -> Any:
    """The pool ``connect(pool=, pool_alias=)`` names, checked as python-oracledb checks it."""
    if pool is not None and pool_alias is not None:
        raise driver_error(ProgrammingError, 2014, "pool and pool_alias cannot be specified together")
    if pool_alias is not None:
        pool = get_pool(pool_alias)
        if pool is None:
            raise driver_error(ProgrammingError, 2054, f"connection pool with alias {pool_alias!r} does not exist")
    if not isinstance(pool, (PoolFace, oracledb.ConnectionPool, oracledb.AsyncConnectionPool)):
        raise TypeError(f"pool must be a pool of devart_oracle or python-oracledb, not {type(pool).__name__}")
    return pool


def _acquire_args(kwargs: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(kwargs) - set(ACQUIRE_NAMES) - {"dsn", "params"})
    if unknown:
        raise TypeError(f"connect() with a pool takes none of {', '.join(map(repr, unknown))}: give them to the pool")
    return {name: value for name, value in kwargs.items() if name in ACQUIRE_NAMES}
