"""REF CURSOR values on the wire: a cursor a PL/SQL block opened, handed to the client.

As an OUT bind, or as an implicit result (DBMS_SQL.RETURN_RESULT).

A cursor OUT bind (type 102) carries a length byte, the describe of the
cursor's columns (as DESCRIBE_INFO has it) and the id of a cursor the server
opened for it; the client then fetches from that id as from any query. A
cursor the block left unopened is sent with no columns and id 0.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

from .sql.ref_cursors import RefCursor
from .wire.codec import Writer
from .wire.oraerror import WireError
from .wire.responses import ColumnMeta, describe_body

if TYPE_CHECKING:
    from .sql import Result

__all__ = ["REF_CURSOR", "RefOpener", "ref_writer", "write_implicit_results", "write_ref_cursor"]

REF_CURSOR = 102
MSG_IMPLICIT_RESULTSET = 27


class RefOpener(Protocol):
    """The session's cursor table, as a REF CURSOR value needs it."""

    def open_ref(self, sql: str, result: Result) -> tuple[int, Sequence[ColumnMeta]]:
        """Open a cursor id on a query's result; the id and the result's columns."""
        ...

    def close(self, cursor_ids: Sequence[int]) -> None:
        """Close cursors by id (the nested cursors of a parent that closes or re-executes)."""
        ...


def write_ref_cursor(w: Writer, cursors: RefOpener, value: object) -> int:
    """One REF CURSOR value: its length byte, its columns' describe and its cursor id (returned).

    Raises:
        WireError: ORA-03115 for a value that is not a cursor (a block that
            assigned something else to the bind).
    """
    metas: Sequence[ColumnMeta] = ()
    if value is None:
        cursor_id = 0
    elif isinstance(value, RefCursor):
        cursor_id, metas = cursors.open_ref(value.sql, value.result)
    else:
        raise WireError(3115, "a cursor bind was given a value that is not a cursor")
    w.u8(1)
    describe_body(w, metas)
    w.ub(cursor_id)
    return cursor_id


def ref_writer(cursors: RefOpener) -> Callable[[Writer, object], int]:
    """How a REF CURSOR OUT bind's value goes on the wire; the writer returns its "actual length", 0."""
    def write(w: Writer, value: object) -> int:
        write_ref_cursor(w, cursors, value)
        return 0
    return write


def write_implicit_results(w: Writer, cursors: RefOpener, returned: Sequence[object]) -> None:
    """IMPLICIT_RESULTSET: the cursors a block returned with DBMS_SQL.RETURN_RESULT, in order.

    Each is sent as a REF CURSOR value is, after an empty statement key.
    """
    w.u8(MSG_IMPLICIT_RESULTSET)
    w.ub(len(returned))
    for value in returned:
        assert isinstance(value, RefCursor)
        cursor_id, metas = cursors.open_ref(value.sql, value.result)
        w.u8(0)
        describe_body(w, metas)
        w.ub(cursor_id)
