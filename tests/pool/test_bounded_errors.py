"""A failed logon says in its own text who could not log on where, and why.

python-oracledb's first line is often only "DPY-6005: cannot connect to
database", with the reason further down or in ``__cause__``; a pool error
quotes that first line. Here every open failure names the user, host, port
and service and carries the driver's reason (the ORA code included), with
the driver's class and code kept.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

import pytest

import devart_oracle as do
from devart_oracle.testing import OracleTestServer


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _cases(server: OracleTestServer) -> list[tuple[str, str, str, str]]:
    """(host:port/service, password, code, reason) of three failed logons."""
    return [
        (server.dsn, "wrong", "ORA-01017", "invalid username/password"),
        (f"{server.host}:{server.port}/NOPE", "tiger", "DPY-6005", "ORA-12514"),
        (f"127.0.0.1:{_free_port()}/FREEPDB1", "tiger", "DPY-6005", "[Errno 111]"),  # refused
    ]


def _devart(dsn: str, password: str) -> str:
    host, rest = dsn.split(":")
    port, service = rest.split("/")
    return f"Direct=True;Host={host};Port={port};ServiceName={service};User Id=scott;Password={password}"


def _failure(call: Callable[[], Any]) -> do.Error:
    with pytest.raises(do.Error) as info:
        call()
    return info.value


def _check(error: do.Error, dsn: str, password: str, code: str, reason: str) -> None:
    text = str(error)
    assert "\n" not in text and f"as 'scott' to {dsn}" in text and reason in text, text
    assert error.args[0].full_code == code and password not in text


def test_connect_names_who_where_and_why(registry: Any, private_server: OracleTestServer) -> None:
    for dsn, password, code, reason in _cases(private_server):
        for pooled in (False, True):
            error = _failure(lambda: do.connect(_devart(dsn, password), DisablePooling=not pooled))
            _check(error, dsn, password, code, reason)


def test_pool_open_failures_name_who_where_and_why(private_server: OracleTestServer) -> None:
    for dsn, password, code, reason in _cases(private_server):
        pool = do.create_pool(user="scott", password=password, dsn=dsn, min=0, max=1,
                              getmode=do.POOL_GETMODE_TIMEDWAIT, wait_timeout=5000)  # fmt: skip
        error = _failure(pool.acquire)
        assert isinstance(error, do.DatabaseUnavailableError)
        _check(error, dsn, password, code, reason)
        assert isinstance(error.__cause__, do.Error) and error.__cause__.__cause__ is not None
        pool.close()


def test_async_pool_open_failures_name_who_where_and_why(private_server: OracleTestServer) -> None:
    import asyncio

    async def run() -> None:
        for dsn, password, code, reason in _cases(private_server):
            pool = do.create_pool_async(user="scott", password=password, dsn=dsn, min=0, max=1)
            with pytest.raises(do.DatabaseUnavailableError) as info:
                await pool.acquire()
            _check(info.value, dsn, password, code, reason)
            await pool.close()

    asyncio.run(run())
