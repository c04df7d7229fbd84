"""Column definitions in Oracle DDL: types, checks, identity, constraint names.

Oracle's column types are mapped to a small canon that SQLite keeps as the
declared type, which is how result columns get their Oracle type back:
``NUMBER[(p[,s])]`` (``NUMBER(p,-127)`` for ``FLOAT(p)``, whose binary
precision Oracle describes, with scale -127), ``VARCHAR2(n)``, ``CHAR(n)``, ``DATE``, ``TIMESTAMP(p)``
and ``RAW(n)``; ``NUMBER(0,s)`` stands for ``NUMBER(*,s)`` and ``NUMBER(0,0)``
for INTEGER (no precision, as the dictionary reports; SQLite's type names
cannot hold a ``*``, and 0 is no precision Oracle allows). Those names give the right SQLite affinities: NUMERIC for
NUMBER (so ``'5'`` is stored as 5), TEXT for the character types, and none
that would turn a stored date into a number. The LOBs, LONG, national
strings, binary floats, intervals, zoned timestamps and ROWID have their
canon in ``lobs``; other types (BFILE, XMLTYPE, objects) are ORA-00902.

A sized column gets a CHECK constraint calling ``ORA_FITS``, which raises
ORA-12899 (or ORA-01438 for NUMBER precision) with Oracle's details. A
primary key column gets NOT NULL, which SQLite does not imply. Named
PRIMARY KEY, UNIQUE and FOREIGN KEY constraints are recorded in a table so
that errors can name them as Oracle does. An identity column takes its
default from an implicit sequence, ``ISEQ$$_<table>_<column>``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .editions import EditionOp
from .errors import OracleError
from .intervals import interval_type
from .lexer import Token, Words, joined, name_of
from .literals import quote_literal
from .rewrite import plan
from .zones import COLLATION as ZONED_COLLATION

__all__ = ["CONSTRAINTS", "SEQUENCES", "Builder", "SequenceOp", "column_definition",
           "record_constraints", "primary_key_columns"]

CONSTRAINTS = '"DEVART$CONSTRAINTS"'
SEQUENCES = '"DEVART$SEQUENCES"'
FOREIGN_KEY = "FK"  # the "columns" recorded for a foreign key, on the child table
PARENT_KEY = "FK_PARENT"  # ... and on the parent table

_NUMBERS = {"NUMBER", "NUMERIC", "DECIMAL", "DEC"}
_FLOATS = {"FLOAT": 126, "REAL": 63, "DOUBLE": 126}  # default binary precisions
_INTEGERS = {"INTEGER", "INT", "SMALLINT"}
_STRINGS = {"VARCHAR2": "VARCHAR2", "VARCHAR": "VARCHAR2", "NVARCHAR2": "NVARCHAR2",
            "CHAR": "CHAR", "NCHAR": "NCHAR", "CHARACTER": "CHAR", "RAW": "RAW"}
# the types of ``lobs``, by their first word: (second word, declared) choices
_OTHERS = {"CLOB": "CLOB", "NCLOB": "NCLOB", "BLOB": "BLOB", "BINARY_FLOAT": "BINARY_FLOAT",
           "BINARY_DOUBLE": "BINARY_DOUBLE", "ROWID": "UROWID", "UROWID": "UROWID"}


@dataclass(frozen=True)
class SequenceOp:
    """A sequence to create or drop (or, for PURGE, all sequences named ``name...``)."""

    action: str
    name: str
    start: int = 1
    increment: int = 1


@dataclass
class Builder:
    """The SQLite statements, sequence and edition changes a DDL statement becomes."""

    schemas: frozenset[str]
    statements: list[str] = field(default_factory=list)
    sequences: list[SequenceOp] = field(default_factory=list)
    editions: list[EditionOp] = field(default_factory=list)

    def add(self, oracle_sql: str) -> None:
        """Rewrite an Oracle statement (names, functions) and add it.

        Raises:
            OracleError: ORA-01027 if it has binds.
        """
        rewritten = plan(oracle_sql, self.schemas)
        if rewritten.binds:
            raise OracleError(1027)
        self.statements.append(rewritten.sql)

    def constraint(self, table: str, columns: list[str], name: str) -> None:
        """Record a constraint's name."""
        values = ", ".join(quote_literal(v) for v in (table, ",".join(columns), name))
        self.statements.append(f"INSERT INTO {CONSTRAINTS} VALUES ({values})")


# ------------------------------------------------------------------- types

def _arguments(words: Words) -> list[str]:
    if words.peek() != "(":
        return []
    return [t.text for t in words.group() if t.kind == "number" or t.text in ("*", "-")]


def _number_type(args: list[str]) -> str:
    if not args or args == ["*"]:
        return "NUMBER"
    scale = "".join(args[1:])
    precision = "0" if args[0] == "*" else args[0]
    return f"NUMBER({precision},{scale})" if scale else f"NUMBER({precision})"


def _string_type(kind: str, args: list[str]) -> str:
    if not args and kind not in ("CHAR", "NCHAR"):
        raise OracleError(906)
    return f"{kind}({args[0] if args else 1})"


def column_type(words: Words) -> str:
    """Read a column type and give its canonical form.

    Raises:
        OracleError: ORA-00902 for a type the server does not store.
    """
    kind = words.take_upper()
    if kind in _NUMBERS:
        return _number_type(_arguments(words))
    if kind in _INTEGERS:
        return "NUMBER(0,0)"
    if kind in _FLOATS:
        words.accept("PRECISION")
        args = _arguments(words)
        return f"NUMBER({args[0] if args else _FLOATS[kind]},-127)"
    if kind in _STRINGS:
        return _string_type(_STRINGS[kind], _arguments(words))
    if kind in _OTHERS:
        _arguments(words)  # UROWID(4000)
        return _OTHERS[kind]
    if kind == "LONG":
        return "LONG RAW" if words.accept("RAW") else "LONG VARCHAR"
    if kind == "INTERVAL":
        return interval_type(words)
    if kind == "DATE":
        return "DATE"
    if kind == "TIMESTAMP":
        args = _arguments(words)
        zone = ""
        if words.accept("WITH"):
            zone = "_LTZ" if words.accept("LOCAL") else "_TZ"
            words.skip({"TIME", "ZONE"})
        return f"TIMESTAMP{zone}({args[0] if args else 6})"
    raise OracleError(902)


# ---------------------------------------------------------------- columns

def column_definition(tokens: list[Token], table: str, builder: Builder,
                      primary_key: set[str]) -> str:
    """One column definition, with its type mapped and its checks added."""
    words = Words(tokens)
    column = words.take()
    name = name_of(column)
    declared = column_type(words)
    rest = _identity(words.rest(), f"ISEQ$$_{table}_{name}", builder)
    record_constraints(rest, table, [name], builder)
    texts = [t.text.upper() for t in rest]
    extra = ""
    if (name in primary_key or "PRIMARY" in texts) and "NULL" not in texts:
        extra += " NOT NULL"
    if "(" in declared and not declared.startswith(("TIMESTAMP", "INTERVAL")) and \
            not declared.endswith(",-127)") or declared == "UROWID":  # any number is a FLOAT's
        args = ", ".join(quote_literal(v) for v in (declared, table, name))
        extra += f" CHECK (ORA_FITS({column.text}, {args}))"
    if declared.startswith(("TIMESTAMP_TZ", "TIMESTAMP_LTZ")):
        extra += f" COLLATE {ZONED_COLLATION}"  # compared by instant
    return f"{column.text} {declared} {joined(rest)}{extra}"


def _after_group(tokens: list[Token], i: int) -> int:
    """The index after the parenthesized group starting at ``i``, if one does."""
    if i >= len(tokens) or tokens[i].text != "(":
        return i
    words = Words(tokens)
    words.i = i
    words.group()
    return words.i


def _identity(rest: list[Token], sequence: str, builder: Builder) -> list[Token]:
    """Replace ``GENERATED ... AS IDENTITY`` by a default from a sequence."""
    texts = [t.text.upper() for t in rest]
    if "GENERATED" not in texts or "IDENTITY" not in texts:
        return rest
    start = texts.index("GENERATED")
    end = _after_group(rest, texts.index("IDENTITY") + 1)
    builder.sequences.append(SequenceOp("CREATE", sequence))
    default = Token("word", f"DEFAULT (ORA_NEXTVAL({quote_literal(sequence)}))", 0)
    return [*rest[:start], default, *rest[end:]]


def _names_in_group(tokens: list[Token], i: int) -> list[str]:
    words = Words(tokens)
    words.i = i
    words.accept("KEY")
    return [name_of(t) for t in words.group() if t.text != ","] if words.peek() == "(" else []


def record_constraints(tokens: list[Token], table: str, columns: list[str],
                       builder: Builder) -> None:
    """Record the named constraints in a column or table constraint definition."""
    texts = [t.text.upper() for t in tokens]
    for i, text in enumerate(texts[:-2]):
        if text != "CONSTRAINT":
            continue
        name, kind = name_of(tokens[i + 1]), texts[i + 2]
        if kind in ("PRIMARY", "UNIQUE"):
            builder.constraint(table, columns or _names_in_group(tokens, i + 3), name)
        elif kind in ("REFERENCES", "FOREIGN") and "REFERENCES" in texts[i:]:
            after = Words(tokens)
            after.i = texts.index("REFERENCES", i) + 1
            builder.constraint(table, [FOREIGN_KEY], name)
            builder.constraint(after.name()[1], [PARENT_KEY], name)


def primary_key_columns(elements: list[list[Token]]) -> set[str]:
    """The columns a table-level PRIMARY KEY constraint names."""
    for tokens in elements:
        texts = [t.text.upper() for t in tokens]
        if "PRIMARY" in texts and texts[0] in ("CONSTRAINT", "PRIMARY"):
            return set(_names_in_group(tokens, texts.index("PRIMARY") + 1))
    return set()
