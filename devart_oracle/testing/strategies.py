"""Hypothesis strategies for connection parameters, for this project and users.

Import this module explicitly (``from devart_oracle.testing import
strategies``); it needs hypothesis, which ``devart_oracle.testing`` itself does
not import.

* ``connection_kwargs()``: valid keyword arguments for ``parse()``, canonical
  names with typed values;
* ``connection_parameters()``: the ConnectionParameters they give;
* ``connection_strings(kwargs)``: text that means the same as ``kwargs``,
  spelt every way the grammar allows (synonyms, case, blanks, quoting, order,
  empty segments, Host shortcut forms);
* ``connection_string_noise()``: nearly valid text, to look for crashes.
"""

from __future__ import annotations

import string
from collections.abc import Mapping

from hypothesis import strategies as st

from devart_oracle.connstring import ConnectionParameters, parse
from devart_oracle.connstring._keywords import CONNECT_MODES, KEYWORDS, lookup

__all__ = [
    "connection_kwargs",
    "connection_parameters",
    "connection_string_noise",
    "connection_strings",
    "host_names",
]

Kwargs = dict[str, object]

_LABEL = st.from_regex(r"[a-z][a-z0-9-]{0,10}[a-z0-9]", fullmatch=True)
_TEXT = st.text(min_size=1, max_size=16)
_IDENTIFIER = st.from_regex(r"[A-Za-z][A-Za-z0-9_$#.]{0,15}", fullmatch=True)
_BLANKS = st.text(" \t\r\n", max_size=2)


def host_names() -> st.SearchStrategy[str]:
    """Host names, IPv4 addresses and bracketed IPv6 addresses."""
    ipv4 = st.tuples(*[st.integers(0, 255)] * 4).map(lambda t: ".".join(map(str, t)))
    ipv6 = st.sampled_from(["[::1]", "[fe80::1]", "[2001:db8::7]"])
    dns = st.lists(_LABEL, min_size=1, max_size=3).map(".".join)
    return st.one_of(dns, ipv4, ipv6)


def _descriptor(host: str, port: int, service: str) -> str:
    return (
        f"(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST={host})(PORT={port}))"
        f"(CONNECT_DATA=(SERVICE_NAME={service})))"
    )


_DESCRIPTORS = st.builds(_descriptor, _LABEL, st.integers(1, 65535), _IDENTIFIER)
_OPTIONAL: Mapping[str, st.SearchStrategy[object]] = {
    "UserName": _TEXT,
    "Password": _TEXT,
    "ConnectMode": st.sampled_from(CONNECT_MODES),
    "Schema": _TEXT,
    "PoolId": st.integers(-(10**18) + 1, 10**18 - 1),
    "DisablePooling": st.booleans(),
    "ConnectionTimeout": st.one_of(
        st.integers(1, 600).map(float),
        st.floats(1e-3, 1e6, allow_nan=False, allow_infinity=False),
    ),
    "AutoCommit": st.booleans(),
}


@st.composite
def _address(draw: st.DrawFn) -> Kwargs:
    """Host with Port and ServiceName or SID, or a descriptor alone."""
    if draw(st.integers(0, 5)) == 0:
        return {"Host": draw(_DESCRIPTORS)}
    tls = draw(st.sampled_from(["", "", "tcps://"]))
    found: Kwargs = {"Host": tls + draw(host_names()), "Port": draw(st.integers(1, 65535))}
    database = draw(st.sampled_from(["ServiceName", "SID", None]))
    if database is not None:
        found[database] = draw(_TEXT)
    return found


@st.composite
def connection_kwargs(draw: st.DrawFn) -> Kwargs:
    """Valid keyword arguments for ``parse()``: canonical names, typed values."""
    found: Kwargs = {"Direct": draw(st.booleans())}
    found.update(draw(_address()))
    if not found["Direct"] and draw(st.booleans()):
        found["HomeName"] = draw(_TEXT)
    for name, values in _OPTIONAL.items():
        if draw(st.booleans()):
            found[name] = draw(values)
    # Any subset is valid: a parameter left out takes its default.
    return {k: v for k, v in found.items() if draw(st.integers(0, 3))}


def connection_parameters() -> st.SearchStrategy[ConnectionParameters]:
    """ConnectionParameters built from ``connection_kwargs()``."""
    return connection_kwargs().map(lambda kwargs: parse("", **kwargs))


def _random_case(draw: st.DrawFn, text: str) -> str:
    flips = draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    return "".join(c.swapcase() if flip else c for c, flip in zip(text, flips))


def _quoted(draw: st.DrawFn, text: str) -> str:
    """Write a string value the way the grammar reads back as ``text``."""
    must = ";" in text or text[0] in "\"' \t\r\n" or text[-1] in " \t\r\n"
    style = draw(st.sampled_from(['"', "'", ""] if not must else ['"', "'"]))
    if not style:
        return text
    return style + text.replace(style, style * 2) + style


def _written(draw: st.DrawFn, name: str, value: object) -> str:
    if isinstance(value, bool):
        words = ["True", "1"] if value else ["False", "0"]
        return _random_case(draw, draw(st.sampled_from(words)))
    if name == "ConnectMode":
        return _random_case(draw, str(value))
    if isinstance(value, str):
        return _quoted(draw, value)
    return repr(value)


def _shortcut(draw: st.DrawFn, kwargs: Kwargs) -> Kwargs:
    """Fold Port, ServiceName and SID into a Host shortcut, sometimes."""
    host = kwargs.get("Host")
    if not isinstance(host, str) or host.startswith("(") or "Port" not in kwargs:
        return kwargs
    if not draw(st.booleans()):
        return kwargs
    rest = dict(kwargs)
    short = f"{host}:{rest.pop('Port')}"
    service, sid = rest.pop("ServiceName", None), rest.pop("SID", None)
    if service is not None:
        form = draw(st.sampled_from(["/", ":sn=", ":SN="]))
        short += form + str(service)
    elif sid is not None:
        short += draw(st.sampled_from([":", ":sid=", ":Sid="])) + str(sid)
    rest["Host"] = short
    return rest


def _segment(draw: st.DrawFn, name: str, value: object) -> str:
    keyword = lookup(name)
    assert keyword is not None, name
    spelling = _random_case(draw, draw(st.sampled_from(keyword.spellings)))
    written = _written(draw, keyword.name, value)
    return f"{draw(_BLANKS)}{spelling}{draw(_BLANKS)}={draw(_BLANKS)}{written}"


def _can_shortcut(value: object) -> bool:
    # A service or SID that a Host shortcut cannot carry stays a parameter.
    return (
        isinstance(value, str)
        and value.strip(" \t\r\n") == value
        and not set(";\"'=") & set(value)
    )


@st.composite
def connection_strings(draw: st.DrawFn, kwargs: Mapping[str, object]) -> str:
    """Text that ``parse()`` reads as the same parameters as ``kwargs``."""
    items = dict(kwargs)
    if all(_can_shortcut(items.get(k, "x")) for k in ("ServiceName", "SID")):
        items = _shortcut(draw, items)
    segments = [_segment(draw, k, v) for k, v in items.items()]
    segments += [draw(_BLANKS) for _ in range(draw(st.integers(0, 2)))]
    ordered = draw(st.permutations(segments))
    return ";".join(ordered) + draw(st.sampled_from(["", ";", " ; "]))


_NOISE_ATOMS = st.one_of(
    st.sampled_from([k.spellings[0] for k in KEYWORDS] + ["Data Source", "User ID"]),
    st.sampled_from(['"', "'", '""', "''", "=", ";", " ", "(", ")", ":", "/", "//", "tcps://"]),
    st.sampled_from(["1", "0", "true", "x", "1521", "sn=", "sid=", "(DESCRIPTION="]),
    st.text(string.printable, max_size=4),
    st.text(max_size=3),
)


def connection_string_noise() -> st.SearchStrategy[str]:
    """Text made of grammar fragments and names: mostly invalid, often close."""
    return st.lists(_NOISE_ATOMS, max_size=16).map("".join)
