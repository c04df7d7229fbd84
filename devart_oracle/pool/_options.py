"""What an explicit pool is made of: its parameters and its settings.

Shared by ``ConnectionPool`` and ``AsyncConnectionPool``. A pool is built the
way python-oracledb builds one: a copy of the caller's ``PoolParams`` (or a
fresh one), then ``set()`` with the keyword arguments actually given, then
the dsn. That one ``PoolParams`` object is what sessions are opened with, so
python-oracledb handles every connect field itself, the password included
(it cannot be read back from a ``PoolParams``, so it must travel inside it).
The pool's own settings are read from the same object, after our checks:
python-oracledb's errors for a bad value (``an integer is required``) name
neither the parameter nor what it allows.

Beside python-oracledb's names, ``dsn`` may be a Devart connection string,
and Devart parameter names (``UserName``, ``ServiceName``...) may be given as
keyword arguments beside a Devart dsn or no dsn.
"""

from __future__ import annotations

import difflib
import inspect
import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

import oracledb

from .._errors import ProgrammingError, driver_error, shaped
from ..connstring import parse
from ..connstring._keywords import lookup
from ._core import GetMode, PoolSettings

#: Sessions are recycled in the last tenth of their lifetime (see ._lifetime).
LIFETIME_SPREAD = 0.1

__all__ = ["DRIVER_NAMES", "OPTION_NAMES", "PoolOptions", "PoolSpec", "check_names", "check_option", "pool_spec"]

_names = itertools.count(1)

#: A Devart string starts with "name=" and is not a parenthesised descriptor.
_DEVART = re.compile(r"^\s*[A-Za-z][A-Za-z ]*=")

#: The keyword arguments of python-oracledb's create_pool() that PoolParams takes.
DRIVER_NAMES = tuple(inspect.signature(oracledb.PoolParams).parameters)

_UINT32 = 2**32 - 1
_INT32 = 2**31 - 1

#: Integer settings: lowest and highest value, and what the value means.
_INTEGERS: dict[str, tuple[int, int, str]] = {
    "min": (0, _UINT32, ""),
    "max": (1, _UINT32, ""),
    "increment": (0, _UINT32, ""),
    "timeout": (0, _UINT32, " (seconds; 0 = never)"),
    "wait_timeout": (0, _UINT32, " (milliseconds)"),
    "max_lifetime_session": (0, _UINT32, " (seconds; 0 = forever)"),
    "max_sessions_per_shard": (0, _UINT32, ""),
    "stmtcachesize": (0, _UINT32, ""),
    "ping_interval": (-_INT32 - 1, _INT32, " (seconds; 0 = ping on every acquire, negative = never)"),
    "ping_timeout": (0, _UINT32, " (milliseconds)"),
}
_FLAGS = frozenset({"homogeneous", "soda_metadata_cache"})
_GETMODES = ", ".join(f"POOL_GETMODE_{mode.name} ({mode.value})" for mode in sorted(oracledb.PoolGetMode, key=int))
_GETMODE_VALUES = frozenset(int(mode) for mode in oracledb.PoolGetMode)


def _invalid(name: str, value: Any, expected: str, wrong_type: bool = True) -> Exception:
    # A value of the wrong type is a TypeError, as python-oracledb raises; one out of range is ours.
    if wrong_type:
        return TypeError(f"invalid value {value!r} for {name}: expected {expected}")
    return shaped(ProgrammingError, f"invalid value {value!r} for {name}: expected {expected}")


def check_option(name: str, value: Any) -> Any:
    """A pool setting's value, checked; ``getmode`` becomes an ``oracledb.PoolGetMode``.

    Raises:
        TypeError: the value is of the wrong type (as python-oracledb raises).
        ProgrammingError: the value is out of range.
        The message names the setting, the value and what is allowed.
    """
    if name == "getmode":
        if isinstance(value, int) and not isinstance(value, bool) and value in _GETMODE_VALUES:
            return oracledb.PoolGetMode(value)
        raise _invalid(name, value, f"one of {_GETMODES}", not isinstance(value, int))
    if name in _FLAGS:
        if isinstance(value, bool):
            return value
        raise _invalid(name, value, "True or False")
    low, high, meaning = _INTEGERS[name]
    is_int = isinstance(value, int) and not isinstance(value, bool)
    if is_int and low <= value <= high:
        return value
    if low < 0:
        expected = "an integer"
    elif is_int and value > high:
        expected = f"an integer from {low} to {high}"
    else:
        expected = f"an integer from {low}"
    raise _invalid(name, value, expected + meaning, not is_int)


@dataclass(frozen=True)
class PoolOptions:
    """An explicit pool's settings, in python-oracledb's names, units and defaults.

    Every value is checked on construction, so ``changed()`` either returns a
    complete, valid set or raises without changing anything.
    """

    min: int = 1
    max: int = 2
    increment: int = 1
    getmode: oracledb.PoolGetMode = oracledb.PoolGetMode.WAIT
    homogeneous: bool = True
    timeout: int = 0
    wait_timeout: int = 0
    max_lifetime_session: int = 0
    max_sessions_per_shard: int = 0
    soda_metadata_cache: bool = False
    ping_interval: int = 60
    ping_timeout: int = 5000
    stmtcachesize: int = 20
    #: What messages call the pool: its alias, else "pool-N" (``pool.name`` is the alias or None).
    name: str = field(default_factory=lambda: f"pool-{next(_names)}")

    def __post_init__(self) -> None:
        for name in OPTION_NAMES:
            object.__setattr__(self, name, check_option(name, getattr(self, name)))
        if self.max < self.min:
            raise driver_error(
                ProgrammingError, 2064,
                f"parameter 'max' should be greater than or equal to parameter 'min' (min={self.min}, max={self.max})",
            )

    @classmethod
    def from_params(cls, params: oracledb.PoolParams, name: str | None = None) -> PoolOptions:
        """The settings a ``PoolParams`` holds."""
        values = {option: getattr(params, option) for option in OPTION_NAMES}
        return cls(**values) if name is None else cls(name=name, **values)

    def changed(self, **changes: Any) -> PoolOptions:
        """A copy with the given settings changed (None = unchanged), all checked first."""
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
            getmode=GetMode(int(self.getmode)),
            lifetime_spread=LIFETIME_SPREAD,
        )

    def wait_limit(self) -> float | None:
        """Seconds an acquire may wait at ``max``; None = forever."""
        if self.getmode == oracledb.PoolGetMode.TIMEDWAIT:
            return self.wait_timeout / 1000
        return None


OPTION_NAMES = tuple(f.name for f in fields(PoolOptions) if f.name != "name")


@dataclass(frozen=True)
class PoolSpec:
    """What a new explicit pool is made from.

    Attributes:
        params: python-oracledb's parameters for every session, dsn parsed
            in and password included.
        options: the pool's settings, read from ``params``.
        dsn: what ``pool.dsn`` shows; never a password.
    """

    params: oracledb.PoolParams
    options: PoolOptions
    dsn: str | None


def pool_spec(dsn: str | None, params: Any, kwargs: Mapping[str, Any], name: str | None) -> PoolSpec:
    """Merge ``create_pool()``'s arguments the way python-oracledb does.

    Args:
        dsn: an Easy Connect string (``user/password@`` allowed), a descriptor,
            a net service name, a Devart connection string, or None.
        params: an ``oracledb.PoolParams`` supplying defaults, or None.
        kwargs: python-oracledb's keyword arguments (only those not None
            override ``params``) and Devart parameter names.
        name: the pool alias, which names the pool.

    Raises:
        ProgrammingError: a bad setting, ``params`` that is not a PoolParams,
            Devart names beside an Easy Connect dsn, credentials in the dsn
            beside a ``user``, or a heterogeneous pool with ``min`` sessions
            and no user to open them as.
        ConnectionStringError: a Devart string or parameter is invalid.
    """
    merged = _copy(params)
    given = {k: v for k, v in kwargs.items() if k in DRIVER_NAMES and v is not None}
    devart = {k: v for k, v in kwargs.items() if k not in DRIVER_NAMES}
    check_names(devart, DRIVER_NAMES)
    # Checked before python-oracledb sees them, and with every other setting.
    options = PoolOptions.from_params(merged, name).changed(**{k: v for k, v in given.items() if k in OPTION_NAMES})
    given.update((k, getattr(options, k)) for k in OPTION_NAMES if k in given)
    shown = _apply_dsn(merged, dsn, devart, given)
    spec = PoolSpec(merged, PoolOptions.from_params(merged, options.name), shown)
    _check_heterogeneous(spec)
    return spec


def check_names(names: Iterable[str], driver_names: Iterable[str]) -> None:
    """Refuse a keyword that is neither python-oracledb's nor a Devart parameter.

    Raises:
        TypeError: naming the first such keyword and the closest known one,
            as python-oracledb raises for an unexpected keyword.
    """
    for name in names:
        if lookup(name) is None:
            close = difflib.get_close_matches(name, list(driver_names), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise TypeError(f"unknown parameter {name!r}{hint}")


def _copy(params: Any) -> oracledb.PoolParams:
    if params is None:
        return oracledb.PoolParams()  # type: ignore[no-any-return]
    if not isinstance(params, oracledb.PoolParams):
        raise driver_error(ProgrammingError, 2027, f"params must be a PoolParams, not {type(params).__name__}")
    return params.copy()  # type: ignore[no-any-return]


def _apply_dsn(
    params: oracledb.PoolParams, dsn: str | None, devart: dict[str, Any], given: dict[str, Any]
) -> str | None:
    """Set the given arguments and the dsn into ``params``; returns the dsn to show."""
    if dsn is not None and not isinstance(dsn, str):
        raise shaped(ProgrammingError, f"dsn must be a string, not {type(dsn).__name__}")
    if dsn is not None and not _DEVART.match(dsn):
        if devart:
            names = ", ".join(sorted(devart))
            raise shaped(
                ProgrammingError, f"connection parameters {names} need a devart dsn; with an easy connect dsn use python-oracledb names"
            )
        params.set(**given)
        return _parse_dsn(params, dsn)
    if dsn is None and not devart:
        params.set(**given)
        return params.get_connect_string()
    parsed = parse(dsn or "", **devart)
    args = parsed.driver_args()
    descriptor = args.pop("dsn", None)
    params.set(**args)
    params.set(**given)  # python-oracledb names given beside win
    if descriptor is not None:
        params.parse_connect_string(descriptor)
    return parsed.masked()


def _parse_dsn(params: oracledb.PoolParams, dsn: str) -> str | None:
    """Parse a python-oracledb dsn into ``params``; returns it without credentials.

    Only ``user/password@`` before the last '@' is read as credentials.
    python-oracledb 26 also reads a dsn without '@', such as ``host/service``,
    as ``user/password`` when no user is given, which would turn the dsn of a
    heterogeneous pool into a user name.
    """
    connect_string: str | None = dsn
    if "@" in dsn:
        user, password, connect_string = params.parse_dsn_with_credentials(dsn)
        if user is not None or password is not None:
            if params.user is not None:
                raise shaped(
                    ProgrammingError, f"the dsn starts with credentials and user={params.user!r} was given too:"
                    f" give the user in one place"
                )
            params.set(user=user, password=password)
    if connect_string is None:
        return params.get_connect_string()
    params.parse_connect_string(connect_string)
    return connect_string


def _check_heterogeneous(spec: PoolSpec) -> None:
    options, params = spec.options, spec.params
    if options.homogeneous or not options.min or params.user is not None or params.externalauth:
        return
    raise shaped(
        ProgrammingError, f"pool {options.name!r} is heterogeneous with min={options.min}, but no user was given to open those"
        f" sessions as: give user and password, or set min=0 and pass them to acquire()"
    )
