"""The packaged procedures and functions an anonymous block may call.

Each procedure declares its parameters, with Oracle's names (for ``name =>
value`` arguments), modes and defaults. Its body gets one value per
parameter, in order (an OUT parameter's starts as its bind's value), and
changes the OUT and IN OUT ones in place; ``plsql`` copies them back into
the binds. Functions get their arguments and return a value.

The set is small on purpose: the calls clients and test suites make
(sleeps, end-to-end attributes, DBMS_OUTPUT, DBMS_SQL.RETURN_RESULT, DBMS_LOB's
changes of a LOB held whole: ``lobs``). Another procedure is
PLS-00201, as an undeclared one is in Oracle.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

from .cpool import POOL_NAME, PoolControl
from .errors import OracleError
from .lobs import lob_append, lob_copy, lob_erase, lob_trim, lob_write, lob_write_append
from .ref_cursors import RefCursor

if TYPE_CHECKING:
    from .catalog import SessionInfo
    from .dbms_output import OutputBuffer

__all__ = ["REQUIRED", "Callee", "Function", "Param", "Procedure", "RoutineCache", "functions", "procedures"]

REQUIRED = object()  # the default of a parameter that has none


@dataclass(frozen=True)
class Param:
    """One formal parameter: its name, mode (``IN``, ``OUT``, ``IN OUT``), default, if BOOLEAN."""

    name: str
    mode: str = "IN"
    default: object = REQUIRED
    boolean: bool = False

    @property
    def writes(self) -> bool:
        return "OUT" in self.mode

    @property
    def reads(self) -> bool:
        return "IN" in self.mode


@dataclass(frozen=True)
class Procedure:
    """A packaged procedure: its parameters and its body."""

    params: tuple[Param, ...]
    body: Callable[[list[object]], None]


@dataclass(frozen=True)
class Function:
    """A packaged function: its parameters and its body."""

    params: tuple[Param, ...]
    body: Callable[..., object]


class RoutineCache:
    """What a session keeps between its blocks (``stored``): the routines they call, with what
    the packaged ones are bound to, and each stored routine compiled, with the source and the
    runner it was compiled from."""

    __slots__ = ("bound", "compiled")

    def __init__(self) -> None:
        self.bound: tuple[tuple[object, ...], tuple[Mapping[str, Procedure], Mapping[str, Function]]] | None = None
        self.compiled: dict[tuple[str, str], tuple[str, object, Procedure | Function]] = {}


class Callee(Protocol):
    """What the packaged procedures need from the session."""

    info: SessionInfo
    output: OutputBuffer
    implicit: list[object]  # the cursors DBMS_SQL.RETURN_RESULT returned, until the wire takes them
    routine_cache: RoutineCache  # what its blocks are parsed with, kept between them (``stored``)

    def sleep(self, seconds: float) -> None: ...


def _seconds(value: object) -> float:
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return float(value)
    raise OracleError(6502)


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _session(host: Callee) -> dict[str, Procedure]:
    info = host.info

    def set_module(args: list[object]) -> None:
        info.module, info.action = _text(args[0]), _text(args[1])

    def set_action(args: list[object]) -> None:
        info.action = _text(args[0])

    def set_identifier(args: list[object]) -> None:
        info.client_identifier = _text(args[0])

    def clear_identifier(args: list[object]) -> None:
        info.client_identifier = None

    def set_client_info(args: list[object]) -> None:
        info.client_info = _text(args[0])

    def sleep(args: list[object]) -> None:
        host.sleep(_seconds(args[0]))

    return {
        "DBMS_SESSION.SLEEP": Procedure((Param("SECONDS"),), sleep),
        "DBMS_LOCK.SLEEP": Procedure((Param("SECONDS"),), sleep),
        "DBMS_APPLICATION_INFO.SET_MODULE": Procedure(
            (Param("MODULE_NAME"), Param("ACTION_NAME")), set_module),
        "DBMS_APPLICATION_INFO.SET_ACTION": Procedure((Param("ACTION_NAME"),), set_action),
        "DBMS_APPLICATION_INFO.SET_CLIENT_INFO": Procedure((Param("CLIENT_INFO"),), set_client_info),
        "DBMS_SESSION.SET_IDENTIFIER": Procedure((Param("CLIENT_ID"),), set_identifier),
        "DBMS_SESSION.CLEAR_IDENTIFIER": Procedure((), clear_identifier),
    }


def _output(buffer: OutputBuffer) -> dict[str, Procedure]:
    def get_line(args: list[object]) -> None:
        args[0], args[1] = buffer.get_line()

    def get_lines(args: list[object]) -> None:
        args[0], args[1] = buffer.get_lines(args[1])

    return {
        "DBMS_OUTPUT.ENABLE": Procedure((Param("BUFFER_SIZE", default=20000),),
                                        lambda args: buffer.enable(args[0])),
        "DBMS_OUTPUT.DISABLE": Procedure((), lambda args: buffer.disable()),
        "DBMS_OUTPUT.PUT_LINE": Procedure((Param("A"),), lambda args: buffer.put_line(args[0])),
        "DBMS_OUTPUT.PUT": Procedure((Param("A"),), lambda args: buffer.put(args[0])),
        "DBMS_OUTPUT.NEW_LINE": Procedure((), lambda args: buffer.new_line()),
        "DBMS_OUTPUT.GET_LINE": Procedure((Param("LINE", "OUT"), Param("STATUS", "OUT")),
                                          get_line),
        "DBMS_OUTPUT.GET_LINES": Procedure((Param("LINES", "OUT"), Param("NUMLINES", "IN OUT")),
                                           get_lines),
    }


def _connection_pool(info: SessionInfo) -> dict[str, Procedure]:
    """DBMS_CONNECTION_POOL on the server's DRCP pool: START, STOP, CONFIGURE (MAXSIZE applies)."""
    def control(args: list[object]) -> PoolControl:
        stats = info.instance.cpool
        if stats is None or stats.control is None or str(args[0]).upper() != POOL_NAME:
            raise OracleError(56500)
        return stats.control

    def configure(args: list[object]) -> None:
        pool, maxsize = control(args), args[2]
        if maxsize is not None:
            if not isinstance(maxsize, (int, Decimal)) or maxsize < 1 or maxsize != int(maxsize):
                raise OracleError(56505)
            pool.configure(int(maxsize))

    name = Param("POOL_NAME", default=POOL_NAME)
    numbers = ("MINSIZE", "MAXSIZE", "INCRSIZE", "SESSION_CACHED_CURSORS", "INACTIVITY_TIMEOUT",
               "MAX_THINK_TIME", "MAX_USE_SESSION", "MAX_LIFETIME_SESSION", "NUM_CBROK",
               "MAXCONN_CBROK")
    return {
        "DBMS_CONNECTION_POOL.START_POOL": Procedure((name,), lambda args: control(args).start()),
        "DBMS_CONNECTION_POOL.STOP_POOL": Procedure((name,), lambda args: control(args).stop()),
        "DBMS_CONNECTION_POOL.CONFIGURE_POOL": Procedure(
            (name, *(Param(number, default=None) for number in numbers)), configure),
    }


def _implicit_results(returned: list[object]) -> dict[str, Procedure]:
    """``DBMS_SQL.RETURN_RESULT(rc [, to_client])``: the block's cursor goes to the client.

    The cursors are returned in the order of the calls, as implicit results
    of the statement the client executed (``cursor.getimplicitresults()``).

    Raises:
        OracleError: ORA-01001 for a cursor the block did not open.
    """
    def return_result(args: list[object]) -> None:
        if not isinstance(args[0], RefCursor):
            raise OracleError(1001)
        returned.append(args[0])
        args[0] = None  # returned: the block's variable no longer refers to it

    call = Procedure((Param("RC", "IN OUT"), Param("TO_CLIENT", default=True, boolean=True)),
                     return_result)
    return {"DBMS_SQL.RETURN_RESULT": call}


def _changing(change: Callable[..., object]) -> Callable[[list[object]], None]:
    """A body that replaces its first (IN OUT) argument by ``change`` of all of them."""
    def body(args: list[object]) -> None:
        args[0] = change(*args)
    return body


def _erase(args: list[object]) -> None:
    args[0], args[1] = lob_erase(*args)


_LOB = Param("LOB_LOC", "IN OUT")
_LOBS = {
    "DBMS_LOB.APPEND": Procedure((Param("DEST_LOB", "IN OUT"), Param("SRC_LOB")), _changing(lob_append)),
    "DBMS_LOB.WRITEAPPEND": Procedure((_LOB, Param("AMOUNT"), Param("BUFFER")), _changing(lob_write_append)),
    "DBMS_LOB.WRITE": Procedure((_LOB, Param("AMOUNT"), Param("OFFSET"), Param("BUFFER")), _changing(lob_write)),
    "DBMS_LOB.COPY": Procedure((Param("DEST_LOB", "IN OUT"), Param("SRC_LOB"), Param("AMOUNT"),
                                Param("DEST_OFFSET", default=1), Param("SRC_OFFSET", default=1)), _changing(lob_copy)),
    "DBMS_LOB.TRIM": Procedure((_LOB, Param("NEWLEN")), _changing(lob_trim)),
    "DBMS_LOB.ERASE": Procedure((_LOB, Param("AMOUNT", "IN OUT"), Param("OFFSET", default=1)), _erase),
}


def _raise_application_error(args: list[object]) -> None:
    """``RAISE_APPLICATION_ERROR(num, msg [, keeperrorstack])``: ORA-20000 .. ORA-20999 with ``msg``.

    Raises:
        OracleError: the error asked for, or ORA-21000 for a number out of range.
    """
    number = args[0]
    if not isinstance(number, (int, Decimal)) or isinstance(number, bool) \
            or number != int(number) or not -20999 <= number <= -20000:
        raise OracleError(21000, str(number))
    error = OracleError(-int(number))
    error.text = f"ORA-{-int(number):05d}: {'' if args[1] is None else str(args[1])[:2048]}"
    error.args = (error.text,)
    raise error


def procedures(host: Callee) -> dict[str, Procedure]:
    """Procedure name (``PACKAGE.NAME``) -> procedure, bound to the session ``host``."""
    standard = {"RAISE_APPLICATION_ERROR": Procedure(
        (Param("NUM"), Param("MSG"), Param("KEEPERRORSTACK", default=False, boolean=True)),
        _raise_application_error)}
    return {**_session(host), **_output(host.output), **_connection_pool(host.info),
            **_implicit_results(host.implicit), **standard, **_LOBS}


def functions(host: Callee) -> dict[str, Function]:
    """Function name -> function, for ``:x := package.function(...)``.

    A function SQL also has (SYSDATE, SYS_CONTEXT ...) needs no entry: an
    expression that is not a call of one of these is evaluated by SQL.
    """
    return {
        # hundredths of a second from an arbitrary point, wrapping as Oracle's does
        "DBMS_UTILITY.GET_TIME": Function((), lambda: int(time.monotonic() * 100) % 2**31),
        # TRUE begins a transaction if none is open (see ``transaction``)
        "DBMS_TRANSACTION.LOCAL_TRANSACTION_ID": Function(
            (Param("CREATE_TRANSACTION", default=False, boolean=True),),
            lambda create=False: host.info.transaction.local_id(bool(create))),
    }
