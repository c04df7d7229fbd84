"""The ORA errors that the wire layer raises itself, with Oracle's texts.

SQL errors come from the backend as its own ``OracleError``; these are the
ones a session produces before or around the SQL: logon, cursors, calls it
does not implement, conversions of values it cannot encode.
"""

from __future__ import annotations

__all__ = ["WireError"]

_TEXTS = {
    600: "internal error code, arguments",
    1000: "maximum open cursors exceeded",
    1001: "invalid cursor",
    1002: "fetch out of sequence",
    1012: "not logged on",
    1013: "user requested cancel of current operation",
    1017: "invalid username/password; logon denied",
    1426: "numeric overflow",
    1465: "invalid hex number",
    1722: "invalid number",
    1861: "literal does not match format string",
    3115: "unsupported network datatype or representation",
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
