"""The password never shows: not in messages, reprs, strings of errors, logs."""

from __future__ import annotations

import logging

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devart_oracle import ConnectionStringError
from devart_oracle.connstring import parse

SECRET = "Zq9xSecret"


def _shown(exc: ConnectionStringError) -> str:
    """Everything an error can show: str, repr, args."""
    return f"{exc}\n{exc!r}\n{exc.args!r}"


ERRORS = [
    # (text, position, first line of the message, the masked line)
    (f"Password={SECRET};Port=0", 25, "invalid value '0' for 'Port'", "Password=***;Port=0"),
    (f"Hots=db;Password={SECRET}", 0, "unknown connection parameter 'Hots'",
     "Hots=db;Password=***"),
    (f'Password="{SECRET}', 9, "unterminated quoted value", "Password=***"),
    (f'Password="{SECRET};x";Port=0', 29, "invalid value '0' for 'Port'",
     "Password=***;Port=0"),
    (f'Pwd = "{SECRET}" x', 19, "unexpected text after the closing quote", "Pwd = ***"),
    # An unquoted ';' splits the password: what follows and is not a known
    # parameter is masked and never quoted, even if it may be a misspelt name.
    (f"Password={SECRET};Hots=db", 20, "text after the password is not", "Password=***;***"),
    (f"Password=ab;{SECRET}", 22, "text after the password is not", "Password=***;***"),
    (f"Password=ab;{SECRET};Host=h", 22, "text after the password is not",
     "Password=***;***;Host=h"),
    (f"Password=ab;{SECRET}=cd;Host=h", 12, "text after the password is not",
     "Password=***;***;Host=h"),
    (f"Password=ab;\"{SECRET}\"", 12, "text after the password is not", "Password=***;***"),
    # A misspelt or quoted password name still has its value masked.
    (f"Passwrod={SECRET}", 0, "unknown connection parameter 'Passwrod' (did you mean",
     "Passwrod=***"),
    (f'"Password"={SECRET}', 0, "parameter names cannot be quoted", '"Password"=***'),
    (f"Password={SECRET};Password={SECRET}", 20, "connection parameter 'Password' given twice",
     "Password=***;Password=***"),
    # An unclosed quote before the password does not hide the password from the masker.
    (f'Host=db;Schema="HR;Password={SECRET};User=scott', 15, "unterminated quoted value",
     'Host=db;Schema="HR;Password=***;User=scott'),
    (f"Schema='HR;Pwd={SECRET}", 7, "unterminated quoted value", "Schema='HR;Pwd=***"),
    (f'Schema="x"";Password={SECRET}', 10, "unexpected text after the closing quote",
     'Schema="x"";Password=***'),
    # A password whose '=' was forgotten: only the name shows, the caret where '=' belongs.
    (f"User=scott;Password {SECRET}", 19, "missing '=' after 'Password'", "User=scott;Password***"),
    (f"Pwd:{SECRET};Host=x", 3, "missing '=' after 'Pwd'", "Pwd***;Host=x"),
    (f'"Password" {SECRET}', 0, "parameter names cannot be quoted", '"Password"***'),
    (f"Password{SECRET}=1", 0, "unknown connection parameter starting with 'Password'", "Password***"),
    # A value that swallowed the password through a misplaced quote is masked in the message too.
    (f'Server="h;x;Password={SECRET}"', 7, "invalid 'Host' value 'h;x;Password=***'",
     'Server="h;x;Password=***'),
]


@pytest.mark.parametrize(("text", "position", "message", "masked"), ERRORS)
def test_errors_mask_the_password(text: str, position: int, message: str, masked: str) -> None:
    with pytest.raises(ConnectionStringError) as info:
        parse(text)
    assert SECRET not in _shown(info.value)
    first, shown, caret = str(info.value).split("\n")
    assert (info.value.position, shown) == (position, "    " + masked)
    assert first.startswith(message)


def test_caret_shifts_by_the_mask_not_the_password_length() -> None:
    errors = []
    for password in ("a", "a" * 30):
        with pytest.raises(ConnectionStringError) as info:
            parse(f"Password={password};Port=0")
        errors.append(info.value)
    # The password's length shows nowhere: same message, positions differ.
    assert str(errors[0]) == str(errors[1])
    assert errors[1].position - errors[0].position == 29  # type: ignore[operator]
    assert str(errors[0]).endswith("\n    Password=***;Port=0\n                      ^")


@pytest.mark.parametrize(
    "params",
    [
        {"Password": 12345},
        {"Password": [SECRET]},
        {"Password": SECRET.encode()},
        {"Password": SECRET, "Pwd": SECRET},
        {"Password": SECRET, "Hots": "db"},
    ],
)
def test_keyword_errors_mask_the_password(params: dict[str, object]) -> None:
    with pytest.raises(ConnectionStringError) as info:
        parse(**params)
    assert SECRET not in _shown(info.value) and "12345" not in str(info.value)


def test_parameters_show_no_password() -> None:
    p = parse(f"Host=db;Password={SECRET}")
    assert SECRET not in repr(p)
    assert SECRET not in p.masked()
    assert SECRET not in p.fingerprint
    assert SECRET in str(p)  # str() is the connection string, documented as such


def test_logs_show_no_password(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="devart_oracle.connstring"):
        parse(f"Host=logged;Password={SECRET}")
        with pytest.raises(ConnectionStringError):
            parse(f"Host=logged;Password={SECRET};Bad")
    assert caplog.records
    assert all(SECRET not in r.getMessage() for r in caplog.records)


# Password fragments use letters found nowhere else, so that any of them in a
# message is a leak; the separators try to break the password out of its value.
_FRAGMENT = st.text("ĀāĂă", min_size=1, max_size=4)
_SEPARATOR = st.sampled_from([";", "=", '"', "'", " ", ";;", "; =", '";', "';"])
_PASSWORD = st.builds(
    lambda first, rest: first + "".join(sep + frag for sep, frag in rest),
    _FRAGMENT,
    st.lists(st.tuples(_SEPARATOR, _FRAGMENT), max_size=3),
)
_OTHER = st.sampled_from(
    ["Host=db", "Port=x", "Hots=1", "User", "=", '"', "Port=1", "", 'Schema="a', "Schema='a"]
)
# How the name meets the value: right, or with the '=' forgotten.
_ASSIGN = st.sampled_from(["=", " = ", " ", ":", "\t"])
_NAME = st.sampled_from(["Password", "Pwd", " pwd ", "PASSWORD", '"Password"', "Passwrd"])


def _leaks(text: str) -> bool:
    return any(c in text for c in "ĀāĂă")


@settings(max_examples=400, deadline=None)
@given(_NAME, _ASSIGN, _PASSWORD, st.lists(_OTHER, max_size=3), st.lists(_OTHER, max_size=3),
       st.booleans())  # fmt: skip
def test_no_written_password_ever_leaks(
    name: str, assign: str, password: str, before: list[str], after: list[str], quote: bool
) -> None:
    value = '"' + password.replace('"', '""') + '"' if quote else password
    text = ";".join([*before, f"{name}{assign}{value}", *after])
    try:
        p = parse(text)
    except ConnectionStringError as exc:
        assert not _leaks(_shown(exc)), text
    else:
        # (Unless a quoted value of another parameter swallowed the password.)
        if not any(_leaks(str(value)) for name, value in p.items() if name != "Password"):
            assert not _leaks(repr(p) + p.masked() + p.fingerprint), text


@settings(max_examples=100, deadline=None)
@given(_PASSWORD, st.lists(_OTHER, max_size=3))
def test_no_keyword_password_ever_leaks(password: str, others: list[str]) -> None:
    try:
        p = parse(";".join(others), Password=password)
    except ConnectionStringError as exc:
        assert not _leaks(_shown(exc))
    else:
        assert not _leaks(repr(p) + p.masked() + p.fingerprint)


def test_caret_for_a_password_tail_points_at_its_mask() -> None:
    with pytest.raises(ConnectionStringError) as info:
        parse(f"Password=ab;{SECRET};Host=db")
    assert info.value.position == 22
    assert str(info.value).endswith("\n    Password=***;***;Host=db\n                 ^")
