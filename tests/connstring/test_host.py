"""The Host shortcut forms, overrides, descriptors, TLS, and their errors."""

from __future__ import annotations

import pytest

from devart_oracle import ConnectionStringError
from devart_oracle.connstring import parse

DESCRIPTOR = "(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=db)(PORT=1521))(CONNECT_DATA=(SID=x)))"

SHORTCUTS = [
    # (Host value, expected Host, Port, ServiceName, SID)
    ("db", "db", 1521, None, "orcl"),
    ("db:1522", "db", 1522, None, "orcl"),
    ("db:1522/svc", "db", 1522, "svc", None),
    ("db/svc", "db", 1521, "svc", None),
    ("db:1522:xe", "db", 1522, None, "xe"),
    ("db:1522:sn=svc", "db", 1522, "svc", None),
    ("db:1522:SN=svc", "db", 1522, "svc", None),
    ("db:1522:sid=xe", "db", 1522, None, "xe"),
    ("db:1522/svc.example.com", "db", 1522, "svc.example.com", None),
    ("10.0.0.7:1522/svc", "10.0.0.7", 1522, "svc", None),
    ("[::1]:1522/svc", "[::1]", 1522, "svc", None),
    ("[fe80::1]", "[fe80::1]", 1521, None, "orcl"),
    ("tcps://db:2484/svc", "tcps://db", 2484, "svc", None),
    ("TCPS://db", "tcps://db", 1521, None, "orcl"),
    ("tcp://db:1522/svc", "db", 1522, "svc", None),
    (DESCRIPTOR, DESCRIPTOR, None, None, None),
    ("(description = (address_list=(address=(host=a))))", None, None, None, None),
]


@pytest.mark.parametrize(("value", "host", "port", "service", "sid"), SHORTCUTS)
def test_shortcut_forms(
    value: str, host: str | None, port: int | None, service: str | None, sid: str | None
) -> None:
    for p in (parse(f"Host={value}"), parse(Host=value)):
        assert p.host == (host or value)
        assert (p.get("Port"), p.get("ServiceName"), p.get("SID")) == (port, service, sid)


def test_shortcut_is_equivalent_to_separate_parameters() -> None:
    assert parse("Host=db:1522/svc") == parse("Host=db;Port=1522;ServiceName=svc")
    assert parse("Host=db:1522:xe") == parse("Host=db;Port=1522;SID=xe")
    assert parse("Host=db") == parse("Host=db;Port=1521;SID=orcl")


OVERRIDES = [
    # (text, expected Port, ServiceName, SID)
    ("Host=db:1522/svc;Port=1530", 1530, "svc", None),
    ("Port=1530;Host=db:1522/svc", 1530, "svc", None),
    ("Host=db:1522/svc;ServiceName=other", 1522, "other", None),
    ("Host=db:1522/svc;SID=xe", 1522, None, "xe"),
    ("Host=db:1522:xe;ServiceName=svc", 1522, "svc", None),
    ("Host=db:1522:xe;SID=yy", 1522, None, "yy"),
]


@pytest.mark.parametrize(("text", "port", "service", "sid"), OVERRIDES)
def test_explicit_parameters_override_the_shortcut(
    text: str, port: int, service: str | None, sid: str | None
) -> None:
    p = parse(text)
    assert (p["Port"], p.get("ServiceName"), p.get("SID")) == (port, service, sid)


def test_keyword_overrides_the_shortcut_in_the_string() -> None:
    p = parse("Host=db:1522/svc", Port=1530, SID="xe")
    assert (p["Port"], p.get("ServiceName"), p["SID"]) == (1530, None, "xe")


HOST_ERRORS = [
    # (text, position, message)
    ("Host=//db:1521/svc", 5, "'//' before the host name is not supported"),
    ("Host=db:15x/svc", 8, "invalid port '15x' (expected an integer from 1 to 65535)"),
    ("Host=db:/svc", 8, "invalid port ''"),
    ("Host=db:99999", 8, "invalid port '99999'"),
    ("Host=db:1522/", 13, "missing service name after '/'"),
    ("Host=db:1522:", 13, "missing SID after ':'"),
    ("Host=db:1522:sn=", 16, "missing service name after ':'"),
    ("Host=db:1522:svc=x", 13, "unknown prefix before '=' (use 'sn=' or 'sid=')"),
    ("Host=:1522/svc", 5, "missing host name"),
    ("Host=[]:1522/svc", 5, "missing host name"),
    ("Host=my db", 5, "malformed host"),
    ("Host=[::1", 5, "malformed host"),
    ("Host=ldap://db", 5, "unsupported protocol 'ldap' (only 'tcps://' is supported)"),
    ("Host=tcps://(DESCRIPTION=(A=1))", 5, "'tcps://' cannot prefix a connect descriptor"),
    ("Host=(ADDRESS=(HOST=db))", 5, "a connect descriptor must start with '(DESCRIPTION='"),
    ("Host=(DESCRIPTION=(A=1)", 23, "unbalanced '(' in the connect descriptor"),
    ("Host=(DESCRIPTION=(A=1)))", 24, "unexpected text after the connect descriptor"),
    ('Host="db:15x"', 5, "invalid port '15x'"),  # quoted: points at the value
]


@pytest.mark.parametrize(("text", "position", "message"), HOST_ERRORS)
def test_host_errors(text: str, position: int, message: str) -> None:
    with pytest.raises(ConnectionStringError) as info:
        parse(text)
    assert info.value.position == position
    first_line = str(info.value).split("\n")[0]
    assert first_line.startswith("invalid 'Host' value ")
    assert message in first_line


def test_host_error_in_a_keyword_names_the_value() -> None:
    with pytest.raises(ConnectionStringError) as info:
        parse(host="//db")
    assert info.value.position is None
    assert str(info.value).startswith("invalid 'Host' value '//db': '//' before the host")


COMBINATIONS = [
    # (text, position, message)
    ("ServiceName=a;SID=b", 14, "'ServiceName' cannot be combined with 'SID'"),
    ("SID=b; Service Name=a", 7, "'ServiceName' cannot be combined with 'SID'"),
    (f"Host={DESCRIPTOR};Port=1", len(DESCRIPTOR) + 6, "'Port' cannot be combined with a"),
    (f"SID=x;Host={DESCRIPTOR}", 6, "'SID' cannot be combined with a connect descriptor"),
    (f"Host={DESCRIPTOR};ServiceName=s", len(DESCRIPTOR) + 6, "'ServiceName' cannot be"),
    ("Direct=True;Home=client", 12, "'HomeName' (an Oracle Client home) needs Direct=False"),
]


@pytest.mark.parametrize(("text", "position", "message"), COMBINATIONS)
def test_combinations_that_are_errors(text: str, position: int, message: str) -> None:
    with pytest.raises(ConnectionStringError) as info:
        parse(text)
    assert info.value.position == position
    assert str(info.value).startswith(message)


def test_combination_with_a_keyword_has_no_position() -> None:
    with pytest.raises(ConnectionStringError) as info:
        parse("ServiceName=a", sid="b")
    assert info.value.position is None


def test_home_name_with_direct_false_is_fine() -> None:
    assert parse("Direct=False;Home=client").home_name == "client"
    assert parse("Home=client").home_name == "client"
