"""ConnectionParameters: the mapping, its strings, equality, properties, cache."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Mapping

import pytest

import devart_oracle.connstring as connstring
from devart_oracle import ConnectionStringError
from devart_oracle.connstring import ConnectionParameters, parse
from devart_oracle.connstring._parameters import CACHE_SIZE, _cached

TEXT = "Host=db:1522/svc;User Id=scott;Password=tiger;Schema=hr;PoolId=7"


def test_exports() -> None:
    assert connstring.__all__ == ["ConnectionParameters", "ConnectionStringError", "parse"]
    assert ConnectionParameters.__module__ == parse.__module__ == "devart_oracle.connstring"
    assert ConnectionStringError.__module__ == "devart_oracle"
    public = {n for n in dir(connstring) if not n.startswith("_")}
    assert public - {"annotations"} == set(connstring.__all__)


def test_is_a_mapping_of_canonical_names_in_table_order() -> None:
    p = parse(TEXT)
    assert isinstance(p, Mapping)
    assert list(p) == [
        "Direct", "Host", "Port", "ServiceName", "UserName", "Password",
        "ConnectMode", "Schema", "PoolId", "DisablePooling", "AutoCommit",
    ]  # fmt: skip
    assert len(p) == 11
    assert p["UserName"] == "scott" and p["Port"] == 1522


@pytest.mark.parametrize("key", ["UserName", "user id", "USER", "uid", "user_name", "User_Id"])
def test_lookup_by_any_spelling(key: str) -> None:
    assert parse(TEXT)[key] == "scott"
    assert key in parse(TEXT)


@pytest.mark.parametrize("key", ["HomeName", "home", "Colour", "", 3, None])
def test_absent_or_unknown_keys(key: object) -> None:
    p = parse(TEXT)
    assert key not in p
    assert p.get(key) is None  # type: ignore[call-overload]
    with pytest.raises(KeyError):
        p[key]  # type: ignore[index]


def test_str_is_the_canonical_string() -> None:
    assert str(parse(TEXT)) == (
        "Direct=False;Host=db;Port=1522;ServiceName=svc;UserName=scott;Password=tiger;"
        "ConnectMode=Normal;Schema=hr;PoolId=7;DisablePooling=False;AutoCommit=True"
    )


def test_str_of_defaults() -> None:
    assert str(parse()) == (
        "Direct=False;Host=localhost;Port=1521;SID=orcl;ConnectMode=Normal;"
        "PoolId=0;DisablePooling=False;AutoCommit=True"
    )


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("plain", "plain"),
        ("a;b", '"a;b"'),
        ('"q"', '"""q"""'),
        ("'q'", "\"'q'\""),
        (" pad", '" pad"'),
        ("pad\t", '"pad\t"'),
        ('in"side', 'in"side'),
        ("a=b", "a=b"),
    ],
)
def test_str_quotes_values_that_need_it(value: str, written: str) -> None:
    p = parse(Schema=value)
    assert f";Schema={written};" in str(p)
    assert parse(str(p)) == p


def test_masked_and_repr_hide_the_password() -> None:
    p = parse(TEXT)
    assert p.masked() == str(p).replace("Password=tiger", "Password=***")
    assert repr(p) == f"ConnectionParameters({p.masked()!r})"


def test_masked_without_password_is_str() -> None:
    p = parse("Host=db")
    assert p.masked() == str(p)


def test_properties() -> None:
    p = parse(TEXT + ";Direct=true;AutoCommit=1")
    assert (p.direct, p.host, p.user, p.schema, p.home_name, p.autocommit) == (
        True, "db", "scott", "hr", None, True,
    )  # fmt: skip
    assert (p.pool_id, p.pooling_disabled) == (7, False)


def test_properties_of_defaults() -> None:
    p = parse()
    assert (p.direct, p.host, p.user, p.schema, p.autocommit, p.pool_id) == (
        False, "localhost", None, None, True, 0,
    )  # fmt: skip


def test_immutable() -> None:
    p = parse(TEXT)
    with pytest.raises(AttributeError):
        p._values = {}  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del p._values
    with pytest.raises(TypeError):
        p["Host"] = "x"  # type: ignore[index]


EQUIVALENT = [
    TEXT,
    "pooliD = 7 ; SCHEMA=hr;pwd='tiger';uid=\"scott\";server=db;port=1522;service name=svc;",
    "Host=db:1522:sn=svc;Direct=0;AutoCommit=true;ConnectMode=normal;DisablePooling=False;"
    "UserName=scott;Password=tiger;Schema=hr;PoolId=7",
]


@pytest.mark.parametrize("text", EQUIVALENT)
def test_equal_and_same_hash_whatever_the_spelling(text: str) -> None:
    assert parse(text) == parse(TEXT)
    assert hash(parse(text)) == hash(parse(TEXT))


def test_keywords_equal_to_text() -> None:
    p = parse(host="db", port=1522, service_name="svc", user="scott", pwd="tiger", schema="hr",
              PoolId=7)  # fmt: skip
    assert p == parse(TEXT)


@pytest.mark.parametrize("change", ["PoolId=8", "DisablePooling=True", "Port=1523"])
def test_equality_covers_routing_parameters(change: str) -> None:
    assert parse(TEXT.replace("PoolId=7", "") + ";" + change) != parse(TEXT)


def test_not_equal_to_other_types() -> None:
    p = parse(TEXT)
    assert p != dict(p)
    assert p != str(p)


def test_usable_as_dict_key() -> None:
    assert {parse(TEXT): 1}[parse(EQUIVALENT[1])] == 1


def test_constructor_parses_without_the_cache() -> None:
    p = ConnectionParameters(TEXT)
    assert p == parse(TEXT) and p is not parse(TEXT)
    with pytest.raises(ConnectionStringError):
        ConnectionParameters("Port=x")


def test_pickle_and_copy() -> None:
    p = parse(TEXT)
    assert pickle.loads(pickle.dumps(p)) == p
    assert copy.copy(p) == p and copy.deepcopy(p) == p


class TestCache:
    def test_same_input_same_object(self) -> None:
        assert parse(TEXT) is parse(TEXT)
        assert parse(TEXT, PoolId=None) is parse(TEXT, PoolId=None)
        assert parse("Host=h", Port=1522) is parse("Host=h", Port=1522)

    def test_keyword_types_are_part_of_the_key(self) -> None:
        assert parse(DisablePooling=1) == parse(DisablePooling=True)
        with pytest.raises(ConnectionStringError):
            parse(Port=True)  # must not hit the cached Port=1
        assert parse(Port=1)["Port"] == 1

    def test_equivalent_but_different_input_is_parsed_again(self) -> None:
        assert parse("Host=h") is not parse("host=h")

    def test_unhashable_keyword_values_bypass_the_cache(self) -> None:
        class Unhashable(str):
            __hash__ = None  # type: ignore[assignment]

        first = parse("Host=h", UserName=Unhashable("scott"))
        assert first == parse("Host=h;UserName=scott")
        assert parse("Host=h", UserName=Unhashable("scott")) is not first

    def test_unhashable_bad_values_still_raise(self) -> None:
        with pytest.raises(ConnectionStringError, match="invalid value \\['a'\\] for 'UserName'"):
            parse(UserName=["a"])

    def test_errors_are_not_cached(self) -> None:
        for _ in range(2):
            with pytest.raises(ConnectionStringError):
                parse("Port=x")

    def test_bounded(self) -> None:
        for n in range(CACHE_SIZE + 10):
            parse(f"Host=h{n}")
        assert _cached.cache_info().currsize == CACHE_SIZE
        assert _cached.cache_info().maxsize == CACHE_SIZE
