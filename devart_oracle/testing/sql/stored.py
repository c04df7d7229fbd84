"""Stored procedures and functions: ``CREATE PROCEDURE`` / ``CREATE FUNCTION``.

A stored routine's body is a block of the shapes :mod:`.plsql` runs
(assignments, ``SELECT ... INTO``, DML, calls, ``NULL``, IF, loops, FETCH, exception
handlers) plus, in a function, ``RETURN expression;``, which runs as the
result's assignment followed by a RETURN that ends the routine. A
parameter declared BOOLEAN takes only BOOLEAN binds (``calls``). Its parameters are the block's variables:
each use of a parameter's name becomes a bind, so ``a_Out := length(a_In);``
runs as the anonymous block ``:2 := length(:1);`` would, and what the block
leaves in the binds is what the OUT and IN OUT parameters return. Local
declarations (between ``IS``/``AS`` and ``BEGIN``) run as a DECLARE block's
(``declare``: simple variables and ``sys_refcursor``); FOR loops and the rest
are PLS-00999 when the routine is called, as in an anonymous block.

SQL calls a stored function as it calls a built-in one (``sql_function``: ``functions``
registers it on a connection when SQLite first finds it missing), IN parameters only.

``CREATE [OR REPLACE] PROCEDURE|FUNCTION`` stores the source in the
database's ``DEVART$ROUTINES`` table (``routine_ddl``: every session sees it,
and it lasts as long as the database); ``DROP PROCEDURE|FUNCTION`` removes it. Oracle
compiles at CREATE; here a body the server does not run fails when called.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

from .errors import OracleError
from .lexer import (
    Token,
    Words,
    bind_names,
    name_of,
    name_uses,
    significant,
    split_commas,
    tokenize,
)
from .literals import literal_body
from .pls import compile_error
from .procedures import (
    REQUIRED,
    Callee,
    Function,
    Param,
    Procedure,
    functions,
    procedures,
)
from .routine_ddl import ROUTINES
from .values import decode, encode

__all__ = ["routines", "sql_function"]

_MODES = ("IN", "OUT")
_NUMERIC = ("NUMBER", "INTEGER", "INT", "PLS_INTEGER", "BINARY_INTEGER", "FLOAT", "BINARY_DOUBLE")
#: run_plsql's shape: (sql, tokens, params, host) -> an Outcome with ``binds``.
Runner = Callable[[str, tuple[Token, ...], Sequence[object], Any], Any]


class _Lookup(Mapping[str, Any]):
    """The packaged routines, falling back on the stored ones of one kind."""

    def __init__(self, builtin: dict[str, Any], kind: str, host: Any, runner: Runner) -> None:
        self.builtin, self.kind, self.host, self.runner = builtin, kind, host, runner

    def __getitem__(self, name: str) -> Any:
        found = self.builtin.get(name)
        if found is None:
            parts = name.split(".")
            owner = str(getattr(getattr(self.host, "info", None), "username", "")).upper()
            if len(parts) > 1 and parts[0] == owner:
                parts = parts[1:]  # owner.name, owner.package.name
            if len(parts) <= 2:  # name, package.name (routine_ddl)
                found = _stored(self.host, ".".join(parts), self.kind, self.runner)
        if found is None:
            raise KeyError(name)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self.builtin)

    def __len__(self) -> int:
        return len(self.builtin)


def sql_function(host: Any, name: str, runner: Runner) -> Callable[..., object] | None:
    """The stored function ``name`` as SQL calls it, on values as SQLite holds them (both
    ways); None if there is none.

    The callable raises ORA-06553 PLS-00306 for a wrong number of arguments, ORA-06572 for a
    function with OUT parameters (SQL cannot take them back), or what the body raises.
    """
    function = _stored(host, name, "FUNCTION", runner)
    if not isinstance(function, Function):
        return None
    params = function.params

    def call(*args: object) -> object:
        if any(p.writes for p in params):
            raise OracleError(6572, name)
        if len(args) > len(params) or any(p.default is REQUIRED for p in params[len(args):]):
            raise OracleError(6553, f"PLS-306: wrong number or types of arguments in call to '{name}'")
        return encode(function.body(*(decode(a) for a in args), *(p.default for p in params[len(args):])))
    return call


def routines(host: Callee, runner: Runner) -> tuple[Mapping[str, Procedure], Mapping[str, Function]]:
    """The procedures and functions a block may call: packaged, then stored.

    Made once per session (every block parses with them) and kept on it, made again if
    what the packaged ones are bound to is no longer the session's.
    """
    bound = (host.info, host.output, host.implicit, runner)
    cache = host.routine_cache
    if cache.bound is None or any(a is not b for a, b in zip(cache.bound[0], bound)):
        cache.bound = bound, (_Lookup(procedures(host), "PROCEDURE", host, runner),
                              _Lookup(functions(host), "FUNCTION", host, runner))
    return cache.bound[1]


def _stored(host: Any, name: str, kind: str, runner: Runner) -> Procedure | Function | None:
    try:
        rows = host.nested(f"SELECT SOURCE FROM {ROUTINES} WHERE NAME = :1 AND KIND = :2",
                           [name, kind], 1)
    except OracleError as error:
        if error.code == 942:
            return None
        raise
    if not rows:
        return None
    source = str(rows[0][0])  # read at each call: another session may have replaced it
    compiled: dict[tuple[str, str], tuple[str, object, Procedure | Function]] = host.routine_cache.compiled
    kept = compiled.get((name, kind))
    if kept is None or kept[0] != source or kept[1] is not runner:
        kept = compiled[(name, kind)] = source, runner, _compile(name, kind, source, host, runner)
    return kept[2]


def _compile(name: str, kind: str, source: str, host: Any, runner: Runner) -> Procedure | Function:
    """A routine from its source (what follows its name in CREATE)."""
    words = Words(significant(tokenize(source)))
    parts = split_commas(words.group()) if words.peek() == "(" else []
    params = [_param(part) for part in parts]
    numeric = {name_of(part[0]) for part in parts if any(t.is_word(*_NUMERIC) for t in part[1:])}
    if kind == "FUNCTION":
        words.accept("RETURN")
        words.take()
    if not words.accept("IS", "AS"):
        raise OracleError(6550, f"PLS-00103: Encountered the symbol \"{words.peek()}\" in {name}")
    body = words.rest()
    if not body:
        raise compile_error(source, words.tokens[-1], 'PLS-00103: Encountered the symbol '
                            '"end-of-file" when expecting one of the following: begin')
    block = _as_block(body, [p.name for p in params], kind == "FUNCTION")
    if not body[0].is_word("BEGIN"):  # local declarations: run as a DECLARE block (``declare``)
        block = "DECLARE " + block
    tokens = tokenize(block)
    order = [int(n) - 1 for n in bind_names(tokens, plsql=True)]

    def run(values: list[object]) -> list[object]:
        padded = [*(_typed(numeric, p, v) for p, v in zip(params, values)), None]
        outcome = runner(block, tokens, [padded[i] for i in order], host)
        for i, (_, value) in zip(order, outcome.binds):
            padded[i] = value
        return padded

    if kind == "FUNCTION":
        return Function(tuple(params), lambda *args: run(list(args))[len(params)])

    def call(values: list[object]) -> None:
        values[:] = run(values)[:len(params)]
    return Procedure(tuple(params), call)


def _typed(numeric: set[str], param: Param, value: object) -> object:
    """A parameter's value as its declared type has it: ORA-06502 for text that is no number."""
    if not isinstance(value, str) or param.name not in numeric:
        return value
    try:
        return Decimal(value.strip())
    except ArithmeticError:
        raise OracleError(6502, "character to number conversion error") from None


def _param(tokens: list[Token]) -> Param:
    """``name [IN] [OUT] [NOCOPY] type [DEFAULT|:= literal]``."""
    name, rest = name_of(tokens[0]), tokens[1:]
    modes = []
    while rest and rest[0].is_word(*_MODES, "NOCOPY"):
        if rest[0].is_word(*_MODES):
            modes.append(rest[0].text.upper())
        rest = rest[1:]
    default: object = REQUIRED
    for i, token in enumerate(rest):
        if token.is_word("DEFAULT") or token.text == ":=":
            default = _literal(rest[i + 1:])
    boolean = any(token.is_word("BOOLEAN") for token in rest)
    return Param(name, " ".join(modes) or "IN", default, boolean)


def _literal(tokens: list[Token]) -> object:
    if len(tokens) == 1 and tokens[0].kind == "number":
        return Decimal(tokens[0].text)
    if len(tokens) == 1 and tokens[0].kind in ("string", "qstring"):
        return literal_body(tokens[0]) or None
    if len(tokens) == 1 and tokens[0].is_word("NULL", "TRUE", "FALSE"):
        return {"NULL": None, "TRUE": True, "FALSE": False}[tokens[0].text.upper()]
    raise OracleError(6550, "PLS-00999: implementation restriction (may be temporary) only literal "
                      "defaults of stored routine parameters are run by the test server")


def _as_block(body: list[Token], names: list[str], function: bool) -> str:
    """The body with parameters as binds ``:1``.. and ``RETURN x;`` as ``:n+1 := x; RETURN;``."""
    out, previous, returning = [], "", False
    for token, use in zip(body, name_uses(body, names)):
        if use is not None:
            out.append(f":{names.index(use) + 1}")
        elif function and token.is_word("RETURN") and previous in (";", "BEGIN", "THEN", "ELSE"):
            out.append(f":{len(names) + 1} :=")
            returning = True
        elif returning and token.text == ";":
            out.append("; RETURN ;")  # the function ends at its RETURN (``control``)
            returning = False
        else:
            out.append(token.text)
        previous = token.text.upper()
    return " ".join(out)
