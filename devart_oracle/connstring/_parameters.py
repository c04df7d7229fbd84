"""ConnectionParameters, and ``parse`` with its cache.

``connect()`` parses on every pooled checkout, so ``parse`` looks in a bounded
LRU cache (keyed by the exact text and keyword arguments) before doing
anything else; a hit costs a dict lookup. The parsed object is immutable, so
sharing one instance between callers is safe.

A ConnectionParameters holds every parameter that has a value, whether given
or by default (Port 1521, SID orcl when no service is named, ConnectMode
Normal, ...), and nothing else: a parameter without a default that was not
given (UserName, Password, Schema, ...) is absent. ``len``, iteration,
``str()`` and equality all follow that one rule, which is also why writing a
default out or leaving it implicit gives equal objects.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterator, Mapping
from typing import Any, NoReturn, cast

from ._driver import driver_args
from ._fingerprint import fingerprint
from ._grammar import BLANKS
from ._keywords import Value, lookup
from ._messages import MASK
from ._secrets import QUOTES
from ._resolver import resolve

__all__ = ["ConnectionParameters", "parse"]

_log = logging.getLogger("devart_oracle.connstring")
CACHE_SIZE = 512


def _quote(text: str) -> str:
    """Quote a string value if the grammar would not read it back as is."""
    if ";" in text or text[0] in QUOTES or text[0] in BLANKS or text[-1] in BLANKS:
        return '"' + text.replace('"', '""') + '"'
    return text


def _format(value: Value) -> str:
    if isinstance(value, str):
        return _quote(value)
    # repr keeps every digit of a float; bool and int print as themselves.
    return repr(value)


class ConnectionParameters(Mapping[str, Value]):
    """Validated connection parameters: an immutable, read-only mapping.

    Keys are canonical names (``Host``, ``UserName``, ...); lookups also take
    synonyms in any case, with blanks and underscores ignored
    (``p["user id"]``). ``str()`` gives the canonical connection string, with
    the password; ``repr()`` and ``masked()`` show ``***`` instead.
    """

    __module__ = "devart_oracle.connstring"
    __slots__ = ("_values", "_text", "_masked", "_fingerprint")

    _values: dict[str, Value]
    _text: str | None  # str(), made when first asked for (a parse need not print)
    _masked: str | None  # repr() and masked(), likewise
    _fingerprint: str

    def __init__(self, text: str = "", **params: object) -> None:
        """Parse like ``parse()``, without the cache."""
        self._setup(resolve(_checked(text), params))

    @classmethod
    def _from_values(cls, values: dict[str, Value]) -> ConnectionParameters:
        self = cls.__new__(cls)
        self._setup(values)
        return self

    def _setup(self, values: dict[str, Value]) -> None:
        set_ = functools.partial(object.__setattr__, self)
        set_("_values", values)
        set_("_text", None)
        set_("_masked", None)
        set_("_fingerprint", fingerprint(values))

    def _canonical(self) -> tuple[str, str]:
        """The canonical string and its masked form (made once)."""
        if self._text is None or self._masked is None:
            pairs = [(k, _format(v)) for k, v in self._values.items()]
            object.__setattr__(self, "_text", ";".join(f"{k}={v}" for k, v in pairs))
            object.__setattr__(self, "_masked", ";".join(f"{k}={MASK if k == 'Password' else v}" for k, v in pairs))
        return self._text, self._masked  # type: ignore[return-value]

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __getitem__(self, key: str) -> Value:
        try:
            return self._values[key]
        except KeyError:
            keyword = lookup(key) if isinstance(key, str) else None
            if keyword is None or keyword.name not in self._values:
                raise KeyError(key) from None
            return self._values[keyword.name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ConnectionParameters):
            return NotImplemented
        return self._values == other._values

    def __hash__(self) -> int:
        # The fingerprint, not the values, so that the hash is keyed too.
        return hash((self._fingerprint, self.pool_id, self.pooling_disabled))

    def __str__(self) -> str:
        return self._canonical()[0]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._canonical()[1]!r})"

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return parse, (self._canonical()[0],)

    def masked(self) -> str:
        """Return the canonical connection string with the password as ``***``."""
        return self._canonical()[1]

    def driver_args(self) -> dict[str, Any]:
        """Return keyword arguments for ``oracledb.connect()`` (a fresh dict)."""
        return driver_args(self._values)

    @property
    def fingerprint(self) -> str:
        """A hex key, equal for equivalent parameters bar PoolId and DisablePooling."""
        return self._fingerprint

    @property
    def pool_id(self) -> int:
        """The PoolId routing parameter."""
        return cast(int, self._values["PoolId"])

    @property
    def pooling_disabled(self) -> bool:
        """The DisablePooling routing parameter."""
        return cast(bool, self._values["DisablePooling"])

    @property
    def direct(self) -> bool:
        """True: direct TCP (python-oracledb thin); False: Oracle Client (thick)."""
        return cast(bool, self._values["Direct"])

    @property
    def host(self) -> str:
        """The Host value, normalised: ``h``, ``tcps://h`` or a connect descriptor."""
        return cast(str, self._values["Host"])

    @property
    def user(self) -> str | None:
        """The UserName, or None."""
        return cast("str | None", self._values.get("UserName"))

    @property
    def schema(self) -> str | None:
        """The schema to make current after logon, or None."""
        return cast("str | None", self._values.get("Schema"))

    @property
    def home_name(self) -> str | None:
        """The Oracle Client home (Direct=False only), or None."""
        return cast("str | None", self._values.get("HomeName"))

    @property
    def autocommit(self) -> bool:
        """The AutoCommit parameter."""
        return cast(bool, self._values["AutoCommit"])


def _checked(text: object) -> str:
    if not isinstance(text, str):
        raise TypeError(f"a connection string must be a str, not {type(text).__name__}")
    return text


def _parse(text: str, params: Mapping[str, object]) -> ConnectionParameters:
    parameters = ConnectionParameters._from_values(resolve(_checked(text), params))
    _log.debug("parsed connection parameters %r", parameters)
    return parameters


@functools.lru_cache(maxsize=CACHE_SIZE, typed=True)
def _cached(text: str, **params: object) -> ConnectionParameters:
    return _parse(text, params)


def _hashable(text: object, params: Mapping[str, object]) -> bool:
    try:
        hash((text, *params.values()))
    except TypeError:
        return False
    return True


def parse(text: str = "", **params: object) -> ConnectionParameters:
    """Parse a connection string and keyword arguments into parameters.

    Results are cached by exact input, so parsing the same text twice costs
    a lookup and returns the same object.

    Args:
        text: a connection string such as ``"Host=db:1521/svc;User=scott"``.
        **params: parameters by name or synonym (case, blanks and underscores
            ignored), with typed values (``PoolId=42``, ``Direct=True``); never
            re-parsed as text. None means "not given".

    Returns:
        The validated parameters.

    Raises:
        ConnectionStringError: the text or a keyword argument is invalid;
            ``.position`` is the offset in the text, or None for a keyword.
        TypeError: ``text`` is not a str.
    """
    try:
        return _cached(text, **params)
    except TypeError:
        if _hashable(text, params):
            raise
    # An unhashable keyword value (a list, say) cannot be a cache key.
    return _parse(text, params)


# Shown (and pickled) under the public namespace, like the exceptions.
parse.__module__ = "devart_oracle.connstring"
