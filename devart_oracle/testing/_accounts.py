"""The server's user accounts: passwords, verifiers, expiry and proxy grants.

Each user has a password (kept so that ``connection_string`` can give it)
and the 12c verifiers logons are checked against, computed once per password
and round count: the server's own (``logon_rounds``) at once, another (4096
for Devart's client) when a logon first asks for it.
A password may be expired (logons then fail with ORA-28001 until one changes
it) and a user may let others connect as it by proxy, as ``ALTER USER ...
GRANT CONNECT THROUGH`` does. Names are matched case-insensitively and kept
upper case, as Oracle's unquoted user names are. Logons on many session
threads read the accounts while one changes a password, hence the lock.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterable, Mapping

from .wire.auth import Verifier

__all__ = ["DEFAULT_LOGON_ROUNDS", "Accounts", "quote_value"]

DEFAULT_LOGON_ROUNDS = 64  # PBKDF2 rounds of a logon's verifier: Oracle's 4096 cost a client ms


class Accounts:
    """The users of one server.

    Args:
        users: user name to password.
        expired_users: users whose password has expired.
        connect_through: target user to the users that may connect as it by
            proxy; None lets any user proxy for any other.
        rounds: the PBKDF2 rounds of the verifiers made at once.

    Raises:
        ValueError: ``expired_users`` or ``connect_through`` names a user
            that is not in ``users``.
    """

    def __init__(self, users: Mapping[str, str], expired_users: Iterable[str] = (),
                 connect_through: Mapping[str, Collection[str]] | None = None,
                 rounds: int = DEFAULT_LOGON_ROUNDS) -> None:
        self._lock = threading.Lock()
        self._passwords = dict(users)
        self._rounds = rounds
        self._verifiers = {(name.upper(), rounds): Verifier.create(pw, rounds)
                           for name, pw in users.items()}
        self._names = frozenset(name.upper() for name in users)
        self._expired = {name.upper() for name in expired_users}
        self._through = None if connect_through is None else {
            target.upper(): {proxy.upper() for proxy in proxies}
            for target, proxies in connect_through.items()}
        grants = self._through or {}
        self._check(expired_users=self._expired,
                    connect_through=set(grants).union(*grants.values()))

    @property
    def rounds(self) -> int:
        """The server's PBKDF2 rounds; settable (verifiers with new ones are made at first use)."""
        return self._rounds

    @rounds.setter
    def rounds(self, rounds: int) -> None:
        self._rounds = rounds

    def names(self) -> frozenset[str]:
        """The user names, upper case."""
        return self._names

    def password(self, user: str) -> tuple[str, str]:
        """The user's name as given to the server, and its password.

        Raises:
            KeyError: no such user.
        """
        with self._lock:
            for name, password in self._passwords.items():
                if name.upper() == user.upper():
                    return name, password
        raise KeyError(f"no user {user!r} on this server")

    def verifier(self, username: str, rounds: int) -> Verifier | None:
        """The verifier of a user (upper-case name) with ``rounds``; None for an unknown user."""
        with self._lock:
            found = self._verifiers.get((username, rounds))
        if found is not None or username not in self._names:
            return found
        name, password = self.password(username)
        verifier = Verifier.create(password, rounds)  # outside the lock: 4096 rounds take ms
        with self._lock:
            if self._passwords[name] == password:
                return self._verifiers.setdefault((username, rounds), verifier)
        return self.verifier(username, rounds)  # the password changed meanwhile: derive the new one

    def expired(self, username: str) -> bool:
        """Whether the user's password has expired."""
        with self._lock:
            return username in self._expired

    def may_proxy(self, proxy: str, target: str) -> bool:
        """Whether ``proxy`` may open sessions of ``target``."""
        return self._through is None or proxy in self._through.get(target, ())

    def expire(self, user: str) -> None:
        """Mark the user's password expired.

        Raises:
            KeyError: no such user.
        """
        name, _ = self.password(user)
        with self._lock:
            self._expired.add(name.upper())

    def change_password(self, user: str, password: str) -> None:
        """Give the user a new password (which ends its expiry).

        Raises:
            KeyError: no such user.
        """
        name, _ = self.password(user)
        verifier = Verifier.create(password, self._rounds)  # outside the lock
        key = name.upper()
        with self._lock:
            self._passwords[name] = password
            self._verifiers = {held: v for held, v in self._verifiers.items() if held[0] != key}
            self._verifiers[(key, self._rounds)] = verifier
            self._expired.discard(key)

    def _check(self, **named: Collection[str]) -> None:
        known = sorted(self._names)
        for argument, names in named.items():
            unknown = sorted(set(names) - set(known))
            if unknown:
                raise ValueError(f"{argument} names no user of this server: {unknown!r}; "
                                 f"the users are {known!r}")


def quote_value(value: str) -> str:
    """Quote a connection-string value that holds separators or quotes."""
    if value and not any(char in value for char in ';="\'') and value == value.strip():
        return value
    return '"' + value.replace('"', '""') + '"'
