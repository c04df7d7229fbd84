"""devart_oracle: an Oracle Database connector built around connection pooling.

This module is the one public surface: everything is re-exported here from
private modules.
"""

from __future__ import annotations

from ._errors import (
    ConnectionStringError,
    DatabaseError,
    DatabaseUnavailableError,
    DataError,
    Error,
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

from ._connect import connect, connection_pool
from ._connection import AsyncConnection, Connection
from .pool._stats import PartitionStats

apilevel = "2.0"
threadsafety = 2
paramstyle = "named"

__version__ = "0.1.0"

__all__ = [
    "connect",
    "connection_pool",
    "Connection",
    "AsyncConnection",
    "PartitionStats",
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
]
