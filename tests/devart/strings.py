"""The connection strings both connectors are given: a few hundred, generated.

Each comes from a base string that logs on to the server, changed one way:
a synonym or spelling of a key, case and blanks, quoting, the host
shortcuts, duplicates, bad values, broken syntax, unknown keys. ``{port}``
is filled in by the test. Strings that do not log on (a wrong password,
an unknown service) still count as accepted: only the string is judged.
"""

from __future__ import annotations

from collections.abc import Iterator

__all__ = ["BASE", "strings"]

BASE = ("Direct=True", "Host=127.0.0.1", "Port={port}", "ServiceName=FREEPDB1",
        "UserName=scott", "Password=tiger")

_SPELLINGS = {
    "Direct": ("Direct", "direct", "DIRECT"),
    "Host": ("Host", "Server", "Data Source", "DataSource", "host", "HOST", "Host Name", "HostName",
             "Address", "Addr"),
    "Port": ("Port", "port", "PORT", "Port Number", "PortNumber"),
    "ServiceName": ("ServiceName", "Service Name", "Service_Name", "service name", "SERVICENAME",
                    "Service", "Database", "Initial Catalog"),
    "UserName": ("UserName", "User Name", "User", "User ID", "User Id", "UserId", "UID", "Uid",
                 "Login", "user id", "USER_NAME"),
    "Password": ("Password", "Pwd", "PWD", "password", "Pass", "PassWord", "User Password"),
}

_VALUES = {
    "Direct": ("True", "true", "TRUE", "1", "yes", "Yes", "on", "maybe", "-1", "2", "", " True",
               "True ", "'True'", '"True"', "False", "0"),
    "Port": ("{port}", " {port}", "{port} ", "0{port}", "+{port}", "-1", "0", "65536", "70000",
             "abc", "", "1.5", "15e3", "0x10", "'{port}'", '"{port}"', "99999999999999999999"),
    "Host": ("127.0.0.1", "localhost", "", " 127.0.0.1", "'127.0.0.1'", '"127.0.0.1"',
             "127.0.0.1:{port}", "127.0.0.1:{port}/FREEPDB1", "[127.0.0.1]", "127.0.0.1/FREEPDB1"),
    "ServiceName": ("FREEPDB1", "freepdb1", "", "NOPE", "'FREEPDB1'", '"FREEPDB1"', " FREEPDB1"),
    "UserName": ("scott", "SCOTT", "", "'scott'", '"scott"', " scott", "sc ott", "nobody"),
    "Password": ("tiger", "TIGER", "", "'tiger'", '"tiger"', "ti;ger", "'ti;ger'", '"ti;ger"',
                 "ti=ger", "'it''s'", '"say ""hi"""', "ti ger", "  tiger  ", "'unterminated",
                 '"unterminated'),
}

_EXTRAS = (
    "AutoCommit=True", "AutoCommit=False", "AutoCommit=false", "AutoCommit=1", "AutoCommit=0",
    "AutoCommit=yes", "AutoCommit=no", "AutoCommit=on", "AutoCommit=", "AutoCommit=2",
    "Auto Commit=True", "Autocommit=True", "AUTOCOMMIT=False",
    "Connection Timeout=5", "Connection Timeout=0", "Connection Timeout=-1", "Connection Timeout=abc",
    "Connection Timeout=1.5", "Connection Timeout=", "ConnectionTimeout=5", "Connect Timeout=5",
    "Connection Lifetime=5", "Timeout=5",
    "PoolId=1", "PoolId=0", "PoolId=-1", "PoolId=abc", "PoolId=", "PoolId=1.5", "Pool Id=1",
    "PoolId=123456789012345678", "PoolId=1234567890123456789",
    "DisablePooling=True", "DisablePooling=False", "DisablePooling=maybe", "Disable Pooling=True",
    "DisablePooling=", "DisablePooling=1",
    "ConnectMode=Normal", "ConnectMode=normal", "ConnectMode=SysDBA", "ConnectMode=Bogus",
    "Connect Mode=Normal", "ConnectMode=",
    "Schema=SCOTT", "Schema=", "HomeName=x", "Home=x", "Home Name=x",
    "SID=FREE", "Pooling=True", "Min Pool Size=1", "Max Pool Size=5", "Foo=1", "foo=", "Charset=UTF8",
    "UseUnicode=True", "Unicode=True", "ClientLibrary=x", "Protocol=TCP", "IPVersion=IPv4",
)

_SYNTAX = (
    "{base};", "{base};;", ";{base}", "{base}; ", " {base}", "{base};;;", "{base}; ;",
    "{base};=1", "{base};Direct", "{base};Foo", "{base};=", "{base};Password", "{base}=",
    "{base};Port=={port}", "{base}\n", "{base};\t", "{lower}", "{upper}", "{spaced}",
    "", ";", " ", "=", "garbage", "a=b", "Direct=True", "Direct=True;Host=127.0.0.1",
    "Direct=True;Host=127.0.0.1;Port={port};UserName=scott;Password=tiger",
    "Host=127.0.0.1;Port={port};ServiceName=FREEPDB1;UserName=scott;Password=tiger",
    "Direct=False;Host=127.0.0.1;Port={port};ServiceName=FREEPDB1;UserName=scott;Password=tiger",
    "Direct=True;Server=127.0.0.1:{port}/FREEPDB1;UserName=scott;Password=tiger",
    "Direct=True;Host=127.0.0.1:{port}/FREEPDB1;User ID=scott;Password=tiger",
    "Direct=True;Host=127.0.0.1:{port};ServiceName=FREEPDB1;UserName=scott;Password=tiger",
    "Direct=True;Host=127.0.0.1:{port}/FREEPDB1;Port={port};UserName=scott;Password=tiger",
    "Direct=True;Host=127.0.0.1:{port}/FREEPDB1;ServiceName=FREEPDB1;UserName=scott;Password=tiger",
    "Direct=True;Host=127.0.0.1;Port={port};SID=FREE;UserName=scott;Password=tiger",
    "Direct=True;Host=127.0.0.1;Port={port};SID=FREE;ServiceName=FREEPDB1;UserName=scott;Password=tiger",
    "Direct=True;Host=127.0.0.1;Server=127.0.0.1;Port={port};ServiceName=FREEPDB1;UserName=scott;Password=tiger",
    "Direct=True;Host=127.0.0.1;Port={port};ServiceName=FREEPDB1;UserName=scott;User ID=scott;Password=tiger",
    "Direct=True;Host=127.0.0.1;Port={port};ServiceName=FREEPDB1;UserName=scott;Password=tiger;Pwd=tiger",
    "Direct=True;Host=127.0.0.1;Port={port};ServiceName=FREEPDB1;Service Name=FREEPDB1;UserName=scott;Password=tiger",
    "Direct=True;Host=127.0.0.1;Port={port};ServiceName=FREEPDB1;UserName=scott;Password=tiger;AutoCommit=True;AutoCommit=True",
    "Direct=True;Host=127.0.0.1;Port={port};ServiceName=FREEPDB1;UserName=scott;Password=tiger;PoolId=1;PoolId=2",
    "Direct=True;Host=127.0.0.1;Port={port};ServiceName=FREEPDB1;UserName=scott;Password=tiger;Direct=True",
    "Direct=True;Host=127.0.0.1;Port={port};Port={port};ServiceName=FREEPDB1;UserName=scott;Password=tiger",
    "Direct=True;Host=127.0.0.1;Port={port};ServiceName=FREEPDB1;UserName=scott;Password=tiger;Host=127.0.0.1",
)


def _replace(key: str, text: str) -> str:
    return ";".join(text if part.split("=", 1)[0] == key else part for part in BASE)


def strings() -> Iterator[str]:
    """Every string of the table, once each, with ``{port}`` still to fill."""
    seen: set[str] = set()
    for text in _generate():
        if text not in seen:
            seen.add(text)
            yield text


def _generate() -> Iterator[str]:
    base = ";".join(BASE)
    for key, spellings in _SPELLINGS.items():
        value = next(part for part in BASE if part.startswith(key + "=")).split("=", 1)[1]
        for spelling in spellings:
            yield _replace(key, f"{spelling}={value}")
            yield _replace(key, f" {spelling} = {value} ")
    for key, values in _VALUES.items():
        for value in values:
            yield _replace(key, f"{key}={value}")
    for extra in _EXTRAS:
        yield f"{base};{extra}"
        yield f"{base};{extra.lower()}"
    for pattern in _SYNTAX:
        yield pattern.format(base=base, port="{port}", lower=base.lower(), upper=base.upper().replace("{PORT}", "{port}"),
                             spaced="; ".join(part.replace("=", " = ") for part in BASE))
