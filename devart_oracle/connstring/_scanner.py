"""The grammar's fast path: one regex per segment, pyparsing for the rest.

``_grammar`` is the definition, and the only source of syntax errors: its
failures carry the position the messages point at. Running it costs some
300 µs a string, though, almost all of it pyparsing's generic machinery
(a ParseResults per token, a parse action per value), and an application
with per-tenant credentials parses thousands of distinct strings.

This module reads the same grammar with ``re`` alone: a segment is one
match of ``_SEGMENT``, built from the grammar's own token patterns. It only
ever says "these are the pairs" or "ask the grammar": on any text it cannot
read it returns None and ``scan`` runs the pyparsing grammar, which then
either reads it too or raises its error. So an error is always the
grammar's, and equality on the accepted text is what the property tests
in ``tests/connstring/test_scanner.py`` check.

Why one regex reads like pyparsing
----------------------------------
pyparsing matches each token with ``re.match`` and never goes back into
it; after the name it commits (``-``), and ``MatchFirst`` keeps the first
value alternative that matches. A plain regex would backtrack into a value
when what follows fails (``a="x"" y`` could be re-read as a shorter
quote) and so accept text the grammar rejects. The value (with the blanks
before it) is therefore read inside a lookahead and then consumed by a
backreference: Python's lookaheads are atomic, which is exactly
pyparsing's "first match, no going back" (possessive quantifiers would say
it more plainly, but need Python 3.11). The name needs no such care: a
name ends at the last non-blank before the first ``= ; " '``, and no
shorter one can be followed by blanks and '='.
"""

from __future__ import annotations

import re

from ._grammar import DQ_PATTERN, NAME_PATTERN, PLAIN_PATTERN, SQ_PATTERN, RawPair
from ._grammar import scan as grammar_scan

__all__ = ["fast_scan", "scan"]

_SEGMENT = re.compile(
    rf"""[ \t\r\n]*
    (?:
        (?P<name>{NAME_PATTERN})
        [ \t\r\n]*=
        (?=(?P<spaced>[ \t\r\n]*
            (?:(?P<dq>{DQ_PATTERN})|(?P<sq>{SQ_PATTERN})|(?P<plain>{PLAIN_PATTERN})|)
        ))(?P=spaced)
        [ \t\r\n]*
    )?
    (?:(?P<semi>;)|\Z)""",
    re.VERBOSE,
)


def _pair(m: re.Match[str]) -> RawPair:
    """The pair of a segment that has a name, as the grammar's actions build it."""
    name, dq, sq, plain = m.group("name", "dq", "sq", "plain")
    at = m.start("name")
    if plain is not None:
        return RawPair(name, at, plain, m.start("plain"), False)
    if dq is not None:
        return RawPair(name, at, dq[1:-1].replace('""', '"'), m.start("dq"), True)
    if sq is not None:
        return RawPair(name, at, sq[1:-1].replace("''", "'"), m.start("sq"), True)
    # No value: the grammar's empty value sits where the blanks end.
    return RawPair(name, at, "", m.end("spaced"), False)


def fast_scan(text: str) -> list[RawPair] | None:
    """Split a connection string the grammar accepts; None for any other.

    Args:
        text: the connection string.

    Returns:
        The pairs, exactly as ``_grammar.scan`` gives them, or None when the
        text does not follow the grammar.
    """
    pairs: list[RawPair] = []
    pos = 0
    while True:
        m = _SEGMENT.match(text, pos)
        if m is None:
            return None
        if m["name"] is not None:
            pairs.append(_pair(m))
        if m["semi"] is None:
            return pairs
        pos = m.end()


def scan(text: str) -> list[RawPair]:
    """As the grammar's ``scan`` (same pairs, same errors): by the fast path
    when it reads the text, else by pyparsing."""
    pairs = fast_scan(text)
    return grammar_scan(text) if pairs is None else pairs
