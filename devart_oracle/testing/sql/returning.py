"""DML's ``RETURNING exprs INTO :targets``: SQLite keeps the expressions, the wire the targets.

SQLite has its own ``RETURNING`` (not ``RETURN``) and no ``INTO``: the
clause keeps its expressions for SQLite and loses its INTO, and the number
of targets tells the wire layer how many binds receive the returned rows.
"""

from __future__ import annotations

from .errors import OracleError
from .lexer import Token, significant, split_commas

__all__ = ["returning_clause"]

_DML = ("INSERT", "UPDATE", "DELETE", "MERGE")


def returning_clause(tokens: tuple[Token, ...]) -> tuple[tuple[Token, ...], int]:
    """A DML statement without the INTO of its RETURNING clause, and the number of targets.

    Raises:
        OracleError: ORA-00913 or ORA-00947 when the expressions and the
            targets do not pair up, ORA-00933 for a target that is no bind.
    """
    start, depth = -1, 0
    if not significant(tokens)[:1] or not significant(tokens)[0].is_word(*_DML):
        return tokens, 0
    for index, token in enumerate(tokens):
        depth += {"(": 1, ")": -1}.get(token.text, 0)
        if depth == 0 and start < 0 and token.is_word("RETURNING", "RETURN"):
            start = index
        elif depth == 0 and start >= 0 and token.is_word("INTO"):
            return _targets(tokens, start, index)
    return tokens, 0


def _targets(tokens: tuple[Token, ...], start: int, into: int) -> tuple[tuple[Token, ...], int]:
    targets = split_commas(significant(tokens[into + 1:]))
    if not targets or any(len(t) != 1 or t[0].kind != "bind" for t in targets):
        raise OracleError(933)
    expressions = split_commas(significant(tokens[start + 1:into]))
    if len(expressions) != len(targets):
        raise OracleError(913 if len(expressions) < len(targets) else 947)
    keyword = Token("word", "RETURNING", tokens[start].pos)  # SQLite knows no RETURN
    return (*tokens[:start], keyword, *tokens[start + 1:into]), len(targets)
