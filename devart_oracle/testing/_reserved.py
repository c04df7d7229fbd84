"""ORA-01745: a bind of a SQL statement named by a reserved word (``:ROWID``)."""

from __future__ import annotations

from .sql.errors import OracleError
from .sql.lexer import bind_name, significant, tokenize
from .wire.oraerror import WireError

__all__ = ["refuse_reserved_binds"]

_BAD_BIND_NAME = 1745
# Oracle's SQL reserved words (V$RESERVED_WORDS, RESERVED = 'Y'): not bind names in SQL.
_RESERVED = frozenset("""
    ACCESS ADD ALL ALTER AND ANY AS ASC AUDIT BETWEEN BY CHAR CHECK CLUSTER COLUMN COMMENT
    COMPRESS CONNECT CREATE CURRENT DATE DECIMAL DEFAULT DELETE DESC DISTINCT DROP ELSE
    EXCLUSIVE EXISTS FILE FLOAT FOR FROM GRANT GROUP HAVING IDENTIFIED IMMEDIATE IN INCREMENT
    INDEX INITIAL INSERT INTEGER INTERSECT INTO IS LEVEL LIKE LOCK LONG MAXEXTENTS MINUS
    MLSLABEL MODE MODIFY NOAUDIT NOCOMPRESS NOT NOWAIT NULL NUMBER OF OFFLINE ON ONLINE OPTION
    OR ORDER PCTFREE PRIOR PUBLIC RAW RENAME RESOURCE REVOKE ROW ROWID ROWNUM ROWS SELECT
    SESSION SET SHARE SIZE SMALLINT START SUCCESSFUL SYNONYM SYSDATE TABLE THEN TO TRIGGER
    UID UNION UNIQUE UPDATE USER VALIDATE VALUES VARCHAR VARCHAR2 VIEW WHENEVER WHERE WITH
""".split())


def refuse_reserved_binds(sql: str) -> None:
    """Refuse a SQL statement with a bind named by a reserved word (``:ROWID``).

    PL/SQL blocks are not SQL: their bind names are not checked.

    Raises:
        WireError: ORA-01745, as Oracle's parse gives (a quoted name is allowed).
    """
    try:
        tokens = tokenize(sql)
    except OracleError:
        return  # the backend reports what is wrong with it
    words = significant(tokens)
    if words and words[0].is_word("BEGIN", "DECLARE", "CALL"):
        return
    for token in tokens:
        if token.kind == "bind" and not token.text[1:].startswith('"') and (
                bind_name(token) in _RESERVED):
            raise WireError(_BAD_BIND_NAME)
