"""One client connection, from CONNECT to logoff, on its own thread.

The session reads one request at a time and answers it with one write:
CONNECT gets ACCEPT or REFUSE; then the client negotiates the protocol and
data types, logs on in two O5LOGON phases, and calls functions. The SQL runs
on this thread; the server's watcher peeks at the socket of a session that
is busy for a while, and when a MARKER (``conn.cancel()``) or EOF shows up it
cancels the SQL and sets ``interrupted``. The call then ends without a reply
of its own: the reply is the break/reset exchange that follows (BREAK
marker out, the client's RESET in, RESET out, then ORA-01013).

Anything that does not follow the protocol, or a socket that fails, ends
this session only; ``kill`` from another thread (ALTER SYSTEM KILL SESSION,
``kill_session``, ``disconnect_all``) shuts the socket so that the session
thread unwinds and rolls its SQL session back itself.
"""

from __future__ import annotations

import logging
import select
import socket
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, TypeVar

from ._calls import CallRunner
from ._listener import (
    Descriptor,
    accept_payload,
    parse_connect,
    parse_descriptor,
    refuse_payload,
)
from ._logon import Identity, LogonCalls, accept
from .wire.auth import Verifier
from .wire.codec import Writer
from .wire.oraerror import WireError, ora_error
from .wire.packet import (
    ACCEPT,
    CONNECT,
    CONTROL,
    DATA,
    DATA_EOF,
    MARKER,
    MARKER_BREAK,
    MARKER_INTERRUPT,
    MARKER_RESET,
    REFUSE,
    ConnectionClosed,
    PacketStream,
)
from .wire.reader import MessageReader, ProtocolError
from .wire.requests import (
    CloseCursors,
    CurrentSchema,
    EndToEnd,
    FreeLobs,
    read_data_types,
    read_piggyback,
    read_protocol,
)
from .wire.responses import (
    CALL_TXN_IN_PROGRESS,
    MSG_DATA_TYPES,
    MSG_FUNCTION,
    MSG_PIGGYBACK,
    MSG_PROTOCOL,
    data_types_reply,
    end_of_call,
    protocol_reply,
    status,
)

if TYPE_CHECKING:
    from .sql import SessionInfo, SqlSession

__all__ = ["Session", "SessionHost"]

log = logging.getLogger("devart_oracle.testing")

_AUTH_ONE, _AUTH_TWO, _LOGOFF, _PING, _COMMIT, _ROLLBACK = 118, 115, 9, 147, 14, 15
_CANCELLED = 1013
T = TypeVar("T")


class BreakReceived(Exception):
    """A MARKER arrived in the middle of a request."""


class SessionHost(Protocol):
    """What a session needs from its server."""

    @property
    def logon_delay(self) -> float: ...

    def refusal(self, descriptor: Descriptor) -> tuple[int, str] | None: ...

    def verifier(self, username: str) -> Verifier | None: ...

    def logon(self, session: Session, identity: Identity) -> tuple[SessionInfo, SqlSession]: ...

    def release(self, session: Session) -> None: ...

    def auth_parameters(self, info: SessionInfo) -> list[tuple[str, str, int]]: ...


class Session:
    """A client connection; ``run`` is the body of its thread."""

    def __init__(self, host: SessionHost, sock: socket.socket, peer: str) -> None:
        self.host = host
        self.sock = sock
        self.peer = peer
        self.stream = PacketStream(sock)
        self.reader = MessageReader(self._next_payload)
        self.info: SessionInfo | None = None
        self.sql: SqlSession | None = None
        self.busy_since = 0.0
        self.connected_at = time.monotonic()
        self.interrupted = False
        self.calls = CallRunner(self)
        self.logon = LogonCalls(self.reader, host)
        self._kill_lock = threading.Lock()
        self._killed = False

    def __repr__(self) -> str:
        sid = None if self.info is None else self.info.sid
        return f"<Session sid={sid} peer={self.peer}>"

    # ------------------------------------------------------------ lifecycle

    def run(self) -> None:
        """Serve the connection until it ends, then clean up."""
        try:
            if self._handshake():
                self._serve()
        except ConnectionClosed as exc:
            if self._killed:
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

    def kill(self) -> None:
        """Drop the connection at once, from any thread."""
        self._killed = True
        self._close_socket()
        sql = self.sql
        if self.busy_since and sql is not None:
            sql.cancel()

    def _close_socket(self) -> None:
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
        waiting = self.stream.pending()
        if not waiting:
            try:
                if not select.select([self.sock], [], [], 0)[0]:
                    return
                waiting = self.sock.recv(16, socket.MSG_PEEK)
            except (OSError, ValueError):
                waiting = b""
        if waiting and (len(waiting) < 5 or waiting[4] != MARKER):
            return
        sql = self.sql
        if self.busy_since and sql is not None:
            self.interrupted = True
            sql.cancel()

    def busy(self, call: Callable[[], T]) -> T:
        """Run one backend call with the session marked ACTIVE and watched."""
        info = self.info
        if info is not None:
            info.status = "ACTIVE"
        self.interrupted = False
        self.busy_since = time.monotonic()
        try:
            return call()
        finally:
            self.busy_since = 0.0
            if info is not None:
                info.status = "INACTIVE"

    def call_status(self) -> int:
        """The end-of-call status bits (transaction in progress)."""
        sql = self.sql
        return CALL_TXN_IN_PROGRESS if sql is not None and sql.in_transaction else 0

    # ------------------------------------------------------------ handshake

    def _handshake(self) -> bool:
        packet = self.stream.read()
        if packet.kind != CONNECT:
            raise ProtocolError(f"expected CONNECT, received packet type {packet.kind}")
        request = parse_connect(packet.payload)
        data = request.data
        while len(data) < request.data_length:
            packet = self.stream.read()
            if packet.kind != DATA:
                raise ProtocolError(f"expected connect data, received packet type {packet.kind}")
            data += packet.payload[2:]
        descriptor = parse_descriptor(data[:request.data_length].decode("utf-8", "replace"))
        self.logon.descriptor = descriptor
        refusal = self.host.refusal(descriptor)
        if refusal is not None:
            self.stream.send(self.stream.frame(REFUSE, refuse_payload(*refusal)))
            log.info("session %r: refused with ORA-%05d", self, refusal[0])
            return False
        self.stream.send(self.stream.frame(ACCEPT, accept_payload(request.sdu)))
        self.stream.large = True
        self.stream.sdu = self.stream.max_size = request.sdu
        return True

    # ----------------------------------------------------------- the loop

    def _serve(self) -> None:
        while True:
            packet = self.stream.read()
            if packet.kind == DATA:
                if int.from_bytes(packet.payload[:2], "big") & DATA_EOF:
                    return
                if len(packet.payload) > 2:
                    self._request(packet.payload[2:])
            elif packet.kind == MARKER:
                if packet.payload[2:3] in (bytes((MARKER_BREAK,)), bytes((MARKER_INTERRUPT,))):
                    self._break()
            elif packet.kind != CONTROL:
                raise ProtocolError(f"unexpected packet type {packet.kind}")

    def _next_payload(self) -> bytes:
        """Reader callback: the next DATA payload of the current request."""
        packet = self.stream.read()
        if packet.kind == MARKER:
            raise BreakReceived()
        if packet.kind != DATA:
            raise ProtocolError(f"unexpected packet type {packet.kind} within a request")
        return packet.payload[2:]

    def _request(self, payload: bytes) -> None:
        self.reader.start(payload)
        w = Writer()
        try:
            reply = self._messages(w)
        except BreakReceived:
            self._break()
            return
        except (ProtocolError, ConnectionClosed):
            raise
        except Exception as exc:
            code, text = ora_error(exc)
            if code == _CANCELLED and self.interrupted:
                return
            w = Writer()
            end_of_call(w, self.call_status(), error=code, text=text)
            reply = True
        if reply:
            self.stream.send_data(w.buf)

    def _messages(self, w: Writer) -> bool:
        """Handle one request's messages; False when there is nothing to send."""
        r = self.reader
        while True:
            kind = r.u8()
            if kind == MSG_PIGGYBACK:
                function = r.u8()
                r.u8()
                self._piggyback(read_piggyback(r, function))
            elif kind == MSG_FUNCTION:
                function = r.u8()
                r.u8()
                return self._function(function, w)
            elif kind == MSG_PROTOCOL:
                read_protocol(r)
                protocol_reply(w)
                return True
            elif kind == MSG_DATA_TYPES:
                read_data_types(r)
                data_types_reply(w)
                return True
            elif kind != 0 or r.at_end():
                raise WireError(3115, f"message type {kind}")

    def _piggyback(self, piggyback: object) -> None:
        if isinstance(piggyback, CloseCursors):
            self.calls.cursors.close(piggyback.cursor_ids)
        elif isinstance(piggyback, FreeLobs):
            self.calls.lobs.free(piggyback.locators)
        elif isinstance(piggyback, EndToEnd) and self.info is not None:
            for name, value in piggyback.changes.items():
                setattr(self.info, name, value)
        elif isinstance(piggyback, CurrentSchema) and self.info is not None:
            self.info.current_schema = piggyback.schema.upper() or self.info.username

    def _function(self, function: int, w: Writer) -> bool:
        if function == _AUTH_ONE:
            self.logon.phase_one(w)
        elif function == _AUTH_TWO:
            self._log_on(w)
        elif self.sql is None:
            raise WireError(1012)
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
        verified = self.logon.phase_two(logged_on=self.sql is not None)
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
        status(w, 0)

    # ----------------------------------------------------------- break

    def _break(self) -> None:
        """Answer a BREAK/INTERRUPT: BREAK, await RESET, RESET, ORA-01013."""
        self.interrupted = False
        self.stream.send_marker(MARKER_BREAK)
        while True:
            packet = self.stream.read()
            if packet.kind == MARKER and packet.payload[2:3] == bytes((MARKER_RESET,)):
                break
        w = Writer()
        error = WireError(1013)
        end_of_call(w, self.call_status(), error=error.code, text=error.text)
        reset = self.stream.frame(MARKER, bytes((1, 0, MARKER_RESET)))
        self.stream.send(reset + self.stream.frame_data(w.buf))
