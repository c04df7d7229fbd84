"""The SQL backend of the test server: Oracle SQL with real transactions, on SQLite.

One SQLite file is shared by every session; each session has its own SQLite
connection, so an uncommitted change is seen by its session only and is
rolled back when the session closes. Transactions are explicit: the first
change of a transaction runs ``BEGIN IMMEDIATE``, which takes SQLite's write
lock, and ``COMMIT``/``ROLLBACK`` release it. The file is in WAL mode, so
readers never wait for the writer.

A statement goes through the tokenizer (``lexer``) and, by its kind,
through the rewrite of queries and DML (``rewrite``), the DDL
translation (``ddl``, ``columns``) or the commands that never reach
SQLite (``commands``). The data dictionary views (``dictionary``) and the
transaction's id and isolation level (``transaction``) are derived live.
Values are encoded and typed by ``values``;
the Oracle functions come from ``functions``; SQLite is driven and its
errors translated by ``backend`` and ``errors``. A query's result
streams from the SQLite cursor: its first rows are read at once to type the
expression columns. Before the session runs anything else, the rows a
result still holds are read into memory, so that every statement sees the
latest commits (SQLite would keep the old snapshot while a cursor is open)
and a rollback cannot cut them off.

Limits, all consequences of SQLite underneath:

- SQLite locks the whole database for writing, not rows. While a session
  has an uncommitted change, another session's change waits for it (up to
  ``lock_timeout``, then ORA-00054), even on other rows or tables.
- Cancelling a running INSERT, UPDATE or DELETE rolls back the whole
  transaction, not just the statement (SQLite's rule for interrupts).
- Dates are stored as text, so Oracle's operators are rewritten into
  functions (``numeric``): ``d + 1`` and ``d - d`` work, but only where
  the chain parser (``arithmetic``) finds the operands; intervals are
  ``intervals``' business, and ``timestamp - timestamp`` is a number of days
  (Oracle: an INTERVAL).
- NUMBER values beyond 15 significant digits are kept exactly as text:
  they compare equal to themselves but sort after ordinary numbers. Values
  are not rounded to a column's scale when stored, only when read.
- One namespace for all users; identifiers are case-insensitive even when
  quoted (``"a"`` and ``A`` collide). Global temporary tables are ordinary
  tables. ROWNUM, CONNECT BY (over DUAL or one table), MERGE, LISTAGG, ``(+)``
  are rebuilt for SQLite (``structural``, ``merge``, ``listagg``); PL/SQL
  beyond the blocks ``plsql`` runs is not supported. LOBs are text and
  blobs held whole (``lobs``); the wire layer serves their locators.
- Sequence values live in memory and are written back by ``close()``.
"""

from __future__ import annotations

from .catalog import SessionInfo
from .database import DEFAULT_LOCK_TIMEOUT, Database
from .errors import OracleError
from .results import Result
from .session import SqlSession
from .values import Column

__all__ = ["SessionInfo", "OracleError", "Column", "Result", "Database", "SqlSession",
           "DEFAULT_LOCK_TIMEOUT"]
