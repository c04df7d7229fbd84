"""A DRCP connection's side: which pooled session it holds, and what it owes the client.

A connection that asked for ``(SERVER=POOLED)`` gets a ``DrcpLink`` at logon
(``drcp_logon``). The link attaches a pooled session from ``_drcp``'s pool at
logon and at the first call after each release, and detaches it at the session
release call. Detaching parks the connection's cursors with the session: when
the same connection gets the same session back (PURITY_SELF), its cursors are
still open and the SESS_RET piggyback says nothing changed; any other
session comes with no cursors, and SESS_RET's SESSION_CHANGED flag makes the
client forget its cursor ids and parse again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from ._calls import CallSession
from ._drcp import PooledServer, PooledServers, Request
from .wire.codec import Writer
from .wire.requests import read_session_release
from .wire.responses import MSG_SERVER_PIGGYBACK

if TYPE_CHECKING:
    import socket

    from ._calls import CallRunner
    from ._logon import Identity
    from .sql import SessionInfo, SqlSession

__all__ = ["DrcpLink", "Holder", "drcp_logon"]

_SESS_RET, _SESSION_CHANGED = 4, 4


class Holder(CallSession, Protocol):
    """A client connection as its link sees it (``_session.Session``)."""

    info: SessionInfo | None
    sql: SqlSession | None
    calls: CallRunner
    sock: socket.socket
    peer: str
    drcp: DrcpLink | None
    interrupted: bool

    def kill_session(self) -> None: ...


def drcp_logon(pool: PooledServers, holder: Holder, identity: Identity) -> tuple[SessionInfo, SqlSession]:
    """A DRCP logon: authenticated, then holding a pooled session (may wait).

    Raises:
        PoolWaitTimeout: ORA-24457, every pooled server stayed busy.
    """
    link = DrcpLink(pool, Request.of(identity))
    pool.authenticated(link.request)
    link.attach(holder, logon=True)
    holder.drcp = link
    assert holder.info is not None and holder.sql is not None
    return holder.info, holder.sql


class DrcpLink:
    """The pooled session a DRCP connection holds, if any."""

    def __init__(self, pool: PooledServers, request: Request) -> None:
        self.pool = pool
        self.request = request
        self.server: PooledServer | None = None
        self._announce: int | None = None  # SESS_RET flags owed to the client

    def __repr__(self) -> str:
        return f"<DrcpLink class={self.request.cclass!r} server={self.server!r}>"

    def attach(self, holder: Holder, *, logon: bool = False) -> bool:
        """Acquire a pooled session and make it the holder's (may wait); True.

        Raises:
            PoolWaitTimeout: ORA-24457, every pooled server stayed busy.
        """
        server = self.pool.acquire(self.request, holder)
        self.server = server
        holder.info, holder.sql = server.info, server.sql
        parked, server.parked = server.parked, None
        same = parked is not None and parked.session is holder
        holder.calls = parked if same and parked is not None else type(holder.calls)(holder)
        if not logon:
            self._announce = 0 if same else _SESSION_CHANGED
        return True

    def detach(self, holder: Holder) -> None:
        """Give the pooled session back (rolled back); the holder keeps its socket."""
        server, self.server = self.server, None
        if server is None:
            return
        server.parked = holder.calls
        holder.sql = None
        self.pool.release(server)

    def release(self, holder: Holder) -> bool:
        """The session release call (one-way): the pooled session goes back; False (no reply)."""
        read_session_release(holder.reader)  # either mode: DEAUTHENTICATE only closes next
        self.detach(holder)
        return False

    def abandon(self) -> None:
        """The connection ended, or logged off, holding a session it closed: discard it."""
        server, self.server = self.server, None
        if server is not None:
            self.pool.discard(server)

    def announcement(self) -> bytes:
        """The SESS_RET piggyback owed after an attach, else nothing."""
        flags, self._announce = self._announce, None
        info = None if self.server is None else self.server.info
        if flags is None or info is None:
            return b""
        w = Writer()
        w.u8(MSG_SERVER_PIGGYBACK)
        w.u8(_SESS_RET)
        w.ub(0)  # DTYs
        w.u8(0)
        w.ub(0)  # no key/value pairs
        w.ub(flags)
        w.ub(info.sid)
        w.ub(info.serial)
        return bytes(w.buf)
