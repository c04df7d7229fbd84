"""``import devart_oracle as oracledb``: the names, ``connect()``'s second
language, python-oracledb-shaped errors and its explicit pools' session
semantics (issue 16)."""

from __future__ import annotations

import asyncio
import types
from typing import Any

import oracledb
import pytest

import devart_oracle as do
from devart_oracle import connection_pool
from devart_oracle.testing import OracleTestServer


def _code(exc: BaseException) -> str:
    (error,) = exc.args
    return str(error.full_code)


# -- names ---------------------------------------------------------------------


def test_every_public_name_of_python_oracledb_resolves() -> None:
    ours = {"connect", "connect_async", "create_pool", "create_pool_async", "get_pool", "ConnectionPool",
            "AsyncConnectionPool", "SessionPool", "Connection", "AsyncConnection",
            "apilevel", "threadsafety", "paramstyle"}  # fmt: skip (ours, with python-oracledb's values)
    for name in dir(oracledb):
        value = getattr(oracledb, name)
        if name.startswith("_") or isinstance(value, types.ModuleType):
            continue
        assert name in do.__all__ and name in dir(do), name
        if name not in ours:
            assert getattr(do, name) is value, name
    assert do.SessionPool is do.ConnectionPool
    assert do.Timestamp is oracledb.Timestamp and do.DB_TYPE_NUMBER is oracledb.DB_TYPE_NUMBER


# -- connect() in python-oracledb's language ---------------------------------------


def test_python_oracledb_arguments_are_pooled_as_the_devart_string_is(registry: Any,
                                                                      oracle_server: OracleTestServer) -> None:
    calls = [lambda: do.connect(user="scott", password="tiger", dsn=oracle_server.dsn),
             lambda: do.connect(f"scott/tiger@{oracle_server.dsn}"),
             lambda: do.connect(oracle_server.dsn, user="scott", password="tiger"),
             # python-oracledb's autocommit default (off), not Devart's (on): that is part of the partition
             lambda: do.connect(oracle_server.connection_string("scott") + ";AutoCommit=False")]  # fmt: skip
    for call in calls:
        conn = call()
        conn.close()
    (partition,) = connection_pool.stats()
    assert (partition.user, partition.created) == ("scott", 1)
    with do.connect(user="scott", password="tiger", dsn=oracle_server.dsn) as conn:
        assert not conn.autocommit  # python-oracledb's default


def test_other_python_oracledb_arguments_open_a_standalone_session(oracle_server: OracleTestServer) -> None:
    params = oracledb.ConnectParams(user="scott", password="tiger")
    with do.connect(oracle_server.dsn, params=params) as conn:
        assert "standalone" in repr(conn) and "tiger" not in repr(conn)
        cursor = conn.cursor()
        cursor.execute("select user from dual")
        assert cursor.fetchone() == ("SCOTT",)


def test_the_two_vocabularies_do_not_mix(oracle_server: OracleTestServer) -> None:
    with pytest.raises(do.ConnectionStringError, match=r"'PoolId' are devart names in a python-oracledb style call"):
        do.connect(user="scott", password="tiger", dsn=oracle_server.dsn, PoolId=3)
    with pytest.raises(TypeError, match=r"unknown parameter 'passwrd' \(did you mean 'password'\?\)"):
        do.connect(user="scott", passwrd="tiger", dsn=oracle_server.dsn)


def test_connect_acquires_from_a_pool(oracle_server: OracleTestServer) -> None:
    pool = do.create_pool(user="scott", password="tiger", dsn=oracle_server.dsn, pool_alias="dropin-a")
    with do.connect(pool=pool) as first, do.connect(pool_alias="dropin-a", dsn="ignored") as second:
        assert pool.busy == 2 and first.ping() is None and second.ping() is None
    with pytest.raises(do.ProgrammingError) as both:
        do.connect(pool=pool, pool_alias="dropin-a")
    with pytest.raises(do.ProgrammingError) as unknown:
        do.connect(pool_alias="dropin-none")
    assert (_code(both.value), _code(unknown.value)) == ("DPY-2014", "DPY-2054")
    with pytest.raises(TypeError, match="'mode'"):
        do.connect(pool=pool, mode=oracledb.AUTH_MODE_SYSDBA)
    pool.close()


def test_connect_async(oracle_server: OracleTestServer) -> None:
    async def body() -> None:
        for conn in (await do.connect_async(user="scott", password="tiger", dsn=oracle_server.dsn),
                     await do.connect_async(oracle_server.connection_string("scott"))):  # fmt: skip
            assert isinstance(conn, do.AsyncConnection) and "tiger" not in repr(conn)
            await conn.close()
        pool = do.create_pool_async(user="scott", password="tiger", dsn=oracle_server.dsn, min=0)
        conn = await do.connect_async(pool=pool)
        assert pool.busy == 1
        await conn.close()
        await pool.close()

    asyncio.run(body())


# -- create_pool_async ---------------------------------------------------------------


def test_awaiting_create_pool_async_waits_for_min(oracle_server: OracleTestServer) -> None:
    async def body() -> None:
        pool = await do.create_pool_async(user="scott", password="tiger", dsn=oracle_server.dsn, min=3, max=4)
        assert pool.opened == 3
        await pool.close()
        plain = do.create_pool_async(user="scott", password="tiger", dsn=oracle_server.dsn, min=0)
        assert isinstance(plain, do.AsyncConnectionPool)  # the non-awaited form, as python-oracledb's
        await plain.close()

    asyncio.run(body())


def test_awaiting_create_pool_async_raises_what_kept_it_from_opening(oracle_server: OracleTestServer) -> None:
    async def body() -> None:
        pool = do.create_pool_async(user="scott", password="wrong", dsn=oracle_server.dsn, min=1)
        with pytest.raises(do.DatabaseError) as info:
            await pool
        assert _code(info.value) == "ORA-01017" and "wrong" not in str(info.value)
        await pool.close()

    asyncio.run(body())


# -- errors ----------------------------------------------------------------------------


def test_pool_errors_carry_python_oracledbs_codes_and_classes(oracle_server: OracleTestServer) -> None:
    dsn = oracle_server.dsn
    cases: list[tuple[Any, str, type[BaseException]]] = [
        (lambda: do.create_pool(params="bad"), "DPY-2027", do.ProgrammingError),
        (lambda: do.create_pool(pool_class=int), "DPY-2026", do.ProgrammingError),
        (lambda: do.create_pool(dsn=dsn, connectiontype=int, min=0), "DPY-2023", do.ProgrammingError),
        (lambda: do.create_pool(dsn=dsn, min=3, max=2), "DPY-2064", do.ProgrammingError),
    ]
    for make, code, kind in cases:
        with pytest.raises(kind) as info:
            make()
        assert _code(info.value) == code and str(info.value).startswith(code + ": ")
    for ours in (lambda: do.create_pool(dsn=dsn, homogeneous=False, min=1), lambda: do.connect()):
        with pytest.raises(do.ProgrammingError) as plain:  # no python-oracledb code: the shape all the same
            ours()
        (error,) = plain.value.args
        assert (error.full_code, error.message, error.isrecoverable) == ("", str(plain.value), False)
    with pytest.raises(TypeError, match=r"^unknown parameter 'maxx' \(did you mean 'max'\?\)$"):
        do.create_pool(user="scott", password="tiger", dsn=dsn, maxx=3)
    with pytest.raises(TypeError, match="pool_alias must be a str, not int"):
        do.create_pool(user="scott", password="tiger", dsn=dsn, pool_alias=5)


def test_release_and_closed_pool_errors(oracle_server: OracleTestServer) -> None:
    pool = do.create_pool(user="scott", password="tiger", dsn=oracle_server.dsn, min=0, pool_alias="dropin-b")
    with pytest.raises(do.ProgrammingError) as taken:
        do.create_pool(user="scott", password="tiger", dsn=oracle_server.dsn, pool_alias="dropin-b")
    assert _code(taken.value) == "DPY-2055"
    with pytest.raises(TypeError):
        pool.release(["not a connection"])
    conn = pool.acquire()
    pool.release(conn)
    with pytest.raises(do.InterfaceError) as twice:
        pool.release(conn)
    assert _code(twice.value) == "DPY-1001"
    pool.close()
    with pytest.raises(do.InterfaceError) as closed:
        pool.acquire()
    assert _code(closed.value) == "DPY-1002" and isinstance(closed.value, do.PoolClosedError)


def test_handles_follow_pep_249s_optional_extension_and_second_close(oracle_server: OracleTestServer) -> None:
    conn = do.connect(user="scott", password="tiger", dsn=oracle_server.dsn)
    assert conn.Error is do.Error and conn.NotSupportedError is do.NotSupportedError
    conn.close()
    with pytest.raises(do.InterfaceError) as again:
        conn.close()
    assert _code(again.value) == "DPY-1001"


# -- explicit pools: python-oracledb's session semantics ------------------------------------


def test_an_explicit_pool_keeps_what_borrowers_and_callbacks_set(oracle_server: OracleTestServer) -> None:
    calls: list[str | None] = []

    def callback(conn: Any, tag: str | None) -> None:
        calls.append(tag)
        conn.call_timeout = 4000

    pool = do.create_pool(user="scott", password="tiger", dsn=oracle_server.dsn, min=1, max=1,
                          session_callback=callback)  # fmt: skip
    assert pool.name is None
    with pool.acquire() as conn:
        conn.action = "kept"
    with pool.acquire() as conn:
        assert conn.call_timeout == 4000
        cursor = conn.cursor()
        cursor.execute("select sys_context('userenv', 'action') from dual")
        assert cursor.fetchone() == ("kept",)
    assert calls == [None]  # the untagged session needed it once
    pool.close()


def test_on_connect_callback_runs_on_every_acquire(oracle_server: OracleTestServer) -> None:
    seen: list[Any] = []
    pool = do.create_pool(user="scott", password="tiger", dsn=oracle_server.dsn, min=1, max=1,
                          on_connect_callback=seen.append)  # fmt: skip
    for _ in range(3):
        with pool.acquire() as conn:
            assert seen[-1] is conn
    assert len(seen) == 3
    pool.close()
