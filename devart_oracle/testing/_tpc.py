"""The two-phase commit calls (TTC functions 103 and 104) of a session.

The wire side (``wire.tpc``) reads the call and writes the reply; the work
is the SQL session's branch link (``sql.tpc``), run as one busy call inside
the session's call gate. A failure propagates to the session's request loop,
which answers it with the end of call carrying the ORA error, as for any
other function.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, TypeVar

from .sql.errors import OracleError
from .wire.responses import end_of_call
from .wire.tpc import (
    FUNC_TPC_SWITCH,
    TPC_ABORT,
    TPC_COMMIT,
    TPC_DETACH,
    TPC_FORGET,
    TPC_PREPARE,
    TPC_START,
    TpcCall,
    read_change_state,
    read_switch,
    state_reply,
    switch_reply,
)

if TYPE_CHECKING:
    from .sql import SqlSession
    from .sql.tpc import BranchLink
    from .wire.codec import Writer
    from .wire.reader import MessageReader

__all__ = ["TpcSession", "run_tpc"]

T = TypeVar("T")

_ONE_PHASE = 4  # the state a one-phase commit asks for (READ_ONLY); two phases ask for COMMITTED
_UNKNOWN_OPERATION = 600


class TpcSession(Protocol):
    """What the TPC calls need from the session that received them."""

    @property
    def reader(self) -> MessageReader: ...

    @property
    def sql(self) -> SqlSession | None: ...

    def busy(self, call: Callable[[], T]) -> T: ...

    def call_status(self) -> int: ...


def run_tpc(session: TpcSession, function: int, w: Writer) -> bool:
    """Handle function 103 or 104 (the caller checked which); always answers.

    Raises:
        OracleError: the branch operation's error (the session loop sends it).
    """
    sql = session.sql
    assert sql is not None
    if function == FUNC_TPC_SWITCH:
        call = read_switch(session.reader)
        context = session.busy(lambda: sql.tpc(lambda link: _switch(link, call)))
        switch_reply(w, context)
    else:
        call = read_change_state(session.reader)
        state = session.busy(lambda: sql.tpc(lambda link: _change_state(link, call)))
        state_reply(w, state)
    end_of_call(w, session.call_status())
    return True


def _switch(link: BranchLink, call: TpcCall) -> bytes:
    """START (begin, resume, join, promote): the new context; DETACH: none."""
    if call.operation == TPC_START:
        if call.xid is None:
            raise OracleError(24756)
        return link.begin(call.xid, call.flags)
    if call.operation == TPC_DETACH:
        link.end(call.xid)
        return b""
    raise OracleError(_UNKNOWN_OPERATION, f"unknown TPC switch operation {call.operation}")


def _change_state(link: BranchLink, call: TpcCall) -> int:
    """PREPARE, COMMIT, ABORT or FORGET: the state the branch is in now."""
    xid, context = call.xid, call.context
    if call.operation == TPC_PREPARE:
        return link.prepare(xid, context)
    if call.operation == TPC_COMMIT:
        return link.commit(xid, context, one_phase=call.state == _ONE_PHASE)
    if call.operation == TPC_ABORT:
        return link.rollback(xid, context)
    if call.operation == TPC_FORGET:
        return link.forget(xid, context)
    raise OracleError(_UNKNOWN_OPERATION, f"unknown TPC change of state {call.operation}")
