"""The password never shows: not in messages, reprs, strings of errors, logs."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TypeVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devart_oracle import ConnectionStringError
from devart_oracle.connstring import parse

from .secret_inputs import draw_case, try_case

SECRET = "Zq9xSecret"
T = TypeVar("T")


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
    # An unclosed quote before the password does not hide the password from the masker:
    # the value it opens holds a password-like name=value, so it is masked whole.
    (f'Host=db;Schema="HR;Password={SECRET};User=scott', 15, "unterminated quoted value",
     "Host=db;Schema=***"),
    (f"Schema='HR;Pwd={SECRET}", 7, "unterminated quoted value", "Schema=***"),
    (f'Schema="x"";Password={SECRET}', 10, "unexpected text after the closing quote",
     "Schema=***"),
    # A forgotten ';' puts the password in the value before it: refused, that value masked whole.
    (f"User Id=scott Password={SECRET}", 8, "the value of 'UserName' holds a password-like name",
     "User Id=***"),
    (f"Port=1521Password={SECRET}", 5, "the value of 'Port' holds a password-like name", "Port=***"),
    (f"Host=db;Schema=HR Pwd={SECRET}", 15, "the value of 'Schema' holds", "Host=db;Schema=***"),
    (f"Direct=TruePass={SECRET}", 7, "the value of 'Direct' holds", "Direct=***"),
    # In Host, ':' before the port is syntax, but not after it, and a port error quotes nothing.
    (f"Host=db:1521/svc Passwort:{SECRET}", 5, "the value of 'Host' holds", "Host=***"),
    (f"Host=dbPwd:{SECRET}", 5, "the value of 'Host' holds", "Host=***"),
    (f"Host=db;scott Password {SECRET}", 8, "a segment that looks like it holds a password",
     "Host=db;***"),
    # A password name misspelt with a stray character is still a password name.
    (f"P@ssword={SECRET}", 0, "unknown connection parameter 'P@ssword' (did you mean 'Password'?)",
     "P@ssword=***"),
    (f"Host=db;P,ASSWORD={SECRET}", 8, "unknown connection parameter 'P,ASSWORD'",
     "Host=db;P,ASSWORD=***"),
    (f"Host=db;Passw0rd {SECRET}", 16, "missing '=' after 'Passw0rd'", "Host=db;Passw0rd***"),
    (f"UserPassword{SECRET}", 12, "missing '=' after 'UserPassword'", "UserPassword***"),
    # A password whose '=' was forgotten: only the name shows, the caret where '=' belongs.
    (f"User=scott;Password {SECRET}", 19, "missing '=' after 'Password'", "User=scott;Password***"),
    (f"Pwd:{SECRET};Host=x", 3, "missing '=' after 'Pwd'", "Pwd***;Host=x"),
    (f'"Password" {SECRET}', 0, "parameter names cannot be quoted", '"Password"***'),
    (f"Password{SECRET}=1", 0, "unknown connection parameter starting with 'Password'", "Password***"),
    # A value that swallowed the password through a misplaced quote is refused, masked whole.
    (f'Server="h;x;Password={SECRET}"', 7, "the value of 'Host' holds a password-like name",
     "Server=***"),
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
        {"UserName": f"scott Password={SECRET}"},
        {"Port": f"1521Password={SECRET}"},
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


class _Draw:
    """A Picker that draws through hypothesis, so failures shrink."""

    def __init__(self, data: st.DataObject) -> None:
        self._data = data

    def choice(self, seq: Sequence[T]) -> T:
        return self._data.draw(st.sampled_from(seq))

    def randint(self, a: int, b: int) -> int:
        return self._data.draw(st.integers(a, b))


@settings(max_examples=600, deadline=None)
@given(st.data())
def test_no_password_ever_leaks(data: st.DataObject) -> None:
    # The same inputs as bench/fuzz_connstring.py, which tries a million.
    case = draw_case(_Draw(data))
    assert try_case(case) is None, case


def test_caret_for_a_password_tail_points_at_its_mask() -> None:
    with pytest.raises(ConnectionStringError) as info:
        parse(f"Password=ab;{SECRET};Host=db")
    assert info.value.position == 22
    assert str(info.value).endswith("\n    Password=***;***;Host=db\n                 ^")


@pytest.mark.parametrize(
    "text",
    [
        "Host=compass:1521/x",
        "Host=passau.example.com:1521/svc",
        "Host=pwhost;User=passenger;Schema=PASSPORT_DATA",
        "User Id=pass;Password=pass word",
        "Host=(DESCRIPTION=(ADDRESS=(PROTOCOL=TCPS)(HOST=h)(PORT=1))(CONNECT_DATA=(SERVICE_NAME=s)))",
        # Found by hypothesis: a descriptor's values are followed by ')', never names.
        "Host=(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=xpwdx)(PORT=1))(CONNECT_DATA=(SERVICE_NAME=ASS)))",
        "Host=xpwdx:1521/Pass",
    ],
)
def test_values_that_only_resemble_a_password_name_are_kept(text: str) -> None:
    # Parsed, and nothing but the password masked.
    assert parse(text).masked().count("***") == ("Password" in text)


@pytest.mark.parametrize(
    ("text", "message", "masked"),
    [
        # Found by hypothesis: "İ" folds to two characters, which once put the
        # end of the spelling one letter late (an IndexError, or a letter of
        # the password shown); they read like "xPassword..." now.
        ("User=İPasswordtiger", "the value of 'UserName' holds a password-like name", "User=***"),
        ("İPasswordtiger", "missing '=' after 'İPassword'", "İPassword***"),
        ("İİPasswordtiger", "missing '=' after 'İİPassword'", "İİPassword***"),
    ],
)
def test_a_letter_that_folds_to_two_keeps_the_password_hidden(
    text: str, message: str, masked: str
) -> None:
    with pytest.raises(ConnectionStringError) as info:
        parse(text)
    first, shown, _ = str(info.value).split("\n")
    assert first.startswith(message)
    assert shown == "    " + masked


def test_a_letter_that_folds_to_two_before_a_spelling_is_just_a_letter() -> None:
    assert parse("Host=İPassword").host == "İPassword"  # like "Host=xPassword"
