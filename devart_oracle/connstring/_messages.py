"""Error messages for connection strings: masking, caret, syntax problems.

Every message that shows the input shows it *masked*: the password value is
replaced by a fixed ``***`` (so not even its length shows) and the caret is
shifted to match. The masker is deliberately more lenient than the grammar,
because it must also work on text the grammar rejected. Two guesses make it
err on the safe side:

* a name that is not known but looks like a password name (``Passwrod``) has
  its value masked too;
* segments right after the password that are not ``known-name=value`` are
  masked whole: they are most likely the rest of a password that contains
  ``;`` and was not quoted. Messages never quote a token inside a masked span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

import pyparsing as pp

from .._errors import ConnectionStringError
from ._grammar import BLANKS
from ._keywords import lookup, suggest

__all__ = ["MASK", "PASSWORD_TAIL", "Masked", "error", "mask", "syntax_error"]

MASK: Final = "***"
QUOTES: Final = ('"', "'")
#: The message for a token that lies inside a masked span.
PASSWORD_TAIL: Final = (
    "text after the password is not a 'name=value' pair of a known parameter"
    " (a password that contains ';' must be double-quoted)"
)
_SEGMENT = re.compile(
    r"""(?P<name>[^=;]*)
        (?:=[ \t\r\n]*(?P<value>"(?:[^"]|"")*"?|'(?:[^']|'')*'?|)[^;]*)?""",
    re.X,
)
_WIDTH = 76


@dataclass(frozen=True)
class Masked:
    """Text with its secret spans replaced by ``***``."""

    text: str
    #: (start, end, is_tail) in the original text, in order.
    spans: tuple[tuple[int, int, bool], ...]

    def offset(self, pos: int) -> int:
        """Map an offset in the original text to one in the masked text."""
        delta = 0
        for start, end, _ in self.spans:
            if pos < start:
                break
            if pos < end:
                return start - delta
            delta += end - start - len(MASK)
        return pos - delta

    def tail_start(self, pos: int) -> int | None:
        """Return where the masked password tail around ``pos`` starts, if any."""
        # The end counts: "missing '='" points just after the segment's text.
        starts = [start for start, end, tail in self.spans if tail and start <= pos <= end]
        return starts[0] if starts else None


def _is_secret(name: str) -> bool:
    name = name.strip(BLANKS + "".join(QUOTES))
    keyword = lookup(name)
    if keyword is None:
        close = suggest(name) if name else None
        keyword = lookup(close) if close else None
        return keyword is not None and keyword.secret
    return keyword.secret


def _secret_spans(text: str) -> list[tuple[int, int, bool]]:
    spans: list[tuple[int, int, bool]] = []
    in_tail, pos = False, 0
    while pos <= len(text):
        m = _SEGMENT.match(text, pos)
        assert m is not None  # every part of the pattern can match empty
        name, has_value = m["name"], m["value"] is not None
        if has_value and _is_secret(name):
            in_tail = True
            spans.append((m.start("value"), m.end(), False))
        elif in_tail and (not has_value or lookup(name.strip(BLANKS)) is None):
            spans.append((pos, m.end(), True))
        else:
            in_tail = False
        pos = m.end() + 1
    return [span for span in spans if span[1] > span[0]]


def mask(text: str) -> Masked:
    """Replace the password (and what may be part of it) by ``***``."""
    spans = _secret_spans(text)
    parts, last = [], 0
    for start, end, _ in spans:
        parts += [text[last:start], MASK]
        last = end
    parts.append(text[last:])
    return Masked("".join(parts), tuple(spans))


def _caret_block(masked: str, col: int) -> str:
    # One printable line, cut around the caret when long, so the caret aligns.
    line = "".join(c if c.isprintable() else " " for c in masked)
    if len(line) > _WIDTH:
        start = max(0, min(col - _WIDTH // 2, len(line) - _WIDTH))
        end, col = start + _WIDTH, col - start
        line = line[start:end] + ("..." if end < len(line) else "")
        if start:
            line, col = "..." + line, col + 3
    return f"\n    {line}\n    {' ' * col}^"


def error(text: str, problem: str, pos: int | None) -> ConnectionStringError:
    """Build the error for a problem at ``pos`` (None: in a keyword argument)."""
    if pos is None:
        return ConnectionStringError(problem, None)
    masked = mask(text)
    tail = masked.tail_start(pos)
    if tail is not None:
        # Whatever the problem, its text may be part of the password.
        problem, caret = PASSWORD_TAIL, masked.offset(tail)
    else:
        caret = masked.offset(pos)
    return ConnectionStringError(problem + _caret_block(masked.text, caret), pos)


def _skip_blanks(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in BLANKS:
        pos += 1
    return pos


def _before(text: str, pos: int) -> str:
    """Return the last non-blank character before ``pos`` ('' at the start)."""
    head = text[:pos].rstrip(BLANKS)
    return head[-1] if head else ""


def _syntax_problem(text: str, pos: int) -> str:
    here, before = text[pos : pos + 1], _before(text, pos)
    if before in ("", ";"):
        # A segment failed at its start: only '=' or a quote can do that.
        if here == "=":
            return "missing parameter name before '='"
        return "parameter names cannot be quoted"
    if before == "=":
        return "unterminated quoted value"
    if before in QUOTES:
        return "unexpected text after the closing quote (quote the whole value)"
    if here in QUOTES:
        return "parameter names cannot contain quotes"
    head, _, name = text[:pos].rpartition(";")
    # After another segment, the likeliest cause is an unquoted ';' in a value.
    hint = " (a value that contains ';' must be double-quoted)" if head.strip(BLANKS) else ""
    return f"missing '=' after {name.strip(BLANKS)!r}{hint}"


def syntax_error(text: str, exc: pp.ParseBaseException) -> ConnectionStringError:
    """Turn a pyparsing failure into a ConnectionStringError at its position."""
    pos = _skip_blanks(text, exc.loc)
    return error(text, _syntax_problem(text, pos), pos)
