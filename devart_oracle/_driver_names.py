"""The rest of python-oracledb's public names, re-exported unchanged.

``import devart_oracle as oracledb`` keeps working for everything that is not
about connecting and pooling: the type objects and constructors of PEP 249
(``Date``, ``Binary``, ``STRING``, ``NUMBER``...), ``DB_TYPE_*``,
``AUTH_MODE_*``, ``ConnectParams``, ``makedsn``, ``defaults``, cursors, LOBs,
and the rest are python-oracledb's own objects. What devart_oracle defines
itself (connect, the pools and handles, the exceptions) is imported in
``__init__``; ``tests/dbapi/test_public_names.py`` checks that every public
name of the installed python-oracledb resolves one way or the other.

The list is written out, not computed, so that mypy sees each name's type;
the test above names any name a new python-oracledb adds.
"""

from __future__ import annotations

from oracledb import (  # noqa: F401
    ATTR_PURITY_DEFAULT, ATTR_PURITY_NEW, ATTR_PURITY_SELF, AUTH_MODE_DEFAULT, AUTH_MODE_PRELIM, AUTH_MODE_SYSASM,
    AUTH_MODE_SYSBKP, AUTH_MODE_SYSDBA, AUTH_MODE_SYSDGD, AUTH_MODE_SYSKMT, AUTH_MODE_SYSOPER, AUTH_MODE_SYSRAC,
    ApiType, ArrowArray, AsyncCursor, AsyncLOB, AsyncQueue, AuthMode, BFILE, BINARY, BLOB, BOOLEAN, Binary, CLOB,
    CURSOR, ConnectParams, Cursor, DATETIME, DBSHUTDOWN_ABORT, DBSHUTDOWN_FINAL, DBSHUTDOWN_IMMEDIATE,
    DBSHUTDOWN_TRANSACTIONAL, DBSHUTDOWN_TRANSACTIONAL_LOCAL, DB_TYPE_BFILE, DB_TYPE_BINARY_DOUBLE,
    DB_TYPE_BINARY_FLOAT, DB_TYPE_BINARY_INTEGER, DB_TYPE_BLOB, DB_TYPE_BOOLEAN, DB_TYPE_CHAR, DB_TYPE_CLOB,
    DB_TYPE_CURSOR, DB_TYPE_DATE, DB_TYPE_INTERVAL_DS, DB_TYPE_INTERVAL_YM, DB_TYPE_JSON, DB_TYPE_LONG,
    DB_TYPE_LONG_NVARCHAR, DB_TYPE_LONG_RAW, DB_TYPE_NCHAR, DB_TYPE_NCLOB, DB_TYPE_NUMBER, DB_TYPE_NVARCHAR,
    DB_TYPE_OBJECT, DB_TYPE_RAW, DB_TYPE_ROWID, DB_TYPE_TIMESTAMP, DB_TYPE_TIMESTAMP_LTZ, DB_TYPE_TIMESTAMP_TZ,
    DB_TYPE_UNKNOWN, DB_TYPE_UROWID, DB_TYPE_VARCHAR, DB_TYPE_VECTOR, DB_TYPE_XMLTYPE, DEFAULT_AUTH, DEQ_BROWSE,
    DEQ_FIRST_MSG, DEQ_IMMEDIATE, DEQ_LOCKED, DEQ_NEXT_MSG, DEQ_NEXT_TRANSACTION, DEQ_NO_WAIT, DEQ_ON_COMMIT,
    DEQ_REMOVE, DEQ_REMOVE_NODATA, DEQ_WAIT_FOREVER, DataFrame, Date, DateFromTicks, DbObject, DbObjectAttr,
    DbObjectType, DbType, Defaults, DeqOptions, ENQ_IMMEDIATE, ENQ_ON_COMMIT, EVENT_AQ, EVENT_DEREG, EVENT_NONE,
    EVENT_OBJCHANGE, EVENT_QUERYCHANGE, EVENT_SHUTDOWN, EVENT_SHUTDOWN_ANY, EVENT_STARTUP, EndUserSecurityContext,
    EnqOptions, FIXED_CHAR, FIXED_NCHAR, FetchInfo, INTERVAL, IntervalYM, JsonId, LOB, LONG_BINARY, LONG_STRING,
    MSG_BUFFERED, MSG_EXPIRED, MSG_NO_DELAY, MSG_NO_EXPIRATION, MSG_PERSISTENT, MSG_PERSISTENT_OR_BUFFERED,
    MSG_PROCESSED, MSG_READY, MSG_WAITING, Message, MessageProperties, MessageQuery, MessageRow, MessageTable,
    NATIVE_FLOAT, NATIVE_INT, NCHAR, NCLOB, NUMBER, OBJECT, OPCODE_ALLOPS, OPCODE_ALLROWS, OPCODE_ALTER,
    OPCODE_DELETE, OPCODE_DROP, OPCODE_INSERT, OPCODE_UPDATE, Object, ObjectType, PIPELINE_OP_TYPE_CALL_FUNC,
    PIPELINE_OP_TYPE_CALL_PROC, PIPELINE_OP_TYPE_COMMIT, PIPELINE_OP_TYPE_EXECUTE, PIPELINE_OP_TYPE_EXECUTE_MANY,
    PIPELINE_OP_TYPE_FETCH_ALL, PIPELINE_OP_TYPE_FETCH_MANY, PIPELINE_OP_TYPE_FETCH_ONE, PRELIM_AUTH, Pipeline,
    PipelineOp, PipelineOpResult, PipelineOpType, PoolGetMode, Purity, Queue, ROWID, SPOOL_ATTRVAL_FORCEGET,
    SPOOL_ATTRVAL_NOWAIT, SPOOL_ATTRVAL_TIMEDWAIT, SPOOL_ATTRVAL_WAIT, STRING, SUBSCR_GROUPING_CLASS_NONE,
    SUBSCR_GROUPING_CLASS_TIME, SUBSCR_GROUPING_TYPE_LAST, SUBSCR_GROUPING_TYPE_SUMMARY, SUBSCR_NAMESPACE_AQ,
    SUBSCR_NAMESPACE_DBCHANGE, SUBSCR_PROTO_CALLBACK, SUBSCR_PROTO_HTTP, SUBSCR_PROTO_MAIL, SUBSCR_PROTO_OCI,
    SUBSCR_PROTO_SERVER, SUBSCR_QOS_BEST_EFFORT, SUBSCR_QOS_DEFAULT, SUBSCR_QOS_DEREG_NFY, SUBSCR_QOS_QUERY,
    SUBSCR_QOS_RELIABLE, SUBSCR_QOS_ROWIDS, SYSASM, SYSBKP, SYSDBA, SYSDGD, SYSKMT, SYSOPER, SYSRAC, SecretValue,
    SodaCollection, SodaDatabase, SodaDocCursor, SodaDocument, SodaOperation, SparseVector, Subscription, TIMESTAMP,
    TPC_BEGIN_JOIN, TPC_BEGIN_NEW, TPC_BEGIN_PROMOTE, TPC_BEGIN_RESUME, TPC_END_NORMAL, TPC_END_SUSPEND, Time,
    TimeFromTicks, Timestamp, TimestampFromTicks, TransactionPriority, VECTOR_FORMAT_BINARY, VECTOR_FORMAT_FLOAT32,
    VECTOR_FORMAT_FLOAT64, VECTOR_FORMAT_INT8, Var, VectorFormat, Xid, clear_all_secrets, clientversion,
    create_end_user_security_context, create_pipeline, defaults, enable_thin_mode, enquote_literal, enquote_name,
    from_arrow, get_secret, init_oracle_client, is_qualified_sql_name, is_simple_sql_name, is_thin_mode, makedsn,
    register_params_hook, register_password_type, register_protocol, save_secret, unregister_params_hook,
    update_config_cache, version,
)

__all__ = [
    "ATTR_PURITY_DEFAULT", "ATTR_PURITY_NEW", "ATTR_PURITY_SELF", "AUTH_MODE_DEFAULT", "AUTH_MODE_PRELIM",
    "AUTH_MODE_SYSASM", "AUTH_MODE_SYSBKP", "AUTH_MODE_SYSDBA", "AUTH_MODE_SYSDGD", "AUTH_MODE_SYSKMT",
    "AUTH_MODE_SYSOPER", "AUTH_MODE_SYSRAC", "ApiType", "ArrowArray", "AsyncCursor", "AsyncLOB", "AsyncQueue",
    "AuthMode", "BFILE", "BINARY", "BLOB", "BOOLEAN", "Binary", "CLOB", "CURSOR", "ConnectParams", "Cursor",
    "DATETIME", "DBSHUTDOWN_ABORT", "DBSHUTDOWN_FINAL", "DBSHUTDOWN_IMMEDIATE", "DBSHUTDOWN_TRANSACTIONAL",
    "DBSHUTDOWN_TRANSACTIONAL_LOCAL", "DB_TYPE_BFILE", "DB_TYPE_BINARY_DOUBLE", "DB_TYPE_BINARY_FLOAT",
    "DB_TYPE_BINARY_INTEGER", "DB_TYPE_BLOB", "DB_TYPE_BOOLEAN", "DB_TYPE_CHAR", "DB_TYPE_CLOB", "DB_TYPE_CURSOR",
    "DB_TYPE_DATE", "DB_TYPE_INTERVAL_DS", "DB_TYPE_INTERVAL_YM", "DB_TYPE_JSON", "DB_TYPE_LONG",
    "DB_TYPE_LONG_NVARCHAR", "DB_TYPE_LONG_RAW", "DB_TYPE_NCHAR", "DB_TYPE_NCLOB", "DB_TYPE_NUMBER",
    "DB_TYPE_NVARCHAR", "DB_TYPE_OBJECT", "DB_TYPE_RAW", "DB_TYPE_ROWID", "DB_TYPE_TIMESTAMP",
    "DB_TYPE_TIMESTAMP_LTZ", "DB_TYPE_TIMESTAMP_TZ", "DB_TYPE_UNKNOWN", "DB_TYPE_UROWID", "DB_TYPE_VARCHAR",
    "DB_TYPE_VECTOR", "DB_TYPE_XMLTYPE", "DEFAULT_AUTH", "DEQ_BROWSE", "DEQ_FIRST_MSG", "DEQ_IMMEDIATE",
    "DEQ_LOCKED", "DEQ_NEXT_MSG", "DEQ_NEXT_TRANSACTION", "DEQ_NO_WAIT", "DEQ_ON_COMMIT", "DEQ_REMOVE",
    "DEQ_REMOVE_NODATA", "DEQ_WAIT_FOREVER", "DataFrame", "Date", "DateFromTicks", "DbObject", "DbObjectAttr",
    "DbObjectType", "DbType", "Defaults", "DeqOptions", "ENQ_IMMEDIATE", "ENQ_ON_COMMIT", "EVENT_AQ", "EVENT_DEREG",
    "EVENT_NONE", "EVENT_OBJCHANGE", "EVENT_QUERYCHANGE", "EVENT_SHUTDOWN", "EVENT_SHUTDOWN_ANY", "EVENT_STARTUP",
    "EndUserSecurityContext", "EnqOptions", "FIXED_CHAR", "FIXED_NCHAR", "FetchInfo", "INTERVAL", "IntervalYM",
    "JsonId", "LOB", "LONG_BINARY", "LONG_STRING", "MSG_BUFFERED", "MSG_EXPIRED", "MSG_NO_DELAY",
    "MSG_NO_EXPIRATION", "MSG_PERSISTENT", "MSG_PERSISTENT_OR_BUFFERED", "MSG_PROCESSED", "MSG_READY",
    "MSG_WAITING", "Message", "MessageProperties", "MessageQuery", "MessageRow", "MessageTable", "NATIVE_FLOAT",
    "NATIVE_INT", "NCHAR", "NCLOB", "NUMBER", "OBJECT", "OPCODE_ALLOPS", "OPCODE_ALLROWS", "OPCODE_ALTER",
    "OPCODE_DELETE", "OPCODE_DROP", "OPCODE_INSERT", "OPCODE_UPDATE", "Object", "ObjectType",
    "PIPELINE_OP_TYPE_CALL_FUNC", "PIPELINE_OP_TYPE_CALL_PROC", "PIPELINE_OP_TYPE_COMMIT",
    "PIPELINE_OP_TYPE_EXECUTE", "PIPELINE_OP_TYPE_EXECUTE_MANY", "PIPELINE_OP_TYPE_FETCH_ALL",
    "PIPELINE_OP_TYPE_FETCH_MANY", "PIPELINE_OP_TYPE_FETCH_ONE", "PRELIM_AUTH", "Pipeline", "PipelineOp",
    "PipelineOpResult", "PipelineOpType", "PoolGetMode", "Purity", "Queue", "ROWID", "SPOOL_ATTRVAL_FORCEGET",
    "SPOOL_ATTRVAL_NOWAIT", "SPOOL_ATTRVAL_TIMEDWAIT", "SPOOL_ATTRVAL_WAIT", "STRING", "SUBSCR_GROUPING_CLASS_NONE",
    "SUBSCR_GROUPING_CLASS_TIME", "SUBSCR_GROUPING_TYPE_LAST", "SUBSCR_GROUPING_TYPE_SUMMARY",
    "SUBSCR_NAMESPACE_AQ", "SUBSCR_NAMESPACE_DBCHANGE", "SUBSCR_PROTO_CALLBACK", "SUBSCR_PROTO_HTTP",
    "SUBSCR_PROTO_MAIL", "SUBSCR_PROTO_OCI", "SUBSCR_PROTO_SERVER", "SUBSCR_QOS_BEST_EFFORT", "SUBSCR_QOS_DEFAULT",
    "SUBSCR_QOS_DEREG_NFY", "SUBSCR_QOS_QUERY", "SUBSCR_QOS_RELIABLE", "SUBSCR_QOS_ROWIDS", "SYSASM", "SYSBKP",
    "SYSDBA", "SYSDGD", "SYSKMT", "SYSOPER", "SYSRAC", "SecretValue", "SodaCollection", "SodaDatabase",
    "SodaDocCursor", "SodaDocument", "SodaOperation", "SparseVector", "Subscription", "TIMESTAMP", "TPC_BEGIN_JOIN",
    "TPC_BEGIN_NEW", "TPC_BEGIN_PROMOTE", "TPC_BEGIN_RESUME", "TPC_END_NORMAL", "TPC_END_SUSPEND", "Time",
    "TimeFromTicks", "Timestamp", "TimestampFromTicks", "TransactionPriority", "VECTOR_FORMAT_BINARY",
    "VECTOR_FORMAT_FLOAT32", "VECTOR_FORMAT_FLOAT64", "VECTOR_FORMAT_INT8", "Var", "VectorFormat", "Xid",
    "clear_all_secrets", "clientversion", "create_end_user_security_context", "create_pipeline", "defaults",
    "enable_thin_mode", "enquote_literal", "enquote_name", "from_arrow", "get_secret", "init_oracle_client",
    "is_qualified_sql_name", "is_simple_sql_name", "is_thin_mode", "makedsn", "register_params_hook",
    "register_password_type", "register_protocol", "save_secret", "unregister_params_hook", "update_config_cache",
    "version",
]
