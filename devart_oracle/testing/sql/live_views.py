"""The views a statement reads that come from the server's state, refilled as it runs.

``V$SESSION`` and ``V$TRANSACTION`` come from the server's live sessions,
the data dictionary from the schema (``dictionary``); each is a temporary
table of the session's connection, refilled just before a statement that
names it, so that what it shows is true when the statement starts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from .backend import SqliteConnection
from .catalog import V_SESSION_INSERT, SessionInfo, v_session_rows
from .dictionary import Dictionary, SequenceValues
from .errors import OracleError
from .rewrite import Plan
from .transaction import V_TRANSACTION_INSERT, v_transaction_rows

__all__ = ["LiveViews", "hook"]

_T = TypeVar("_T")


class LiveDatabase(Protocol):
    """What the views read from the database."""

    @property
    def users(self) -> frozenset[str] | None: ...

    @property
    def sequences(self) -> SequenceValues: ...

    def sessions(self) -> list[SessionInfo]: ...


class LiveViews:
    """One session's V$SESSION, V$TRANSACTION and dictionary views."""

    def __init__(self, link: SqliteConnection, database: LiveDatabase, info: SessionInfo) -> None:
        self._link, self._db = link, database
        self._dictionary = Dictionary(link.conn, database, info, link.constraint_name)

    def refresh(self, plan: Plan) -> None:
        """Refill what the statement reads.

        Raises:
            OracleError: ORA-00600 when the server cannot list its sessions,
                or what SQLite reports.
        """
        if "V$SESSION" in plan.objects:
            sessions = hook(self._db.sessions, "V$SESSION")
            self._link.refill('temp."V$SESSION"', V_SESSION_INSERT, v_session_rows(sessions))
        if "V$TRANSACTION" in plan.objects:
            states = [i.transaction for i in hook(self._db.sessions, "V$TRANSACTION")]
            self._link.refill('temp."V$TRANSACTION"', V_TRANSACTION_INSERT,
                              v_transaction_rows(states))
        self._link.run(lambda: self._dictionary.refresh(plan.sql))


def hook(call: Callable[[], _T], what: str) -> _T:
    """Call one of the server's hooks; its failure is an ORA-00600, like any internal error."""
    try:
        return call()
    except Exception as exc:
        raise OracleError(600, f"[{what}], [{type(exc).__name__}: {exc}]") from exc
