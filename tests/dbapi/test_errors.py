"""The project's own errors look like python-oracledb's to a handler:
``error, = exc.args`` gives an object with ``message``, ``code`` and ``full_code``."""

from __future__ import annotations

import pytest

import devart_oracle as do
from devart_oracle.connstring import parse


def _info(exc: BaseException) -> do.ErrorInfo:
    (error,) = exc.args
    assert isinstance(error, do.ErrorInfo) and str(error) == str(exc)
    return error


def test_connection_string_error_carries_its_offset():
    with pytest.raises(do.ConnectionStringError) as info:
        parse("Host=db;Hots=x")
    error = _info(info.value)
    assert (error.offset, error.full_code, error.code) == (8, "", 0)


def test_an_exhausted_pool_is_dpy_4005_and_a_closed_one_dpy_1002(private_server):
    pool = do.create_pool(user="scott", password="tiger", dsn=private_server.dsn, min=1, max=1,
                          getmode=do.POOL_GETMODE_NOWAIT)  # fmt: skip
    held = pool.acquire()
    with pytest.raises(do.PoolExhaustedError) as exhausted:
        pool.acquire()
    assert _info(exhausted.value).full_code == "DPY-4005"
    pool.release(held)
    pool.close()
    with pytest.raises(do.PoolClosedError) as closed:
        pool.acquire()
    assert _info(closed.value).full_code == "DPY-1002"


def test_a_failed_open_carries_the_databases_code(private_server):
    pool = do.create_pool(user="scott", password="wrong", dsn=private_server.dsn, min=0, max=1)
    with pytest.raises(do.DatabaseUnavailableError) as info:
        pool.acquire()
    error = _info(info.value)
    assert (error.full_code, error.code) == ("ORA-01017", 1017)
    assert isinstance(info.value.__cause__, do.DatabaseError) and "wrong" not in str(info.value)
    pool.close()


@pytest.mark.parametrize(
    "error",
    [do.PoolExhaustedError("pool 'p' has no free connection", "p"), do.ConnectionStringError("bad name", 3)],
)
def test_errors_survive_pickling_and_copying(error):
    import copy
    import pickle

    for again in (pickle.loads(pickle.dumps(error)), copy.copy(error)):
        assert type(again) is type(error) and str(again) == str(error)
        assert _info(again).full_code == _info(error).full_code
        assert getattr(again, "position", None) == getattr(error, "position", None)


def test_a_failed_open_says_why_in_its_own_message(private_server):
    refused = do.create_pool(user="scott", password="wrong", dsn=private_server.dsn, min=0, max=1)
    with pytest.raises(do.DatabaseUnavailableError, match=r"the database refused the logon: ORA-01017"):
        refused.acquire()
    refused.close()
    host, port = "127.0.0.1", _closed_port()
    unreachable = do.create_pool(user="scott", password="tiger", dsn=f"{host}:{port}/svc", min=0, max=1)
    with pytest.raises(do.DatabaseUnavailableError, match=rf"cannot connect to {host}:{port}: .*refused \(DPY-6005\)"):
        unreachable.acquire()
    unreachable.close()


def _closed_port() -> int:
    import socket

    with socket.socket() as probe:  # bound then closed: nothing listens there now
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
