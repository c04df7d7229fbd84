"""Hypothesis properties: round trips, equivalent spellings, nothing but our error."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from devart_oracle import ConnectionStringError
from devart_oracle.connstring import ConnectionParameters, parse
from devart_oracle.connstring._keywords import KEYWORDS
from devart_oracle.testing.strategies import (
    connection_kwargs,
    connection_parameters,
    connection_string_noise,
    connection_strings,
)

ROUTING = {k.name for k in KEYWORDS if k.routing}


@settings(max_examples=200, deadline=None)
@given(connection_parameters())
def test_str_round_trips(p: ConnectionParameters) -> None:
    again = parse(str(p))
    assert again == p
    assert str(again) == str(p)
    assert again.fingerprint == p.fingerprint
    assert hash(again) == hash(p)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_every_spelling_means_the_same(data: st.DataObject) -> None:
    kwargs = data.draw(connection_kwargs())
    text = data.draw(connection_strings(kwargs))
    assert parse(text) == parse(**kwargs)


@settings(max_examples=100, deadline=None)
@given(connection_parameters(), connection_parameters())
def test_fingerprint_equal_exactly_when_non_routing_values_are(
    p: ConnectionParameters, q: ConnectionParameters
) -> None:
    same = {k: v for k, v in p.items() if k not in ROUTING} == {
        k: v for k, v in q.items() if k not in ROUTING
    }
    assert (p.fingerprint == q.fingerprint) == same


@settings(max_examples=100, deadline=None)
@given(connection_parameters())
def test_mapping_is_consistent(p: ConnectionParameters) -> None:
    assert len(p) == len(list(p)) == len(set(p))
    assert list(p) == [k.name for k in KEYWORDS if k.name in p]
    assert all(p[k] == v for k, v in p.items())
    assert p.masked().count("***") == ("Password" in p)


def _only_our_error(text: str) -> None:
    try:
        parse(text)
    except ConnectionStringError as exc:
        assert exc.position is not None and 0 <= exc.position <= len(text)
        lines = str(exc).split("\n")
        assert len(lines) == 3 and lines[2].strip() == "^"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_arbitrary_text_raises_nothing_but_our_error(text: str) -> None:
    _only_our_error(text)


@settings(max_examples=300, deadline=None)
@given(connection_string_noise())
def test_near_miss_text_raises_nothing_but_our_error(text: str) -> None:
    _only_our_error(text)


_NAMES = st.sampled_from([s for k in KEYWORDS for s in k.spellings] + ["user_id", "Bogus"])
_ANY_VALUE = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8),
    st.lists(st.integers(), max_size=2), st.binary(max_size=4),
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(_NAMES.map(lambda s: s.replace(" ", "")), _ANY_VALUE, max_size=4))
def test_arbitrary_keywords_raise_nothing_but_our_error(params: dict[str, object]) -> None:
    try:
        parse(**params)
    except ConnectionStringError as exc:
        assert exc.position is None
