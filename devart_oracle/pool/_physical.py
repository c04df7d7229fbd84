"""Physical sessions: opened, pinged and logged off through python-oracledb.

Direct=True is python-oracledb's thin mode (no Oracle Client); Direct=False
is its thick mode, which loads the Oracle Client libraries once per process.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable
from typing import Any

import oracledb

from .._errors import InterfaceError, OperationalError
from ..connstring import ConnectionParameters

__all__ = [
    "AsyncDriverConnector",
    "DriverConnector",
    "ParamsConnector",
    "apply_session_params",
    "is_fatal",
    "is_refused",
    "open_connection",
]

logger = logging.getLogger("devart_oracle.pool")

#: Errors after which a session is unusable: killed, lost or closed.
FATAL_CODES = frozenset(
    {
        "ORA-00028", "ORA-00031", "ORA-01012", "ORA-01041", "ORA-02396",
        "ORA-03113", "ORA-03114", "ORA-03135", "ORA-12537", "ORA-12547",
        "ORA-12570", "ORA-12571", "DPI-1010", "DPI-1080",
        "DPY-1001", "DPY-4011", "DPY-4024",
    }
)

#: Logons the database itself refused: trying again cannot help and may lock
#: the account (bad credentials, locked or expired account, no privilege).
REFUSED_CODES = frozenset(
    {
        "ORA-01004", "ORA-01005", "ORA-01017", "ORA-01031", "ORA-01045",
        "ORA-28000", "ORA-28001", "ORA-28009", "ORA-28040",
        "DPY-4001",
    }
)

#: Milliseconds a validation ping may take before the session counts as dead
#: (python-oracledb's default ping_timeout; an explicit pool sets its own).
PING_TIMEOUT_MS = 5000


def is_fatal(exc: BaseException) -> bool:
    """True when a driver error means the session is gone."""
    error = exc.args[0] if exc.args else None
    return bool(getattr(error, "is_session_dead", False)) or _code(exc) in FATAL_CODES


def is_refused(exc: BaseException) -> bool:
    """True when the database refused a logon for good (never retried in the background)."""
    return _code(exc) in REFUSED_CODES


def open_connection(params: ConnectionParameters) -> oracledb.Connection:
    """Log a new session on, in thin or thick mode as ``Direct`` says.

    Raises:
        OperationalError: the host could not be reached or resolved (the
            driver lets socket errors through as they are).
    """
    if not params.direct:
        _enable_thick_mode(params.home_name)
    try:
        conn = oracledb.connect(**params.driver_args())
    except OSError as exc:
        raise OperationalError(f"cannot reach {params.host!r}: {exc.strerror or exc}") from exc
    apply_session_params(conn, params)
    return conn


def apply_session_params(conn: Any, params: ConnectionParameters) -> None:
    """Set what the connection string asks of a fresh session."""
    if params.schema:
        conn.current_schema = params.schema
    if params.autocommit:
        conn.autocommit = True


def _enable_thick_mode(home_name: str | None) -> None:
    """Load the Oracle Client once; explain what to do when it is missing."""
    if not oracledb.is_thin_mode():
        return
    try:
        oracledb.init_oracle_client(lib_dir=home_name)
    except oracledb.Error as exc:
        if _code(exc) == "DPY-2019":  # thin mode already in use
            raise InterfaceError(
                "direct=false needs python-oracledb's thick mode, but this process already"
                " made direct=true connections, and a process uses one mode only: use the same"
                " Direct value for every connection"
            ) from None
        where = f" in {home_name!r}" if home_name else ""
        raise InterfaceError(
            f"direct=false needs the oracle client libraries, which could not be"
            f" loaded{where} ({_first_line(exc)}); set Direct=True to connect"
            f" over tcp without an oracle client"
        ) from None


def _code(exc: BaseException) -> str | None:
    error = exc.args[0] if exc.args else None
    return getattr(error, "full_code", None)


def _first_line(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def close_quietly(conn: Any) -> None:
    """Log a session off; a session that is already dead is just dropped."""
    try:
        conn.close()
    except Exception as exc:  # the session may be dead: nothing to log off
        logger.debug("logoff failed: %s", _first_line(exc))


def ping(conn: Any, timeout_ms: int = PING_TIMEOUT_MS) -> bool:
    """Round-trip with a bounded wait (``timeout_ms``, 0 = none); False when the session is dead."""
    saved = conn.call_timeout
    try:
        conn.call_timeout = timeout_ms
        conn.ping()
        conn.call_timeout = saved
        return True
    except Exception as exc:
        logger.info("validation ping failed: %s", _first_line(exc))
        return False


async def ping_async(conn: Any, timeout_ms: int = PING_TIMEOUT_MS) -> bool:
    """:func:`ping` for an asyncio session.

    The wait is bounded by the session's ``call_timeout``, not by cancelling
    the ping: a cancelled python-oracledb ping on a stalled network never
    returns, while a call timeout makes the driver give the session up.
    ``call_timeout`` is only set on a session that is still healthy: setting
    it on an asyncio session whose connection was lost crashes
    python-oracledb 26.1 (a segmentation fault). With no await between the
    check and the set, the event loop cannot lose the connection in between.
    """
    if not conn.is_healthy():
        return False
    saved = conn.call_timeout
    try:
        conn.call_timeout = timeout_ms
        await conn.ping()
    except Exception as exc:
        logger.info("validation ping failed: %s", _first_line(exc))
        return False
    if not conn.is_healthy():
        return False
    conn.call_timeout = saved
    return True


class ParamsConnector:
    """Opens every session of a partition from the same parameters."""

    __slots__ = ("params",)

    def __init__(self, params: ConnectionParameters) -> None:
        self.params = params

    def open(self, key: Hashable) -> oracledb.Connection:
        """Log a session on."""
        return open_connection(self.params)

    def close(self, conn: Any) -> None:
        """Log a session off."""
        close_quietly(conn)

    def ping(self, conn: Any) -> bool:
        """Check a session with a round trip."""
        return ping(conn)


def _overrides(key: Hashable) -> dict[str, Any]:
    """Connect arguments a session key overrides (a user, a DRCP class): see SessionKey."""
    return {} if key is None else key.as_args()  # type: ignore[attr-defined]


class _DriverParams:
    """What both explicit-pool connectors hold."""

    __slots__ = ("params", "ping_timeout")

    def __init__(self, params: oracledb.PoolParams, ping_timeout: int = PING_TIMEOUT_MS) -> None:
        self.params = params
        self.ping_timeout = ping_timeout


class DriverConnector(_DriverParams):
    """Opens an explicit pool's sessions from its python-oracledb ``PoolParams``.

    The parameters hold everything python-oracledb connects with, dsn parsed
    in and password included (a password cannot be read back out of them),
    so they are handed to ``oracledb.connect()`` whole; a session key only
    overrides the user, password, cclass and purity. No dsn is passed: with
    one and no user (a heterogeneous pool), python-oracledb would read the
    dsn as credentials.

    Attributes:
        params: replaced, never changed in place, when ``stmtcachesize`` is
            reconfigured; sessions opened after that use the new value.
        ping_timeout: milliseconds a validation ping may take.
    """

    __slots__ = ()

    def open(self, key: Hashable) -> oracledb.Connection:
        """Log a session on, as the key's user when it has one."""
        return oracledb.connect(params=self.params, **_overrides(key))

    def close(self, conn: Any) -> None:
        """Log a session off."""
        close_quietly(conn)

    def ping(self, conn: Any) -> bool:
        """Check a session with a round trip of at most ``ping_timeout`` ms."""
        return ping(conn, self.ping_timeout)


class AsyncDriverConnector(_DriverParams):
    """The asyncio twin of :class:`DriverConnector`, over ``connect_async``."""

    __slots__ = ()

    async def open(self, key: Hashable) -> Any:
        """Log a session on."""
        return await oracledb.connect_async(params=self.params, **_overrides(key))

    async def close(self, conn: Any) -> None:
        """Log a session off; a dead session is just dropped."""
        try:
            await conn.close()
        except Exception as exc:
            logger.debug("logoff failed: %s", _first_line(exc))

    async def ping(self, conn: Any) -> bool:
        """Check a session with a round trip of at most ``ping_timeout`` ms."""
        return await ping_async(conn, self.ping_timeout)
