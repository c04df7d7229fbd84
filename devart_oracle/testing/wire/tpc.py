"""TTC functions 103 and 104: two-phase commit's switch and change of state.

Function 103 (TPC_TXN_SWITCH) begins, resumes, joins or promotes a branch
(operation START) or detaches it (DETACH); function 104 (TPC_TXN_CHANGE_STATE)
prepares, commits, rolls back or forgets one. Both carry the xid as its format
id, the lengths of its two parts and one 128-byte field holding the global
transaction id and then the branch qualifier, and the transaction context
the server gave at START, which the client sends back. After the fixed
fields (universal integers, pointers as single bytes) come, in order, the
context, the xid field, and for function 103 the application value and the
session's internal and external names.

The reply is a PARAMETER message, then the end of the call: for 103 the
application value and the context (a ub2 length, then its bytes), for 104
the state the branch is in now.
"""

from __future__ import annotations

from dataclasses import dataclass

from .codec import Writer
from .reader import MessageReader
from .responses import MSG_PARAMETER

__all__ = ["FUNC_TPC_CHANGE_STATE", "FUNC_TPC_SWITCH", "TPC_ABORT", "TPC_COMMIT", "TPC_DETACH",
           "TPC_FORGET", "TPC_PREPARE", "TPC_START", "TpcCall", "read_change_state",
           "read_switch", "state_reply", "switch_reply"]

FUNC_TPC_SWITCH, FUNC_TPC_CHANGE_STATE = 103, 104
TPC_START, TPC_DETACH = 0x1, 0x2  # function 103's operations
TPC_COMMIT, TPC_ABORT, TPC_PREPARE, TPC_FORGET = 0x1, 0x2, 0x3, 0x4  # function 104's


@dataclass(frozen=True)
class TpcCall:
    """One TPC call: its operation, xid (None if not sent) and context (None if not sent).

    ``flags`` are tpc_begin's (103) or 0; ``state`` is the state a commit asks
    for (READ_ONLY for one phase, COMMITTED for two), 0 for 103.
    """

    operation: int
    xid: tuple[int, bytes, bytes] | None
    context: bytes | None
    flags: int = 0
    timeout: int = 0
    state: int = 0


@dataclass(frozen=True)
class _Head:
    """The fields both functions begin with."""

    operation: int
    context_length: int | None  # None: no context pointer
    format_id: int
    lengths: tuple[int, int]  # of the global transaction id and of the branch qualifier
    xid_length: int | None  # None: no xid pointer


def _head(r: MessageReader) -> _Head:
    operation = r.ub(4)
    has_context, context_length = r.u8(), r.ub(4)
    format_id, global_length, branch_length = r.ub(4), r.ub(4), r.ub(4)
    has_xid, xid_length = r.u8(), r.ub(4)
    return _Head(operation, context_length if has_context else None, format_id,
                 (global_length, branch_length), xid_length if has_xid else None)


def _tail(r: MessageReader, head: _Head) -> tuple[bytes | None, tuple[int, bytes, bytes] | None]:
    """The context and the xid, which follow the fixed fields."""
    context = None if head.context_length is None else bytes(r.raw(head.context_length))
    if head.xid_length is None:
        return context, None
    data = bytes(r.raw(head.xid_length))
    global_length, branch_length = head.lengths
    return context, (head.format_id, data[:global_length],
                     data[global_length:global_length + branch_length])


def read_switch(r: MessageReader) -> TpcCall:
    """Function 103's body (after the function code and sequence number)."""
    head = _head(r)
    flags, timeout = r.ub(4), r.ub(4)
    r.raw(3)  # pointers: application value, returned context, its length
    names = []
    for _ in range(2):  # internal and external name: pointer, length
        present, length = r.u8(), r.ub(4)
        names.append(length if present else 0)
    context, xid = _tail(r, head)
    r.ub(4)  # application value
    for length in names:
        r.raw(length)
    return TpcCall(head.operation, xid, context, flags=flags, timeout=timeout)


def read_change_state(r: MessageReader) -> TpcCall:
    """Function 104's body (after the function code and sequence number)."""
    head = _head(r)
    r.ub(4)  # timeout (unused)
    state = r.ub(4)
    r.u8()  # pointer: returned state
    flags = r.ub(4)
    context, xid = _tail(r, head)
    return TpcCall(head.operation, xid, context, flags=flags, state=state)


def switch_reply(w: Writer, context: bytes) -> None:
    """PARAMETER for function 103: application value 0 and the transaction context."""
    w.u8(MSG_PARAMETER)
    w.ub(0)
    w.ub(len(context))
    w.raw(context)


def state_reply(w: Writer, state: int) -> None:
    """PARAMETER for function 104: the branch's state now."""
    w.u8(MSG_PARAMETER)
    w.ub(state)
