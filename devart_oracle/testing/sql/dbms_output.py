"""DBMS_OUTPUT: a session's buffer of lines, as Oracle's package keeps it.

Lines go in with ``PUT_LINE`` (or ``PUT`` ... ``NEW_LINE``) only while the
buffer is enabled, and come out with ``GET_LINE`` / ``GET_LINES``, which is
what python-oracledb's samples call after a block has run. As in Oracle:

- ``ENABLE(n)`` limits the buffer to ``n`` bytes (default 20000, at least
  2000, at most 1000000; ``NULL`` means unlimited), and a line that would
  overflow it is ORA-20000 (ORU-10027);
- ``DISABLE`` throws the buffer away;
- ``GET_LINE`` gives status 1 and a NULL line when no complete line is left,
  and a ``PUT`` after a ``GET`` first discards the lines not yet read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import OracleError

__all__ = ["OutputBuffer"]

_DEFAULT_LIMIT = 20000
_LIMITS = (2000, 1000000)
_LINE_LIMIT = 32767


@dataclass
class OutputBuffer:
    """The lines one session has put and not yet got."""

    enabled: bool = False
    limit: int | None = _DEFAULT_LIMIT
    lines: list[str | None] = field(default_factory=list)
    partial: str = ""
    reading: bool = False  # a GET happened since the last PUT
    size: int = 0  # bytes buffered, as the limit counts them

    def enable(self, limit: object = _DEFAULT_LIMIT) -> None:
        """``DBMS_OUTPUT.ENABLE(buffer_size)``."""
        self.enabled = True
        if limit is None:
            self.limit = None
        else:
            low, high = _LIMITS
            self.limit = min(max(int(str(limit)), low), high)

    def disable(self) -> None:
        """``DBMS_OUTPUT.DISABLE``: off, and the buffer is purged."""
        self.enabled = False
        self._clear()

    def put(self, text: object) -> None:
        """``DBMS_OUTPUT.PUT``: text for the line being built."""
        self._write(_text(text), end=False)

    def put_line(self, text: object) -> None:
        """``DBMS_OUTPUT.PUT_LINE``."""
        self._write(_text(text), end=True)

    def new_line(self) -> None:
        """``DBMS_OUTPUT.NEW_LINE``: ends the line ``PUT`` was building."""
        self._write("", end=True)

    def get_line(self) -> tuple[str | None, int]:
        """``DBMS_OUTPUT.GET_LINE``: (line, status); status 1 when none is left."""
        self.reading = True
        if not self.lines:
            return None, 1
        line = self.lines.pop(0)
        self.size -= len((line or "").encode())
        return line, 0

    def get_lines(self, wanted: object) -> tuple[list[str | None], int]:
        """``DBMS_OUTPUT.GET_LINES``: up to ``wanted`` lines, and how many came."""
        count = max(int(str(wanted or 0)), 0)
        lines: list[str | None] = []
        while len(lines) < count:
            line, status = self.get_line()
            if status:
                break
            lines.append(line)
        self.reading = True
        return lines, len(lines)

    def _write(self, text: str, end: bool) -> None:
        if not self.enabled:
            return
        if self.reading:
            self._clear()
        added = len(text.encode())
        if self.limit is not None and self.size + added > self.limit:
            raise OracleError(20000, f"ORU-10027: buffer overflow, limit of {self.limit} bytes")
        if len(self.partial.encode()) + added > _LINE_LIMIT:
            raise OracleError(20000, f"ORU-10028: line length overflow, limit of {_LINE_LIMIT} "
                              "bytes per line")
        self.partial += text
        self.size += added
        if end:
            self.lines.append(self.partial or None)  # an empty line is NULL, as in Oracle
            self.partial = ""

    def _clear(self) -> None:
        self.lines, self.partial, self.size, self.reading = [], "", 0, False


def _text(value: object) -> str:
    return "" if value is None else str(value)
