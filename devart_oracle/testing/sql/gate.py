"""A session's call gate: one call at a time, and a cancel that reaches it.

The wire layer's session thread runs a session's calls one after the other,
but a fetch of an open result, a LOB written through a locator, or
``close()`` from a killing thread may come at any time: the gate's lock
makes them take turns, and ``close()`` waits for the running call. A cancel
comes from another thread while a call runs (the watcher saw a BREAK): it
interrupts SQLite and sets the link's ``cancelled`` event, which the next
call clears. Every execute passes the gate twice, so ``enter`` and ``leave``
are spelled out rather than built on a generator.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator

from .backend import SqliteConnection
from .errors import OracleError

__all__ = ["CallGate"]


class CallGate:
    """Lets one call at a time into a session.

    Args:
        link: the session's SQLite connection (interrupted by ``cancel``).
        after: run at the end of every call, still inside the gate.
    """

    __slots__ = ("_after", "_link", "_lock", "_running", "_state", "closed")

    def __init__(self, link: SqliteConnection, after: Callable[[], None]) -> None:
        self._link = link
        self._after = after
        self._lock = threading.RLock()  # one call at a time; close() waits for it
        self._state = threading.Lock()  # guards _running, for cancel()
        self._running = 0
        self.closed = False

    def enter(self) -> None:
        """Start a call; every ``enter`` that returns needs its ``leave``.

        Raises:
            OracleError: ORA-01012 once the session is closed.
        """
        self._lock.acquire()
        try:
            if self.closed:
                raise OracleError(1012)
            with self._state:
                if not self._running and self._link.cancelled.is_set():
                    self._link.cancelled.clear()  # a cancel ends with the call it was for
                self._running += 1
        except BaseException:
            self._lock.release()
            raise

    def leave(self) -> None:
        """End the call ``enter`` started."""
        try:
            with self._state:
                self._running -= 1
            self._after()
        finally:
            self._lock.release()

    @contextlib.contextmanager
    def call(self) -> Iterator[None]:
        """``enter`` and ``leave`` around a block."""
        self.enter()
        try:
            yield
        finally:
            self.leave()

    def cancel(self) -> None:
        """Interrupt the running call, if any (it raises ORA-01013); thread-safe."""
        with self._state:
            if self._running:
                self._link.interrupt()

    def close(self, shut: Callable[[], None]) -> None:
        """Cancel the running call, wait for it, then run ``shut`` once."""
        self.cancel()
        with self._lock:
            if not self.closed:
                self.closed = True
                shut()
