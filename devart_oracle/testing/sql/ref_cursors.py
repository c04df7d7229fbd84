"""REF CURSORs: ``OPEN :rc FOR SELECT ...``, ``FETCH`` and ``CLOSE`` in a PL/SQL block.

A block opens a query and hands it to a cursor bind (``SYS_REFCURSOR``, bind
type 102), as Oracle does: the query runs when the OPEN does, with the binds'
values of that moment, and its rows are read later, by the client, from the
cursor the wire layer opens for it. The value a cursor bind takes is a
``RefCursor``: the open result, and the SQL it came from.

The block itself may read a cursor it opened (a local, or a parameter):
``FETCH c INTO a [, b ...];`` takes the next row (past the last it leaves the
targets as they are and sets ``c%NOTFOUND``), ``CLOSE c;`` ends it, and
``c%FOUND``, ``c%NOTFOUND``, ``c%ROWCOUNT`` and ``c%ISOPEN`` read its state
(``cursor_attribute``). A cursor not open is ORA-01001, as in Oracle.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

from .errors import OracleError
from .lexer import Token, bind_name
from .pls import at_line, compile_error

if TYPE_CHECKING:
    from .results import Result

__all__ = ["Opener", "RefCursor", "close_statement", "cursor_attribute", "fetch_statement", "is_attribute", "open_statement"]

_INVALID_CURSOR = 1001
_ATTRIBUTES = ("FOUND", "NOTFOUND", "ROWCOUNT", "ISOPEN")


class Opener(Protocol):
    """What OPEN needs from the session: a query run with its result kept open."""

    def open_query(self, sql: str, params: Sequence[object]) -> Result:
        """Run a query; its open result."""
        ...


class RefCursor:
    """An opened REF CURSOR: the query's text and its open result."""

    __slots__ = ("count", "found", "is_open", "result", "sql")

    def __init__(self, sql: str, result: Result) -> None:
        self.sql = sql
        self.result = result
        self.found: bool | None = None  # before the first FETCH: NULL
        self.count = 0
        self.is_open = True

    def __repr__(self) -> str:
        return f"<RefCursor {self.sql!r}>"


class _Parser(Protocol):
    """The PL/SQL parser, as OPEN sees it (``plsql._Parser``)."""

    sql: str

    def peek(self) -> Token: ...
    def until_semicolon(self) -> list[Token]: ...
    def read(self, tokens: list[Token]) -> list[Token]: ...
    def target(self, token: Token) -> str: ...


class _Run(Protocol):
    """A running block, as OPEN sees it (``plsql._Run``)."""

    values: dict[str, object]

    @property
    def host(self) -> Opener: ...


def open_statement(parser: _Parser) -> Callable[[_Run], None]:
    """``OPEN :target FOR select``: parsed now; the statement that runs it.

    The OPEN word has not been taken yet. The query follows FOR up to the
    ``;`` and may read binds (an earlier assignment's value counts).

    Raises:
        OracleError: ORA-06550 (PLS-00103) for an OPEN of another shape,
            PLS-00201 for a target that is not a bind.
    """
    start = parser.until_semicolon()
    if len(start) < 4 or not start[2].is_word("FOR") or not start[3].is_word("SELECT", "WITH"):
        token = start[min(len(start) - 1, 2)]
        raise compile_error(parser.sql, token, 'PLS-00103: Encountered the symbol '
                            f'"{token.text.upper()}" when expecting one of the following: for')
    target = parser.target(start[1])
    query = parser.read(start[3:])
    last = query[-1]
    text = parser.sql[query[0].pos:last.pos + len(last.text)]

    def run_open(run: _Run) -> None:
        binds = [run.values[bind_name(t)] for t in query if t.kind == "bind"]
        try:
            run.values[target] = RefCursor(text, run.host.open_query(text, binds))
        except OracleError as exc:
            raise at_line(exc, parser.sql, start[0]) from None
    return run_open



def _cursor(value: object, strict: bool = True) -> RefCursor | None:
    """The open REF CURSOR a bind holds (``strict``: ORA-01001 for anything else)."""
    if isinstance(value, RefCursor) and value.is_open:
        return value
    if strict:
        raise OracleError(_INVALID_CURSOR)
    return None


def cursor_attribute(value: object, attribute: str) -> object:
    """``c%FOUND``, ``%NOTFOUND`` (1, 0, or NULL before the first FETCH), ``%ROWCOUNT``, ``%ISOPEN``.

    Raises:
        OracleError: ORA-01001 for all but %ISOPEN of a cursor that is not open.
    """
    if attribute == "ISOPEN":
        return int(_cursor(value, strict=False) is not None)
    cursor = _cursor(value)
    assert cursor is not None
    if attribute == "ROWCOUNT":
        return cursor.count
    if cursor.found is None:
        return None
    return int(cursor.found == (attribute == "FOUND"))


def is_attribute(tokens: list[Token], i: int) -> bool:
    """Whether ``tokens[i]`` starts ``:bind % ATTRIBUTE``."""
    return tokens[i].kind == "bind" and i + 2 < len(tokens) and tokens[i + 1].text == "%" \
        and tokens[i + 2].is_word(*_ATTRIBUTES)


def fetch_statement(parser: _Parser) -> Callable[[_Run], None]:
    """``FETCH :c INTO :a [, :b ...]`` (the FETCH word not taken yet).

    Raises:
        OracleError: ORA-06550 (PLS-00103) for another shape; at run time ORA-01001 for
            a cursor that is not open, ORA-06504 for a row of another width than the targets.
    """
    tokens = parser.until_semicolon()
    if len(tokens) < 4 or tokens[1].kind != "bind" or not tokens[2].is_word("INTO"):
        token = tokens[min(len(tokens) - 1, 2)]
        raise compile_error(parser.sql, token, 'PLS-00103: Encountered the symbol '
                            f'"{token.text.upper()}" when expecting one of the following: into')
    source = bind_name(parser.read([tokens[1]])[0])
    targets = [parser.target(t) for t in tokens[3:] if t.text != ","]

    def run_fetch(run: _Run) -> None:
        try:
            cursor = _cursor(run.values[source])
            assert cursor is not None
            rows = cursor.result.fetch(1)
            cursor.found = bool(rows)
            if rows:
                if len(rows[0]) != len(targets):
                    raise OracleError(6504)
                cursor.count += 1
                run.values.update(zip(targets, rows[0]))
        except OracleError as exc:
            raise at_line(exc, parser.sql, tokens[0]) from None
    return run_fetch


def close_statement(parser: _Parser) -> Callable[[_Run], None]:
    """``CLOSE :c`` (the CLOSE word not taken yet); ORA-01001 at run time for one not open."""
    tokens = parser.until_semicolon()
    if len(tokens) != 2 or tokens[1].kind != "bind":
        token = tokens[-1]
        raise compile_error(parser.sql, token, f'PLS-00103: Encountered the symbol "{token.text.upper()}"')
    source = bind_name(parser.read([tokens[1]])[0])

    def run_close(run: _Run) -> None:
        try:
            cursor = _cursor(run.values[source])
        except OracleError as exc:
            raise at_line(exc, parser.sql, tokens[0]) from None
        assert cursor is not None
        cursor.result.close()
        cursor.is_open = False
    return run_close
