"""The steps of the engine's control flow: what a layer performs, and how it drives a flow.

An engine flow (:mod:`._engine`) is a generator that yields a :class:`Ping`,
an :class:`Open` or a :class:`Wait` and receives the result; a layer drives
it with a :class:`Run`. A step may carry a ``limit``: a layer that cannot
finish a limited Ping or Open in time replies :data:`LATE`.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Hashable
from dataclasses import dataclass
from typing import Any

from ._core import Entry, Failure, Waiter

__all__ = ["LATE", "ErrorFactory", "Open", "Ping", "Run", "Schedule", "Step", "Steps", "Wait"]


class _Late:
    """The reply to a limited step that did not finish in time."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "LATE"


#: A limited Ping or Open still under way when its limit ran out.
LATE = _Late()


@dataclass(frozen=True, slots=True)
class Ping:
    """Round-trip on ``entry``'s session; reply True when it is alive (or
    LATE, past ``limit`` seconds)."""

    entry: Entry
    limit: float | None = None


@dataclass(frozen=True, slots=True)
class Open:
    """Log a session on for ``key``; reply with it, or raise the driver's
    error (or reply LATE, past ``limit`` seconds)."""

    key: Hashable
    limit: float | None = None


@dataclass(frozen=True, slots=True)
class Wait:
    """Wait until ``waiter`` is granted or failed, at most ``timeout`` seconds;
    reply True when it was settled, False when the wait timed out."""

    waiter: Waiter
    timeout: float | None


Step = Ping | Open | Wait
Steps = Generator[Step, Any, Any]

#: Builds the exception for a refused or failed acquire from the refusal (or
#: the outage) and the seconds waited.
ErrorFactory = Callable[[Failure, float], BaseException]

#: ``schedule(delay, fn)``: call ``fn`` once ``delay`` seconds have passed.
Schedule = Callable[[float, Callable[[], object]], object]


class Run:
    """An engine generator being driven by a layer, one step at a time.

    The layer's loop is ``while run.next(): <perform run.step, storing
    run.reply or run.error>``, then ``run.result``.
    """

    __slots__ = ("_steps", "step", "reply", "error", "result")

    def __init__(self, steps: Steps) -> None:
        self._steps = steps
        self.step: Any = None
        self.reply: Any = None
        self.error: BaseException | None = None
        self.result: Any = None

    def next(self) -> bool:
        """Resume with the last step's reply (or error); False once finished."""
        reply, error, self.reply, self.error = self.reply, self.error, None, None
        try:
            self.step = self._steps.throw(error) if error is not None else self._steps.send(reply)
        except StopIteration as stop:
            self.result = stop.value
            return False
        return True
