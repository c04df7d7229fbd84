"""The mapping to python-oracledb's connect arguments."""

from __future__ import annotations

from typing import Any

import oracledb
import pytest

from devart_oracle.connstring import parse

DESCRIPTOR = (
    "(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=dbhost)(PORT=1530))"
    "(CONNECT_DATA=(SERVICE_NAME=svc)))"
)

CASES: list[tuple[str, dict[str, Any]]] = [
    ("", {"host": "localhost", "port": 1521, "sid": "orcl", "mode": oracledb.AUTH_MODE_DEFAULT}),
    (
        "Host=db:1522/svc;User Id=scott;Password=tiger",
        {
            "host": "db",
            "port": 1522,
            "service_name": "svc",
            "user": "scott",
            "password": "tiger",
            "mode": oracledb.AUTH_MODE_DEFAULT,
        },
    ),
    ("Host=db:1522:xe", {"host": "db", "port": 1522, "sid": "xe"}),
    ("Host=tcps://db:2484/svc", {"host": "db", "port": 2484, "service_name": "svc",
                                 "protocol": "tcps"}),  # fmt: skip
    ("Host=[::1]/svc", {"host": "::1", "port": 1521, "service_name": "svc"}),
    ("Connect Timeout=2.5", {"tcp_connect_timeout": 2.5}),
    (f"Host={DESCRIPTOR};User=u", {"dsn": DESCRIPTOR, "user": "u"}),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_driver_args(text: str, expected: dict[str, Any]) -> None:
    args = parse(text).driver_args()
    assert args.items() >= expected.items()


def test_descriptor_passes_no_address_parts() -> None:
    args = parse(f"Host={DESCRIPTOR}").driver_args()
    assert not {"host", "port", "sid", "service_name", "protocol"} & set(args)


MODES = [
    ("Normal", oracledb.AUTH_MODE_DEFAULT),
    ("SysOper", oracledb.AUTH_MODE_SYSOPER),
    ("SysDBA", oracledb.AUTH_MODE_SYSDBA),
    ("SysASM", oracledb.AUTH_MODE_SYSASM),
    ("SysBkp", oracledb.AUTH_MODE_SYSBKP),
    ("SysDG", oracledb.AUTH_MODE_SYSDGD),
    ("SysKM", oracledb.AUTH_MODE_SYSKMT),
]


@pytest.mark.parametrize(("mode", "constant"), MODES)
def test_connect_modes(mode: str, constant: oracledb.AuthMode) -> None:
    assert parse(f"Connect Mode={mode}").driver_args()["mode"] == constant


def test_pool_layer_parameters_are_not_connect_arguments() -> None:
    args = parse("Direct=True;Schema=hr;PoolId=3;DisablePooling=1;AutoCommit=1").driver_args()
    assert set(args) == {"host", "port", "sid", "mode"}


def test_returns_a_fresh_dict() -> None:
    p = parse("Host=db")
    p.driver_args()["host"] = "other"
    assert p.driver_args()["host"] == "db"


def _connect_params(args: dict[str, Any]) -> oracledb.ConnectParams:
    """Build what oracledb.connect() would from these arguments."""
    args = dict(args)
    dsn = args.pop("dsn", None)
    params = oracledb.ConnectParams(**args)
    if dsn is not None:
        params.parse_connect_string(dsn)
    return params


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_accepted_by_python_oracledb(text: str, expected: dict[str, Any]) -> None:
    params = _connect_params(parse(text).driver_args())
    for name, value in expected.items():
        if name == "dsn":
            assert (params.host, params.port, params.service_name) == ("dbhost", 1530, "svc")
        elif name != "password":
            assert getattr(params, name) == value


def test_tls_reaches_the_connect_string() -> None:
    params = _connect_params(parse("Host=tcps://db:2484/svc").driver_args())
    assert "(PROTOCOL=tcps)" in params.get_connect_string()
