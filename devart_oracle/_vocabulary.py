"""The two languages ``connect()`` speaks, and the rule for telling them apart.

A call is in **python-oracledb's** language when it passes ``dsn``,
``params``, ``pool`` or ``pool_alias``, a keyword that only python-oracledb
knows (``mode``, ``events``, ``edition``...), or a first argument that is not
a Devart connection string (an Easy Connect string, a descriptor, a net
service name). Every other call is in **Devart's** language, as before. The
names both know (``user``, ``password``, ``host``, ``port``,
``service_name``, ``sid``) mean the same thing in both. Within a
python-oracledb call, a Devart-only name (``UserName``, ``PoolId``,
``Direct``...) is refused: the two vocabularies are not mixed in one call.

A python-oracledb call made only of ``user``, ``password`` and the address is
translated into Devart parameters (``Direct=True``, and python-oracledb's
``autocommit`` default, off, where Devart's is on), so ``connection_pool``
partitions it as it does a Devart string for the same user and address with
``AutoCommit=False``. Anything else it says
(``params``, ``mode``, ``events``...) has no Devart equivalent: such a call
opens a standalone session with python-oracledb.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Mapping
from typing import Any

import oracledb

from ._errors import ConnectionStringError
from .connstring import ConnectionParameters, parse
from .connstring._keywords import lookup
from .pool._options import check_names

__all__ = ["CONNECT_NAMES", "ACQUIRE_NAMES", "is_oracledb_call", "translated", "connect_params"]

#: python-oracledb's connect keywords (ConnectParams' and connect()'s own).
CONNECT_NAMES = frozenset(inspect.signature(oracledb.ConnectParams).parameters) | {"conn_class", "handle"}
#: What ``connect(pool=...)`` passes on to ``pool.acquire()``, as python-oracledb does.
ACQUIRE_NAMES = ("user", "password", "cclass", "purity", "tag", "matchanytag", "shardingkey", "supershardingkey")
#: python-oracledb names with a Devart equivalent: a call made of these alone can be pooled.
_TRANSLATABLE = frozenset({"user", "password", "host", "port", "service_name", "sid"})
_DEVART = re.compile(r"^\s*[A-Za-z][A-Za-z ]*=")
#: A descriptor that says no more than Devart's Host, Port and ServiceName or SID.
_SIMPLE = re.compile(
    r"\(DESCRIPTION=\(ADDRESS=\(PROTOCOL=tcp\)\(HOST=[^()]+\)\(PORT=\d+\)\)"
    r"\(CONNECT_DATA=\((?:SERVICE_NAME|SID)=[^()]+\)\)\)"
)


def is_oracledb_call(text: str, names: Mapping[str, Any]) -> bool:
    """Whether a ``connect()`` call is in python-oracledb's language (see the module's rule)."""
    if text and not _DEVART.match(text):
        return True
    return any(name in {"dsn", "params", "pool", "pool_alias"} or (name in CONNECT_NAMES and lookup(name) is None)
               for name in names)  # fmt: skip


def _refuse_devart_names(names: Mapping[str, Any]) -> None:
    devart = sorted(name for name in names if name not in CONNECT_NAMES)
    check_names(devart, CONNECT_NAMES)
    if devart:
        raise ConnectionStringError(
            f"connection parameters {', '.join(map(repr, devart))} are devart names in a python-oracledb style call"
            f" (dsn, params or a python-oracledb keyword given): use one vocabulary per call"
        )


def connect_params(dsn: str | None, params: Any, names: Mapping[str, Any]) -> oracledb.ConnectParams:
    """python-oracledb's parameters for a call in its language, as ``oracledb.connect()`` builds them.

    Raises:
        ConnectionStringError: a Devart name is mixed in.
        TypeError: a keyword neither vocabulary knows, or ``params`` that is
            not a ConnectParams.
    """
    _refuse_devart_names(names)
    if params is not None and not isinstance(params, oracledb.ConnectParams):
        raise TypeError(f"params must be an oracledb.ConnectParams, not {type(params).__name__}")
    built: oracledb.ConnectParams = oracledb.ConnectParams() if params is None else params.copy()
    built.set(**{k: v for k, v in names.items() if k not in {"conn_class", "handle"}})
    if dsn:
        # Credentials only before an '@': python-oracledb 26 also reads
        # "host/service" as "user/password" (see pool._options._parse_dsn).
        connect_string: str | None = dsn
        if "@" in dsn:
            user, password, connect_string = built.parse_dsn_with_credentials(dsn)
            built.set(user=user, password=password)
        if connect_string:
            built.parse_connect_string(connect_string)
    return built


def _address(built: oracledb.ConnectParams) -> dict[str, object]:
    """Devart's address parameters for python-oracledb's: the same words a
    Devart string would use for a plain address (so the same partition), the
    whole descriptor as Host otherwise."""
    descriptor = built.get_connect_string()
    if not _SIMPLE.fullmatch(descriptor):
        return {"Host": descriptor}
    database = {"ServiceName": built.service_name} if built.service_name else {"SID": built.sid}
    return {"Host": built.host, "Port": built.port, **database}


def translated(dsn: str | None, params: Any, names: Mapping[str, Any]) -> ConnectionParameters | None:
    """A python-oracledb call as Devart parameters, or None when it says more than they can."""
    if params is not None or not _TRANSLATABLE.issuperset(names):
        return None
    built = connect_params(dsn, None, names)
    if built.user is None:
        return None
    _, password, _ = built.parse_dsn_with_credentials(dsn) if dsn and "@" in dsn else (None, None, None)
    password = names.get("password", password)
    devart: dict[str, object] = {"Direct": True, "UserName": built.user, **_address(built)}
    if password is not None:
        devart["Password"] = password
    return parse("", AutoCommit=False, **devart)
