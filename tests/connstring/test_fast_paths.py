"""The fast paths of an uncached parse give what the slow paths give.

The regex scanner: ``fast_scan`` accepts exactly the text the pyparsing
grammar accepts and gives the same pairs (offsets and quoting included), and
``parse`` through it gives the same parameters, or the same error (type,
message, position, masking), as ``parse`` with the grammar alone.

The password guesses: ``hides_secret``'s shortcut for one-word values says
what the word-by-word reading says.
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

import pyparsing as pp
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devart_oracle import ConnectionStringError
from devart_oracle.connstring import ConnectionParameters, _scanner
from devart_oracle.connstring._grammar import RawPair
from devart_oracle.connstring._grammar import scan as grammar_scan
from devart_oracle.connstring._scanner import fast_scan, scan
from devart_oracle.connstring._secrets import _a_word_names_secret, hides_secret
from devart_oracle.testing.strategies import (
    connection_kwargs,
    connection_string_noise,
    connection_strings,
)

# The characters the grammar gives a meaning to, blanks pyparsing does not
# skip (no-break space, vertical tab), and runs that doubled quotes make.
_ATOMS = st.sampled_from(
    ["a", "b", "x y", " ", "\t", "\r\n", "\xa0", "\x0b", "=", "==", ";", ";;", '"', "'", '""', "''"]
)
_GRAMMAR_SOUP = st.lists(_ATOMS, max_size=24).map("".join)
_TEXTS = st.one_of(
    _GRAMMAR_SOUP,
    connection_string_noise(),
    st.text(string.printable, max_size=24),
    st.text(max_size=12),
    connection_kwargs().flatmap(connection_strings),
)


def _grammar_reading(text: str) -> list[RawPair] | None:
    try:
        return grammar_scan(text)
    except pp.ParseBaseException:
        return None


@settings(max_examples=600, deadline=None)
@given(_TEXTS)
def test_fast_scan_accepts_what_the_grammar_accepts_and_reads_it_the_same(text: str) -> None:
    assert fast_scan(text) == _grammar_reading(text)


@contextmanager
def _grammar_only() -> Iterator[None]:
    with mock.patch.object(_scanner, "fast_scan", return_value=None):
        yield


def _outcome(text: str) -> object:
    """The parameters, or the error's type, text and position."""
    try:
        return ConnectionParameters(text)._values
    except ConnectionStringError as exc:
        return type(exc), str(exc), exc.position


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_parse_gives_what_the_grammar_alone_gives(text: str) -> None:
    fast = _outcome(text)
    with _grammar_only():
        assert _outcome(text) == fast


SPLITS = [
    ' a = b ;\tc="d"',
    "a=  ;b=2",
    "a=",
    "a= \t",
    'a="x;y" ; b=\'it\'\'s\'',
    "Host=(DESCRIPTION=(A=1)(B=2))",
    "a==b",
    "\xa0a\xa0=\xa0b\xa0",
]


@pytest.mark.parametrize("text", SPLITS)
def test_fast_scan_reads_the_table_like_the_grammar(text: str) -> None:
    pairs = fast_scan(text)
    assert pairs is not None and pairs == grammar_scan(text)


# Text a backtracking regex would re-read and accept: the grammar commits.
REJECTED = ['a="x"" y', 'a="x""', "a='x'' ;", 'a="x" y;b=1', "a", "=x", '"a"=1', "a=1;b", 'a"=1']


@pytest.mark.parametrize("text", REJECTED)
def test_fast_scan_leaves_rejected_text_to_the_grammar(text: str) -> None:
    assert fast_scan(text) is None
    with pytest.raises(pp.ParseBaseException):
        scan(text)


def test_scan_falls_back_to_the_grammar_error() -> None:
    with pytest.raises(pp.ParseBaseException) as info:
        scan("Host=h;User")
    assert info.value.loc == 11


# Spellings and misspellings of the password's name, whole and cut, what
# makes a word a name, and the letters whose case folds in context.
_SECRET_ATOMS = st.sampled_from(
    ["Password", "passwd", "PASS", "pass", "word", "Pwd", "P@ss", "wort", "_", "1521", "x", "db",
     "Σ", "ς", "İ", "=", ":", " ", "\t", '"', "'", "(", ")", ",", ";", "/", "."]
)  # fmt: skip
_SECRET_TEXTS = st.one_of(st.lists(_SECRET_ATOMS, max_size=8).map("".join), st.text(max_size=12))


@settings(max_examples=600, deadline=None)
@given(_SECRET_TEXTS, st.booleans())
def test_hides_secret_shortcut_agrees_with_the_word_by_word_reading(text: str, colon: bool) -> None:
    assert hides_secret(text, colon=colon) == _a_word_names_secret(text, colon)
