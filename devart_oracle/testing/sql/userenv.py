"""SYS_CONTEXT: the USERENV namespace and the application contexts of a session.

USERENV answers from the session record the keys Oracle documents that
clients and test suites read; a key Oracle does not have is ORA-02003, and a
key Oracle has but this server cannot know (such as CLOUD_SERVICE on a
database that is not in Oracle's cloud) is NULL, as on such a database.
Other namespaces are application contexts: what the client set at logon
(``appcontext=``) or since (``conn.set_app_context``) under its namespace;
an unknown namespace or attribute is NULL, as in Oracle.
"""

from __future__ import annotations

from collections.abc import Callable

from .catalog import SessionInfo
from .errors import OracleError

__all__ = ["CLIENT_NAMESPACE", "sys_context"]

CLIENT_NAMESPACE = "CLIENTCONTEXT"

_USERENV: dict[str, Callable[[SessionInfo], object]] = {
    "ACTION": lambda i: i.action,
    "AUTHENTICATED_IDENTITY": lambda i: i.username,
    "AUTHENTICATION_METHOD": lambda i: "PASSWORD",
    "AUTHENTICATION_TYPE": lambda i: "DATABASE",
    "CDB_NAME": lambda i: i.instance.db_name,
    "CLIENT_IDENTIFIER": lambda i: i.client_identifier,
    "CLIENT_INFO": lambda i: i.client_info,
    "CLIENT_PROGRAM_NAME": lambda i: i.program,
    "CLOUD_SERVICE": lambda i: None,
    "CON_ID": lambda i: 3,
    "CON_NAME": lambda i: i.instance.pdb_name,
    "CURRENT_EDITION_NAME": lambda i: i.edition,
    "CURRENT_SCHEMA": lambda i: i.current_schema or i.username,
    "CURRENT_USER": lambda i: i.username,
    "DATABASE_ROLE": lambda i: "PRIMARY",
    "DB_DOMAIN": lambda i: None,
    "DB_NAME": lambda i: i.instance.db_name,
    "DB_UNIQUE_NAME": lambda i: i.instance.db_unique_name,
    "HOST": lambda i: i.machine,
    "INSTANCE": lambda i: 1,
    "INSTANCE_NAME": lambda i: i.instance.name,
    "IP_ADDRESS": lambda i: i.client.address,
    "ISDBA": lambda i: "FALSE",
    "LANG": lambda i: "US",
    "LANGUAGE": lambda i: "AMERICAN_AMERICA.AL32UTF8",
    "MODULE": lambda i: i.module,
    "NLS_CALENDAR": lambda i: "GREGORIAN",
    "NLS_CURRENCY": lambda i: "$",
    "NLS_SORT": lambda i: "BINARY",
    "NLS_TERRITORY": lambda i: "AMERICA",
    "ORACLE_HOME": lambda i: None,
    "OS_USER": lambda i: i.client.osuser,
    "PROXY_USER": lambda i: i.client.proxy_user,
    "SERVER_HOST": lambda i: i.instance.host_name,
    "SERVICE_NAME": lambda i: i.service_name,
    "SESSION_USER": lambda i: i.username,
    "SESSIONID": lambda i: i.sid,
    "SESSION_TIMEZONE": lambda i: i.time_zone,
    "SID": lambda i: i.sid,
    "TERMINAL": lambda i: i.client.terminal,
}


def sys_context(info: SessionInfo, namespace: object, parameter: object) -> str | None:
    """``SYS_CONTEXT(namespace, parameter)``: always VARCHAR2 (or NULL), as in Oracle.

    Raises:
        OracleError: ORA-02003 for a USERENV parameter Oracle does not have.
    """
    space, key = str(namespace).upper(), str(parameter).upper()
    if space == "USERENV":
        getter = _USERENV.get(key)
        if getter is None:
            raise OracleError(2003)
        value = getter(info)
    else:
        value = info.contexts.get(space, {}).get(key)
    return None if value is None else str(value) or None
