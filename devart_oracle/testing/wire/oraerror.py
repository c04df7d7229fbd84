"""The ORA errors that the wire layer raises itself, with Oracle's texts.

SQL errors come from the backend as its own ``OracleError``; these are the
ones a session produces before or around the SQL: logon, cursors, calls it
does not implement, conversions of values it cannot encode.
"""

from __future__ import annotations

import logging

__all__ = ["WireError", "ora_error"]

log = logging.getLogger("devart_oracle.testing")

_TEXTS = {
    28: "your session has been killed",
    600: "internal error code, arguments",
    988: "missing or invalid password(s)",
    1000: "maximum open cursors exceeded",
    1001: "invalid cursor",
    1002: "fetch out of sequence",
    1012: "not logged on",
    1013: "user requested cancel of current operation",
    1017: "invalid username/password; logon denied",
    1410: "invalid ROWID",
    1426: "numeric overflow",
    1465: "invalid hex number",
    1722: "invalid number",
    1745: "invalid host/bind variable name",
    1861: "literal does not match format string",
    6502: "PL/SQL: numeric or value error",
    3115: "unsupported network datatype or representation",
    22275: "invalid LOB locator specified",
    22289: "cannot perform operation on an unopened file or LOB",
    22293: "LOB already opened",
    22926: "specified trim length is greater than current LOB value's length",
    24381: "error(s) in array DML",
    28001: "the password has expired",
    28008: "invalid old password",
    28150: "proxy not authorized to connect as client",
    28267: "Invalid NameSpace Value",
    43610: "Pipeline, Aborted due to abort on error settings in pipeline mode",
}


class WireError(Exception):
    """An ORA error raised by the wire layer.

    Attributes:
        code: the ORA error number.
        text: the full message, e.g. ``"ORA-01017: invalid username/password;
            logon denied"``.
    """

    def __init__(self, code: int, detail: str = "") -> None:
        self.code = code
        message = _TEXTS.get(code, "internal error")
        if detail:
            message = f"{message}: {detail}"
        self.text = f"ORA-{code:05d}: {message}"
        super().__init__(self.text)


def ora_error(exc: Exception) -> tuple[int, str]:
    """The ORA number and text of a backend or wire error.

    Anything else is a bug (in the backend, most likely): it is logged and
    reported to the client as ORA-00600, so that the session survives it.
    """
    code, text = getattr(exc, "code", None), getattr(exc, "text", None)
    if isinstance(code, int) and isinstance(text, str):
        return code, text
    log.exception("call failed with an unexpected %s", type(exc).__name__)
    error = WireError(600, f"[{type(exc).__name__}]")
    return error.code, error.text
