"""One client connection, from CONNECT to logoff.

The session reads one request at a time and answers it with one write:
CONNECT gets ACCEPT or REFUSE; then the client negotiates the protocol and
data types, logs on in two O5LOGON phases, and calls functions. Its thread
parks between requests while the pump (``_pump``) serves it. The server's
watcher peeks at the socket of a session that is busy for a while, and when
a MARKER (``conn.cancel()``) or EOF shows up it cancels the SQL and sets
``interrupted``. The call then ends without a reply of its own: the reply
is the break/reset exchange that follows (BREAK marker out, the client's
RESET in, RESET out, then ORA-01013).

Anything that does not follow the protocol, or a socket that fails, ends
this session only. ``kill`` from another thread (``disconnect_all``, a
late logon) shuts the socket so that the session thread unwinds and rolls
its SQL session back itself. ``kill_session`` (ALTER SYSTEM KILL SESSION,
``server.kill_session``) is Oracle's kill: the transaction is rolled back
at once and a running call interrupted, the session's next call (or the one
running) is answered with ORA-00028, and then the connection ends.

The session counts what V$MYSTAT shows into ``info.stats``: a round trip
per request, a user call per function call (``_calls`` counts parses).
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, ParamSpec, Protocol, TypeVar

from ._calls import CallRunner
from ._handshake import handshake
from ._legacy import LegacyCalls
from ._listener import Descriptor
from ._logon import Identity, LogonCalls, LogonHost, accept
from ._piggybacks import apply_piggyback
from ._replies import FUNC_PIPELINE_END, Replies
from ._turns import Turn, Turns
from .sql.waits import set_hook, waiting
from .wire.codec import Writer
from .wire.legacy import negotiate_data_types
from .wire.oraerror import WireError, ora_error
from .wire.packet import (
    CONTROL,
    DATA,
    DATA_EOF,
    MARKER,
    MARKER_BREAK,
    MARKER_INTERRUPT,
    ConnectionClosed,
    Packet,
    PacketStream,
    peek,
)
from .wire.piggybacks import read_piggyback
from .wire.reader import MessageReader, ProtocolError
from .wire.requests import FUNC_SESSION_RELEASE, MSG_ONEWAY_FUNCTION, read_protocol
from .wire.responses import (
    CALL_TXN_IN_PROGRESS,
    MSG_DATA_TYPES,
    MSG_FUNCTION,
    MSG_PIGGYBACK,
    MSG_PROTOCOL,
    call_end,
    end_of_call,
    protocol_reply,
    status,
)

if TYPE_CHECKING:
    from ._drcp_link import DrcpLink
    from ._pump import Pump
    from .sql import SessionInfo, SqlSession

__all__ = ["Session", "SessionHost"]

log = logging.getLogger("devart_oracle.testing")

_AUTH_ONE, _AUTH_TWO, _LOGOFF, _PING, _COMMIT, _ROLLBACK = 118, 115, 9, 147, 14, 15
_CANCELLED, _KILLED = 1013, 28
T = TypeVar("T")
P = ParamSpec("P")


class BreakReceived(Exception):
    """A MARKER arrived in the middle of a request."""


class SessionHost(LogonHost, Protocol):
    """What a session needs from its server (besides what its logon calls need)."""

    def refusal(self, descriptor: Descriptor) -> tuple[int, str] | None: ...

    def logon(self, session: Session, identity: Identity) -> tuple[SessionInfo, SqlSession]: ...

    def release(self, session: Session) -> None: ...

    def auth_parameters(self, info: SessionInfo) -> list[tuple[str, str, int]]: ...

    @property
    def turns(self) -> Turns: ...

    @property
    def pump(self) -> Pump | None: ...


class Session:
    """A client connection; ``run`` is the body of its thread."""

    def __init__(self, host: SessionHost, sock: socket.socket, peer: str) -> None:
        self.host = host
        self.sock = sock
        self.peer = peer
        self.stream = PacketStream(sock)
        self.replies = Replies(self.stream)
        self.reader = MessageReader(self._next_payload)
        self.info: SessionInfo | None = None
        self.sql: SqlSession | None = None
        self.busy_since = 0.0
        self.connected_at = time.monotonic()
        self.interrupted = False
        self.calls: CallRunner = CallRunner(self)
        self.logon = LogonCalls(self.reader, host)
        self._kill_lock = threading.Lock()
        self.cut = False  # the socket was cut, or a kill ended it: closing is no news (nor pumped again)
        self.killed = False  # killed as Oracle does: the next call gets ORA-00028
        self.drcp: DrcpLink | None = None  # (SERVER=POOLED): holds a pooled session at times
        self.turn = Turn(host.turns)  # the calls of all sessions take turns

    def __repr__(self) -> str:
        sid = None if self.info is None else self.info.sid
        return f"<Session sid={sid} peer={self.peer}>"

    # ------------------------------------------------------------ lifecycle

    def run(self) -> None:
        """Serve the connection until it ends, then clean up."""
        set_hook(self.turn.outside)
        try:
            if self._handshake():
                self._serve()
        except ConnectionClosed as exc:
            if self.cut:
                pass
            elif self.sql is not None:
                log.info("session %r: client went away without logging off (%s); rolling back", self, exc)
            else:
                log.debug("session %r: connection closed: %s", self, exc)
        except ProtocolError as exc:
            log.warning("session %r: protocol error, closing it: %s", self, exc)
        except Exception:
            log.exception("session %r failed", self)
        finally:
            set_hook(None)
            self._finish()

    def _finish(self) -> None:
        sql, self.sql = self.sql, None
        if sql is not None:
            try:
                sql.close()
            except Exception:
                log.exception("session %r: closing its SQL session failed", self)
        self.host.release(self)
        self._close_socket()

    def kill_session(self) -> None:
        """ALTER SYSTEM KILL SESSION, from any thread: roll back now, ORA-00028 next."""
        self.killed = True
        sql = self.sql
        if sql is not None:
            sql.close()  # interrupts a running call first, so this does not wait long

    def kill(self) -> None:
        """Drop the connection at once, from any thread."""
        self.cut = True
        self._close_socket()
        sql = self.sql
        if self.busy_since and sql is not None:
            sql.cancel()

    def _close_socket(self) -> None:
        pump = self.host.pump
        if pump is not None:
            pump.evict(self)  # before the file number can be another socket's
        with self._kill_lock:
            try:
                self.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.sock.close()

    # ------------------------------------------------------- cancel support

    def poll_interrupt(self) -> None:
        """Watcher hook: cancel the running call if a MARKER or EOF is waiting."""
        if self.interrupted or not self.busy_since:
            return
        waiting = self.stream.pending() or peek(self.sock, 16)
        if waiting is None:
            return
        if waiting and (len(waiting) < 5 or waiting[4] != MARKER):
            return
        sql = self.sql
        if self.busy_since and sql is not None:
            self.interrupted = True
            sql.cancel()

    def busy(self, call: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``call(*args, **kwargs)``, one backend call, marked ACTIVE and watched (failures counted)."""
        self.replies.check()
        info = self.info
        self.interrupted = False
        self.busy_since = now = time.monotonic()
        if info is not None:
            info.status, info.status_since = "ACTIVE", now
        try:
            return call(*args, **kwargs)
        except Exception:
            self.replies.failed()
            raise
        finally:
            self.busy_since = 0.0
            if info is not None:
                info.status, info.status_since = "INACTIVE", time.monotonic()

    def call_status(self) -> int:
        """The end-of-call status bits (transaction in progress)."""
        sql = self.sql
        return CALL_TXN_IN_PROGRESS if sql is not None and sql.in_transaction else 0

    # ------------------------------------------------------------ handshake

    def _handshake(self) -> bool:
        self.logon.descriptor, refused = handshake(self.stream, self.host.refusal)
        if refused is not None:
            log.info("session %r: refused with ORA-%05d", self, refused[0])
        return refused is None

    # ----------------------------------------------------------- the loop

    def _serve(self) -> None:
        pump = self.host.pump
        while True:
            if pump is not None and not self.stream.buffered() and not pump.park(self):
                return  # the connection ended while the pump served it
            if not self.packet(self.stream.read()):
                return

    def packet(self, packet: Packet) -> bool:
        """Handle one packet between calls; False for the DATA EOF that ends the connection."""
        if packet.kind == DATA:
            if int.from_bytes(packet.payload[:2], "big") & DATA_EOF:
                return False
            if len(packet.payload) > 2:
                self.turn.take()
                try:
                    self._request(packet.payload[2:])
                finally:
                    self.turn.give()
        elif packet.kind == MARKER:
            if packet.payload[2:3] in (bytes((MARKER_BREAK,)), bytes((MARKER_INTERRUPT,))):
                self._break()
        elif packet.kind != CONTROL:
            raise ProtocolError(f"unexpected packet type {packet.kind}")
        return True

    def _send_data(self, payload: bytes | bytearray) -> None:
        """A part of a reply sent within the call (a LOB read's data): the client reads it meanwhile."""
        with waiting():
            self.stream.send_data(payload)

    def _next_payload(self) -> bytes:
        """Reader callback: the next DATA payload of the current request."""
        if self.stream.buffered():
            packet = self.stream.read()
        else:
            with waiting():  # the rest of the request is on its way
                packet = self.stream.read()
        if packet.kind == MARKER:
            raise BreakReceived()
        if packet.kind != DATA:
            raise ProtocolError(f"unexpected packet type {packet.kind} within a request")
        return packet.payload[2:]

    def _request(self, payload: bytes) -> None:
        self.reader.start(payload)
        if self.info is not None:
            self.info.stats.round_trips += 1
        w = Writer(self.reader.dialect, self._send_data if self.drcp is None else None)  # LOB reads stream
        code = 0
        try:
            if self.killed:
                raise WireError(_KILLED)
            reply = self._messages(w)
        except BreakReceived:
            self.turn.give()
            self._break()
            return
        except (ProtocolError, ConnectionClosed):
            raise
        except Exception as exc:
            code, text = ora_error(WireError(_KILLED) if self.killed else exc)
            self.replies.failed()
            if code == _CANCELLED and self.interrupted:
                return
            w = Writer(self.reader.dialect)
            end_of_call(w, self.call_status(), error=code, text=text)
            reply = True
        self.turn.give()  # the call is done: the next one runs while this reply goes out
        if reply:
            self.replies.send(w.buf if self.drcp is None else self.drcp.announcement() + w.buf)
        if code == _KILLED:
            # Only once the client was told: a kill that comes after a call's
            # work is done leaves that reply as it is, and the next call gets it.
            self.cut = True
            raise ConnectionClosed("the session was killed")

    def _messages(self, w: Writer) -> bool:
        """Handle one request's messages; False when there is nothing to send."""
        r = self.reader
        while True:
            kind = r.u8()
            if kind == MSG_PIGGYBACK:
                function = r.u8()
                r.u8()
                apply_piggyback(read_piggyback(r, function), self.info, self.calls.cursors,
                                self.calls.lobs, self.replies)
            elif kind in (MSG_FUNCTION, MSG_ONEWAY_FUNCTION):
                function = r.u8()
                r.u8()
                if self.info is not None:
                    self.info.stats.user_calls += 1
                return self._function(function, w)
            elif kind == MSG_PROTOCOL:
                read_protocol(r)
                protocol_reply(w)
                return True
            elif kind == MSG_DATA_TYPES:
                r.dialect = negotiate_data_types(r, w)
                if r.dialect.legacy:
                    self.calls = LegacyCalls(self)
                self.replies.mark_after_this(r.dialect.end_of_response)
                return True
            elif kind != 0 or r.at_end():
                raise WireError(3115, f"message type {kind}")

    def _function(self, function: int, w: Writer) -> bool:
        if function == _AUTH_ONE:
            self.logon.phase_one(w)
        elif function == _AUTH_TWO:
            self._log_on(w)
        elif function == FUNC_SESSION_RELEASE and self.drcp is not None:
            return self.drcp.release(self)  # one-way: no reply
        elif function == FUNC_PIPELINE_END:
            self.replies.end_pipeline(self.reader, w, self.call_status())
        elif self.sql is None and (self.drcp is None or not self.drcp.attach(self)):
            raise WireError(1012)  # DRCP: the first call after a release waits for a pooled session
        elif function == _PING:
            status(w, self.call_status())
        elif function in (_COMMIT, _ROLLBACK):
            self._transaction(w, function)
        elif function == _LOGOFF:
            self._logoff(w)
        else:
            return self.calls.run(function, w)
        return True

    def _log_on(self, w: Writer) -> None:
        if self.sql is not None:
            self.logon.change_password(w)
            return
        verified = self.logon.phase_two(logged_on=False)
        self.info, self.sql = self.host.logon(self, verified.identity)
        accept(w, verified, self.host.auth_parameters(self.info))

    def _transaction(self, w: Writer, function: int) -> None:
        sql = self.sql
        assert sql is not None
        self.busy(sql.commit if function == _COMMIT else sql.rollback)
        status(w, self.call_status())

    def _logoff(self, w: Writer) -> None:
        sql, self.sql = self.sql, None
        if sql is not None:
            sql.close()
        self.host.release(self)
        call_end(w, 0)

    # ----------------------------------------------------------- break

    def _break(self) -> None:
        """Answer a BREAK/INTERRUPT: BREAK, await RESET, RESET, ORA-01013."""
        self.interrupted = False
        with waiting():  # all of it waits for the client
            self.replies.after_break(Writer(self.reader.dialect), self.call_status())
