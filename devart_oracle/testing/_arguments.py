"""Checks of OracleTestServer's constructor arguments, before anything starts.

A server given nonsense (no users, port 99999, a negative logon delay) would
otherwise fail late and obscurely: at bind time with OverflowError, or at
every logon. Messages name the argument and never show a password.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

__all__ = ["check_port", "check_rounds", "check_seconds", "check_text", "check_users"]


def check_users(users: object) -> dict[str, str]:
    """Return the users as a dict, or say what is wrong with them.

    Raises:
        TypeError: not a mapping of str to str.
        ValueError: empty, an empty name or password, or two names that
            differ only in case (names match case-insensitively).
    """
    if not isinstance(users, Mapping):
        raise TypeError(f"users must be a mapping of user name to password, not {type(users).__name__}")
    if not users:
        raise ValueError("users is empty: give at least one user name and its password")
    seen: dict[str, str] = {}
    for name, password in users.items():
        check_text("a user name", name)
        if not isinstance(password, str) or not password:
            shown = type(password).__name__ if not isinstance(password, str) else "an empty str"
            raise ValueError(f"the password of user {name!r} must be a non-empty str, not {shown}")
        if name.upper() in seen:
            raise ValueError(f"users {seen[name.upper()]!r} and {name!r} are the same user"
                             " (names match case-insensitively)")
        seen[name.upper()] = name
    return dict(users)


def check_text(what: str, value: object) -> str:
    """Return a non-empty str, or raise TypeError/ValueError naming ``what``."""
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str, not {type(value).__name__}")
    if not value.strip():
        raise ValueError(f"{what} must not be empty or blank, got {value!r}")
    return value


def check_port(port: object) -> int:
    """Return a TCP port from 0 (any free one) to 65535."""
    if not isinstance(port, int) or isinstance(port, bool):
        raise TypeError(f"port must be an int, not {type(port).__name__}")
    if not 0 <= port <= 65535:
        raise ValueError(f"port {port} is out of range (0 to 65535; 0 picks a free one)")
    return port


def check_seconds(what: str, value: object, *, zero: bool) -> float:
    """Return a finite number of seconds, at least 0 (``zero``) or above 0."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise TypeError(f"{what} must be a number of seconds, not {type(value).__name__}")
    if not math.isfinite(value) or value < 0 or (value == 0 and not zero):
        bound = "at least 0" if zero else "above 0"
        raise ValueError(f"{what} must be a finite number of seconds {bound}, got {value!r}")
    return float(value)


def check_rounds(rounds: object) -> int:
    """Return a number of PBKDF2 rounds for the logon verifier: a whole number from 1."""
    if not isinstance(rounds, int) or isinstance(rounds, bool):
        raise TypeError(f"logon_rounds must be an int, not {type(rounds).__name__}")
    if rounds < 1:
        raise ValueError(f"logon_rounds must be at least 1, got {rounds} (4096 is Oracle's)")
    return rounds
