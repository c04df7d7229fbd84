"""Oracle DDL to SQLite DDL: CREATE, DROP, ALTER, TRUNCATE, RENAME.

Column definitions are ``columns``' business; this module handles the
statements around them. ``CREATE OR REPLACE VIEW`` drops the view first;
storage clauses, ``PURGE``, ``CASCADE CONSTRAINTS``, ``WITH READ ONLY`` and
the like are dropped; ``TRUNCATE`` deletes; a PRIMARY KEY or UNIQUE
constraint added by ``ALTER TABLE`` becomes a unique index (SQLite cannot
add constraints). What SQLite cannot do at all (``MODIFY``, adding a CHECK
or FOREIGN KEY later) is an ORA-00900 that says so. Sequences
are not tables: the statement reports them as ``SequenceOp`` and the
session applies them; editions too (``EditionOp``: ``editions``). Procedures, functions and
packages are stored by ``routine_ddl``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from .columns import (
    CONSTRAINTS,
    SEQUENCES,
    Builder,
    SequenceOp,
    column_definition,
    primary_key_columns,
    record_constraints,
)
from .editions import EditionOp, edition_op
from .errors import OracleError
from .lexer import Token, Words, joined, name_of, significant, split_commas, tokenize
from .literals import quote_literal
from .routine_ddl import create_package, create_routine, drop_package, drop_routine

__all__ = ["CONSTRAINTS", "SEQUENCES", "Ddl", "SequenceOp", "added_key_name", "ddl", "unsupported"]

_SKIPPED = {"OR", "REPLACE", "FORCE", "NOFORCE", "EDITIONABLE", "NONEDITIONABLE",
            "GLOBAL", "TEMPORARY", "BITMAP"}


@dataclass(frozen=True)
class Ddl:
    """A DDL statement as SQLite statements, plus the sequences it touches."""

    statements: tuple[str, ...] = ()
    sequences: tuple[SequenceOp, ...] = ()
    editions: tuple[EditionOp, ...] = ()


def unsupported(what: str) -> OracleError:
    """ORA-00900 for an Oracle statement the test server does not run."""
    return OracleError(900, f"{what} is not supported by the test server")


@functools.lru_cache(maxsize=256)
def ddl(sql: str, schemas: frozenset[str]) -> Ddl:
    """Translate a DDL statement.

    Raises:
        OracleError: ORA-00902 for a type, ORA-01027 for binds, ORA-00900
            for what SQLite cannot do, or a tokenizer error.
    """
    words = Words(significant(tokenize(sql)))
    builder = Builder(schemas)
    verb = words.take_upper()
    handler = {"CREATE": _create, "DROP": _drop, "TRUNCATE": _truncate,
               "ALTER": _alter, "RENAME": _rename}.get(verb)
    if handler is not None:
        handler(words, builder)
    return Ddl(tuple(builder.statements), tuple(builder.sequences), tuple(builder.editions))


def _element(tokens: list[Token], table: str, builder: Builder, primary_key: set[str]) -> str:
    if tokens[0].is_word("CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"):
        record_constraints(tokens, table, [], builder)
        return joined(tokens)
    return column_definition(tokens, table, builder, primary_key)


# --------------------------------------------------------------- statements

def _create(words: Words, builder: Builder) -> None:
    replace = words.peek(1) == "REPLACE"
    words.skip(_SKIPPED)
    unique = words.accept("UNIQUE")
    words.skip(_SKIPPED)
    kind = words.take_upper()
    if kind == "TABLE":
        _create_table(words, builder)
    elif kind == "INDEX":
        _create_index(words, builder, unique)
    elif kind == "VIEW":
        _create_view(words, builder, replace)
    elif kind == "SEQUENCE":
        _create_sequence(words, builder)
    elif kind in ("PROCEDURE", "FUNCTION"):
        builder.statements += create_routine(kind, words, replace)
    elif kind == "EDITION":
        builder.editions.append(edition_op("CREATE", words))
    elif kind == "PACKAGE":
        builder.statements += create_package(words, replace)
    else:
        raise unsupported(f"CREATE {kind}")


def _create_table(words: Words, builder: Builder) -> None:
    text, table = words.name()
    if words.peek() == "AS":
        builder.add(f"CREATE TABLE {text} {joined(words.rest())}")
        return
    parts = split_commas(words.group())
    primary_key = primary_key_columns(parts)
    elements = [_element(part, table, builder, primary_key) for part in parts]
    query = joined(words.rest()) if words.peek() == "AS" else ""
    builder.add(f"CREATE TABLE {text} ({', '.join(elements)}) {query}")


def _create_index(words: Words, builder: Builder, unique: bool) -> None:
    text, name = words.name()
    if not words.accept("ON"):
        raise OracleError(969)
    table_text, table = words.name()
    columns = split_commas(words.group())
    builder.add(f"CREATE {'UNIQUE ' if unique else ''}INDEX {text} ON {table_text} "
                f"({', '.join(joined(c) for c in columns)})")
    if unique:
        builder.constraint(table, [joined(c).upper() for c in columns], name)


def _create_view(words: Words, builder: Builder, replace: bool) -> None:
    text, _ = words.name()
    columns = f"({joined(words.group())})" if words.peek() == "(" else ""
    query = words.rest()
    texts = [t.text.upper() for t in query]
    for tail in (["WITH", "READ", "ONLY"], ["WITH", "CHECK", "OPTION"]):
        if texts[-len(tail):] == tail:
            query = query[:-len(tail)]
    if replace:
        builder.add(f"DROP VIEW IF EXISTS {text}")
    builder.add(f"CREATE VIEW {text} {columns} {joined(query)}")


def _signed(words: Words) -> int:
    sign = -1 if words.accept("-") else 1
    try:
        return sign * int(words.take().text)
    except ValueError:
        raise OracleError(1722) from None


def _create_sequence(words: Words, builder: Builder) -> None:
    _, name = words.name()
    start, increment, started = 1, 1, False
    while words.peek():
        option = words.take_upper()
        if option == "START" and words.accept("WITH"):
            start, started = _signed(words), True
        elif option == "INCREMENT" and words.accept("BY"):
            increment = _signed(words)
        elif option == "MINVALUE" and not started:
            start = _signed(words)
    builder.sequences.append(SequenceOp("CREATE", name, start, increment))


def _drop(words: Words, builder: Builder) -> None:
    kind = words.take_upper()
    if kind == "EDITION":
        builder.editions.append(edition_op("DROP", words))
        return
    body = kind == "PACKAGE" and words.accept("BODY")
    exists = "IF EXISTS " if words.peek() == "IF" and words.peek(1) == "EXISTS" else ""
    words.i += 2 if exists else 0
    text, name = words.name()
    if kind == "SEQUENCE":
        builder.sequences.append(SequenceOp("DROP", name))
    elif kind == "TABLE":
        builder.add(f"DROP TABLE {exists}{text}")
        builder.sequences.append(SequenceOp("PURGE", f"ISEQ$$_{name}_"))
        builder.statements.append(
            f"DELETE FROM {CONSTRAINTS} WHERE TABLE_NAME = {quote_literal(name)}")
    elif kind in ("VIEW", "INDEX"):
        builder.add(f"DROP {kind} {exists}{text}")
    elif kind in ("PROCEDURE", "FUNCTION"):
        builder.statements += drop_routine(name, kind)
    elif kind == "PACKAGE":
        builder.statements += drop_package(name, body)
    else:
        raise unsupported(f"DROP {kind}")


def _truncate(words: Words, builder: Builder) -> None:
    if not words.accept("TABLE"):
        raise unsupported("TRUNCATE without TABLE")
    text, _ = words.name()
    builder.add(f"DELETE FROM {text}")


def _rename(words: Words, builder: Builder) -> None:
    old, _ = words.name()
    if not words.accept("TO"):
        raise OracleError(946)
    new, _ = words.name()
    builder.add(f"ALTER TABLE {old} RENAME TO {new}")


def _alter(words: Words, builder: Builder) -> None:
    if words.take_upper() != "TABLE":
        return  # ALTER INDEX, VIEW, SEQUENCE ...: accepted, nothing to do
    text, table = words.name()
    action = words.take_upper()
    if action == "ADD":
        _alter_add(words, builder, text, table)
    elif action == "DROP":
        _alter_drop(words, builder, text)
    elif action == "RENAME":
        builder.add(f"ALTER TABLE {text} RENAME {joined(words.rest())}")
    else:
        raise unsupported(f"ALTER TABLE {action}")


def _alter_add(words: Words, builder: Builder, text: str, table: str) -> None:
    parts = split_commas(words.group()) if words.peek() == "(" else [words.rest()]
    for part in parts:
        if part[0].is_word("CONSTRAINT", "PRIMARY", "UNIQUE"):
            _add_unique(part, builder, text, table)
        elif part[0].is_word("CHECK", "FOREIGN"):
            raise unsupported(f"ALTER TABLE ADD {part[0].text.upper()}")
        else:
            column = column_definition(part, table, builder, set())
            builder.add(f"ALTER TABLE {text} ADD COLUMN {column}")


def _add_unique(part: list[Token], builder: Builder, text: str, table: str) -> None:
    """A PRIMARY KEY or UNIQUE constraint added later becomes a unique index."""
    words = Words(part)
    name = name_of(words.take()) if words.accept("CONSTRAINT") else ""
    kind = words.take_upper()
    if kind not in ("PRIMARY", "UNIQUE"):
        raise unsupported(f"ALTER TABLE ADD CONSTRAINT {kind}")
    words.accept("KEY")
    columns = [name_of(t) for t in words.group() if t.text != ","]
    name = added_key_name(table, columns, name)
    builder.add(f'CREATE UNIQUE INDEX "{name}" ON {text} ({", ".join(columns)})')
    builder.constraint(table, columns, name)


def added_key_name(table: str, columns: list[str], name: str) -> str:
    """The name of the unique index a key added by ALTER TABLE becomes."""
    return name or f"SYS_C_{table}_{'_'.join(columns)}"


def _alter_drop(words: Words, builder: Builder, text: str) -> None:
    if words.accept("CONSTRAINT"):
        _, name = words.name()
        builder.add(f'DROP INDEX "{name}"')
        builder.statements.append(f"DELETE FROM {CONSTRAINTS} WHERE NAME = {quote_literal(name)}")
        return
    words.accept("COLUMN")
    columns = split_commas(words.group()) if words.peek() == "(" else [words.rest()[:1]]
    for column in columns:
        builder.add(f"ALTER TABLE {text} DROP COLUMN {column[0].text}")
