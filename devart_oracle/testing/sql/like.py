"""Oracle's LIKE: case-sensitive, with ESCAPE, in place of SQLite's.

SQLite's LIKE ignores the case of ASCII letters, so ``name LIKE 'a%'``
would match 'Ada', which Oracle never does. SQLite lets a connection
replace the ``like(pattern, text[, escape])`` function behind the
operator; this is that replacement:

- ``%`` matches any run of characters (newlines included), ``_`` exactly one;
- the ESCAPE character must be one character (else ORA-01425) and may only
  precede ``%``, ``_`` or itself (else ORA-01424);
- NULL anywhere gives NULL, and a number or date is matched in its text form,
  as Oracle converts it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from .errors import OracleError

__all__ = ["like"]


@functools.lru_cache(maxsize=512)
def _compile(pattern: str, escape: str | None) -> re.Pattern[str]:
    """The regular expression for a LIKE pattern.

    Raises:
        OracleError: ORA-01425 for an escape that is not one character,
            ORA-01424 for an escape before anything but ``%``, ``_`` or itself.
    """
    if escape is not None and len(escape) != 1:
        raise OracleError(1425)
    parts, i = [], 0
    while i < len(pattern):
        char = pattern[i]
        if char == escape:
            if i + 1 >= len(pattern) or pattern[i + 1] not in ("%", "_", escape):
                raise OracleError(1424)
            parts.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        parts.append(".*" if char == "%" else "." if char == "_" else re.escape(char))
        i += 1
    return re.compile("".join(parts), re.DOTALL)


def like(text_of: Callable[[object], object]) -> Callable[..., object]:
    """SQLite's ``like(pattern, text[, escape])``; ``text_of`` gives a value's text form."""
    def match(pattern: object, value: object, escape: object = None) -> object:
        if pattern is None or value is None:
            return None
        if escape is not None:
            escape = text_of(escape)
            if escape is None:
                return None
        compiled = _compile(str(text_of(pattern)), None if escape is None else str(escape))
        return 1 if compiled.fullmatch(str(text_of(value))) else 0
    return match
