"""The DDL of stored routines: where ``CREATE PROCEDURE|FUNCTION`` keeps their source.

The source (what follows the routine's name) goes into the database's
``DEVART$ROUTINES`` table, so every session sees it; ``stored`` reads it
back when a block calls the routine.

A package is its routines: ``CREATE PACKAGE p`` keeps the specification as
it is (it declares, nothing runs), and ``CREATE PACKAGE BODY p`` keeps each
procedure and function of the body as the routine ``P.NAME``, called as
``p.name`` (or ``owner.p.name``) like any stored routine. What a body holds
besides its routines (variables, constants, types, cursors, an
initialization section) and overloaded routines are ORA-00900: the server
keeps no package state and resolves no overloads.
"""

from __future__ import annotations

from .errors import OracleError
from .lexer import Token, Words, joined, name_of
from .literals import quote_literal

__all__ = ["ROUTINES", "create_package", "create_routine", "drop_package", "drop_routine"]

ROUTINES = '"DEVART$ROUTINES"'
_SCHEMA = f"CREATE TABLE IF NOT EXISTS {ROUTINES} (NAME TEXT PRIMARY KEY, KIND TEXT, SOURCE TEXT)"


def create_routine(kind: str, words: Words, replace: bool) -> list[str]:
    """The SQLite statements that store a routine (``words`` is at its name)."""
    _, name = words.name()
    return [_SCHEMA, _insert(name, kind, joined(words.rest()), replace)]


def drop_routine(name: str, kind: str) -> list[str]:
    """The SQLite statements that drop the routine ``name`` (ORA-04043 if there is no such ``kind``)."""
    return [_SCHEMA, _exists(f"NAME = {quote_literal(name)} AND KIND = {quote_literal(kind)}", name),
            f"DELETE FROM {ROUTINES} WHERE NAME = {quote_literal(name)}"]


def _insert(name: str, kind: str, source: str, replace: bool = False) -> str:
    """The statement that stores one routine, or a package's specification."""
    values = ", ".join(quote_literal(text) for text in (name, kind, source))
    return f"{'INSERT OR REPLACE' if replace else 'INSERT'} INTO {ROUTINES} VALUES ({values})"


def _in_body(package: str) -> str:
    """The condition that picks the routines of ``package``'s body (``P.NAME``)."""
    return f"substr(NAME, 1, {len(package) + 1}) = {quote_literal(f'{package}.')}"


def _exists(condition: str, name: str) -> str:
    """A statement that fails with ORA-04043 (``name``) unless a routine meets ``condition``."""
    return (f"SELECT ORA_RAISE(4043, {quote_literal(name)}) "
            f"WHERE NOT EXISTS (SELECT 1 FROM {ROUTINES} WHERE {condition})")


def create_package(words: Words, replace: bool) -> list[str]:
    """The SQLite statements that store a package's specification, or its body's routines
    (``words`` is after ``PACKAGE``); a body replaces the routines of the one before.

    Raises:
        OracleError: ORA-00900 for what a body holds besides routines, or an overload.
    """
    body = words.accept("BODY")
    _, name = words.name()
    rest = words.rest()
    if not body:
        return [_SCHEMA, _insert(name, "PACKAGE", joined(rest), replace)]
    return [_SCHEMA, f"DELETE FROM {ROUTINES} WHERE {_in_body(name)}",  # the body before
            *(_insert(f"{name}.{routine}", kind, source) for kind, routine, source in _routines(name, rest))]


def drop_package(name: str, body: bool = False) -> list[str]:
    """The SQLite statements that drop a package (``body``: only its body's routines;
    ORA-04043 if there is no such package, or body)."""
    in_body = _in_body(name)
    spec = f"NAME = {quote_literal(name)} AND KIND = 'PACKAGE'"
    routines = f"DELETE FROM {ROUTINES} WHERE {in_body}"
    if body:
        return [_SCHEMA, _exists(in_body, name), routines]
    return [_SCHEMA, _exists(spec, name), routines, f"DELETE FROM {ROUTINES} WHERE {spec}"]


def _routines(package: str, tokens: list[Token]) -> list[tuple[str, str, str]]:
    """(kind, name, source) of each routine a package body defines; forward declarations are skipped."""
    if not tokens or not tokens[0].is_word("IS", "AS"):
        raise OracleError(900, f"PACKAGE BODY {package} must go on with IS or AS")
    found: list[tuple[str, str, str]] = []
    i = 1
    while i < len(tokens) and not tokens[i].is_word("END"):
        if not tokens[i].is_word("PROCEDURE", "FUNCTION") or i + 1 >= len(tokens):
            what = "an initialization section" if tokens[i].is_word("BEGIN") else f"a declaration ({tokens[i].text} ...)"
            raise OracleError(900, f"{what} in a package body is not supported by the test server "
                                   "(only procedures and functions)")
        kind, routine = tokens[i].text.upper(), name_of(tokens[i + 1])
        end, defined = _routine_end(tokens, i + 2)
        if defined:
            if any(name == routine for _, name, _ in found):
                raise OracleError(900, f"overloaded {package}.{routine} is not supported by the test server")
            found.append((kind, routine, joined(tokens[i + 2:end])))
        i = end
    return found


def _routine_end(tokens: list[Token], start: int) -> tuple[int, bool]:
    """Where the routine whose parameters begin at ``start`` ends (after its ``;``), and
    whether it is defined there (``IS ... END [name];``) or only declared (``... ;``)."""
    depth, defining, begun = 0, False, False
    i = start
    while i < len(tokens):
        token = tokens[i]
        if depth == 0 and token.is_word("IS", "AS"):
            defining = True
        elif token.is_word("BEGIN", "CASE"):
            begun = begun or token.is_word("BEGIN")
            depth += 1
        elif token.is_word("END"):
            follows = tokens[i + 1] if i + 1 < len(tokens) else None
            if follows is not None and follows.is_word("IF", "LOOP"):
                i += 1  # END IF, END LOOP: no block ends
            else:
                depth -= 1
                i += follows is not None and follows.is_word("CASE")  # END CASE
                if depth == 0 and begun:  # the routine's own END [name];
                    while i < len(tokens) and tokens[i].text != ";":
                        i += 1
                    return i + 1, True
        elif token.text == ";" and depth == 0 and not defining:
            return i + 1, False
        i += 1
    raise OracleError(900, "a routine of the package body has no END")
