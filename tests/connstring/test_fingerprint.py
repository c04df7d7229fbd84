"""The fingerprint: equal for equivalent parameters, different otherwise."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from devart_oracle.connstring import parse

BASE = "Host=db:1522/svc;User Id=scott;Password=tiger"

EQUIVALENT = [
    BASE,
    "password=tiger;USER ID=scott;host=db:1522/svc",  # order and case
    "Server=db;Port=1522;Service Name=svc;Uid=scott;Pwd=tiger",  # spelling, shortcut
    'Host="db:1522/svc";User Id=\'scott\';Password="tiger";',  # quoting
    BASE + ";Direct=False;ConnectMode=Normal;AutoCommit=1",  # defaults written out
    BASE + ";PoolId=9;DisablePooling=True",  # routing parameters do not count
    "  Host = db:1522/svc ;; User Id = scott ; Password = tiger ; ",  # blanks
]


@pytest.mark.parametrize("text", EQUIVALENT)
def test_equivalent_sets_share_a_fingerprint(text: str) -> None:
    assert parse(text).fingerprint == parse(BASE).fingerprint


def test_default_sid_written_out_or_not() -> None:
    assert parse("Host=db").fingerprint == parse("Host=db;SID=orcl").fingerprint
    assert parse("Host=db").fingerprint == parse("Host=db:1521:orcl").fingerprint
    assert parse("Host=db") == parse("Host=db;SID=orcl")
    assert parse("Host=db") != parse("Host=db;SID=ORCL")


def test_keywords_share_the_fingerprint() -> None:
    p = parse(host="db", port="1522", service_name="svc", user_id="scott", password="tiger")
    assert p.fingerprint == parse(BASE).fingerprint


BASE_KEYWORDS: dict[str, object] = {
    "Host": "db",
    "Port": 1522,
    "ServiceName": "svc",
    "UserName": "scott",
    "Password": "tiger",
}

DIFFERENT: list[dict[str, object]] = [
    {"Direct": True},
    {"Host": "db2"},
    {"Host": "DB"},
    {"Host": "tcps://db"},
    {"Port": 1523},
    {"ServiceName": "svc2"},
    {"ServiceName": None, "SID": "svc"},
    {"ServiceName": None},  # SID orcl
    {"UserName": "scott2"},
    {"UserName": None},
    {"Password": "tiger2"},
    {"Password": "Tiger"},
    {"Password": None},
    {"ConnectMode": "SysDBA"},
    {"Schema": "hr"},
    {"HomeName": "client"},
    {"ConnectionTimeout": 5},
    {"AutoCommit": False},
]


@pytest.mark.parametrize("change", DIFFERENT)
def test_any_other_difference_changes_the_fingerprint(change: dict[str, object]) -> None:
    base = parse(**BASE_KEYWORDS)
    assert base.fingerprint == parse(BASE).fingerprint
    changed = parse(**{**BASE_KEYWORDS, **change})
    assert changed != base
    assert changed.fingerprint != base.fingerprint


def test_is_hex() -> None:
    assert re.fullmatch("[0-9a-f]{64}", parse(BASE).fingerprint)


def test_is_keyed_per_process() -> None:
    # The key is a per-process secret: another process gives another value.
    code = "from devart_oracle.connstring import parse; print(parse('Password=x').fingerprint)"
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert other.stdout.strip() != parse("Password=x").fingerprint
