"""The grammar: splitting, trimming, quoting, and syntax errors with positions."""

from __future__ import annotations

import pytest

from devart_oracle import ConnectionStringError
from devart_oracle.connstring import parse
from devart_oracle.connstring._grammar import RawPair, scan

SPLITS = [
    ("", []),
    (";", []),
    (" ;; ; ", []),
    ("a=1", [("a", "1")]),
    ("a=1;", [("a", "1")]),
    (";a=1;;b=2;", [("a", "1"), ("b", "2")]),
    ("  a  =  b c  ", [("a", "b c")]),
    ("Data Source = h", [("Data Source", "h")]),
    ("a=\t x \r\n", [("a", "x")]),
    ("a=", [("a", "")]),
    ("a=   ;b=2", [("a", ""), ("b", "2")]),
    # The value is split at the first '=' only.
    ("Host=h:1521:sn=SVC", [("Host", "h:1521:sn=SVC")]),
    ("Host=(DESCRIPTION=(A=1)(B=2))", [("Host", "(DESCRIPTION=(A=1)(B=2))")]),
    ("a==b", [("a", "=b")]),
    # Double quotes: ';' inside, '""' for one '"', blanks kept.
    ('a="x;y"', [("a", "x;y")]),
    ('a="say ""hi"""', [("a", 'say "hi"')]),
    ('a=" x "', [("a", " x ")]),
    ('a="" ;b=1', [("a", ""), ("b", "1")]),
    ("a=\"it's\"", [("a", "it's")]),
    # Single quotes when the value starts with one.
    ("a='x;y'", [("a", "x;y")]),
    ("a='it''s'", [("a", "it's")]),
    ("a='say \"hi\"'", [("a", 'say "hi"')]),
    # A quote that does not start the value is literal.
    ('a=x"y', [("a", 'x"y')]),
    ("a=it's", [("a", "it's")]),
    # Tabs keep their offsets (pyparsing would expand them otherwise).
    ("\ta=\tb", [("a", "b")]),
]


@pytest.mark.parametrize(("text", "pairs"), SPLITS)
def test_scan_splits(text: str, pairs: list[tuple[str, str]]) -> None:
    assert [(p.name, p.value) for p in scan(text)] == pairs


def test_scan_keeps_offsets_of_names_and_values() -> None:
    assert scan(' a = b ;\tc="d"') == [
        RawPair("a", 1, "b", 5, False),
        RawPair("c", 9, "d", 11, True),
    ]


SYNTAX_ERRORS = [
    # (text, position, start of the message)
    ("Host", 4, "missing '=' after 'Host'"),
    ("Host;", 4, "missing '=' after 'Host'"),
    ("Host=h;User", 11, "missing '=' after 'User' (a value that contains ';'"),
    ("Host=h; User ;", 13, "missing '=' after 'User'"),
    ("=x", 0, "missing parameter name before '='"),
    ("Host=h; =x", 8, "missing parameter name before '='"),
    ('"Host"=h', 0, "parameter names cannot be quoted"),
    ("Host=h;'Port'=1", 7, "parameter names cannot be quoted"),
    ('Ho"st=h', 2, "parameter names cannot contain quotes"),
    ('Host="h', 5, "unterminated quoted value"),
    ("Host='h", 5, "unterminated quoted value"),
    ('Host=  "h;Port=1', 7, "unterminated quoted value"),
    ('Host="h" x', 9, "unexpected text after the closing quote"),
    ("Host='h'x;Port=1", 8, "unexpected text after the closing quote"),
    ('Host="h""', 8, "unexpected text after the closing quote"),
]


@pytest.mark.parametrize(("text", "position", "message"), SYNTAX_ERRORS)
def test_syntax_errors(text: str, position: int, message: str) -> None:
    with pytest.raises(ConnectionStringError) as info:
        parse(text)
    assert info.value.position == position
    assert str(info.value).startswith(message)


@pytest.mark.parametrize(("text", "position", "message"), SYNTAX_ERRORS)
def test_syntax_errors_show_a_caret_under_the_position(
    text: str, position: int, message: str
) -> None:
    with pytest.raises(ConnectionStringError) as info:
        parse(text)
    _, shown, caret = str(info.value).split("\n")
    assert shown == "    " + text
    assert caret == "    " + " " * position + "^"


def test_caret_window_on_long_input() -> None:
    text = "Host=h;" + "Schema=s;" * 30 + "Bad"
    with pytest.raises(ConnectionStringError) as info:
        parse(text)
    _, shown, caret = str(info.value).split("\n")
    assert shown.startswith("    ...") and shown.endswith("Bad")
    assert shown[caret.index("^") - 3 : caret.index("^")] == "Bad"


def test_non_printable_characters_keep_the_caret_aligned() -> None:
    with pytest.raises(ConnectionStringError) as info:
        parse("Host=h;\n\tBad")
    _, shown, caret = str(info.value).split("\n")
    assert shown == "    Host=h;  Bad"
    assert caret.index("^") == shown.index("Bad") + 3
