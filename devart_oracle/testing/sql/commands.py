"""Statements that never reach SQLite: ALTER SESSION, ALTER SYSTEM, PL/SQL.

PL/SQL is not interpreted; a block may hold ``NULL;`` and calls of the few
packaged procedures tests use (``DBMS_SESSION.SLEEP``, ``DBMS_LOCK.SLEEP``,
``DBMS_APPLICATION_INFO.SET_MODULE`` and ``SET_ACTION``,
``DBMS_SESSION.SET_IDENTIFIER``, ``DBMS_OUTPUT.PUT_LINE``) with literal or
bind arguments. Anything else is ORA-06550 with the PLS error Oracle would
give for it, at the line and column of the offending token, or PLS-00999
("implementation restriction") for constructs the server does not run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

from .errors import OracleError
from .lexer import Token, bind_name, bind_names, name_of, significant
from .literals import literal_body
from .transaction import isolation_level

if TYPE_CHECKING:
    from .catalog import SessionInfo

__all__ = ["Host", "alter_session", "alter_system", "run_plsql"]


class Host(Protocol):
    """What the commands need from the session."""

    info: SessionInfo

    def sleep(self, seconds: float) -> None: ...

    def kill(self, sid: int, serial: int) -> bool: ...


# ----------------------------------------------------------- ALTER SESSION

def alter_session(tokens: tuple[Token, ...], info: SessionInfo,
                  user_exists: Callable[[str], bool] = lambda name: True) -> None:
    """Run ``ALTER SESSION``: CURRENT_SCHEMA, TIME_ZONE and ISOLATION_LEVEL are kept.

    Other settings are ignored.

    Raises:
        OracleError: ORA-00922 for a malformed SET, ORA-01435 for a
            CURRENT_SCHEMA that ``user_exists`` does not know, ORA-02248 for
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
        _setting(name.text.upper(), value, info, user_exists)


def _setting(name: str, value: Token, info: SessionInfo,
             user_exists: Callable[[str], bool]) -> None:
    if name == "CURRENT_SCHEMA":
        if not user_exists(name_of(value)):
            raise OracleError(1435)
        info.current_schema = name_of(value)
    elif name == "TIME_ZONE":
        info.time_zone = literal_body(value) if "string" in value.kind else value.text.upper()


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


# ------------------------------------------------------------------ PL/SQL

def _position(sql: str, token: Token) -> str:
    line = sql.count("\n", 0, token.pos) + 1
    return f"{line}, column {token.pos - sql.rfind(chr(10), 0, token.pos)}"


def _pls(sql: str, token: Token, message: str, ignored: bool = False) -> OracleError:
    where = _position(sql, token)
    detail = f"{where}:\n{message}"
    if ignored:
        detail += f"\nORA-06550: line {where}:\nPL/SQL: Statement ignored"
    return OracleError(6550, detail)


def _number(value: object) -> float:
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return float(value)
    raise OracleError(6502)


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _procedures(host: Host) -> dict[str, tuple[int, int, Callable[..., None]]]:
    """Procedure name -> (least arguments, most arguments, body)."""
    info = host.info

    def set_module(module: object, action: object = None) -> None:
        info.module, info.action = _text(module), _text(action)

    def set_action(action: object) -> None:
        info.action = _text(action)

    def set_identifier(identifier: object) -> None:
        info.client_identifier = _text(identifier)

    def ignore(*_: object) -> None:
        return None

    return {
        "DBMS_SESSION.SLEEP": (1, 1, lambda secs: host.sleep(_number(secs))),
        "DBMS_LOCK.SLEEP": (1, 1, lambda secs: host.sleep(_number(secs))),
        "DBMS_APPLICATION_INFO.SET_MODULE": (2, 2, set_module),
        "DBMS_APPLICATION_INFO.SET_ACTION": (1, 1, set_action),
        "DBMS_APPLICATION_INFO.SET_CLIENT_INFO": (1, 1, ignore),
        "DBMS_SESSION.SET_IDENTIFIER": (1, 1, set_identifier),
        "DBMS_SESSION.CLEAR_IDENTIFIER": (0, 0, lambda: set_identifier(None)),
        "DBMS_OUTPUT.PUT_LINE": (1, 1, ignore),
        "DBMS_OUTPUT.PUT": (1, 1, ignore),
        "DBMS_OUTPUT.ENABLE": (0, 1, ignore),
        "DBMS_OUTPUT.DISABLE": (0, 0, ignore),
    }


_KEYWORDS = (
    "IF", "LOOP", "FOR", "WHILE", "CASE", "DECLARE", "BEGIN", "RETURN", "RAISE", "EXECUTE",
    "INSERT", "UPDATE", "DELETE", "SELECT", "MERGE", "COMMIT", "ROLLBACK", "SAVEPOINT", "OPEN",
    "FETCH", "CLOSE", "EXIT", "GOTO", "LOCK", "SET", "PIPE", "FORALL", "CONTINUE",
)


class _Block:
    """A PL/SQL block being run: its tokens, its binds, the host."""

    def __init__(self, sql: str, tokens: tuple[Token, ...], params: Sequence[object],
                 host: Host) -> None:
        names = bind_names(tokens, plsql=True)
        if len(params) != len(names):
            raise OracleError(1008 if len(params) < len(names) else 1036)
        self.sql, self.words, self.i = sql, significant(tokens), 0
        self.values = dict(zip(names, params))
        self.procedures = _procedures(host)

    def peek(self) -> Token:
        if self.i >= len(self.words):
            end = Token("op", "end-of-file", len(self.sql))
            raise _pls(self.sql, end, 'PLS-00103: Encountered the symbol "end-of-file" '
                       "when expecting one of the following: ; end")
        return self.words[self.i]

    def expect(self, text: str) -> None:
        token = self.peek()
        if token.text.upper() != text:
            raise _pls(self.sql, token, f'PLS-00103: Encountered the symbol "{token.text.upper()}"'
                       f' when expecting one of the following: {text.lower()}')
        self.i += 1

    def run(self) -> None:
        first = self.peek()
        if first.is_word("CALL"):
            self.i += 1
            self.call()
            return
        if not first.is_word("BEGIN"):
            raise _pls(self.sql, first, "PLS-00999: implementation restriction (may be "
                       f"temporary) {first.text.upper()} blocks are not run by the test server")
        self.i += 1
        while not self.peek().is_word("END"):
            self.statement()
        self.i += 1
        if self.i < len(self.words) and self.words[self.i].kind == "word":
            self.i += 1
        if self.i < len(self.words):
            self.expect(";")

    def statement(self) -> None:
        token = self.peek()
        if token.is_word("NULL"):
            self.i += 1
        elif token.is_word(*_KEYWORDS):
            raise _pls(self.sql, token, "PLS-00999: implementation restriction (may be temporary) "
                       f"{token.text.upper()} statements are not run by the test server")
        else:
            self.call()
        self.expect(";")

    def call(self) -> None:
        start = self.peek()
        parts = [self.name()]
        while self.i < len(self.words) and self.words[self.i].text == ".":
            self.i += 1
            parts.append(self.name())
        arguments = self.arguments()
        self.invoke(start, ".".join(parts), arguments)

    def name(self) -> str:
        token = self.peek()
        if token.kind not in ("word", "ident"):
            raise _pls(self.sql, token, "PLS-00999: implementation restriction (may be "
                       "temporary) only NULL and procedure calls are run by the test server")
        self.i += 1
        return name_of(token)

    def arguments(self) -> list[object]:
        if self.i >= len(self.words) or self.words[self.i].text != "(":
            return []
        self.i += 1
        values = [self.argument()]
        while self.peek().text == ",":
            self.i += 1
            values.append(self.argument())
        self.expect(")")
        return values

    def argument(self) -> object:
        token = self.peek()
        self.i += 1
        negative = token.text == "-"
        if negative:
            token = self.peek()
            self.i += 1
        if token.kind == "bind":
            return self.values[bind_name(token)]
        if token.kind == "number":
            number = Decimal(token.text)
            return -number if negative else number
        if "string" in token.kind:
            return literal_body(token) or None
        if token.is_word("NULL"):
            return None
        raise _pls(self.sql, token, "PLS-00999: implementation restriction (may be "
                   "temporary) arguments must be literals or binds in the test server")

    def invoke(self, token: Token, name: str, arguments: list[object]) -> None:
        procedure = self.procedures.get(name)
        if procedure is None:
            raise _pls(self.sql, token, f"PLS-00201: identifier '{name}' must be declared",
                       ignored=True)
        least, most, body = procedure
        if not least <= len(arguments) <= most:
            short = name.rsplit(".", 1)[-1]
            raise _pls(self.sql, token, "PLS-00306: wrong number or types of arguments in "
                       f"call to '{short}'", ignored=True)
        body(*arguments)


def run_plsql(sql: str, tokens: tuple[Token, ...], params: Sequence[object], host: Host) -> None:
    """Run a PL/SQL block (or CALL).

    Raises:
        OracleError: ORA-01008/ORA-01036 for the wrong number of binds,
            ORA-06550 for what is not run, or what a procedure raises
            (ORA-01013 when a sleep is cancelled).
    """
    _Block(sql, tokens, params, host).run()
