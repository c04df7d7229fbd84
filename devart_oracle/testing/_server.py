"""``OracleTestServer``: the listener, its sessions and their lifecycle.

The server binds (127.0.0.1, port 0 unless told otherwise) and listens in
``start()``, before it returns, so a client may connect at once; an accept
thread hands each connection to a session thread. ``stop()`` is an outage:
the listener closes and every client socket is dropped, while the SQLite
database survives for ``start()`` to serve again on the same port.
``close()`` ends it all and joins every thread.
"""

from __future__ import annotations

import dataclasses
import logging
import selectors
import socket
import threading
import time
from collections.abc import Collection, Iterable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING

from ._accounts import DEFAULT_LOGON_ROUNDS, Accounts, quote_value
from ._arguments import check_port, check_rounds, check_seconds, check_text, check_users
from ._drcp import DEFAULT_WAIT_TIMEOUT, PooledServers
from ._drcp_link import drcp_logon
from ._exit import close_at_exit
from ._listener import Descriptor, refusal
from ._logon import Identity
from ._registry import Member, SessionRegistry
from ._pump import Pump
from ._session import Session
from ._turns import Turns
from ._watcher import SessionWatcher
from ._workers import SessionWorkers
from .wire.auth import Verifier

if TYPE_CHECKING:
    from .sql import SessionInfo, SqlSession
    from .sql.instance import Instance

__all__ = ["OracleTestServer"]

log = logging.getLogger("devart_oracle.testing")

DEFAULT_CONNECT_TIMEOUT = 60.0
_BACKLOG = 512
_JOIN_TIMEOUT = 10.0
_VERSION_19_3 = str((19 << 24) | (3 << 16))


class OracleTestServer:
    """An embedded server speaking Oracle's wire protocol, backed by SQLite.

    Args:
        users: user name to password; names are matched case-insensitively.
        service_name: the service that CONNECT_DATA=(SERVICE_NAME=..) names.
        host: the address to bind.
        port: the port to bind; 0 picks a free one (kept across restarts).
        database: path of the SQLite file; None uses a temporary file.
        sid: an instance SID accepted in CONNECT_DATA=(SID=..).
        logon_delay: seconds added to each logon, to mimic a remote database.
        connect_timeout: seconds a client has, from connecting, to log on;
            then the connection is closed and logged. None waits forever.
        expired_users: users whose password has expired: their logons fail with
            ORA-28001 until they log on with ``newpassword=`` (``expire_password``).
        connect_through: target user to the users that may connect as it
            by proxy (``proxy[target]``), as ``ALTER USER target GRANT
            CONNECT THROUGH proxy`` allows; None lets any user proxy for
            any other, an absent target refuses with ORA-28150.
        pooled_servers: DRCP's most pooled server sessions; 0 refuses (SERVER=POOLED).
        pooled_wait_timeout: seconds a DRCP acquire waits, then ORA-24457.
        logon_rounds: PBKDF2 rounds python-oracledb thin derives its logon key
            with: by default few, as test settings cheapen password hashing;
            4096 as Oracle. Devart's client accepts only 4096 and gets it.

    Raises:
        TypeError, ValueError: an argument makes no sense (no users, an
            empty password, a port beyond 65535, a negative delay, an
            expired or proxy user who is not a user, ...).
        OSError: the address cannot be bound (the port is taken, say).
    """

    def __init__(
        self,
        users: Mapping[str, str],
        service_name: str = "FREEPDB1",
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        database: str | None = None,
        sid: str | None = None,
        logon_delay: float = 0.0,
        connect_timeout: float | None = DEFAULT_CONNECT_TIMEOUT,
        expired_users: Iterable[str] = (),
        connect_through: Mapping[str, Collection[str]] | None = None,
        pooled_servers: int = 0,
        pooled_wait_timeout: float = DEFAULT_WAIT_TIMEOUT,
        logon_rounds: int = DEFAULT_LOGON_ROUNDS,
    ) -> None:
        from .sql import Database
        from .sql.cpool import PoolStatistics
        from .sql.instance import Instance

        self.host = check_text("host", host)
        self.service_name = check_text("service_name", service_name)
        self.sid = None if sid is None else check_text("sid", sid)
        self.logon_delay = check_seconds("logon_delay", logon_delay, zero=True)
        self.connect_timeout = (None if connect_timeout is None
                                else check_seconds("connect_timeout", connect_timeout, zero=False))
        self._port = check_port(port)
        if database is not None:
            check_text("database", database)
        self._accounts = Accounts(check_users(users), expired_users, connect_through,
                                  check_rounds(logon_rounds))
        instance_name = (sid or "FREE").upper()
        self._instance: Instance = Instance(name=instance_name, db_name=instance_name, db_unique_name=instance_name,
                                            pdb_name=self.service_name.upper(), cpool=PoolStatistics())
        self._registry = SessionRegistry()
        self._turns = Turns()  # the sessions' calls run one at a time, first come first served
        self._workers = SessionWorkers()  # session threads, reused from one session to the next
        self._pump = Pump(self._workers.submit, "oracle-pump")  # serves sessions between requests
        self._watcher = SessionWatcher(self._registry, lambda: self.connect_timeout, self._turns, self._pump)
        self._database = Database(database, sessions=self._registry.sessions, kill=self._kill,
                                  users=self._accounts.names())
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._wakeup: tuple[socket.socket, socket.socket] | None = None
        self._acceptor: threading.Thread | None = None
        self._closed = False
        self._host = _Host(self)
        self._drcp = PooledServers.create(pooled_servers, pooled_wait_timeout, self._host.open,
                                          self._registry.retire, self._instance.cpool)
        close_at_exit(self)  # before any client's finalizer: see _exit
        try:
            self.start()
        except BaseException:
            self.close()  # e.g. the port is taken: do not leave the database behind
            raise

    # ------------------------------------------------------------- public

    @property
    def port(self) -> int:
        """The port the server listens on (fixed once first bound)."""
        return self._port

    @property
    def dsn(self) -> str:
        """An Easy Connect string for python-oracledb: ``host:port/service``."""
        return f"{self.host}:{self._port}/{self.service_name}"

    @property
    def logon_rounds(self) -> int:
        """PBKDF2 rounds of the verifier python-oracledb thin logs on with (settable)."""
        return self._accounts.rounds

    @logon_rounds.setter
    def logon_rounds(self, rounds: int) -> None:
        self._accounts.rounds = check_rounds(rounds)

    @property
    def sessions(self) -> list[SessionInfo]:
        """The logged-on sessions, by sid."""
        return self._registry.sessions()

    @property
    def logons(self) -> int:
        """Successful logons since the server was created."""
        return self._registry.logons

    @property
    def running(self) -> bool:
        """Whether the server is listening."""
        return self._listener is not None

    def connection_string(self, user: str) -> str:
        """A Devart connection string that logs on as ``user``.

        Raises:
            KeyError: ``user`` is not one of the server's users.
        """
        name, password = self._accounts.password(user)
        parts = [("Direct", "True"), ("Host", self.host), ("Port", str(self._port)),
                 ("ServiceName", self.service_name), ("UserName", name), ("Password", password)]
        return ";".join(f"{key}={quote_value(value)}" for key, value in parts)

    def kill_session(self, sid: int) -> bool:
        """Kill the session with this sid, as ALTER SYSTEM KILL SESSION does.

        Its transaction is rolled back and a running call interrupted at
        once; the call (or the session's next one) gets ORA-00028, which
        python-oracledb reports as DPY-4011, and then the connection ends.
        The session leaves ``sessions`` at once. Returns False when no
        session has this sid. ``disconnect_all`` cuts sockets instead.
        """
        return self._kill(sid, None)

    def expire_password(self, user: str) -> None:
        """Mark a user's password expired: ORA-28001 until changed at logon.

        Raises:
            KeyError: ``user`` is not one of the server's users.
        """
        self._accounts.expire(user)

    def disconnect_all(self) -> None:
        """Drop every client connection abruptly, as a network failure would."""
        for member in self._registry:
            self._drop(member)

    def start(self) -> None:
        """Listen (again), on the same port; returns once connections are accepted.

        Raises:
            RuntimeError: the server was closed.
        """
        with self._lock:
            if self._closed:
                raise RuntimeError("the server is closed; create a new one")
            if self._listener is not None:
                return
            listener = socket.create_server((self.host, self._port), backlog=_BACKLOG, reuse_port=False)
            self._port = listener.getsockname()[1]
            self._listener = listener
            self._wakeup = socket.socketpair()
            self._acceptor = threading.Thread(
                target=self._accept_loop, args=(listener, self._wakeup[0]),
                name=f"oracle-listener-{self._port}", daemon=True)
            self._acceptor.start()
            self._watcher.start(f"oracle-session-watcher-{self._port}")
        log.info("oracle test server listening on %s:%d/%s", self.host, self._port, self.service_name)

    def stop(self) -> None:
        """Stop listening and drop every session (an outage); ``start`` recovers."""
        with self._lock:
            listener, wakeup, acceptor = self._listener, self._wakeup, self._acceptor
            self._listener = self._wakeup = self._acceptor = None
        if listener is None or wakeup is None or acceptor is None:
            return
        wakeup[1].send(b"x")
        acceptor.join()
        listener.close()
        for end in wakeup:
            end.close()
        self.disconnect_all()
        self._drcp.wake()  # DRCP waiters whose socket was cut give up
        self._join_sessions()
        log.info("oracle test server on port %d stopped", self._port)

    def close(self) -> None:
        """Stop for good: drop sessions, join every thread, close the database."""
        if self._closed:
            return
        self.stop()
        self._closed = True
        self._watcher.stop()
        self._pump.close()
        self._drcp.close()
        self._database.close()

    def __enter__(self) -> OracleTestServer:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._closed else "running" if self.running else "stopped"
        return (f"<OracleTestServer {self.dsn} {state} sessions={len(self._registry)} "
                f"logons={self.logons}>")

    # ------------------------------------------------------------ private

    def _kill(self, sid: int, serial: int | None) -> bool:
        member = self._registry.find(sid, serial)
        if member is None:
            return False
        self._registry.retire(member)
        member.kill_session()
        return True

    def _drop(self, member: Member) -> None:
        """Kill a connection; it leaves ``sessions`` at once, its thread cleans up."""
        member.kill()
        self._registry.leave(member)

    def _accept_loop(self, listener: socket.socket, wakeup: socket.socket) -> None:
        with selectors.DefaultSelector() as selector:
            selector.register(listener, selectors.EVENT_READ)
            selector.register(wakeup, selectors.EVENT_READ)
            while True:
                for key, _ in selector.select():
                    if key.fileobj is wakeup:
                        return
                    self._accept(listener)

    def _accept(self, listener: socket.socket) -> None:
        try:
            sock, address = listener.accept()
        except OSError as exc:
            log.warning("accept failed: %s", exc)
            time.sleep(0.05)  # e.g. out of file descriptors: do not spin
            return
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        session = Session(self._host, sock, f"{address[0]}:{address[1]}")
        self._registry.join(session)
        name = f"oracle-session-{self._port}-{address[1]}"
        self._workers.submit(lambda: _session_main(session, name), name)

    def _join_sessions(self) -> None:
        for name in self._workers.drain(_JOIN_TIMEOUT):
            log.warning("session thread %s did not end within %.0f s", name, _JOIN_TIMEOUT)


class _Host:
    """What sessions need from the server, kept off its public surface."""

    def __init__(self, server: OracleTestServer) -> None:
        self._server = server
        self.turns, self.pump = server._turns, server._pump

    @property
    def logon_delay(self) -> float:
        return self._server.logon_delay

    def refusal(self, descriptor: Descriptor) -> tuple[int, str] | None:
        server = self._server
        return refusal(descriptor, server.service_name, server.sid, pooling=server._drcp.active)

    @property
    def logon_rounds(self) -> int:
        return self._server.logon_rounds

    def verifier(self, username: str, rounds: int) -> Verifier | None:
        return self._server._accounts.verifier(username, rounds)

    def expired(self, username: str) -> bool:
        return self._server._accounts.expired(username)

    def may_proxy(self, proxy: str, target: str) -> bool:
        return self._server._accounts.may_proxy(proxy, target)

    def change_password(self, username: str, password: str) -> None:
        self._server._accounts.change_password(username, password)

    def logon(self, session: Session, identity: Identity) -> tuple[SessionInfo, SqlSession]:
        if session.logon.descriptor.pooled:
            return drcp_logon(self._server._drcp, session, identity)
        return self.open(identity, session, session.peer)

    def open(self, identity: Identity, member: Member, peer: str) -> tuple[SessionInfo, SqlSession]:
        """A new session for a connection, or for a DRCP pooled server (``member``)."""
        from .sql import SessionInfo

        server = self._server
        sid, serial = server._registry.assign(member)
        address, _, port = peer.rpartition(":")
        client = dataclasses.replace(identity.client, address=address, port=int(port or 0))
        info = SessionInfo(sid, serial, identity.username, program=identity.program,
                           machine=identity.machine, time_zone=identity.time_zone,
                           service_name=identity.service_name or server.service_name,
                           client=client, instance=server._instance)
        for namespace, attribute, value in identity.app_context:
            info.contexts.setdefault(namespace.upper(), {})[attribute.upper()] = value
        info.edition = identity.edition or info.edition  # the logon's, else the default
        member.info = info
        try:
            return info, server._database.open_session(info)
        except BaseException:
            server._registry.leave(member)
            raise

    def release(self, session: Session) -> None:
        if session.drcp is not None:
            session.drcp.abandon()  # a pooled session still held was closed with the connection
        self._server._registry.leave(session)

    def auth_parameters(self, info: SessionInfo) -> list[tuple[str, str, int]]:
        server = self._server
        instance = server._instance.name
        return [
            ("AUTH_VERSION_NO", _VERSION_19_3, 0),
            ("AUTH_SESSION_ID", str(info.sid), 0),
            ("AUTH_SERIAL_NUM", str(info.serial), 0),
            ("AUTH_SC_SERVICE_NAME", server.service_name, 0),
            ("AUTH_INSTANCENAME", instance, 0),
            ("AUTH_SC_DBUNIQUE_NAME", instance, 0),
            ("AUTH_SC_REAL_DBUNIQUE_NAME", instance, 0),
            ("AUTH_MAX_OPEN_CURSORS", "65535", 0),
            ("AUTH_MAX_IDEN_LENGTH", "128", 0),
        ]


def _session_main(session: Session, name: str) -> None:
    threading.current_thread().name = name  # a reused thread is named after its session
    session.run()
