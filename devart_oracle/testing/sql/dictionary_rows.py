"""The rows of each dictionary family, built from the live schema.

Each builder gives dicts keyed by column name; a column it leaves out takes
the default ``dictionary_views`` declares (Oracle's value for a property
the server does not have). Types are reported as Oracle reports the
server's canonical column types (see ``columns``): ``NUMBER(0,0)`` (what
INTEGER and ``NUMBER(*,0)`` become) has no precision and scale 0, ``NUMBER(p,-127)`` is FLOAT(p), VARCHAR2 and CHAR lengths
are in bytes, DATE is 7 bytes, TIMESTAMP(p) 11.
"""

from __future__ import annotations

import datetime
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .dictionary_schema import Constraint, Index, Schema, TableColumn, object_id
from .lobs import declared_kind
from .values import decode

__all__ = ["BUILDERS", "Source"]

Row = dict[str, object]
_TYPE = re.compile(r"(\w+)(?:\((\*|\d+)(?:,\s*(-?\d+))?\))?")
# the rewrite's forms of SYSDATE & co and seq.NEXTVAL; SQLite may keep or drop the outer ()
_FUNCTION_DEFAULT = re.compile(
    r"(\()?ORA_(SYSDATE|CURRENT_DATE|SYSTIMESTAMP|CURRENT_TIMESTAMP|LOCALTIMESTAMP|USER)\(\)"
    r"(?(1)\))")
_NEXTVAL = re.compile(r"(\()?ORA_NEXTVAL\('([^']+)'\)(?(1)\))")
_MAX_VALUE = 10**28 - 1


@dataclass
class Source:
    """What the rows come from: the schema, the sequences, the users, the viewer."""

    schema: Schema
    sequences: dict[str, tuple[int, int]]  # name -> (next value, increment)
    users: list[str]
    viewer: str  # the current schema: the owner of what no note gives an owner
    started: str  # stored DATE: the creation time of what has none noted
    routines: tuple[tuple[str, str], ...] = ()  # (name, kind) as routine_ddl stores them

    def sequence_owner(self, name: str) -> str:
        return self.schema.owner("SEQUENCE", name, self.viewer)


# ------------------------------------------------------------- columns

def _other_type(kind: str, size: int) -> Row:
    """The dictionary's view of a LOB, national, binary float, ROWID, interval or zoned column."""
    if kind in ("NCHAR", "NVARCHAR2"):
        return {"DATA_TYPE": kind, "DATA_LENGTH": 2 * size, "CHAR_LENGTH": size, "CHAR_USED": "C",
                "CHAR_COL_DECL_LENGTH": size, "CHARACTER_SET_NAME": "NCHAR_CS"}
    if kind.startswith("INTERVAL"):
        leading, fraction = size // 10, size % 10
        name = f"INTERVAL DAY({leading}) TO SECOND({fraction})" if "SECOND" in kind else \
            f"INTERVAL YEAR({leading}) TO MONTH"
        return {"DATA_TYPE": name, "DATA_LENGTH": 11 if "SECOND" in kind else 5,
                "DATA_PRECISION": leading, "DATA_SCALE": fraction, "CHAR_LENGTH": 0}
    if kind.startswith("TIMESTAMP"):
        return {"DATA_TYPE": kind.replace("TIMESTAMP", f"TIMESTAMP({size})", 1),
                "DATA_LENGTH": 13 if "LOCAL" not in kind else 11, "DATA_SCALE": size, "CHAR_LENGTH": 0}
    lengths = {"CLOB": 4000, "NCLOB": 4000, "BLOB": 4000, "LONG": 0, "LONG RAW": 0,
               "BINARY_FLOAT": 4, "BINARY_DOUBLE": 8, "ROWID": 10}
    text = {"CHARACTER_SET_NAME": "NCHAR_CS" if kind == "NCLOB" else "CHAR_CS"} \
        if kind in ("CLOB", "NCLOB", "LONG") else {}
    return {"DATA_TYPE": kind, "DATA_LENGTH": lengths.get(kind, 0), "CHAR_LENGTH": 0, **text}


def column_type(declared: str) -> Row:
    """DATA_TYPE, lengths, precision and scale for a declared column type."""
    other = declared_kind(declared)
    if other is not None:
        return _other_type(*other)
    match = _TYPE.fullmatch(declared.replace(" ", "")) or _TYPE.fullmatch("VARCHAR2(4000)")
    assert match is not None
    kind, first, second = match[1].upper(), match[2], match[3]
    if kind == "NUMBER" and second == "-127":
        return {"DATA_TYPE": "FLOAT", "DATA_LENGTH": 22, "DATA_PRECISION": int(first or 126),
                "DATA_SCALE": None, "CHAR_LENGTH": 0}
    if kind == "NUMBER":
        precision = None if first in (None, "*", "0") else int(first)
        scale = int(second) if second is not None else (0 if precision is not None else None)
        return {"DATA_TYPE": "NUMBER", "DATA_LENGTH": 22, "DATA_PRECISION": precision,
                "DATA_SCALE": scale, "CHAR_LENGTH": 0}
    if kind in ("DATE", "TIMESTAMP"):
        scale = None if kind == "DATE" else int(first or 6)
        name = "DATE" if kind == "DATE" else f"TIMESTAMP({scale})"
        return {"DATA_TYPE": name, "DATA_LENGTH": 7 if kind == "DATE" else 11,
                "DATA_SCALE": scale, "CHAR_LENGTH": 0}
    if kind in ("VARCHAR2", "CHAR", "RAW"):
        size = int(first or 1)
        text = {"CHAR_LENGTH": size, "CHAR_USED": "B", "CHAR_COL_DECL_LENGTH": size,
                "CHARACTER_SET_NAME": "CHAR_CS"}
        return {"DATA_TYPE": kind, "DATA_LENGTH": size,
                **(text if kind != "RAW" else {"CHAR_LENGTH": 0})}
    return column_type("VARCHAR2(4000)")  # an expression of a view SQLite gives no type


def identity(column: TableColumn) -> str | None:
    """The identity generation type of a column, None if it is no identity column."""
    if column.identity is not None:
        return column.identity
    match = _NEXTVAL.fullmatch(column.default or "")
    return "BY DEFAULT" if match and match[2].startswith("ISEQ$$_") else None


def data_default(column: TableColumn, owner: str) -> str | None:
    """DATA_DEFAULT as Oracle shows it: the default as written, SYSDATE for SYSDATE."""
    if column.default is None:
        return None
    text = _FUNCTION_DEFAULT.sub(r"\2", column.default)
    return _NEXTVAL.sub(lambda m: f'"{owner}"."{m[2]}".nextval', text)


def _tab_cols(source: Source) -> Iterator[Row]:
    for table in source.schema.tables:
        for position, column in enumerate(table.columns, 1):
            default = data_default(column, table.owner)
            generation = identity(column)
            yield {
                "OWNER": table.owner, "TABLE_NAME": table.name, "COLUMN_NAME": column.name,
                **column_type(column.declared),
                "NULLABLE": "Y" if column.nullable else "N", "COLUMN_ID": position,
                "SEGMENT_COLUMN_ID": position, "INTERNAL_COLUMN_ID": position,
                "DATA_DEFAULT": default, "DEFAULT_LENGTH": None if default is None else len(default),
                "QUALIFIED_COL_NAME": column.name,
                "IDENTITY_COLUMN": "NO" if generation is None else "YES",
                "DEFAULT_ON_NULL": "YES" if generation and generation.endswith("NULL") else "NO",
            }


def _identity_cols(source: Source) -> Iterator[Row]:
    for table in source.schema.tables:
        for column in table.columns:
            generation = identity(column)
            if generation is None:
                continue
            sequence = f"ISEQ$$_{table.name}_{column.name}"
            increment = source.sequences.get(sequence, (1, 1))[1]
            yield {"OWNER": table.owner, "TABLE_NAME": table.name, "COLUMN_NAME": column.name,
                   "GENERATION_TYPE": generation.replace(" ON NULL", ""),
                   "SEQUENCE_NAME": sequence, "IDENTITY_OPTIONS": _identity_options(increment)}


def _identity_options(increment: int) -> str:
    low, high = (1, _MAX_VALUE) if increment > 0 else (-_MAX_VALUE // 10, -1)
    return (f"START WITH: 1, INCREMENT BY: {increment}, MAX_VALUE: {high}, MIN_VALUE: {low}, "
            "CYCLE_FLAG: N, CACHE_SIZE: 0, ORDER_FLAG: N, SCALE_FLAG: N, EXTEND_FLAG: N, "
            "SESSION_FLAG: N, KEEP_VALUE: N")


# ------------------------------------------------------------- objects

def _tables(source: Source) -> Iterator[Row]:
    for table in source.schema.tables:
        if table.kind == "TABLE":
            has_identity = any(identity(c) for c in table.columns)
            yield {"OWNER": table.owner, "TABLE_NAME": table.name,
                   "HAS_IDENTITY": "YES" if has_identity else "NO"}


def _views(source: Source) -> Iterator[Row]:
    for table in source.schema.tables:
        if table.kind == "VIEW":
            text = table.text or ""
            yield {"OWNER": table.owner, "VIEW_NAME": table.name, "TEXT": text,
                   "TEXT_VC": text, "TEXT_LENGTH": len(text)}


def _object(owner: str, kind: str, name: str, created: str | None, source: Source,
            generated: bool = False) -> Row:
    when = decode(created or source.started)
    stamp = when.strftime("%Y-%m-%d:%H:%M:%S") if isinstance(when, datetime.datetime) else None
    identifier = object_id(kind, name)
    return {"OWNER": owner, "OBJECT_NAME": name, "OBJECT_TYPE": kind,
            "OBJECT_ID": identifier, "DATA_OBJECT_ID": identifier if kind != "VIEW" else None,
            "CREATED": created or source.started, "LAST_DDL_TIME": created or source.started,
            "TIMESTAMP": stamp, "GENERATED": "Y" if generated else "N",
            "NAMESPACE": 4 if kind == "INDEX" else 1,
            "EDITIONABLE": "Y" if kind == "VIEW" else None}


def _objects(source: Source) -> Iterator[Row]:
    schema = source.schema
    for table in schema.tables:
        created = schema.owners.get((table.kind, table.name), ("", None))[1]
        yield _object(table.owner, table.kind, table.name, created, source)
    for index in schema.indexes:
        created = schema.owners.get(("INDEX", index.name), ("", None))[1]
        yield _object(_index_owner(index, schema), "INDEX", index.name, created, source,
                      index.name.startswith("SYS_C"))
    for name in sorted(source.sequences):
        created = schema.owners.get(("SEQUENCE", name), ("", None))[1]
        yield _object(source.sequence_owner(name), "SEQUENCE", name, created, source)
    # procedures, functions, package specifications; a package body is its routines P.NAME
    routines = {(name, kind) for name, kind in source.routines if "." not in name}
    routines |= {(name.split(".")[0], "PACKAGE BODY") for name, _ in source.routines if "." in name}
    for name, kind in sorted(routines):
        yield _object(source.viewer, kind, name, None, source)


def _sequences(source: Source) -> Iterator[Row]:
    for name, (value, increment) in sorted(source.sequences.items()):
        low, high = (1, _MAX_VALUE) if increment > 0 else (-_MAX_VALUE // 10, -1)
        yield {"SEQUENCE_OWNER": source.sequence_owner(name), "SEQUENCE_NAME": name,
               "MIN_VALUE": low, "MAX_VALUE": high, "INCREMENT_BY": increment,
               "LAST_NUMBER": value}


def _users(source: Source) -> Iterator[Row]:
    for name in sorted(source.users):
        builtin = name in ("SYS", "SYSTEM")
        user_id = {"SYS": 0, "SYSTEM": 9}.get(name, zlib.crc32(name.encode()) % 10**4 + 100)
        yield {"USERNAME": name, "USER_ID": user_id, "CREATED": source.started,
               "ORACLE_MAINTAINED": "Y" if builtin else "N", "COMMON": "YES" if builtin else "NO"}


def _tab_comments(source: Source) -> Iterator[Row]:
    for table in source.schema.tables:
        yield {"OWNER": table.owner, "TABLE_NAME": table.name, "TABLE_TYPE": table.kind,
               "COMMENTS": table.comment}


def _col_comments(source: Source) -> Iterator[Row]:
    for table in source.schema.tables:
        for column in table.columns:
            yield {"OWNER": table.owner, "TABLE_NAME": table.name, "COLUMN_NAME": column.name,
                   "COMMENTS": column.comment}


# ------------------------------------------------- constraints, indexes

def _parent_key(constraint: Constraint, schema: Schema) -> Constraint | None:
    """The P or U constraint a foreign key refers to."""
    wanted = [c for c in constraint.parent_columns if c is not None]
    for candidate in schema.constraints:
        if candidate.table.name.upper() != constraint.parent.upper():
            continue
        if wanted and candidate.kind in ("P", "U") and candidate.columns == wanted:
            return candidate
        if not wanted and candidate.kind == "P":
            return candidate
    return None


def _constraints(source: Source) -> Iterator[Row]:
    for constraint in source.schema.constraints:
        row: Row = {"OWNER": constraint.table.owner, "CONSTRAINT_NAME": constraint.name,
                    "CONSTRAINT_TYPE": constraint.kind, "TABLE_NAME": constraint.table.name,
                    "SEARCH_CONDITION": constraint.condition,
                    "SEARCH_CONDITION_VC": constraint.condition,
                    "GENERATED": "GENERATED NAME" if constraint.generated else "USER NAME",
                    "LAST_CHANGE": constraint.table.created or source.started}
        if constraint.kind in ("P", "U"):
            row |= {"INDEX_OWNER": constraint.table.owner, "INDEX_NAME": constraint.name}
        if constraint.kind == "R":
            parent = _parent_key(constraint, source.schema)
            row |= {"R_OWNER": parent.table.owner if parent else None,
                    "R_CONSTRAINT_NAME": parent.name if parent else None,
                    "DELETE_RULE": constraint.delete_rule}
        yield row


def _cons_columns(source: Source) -> Iterator[Row]:
    for constraint in source.schema.constraints:
        for position, column in enumerate(constraint.columns, 1):
            yield {"OWNER": constraint.table.owner, "CONSTRAINT_NAME": constraint.name,
                   "TABLE_NAME": constraint.table.name, "COLUMN_NAME": column,
                   "POSITION": None if constraint.kind == "C" else position}


def _index_owner(index: Index, schema: Schema) -> str:
    return schema.owner("INDEX", index.name, index.table.owner)


def _indexes(source: Source) -> Iterator[Row]:
    for index in source.schema.indexes:
        function_based = any(expression or desc for _, expression, desc in index.keys)
        yield {"OWNER": _index_owner(index, source.schema), "INDEX_NAME": index.name,
               "INDEX_TYPE": "FUNCTION-BASED NORMAL" if function_based else "NORMAL",
               "TABLE_OWNER": index.table.owner, "TABLE_NAME": index.table.name,
               "UNIQUENESS": "UNIQUE" if index.unique else "NONUNIQUE",
               "GENERATED": "Y" if index.name.startswith("SYS_C") else "N",
               "CONSTRAINT_INDEX": "YES" if index.constraint else "NO"}


def _index_keys(source: Source) -> Iterator[tuple[Index, int, Row]]:
    """Each key of each index: the index, its position, its IND_COLUMNS row."""
    for index in source.schema.indexes:
        owner = _index_owner(index, source.schema)
        declared = {c.name: c.declared for c in index.table.columns}
        for position, (column, expression, desc) in enumerate(index.keys, 1):
            hidden = expression is not None or desc
            sizes = column_type(declared.get(column or "", "VARCHAR2(4000)"))
            name = f"SYS_NC{zlib.crc32(f'{index.name}{position}'.encode()) % 10**5:05d}$"
            yield index, position, {
                "INDEX_OWNER": owner, "INDEX_NAME": index.name,
                "TABLE_OWNER": index.table.owner, "TABLE_NAME": index.table.name,
                "COLUMN_NAME": name if hidden else column, "COLUMN_POSITION": position,
                "COLUMN_LENGTH": sizes["DATA_LENGTH"], "CHAR_LENGTH": sizes["CHAR_LENGTH"],
                "DESCEND": "DESC" if desc else "ASC"}


def _ind_columns(source: Source) -> Iterator[Row]:
    return (row for _, _, row in _index_keys(source))


def _ind_expressions(source: Source) -> Iterator[Row]:
    for index, position, row in _index_keys(source):
        column, expression, desc = index.keys[position - 1]
        if expression is not None or desc:
            yield {key: row[key] for key in ("INDEX_OWNER", "INDEX_NAME", "TABLE_OWNER",
                                             "TABLE_NAME", "COLUMN_POSITION")} | {
                "COLUMN_EXPRESSION": expression if expression is not None else f'"{column}"'}


def _none(_: Source) -> Iterator[Row]:
    return iter(())


BUILDERS: dict[str, Callable[[Source], Iterator[Row]]] = {
    "TABLES": _tables, "VIEWS": _views, "OBJECTS": _objects, "TAB_COLS": _tab_cols,
    "TAB_IDENTITY_COLS": _identity_cols, "CONSTRAINTS": _constraints,
    "CONS_COLUMNS": _cons_columns, "INDEXES": _indexes, "IND_COLUMNS": _ind_columns,
    "IND_EXPRESSIONS": _ind_expressions, "SEQUENCES": _sequences, "USERS": _users,
    "TAB_COMMENTS": _tab_comments, "COL_COMMENTS": _col_comments,
    # the server has no synonyms, materialized views or database links
    "SYNONYMS": _none, "MVIEWS": _none, "MVIEW_COMMENTS": _none, "DB_LINKS": _none,
}
