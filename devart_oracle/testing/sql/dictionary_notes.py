"""What the data dictionary knows that SQLite does not, noted at DDL time.

SQLite keeps tables, columns, indexes and foreign keys, which the dictionary
reads live; it has no owners, comments, original view texts, check
constraint conditions, identity generation types, or names for the keys
``ALTER TABLE ... ADD CONSTRAINT`` adds (they become unique indexes). Each
DDL statement therefore also leaves *notes* in one table of the database
file, written in the statement's transaction:

========  ==================================================================
KIND      meaning (TABLE_NAME is the table the note belongs to)
========  ==================================================================
TABLE,    an object and its OWNER (the schema prefix of its name, else the
VIEW,     session's current schema) and CREATED; a view's TEXT is its query
INDEX,    as written
SEQUENCE
COMMENT   ``COMMENT ON``: NAME is the column, '' for the table itself
CHECK     a check constraint: NAME ('' when unnamed), TEXT its condition
FOREIGN   a named foreign key: NAME, TEXT its columns (comma-separated)
IDENTITY  an identity column NAME: TEXT is ALWAYS, BY DEFAULT or
          BY DEFAULT ON NULL
KEY       a key added by ALTER TABLE: NAME its index, TEXT ``P`` or ``U``
========  ==================================================================

Notes of an object that is gone are ignored by the reader and deleted when
an object of that name is created again. One namespace holds every user's
objects (see ``dictionary``), so a name identifies an object.
"""

from __future__ import annotations

import datetime
import sqlite3
from collections.abc import Callable

from .ddl import added_key_name
from .errors import OracleError
from .lexer import Token, Words, name_of, significant, split_commas, tokenize
from .literals import literal_body
from .values import encode_datetime

__all__ = ["NOTES", "NOTES_SCHEMA", "record"]

NOTES = '"DEVART$DICTIONARY"'
NOTES_SCHEMA = (f"CREATE TABLE IF NOT EXISTS {NOTES} (KIND TEXT, OWNER TEXT, TABLE_NAME TEXT,"
                " NAME TEXT, TEXT TEXT, CREATED TEXT);")
_SKIPPED = {"OR", "REPLACE", "FORCE", "NOFORCE", "EDITIONABLE", "NONEDITIONABLE", "GLOBAL",
            "TEMPORARY", "PRIVATE", "UNIQUE", "BITMAP"}
_CONSTRAINTS = ("CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN")
_INSERT = f"INSERT INTO {NOTES} VALUES (?, ?, ?, ?, ?, ?)"


class _Notes:
    """The notes one DDL statement leaves: SQL with parameters, run in order."""

    def __init__(self, conn: sqlite3.Connection, sql: str, schema: str) -> None:
        self.conn, self.sql, self.schema = conn, sql, schema
        self.now = encode_datetime(datetime.datetime.now().replace(microsecond=0))

    def add(self, kind: str, table: str, name: str, text: str | None = None,
            owner: str = "") -> None:
        self.conn.execute(_INSERT, (kind, owner or self.schema, table, name, text, self.now))

    def delete(self, condition: str, *params: object) -> None:
        self.conn.execute(f"DELETE FROM {NOTES} WHERE {condition}", params)

    def text(self, tokens: list[Token]) -> str:
        """The original text the tokens span."""
        return self.sql[tokens[0].pos:tokens[-1].pos + len(tokens[-1].text)] if tokens else ""


def record(conn: sqlite3.Connection, sql: str, schema: str) -> None:
    """Leave the notes of a DDL statement that SQLite has just run.

    Raises:
        OracleError: for ``COMMENT ON`` an object or column that does not
            exist (ORA-00942, ORA-00904).
        sqlite3.Error: when SQLite fails.
    """
    words = Words(significant(tokenize(sql)))
    notes = _Notes(conn, sql, schema)
    handler = _HANDLERS.get(words.take_upper())
    if handler is not None:
        handler(words, notes)


def _qualified(words: Words) -> tuple[str, str]:
    """A name, maybe schema-qualified: (the schema or "", the name)."""
    first = name_of(words.take())
    if words.peek() == "." and words.i + 1 < len(words.tokens):
        words.i += 1
        return first, name_of(words.take())
    return "", first


# ------------------------------------------------------------------ CREATE

def _create(words: Words, notes: _Notes) -> None:
    words.skip(_SKIPPED)
    kind = words.take_upper()
    if kind not in ("TABLE", "VIEW", "INDEX", "SEQUENCE"):
        return
    owner, name = _qualified(words)
    if kind == "SEQUENCE":
        notes.delete("KIND = 'SEQUENCE' AND NAME = ?", name)
        notes.add("SEQUENCE", name, name, owner=owner)
    elif kind == "INDEX":
        words.accept("ON")
        notes.add("INDEX", _qualified(words)[1], name, owner=owner)
    else:
        notes.delete("TABLE_NAME = ?", name)
        if kind == "VIEW":
            notes.add("VIEW", name, name, _view_text(words, notes), owner)
        else:
            notes.add("TABLE", name, name, owner=owner)
            if words.peek() == "(":
                for element in split_commas(words.group()):
                    _element(element, name, owner, notes)


def _view_text(words: Words, notes: _Notes) -> str:
    if words.peek() == "(":
        words.group()
    words.accept("AS")
    return notes.text(words.rest())


def _element(tokens: list[Token], table: str, owner: str, notes: _Notes) -> None:
    """The notes of one column or table constraint of CREATE TABLE (or ALTER TABLE ADD)."""
    constraint = tokens[0].is_word(*_CONSTRAINTS)
    column = "" if constraint else name_of(tokens[0])
    words, name = Words(tokens[0 if constraint else 1:]), ""
    while words.peek():
        if words.peek() == "(":
            words.group()  # a type's size, a default: nothing to note
            continue
        upper = words.take_upper()
        if upper == "CONSTRAINT" and words.peek():
            name = name_of(words.take())
            continue
        if upper == "CHECK" and words.peek() == "(":
            notes.add("CHECK", table, name, notes.text(words.group()))
        elif upper in ("FOREIGN", "REFERENCES") and name:
            notes.add("FOREIGN", table, name, ",".join([column] if column else _group_names(words)))
        elif upper == "GENERATED":
            _identity(words, table, column, owner, notes)
        name = ""


def _group_names(words: Words) -> list[str]:
    words.accept("KEY")
    return [name_of(t) for t in words.group() if t.text != ","] if words.peek() == "(" else []


def _identity(words: Words, table: str, column: str, owner: str, notes: _Notes) -> None:
    start, kind = words.i, "ALWAYS"
    if not words.accept("ALWAYS") and words.accept("BY"):
        words.accept("DEFAULT")
        kind = "BY DEFAULT ON NULL" if words.accept("ON") and words.accept("NULL") else "BY DEFAULT"
    if not (words.accept("AS") and words.accept("IDENTITY")):
        words.i = start  # GENERATED ALWAYS AS (expression): not an identity
        return
    notes.add("IDENTITY", table, column, kind)
    notes.add("SEQUENCE", table, f"ISEQ$$_{table}_{column}", owner=owner)


# ------------------------------------------------------------- DROP, RENAME

def _drop(words: Words, notes: _Notes) -> None:
    kind = words.take_upper()
    if words.peek() == "IF":
        words.i += 2
    _, name = _qualified(words)
    if kind in ("TABLE", "VIEW"):
        notes.delete("TABLE_NAME = ?", name)
    elif kind == "INDEX":
        notes.delete("KIND IN ('INDEX', 'KEY') AND NAME = ?", name)
    elif kind == "SEQUENCE":
        notes.delete("KIND = 'SEQUENCE' AND NAME = ?", name)


def _renamed(notes: _Notes, old: str, new: str) -> None:
    notes.conn.execute(f"UPDATE {NOTES} SET NAME = ? WHERE NAME = ? AND KIND IN ('TABLE', 'VIEW')",
                       (new, old))
    notes.conn.execute(f"UPDATE {NOTES} SET TABLE_NAME = ? WHERE TABLE_NAME = ?", (new, old))


def _rename(words: Words, notes: _Notes) -> None:
    _, old = _qualified(words)
    if words.accept("TO"):
        _renamed(notes, old, _qualified(words)[1])


def _alter(words: Words, notes: _Notes) -> None:
    if words.take_upper() != "TABLE":
        return
    owner, table = _qualified(words)
    action = words.take_upper()
    if action == "ADD":
        parts = split_commas(words.group()) if words.peek() == "(" else [words.rest()]
        for part in parts:
            _added(part, table, owner, notes)
    elif action == "DROP":
        _dropped(words, table, notes)
    elif action == "RENAME":
        _alter_rename(words, table, notes)


def _added(tokens: list[Token], table: str, owner: str, notes: _Notes) -> None:
    if not tokens[0].is_word(*_CONSTRAINTS):
        _element(tokens, table, owner, notes)  # a column
        return
    words = Words(tokens)
    name = name_of(words.tokens[1]) if words.accept("CONSTRAINT") and len(tokens) > 1 else ""
    words.i += bool(name)
    kind = words.take_upper()
    if kind in ("PRIMARY", "UNIQUE"):
        index = added_key_name(table, _group_names(words), name)
        notes.add("KEY", table, index, "P" if kind == "PRIMARY" else "U")


def _dropped(words: Words, table: str, notes: _Notes) -> None:
    if words.accept("CONSTRAINT"):
        _, name = _qualified(words)
        notes.delete("KIND IN ('KEY', 'CHECK', 'FOREIGN') AND NAME = ?", name)
        return
    words.accept("COLUMN")
    columns = _group_names(words) if words.peek() == "(" else [name_of(words.take())]
    for column in columns:
        notes.delete("KIND IN ('COMMENT', 'IDENTITY') AND TABLE_NAME = ? AND NAME = ?",
                     table, column)


def _alter_rename(words: Words, table: str, notes: _Notes) -> None:
    if words.accept("TO"):
        _renamed(notes, table, _qualified(words)[1])
    elif words.accept("COLUMN"):
        old = name_of(words.take())
        if words.accept("TO"):
            notes.conn.execute(
                f"UPDATE {NOTES} SET NAME = ? WHERE KIND IN ('COMMENT', 'IDENTITY')"
                " AND TABLE_NAME = ? AND NAME = ?", (name_of(words.take()), table, old))


# ------------------------------------------------------------- COMMENT ON

def _comment(words: Words, notes: _Notes) -> None:
    if not words.accept("ON"):
        raise OracleError(905)
    kind = words.take_upper()
    if kind == "MATERIALIZED":
        raise OracleError(942)  # the server has no materialized views
    if kind not in ("TABLE", "COLUMN"):
        raise OracleError(905)
    parts = [name_of(words.take())]
    while words.accept("."):
        parts.append(name_of(words.take()))
    if not words.accept("IS") or words.peek() == "":
        raise OracleError(905 if not words.peek() else 1780)
    literal = words.take()
    if "string" not in literal.kind:
        raise OracleError(1780)
    table, column = (parts[-1], "") if kind == "TABLE" else (parts[-2:] + [""])[:2]
    _check_target(notes.conn, table, column)
    notes.delete("KIND = 'COMMENT' AND TABLE_NAME = ? AND NAME = ?", table, column)
    if literal_body(literal):
        notes.add("COMMENT", table, column, literal_body(literal))


def _check_target(conn: sqlite3.Connection, table: str, column: str) -> None:
    found = conn.execute("SELECT 1 FROM main.sqlite_master WHERE type IN ('table', 'view')"
                         " AND name = ? COLLATE NOCASE", (table,)).fetchone()
    if found is None:
        raise OracleError(942)
    if column:
        names = {row[1].upper() for row in conn.execute(f'PRAGMA main.table_info("{table}")')}
        if column.upper() not in names:
            raise OracleError(904, f'"{column}"')


_HANDLERS: dict[str, Callable[[Words, _Notes], None]] = {
    "CREATE": _create, "DROP": _drop, "RENAME": _rename, "ALTER": _alter, "COMMENT": _comment,
}
