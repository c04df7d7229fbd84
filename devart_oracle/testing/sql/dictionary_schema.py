"""The live schema as the data dictionary sees it: SQLite's catalog plus the notes.

``read_schema`` reads ``sqlite_master`` and the table-valued PRAGMAs
(``table_info``, ``index_list``, ``index_xinfo``, ``foreign_key_list``)
together with the notes DDL left (``dictionary_notes``), and gives Oracle's
view of them: tables and views with their owners, columns, comments and
identity columns; indexes under Oracle's names (the index behind a PRIMARY
KEY or UNIQUE constraint has the constraint's name, as in Oracle); and the
P, U, R and C constraints, NOT NULL ones included.

Unnamed constraints get the same ``SYS_C...`` names the server's error
messages give them (``SqliteConnection.constraint_name``). An object no note
speaks for (made outside the server's DDL) belongs to the schema of the
session that looks.
"""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from .dictionary_notes import NOTES
from .lexer import Token, Words, name_of, significant, split_commas, tokenize

__all__ = ["Constraint", "Index", "Schema", "TableColumn", "Table", "read_schema"]

ConstraintNamer = Callable[[str, tuple[str, ...]], str]
Notes = dict[str, list[tuple[str, str, str, str | None, str | None]]]  # kind -> the rest
_DELETE_RULES = {"CASCADE": "CASCADE", "SET NULL": "SET NULL"}


@dataclass
class TableColumn:
    """A column of a table or view."""

    name: str
    declared: str
    nullable: bool
    default: str | None
    key: int  # position in the primary key, 0 if none
    identity: str | None = None  # ALWAYS, BY DEFAULT, BY DEFAULT ON NULL
    comment: str | None = None


@dataclass
class Table:
    """A table or a view, with its owner."""

    name: str
    kind: str  # TABLE or VIEW
    owner: str
    created: str | None
    columns: list[TableColumn] = field(default_factory=list)
    text: str | None = None  # a view's query
    comment: str | None = None


@dataclass
class Index:
    """An index under its Oracle name; ``keys`` are (column or None, expression or None, desc)."""

    name: str
    table: Table
    unique: bool
    keys: list[tuple[str | None, str | None, bool]]
    constraint: str = ""  # P or U when it backs that constraint


@dataclass
class Constraint:
    """A P, U, R or C constraint."""

    name: str
    kind: str
    table: Table
    columns: list[str]
    generated: bool
    condition: str | None = None
    parent: str = ""  # R: the parent table
    parent_columns: list[str | None] = field(default_factory=list)
    delete_rule: str | None = None


@dataclass
class Schema:
    """Everything the dictionary shows, read in one go."""

    tables: list[Table] = field(default_factory=list)
    indexes: list[Index] = field(default_factory=list)
    constraints: list[Constraint] = field(default_factory=list)
    owners: dict[tuple[str, str], tuple[str, str | None]] = field(default_factory=dict)

    def owner(self, kind: str, name: str, default: str) -> str:
        """The noted owner of an object (kind, name), else ``default``."""
        return self.owners.get((kind, name), (default, None))[0]


def object_id(kind: str, name: str) -> int:
    """A stable OBJECT_ID for an object."""
    return zlib.crc32(f"{kind}:{name}".encode()) % 10**6 + 10**5


def read_schema(conn: sqlite3.Connection, schema: str, namer: ConstraintNamer) -> Schema:
    """Read the live schema; ``schema`` owns what no note gives an owner."""
    notes = conn.execute(f"SELECT KIND, OWNER, TABLE_NAME, NAME, TEXT, CREATED FROM {NOTES}")
    by_kind: Notes = {}
    for kind, *rest in notes.fetchall():
        by_kind.setdefault(kind, []).append(tuple(rest))
    result = Schema()
    for kind in ("TABLE", "VIEW", "INDEX", "SEQUENCE"):
        for owner, _, name, _, created in by_kind.get(kind, []):
            result.owners[(kind, name)] = (owner, created)
    masters = conn.execute("SELECT type, name, tbl_name, sql FROM main.sqlite_master"
                           " WHERE type IN ('table', 'view') ORDER BY name").fetchall()
    for kind, name, _, _ in masters:
        if not _internal(name):
            result.tables.append(_table(conn, kind.upper(), name, schema, result, by_kind))
    for table in result.tables:
        if table.kind == "TABLE":
            _keys_and_indexes(conn, table, namer, result, by_kind)
            _checks(table, namer, result, by_kind)
    return result


def _internal(name: str) -> bool:
    return name.startswith("sqlite_") or name.upper().startswith("DEVART$")


def _table(conn: sqlite3.Connection, kind: str, name: str, schema: str, result: Schema,
           notes: Notes) -> Table:
    owner, created = result.owners.get((kind, name), (schema, None))
    owner = "SYS" if name == "DUAL" else owner  # a DUAL in the file (for views) is SYS's
    table = Table(name, kind, owner, created)
    for _, table_name, _, text, _ in notes.get("VIEW", []):
        if table_name == name:
            table.text = text
    comments = {column: text for _, table_name, column, text, _ in notes.get("COMMENT", [])
                if table_name == name}
    identity = {column: text for _, table_name, column, text, _ in notes.get("IDENTITY", [])
                if table_name == name}
    table.comment = comments.get("")
    try:
        info = conn.execute(f'PRAGMA main.table_info("{name}")').fetchall()
    except sqlite3.Error:
        info = []  # a view over an object that is gone: no columns to show
    for _, column, declared, notnull, default, key in info:
        table.columns.append(TableColumn(column, declared or "", not notnull, default, key,
                                         identity.get(column), comments.get(column)))
    return table


def _keys_and_indexes(conn: sqlite3.Connection, table: Table, namer: ConstraintNamer,
                      result: Schema,
                      notes: Notes) -> None:
    added = {name: text or "U" for _, t, name, text, _ in notes.get("KEY", []) if t == table.name}
    indexes = conn.execute(f'PRAGMA main.index_list("{table.name}")').fetchall()
    has_key = False
    for _, index_name, unique, origin, _ in sorted(indexes, key=lambda row: str(row[1])):
        keys = _index_keys(conn, index_name)
        columns = [column for column, _, _ in keys if column is not None]
        kind = {"pk": "P", "u": "U"}.get(origin, added.get(index_name, ""))
        name = index_name if origin == "c" else namer(table.name, tuple(columns))
        has_key = has_key or kind == "P"
        result.indexes.append(Index(name, table, bool(unique), keys, kind))
        if kind:
            generated = name.startswith("SYS_C")
            result.constraints.append(Constraint(name, kind, table, columns, generated))
    if not has_key and any(c.key for c in table.columns):
        columns = [c.name for c in sorted(table.columns, key=lambda c: c.key) if c.key]
        name = namer(table.name, tuple(columns))
        result.constraints.append(Constraint(name, "P", table, columns, name.startswith("SYS_C")))
    _foreign_keys(conn, table, namer, result, notes)


def _index_keys(conn: sqlite3.Connection, index: str) -> list[tuple[str | None, str | None, bool]]:
    rows = [r for r in conn.execute(f'PRAGMA main.index_xinfo("{index}")') if r[5]]
    expressions: list[str] = []
    if any(cid == -2 for _, cid, *_ in rows):
        sql = conn.execute("SELECT sql FROM main.sqlite_master WHERE type = 'index' AND name = ?",
                           (index,)).fetchone()[0]
        words = Words(significant(tokenize(sql)))
        while words.peek() != "(":
            words.take()
        expressions = [_compact(part) for part in split_commas(words.group())]
    keys: list[tuple[str | None, str | None, bool]] = []
    for position, (_, cid, column, desc, _, _) in enumerate(rows):
        expression = expressions[position] if cid == -2 and position < len(expressions) else None
        keys.append((column, expression, bool(desc)))
    return keys


def _compact(tokens: list[Token]) -> str:
    """An expression's tokens as text, with no blank inside parentheses: ``UPPER(A)``."""
    text = ""
    for previous, token in zip([None, *tokens], tokens):
        tight = previous is None or previous.text == "(" or token.text in ("(", ")", ",")
        text += ("" if tight else " ") + token.text
    return text


def _foreign_keys(conn: sqlite3.Connection, table: Table, namer: ConstraintNamer,
                  result: Schema,
                  notes: Notes) -> None:
    named = {text: name for _, t, name, text, _ in notes.get("FOREIGN", []) if t == table.name}
    keys: dict[int, list[tuple[str, str, str | None, str]]] = {}
    for key_id, _, parent, child, parent_column, _, on_delete, _ in conn.execute(
            f'PRAGMA main.foreign_key_list("{table.name}")'):
        keys.setdefault(key_id, []).append((parent, child, parent_column, on_delete))
    for parts in keys.values():
        columns = [child for _, child, _, _ in parts]
        name = named.get(",".join(columns)) or namer(
            table.name, ("FK",) if len(keys) == 1 else ("FK", *columns))
        constraint = Constraint(name, "R", table, columns, name.startswith("SYS_C"),
                                parent=name_of(tokenize(parts[0][0])[0]),
                                parent_columns=[column for _, _, column, _ in parts],
                                delete_rule=_DELETE_RULES.get(parts[0][3].upper(), "NO ACTION"))
        result.constraints.append(constraint)


def _checks(table: Table, namer: ConstraintNamer, result: Schema,
            notes: Notes) -> None:
    names = {c.name.upper(): c.name for c in table.columns}
    for _, table_name, name, condition, _ in notes.get("CHECK", []):
        if table_name != table.name or condition is None:
            continue
        words = [name_of(t) for t in tokenize(condition) if t.kind in ("word", "ident")]
        columns = list(dict.fromkeys(names[w.upper()] for w in words if w.upper() in names))
        name = name or namer(table.name, ("CHECK", condition))
        result.constraints.append(Constraint(name, "C", table, columns, name.startswith("SYS_C"),
                                             condition))
    for column in table.columns:
        if not column.nullable and not column.key:
            name = namer(table.name, ("NOT NULL", column.name))
            result.constraints.append(Constraint(name, "C", table, [column.name], True,
                                                 f'"{column.name}" IS NOT NULL'))
