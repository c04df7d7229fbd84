"""Mapping of connection parameters to python-oracledb's connect arguments.

Only what ``oracledb.connect()`` takes goes here. The rest is for the pool
layer: Direct picks thin or thick mode (process-wide in python-oracledb),
HomeName is the Oracle Client location for ``init_oracle_client()``, Schema
is set after logon, AutoCommit is a connection attribute, and PoolId and
DisablePooling only pick the pool.

The DRCP parameters become python-oracledb's ``server_type``, ``cclass``,
``purity`` and ``pool_boundary``. A Host shortcut whose service carries a
server type (``h:1521/svc:pooled``, Easy Connect's form) is handed to
python-oracledb as an Easy Connect dsn, so that python-oracledb reads the
server type itself: its parser, not a second one of ours, decides what the
form means.
"""

from __future__ import annotations

import re
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
PURITIES: Final = {"Default": oracledb.PURITY_DEFAULT, "New": oracledb.PURITY_NEW, "Self": oracledb.PURITY_SELF}
_TLS = "tcps://"
#: Easy Connect's ``/service:server_type`` ending (python-oracledb reads it, we only spot it).
_SERVER_SUFFIX = re.compile(r":(?:dedicated|shared|pooled)\Z", re.IGNORECASE)
# Canonical name -> connect() argument, for the parameters passed on as is.
_PASSED_ON: Final = {
    "Port": "port",
    "ServiceName": "service_name",
    "SID": "sid",
    "UserName": "user",
    "Password": "password",
    "ConnectionTimeout": "tcp_connect_timeout",
    "ConnectionClass": "cclass",
}
#: Canonical name -> connect() argument, for the DRCP words python-oracledb spells in lower case.
_LOWERED: Final = {"ServerType": "server_type", "PoolBoundary": "pool_boundary"}


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


def _easy_connect(args: dict[str, Any]) -> None:
    """Turn host, port and a service ending in ``:<server type>`` into an Easy Connect dsn."""
    service = args.get("service_name")
    if not (isinstance(service, str) and _SERVER_SUFFIX.search(service) and "host" in args):
        return
    host = args.pop("host")
    host = f"[{host}]" if ":" in host else host
    scheme = "tcps://" if args.pop("protocol", None) == "tcps" else ""
    args["dsn"] = f"{scheme}{host}:{args.pop('port', 1521)}/{args.pop('service_name')}"


def driver_args(values: Mapping[str, Value]) -> dict[str, Any]:
    """Return keyword arguments for ``oracledb.connect()``.

    Args:
        values: canonical name -> typed value, as ConnectionParameters holds.

    Returns:
        host, port, service_name or sid, protocol ("tcps" for TLS) or, for a
        connect descriptor or a service with a server type, dsn; then user,
        password, mode, tcp_connect_timeout and the DRCP arguments when set.
    """
    args = _address(str(values["Host"]))
    args.update((arg, values[name]) for name, arg in _PASSED_ON.items() if name in values)
    args.update((arg, str(values[name]).lower()) for name, arg in _LOWERED.items() if name in values)
    if "Purity" in values:
        args["purity"] = PURITIES[str(values["Purity"])]
    args["mode"] = AUTH_MODES[str(values["ConnectMode"])]
    _easy_connect(args)
    return args
