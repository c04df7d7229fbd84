"""The Oracle functions a session registers on its SQLite connection.

The rewrite turns ``SYSDATE``, ``USER`` and ``seq.NEXTVAL`` into calls of
``ORA_SYSDATE()`` and friends; functions SQLite lacks or gets wrong for
Oracle code (NVL, DECODE, TO_CHAR, TO_DATE, TRUNC, LPAD, SUBSTR with 0 ...)
are registered under their Oracle names. Values arrive in their stored form
(see ``values``) and leave in it.

SQLite reduces an exception raised by a function to "user-defined function
raised exception"; the ORA error is therefore parked in ``Context.pending``
first, and the session raises it in place of SQLite's.
"""

from __future__ import annotations

import datetime
import math
import os
import sqlite3
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Protocol

from .casts import cast
from .errors import OracleError
from .formats import (
    add_months,
    format_datetime,
    format_number,
    last_day,
    parse_datetime,
    truncate_datetime,
)
from .interval_functions import FUNCTIONS as INTERVAL_FUNCTIONS
from .like import like
from .listagg import listagg_aggregate
from .lobs import FUNCTIONS as LOB_FUNCTIONS
from .nls import Nls
from .numeric import FUNCTIONS, concat
from .rowid import check_rowid, rowid_text
from .rownum import rownum_limit
from .tree import connect_loop
from .userenv import sys_context
from .utl_raw import FUNCTIONS as RAW_FUNCTIONS
from .values import declared_column, decode, encode, encode_datetime, number_fits

if TYPE_CHECKING:
    from .catalog import SessionInfo
    from .lob_store import LobChunks

__all__ = ["Context", "register"]


class Context(Protocol):
    """What the session-bound functions need from the session."""

    @property
    def info(self) -> SessionInfo: ...

    pending: OracleError | None

    @property
    def chunks(self) -> LobChunks: ...

    def next_value(self, name: str) -> int: ...

    def current_value(self, name: str) -> int: ...


def register(conn: sqlite3.Connection, ctx: Context,
             stored: Callable[[str], Callable[..., object] | None] = lambda name: None) -> Callable[[str], bool]:
    """Register every function on ``conn``, bound to the session ``ctx``; returns what
    registers a ``stored`` function SQLite found missing (``SqliteConnection``'s ``resolve``)."""
    functions = {**_PURE, **FUNCTIONS, **LOB_FUNCTIONS, **INTERVAL_FUNCTIONS, **RAW_FUNCTIONS,
                 "ORA_CAST": (2, cast, True),
                 "ORA_ROWID": (2, rowid_text, True), **_session(ctx)}
    for name, (narg, function, deterministic) in functions.items():
        conn.create_function(name, narg, _guard(ctx, function), deterministic=deterministic)
    conn.create_aggregate("ORA_LISTAGG", -1, listagg_aggregate(_to_char(lambda: ctx.info.nls),
                                                               lambda exc: _park(ctx, exc)))
    return _stored_functions(conn, ctx, stored)


def _stored_functions(conn: sqlite3.Connection, ctx: Context,
                      stored: Callable[[str], Callable[..., object] | None]) -> Callable[[str], bool]:
    """A resolver: given a function SQLite does not know, registers it if the session's
    database has a stored function of that name (True: try the statement again). The
    function is looked up at each call, so a routine replaced since, or a connection now
    serving another session, runs what is stored now."""
    known: set[str] = set()

    def call(name: str, args: tuple[object, ...]) -> object:
        function = stored(name)
        if function is None:  # dropped since it was registered
            raise OracleError(904, ".".join(f'"{part}"' for part in name.split(".")))
        return function(*args)

    def resolve(name: str) -> bool:
        if name in known or stored(name) is None:
            return False
        known.add(name)
        conn.create_function(name, -1, _guard(ctx, lambda *args: call(name, args)))
        return True
    return resolve


def _park(ctx: Context, error: OracleError) -> None:
    ctx.pending = error


def _guard(ctx: Context, function: Callable[..., object]) -> Callable[..., Any]:
    def call(*args: object) -> Any:
        try:
            return function(*args)
        except OracleError as exc:
            ctx.pending = exc
            raise
    return call


# --------------------------------------------------------- session-bound

def _sys_context(ctx: Context) -> Callable[..., object]:
    def call(namespace: object, parameter: object, _length: object = None) -> object:
        return sys_context(ctx.info, namespace, parameter)
    return call


def _fits(ctx: Context) -> Callable[..., object]:
    def fits(value: object, declared: str, table: str, column: str) -> int:
        described = declared_column(column, declared)
        if value is None or described is None:
            return 1
        target = f'"{ctx.info.current_schema or ctx.info.username}"."{table}"."{column}"'
        _check_fits(decode(value), described.type, described.size, described.precision,
                    described.scale, target)
        return 1
    return fits


def _check_fits(value: object, kind: str, size: int, precision: int, scale: int,
                target: str) -> None:
    if kind == "NUMBER" and isinstance(value, (int, Decimal)):
        if not number_fits(value, precision, scale):
            raise OracleError(1438)
        return
    if kind == "ROWID":
        check_rowid(value)
        return
    if kind == "RAW" and not isinstance(value, bytes):
        value = _hex_bytes(value)
    length = len(value) if isinstance(value, bytes) else len(str(value).encode())
    if kind in ("NVARCHAR2", "NCHAR"):
        length = len(str(value))  # national strings count characters
    if kind in ("VARCHAR2", "CHAR", "RAW", "NVARCHAR2", "NCHAR") and length > size:
        raise OracleError(12899, f"{target} (actual: {length}, maximum: {size})")


def _hex_bytes(value: object) -> bytes:
    """What Oracle stores for text put into a RAW column (HEXTORAW).

    Raises:
        OracleError: ORA-01465 when the text is not hexadecimal.
    """
    text = str(value)
    try:
        if text.strip() != text or " " in text:
            raise ValueError(text)  # fromhex allows spaces, Oracle does not
        return bytes.fromhex(text)
    except ValueError as exc:
        raise OracleError(1465) from exc


def _session(ctx: Context) -> dict[str, tuple[int, Callable[..., object], bool]]:
    def nls() -> Nls:
        """What ALTER SESSION SET NLS_DATE_FORMAT changes (``nls``), read at each call:
        a pooled connection's functions serve one session after another."""
        return ctx.info.nls

    to_char = _to_char(nls)
    return {
        "TO_CHAR": (-1, to_char, False),
        "TO_DATE": (-1, _to_datetime(False, nls), False),
        "TO_TIMESTAMP": (-1, _to_datetime(True, nls), False),
        "LIKE": (-1, like(to_char), False),  # the LIKE operator: Oracle's, case-sensitive
        "ORA_CONCAT": (-1, lambda *values: concat(values, nls()), False),
        "CONCAT": (2, lambda a, b: concat((a, b), nls()), False),
        "ORA_USER": (0, lambda: ctx.info.username, False),
        "ORA_NEXTVAL": (1, ctx.next_value, False),
        "ORA_CURRVAL": (1, ctx.current_value, False),
        "SYS_CONTEXT": (-1, _sys_context(ctx), False),
        "DBMS_DEBUG_JDWP_CURRENT_SESSION_ID": (0, lambda: ctx.info.sid, False),  # the debugger's session ids
        "DBMS_DEBUG_JDWP_CURRENT_SESSION_SERIAL": (0, lambda: ctx.info.serial, False),
        "ORA_FITS": (4, _fits(ctx), True),
        "DEVART_LOB": (1, lambda value: ctx.chunks.whole(value), True),  # a stored LOB's whole value
    }


# ------------------------------------------------------------------- pure

def _now(timestamp: bool) -> Callable[[], str]:
    def now() -> str:
        value = datetime.datetime.now()
        return encode_datetime(value if timestamp else value.replace(microsecond=0))
    return now


def _number(value: object) -> Decimal:
    decoded = decode(value)
    if isinstance(decoded, (int, Decimal)):
        return Decimal(decoded)
    try:
        return Decimal(str(decoded).strip())
    except InvalidOperation:
        raise OracleError(1722) from None


def _to_char(nls: Callable[[], Nls]) -> Callable[..., object]:
    """``TO_CHAR(value[, model])``; a date without a model in the session's format (``nls()``)."""
    def to_char(value: object, model: object = None) -> object:
        decoded = decode(value)
        if decoded is None or isinstance(decoded, str):
            return decoded
        if isinstance(decoded, datetime.datetime):
            return format_datetime(decoded, str(model or nls().model(decoded)))
        return format_number(_number(decoded), None if model is None else str(model))
    return to_char


def _to_datetime(timestamp: bool, nls: Callable[[], Nls]) -> Callable[..., object]:
    """``TO_DATE`` / ``TO_TIMESTAMP``; without a model, ISO text or the session's format."""
    def to_datetime(text: object, model: object = None) -> object:
        if text is None or isinstance(decode(text), datetime.datetime):
            return text
        if model is None:
            try:
                return encode_datetime(datetime.datetime.fromisoformat(str(text).strip()))
            except ValueError:
                model = nls().timestamp_format if timestamp else nls().date_format
        return encode_datetime(parse_datetime(str(text), str(model)))
    return to_datetime


def _to_number(text: object, _model: object = None) -> object:
    return None if text is None else encode(_number(text))


def _trunc(value: object, model: object = None) -> object:
    decoded = decode(value)
    if decoded is None:
        return None
    if isinstance(decoded, datetime.datetime):
        return encode_datetime(truncate_datetime(decoded, str(model or "DD")))
    places = int(_number(model or 0))
    number = _number(decoded)
    step = Decimal(1).scaleb(-places)
    return encode((number / step).to_integral_value(rounding="ROUND_DOWN") * step)


def _date_function(function: Callable[..., datetime.datetime]) -> Callable[..., object]:
    def apply(value: object, *args: object) -> object:
        decoded = decode(value)
        if decoded is None or any(a is None for a in args):
            return None
        if not isinstance(decoded, datetime.datetime):
            raise OracleError(932, "DATE got NUMBER")
        return encode_datetime(function(decoded, *(int(_number(a)) for a in args)))
    return apply


def _decode(*args: object) -> object:
    expression, pairs = args[0], args[1:]
    for i in range(0, len(pairs) - 1, 2):
        if pairs[i] == expression:
            return pairs[i + 1]
    return pairs[-1] if len(pairs) % 2 else None


def _pad(left: bool) -> Callable[..., object]:
    def pad(text: object, width: object, fill: object = " ") -> object:
        if text is None or width is None:
            return None
        text, width, fill = str(decode(text)), int(_number(width)), str(fill or " ")
        padding = (fill * width)[:max(width - len(text), 0)]
        return ((padding + text) if left else (text + padding))[:width] or None
    return pad


def _substr(text: object, start: object, length: object = None) -> object:
    if text is None or start is None:
        return None
    value, first = str(decode(text)), int(_number(start))
    begin = first - 1 if first > 0 else max(len(value) + first, 0) if first < 0 else 0
    end = None if length is None else begin + int(_number(length))
    return value[begin:end] or None


def _extreme(pick: Callable[..., Any]) -> Callable[..., object]:
    def extreme(*args: object) -> object:
        return None if any(a is None for a in args) else pick(args)
    return extreme


def _mod(a: object, b: object) -> object:
    if a is None or b is None:
        return None
    x, y = _number(a), _number(b)
    return encode(x if y == 0 else x - y * (x / y).to_integral_value(rounding="ROUND_DOWN"))


def _rounding(function: Callable[[float], int]) -> Callable[[object], object]:
    return lambda value: None if value is None else function(float(_number(value)))


def _raise(code: object, detail: object) -> object:
    """SQL's ``ORA_RAISE(code, detail)``: the DDL's checks (``routine_ddl``) fail with it."""
    raise OracleError(int(str(code)), str(detail))


_PURE: dict[str, tuple[int, Callable[..., object], bool]] = {
    "ORA_SYSDATE": (0, _now(False), False),
    "ORA_CURRENT_DATE": (0, _now(False), False),
    "ORA_SYSTIMESTAMP": (0, _now(True), False),
    "ORA_CURRENT_TIMESTAMP": (0, _now(True), False),
    "ORA_LOCALTIMESTAMP": (0, _now(True), False),
    "NVL": (2, lambda a, b: b if a is None else a, True),
    "NVL2": (3, lambda a, b, c: c if a is None else b, True),
    "DECODE": (-1, _decode, True),
    "TO_NUMBER": (-1, _to_number, True),
    "TRUNC": (-1, _trunc, True),
    "LPAD": (-1, _pad(True), True),
    "RPAD": (-1, _pad(False), True),
    "SUBSTR": (-1, _substr, True),
    "INITCAP": (1, lambda s: None if s is None else str(s).title(), True),
    "GREATEST": (-1, _extreme(max), True),
    "LEAST": (-1, _extreme(min), True),
    "MOD": (2, _mod, True),
    "CEIL": (1, _rounding(math.ceil), True),
    "FLOOR": (1, _rounding(math.floor), True),
    "SYS_GUID": (0, lambda: os.urandom(16), False),
    "ADD_MONTHS": (2, _date_function(add_months), True),
    "LAST_DAY": (1, _date_function(last_day), True),
    "ORA_ROWNUM_LIMIT": (2, rownum_limit, True),
    "ORA_CONNECT_LOOP": (2, connect_loop, True),
    "ORA_RAISE": (2, _raise, False),
}
