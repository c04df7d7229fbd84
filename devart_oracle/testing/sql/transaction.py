"""A session's transaction as Oracle names it: its id, its isolation level, V$TRANSACTION.

Oracle gives a transaction an id (``usn.slot.sqn``) when it first changes
something, or when ``DBMS_TRANSACTION.LOCAL_TRANSACTION_ID(TRUE)`` asks for
one, and forgets it at COMMIT or ROLLBACK; V$TRANSACTION lists the open
ones, with bit 28 of FLAG set for a SERIALIZABLE transaction. SQLAlchemy
reads the isolation level that way.

Isolation levels (``ALTER SESSION SET ISOLATION_LEVEL = ...``), as far as
SQLite allows:

- READ COMMITTED, the default: every statement sees the changes committed
  before it started (outside a write transaction each statement is a SQLite
  transaction of its own; inside one nobody else can commit, SQLite having
  one writer).
- SERIALIZABLE: the first statement of a transaction takes a snapshot of
  the database (a SQLite read transaction in WAL mode) and the transaction
  sees only that snapshot and its own changes. Its first change must take
  the write lock; if another session has committed since the snapshot, that
  is ORA-08177 ("can't serialize access"), as Oracle says when a
  serializable transaction changes a row changed since it began. SQLite
  cannot tell rows apart, so any commit since the snapshot counts, even to
  another table.
"""

from __future__ import annotations

import datetime
import itertools
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from .errors import OracleError
from .lexer import Token
from .values import encode_datetime

__all__ = ["LEVELS", "TransactionState", "V_TRANSACTION_COLUMNS", "isolation_level",
           "v_transaction_rows"]

LEVELS = ("READ COMMITTED", "SERIALIZABLE")
_SERIALIZABLE_FLAG = 1 << 28
_ACTIVE_FLAG = 3587  # what Oracle shows for an ordinary active transaction
_ids = itertools.count(1)
_ids_lock = threading.Lock()

V_TRANSACTION_COLUMNS = (  # the view itself is one of ``views``
    ("ADDR", "VARCHAR2(16)"), ("XIDUSN", "NUMBER"), ("XIDSLOT", "NUMBER"), ("XIDSQN", "NUMBER"),
    ("STATUS", "VARCHAR2(16)"), ("START_TIME", "VARCHAR2(20)"), ("START_DATE", "DATE"),
    ("SES_ADDR", "VARCHAR2(16)"), ("FLAG", "NUMBER"), ("NAME", "VARCHAR2(256)"),
    ("USED_UBLK", "NUMBER"), ("USED_UREC", "NUMBER"),
)


def isolation_level(words: list[Token]) -> str:
    """The level an ``ISOLATION_LEVEL = ...`` setting names (the words after ``=``).

    Raises:
        OracleError: ORA-02248 for another level.
    """
    level = " ".join(word.text.upper() for word in words)
    if level not in LEVELS:
        raise OracleError(2248)
    return level


@dataclass
class TransactionState:
    """The id and start of a session's transaction; None while none is open."""

    isolation: str = "READ COMMITTED"
    xid: tuple[int, int, int] | None = None
    started: datetime.datetime | None = None
    asked: bool = False  # LOCAL_TRANSACTION_ID(TRUE) started it: it lasts until the end

    @property
    def serializable(self) -> bool:
        return self.isolation == "SERIALIZABLE"

    def track(self, changed: bool) -> None:
        """After a call: give the transaction an id once it has changed something."""
        if (changed or self.asked) and self.xid is None:
            self._begin()
        elif not changed and not self.asked:
            self.xid = self.started = None

    def end(self) -> None:
        """COMMIT or ROLLBACK: the transaction and its id are gone."""
        self.xid = self.started = None
        self.asked = False

    def local_id(self, create: bool) -> str | None:
        """``DBMS_TRANSACTION.LOCAL_TRANSACTION_ID(create)``: ``usn.slot.sqn`` or None.

        With ``create`` a transaction is begun if none is open; it lasts until
        COMMIT or ROLLBACK, as in Oracle. (PL/SQL reaches it through
        ``SessionInfo.transaction``.)
        """
        if create and self.xid is None:
            self.asked = True
            self._begin()
        return None if self.xid is None else ".".join(map(str, self.xid))

    def _begin(self) -> None:
        with _ids_lock:
            number = next(_ids)
        self.xid = (number % 10 + 1, number // 10 % 48, number)
        self.started = datetime.datetime.now().replace(microsecond=0)


def v_transaction_rows(states: Iterable[TransactionState]) -> list[tuple[object, ...]]:
    """The V$TRANSACTION rows of the open transactions."""
    rows: list[tuple[object, ...]] = []
    for state in states:
        if state.xid is None or state.started is None:
            continue
        usn, slot, sqn = state.xid
        flag = _ACTIVE_FLAG | (_SERIALIZABLE_FLAG if state.serializable else 0)
        rows.append((f"{sqn:016X}", usn, slot, sqn, "ACTIVE",
                     state.started.strftime("%m/%d/%y %H:%M:%S"),
                     encode_datetime(state.started), f"{usn:016X}", flag, None, 1, 1))
    return rows
