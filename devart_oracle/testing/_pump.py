"""The pump: one thread reads and answers the requests of every idle session.

Thread-per-session costs context switches: each request wakes its
session's thread, which then waits for the GIL and for the turn, and with
16 busy clients the threads spent more time handing over than working.
Between two requests a session's thread parks instead (``park``) and its
socket joins the pump's selector. The pump thread waits on all of them at
once and runs each request that arrives itself, one after the other, so a
busy server answers request after request on one thread without a switch,
and a select may bring several at a time.

A call run by the pump may have to wait (a lock another session holds, the
clock, the rest of a request, a pooled server). It does so through
``sql.waits.waiting()``, whose hook on the pump thread first moves the pump
to another thread (``SessionWorkers``), so that the others are served
meanwhile; the old thread finishes its call, sends its session back to the
selector and retires. A call that waits without saying so, or runs long,
is caught by the watcher: ``unstick()`` moves the pump when the same call
has been running since its last pass.

A session goes back to its own thread when its connection ends (the DATA
EOF of a logoff, or the error that ended it, which ``park`` raises there),
and when it is killed (``evict``), so that the session's clean-up runs where
it always has.
"""

from __future__ import annotations

import contextlib
import logging
import selectors
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Protocol

from ._turns import Turn
from .sql.waits import set_hook
from .wire.packet import Packet, PacketStream

__all__ = ["Pump", "Pumped"]

log = logging.getLogger("devart_oracle.testing")

Submit = Callable[[Callable[[], None], str], None]


class Pumped(Protocol):
    """What the pump needs of a session."""

    sock: socket.socket
    stream: PacketStream
    turn: Turn
    cut: bool  # the connection is being cut: it must not be registered again

    def packet(self, packet: Packet) -> bool:
        """Handle one packet between calls; False for the one that ends the connection."""


class _Parked:
    __slots__ = ("ended", "error", "fd", "session", "wake")

    def __init__(self, session: Pumped) -> None:
        self.session = session
        self.fd = -1  # its file number while in the selector
        self.wake = threading.Event()
        self.ended = False  # the connection ended (DATA EOF)
        self.error: BaseException | None = None


class Pump:
    """Serves the parked sessions of one server from a single thread at a time.

    The pump thread ends when no session is parked, and its selector
    closes; the next ``park`` opens another and starts a pump thread (on a
    reused worker thread).

    Args:
        submit: runs a job on a session worker thread (``SessionWorkers.submit``).
        name: the pump threads' name.
    """

    def __init__(self, submit: Submit, name: str) -> None:
        self._submit = submit
        self._name = name
        self._lock = threading.Lock()
        # While a session is parked: the selector, and a socket pair to wake select() with.
        self._selector: selectors.BaseSelector | None = None
        self._wakeup: tuple[socket.socket, socket.socket] | None = None
        self._parked: dict[int, _Parked] = {}  # by file number: waiting for a request
        self._leader: object | None = None  # the token of the thread that pumps now
        self._calls = 0  # calls the pump started, for unstick()
        self._seen = -1
        self._serving: _Parked | None = None  # the session whose call the pump is in
        self._closed = False

    def __repr__(self) -> str:
        return f"<Pump parked={len(self._parked)} closed={self._closed}>"

    # ------------------------------------------------------------ sessions

    def park(self, session: Pumped) -> bool:
        """On the session's thread: wait while the pump serves it; False when its connection ended.

        True when it comes back for its thread to go on reading its socket
        itself: it was evicted (killed), or the pump is closed.

        Raises:
            BaseException: whatever ended the session while the pump served it.
        """
        parked = _Parked(session)
        if not self._enter(parked, poke=True):
            return True
        parked.wake.wait()
        if parked.error is not None:
            raise parked.error
        return not parked.ended

    def evict(self, session: Pumped) -> None:
        """From any thread, before the session's socket closes: send it back to its thread."""
        try:
            number = session.sock.fileno()
        except OSError:
            return
        with self._lock:
            parked = self._parked.get(number)
            if parked is None or parked.session is not session:
                return
            self._forget(parked)
            if parked is self._serving:
                return  # in a call: it goes back to its thread when the call ends
        self._poke()  # a pump with nobody left ends
        parked.wake.set()

    def close(self) -> None:
        """Stop pumping: every parked session goes back to its thread, and the pump's sockets close."""
        with self._lock:
            self._closed = True
            parked = list(self._parked.values())
            for one in parked:
                self._forget(one)
            if self._leader is None:
                self._close_selector()
        self._poke()  # a pump thread closes the selector as it ends
        for one in parked:
            one.wake.set()

    def unstick(self) -> bool:
        """Watcher: move the pump if it has been in the same call since the last pass; True if moved."""
        with self._lock:
            if self._serving is None or self._calls != self._seen:
                self._seen = self._calls
                return False
        log.debug("pump: a call ran from one watcher pass to the next; another thread pumps")
        self._replace()
        return True

    # ------------------------------------------------------------ the loop

    def _enter(self, parked: _Parked, *, poke: bool) -> bool:
        """Register a session for its next request (starting a pump if none runs); False if it may not."""
        with self._lock:
            if self._closed or parked.session.cut:
                return False
            try:
                parked.fd = parked.session.sock.fileno()
            except OSError:
                return False
            if parked.fd < 0:
                return False
            if self._selector is None:
                self._open_selector()
            assert self._selector is not None
            self._parked[parked.fd] = parked
            self._selector.register(parked.fd, selectors.EVENT_READ, parked)
            start = self._leader is None
            if start:
                self._leader = token = object()
        if start:
            self._submit(lambda: self._loop(token), self._name)
        elif poke:
            self._poke()  # a select() in progress may not see a registration made meanwhile
        return True

    def _loop(self, token: object) -> None:
        serving: list[_Parked] = []  # the session this thread runs a call of, for the hook
        set_hook(lambda: self._aside(serving[-1], token))
        try:
            self._pump(token, serving)
        finally:
            set_hook(None)

    def _pump(self, token: object, serving: list[_Parked]) -> None:
        while (selector := self._leading(token)) is not None:
            try:
                events = selector.select()
            except (OSError, ValueError):
                events = []  # closed under select(): _leading tells
            for key, _ in events:
                parked = key.data
                if parked is None:
                    self._drain_wakeup()
                elif self._take(parked):
                    serving.append(parked)
                    leading = self._serve(parked, token)
                    serving.pop()
                    if not leading:
                        return  # another thread pumps since that call

    def _leading(self, token: object) -> selectors.BaseSelector | None:
        """The selector while this thread goes on pumping; a pump with nobody parked ends."""
        with self._lock:
            if self._leader is not token:
                return None
            if not self._closed and self._parked:
                return self._selector
            self._leader = None
            self._close_selector()
            return None

    def _take(self, parked: _Parked) -> bool:
        """Whether a session the selector reported is still to be served (not evicted meanwhile)."""
        with self._lock:
            if self._parked.get(parked.fd) is not parked:
                return False
            self._serving = parked
            self._calls += 1
        return True

    def _serve(self, parked: _Parked, token: object) -> bool:
        """Run what arrived for one session; False when this thread no longer pumps.

        The session stays in the selector meanwhile (nobody else selects),
        unless the pump moves to another thread during the call.
        """
        keep = False
        try:
            keep = _pumped(parked.session)
            parked.ended = not keep
        except BaseException as exc:  # it ends the session: its own thread reports it and cleans up
            parked.error = exc
        with self._lock:
            leading = self._leader is token
            if leading:
                self._serving = None
            if not keep and parked.fd >= 0:
                self._forget(parked)
        if not keep or (parked.fd < 0 and not self._enter(parked, poke=not leading)):
            parked.wake.set()
        return leading

    @contextlib.contextmanager
    def _aside(self, parked: _Parked, token: object) -> Iterator[None]:
        """The pump thread's hook for a wait in a call: another thread pumps meanwhile."""
        with self._lock:
            moving = self._leader is token
        if moving:
            self._replace()
        with parked.session.turn.outside():
            yield

    def _replace(self) -> None:
        """Hand the pump to a new thread; the current one retires after its call.

        The session of that call leaves the selector until the call ends:
        the new pump must not read its socket meanwhile.
        """
        with self._lock:
            if self._closed:
                return
            serving, self._serving = self._serving, None
            if serving is not None and serving.fd >= 0:
                self._forget(serving)
            if not self._parked:
                self._leader = None  # nobody to serve meanwhile: the next park starts a pump
                self._close_selector()
                return
            self._leader = token = object()
        self._submit(lambda: self._loop(token), self._name)

    # ------------------------------------------------------------ helpers

    def _forget(self, parked: _Parked) -> None:
        """Under the lock: take a session out of the selector."""
        del self._parked[parked.fd]
        if self._selector is not None:
            try:
                self._selector.unregister(parked.fd)
            except (KeyError, ValueError):
                pass
        parked.fd = -1

    def _open_selector(self) -> None:
        """Under the lock, for the first session parked."""
        self._selector = selectors.DefaultSelector()
        self._wakeup = socket.socketpair()
        self._wakeup[0].setblocking(False)
        self._selector.register(self._wakeup[0], selectors.EVENT_READ)

    def _close_selector(self) -> None:
        """Under the lock, once nobody is parked and no thread pumps."""
        selector, wakeup, self._selector, self._wakeup = self._selector, self._wakeup, None, None
        if selector is not None:
            selector.close()
        for end in wakeup or ():
            end.close()

    def _poke(self) -> None:
        wakeup = self._wakeup
        if wakeup is not None:
            try:
                wakeup[1].send(b"x")
            except OSError:
                pass

    def _drain_wakeup(self) -> None:
        wakeup = self._wakeup
        try:
            while wakeup is not None and wakeup[0].recv(4096):
                pass
        except OSError:
            pass


def _pumped(session: Pumped) -> bool:
    """Read what arrived for a session and handle each whole packet; False at the connection's end."""
    session.stream.fill()
    while (packet := session.stream.next()) is not None:
        if not session.packet(packet):
            return False
    return True
