"""What may be a password: the guesses the masker and the messages share.

The grammar knows where a well-written password is. People make mistakes
the grammar cannot see: a misspelt name (``P@ssword=``, ``Passwrd=``), a
forgotten ``;`` that makes the password part of the value before it
(``User Id=scott Password=tiger``, ``Port=1521Password=tiger``), a forgotten
``=`` (``Password tiger``). These guesses err on the side of hiding: a value
or a name that looks like it carries a password is masked as a whole.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections import Counter
from collections.abc import Sequence
from typing import Final

from ._grammar import BLANKS
from ._keywords import KEYWORDS, lookup, suggest

__all__ = ["STRIP", "QUOTES", "hides_secret", "is_secret_name", "looks_secret", "secret_prefix"]

QUOTES: Final = ('"', "'")
STRIP: Final = BLANKS + "".join(QUOTES)
# Longest first, so "password" is found before a shorter spelling inside it.
_SECRET_SPELLINGS: Final = sorted(
    (s.lower() for k in KEYWORDS if k.secret for s in k.spellings), key=len, reverse=True
)
# What a misspelt password name is close to, once only its letters are kept;
# all but "pass" also count when found inside a word.
_CLOSE_TO: Final = (*_SECRET_SPELLINGS, "passwd", "pass")
_INSIDE: Final = _CLOSE_TO[:-1]
_COUNTS: Final = {spelling: Counter(spelling) for spelling in _CLOSE_TO}
_CUTOFF = 0.75
# A difflib ratio of 0.75 against words of at most 8 letters needs at most 13;
# under 4, too many words are close to "pass" ("ass", "pas").
_LONGEST_CLOSE = 13
_SHORTEST_CLOSE = 4
# The ends of glued words are matched against the long spellings only, and
# from 5 letters on, so that "compass" does not end in a password name.
_LONG_SPELLINGS: Final = ("password", "passwd")
_SHORTEST_END = 5
_LONG_SPELLING = re.compile("|".join(_LONG_SPELLINGS))
# "Pass" as a word of its own, or the end of a camel-case word ("TruePass",
# "USERPASS"), but not the end of "compass" or the start of "passau".
_PASS = re.compile(r"(?:(?<![A-Za-z])[Pp]|(?<=[a-z0-9])P)(?:ass|ASS)(?![a-z])|(?<=[A-Z0-9])PASS(?![A-Za-z])")
# A word of a value: what a forgotten ';' or '=' leaves between separators.
_TOKEN = re.compile(r"""[^ \t\r\n=:;"',()]+""")
_CLOSERS: Final = "();,"
_NAME_MARKS = re.compile(r"""[ \t\r\n"'=:]""")
_NAME_MARKS_NO_COLON = re.compile(r"""[ \t\r\n"'=]""")
_WORD = re.compile(r"""[ \t\r\n"']*[^ \t\r\n"'=;:]+""")


def _shared(counts: Counter[str], spelling: str) -> int:
    return sum((counts & _COUNTS[spelling]).values())


def _close(letters: str, counts: Counter[str], spelling: str) -> bool:
    """difflib's ratio >= the cutoff, with its cheap upper bound tried first."""
    if 2 * _shared(counts, spelling) < _CUTOFF * (len(letters) + len(spelling)):
        return False
    return difflib.SequenceMatcher(None, letters, spelling).ratio() >= _CUTOFF


def _glued_end(letters: str, counts: Counter[str]) -> bool:
    """Tell whether the word ends in a misspelt long password name."""
    # A close end shares at least 5 letters with the spelling: one count
    # rules most words out before any end is compared.
    if all(_shared(counts, spelling) < _SHORTEST_END for spelling in _LONG_SPELLINGS):
        return False
    ends = (letters[-n:] for n in range(_SHORTEST_END, min(len(letters), _LONGEST_CLOSE) + 1))
    return any(_close(end, Counter(end), spelling) for end in ends for spelling in _LONG_SPELLINGS)


# Pure, and called on every word of every value of an uncached parse: the
# same host and user names come back, so a bounded cache pays.
@functools.lru_cache(maxsize=4096)
def looks_secret(word: str) -> bool:
    """Tell whether a word, by its letters alone, may name the password.

    ``1521Password``, ``P,ASSWORD``, ``P@ssword``, ``Passw0rd``,
    ``TruePasswort`` and ``UserPass`` do; ``Port``, ``PoolId``, ``compass``
    and the words of a connect descriptor do not.
    """
    letters = "".join(c for c in word.lower() if "a" <= c <= "z")
    if any(spelling in letters for spelling in _INSIDE) or _PASS.search(word):
        return True
    if not letters:
        return False
    counts = Counter(letters)
    if _SHORTEST_CLOSE <= len(letters) <= _LONGEST_CLOSE and any(_close(letters, counts, s) for s in _CLOSE_TO):
        return True
    return _glued_end(letters, counts)


def is_secret_name(name: str) -> bool:
    """Tell whether the value after this name (and '=') must be masked."""
    name = name.strip(STRIP)
    keyword = lookup(name)
    if keyword is not None:
        return keyword.secret
    if looks_secret(name):
        return True
    close = suggest(name) if name else None
    keyword = lookup(close) if close else None
    return keyword is not None and keyword.secret


def _spelling_end(word: str, spellings: Sequence[str] = _SECRET_SPELLINGS) -> int | None:
    """Return where the first of ``spellings`` inside a word ends, if any.

    Underscores do not count, as in lookups: ``xPASS_WORDtiger`` gives 10.
    """
    # Most words hold no spelling: one fold of the whole word tells (it
    # differs from the per-character fold below only in Greek final sigma).
    rough = word.lower().replace("_", "")
    if not any(s in rough for s in spellings):
        return None
    # One entry per folded character: "İ" folds to two ("i" and a dot above).
    kept = [(at, low) for at, char in enumerate(word) if char != "_" for low in char.lower()]
    folded = "".join(low for _, low in kept)
    ends = [folded.find(s) + len(s) for s in spellings if s in folded]
    return kept[min(ends) - 1][0] + 1 if ends else None


def _is_name(after: str, colon: bool) -> bool:
    """Tell whether what follows a word of a value makes the word a name.

    '=' (or ':', as in ``Pwd:tiger``) does, and so does more text past a
    blank or a quote (the '=' forgotten); ')' or the end does not, so the
    values inside a connect descriptor are not names.
    """
    stripped = after.lstrip(STRIP)
    if not stripped:
        return False
    if stripped[0] == "=" or (colon and stripped[0] == ":"):
        return True
    return len(stripped) < len(after) and stripped[0] not in _CLOSERS


def _names_secret(word: str, before: str, after: str, colon: bool) -> bool:
    """Tell whether a word of a value may name a password that follows it."""
    joined = before + word  # "pass word", "User pass wordtiger": a name cut by a blank
    end = _spelling_end(joined, _LONG_SPELLINGS)
    if end is not None and joined[end:]:  # "1521Passwordtiger": both ';' and '=' forgotten
        return True
    return _is_name(after, colon) and (looks_secret(word) or looks_secret(joined))


def _no_word_can_name_secret(text: str, colon: bool) -> bool:
    """Tell, cheaply, that no word of the text can name a password.

    Most values (``scott``, ``db:1521/svc``, ``True``) have no blank, quote or
    '=' (nor ':' when it counts): then no word is followed by what makes it a
    name (see ``_is_name``), no word is joined to another, and only a long
    spelling inside the text itself could still be a name.
    """
    if (_NAME_MARKS if colon else _NAME_MARKS_NO_COLON).search(text) is not None:
        return False
    return _LONG_SPELLING.search(text.lower().replace("_", "")) is None


def hides_secret(text: str, *, colon: bool = True) -> bool:
    """Tell whether text holds a password-like name with more text after it.

    ``scott Password=tiger``, ``1521Password=tiger`` and ``1521Passwordtiger``
    do: a ';' was forgotten, and what follows the name may be the password.

    Args:
        text: a value, or a segment without '='.
        colon: a ':' after a word makes it a name; False for Host, where
            ':' comes before the port.
    """
    return not _no_word_can_name_secret(text, colon) and _a_word_names_secret(text, colon)


def _a_word_names_secret(text: str, colon: bool) -> bool:
    """``hides_secret``, word by word."""
    before, end = "", 0
    for m in _TOKEN.finditer(text):
        # Only a blank can cut a name in two: "pass word", not "xpwdx)(PORT".
        joined_to = before if not text[end : m.start()].strip(BLANKS) else ""
        if _names_secret(m[0], joined_to, text[m.end() :], colon):
            return True
        before, end = m[0], m.end()
    return False


def _spelled_prefix(segment: str) -> int | None:
    """Return where an exact password spelling that opens a segment ends.

    Blanks, quotes and underscores inside the name do not count, as in
    lookups: ``PASS_WORDtiger`` gives 9.
    """
    folded = ""
    for at, char in enumerate(segment):
        if char in STRIP or char == "_":
            continue
        folded += char.lower()
        if folded in _SECRET_SPELLINGS:
            return at + 1
        if not any(s.startswith(folded) for s in _SECRET_SPELLINGS):
            return None
    return None


def secret_prefix(segment: str) -> int | None:
    """Where a segment without '=' stops being safe to show, if it names the password.

    ``Password tiger`` and ``Pwd:tiger`` show only the name; the rest may be
    the password with its '=' forgotten.
    """
    end = _spelled_prefix(segment)
    if end is not None:
        return end + (segment[end : end + 1] in QUOTES)  # a quoted name shows whole
    m = _WORD.match(segment)
    if m is None or not is_secret_name(m[0]):
        return None
    inside = _spelling_end(m[0])  # "UserPasswordtiger": what follows the spelling goes
    return m.end() if inside is None else m.start() + inside
