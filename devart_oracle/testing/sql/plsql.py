"""Anonymous PL/SQL blocks of the shapes clients send, and their OUT binds.

PL/SQL is not interpreted in general. A block is ``BEGIN stmt; ... END;``
(or ``CALL proc(...)``) where each statement is one of:

- ``NULL;``
- a call of a packaged or stored procedure (``calls``), with positional or
  ``name => value`` arguments; an OUT or IN OUT parameter takes a bind;
- ``:bind := expression;`` where the expression is a call of a packaged
  function, or anything SQL can compute (``SELECT expression FROM DUAL``
  runs it, so SYSDATE, arithmetic, SYS_CONTEXT and the binds set by earlier
  statements all work);
- ``SELECT ... INTO :a, :b FROM ...;``: exactly one row, else ORA-01403 or
  ORA-01422, as in Oracle;
- INSERT, UPDATE, DELETE, MERGE (RETURNING INTO binds: one row, or NULL
  for none), COMMIT and ROLLBACK, run as the session runs them on their own;
- ``OPEN :rc FOR SELECT ...;``, ``FETCH :rc INTO ...;``, ``CLOSE :rc;`` (``ref_cursors``);
- IF, LOOP and WHILE with EXIT and CONTINUE, a nested ``BEGIN ... END`` with
  exception handlers, RAISE and RETURN (``control``).

The block is parsed whole before any of it runs, as Oracle compiles it
first: an error in the third statement means the first two did not run.
Parsing also gives each bind its direction, which Oracle reports to the
client (the "I/O vector"): a bind that is only written (an assignment
target, an INTO target, an OUT argument) is OUT, one that is also read is
IN OUT, the rest are IN. The client then reads the values of the OUT and
IN OUT binds from the reply, and leaves the OUT ones out of its next
re-execute.

Anything else is ORA-06550 with the PLS error Oracle would give for it, at
the line and column of the offending token, or PLS-00999 ("implementation
restriction") for constructs the server does not run (FOR loops, CASE
statements, GOTO ...); DECLARE blocks with simple local variables run (``declare``).
An error while a statement runs gets Oracle's ORA-06512 line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from .calls import CallParser
from .control import (
    Return,
    block_statement,
    exit_statement,
    expression_text,
    if_statement,
    loop_statement,
    raise_statement,
    return_statement,
)
from .declare import returning_targets, run_declared
from .errors import OracleError
from .lexer import Token, bind_name, bind_names, name_of, significant, split_commas
from .literals import literal_body
from .pls import RESTRICTION, at_line, compile_error
from .procedures import Callee
from .ref_cursors import Opener, close_statement, fetch_statement, open_statement
from .stored import routines

__all__ = ["Host", "Outcome", "run_plsql"]

Row = tuple[object, ...]


class Host(Callee, Opener, Protocol):
    """What a block needs from the session: the packaged calls' needs, SQL, OPEN FOR."""

    def nested(self, sql: str, params: Sequence[object], limit: int) -> list[Row]:
        """Run a query for the block; its first ``limit`` rows."""
        ...


@dataclass(frozen=True)
class Outcome:
    """What a block did to its binds: (direction, value) per bind, in wire order.

    Directions are ``"IN"``, ``"OUT"`` and ``"IN OUT"``; an IN bind's value
    is the one it came with.
    """

    binds: tuple[tuple[str, object], ...] = ()


_KEYWORDS = ("FOR", "CASE", "DECLARE", "EXECUTE", "SAVEPOINT", "GOTO", "LOCK", "SET", "PIPE", "FORALL")
_SQL = ("INSERT", "UPDATE", "DELETE", "MERGE", "COMMIT", "ROLLBACK")
Statement = Callable[["_Run"], None]
_LITERALS = ("bind", "number", "string", "qstring")
_BOOLEANS = {"TRUE": True, "FALSE": False}
_CANCELLED = 1013


@dataclass
class _Run:
    """A block while it runs: the binds' current values and the session."""

    values: dict[str, object]
    host: Host
    sql: str
    handling: list[OracleError] = field(default_factory=list)  # the errors handlers are handling

    def evaluate(self, expression: list[Token]) -> object:
        """The value of an expression: a literal or bind as it is, else SQL's answer."""
        if len(expression) == 1 and expression[0].kind in _LITERALS:
            return self.literal(expression[0])
        if len(expression) == 1 and expression[0].is_word(*_BOOLEANS):
            return _BOOLEANS[expression[0].text.upper()]
        text, binds = expression_text(self.sql, expression, self.values, self.handling)
        return self.scalar(f"SELECT {text} FROM DUAL", binds)

    def scalar(self, sql: str, params: Sequence[object]) -> object:
        """The one value of a query of one row and column."""
        return self.host.nested(sql, params, 1)[0][0]

    def pause(self) -> None:
        """ORA-01013 if the call was cancelled (a loop that runs no SQL looks now and then)."""
        self.host.sleep(0)

    def literal(self, token: Token) -> object:
        if token.kind == "bind":
            return self.values[bind_name(token)]
        if token.kind == "number":
            return Decimal(token.text)
        return literal_body(token) or None


class _Parser(CallParser):
    """Parses a block into statements, noting which binds are read and written."""

    def __init__(self, sql: str, tokens: tuple[Token, ...], host: Host) -> None:
        self.sql, self.words, self.i = sql, significant(tokens), 0
        self.reads: set[str] = set()
        self.writes: set[str] = set()
        self.handlers = 0  # how many exception handlers the parser is inside
        self.loops = 0  # how many loops (EXIT and CONTINUE need one)
        self.typed = []
        self.procedures, self.functions = routines(host, run_plsql)

    # -------------------------------------------------------- tokens

    def peek(self) -> Token:
        if self.i >= len(self.words):
            end = Token("op", "end-of-file", len(self.sql))
            raise compile_error(self.sql, end, 'PLS-00103: Encountered the symbol "end-of-file" '
                       "when expecting one of the following: ; end")
        return self.words[self.i]

    def take(self) -> Token:
        token = self.peek()
        self.i += 1
        return token

    def at(self, text: str) -> bool:
        return self.i < len(self.words) and self.words[self.i].text.upper() == text

    def expect(self, text: str) -> None:
        token = self.peek()
        if token.text.upper() != text:
            raise compile_error(self.sql, token, f'PLS-00103: Encountered the symbol "{token.text.upper()}"'
                       f' when expecting one of the following: {text.lower()}')
        self.i += 1

    def until_semicolon(self) -> list[Token]:
        """The tokens up to the next ``;`` outside parentheses (not taken)."""
        start, depth = self.i, 0
        while (token := self.peek()).text != ";" or depth:
            depth += {"(": 1, ")": -1}.get(token.text, 0)
            self.i += 1
        return self.words[start:self.i]

    def read(self, tokens: list[Token]) -> list[Token]:
        """Note the binds an expression reads; gives the expression back."""
        self.reads.update(bind_name(t) for t in tokens if t.kind == "bind")
        return tokens

    def target(self, token: Token) -> str:
        """A bind that is written to; PLS-00201 for a name (no local variables here)."""
        if token.kind != "bind":
            raise compile_error(self.sql, token, f"PLS-00201: identifier '{name_of(token)}' must be "
                       "declared", ignored=True)
        self.writes.add(bind_name(token))
        return bind_name(token)

    # ---------------------------------------------------------- block

    def block(self) -> list[Statement]:
        first = self.peek()
        if first.is_word("CALL"):
            self.i += 1
            return [self.call()]
        if not first.is_word("BEGIN"):
            raise compile_error(self.sql, first, f"{RESTRICTION}{first.text.upper()} blocks are not run "
                       "by the test server")
        statements = [block_statement(self)]
        if self.i < len(self.words):
            self.expect(";")
        return statements

    def statement(self) -> Statement:
        token = self.peek()
        if token.is_word("NULL"):
            self.i += 1
            return lambda run: None
        if token.kind == "bind" and self.i + 1 < len(self.words) \
                and self.words[self.i + 1].text == ":=":
            return self.assignment()
        if token.is_word("SELECT"):
            return self.select_into()
        if token.is_word(*_SQL):
            return self.sql_statement()
        if token.is_word("OPEN"):
            return open_statement(self)
        if token.is_word(*_CONTROL):
            return _CONTROL[token.text.upper()](self)
        if token.is_word(*_KEYWORDS):
            raise compile_error(self.sql, token, f"{RESTRICTION}{token.text.upper()} statements are not "
                       "run by the test server")
        return self.call()

    def assignment(self) -> Statement:
        start = self.peek()
        target = self.target(start)
        self.i += 2
        value = self.expression(self.read(self.until_semicolon()))

        def assign(run: _Run) -> None:
            try:
                run.values[target] = value(run)
            except OracleError as exc:
                raise exc if exc.code == _CANCELLED else at_line(exc, self.sql, start) from None
        return assign

    def expression(self, tokens: list[Token]) -> Callable[[_Run], object]:
        """How to compute an expression: a packaged function's call, or SQL."""
        if not tokens:
            raise compile_error(self.sql, self.peek(), 'PLS-00103: Encountered the symbol '
                       f'"{self.peek().text.upper()}" when expecting an expression')
        call = self.function_call(tokens)
        if call is not None:
            return call
        return lambda run: run.evaluate(tokens)

    def select_into(self) -> Statement:
        start = self.peek()
        tokens = self.until_semicolon()
        into, source = _top_level(tokens, "INTO"), _top_level(tokens, "FROM")
        if into is None or source is None or into > source:
            raise compile_error(self.sql, tokens[-1], "PLS-00428: an INTO clause is expected in this "
                       "SELECT statement")
        targets = [self.target(part[0]) for part in split_commas(tokens[into + 1:source])]
        query = tokens[:into] + tokens[source:]
        text = " ".join(t.text for t in query)
        self.read(query)

        def select(run: _Run) -> None:
            binds = [run.values[bind_name(t)] for t in query if t.kind == "bind"]
            rows = run.host.nested(text, binds, 2)
            if len(rows) != 1:
                raise at_line(OracleError(1403 if not rows else 1422), self.sql, start)
            if len(rows[0]) != len(targets):
                raise at_line(OracleError(913 if len(rows[0]) > len(targets) else 947),
                               self.sql, start)
            run.values.update(zip(targets, rows[0]))
        return select

    def sql_statement(self) -> Statement:
        """DML, COMMIT or ROLLBACK: run as the session runs them; RETURNING INTO sets its binds."""
        start, tokens = self.peek(), self.until_semicolon()
        targets = [self.target(t) for t in returning_targets(tokens)]
        self.read([t for t in tokens if t.kind == "bind" and bind_name(t) not in targets])
        text = self.sql[start.pos:tokens[-1].pos + len(tokens[-1].text)]

        def execute(run: _Run) -> None:
            try:
                rows = run.host.nested(text, [run.values[bind_name(t)] for t in tokens
                                              if t.kind == "bind" and bind_name(t) not in targets], 0)
                if targets and len(rows) > 1:
                    raise OracleError(1422)
                run.values.update(zip(targets, rows[0] if rows else [None] * len(targets)))
            except OracleError as exc:
                raise at_line(exc, self.sql, start) from None
        return execute

_CONTROL: dict[str, Callable[[_Parser], Statement]] = {
    "IF": if_statement, "BEGIN": block_statement, "RAISE": raise_statement, "RETURN": return_statement,
    "LOOP": loop_statement, "WHILE": loop_statement, "EXIT": exit_statement, "CONTINUE": exit_statement,
    "FETCH": fetch_statement, "CLOSE": close_statement}


def run_plsql(sql: str, tokens: tuple[Token, ...], params: Sequence[object],
              host: Host) -> Outcome:
    """Run a PL/SQL block (or CALL); what it did to its binds.

    Raises:
        OracleError: ORA-01008/ORA-01036 for the wrong number of binds,
            ORA-06550 for what is not run, or what a statement raises
            (ORA-01013 when a sleep is cancelled, ORA-01403 ...).
    """
    if significant(tokens)[:1] and significant(tokens)[0].is_word("DECLARE"):
        return run_declared(sql, tokens, params, host, run_plsql)  # type: ignore[no-any-return]
    names = bind_names(tokens, plsql=True)
    if len(params) != len(names):
        raise OracleError(1008 if len(params) < len(names) else 1036)
    parser = _Parser(sql, tokens, host)
    statements = parser.block()
    run = _Run(dict(zip(names, params)), host, sql)
    parser.check_types(run.values)
    try:
        for statement in statements:
            statement(run)
    except Return:
        pass
    return Outcome(tuple((_direction(name, parser), run.values[name]) for name in names))


def _top_level(tokens: list[Token], word: str) -> int | None:
    """Where ``word`` first appears outside parentheses; None if it does not."""
    depth = 0
    for index, token in enumerate(tokens):
        depth += {"(": 1, ")": -1}.get(token.text, 0)
        if depth == 0 and token.is_word(word):
            return index
    return None


def _direction(name: str, parser: _Parser) -> str:
    if name not in parser.writes:
        return "IN"
    return "IN OUT" if name in parser.reads else "OUT"
