"""The keyword table: canonical names, synonyms, types, defaults.

Each converter takes a value as written in a connection string (a ``str``) or
as passed as a keyword argument (already typed) and returns the typed value,
or raises ``BadValue`` saying what is allowed. Empty values never reach a
converter: they mean "not set".
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Union

__all__ = [
    "BadValue",
    "Keyword",
    "KEYWORDS",
    "Value",
    "lookup",
    "normalize",
    "suggest",
]

Value = Union[bool, int, float, str]

_INTEGER = re.compile(r"[+-]?[0-9]{1,18}\Z")
_NUMBER = re.compile(r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,4})?\Z")
_BOOLEANS: Final = {"true": True, "false": False, "1": True, "0": False}
CONNECT_MODES: Final = ("Normal", "SysOper", "SysDBA", "SysASM", "SysBkp", "SysDG", "SysKM")
_MODES_BY_KEY: Final = {mode.lower(): mode for mode in CONNECT_MODES}
#: DRCP's words, as Oracle's connect descriptors spell them (SERVER=, POOL_PURITY=, POOL_BOUNDARY=).
SERVER_TYPES: Final = ("Dedicated", "Shared", "Pooled")
PURITIES: Final = ("Default", "New", "Self")
POOL_BOUNDARIES: Final = ("Statement", "Transaction")
#: Oracle's limit on a connection class name.
CCLASS_MAX: Final = 1024


class BadValue(ValueError):
    """A converter rejected a value; ``allowed`` says what it accepts."""

    def __init__(self, allowed: str) -> None:
        super().__init__(allowed)
        self.allowed = allowed


def to_str(value: object) -> str:
    """Accept any string as is."""
    if not isinstance(value, str):
        raise BadValue("a string")
    return value


def to_bool(value: object) -> bool:
    """Accept True/False/1/0 in any case, as Devart does (not yes/no/on/off)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.lower() in _BOOLEANS:
        return _BOOLEANS[value.lower()]
    raise BadValue("True, False, 1 or 0")


def _integer(value: object, allowed: str) -> int:
    # bool is an int subclass, but Port=True is a mistake, not port 1.
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    # The regex bounds the digits so int() never meets a giant string.
    if isinstance(value, str) and _INTEGER.match(value):
        return int(value)
    raise BadValue(allowed)


def to_port(value: object) -> int:
    """Accept a TCP port number, 1 to 65535."""
    allowed = "an integer from 1 to 65535"
    port = _integer(value, allowed)
    if not 1 <= port <= 65535:
        raise BadValue(allowed)
    return port


def to_pool_id(value: object) -> int:
    """Accept an integer of at most 18 digits, as a string can write it."""
    allowed = "an integer of at most 18 digits"
    pool_id = _integer(value, allowed)
    if abs(pool_id) >= 10**18:
        raise BadValue(allowed)
    return pool_id


def to_seconds(value: object) -> float:
    """Accept a positive, finite number of seconds."""
    allowed = "a positive number of seconds"
    typed = isinstance(value, (int, float)) and not isinstance(value, bool)
    if not (typed or (isinstance(value, str) and _NUMBER.match(value))):
        raise BadValue(allowed)
    try:
        seconds = float(value)  # type: ignore[arg-type]
    except OverflowError:  # an int beyond float's range
        raise BadValue(allowed) from None
    if not (seconds > 0 and math.isfinite(seconds)):
        raise BadValue(allowed)
    return seconds


def to_connect_mode(value: object) -> str:
    """Accept a connect mode name in any case; return its canonical spelling."""
    if isinstance(value, str) and value.lower() in _MODES_BY_KEY:
        return _MODES_BY_KEY[value.lower()]
    raise BadValue("one of " + ", ".join(CONNECT_MODES))


def _one_of(choices: tuple[str, ...]) -> Callable[[object], str]:
    """A converter that accepts one of ``choices`` in any case and returns its canonical spelling."""
    by_key = {choice.lower(): choice for choice in choices}
    allowed = "one of " + ", ".join(choices)

    def convert(value: object) -> str:
        if isinstance(value, str) and value.strip().lower() in by_key:
            return by_key[value.strip().lower()]
        raise BadValue(allowed)

    return convert


to_server_type = _one_of(SERVER_TYPES)
to_purity = _one_of(PURITIES)
to_pool_boundary = _one_of(POOL_BOUNDARIES)


def to_cclass(value: object) -> str:
    """Accept a DRCP connection class name: up to 1024 characters, no parentheses
    (python-oracledb writes it into a connect descriptor as is)."""
    allowed = f"a name of at most {CCLASS_MAX} characters without '(' or ')'"
    if not isinstance(value, str) or len(value) > CCLASS_MAX or "(" in value or ")" in value:
        raise BadValue(allowed)
    return value


@dataclass(frozen=True)
class Keyword:
    """One connection parameter.

    Attributes:
        name: the canonical name.
        synonyms: other spellings accepted in strings and keyword arguments.
        convert: turns a written or typed value into the typed value.
        default: the value when not given, or None when it has none.
        secret: the value is masked everywhere (the password).
        routing: only picks a pool; not part of the fingerprint.
    """

    name: str
    synonyms: tuple[str, ...]
    convert: Callable[[object], Value]
    default: Value | None = None
    secret: bool = False
    routing: bool = False

    @property
    def spellings(self) -> tuple[str, ...]:
        """The canonical name followed by its synonyms."""
        return (self.name, *self.synonyms)


# Table order is the canonical order of str(), iteration and the fingerprint.
KEYWORDS: Final = (
    Keyword("Direct", (), to_bool, False),
    Keyword("Host", ("Server", "Data Source"), to_str, "localhost"),
    Keyword("Port", (), to_port, 1521),
    Keyword("ServiceName", ("Service Name",), to_str),
    Keyword("SID", (), to_str),
    Keyword("UserName", ("User", "User ID", "UserId", "Uid"), to_str),
    Keyword("Password", ("Pwd",), to_str, secret=True),
    Keyword("ConnectMode", ("Connect Mode",), to_connect_mode, "Normal"),
    Keyword("Schema", (), to_str),
    Keyword("HomeName", ("Home", "Home Name"), to_str),
    Keyword("PoolId", (), to_pool_id, 0, routing=True),
    Keyword("DisablePooling", (), to_bool, False, routing=True),
    Keyword("ConnectionTimeout", ("Connection Timeout", "Connect Timeout"), to_seconds),
    # On unless turned off, as in Devart's connector: code written for it never calls commit().
    Keyword("AutoCommit", (), to_bool, True),
    # DRCP (docs/scale-out.md): all four change what a session is, so all four are in
    # the partition key (none is routing). Unset, python-oracledb's defaults apply.
    Keyword("ServerType", ("Server Type",), to_server_type),
    Keyword("ConnectionClass", ("Connection Class", "CClass", "Pool Connection Class"), to_cclass),
    Keyword("Purity", ("Pool Purity",), to_purity),
    Keyword("PoolBoundary", ("Pool Boundary",), to_pool_boundary),
)


def normalize(name: str) -> str:
    """Fold a name for lookup: case, blanks and underscores do not count."""
    return name.lower().replace(" ", "").replace("_", "")


_BY_KEY: Final = {normalize(s): k for k in KEYWORDS for s in k.spellings}
# The first spelling per folded key is the one worth suggesting.
_SPELLING_BY_KEY: Final = {
    normalize(s): s for k in reversed(KEYWORDS) for s in reversed(k.spellings)
}


def lookup(name: str) -> Keyword | None:
    """Return the keyword a name spells, or None for an unknown name."""
    return _BY_KEY.get(normalize(name))


def suggest(name: str) -> str | None:
    """Return the known spelling closest to an unknown name, if any is close."""
    import difflib  # only needed on the error path

    matches = difflib.get_close_matches(normalize(name), list(_SPELLING_BY_KEY), 1, 0.6)
    return _SPELLING_BY_KEY[matches[0]] if matches else None
