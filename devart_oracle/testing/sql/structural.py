"""The structural rewrites of a statement, in the order they apply.

``(+)`` joins first (they rebuild FROM and WHERE), then CONNECT BY (it
replaces FROM DUAL), then ROWNUM (it takes its conditions out of the WHERE
the others left). A statement without ROWNUM, CONNECT or ``(+)`` is left as
it is, token for token.
"""

from __future__ import annotations

from .blocks import restructure
from .hierarchy import hierarchy_rule
from .lexer import Token
from .outer_joins import outer_join_rule
from .rownum import rownum_rule

__all__ = ["restructured"]

_RULES = (outer_join_rule, hierarchy_rule, rownum_rule)
_WORDS = frozenset({"ROWNUM", "CONNECT"})


def restructured(tokens: tuple[Token, ...]) -> tuple[Token, ...]:
    """The statement with its query blocks rebuilt where Oracle's syntax needs it."""
    texts = [t.text.upper() for t in tokens if t.kind in ("word", "op")]
    marked = any(texts[i:i + 3] == ["(", "+", ")"] for i, text in enumerate(texts) if text == "(")
    if marked or _WORDS.intersection(texts):
        return restructure(tokens, _RULES)
    return tokens
