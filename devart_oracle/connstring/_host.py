"""The shortcut forms of the Host parameter.

Devart's connector accepts more than a host name in Host; this module splits
those forms into their parts:

========================  ===========================================
``h``                     host only
``h:1522``                host and port
``h:1522/svc``            service name ``svc``
``h/svc``                 service name ``svc`` on port 1521
``h:1522:orcl``           SID ``orcl``
``h:1522:sn=svc``         service name ``svc``
``h:1522:sid=orcl``       SID ``orcl``
``tcps://h...``           any of the above over TLS
``(DESCRIPTION=...)``     a full connect descriptor, passed on as is
========================  ===========================================

An IPv6 address goes in brackets: ``[::1]:1522/svc``. ``tcp://`` is accepted
and dropped, since plain TCP is the default.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ._grammar import BLANKS
from ._keywords import BadValue, to_port

__all__ = ["HostError", "HostParts", "split_host"]

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")
_SHORTCUT = re.compile(
    r"""(?P<host>\[[^\]\s]*\]|[^:/\[\]\s()=;"',]*)
        (?::(?P<port>[^:/]*))?
        (?:(?P<sep>[:/])(?P<db>.*))?\Z""",
    re.X | re.S,
)
_DB_PREFIX = re.compile(r"(sn|sid)=", re.I)
_DESCRIPTOR = re.compile(r"\(\s*DESCRIPTION(_LIST)?\s*=", re.I)
_MALFORMED = (
    "malformed host (expected host[:port][/service], host:port:sid or (DESCRIPTION=...);"
    " an IPv6 address goes in brackets)"
)


class HostError(ValueError):
    """A Host value is malformed; ``offset`` is where, inside the value."""

    def __init__(self, problem: str, offset: int = 0) -> None:
        super().__init__(problem)
        self.problem = problem
        self.offset = offset


class HostParts(NamedTuple):
    """What a Host value says (a tuple: one is built on every parse).

    Attributes:
        host: the normalised Host value: ``h``, ``tcps://h`` or a descriptor.
        port: the port it names, or None.
        service_name: the service name it names, or None.
        sid: the SID it names, or None.
    """

    host: str
    port: int | None = None
    service_name: str | None = None
    sid: str | None = None

    @property
    def is_descriptor(self) -> bool:
        """Tell whether the host is a full connect descriptor."""
        return self.host.startswith("(")


def _check_descriptor(value: str) -> None:
    if not _DESCRIPTOR.match(value):
        raise HostError("a connect descriptor must start with '(DESCRIPTION='")
    depth = 0
    for offset, char in enumerate(value):
        if depth == 0 and offset and not char.isspace():
            raise HostError("unexpected text after the connect descriptor", offset)
        depth += {"(": 1, ")": -1}.get(char, 0)
    if depth:
        raise HostError("unbalanced '(' in the connect descriptor", len(value))


def _scheme(value: str) -> tuple[str, int]:
    """Return the ``tcps://`` prefix to keep (or '') and the length to skip."""
    m = _SCHEME.match(value)
    if m is None:
        return "", 0
    scheme = m[1].lower()
    if scheme not in ("tcp", "tcps"):
        raise HostError(f"unsupported protocol {m[1]!r} (only 'tcps://' is supported)")
    return ("tcps://" if scheme == "tcps" else ""), m.end()


def _port(text: str | None, offset: int) -> int | None:
    if text is None:
        return None
    try:
        return to_port(text)
    except BadValue as exc:
        raise HostError(f"invalid port {text!r} (expected {exc.allowed})", offset) from None


def _database(m: re.Match[str], offset: int) -> tuple[str | None, str | None]:
    """Return the (service name, SID) a shortcut names after ':' or '/'."""
    sep, db = m["sep"], m["db"]
    if sep is None:
        return None, None
    is_service = sep == "/"
    prefix = _DB_PREFIX.match(db) if sep == ":" else None
    if prefix is not None:
        is_service, db = prefix[1].lower() == "sn", db[prefix.end() :]
    elif not is_service and "=" in db:
        raise HostError("unknown prefix before '=' (use 'sn=' or 'sid=')", offset + m.start("db"))
    if not db.strip(BLANKS):
        what = "service name" if is_service else "SID"
        raise HostError(f"missing {what} after {sep!r}", offset + m.end())
    return (db, None) if is_service else (None, db)


def _shortcut(rest: str, prefix: str, skip: int) -> HostParts:
    """Split what follows the scheme: host, then ':port', then '/svc' or ':sid'."""
    if rest.startswith("("):
        raise HostError("'tcps://' cannot prefix a connect descriptor; use (PROTOCOL=TCPS)")
    if rest.startswith("//"):
        raise HostError("'//' before the host name is not supported (write host:port/service)", skip)
    m = _SHORTCUT.match(rest)
    if m is None:
        raise HostError(_MALFORMED, skip)
    if m["host"] in ("", "[]"):
        raise HostError("missing host name", skip)
    port = _port(m["port"], skip + m.start("port"))
    service_name, sid = _database(m, skip)
    return HostParts(prefix + m["host"], port, service_name, sid)


def split_host(value: str) -> HostParts:
    """Split a Host value into host, port, service name and SID.

    Args:
        value: the Host value as given (not empty).

    Returns:
        The parts; those the value does not name are None.

    Raises:
        HostError: the value is malformed; ``offset`` says where in it.
    """
    if value.startswith("("):
        _check_descriptor(value)
        return HostParts(value)
    prefix, skip = _scheme(value)
    return _shortcut(value[skip:], prefix, skip)
