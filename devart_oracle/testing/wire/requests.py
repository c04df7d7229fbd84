"""Parsers for the TTC requests the client sends, at TTC field version 12.

A request is ``[piggyback]* function``: piggybacks (message type 17) carry
state changes (cursors to close, end-to-end attributes, ...) ahead of the
function call (message type 3) they ride on. Neither is length-framed, so
each parser consumes exactly the fields the client writes; one field too many
or too few and the rest of the stream is garbage. The layouts follow
python-oracledb's thin client for a server that advertised field version 12
(so: no token numbers after function codes, ``oaccolid`` present); an older
client's field version drops the 12.2 fields (see ``dialect``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from .lob import LOB_TYPES
from .reader import MessageReader, ProtocolError
from .responses import MSG_ROW_DATA

__all__ = [
    "AuthCall",
    "BindSpec",
    "ExecuteCall",
    "FetchCall",
    "ReexecuteCall",
    "plain_binds",
    "read_auth",
    "read_bind_rows",
    "read_data_types",
    "read_execute",
    "read_fetch",
    "read_plain_row",
    "read_protocol",
    "read_reexecute",
    "read_session_release",
]

EXEC_DEFINE = 0x10
EXEC_EXECUTE = 0x20
EXEC_FETCH = 0x40
EXEC_COMMIT = 0x100
EXEC_NOT_PLSQL = 0x8000
EXEC_DESCRIBE = 0x20000
EXEC_BATCH_ERRORS = 0x80000
EXEC_FLAGS_DML_ROWCOUNTS = 0x4000
EXEC_FLAGS_SCROLLABLE = 0x02
REEXEC_COMMIT = 0x01
MSG_ONEWAY_FUNCTION = 26  # a call the server does not answer
FUNC_SESSION_RELEASE = 163  # DRCP: give the pooled server back
RELEASE_DEAUTHENTICATE = 0x02  # a standalone connection's release: it closes next

_BIND_ARRAY = 0x40
_BOOLEAN = 252
_BOOLEAN_NULL = 253
_REF_CURSOR = 102
_MAX_STRING_SIZE = 4000
_READ_APART = frozenset((*LOB_TYPES, _REF_CURSOR, _BOOLEAN))  # the values that are no plain B string


@dataclass(frozen=True)
class BindSpec:
    """The metadata the client sends for one bind position."""

    ora_type: int
    flags: int
    buffer_size: int
    csfrm: int
    returned: bool = False  # a RETURNING ... INTO target: described, never sent

    @property
    def is_array(self) -> bool:
        return bool(self.flags & _BIND_ARRAY)


@dataclass
class ExecuteCall:
    """EXECUTE (function 94): parse, bind, execute and maybe fetch."""

    options: int
    cursor_id: int
    sql: str | None
    prefetch: int
    al8i4: list[int]
    binds: list[BindSpec] = field(default_factory=list)
    rows: list[list[object]] = field(default_factory=list)
    defines: list[BindSpec] = field(default_factory=list)  # the fetch types asked for

    @property
    def is_query(self) -> bool:
        return len(self.al8i4) > 7 and self.al8i4[7] != 0

    @property
    def is_plsql(self) -> bool:
        return not self.options & EXEC_NOT_PLSQL and self.options & EXEC_EXECUTE != 0

    @property
    def executions(self) -> int:
        if self.is_query:  # a scroll (no EXECUTE) sends the bind metadata, no values
            return 0 if self.exec_flags & EXEC_FLAGS_SCROLLABLE and not self.options & EXEC_EXECUTE else 1
        return max(1, self.al8i4[1] if len(self.al8i4) > 1 else 1)

    @property
    def exec_flags(self) -> int:
        return self.al8i4[9] if len(self.al8i4) > 9 else 0

    @property
    def fetch_at(self) -> tuple[int, int]:
        """A scrollable cursor's fetch orientation and row (1-based): al8i4[10] and [11]."""
        return (self.al8i4[10], self.al8i4[11]) if len(self.al8i4) > 11 else (0, 0)


@dataclass(slots=True)
class ReexecuteCall:
    """RE-EXECUTE (4) or RE-EXECUTE AND FETCH (78) of an open cursor (its bind rows follow)."""

    cursor_id: int
    iterations: int
    options1: int
    options2: int


@dataclass(frozen=True)
class FetchCall:
    """FETCH (5): the next batch of an open query."""

    cursor_id: int
    rows: int


@dataclass
class AuthCall:
    """AUTH phase one (118) or two (115)."""

    user: str | None
    mode: int
    pairs: dict[str, str]
    items: list[tuple[str, str]] = field(default_factory=list)  # every pair, repeats included

    @property
    def app_context(self) -> list[tuple[str, str, str]]:
        """The ``appcontext=`` entries of a logon: (namespace, attribute, value)."""
        def values(key: str) -> list[str]:
            return [value for name, value in self.items if name.rstrip("\x00") == key]
        return list(zip(values("AUTH_APPCTX_NSPACE"), values("AUTH_APPCTX_ATTR"),
                        values("AUTH_APPCTX_VALUE")))


def read_protocol(r: MessageReader) -> bytes:
    """Consume protocol negotiation (after its type byte); returns the driver."""
    r.u8()  # protocol version
    r.u8()  # array terminator
    return r.cstring()


def read_data_types(r: MessageReader) -> None:
    """Consume data-types negotiation (after its type byte)."""
    r.raw(5)  # charset, ncharset, encoding flags
    r.b()  # compile caps
    r.b()  # runtime caps
    r.skip_records(8)  # (type, conversion type, representation, 0) until type 0


def read_auth(r: MessageReader) -> AuthCall:
    """Read an AUTH call's body."""
    has_user = r.u8()
    r.ub(4)  # user length
    mode = r.ub(4)
    r.u8()
    count = r.ub(4)
    r.raw(2)
    user = None
    if has_user:
        raw = r.b()
        user = raw.decode("utf-8", "replace") if raw else None
    items: list[tuple[str, str]] = []
    for _ in range(count):
        key = r.text() or ""
        items.append((key, r.text() or ""))
        r.ub(4)
    return AuthCall(user, mode, dict(items), items)


def read_execute(r: MessageReader,
                 returning: Callable[[ExecuteCall], int] = lambda call: 0) -> ExecuteCall:
    """Read an EXECUTE call's body, binds included.

    Args:
        returning: how many of the call's last binds are RETURNING INTO
            targets, which the client describes but sends no values for;
            only the caller knows (the SQL may come from an earlier call).
    """
    options, cursor_id, has_sql = r.ub(4), r.ub(4), r.u8()
    r.ub(4)  # SQL length
    r.u8()
    al8i4_size = r.ub(4)
    r.raw(2)
    r.ub(4)  # prefetch buffer size
    prefetch = r.ub(4)
    r.ub(4)  # max long size
    r.u8()
    num_binds = r.ub(4)
    r.raw(5)
    r.u8()
    num_defines = r.ub(4)
    _skip_fields(r, "u", "b", "b", "b", "u", "b", "u", "u", "b", "u", "b")
    if r.dialect.has_sql_signature:
        _skip_fields(r, "b", "u", "b", "u", "b")  # SQL signature, SQL id
    if r.dialect.has_chunk_ids:
        _skip_fields(r, "b", "u")
    sql = None
    if has_sql:
        raw = r.b()
        sql = raw.decode("utf-8", "replace") if raw else ""
    al8i4 = [r.ub(4) for _ in range(al8i4_size)]
    call = ExecuteCall(options, cursor_id, sql, prefetch, al8i4)
    if num_defines:
        call.defines = [read_bind_spec(r) for _ in range(num_defines)]
    elif num_binds:
        _read_binds(r, call, num_binds, returning)
    return call


def _read_binds(r: MessageReader, call: ExecuteCall, count: int,
                returning: Callable[[ExecuteCall], int]) -> None:
    """Read the bind metadata, mark the RETURNING INTO targets, read the values."""
    specs = [read_bind_spec(r) for _ in range(count)]
    first = count - min(max(returning(call), 0), count)
    call.binds = specs[:first] + [replace(spec, returned=True) for spec in specs[first:]]
    call.rows = read_bind_rows(r, call.binds, call.executions, call.is_plsql)


def _skip_fields(r: MessageReader, *kinds: str) -> None:
    """Skip single-byte pointers ("b") and universal integers ("u")."""
    for kind in kinds:
        if kind == "b":
            r.u8()
        else:
            r.ub()


def read_bind_spec(r: MessageReader) -> BindSpec:
    """Read one bind (or define) metadata entry."""
    ora_type, flags = r.u8(), r.u8()
    r.raw(2)  # precision, scale
    buffer_size = r.ub(4)
    r.ub(4)  # max array elements
    r.ub(8)  # continuation flags
    if r.ub(4):  # object type OID
        r.b()
    r.ub(4)  # type version
    r.ub(2)  # character set
    csfrm = r.u8()
    r.ub(4)  # LOB prefetch length
    if r.dialect.has_sql_signature:
        r.ub(4)  # oaccolid, from 12.2 on
    return BindSpec(ora_type, flags, buffer_size, csfrm)


def read_bind_rows(
    r: MessageReader, binds: list[BindSpec], count: int, plsql: bool
) -> list[list[object]]:
    """Read ``count`` rows of raw bind values, in bind order.

    Outside PL/SQL the client sends values with a buffer over 4000 bytes after
    all the others; this puts them back in place. Array binds yield lists.
    RETURNING INTO targets get None; when every bind is one, the client
    sends no rows at all.
    """
    order: list[int] = []
    late: list[int] = []  # outside PL/SQL, values over 4000 bytes come after the others
    for index, spec in enumerate(binds):
        if not spec.returned:
            (late if not plsql and spec.buffer_size > _MAX_STRING_SIZE else order).append(index)
    order += late
    if not order:
        return [[None] * len(binds) for _ in range(count)]
    rows = []
    for _ in range(count):
        marker = r.u8()
        if marker != MSG_ROW_DATA:
            raise ProtocolError(f"expected bind row, found message type {marker}")
        row: list[object] = [None] * len(binds)
        for index in order:
            spec = binds[index]
            if spec.flags & _BIND_ARRAY:
                row[index] = [_read_value(r, spec) for _ in range(r.ub(4))]
            else:  # most binds: a B string, read here
                row[index] = _read_value(r, spec) if spec.ora_type in _READ_APART else r.b_grown()
        rows.append(row)
    return rows


def plain_binds(binds: Sequence[BindSpec]) -> bool:
    """Whether a row of these binds is just their values' B strings in bind order (``read_plain_row``).

    No array, LOB, REF CURSOR or BOOLEAN bind, no RETURNING target, and none
    with a buffer over 4000 bytes (whose value would come after the others).
    """
    return all(not spec.returned and not spec.flags & _BIND_ARRAY and spec.ora_type not in _READ_APART
               and spec.buffer_size <= _MAX_STRING_SIZE for spec in binds)


def read_plain_row(r: MessageReader, binds: Sequence[BindSpec]) -> list[bytes | None]:
    """One row of raw values of ``plain_binds``, as ``read_bind_rows`` reads it; none without binds."""
    if not binds:
        return []
    marker = r.u8()
    if marker != MSG_ROW_DATA:
        raise ProtocolError(f"expected bind row, found message type {marker}")
    return [r.b() for _ in binds]  # none is long enough to be gathered in place (``MessageReader.b_grown``)


def _read_value(r: MessageReader, spec: BindSpec) -> bytes | bytearray | None:
    if spec.ora_type in LOB_TYPES:
        return r.s()  # a locator, with a ub4 length of its own
    if spec.ora_type == _REF_CURSOR:  # 1 and the id of a cursor given in, or 0 for a new one
        if r.ub(4):
            r.ub(4)
        return None  # the block opens the cursor it hands back
    if spec.ora_type == _BOOLEAN and r.peek() == _BOOLEAN_NULL:
        r.raw(2)
        return None
    return r.b_grown()  # a long one may be a bytearray


def read_reexecute(r: MessageReader) -> ReexecuteCall:
    """Read a RE-EXECUTE header (the bind rows depend on the cursor)."""
    return ReexecuteCall(r.ub(4), r.ub(4), r.ub(4), r.ub(4))


def read_fetch(r: MessageReader) -> FetchCall:
    """Read a FETCH call's body."""
    return FetchCall(r.ub(4), r.ub(4))


def read_session_release(r: MessageReader) -> int:
    """The body of a DRCP session release (after its function code): the release mode.

    python-oracledb thin sends it, unanswered, when a pooled connection goes
    back to its pool (mode 0) or a standalone one closes (DEAUTHENTICATE).
    """
    r.u8()  # pointer (tag name)
    r.u8()  # tag name length: thin sends no tag
    return r.ub(4)
