"""Server-side cursors: what a cursor id stands for between calls.

The client parses a statement once and then refers to it by cursor id:
re-executes send neither the SQL nor the bind metadata, fetches send only the
id, and the statement cache keeps ids open across Python cursor objects
until a close-cursors piggyback releases them. So each id keeps its SQL, its
bind metadata, whether it is PL/SQL, and the open result of its last execute
with the column encoders for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ._lobs import bound_lob, column_pieces, long_bind
from ._out_values import ValueWriter, value_writer, write_out_bind
from ._refs import REF_CURSOR, RefOpener, write_ref_cursor
from ._reserved import refuse_reserved_binds
from .wire.codec import Writer
from .wire.lob import LOB_TYPES, LobStore, bind_data, lob_data, write_locator
from .wire.oraerror import WireError
from .wire.requests import BindSpec, plain_binds
from .wire.responses import (
    MSG_ROW_DATA,
    ColumnMeta,
    describe_info,
    io_vector,
    row_header,
)
from .sql.lobs import BinaryDouble
from .wire.types import BINARY_DOUBLE, Encoder, column_format, decode_bind

if TYPE_CHECKING:
    from .sql import Result

__all__ = ["Cursor", "CursorTable", "refuse_reserved_binds"]

Row = Sequence[Any]
_NO_DATA_FOUND = 1403
_LAST = 0x08  # TNS fetch orientation LAST
_CHUNK = 1000
_MAX_CURSORS = 0xFFFF
_DIRECTIONS = {"IN": 32, "OUT": 16, "IN OUT": 48}
_DECODED_APART = frozenset((*LOB_TYPES, BINARY_DOUBLE))  # bind types whose bytes are not decode_bind's alone
class Cursor:
    """One open cursor id."""

    __slots__ = ("id", "sql", "binds", "plsql", "query", "result", "_metas", "_encoders",
                 "rows_sent", "defines", "lobs", "_columns", "scrolled", "refs", "children", "_plain",
                 "_checked", "_plain_binds")

    def __init__(self, cursor_id: int, sql: str, lobs: LobStore, refs: RefOpener) -> None:
        self.id = cursor_id
        self.sql = sql
        self.binds: list[BindSpec] = []
        self.plsql = False
        self.query = False
        self.result: Result | None = None
        self._metas: list[ColumnMeta] = []
        self._encoders: list[Encoder] = []
        self._plain = True  # no LOB, LONG nor CURSOR column: a row is its values' B strings
        self._columns: object = None  # the column list _metas were made for
        self.rows_sent = 0
        self.defines: list[int] | None = None  # the wire types the client defined, by column
        self.lobs = lobs
        self.scrolled: list[Row] | None = None  # a scrollable cursor's rows, all of them
        self.refs = refs  # where a REF CURSOR bind's cursor is opened
        self.children: list[int] = []  # the nested cursors of its rows: closed with it, as in Oracle
        self._checked: list[BindSpec] | None = None  # the binds _plain_binds tells of
        self._plain_binds = False

    def params(self, rows: list[list[object]]) -> list[list[object]]:
        """Decode raw bind rows with this cursor's bind metadata.

        RETURNING targets are left out; a PL/SQL block's OUT binds, whose
        values a re-execute does not send, are None.
        """
        return [[self._decode(spec, value) for spec, value in zip(self.binds, row)
                 if self.plsql or not spec.returned] for row in rows]

    def _decode(self, spec: BindSpec, value: object) -> object:
        if value is None or type(value) is bytes and spec.ora_type not in _DECODED_APART:
            return decode_bind(spec.ora_type, spec.csfrm, value)  # most binds (None: NULL)
        if isinstance(value, list):
            return [self._decode(spec, item) for item in value]
        if isinstance(value, bytearray):  # a long value, read in place (MessageReader.b)
            return long_bind(spec.ora_type, spec.csfrm, value)
        assert isinstance(value, bytes)
        if spec.ora_type in LOB_TYPES:
            return bound_lob(bind_data(self.lobs.get(value)))
        decoded = decode_bind(spec.ora_type, spec.csfrm, value)  # BINARY_DOUBLE: so that ``select :1`` describes as one
        return BinaryDouble(decoded) if spec.ora_type == BINARY_DOUBLE and isinstance(decoded, float) else decoded

    def replayable(self) -> bool:
        """Whether a re-execute may take the short way (``CallRunner._replay``).

        A query whose last result had plain columns (no LOB, LONG nor CURSOR
        column) and whose binds are plain (``plain_binds``, and none a
        BINARY_DOUBLE, which ``_decode`` marks as one).
        """
        if self.binds is not self._checked:
            self._checked, self._plain_binds = self.binds, plain_binds(self.binds) and not any(
                spec.ora_type in _DECODED_APART for spec in self.binds)
        return (self.query and self._plain_binds and self._plain and self._columns is not None
                and not self.plsql and self.scrolled is None)

    def needs_define(self) -> bool:
        """True while the open result has LOB columns the client has not defined yet.

        The client re-sends such a query with its defines before it fetches
        (and would read rows sent before that with the wrong types), so the
        first execute sends no rows.
        """
        return self.defines is None and not self._plain and any(m.ora_type in LOB_TYPES for m in self._metas)

    def returning(self) -> list[ValueWriter]:
        """The writers of the RETURNING INTO targets' values, in bind order.

        Raises:
            WireError: ORA-03115 for a target type the server cannot send.
        """
        return [value_writer(spec, self.lobs, truncate=True) for spec in self.binds if spec.returned]

    @staticmethod
    def write_returned(w: Writer, writers: list[ValueWriter], returned: Sequence[Sequence[Row]]) -> None:
        """Write what RETURNING INTO returned: one ROW_DATA per execution.

        Each target gets the number of rows changed, then its value for each
        with its "actual length": zero, or the length of a value cut to the
        target's buffer (the client then raises DPY-4002, as against Oracle).
        """
        for rows in returned:
            w.u8(MSG_ROW_DATA)
            for column, write in enumerate(writers):
                w.ub(len(rows))
                for row in rows:
                    w.ub(write(w, row[column]))

    def write_out_binds(self, w: Writer, binds: Sequence[tuple[str, object]],
                        later: Sequence[Sequence[tuple[str, object]]] = ()) -> None:
        """Write a PL/SQL block's bind directions, then its OUT and IN OUT values.

        The OUT binds are marked as never sent, as the client leaves them out
        of its re-executes from now on. ``later`` are the binds of the next
        executions of an ``executemany()``: one more row of values each.

        Raises:
            WireError: ORA-03115 for an OUT bind of a type the server cannot
                send, ORA-06502 for a value longer than its bind's buffer.
        """
        io_vector(w, [_DIRECTIONS[direction] for direction, _ in binds])
        self.binds = [replace(spec, returned=direction == "OUT")
                      for spec, (direction, _) in zip(self.binds, binds)]
        outs = [(spec, value) for spec, (direction, value) in zip(self.binds, binds)
                if direction != "IN"]
        for row in (binds, *later) if outs else ():
            w.u8(MSG_ROW_DATA)
            for spec, (direction, value) in zip(self.binds, row):
                if direction != "IN":
                    write_out_bind(w, spec, value, self.lobs, self.refs)

    def open_result(self, result: Result) -> bool:
        """Hold a query's result and prepare its encoders; True if the columns changed.

        The backend gives a re-executed statement the very same column list
        while its columns stay the same: then the encoders stay too.
        """
        self.result = result
        self.rows_sent = 0
        if self.children:  # a re-execute closes the nested cursors of the last one
            self.refs.close(self.children)
            self.children = []
        if result.columns is not None and result.columns is self._columns:
            return False
        formats = [column_format(column) for column in result.columns or ()]
        metas = [meta for meta, _ in formats]
        changed = metas != self._metas
        self._metas = metas
        self._encoders = [encoder for _, encoder in formats]
        self._plain = not any(m.ora_type in (*LOB_TYPES, *_LONG_TYPES, REF_CURSOR) for m in metas)
        self._columns = result.columns
        return changed

    def describe(self, w: Writer) -> None:
        """Write the describe info of the open result."""
        describe_info(w, self._metas)

    def fetch(self, w: Writer, count: int) -> int:
        """Write up to ``count`` rows; returns 1403 once the rows run out.

        As Oracle does, the end is reported only by a batch that comes back
        short (possibly empty), even when the result already knows that the
        last row went out: clients count on those round trips.

        Raises:
            WireError: ORA-01002 without an open result, or a value the
                column type cannot encode.
        """
        result = self.result
        if result is None:
            raise WireError(1002)
        rows = result.fetch(count) if count > 0 else []
        if rows:
            row_header(w)
            for row in rows:
                self._write_row(w, row)
        self.rows_sent += len(rows)
        if len(rows) < count:
            self.result = None
            return _NO_DATA_FOUND
        return 0

    def scroll(self, w: Writer, orientation: int, position: int, count: int) -> tuple[int, int]:
        """Write up to ``count`` rows of a scrollable cursor from row ``position`` (1-based).

        The open result is read whole the first time, since the client may
        go back to any row. LAST (orientation 0x08) starts at the last row.
        Returns (error, rowcount): 1403 when fewer than ``count`` rows were
        left, and the number of the last row sent (the client's position).

        Raises:
            WireError: ORA-01002 when the cursor has no open result.
        """
        if self.scrolled is None:
            if self.result is None:
                raise WireError(1002)
            rows: list[Row] = []
            while len(chunk := self.result.fetch(_CHUNK)) == _CHUNK or chunk:
                rows += chunk
                if len(chunk) < _CHUNK:
                    break
            self.scrolled, self.result = rows, None
        rows = self.scrolled
        start = max(len(rows), 1) if orientation == _LAST else position
        sent = rows[start - 1:start - 1 + count] if count > 0 and start > 0 else []
        start = max(start, 1)
        if sent:
            row_header(w)
            for row in sent:
                self._write_row(w, row)
        self.rows_sent = start - 1 + len(sent)
        return (_NO_DATA_FOUND if len(sent) < count else 0), self.rows_sent

    def _write_row(self, w: Writer, row: Sequence[Any]) -> None:
        w.buf.append(MSG_ROW_DATA)
        if self._plain:
            w.b_encoded(row, self._encoders)
            return
        defines = self.defines or ()
        for index, (value, encoder, meta) in enumerate(zip(row, self._encoders, self._metas)):
            if meta.ora_type in LOB_TYPES:
                defined = defines[index] if index < len(defines) else meta.ora_type
                self._write_lob(w, meta, defined, value, self._origin(meta, row))
                continue
            if meta.ora_type == REF_CURSOR:  # a CURSOR expression's value: describe and cursor id
                self.children.append(write_ref_cursor(w, self.refs, value))
                continue
            w.b(None if value is None else encoder(value))
            if meta.ora_type in _LONG_TYPES:
                w.raw(b"\x00\x00")  # indicator, return code

    def _origin(self, meta: ColumnMeta, row: Sequence[Any]) -> tuple[str, str, int] | None:
        """Where a LOB value lives: (table, column, rowid) for a row read FOR UPDATE."""
        origin = None if self.result is None else self.result.lob_origin
        if origin is None or meta.name.upper() not in origin[1] or len(row) <= len(self._metas):
            return None
        return origin[0], meta.name, int(row[-1])

    def _write_lob(self, w: Writer, meta: ColumnMeta, defined: int, value: object,
                   origin: tuple[str, str, int] | None) -> None:
        """A LOB column: its locator, or its data when defined as LONG / LONG RAW."""
        data = None if value is None else lob_data(meta.ora_type, value)
        if defined in _LONG_TYPES:
            if data:  # encoded a slice at a time into the reply
                w.b_pieces(column_pieces(self.lobs, meta.ora_type, meta.csfrm, data))
            else:
                w.b(None)
            w.raw(b"\x00\x00")
        elif data is None:
            w.ub(0)
        else:
            write_locator(w, self.lobs, meta.ora_type, meta.csfrm, data, origin)


_LONG_TYPES = (8, 24)  # LONG, LONG RAW: the value is followed by two more fields


class CursorTable:
    """The open cursors of one session, by id (ids are reused once closed)."""

    __slots__ = ("_cursors", "_next_id", "_free", "lobs")

    def __init__(self, lobs: LobStore) -> None:
        self.lobs = lobs
        self._cursors: dict[int, Cursor] = {}
        self._next_id = 1
        self._free: list[int] = []

    def __len__(self) -> int:
        return len(self._cursors)

    def parse(self, cursor_id: int, sql: str | None) -> Cursor:
        """The cursor for an EXECUTE: an open one (re-parsed if SQL is sent) or a new one.

        Raises:
            WireError: ORA-01001 for an unknown id without SQL; ORA-01000
                when every id is in use.
        """
        cursor = self._cursors.get(cursor_id) if cursor_id else None
        if cursor is not None:
            if sql is not None:
                cursor.sql, cursor.defines = sql, None
            return cursor
        if sql is None:
            raise WireError(1001)
        cursor = Cursor(self._allocate(), sql, self.lobs, self)
        self._cursors[cursor.id] = cursor
        return cursor

    def open_ref(self, sql: str, result: Result) -> tuple[int, Sequence[ColumnMeta]]:
        """A new cursor on a REF CURSOR's open result; its id and columns.

        Raises:
            WireError: ORA-01000 when every id is in use.
        """
        cursor = Cursor(self._allocate(), sql, self.lobs, self)
        cursor.query = True
        cursor.open_result(result)
        self._cursors[cursor.id] = cursor
        return cursor.id, cursor._metas

    def sql(self, cursor_id: int) -> str | None:
        """The SQL of an open cursor; None when no such cursor is open."""
        cursor = self._cursors.get(cursor_id)
        return None if cursor is None else cursor.sql

    def get(self, cursor_id: int) -> Cursor:
        """The open cursor with this id.

        Raises:
            WireError: ORA-01001 when no such cursor is open.
        """
        cursor = self._cursors.get(cursor_id)
        if cursor is None:
            raise WireError(1001)
        return cursor

    def close(self, cursor_ids: Sequence[int]) -> None:
        """Close cursors by id; unknown ids are ignored."""
        for cursor_id in cursor_ids:
            if (cursor := self._cursors.pop(cursor_id, None)) is not None:
                self._free.append(cursor_id)
                self.close(cursor.children)

    def _allocate(self) -> int:
        if self._free:
            return self._free.pop()
        if self._next_id > _MAX_CURSORS:
            raise WireError(1000)
        self._next_id += 1
        return self._next_id - 1
