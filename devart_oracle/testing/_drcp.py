"""Database Resident Connection Pooling: at most N pooled server sessions.

With ``OracleTestServer(pooled_servers=N)``, a client that asks for
``(SERVER=POOLED)`` gets a connection that holds a *pooled server session*
only while it needs one, as through Oracle's connection broker:

- its logon (AUTH phase two) acquires one, and it keeps it until it sends a
  session release (function 163, a one-way call nobody answers): python-
  oracledb thin sends it when a pooled connection goes back to its pool, and
  when a standalone DRCP connection closes (mode DEAUTHENTICATE);
- the first call after a release acquires one again, and its reply starts
  with the SESS_RET server piggyback that tells the client which session it
  now has (and, when the session changed, to forget its open cursors);
- a client that goes away, or logs off, releases what it holds.

An acquire takes, in order: an idle session of the same user and connection
class when the purity is SELF (a *hit*: the session state is what it was,
cursors included when the same connection comes back); a new session while
fewer than N exist (a *miss*); else an idle session of another class, or any
idle one for PURITY_NEW, which is closed and replaced by a fresh one (a
*miss*). With none idle it waits (a *wait*), up to ``wait_timeout`` seconds,
then fails with ORA-24457; Oracle's broker queues without a limit, the
emulation bounds it so that a test cannot hang. Session state is everything
the server keeps per session: the SessionInfo (module, action, client
identifier, application contexts, CURRENT_SCHEMA, time zone) and the SQL
session (its temporary tables, DBMS_OUTPUT, open transaction), so
PURITY_NEW always starts from a fresh logon's state.

The counters go to ``PoolStatistics`` (``V$CPOOL_STATS``, ``V$CPOOL_CC_STATS``);
each pooled session has a sid of its own in ``V$SESSION`` while it exists.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from ._arguments import check_seconds
from .sql.cpool import PoolStatistics
from .sql.waits import waiting
from .wire.packet import ConnectionClosed, peek

if TYPE_CHECKING:
    from ._calls import CallRunner
    from ._logon import Identity
    from .sql import SessionInfo, SqlSession

__all__ = ["DEFAULT_WAIT_TIMEOUT", "DrcpError", "PoolWaitTimeout", "PooledServer", "PooledServers", "Request",
           "Tenant", "class_name"]

log = logging.getLogger("devart_oracle.testing")

DEFAULT_WAIT_TIMEOUT = 30.0
PURITY_NEW, PURITY_SELF = 1, 2
_NO_FREE_SESSION, _STOPPED, _CANCELLED = 24457, 12520, 1013
_MARKER = 12  # the packet type of a break
_POLL = 0.05  # seconds between a waiter's looks at its socket (a break: call_timeout, cancel())
_STOPPED_TEXT = "TNS:listener could not find available handler for requested type of server"
DEFAULT_MAXSIZE = 40  # Oracle's default pool size, for START_POOL on a server without one


class DrcpError(Exception):
    """An ORA error of the pool, with the ``code`` and ``text`` the session sends."""

    def __init__(self, code: int, message: str) -> None:
        self.code = code
        self.text = f"ORA-{code:05d}: {message}"
        super().__init__(self.text)


class PoolWaitTimeout(DrcpError):
    """ORA-24457: every pooled server stayed busy for the whole wait."""

    def __init__(self, size: int, waited: float) -> None:
        super().__init__(_NO_FREE_SESSION, "OCISessionGet() could not find a free session in the "
                         f"specified timeout period: all {size} pooled servers stayed busy for "
                         f"{waited:.2f} s (release connections sooner, or raise pooled_servers)")


class Tenant(Protocol):
    """A client connection as the pool sees it (``_session.Session``)."""

    sock: socket.socket
    peer: str
    interrupted: bool  # set when a wait ends for the client's break: the session answers it

    def kill_session(self) -> None: ...


@dataclass(frozen=True)
class Request:
    """What a DRCP connection asks the pool for: whose session, which class, which purity."""

    identity: Identity
    username: str
    cclass: str
    purity: int

    @classmethod
    def of(cls, identity: Identity) -> Request:
        """The request of a connection that logged on as ``identity``."""
        return cls(identity, identity.username, class_name(identity.username, identity.cclass),
                   identity.purity or PURITY_NEW)


class PooledServer:
    """One pooled server session; the registry lists it under its own sid."""

    def __init__(self, pool: PooledServers, username: str, cclass: str) -> None:
        self.pool = pool
        self.username = username
        self.cclass = cclass
        self.info: SessionInfo | None = None
        self.sql: SqlSession | None = None
        self.holder: Tenant | None = None
        self.parked: CallRunner | None = None  # the last holder's cursors, for its return
        self.discarded = False
        self.busy_since = 0.0
        self.connected_at = time.monotonic()

    def __repr__(self) -> str:
        sid = None if self.info is None else self.info.sid
        return f"<PooledServer sid={sid} class={self.cclass!r} attached={self.holder is not None}>"

    def kill_session(self) -> None:
        """ALTER SYSTEM KILL SESSION: the session ends; its holder gets ORA-00028 next."""
        holder = self.holder
        self.pool.discard(self)
        if holder is not None:
            holder.kill_session()

    kill = kill_session  # the registry's hook for a dropped member: the same

    def poll_interrupt(self) -> None:
        """Registry hook: the watcher polls the connections themselves."""


def class_name(username: str, cclass: str | None) -> str:
    """V$CPOOL_CC_STATS' CCLASS_NAME: ``USER.CLASS``, ``USER.SHARED`` without a class."""
    return f"{username}.{cclass or 'SHARED'}"


Opener = Callable[["Identity", PooledServer, str], "tuple[SessionInfo, SqlSession]"]


class PooledServers:
    """The pool: at most ``size`` sessions, idle ones newest last, and waiters.

    Args:
        size: the most pooled server sessions (``pooled_servers``).
        wait_timeout: seconds an acquire waits for a busy pool.
        opener: opens a new session (registers its sid, opens its SQL session).
        retire: takes a closed session's sid out of the registry.
        stats: where the counters go (the instance's, for the V$ views).
    """

    def __init__(self, size: int, wait_timeout: float, opener: Opener,
                 retire: Callable[[PooledServer], None], stats: PoolStatistics) -> None:
        self.size = size
        self.wait_timeout = wait_timeout
        self.stats = stats
        self._opener = opener
        self._retire = retire
        self._cond = threading.Condition()
        self._servers: set[PooledServer] = set()
        self._idle: list[PooledServer] = []
        self._opening = 0
        self._closed = False
        stats.size, stats.active, stats.control = size, size > 0, self

    @classmethod
    def create(cls, size: int, wait_timeout: float, opener: Opener,
               retire: Callable[[PooledServer], None], stats: PoolStatistics | None) -> PooledServers:
        """A pool for ``OracleTestServer(pooled_servers=size)``; size 0 is DRCP off.

        Raises:
            TypeError, ValueError: a size that is no count, a timeout that is no duration.
        """
        if isinstance(size, bool) or not isinstance(size, int):
            raise TypeError(f"pooled_servers must be an int, not {type(size).__name__}")
        if size < 0:
            raise ValueError(f"pooled_servers must be 0 (no DRCP) or more, not {size}")
        wait = check_seconds("pooled_wait_timeout", wait_timeout, zero=False)
        return cls(size, wait, opener, retire, stats or PoolStatistics())

    def __repr__(self) -> str:
        return f"<PooledServers size={self.size} open={len(self._servers)} idle={len(self._idle)}>"

    @property
    def active(self) -> bool:
        """Whether (SERVER=POOLED) is served: DRCP on and the pool not stopped."""
        return self.stats.active

    def start(self) -> None:
        """DBMS_CONNECTION_POOL.START_POOL: serve again (with 40 servers if there were none)."""
        with self._cond:
            if not self.size:
                self.size = self.stats.size = DEFAULT_MAXSIZE
            self.stats.active = not self._closed

    def stop(self) -> None:
        """DBMS_CONNECTION_POOL.STOP_POOL: idle sessions end now, attached ones at release."""
        with self._cond:
            self.stats.active = False
            self._cond.notify_all()
        self._trim(0)

    def configure(self, maxsize: int) -> None:
        """DBMS_CONNECTION_POOL.CONFIGURE_POOL(maxsize=): idle sessions beyond it end now."""
        with self._cond:
            self.size = self.stats.size = maxsize
            self._cond.notify_all()
        self._trim(maxsize)

    def _trim(self, size: int) -> None:
        with self._cond:
            extra = self._idle[:max(0, len(self._servers) - size)]
            for server in extra:
                self._drop(server)
        for server in extra:
            self._close(server)

    @property
    def open_count(self) -> int:
        """Pooled server sessions that exist now, attached or idle."""
        with self._cond:
            return len(self._servers)

    def authenticated(self, request: Request) -> None:
        """Count a DRCP logon's authentication."""
        with self._cond:
            self.stats.count(request.cclass, authentications=1)

    def acquire(self, request: Request, tenant: Tenant) -> PooledServer:
        """A pooled session for this connection: a hit, a new one, or a wait.

        Raises:
            PoolWaitTimeout: nothing became idle within ``wait_timeout``.
            DrcpError: ORA-12520, the pool was stopped.
            ConnectionClosed: the connection was cut, or the server closed, while waiting.
        """
        started = time.monotonic()
        with self._cond:
            self.stats.count(request.cclass, requests=1)
            victim = self._wait_for_choice(request, tenant, started)
            if isinstance(victim, PooledServer):
                if victim.cclass == request.cclass and request.purity == PURITY_SELF and \
                        victim.username == request.username:
                    return self._lease(victim, tenant, hit=True)
                self._drop(victim)  # now, so that no other request picks it meanwhile
            self._opening += 1
        return self._open(request, tenant, victim)

    def _wait_for_choice(self, request: Request, tenant: Tenant, started: float) -> PooledServer | bool:
        """Under the lock: an idle session to reuse or replace, or True for room; waits for either."""
        waited = False
        try:
            while True:
                if self._closed or tenant.sock.fileno() < 0:
                    raise ConnectionClosed("the connection ended while waiting for a pooled server")
                if not self.stats.active:
                    raise DrcpError(_STOPPED, _STOPPED_TEXT)
                choice = self._choose(request)
                if choice is not False:
                    return choice
                if not waited:
                    waited = True
                    self.stats.count(request.cclass, waits=1)
                remaining = started + self.wait_timeout - time.monotonic()
                if remaining <= 0:
                    self.stats.count(request.cclass, timeouts=1)
                    raise PoolWaitTimeout(self.size, time.monotonic() - started)
                with waiting():  # a pooled server comes back in another session's call
                    self._cond.wait(min(remaining, _POLL))
                if _break_waiting(tenant.sock):
                    tenant.interrupted = True  # no reply: the break/reset exchange follows
                    raise DrcpError(_CANCELLED, "user requested cancel of current operation")
        finally:
            if waited:
                self.stats.count(request.cclass, wait_time=time.monotonic() - started)

    def _choose(self, request: Request) -> PooledServer | bool:
        """An idle session to reuse (or replace), True for room for a new one, False for neither."""
        if request.purity == PURITY_SELF:
            for server in reversed(self._idle):
                if server.cclass == request.cclass and server.username == request.username:
                    return server
        if len(self._servers) + self._opening < self.size:
            return True
        return self._idle[0] if self._idle else False  # the longest idle is replaced

    def _lease(self, server: PooledServer, tenant: Tenant, *, hit: bool) -> PooledServer:
        if server in self._idle:
            self._idle.remove(server)
        server.holder = tenant
        self.stats.count(server.cclass, **({"hits": 1} if hit else {"misses": 1}))
        self._update()
        return server

    def _open(self, request: Request, tenant: Tenant, victim: PooledServer | bool) -> PooledServer:
        """Outside the lock: replace the victim (if any) by a new session."""
        if isinstance(victim, PooledServer):
            self._close(victim)
        server = PooledServer(self, request.username, request.cclass)
        try:
            server.info, server.sql = self._opener(request.identity, server, tenant.peer)
            server.info.server = "POOLED"
        except BaseException:
            with self._cond:
                self._opening -= 1
                self._cond.notify()
            raise
        with self._cond:
            self._opening -= 1
            self._servers.add(server)
            self.stats.historic_max = max(self.stats.historic_max, len(self._servers))
            return self._lease(server, tenant, hit=False)

    def release(self, server: PooledServer) -> None:
        """A holder gives its session back: rolled back, then idle for the next acquire."""
        sql = server.sql
        if not server.discarded and sql is not None and sql.in_transaction:
            try:
                sql.rollback()
            except Exception:  # a session killed at that moment: it is discarded anyway
                log.exception("pooled session %r: rollback at release failed", server)
        with self._cond:
            server.holder = None
            keep = self.stats.active and len(self._servers) <= self.size
            if keep and not server.discarded:
                self._idle.append(server)
            elif not server.discarded:
                self._drop(server)
            else:
                keep = True  # discarded: closed already
            self._update()
            self._cond.notify()
        if not keep:
            self._close(server)

    def discard(self, server: PooledServer) -> None:
        """End a pooled session for good (killed); its slot is free again."""
        with self._cond:
            if server.discarded:
                return
            self._drop(server)
            self.stats.purged += 1
            self._cond.notify()
        self._close(server)

    def close(self) -> None:
        """Close every pooled session and wake every waiter (they fail)."""
        with self._cond:
            self._closed = True
            servers = list(self._servers)
            for server in servers:
                self._drop(server)
            self.stats.active = False
            self._cond.notify_all()
        for server in servers:
            self._close(server)

    def wake(self) -> None:
        """Let waiters look again (their connection may have been cut)."""
        with self._cond:
            self._cond.notify_all()

    def _drop(self, server: PooledServer) -> None:
        server.discarded = True
        self._servers.discard(server)
        if server in self._idle:
            self._idle.remove(server)
        self._update()

    def _close(self, server: PooledServer) -> None:
        self._retire(server)
        sql = server.sql
        if sql is not None:
            sql.close()

    def _update(self) -> None:
        self.stats.open_servers = len(self._servers)
        self.stats.busy_servers = sum(1 for s in self._servers if s.holder is not None)


def _break_waiting(sock: socket.socket) -> bool:
    """Whether the client sent a MARKER (a break) while its call waits for a pooled session."""
    head = peek(sock, 5)
    return head is not None and len(head) == 5 and head[4] == _MARKER
