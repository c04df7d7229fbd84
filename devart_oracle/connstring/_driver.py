"""Mapping of connection parameters to python-oracledb's connect arguments.

Only what ``oracledb.connect()`` takes goes here. The rest is for the pool
layer: Direct picks thin or thick mode (process-wide in python-oracledb),
HomeName is the Oracle Client location for ``init_oracle_client()``, Schema
is set after logon, AutoCommit is a connection attribute, and PoolId and
DisablePooling only pick the pool.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import oracledb

from ._keywords import Value

__all__ = ["driver_args"]

AUTH_MODES: Final = {
    "Normal": oracledb.AUTH_MODE_DEFAULT,
    "SysOper": oracledb.AUTH_MODE_SYSOPER,
    "SysDBA": oracledb.AUTH_MODE_SYSDBA,
    "SysASM": oracledb.AUTH_MODE_SYSASM,
    "SysBkp": oracledb.AUTH_MODE_SYSBKP,
    "SysDG": oracledb.AUTH_MODE_SYSDGD,
    "SysKM": oracledb.AUTH_MODE_SYSKMT,
}
_TLS = "tcps://"
# Canonical name -> connect() argument, for the parameters passed on as is.
_PASSED_ON: Final = {
    "Port": "port",
    "ServiceName": "service_name",
    "SID": "sid",
    "UserName": "user",
    "Password": "password",
    "ConnectionTimeout": "tcp_connect_timeout",
}


def _address(host: str) -> dict[str, Any]:
    """Return the connect arguments that say where the database is."""
    if host.startswith("("):
        return {"dsn": host}
    args: dict[str, Any] = {}
    if host.startswith(_TLS):
        host, args["protocol"] = host[len(_TLS) :], "tcps"
    # Brackets only keep an IPv6 address apart from the port in Host.
    args["host"] = host[1:-1] if host.startswith("[") else host
    return args


def driver_args(values: Mapping[str, Value]) -> dict[str, Any]:
    """Return keyword arguments for ``oracledb.connect()``.

    Args:
        values: canonical name -> typed value, as ConnectionParameters holds.

    Returns:
        host, port, service_name or sid, protocol ("tcps" for TLS) or, for a
        connect descriptor, dsn; then user, password, mode and
        tcp_connect_timeout when set. The SID default is written out.
    """
    args = _address(str(values["Host"]))
    args.update((arg, values[name]) for name, arg in _PASSED_ON.items() if name in values)
    args["mode"] = AUTH_MODES[str(values["ConnectMode"])]
    return args
