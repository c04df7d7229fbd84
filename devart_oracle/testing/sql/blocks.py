"""Query blocks: the unit the structural rewrites of Oracle SQL work on.

ROWNUM limits, CONNECT BY row generators and ``(+)`` outer joins are not
token-for-token changes: each moves or rebuilds clauses of one query block
(``SELECT ... FROM ... WHERE ...``). ``restructure`` finds the blocks (the
statement's own, those of each member of a UNION, and those of every
subquery, innermost first) and hands each to the rules in turn.

The rules work on significant tokens; the result has one blank between
tokens. Moved tokens keep their offsets, which is how the rewrite still
numbers binds in the order the client sends their values.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .lexer import Token, significant, tokenize

__all__ = ["Block", "Rule", "restructure", "tokens_of", "conjuncts", "and_joined", "closing"]

_CLAUSES = ("SET", "FROM", "WHERE", "START", "CONNECT", "GROUP", "HAVING", "ORDER", "FOR",
            "OFFSET", "FETCH", "WINDOW", "RETURNING", "RETURN")
_SET_OPERATORS = ("UNION", "INTERSECT", "MINUS", "EXCEPT")


def tokens_of(text: str) -> list[Token]:
    """Tokens for SQL the rewrites write themselves (it holds no binds)."""
    return significant(tokenize(text))


def closing(tokens: Sequence[Token], opening: int) -> int:
    """The index of the ``)`` that closes the ``(`` at ``opening``."""
    depth = 0
    for index in range(opening, len(tokens)):
        depth += {"(": 1, ")": -1}.get(tokens[index].text, 0)
        if depth == 0:
            return index
    return len(tokens) - 1


def _top(tokens: Sequence[Token]) -> list[int]:
    """The indices of the tokens outside parentheses."""
    found, depth = [], 0
    for index, token in enumerate(tokens):
        if token.text == ")":
            depth -= 1
        if depth == 0:
            found.append(index)
        if token.text == "(":
            depth += 1
    return found


@dataclass
class Block:
    """One ``SELECT`` block (or a whole UPDATE or DELETE), and whether it is a compound's member."""

    tokens: list[Token]
    compound: bool = False

    @property
    def verb(self) -> str:
        """``SELECT``, ``UPDATE`` or ``DELETE``."""
        return self.tokens[0].text.upper()

    def clause(self, word: str) -> tuple[int, int] | None:
        """Where the clause starting with ``word`` starts and ends; None if absent."""
        starts = {i: self.tokens[i].text.upper() for i in _top(self.tokens)
                  if self.tokens[i].is_word(*_CLAUSES)}
        begin = next((i for i, w in starts.items() if w == word), None)
        if begin is None:
            return None
        end = min([i for i in starts if i > begin], default=len(self.tokens))
        return begin, end

    def body(self, word: str, skip: int = 1) -> list[Token]:
        """The tokens of a clause after its ``skip`` keywords; [] if absent."""
        span = self.clause(word)
        return [] if span is None else self.tokens[span[0] + skip:span[1]]

    def replace(self, word: str, tokens: list[Token]) -> None:
        """Put ``tokens`` in place of a clause (an absent one is left absent)."""
        span = self.clause(word)
        if span is not None:
            self.tokens[span[0]:span[1]] = tokens

    def tail(self) -> int:
        """Where the clauses that must stay last (FOR UPDATE, OFFSET, FETCH) start."""
        spans = [self.clause(word) for word in ("FOR", "OFFSET", "FETCH")]
        return min([span[0] for span in spans if span is not None], default=len(self.tokens))


Rule = Callable[[Block], None]


def conjuncts(tokens: list[Token]) -> list[list[Token]]:
    """A condition split at its top-level ANDs (``BETWEEN x AND y`` kept whole).

    A condition with a top-level OR is one conjunct.
    """
    top = _top(tokens)
    if any(tokens[i].is_word("OR") for i in top):
        return [tokens] if tokens else []
    parts: list[list[Token]] = [[]]
    between = False
    for index, token in enumerate(tokens):
        at_top = index in top
        if at_top and token.is_word("BETWEEN"):
            between = True
        elif at_top and token.is_word("AND") and not between:
            parts.append([])
            continue
        elif at_top and token.is_word("AND"):
            between = False
        parts[-1].append(token)
    return [part for part in parts if part]


def and_joined(parts: list[list[Token]]) -> list[Token]:
    """Conjuncts back into one condition, each in parentheses."""
    joined: list[Token] = []
    for part in parts:
        joined += [*tokens_of("AND (" if joined else "("), *part, *tokens_of(")")]
    return joined


def restructure(tokens: tuple[Token, ...], rules: Sequence[Rule]) -> tuple[Token, ...]:
    """Apply ``rules`` to every query block of a statement."""
    words = _level(significant(tokens), rules)
    spaced: list[Token] = []
    for token in words:
        spaced += [token, Token("ws", " ", token.pos)]
    return tuple(spaced)


def _level(words: list[Token], rules: Sequence[Rule]) -> list[Token]:
    """Rewrite inside every parenthesized group first, then the blocks at this level."""
    flat, i = [], 0
    while i < len(words):
        if words[i].text == "(":
            end = closing(words, i)
            flat += [words[i], *_level(words[i + 1:end], rules), *words[end:end + 1]]
            i = end + 1
        else:
            flat.append(words[i])
            i += 1
    return _members(flat, rules)


def _members(words: list[Token], rules: Sequence[Rule]) -> list[Token]:
    """Split at the set operators; each member's SELECT block goes through the rules."""
    cuts = [i for i in _top(words) if words[i].is_word(*_SET_OPERATORS)]
    bounds = [-1, *cuts, len(words)]
    out: list[Token] = []
    for first, last in zip(bounds, bounds[1:]):
        if first >= 0:
            out.append(words[first])
        start = first + 1
        if start < last and words[start].is_word("ALL", "DISTINCT"):
            out.append(words[start])
            start += 1
        out += _member(words[start:last], rules, compound=bool(cuts))
    return out


def _member(words: list[Token], rules: Sequence[Rule], compound: bool) -> list[Token]:
    select = next((i for i in _top(words) if words[i].is_word("SELECT")), None)
    if select is None and words[:1] and words[0].is_word("UPDATE", "DELETE"):
        select = 0
    if select is None:
        return words
    block = Block(words[select:], compound)
    for rule in rules:
        rule(block)
    return words[:select] + block.tokens
