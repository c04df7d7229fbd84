"""Arithmetic chains: where ``+``, ``-``, ``*``, ``/`` and ``||`` find their operands.

SQLite's operators do not mean what Oracle's do: ``d - 1`` on a date (stored
as text) gives -1, ``'a' || NULL`` gives NULL, ``1/0`` gives NULL. The
rewrite therefore turns Oracle's arithmetic into calls of functions that
know Oracle's rules (``ORA_SUB(d, 1)``); for that it needs each operator's
operands, which a token stream does not show. This module finds them.

A *chain* is a run of operands joined by arithmetic operators, bounded by
anything else (a comparison, a comma, a keyword, a closing parenthesis).
An *operand* is a primary: a literal, a bind, a (dotted) name, a function
call, a parenthesized expression, ``CASE ... END`` or a ``DATE '...'``
literal, after any unary signs. Inside a chain Oracle's precedence applies:
``*`` and ``/`` bind tighter than ``+``, ``-`` and ``||``, which are equal
and associate to the left. Anything the parser does not recognise simply
ends the chain, and the SQL is left as it was.

``CAST(expr AS type)`` needs the same kind of help: ``cast_parts`` finds
its AS, so that the expression can be rewritten and the type passed on.
"""

from __future__ import annotations

from dataclasses import dataclass

from .lexer import Token
from .typed_literals import interval_end

__all__ = ["Chain", "chain_at", "combine", "cast_parts", "operand_may_follow", "REWRITTEN"]

OPERATORS = frozenset({"+", "-", "*", "/", "||"})
REWRITTEN = frozenset({"+", "-", "/", "||"})  # ``*`` alone is left to SQLite
_SIGNS = frozenset({"+", "-"})
_CALLS = {"+": "ORA_ADD", "-": "ORA_SUB", "||": "ORA_CONCAT"}
_STOP = frozenset({
    "SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "IN", "IS", "LIKE", "BETWEEN", "AS", "ON",
    "JOIN", "INNER", "LEFT", "RIGHT", "FULL", "OUTER", "CROSS", "NATURAL", "USING", "GROUP",
    "BY", "ORDER", "HAVING", "UNION", "INTERSECT", "MINUS", "EXCEPT", "ALL", "DISTINCT",
    "UNIQUE", "WHEN", "THEN", "ELSE", "END", "SET", "VALUES", "INTO", "INSERT", "UPDATE",
    "DELETE", "MERGE", "ASC", "DESC", "NULLS", "FOR", "OFFSET", "FETCH", "ROWS", "ROW", "ONLY",
    "WITH", "ESCAPE", "EXISTS", "PRIOR", "RETURNING", "RETURN", "ANY", "SOME", "DEFAULT",
    "INTERVAL", "OVER", "PARTITION", "CONNECT", "START", "COLLATE",
})


@dataclass(frozen=True)
class Chain:
    """Operands (token index spans, end exclusive) and the operators between them."""

    operands: tuple[tuple[int, int], ...]
    operators: tuple[str, ...]

    @property
    def end(self) -> int:
        """The index after the chain's last operand."""
        return self.operands[-1][1]

    @property
    def rewritten(self) -> bool:
        """Whether the chain has an operator the rewrite replaces."""
        return any(op in REWRITTEN for op in self.operators)


def chain_at(tokens: tuple[Token, ...], start: int, end: int) -> Chain | None:
    """The chain that starts at ``tokens[start]`` and ends by ``end``; None if there is none.

    A sign starts a chain only where an operand may begin (after an
    operator, a parenthesis, a comma or a keyword): elsewhere it is the
    binary operator after something the parser did not recognise.
    """
    if tokens[start].text in _SIGNS and not operand_may_follow(tokens, start):
        return None
    finish = _operand(tokens, start, end)
    if finish is None:
        return None
    operands, operators = [(start, finish)], []
    while True:
        op = _skip(tokens, finish, end)
        if op >= end or tokens[op].text not in OPERATORS or tokens[op].kind != "op":
            break
        first = _skip(tokens, op + 1, end)
        last = _operand(tokens, first, end)
        if last is None:
            break
        operators.append(tokens[op].text)
        operands.append((first, last))
        finish = last
    return Chain(tuple(operands), tuple(operators)) if operators else None


def combine(texts: list[str], operators: tuple[str, ...]) -> str:
    """SQLite text for a chain, from its operands' texts: Oracle's precedence, left to right."""
    terms, joins = [texts[0]], []
    for operator, text in zip(operators, texts[1:]):
        if operator == "*":
            terms[-1] = f"{terms[-1]} * {text}"
        elif operator == "/":
            terms[-1] = f"ORA_DIV({terms[-1]}, {text})"
        else:
            terms.append(text)
            joins.append(operator)
    result = terms[0]
    for operator, term in zip(joins, terms[1:]):
        result = f"{_CALLS[operator]}({result}, {term})"
    return result


def cast_parts(tokens: tuple[Token, ...], opening: int, end: int) -> tuple[int, int] | None:
    """For ``CAST(`` at ``opening``: the index of its AS and the index after its ``)``."""
    closing = _closing(tokens, opening, end)
    if closing is None:
        return None
    depth = 0
    for j in range(opening + 1, closing - 1):
        depth += {"(": 1, ")": -1}.get(tokens[j].text, 0) if tokens[j].kind == "op" else 0
        if depth == 0 and tokens[j].is_word("AS"):
            return j, closing
    return None


def operand_may_follow(tokens: tuple[Token, ...], i: int) -> bool:
    """Whether an operand may begin at ``tokens[i]``: a sign there is unary."""
    j = i - 1
    while j >= 0 and tokens[j].kind in ("ws", "comment"):
        j -= 1
    if j < 0:
        return True
    before = tokens[j]
    return (before.kind == "op" and before.text != ")") or (
        before.kind == "word" and before.text.upper() in _STOP)


def _skip(tokens: tuple[Token, ...], i: int, end: int) -> int:
    """The index of the first significant token at or after ``i``."""
    while i < end and tokens[i].kind in ("ws", "comment"):
        i += 1
    return i


def _operand(tokens: tuple[Token, ...], i: int, end: int) -> int | None:
    """The index after the operand starting at ``i``; None if none starts there."""
    if i >= end:
        return None
    token = tokens[i]
    if token.kind == "op" and token.text in _SIGNS:
        return _operand(tokens, _skip(tokens, i + 1, end), end)
    if token.kind in ("number", "string", "qstring", "bind"):
        return i + 1
    if token.text == "(":
        return _closing(tokens, i, end)
    if token.is_word("INTERVAL"):
        return interval_end(tokens, i, end)
    if token.kind == "word" and token.text.upper() in _STOP:
        return None
    if token.is_word("CASE"):
        return _case_end(tokens, i, end)
    if token.kind in ("word", "ident"):
        return _name(tokens, i, end)
    return None


def _name(tokens: tuple[Token, ...], i: int, end: int) -> int | None:
    """A dotted name, a function call, or a ``DATE '...'`` literal."""
    after = _skip(tokens, i + 1, end)
    if tokens[i].is_word("DATE", "TIMESTAMP") and after < end and "string" in tokens[after].kind:
        return after + 1
    while after + 1 < end and tokens[after].text == ".":
        member = _skip(tokens, after + 1, end)
        if member >= end or tokens[member].kind not in ("word", "ident"):
            break
        i, after = member, _skip(tokens, member + 1, end)
    if after < end and tokens[after].text == "(":
        return _closing(tokens, after, end)
    return i + 1


def _closing(tokens: tuple[Token, ...], i: int, end: int) -> int | None:
    """The index after the parenthesis that closes the one at ``i``."""
    depth = 0
    for j in range(i, end):
        depth += {"(": 1, ")": -1}.get(tokens[j].text, 0) if tokens[j].kind == "op" else 0
        if depth == 0:
            return j + 1
    return None


def _case_end(tokens: tuple[Token, ...], i: int, end: int) -> int | None:
    """The index after the END that closes the CASE at ``i``."""
    depth = 0
    for j in range(i, end):
        if tokens[j].is_word("CASE"):
            depth += 1
        elif tokens[j].is_word("END"):
            depth -= 1
            if depth == 0:
                return j + 1
    return None
