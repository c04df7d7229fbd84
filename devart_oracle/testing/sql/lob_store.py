"""LOB values stored out of row, by chunk.

A CLOB, NCLOB or BLOB value longer than ``INLINE`` characters (bytes) is
not put in its row: its chunks go into the database's ``DEVART$LOB_CHUNKS``
table, ``CHUNK`` characters (bytes) each, keyed by a *reference*, a
20-byte blob that the row holds instead of the value (the ``MAGIC`` prefix,
``C`` or ``B`` for the kind, 8 random bytes). So moving a 10 MB LOB in or
out never puts the whole value through SQLite's bind, record or result
buffers: a bind is written a chunk at a time, a fetch hands out the
reference (``LobRef``), a read takes the chunks it covers.

References are immutable: nothing writes into a stored value, a changed
value is stored anew. Two rows may share one (``INSERT ... SELECT``); the
chunks of references no row holds any more are deleted at the commit of a
transaction that could have dropped one (``LobChunks.end``).
Only a bind stored as a LOB column's value becomes a reference
(``lob_targets``); every other bind is its whole value. Statements that use
a LOB column in an expression get it through ``DEVART_LOB(x)``, which gives
the whole value (see ``lob_rows.deref``): LOB functions may materialise, a
plain round trip does not.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from .errors import OracleError
from .lob_refs import CHUNK, INLINE, MAGIC, LargeLob, LobRef, is_ref, new_ref
from .lob_rows import check_comparisons, deref

if TYPE_CHECKING:
    from .backend import SqliteConnection
    from .gate import CallGate
    from .rewrite import Plan

__all__ = ["LOB_BINDS", "SCHEMA", "LobChunks"]

TABLE = '"DEVART$LOB_CHUNKS"'
_INSERT = f"INSERT INTO {TABLE} VALUES (?, ?, ?)"
SCHEMA = f"CREATE TABLE IF NOT EXISTS {TABLE} (REF BLOB, N INTEGER, DATA, PRIMARY KEY (REF, N)) WITHOUT ROWID;"
_NO_VALUE = 22922  # ORA-22922: nonexistent LOB value

LOB_BINDS = (LargeLob, LobRef)  # the bind values ``LobChunks.bind`` takes
_WHOLE = frozenset((int, float, str, bytes, type(None)))  # bind values that are their own value


class LobChunks:
    """One session's access to the stored chunks, on its SQLite connection.

    Reads take the session's call gate, as statements do, since the wire
    layer reads a LOB between calls.
    """

    def __init__(self, link: SqliteConnection, gate: CallGate, journaled: Callable[[], bool]) -> None:
        self._link, self._gate = link, gate
        self._journaled = journaled  # whether stored chunks go into the transaction's journal
        self.touched = False  # the transaction may have left chunks no row holds

    # ------------------------------------------------------------ storing

    def store(self, data: str | bytes | LargeLob) -> bytes:
        """Store a value's chunks; returns its reference (in the open transaction)."""
        value = data if isinstance(data, LargeLob) else LargeLob(data)
        ref = new_ref(value.blob)
        chunks: Iterator[tuple[bytes, int, str | bytes | bytearray]] = (
            (ref, n, chunk) for n, chunk in enumerate(value.chunks()))
        if self._journaled():  # a TPC branch's work, set aside and applied again from its journal (``tpc``)
            chunks = self._noted(chunks)
        self._link.run(lambda: self._link.conn.executemany(_INSERT, chunks))
        self.touched = True
        return ref

    def binds(self, params: Sequence[object], into: frozenset[int], encode: Callable[[object], object],
              ) -> list[object]:
        """A statement's bind values for SQLite (``encode``), long LOB values stored.

        ``into`` are the indexes of the binds stored as a LOB column's value
        (``lob_targets.lob_binds``): a LOB bind, or a string or bytes longer than
        ``INLINE`` (python-oracledb sends a ``DB_TYPE_CLOB`` str as a long VARCHAR),
        becomes a reference there. Every other bind is its whole value.
        """
        if not into:  # most statements: no bind is a LOB column's value
            return [encode(value) if type(value) in _WHOLE else self._value(value, encode) for value in params]
        return [self._into_lob(value) if i in into and (isinstance(value, LOB_BINDS) or type(value) in (str, bytes))
                else self._value(value, encode) for i, value in enumerate(params)]

    def _into_lob(self, value: object) -> object:
        """A LOB column's value for a bind: a long one stored (a reference is shared)."""
        if isinstance(value, LobRef):
            return value.ref
        return self.store(value) if isinstance(value, LargeLob) else self.column_value(value)  # type: ignore[arg-type]

    def _value(self, value: object, encode: Callable[[object], object]) -> object:
        """A bind's whole value (a stored LOB's read, a long bind's decoded)."""
        if isinstance(value, LobRef):
            return self.value(value.ref)
        return encode(value.value if isinstance(value, LargeLob) else value)

    def _noted(self, chunks: Iterator[tuple[bytes, int, str | bytes | bytearray]],
               ) -> Iterator[tuple[bytes, int, str | bytes | bytearray]]:
        """The chunks, each added to the journal as it is stored (which keeps the whole value)."""
        for row in chunks:
            self._link.note(_INSERT, (row[0], row[1], bytes(row[2]) if isinstance(row[2], bytearray) else row[2]),
                            verb="INSERT", table=TABLE)
            yield row

    def column_value(self, data: str | bytes) -> object:
        """What a row holds for a LOB value: the value, or the reference of its chunks."""
        return self.store(data) if len(data) > INLINE or is_ref(data) else data

    def plan(self, plan: Plan, lobs: frozenset[str], verb: str = "SELECT") -> Plan:
        """A statement's plan with its LOB operands read whole (``deref``), once stored values exist.

        Raises:
            OracleError: ORA-00932 for a LOB column compared (``check_comparisons``).
        """
        check_comparisons(plan.sql, lobs)
        self.touched = self.touched or bool(lobs) and verb not in ("SELECT", "INSERT")
        if lobs and self.any():
            return deref(plan, lobs)
        return plan

    @staticmethod
    def unwrap(params: Sequence[object]) -> list[object]:
        """Binds with large LOBs as their values (for PL/SQL, which reads them whole)."""
        return [value.value if isinstance(value, LargeLob) else value for value in params]

    # ------------------------------------------------------------ reading

    def length(self, ref: bytes) -> int:
        """Characters (bytes) of a stored value.

        Raises:
            OracleError: ORA-22922 when no chunk is left (its rows are gone).
        """
        with self._gate.call():
            row = self._link.conn.execute(f"SELECT N, DATA FROM {TABLE} WHERE REF = ? "  # SQLite's LENGTH
                                          "ORDER BY N DESC LIMIT 1", (ref,)).fetchone()  # stops at a NUL
        if row is None:
            raise OracleError(_NO_VALUE)
        return int(row[0]) * CHUNK + len(row[1])

    def pieces(self, ref: bytes, start: int, count: int) -> Iterator[str | bytes]:
        """``value[start:start + count]`` a chunk at a time (0-based)."""
        end = start + count
        for n in range(start // CHUNK, (end + CHUNK - 1) // CHUNK):
            with self._gate.call():
                row = self._link.conn.execute(f"SELECT DATA FROM {TABLE} WHERE REF = ? AND N = ?",
                                              (ref, n)).fetchone()
            if row is None:
                return
            data = row[0]
            yield data[max(start - n * CHUNK, 0):end - n * CHUNK]

    def value(self, ref: bytes) -> str | bytes:
        """A stored value whole (for a LOB function, or a write through a locator)."""
        pieces = list(self.pieces(ref, 0, self.length(ref)))
        return b"".join(pieces) if LobRef(ref).blob else "".join(pieces)  # type: ignore[arg-type]

    def whole(self, value: Any) -> Any:
        """SQL's ``DEVART_LOB(value)``: a stored LOB's whole value, any other value as it is."""
        return self.value(value) if is_ref(value) else value

    def any(self) -> bool:
        """Whether the database holds any stored value (else no statement needs ``deref``)."""
        return self._link.conn.execute(f"SELECT 1 FROM {TABLE} LIMIT 1").fetchone() is not None

    # ----------------------------------------------------- collecting

    def end(self, verb: str) -> None:
        """End the transaction (COMMIT or ROLLBACK); before a COMMIT, delete the chunks no row holds."""
        if verb == "COMMIT" and self.touched and self._link.in_transaction:
            self._link.run(self._sweep)
        self.touched = False
        self._link.end(verb)

    def _sweep(self) -> None:
        conn = self._link.conn
        stored = {ref for (ref,) in conn.execute(f"SELECT DISTINCT REF FROM {TABLE}")}
        if stored:
            stored -= self._held(conn)
        conn.executemany(f"DELETE FROM {TABLE} WHERE REF = ?", ((ref,) for ref in stored))

    @staticmethod
    def _held(conn: sqlite3.Connection) -> set[bytes]:
        """The references rows hold, in any column of any table (``CREATE TABLE AS`` copies them).

        Only SQLite's own operators here: the session's LIKE and SUBSTR are Oracle's.
        """
        columns = conn.execute("SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p "
                               "WHERE m.type = 'table' AND m.name NOT GLOB 'sqlite_*' "
                               "AND upper(m.name) NOT GLOB 'DEVART$*'").fetchall()
        held: set[bytes] = set()
        bounds = (MAGIC, MAGIC[:-1] + bytes([MAGIC[-1] + 1]))
        for table, column in columns:
            name = '"{}"'.format(column.replace('"', '""'))
            quoted = '"{}"'.format(table.replace('"', '""'))
            held.update(ref for (ref,) in conn.execute(
                f"SELECT {name} FROM {quoted} WHERE typeof({name}) = 'blob' AND {name} >= ? AND {name} < ?",
                bounds) if is_ref(ref))
        return held
