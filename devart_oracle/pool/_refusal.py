"""What an explicit pool's acquire raises when it cannot hand out a session:
the pool is closed, exhausted, or the database cannot be reached."""

from __future__ import annotations

import oracledb

from .._errors import DatabaseUnavailableError, PoolClosedError, PoolExhaustedError
from ._core import Refusal
from ._options import PoolOptions

__all__ = ["pool_error"]


def pool_error(name: str, options: PoolOptions, busy: int, reason: Refusal | BaseException, waited: float) -> BaseException:
    """The exception an acquire raises, with the numbers that explain it."""
    sizes = f"max={options.max}, busy={busy}"
    if reason is Refusal.CLOSED:
        return PoolClosedError(f"pool {name!r} is closed", name)
    if reason is Refusal.EXHAUSTED:
        after = f" after waiting {waited:.2f} s" if options.getmode != oracledb.PoolGetMode.NOWAIT else ""
        return PoolExhaustedError(f"pool {name!r} has no free connection{after} ({sizes})", name)
    assert isinstance(reason, BaseException)
    text = str(reason).splitlines()[0] if str(reason) else type(reason).__name__
    return DatabaseUnavailableError(
        f"pool {name!r} could not open a session after waiting {waited:.2f} s ({sizes}): {text}", name, reason
    )
