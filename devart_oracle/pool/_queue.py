"""The callers waiting for a session of one pool, first come, first served."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from ._records import Key, Waiter

__all__ = ["WaitQueue"]


class WaitQueue(deque[Waiter]):
    """Waiters in arrival order; those of one key are served in that order too."""

    __slots__ = ()

    def first(self, key: Key) -> Waiter | None:
        """The oldest waiter of ``key``, left in the queue."""
        for waiter in self:
            if waiter.key == key:
                return waiter
        return None

    def first_not(self, skip: Callable[[Key], bool]) -> Waiter | None:
        """The oldest waiter whose key ``skip`` does not rule out."""
        for waiter in self:
            if not skip(waiter.key):
                return waiter
        return None

    def wants(self, key: Key) -> bool:
        """Whether a waiter of ``key`` is queued."""
        return self.first(key) is not None

    def take_of(self, key: Key, oldest_only: bool) -> list[Waiter]:
        """Take out the waiters of ``key`` (only the oldest, if asked)."""
        mine = [waiter for waiter in self if waiter.key == key]
        if oldest_only:
            mine = mine[:1]
        for waiter in mine:
            self.remove(waiter)
        return mine

    def discard(self, waiter: Waiter) -> None:
        """Take a waiter out if it is still queued."""
        if waiter in self:
            self.remove(waiter)

    def take_all(self) -> list[Waiter]:
        """Empty the queue."""
        waiters = list(self)
        self.clear()
        return waiters
