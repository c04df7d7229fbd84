"""The key an explicit pool keeps a call's sessions under.

A heterogeneous pool keeps sessions apart by user, and any pool by the DRCP
connection class and purity asked for; a call that asks for none of these
uses the pool's own sessions (key None).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from .._errors import ProgrammingError, shaped

__all__ = ["SessionKey", "session_key"]


class SessionKey:
    """What sessions are kept apart by: the user of a heterogeneous pool, and the
    DRCP connection class and purity asked for. Its repr never shows the password."""

    __slots__ = ("user", "password", "cclass", "purity")

    def __init__(self, user: str | None, password: str | None, cclass: str | None, purity: int | None) -> None:
        self.user = user
        self.password = password
        self.cclass = cclass
        self.purity = purity

    def _fields(self) -> tuple[Any, ...]:
        return (self.user, self.password, self.cclass, self.purity)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SessionKey) and self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return f"SessionKey(user={self.user!r}, password=***, cclass={self.cclass!r}, purity={self.purity!r})"

    def as_args(self) -> dict[str, Any]:
        """The connect arguments this key overrides."""
        names = ("user", "password", "cclass", "purity")
        return {name: value for name, value in zip(names, self._fields()) if value is not None}


def session_key(
    homogeneous: bool, user: str | None, password: str | None, cclass: str | None, purity: int | None
) -> Hashable:
    """The key a call's sessions are kept under (None: the pool's own sessions).

    Raises:
        ProgrammingError: per-call credentials on a homogeneous pool.
    """
    if (user is not None or password is not None) and homogeneous:
        raise shaped(ProgrammingError, "DPI-1012: proxy authentication is not possible with homogeneous pools")
    if password is not None and user is None:
        raise shaped(ProgrammingError, "a password was given without a user")
    purity = None if purity is None or int(purity) == 0 else int(purity)
    if user is None and cclass is None and purity is None:
        return None
    return SessionKey(user, password, cclass, purity)
