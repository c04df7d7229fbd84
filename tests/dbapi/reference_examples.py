"""The examples of python-oracledb's pool API reference, taken from its text.

The reference (``shared/docs/reference/python-oracledb-pool-api.txt`` beside
the repository, or ``$DEVART_POOL_API_REFERENCE``) is the API this product
follows; its examples lost their indentation in that copy, so
:func:`indented` puts it back: a line that ends with ``:`` opens a block, and
a block ends where the lines of :data:`DEDENTS` say (the only liberty taken
with the text, and one :func:`examples` checks cannot change a token).
"""

from __future__ import annotations

import io
import os
import re
import tokenize
from pathlib import Path

__all__ = ["DEDENTS", "REFERENCE", "examples", "indented", "localised"]

_RELATIVE = "shared/docs/reference/python-oracledb-pool-api.txt"


def _reference() -> Path | None:
    """The reference: ``$DEVART_POOL_API_REFERENCE``, or ``shared/docs/...``
    beside the repository or a folder above it (a worktree's)."""
    if os.environ.get("DEVART_POOL_API_REFERENCE"):
        return Path(os.environ["DEVART_POOL_API_REFERENCE"])
    here = Path(__file__).resolve()
    return next((p / _RELATIVE for p in here.parents if (p / _RELATIVE).is_file()), None)


#: None when the reference is not on this machine (its tests are skipped then).
REFERENCE = _reference()

#: Where a block ends, by the text of the first line after it: that line's depth.
DEDENTS = {
    "# Release connection back to pool": 0,
    "elif requested_tag == \"BATCH\":": 1,
    "# Create pool with advanced configuration": 0,
    "# Release with tag for future reuse": 0,
    "with sales_connection.cursor() as cursor:": 0,
    "# Release connections": 0,
    "# Release connection": 1,
    "asyncio.run(main())": 0,
    "# Initial stats": 0,
    "monitor_pool()": 0,
    "# Connection is automatically released here": 0,
}
_EXAMPLE = "import oracledb"
_ASYNC = "import asyncio\n"
_END = "Install with Tessl CLI"


def examples(text: str) -> list[str]:
    """The examples of the reference, indented. In that copy each runs on
    from the text before it (``...with timeoutimport oracledb``), so each
    starts at ``import oracledb`` (or the ``import asyncio`` line before it)."""
    starts = []
    for found in re.finditer(re.escape(_EXAMPLE), text):
        at = found.start()
        starts.append(at - len(_ASYNC) if text[:at].endswith(_ASYNC) else at)
    ends = [*starts[1:], text.index(_END, starts[-1])]
    return [indented(text[a:b]) for a, b in zip(starts, ends)]


def indented(flat: str) -> str:
    """Python source from flattened lines (see the module docstring)."""
    depth, lines, opened = 0, [], 0
    for line in flat.strip().splitlines():
        text = line.strip()
        if text in DEDENTS:
            depth = DEDENTS[text]
        elif opened == 0 and lines and lines[-1].rstrip().endswith(":"):
            depth += 1
        lines.append("    " * depth + text)
        opened += text.count("(") - text.count(")")
    source = "\n".join(lines) + "\n"
    assert _tokens(source) == _tokens(flat), "indenting changed a token"
    return source


def _tokens(source: str) -> list[str]:
    kinds = (tokenize.INDENT, tokenize.DEDENT, tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER)
    try:
        found = tokenize.generate_tokens(io.StringIO(source).readline)
        return [token.string for token in found if token.type not in kinds]
    except (tokenize.TokenError, IndentationError):
        return [word for word in re.findall(r"\S+", source)]


def localised(source: str, dsn: str, passwords: dict[str, str]) -> str:
    """The example with the connection details of a test server."""
    source = source.replace('"localhost/xepdb1"', repr(dsn))
    for placeholder, password in passwords.items():
        source = source.replace(repr(placeholder).replace("'", '"'), repr(password))
    return source
