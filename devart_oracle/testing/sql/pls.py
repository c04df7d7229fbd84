"""How PL/SQL reports errors: ORA-06550 with a PLS message at a line and column.

Oracle compiles a block before running it; what does not compile is
ORA-06550 ``line L, column C:`` and the PLS error, followed, for a
statement it skipped, by a second ORA-06550 "PL/SQL: Statement ignored".
An error raised while the block runs keeps its own number and gets
``ORA-06512: at line L`` after it.
"""

from __future__ import annotations

from .errors import OracleError
from .lexer import Token

__all__ = ["RESTRICTION", "compile_error", "at_line"]

RESTRICTION = "PLS-00999: implementation restriction (may be temporary) "


def _position(sql: str, token: Token) -> str:
    line = sql.count("\n", 0, token.pos) + 1
    return f"{line}, column {token.pos - sql.rfind(chr(10), 0, token.pos)}"


def compile_error(sql: str, token: Token, message: str, ignored: bool = False) -> OracleError:
    """ORA-06550 for ``message`` (a PLS error) at ``token``."""
    where = _position(sql, token)
    detail = f"{where}:\n{message}"
    if ignored:
        detail += f"\nORA-06550: line {where}:\nPL/SQL: Statement ignored"
    return OracleError(6550, detail)


def at_line(error: OracleError, sql: str, token: Token) -> OracleError:
    """``error``, raised by the statement at ``token``, with Oracle's ORA-06512 line after it."""
    error.text += f"\nORA-06512: at line {sql.count(chr(10), 0, token.pos) + 1}"
    error.args = (error.text,)
    return error
