"""The calls only an older TTC client makes (Devart's Direct mode).

Such a client asks for the server's version with function 59, describes
each query with function 98 before it executes it, and after logon runs two
setup blocks of PL/SQL whose binds are all OUT: one sets the session time
zone and reads ``TZ_OFFSET(DBTIMEZONE)``, the other reads the character
widths and NLS settings from ``nls_session_parameters``. The server does not
interpret PL/SQL, so it knows these two blocks by what they read and answers
them with the values a 19c database in the AMERICAN/AMERICA locale and UTC
gives; every other call goes to ``CallRunner`` as thin's do.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from ._calls import CallRunner, CallSession
from .sql.lexer import bind_names, tokenize
from .wire.codec import Writer
from .wire.legacy import (
    describe_reply,
    out_binds,
    read_describe,
    read_version,
    version_reply,
)
from .wire.requests import BindSpec, ExecuteCall, read_execute
from .wire.responses import end_of_call, status
from .wire.types import bind_encoder, column_format

if TYPE_CHECKING:
    from .sql import Column, SessionInfo, SqlSession

__all__ = ["BANNER", "LegacyCalls"]

BANNER = ("Oracle Database 19c Enterprise Edition Release 19.0.0.0.0 - Production\n"
          "Version 19.3.0.0.0")
_VERSION_NUMBER = (19 << 24) | (3 << 20)  # 19.3.0.0.0 in the pre-18c encoding
_VERSION, _DESCRIBE, _EXECUTE = 59, 98, 94

_DB_TIME_ZONE_OFFSET = "+00:00"
_NLS = {
    "MAXCHARLENGTH": 4,  # AL32UTF8
    "MINCHARLENGTH": 1,
    "NLSDATELANGUAGE": "AMERICAN",
    "NLSDATEFORMAT": "DD-MON-RR",
    "NLSNUMERICCHARACTERS": ".,",
    "NLSTIMESTAMPFORMAT": "DD-MON-RR HH.MI.SSXFF AM",
    "NLSTIMESTAMPTZFORMAT": "DD-MON-RR HH.MI.SSXFF AM TZR",
}
_SET_TIME_ZONE = re.compile(r"TIME_ZONE\s*=\s*''([^']*)''", re.IGNORECASE)


class LegacySession(CallSession, Protocol):
    """What the legacy calls need beyond what every call needs."""

    @property
    def info(self) -> SessionInfo | None: ...


class LegacyCalls(CallRunner):
    """A ``CallRunner`` that also answers an older client's own calls."""

    def __init__(self, session: LegacySession) -> None:
        super().__init__(session)
        self.legacy = session

    def run(self, function: int, w: Writer) -> bool:
        """Handle one call; False when the call was cancelled (no reply yet)."""
        if function == _VERSION:
            read_version(self.session.reader)
            version_reply(w, BANNER, _VERSION_NUMBER)
            status(w, self.session.call_status())
            return True
        if function == _DESCRIBE:
            self._describe(w)
            return True
        if function == _EXECUTE:
            call = read_execute(self.session.reader, self._returning)
            values = self._setup_values(call)
            if values is None:
                return self.execute(call, w)
            self._answer_setup(call, values, w)
            return True
        return super().run(function, w)

    def _describe(self, w: Writer) -> None:
        call = read_describe(self.session.reader)
        sql = self.session.sql
        assert sql is not None
        columns = self.session.busy(lambda: _select_list(sql, call.sql))
        describe_reply(w, [column_format(column)[0] for column in columns])
        end_of_call(w, self.session.call_status())

    def _setup_values(self, call: ExecuteCall) -> list[bytes | None] | None:
        """The OUT values of a setup block, in bind order; None for any other call."""
        text = call.sql
        if text is None or not call.is_plsql:
            return None
        upper = text.upper()
        if "TZ_OFFSET(DBTIMEZONE)" in upper:
            self._set_time_zone(text)
            known: dict[str, object] = {"TIMEZONE": _DB_TIME_ZONE_OFFSET}
        elif "NLS_SESSION_PARAMETERS" in upper:
            known = dict(_NLS)
        else:
            return None
        names = bind_names(tokenize(text), plsql=True)
        if len(names) != len(call.binds) or not set(names) <= set(known):
            return None
        return [_encode(spec, known[name]) for spec, name in zip(call.binds, names)]

    def _set_time_zone(self, text: str) -> None:
        """Apply the block's ``EXECUTE IMMEDIATE 'alter session set TIME_ZONE = ...'``."""
        found = _SET_TIME_ZONE.search(text)
        info = self.legacy.info
        if found and info is not None:
            info.time_zone = found.group(1)

    def _answer_setup(self, call: ExecuteCall, values: Sequence[bytes | None], w: Writer) -> None:
        cursor = self.cursors.parse(call.cursor_id, call.sql)
        cursor.binds, cursor.plsql = call.binds, True
        out_binds(w, values)
        end_of_call(w, self.session.call_status(), cursor_id=cursor.id, rowcount=1)


def _select_list(sql: SqlSession, text: str) -> list[Column]:
    """The columns of a query, found by running it with every bind NULL.

    Nothing is fetched; a statement that is not a query describes as none.
    """
    result = sql.execute(text, [None] * len(bind_names(tokenize(text), plsql=False)))
    columns = list(result.columns or [])
    result.close()
    return columns


def _encode(spec: BindSpec, value: object) -> bytes:
    return bind_encoder(spec.ora_type)(value)
