"""The shapes of the data dictionary views: families, columns, USER_/ALL_/DBA_ views.

A *family* is one Oracle view family (TABLES, TAB_COLS, CONSTRAINTS ...).
Its rows are kept in one temporary table per session, ``DEVART$D_<family>``,
which ``dictionary`` refills from the live SQLite schema whenever a
statement names one of the family's views; the views themselves are
temporary SQLite views over that table:

- ``ALL_x`` and ``DBA_x`` show every row (the server has no privileges, so
  every object is accessible to every user);
- ``USER_x`` shows the rows of the session's current schema and, as in
  Oracle, leaves out the owner column(s).

Columns are written ``NAME:TYPE[=default]`` with ``V<n>`` for
VARCHAR2(n), ``N`` for NUMBER, ``D`` for DATE and ``L`` for Oracle's LONG
columns (TEXT, DATA_DEFAULT, SEARCH_CONDITION), held as VARCHAR2(4000). A
default is what Oracle shows for a property the server does not have
(``TABLESPACE_NAME`` is always ``USERS``; ``+`` stands for a blank); the row
builders give the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .literals import quote_literal

__all__ = ["FAMILIES", "Family", "family_table", "mentioned", "setup_statements"]

_CURRENT_SCHEMA = "SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA')"


@dataclass(frozen=True)
class Family:
    """One family of dictionary views.

    Attributes:
        name: the family (``TABLES``): its views are ``USER_TABLES`` ...
        columns: ``NAME:TYPE[=default]`` specs, in Oracle's order.
        owner: the column USER_ filters on (the current schema); "" for none.
        private: columns USER_ leaves out.
        subset: views over the same rows with fewer columns (``TAB_COLUMNS``
            over ``TAB_COLS``): their family name and the columns they drop.
        user_filter: the USER_ view's condition, when not ``owner = schema``.
    """

    name: str
    columns: tuple[str, ...]
    owner: str = "OWNER"
    private: frozenset[str] = frozenset({"OWNER"})
    subset: tuple[tuple[str, frozenset[str]], ...] = ()
    user_filter: str = ""

    @property
    def names(self) -> list[str]:
        """The column names."""
        return [spec.split(":", 1)[0] for spec in self.columns]


def _cols(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_OBJECT_COLUMNS = _cols("""
    OWNER:V128 OBJECT_NAME:V128 SUBOBJECT_NAME:V128 OBJECT_ID:N DATA_OBJECT_ID:N
    OBJECT_TYPE:V23 CREATED:D LAST_DDL_TIME:D TIMESTAMP:V19 STATUS:V7=VALID TEMPORARY:V1=N
    GENERATED:V1=N SECONDARY:V1=N NAMESPACE:N=1 EDITION_NAME:V128 SHARING:V18=NONE
    EDITIONABLE:V1 ORACLE_MAINTAINED:V1=N APPLICATION:V1=N DEFAULT_COLLATION:V100
    DUPLICATED:V1=N SHARDED:V1=N""")

_TAB_COLS = _cols("""
    OWNER:V128 TABLE_NAME:V128 COLUMN_NAME:V128 DATA_TYPE:V128 DATA_TYPE_MOD:V3
    DATA_TYPE_OWNER:V128 DATA_LENGTH:N DATA_PRECISION:N DATA_SCALE:N NULLABLE:V1 COLUMN_ID:N
    DEFAULT_LENGTH:N DATA_DEFAULT:L NUM_DISTINCT:N LOW_VALUE:V2000 HIGH_VALUE:V2000 DENSITY:N
    NUM_NULLS:N NUM_BUCKETS:N LAST_ANALYZED:D SAMPLE_SIZE:N CHARACTER_SET_NAME:V44
    CHAR_COL_DECL_LENGTH:N GLOBAL_STATS:V3=NO USER_STATS:V3=NO AVG_COL_LEN:N CHAR_LENGTH:N
    CHAR_USED:V1 V80_FMT_IMAGE:V3=NO DATA_UPGRADED:V3=YES HIDDEN_COLUMN:V3=NO
    VIRTUAL_COLUMN:V3=NO SEGMENT_COLUMN_ID:N INTERNAL_COLUMN_ID:N HISTOGRAM:V15=NONE
    QUALIFIED_COL_NAME:V4000 USER_GENERATED:V3=YES DEFAULT_ON_NULL:V3=NO IDENTITY_COLUMN:V3=NO
    EVALUATION_EDITION:V128 UNUSABLE_BEFORE:V128 UNUSABLE_BEGINNING:V128 COLLATION:V100""")

_COLS_ONLY = frozenset({"HIDDEN_COLUMN", "VIRTUAL_COLUMN", "SEGMENT_COLUMN_ID",
                        "INTERNAL_COLUMN_ID", "QUALIFIED_COL_NAME", "USER_GENERATED"})

_USERS = _cols("""
    USERNAME:V128 USER_ID:N PASSWORD:V4000 ACCOUNT_STATUS:V32=OPEN LOCK_DATE:D EXPIRY_DATE:D
    DEFAULT_TABLESPACE:V30=USERS TEMPORARY_TABLESPACE:V30=TEMP CREATED:D PROFILE:V128=DEFAULT
    INITIAL_RSRC_CONSUMER_GROUP:V128 EXTERNAL_NAME:V4000 AUTHENTICATION_TYPE:V8=PASSWORD
    COMMON:V3=NO ORACLE_MAINTAINED:V1=N INHERITED:V3=NO DEFAULT_COLLATION:V100=USING_NLS_COMP
    IMPLICIT:V3=NO ALL_SHARD:V3=NO""")

FAMILIES: dict[str, Family] = {family.name: family for family in [
    Family("TABLES", _cols("""
        OWNER:V128 TABLE_NAME:V128 TABLESPACE_NAME:V30=USERS CLUSTER_NAME:V128 IOT_NAME:V128
        STATUS:V8=VALID PCT_FREE:N=10 PCT_USED:N INI_TRANS:N=1 MAX_TRANS:N=255 LOGGING:V3=YES
        BACKED_UP:V1=N NUM_ROWS:N BLOCKS:N AVG_ROW_LEN:N DEGREE:V10=1 INSTANCES:V10=1
        CACHE:V5=N TABLE_LOCK:V8=ENABLED LAST_ANALYZED:D PARTITIONED:V3=NO IOT_TYPE:V12
        TEMPORARY:V1=N SECONDARY:V1=N NESTED:V3=NO BUFFER_POOL:V7=DEFAULT
        ROW_MOVEMENT:V8=DISABLED DURATION:V15 MONITORING:V3=YES DEPENDENCIES:V8=DISABLED
        COMPRESSION:V8=DISABLED COMPRESS_FOR:V30 DROPPED:V3=NO READ_ONLY:V3=NO
        SEGMENT_CREATED:V3=YES RESULT_CACHE:V7=DEFAULT HAS_IDENTITY:V3=NO
        DEFAULT_COLLATION:V100=USING_NLS_COMP DUPLICATED:V1=N SHARDED:V1=N""")),
    Family("VIEWS", _cols("""
        OWNER:V128 VIEW_NAME:V128 TEXT_LENGTH:N TEXT:L TEXT_VC:V4000 TYPE_TEXT_LENGTH:N
        TYPE_TEXT:V4000 OID_TEXT_LENGTH:N OID_TEXT:V4000 VIEW_TYPE_OWNER:V128 VIEW_TYPE:V128
        SUPERVIEW_NAME:V128 EDITIONING_VIEW:V1=N READ_ONLY:V1=N CONTAINER_DATA:V1=N
        BEQUEATH:V12=DEFINER ORIGIN_CON_ID:N=0 DEFAULT_COLLATION:V100=USING_NLS_COMP
        CONTAINERS_DEFAULT:V3=NO CONTAINER_MAP:V3=NO EXTENDED_DATA_LINK:V3=NO
        EXTENDED_DATA_LINK_MAP:V3=NO HAS_SENSITIVE_COLUMN:V3=NO""")),
    Family("OBJECTS", _OBJECT_COLUMNS),
    Family("TAB_COLS", _TAB_COLS, subset=(("TAB_COLUMNS", _COLS_ONLY),)),
    Family("TAB_IDENTITY_COLS", _cols("""
        OWNER:V128 TABLE_NAME:V128 COLUMN_NAME:V128 GENERATION_TYPE:V10 SEQUENCE_NAME:V128
        IDENTITY_OPTIONS:V298""")),
    Family("CONSTRAINTS", _cols("""
        OWNER:V128 CONSTRAINT_NAME:V128 CONSTRAINT_TYPE:V1 TABLE_NAME:V128 SEARCH_CONDITION:L
        SEARCH_CONDITION_VC:V4000 R_OWNER:V128 R_CONSTRAINT_NAME:V128 DELETE_RULE:V9
        STATUS:V8=ENABLED DEFERRABLE:V14=NOT+DEFERRABLE DEFERRED:V9=IMMEDIATE
        VALIDATED:V13=VALIDATED GENERATED:V14 BAD:V3 RELY:V4 LAST_CHANGE:D INDEX_OWNER:V128
        INDEX_NAME:V128 INVALID:V7 VIEW_RELATED:V14 ORIGIN_CON_ID:N=0"""),
           private=frozenset()),
    Family("CONS_COLUMNS", _cols("""
        OWNER:V128 CONSTRAINT_NAME:V128 TABLE_NAME:V128 COLUMN_NAME:V4000 POSITION:N"""),
           private=frozenset()),
    Family("INDEXES", _cols("""
        OWNER:V128 INDEX_NAME:V128 INDEX_TYPE:V27 TABLE_OWNER:V128 TABLE_NAME:V128
        TABLE_TYPE:V11=TABLE UNIQUENESS:V9 COMPRESSION:V13=DISABLED PREFIX_LENGTH:N
        TABLESPACE_NAME:V30=USERS INI_TRANS:N=2 MAX_TRANS:N=255 PCT_FREE:N=10 LOGGING:V3=YES
        BLEVEL:N LEAF_BLOCKS:N DISTINCT_KEYS:N NUM_ROWS:N LAST_ANALYZED:D STATUS:V8=VALID
        DEGREE:V40=1 INSTANCES:V40=1 PARTITIONED:V3=NO TEMPORARY:V1=N GENERATED:V1=N
        SECONDARY:V1=N BUFFER_POOL:V7=DEFAULT DURATION:V15 JOIN_INDEX:V3=NO DROPPED:V3=NO
        VISIBILITY:V9=VISIBLE SEGMENT_CREATED:V3=YES CONSTRAINT_INDEX:V3=NO""")),
    Family("IND_COLUMNS", _cols("""
        INDEX_OWNER:V128 INDEX_NAME:V128 TABLE_OWNER:V128 TABLE_NAME:V128 COLUMN_NAME:V4000
        COLUMN_POSITION:N COLUMN_LENGTH:N CHAR_LENGTH:N DESCEND:V4=ASC COLLATED_COLUMN_ID:N"""),
           owner="INDEX_OWNER", private=frozenset({"INDEX_OWNER", "TABLE_OWNER"})),
    Family("IND_EXPRESSIONS", _cols("""
        INDEX_OWNER:V128 INDEX_NAME:V128 TABLE_OWNER:V128 TABLE_NAME:V128 COLUMN_EXPRESSION:L
        COLUMN_POSITION:N"""),
           owner="INDEX_OWNER", private=frozenset({"INDEX_OWNER", "TABLE_OWNER"})),
    Family("SEQUENCES", _cols("""
        SEQUENCE_OWNER:V128 SEQUENCE_NAME:V128 MIN_VALUE:N MAX_VALUE:N INCREMENT_BY:N
        CYCLE_FLAG:V1=N ORDER_FLAG:V1=N CACHE_SIZE:N=0 LAST_NUMBER:N SCALE_FLAG:V1=N
        EXTEND_FLAG:V1=N SHARDED_FLAG:V1=N SESSION_FLAG:V1=N KEEP_VALUE:V1=N"""),
           owner="SEQUENCE_OWNER", private=frozenset({"SEQUENCE_OWNER"})),
    Family("SYNONYMS", _cols("""
        OWNER:V128 SYNONYM_NAME:V128 TABLE_OWNER:V128 TABLE_NAME:V128 DB_LINK:V128
        ORIGIN_CON_ID:N""")),
    Family("TAB_COMMENTS", _cols("""
        OWNER:V128 TABLE_NAME:V128 TABLE_TYPE:V11 COMMENTS:V4000 ORIGIN_CON_ID:N=0""")),
    Family("COL_COMMENTS", _cols("""
        OWNER:V128 TABLE_NAME:V128 COLUMN_NAME:V128 COMMENTS:V4000 ORIGIN_CON_ID:N=0""")),
    Family("MVIEWS", _cols("""
        OWNER:V128 MVIEW_NAME:V128 CONTAINER_NAME:V128 QUERY:L QUERY_LEN:N UPDATABLE:V1
        UPDATE_LOG:V128 MASTER_ROLLBACK_SEG:V128 MASTER_LINK:V128 REWRITE_ENABLED:V1
        REWRITE_CAPABILITY:V9 REFRESH_MODE:V9 REFRESH_METHOD:V8 BUILD_MODE:V9
        FAST_REFRESHABLE:V18 LAST_REFRESH_TYPE:V8 LAST_REFRESH_DATE:D STALENESS:V19
        COMPILE_STATE:V19""")),
    Family("MVIEW_COMMENTS", _cols("OWNER:V128 MVIEW_NAME:V128 COMMENTS:V4000")),
    Family("DB_LINKS", _cols("OWNER:V128 DB_LINK:V128 USERNAME:V128 HOST:V2000 CREATED:D")),
    Family("USERS", _USERS, owner="", private=frozenset({"PASSWORD"}),
           user_filter="USERNAME = SYS_CONTEXT('USERENV', 'SESSION_USER')"),
]}

# ALL_USERS is a short view in Oracle (DBA_USERS and USER_USERS have the details)
_ALL_ONLY = {"USERS": ["USERNAME", "USER_ID", "CREATED", "COMMON", "ORACLE_MAINTAINED",
                       "INHERITED", "DEFAULT_COLLATION", "IMPLICIT", "ALL_SHARD"]}

_VIEW_NAME = re.compile(r"\b(?:USER|ALL|DBA)_(\w+)", re.IGNORECASE)
_ALIASES = {subset: family.name for family in FAMILIES.values() for subset, _ in family.subset}


def family_table(name: str) -> str:
    """The temporary table that holds a family's rows."""
    return f'temp."DEVART$D_{name}"'


def mentioned(sql: str) -> frozenset[str]:
    """The families whose views ``sql`` names (it may name others' too: harmless)."""
    found = {m.upper() for m in _VIEW_NAME.findall(sql)}
    return frozenset(_ALIASES.get(name, name) for name in found
                     if name in FAMILIES or name in _ALIASES)


def _definition(spec: str) -> str:
    name, _, kind = spec.partition(":")
    kind, _, default = kind.partition("=")
    declared = {"N": "NUMBER", "D": "DATE", "L": "VARCHAR2(4000)"}.get(kind)
    declared = declared or f"VARCHAR2({kind[1:]})"
    if not default:
        return f'"{name}" {declared}'
    value = default if default.isdigit() else quote_literal(default.replace("+", " "))
    return f'"{name}" {declared} DEFAULT {value}'


def _view(name: str, table: str, columns: list[str], where: str = "") -> str:
    condition = f" WHERE {where}" if where else ""
    quoted = ", ".join(f'"{column}"' for column in columns)  # DEFERRABLE is SQLite's keyword
    return f"CREATE TEMP VIEW {name} AS SELECT {quoted} FROM {table}{condition}"


def _views(family: Family) -> list[str]:
    table, names = family_table(family.name), family.names
    where = family.user_filter or f"{family.owner} = {_CURRENT_SCHEMA}"
    statements = []
    for view, dropped in ((family.name, frozenset[str]()), *family.subset):
        shown = [n for n in names if n not in dropped]
        statements += [
            _view(f"DBA_{view}", table, shown),
            _view(f"ALL_{view}", table, _ALL_ONLY.get(view, shown)),
            _view(f"USER_{view}", table, [n for n in shown if n not in family.private], where),
        ]
    return statements


def setup_statements() -> list[str]:
    """The statements that create every family's table and views on a session's connection."""
    statements = []
    for family in FAMILIES.values():
        columns = ", ".join(_definition(spec) for spec in family.columns)
        statements.append(f"CREATE TEMP TABLE {family_table(family.name)[5:]} ({columns})")
        statements += _views(family)
    return statements
