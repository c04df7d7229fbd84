"""``connect()``: Devart-style connections, pooled through ``connection_pool``."""

from __future__ import annotations

from typing import Any

from ._connection import Connection
from ._errors import ProgrammingError
from .connstring import parse
from .pool._registry import GlobalPool, install

__all__ = ["connect", "connection_pool"]

#: Devart's module-level pooling switches and settings.
connection_pool = GlobalPool()
install(connection_pool)


def connect(connection_string: str = "", **params: Any) -> Connection:
    """Open a DB-API 2.0 connection, from the pool when pooling is enabled.

    Args:
        connection_string: a Devart connection string,
            ``"Direct=True;Host=db;ServiceName=orcl;UserName=scott;Password=tiger"``.
        **params: connection parameters by name (``PoolId=42``), which may
            complete or extend the string but not repeat its parameters.

    Returns:
        a connection; ``close()`` returns a pooled session to its pool.

    Raises:
        ProgrammingError: no parameters at all.
        ConnectionStringError: the string or a parameter is invalid.
        DatabaseError: the database refused the logon or cannot be reached.
    """
    if not connection_string and not params:
        raise ProgrammingError("connect() needs a connection string or connection parameters")
    return connection_pool.connect(parse(connection_string, **params))
