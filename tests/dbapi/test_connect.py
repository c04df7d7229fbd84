"""The DB-API surface of ``connect()``: handles, pass-through, parameters, modes."""

from __future__ import annotations

import gc
import os
import subprocess
import threading
import time
import sys
import textwrap

import oracledb
import pytest

import devart_oracle
from devart_oracle import Connection, ConnectionStringError, InterfaceError, connect, connection_pool
from devart_oracle.pool._upkeep import current
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


def test_autocommit_is_on_by_default_and_off_when_asked(registry, oracle_connection_string):
    with connect(oracle_connection_string) as conn:
        assert conn.autocommit is True  # as Devart's connections: code written for it never commits
    with connect(oracle_connection_string, AutoCommit=False) as conn:
        assert conn.autocommit is False
    with connect(oracle_connection_string + ";AutoCommit=False") as conn:
        assert conn.autocommit is False


def test_explicit_pools_keep_python_oracledbs_default(oracle_connection_string):
    pool = devart_oracle.create_pool(dsn=oracle_connection_string, min=1, max=1)
    try:
        with pool.acquire() as conn:
            assert conn.autocommit is False
    finally:
        pool.close()


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


def _sid(conn) -> str:
    cursor = conn.cursor()
    cursor.execute("select sys_context('USERENV', 'SID') from dual")
    return str(cursor.fetchone()[0])


def test_dropped_handle_returns_its_session(registry, private_server):
    text = private_server.connection_string("scott")
    conn = connect(text)
    sid = _sid(conn)
    del conn
    gc.collect()
    again = connect(text)  # the next checkout takes the dropped session back first
    assert _sid(again) == sid
    assert (connection_pool.stats()[0].busy, connection_pool.stats()[0].opened) == (1, 1)
    again.close()


def test_dropped_handle_with_an_open_transaction_is_logged_off(registry, private_server):
    text = private_server.connection_string("scott") + ";AutoCommit=False"
    conn = connect(text)
    conn.cursor().execute("create table dropped_tx (x number)")
    conn.cursor().execute("insert into dropped_tx values (1)")
    del conn
    gc.collect()
    again = connect(text)
    cursor = again.cursor()
    cursor.execute("select count(*) from dropped_tx")
    assert cursor.fetchone() == (0,)  # not the same session: the logoff rolled it back
    stats = connection_pool.stats()[0]
    assert (stats.destroyed["dropped"], stats.destroyed["invalid"]) == (1, 0)  # not broken: no suspicion
    again.close()
    assert wait_for(lambda: len(private_server.sessions) == 1)


def test_a_cursor_keeps_its_handle_and_session(registry, private_server):
    cursor = connect(private_server.connection_string("scott")).cursor()
    gc.collect()
    cursor.execute("select 1 from dual")
    assert cursor.fetchone() == (1,)


def test_collector_inside_the_pool_lock_does_not_deadlock(registry, private_server):
    # Dropped handles in reference cycles, collected while a thread holds the
    # partition's lock (core calls allocate): __del__ must take no lock.
    class Holder:
        def __init__(self, conn) -> None:
            self.conn, self.me = conn, self

    text = private_server.connection_string("scott")
    threshold = gc.get_threshold()
    deadline = time.monotonic() + 2.0
    done = []

    def work(n: int) -> None:
        while time.monotonic() < deadline:
            if n % 2:
                Holder(connect(text))
            else:
                connect(text).close()
        done.append(n)

    gc.set_threshold(5, 1, 1)
    try:
        threads = [threading.Thread(target=work, args=(n,), daemon=True) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
    finally:
        gc.set_threshold(*threshold)
    assert sorted(done) == [0, 1, 2, 3], "a thread hung"
    gc.collect()
    connect(text).close()  # takes the orphans back
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
    validator = current().validator
    registry.shutdown()  # what atexit runs
    assert wait_for(lambda: not private_server.sessions)  # logged off while we still live
    assert validator._thread is None or not validator._thread.is_alive()


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
def test_a_child_that_exits_normally_leaves_the_parents_sessions_alone(private_server):
    result = run_python(
        f"""
        import os, sys
        import devart_oracle
        devart_oracle.connection_pool.enabled = True
        text = {private_server.connection_string("scott")!r}
        busy = devart_oracle.connect(text)
        devart_oracle.connect(text).close()  # one idle session too
        pid = os.fork()
        if pid == 0:
            try:
                busy.cursor()
            except devart_oracle.Error:
                pass  # the parent's session is not the child's to use
            sys.exit(0)  # a normal exit: interpreter shutdown, finalizers and all
        os.waitpid(pid, 0)
        cursor = busy.cursor()
        cursor.execute("select 1 from dual")
        idle = devart_oracle.connect(text)
        other = idle.cursor()
        other.execute("select 2 from dual")
        print(cursor.fetchone()[0], other.fetchone()[0])
        """
    )
    assert result.returncode == 0 and result.stdout.split() == ["1", "2"], result.stderr


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


def test_session_attributes_pass_through_and_are_reset_on_release(registry, private_server):
    text = private_server.connection_string("scott")
    conn = connect(text)
    session = conn._conn

    def handler(cursor, metadata):  # pragma: no cover - only stored
        return None

    conn.outputtypehandler = handler
    conn.stmtcachesize = 5
    conn.clientinfo = "billing"
    assert (conn.outputtypehandler, conn.stmtcachesize) == (handler, 5)
    with pytest.raises(AttributeError, match="clientinfo is not readable"):
        conn.clientinfo  # noqa: B018
    conn.close()
    assert (session.outputtypehandler, session.stmtcachesize) == (None, 20)
    again = connect(text)
    assert again._conn is session  # reset, so fit to lend again
    again.close()


def test_a_changed_current_schema_is_not_lent_again(registry, private_server):
    text = private_server.connection_string("scott")
    conn = connect(text)
    conn.current_schema = "SCOTT"
    session = conn._conn
    conn.close()  # cannot be put back without a round trip: logged off
    again = connect(text)
    assert again._conn is not session
    again.close()


def test_a_closed_handle_refuses_with(registry, private_server):
    conn = connect(private_server.connection_string("scott"))
    conn.close()
    with pytest.raises(InterfaceError, match="the connection is closed"):
        with conn:
            pass


def test_direct_false_after_direct_true_says_one_mode_per_process(private_server):
    text = private_server.connection_string("scott")
    result = run_python(
        f"""
        import devart_oracle
        devart_oracle.connect({text!r}).close()
        try:
            devart_oracle.connect({text.replace("Direct=True", "Direct=False")!r})
        except devart_oracle.InterfaceError as exc:
            print(exc)
        """
    )
    assert "a process uses one mode only" in result.stdout, result.stderr
    assert "tiger" not in result.stdout
