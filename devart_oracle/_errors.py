"""The PEP 249 exception tree, shared with python-oracledb.

The base classes *are* python-oracledb's, so an error raised by the driver is
already an instance of ``devart_oracle.DatabaseError`` and friends: one
hierarchy, no translation on the hot path. The project's own errors subclass
them and carry their context as attributes.
"""

from __future__ import annotations

from oracledb import (
    DatabaseError,
    DataError,
    Error,
    IntegrityError,
    InterfaceError,
    InternalError,
    NotSupportedError,
    OperationalError,
    ProgrammingError,
    Warning,
)

__all__ = [
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

#: Devart's name for OperationalError, kept for code written against it.
OraOperationalError = OperationalError


class ConnectionStringError(OperationalError):
    """A connection string or connection keyword argument is invalid.

    Attributes:
        position: character offset of the problem in the connection string,
            or None when the problem is in a keyword argument.
    """

    __module__ = "devart_oracle"

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.position = position


class PoolError(OperationalError):
    """Base class of the errors a pool raises itself.

    Attributes:
        pool_id: the pool's id (PoolId or the explicit pool's name), or None.
    """

    __module__ = "devart_oracle"

    def __init__(self, message: str, pool_id: object = None) -> None:
        super().__init__(message)
        self.pool_id = pool_id


class PoolExhaustedError(PoolError):
    """Every session of the pool is busy and the wait mode gave up."""

    __module__ = "devart_oracle"


class PoolClosedError(PoolError):
    """The pool has been closed."""

    __module__ = "devart_oracle"


class DatabaseUnavailableError(PoolError):
    """The pool could not open a session: the database refused or is down."""

    __module__ = "devart_oracle"
