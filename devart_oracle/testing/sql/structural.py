"""The structural rewrites of a statement, in the order they apply.

The target of UPDATE and DELETE first (``dml_targets``), then ``(+)``
joins (they rebuild FROM and WHERE), then CONNECT BY (it replaces FROM),
then ROWNUM (it takes its conditions out of the WHERE the others left). A
query or INSERT without ROWNUM, CONNECT or ``(+)`` is left as it is, token
for token. A ``CURSOR(subquery)`` expression left here is refused: one in
the select list of a plain query is taken out before (``cursor_expressions``).
"""

from __future__ import annotations

from .blocks import restructure
from .dml_targets import dml_target_rule
from .errors import OracleError
from .hierarchy import hierarchy_rule
from .lexer import Token
from .outer_joins import outer_join_rule
from .rownum import rownum_rule

__all__ = ["restructured"]

_RULES = (dml_target_rule, outer_join_rule, hierarchy_rule, rownum_rule)
_WORDS = frozenset({"ROWNUM", "CONNECT"})


def restructured(tokens: tuple[Token, ...]) -> tuple[Token, ...]:
    """The statement with its query blocks rebuilt where Oracle's syntax needs it."""
    texts = [t.text.upper() for t in tokens if t.kind in ("word", "op")]
    if any(texts[i + 1:i + 2] == ["("] for i, text in enumerate(texts) if text == "CURSOR"):
        raise OracleError(900, "CURSOR expressions are supported by the test server only in the "
                          "select list of a query that is not compound (UNION ...) or WITH")
    marked = any(texts[i:i + 3] == ["(", "+", ")"] for i, text in enumerate(texts) if text == "(")
    if marked or _WORDS.intersection(texts) or texts[:1] in (["UPDATE"], ["DELETE"]):
        return restructure(tokens, _RULES)
    return tokens
