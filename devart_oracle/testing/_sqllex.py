"""The SQL tokenizer, and where the binds are.

Every rewrite the backend makes (bind placeholders, ``SYSDATE``, ``V$SESSION``,
Oracle types in DDL) must leave string literals, quoted identifiers and
comments alone, so they all work on tokens rather than on text. The token
kinds are few: whitespace, comment, string, quoted identifier, bind, word,
number and operator; joining the texts of the tokens gives the SQL back.

Binds are positional on the wire: the client sends one value per occurrence
of a placeholder in plain SQL (``:a ... :a`` takes two values), and one per
distinct name, in order of first occurrence, in a PL/SQL block.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from ._sqlerrors import OracleError

__all__ = ["Token", "tokenize", "significant", "bind_names"]


class Token(NamedTuple):
    """One lexical token: its kind, its text, its offset in the SQL."""

    kind: str
    text: str
    pos: int

    def is_word(self, *words: str) -> bool:
        """True if this is an unquoted word, one of ``words`` when given."""
        return self.kind == "word" and (not words or self.text.upper() in words)


_PATTERN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>--[^\n]*|/\*.*?\*/)
  | (?P<qstring>[nN]?[qQ]'(?:\[.*?\]|\{.*?\}|<.*?>|\(.*?\)|(?P<qd>[^\s\[{<(]).*?(?P=qd))')
  | (?P<string>[nN]?'(?:[^']|'')*')
  | (?P<ident>"[^"]+")
  | (?P<bind>:(?:[^\W\d][\w$\#]*|\d+|"[^"]+"))
  | (?P<word>[^\W\d][\w$\#]*)
  | (?P<number>(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<unclosed>['"]|/\*)
  | (?P<op>\|\||<=|>=|<>|!=|\^=|:=|=>|\.\.|.)
    """,
    re.VERBOSE | re.DOTALL,
)

_UNCLOSED = {"'": 1756, '"': 1740, "/*": 1742}


@functools.lru_cache(maxsize=1024)
def tokenize(sql: str) -> tuple[Token, ...]:
    """Split ``sql`` into tokens.

    Raises:
        OracleError: ORA-01756 for an unterminated string literal, ORA-01740
            for an unterminated quoted identifier, ORA-01742 for a comment.
    """
    tokens = []
    for match in _PATTERN.finditer(sql):
        kind = match.lastgroup or "op"
        if kind == "unclosed":
            raise OracleError(_UNCLOSED[match.group()])
        tokens.append(Token(kind, match.group(), match.start()))
    return tuple(tokens)


def significant(tokens: tuple[Token, ...]) -> list[Token]:
    """The tokens without whitespace and comments."""
    return [t for t in tokens if t.kind not in ("ws", "comment")]


def bind_name(token: Token) -> str:
    """A bind's name as Oracle compares them: upper case unless quoted."""
    name = token.text[1:]
    return name[1:-1] if name.startswith('"') else name.upper()


def bind_names(tokens: tuple[Token, ...], plsql: bool) -> list[str]:
    """The names the client sends values for, in the order it sends them."""
    names = [bind_name(t) for t in tokens if t.kind == "bind"]
    return list(dict.fromkeys(names)) if plsql else names
