"""The connection-string grammar, and nothing else.

The grammar splits ``name=value;name=value`` text into raw pairs that keep the
offsets of names and values, so that the meaning layer (``_resolver``) can point
at the offending character. It knows no parameter names and no types.

BNF (also in ``docs/connection-strings.md``)::

    connection_string ::= segment (";" segment)* END
    segment           ::= pair | <nothing>
    pair              ::= name "=" value
    name              ::= any text without = ; " ' (blanks around it trimmed)
    value             ::= dq_value | sq_value | plain_value | <nothing>
    dq_value          ::= '"' (any char but '"' | '""')* '"'
    sq_value          ::= "'" (any char but "'" | "''")* "'"
    plain_value       ::= any text without ; that does not start with a quote
                          (blanks around it trimmed)

Blanks are space, tab, CR and LF. After a value only blanks may come before
the next ``;`` or the end.
"""

from __future__ import annotations

import threading
from typing import NamedTuple

import pyparsing as pp

__all__ = ["DQ_PATTERN", "NAME_PATTERN", "PLAIN_PATTERN", "SQ_PATTERN", "RawPair", "scan"]

#: The blanks pyparsing skips by default; the regexes below use the same set.
BLANKS = " \t\r\n"


class RawPair(NamedTuple):
    """One ``name=value`` segment as written, with offsets into the text."""

    name: str
    name_pos: int
    value: str
    value_pos: int
    quoted: bool


class _Value(NamedTuple):
    text: str
    pos: int
    quoted: bool


def _unquote(quote: str) -> pp.ParseAction:
    """Return a parse action that strips ``quote`` and undoubles it inside."""

    def action(loc: int, toks: pp.ParseResults) -> _Value:
        return _Value(toks[0][1:-1].replace(quote * 2, quote), loc, True)

    return action


def _plain(loc: int, toks: pp.ParseResults) -> _Value:
    return _Value(toks[0] if toks else "", loc, False)


def _pair(loc: int, toks: pp.ParseResults) -> list[RawPair]:
    # Wrapped in a list: pyparsing would otherwise splat the tuple into tokens.
    value: _Value = toks[1]
    return [RawPair(toks[0], loc, value.text, value.pos, value.quoted)]


EQ = pp.Suppress("=").set_name("'='")
SEMI = pp.Suppress(";").set_name("';'")
END = pp.StringEnd().set_name("end of text")
SEMI_OR_END = (SEMI | END).set_name("';' or end of text")
# The token patterns, shared with the regex scanner in ``_scanner``.
NAME_PATTERN = r"""[^=;"' \t\r\n](?:[^=;"']*[^=;"' \t\r\n])?"""
DQ_PATTERN = r'"(?:[^"]|"")*"'
SQ_PATTERN = r"'(?:[^']|'')*'"
PLAIN_PATTERN = r"""(?!["'])[^; \t\r\n](?:[^;]*[^; \t\r\n])?"""
NAME = pp.Regex(NAME_PATTERN).set_name("parameter name")
DQ_VALUE = pp.Regex(DQ_PATTERN).set_name("double-quoted value")
SQ_VALUE = pp.Regex(SQ_PATTERN).set_name("single-quoted value")
PLAIN_VALUE = pp.Regex(PLAIN_PATTERN).set_name("plain value")
NO_VALUE = pp.Empty().set_name("empty value")
VALUE = (DQ_VALUE | SQ_VALUE | PLAIN_VALUE | NO_VALUE).set_name("value")
SEGMENT_END = pp.FollowedBy(SEMI_OR_END).set_name("end of segment")
# The name commits: once a name is read, '=' and a clean end must follow, so
# errors point at the real spot instead of backtracking to "end of text".
PAIR = (NAME - EQ - VALUE - SEGMENT_END).set_name("name=value")
BLANK_SEGMENT = pp.FollowedBy(SEMI_OR_END).set_name("blank segment")
SEGMENT = (PAIR | BLANK_SEGMENT).set_name("segment")
NEXT_SEGMENT = (SEMI - SEGMENT).set_name("';' segment")
# Every segment, blank or not, is followed by ';' or the end, so the loop only
# stops at the end of the text and END can never be what fails.
CONNECTION_STRING = (SEGMENT + pp.ZeroOrMore(NEXT_SEGMENT) + END).set_name("connection string")

DQ_VALUE.set_parse_action(_unquote('"'))
SQ_VALUE.set_parse_action(_unquote("'"))
PLAIN_VALUE.set_parse_action(_plain)
NO_VALUE.set_parse_action(_plain)
PAIR.set_parse_action(_pair)
# Offsets must be those of the caller's text: no tab expansion.
CONNECTION_STRING.parse_with_tabs()
CONNECTION_STRING.streamline()

# pyparsing resets shared state on every parse_string call; serialise callers.
_lock = threading.Lock()


def scan(text: str) -> list[RawPair]:
    """Split a connection string into its raw pairs.

    Args:
        text: the connection string.

    Returns:
        The pairs in the order written; blank segments are dropped.

    Raises:
        pyparsing.ParseBaseException: the text does not follow the grammar.
    """
    with _lock:
        return list(CONNECTION_STRING.parse_string(text, parse_all=True))
