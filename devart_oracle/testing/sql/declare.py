"""``DECLARE`` blocks: local variables of an anonymous block, as hidden binds.

``DECLARE t_Id number; t_Name varchar2(20) := 'x'; BEGIN ... END;`` runs as
the block after BEGIN with each use of a local variable turned into a bind
the client never sees (``:"DECLARE$1"`` ...), whose value starts as the
declaration's literal default (or NULL). So the statements a block may hold
(assignments, ``SELECT ... INTO``, DML, calls) work on locals as they work on
binds, and the client gets back its own binds only. An exception declared
(``e_Full exception;``, with ``PRAGMA EXCEPTION_INIT(e_Full, -20001);`` for an
ORA number) is named in the block by a quoted identifier RAISE and the
handlers know (``control.DECLARED``). Declarations other than these and
``name type [NOT NULL] [:= | DEFAULT literal];`` (a ``sys_refcursor`` variable
is one: the block opens it) are ORA-06550 PLS-00999 (cursors, types ...).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from .control import DECLARED
from .errors import OracleError
from .lexer import Token, bind_names, name_of, name_uses, significant, tokenize
from .literals import literal_body
from .pls import RESTRICTION, compile_error

__all__ = ["returning_targets", "run_declared"]

#: run_plsql's shape: (sql, tokens, params, host) -> an Outcome with ``binds``.
Runner = Callable[[str, tuple[Token, ...], Sequence[object], Any], Any]
_UNSUPPORTED = ("CURSOR", "TYPE", "EXCEPTION", "PRAGMA", "PROCEDURE", "FUNCTION")
_CODE_DIGITS = ("number", "op")  # the ORA number of a PRAGMA EXCEPTION_INIT: ``-`` and digits


def run_declared(sql: str, tokens: tuple[Token, ...], params: Sequence[object], host: Any,
                 runner: Runner) -> Any:
    """Run a DECLARE block; what it did to the client's binds (``runner``'s Outcome).

    Raises:
        OracleError: ORA-06550 for a declaration the server does not run, or
            what the block raises; ORA-01008/ORA-01036 for the wrong number of binds.
    """
    words = list(significant(tokens))
    begin = next((i for i, t in enumerate(words) if t.is_word("BEGIN")), None)
    if begin is None:
        raise compile_error(sql, words[-1], 'PLS-00103: Encountered the symbol "end-of-file" '
                            "when expecting one of the following: begin")
    names = bind_names(tokens, plsql=True)
    if len(params) != len(names):
        raise OracleError(1008 if len(params) < len(names) else 1036)
    local: dict[str, object] = {}
    exceptions: dict[str, int] = {}  # declared exceptions and their ORA numbers (0: none)
    for part in _declarations(words[1:begin]):
        if len(part) == 2 and part[1].is_word("EXCEPTION") and part[0].kind in ("word", "ident"):
            exceptions[name_of(part[0])] = 0
        elif part[0].is_word("PRAGMA") and len(part) > 1 and part[1].is_word("EXCEPTION_INIT"):
            _exception_init(sql, part, exceptions)
        elif len(part) < 2 or part[0].is_word(*_UNSUPPORTED) or part[1].is_word(*_UNSUPPORTED) \
                or part[0].kind not in ("word", "ident"):  # CURSOR c IS ..., TYPE t IS ..., x CURSOR
            raise compile_error(sql, part[0], f"{RESTRICTION}this declaration is not run by the "
                                "test server")
        else:
            local[name_of(part[0])] = _initial(sql, part)
    hidden = {name: f':"DECLARE${n}"' for n, name in enumerate(local, 1)}
    named = {name: f'"{DECLARED}{code}${name}"' for name, code in exceptions.items()}
    block = _rewrite(words[begin:], {**hidden, **named})
    inner = tokenize(block)
    values = {**dict(zip(names, params)),
              **{hidden[name][2:-1]: value for name, value in local.items()}}
    order = bind_names(inner, plsql=True)
    outcome = runner(block, inner, [values.get(name) for name in order], host)
    done = dict(zip(order, outcome.binds))
    return type(outcome)(tuple(done.get(name, ("IN", values[name])) for name in names))


def _declarations(words: list[Token]) -> list[list[Token]]:
    parts: list[list[Token]] = [[]]
    for token in words:
        if token.text == ";":
            parts.append([])
        else:
            parts[-1].append(token)
    return [part for part in parts if part]


def _initial(sql: str, part: list[Token]) -> object:
    """The literal a declaration starts with (``:=`` or DEFAULT), else NULL."""
    for i, token in enumerate(part):
        if token.text == ":=" or token.is_word("DEFAULT"):
            value = part[i + 1:]
            if len(value) == 1 and value[0].kind == "number":
                return Decimal(value[0].text)
            if len(value) == 1 and value[0].kind in ("string", "qstring"):
                return literal_body(value[0]) or None
            if len(value) == 1 and value[0].is_word("NULL"):
                return None
            raise compile_error(sql, value[0] if value else token, f"{RESTRICTION}only literal "
                                "initial values of local variables are run by the test server")
    return None


def _exception_init(sql: str, part: list[Token], exceptions: dict[str, int]) -> None:
    """``PRAGMA EXCEPTION_INIT(name, -n)``: the declared exception ``name`` stands for ORA-n."""
    inside = part[3:-1] if len(part) > 4 and part[2].text == "(" and part[-1].text == ")" else []
    comma = next((i for i, t in enumerate(inside) if t.text == ","), None)
    if comma != 1 or name_of(inside[0]) not in exceptions:
        raise compile_error(sql, part[0], "PLS-00109: unknown exception name in PRAGMA "
                            "EXCEPTION_INIT")
    number = "".join(t.text for t in inside[2:] if t.kind in _CODE_DIGITS)
    if not re.fullmatch(r"-[1-9]\d{0,6}|100", number) or number == "-1403":
        raise compile_error(sql, part[0], f"PLS-00701: illegal ORACLE error number {number} for "
                            "PRAGMA EXCEPTION_INIT")
    exceptions[name_of(inside[0])] = 1403 if number == "100" else -int(number)


def _rewrite(body: list[Token], replacements: dict[str, str]) -> str:
    """The block from BEGIN on, each use of a local variable or exception its replacement."""
    return " ".join(token.text if use is None else replacements[use]
                    for token, use in zip(body, name_uses(body, replacements)))


def returning_targets(tokens: list[Token]) -> list[Token]:
    """The binds after ``RETURNING ... INTO`` of a block's DML statement (none without one)."""
    returning = next((i for i, t in enumerate(tokens) if t.is_word("RETURNING", "RETURN")), None)
    into = next((i for i, t in enumerate(tokens) if returning is not None and i > returning
                 and t.is_word("INTO")), None)
    return [] if into is None else [t for t in tokens[into + 1:] if t.kind == "bind"]
