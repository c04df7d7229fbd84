"""The pool core's vocabulary: its settings, the sessions and waiters it
keeps, and the actions it returns to the layer that carries them out.

Kept apart from :mod:`._core` so that the decisions read on their own; the
core re-exports these names.
"""

from __future__ import annotations

import enum
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "Actions",
    "Entry",
    "GetMode",
    "Failure",
    "Key",
    "Outage",
    "PoolSettings",
    "Reason",
    "Refusal",
    "Waiter",
    "Why",
]

Key = Hashable


class GetMode(enum.IntEnum):
    """What ``acquire`` does when every session is busy (python-oracledb's values)."""

    WAIT = 0
    NOWAIT = 1
    FORCEGET = 2
    TIMEDWAIT = 3


class Reason(str, enum.Enum):
    """Why a session was logged off."""

    LIFETIME = "lifetime"
    IDLE = "idle"
    INVALID = "invalid"
    OVERFLOW = "overflow"
    CLEARED = "cleared"
    DROPPED = "dropped"
    CLOSED = "closed"
    DRAINED = "drained"


class Refusal(str, enum.Enum):
    """Why a checkout was refused at once."""

    EXHAUSTED = "exhausted"
    CLOSED = "closed"


class Why(str, enum.Enum):
    """Why a caller hears of a failed open instead of waiting for the next attempt."""

    BUDGET = "budget"  # the next attempt is due after the caller's wait ends
    NOWAIT = "nowait"  # the caller does not wait at all
    REFUSED = "refused"  # the database refused the logon: nothing retries until a caller asks


@dataclass(frozen=True, slots=True)
class Outage:
    """A failed open as a caller hears of it.

    Attributes:
        error: the driver's error from the last failed open.
        why: which case it is.
        retry_in: seconds from then until the next attempt is due (None:
            none is scheduled).
    """

    error: BaseException
    why: Why
    retry_in: float | None = None


#: What a refused or failed checkout reports.
Failure = Refusal | Outage


@dataclass(frozen=True)
class PoolSettings:
    """The knobs of one pool; times are in seconds.

    Attributes:
        min: sessions kept open (the validator restores them).
        max: cap on open sessions; None means no cap and no waiting: the
            caller opens a session itself (Devart's ``connect()``).
        max_idle: cap on idle sessions kept; a surplus is logged off on release.
        increment: sessions opened at a time when the pool grows.
        lifetime: a session older than this is logged off (0 = forever).
        idle_timeout: an idle session above ``min`` is logged off after this
            long (0 = never).
        ping_interval: a session idle this long is pinged before it is handed
            out (0 = always, negative = never).
        getmode: what to do when ``max`` sessions are busy.
        lifetime_spread: the last fraction of ``lifetime`` in which each
            session is recycled, at a point of its own (0 = exactly at
            ``lifetime``); see :mod:`._lifetime`.
    """

    min: int = 0
    max: int | None = None
    max_idle: int | None = None
    increment: int = 1
    lifetime: float = 0.0
    idle_timeout: float = 0.0
    ping_interval: float = -1.0
    getmode: GetMode = GetMode.WAIT
    lifetime_spread: float = 0.0


class Entry:
    """One physical session as the core sees it; ``conn`` is the layer's object."""

    __slots__ = (
        "conn", "key", "created", "idle_since", "checked_at", "tag", "suspect", "leases",
        "leased_at", "phase", "generation",
    )

    def __init__(self, conn: Any, key: Key, now: float) -> None:
        self.conn = conn
        self.key = key
        self.created = now
        self.idle_since = now
        self.checked_at = now
        self.tag: str | None = None
        self.suspect = False
        self.leases = 0  # times lent out: 1 on a session's first use
        self.leased_at = now  # when the current lease began (the statistics' use time)
        self.phase = 0.0  # where in the lifetime's last part it is recycled (0..1)
        self.generation = 0  # the pool's drain count when it was opened

    def __repr__(self) -> str:
        return f"<Entry key={self.key!r} tag={self.tag!r} suspect={self.suspect}>"


class Waiter:
    """A caller queued for a session; the layer stores its wake-up in ``token``."""

    __slots__ = ("key", "tag", "matchany", "since", "deadline", "entry", "error", "token")

    def __init__(self, key: Key, tag: str | None, matchany: bool, now: float, deadline: float | None = None) -> None:
        self.key = key
        self.tag = tag
        self.matchany = matchany
        self.since = now
        self.deadline = deadline  # when the caller stops waiting (None: never)
        self.entry: Entry | None = None
        self.error: Failure | None = None
        self.token: Any = None

    @property
    def done(self) -> bool:
        """True once the waiter was granted a session or failed."""
        return self.entry is not None or self.error is not None


class Actions:
    """What the layer must do, outside its lock, after a core call.

    Attributes:
        lease: the session to hand to the caller.
        ping: ping ``lease`` first and report with :meth:`PoolCore.ping_failed`
            if it is dead.
        open_now: the caller opens a session itself, then reports with
            :meth:`PoolCore.admit_for_caller`.
        wait: the caller must wait on this waiter.
        refuse: the checkout is refused at once (a refusal, or an
            :class:`Outage` while the database is down).
        spawn: open one session in the background per key listed.
        close: log these sessions off.
        check: ping these idle sessions (validator), then report with
            :meth:`PoolCore.checked`.
        wake: wake these waiters (each has ``entry`` or ``error`` set).
        retry_after: background opens for ``retry_key`` failed; call
            :meth:`PoolCore.retry` with that key after this many seconds
            (jitter included). At most one retry per key is ever pending.
        check_soon: the pool turned suspect; run the validator promptly.
    """

    # A plain slotted class with shared empty tuples: this is allocated on
    # every checkout and checkin, so it must cost next to nothing.
    __slots__ = (
        "lease", "ping", "open_now", "wait", "refuse", "spawn",
        "close", "check", "wake", "retry_after", "retry_key", "check_soon",
    )

    def __init__(
        self,
        lease: Entry | None = None,
        ping: bool = False,
        open_now: bool = False,
        wait: Waiter | None = None,
        refuse: Failure | None = None,
        spawn: Sequence[Key] = (),
        close: Sequence[tuple[Entry, Reason]] = (),
        check: Sequence[Entry] = (),
        wake: Sequence[Waiter] = (),
        retry_after: float | None = None,
        retry_key: Key = None,
        check_soon: bool = False,
    ) -> None:
        self.lease = lease
        self.ping = ping
        self.open_now = open_now
        self.wait = wait
        self.refuse = refuse
        self.spawn = spawn
        self.close = close
        self.check = check
        self.wake = wake
        self.retry_after = retry_after
        self.retry_key = retry_key
        self.check_soon = check_soon

    @property
    def background(self) -> bool:
        """True when there is work beyond handing out ``lease``."""
        return bool(self.spawn or self.close or self.check or self.wake or self.check_soon or self.retry_after is not None)

    def merge(self, other: Actions) -> Actions:
        """Add another call's side effects to these (lease/wait stay ours)."""
        if other.spawn:
            self.spawn = [*self.spawn, *other.spawn]
        if other.close:
            self.close = [*self.close, *other.close]
        if other.check:
            self.check = [*self.check, *other.check]
        if other.wake:
            self.wake = [*self.wake, *other.wake]
        self.check_soon = self.check_soon or other.check_soon
        if other.retry_after is not None:
            self.retry_after, self.retry_key = other.retry_after, other.retry_key
        return self

    def __repr__(self) -> str:
        fields = (f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"Actions({', '.join(fields)})"

