"""What an explicit pool's acquire raises when it cannot hand out a session:
the pool is closed, exhausted, or the database cannot be reached (and then
which case it is, and when the next attempt is due)."""

from __future__ import annotations

import oracledb

from .._errors import DatabaseUnavailableError, PoolClosedError, PoolExhaustedError
from ._core import Failure, Outage, Refusal, Why
from ._options import PoolOptions

__all__ = ["pool_error"]


def pool_error(name: str, options: PoolOptions, busy: int, reason: Failure, waited: float) -> BaseException:
    """The exception an acquire raises, with the numbers that explain it."""
    sizes = f"max={options.max}, busy={busy}"
    if reason is Refusal.CLOSED:
        return PoolClosedError(f"pool {name!r} is closed", name)
    if reason is Refusal.EXHAUSTED:
        after = f" after waiting {waited:.2f} s" if options.getmode != oracledb.PoolGetMode.NOWAIT else ""
        return PoolExhaustedError(f"pool {name!r} has no free connection{after} ({sizes})", name)
    assert isinstance(reason, Outage)
    error = reason.error
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    return DatabaseUnavailableError(
        f"pool {name!r} could not open a session after waiting {waited:.2f} s ({sizes}):"
        f" {_case(reason, options)}: {text}", name, error
    )


def _case(outage: Outage, options: PoolOptions) -> str:
    """Which case a failed acquire is, and when the next attempt is due."""
    due = f"{outage.retry_in:.2f} s" if outage.retry_in is not None else "later"
    if outage.why is Why.REFUSED:
        return "the database refused the logon (the next acquire tries again)"
    if outage.why is Why.NOWAIT:
        return f"the database looks down and a NOWAIT acquire does not wait for the next attempt, due in {due}"
    if options.getmode == oracledb.PoolGetMode.TIMEDWAIT:
        budget = f"wait_timeout={options.wait_timeout} ms ends"
    else:
        budget = "wait ends"
    return f"the database looks down and the next attempt is due in {due}, after this acquire's {budget}"
