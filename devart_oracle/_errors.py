"""The PEP 249 exception tree, shared with python-oracledb.

The base classes *are* python-oracledb's, so an error raised by the driver is
already an instance of ``devart_oracle.DatabaseError`` and friends: one
hierarchy, no translation on the hot path. The project's own errors subclass
them and carry their context as attributes; like python-oracledb's, their
``args[0]`` is an object with ``message``, ``code`` and ``full_code``, so
handlers written as ``error, = exc.args; error.full_code`` work for both.
"""

from __future__ import annotations

import re
from typing import Any

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
    "DrcpWarning",
    "ErrorInfo",
    "driver_error",
    "shaped",
]

#: PEP 249's exception classes by name (what connections expose as attributes).
PEP_249_EXCEPTIONS = {kind.__name__: kind for kind in (Warning, Error, InterfaceError, DatabaseError, DataError,
                      OperationalError, IntegrityError, InternalError, ProgrammingError, NotSupportedError)}  # fmt: skip

#: Devart's name for OperationalError, kept for code written against it.
OraOperationalError = OperationalError


class ErrorInfo:
    """What ``args[0]`` of devart_oracle's own errors holds, shaped like
    python-oracledb's error object.

    Attributes:
        message: the message (``str()`` of the exception).
        full_code: python-oracledb's code for the same condition
            (``DPY-4005`` for an exhausted pool), the database's code behind
            a failed open (``ORA-01017``), or "".
        code: the number of an ORA code, else 0 (as python-oracledb has it).
        offset: where in the connection string, for connection string errors.
    """

    __module__ = "devart_oracle"
    __slots__ = ("message", "full_code", "code", "offset", "context", "isrecoverable", "iswarning", "is_session_dead")

    def __init__(self, message: str, full_code: str = "", code: int = 0, offset: int = 0,
                 isrecoverable: bool = False) -> None:  # fmt: skip
        self.message = message
        self.full_code = full_code
        self.code = code
        self.offset = offset
        self.context: str | None = None
        self.isrecoverable = isrecoverable
        self.iswarning = False
        self.is_session_dead = False

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"ErrorInfo(full_code={self.full_code!r}, message={self.message!r})"


def _info(message: str | ErrorInfo, full_code: str = "", offset: int = 0) -> ErrorInfo:
    # An ErrorInfo comes back when an error is unpickled or copied (it is rebuilt from its args).
    if isinstance(message, ErrorInfo):
        return message
    if full_code.startswith("DPY-"):  # python-oracledb's messages start with their code
        message = f"{full_code}: {message}"
    return ErrorInfo(message, full_code, offset=offset)


_CODE = re.compile(r"^([A-Z]{3}-\d{4,5}):")


def shaped(kind: type[Error], message: str) -> Error:
    """``kind(message)`` with python-oracledb's ``args[0]`` shape; a message
    that starts with a code (``DPI-1012: ...``) has it as ``full_code``."""
    code = _CODE.match(message)
    return kind(ErrorInfo(message, code.group(1) if code else ""))


def driver_error(kind: type[Error], number: int, message: str) -> Error:
    """An error shaped like python-oracledb's for the same situation: its
    class, and ``DPY-<number>`` as the message's prefix and ``full_code``."""
    return shaped(kind, f"DPY-{number:04}: {message}")


class ConnectionStringError(OperationalError):
    """A connection string or connection keyword argument is invalid.

    Attributes:
        position: character offset of the problem in the connection string,
            or None when the problem is in a keyword argument.
    """

    __module__ = "devart_oracle"

    def __init__(self, message: str | ErrorInfo, position: int | None = None) -> None:
        super().__init__(_info(message, offset=position or 0))
        self.position = position


class PoolError(OperationalError):
    """Base class of the errors a pool raises itself.

    Attributes:
        pool_id: the pool's id (PoolId or the explicit pool's name), or None.
    """

    __module__ = "devart_oracle"
    #: python-oracledb's code for the same condition.
    full_code = "DPY-1005"  # cannot close: connections busy (the base class's one use)

    def __init__(self, message: str | ErrorInfo, pool_id: object = None, cause: BaseException | None = None) -> None:
        info = _info(message, self.full_code)
        driver: Any = cause.args[0] if cause is not None and cause.args else None
        if getattr(driver, "full_code", ""):  # a failed open: the database's own code
            info.full_code, info.code = driver.full_code, driver.code
            info.isrecoverable = bool(getattr(driver, "isrecoverable", False))
        super().__init__(info)
        self.pool_id = pool_id
        if cause is not None:
            self.__cause__ = cause


class PoolExhaustedError(PoolError):
    """Every session of the pool is busy and the wait mode gave up."""

    __module__ = "devart_oracle"
    full_code = "DPY-4005"


class PoolClosedError(PoolError, InterfaceError):
    """The pool has been closed (an InterfaceError too, as python-oracledb has it)."""

    __module__ = "devart_oracle"
    full_code = "DPY-1002"


class DatabaseUnavailableError(PoolError):
    """The pool could not open a session: the database refused or is down."""

    __module__ = "devart_oracle"
    full_code = ""


class DrcpWarning(UserWarning):
    """DRCP is asked for in a way Oracle's documentation advises against
    (a pooled server type without a connection class); warned once per pool
    or connection_pool partition."""

    __module__ = "devart_oracle"
