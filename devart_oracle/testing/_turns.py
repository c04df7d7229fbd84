"""Turns: the sessions' calls run one at a time, in the order they arrived.

The server is thread-per-session in one interpreter. With many clients,
every point where a call leaves the interpreter (a SQLite step, a function
SQLite calls back, a socket write) handed the GIL to another session's
thread and took it back later: with 16 busy clients a query cost about 23
context switches and 54 futex calls, and the server served fewer queries a
second than it did to one client. Taking turns instead, a session that has a
request waits for the turn, not for the GIL, and the call that runs keeps
the GIL to itself: about 3 context switches a query.

A call must not keep the turn while it waits for something another session
may have to do first (a lock, a pooled server, the clock, the client):
such waits run inside ``sql.waits.waiting()``, which gives the turn back
around them. A wait that does not, a long SQL statement included, cannot
hold the others up for long: the watcher calls ``unstick()`` at every pass,
and a turn held from one pass to the next opens the way for everyone until
its holder gives it back. The turns are a schedule, never a lock that
correctness relies on: whoever has no turn still runs correctly.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["Turn", "Turns"]


class _Waiter:
    __slots__ = ("lock", "turn")

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.lock.acquire()
        self.turn = False


class Turns:
    """A first-come, first-served turn among the session threads."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._held = False
        self._open = False  # a turn was held too long: everyone goes until it is given back
        self._taken = 0  # turns taken so far, for unstick()
        self._seen = -1
        self._queue: deque[_Waiter] = deque()

    def __repr__(self) -> str:
        return f"<Turns held={self._held} open={self._open} waiting={len(self._queue)}>"

    def take(self) -> bool:
        """Wait for the turn; True when taken (give it back), False when the way is open."""
        with self._mutex:
            if not self._held:
                self._held = True
                self._taken += 1
                return True
            if self._open:
                return False
            waiter = _Waiter()
            self._queue.append(waiter)
        waiter.lock.acquire()
        return waiter.turn

    def give(self) -> None:
        """Give the turn back: to the first session waiting, if any."""
        with self._mutex:
            if self._queue:
                waiter = self._queue.popleft()
                waiter.turn = True
                self._taken += 1
                waiter.lock.release()
                return
            self._held = self._open = False

    def unstick(self) -> bool:
        """Open the way if the same turn has been held since the last call; True if it did."""
        with self._mutex:
            if not self._held or self._open or self._taken != self._seen:
                self._seen = self._taken
                return False
            self._open = True
            queue, self._queue = self._queue, deque()
        for waiter in queue:
            waiter.lock.release()  # turn False: they go without one
        return True


class Turn:
    """One session's part in the turns: whether its call has the turn, and waits outside it."""

    __slots__ = ("_turns", "held")

    def __init__(self, turns: Turns) -> None:
        self._turns = turns
        self.held = False

    def take(self) -> None:
        """Wait for the turn (or for the way to open)."""
        self.held = self._turns.take()

    def give(self) -> None:
        """Give the turn back, if held."""
        if self.held:
            self.held = False
            self._turns.give()

    @contextmanager
    def outside(self) -> Iterator[None]:
        """Around a wait within a call: the other sessions' calls run meanwhile."""
        if not self.held:
            yield
            return
        self.give()
        try:
            yield
        finally:
            self.take()
