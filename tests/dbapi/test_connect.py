"""The DB-API surface of ``connect()``: handles, pass-through, parameters, modes."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import oracledb
import pytest

import devart_oracle
from devart_oracle import Connection, ConnectionStringError, InterfaceError, connect, connection_pool
from tests.fixtures.pooling import wait_for


def scalar(conn, sql: str):
    cursor = conn.cursor()
    cursor.execute(sql)
    return cursor.fetchone()[0]


def test_module_globals():
    assert (devart_oracle.apilevel, devart_oracle.threadsafety, devart_oracle.paramstyle) == ("2.0", 2, "named")


def test_public_names_are_exported_once_and_exist():
    names = devart_oracle.__all__
    assert len(names) == len(set(names))
    for name in names:
        assert hasattr(devart_oracle, name), name


def test_errors_are_one_hierarchy_with_the_driver():
    assert devart_oracle.DatabaseError is oracledb.DatabaseError
    assert devart_oracle.OraOperationalError is devart_oracle.OperationalError
    for own in (devart_oracle.ConnectionStringError, devart_oracle.PoolExhaustedError, devart_oracle.PoolClosedError):
        assert issubclass(own, devart_oracle.OperationalError)
        assert own.__module__ == "devart_oracle"


def test_pass_through_features(registry, oracle_connection_string):
    with connect(oracle_connection_string) as conn:
        assert isinstance(conn, Connection)
        assert conn.version.split(".")[0].isdigit()
        conn.ping()
        assert conn.is_healthy()
        conn.call_timeout = 500
        assert conn.call_timeout == 500
        conn.client_identifier = "me"
        conn.module = "billing"
        conn.action = "close month"
        assert scalar(conn, "select sys_context('USERENV', 'CLIENT_IDENTIFIER') from dual") == "me"
        assert scalar(conn, "select sys_context('USERENV', 'ACTION') from dual") == "close month"
        with pytest.raises(AttributeError, match="module is not readable"):
            conn.module  # noqa: B018
        assert conn.session_id > 0  # anything else python-oracledb offers


def test_connectstring_is_canonical_and_masked(registry, oracle_connection_string):
    with connect(oracle_connection_string) as conn:
        assert "Password=***" in conn.connectstring and "tiger" not in conn.connectstring
        assert "tiger" not in repr(conn)


def test_autocommit_parameter(registry, oracle_connection_string):
    with connect(oracle_connection_string, DisablePooling=True) as setup:
        setup.cursor().execute("create table t_autocommit (x number)")
    with connect(oracle_connection_string, AutoCommit=True) as conn:
        assert conn.autocommit is True
        conn.cursor().execute("insert into t_autocommit values (1)")
    with connect(oracle_connection_string, DisablePooling=True) as other:
        assert scalar(other, "select count(*) from t_autocommit") == 1


def test_schema_parameter_sets_the_current_schema(registry, oracle_connection_string):
    with connect(oracle_connection_string, Schema="HR") as conn:
        assert scalar(conn, "select sys_context('USERENV', 'CURRENT_SCHEMA') from dual") == "HR"


def test_connect_mode_maps_to_python_oracledb():
    params = devart_oracle.connstring.parse("Direct=True;UserName=sys;Password=x;Connect Mode=SysDBA")
    assert params.driver_args()["mode"] == oracledb.AUTH_MODE_SYSDBA


def test_cursors_close_with_their_handle(registry, oracle_connection_string):
    conn = connect(oracle_connection_string)
    cursors = [conn.cursor() for _ in range(3)]
    conn.close()
    for cursor in cursors:
        with pytest.raises(InterfaceError):
            cursor.execute("select 1 from dual")


def test_bad_input_names_the_problem_and_hides_the_password(registry):
    with pytest.raises(ConnectionStringError) as info:
        connect("Direct=True;Hots=db;Password=s3cret")
    assert "did you mean 'Host'" in str(info.value) and "s3cret" not in str(info.value)
    with pytest.raises(ConnectionStringError, match="Port"):
        connect("Direct=True;Host=db;UserName=u;Password=p", Port="many")


def test_wrong_password_is_ora_01017(registry, oracle_server):
    text = oracle_server.connection_string("scott").replace("Password=tiger", "Password=wrong")
    with pytest.raises(devart_oracle.DatabaseError, match="ORA-01017") as info:
        connect(text)
    assert "wrong" not in str(info.value)


def test_dropped_handle_returns_its_session(registry, private_server):
    text = private_server.connection_string("scott")
    conn = connect(text)
    del conn
    assert wait_for(lambda: connection_pool.stats()[0].idle == 1)
    assert connection_pool.stats()[0].busy == 0


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=60, env=env)


def test_direct_false_without_oracle_client_suggests_direct_true():
    result = run_python(
        """
        import devart_oracle
        try:
            devart_oracle.connect("Direct=False;Host=127.0.0.1;Port=1;ServiceName=x;UserName=u;Password=p")
        except devart_oracle.InterfaceError as exc:
            print(type(exc).__name__, exc)
        """
    )
    assert "direct=false needs the oracle client libraries" in result.stdout, result.stderr
    assert "set Direct=True" in result.stdout and "Password" not in result.stdout


def test_exit_hook_logs_off_idle_sessions_and_stops_the_validator(registry, private_server):
    connect(private_server.connection_string("scott")).close()
    assert len(private_server.sessions) == 1
    registry.shutdown()  # what atexit runs
    assert wait_for(lambda: not private_server.sessions)  # logged off while we still live
    assert registry.validator._thread is None or not registry.validator._thread.is_alive()


def test_interpreter_exits_cleanly_with_pooled_sessions(private_server):
    result = run_python(
        f"""
        import devart_oracle
        devart_oracle.connection_pool.enabled = True
        devart_oracle.connect({private_server.connection_string("scott")!r}).close()
        print("pooled")
        """
    )
    assert result.returncode == 0 and result.stdout.strip() == "pooled", result.stderr
    assert "Traceback" not in result.stderr
    assert wait_for(lambda: not private_server.sessions)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_forked_child_never_uses_the_parents_sessions(registry, private_server):
    text = private_server.connection_string("scott")
    conn = connect(text)
    parent_session = scalar(conn, "select sid || ',' || serial# from v$session where sid = sys_context('USERENV', 'SID')")
    conn.close()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report the session it gets, then leave at once
        try:
            with connect(text) as child:
                got = scalar(child, "select sid || ',' || serial# from v$session where sid = sys_context('USERENV', 'SID')")
            os.write(write, str(got).encode())
        finally:
            os._exit(0)
    os.close(write)
    child_session = os.read(read, 100).decode()
    os.waitpid(pid, 0)
    os.close(read)
    assert child_session and child_session != parent_session
    with connect(text) as again:  # the parent's pooled session still works
        assert scalar(again, "select 1 from dual") == 1
