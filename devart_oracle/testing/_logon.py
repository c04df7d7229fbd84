"""The logon calls: AUTH phase one (118) and phase two (115).

Phase one names the user and the client (terminal, program, machine, pid);
the server answers with its O5LOGON challenge. Phase two carries the
client's half of the session key, the encrypted password and session
settings (the time zone, as an ALTER SESSION statement); the server checks
the password, opens the SQL session, and proves itself with
``AUTH_SVR_RESPONSE`` along with the session id and serial#, which the
client requires. Unknown users get a decoy challenge, so that they fail in
phase two with the same ORA-01017 as a wrong password.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .wire.auth import Logon, Verifier
from .wire.codec import Writer
from ._listener import Descriptor
from .wire.oraerror import WireError
from .wire.requests import read_auth
from .wire.responses import parameters, status

if TYPE_CHECKING:
    from ._session import Session

__all__ = ["Identity", "LogonCalls"]

log = logging.getLogger("devart_oracle.testing")


@dataclass(frozen=True)
class Identity:
    """Who logged on, from the descriptor and the AUTH key/value pairs."""

    username: str
    program: str
    machine: str
    service_name: str
    time_zone: str | None


class LogonCalls:
    """Runs the two AUTH phases of one session."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.descriptor = Descriptor()
        self._exchange: Logon | None = None
        self._phase_one: dict[str, str] = {}
        self._user = ""

    def phase_one(self, w: Writer) -> None:
        """Answer AUTH phase one with the challenge for the named user."""
        call = read_auth(self.session.reader)
        self._user = _user_name(call.user)
        self._phase_one = call.pairs
        verifier = self.session.host.verifier(self._user) or Verifier.decoy()
        self._exchange = Logon(verifier)
        parameters(w, self._exchange.challenge())
        status(w, 0)

    def phase_two(self, w: Writer) -> None:
        """Check the password; on success open the session and prove the server.

        Raises:
            WireError: ORA-01017 for a wrong password, an unknown user or
                phases out of order.
        """
        session = self.session
        call = read_auth(session.reader)
        exchange, self._exchange = self._exchange, None
        if session.host.logon_delay > 0:
            time.sleep(session.host.logon_delay)
        pairs = call.pairs
        if exchange is None or session.sql is not None or _user_name(call.user) != self._user:
            raise WireError(1017)
        if not exchange.verify(pairs.get("AUTH_SESSKEY", ""), pairs.get("AUTH_PASSWORD", "")):
            log.info("session %r: logon of %s denied", session, self._user)
            raise WireError(1017)
        session.info, session.sql = session.host.logon(session, self._identity(pairs))
        params = [("AUTH_SVR_RESPONSE", exchange.server_response(), 0)]
        params += session.host.auth_parameters(session.info)
        parameters(w, params)
        status(w, 0)

    def _identity(self, pairs: dict[str, str]) -> Identity:
        one = self._phase_one
        return Identity(
            username=self._user,
            program=one.get("AUTH_PROGRAM_NM") or self.descriptor.program,
            machine=one.get("AUTH_MACHINE") or self.descriptor.machine,
            service_name=self.descriptor.service_name or "",
            time_zone=_time_zone(pairs.get("AUTH_ALTER_SESSION", "")),
        )


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
