"""The keyword table: names, synonyms, types, defaults, bad values."""

from __future__ import annotations

import pytest

from devart_oracle import ConnectionStringError, OperationalError
from devart_oracle.connstring import parse

DEFAULTS = {
    "Direct": False,
    "Host": "localhost",
    "Port": 1521,
    "SID": "orcl",
    "ConnectMode": "Normal",
    "PoolId": 0,
    "DisablePooling": False,
    "AutoCommit": True,
}


def test_empty_string_gives_the_defaults() -> None:
    assert dict(parse("")) == DEFAULTS
    assert list(parse("")) == list(DEFAULTS)


SPELLINGS = [
    # (written, canonical, value as written, typed value)
    ("Direct", "Direct", "true", True),
    ("Host", "Host", "db", "db"),
    ("Server", "Host", "db", "db"),
    ("Data Source", "Host", "db", "db"),
    ("Port", "Port", "1522", 1522),
    ("ServiceName", "ServiceName", "svc", "svc"),
    ("Service Name", "ServiceName", "svc", "svc"),
    ("SID", "SID", "xe", "xe"),
    ("UserName", "UserName", "scott", "scott"),
    ("User", "UserName", "scott", "scott"),
    ("User ID", "UserName", "scott", "scott"),
    ("UserId", "UserName", "scott", "scott"),
    ("Uid", "UserName", "scott", "scott"),
    ("Password", "Password", "tiger", "tiger"),
    ("Pwd", "Password", "tiger", "tiger"),
    ("ConnectMode", "ConnectMode", "sysdba", "SysDBA"),
    ("Connect Mode", "ConnectMode", "SYSOPER", "SysOper"),
    ("Schema", "Schema", "hr", "hr"),
    ("HomeName", "HomeName", "OraClient19", "OraClient19"),
    ("Home", "HomeName", "OraClient19", "OraClient19"),
    ("Home Name", "HomeName", "OraClient19", "OraClient19"),
    ("PoolId", "PoolId", "42", 42),
    ("DisablePooling", "DisablePooling", "1", True),
    ("ConnectionTimeout", "ConnectionTimeout", "5", 5.0),
    ("Connection Timeout", "ConnectionTimeout", "2.5", 2.5),
    ("Connect Timeout", "ConnectionTimeout", ".5", 0.5),
    ("AutoCommit", "AutoCommit", "FALSE", False),
]


@pytest.mark.parametrize(("written", "canonical", "text", "value"), SPELLINGS)
def test_every_spelling_in_any_case(written: str, canonical: str, text: str, value: object) -> None:
    for spelling in (written, written.upper(), written.lower()):
        assert parse(f"{spelling}={text}")[canonical] == value


@pytest.mark.parametrize(("written", "canonical", "text", "value"), SPELLINGS)
def test_every_spelling_as_keyword(written: str, canonical: str, text: str, value: object) -> None:
    # Blanks and underscores do not count: user_id=, ServiceName=, SERVICE_NAME=.
    for name in (written.replace(" ", ""), written.replace(" ", "_").lower()):
        assert parse(**{name: text})[canonical] == value


@pytest.mark.parametrize("text", ["True", "true", "TRUE", "1"])
def test_true(text: str) -> None:
    assert parse(f"AutoCommit={text}").autocommit is True


@pytest.mark.parametrize("text", ["False", "false", "fAlSe", "0"])
def test_false(text: str) -> None:
    assert parse(f"AutoCommit={text}").autocommit is False


@pytest.mark.parametrize(
    "mode", ["Normal", "SysOper", "SysDBA", "SysASM", "SysBkp", "SysDG", "SysKM"]
)
def test_connect_modes(mode: str) -> None:
    assert parse(f"ConnectMode={mode.swapcase()}")["ConnectMode"] == mode


def test_typed_keyword_values() -> None:
    p = parse(PoolId=42, DisablePooling=True, Port="1522", ConnectionTimeout=3, Direct=1)
    assert (p.pool_id, p.pooling_disabled, p["Port"], p["ConnectionTimeout"], p.direct) == (
        42,
        True,
        1522,
        3.0,
        True,
    )


def test_keyword_values_are_not_parsed_as_text() -> None:
    p = parse("Host=h", Password="a;b=c", UserName='"x"')
    assert (p["Password"], p.user) == ("a;b=c", '"x"')


def test_none_keyword_means_not_given() -> None:
    assert parse("Port=1522", port=None, UserName=None) == parse("Port=1522")


@pytest.mark.parametrize(
    ("text", "same_as"),
    [("Host=", ""), ("User Id=  ", ""), ('Schema=""', ""), ("Port=;Host=h", "Host=h")],
)
def test_empty_value_means_not_set(text: str, same_as: str) -> None:
    assert parse(text) == parse(same_as)


def test_empty_keyword_value_means_not_set() -> None:
    assert parse(UserName="", Port="") == parse("")


BAD_VALUES = [
    # (text, position, message)
    ("Direct=yes", 7, "invalid value 'yes' for 'Direct' (expected True, False, 1 or 0)"),
    ("AutoCommit=on", 11, "invalid value 'on' for 'AutoCommit' (expected True, False, 1 or 0)"),
    ("DisablePooling=2", 15, "invalid value '2' for 'DisablePooling'"),
    ("Port=0", 5, "invalid value '0' for 'Port' (expected an integer from 1 to 65535)"),
    ("Port=65536", 5, "invalid value '65536' for 'Port'"),
    ("Port=15x", 5, "invalid value '15x' for 'Port'"),
    ("Port=1_521", 5, "invalid value '1_521' for 'Port'"),
    ("Port=" + "9" * 5000, 5, "invalid value '99999"),
    ("Host=h; Port = -1 ", 15, "invalid value '-1' for 'Port'"),
    ("PoolId=x", 7, "invalid value 'x' for 'PoolId' (expected an integer of at most 18 digits)"),
    ("PoolId=1000000000000000000", 7, "invalid value '1000000000000000000' for 'PoolId'"),
    ("ConnectMode=root", 12, "invalid value 'root' for 'ConnectMode' (expected one of Normal,"),
    ("Connect Timeout=0", 16, "invalid value '0' for 'ConnectionTimeout' (expected a positive"),
    ("ConnectionTimeout=-1", 18, "invalid value '-1' for 'ConnectionTimeout'"),
    ("ConnectionTimeout=1e999", 18, "invalid value '1e999' for 'ConnectionTimeout'"),
    ("ConnectionTimeout=nan", 18, "invalid value 'nan' for 'ConnectionTimeout'"),
    ('Port="x;y"', 5, "invalid value 'x;y' for 'Port'"),
]


@pytest.mark.parametrize(("text", "position", "message"), BAD_VALUES)
def test_bad_values(text: str, position: int, message: str) -> None:
    with pytest.raises(ConnectionStringError) as info:
        parse(text)
    assert info.value.position == position
    assert str(info.value).startswith(message)


BAD_KEYWORD_VALUES = [
    ({"Port": True}, "invalid value True for 'Port' (expected an integer from 1 to 65535)"),
    ({"Port": 1.5}, "invalid value 1.5 for 'Port'"),
    ({"Direct": "yes"}, "invalid value 'yes' for 'Direct'"),
    ({"Direct": 2}, "invalid value 2 for 'Direct'"),
    ({"UserName": 5}, "invalid value 5 for 'UserName' (expected a string)"),
    ({"ConnectionTimeout": True}, "invalid value True for 'ConnectionTimeout'"),
    ({"ConnectionTimeout": float("inf")}, "invalid value inf for 'ConnectionTimeout'"),
    ({"ConnectionTimeout": 10**400}, "invalid value 100000000000000000000000000000000000... for"),
    ({"PoolId": 10**18}, "invalid value 1000000000000000000 for 'PoolId'"),
    ({"Host": ["h"]}, "invalid value ['h'] for 'Host' (expected a string)"),
]


@pytest.mark.parametrize(("params", "message"), BAD_KEYWORD_VALUES)
def test_bad_keyword_values(params: dict[str, object], message: str) -> None:
    with pytest.raises(ConnectionStringError) as info:
        parse(**params)
    assert info.value.position is None
    assert str(info.value).startswith(message)


def test_long_values_are_cut_in_messages() -> None:
    with pytest.raises(ConnectionStringError, match=r"^invalid value '9{35}\.\.\.' for 'Port'"):
        parse(Port="9" * 100)


UNKNOWN = [
    ("Direct=True;Hots=db;Password=secret", 12, "'Hots'", "'Host'"),
    ("Usr=scott", 0, "'Usr'", "'User'"),
    ("Host=h; Service_Nme=x", 8, "'Service_Nme'", "'ServiceName'"),
    ("Connect Timout=5", 0, "'Connect Timout'", "'Connect Timeout'"),
    ("Colour=blue", 0, "'Colour'", None),
]


def test_devarts_pooling_parameter_points_to_connection_pool() -> None:
    with pytest.raises(ConnectionStringError, match=r"^unknown connection parameter 'Pooling' \(pooling is set"
                       r" with devart_oracle.connection_pool.enabled; DisablePooling=True opts one connection out\)"):
        parse("Host=h;Pooling=false")


@pytest.mark.parametrize(("text", "position", "name", "suggestion"), UNKNOWN)
def test_unknown_names_suggest_the_closest(
    text: str, position: int, name: str, suggestion: str | None
) -> None:
    with pytest.raises(ConnectionStringError) as info:
        parse(text)
    first_line = str(info.value).split("\n")[0]
    expected = f"unknown connection parameter {name}"
    if suggestion:
        expected += f" (did you mean {suggestion}?)"
    assert (info.value.position, first_line) == (position, expected)


def test_the_documented_example() -> None:
    with pytest.raises(ConnectionStringError) as info:
        parse("Direct=True;Hots=db;Password=secret")
    assert str(info.value) == (
        "unknown connection parameter 'Hots' (did you mean 'Host'?)\n"
        "    Direct=True;Hots=db;Password=***\n"
        "                ^"
    )


def test_unknown_keyword() -> None:
    with pytest.raises(ConnectionStringError) as info:
        parse("Host=h", hots="db")
    assert info.value.position is None
    assert str(info.value) == "unknown connection parameter 'hots' (did you mean 'Host'?)"


DUPLICATES = [
    ("Host=a;Host=b", 7, "connection parameter 'Host' given twice"),
    ("Host=a;host=b", 7, "connection parameter 'Host' given twice (as 'Host' and as 'host')"),
    ("Host=a;Server=b", 7, "connection parameter 'Host' given twice (as 'Host' and as 'Server')"),
    ("Data Source=a; Server=b", 15, "connection parameter 'Host' given twice"),
    ("Pwd=a;Password=b", 6, "connection parameter 'Password' given twice"),
    ("Host=;Host=b", 6, "connection parameter 'Host' given twice"),
    ("Port=x;Port=1", 5, "invalid value 'x' for 'Port'"),  # the first problem wins
]


@pytest.mark.parametrize(("text", "position", "message"), DUPLICATES)
def test_duplicates(text: str, position: int, message: str) -> None:
    with pytest.raises(ConnectionStringError) as info:
        parse(text)
    assert info.value.position == position
    assert str(info.value).split("\n")[0].startswith(message)


@pytest.mark.parametrize(
    ("text", "params", "message"),
    [
        ("Port=1522", {"Port": 1522}, "(as 'Port' and as keyword 'Port')"),
        ("Port=1522", {"port": "1"}, "(as 'Port' and as keyword 'port')"),
        ("Server=h", {"data_source": "h"}, "(as 'Server' and as keyword 'data_source')"),
        ("", {"user": "a", "uid": "b"}, "(as keyword 'user' and as keyword 'uid')"),
    ],
)
def test_duplicates_with_keywords(text: str, params: dict[str, object], message: str) -> None:
    with pytest.raises(ConnectionStringError) as info:
        parse(text, **params)
    assert info.value.position is None
    assert str(info.value).endswith(message)


def test_error_is_an_operational_error() -> None:
    with pytest.raises(OperationalError):
        parse("Port=x")


def test_non_string_text_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="must be a str, not bytes"):
        parse(b"Host=h")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="must be a str, not list"):
        parse(["Host=h"])  # type: ignore[arg-type]
