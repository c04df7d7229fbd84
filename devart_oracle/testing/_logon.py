"""The logon calls: AUTH phase one (118) and phase two (115), and password changes.

Phase one names the user and the client (terminal, program, machine, pid,
OS user); the server answers with its O5LOGON challenge. Phase two carries
the client's half of the session key, the encrypted password and session
settings (the time zone, as an ALTER SESSION statement, the driver name,
application contexts); the server checks the password
(``LogonCalls.phase_two`` returns who logged on), the session opens its
SQL session, and ``accept`` proves the server with ``AUTH_SVR_RESPONSE``
along with the session id and serial#, which the client requires. Unknown
users get a decoy challenge, so that they fail in phase two with the same
ORA-01017 as a wrong password.

Phase two may also carry ``PROXY_CLIENT_NAME`` (``user[target]``: the
session is the target's, authenticated by the user's password) and
``AUTH_NEWPASSWORD`` (``newpassword=``), which changes the password and is
how a user whose password expired (ORA-28001 otherwise) logs on.
``conn.changepassword()`` sends a phase two on a logged-on session: the old
and the new password, sealed under the session's combo key.

The challenge's verifier has the server's ``logon_rounds`` PBKDF2 rounds,
which python-oracledb thin follows whatever they are; an older client (the
legacy dialect: Devart's Direct mode) accepts only Oracle's 4096 and gets
those.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Protocol

from ._listener import Descriptor
from .sql.instance import Client
from .sql.userenv import CLIENT_NAMESPACE
from .sql.waits import waiting
from .wire.auth import ORACLE_ROUNDS, Logon, Verifier
from .wire.codec import Writer
from .wire.oraerror import WireError
from .wire.reader import MessageReader
from .wire.requests import read_auth
from .wire.responses import call_end, parameters

__all__ = ["Identity", "LogonCalls", "LogonHost", "Verified", "accept"]

log = logging.getLogger("devart_oracle.testing")

_MAX_PASSWORD = 1024  # bytes, as Oracle 23ai's limit
_INVALID_PASSWORD, _INVALID_OLD_PASSWORD, _EXPIRED, _NO_PROXY = 988, 28008, 28001, 28150
_BAD_NAMESPACE = 28267


@dataclass(frozen=True)
class Identity:
    """Who logged on, from the descriptor and the AUTH key/value pairs."""

    username: str
    program: str
    machine: str
    service_name: str
    time_zone: str | None
    client: Client = field(default_factory=Client)
    app_context: tuple[tuple[str, str, str], ...] = ()
    cclass: str | None = None  # DRCP: AUTH_KPPL_CONN_CLASS, else the descriptor's
    purity: int = 0  # DRCP: AUTH_KPPL_PURITY (1 NEW, 2 SELF), else the descriptor's; 0 default
    edition: str | None = None  # AUTH_ORA_EDITION (Database.open_session checks it); None: the default


@dataclass(frozen=True)
class Verified:
    """A phase two whose password was right: who, and the server's proof."""

    identity: Identity
    server_response: str


class LogonHost(Protocol):
    """What the logon calls need from the server."""

    @property
    def logon_delay(self) -> float: ...

    @property
    def logon_rounds(self) -> int: ...

    def verifier(self, username: str, rounds: int) -> Verifier | None: ...

    def expired(self, username: str) -> bool: ...

    def may_proxy(self, proxy: str, target: str) -> bool: ...

    def change_password(self, username: str, password: str) -> None: ...


class LogonCalls:
    """Runs the two AUTH phases of one session."""

    def __init__(self, reader: MessageReader, host: LogonHost) -> None:
        self.reader = reader
        self.host = host
        self.descriptor = Descriptor()
        self._exchange: Logon | None = None
        self._session_exchange: Logon | None = None  # the logon's, for changepassword()
        self._phase_one: dict[str, str] = {}
        self._user = ""
        self._rounds = ORACLE_ROUNDS  # of the verifier phase one chose

    def phase_one(self, w: Writer) -> None:
        """Answer AUTH phase one with the challenge for the named user."""
        call = read_auth(self.reader)
        self._user = _user_name(call.user)
        self._phase_one = call.pairs
        self._rounds = ORACLE_ROUNDS if self.reader.dialect.legacy else self.host.logon_rounds
        verifier = self.host.verifier(self._user, self._rounds) or Verifier.decoy(self._rounds)
        self._exchange = Logon(verifier)
        parameters(w, self._exchange.challenge())
        call_end(w, 0)

    def phase_two(self, *, logged_on: bool) -> Verified:
        """Check the password of phase two; the caller then opens the session.

        Raises:
            WireError: ORA-01017 for a wrong password, an unknown user, a
                session already logged on or phases out of order; ORA-28150
                for a proxy logon the target does not allow; ORA-28001 for
                an expired password without a new one; ORA-00988 for an
                invalid new password.
        """
        call = read_auth(self.reader)
        exchange, self._exchange = self._exchange, None
        if self.host.logon_delay > 0:
            with waiting():
                time.sleep(self.host.logon_delay)
        pairs = call.pairs
        if exchange is None or logged_on or _user_name(call.user) != self._user:
            raise WireError(1017)
        if not exchange.verify(pairs.get("AUTH_SESSKEY", ""), pairs.get("AUTH_PASSWORD", "")):
            log.info("logon of %s denied", self._user)
            raise WireError(1017)
        target = self._proxy_target(pairs)
        if any(space.upper() != CLIENT_NAMESPACE for space, _, _ in call.app_context):
            raise WireError(_BAD_NAMESPACE)
        self._renew(exchange, pairs)
        self._session_exchange = exchange
        identity = self._identity(pairs, call.app_context, target)
        return Verified(identity, exchange.server_response())

    def change_password(self, w: Writer) -> None:
        """``conn.changepassword(old, new)``: a phase two on the logged-on session.

        Raises:
            WireError: ORA-28008 for a wrong old password, ORA-00988 for
                an invalid new one, ORA-01017 for another user's name.
        """
        call = read_auth(self.reader)
        exchange = self._session_exchange
        if exchange is None or _user_name(call.user) != self._user:
            raise WireError(1017)
        old = exchange.unseal(call.pairs.get("AUTH_PASSWORD", ""))
        verifier = self.host.verifier(self._user, self._rounds)  # the current one: it may have changed
        if old is None or verifier is None or not verifier.matches(old):
            raise WireError(_INVALID_OLD_PASSWORD)
        self._set_password(exchange, call.pairs.get("AUTH_NEWPASSWORD", ""))
        call_end(w, 0)

    def _proxy_target(self, pairs: dict[str, str]) -> str | None:
        """The session user of a proxy logon (``user[target]``), None otherwise."""
        name = pairs.get("PROXY_CLIENT_NAME")
        if name is None:
            return None
        target = _user_name(name)
        if self.host.verifier(target, self._rounds) is None:
            raise WireError(1017)
        if not self.host.may_proxy(self._user, target):
            raise WireError(_NO_PROXY)
        return target

    def _renew(self, exchange: Logon, pairs: dict[str, str]) -> None:
        """Change the password at logon when asked; an expired one must be."""
        if "AUTH_NEWPASSWORD" in pairs:
            self._set_password(exchange, pairs["AUTH_NEWPASSWORD"])
        elif self.host.expired(self._user):
            log.info("logon of %s denied: its password has expired", self._user)
            raise WireError(_EXPIRED)

    def _set_password(self, exchange: Logon, sealed: str) -> None:
        new = exchange.unseal(sealed)
        if not new or len(new) > _MAX_PASSWORD:
            raise WireError(_INVALID_PASSWORD)
        try:
            password = new.decode("utf-8")
        except UnicodeDecodeError:
            raise WireError(_INVALID_PASSWORD) from None
        self.host.change_password(self._user, password)
        log.info("password of %s changed", self._user)

    def _identity(self, pairs: dict[str, str], app_context: list[tuple[str, str, str]],
                  target: str | None) -> Identity:
        one = self._phase_one
        return Identity(
            username=target or self._user,
            program=one.get("AUTH_PROGRAM_NM") or self.descriptor.program,
            machine=one.get("AUTH_MACHINE") or self.descriptor.machine,
            service_name=self.descriptor.service_name or "",
            time_zone=_time_zone(pairs.get("AUTH_ALTER_SESSION", "")),
            client=Client(
                terminal=one.get("AUTH_TERMINAL", ""),
                osuser=one.get("AUTH_SID", ""),
                process=one.get("AUTH_PID", ""),
                driver=pairs.get("SESSION_CLIENT_DRIVER_NAME", ""),
                version=_version(pairs.get("SESSION_CLIENT_VERSION", "")),
                proxy_user=self._user if target is not None else None),
            app_context=tuple(app_context),
            cclass=pairs.get("AUTH_KPPL_CONN_CLASS") or self.descriptor.cclass,
            purity=_purity(pairs.get("AUTH_KPPL_PURITY"), self.descriptor.purity),
            edition=_user_name(pairs["AUTH_ORA_EDITION"]) if pairs.get("AUTH_ORA_EDITION") else None,
        )


def accept(w: Writer, verified: Verified, session_parameters: list[tuple[str, str, int]]) -> None:
    """Answer a verified phase two: the server's proof and the session's parameters."""
    parameters(w, [("AUTH_SVR_RESPONSE", verified.server_response, 0), *session_parameters])
    call_end(w, 0)


def _user_name(user: str | None) -> str:
    """Oracle's user name: upper case unless quoted (quotes are dropped)."""
    name = user or ""
    if len(name) > 1 and name.startswith('"') and name.endswith('"'):
        return name[1:-1]
    return name.upper()


def _purity(number: str | None, named: str | None) -> int:
    """The DRCP purity asked for: AUTH_KPPL_PURITY, else (POOL_PURITY=NEW|SELF); 0 for none."""
    if number is not None and number.isdigit():
        return int(number)
    return {"NEW": 1, "SELF": 2}.get((named or "").upper(), 0)


def _version(number: str) -> str:
    """``SESSION_CLIENT_VERSION`` (major << 24 | minor << 20 | patch << 12) as 23.4.0.0.0."""
    if not number.isdigit():
        return ""
    value = int(number)
    return f"{value >> 24}.{(value >> 20) & 0xF}.{(value >> 12) & 0xFF}.0.0"


def _time_zone(statement: str) -> str | None:
    """The zone in ``ALTER SESSION SET TIME_ZONE='+01:00'`` (sent at logon)."""
    _, found, value = statement.rstrip("\x00").partition("=")
    return (value.strip().strip("'") or None) if found else None
