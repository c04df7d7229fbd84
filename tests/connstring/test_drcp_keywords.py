"""DRCP in Devart connection strings: the keywords, their arguments, the partition key."""

from __future__ import annotations

from typing import Any

import oracledb
import pytest
from hypothesis import given
from hypothesis import strategies as st

from devart_oracle import ConnectionStringError
from devart_oracle.connstring import parse
from devart_oracle.connstring._keywords import lookup

DESCRIPTOR = (
    "(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=dbhost)(PORT=1530))"
    "(CONNECT_DATA=(SERVICE_NAME=svc)(SERVER=POOLED)(POOL_CONNECTION_CLASS=CC)))"
)

SPELLINGS: list[tuple[str, str, Any]] = [
    ("Server Type=Pooled", "ServerType", "Pooled"),
    ("servertype=POOLED", "ServerType", "Pooled"),
    ("Server_Type=dedicated", "ServerType", "Dedicated"),
    ("Server Type=Shared", "ServerType", "Shared"),
    ("Connection Class=APP", "ConnectionClass", "APP"),
    ("CClass=APP", "ConnectionClass", "APP"),
    ("Pool Connection Class=app", "ConnectionClass", "app"),
    ("Purity=self", "Purity", "Self"),
    ("Pool Purity=NEW", "Purity", "New"),
    ("Purity=Default", "Purity", "Default"),
    ("Pool Boundary=statement", "PoolBoundary", "Statement"),
    ("PoolBoundary=Transaction", "PoolBoundary", "Transaction"),
]


@pytest.mark.parametrize(("text", "name", "value"), SPELLINGS)
def test_spellings_and_case_are_canonical(text: str, name: str, value: Any) -> None:
    assert parse(text)[name] == value


BAD: list[tuple[str, str, int]] = [
    ("Server Type=pool", "expected one of Dedicated, Shared, Pooled", 12),
    ("Purity=old", "expected one of Default, New, Self", 7),
    ("Pool Boundary=call", "expected one of Statement, Transaction", 14),
    ("CClass=a(b", "without '(' or ')'", 7),
    ("CClass=" + "x" * 1025, "at most 1024 characters", 7),
]


@pytest.mark.parametrize(("text", "expected", "position"), BAD)
def test_bad_values_name_the_keyword_and_what_is_allowed(text: str, expected: str, position: int) -> None:
    with pytest.raises(ConnectionStringError) as caught:
        parse(text)
    assert expected in str(caught.value)
    assert caught.value.position == position


def test_keyword_arguments_are_checked_too() -> None:
    with pytest.raises(ConnectionStringError, match="Purity"):
        parse("", Purity="sometimes")
    assert parse("", server_type="pooled", connection_class="A")["ServerType"] == "Pooled"


def test_unset_drcp_keywords_pass_nothing() -> None:
    args = parse("Host=db/svc").driver_args()
    assert not {"server_type", "cclass", "purity", "pool_boundary"} & set(args)


def test_drcp_arguments() -> None:
    args = parse("Host=db/svc;Server Type=Pooled;Connection Class=APP;Purity=Self;Pool Boundary=Transaction").driver_args()
    assert args["server_type"] == "pooled"
    assert args["cclass"] == "APP"
    assert args["purity"] is oracledb.PURITY_SELF
    assert args["pool_boundary"] == "transaction"
    assert parse("Purity=New").driver_args()["purity"] is oracledb.PURITY_NEW
    assert parse("Purity=Default").driver_args()["purity"] is oracledb.PURITY_DEFAULT


def _connect_params(args: dict[str, Any]) -> oracledb.ConnectParams:
    """What oracledb.connect() builds from these arguments (keywords first, then the dsn)."""
    args = dict(args)
    dsn = args.pop("dsn", None)
    params = oracledb.ConnectParams(**args)
    if dsn is not None:
        params.parse_connect_string(dsn)
    return params


EASY_CONNECT = [
    ("Host=db:1522/svc:pooled", "db:1522/svc:pooled", "pooled"),
    ("Host=db/svc:POOLED", "db:1521/svc:POOLED", "pooled"),
    ("Host=db:1522/svc:dedicated", "db:1522/svc:dedicated", "dedicated"),
    ("Host=tcps://[::1]:2484/svc:pooled", "tcps://[::1]:2484/svc:pooled", "pooled"),
    ("Host=db;Port=1530;ServiceName=svc:pooled", "db:1530/svc:pooled", "pooled"),
]


@pytest.mark.parametrize(("text", "dsn", "server_type"), EASY_CONNECT)
def test_easy_connect_server_type_is_left_to_python_oracledb(text: str, dsn: str, server_type: str) -> None:
    args = parse(text).driver_args()
    assert args["dsn"] == dsn
    assert not {"host", "port", "service_name"} & set(args)
    params = _connect_params(args)
    assert (params.server_type, params.service_name) == (server_type, "svc")


def test_a_colon_that_is_not_a_server_type_stays_in_the_service_name() -> None:
    args = parse("Host=db/a:b").driver_args()
    assert args["service_name"] == "a:b" and "dsn" not in args


def test_descriptor_with_server_pooled_is_passed_on_as_is() -> None:
    args = parse(f"Host={DESCRIPTOR};User=u").driver_args()
    assert args["dsn"] == DESCRIPTOR
    params = _connect_params(args)
    assert (params.server_type, params.cclass) == ("pooled", "CC")


def test_keywords_complete_a_descriptor() -> None:
    plain = DESCRIPTOR.replace("(SERVER=POOLED)(POOL_CONNECTION_CLASS=CC)", "")
    params = _connect_params(parse(f"Host={plain};Server Type=Pooled;CClass=K;Purity=New").driver_args())
    assert (params.server_type, params.cclass, params.purity) == ("pooled", "K", oracledb.PURITY_NEW)


# Each DRCP keyword changes what a session is, so each one keeps partitions apart.
PARTITIONING = [
    ("Server Type=Pooled", "Server Type=Dedicated"),
    ("Server Type=Pooled;CClass=A", "Server Type=Pooled;CClass=B"),
    ("Server Type=Pooled;Purity=Self", "Server Type=Pooled;Purity=New"),
    ("Server Type=Pooled;Pool Boundary=Statement", "Server Type=Pooled;Pool Boundary=Transaction"),
    ("Host=db/svc:pooled", "Host=db/svc"),
]


@pytest.mark.parametrize(("one", "other"), PARTITIONING)
def test_drcp_keywords_are_in_the_partition_key(one: str, other: str) -> None:
    assert parse(one).fingerprint != parse(other).fingerprint


def test_spelling_does_not_change_the_partition_key() -> None:
    one = parse("Server Type=pooled;Connection Class=A;Purity=self;Pool Boundary=STATEMENT")
    other = parse("pool boundary=Statement;PURITY=Self;CClass=A;ServerType=POOLED")
    assert one.fingerprint == other.fingerprint


def test_drcp_keywords_round_trip_through_str() -> None:
    text = "Host=db/svc;Server Type=Pooled;Connection Class=A B;Purity=Self;Pool Boundary=Transaction"
    params = parse(text)
    assert parse(str(params)) == params


def test_a_descriptor_setting_wins_over_a_keyword_as_python_oracledb_decides() -> None:
    params = _connect_params(parse(f"Host={DESCRIPTOR};Server Type=Dedicated;CClass=K").driver_args())
    assert (params.server_type, params.cclass) == ("pooled", "CC")


_CLASSES = st.text(st.characters(blacklist_characters="()", blacklist_categories=("Cs",)), min_size=1, max_size=20)
_VALUES = {
    "ServerType": st.sampled_from(["Dedicated", "Shared", "Pooled"]),
    "ConnectionClass": _CLASSES.filter(lambda text: text.strip(" \t\r\n") == text),
    "Purity": st.sampled_from(["Default", "New", "Self"]),
    "PoolBoundary": st.sampled_from(["Statement", "Transaction"]),
}


@given(st.fixed_dictionaries({}, optional=_VALUES), st.randoms())
def test_drcp_values_round_trip_in_any_case_and_spelling(values: dict[str, str], random: Any) -> None:
    segments = []
    for name, value in values.items():
        keyword = lookup(name)
        assert keyword is not None
        written = value if name == "ConnectionClass" else random.choice([value.lower(), value.upper(), value])
        segments.append(f"{random.choice(keyword.spellings)}={_quoted(written)}")
    params = parse(";".join(segments))
    assert {name: params[name] for name in values} == values
    assert parse(str(params)) == params
    assert parse(str(params)).fingerprint == parse("", **values).fingerprint


def _quoted(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'
