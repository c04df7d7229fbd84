"""PL/SQL control flow: IF, loops, blocks with exception handlers, RAISE and RETURN.

The statements of :mod:`.plsql` nest here as Oracle's grammar has them:

- ``IF c THEN ... [ELSIF c THEN ...] ... [ELSE ...] END IF``: a condition
  is a BOOLEAN bind or literal (TRUE, FALSE, NULL), ``NOT`` one, or anything
  SQL can decide (``length(:1) >= 2``, ``:a = :b AND :c IS NULL``); NULL is
  not true, so a NULL condition takes the next branch, as in Oracle;
- ``LOOP ... END LOOP`` and ``WHILE c LOOP ... END LOOP``, left by ``EXIT [WHEN c];``
  and cut short by ``CONTINUE [WHEN c];`` (outside a loop both are PLS-00376); a
  cancelled call ends a loop even if it runs no SQL. ``FOR`` loops are not run;
- ``BEGIN ... [EXCEPTION WHEN name [OR name] THEN ... WHEN OTHERS THEN ...]
  END``, the block itself or one nested in it: a handler catches the error a
  statement of its block raised (the predefined exceptions are the ORA
  errors they stand for: NO_DATA_FOUND is ORA-01403, DUP_VAL_ON_INDEX
  ORA-00001 ...), and the block goes on after it; ``OTHERS`` catches every
  error but a cancelled call (ORA-01013), which ends the block;
- ``RAISE name;`` (a predefined exception), ``RAISE;`` (in a handler: the
  error it is handling, again) and the packaged procedure
  ``RAISE_APPLICATION_ERROR`` (``procedures``);
- ``RETURN;``: the block (or routine) ends there. A stored function's
  ``RETURN x;`` is its result's assignment followed by this (``stored``).

In a handler, SQLCODE and SQLERRM are the handled error's (SQLCODE is 100
for NO_DATA_FOUND, minus the ORA number otherwise; SQLERRM its message
without the ORA-06512 lines); outside one, 0 and "ORA-0000: normal,
successful completion".

An error no handler catches ends the block with its ORA code and the
``ORA-06512: at line L`` of the statement that raised it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from .errors import OracleError
from .lexer import Token, bind_name
from .pls import at_line, compile_error
from .ref_cursors import cursor_attribute, is_attribute

__all__ = ["DECLARED", "PREDEFINED", "Return", "UserException", "block_statement", "exit_statement",
           "expression_text", "if_statement", "loop_statement", "raise_statement", "return_statement", "sequence"]

#: The predefined exceptions (package STANDARD) and the ORA errors they stand for.
PREDEFINED = {
    "NO_DATA_FOUND": 1403, "TOO_MANY_ROWS": 1422, "ZERO_DIVIDE": 1476, "VALUE_ERROR": 6502,
    "INVALID_NUMBER": 1722, "DUP_VAL_ON_INDEX": 1, "INVALID_CURSOR": 1001,
    "CURSOR_ALREADY_OPEN": 6511, "LOGIN_DENIED": 1017, "NOT_LOGGED_ON": 1012,
    "PROGRAM_ERROR": 6501, "STORAGE_ERROR": 6500, "TIMEOUT_ON_RESOURCE": 51,
    "CASE_NOT_FOUND": 6592, "ROWTYPE_MISMATCH": 6504, "SYS_INVALID_ROWID": 1410,
    "ACCESS_INTO_NULL": 6530, "COLLECTION_IS_NULL": 6531, "SUBSCRIPT_OUTSIDE_LIMIT": 6532,
    "SUBSCRIPT_BEYOND_COUNT": 6533, "SELF_IS_NULL": 30625,
}
#: How ``declare`` names a declared exception in the block: ``"DECLARE$EXCEPTION$code$NAME"``
#: (code 0: no PRAGMA EXCEPTION_INIT gave it one).
DECLARED = "DECLARE$EXCEPTION$"
_CANCELLED = 1013
_USER = 6510  # PL/SQL: unhandled user-defined exception
_ERROR_FUNCTIONS = ("SQLCODE", "SQLERRM")
_LITERALS = {"TRUE": True, "FALSE": False, "NULL": None}


class Return(Exception):
    """``RETURN;`` ran: the block stops (run_plsql catches it)."""


class _Exit(Exception):
    """``EXIT`` ran: the innermost loop ends."""


class _Continue(Exception):
    """``CONTINUE`` ran: the innermost loop goes on with its next round."""


class UserException(OracleError):
    """A declared exception without an ORA number, raised: ORA-06510 unless a handler names it."""

    def __init__(self, name: str) -> None:
        super().__init__(_USER)
        self.name = name


class _Run(Protocol):
    """A running block, as the control statements see it (``plsql._Run``)."""

    values: dict[str, object]
    handling: list[OracleError]

    def scalar(self, sql: str, params: Sequence[object]) -> object: ...
    def pause(self) -> None: ...  # ORA-01013 once the call is cancelled


R = TypeVar("R", bound=_Run)
_R_contra = TypeVar("_R_contra", bound=_Run, contravariant=True)


class _Parser(Protocol[_R_contra]):
    """The PL/SQL parser, as the control statements see it (``plsql._Parser``).

    Generic in the running block's type, so the statements it parses and
    these compose are all of one type.
    """

    sql: str
    handlers: int
    loops: int  # how many loops the parser is inside

    def peek(self) -> Token: ...
    def at(self, text: str) -> bool: ...
    def take(self) -> Token: ...
    def expect(self, text: str) -> None: ...
    def statement(self) -> Callable[[_R_contra], None]: ...
    def read(self, tokens: list[Token]) -> list[Token]: ...


def sequence(parser: _Parser[R], *ends: str) -> list[Callable[[R], None]]:
    """Statements, each ending in ``;``, up to (not taking) one of the words ``ends``."""
    statements = []
    while not parser.peek().is_word(*ends):
        statements.append(parser.statement())
        parser.expect(";")
    if not statements:
        token = parser.peek()
        raise compile_error(parser.sql, token, f'PLS-00103: Encountered the symbol '
                            f'"{token.text.upper()}" when expecting one of the following: null')
    return statements


def _run_all(run: R, statements: list[Callable[[R], None]]) -> None:
    for statement in statements:
        statement(run)


# ------------------------------------------------------------------ IF

def if_statement(parser: _Parser[R]) -> Callable[[R], None]:
    """``IF ... END IF`` (the IF word not taken yet)."""
    branches: list[tuple[Callable[[R], bool], list[Callable[[R], None]]]] = []
    otherwise: list[Callable[[R], None]] = []
    while parser.peek().is_word("IF", "ELSIF"):
        parser.take()
        test = _condition(parser, _until_then(parser))
        parser.expect("THEN")
        branches.append((test, sequence(parser, "ELSIF", "ELSE", "END")))
    if parser.peek().is_word("ELSE"):
        parser.take()
        otherwise = sequence(parser, "END")
    parser.expect("END")
    parser.expect("IF")

    def run_if(run: R) -> None:
        chosen = next((body for test, body in branches if test(run)), otherwise)
        _run_all(run, chosen)
    return run_if


# ---------------------------------------------------------------- loops

def loop_statement(parser: _Parser[R]) -> Callable[[R], None]:
    """``[WHILE c] LOOP ... END LOOP`` (its first word not taken yet)."""
    test: Callable[[R], bool] | None = None
    if parser.take().is_word("WHILE"):
        test = _condition(parser, _until_then(parser, "LOOP"))
        parser.expect("LOOP")
    parser.loops += 1
    body = sequence(parser, "END")
    parser.loops -= 1
    parser.expect("END")
    parser.expect("LOOP")

    def run_loop(run: R) -> None:
        rounds = 0
        while test is None or test(run):
            try:
                _run_all(run, body)
            except _Exit:
                return
            except _Continue:
                pass
            rounds += 1
            if rounds % 1024 == 0:  # now and then: was the call cancelled?
                run.pause()
    return run_loop


def exit_statement(parser: _Parser[R]) -> Callable[[R], None]:
    """``EXIT [WHEN c]`` or ``CONTINUE [WHEN c]`` (the word not taken yet)."""
    word = parser.take()
    if not parser.loops:
        raise compile_error(parser.sql, word, "PLS-00376: illegal EXIT/CONTINUE statement; it must "
                            "appear inside a loop")
    signal = _Exit if word.is_word("EXIT") else _Continue
    when = parser.peek().is_word("WHEN") and bool(parser.take())
    test = _condition(parser, _until_then(parser)) if when else None

    def run_exit(run: R) -> None:
        if test is None or test(run):
            raise signal()
    return run_exit


def _until_then(parser: _Parser[R], end: str = "THEN") -> list[Token]:
    tokens = []
    while not parser.peek().is_word(end) and parser.peek().text != ";":
        tokens.append(parser.take())
    if not tokens:
        raise compile_error(parser.sql, parser.peek(), 'PLS-00103: Encountered the symbol '
                            f'"{parser.peek().text.upper()}" when expecting an expression')
    return tokens


def _condition(parser: _Parser[R], tokens: list[Token]) -> Callable[[R], bool]:
    """How to decide a condition: TRUE only when it is true (not FALSE, not NULL)."""
    parser.read(tokens)
    negate = tokens[0].is_word("NOT") and len(tokens) == 2
    single = tokens[-1] if negate or len(tokens) == 1 else None
    if single is not None and (single.kind == "bind" or single.text.upper() in _LITERALS):
        def simple(run: R) -> bool:
            value = run.values[bind_name(single)] if single.kind == "bind" else \
                _LITERALS.get(single.text.upper())
            return value is not None and bool(value) != negate
        return simple

    def decide(run: R) -> bool:
        text, binds = expression_text(parser.sql, tokens, run.values, run.handling)
        try:
            return run.scalar(f"SELECT CASE WHEN {text} THEN 1 ELSE 0 END FROM DUAL", binds) == 1
        except OracleError as exc:
            raise at_line(exc, parser.sql, tokens[0]) from None
    return decide


def expression_text(sql: str, tokens: list[Token], values: dict[str, object],
                    handling: list[OracleError]) -> tuple[str, list[object]]:
    """An expression as SQL runs it, and its binds' values in order.

    SQLCODE and SQLERRM, which SQL does not know, become binds holding the
    values of the error being handled, and a cursor's attributes (``c%FOUND``
    ...) binds holding theirs (``ref_cursors``).
    """
    if not any(t.is_word(*_ERROR_FUNCTIONS) or t.text == "%" for t in tokens):
        first, last = tokens[0], tokens[-1]
        return (sql[first.pos:last.pos + len(last.text)],
                [values[bind_name(t)] for t in tokens if t.kind == "bind"])
    parts: list[str] = []
    binds: list[object] = []
    skip = 0
    for i, token in enumerate(tokens):
        if skip:
            skip -= 1
        elif is_attribute(tokens, i):
            parts.append(f':"%{tokens[i + 2].text.upper()}${len(binds)}"')
            binds.append(cursor_attribute(values[bind_name(token)], tokens[i + 2].text.upper()))
            skip = 2
        elif token.is_word(*_ERROR_FUNCTIONS):
            parts.append(f':"{token.text.upper()}${len(binds)}"')
            binds.append(_error_function(token.text.upper(), handling))
        else:
            parts.append(token.text)
            if token.kind == "bind":
                binds.append(values[bind_name(token)])
    return " ".join(parts), binds


def _error_function(word: str, handling: list[OracleError]) -> object:
    """SQLCODE or SQLERRM of the error the innermost handler handles."""
    if not handling:
        return 0 if word == "SQLCODE" else "ORA-0000: normal, successful completion"
    error = handling[-1]
    if isinstance(error, UserException):
        return 1 if word == "SQLCODE" else "User-Defined Exception"
    if word == "SQLCODE":
        return 100 if error.code == 1403 else -error.code
    return error.text.split("\nORA-06512:")[0]


# ------------------------------------------------------- blocks, handlers

def block_statement(parser: _Parser[R]) -> Callable[[R], None]:
    """``BEGIN ... [EXCEPTION ...] END [label]`` (BEGIN not taken; the ``;`` after is left)."""
    parser.expect("BEGIN")
    body = sequence(parser, "EXCEPTION", "END")
    handlers: list[tuple[frozenset[int | str] | None, list[Callable[[R], None]]]] = []
    if parser.peek().is_word("EXCEPTION"):
        parser.take()
        while parser.peek().is_word("WHEN"):
            handlers.append(_handler(parser))
        if not handlers:
            token = parser.peek()
            raise compile_error(parser.sql, token, 'PLS-00103: Encountered the symbol '
                                f'"{token.text.upper()}" when expecting one of the following: when')
    parser.expect("END")
    if parser.peek().kind == "word" and not parser.at("END"):
        parser.take()  # the block's label
    if not handlers:
        return lambda run: _run_all(run, body)

    def run_block(run: R) -> None:
        try:
            _run_all(run, body)
        except OracleError as exc:
            chosen = _caught(handlers, exc)
            if chosen is None:
                raise
            run.handling.append(exc)
            try:
                _run_all(run, chosen)
            finally:
                run.handling.pop()
    return run_block


def _caught(handlers: list[tuple[frozenset[int | str] | None, list[Callable[[R], None]]]],
            error: OracleError) -> list[Callable[[R], None]] | None:
    """The statements of the first handler for ``error`` (codes None: OTHERS).

    A handler names ORA numbers, or the names of declared exceptions that have none.
    """
    key = error.name if isinstance(error, UserException) else error.code
    for codes, statements in handlers:
        if codes is None and error.code != _CANCELLED or codes is not None and key in codes:
            return statements
    return None


def _exception(parser: _Parser[R], token: Token) -> int | str:
    """What an exception's name stands for: its ORA number, or its name if it has none.

    Raises:
        OracleError: ORA-06550 PLS-00201 for a name that is no exception.
    """
    if token.kind == "word" and token.text.upper() in PREDEFINED:
        return PREDEFINED[token.text.upper()]
    if token.kind == "ident" and token.text[1:].startswith(DECLARED):
        code, name = token.text[1 + len(DECLARED):-1].split("$", 1)
        return int(code) or name
    raise compile_error(parser.sql, token, f"PLS-00201: identifier '{token.text.upper()}' must be "
                        "declared", ignored=True)


def _handler(parser: _Parser[R]) -> tuple[frozenset[int | str] | None, list[Callable[[R], None]]]:
    """``WHEN name [OR name ...] THEN statements`` (WHEN not taken yet)."""
    parser.take()
    codes: set[int | str] | None = set()
    while True:
        token = parser.take()
        if token.is_word("OTHERS"):
            codes = None
        elif codes is not None:
            codes.add(_exception(parser, token))
        if not parser.at("OR"):
            break
        parser.take()
    parser.expect("THEN")
    parser.handlers += 1
    try:
        statements = sequence(parser, "WHEN", "END")
    finally:
        parser.handlers -= 1
    return (None if codes is None else frozenset(codes)), statements


# --------------------------------------------------------- RAISE, RETURN

def raise_statement(parser: _Parser[R]) -> Callable[[R], None]:
    """``RAISE [name]`` (RAISE not taken yet)."""
    start = parser.take()
    if parser.peek().text == ";":
        if not parser.handlers:
            raise compile_error(parser.sql, start, "PLS-00367: a RAISE statement with no exception "
                                "name must be inside an exception handler")

        def reraise(run: R) -> None:
            raise run.handling[-1]
        return reraise
    raised = _exception(parser, parser.take())

    def raise_named(run: R) -> None:
        if isinstance(raised, str):
            raise at_line(UserException(raised), parser.sql, start)
        error = OracleError(raised)
        if 20000 <= raised <= 20999:  # an application error's number, with no message
            error.text = f"ORA-{raised}: "
        raise at_line(error, parser.sql, start)
    return raise_named


def return_statement(parser: _Parser[R]) -> Callable[[R], None]:
    """``RETURN`` without an expression (RETURN not taken yet): the block ends."""
    start = parser.take()
    if parser.peek().text != ";":
        raise compile_error(parser.sql, start, "PLS-00372: In a procedure, RETURN statement cannot "
                            "contain an expression", ignored=True)

    def leave(run: R) -> None:
        raise Return
    return leave
