"""devart_oracle's pools in the place of python-oracledb's, as a drop-in would be.

The suite reaches pools only through attributes of the ``oracledb`` module
(``oracledb.create_pool``, ``oracledb.ConnectionPool``, ``oracledb.get_pool``,
``oracledb.connect(pool=...)``, and ``oracledb.Connection`` to subclass for a
pool's ``connectiontype``), so replacing those attributes for the run, as
``import devart_oracle as oracledb`` would, is the whole substitution: the
suite's files are not touched. ``PoolParams`` and
the constants are python-oracledb's own objects in devart_oracle already.

``connect()`` and ``connect_async()`` stay python-oracledb's for everything but
a devart_oracle pool, which they ask for a connection as python-oracledb asks
its own (devart_oracle's own sessions are opened through them too). With a
pool, ``dsn`` and ``params`` are not passed on: the suite gives them only to
say where the pool already connects, as its ``get_connection()`` always does.
"""

from __future__ import annotations

from typing import Any

import oracledb
import pytest

import devart_oracle

#: The ``oracledb`` attributes that are replaced by devart_oracle's namesakes: the
#: pool API and the handle classes its ``connectiontype`` must subclass.
REPLACED = ("create_pool", "create_pool_async", "ConnectionPool", "AsyncConnectionPool", "get_pool",
              "Connection", "AsyncConnection")
_POOLS = (devart_oracle.ConnectionPool, devart_oracle.AsyncConnectionPool)
#: What ``connect(pool=...)`` passes on to the pool's ``acquire()``, as python-oracledb's does.
_ACQUIRE_ARGS = ("user", "password", "cclass", "purity", "tag", "matchanytag", "shardingkey", "supershardingkey")


def devart_pool(pool: Any, pool_alias: str | None) -> Any:
    """The devart_oracle pool that ``connect(pool=, pool_alias=)`` names, or None.

    None leaves the call to python-oracledb, which then raises its own error
    for a bad pool, an unknown alias or both arguments given.
    """
    if pool is not None and pool_alias is not None:
        return None  # python-oracledb's DPY-2014
    if pool_alias is not None:
        pool = devart_oracle.get_pool(pool_alias)
    return pool if isinstance(pool, _POOLS) else None


def _acquire(pool: Any, kwargs: dict[str, Any]) -> Any:
    unknown = sorted(set(kwargs) - set(_ACQUIRE_ARGS))
    if unknown:
        raise TypeError(f"connect() with a devart_oracle pool takes no {', '.join(unknown)}")
    return pool.acquire(**kwargs)


def routed(original: Any) -> Any:
    """``original`` (``oracledb.connect`` or ``connect_async``), sending pool calls to devart_oracle's pools."""

    def connect(dsn: str | None = None, *, pool: Any = None, pool_alias: str | None = None,
                params: Any = None, **kwargs: Any) -> Any:
        target = devart_pool(pool, pool_alias)
        if target is None:
            return original(dsn, pool=pool, pool_alias=pool_alias, params=params, **kwargs)
        return _acquire(target, kwargs)

    connect.__wrapped__ = original  # type: ignore[attr-defined]
    return connect


def substitute(patch: pytest.MonkeyPatch) -> None:
    """Replace python-oracledb's pool names with devart_oracle's until ``patch.undo()``."""
    for name in REPLACED:
        patch.setattr(oracledb, name, getattr(devart_oracle, name))
    for name in ("connect", "connect_async"):
        patch.setattr(oracledb, name, routed(getattr(oracledb, name)))
