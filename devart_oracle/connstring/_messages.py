"""Error messages for connection strings: masking, caret, syntax problems.

Every message that shows the input shows it *masked*: the password value is
replaced by a fixed ``***`` (so not even its length shows) and the caret is
shifted to match. The masker is deliberately more lenient than the grammar,
because it must also work on text the grammar rejected. Its guesses (in
``_secrets``) err on the safe side:

* a name that is not known but looks like a password name (``Passwrod``,
  ``P@ssword``) has its value masked too;
* a value that holds a password-like name with more after it (a ';'
  forgotten: ``User Id=scott Password=tiger``) is masked whole, and so is a
  segment without '=' that does (``scott Password tiger``);
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
from ._keywords import lookup
from ._secrets import QUOTES, STRIP, hides_secret, is_secret_name, secret_prefix

__all__ = ["MASK", "PASSWORD_TAIL", "SECRET_IN_NAME", "Masked", "error", "mask", "syntax_error"]

MASK: Final = "***"
#: The message for a name that may hold a password: it is never quoted.
SECRET_IN_NAME: Final = (
    "a segment that looks like it holds a password is not a 'name=value' pair"
    " (is a ';' or '=' missing?)"
)
#: The message for a token that lies inside a masked span.
PASSWORD_TAIL: Final = (
    "text after the password is not a 'name=value' pair of a known parameter"
    " (a password that contains ';' must be double-quoted)"
)
# Two readings of the text, and both are masked: one honours quotes as the
# grammar does, the other splits at every ';'. On text the grammar rejected,
# either may be the one that finds the password (an unclosed quote before it,
# or a stray quote inside it).
_QUOTED_SEGMENT = re.compile(
    r"""(?P<name>[^=;]*)
        (?:=[ \t\r\n]*(?P<value>"(?:[^"]|"")*"?|'(?:[^']|'')*'?|)[^;]*)?""",
    re.X,
)
_PLAIN_SEGMENT = re.compile(r"(?P<name>[^=;]*)(?:=[ \t\r\n]*(?P<value>)[^;]*)?")
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


def _secret_spans(text: str) -> list[tuple[int, int, bool]]:
    """The union of both readings' spans, overlaps merged."""
    merged: list[tuple[int, int, bool]] = []
    for start, end, tail in sorted(_read_spans(text, _QUOTED_SEGMENT) + _read_spans(text, _PLAIN_SEGMENT)):
        if merged and start <= merged[-1][1]:
            last = merged.pop()
            start, end, tail = last[0], max(end, last[1]), tail or last[2]
        merged.append((start, end, tail))
    return merged


def _read_spans(text: str, segment: re.Pattern[str]) -> list[tuple[int, int, bool]]:
    spans: list[tuple[int, int, bool]] = []
    in_tail, pos = False, 0
    while pos <= len(text):
        m = segment.match(text, pos)
        assert m is not None  # every part of the pattern can match empty
        span = _segment_span(m, in_tail)
        if span is not None:
            spans.append(span)
        in_tail = span is not None
        pos = m.end() + 1
    return [span for span in spans if span[1] > span[0]]


def _segment_span(m: re.Match[str], in_tail: bool) -> tuple[int, int, bool] | None:
    """Return what to mask of one segment, or None when it shows whole."""
    name, has_value, start = m["name"], m["value"] is not None, m.start()
    shown = secret_prefix(name)
    if shown is not None and name[shown:].strip(STRIP):
        # "Password tiger", "Passwordtiger=x": more than a password name
        # before any '=': all after the name may be the password.
        return start + shown, m.end(), False
    if hides_secret(name):  # "scott Password tiger": a ';' and a '=' forgotten
        return start, m.end(), False
    if has_value and (is_secret_name(name) or hides_secret(m.string[m.start("value") : m.end()])):
        # Password=..., a misspelt P@ssword=..., or "User Id=scott Password=tiger"
        # (a ';' forgotten): the whole value goes.
        return m.start("value"), m.end(), False
    if in_tail and (not has_value or lookup(name.strip(BLANKS)) is None):
        return start, m.end(), True
    return None


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
    problem = _syntax_problem(text, pos)
    if problem.startswith("missing '='"):
        start = text.rfind(";", 0, pos) + 1
        shown = secret_prefix(text[start:pos])
        if shown is not None:  # show the password's name only; point where '=' belongs
            problem = f"missing '=' after {text[start : start + shown].strip(BLANKS)!r}"
            pos = start + shown
        elif hides_secret(text[start:pos]):
            problem, pos = SECRET_IN_NAME, _skip_blanks(text, start)
    return error(text, problem, pos)
