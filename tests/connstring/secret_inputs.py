"""Inputs that try to get a password into a message, and the check that none does.

Shared by the hypothesis property in ``test_secrecy.py`` and by
``bench/fuzz_connstring.py`` (a million inputs, not run in CI): both draw the
same inputs, one through hypothesis, one through ``random.Random``.

The password is made of letters found nowhere else in the inputs, cut by
separators that try to break it out of its value, so any of its letters in
an output is a leak (stronger than "no 4-character piece of it").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from devart_oracle import ConnectionStringError
from devart_oracle.connstring import parse

__all__ = ["Case", "Picker", "draw_case", "leak_in", "try_case"]

T = TypeVar("T")

PASSWORD_LETTERS = "ĀāĂăĄą"
_SEPARATORS = (";", "=", '"', "'", " ", ";;", "; =", '";', "';", "==", ":", "(", ")", "\t")
# Exact spellings in their variants, then the misspellings people write.
_EXACT = ("Password", "Pwd", " pwd ", "PASSWORD", "pass word", "PASS_WORD", '"Password"', "'Pwd'")
_MISSPELT = (
    "Passwrd", "P@ssword", "P,ASSWORD", "Passw0rd", "PassWD", "pword", "Pass", "Passwort",
    "User Password", "my_pwd", "1521Password", "P@ss word",
)  # fmt: skip
# How the name meets the value: right, or with the '=' forgotten. A name
# glued to its password ("Passwordtiger") is only told apart for the long
# exact spellings: "xpwdx" may be a host or a service name.
_ASSIGNS = ("=", " = ", " ", ":", "\t", "==", " =", "= ")
_GLUED = ("",)
_OTHERS = (
    "Host=db", "Port=x", "Port=1521", "Hots=1", "User", "=", '"', "", 'Schema="a', "Schema='a",
    "User Id=scott", "Server=(DESCRIPTION=", "PoolId=1", "Direct=True", "Host=db:1521/x", "x",
)  # fmt: skip
# How the password's segment meets its neighbours: a ';' may be forgotten.
_JOINS = (";", ";", ";", " ", "", "; ")
_QUOTES = ("", "", '"', "'")
_KEYWORDS = ("Password", "Pwd", "P@ssword", "UserName", "Schema")


class Picker(Protocol):
    """What draws the inputs: ``random.Random`` or a hypothesis adapter."""

    def choice(self, seq: Sequence[T]) -> T: ...

    def randint(self, a: int, b: int) -> int: ...


@dataclass(frozen=True)
class Case:
    """One input: text and keyword arguments for ``parse``."""

    text: str
    params: dict[str, object]


def _password(pick: Picker) -> str:
    def fragment() -> str:
        return "".join(pick.choice(PASSWORD_LETTERS) for _ in range(pick.randint(1, 4)))

    pieces = [fragment()]
    for _ in range(pick.randint(0, 3)):
        pieces += [pick.choice(_SEPARATORS), fragment()]
    return "".join(pieces)


def _quoted(password: str, quote: str) -> str:
    return quote + password.replace(quote, quote * 2) + quote if quote else password


def _segment(pick: Picker, password: str) -> str:
    name = pick.choice(pick.choice((_EXACT, _MISSPELT)))
    assigns = _ASSIGNS + (_GLUED if name in _EXACT and "pwd" not in name.lower() else ())
    return name + pick.choice(assigns) + _quoted(password, pick.choice(_QUOTES))


def _around(pick: Picker, core: str) -> str:
    text = core
    for _ in range(pick.randint(0, 3)):
        text = pick.choice(_OTHERS) + pick.choice(_JOINS) + text
    for _ in range(pick.randint(0, 3)):
        text = text + pick.choice(_JOINS) + pick.choice(_OTHERS)
    return text


def draw_case(pick: Picker) -> Case:
    """Draw one input; the password is written in the text or passed as a keyword."""
    password = _password(pick)
    if pick.randint(0, 4):
        return Case(_around(pick, _segment(pick, password)), {})
    name = pick.choice(_KEYWORDS)
    value = password if name in ("Password", "Pwd", "P@ssword") else "scott Password=" + password
    return Case(_around(pick, ""), {name: value})


def leak_in(shown: str) -> str | None:
    """Return the first password letter in an output, or None."""
    return next((c for c in shown if c in PASSWORD_LETTERS), None)


def try_case(case: Case) -> str | None:
    """Parse one input; return what leaked and where, or None when nothing did.

    Raises:
        Exception: anything but ConnectionStringError, as parse raised it.
    """
    try:
        p = parse(case.text, **case.params)
    except ConnectionStringError as exc:
        shown = f"{exc}\n{exc!r}\n{exc.args!r}"
    else:
        others = {k: v for k, v in p.items() if k != "Password"}
        shown = f"{p!r}\n{p.masked()}\n{p.fingerprint}\n{others!r}"
    letter = leak_in(shown)
    return None if letter is None else f"{letter!r} in {shown!r}"
