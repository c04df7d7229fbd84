"""What an explicit pool's acquire raises when it cannot hand out a session:
the pool is closed, exhausted, or no session could be opened: then why, in
the message itself (not only in ``__cause__``), which case it is, and when
the next attempt is due."""

from __future__ import annotations

import oracledb

from .._errors import DatabaseUnavailableError, PoolClosedError, PoolExhaustedError
from ._core import Failure, Outage, Refusal, Why
from ._options import PoolOptions
from ._physical import first_line, is_refused

__all__ = ["pool_error", "why_not_opened"]


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
    return DatabaseUnavailableError(
        f"pool {name!r} could not open a session after waiting {waited:.2f} s ({sizes}):"
        f" {why_not_opened(error)}{_case(reason, options)}", name, error
    )


def why_not_opened(reason: BaseException) -> str:
    """Why an open failed, in words: the connector's one-line explanation of
    who could not log on where, and why (``_physical.explained``), with a
    refused logon said as such."""
    if is_refused(reason):
        return f"the database refused the logon: {first_line(reason)}"
    return first_line(reason)


def _case(outage: Outage, options: PoolOptions) -> str:
    """Which case a failed acquire is, and when the next attempt is due."""
    if outage.why is Why.REFUSED:
        return " (the next acquire tries again)"
    if outage.retry_in is None:
        return "; the database looks down: its last attempt failed and the next is under way"
    due = f"{outage.retry_in:.2f} s"
    if outage.why is Why.NOWAIT:
        return f"; the database looks down and a NOWAIT acquire does not wait for the next attempt, due in {due}"
    if options.getmode == oracledb.PoolGetMode.TIMEDWAIT:
        budget = f"wait_timeout={options.wait_timeout} ms ends"
        return f"; the database looks down and the next attempt is due in {due}, after this acquire's {budget}"
    return f"; the database looks down: the attempt this acquire waited for failed, the next is due in {due}"
