"""The idle sessions of one pool: a stack per key, most recently returned on top.

Handing out the top of a stack keeps sessions warm and lets the surplus age
out at the bottom (the coldest end). The count of idle sessions is kept
beside the stacks (the acquire+release cycle reads it on every release, and
summing the stacks there cost a call per key). Every change goes through a
method here, but for the pool core's fast path, which pops and pushes the top
of a stack in place and keeps the count itself; the stateful tests check the
count against the stacks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ._records import Entry, Key

__all__ = ["IdleStacks"]


class IdleStacks:
    """Idle sessions grouped by key; see the module docstring."""

    __slots__ = ("count", "stacks")

    def __init__(self) -> None:
        # Emptied stacks stay (under their key's first place in the dict):
        # which key gives up a session for another depends on that order.
        self.stacks: dict[Key, list[Entry]] = {}
        self.count = 0  # sessions in the stacks

    def __len__(self) -> int:
        return self.count

    def __bool__(self) -> bool:
        return self.count > 0

    def __iter__(self) -> Iterator[Entry]:
        """Every idle session, coldest first within a key."""
        for stack in self.stacks.values():
            yield from stack

    def has(self, key: Key) -> bool:
        """Whether a session of ``key`` is idle."""
        return bool(self.stacks.get(key))

    def push(self, entry: Entry) -> None:
        """Keep a session on top of its key's stack."""
        stack = self.stacks.get(entry.key)
        if stack is None:
            self.stacks[entry.key] = [entry]
        else:
            stack.append(entry)
        self.count += 1

    def take(self, key: Key, tag: str | None, matchany: bool) -> Entry | None:
        """The best session of ``key`` for ``tag`` (see :func:`_pick`), or None."""
        stack = self.stacks.get(key)
        if not stack:
            return None
        self.count -= 1
        return stack.pop(-1 if stack[-1].tag == tag else _pick(stack, tag, matchany))

    def coldest(self, other_than: Key) -> Entry | None:
        """Take the coldest session of the first key other than ``other_than``."""
        for key, stack in self.stacks.items():
            if key != other_than and stack:
                self.count -= 1
                return stack.pop(0)
        return None

    def coldest_of_largest(self) -> Entry:
        """Take the coldest session of the largest stack (there must be one)."""
        self.count -= 1
        return max(self.stacks.values(), key=len).pop(0)

    def sift(self, keep: Callable[[Entry], bool]) -> None:
        """Keep only the sessions ``keep`` says so of, asked coldest first."""
        for key, stack in self.stacks.items():
            self.stacks[key] = [entry for entry in stack if keep(entry)]
        self.count = sum(map(len, self.stacks.values()))

    def mark_suspect(self) -> None:
        """Have every idle session validated before it is lent again."""
        for entry in self:
            entry.suspect = True

    def drain(self) -> list[Entry]:
        """Take every idle session out."""
        entries = list(self)
        self.stacks.clear()
        self.count = 0
        return entries


def _pick(stack: list[Entry], tag: str | None, matchany: bool) -> int:
    """Index of the best idle session for ``tag``, most recent first.

    The exact tag wins; then, with ``matchany``, any tagged session; then an
    untagged one; then whatever was returned last (the session callback will
    reset its state).
    """
    tagged = untagged = -1
    for index in range(len(stack) - 1, -1, -1):
        candidate = stack[index].tag
        if candidate == tag:
            return index
        if candidate is None:
            untagged = index if untagged == -1 else untagged
        elif tagged == -1:
            tagged = index
    if matchany and tag is not None and tagged != -1:
        return tagged
    return untagged
