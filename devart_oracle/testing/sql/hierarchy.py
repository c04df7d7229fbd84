"""CONNECT BY over DUAL: Oracle's row generator, as a recursive CTE.

``SELECT LEVEL FROM DUAL CONNECT BY LEVEL <= 10`` is how Oracle code makes
n rows. DUAL has one row, so its hierarchy is a chain: the root is level
1, and each level's child exists while the CONNECT BY condition holds for
it. The block's ``FROM DUAL`` becomes

    (WITH RECURSIVE ORA_CONNECT (DUMMY, LEVEL) AS (
        SELECT 'X', 1 [WHERE start-with]
        UNION ALL
        SELECT DUMMY, LEVEL + 1 FROM ORA_CONNECT WHERE condition)
     SELECT DUMMY, LEVEL FROM ORA_CONNECT) DUAL

where the condition sees the child's LEVEL (and ROWNUM, which on DUAL is
the same number), and ``PRIOR`` is dropped (the parent is the same row).
The block keeps its WHERE, which filters the generated rows, as Oracle's
does.

CONNECT BY over a table, a real hierarchy with ``PRIOR``, is ``tree``'s.
"""

from __future__ import annotations

from .blocks import Block, tokens_of
from .lexer import Token
from .tree import tree_source

__all__ = ["hierarchy_rule"]


def hierarchy_rule(block: Block) -> None:
    """Turn a block's CONNECT BY into the generator (over DUAL) or tree walk it is."""
    if block.verb != "SELECT" or block.clause("CONNECT") is None:
        return
    condition = block.body("CONNECT", skip=2)
    nocycle = bool(condition[:1]) and condition[0].is_word("NOCYCLE")
    condition = condition[1:] if nocycle else condition
    start, source = block.body("START", skip=2), block.body("FROM")
    alias = _dual_alias(source)
    for word in ("CONNECT", "START"):
        block.replace(word, [])
    if alias is None:
        walk = tree_source(block, source, condition, start, nocycle)
        block.replace("FROM", [*tokens_of("FROM"), *walk])
        return
    generator = [
        *tokens_of("(WITH RECURSIVE ORA_CONNECT (DUMMY, LEVEL) AS (SELECT 'X', 1"),
        *([*tokens_of("WHERE ("), *_child(start, "1"), *tokens_of(")")] if start else []),
        *tokens_of("UNION ALL SELECT DUMMY, LEVEL + 1 FROM ORA_CONNECT WHERE ("),
        *_child(condition, "(LEVEL + 1)"),
        *tokens_of(f")) SELECT DUMMY, LEVEL FROM ORA_CONNECT) {alias}"),
    ]
    block.replace("FROM", [*tokens_of("FROM"), *generator])


def _dual_alias(source: list[Token]) -> str | None:
    """The alias of the DUAL a CONNECT BY block reads; None if it reads something else."""
    words = [t.text.upper() for t in source]
    if words[:2] in (["SYS", "."], ["PUBLIC", "."]):
        words = words[2:]
    if words[:1] == ["DUAL"] and len(words) <= 2 and all(w.isidentifier() for w in words):
        return words[-1]
    return None


def _child(condition: list[Token], level: str) -> list[Token]:
    """The condition as the candidate child row sees it: LEVEL and ROWNUM are its level."""
    out: list[Token] = []
    for token in condition:
        if token.is_word("LEVEL", "ROWNUM"):
            out += tokens_of(level)
        elif not token.is_word("PRIOR"):
            out.append(token)
    return out
