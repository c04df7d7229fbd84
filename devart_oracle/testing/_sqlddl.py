"""Oracle DDL to SQLite DDL.

Oracle's column types are mapped to a small canon that SQLite keeps as the
declared type, which is how result columns get their Oracle type back:
``NUMBER[(p[,s])]``, ``VARCHAR2(n)``, ``CHAR(n)``, ``DATE``, ``TIMESTAMP(p)``
and ``RAW(n)``. Those names give the right SQLite affinities: NUMERIC for
NUMBER (so ``'5'`` is stored as 5), TEXT for the character types, and none
that would turn a stored date into a number. LOBs, LONG and INTERVAL are
refused with ORA-00902.

A sized column gets a CHECK constraint calling ``ORA_FITS``, which raises
ORA-12899 (or ORA-01438 for NUMBER precision) with Oracle's details. Named
PRIMARY KEY and UNIQUE constraints and unique indexes are recorded in a
table, so that ORA-00001 can name them. Identity columns get an implicit
sequence. Storage clauses, ``PURGE``, ``CASCADE CONSTRAINTS`` and the like
are dropped; what SQLite cannot do (``MODIFY``, adding a CHECK later) is an
ORA-00900 that says so.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from ._sqlerrors import OracleError
from ._sqllex import Token, significant, tokenize
from ._sqlrewrite import plan, quote_literal

__all__ = ["Ddl", "SequenceOp", "ddl", "CONSTRAINTS", "SEQUENCES"]

CONSTRAINTS = '"DEVART$CONSTRAINTS"'
SEQUENCES = '"DEVART$SEQUENCES"'
_SKIPPED = {"OR", "REPLACE", "FORCE", "NOFORCE", "EDITIONABLE", "NONEDITIONABLE",
            "GLOBAL", "TEMPORARY", "BITMAP"}
_NUMBERS = {"NUMBER", "NUMERIC", "DECIMAL", "DEC"}
_FLOATS = {"FLOAT", "REAL", "BINARY_FLOAT", "BINARY_DOUBLE", "DOUBLE"}
_INTEGERS = {"INTEGER", "INT", "SMALLINT"}
_STRINGS = {"VARCHAR2": "VARCHAR2", "VARCHAR": "VARCHAR2", "NVARCHAR2": "VARCHAR2",
            "CHAR": "CHAR", "NCHAR": "CHAR", "CHARACTER": "CHAR", "RAW": "RAW"}


@dataclass(frozen=True)
class SequenceOp:
    """A sequence to create or drop."""

    action: str
    name: str
    start: int = 1
    increment: int = 1


@dataclass(frozen=True)
class Ddl:
    """A DDL statement as SQLite statements, plus the sequences it touches."""

    statements: tuple[str, ...] = ()
    sequences: tuple[SequenceOp, ...] = ()


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
    words = _Words(significant(tokenize(sql)))
    builder = _Builder(schemas)
    verb = words.take_upper()
    handler = {"CREATE": _create, "DROP": _drop, "TRUNCATE": _truncate,
               "ALTER": _alter, "RENAME": _rename}.get(verb)
    if handler is not None:
        handler(words, builder)
    return Ddl(tuple(builder.statements), tuple(builder.sequences))


def _name(token: Token) -> str:
    return token.text[1:-1] if token.kind == "ident" else token.text.upper()


class _Words:
    """A cursor over significant tokens."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.i = 0

    def peek(self, ahead: int = 0) -> str:
        i = self.i + ahead
        return self.tokens[i].text.upper() if i < len(self.tokens) else ""

    def take(self) -> Token:
        if self.i >= len(self.tokens):
            raise OracleError(921)
        self.i += 1
        return self.tokens[self.i - 1]

    def take_upper(self) -> str:
        return self.take().text.upper()

    def accept(self, *words: str) -> bool:
        found = self.peek() in words
        self.i += found
        return found

    def skip(self, words: set[str]) -> None:
        while self.peek() in words:
            self.i += 1

    def name(self) -> tuple[str, str]:
        """An object name, maybe schema-qualified: (its text, its name)."""
        token = self.take()
        if self.peek() == ".":
            self.i += 1
            token = self.take()
        return token.text, _name(token)

    def group(self) -> list[Token]:
        """The tokens inside the parentheses that start here."""
        if self.peek() != "(":
            raise OracleError(906)
        depth, start = 0, self.i + 1
        while True:
            text = self.take().text
            depth += {"(": 1, ")": -1}.get(text, 0)
            if depth == 0:
                return self.tokens[start:self.i - 1]

    def rest(self) -> list[Token]:
        rest, self.i = self.tokens[self.i:], len(self.tokens)
        return rest


def _text(tokens: list[Token]) -> str:
    return " ".join(t.text for t in tokens)


def _split(tokens: list[Token]) -> list[list[Token]]:
    """Split at the commas outside parentheses."""
    parts: list[list[Token]] = [[]]
    depth = 0
    for token in tokens:
        depth += {"(": 1, ")": -1}.get(token.text, 0)
        if token.text == "," and depth == 0:
            parts.append([])
        else:
            parts[-1].append(token)
    return [part for part in parts if part]


@dataclass
class _Builder:
    schemas: frozenset[str]
    statements: list[str] = field(default_factory=list)
    sequences: list[SequenceOp] = field(default_factory=list)

    def add(self, oracle_sql: str) -> None:
        rewritten = plan(oracle_sql, self.schemas)
        if rewritten.binds:
            raise OracleError(1027)
        self.statements.append(rewritten.sql)

    def constraint(self, table: str, columns: list[str], name: str) -> None:
        values = ", ".join(quote_literal(v) for v in (table, ",".join(columns), name))
        self.statements.append(f"INSERT INTO {CONSTRAINTS} VALUES ({values})")


# ------------------------------------------------------------------- types

def _arguments(words: _Words) -> list[str]:
    if words.peek() != "(":
        return []
    return [t.text for t in words.group() if t.kind == "number" or t.text in ("*", "-")]


def _number_type(args: list[str]) -> str:
    if not args or args == ["*"]:
        return "NUMBER"
    scale = "".join(args[1:])
    precision = "38" if args[0] == "*" else args[0]
    return f"NUMBER({precision},{scale})" if scale else f"NUMBER({precision})"


def _column_type(words: _Words) -> str:
    """Read a column type and give its canonical form."""
    kind = words.take_upper()
    if kind in _NUMBERS:
        return _number_type(_arguments(words))
    if kind in _INTEGERS:
        return "NUMBER(38)"
    if kind in _FLOATS:
        words.accept("PRECISION")
        _arguments(words)
        return "NUMBER"
    if kind in _STRINGS:
        return _string_type(_STRINGS[kind], _arguments(words))
    if kind == "DATE":
        return "DATE"
    if kind == "TIMESTAMP":
        args = _arguments(words)
        if words.accept("WITH"):
            words.skip({"LOCAL", "TIME", "ZONE"})
        return f"TIMESTAMP({args[0] if args else 6})"
    raise OracleError(902)


def _string_type(kind: str, args: list[str]) -> str:
    if not args and kind != "CHAR":
        raise OracleError(906)
    return f"{kind}({args[0] if args else 1})"


# ---------------------------------------------------------------- columns

def _column(tokens: list[Token], table: str, builder: _Builder) -> str:
    """One column definition, with its type mapped and its checks added."""
    words = _Words(tokens)
    column = words.take()
    declared = _column_type(words)
    rest = words.rest()
    rest = _identity(rest, f"ISEQ$$_{table}_{_name(column)}", builder)
    _inline_constraints(rest, table, _name(column), builder)
    check = ""
    if "(" in declared and not declared.startswith("TIMESTAMP"):
        args = ", ".join(quote_literal(v) for v in (declared, table, _name(column)))
        check = f" CHECK (ORA_FITS({column.text}, {args}))"
    return f"{column.text} {declared} {_text(rest)}{check}"


def _after_group(tokens: list[Token], i: int) -> int:
    """The index after the parenthesized group starting at ``i``, if one does."""
    if i >= len(tokens) or tokens[i].text != "(":
        return i
    words = _Words(tokens)
    words.i = i
    words.group()
    return words.i


def _identity(rest: list[Token], sequence: str, builder: _Builder) -> list[Token]:
    """Replace ``GENERATED ... AS IDENTITY`` by a default from a sequence."""
    texts = [t.text.upper() for t in rest]
    if "GENERATED" not in texts or "IDENTITY" not in texts:
        return rest
    start = texts.index("GENERATED")
    end = _after_group(rest, texts.index("IDENTITY") + 1)
    builder.sequences.append(SequenceOp("CREATE", sequence))
    default = Token("word", f"DEFAULT (ORA_NEXTVAL({quote_literal(sequence)}))", 0)
    return [*rest[:start], default, *rest[end:]]


def _inline_constraints(rest: list[Token], table: str, column: str, builder: _Builder) -> None:
    texts = [t.text.upper() for t in rest]
    for i, text in enumerate(texts[:-2]):
        if text == "CONSTRAINT" and texts[i + 2] in ("PRIMARY", "UNIQUE"):
            builder.constraint(table, [column], _name(rest[i + 1]))


def _table_constraint(tokens: list[Token], table: str, builder: _Builder) -> None:
    words = _Words(tokens)
    if not words.accept("CONSTRAINT"):
        return
    name = _name(words.take())
    if words.accept("PRIMARY", "UNIQUE"):
        words.accept("KEY")
        columns = [_name(t) for t in words.group() if t.text != ","]
        builder.constraint(table, columns, name)


def _element(tokens: list[Token], table: str, builder: _Builder) -> str:
    if tokens[0].is_word("CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"):
        _table_constraint(tokens, table, builder)
        return _text(tokens)
    return _column(tokens, table, builder)


# --------------------------------------------------------------- statements

def _create(words: _Words, builder: _Builder) -> None:
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
    else:
        raise unsupported(f"CREATE {kind}")


def _create_table(words: _Words, builder: _Builder) -> None:
    text, table = words.name()
    if words.peek() == "AS":
        builder.add(f"CREATE TABLE {text} {_text(words.rest())}")
        return
    elements = [_element(part, table, builder) for part in _split(words.group())]
    query = _text(words.rest()) if words.peek() == "AS" else ""
    builder.add(f"CREATE TABLE {text} ({', '.join(elements)}) {query}")


def _create_index(words: _Words, builder: _Builder, unique: bool) -> None:
    text, name = words.name()
    if not words.accept("ON"):
        raise OracleError(969)
    table_text, table = words.name()
    columns = _split(words.group())
    builder.add(f"CREATE {'UNIQUE ' if unique else ''}INDEX {text} ON {table_text} "
                f"({', '.join(_text(c) for c in columns)})")
    if unique:
        builder.constraint(table, [_text(c).upper() for c in columns], name)


def _create_view(words: _Words, builder: _Builder, replace: bool) -> None:
    text, _ = words.name()
    columns = f"({_text(words.group())})" if words.peek() == "(" else ""
    query = words.rest()
    texts = [t.text.upper() for t in query]
    for tail in (["WITH", "READ", "ONLY"], ["WITH", "CHECK", "OPTION"]):
        if texts[-len(tail):] == tail:
            query = query[:-len(tail)]
    if replace:
        builder.add(f"DROP VIEW IF EXISTS {text}")
    builder.add(f"CREATE VIEW {text} {columns} {_text(query)}")


def _signed(words: _Words) -> int:
    sign = -1 if words.accept("-") else 1
    try:
        return sign * int(words.take().text)
    except ValueError:
        raise OracleError(1722) from None


def _create_sequence(words: _Words, builder: _Builder) -> None:
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


def _drop(words: _Words, builder: _Builder) -> None:
    kind = words.take_upper()
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
    else:
        raise unsupported(f"DROP {kind}")


def _truncate(words: _Words, builder: _Builder) -> None:
    if not words.accept("TABLE"):
        raise unsupported("TRUNCATE without TABLE")
    text, _ = words.name()
    builder.add(f"DELETE FROM {text}")


def _rename(words: _Words, builder: _Builder) -> None:
    old, _ = words.name()
    if not words.accept("TO"):
        raise OracleError(946)
    new, _ = words.name()
    builder.add(f"ALTER TABLE {old} RENAME TO {new}")


def _alter(words: _Words, builder: _Builder) -> None:
    if words.take_upper() != "TABLE":
        return  # ALTER INDEX, VIEW, SEQUENCE ...: accepted, nothing to do
    text, table = words.name()
    action = words.take_upper()
    if action == "ADD":
        _alter_add(words, builder, text, table)
    elif action == "DROP":
        _alter_drop(words, builder, text)
    elif action == "RENAME":
        builder.add(f"ALTER TABLE {text} RENAME {_text(words.rest())}")
    else:
        raise unsupported(f"ALTER TABLE {action}")


def _alter_add(words: _Words, builder: _Builder, text: str, table: str) -> None:
    parts = _split(words.group()) if words.peek() == "(" else [words.rest()]
    for part in parts:
        if part[0].is_word("CONSTRAINT", "PRIMARY", "UNIQUE"):
            _add_unique(part, builder, text, table)
        elif part[0].is_word("CHECK", "FOREIGN"):
            raise unsupported(f"ALTER TABLE ADD {part[0].text.upper()}")
        else:
            builder.add(f"ALTER TABLE {text} ADD COLUMN {_column(part, table, builder)}")


def _add_unique(part: list[Token], builder: _Builder, text: str, table: str) -> None:
    """A PRIMARY KEY or UNIQUE constraint added later becomes a unique index."""
    words = _Words(part)
    name = _name(words.take()) if words.accept("CONSTRAINT") else ""
    kind = words.take_upper()
    if kind not in ("PRIMARY", "UNIQUE"):
        raise unsupported(f"ALTER TABLE ADD CONSTRAINT {kind}")
    words.accept("KEY")
    columns = [_name(t) for t in words.group() if t.text != ","]
    name = name or f"SYS_C_{table}_{'_'.join(columns)}"
    builder.add(f'CREATE UNIQUE INDEX "{name}" ON {text} ({", ".join(columns)})')
    builder.constraint(table, columns, name)


def _alter_drop(words: _Words, builder: _Builder, text: str) -> None:
    if words.accept("CONSTRAINT"):
        _, name = words.name()
        builder.add(f'DROP INDEX "{name}"')
        builder.statements.append(f"DELETE FROM {CONSTRAINTS} WHERE NAME = {quote_literal(name)}")
        return
    words.accept("COLUMN")
    columns = _split(words.group()) if words.peek() == "(" else [words.rest()[:1]]
    for column in columns:
        builder.add(f"ALTER TABLE {text} DROP COLUMN {column[0].text}")
