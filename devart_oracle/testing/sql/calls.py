"""Calls of procedures and functions in a PL/SQL block: arguments to parameters.

A call names its routine (packaged or stored: ``stored.routines``) and gives
arguments by position or as ``name => value``; a parameter left out takes
its default. An OUT or IN OUT parameter's argument is a bind the call writes.
What does not fit the routine's parameters (too many, one named twice, a
positional one after a named one, a required one missing) is PLS-00306.

Oracle checks an argument's type against its parameter's when it compiles
the block: a BOOLEAN parameter takes only a BOOLEAN, and no other parameter
takes one. A bind's type is what the client sent (python-oracledb sends a
Python ``bool`` as BOOLEAN), so each bind given as an argument is checked,
with the value it came with, before any statement runs; an OUT bind that
came with no value (NULL) is not. An error a call raises gets the call's
``ORA-06512: at line L`` (a cancelled call's ORA-01013 is left as it is).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol

from .errors import OracleError
from .lexer import Token, bind_name, name_of, split_commas
from .pls import RESTRICTION, at_line, compile_error
from .procedures import REQUIRED, Function, Param, Procedure
from .rowid import PACKAGES

__all__ = ["Argument", "CallParser"]

Argument = tuple[list[Token] | None, str | None]  # the argument's tokens, the bind it writes
_CANCELLED = 1013  # a cancelled call's error is left as it is


class _Run(Protocol):
    """A running block, as a call sees it (``plsql._Run``)."""

    values: dict[str, object]

    def evaluate(self, expression: list[Token]) -> object: ...


class _Tokens(Protocol):
    """What the call parser needs of the block parser (``plsql._Parser``)."""

    sql: str
    words: list[Token]
    i: int
    procedures: Mapping[str, Procedure]
    functions: Mapping[str, Function]

    def peek(self) -> Token: ...
    def at(self, text: str) -> bool: ...
    def read(self, tokens: list[Token]) -> list[Token]: ...
    def target(self, token: Token) -> str: ...


class CallParser(_Tokens):
    """The block parser's part that parses calls (a base of ``plsql._Parser``)."""

    #: (bind, whether its parameter is BOOLEAN, the call's first token, the routine's name)
    typed: list[tuple[str, bool, Token, str]]

    def call(self) -> Callable[[_Run], None]:
        """A procedure call statement (its first word not taken yet)."""
        start = self.peek()
        parts = [self.name()]
        while self.at("."):
            self.i += 1
            parts.append(self.name())
        name = ".".join(parts)
        procedure = self.procedures.get(name)
        if procedure is None:
            raise compile_error(self.sql, start, f"PLS-00201: identifier '{name}' must be declared",
                                ignored=True)
        inside: list[Token] = []
        if self.at("("):
            self.i += 1
            inside = self.until_closing()
        arguments = self.arguments(start, name, procedure, inside)

        def run_call(run: _Run) -> None:
            try:
                _invoke(run, procedure, arguments)
            except OracleError as exc:
                raise exc if exc.code == _CANCELLED else at_line(exc, self.sql, start) from None
        return run_call

    def function_call(self, tokens: list[Token]) -> Callable[[_Run], object] | None:
        """An expression that is a call of a function (None: it is not one)."""
        parts, i = [], 0
        while i < len(tokens) and tokens[i].kind in ("word", "ident"):
            parts.append(name_of(tokens[i]))
            i += 1
            if i < len(tokens) and tokens[i].text == ".":
                i += 1
            else:
                break
        name, rest = ".".join(parts), tokens[i:]
        if rest and (rest[0].text != "(" or rest[-1].text != ")"):
            return None
        function = self.functions.get(name)
        if function is None:
            if parts and self.procedures.get(name) is not None:
                short = name.rsplit(".", 1)[-1]
                raise compile_error(self.sql, tokens[0], f"PLS-00222: no function with name "
                                    f"'{short}' exists in this scope", ignored=True)
            if len(parts) > 1 and parts[0] not in PACKAGES and rest:  # pkg.f(...): no such package
                raise compile_error(self.sql, tokens[0], f"PLS-00201: identifier '{name}' must be "
                                    "declared", ignored=True)
            return None
        arguments = self.arguments(tokens[0], name, function, rest[1:-1])
        return lambda run: function.body(*_entry(run, function.params, arguments))

    def until_closing(self) -> list[Token]:
        """The tokens up to the ``)`` closing the one just taken (which is taken)."""
        start, depth = self.i, 1
        while True:
            depth += {"(": 1, ")": -1}.get(self.peek().text, 0)
            self.i += 1
            if depth == 0:
                return self.words[start:self.i - 1]

    def name(self) -> str:
        token = self.peek()
        if token.kind not in ("word", "ident"):
            raise compile_error(self.sql, token, f"{RESTRICTION}only NULL, assignments to binds, "
                                "SELECT INTO and procedure calls are run by the test server")
        self.i += 1
        return name_of(token)

    def arguments(self, start: Token, name: str, callee: Procedure | Function,
                  tokens: list[Token]) -> list[Argument]:
        """Each parameter's argument (None: its default) and, for OUT ones, the bind."""
        given: dict[int, list[Token]] = {}
        names = [p.name for p in callee.params]
        named = False  # a positional argument may not follow a named one
        for position, part in enumerate(split_commas(tokens)):
            if len(part) > 2 and part[1].text == "=>" and name_of(part[0]) in names \
                    and names.index(name_of(part[0])) not in given:  # not named twice
                given[names.index(name_of(part[0]))], named = part[2:], True
            elif len(part) > 1 and part[1].text == "=>" or position >= len(names) or named:
                raise self.wrong_arguments(start, name)
            else:
                given[position] = part
        return [self.argument(start, name, param, given.get(k)) for k, param in
                enumerate(callee.params)]

    def argument(self, start: Token, name: str, param: Param,
                 tokens: list[Token] | None) -> Argument:
        if tokens is None:
            if param.default is REQUIRED:
                raise self.wrong_arguments(start, name)
            return None, None
        if len(tokens) == 1 and tokens[0].kind == "bind":
            self.typed.append((bind_name(tokens[0]), param.boolean, start, name))
        if not param.writes:
            return self.read(tokens), None
        if len(tokens) != 1 or tokens[0].kind != "bind":
            raise compile_error(self.sql, tokens[0], f"PLS-00363: expression '{tokens[0].text.upper()}'"
                                " cannot be used as an assignment target", ignored=True)
        if param.reads:
            self.read(tokens)
        return tokens, self.target(tokens[0])

    def wrong_arguments(self, start: Token, name: str) -> OracleError:
        short = name.rsplit(".", 1)[-1]
        return compile_error(self.sql, start, "PLS-00306: wrong number or types of arguments in call "
                             f"to '{short}'", ignored=True)

    def check_types(self, values: Mapping[str, object]) -> None:
        """PLS-00306 for a bind whose value's type (BOOLEAN or not) its parameter does not take."""
        for bind, boolean, start, name in self.typed:
            value = values[bind]
            if value is not None and isinstance(value, bool) != boolean:
                raise self.wrong_arguments(start, name)


def _entry(run: _Run, params: tuple[Param, ...], arguments: list[Argument]) -> list[object]:
    """Each parameter's value on entry: its argument's, its default, NULL for OUT."""
    return [param.default if tokens is None else
            run.evaluate(tokens) if param.reads else None
            for (tokens, _), param in zip(arguments, params)]


def _invoke(run: _Run, procedure: Procedure, arguments: list[Argument]) -> None:
    values = _entry(run, procedure.params, arguments)
    procedure.body(values)
    for (_, target), value in zip(arguments, values):
        if target is not None:
            run.values[target] = value
