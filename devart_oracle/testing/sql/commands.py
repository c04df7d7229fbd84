"""Statements that never reach SQLite: ALTER SESSION and ALTER SYSTEM.

(PL/SQL blocks, which do not reach SQLite either, are ``plsql``'s.)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from .errors import OracleError
from .lexer import Token, name_of, significant
from .literals import literal_body
from .transaction import isolation_level

if TYPE_CHECKING:
    from .catalog import SessionInfo

__all__ = ["Host", "alter_session", "alter_system", "savepoint_name"]


class Host(Protocol):
    """What the commands need from the session."""

    info: SessionInfo

    def kill(self, sid: int, serial: int) -> bool: ...


# ----------------------------------------------------------- ALTER SESSION

def alter_session(tokens: tuple[Token, ...], info: SessionInfo,
                  user_exists: Callable[[str], bool] = lambda name: True,
                  edition: Callable[[str], str] = lambda name: name) -> None:
    """Run ``ALTER SESSION``: CURRENT_SCHEMA, EDITION (checked by ``edition``), TIME_ZONE,
    ISOLATION_LEVEL, NLS_DATE_FORMAT and NLS_TIMESTAMP_FORMAT are kept.

    Other settings are ignored.

    Raises:
        OracleError: ORA-00922 for a malformed SET, ORA-01435 for a
            CURRENT_SCHEMA that ``user_exists`` does not know, ORA-38802 for an EDITION that
            does not exist, ORA-02248 for
            an isolation level other than READ COMMITTED and SERIALIZABLE.
    """
    words = significant(tokens)[2:]
    if not words or not words[0].is_word("SET"):
        return
    settings = words[1:]
    if settings and settings[0].is_word("ISOLATION_LEVEL"):
        if len(settings) < 3 or settings[1].text != "=":
            raise OracleError(922)
        info.transaction.isolation = isolation_level(settings[2:])  # from the next transaction
        return
    if len(settings) < 3 or len(settings) % 3 or any(t.text != "=" for t in settings[1::3]):
        raise OracleError(922)
    for name, value in zip(settings[0::3], settings[2::3]):
        _setting(name.text.upper(), value, info, user_exists, edition)


def _setting(name: str, value: Token, info: SessionInfo,
             user_exists: Callable[[str], bool], edition: Callable[[str], str]) -> None:
    if name == "CURRENT_SCHEMA":
        if not user_exists(name_of(value)):
            raise OracleError(1435)
        info.current_schema = name_of(value)
    elif name == "EDITION":
        info.edition = edition(name_of(value))
    elif name == "TIME_ZONE":
        info.time_zone = literal_body(value) if "string" in value.kind else value.text.upper()
    elif name.startswith("NLS_") and "string" in value.kind:
        info.nls.set(name, literal_body(value))


# ------------------------------------------------------------ ALTER SYSTEM

def alter_system(tokens: tuple[Token, ...], host: Host) -> None:
    """Run ``ALTER SYSTEM KILL SESSION 'sid,serial#' [IMMEDIATE]``.

    Raises:
        OracleError: ORA-02065 for another ALTER SYSTEM, ORA-00026 for a
            malformed session id, ORA-00027 for the caller's own session,
            ORA-00030 when no such session exists.
    """
    words = significant(tokens)[2:]
    texts = [t.text.upper() for t in words]
    if texts[:2] not in (["KILL", "SESSION"], ["DISCONNECT", "SESSION"]) or len(words) < 3:
        raise OracleError(2065)
    match = re.fullmatch(r"\s*(\d+)\s*,\s*(\d+)\s*(?:,\s*@\d+\s*)?", literal_body(words[2])
                         if "string" in words[2].kind else "")
    if match is None:
        raise OracleError(26)
    sid, serial = int(match[1]), int(match[2])
    if (sid, serial) == (host.info.sid, host.info.serial):
        raise OracleError(27)
    if not host.kill(sid, serial):
        raise OracleError(30)


def savepoint_name(tokens: tuple[Token, ...]) -> str:
    """The savepoint name that ends SAVEPOINT and ROLLBACK TO statements."""
    words = [t for t in tokens if t.kind in ("word", "ident")]
    if len(words) < 2:
        raise OracleError(900)
    last = words[-1]
    return last.text if last.kind == "ident" else f'"{last.text.upper()}"'
