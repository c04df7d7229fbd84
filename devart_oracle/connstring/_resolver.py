"""From raw pairs and keyword arguments to validated, typed, complete values.

This is the meaning layer: it looks names up in the keyword table, rejects
unknown and repeated parameters, converts values, expands the Host shortcut
forms, checks the combinations and fills in the defaults. The result is a
dict from canonical name to typed value, in table order, holding every
parameter that has a value (given or default) and nothing else.

Errors point at the name (unknown, repeated, conflicting) or at the value
(invalid) in the text; problems in keyword arguments have no position.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

import pyparsing as pp

from .._errors import ConnectionStringError
from ._grammar import RawPair
from ._host import HostError, HostParts, split_host
from ._keywords import KEYWORDS, BadValue, Keyword, Value, lookup, normalize, suggest
from ._messages import MASK, SECRET_IN_NAME, error, mask, syntax_error
from ._scanner import scan
from ._secrets import hides_secret, secret_prefix

__all__ = ["resolve"]

DEFAULT_SID = "orcl"  # Devart's choice when neither SID nor ServiceName is given
_DESCRIPTOR_EXCLUDES = ("Port", "ServiceName", "SID")
_DATABASE = frozenset(("Host", *_DESCRIPTOR_EXCLUDES))  # what database() decides
#: Names from Devart's other connectors that mean something else here.
_FOREIGN_HINTS = {
    "pooling": " (pooling is set with devart_oracle.connection_pool.enabled; DisablePooling=True opts one connection out)",
}


def _unknown(name: str) -> str:
    """The message for an unknown name; one that starts like the password is not quoted whole."""
    shown = secret_prefix(name)
    if shown is None and hides_secret(name):
        return SECRET_IN_NAME
    if shown is not None and name[shown:].strip():
        return f"unknown connection parameter starting with {name[:shown].strip()!r} (is '=' missing after it?)"
    close = suggest(name)
    hint = _FOREIGN_HINTS.get(normalize(name)) or (f" (did you mean {close!r}?)" if close else "")
    return f"unknown connection parameter {name!r}{hint}"


class _Given(NamedTuple):
    """One parameter as the caller gave it (a tuple: built for every pair)."""

    keyword: Keyword
    value: Value | None  # None: given empty, which means not set
    where: str  # how it was spelled, for messages
    name_pos: int | None = None
    value_pos: int | None = None
    plain: bool = False  # written unquoted: offsets inside the value are exact


def _holds_password(name: str) -> str:
    return f"the value of {name!r} holds a password-like name (is a ';' missing before it?)"


def _short(value: object) -> str:
    """Return a repr cut to a length a message can carry; a value that may
    hold a password (``1521Password=tiger``, a quoted value that swallowed
    ``;Password=...``) is masked whole."""
    if isinstance(value, str) and (mask(value).spans or hides_secret(value)):
        return repr(MASK)
    text = repr(value)
    if len(text) <= 40:
        return text
    return text[:36] + "..." + (text[-1] if isinstance(value, str) else "")


def _later(first: _Given, second: _Given) -> int | None:
    """Return where a conflict between two parameters becomes one."""
    if first.name_pos is None or second.name_pos is None:
        return None
    return max(first.name_pos, second.name_pos)


class _Resolver:
    """Collects the given parameters of one parse call."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.given: dict[str, _Given] = {}

    def fail(self, problem: str, pos: int | None) -> ConnectionStringError:
        return error(self.text, problem, pos)

    def keyword(self, name: str, pos: int | None) -> Keyword:
        keyword = lookup(name)
        if keyword is None:
            raise self.fail(_unknown(name), pos)
        return keyword

    def convert(self, keyword: Keyword, value: object, pos: int | None) -> Value | None:
        if isinstance(value, str) and not value:
            return None
        # In Host, ':' comes before the port, not after a password name.
        colon = keyword.name != "Host"
        if not keyword.secret and isinstance(value, str) and hides_secret(value, colon=colon):
            raise self.fail(_holds_password(keyword.name), pos)
        try:
            return keyword.convert(value)
        except BadValue as exc:
            shown = repr(MASK) if keyword.secret else _short(value)
            problem = f"invalid value {shown} for {keyword.name!r} (expected {exc.allowed})"
            raise self.fail(problem, pos) from None

    def claim(self, keyword: Keyword, where: str, pos: int | None) -> None:
        """Reject a parameter given before, in whatever spelling."""
        first = self.given.get(keyword.name)
        if first is not None:
            how = "" if first.where == where else f" ({first.where} and {where})"
            raise self.fail(f"connection parameter {keyword.name!r} given twice{how}", pos)

    def add_pair(self, pair: RawPair) -> None:
        keyword = self.keyword(pair.name, pair.name_pos)
        where = f"as {pair.name!r}"
        self.claim(keyword, where, pair.name_pos)
        value = self.convert(keyword, pair.value, pair.value_pos)
        self.given[keyword.name] = _Given(
            keyword, value, where, pair.name_pos, pair.value_pos, not pair.quoted
        )

    def add_keyword(self, name: str, value: object) -> None:
        keyword = self.keyword(name, None)
        where = f"as keyword {name!r}"
        self.claim(keyword, where, None)
        self.given[keyword.name] = _Given(keyword, self.convert(keyword, value, None), where)

    def is_set(self, name: str) -> bool:
        given = self.given.get(name)
        return given is not None and given.value is not None

    def value(self, name: str) -> Value | None:
        given = self.given.get(name)
        return None if given is None else given.value

    def host(self) -> HostParts:
        given = self.given.get("Host")
        if given is None or given.value is None:
            return HostParts("localhost")
        value = str(given.value)
        try:
            parts = split_host(value)
        except HostError as exc:
            if hides_secret(value):  # the problem may quote a piece of it ("invalid port ...")
                raise self.fail(_holds_password("Host"), given.value_pos) from None
            pos = given.value_pos
            if pos is not None and given.plain:
                pos += exc.offset
            raise self.fail(f"invalid 'Host' value {_short(value)}: {exc.problem}", pos) from None
        # After the host and port, ':' no longer means a port: "h:1/svc Pwd:tiger".
        if any(part is not None and hides_secret(part) for part in (parts.service_name, parts.sid)):
            raise self.fail(_holds_password("Host"), given.value_pos)
        return parts

    def forbid_together(self, first: str, second: str, problem: str) -> None:
        if self.is_set(first) and self.is_set(second):
            raise self.fail(problem, _later(self.given[first], self.given[second]))

    def check(self, host: HostParts) -> None:
        for name in _DESCRIPTOR_EXCLUDES if host.is_descriptor else ():
            if self.is_set(name):
                problem = f"{name!r} cannot be combined with a connect descriptor in 'Host'"
                raise self.fail(problem, _later(self.given["Host"], self.given[name]))
        self.forbid_together("ServiceName", "SID", "'ServiceName' cannot be combined with 'SID'")
        if self.value("Direct") is True:
            self.forbid_together(
                "HomeName", "Direct", "'HomeName' (an Oracle Client home) needs Direct=False"
            )

    def database(self, host: HostParts) -> dict[str, Value]:
        """Return Host, Port and the service name or SID, explicit ones first."""
        if host.is_descriptor:
            return {"Host": host.host}
        port = self.value("Port") or host.port or 1521
        service, sid = self.value("ServiceName"), self.value("SID")
        if service is None and sid is None:
            service, sid = host.service_name, host.sid
        if service is None and sid is None:
            sid = DEFAULT_SID
        found = {"Host": host.host, "Port": port, "ServiceName": service, "SID": sid}
        return {k: v for k, v in found.items() if v is not None}

    def complete(self) -> dict[str, Value]:
        host = self.host()
        self.check(host)
        database = self.database(host)
        given, values = self.given, {}
        for keyword in KEYWORDS:  # every parse runs this loop: no calls in it
            name = keyword.name
            if name in _DATABASE:
                value = database.get(name)
            else:
                found = given.get(name)
                value = keyword.default if found is None or found.value is None else found.value
            if value is not None:
                values[name] = value
        return values


def resolve(text: str, params: Mapping[str, object]) -> dict[str, Value]:
    """Validate a connection string plus keyword arguments.

    Args:
        text: the connection string.
        params: keyword arguments; a None value means "not given".

    Returns:
        Canonical name -> typed value, in table order, defaults included.

    Raises:
        ConnectionStringError: anything is wrong; ``.position`` says where.
    """
    try:
        pairs = scan(text)
    except pp.ParseBaseException as exc:
        raise syntax_error(text, exc) from None
    resolver = _Resolver(text)
    for pair in pairs:
        resolver.add_pair(pair)
    for name, value in params.items():
        if value is not None:
            resolver.add_keyword(name, value)
    return resolver.complete()
