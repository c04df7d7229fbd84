"""The state changes a client piggybacks on its calls, applied to its session.

Piggybacks (``wire.piggybacks.read_piggyback``) ride ahead of a function call
and change the session before the call runs: cursors to close, temporary
LOBs to free, end-to-end
attributes (module, action, client identifier, client info), the current
schema (``conn.current_schema = ...``) and application contexts
(``conn.set_app_context``), and the start of a pipeline of calls (its mode
goes to the session's replies). A client may set contexts in the
CLIENTCONTEXT namespace only; another namespace fails the call with
ORA-28267, as in Oracle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._cursor import CursorTable
from ._replies import Replies
from .sql.userenv import CLIENT_NAMESPACE
from .wire.lob import LobStore
from .wire.oraerror import WireError
from .wire.piggybacks import (
    AppContext,
    CloseCursors,
    CurrentSchema,
    EndToEnd,
    FreeLobs,
    Piggyback,
    PipelineBegin,
)

if TYPE_CHECKING:
    from .sql import SessionInfo

__all__ = ["apply_piggyback"]

_BAD_NAMESPACE = 28267


def apply_piggyback(piggyback: Piggyback, info: SessionInfo | None, cursors: CursorTable,
                    lobs: LobStore, replies: Replies) -> None:
    """Apply one piggyback to the session (``info`` is None before logon).

    Raises:
        WireError: ORA-28267 for an application context outside CLIENTCONTEXT.
    """
    if isinstance(piggyback, CloseCursors):
        cursors.close(piggyback.cursor_ids)
    elif isinstance(piggyback, FreeLobs):
        lobs.free(piggyback.locators)
    elif isinstance(piggyback, PipelineBegin):
        replies.begin_pipeline(piggyback.mode)
    elif info is None:
        return
    elif isinstance(piggyback, EndToEnd):
        for name, value in piggyback.changes.items():
            setattr(info, name, value)
    elif isinstance(piggyback, CurrentSchema):
        info.current_schema = piggyback.schema.upper() or info.username
    elif isinstance(piggyback, AppContext):
        _app_context(piggyback, info)


def _app_context(change: AppContext, info: SessionInfo) -> None:
    namespace = change.namespace.upper()
    if namespace != CLIENT_NAMESPACE:
        raise WireError(_BAD_NAMESPACE)
    if change.clear:
        info.contexts.pop(namespace, None)
        return
    values = info.contexts.setdefault(namespace, {})
    values.update({key.upper(): value for key, value in change.values.items()})
