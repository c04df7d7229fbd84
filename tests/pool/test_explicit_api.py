"""The explicit pools' API against python-oracledb 26's: creation, parameters,
properties, argument checks and errors. Behaviour shared by the sync and
asyncio pools is in ``test_explicit_pools.py``; these are mostly sync."""

from __future__ import annotations

import asyncio
import inspect
import logging
from typing import Any

import oracledb
import pytest

import devart_oracle as do
from devart_oracle import InterfaceError, PoolClosedError, ProgrammingError
from tests.fixtures.pooling import wait_for

SECRET = "tiger"


def scalar(conn: Any, sql: str) -> Any:
    cursor = conn.cursor()
    cursor.execute(sql)
    return cursor.fetchone()[0]


def make(server: Any, **kwargs: Any) -> do.ConnectionPool:
    kwargs = {"user": "scott", "password": SECRET, "dsn": server.dsn, "min": 0, **kwargs}
    return do.create_pool(**kwargs)


# -- creation: signature and parameters ------------------------------------


@pytest.mark.parametrize(
    "ours, theirs", [(do.create_pool, oracledb.create_pool), (do.create_pool_async, oracledb.create_pool_async)]
)
def test_create_signature_is_python_oracledbs(ours: Any, theirs: Any) -> None:
    mine = list(inspect.signature(ours).parameters.values())
    reference = list(inspect.signature(theirs).parameters.values())
    assert [p.name for p in mine[:-1]] == [p.name for p in reference]
    assert [(p.kind, p.default) for p in mine[4:-1]] == [(p.kind, None) for p in reference[4:]]
    assert (mine[0].name, mine[0].kind, mine[0].default) == ("dsn", inspect.Parameter.POSITIONAL_OR_KEYWORD, None)
    assert mine[-1].kind is inspect.Parameter.VAR_KEYWORD  # devart parameter names


def test_reconfigure_signature_is_python_oracledbs() -> None:
    mine = inspect.signature(do.ConnectionPool.reconfigure).parameters
    assert list(mine) == list(inspect.signature(oracledb.ConnectionPool.reconfigure).parameters)
    assert list(inspect.signature(do.AsyncConnectionPool.reconfigure).parameters) == list(mine)


def test_an_argument_equal_to_the_default_still_overrides_params(oracle_server: Any) -> None:
    params = do.PoolParams(min=0, max=5, increment=3, ping_interval=7)
    pool = make(oracle_server, params=params, max=2, increment=1, ping_interval=60)
    assert (pool.max, pool.increment, pool.ping_interval) == (2, 1, 60)
    assert (params.max, params.increment) == (5, 3)  # the caller's params are not changed
    pool.close()


def test_params_carry_connect_fields_and_the_password(oracle_server: Any) -> None:
    params = do.PoolParams(
        user="scott", password=SECRET, host=oracle_server.host, port=oracle_server.port,
        service_name=oracle_server.service_name, program="api-test", min=0, max=1,
    )
    pool = do.create_pool(params=params)
    with pool.acquire() as conn:
        assert scalar(conn, "select sys_context('USERENV', 'CLIENT_PROGRAM_NAME') from dual") == "api-test"
        assert scalar(conn, "select user from dual") == "SCOTT"
    assert pool.username == "scott" and SECRET not in str(pool.dsn)
    pool.close()


def test_params_parse_connect_string_and_set_reach_the_pool(oracle_server: Any) -> None:
    params = do.PoolParams()
    params.parse_connect_string(oracle_server.dsn)
    params.set(user="scott", password=SECRET, min=0, max=3, getmode=do.POOL_GETMODE_NOWAIT)
    pool = do.create_pool(params=params)
    assert (pool.max, pool.getmode) == (3, oracledb.PoolGetMode.NOWAIT)
    assert pool.dsn == params.get_connect_string()
    with pool.acquire() as conn:
        assert scalar(conn, "select sys_context('USERENV', 'SERVICE_NAME') from dual") == oracle_server.service_name
    pool.close()


def test_session_callback_and_connectiontype_come_from_params(oracle_server: Any) -> None:
    class Tracked(do.Connection):
        __slots__ = ()

    calls: list[str | None] = []
    params = do.PoolParams(session_callback=lambda conn, tag: calls.append(tag), connectiontype=Tracked)
    pool = make(oracle_server, params=params)
    conn = pool.acquire(tag="a=1")
    assert isinstance(conn, Tracked) and calls == ["a=1"]
    pool.release(conn)
    pool.close()


def test_connect_fields_as_keyword_arguments(oracle_server: Any) -> None:
    pool = do.create_pool(
        user="scott", password=SECRET, host=oracle_server.host, port=oracle_server.port,
        service_name=oracle_server.service_name, machine="api-host", min=0,
    )
    with pool.acquire() as conn:
        assert scalar(conn, "select sys_context('USERENV', 'HOST') from dual") == "api-host"
    pool.close()


def test_devart_names_as_keyword_arguments(oracle_server: Any) -> None:
    pool = do.create_pool(
        Direct=True, Host=oracle_server.host, Port=oracle_server.port, ServiceName=oracle_server.service_name,
        UserName="scott", Password=SECRET, min=0, stmtcachesize=5,
    )
    assert pool.username == "scott" and SECRET not in pool.dsn
    with pool.acquire() as conn:
        assert scalar(conn, "select user from dual") == "SCOTT" and conn.stmtcachesize == 5
    pool.close()
    with pytest.raises(ProgrammingError, match="ServiceName need a devart dsn"):
        do.create_pool(dsn=oracle_server.dsn, ServiceName="x")


def test_devart_dsn_with_python_oracledb_options(oracle_server: Any) -> None:
    pool = do.create_pool(oracle_server.connection_string("scott"), min=0, max=3, program="devart-dsn")
    assert (pool.max, pool.username) == (3, "scott") and SECRET not in pool.dsn
    with pool.acquire() as conn:
        assert scalar(conn, "select sys_context('USERENV', 'CLIENT_PROGRAM_NAME') from dual") == "devart-dsn"
    pool.close()


# -- credentials in the dsn --------------------------------------------------


def test_dsn_with_credentials_never_shows_the_password(oracle_server: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="devart_oracle")
    pool = do.create_pool(f"scott/{SECRET}@{oracle_server.dsn}", min=1, max=1)
    assert (pool.dsn, pool.username) == (oracle_server.dsn, "scott")
    with pool.acquire() as conn:
        assert scalar(conn, "select user from dual") == "SCOTT"
        shown = [repr(pool), repr(conn), conn.connectstring, pool.dsn, pool.tnsentry]
    pool.close()
    assert not [text for text in shown if SECRET in text]
    assert SECRET not in caplog.text


def test_dsn_with_credentials_and_a_user_argument_is_refused(oracle_server: Any) -> None:
    with pytest.raises(ProgrammingError, match="credentials") as info:
        do.create_pool(f"scott/{SECRET}@{oracle_server.dsn}", user="adams")
    assert SECRET not in str(info.value)


def test_dsn_with_a_user_only_takes_the_password_argument(oracle_server: Any) -> None:
    pool = do.create_pool(f"scott@{oracle_server.dsn}", password=SECRET, min=0)
    with pool.acquire() as conn:
        assert scalar(conn, "select user from dual") == "SCOTT"
    assert pool.username == "scott"
    pool.close()


# -- properties ----------------------------------------------------------------


def test_every_property_has_its_value(oracle_server: Any) -> None:
    pool = make(
        oracle_server, min=1, max=4, increment=2, getmode=do.POOL_GETMODE_TIMEDWAIT, timeout=30, wait_timeout=250,
        max_lifetime_session=600, max_sessions_per_shard=3, soda_metadata_cache=True, ping_interval=15,
        ping_timeout=750, stmtcachesize=12, pool_alias="api-props",
    )
    assert wait_for(lambda: pool.opened == 1)
    expected = {
        "min": 1, "max": 4, "increment": 2, "getmode": oracledb.PoolGetMode.TIMEDWAIT, "homogeneous": True,
        "timeout": 30, "wait_timeout": 250, "max_lifetime_session": 600, "max_sessions_per_shard": 3,
        "soda_metadata_cache": True, "ping_interval": 15, "ping_timeout": 750, "stmtcachesize": 12,
        "name": "api-props", "dsn": oracle_server.dsn, "tnsentry": oracle_server.dsn, "username": "scott",
        "thin": True, "opened": 1, "busy": 0,
    }
    assert {name: getattr(pool, name) for name in expected} == expected
    assert type(pool.getmode) is oracledb.PoolGetMode
    conn = pool.acquire()
    assert (pool.busy, pool.opened) == (1, 1)
    pool.release(conn)
    pool.close()


def test_python_oracledb_defaults(oracle_server: Any) -> None:
    pool = do.create_pool(user="scott", password=SECRET, dsn=oracle_server.dsn)
    reference = oracledb.PoolParams()
    for name in ("min", "max", "increment", "getmode", "homogeneous", "timeout", "wait_timeout",
                 "max_lifetime_session", "max_sessions_per_shard", "soda_metadata_cache", "ping_interval",
                 "ping_timeout", "stmtcachesize"):
        assert getattr(pool, name) == getattr(reference, name), name
    assert pool.getmode is oracledb.POOL_GETMODE_WAIT
    pool.close()


def test_constants_are_python_oracledbs() -> None:
    for name in ("POOL_GETMODE_WAIT", "POOL_GETMODE_NOWAIT", "POOL_GETMODE_FORCEGET", "POOL_GETMODE_TIMEDWAIT",
                 "PURITY_DEFAULT", "PURITY_NEW", "PURITY_SELF", "PoolParams"):
        assert getattr(do, name) is getattr(oracledb, name), name


SETTABLE = {
    "timeout": 9, "getmode": do.POOL_GETMODE_NOWAIT, "wait_timeout": 40, "max_lifetime_session": 90,
    "max_sessions_per_shard": 2, "soda_metadata_cache": True, "ping_interval": -1, "stmtcachesize": 3,
}


@pytest.mark.parametrize("name, value", SETTABLE.items())
def test_settable_properties(oracle_server: Any, name: str, value: Any) -> None:
    pool = make(oracle_server)
    setattr(pool, name, value)
    assert getattr(pool, name) == value
    with pytest.raises(TypeError, match=f"invalid value 'x' for {name}"):  # python-oracledb's class too
        setattr(pool, name, "x")
    assert getattr(pool, name) == value
    pool.close()


def test_stmtcachesize_reaches_new_sessions(oracle_server: Any) -> None:
    pool = make(oracle_server, stmtcachesize=7)
    conn = pool.acquire()
    assert conn.stmtcachesize == 7
    pool.reconfigure(stmtcachesize=9)
    pool.drop(conn)
    with pool.acquire() as conn:
        assert conn.stmtcachesize == 9 and pool.stmtcachesize == 9
    pool.close()


# -- bad values -----------------------------------------------------------------

#: A value of the wrong type is a TypeError (as python-oracledb raises), one out of range a ProgrammingError.
BAD = [
    ({"ping_interval": "abc"}, TypeError, r"invalid value 'abc' for ping_interval: expected an integer"),
    ({"ping_interval": 1.5}, TypeError, r"invalid value 1\.5 for ping_interval: expected an integer"),
    ({"getmode": 9}, ProgrammingError, r"invalid value 9 for getmode: expected one of POOL_GETMODE_WAIT \(0\)"),
    ({"min": -1}, ProgrammingError, r"invalid value -1 for min: expected an integer from 0"),
    ({"max": 0}, ProgrammingError, r"invalid value 0 for max: expected an integer from 1"),
    ({"min": 5, "max": 3}, ProgrammingError,
     r"^DPY-2064: parameter 'max' should be greater than or equal to parameter 'min' \(min=5, max=3\)"),
    ({"timeout": 2**32}, ProgrammingError,
     r"invalid value 4294967296 for timeout: expected an integer from 0 to 4294967295"),
    ({"wait_timeout": True}, TypeError, r"invalid value True for wait_timeout: expected an integer from 0"),
    ({"soda_metadata_cache": "yes"}, TypeError, r"invalid value 'yes' for soda_metadata_cache: expected True or False"),
    ({"stmtcachesize": -2}, ProgrammingError, r"invalid value -2 for stmtcachesize: expected an integer from 0"),
]


@pytest.mark.parametrize("kwargs, kind, message", BAD)
def test_bad_reconfigure_changes_nothing(
    oracle_server: Any, kwargs: dict[str, Any], kind: type[Exception], message: str
) -> None:
    pool = make(oracle_server, max=3, ping_interval=20)
    names = ("min", "max", "getmode", "ping_interval", "timeout", "stmtcachesize")
    before = {name: getattr(pool, name) for name in names}
    with pytest.raises(kind, match=message):
        pool.reconfigure(**{"min": 1, **kwargs})  # a valid change beside the bad one is not applied either
    assert {name: getattr(pool, name) for name in before} == before
    pool.reconfigure(min=0, max=2)  # the pool still works
    assert (pool.min, pool.max) == (0, 2)
    pool.close()


@pytest.mark.parametrize(
    "kwargs, kind, message", [*BAD, ({"homogeneous": "no"}, TypeError, r"invalid value 'no' for homogeneous")]
)
def test_bad_creation_values_are_refused(
    oracle_server: Any, kwargs: dict[str, Any], kind: type[Exception], message: str
) -> None:
    with pytest.raises(kind, match=message):
        make(oracle_server, pool_alias="api-bad", **kwargs)
    assert do.get_pool("api-bad") is None


def test_a_dsn_must_be_a_string() -> None:
    with pytest.raises(ProgrammingError, match="^dsn must be a string, not int$"):
        do.create_pool(dsn=123, user="scott", password="tiger")


def test_pool_class_and_params_are_checked(oracle_server: Any) -> None:
    class Mine(do.ConnectionPool):
        pass

    pool = make(oracle_server, pool_class=Mine)
    assert type(pool) is Mine
    pool.close()
    with pytest.raises(ProgrammingError, match="pool_class must be a subclass of ConnectionPool, not int"):
        make(oracle_server, pool_class=int)
    with pytest.raises(ProgrammingError, match="pool_class must be a subclass of AsyncConnectionPool"):
        do.create_pool_async(dsn=oracle_server.dsn, pool_class=do.ConnectionPool)
    with pytest.raises(ProgrammingError, match="params must be a PoolParams, not ConnectParams"):
        make(oracle_server, params=oracledb.ConnectParams())
    with pytest.raises(ProgrammingError, match="connectiontype must be a subclass of Connection"):
        make(oracle_server, connectiontype=do.AsyncConnection)


# -- closed pools and released connections ---------------------------------------


def test_reconfigure_on_a_closed_pool_raises_what_acquire_raises(oracle_server: Any) -> None:
    pool = make(oracle_server)
    pool.close()
    with pytest.raises(PoolClosedError) as acquiring:
        pool.acquire()
    with pytest.raises(PoolClosedError) as reconfiguring:
        pool.reconfigure(max=3)
    assert str(reconfiguring.value) == str(acquiring.value)


def test_a_released_connection_cannot_be_released_or_dropped_again(oracle_server: Any) -> None:
    pool = make(oracle_server)
    conn = pool.acquire()
    pool.release(conn)
    with pytest.raises(InterfaceError, match="already released"):
        pool.release(conn)
    with pytest.raises(InterfaceError, match="already released"):
        pool.drop(conn)
    closed = pool.acquire()
    closed.close()
    with pytest.raises(InterfaceError, match="already released"):
        pool.release(closed)
    pool.close()


# -- heterogeneous pools ----------------------------------------------------------


def test_heterogeneous_pool_with_min_needs_a_user_at_creation(private_server: Any) -> None:
    with pytest.raises(ProgrammingError, match="heterogeneous.*min=2.*no user"):
        do.create_pool(dsn=private_server.dsn, homogeneous=False, min=2, max=3)
    pool = do.create_pool(user="scott", password="tiger", dsn=private_server.dsn, homogeneous=False, min=2, max=3)
    assert wait_for(lambda: pool.opened == 2)
    assert sorted(s.username for s in private_server.sessions) == ["SCOTT", "SCOTT"]
    with pool.acquire(user="adams", password="wood") as conn:
        assert scalar(conn, "select user from dual") == "ADAMS"
    pool.close()


def test_heterogeneous_pool_without_a_user_needs_one_per_acquire(private_server: Any) -> None:
    pool = do.create_pool(dsn=private_server.dsn, homogeneous=False, min=0, max=2)
    assert pool.dsn == private_server.dsn and pool.username is None
    with pytest.raises(ProgrammingError, match="pass user and password to acquire"):
        pool.acquire()
    pool.close()


# -- context managers and the alias cache ------------------------------------------


def test_sync_context_managers(oracle_server: Any) -> None:
    with make(oracle_server, max=1) as pool:
        with pool.acquire() as conn:
            assert scalar(conn, "select 1 from dual") == 1 and pool.busy == 1
        assert pool.busy == 0
        with pytest.raises(InterfaceError):
            conn.cursor()
        held = pool.acquire()
    with pytest.raises(PoolClosedError):
        pool.acquire()
    assert held is not None


def test_asyncio_acquire_lends_an_idle_session_at_once_and_returns_the_connection(oracle_server: Any) -> None:
    async def body() -> None:
        pool = do.create_pool_async(user="scott", password=SECRET, dsn=oracle_server.dsn, min=1, max=2)
        async with pool.acquire() as first:  # the first use starts the upkeep task
            assert await first.cursor().execute("select 1 from dual") is not None
        got = pool.acquire()  # an idle session at hand, nothing to run for it: lent at the call
        assert isinstance(got, do.AsyncConnection) and pool.busy == 1
        assert await got is got
        await pool.release(got)
        async with pool.acquire() as conn:
            assert pool.busy == 1 and isinstance(conn, do.AsyncConnection)
        assert pool.busy == 0
        pool.acquire()  # never awaited: its connection goes back once collected
        for _ in range(100):
            if pool.busy == 0:
                break
            await asyncio.sleep(0.01)
        assert pool.busy == 0 and pool.opened == 1
        await pool.close()

    asyncio.run(asyncio.wait_for(body(), 30))


def test_asyncio_acquire_with_a_callback_acquires_when_awaited(oracle_server: Any) -> None:
    called: list[Any] = []

    async def body() -> None:
        pool = do.create_pool_async(user="scott", password=SECRET, dsn=oracle_server.dsn, min=1, max=1,
                                    session_callback=lambda conn, tag: called.append(tag))  # fmt: skip
        await pool.release(await pool.acquire())
        pending = pool.acquire()  # the callback may have to run: nothing is lent yet
        assert not isinstance(pending, do.AsyncConnection) and pool.busy == 0
        conn = await pending
        assert isinstance(conn, do.AsyncConnection) and pool.busy == 1 and called == [None]
        await pool.release(conn)
        await pool.close()

    asyncio.run(asyncio.wait_for(body(), 30))


def test_get_pool(oracle_server: Any) -> None:
    assert do.get_pool("api-missing") is None
    pool = make(oracle_server, pool_alias="api-alias")
    assert do.get_pool("api-alias") is pool and pool.name == "api-alias"
    pool.close()
    assert do.get_pool("api-alias") is None
    again = make(oracle_server, pool_alias="api-alias")  # the alias is free again
    assert do.get_pool("api-alias") is again
    again.close()
