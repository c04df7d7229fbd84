"""A distribution of durations: exact totals, percentiles of a recent window.

Counting must cost next to nothing on the acquire and release path, so a
sample is three additions and a bounded ``deque.append``; the percentiles
are computed only when someone asks for the statistics. ``count``, ``sum``
and ``max`` cover every sample since the last reset; the percentiles cover
the last :data:`WINDOW` samples (recent behaviour is what an operator is
asking about, and the memory stays bounded).
"""

from __future__ import annotations

import math
from collections import deque

__all__ = ["WINDOW", "Distribution"]

#: Samples the percentiles are computed over.
WINDOW = 1024


class Distribution:
    """Durations in seconds; :meth:`summary` reports them in milliseconds."""

    __slots__ = ("count", "total", "max", "recent")

    def __init__(self) -> None:
        self.count = 0
        self.total = 0.0
        self.max = 0.0
        self.recent: deque[float] = deque(maxlen=WINDOW)

    def record(self, seconds: float) -> None:
        """Add one sample."""
        self.count += 1
        self.total += seconds
        if seconds > self.max:
            self.max = seconds
        self.recent.append(seconds)

    def reset(self) -> None:
        """Forget every sample."""
        self.__init__()  # type: ignore[misc]

    def summary(self) -> dict[str, float]:
        """count, sum, p50, p95, p99 and max; times in milliseconds."""
        ordered = sorted(self.recent)
        return {
            "count": self.count,
            "sum": self.total * 1000,
            "p50": _percentile(ordered, 50) * 1000,
            "p95": _percentile(ordered, 95) * 1000,
            "p99": _percentile(ordered, 99) * 1000,
            "max": self.max * 1000,
        }

    def __repr__(self) -> str:
        return f"<Distribution count={self.count} sum={self.total:.6f}s max={self.max:.6f}s>"


def _percentile(ordered: list[float], rank: float) -> float:
    """The nearest-rank percentile of sorted samples (0 for none)."""
    if not ordered:
        return 0.0
    return ordered[max(0, math.ceil(rank / 100 * len(ordered)) - 1)]
