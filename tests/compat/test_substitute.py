"""devart_oracle's pools in python-oracledb's place, against the embedded server."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import oracledb
import pytest

import devart_oracle
from devart_oracle.testing import OracleTestServer
from tests.compat.substitute import REPLACED, substitute

_ORIGINALS = {name: getattr(oracledb, name) for name in (*REPLACED, "connect", "connect_async")}


@pytest.fixture
def substituted() -> Iterator[None]:
    patch = pytest.MonkeyPatch()
    substitute(patch)
    try:
        yield
    finally:
        patch.undo()


def test_the_pool_names_are_devart_oracles_until_undone() -> None:
    patch = pytest.MonkeyPatch()
    substitute(patch)
    for name in ("create_pool", "AsyncConnectionPool", "Connection"):
        assert getattr(oracledb, name) is getattr(devart_oracle, name)
    patch.undo()
    assert {name: getattr(oracledb, name) for name in _ORIGINALS} == _ORIGINALS


@pytest.mark.usefixtures("substituted")
def test_connect_with_a_devart_pool_acquires_from_it(oracle_server: OracleTestServer) -> None:
    pool = oracledb.create_pool(user="scott", password="tiger", dsn=oracle_server.dsn, min=0, max=2)
    try:
        with oracledb.connect(pool=pool) as conn:
            assert isinstance(conn, devart_oracle.Connection)
            assert pool.busy == 1
            conn.tag = "a=b"  # released with this tag: asked for again below
        with oracledb.connect(pool_alias=None, pool=pool, tag="a=b") as conn:
            assert conn.tag == "a=b"
        with pytest.raises(TypeError, match="takes no encoding"):
            oracledb.connect(pool=pool, encoding="utf-8")
    finally:
        pool.close(force=True)


@pytest.mark.usefixtures("substituted")
def test_connect_with_an_alias_finds_devart_pools(oracle_server: OracleTestServer) -> None:
    pool = oracledb.create_pool(user="scott", password="tiger", dsn=oracle_server.dsn, pool_alias="compat-x")
    try:
        with oracledb.connect(pool_alias="compat-x") as conn:
            assert isinstance(conn, devart_oracle.Connection)
        with pytest.raises(oracledb.Error) as caught:  # python-oracledb's own check, reached through
            oracledb.connect(pool=pool, pool_alias="compat-x")
        assert caught.value.args[0].full_code == "DPY-2014"
    finally:
        pool.close(force=True)
    with pytest.raises(oracledb.Error) as caught:
        oracledb.connect(pool_alias="compat-x")
    assert caught.value.args[0].full_code == "DPY-2054"


@pytest.mark.usefixtures("substituted")
def test_connect_without_a_pool_is_python_oracledbs(oracle_server: OracleTestServer) -> None:
    with oracledb.connect(user="scott", password="tiger", dsn=oracle_server.dsn) as conn:
        assert type(conn) is _ORIGINALS["Connection"]
    with pytest.raises(TypeError, match="oracledb.ConnectionPool"):
        oracledb.connect(pool="not a pool object")


@pytest.mark.usefixtures("substituted")
def test_connect_async_with_a_devart_pool_acquires_from_it(oracle_server: OracleTestServer) -> None:
    async def scenario() -> str:
        pool = oracledb.create_pool_async(user="scott", password="tiger", dsn=oracle_server.dsn)
        try:
            async with oracledb.connect_async(pool=pool) as conn:
                assert isinstance(conn, devart_oracle.AsyncConnection)
                with conn.cursor() as cursor:
                    await cursor.execute("select user from dual")
                    (user,) = await cursor.fetchone()
                    return str(user)
        finally:
            await pool.close(force=True)

    assert asyncio.run(scenario()) == "SCOTT"
