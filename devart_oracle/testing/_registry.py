"""The live connections of a server: sids, serials, logon count, kills.

Every accepted connection joins the registry; a successful logon assigns it
a session id (the lowest free one, as Oracle reuses sids) and a serial
number (a server-wide counter, so a reused sid gets a new serial). Kills and
snapshots come from any thread, hence the lock; the lock is never held while
a socket is touched.
"""

from __future__ import annotations

import heapq
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .sql import SessionInfo

__all__ = ["Member", "SessionRegistry"]

_MAX_SERIAL = 0xFFFF


class Member(Protocol):
    """A connection as the registry sees it."""

    info: SessionInfo | None
    busy_since: float
    connected_at: float

    def kill(self) -> None: ...

    def kill_session(self) -> None: ...

    def poll_interrupt(self) -> None: ...


class SessionRegistry:
    """Connections, logged-on sessions by sid, and the logon counter."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._members: set[Member] = set()
        self._by_sid: dict[int, Member] = {}
        self._free_sids: list[int] = []
        self._next_sid = 1
        self._serial = 0
        self.logons = 0

    def __len__(self) -> int:
        return len(self._members)

    def __iter__(self) -> Iterator[Member]:
        with self._lock:
            return iter(list(self._members))

    def join(self, member: Member) -> None:
        """Add a new connection (not yet logged on)."""
        with self._lock:
            self._members.add(member)

    def assign(self, member: Member) -> tuple[int, int]:
        """Give a connection that just logged on its (sid, serial#)."""
        with self._lock:
            sid = heapq.heappop(self._free_sids) if self._free_sids else self._take_sid()
            self._serial = self._serial % _MAX_SERIAL + 1
            self._by_sid[sid] = member
            self.logons += 1
            return sid, self._serial

    def _take_sid(self) -> int:
        self._next_sid += 1
        return self._next_sid - 1

    def leave(self, member: Member) -> None:
        """Remove a connection that ended; frees its sid."""
        with self._lock:
            self._members.discard(member)
        self.retire(member)

    def retire(self, member: Member) -> None:
        """Take a killed session out of ``sessions`` (frees its sid); it stays a connection."""
        with self._lock:
            info = member.info
            if info is not None and self._by_sid.get(info.sid) is member:
                del self._by_sid[info.sid]
                heapq.heappush(self._free_sids, info.sid)

    def sessions(self) -> list[SessionInfo]:
        """The SessionInfo of every logged-on session, by sid."""
        with self._lock:
            members = [self._by_sid[sid] for sid in sorted(self._by_sid)]
        return [member.info for member in members if member.info is not None]

    def find(self, sid: int, serial: int | None = None) -> Member | None:
        """The session with this sid (and serial#, when given)."""
        with self._lock:
            member = self._by_sid.get(sid)
        info = None if member is None else member.info
        if info is None or (serial is not None and info.serial != serial):
            return None
        return member

    def not_logged_on(self, cutoff: float) -> list[Member]:
        """Connections accepted at or before ``cutoff`` that have not logged on."""
        with self._lock:
            return [m for m in self._members if m.info is None and m.connected_at <= cutoff]

    def busy(self) -> list[Member]:
        """Connections that are running a call."""
        with self._lock:
            return [member for member in self._members if member.busy_since]
