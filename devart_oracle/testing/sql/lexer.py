"""The SQL tokenizer, and where the binds are.

Every rewrite the backend makes (bind placeholders, ``SYSDATE``, ``V$SESSION``,
Oracle types in DDL) must leave string literals, quoted identifiers and
comments alone, so they all work on tokens rather than on text. The token
kinds are few: whitespace, comment, string, quoted identifier, bind, word,
number and operator; joining the texts of the tokens gives the SQL back.

Binds are positional on the wire: the client sends one value per occurrence
of a placeholder in plain SQL (``:a ... :a`` takes two values), and one per
distinct name, in order of first occurrence, in a PL/SQL block. The targets
of ``RETURNING ... INTO`` are described like the others but get no value.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Container
from typing import NamedTuple

from .errors import OracleError

__all__ = ["Token", "Words", "tokenize", "significant", "bind_names", "returning_binds",
           "name_of", "joined", "split_commas"]


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


def returning_binds(tokens: tuple[Token, ...]) -> int:
    """How many binds of a DML statement are ``RETURNING ... INTO`` targets.

    python-oracledb's own rule: in a statement that starts with INSERT,
    UPDATE, DELETE or MERGE, every bind after an INTO that follows the word
    RETURNING is a return bind, whose value the client never sends. The
    client finds those words as runs of letters, so they count inside an
    unquoted name too (``lob_returning_into`` has both), and so they do here.
    """
    words = significant(tokens)
    if not words or not words[0].is_word("INSERT", "UPDATE", "DELETE", "MERGE"):
        return 0
    state = count = 0
    for token in words[1:]:
        if token.kind == "bind":
            count += state == 2
            continue
        for run in _LETTERS.findall(token.text) if token.kind == "word" else ():
            if state == 0 and run.upper() == "RETURNING":
                state = 1
            elif state == 1 and run.upper() == "INTO":
                state = 2
    return count


_LETTERS = re.compile(r"[^\W\d_]+")  # python-oracledb's alpha runs


def name_of(token: Token) -> str:
    """An identifier as Oracle stores it: upper case unless quoted."""
    return token.text[1:-1] if token.kind == "ident" else token.text.upper()


def name_uses(tokens: list[Token], names: Container[str]) -> list[str | None]:
    """For each token, the name of ``names`` it is a plain use of, else None:
    a word or quoted identifier, not a member after ``.``, not a named
    argument before ``=>``."""
    uses: list[str | None] = []
    previous = ""
    for i, token in enumerate(tokens):
        follows = tokens[i + 1].text if i + 1 < len(tokens) else ""
        name = name_of(token) if token.kind in ("word", "ident") else None
        uses.append(name if name in names and previous != "." and follows != "=>" else None)
        previous = token.text
    return uses


def joined(tokens: list[Token]) -> str:
    """Tokens back to SQL, one blank between each."""
    return " ".join(t.text for t in tokens)


def split_commas(tokens: list[Token]) -> list[list[Token]]:
    """Split at the commas outside parentheses."""
    parts: list[list[Token]] = [[]]
    depth = 0
    for token in tokens:
        depth += {"(": 1, ")": -1}.get(token.text, 0)
        if token.text == "," and depth == 0:
            parts.append([])
        else:
            parts[-1].append(token)
    return [part for part in parts if part]


class Words:
    """A cursor over significant tokens, for the small parsers of DDL and PL/SQL."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.i = 0

    def peek(self, ahead: int = 0) -> str:
        """The upper-cased text ``ahead`` tokens on; "" past the end."""
        i = self.i + ahead
        return self.tokens[i].text.upper() if i < len(self.tokens) else ""

    def take(self) -> Token:
        """The next token.

        Raises:
            OracleError: ORA-00921 past the end.
        """
        if self.i >= len(self.tokens):
            raise OracleError(921)
        self.i += 1
        return self.tokens[self.i - 1]

    def take_upper(self) -> str:
        """The next token's text, upper-cased."""
        return self.take().text.upper()

    def accept(self, *words: str) -> bool:
        """Step over the next token if it is one of ``words``."""
        found = self.peek() in words
        self.i += found
        return found

    def skip(self, words: set[str]) -> None:
        """Step over any of ``words``."""
        while self.peek() in words:
            self.i += 1

    def name(self) -> tuple[str, str]:
        """An object name, maybe schema-qualified: (its text, its name)."""
        token = self.take()
        if self.peek() == ".":
            self.i += 1
            token = self.take()
        return token.text, name_of(token)

    def group(self) -> list[Token]:
        """The tokens inside the parentheses that start here.

        Raises:
            OracleError: ORA-00906 if no parenthesis starts here.
        """
        if self.peek() != "(":
            raise OracleError(906)
        depth, start = 0, self.i + 1
        while True:
            depth += {"(": 1, ")": -1}.get(self.take().text, 0)
            if depth == 0:
                return self.tokens[start:self.i - 1]

    def rest(self) -> list[Token]:
        """The tokens left."""
        rest, self.i = self.tokens[self.i:], len(self.tokens)
        return rest
