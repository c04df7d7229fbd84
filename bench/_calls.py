"""Function calls per cycle: a cost that does not depend on the machine's load.

``sys.setprofile`` sees every call: ``call`` events for Python functions
(a coroutine or generator resumed counts as one), ``c_call`` for builtins and
C methods. Counted over ``count`` cycles and divided, so setup and the
profiler's own frames round away.
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from typing import Any


class Calls:
    """Python and C calls per cycle."""

    __slots__ = ("c", "python")

    def __init__(self, python: float, c: float) -> None:
        self.python = python
        self.c = c

    def __str__(self) -> str:
        return f"{self.python:5.1f} py + {self.c:4.1f} C calls"


def _counter() -> tuple[dict[str, int], Callable[[Any, str, Any], None]]:
    counts = {"call": 0, "c_call": 0}

    def profile(frame: Any, event: str, arg: Any) -> None:
        if event in counts:
            counts[event] += 1

    return counts, profile


def calls_per_cycle(cycle: Callable[[], object], count: int = 2000) -> Calls:
    """The calls one ``cycle()`` makes, averaged over ``count`` cycles."""
    cycle()
    counts, profile = _counter()
    sys.setprofile(profile)
    try:
        for _ in range(count):
            cycle()
    finally:
        sys.setprofile(None)
    return Calls(counts["call"] / count, counts["c_call"] / count)


async def async_calls_per_cycle(cycle: Callable[[], Awaitable[object]], count: int = 2000) -> Calls:
    """As :func:`calls_per_cycle` for an asyncio cycle, run on the current loop."""
    await cycle()
    counts, profile = _counter()
    sys.setprofile(profile)
    try:
        for _ in range(count):
            await cycle()
    finally:
        sys.setprofile(None)
    return Calls(counts["call"] / count, counts["c_call"] / count)


class Gate:
    """Calls one thread makes while its gate is open: ``sys.setprofile(gate.profile)``
    in that thread, then ``gate.open = True`` around what is counted (a store, so
    opening and closing it costs no call). One gate per thread: no count is shared."""

    __slots__ = ("c", "open", "python")

    def __init__(self) -> None:
        self.open = False
        self.python = 0
        self.c = 0

    def profile(self, frame: Any, event: str, arg: Any) -> None:
        if self.open:
            if event == "call":
                self.python += 1
            elif event == "c_call":
                self.c += 1
