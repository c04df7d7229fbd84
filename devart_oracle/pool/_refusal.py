"""What an explicit pool's acquire raises when it cannot hand out a session:
the pool is closed, exhausted, or no session could be opened, and then why,
in the message itself (not only in ``__cause__``)."""

from __future__ import annotations

import oracledb

from .._errors import DatabaseUnavailableError, PoolClosedError, PoolExhaustedError
from ._core import Refusal
from ._options import PoolOptions
from ._physical import is_refused

__all__ = ["pool_error", "why_not_opened"]


def pool_error(name: str, options: PoolOptions, busy: int, reason: Refusal | BaseException, waited: float,
               address: str | None = None) -> BaseException:  # fmt: skip
    """The exception an acquire raises, with the numbers that explain it."""
    sizes = f"max={options.max}, busy={busy}"
    if reason is Refusal.CLOSED:
        return PoolClosedError(f"pool {name!r} is closed", name)
    if reason is Refusal.EXHAUSTED:
        after = f" after waiting {waited:.2f} s" if options.getmode != oracledb.PoolGetMode.NOWAIT else ""
        return PoolExhaustedError(f"pool {name!r} has no free connection{after} ({sizes})", name)
    assert isinstance(reason, BaseException)
    return DatabaseUnavailableError(
        f"pool {name!r} could not open a session after waiting {waited:.2f} s ({sizes}):"
        f" {why_not_opened(reason, address)}", name, reason,
    )


def why_not_opened(reason: BaseException, address: str | None) -> str:
    """Why an open failed, in words: a refused logon, an unreachable host
    (with its address and the socket's error), or the driver's first line."""
    lines = str(reason).splitlines() or [type(reason).__name__]
    if is_refused(reason):
        return f"the database refused the logon: {lines[0]}"
    if lines[0].startswith("DPY-6005") and address:  # python-oracledb puts the socket's error last
        return f"cannot connect to {address}: {lines[-1]} ({lines[0].split(':')[0]})"
    return lines[0]
