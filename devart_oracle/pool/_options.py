"""What an explicit pool is made of: its settings, its connect arguments, its errors.

Shared by ``ConnectionPool`` and ``AsyncConnectionPool``. The pool settings
follow python-oracledb's names and units (``wait_timeout`` and
``max_lifetime_session`` as python-oracledb documents them); the connect
arguments accept python-oracledb's names and Devart's names alike, and
``dsn`` may be an Easy Connect string, a descriptor or a Devart string.
"""

from __future__ import annotations

import inspect
import itertools
import re
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import oracledb

from .._errors import DatabaseUnavailableError, PoolClosedError, PoolExhaustedError, ProgrammingError
from ..connstring import parse
from ._core import GetMode, PoolSettings, Refusal

__all__ = ["PoolOptions", "SessionKey", "connect_args", "pool_error", "session_key"]

_names = itertools.count(1)

#: A Devart string starts with "name=" and is not a parenthesised descriptor.
_DEVART = re.compile(r"^\s*[A-Za-z][A-Za-z ]*=")

#: Keyword arguments python-oracledb's connect() takes.
_DRIVER_NAMES = frozenset(inspect.signature(oracledb.ConnectParams).parameters) - {"self"}


@dataclass(frozen=True)
class PoolOptions:
    """An explicit pool's settings, in python-oracledb's names and units."""

    min: int = 1
    max: int = 2
    increment: int = 1
    getmode: GetMode = GetMode.WAIT
    homogeneous: bool = True
    timeout: int = 0  # seconds an idle session above min may live
    wait_timeout: int = 0  # milliseconds, for TIMEDWAIT
    max_lifetime_session: int = 0  # seconds
    ping_interval: int = 60  # seconds; 0 = always, negative = never
    max_sessions_per_shard: int = 0
    soda_metadata_cache: bool = False
    name: str = field(default_factory=lambda: f"pool-{next(_names)}")

    def __post_init__(self) -> None:
        for attr in ("min", "max", "increment", "timeout", "wait_timeout", "max_lifetime_session"):
            value = getattr(self, attr)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ProgrammingError(f"invalid value {value!r} for {attr}: expected an integer from 0")
        if self.max < 1:
            raise ProgrammingError(f"invalid value {self.max!r} for max: expected an integer from 1")
        if self.max < self.min:
            raise ProgrammingError(
                f"parameter 'max' should be greater than or equal to parameter 'min' (min={self.min}, max={self.max})"
            )
        object.__setattr__(self, "getmode", GetMode(int(self.getmode)))

    def changed(self, **changes: Any) -> PoolOptions:
        """A copy with the given settings changed (None = unchanged)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def settings(self) -> PoolSettings:
        """The pool core's view of these options."""
        return PoolSettings(
            min=self.min,
            max=self.max,
            increment=max(1, self.increment),
            lifetime=float(self.max_lifetime_session),
            idle_timeout=float(self.timeout),
            ping_interval=float(self.ping_interval),
            getmode=self.getmode,
        )

    def wait_limit(self) -> float | None:
        """Seconds an acquire may wait at ``max``; None = forever."""
        if self.getmode == GetMode.TIMEDWAIT:
            return self.wait_timeout / 1000
        return None


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


def connect_args(dsn: str | None, user: str | None, password: str | None, extra: Mapping[str, Any]) -> dict[str, Any]:
    """python-oracledb connect arguments from any mix of dsn and parameter names.

    Devart names (``UserName``, ``ServiceName``...) go with a Devart dsn or
    with no dsn; python-oracledb names (``user``, ``service_name``...) go
    with anything.

    Raises:
        ConnectionStringError: a Devart string or parameter name is invalid.
        ProgrammingError: Devart names beside an Easy Connect dsn.
    """
    devart = {k: v for k, v in extra.items() if k not in _DRIVER_NAMES}
    args = {k: v for k, v in extra.items() if k in _DRIVER_NAMES and v is not None}
    if dsn is None or _DEVART.match(dsn):
        if dsn is not None or devart:
            args.update(parse(dsn or "", **devart).driver_args())
    elif devart:
        names = ", ".join(sorted(devart))
        raise ProgrammingError(f"connection parameters {names} need a devart dsn; with an easy connect dsn use python-oracledb names")
    else:
        args["dsn"] = dsn
    args.update({k: v for k, v in (("user", user), ("password", password)) if v is not None})
    return args


def masked_dsn(dsn: str | None) -> str | None:
    """The dsn as shown to users: a Devart string's password is masked."""
    if dsn is None or not _DEVART.match(dsn):
        return dsn
    return parse(dsn).masked()


def session_key(
    homogeneous: bool, user: str | None, password: str | None, cclass: str | None, purity: int | None
) -> Hashable:
    """The key a call's sessions are kept under (None: the pool's own sessions).

    Raises:
        ProgrammingError: per-call credentials on a homogeneous pool.
    """
    if (user is not None or password is not None) and homogeneous:
        raise ProgrammingError("DPI-1012: proxy authentication is not possible with homogeneous pools")
    if password is not None and user is None:
        raise ProgrammingError("a password was given without a user")
    purity = None if purity is None or int(purity) == 0 else int(purity)
    if user is None and cclass is None and purity is None:
        return None
    return SessionKey(user, password, cclass, purity)


def pool_error(name: str, options: PoolOptions, busy: int, reason: Refusal | BaseException, waited: float) -> BaseException:
    """The exception an acquire raises, with the numbers that explain it."""
    sizes = f"max={options.max}, busy={busy}"
    if reason is Refusal.CLOSED:
        return PoolClosedError(f"pool {name!r} is closed", name)
    if reason is Refusal.EXHAUSTED:
        after = f" after waiting {waited:.2f} s" if options.getmode != GetMode.NOWAIT else ""
        return PoolExhaustedError(f"pool {name!r} has no free connection{after} ({sizes})", name)
    assert isinstance(reason, BaseException)
    text = str(reason).splitlines()[0] if str(reason) else type(reason).__name__
    error = DatabaseUnavailableError(
        f"pool {name!r} could not open a session after waiting {waited:.2f} s ({sizes}): {text}", name
    )
    error.__cause__ = reason
    return error
