"""devart_oracle: an Oracle Database connector built around connection pooling.

This module is the one public surface: everything is re-exported here from
private modules, and what is ours reports this module as its home
(``devart_oracle.ConnectionPool``, not ``devart_oracle.pool._explicit``).
Every other public name of python-oracledb is re-exported unchanged (see
``_driver_names``), so ``import devart_oracle as oracledb`` finds them all.
"""

from __future__ import annotations

from ._errors import (
    ConnectionStringError,
    DatabaseError,
    DatabaseUnavailableError,
    DataError,
    DrcpWarning,
    Error,
    ErrorInfo,
    IntegrityError,
    InterfaceError,
    InternalError,
    NotSupportedError,
    OperationalError,
    OraOperationalError,
    PoolClosedError,
    PoolError,
    PoolExhaustedError,
    ProgrammingError,
    Warning,
)

from ._connect import connect, connect_async, connection_pool
from ._connection import AsyncConnection, Connection
from .pool._explicit import AsyncConnectionPool, ConnectionPool, create_pool, create_pool_async
from .pool._face import get_pool
from .pool._stats import PartitionStats

from oracledb import (  # python-oracledb's own: the same objects, so code can switch imports
    POOL_GETMODE_FORCEGET,
    POOL_GETMODE_NOWAIT,
    POOL_GETMODE_TIMEDWAIT,
    POOL_GETMODE_WAIT,
    PURITY_DEFAULT,
    PURITY_NEW,
    PURITY_SELF,
    PoolParams,
)
from ._driver_names import *  # noqa: F403  (python-oracledb's other names, listed there)
from ._driver_names import __all__ as _driver_all

#: python-oracledb's deprecated name for ConnectionPool.
SessionPool = ConnectionPool

apilevel = "2.0"
threadsafety = 2
paramstyle = "named"

__version__ = "0.1.0"

__all__ = [
    "connect",
    "connect_async",
    "connection_pool",
    "SessionPool",
    "Connection",
    "AsyncConnection",
    "PartitionStats",
    "create_pool",
    "create_pool_async",
    "get_pool",
    "ConnectionPool",
    "AsyncConnectionPool",
    "PoolParams",
    "POOL_GETMODE_WAIT",
    "POOL_GETMODE_NOWAIT",
    "POOL_GETMODE_FORCEGET",
    "POOL_GETMODE_TIMEDWAIT",
    "PURITY_DEFAULT",
    "PURITY_NEW",
    "PURITY_SELF",
    "apilevel",
    "threadsafety",
    "paramstyle",
    "Warning",
    "Error",
    "InterfaceError",
    "DatabaseError",
    "DataError",
    "OperationalError",
    "IntegrityError",
    "InternalError",
    "ProgrammingError",
    "NotSupportedError",
    "OraOperationalError",
    "ConnectionStringError",
    "PoolError",
    "PoolExhaustedError",
    "PoolClosedError",
    "DatabaseUnavailableError",
    "DrcpWarning",
    "ErrorInfo",
    *_driver_all,
]


def _rehome() -> None:
    """Point our exported classes and functions' ``__module__`` here (as trio
    does), so that reprs, help() and pickles name the public home."""
    for name in __all__:
        value = globals()[name]
        if isinstance(value, type) or callable(value):
            if getattr(value, "__module__", "").startswith(__name__ + "."):
                value.__module__ = __name__


_rehome()
del _rehome, _driver_all
