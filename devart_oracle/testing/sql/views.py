"""The V$ and NLS views: temporary tables a session creates when it first reads them.

SQLite has no virtual tables from Python, so each view is a temporary table
of the session's own connection, created the first time a statement names it
and filled from the session records (``SessionInfo``, ``instance``). The
views about sessions (V$SESSION, V$SESSTAT ...) are ``live``: refilled
before every statement that reads them; the others hold facts that do not
change while the session lasts and are filled once. Columns carry Oracle's
declared types, so that the client sees NUMBER, VARCHAR2 and DATE.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .backend import SqliteConnection
from .catalog import SessionInfo
from .cpool import CPOOL_CC_COLUMNS, CPOOL_COLUMNS, cpool_cc_rows, cpool_rows
from .errors import call_hook
from .instance import (
    DATABASE_NLS,
    NLS_PARAMETERS,
    PARAMETERS,
    STATISTICS,
    parameter_value,
)
from .tpc import PENDING_COLUMNS
from .transaction import V_TRANSACTION_COLUMNS, v_transaction_rows
from .values import encode

__all__ = ["VIEWS", "View", "mentioned", "refresh_views"]

Rows = list[tuple[Any, ...]]
Sessions = Callable[[], list[SessionInfo]]


@dataclass(frozen=True)
class View:
    """One view: its columns (name, Oracle type), its rows, whether they change."""

    name: str
    columns: tuple[tuple[str, str], ...]
    rows: Callable[[SessionInfo, Sessions], Rows]
    live: bool = False

    @property
    def table(self) -> str:
        return f'temp."{self.name}"'

    def create_sql(self) -> str:
        """The CREATE TEMP TABLE statement."""
        columns = ", ".join(f'"{name}" {kind}' for name, kind in self.columns)
        return f'CREATE TEMP TABLE "{self.name}" ({columns})'

    def insert_sql(self) -> str:
        """The INSERT with one placeholder per column."""
        return f"INSERT INTO {self.table} VALUES ({', '.join('?' * len(self.columns))})"


def _text(value: object) -> object:
    return value if value not in ("", None) else None


def _v_session(_: SessionInfo, sessions: Sessions) -> Rows:
    return [
        (i.sid, i.serial, i.sid, i.username, i.current_schema or i.username, i.status,
         _text(i.program), i.module, i.action, i.client_identifier, i.client_info,
         _text(i.machine), _text(i.client.terminal), _text(i.client.osuser),
         _text(i.client.process), encode(i.client.logon_time), i.sql_id, i.prev_sql_id,
         _text(i.service_name), "USER", i.server, i.client.port or None,
         int(time.monotonic() - i.status_since), 3)
        for i in sessions()
    ]


def _sql_monitor(_: SessionInfo, sessions: Sessions) -> Rows:
    """V$SQL_MONITOR: one EXECUTING row per session with a database operation (``conn.dbop``)."""
    return [
        (i.sid << 16 | i.serial, "EXECUTING", i.username, i.module, i.action, i.client_identifier,
         i.client_info, _text(i.program), i.sid, i.serial, i.sql_id, i.dbop, 1, 3)
        for i in sessions() if i.dbop
    ]


def _transactions(_: SessionInfo, sessions: Sessions) -> Rows:
    return v_transaction_rows(i.transaction for i in sessions())


def _connect_info(_: SessionInfo, sessions: Sessions) -> Rows:
    return [
        (i.sid, i.serial, "DATABASE", _text(i.client.osuser),
         "TCP/IP NT Protocol Adapter for Linux: Version " + i.instance.version,
         "AL32UTF8", "Homogeneous", None, _text(i.client.version), _text(i.client.driver), 3)
        for i in sessions()
    ]


def _sesstat(_: SessionInfo, sessions: Sessions) -> Rows:
    return [(i.sid, number, value, 3) for i in sessions() for number, value in i.stats.values()]


def _mystat(info: SessionInfo, _: Sessions) -> Rows:
    return [(info.sid, number, value, 3) for number, value in info.stats.values()]


def _statname(_: SessionInfo, __: Sessions) -> Rows:
    return [(number, name, kind, number, 3) for number, name, kind, _, _ in STATISTICS]


def _database(info: SessionInfo, _: Sessions) -> Rows:
    i = info.instance
    return [(i.dbid, i.db_name, i.db_unique_name, encode(i.started), "READ WRITE", "PRIMARY",
             "NOARCHIVELOG", "Linux x86 64-bit", "YES", 0)]


def _instance(info: SessionInfo, _: Sessions) -> Rows:
    i = info.instance
    return [(1, i.name, i.host_name, i.version, i.version, encode(i.started), "OPEN", "NO",
             "ACTIVE", "NORMAL", "NO", 0)]


def _version(info: SessionInfo, _: Sessions) -> Rows:
    i = info.instance
    full = f"{i.banner}\nVersion {i.version}"
    return [(i.banner, full, i.banner, 0)]


def _parameters(info: SessionInfo, _: Sessions) -> Rows:
    rows = []
    for number, (name, kind, value) in enumerate(PARAMETERS, start=1):
        shown = value if value is not None else parameter_value(name, info.instance, info.service_name)
        rows.append((number, name, kind, shown, shown, "FALSE" if value is None else "TRUE", 0))
    return rows


def _nls(extra: Sequence[tuple[str, str]]) -> Callable[[SessionInfo, Sessions], Rows]:
    return lambda info, _: [(name, value, 0) for name, value in (*NLS_PARAMETERS, *extra)]


_NUMBER, _TEXT, _DATE = "NUMBER", "VARCHAR2(4000)", "DATE"
_NLS_COLUMNS = (("PARAMETER", "VARCHAR2(128)"), ("VALUE", "VARCHAR2(64)"), ("CON_ID", _NUMBER))
_STAT_COLUMNS = (("SID", _NUMBER), ("STATISTIC#", _NUMBER), ("VALUE", _NUMBER), ("CON_ID", _NUMBER))

_ALL = (
    View("V$SESSION", (
        ("SID", _NUMBER), ("SERIAL#", _NUMBER), ("AUDSID", _NUMBER), ("USERNAME", "VARCHAR2(128)"),
        ("SCHEMANAME", "VARCHAR2(128)"), ("STATUS", "VARCHAR2(8)"), ("PROGRAM", "VARCHAR2(84)"),
        ("MODULE", "VARCHAR2(64)"), ("ACTION", "VARCHAR2(64)"),
        ("CLIENT_IDENTIFIER", "VARCHAR2(64)"), ("CLIENT_INFO", "VARCHAR2(64)"),
        ("MACHINE", "VARCHAR2(64)"), ("TERMINAL", "VARCHAR2(30)"), ("OSUSER", "VARCHAR2(128)"),
        ("PROCESS", "VARCHAR2(24)"), ("LOGON_TIME", _DATE), ("SQL_ID", "VARCHAR2(13)"),
        ("PREV_SQL_ID", "VARCHAR2(13)"), ("SERVICE_NAME", "VARCHAR2(64)"),
        ("TYPE", "VARCHAR2(10)"), ("SERVER", "VARCHAR2(9)"), ("PORT", _NUMBER),
        ("LAST_CALL_ET", _NUMBER), ("CON_ID", _NUMBER)), _v_session, live=True),
    View("V$SESSION_CONNECT_INFO", (
        ("SID", _NUMBER), ("SERIAL#", _NUMBER), ("AUTHENTICATION_TYPE", "VARCHAR2(26)"),
        ("OSUSER", "VARCHAR2(128)"), ("NETWORK_SERVICE_BANNER", _TEXT),
        ("CLIENT_CHARSET", "VARCHAR2(40)"), ("CLIENT_CONNECTION", "VARCHAR2(12)"),
        ("CLIENT_OCI_LIBRARY", "VARCHAR2(28)"), ("CLIENT_VERSION", "VARCHAR2(40)"),
        ("CLIENT_DRIVER", "VARCHAR2(128)"), ("CON_ID", _NUMBER)), _connect_info, live=True),
    View("V$SQL_MONITOR", (
        ("KEY", _NUMBER), ("STATUS", "VARCHAR2(19)"), ("USERNAME", "VARCHAR2(128)"),
        ("MODULE", "VARCHAR2(64)"), ("ACTION", "VARCHAR2(64)"),
        ("CLIENT_IDENTIFIER", "VARCHAR2(64)"), ("CLIENT_INFO", "VARCHAR2(64)"),
        ("PROGRAM", "VARCHAR2(48)"), ("SID", _NUMBER), ("SESSION_SERIAL#", _NUMBER),
        ("SQL_ID", "VARCHAR2(13)"), ("DBOP_NAME", "VARCHAR2(30)"), ("DBOP_EXEC_ID", _NUMBER),
        ("CON_ID", _NUMBER)), _sql_monitor, live=True),
    View("V$TRANSACTION", V_TRANSACTION_COLUMNS, _transactions, live=True),
    View("DBA_PENDING_TRANSACTIONS", PENDING_COLUMNS,
         lambda info, _: info.instance.branches.pending(), live=True),
    View("V$SESSTAT", _STAT_COLUMNS, _sesstat, live=True),
    View("V$MYSTAT", _STAT_COLUMNS, _mystat, live=True),
    View("V$STATNAME", (("STATISTIC#", _NUMBER), ("NAME", "VARCHAR2(64)"), ("CLASS", _NUMBER),
                        ("STAT_ID", _NUMBER), ("CON_ID", _NUMBER)), _statname),
    View("V$DATABASE", (
        ("DBID", _NUMBER), ("NAME", "VARCHAR2(9)"), ("DB_UNIQUE_NAME", "VARCHAR2(30)"),
        ("CREATED", _DATE), ("OPEN_MODE", "VARCHAR2(20)"), ("DATABASE_ROLE", "VARCHAR2(16)"),
        ("LOG_MODE", "VARCHAR2(12)"), ("PLATFORM_NAME", "VARCHAR2(101)"), ("CDB", "VARCHAR2(3)"),
        ("CON_ID", _NUMBER)), _database),
    View("V$INSTANCE", (
        ("INSTANCE_NUMBER", _NUMBER), ("INSTANCE_NAME", "VARCHAR2(16)"),
        ("HOST_NAME", "VARCHAR2(64)"), ("VERSION", "VARCHAR2(17)"),
        ("VERSION_FULL", "VARCHAR2(17)"), ("STARTUP_TIME", _DATE), ("STATUS", "VARCHAR2(12)"),
        ("PARALLEL", "VARCHAR2(3)"), ("DATABASE_STATUS", "VARCHAR2(17)"),
        ("INSTANCE_ROLE", "VARCHAR2(18)"), ("LOGINS_RESTRICTED", "VARCHAR2(3)"),
        ("CON_ID", _NUMBER)), _instance),
    View("V$VERSION", (("BANNER", "VARCHAR2(80)"), ("BANNER_FULL", "VARCHAR2(160)"),
                       ("BANNER_LEGACY", "VARCHAR2(80)"), ("CON_ID", _NUMBER)), _version),
    View("V$PARAMETER", (
        ("NUM", _NUMBER), ("NAME", "VARCHAR2(80)"), ("TYPE", _NUMBER), ("VALUE", _TEXT),
        ("DISPLAY_VALUE", _TEXT), ("ISDEFAULT", "VARCHAR2(9)"), ("CON_ID", _NUMBER)), _parameters),
    View("V$CPOOL_STATS", CPOOL_COLUMNS, lambda info, _: cpool_rows(info.instance.cpool), live=True),
    View("V$CPOOL_CC_STATS", CPOOL_CC_COLUMNS, lambda info, _: cpool_cc_rows(info.instance.cpool),
         live=True),
    View("NLS_DATABASE_PARAMETERS", _NLS_COLUMNS, _nls(DATABASE_NLS)),
    View("NLS_INSTANCE_PARAMETERS", _NLS_COLUMNS, _nls(())),
    View("NLS_SESSION_PARAMETERS", _NLS_COLUMNS,
         lambda info, _: [(name, value, 0) for name, value in info.nls.parameters()], live=True),
)

VIEWS = {view.name: view for view in _ALL}
_NAMES = re.compile("|".join(rf'(?<![\w$#"]){re.escape(name)}(?![\w$#])|"{re.escape(name)}"'
                             for name in sorted(VIEWS, key=len, reverse=True)))


def mentioned(sql: str) -> set[str]:
    """The views a rewritten statement names (V$ names come quoted from the rewrite)."""
    if "$" not in sql and "NLS_" not in sql and "PENDING_" not in sql.upper():
        return set()  # most statements: skip the search
    return {match.strip('"') for match in _NAMES.findall(sql)}


def refresh_views(link: SqliteConnection, names: Iterable[str], info: SessionInfo,
                  sessions: Sessions) -> None:
    """Create the views named on one connection, and fill them: a live view each time, the others once."""
    for name in names:
        view = VIEWS[name]
        created = link.create_temp(name, view.create_sql())
        if created or view.live:
            rows = call_hook(functools.partial(view.rows, info, sessions), name)
            link.run(functools.partial(link.fill, view.table, view.insert_sql(), rows))
