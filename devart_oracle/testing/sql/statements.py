"""What depends only on a statement's text, prepared once per database.

A test suite re-executes the same few statements thousands of times; each
execute used to lex, classify and rewrite its text again, name its columns
with regular expressions and build the row converter anew. A ``Statement``
holds all of that, and the database's ``StatementCache`` (thread-safe,
bounded, least recently used first out) shares it among the sessions.

What goes in is a pure function of the key, so no DDL, commit or session
setting can make it stale:

* the key is the text and the schema prefixes the rewrite drops (the
  session's user and current schema, and the server's users): ALTER SESSION
  SET CURRENT_SCHEMA changes the key, so the translation follows it;
* classification, the rewrite (``rewrite.plan``), the V$ / NLS / dictionary
  views the SQLite text reads, the text a describe runs, and Oracle's name
  for each column SQLite names;
* the row converter and the columns are shared per column list, since they
  are functions of it alone.

What depends on the tables (declared types, NOT NULL and LOB columns) stays
in each session's caches, stamped with the database's DDL generation; what
depends on the values (the type of an expression column) is worked out from
the kind of the values at each execute, the shape kept by those kinds
(except for a datetime, whose fractions count too). Binds take no part: the
plan counts them, their values come later.
"""

from __future__ import annotations

import collections
import datetime
import operator
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from .cursor_expressions import Nesting, nesting
from .dictionary_views import mentioned as families_read
from .lexer import Token, bind_names, tokenize
from .lobs import BinaryDouble
from .results import column_name
from .rewrite import Plan, classify, plan
from .values import Column, coercer, declared_column, decode, named_column, valued_column
from .views import mentioned

__all__ = ["DEFAULT_CAPACITY", "OwnStatements", "Shape", "Statement", "StatementCache"]

DEFAULT_CAPACITY = 1024
_PLANNED = frozenset({"query", "dml"})
_NAME = operator.itemgetter(0)  # of a description's entry
Row = tuple[object, ...]
Convert = Callable[[Sequence[object]], tuple[object, ...]]


@dataclass(frozen=True, eq=False)
class Shape:
    """A query's columns and the converter of its rows (shared by all results alike)."""

    columns: list[Column]
    convert: Convert


@dataclass(frozen=True, eq=False)
class _Template:
    """A description's columns: each name with its column, None where the values decide it.

    ``shape`` is the shape itself when no column depends on the values.
    ``valued`` are the (index, name) of the columns the values decide, and
    ``shapes`` the shapes made for them so far, by the kind of each such
    column's values (``Statement._kinds``).
    """

    columns: list[tuple[str, Column | None]]
    shape: Shape | None
    valued: tuple[tuple[int, str], ...] = ()
    shapes: dict[tuple[type | None, ...], Shape] = field(default_factory=dict)


@dataclass(eq=False)
class Statement:
    """One statement text, lexed, classified and (for a query or DML) rewritten.

    Attributes:
        sql: the Oracle text.
        tokens: its tokens.
        kind, verb: as ``rewrite.classify`` gives them.
        plan: the SQLite rewrite of a query or DML (not MERGE); else None.
        views: the V$ and NLS views the SQLite text reads.
        dictionary: whether it reads a data dictionary view.
        nesting: how a query with CURSOR expressions runs (``plan`` is of
            its ``sql``); None for any other statement.
    """

    sql: str
    tokens: tuple[Token, ...]
    kind: str
    verb: str
    plan: Plan | None = None
    views: tuple[str, ...] = ()
    dictionary: bool = False
    nesting: Nesting | None = None
    _names: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict, repr=False)
    _shapes: dict[tuple[Column, ...], Shape] = field(default_factory=dict, repr=False)
    _templates: dict[tuple[tuple[str, ...], tuple[str, ...] | None, frozenset[str]],
                     _Template] = field(default_factory=dict, repr=False)

    @classmethod
    def prepare(cls, sql: str, schemas: frozenset[str]) -> Statement:
        """Lex, classify and rewrite ``sql``.

        Raises:
            OracleError: as ``classify`` and ``plan`` do.
        """
        tokens = tokenize(sql)
        kind, verb = classify(tokens)
        if kind not in _PLANNED or verb == "MERGE":
            return cls(sql, tokens, kind, verb)
        nested = nesting(sql) if kind == "query" else None
        planned = plan(sql if nested is None else nested.sql, schemas)
        return cls(sql, tokens, kind, verb, planned, tuple(sorted(mentioned(planned.sql))),
                   bool(families_read(planned.sql)), nested)

    def shape_of(self, description: Any, declared: list[str] | None, rows: Sequence[Row],
                 not_null: frozenset[str], params: Sequence[object] = ()) -> Shape:
        """A query's shape from SQLite's description, declared types, first rows and NOT NULL names.

        A bind alone in the select list (``select :1 from dual``) bound as
        BINARY_DOUBLE (``params``, as the wire layer decoded them) is a
        BINARY_DOUBLE column, as in Oracle, NaN included.

        A column with a declared type, or an expression whose type its name
        tells (``TO_CLOB(...)``, ``CAST(x AS VARCHAR2(n))``), is the same at every execute; only the
        others are worked out from the values. When no column depends on
        the values (a re-executed query of table columns), the shape itself
        is kept with the template; else the shape is kept by the kinds of the
        valued columns' values, which decide them (a datetime's excepted).
        """
        key = (tuple(map(_NAME, description)), None if declared is None else tuple(declared), not_null)
        template = self._templates.get(key)
        if template is None:
            template = self._templates[key] = self._template(*key)
        if template.shape is not None:
            return template.shape
        kinds, valued = self._kinds(template, rows, params)
        shape = template.shapes.get(kinds)
        if shape is None:
            shape = self.shape(self._valued_columns(template, valued, not_null))
            if not any(kind is not None and issubclass(kind, datetime.datetime) for kind in kinds):
                # by kinds alone: a datetime's column depends on its values' fractions too
                if len(template.shapes) >= _SHAPES:
                    template.shapes.clear()
                template.shapes[kinds] = shape
        return shape

    def _kinds(self, template: _Template, rows: Sequence[Row], params: Sequence[object],
               ) -> tuple[tuple[type | None, ...], list[list[object] | None]]:
        """The kind of each valued column, and its decoded values.

        A column's kind is the type of its first value that is not NULL
        (NoneType when all are), which decides the column
        (``values.valued_column``) except for a datetime, whose column
        depends on the fractions of all its values; None for a bind bound as
        BINARY_DOUBLE.
        """
        kinds: list[type | None] = []
        valued: list[list[object] | None] = []
        for index, name in template.valued:
            if name.startswith(":") and self._binary_double(name, params):
                kinds.append(None)
                valued.append(None)
                continue
            values = [decode(row[index]) for row in rows]  # every value: one may be out of range
            for value in values:  # the kind: the type of the first value that is not NULL
                if value is not None:
                    kinds.append(type(value))
                    break
            else:
                kinds.append(_NULL)
            valued.append(values)
        return tuple(kinds), valued

    @staticmethod
    def _valued_columns(template: _Template, valued: list[list[object] | None],
                        not_null: frozenset[str]) -> list[Column]:
        """The template's columns, the valued ones from their values (``valued``, in order)."""
        columns = []
        pending = iter(valued)
        for name, fixed in template.columns:
            if fixed is None:
                values = next(pending)
                if values is None:
                    fixed = Column(name, "BINARY_DOUBLE", 0, 0, 0)
                else:
                    fixed = valued_column(name, values, timestamp="TIMESTAMP" in name.upper())
                    if name.upper() in not_null:
                        fixed = replace(fixed, nullable=False)
            columns.append(fixed)
        return columns

    def _binary_double(self, name: str, params: Sequence[object]) -> bool:
        """Whether the bind ``name`` (``:X``, as a column is named) was bound as a BINARY_DOUBLE."""
        for value in params:
            if isinstance(value, BinaryDouble):
                break
        else:
            return False  # the common case: no lexing of the text at each execute
        names = bind_names(self.tokens, plsql=False)
        return any(isinstance(value, BinaryDouble) and f":{bound}" == name
                   for bound, value in zip(names, params))

    def _template(self, sqlite_names: tuple[str, ...], declared: tuple[str, ...] | None,
                  not_null: frozenset[str]) -> _Template:
        """Each column's Oracle name, and its column when the values do not decide it."""
        if len(self._templates) >= _SHAPES:
            self._templates.clear()
        names = self._oracle_names(sqlite_names)
        usable = declared if declared is not None and len(declared) == len(names) else None
        fixed: list[tuple[str, Column | None]] = []
        for index, name in enumerate(names):
            column = declared_column(name, usable[index]) if usable else None
            column = named_column(name) if column is None else column
            if column is not None and name.upper() in not_null:
                column = replace(column, nullable=False)
            fixed.append((name, column))
        if any(column is None for _, column in fixed):
            return _Template(fixed, None, tuple((index, name) for index, (name, column) in enumerate(fixed)
                                                if column is None))
        return _Template(fixed, self.shape([column for _, column in fixed if column is not None]))

    def shape(self, columns: list[Column]) -> Shape:
        """The shared shape for these columns: equal lists give the same object."""
        key = tuple(columns)
        shape = self._shapes.get(key)
        if shape is None:
            if len(self._shapes) >= _SHAPES:
                self._shapes.clear()  # values of ever new types: do not grow without bound
            shape = self._shapes.setdefault(key, Shape(columns, coercer(columns)))
        return shape

    def _oracle_names(self, sqlite_names: tuple[str, ...]) -> tuple[str, ...]:
        names = self._names.get(sqlite_names)
        if names is None:
            assert self.plan is not None
            names = tuple(column_name(name, self.plan) for name in sqlite_names)
            self._names[sqlite_names] = names  # one description per statement in practice
        return names


_SHAPES = 16  # column lists kept per statement


_NULL = type(None)  # the kind of a column whose values are all NULL


class StatementCache:
    """Prepared statements by (text, schemas), the least recently used dropped first.

    Thread-safe: the lock is held only to look up and to insert, never while
    a statement is prepared (two sessions may prepare the same text at
    once; the first one in is kept).
    """

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        if capacity < 1:
            raise ValueError(f"the statement cache needs room for at least one statement, not {capacity}")
        self.capacity = capacity
        self._lock = threading.Lock()
        self._entries: collections.OrderedDict[tuple[str, frozenset[str]], Statement] = (
            collections.OrderedDict())

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, sql: str, schemas: frozenset[str]) -> Statement:
        """The prepared statement for ``sql`` (prepared now if it is not cached).

        Raises:
            OracleError: the statement cannot be classified or rewritten
                (nothing is cached then).
        """
        key = (sql, schemas)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
                return entry
        entry = Statement.prepare(sql, schemas)
        with self._lock:
            entry = self._entries.setdefault(key, entry)
            self._entries.move_to_end(key)
            while len(self._entries) > self.capacity:
                self._entries.popitem(last=False)
        return entry


class OwnStatements:
    """One session's statements by text, taken from the shared cache: a re-execute takes no lock.

    They are kept for one set of schema prefixes (the key's second half);
    other schemas (ALTER SESSION SET CURRENT_SCHEMA) start the set anew.
    Not thread-safe: a session runs one call at a time.
    """

    def __init__(self, shared: StatementCache, capacity: int = 256) -> None:
        self._shared = shared
        self._capacity = capacity
        self._schemas: frozenset[str] | None = None
        self._entries: dict[str, Statement] = {}

    def get(self, sql: str, schemas: frozenset[str]) -> Statement:
        """The prepared statement for ``sql``, as ``StatementCache.get`` gives it.

        Raises:
            OracleError: as ``StatementCache.get`` does.
        """
        if schemas is not self._schemas:
            self._schemas, self._entries = schemas, {}
        entry = self._entries.get(sql)
        if entry is None:
            entry = self._shared.get(sql, schemas)
            if len(self._entries) >= self._capacity:
                self._entries.clear()
            self._entries[sql] = entry
        return entry
