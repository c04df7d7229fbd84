"""The DRCP pool's counters and the V$CPOOL_STATS / V$CPOOL_CC_STATS rows.

The server's DRCP emulation (``testing/_drcp.py``) counts into one
``PoolStatistics`` per server, held by the ``Instance`` every session shares,
so any session's query of the views sees the pool as it is at that moment.
The counters follow Oracle's columns: a request is one acquire of a pooled
server (at logon, or at the first call after a release); a hit reuses an idle
server session of the same user and connection class (PURITY_SELF); a miss
creates a new session (the pool had room, or an idle session of another
class or of PURITY_NEW was replaced); a wait is a request that found every
pooled server busy. WAIT_TIME is the total milliseconds requests waited.
Connection classes are named ``USER.CLASS``, ``USER.SHARED`` without one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

__all__ = ["CPOOL_CC_COLUMNS", "CPOOL_COLUMNS", "ClassStatistics", "PoolControl",
           "PoolStatistics", "cpool_cc_rows", "cpool_rows"]

POOL_NAME = "SYS_DEFAULT_CONNECTION_POOL"
_NUMBER = "NUMBER"


class PoolControl(Protocol):
    """What DBMS_CONNECTION_POOL can do to the server's pool."""

    def start(self) -> None: ...

    def stop(self) -> None: ...

    def configure(self, maxsize: int) -> None: ...


@dataclass
class ClassStatistics:
    """The counters of one connection class (a row of V$CPOOL_CC_STATS)."""

    requests: int = 0
    hits: int = 0
    misses: int = 0
    waits: int = 0
    wait_time: float = 0.0  # seconds
    timeouts: int = 0
    authentications: int = 0


@dataclass
class PoolStatistics(ClassStatistics):
    """The whole pool: the class counters summed, plus its server counts."""

    size: int = 0  # maxsize: the most pooled servers
    minsize: int = 0
    open_servers: int = 0
    busy_servers: int = 0
    historic_max: int = 0
    purged: int = 0
    active: bool = False
    classes: dict[str, ClassStatistics] = field(default_factory=dict)
    control: PoolControl | None = field(default=None, repr=False)

    def count(self, cclass: str, **deltas: float) -> None:
        """Add to a counter of the pool and of the class (caller holds the pool's lock)."""
        record = self.classes.setdefault(cclass, ClassStatistics())
        for name, delta in deltas.items():
            setattr(self, name, getattr(self, name) + delta)
            setattr(record, name, getattr(record, name) + delta)


CPOOL_COLUMNS: tuple[tuple[str, str], ...] = (
    ("POOL_NAME", "VARCHAR2(1024)"), ("NUM_OPEN_SERVERS", _NUMBER), ("NUM_BUSY_SERVERS", _NUMBER),
    ("NUM_AUTH_SERVERS", _NUMBER), ("NUM_REQUESTS", _NUMBER), ("NUM_HITS", _NUMBER),
    ("NUM_MISSES", _NUMBER), ("NUM_WAITS", _NUMBER), ("WAIT_TIME", _NUMBER),
    ("CLIENT_REQ_TIMEOUTS", _NUMBER), ("NUM_AUTHENTICATIONS", _NUMBER), ("NUM_PURGED", _NUMBER),
    ("HISTORIC_MAX", _NUMBER), ("MINSIZE", _NUMBER), ("MAXSIZE", _NUMBER),
    ("STATUS", "VARCHAR2(16)"), ("CON_ID", _NUMBER),
)

CPOOL_CC_COLUMNS: tuple[tuple[str, str], ...] = (
    ("CCLASS_NAME", "VARCHAR2(1024)"), ("NUM_REQUESTS", _NUMBER), ("NUM_HITS", _NUMBER),
    ("NUM_MISSES", _NUMBER), ("NUM_WAITS", _NUMBER), ("WAIT_TIME", _NUMBER),
    ("CLIENT_REQ_TIMEOUTS", _NUMBER), ("NUM_AUTHENTICATIONS", _NUMBER), ("CON_ID", _NUMBER),
)


def _millis(seconds: float) -> int:
    return round(seconds * 1000)


def cpool_rows(stats: PoolStatistics | None) -> list[tuple[Any, ...]]:
    """V$CPOOL_STATS: one row, the default pool (all zero when DRCP is off)."""
    s = stats or PoolStatistics()
    status = "ACTIVE" if s.active else "INACTIVE"
    return [(POOL_NAME, s.open_servers, s.busy_servers, s.open_servers, s.requests, s.hits,
             s.misses, s.waits, _millis(s.wait_time), s.timeouts, s.authentications, s.purged,
             s.historic_max, s.minsize, s.size, status, 0)]


def cpool_cc_rows(stats: PoolStatistics | None) -> list[tuple[Any, ...]]:
    """V$CPOOL_CC_STATS: a row per connection class that made a request."""
    classes = {} if stats is None else dict(stats.classes)
    return [(name, c.requests, c.hits, c.misses, c.waits, _millis(c.wait_time), c.timeouts,
             c.authentications, 0)
            for name, c in sorted(classes.items())]

