"""A window of recent durations, and what an operator reads from it.

Counting must cost next to nothing on the acquire and release path, so a
sample is one ``deque.append`` (C code, bounded by ``maxlen``); the figures
are computed only when someone asks for the statistics. They cover the last
:data:`WINDOW` samples: recent behaviour is what an operator is asking about,
and the memory stays bounded. (Totals since the last reset, psycopg_pool's
``usage_ms`` and the like, are kept by :class:`~._metrics.PoolMetrics`.)
"""

from __future__ import annotations

import math
from collections import deque

__all__ = ["WINDOW", "Window"]

#: Samples a window keeps.
WINDOW = 1024


class Window(deque[float]):
    """The last :data:`WINDOW` durations, in seconds; ``append`` adds one."""

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__(maxlen=WINDOW)

    def summary(self) -> dict[str, float]:
        """count, sum, p50, p95, p99 and max of the window; times in milliseconds."""
        ordered = sorted(self)
        return {
            "count": len(ordered),
            "sum": math.fsum(ordered) * 1000,
            "p50": _percentile(ordered, 50) * 1000,
            "p95": _percentile(ordered, 95) * 1000,
            "p99": _percentile(ordered, 99) * 1000,
            "max": (ordered[-1] if ordered else 0.0) * 1000,
        }

    def __repr__(self) -> str:
        return f"<Window samples={len(self)}>"


def _percentile(ordered: list[float], rank: float) -> float:
    """The nearest-rank percentile of sorted samples (0 for none)."""
    if not ordered:
        return 0.0
    return ordered[max(0, math.ceil(rank / 100 * len(ordered)) - 1)]
