"""Physical sessions: opened, pinged and logged off through python-oracledb.

Direct=True is python-oracledb's thin mode (no Oracle Client); Direct=False
is its thick mode, which loads the Oracle Client libraries once per process.
A DRCP session in thin mode comes from a :class:`._drcp.DrcpSource` and
releases its pooled server whenever it goes idle (:func:`release_drcp`).
"""

from __future__ import annotations

import logging
from collections.abc import Hashable
from typing import Any

import oracledb

from .._errors import ErrorInfo, InterfaceError, OperationalError
from ..connstring import ConnectionParameters
from ._drcp import (
    DrcpSource,
    drcp_source,
    drop_quietly,
    pool_params,
    release_drcp,
    release_drcp_async,
)

__all__ = [
    "AsyncDriverConnector",
    "DriverConnector",
    "ParamsConnector",
    "apply_session_params",
    "call_timeout",
    "explained",
    "first_line",
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

#: Milliseconds a validation ping, or a logoff, may take before the session
#: counts as dead (python-oracledb's default ping_timeout; an explicit pool
#: sets its own).
PING_TIMEOUT_MS = 5000

#: Seconds ``close()``, ``clear()`` and the exit handler wait for logoffs; a
#: logoff still under way then (a stalled network) ends alone, within the
#: ping timeout.
LOGOFF_WAIT = 2.0


def call_timeout(timeout_ms: int) -> int:
    """The call timeout that bounds a round trip by ``timeout_ms`` in all.

    When a call times out, python-oracledb spends the call timeout once more
    breaking and resetting the connection before it gives up: so half.
    """
    return max(1, (timeout_ms + 1) // 2) if timeout_ms > 0 else 0


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
    args = params.driver_args()
    conn: oracledb.Connection = _logon(params, args, lambda: oracledb.connect(**args))
    apply_session_params(conn, params)
    return conn


def _logon(params: ConnectionParameters, args: dict[str, Any], connect: Any) -> Any:
    """``connect()``, with the driver's errors explained."""
    try:
        return connect()
    except OSError as exc:
        raise OperationalError(f"cannot reach {params.host!r}: {exc.strerror or exc}") from exc
    except oracledb.Error as exc:
        raise explained(exc, args.get("user"), _where(args)) from exc


def explained(exc: oracledb.Error, user: str | None, where: str) -> oracledb.Error:
    """The driver's logon error, of the same class and code, with a message
    that says in one line who could not log on where, and why.

    python-oracledb's first line is often only "DPY-6005: cannot connect to
    database", the reason (a refused port, an unknown service, the
    listener's ORA code) on the next lines or in ``__cause__``.
    """
    info = exc.args[0] if exc.args else None
    code = getattr(info, "full_code", "") or ""
    who = f" as {user!r}" if user else ""
    text = f"{code}: " if code else ""
    explanation = ErrorInfo(f"{text}cannot connect{who} to {where}: {_reason(exc, code)}", code,
                            getattr(info, "code", 0) or 0, isrecoverable=bool(getattr(info, "isrecoverable", False)))  # fmt: skip
    explanation.is_session_dead = bool(getattr(info, "is_session_dead", False))
    return type(exc)(explanation)


def _reason(exc: BaseException, code: str) -> str:
    """What the driver says went wrong, without its generic first line and help links."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip() and not line.startswith("Help:")]
    if not lines:
        return type(exc).__name__
    first = lines[0].removeprefix(f"{code}:").strip() if code else lines[0]
    if len(lines) > 1 and first.startswith("cannot connect to database"):
        return "; ".join(lines[1:])
    return "; ".join([first, *lines[1:]])


def _where(args: dict[str, Any]) -> str:
    """``host:port/service`` (or the descriptor) that connect arguments name."""
    if "dsn" in args:
        return str(args["dsn"])
    service = args.get("service_name") or args.get("sid") or ""
    return f"{args.get('host')}:{args.get('port', 1521)}/{service}"


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
            f" loaded{where} ({first_line(exc)}); set Direct=True to connect"
            f" over tcp without an oracle client"
        ) from None


def _code(exc: BaseException) -> str | None:
    error = exc.args[0] if exc.args else None
    return getattr(error, "full_code", None)


def first_line(exc: BaseException) -> str:
    """The first line of an error's text (its class name when it has none)."""
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def close_quietly(conn: Any, timeout_ms: int = PING_TIMEOUT_MS) -> None:
    """Log a session off within ``timeout_ms``; a dead session is just dropped."""
    try:
        if conn.is_healthy():  # see ping_async: never set on a lost connection
            conn.call_timeout = call_timeout(timeout_ms)
        conn.close()
    except Exception as exc:  # the session may be dead: nothing to log off
        logger.debug("logoff failed: %s", first_line(exc))


def ping(conn: Any, timeout_ms: int = PING_TIMEOUT_MS) -> bool:
    """Round-trip within ``timeout_ms`` (0 = no limit); False when the session is dead.

    As in :func:`ping_async`, ``call_timeout`` is set on a healthy session
    only: on a lost one it crashes python-oracledb 26.1, sync or asyncio.
    """
    if not conn.is_healthy():
        return False
    saved = conn.call_timeout
    try:
        conn.call_timeout = call_timeout(timeout_ms)
        conn.ping()
        conn.call_timeout = saved
        return True
    except Exception as exc:
        logger.info("validation ping failed: %s", first_line(exc))
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
        conn.call_timeout = call_timeout(timeout_ms)
        await conn.ping()
    except Exception as exc:
        logger.info("validation ping failed: %s", first_line(exc))
        return False
    if not conn.is_healthy():
        return False
    conn.call_timeout = saved
    return True


class ParamsConnector:
    """Opens every session of a partition from the same parameters.

    Attributes:
        drcp: where DRCP sessions come from (None: not DRCP, or thick mode).
        release: what the pool calls on a session going idle (None: nothing).
    """

    __slots__ = ("drcp", "params", "release")

    def __init__(self, params: ConnectionParameters) -> None:
        self.params = params
        # Once per partition: what python-oracledb reads from the string decides.
        try:
            self.drcp = drcp_source(pool_params(params), f"partition poolid:{params.pool_id}",
                                    "Connection Class= in the connection string", thin=params.direct)  # fmt: skip
        except oracledb.Error:  # a descriptor python-oracledb rejects: connect() explains it
            self.drcp = None
        self.release = release_drcp if self.drcp is not None else None

    def open(self, key: Hashable) -> oracledb.Connection:
        """Log a session on (a DRCP one holds no pooled server until used)."""
        if self.drcp is None:
            return open_connection(self.params)
        drcp = self.drcp
        conn = _logon(self.params, self.params.driver_args(), lambda: drcp.open({}))
        apply_session_params(conn, self.params)
        release_drcp(conn)
        return conn  # type: ignore[no-any-return]

    def close(self, conn: Any) -> None:
        """Log a session off."""
        if self.drcp is None:
            close_quietly(conn)
        else:
            drop_quietly(self.drcp, conn)

    def ping(self, conn: Any) -> bool:
        """Check a session with a round trip (a DRCP one releases its pooled server after)."""
        alive = ping(conn)
        return release_drcp(conn) if alive and self.drcp is not None else alive


def _overrides(key: Hashable) -> dict[str, Any]:
    """Connect arguments a session key overrides (a user, a DRCP class): see SessionKey."""
    return {} if key is None else key.as_args()  # type: ignore[attr-defined]


def _pool_where(params: oracledb.PoolParams) -> str:
    if params.host is None:  # a descriptor of several addresses, say
        return str(params.get_connect_string())
    service = params.service_name or params.sid or ""
    return f"{params.host}:{params.port}/{service}"


class _DriverParams:
    """What both explicit-pool connectors hold (``drcp`` and ``release`` as in ParamsConnector)."""

    __slots__ = ("drcp", "params", "ping_timeout", "release")
    _asynchronous = False

    def __init__(self, params: oracledb.PoolParams, ping_timeout: int = PING_TIMEOUT_MS, name: str = "") -> None:
        self.params = params
        self.ping_timeout = ping_timeout
        self.drcp = drcp_source(params, f"pool {name!r}", "cclass=", self._asynchronous)
        self.release: Any = None
        if self.drcp is not None:
            self.release = release_drcp_async if self._asynchronous else release_drcp

    def _source(self) -> DrcpSource:
        assert self.drcp is not None
        self.drcp.params = self.params  # replaced when stmtcachesize is reconfigured
        return self.drcp


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
        overrides = _overrides(key)
        try:
            if self.drcp is None:
                return oracledb.connect(params=self.params, **overrides)
            conn = self._source().open(overrides)
        except oracledb.Error as exc:
            raise explained(exc, overrides.get("user", self.params.user), _pool_where(self.params)) from exc
        release_drcp(conn)  # idle until used: no pooled server held
        return conn  # type: ignore[no-any-return]

    def close(self, conn: Any) -> None:
        """Log a session off within ``ping_timeout`` ms."""
        if self.drcp is None:
            close_quietly(conn, self.ping_timeout)
        else:
            drop_quietly(self.drcp, conn)

    def ping(self, conn: Any) -> bool:
        """Check a session with a round trip of at most ``ping_timeout`` ms (then release a DRCP one)."""
        alive = ping(conn, self.ping_timeout)
        return release_drcp(conn) if alive and self.drcp is not None else alive


class AsyncDriverConnector(_DriverParams):
    """The asyncio twin of :class:`DriverConnector`, over ``connect_async``."""

    __slots__ = ()
    _asynchronous = True

    async def open(self, key: Hashable) -> Any:
        """Log a session on."""
        overrides = _overrides(key)
        try:
            if self.drcp is None:
                return await oracledb.connect_async(params=self.params, **overrides)
            conn = await self._source().open_async(overrides)
        except oracledb.Error as exc:
            raise explained(exc, overrides.get("user", self.params.user), _pool_where(self.params)) from exc
        await release_drcp_async(conn)
        return conn

    async def close(self, conn: Any) -> None:
        """Log a session off within ``ping_timeout`` ms; a dead session is just dropped."""
        try:
            if conn.is_healthy():  # see ping_async: never set on a lost connection
                conn.call_timeout = call_timeout(self.ping_timeout)
            await (conn.close() if self.drcp is None else self.drcp.drop_async(conn))
        except Exception as exc:
            logger.debug("logoff failed: %s", first_line(exc))

    async def ping(self, conn: Any) -> bool:
        """Check a session with a round trip of at most ``ping_timeout`` ms (then release a DRCP one)."""
        alive = await ping_async(conn, self.ping_timeout)
        return await release_drcp_async(conn) if alive and self.drcp is not None else alive
