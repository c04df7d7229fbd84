"""The logon calls: AUTH phase one (118) and phase two (115).

Phase one names the user and the client (terminal, program, machine, pid);
the server answers with its O5LOGON challenge. Phase two carries the
client's half of the session key, the encrypted password and session
settings (the time zone, as an ALTER SESSION statement); the server checks
the password (``LogonCalls.phase_two`` returns who logged on), the session
opens its SQL session, and ``accept`` proves the server with
``AUTH_SVR_RESPONSE`` along with the session id and serial#, which the
client requires. Unknown users get a decoy challenge, so that they fail in
phase two with the same ORA-01017 as a wrong password.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Protocol

from ._listener import Descriptor
from .wire.auth import Logon, Verifier
from .wire.codec import Writer
from .wire.oraerror import WireError
from .wire.reader import MessageReader
from .wire.requests import read_auth
from .wire.responses import call_end, parameters

__all__ = ["Identity", "LogonCalls", "LogonHost", "Verified", "accept"]

log = logging.getLogger("devart_oracle.testing")


@dataclass(frozen=True)
class Identity:
    """Who logged on, from the descriptor and the AUTH key/value pairs."""

    username: str
    program: str
    machine: str
    service_name: str
    time_zone: str | None


@dataclass(frozen=True)
class Verified:
    """A phase two whose password was right: who, and the server's proof."""

    identity: Identity
    server_response: str


class LogonHost(Protocol):
    """What the logon calls need from the server."""

    @property
    def logon_delay(self) -> float: ...

    def verifier(self, username: str) -> Verifier | None: ...


class LogonCalls:
    """Runs the two AUTH phases of one session."""

    def __init__(self, reader: MessageReader, host: LogonHost) -> None:
        self.reader = reader
        self.host = host
        self.descriptor = Descriptor()
        self._exchange: Logon | None = None
        self._phase_one: dict[str, str] = {}
        self._user = ""

    def phase_one(self, w: Writer) -> None:
        """Answer AUTH phase one with the challenge for the named user."""
        call = read_auth(self.reader)
        self._user = _user_name(call.user)
        self._phase_one = call.pairs
        verifier = self.host.verifier(self._user) or Verifier.decoy()
        self._exchange = Logon(verifier)
        parameters(w, self._exchange.challenge())
        call_end(w, 0)

    def phase_two(self, *, logged_on: bool) -> Verified:
        """Check the password of phase two; the caller then opens the session.

        Raises:
            WireError: ORA-01017 for a wrong password, an unknown user, a
                session already logged on or phases out of order.
        """
        call = read_auth(self.reader)
        exchange, self._exchange = self._exchange, None
        if self.host.logon_delay > 0:
            time.sleep(self.host.logon_delay)
        pairs = call.pairs
        if exchange is None or logged_on or _user_name(call.user) != self._user:
            raise WireError(1017)
        if not exchange.verify(pairs.get("AUTH_SESSKEY", ""), pairs.get("AUTH_PASSWORD", "")):
            log.info("logon of %s denied", self._user)
            raise WireError(1017)
        return Verified(self._identity(pairs), exchange.server_response())

    def _identity(self, pairs: dict[str, str]) -> Identity:
        one = self._phase_one
        return Identity(
            username=self._user,
            program=one.get("AUTH_PROGRAM_NM") or self.descriptor.program,
            machine=one.get("AUTH_MACHINE") or self.descriptor.machine,
            service_name=self.descriptor.service_name or "",
            time_zone=_time_zone(pairs.get("AUTH_ALTER_SESSION", "")),
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


def _time_zone(statement: str) -> str | None:
    """The zone in ``ALTER SESSION SET TIME_ZONE='+01:00'`` (sent at logon)."""
    _, found, value = statement.rstrip("\x00").partition("=")
    return (value.strip().strip("'") or None) if found else None
