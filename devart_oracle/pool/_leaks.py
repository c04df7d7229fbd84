"""Leak detection: sessions held longer than a pool's ``leak_threshold``.

Off by default, and then free: nothing is recorded. When on, each lease
remembers where it was acquired (the caller's stack, captured at acquire);
the validator's pass reports every lease older than the threshold once, on
the ``devart_oracle.pool`` logger with that stack, and counts it. A session
that comes back is forgotten, reported or not.
"""

from __future__ import annotations

import logging
import os
import traceback

from .._errors import ProgrammingError, shaped
from ._records import Entry

__all__ = ["LeakWatch", "check_threshold", "report"]

logger = logging.getLogger("devart_oracle.pool")

#: Frames kept of the acquiring stack: enough to find the caller, bounded in memory.
_FRAMES = 32
#: At most this many frames of the pool's own lie between acquire() and here.
_OWN_FRAMES = 16
#: devart_oracle's folder: its frames (connect(), acquire(), the pool) are dropped from the stack.
_HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


class LeakWatch:
    """The leases of one pool that leak detection follows."""

    __slots__ = ("threshold", "_held", "found")

    def __init__(self) -> None:
        self.threshold = 0.0  # seconds; 0 = off
        self._held: dict[Entry, tuple[float, traceback.StackSummary | None]] = {}
        self.found = 0  # leases reported since the last reset

    def lent(self, entry: Entry, now: float) -> None:
        """Follow a new lease (only when detection is on)."""
        if self.threshold:
            self._held[entry] = (now, _caller_stack())

    def back(self, entry: Entry) -> None:
        """A lease ended."""
        if self._held:
            self._held.pop(entry, None)

    def overdue(self, now: float) -> list[tuple[float, traceback.StackSummary]]:
        """Leases held past the threshold and not reported yet: (seconds held, stack).

        Each is marked reported (its stack is dropped) and counted.
        """
        late = []
        for entry, (since, stack) in self._held.items():
            if stack is not None and self.threshold and now - since >= self.threshold:
                late.append((now - since, stack))
                self._held[entry] = (since, None)
        self.found += len(late)
        return late

    def __len__(self) -> int:
        return len(self._held)


def _caller_stack() -> traceback.StackSummary:
    """The stack of whoever acquired, without devart_oracle's own frames beneath it."""
    frames = traceback.extract_stack(limit=_FRAMES + _OWN_FRAMES)
    while frames and frames[-1].filename.startswith(_HERE):
        frames.pop()
    return traceback.StackSummary.from_list(frames[-_FRAMES:])


def report(pool: str, threshold: float, late: list[tuple[float, traceback.StackSummary]]) -> None:
    """Log each overdue lease once, with where it was acquired."""
    for held, stack in late:
        logger.warning(
            "a connection of pool %r has been held for %.1f s, longer than leak_threshold=%.1f s;"
            " close() it when done. It was acquired at:\n%s",
            pool, held, threshold, "".join(stack.format()),
        )


def check_threshold(label: str, value: object) -> float:
    """A ``leak_threshold`` value in seconds, checked (0 = off).

    Raises:
        ProgrammingError: not a number from 0.
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
        return float(value)
    raise shaped(ProgrammingError, f"invalid value {value!r} for {label}: expected seconds as a number from 0 (off)")
