"""Editions, as edition-based redefinition names them: which exist, and which a session is in.

``ORA$BASE`` is the root edition and the database's default. ``CREATE EDITION e [AS CHILD OF
p]`` adds a child of ``p`` (without it, of the leaf: the editions form one line, as Oracle's
implementation restriction has them, one child each); ``DROP EDITION e [CASCADE]`` takes out one
that is neither the default nor some live session's, and has not both a parent and a child. A
session starts in the edition its logon named (``edition=``: ``AUTH_ORA_EDITION``) or the
default, and ``ALTER SESSION SET EDITION = e`` moves it (the client hears of it: ``_calls``);
``SYS_CONTEXT('USERENV', 'CURRENT_EDITION_NAME')`` tells which. No object is editioned: every
edition sees the same tables, views and routines.

The editions live in the database file (``DEVART$EDITIONS``), changed inside the DDL's
transaction, and in memory for the checks of a logon and of ALTER SESSION.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass

from .errors import OracleError
from .lexer import Words, name_of

__all__ = ["BASE", "EDITIONS_SCHEMA", "EditionOp", "Editions", "edition_op"]

BASE = "ORA$BASE"
_TABLE = '"DEVART$EDITIONS"'
EDITIONS_SCHEMA = (f"CREATE TABLE IF NOT EXISTS {_TABLE} (EDITION_NAME TEXT PRIMARY KEY, PARENT TEXT);\n"
                   f"INSERT INTO {_TABLE} SELECT '{BASE}', NULL WHERE NOT EXISTS (SELECT 1 FROM {_TABLE});")

_EXISTS = 955  # name is already used by an existing object
_NO_EDITION = 38802  # edition does not exist
_IN_USE = 38805  # edition is in use
_ONE_CHILD = 38807  # implementation restriction: an edition can have only one child
_MIDDLE = 38810  # implementation restriction: cannot drop edition that has a parent and a child


@dataclass(frozen=True)
class EditionOp:
    """An edition to create (under ``parent``; None: the leaf) or drop."""

    action: str
    name: str
    parent: str | None = None


def edition_op(action: str, words: Words) -> EditionOp:
    """``CREATE EDITION`` or ``DROP EDITION``, the words after ``EDITION``.

    Raises:
        OracleError: ORA-00921 for a missing name, ORA-00933 for words past the statement.
    """
    name = name_of(words.take())
    parent = None
    if action == "CREATE" and words.accept("AS"):
        if not (words.accept("CHILD") and words.accept("OF")):
            raise OracleError(905)
        parent = name_of(words.take())
    elif action == "DROP":
        words.accept("CASCADE")  # no object is editioned: nothing to cascade to
    if words.peek():
        raise OracleError(933)
    return EditionOp(action, name, parent)


class Editions:
    """The database's editions: name -> parent (None for the root), shared by all sessions."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._lock = threading.Lock()
        self._parents: dict[str, str | None] = dict(conn.execute(f"SELECT EDITION_NAME, PARENT FROM {_TABLE}"))

    def exists(self, name: str) -> bool:
        """Whether ``name`` is an edition."""
        with self._lock:
            return name in self._parents

    def check(self, name: str) -> str:
        """``name``, if it is an edition.

        Raises:
            OracleError: ORA-38802 when it is not.
        """
        if not self.exists(name):
            raise OracleError(_NO_EDITION)
        return name

    def persist(self, conn: sqlite3.Connection, op: EditionOp, in_use: Callable[[str], bool]) -> None:
        """Record a created or dropped edition in the file (inside the DDL's transaction,
        which holds the file's write lock: the editions read here are the committed ones).

        Raises:
            OracleError: ORA-00955 for a name taken, ORA-38802 for no such edition,
                ORA-38807 for a parent that has a child, ORA-38810 for an edition in the middle
                of the line, ORA-38805 for the default edition or one a session is in.
            sqlite3.Error: when SQLite fails.
        """
        parents: dict[str, str | None] = dict(conn.execute(f"SELECT EDITION_NAME, PARENT FROM {_TABLE}"))
        children = {parent: name for name, parent in parents.items() if parent is not None}
        if op.action == "CREATE":
            if op.name in parents:
                raise OracleError(_EXISTS)
            parent = op.parent or _leaf(children)
            if parent not in parents:
                raise OracleError(_NO_EDITION)
            if parent in children:
                raise OracleError(_ONE_CHILD)
            conn.execute(f"INSERT INTO {_TABLE} VALUES (?, ?)", (op.name, parent))
            return
        if op.name not in parents:
            raise OracleError(_NO_EDITION)
        if parents[op.name] is not None and op.name in children:
            raise OracleError(_MIDDLE)
        if op.name == BASE or in_use(op.name):
            raise OracleError(_IN_USE)
        conn.execute(f"DELETE FROM {_TABLE} WHERE EDITION_NAME = ?", (op.name,))  # the leaf: the root is BASE

    def apply(self, ops: tuple[EditionOp, ...], conn: sqlite3.Connection) -> None:
        """Read the editions again once the DDL that changed them committed."""
        if ops:
            with self._lock:
                self._parents = dict(conn.execute(f"SELECT EDITION_NAME, PARENT FROM {_TABLE}"))


def _leaf(children: dict[str, str]) -> str:
    """The last edition of the line that starts at the root."""
    name = BASE
    while name in children:
        name = children[name]
    return name
