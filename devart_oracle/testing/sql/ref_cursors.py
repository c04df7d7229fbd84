"""REF CURSORs: ``OPEN :rc FOR SELECT ...`` in a PL/SQL block.

A block opens a query and hands it to a cursor bind (``SYS_REFCURSOR``, bind
type 102), as Oracle does: the query runs when the OPEN does, with the binds'
values of that moment, and its rows are read later, by the client, from the
cursor the wire layer opens for it. The value a cursor bind takes is a
``RefCursor``: the open result, and the SQL it came from.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

from .errors import OracleError
from .lexer import Token, bind_name
from .pls import at_line, compile_error

if TYPE_CHECKING:
    from .results import Result

__all__ = ["Opener", "RefCursor", "open_statement"]


class Opener(Protocol):
    """What OPEN needs from the session: a query run with its result kept open."""

    def open_query(self, sql: str, params: Sequence[object]) -> Result:
        """Run a query; its open result."""
        ...


class RefCursor:
    """An opened REF CURSOR: the query's text and its open result."""

    __slots__ = ("result", "sql")

    def __init__(self, sql: str, result: Result) -> None:
        self.sql = sql
        self.result = result

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

