"""The backoff book of one pool: which keys' background opens are paused.

After a background open fails, opens for its key wait out an exponential
backoff, with one retry pending per key; meanwhile the book holds the error
of the last failed open, so that a caller who arrives while the database
looks down hears it at once. A logon the database refused for the pool's own
key (bad password, locked account) stops background opens for ``min`` until
a caller asks again, so that a typo cannot lock an account by retrying.
"""

from __future__ import annotations

from ._records import Key

__all__ = ["BACKOFF_BASE", "BACKOFF_CAP", "Backoff", "backoff"]

#: Exponential backoff of background opens after failures: base, cap (seconds).
BACKOFF_BASE = 0.05
BACKOFF_CAP = 10.0


def backoff(failures: int) -> float:
    """Seconds to wait before retrying after ``failures`` failed opens in a row."""
    return min(BACKOFF_CAP, BACKOFF_BASE * 2.0 ** min(failures - 1, 16))


class Backoff:
    """Failed opens in a row, pending retries and the refused logon; see the module docstring."""

    __slots__ = ("failures", "retrying", "refused")

    def __init__(self) -> None:
        self.failures: dict[Key, int] = {}  # failed background opens in a row, per key
        # Keys backing off, one retry pending each, with the error of the last
        # failed open (None once a session of that key opened meanwhile).
        self.retrying: dict[Key, BaseException | None] = {}
        self.refused = False  # the pool's own logon was refused

    def __repr__(self) -> str:
        return f"<Backoff retrying={len(self.retrying)} refused={self.refused}>"

    def paused(self, key: Key) -> bool:
        """Whether opens for ``key`` wait for a retry."""
        return key in self.retrying

    def down(self, key: Key) -> BaseException | None:
        """The error to refuse a caller of ``key`` with while the database looks down."""
        return self.retrying.get(key)

    def holds_min(self) -> bool:
        """Whether opens for ``min`` (the pool's own key) must wait."""
        return self.refused or None in self.retrying

    def asked(self, key: Key) -> None:
        """A caller asks for ``key``: a refused logon of the pool's own may be tried again."""
        if key is None:
            self.refused = False

    def opened(self, key: Key, background: bool) -> None:
        """A session of ``key`` opened: the database is up, that logon works."""
        if key in self.retrying:
            self.retrying[key] = None
        self.asked(key)
        if background:
            self.failures.pop(key, None)

    def refuse(self, key: Key) -> None:
        """The database refused a logon for ``key``.

        Only the pool's own key is remembered: another key's refusal fails all
        its waiters, and nothing opens for a key without waiters.
        """
        if key is None:
            self.refused = True

    def failed(self, key: Key, error: BaseException) -> float | None:
        """A background open of ``key`` failed: seconds until its retry, or
        None when one is pending already."""
        if key in self.retrying:
            return None
        self.retrying[key] = error
        failures = self.failures[key] = self.failures.get(key, 0) + 1
        return backoff(failures)

    def retried(self, key: Key, wanted: bool) -> None:
        """The retry of ``key`` is due; ``wanted``: a waiter still asks for it."""
        self.retrying.pop(key, None)
        if key is not None and not wanted:
            self.failures.pop(key, None)  # nobody asks for that key any more
