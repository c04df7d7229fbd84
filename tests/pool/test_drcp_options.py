"""DRCP settings reach python-oracledb; a pooled server type without a class is warned about.

No round trip here: pools are made with min=0 and connectors without opening.
"""

from __future__ import annotations

import inspect
import warnings

import oracledb
import pytest

import devart_oracle
from devart_oracle import DrcpWarning
from devart_oracle.connstring import parse
from devart_oracle.pool._drcp import source_params, uses_drcp, warn_without_cclass
from devart_oracle.pool._physical import ParamsConnector

DSN = "127.0.0.1:1/FREEPDB1"


def _pool_params(pool: devart_oracle.ConnectionPool) -> oracledb.PoolParams:
    return pool._params  # type: ignore[no-any-return]


def test_create_pool_takes_every_drcp_argument_python_oracledb_takes() -> None:
    ours = inspect.signature(devart_oracle.create_pool).parameters
    theirs = inspect.signature(oracledb.create_pool).parameters
    assert {"cclass", "purity", "server_type", "pool_boundary"} <= set(theirs)
    assert set(theirs) - {"pool_class"} <= set(ours)


def test_explicit_pool_passes_the_drcp_arguments_on() -> None:
    pool = devart_oracle.create_pool(user="scott", password="tiger", dsn=DSN, min=0, server_type="pooled",
                                     cclass="APP", purity=oracledb.PURITY_SELF, pool_boundary="transaction")  # fmt: skip
    params = _pool_params(pool)
    try:
        assert (params.server_type, params.cclass, params.purity, params.pool_boundary) == (
            "pooled", "APP", oracledb.PURITY_SELF, "transaction")  # fmt: skip
        assert pool._connector.drcp is not None  # its sessions come from a source pool
    finally:
        pool.close()


@pytest.mark.parametrize(
    "dsn",
    [
        f"{DSN}:pooled",
        (
            "(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=127.0.0.1)(PORT=1))"
            "(CONNECT_DATA=(SERVICE_NAME=FREEPDB1)(SERVER=POOLED)(POOL_CONNECTION_CLASS=APP)))"
        ),
        f"Host={DSN}:pooled;CClass=APP",
        f"Host={DSN};Server Type=Pooled;Connection Class=APP",
    ],
)
def test_every_form_of_a_dsn_asks_for_a_pooled_server(dsn: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DrcpWarning)  # the Easy Connect form names no class
        pool = devart_oracle.create_pool(dsn=dsn, user="scott", password="tiger", min=0)
    try:
        assert _pool_params(pool).server_type == "pooled"
    finally:
        pool.close()


def test_devart_dsn_and_purity_in_an_explicit_pool() -> None:
    pool = devart_oracle.create_pool(dsn=f"Host={DSN};User=scott;Password=tiger;Server Type=Pooled;"
                                     "Connection Class=APP;Purity=New;Pool Boundary=Statement", min=0)  # fmt: skip
    params = _pool_params(pool)
    try:
        assert (params.cclass, params.purity, params.pool_boundary) == ("APP", oracledb.PURITY_NEW, "statement")
    finally:
        pool.close()


def test_a_pooled_pool_without_a_class_is_warned_about_once() -> None:
    with pytest.warns(DrcpWarning, match=r"pool 'drcp-1' uses drcp without a connection class.*set cclass="):
        pool = devart_oracle.create_pool(user="scott", password="tiger", dsn=f"{DSN}:pooled", min=0,
                                         pool_alias="drcp-1")  # fmt: skip
    pool.close()


def test_no_warning_with_a_class_or_without_drcp() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for kwargs in ({"dsn": f"{DSN}:pooled", "cclass": "APP"}, {"dsn": DSN}):
            devart_oracle.create_pool(user="scott", password="tiger", min=0, **kwargs).close()  # type: ignore[arg-type]


def test_a_partition_without_a_class_is_warned_about_with_the_devart_setting() -> None:
    with pytest.warns(DrcpWarning, match=r"partition poolid:7 .*set Connection Class= in the connection string"):
        connector = ParamsConnector(parse(f"Direct=True;Host={DSN}:pooled;User=scott;Password=tiger;PoolId=7"))
    assert connector.drcp is not None and connector.release is not None


def test_a_partition_with_a_class_or_without_drcp_is_not_warned_about() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pooled = ParamsConnector(parse(f"Direct=True;Host={DSN};Server Type=Pooled;CClass=A;User=u;Password=p"))
        plain = ParamsConnector(parse(f"Direct=True;Host={DSN};User=u;Password=p"))
    assert pooled.drcp is not None
    assert plain.drcp is None and plain.release is None


def test_thick_mode_partitions_are_warned_about_too_but_not_sourced() -> None:
    with pytest.warns(DrcpWarning):
        connector = ParamsConnector(parse(f"Direct=False;Host={DSN}:pooled;User=u;Password=p"))
    assert connector.drcp is None and connector.release is None


def test_the_warning_never_shows_the_password() -> None:
    with pytest.warns(DrcpWarning) as caught:
        ParamsConnector(parse(f"Direct=True;Host={DSN}:pooled;User=u;Password=s3cr3tpw"))
    assert "s3cr3tpw" not in str(caught[0].message)


def test_warn_without_cclass_reads_python_oracledb_parameters() -> None:
    params = oracledb.PoolParams(server_type="pooled")
    assert uses_drcp(params)
    with pytest.warns(DrcpWarning, match="pool 'p'"):
        warn_without_cclass(params, "pool 'p'", "cclass=")
    assert not uses_drcp(oracledb.PoolParams(server_type="dedicated"))


def test_a_source_pool_opens_on_request_only_and_never_pings() -> None:
    params = oracledb.PoolParams(user="u", password="p", min=3, max=4, ping_interval=60, timeout=30,
                                 max_lifetime_session=60, connectiontype=devart_oracle.Connection)  # fmt: skip
    source = source_params(params, asynchronous=False)
    assert (source.min, source.ping_interval, source.timeout, source.max_lifetime_session) == (0, -1, 0, 0)
    assert source.connectiontype is oracledb.Connection
    assert source_params(params, asynchronous=True).connectiontype is oracledb.AsyncConnection
    assert params.min == 3  # the pool's own parameters are left alone
