"""``connect()`` pooling against the embedded server, with server-side evidence.

Reuse is proven by the session id the server reports
(``SYS_CONTEXT('USERENV','SID')``), leaks and logoffs by the server's live
sessions, failures by killing sessions, dropping sockets and stopping the
server.
"""

from __future__ import annotations

import threading

import pytest

import devart_oracle
from devart_oracle import DatabaseError, InterfaceError, connect, connection_pool

from devart_oracle.pool._physical import ParamsConnector
from devart_oracle.pool._upkeep import current
from tests.fixtures.pooling import wait_for


def sid(conn) -> tuple[int, int]:
    """The session's identity on the server: (SID, SERIAL#), as Oracle has it."""
    cursor = conn.cursor()
    cursor.execute("select sid, serial# from v$session where sid = sys_context('USERENV', 'SID')")
    return tuple(cursor.fetchone())


def live(server, user: str = "SCOTT") -> int:
    return sum(1 for s in server.sessions if s.username == user)


def test_pooled_connections_reuse_one_session(registry, private_server):
    cs = private_server.connection_string("scott")
    sids = []
    for _ in range(5):
        with connect(cs) as conn:
            sids.append(sid(conn))
    assert len(set(sids)) == 1
    assert private_server.logons == 1 and live(private_server) == 1


def test_unpooled_connections_log_off_on_close(registry, private_server):
    registry.enabled = False
    cs = private_server.connection_string("scott")
    first = connect(cs)
    first_sid = sid(first)
    first.close()
    assert wait_for(lambda: live(private_server) == 0)
    with connect(cs) as second:
        assert sid(second) != first_sid


def test_disable_pooling_opts_out(registry, private_server):
    cs = private_server.connection_string("scott")
    for _ in range(2):
        connect(cs, DisablePooling=True).close()
    assert private_server.logons == 2
    assert wait_for(lambda: live(private_server) == 0)
    assert connection_pool.stats() == []


def test_partitions_follow_parameters(registry, private_server):
    scott = private_server.connection_string("scott")
    adams = private_server.connection_string("adams")
    reordered = ";".join(reversed(scott.split(";")))
    for text, params in [(scott, {}), (reordered, {}), (adams, {}), (scott, {"PoolId": 7}), (scott, {"Schema": "HR"})]:
        connect(text, **params).close()
    stats = connection_pool.stats()
    assert len(stats) == 4
    assert {(s.pool_id, s.user) for s in stats} == {(0, "scott"), (0, "adams"), (7, "scott")}
    assert len(connection_pool[7].stats()) == 1
    assert all("tiger" not in repr(s) and "wood" not in repr(s) for s in stats)


def test_close_rolls_back_and_other_sessions_never_saw_it(registry, private_server):
    cs = private_server.connection_string("scott") + ";AutoCommit=False"
    with connect(cs, DisablePooling=True) as setup:
        setup.cursor().execute("create table t_rollback (x number)")
    conn = connect(cs)
    conn.cursor().execute("insert into t_rollback values (1)")
    with connect(cs) as other:
        cursor = other.cursor()
        cursor.execute("select count(*) from t_rollback")
        assert cursor.fetchone()[0] == 0
    conn.close()
    with connect(cs) as again:
        cursor = again.cursor()
        cursor.execute("select count(*) from t_rollback")
        assert cursor.fetchone()[0] == 0
        assert not again.transaction_in_progress


def test_closed_handle_and_its_cursors_are_unusable(registry, private_server):
    conn = connect(private_server.connection_string("scott"))
    cursor = conn.cursor()
    conn.close()
    for action in (conn.close, conn.cursor, conn.commit, conn.rollback, conn.ping):  # a second close too (PEP 249)
        with pytest.raises(InterfaceError, match="the connection is closed"):
            action()
    with pytest.raises(InterfaceError):
        cursor.execute("select 1 from dual")
    with pytest.raises(InterfaceError):
        conn.autocommit  # noqa: B018
    assert live(private_server) == 1  # the session lives on in the pool


def test_a_handle_keeps_no_cursor_it_dropped_and_closes_those_it_kept(registry, private_server):
    conn = connect(private_server.connection_string("scott"))
    kept = [conn.cursor() for _ in range(3)]
    for _ in range(1000):  # cursor after cursor, each dropped at once (collected by reference counting)
        conn.cursor().execute("select 1 from dual")
    assert len(conn._cursors) <= 2 * 64  # pruned at 64, 128, 256...: only the live ones stay for long
    conn.close()
    for cursor in kept:
        with pytest.raises(InterfaceError):
            cursor.execute("select 1 from dual")


def test_max_size_caps_what_is_kept_not_what_is_open(registry, private_server):
    connection_pool.max_size = 2
    cs = private_server.connection_string("scott")
    conns = [connect(cs) for _ in range(5)]
    assert live(private_server) == 5
    for conn in conns:
        conn.close()
    assert wait_for(lambda: live(private_server) == 2)
    (stats,) = connection_pool.stats()
    assert (stats.opened, stats.idle, stats.busy) == (2, 2, 0)
    assert stats.created == 5 and stats.destroyed["overflow"] == 3


def test_most_recently_returned_session_is_handed_out(registry, private_server):
    cs = private_server.connection_string("scott")
    a, b = connect(cs), connect(cs)
    a_sid, b_sid = sid(a), sid(b)
    a.close()
    b.close()
    with connect(cs) as conn:
        assert sid(conn) == b_sid != a_sid


def test_validate_never_hands_out_a_killed_session(registry, private_server):
    connection_pool.validate = True
    cs = private_server.connection_string("scott")
    conns = [connect(cs) for _ in range(3)]
    sids = [sid(c) for c in conns]
    for c in conns:
        c.close()
    for s, _ in sids[1:]:
        private_server.kill_session(s)
    with connect(cs) as conn:
        # The two most recent were dead: discarded. (The live one may be out
        # for a validator ping at this moment, and then a new session opens.)
        assert sid(conn) not in sids[1:]
    assert wait_for(lambda: connection_pool.stats()[0].destroyed["invalid"] == 2)


def test_fatal_error_makes_the_partition_suspect(registry, private_server):
    cs = private_server.connection_string("scott")
    conns = [connect(cs) for _ in range(2)]
    for c in conns:
        c.close()
    private_server.disconnect_all()
    victim = connect(cs)  # validate=False: handed out unchecked
    with pytest.raises(DatabaseError):
        sid(victim)
    victim.close()  # is_healthy() is False: logged off, partition suspect
    with connect(cs) as conn:  # the other idle one is pinged first: dead too
        assert sid(conn)
    (stats,) = connection_pool.stats()
    assert stats.destroyed["invalid"] == 2 and stats.created == 3


def test_validator_removes_dead_idle_sessions(registry, private_server):
    connection_pool.validation_interval = 0.05
    cs = private_server.connection_string("scott")
    connect(cs).close()
    private_server.disconnect_all()
    assert wait_for(lambda: connection_pool.stats()[0].destroyed["invalid"] == 1)
    assert connection_pool.stats()[0].idle == 0


def test_validator_restores_min_size(registry, private_server):
    connection_pool[3].min_size = 2
    connection_pool.validation_interval = 0.05
    connect(private_server.connection_string("scott"), PoolId=3).close()
    assert wait_for(lambda: connection_pool[3].stats()[0].idle == 2)
    assert wait_for(lambda: live(private_server) == 2)


def test_idle_timeout_logs_off_but_keeps_min(clocked_registry, clock, private_server):
    connection_pool.min_size = 1
    connection_pool.idle_timeout = 60
    cs = private_server.connection_string("scott")
    conns = [connect(cs) for _ in range(3)]
    for c in conns:
        c.close()
    clock.advance(59)
    current().validator.run_once()
    assert live(private_server) == 3
    clock.advance(2)
    current().validator.run_once()
    assert wait_for(lambda: live(private_server) == 1)
    assert connection_pool.stats()[0].destroyed["idle"] == 2


def test_lifetime_logs_off_on_release(clocked_registry, clock, private_server):
    connection_pool.lifetime = 10_000  # milliseconds
    cs = private_server.connection_string("scott")
    conn = connect(cs)
    first = sid(conn)
    clock.advance(11)
    conn.close()
    assert wait_for(lambda: live(private_server) == 0)
    with connect(cs) as again:
        assert sid(again) != first
    assert connection_pool.stats()[0].destroyed["lifetime"] == 1


def test_clear_logs_off_idle_sessions(registry, private_server):
    cs = private_server.connection_string("scott")
    busy = connect(cs, PoolId=1)
    connect(cs, PoolId=1).close()
    connect(cs, PoolId=2).close()
    connection_pool[1].clear()
    assert wait_for(lambda: live(private_server) == 2)
    connection_pool.clear()
    assert wait_for(lambda: live(private_server) == 1)
    assert connection_pool[1].stats()[0].destroyed["cleared"] == 1
    busy.close()


def test_outage_and_recovery(registry, private_server):
    connection_pool.validate = True
    cs = private_server.connection_string("scott")
    connect(cs).close()
    private_server.stop()
    with pytest.raises(DatabaseError):
        connect(cs)
    private_server.start()
    with connect(cs) as conn:
        assert sid(conn)
    assert connection_pool.stats()[0].busy == 0


def test_session_state_is_reset_on_release(registry, private_server):
    cs = private_server.connection_string("scott")
    with connect(cs) as conn:
        conn.autocommit = False
        conn.call_timeout = 1234
        conn.module = "billing"
    with connect(cs) as conn:
        assert conn.autocommit is True and conn.call_timeout == 0  # autocommit on again, as in Devart
        cursor = conn.cursor()
        cursor.execute("select sys_context('USERENV', 'MODULE') from dual")
        assert cursor.fetchone()[0] in (None, "")


def test_many_threads_while_settings_change(registry, private_server):
    cs = private_server.connection_string("scott")
    errors: list[BaseException] = []
    stop = threading.Event()

    def worker() -> None:
        try:
            for _ in range(40):
                with connect(cs) as conn:
                    conn.cursor().execute("select 1 from dual")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    def tuner() -> None:
        size = 1
        while not stop.is_set():
            connection_pool.max_size = size
            connection_pool.validate = size % 2 == 0
            size = size % 4 + 1

    threads = [threading.Thread(target=worker) for _ in range(8)]
    knob = threading.Thread(target=tuner)
    knob.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    stop.set()
    knob.join(10)
    assert not errors
    (stats,) = connection_pool.stats()
    assert stats.busy == 0 and stats.idle <= 4
    assert wait_for(lambda: live(private_server) == stats.opened)


def test_module_exports_connect_and_pool():
    assert devart_oracle.connect is connect
    assert devart_oracle.connection_pool is connection_pool


def test_a_refused_logon_leaves_nothing_retrying(clocked_registry, clock, private_server, monkeypatch):
    attempts = []
    real_open = ParamsConnector.open

    def counting_open(self, key):
        attempts.append(key)
        return real_open(self, key)

    monkeypatch.setattr(ParamsConnector, "open", counting_open)
    connection_pool.min_size = 2
    text = private_server.connection_string("scott").replace("Password=tiger", "Password=wrong")
    with pytest.raises(devart_oracle.DatabaseError, match="ORA-01017"):
        connect(text)
    clock.advance(2 * 3600)  # two validator passes, and past any backoff
    # The caller's logon was refused: min_size is not restored in the
    # background, where retries would only lock the account.
    assert len(attempts) == 1
    assert all(p.core.pending == 0 for p in current().validator.pools())


def test_an_unknown_host_is_an_operational_error(registry):
    with pytest.raises(devart_oracle.OperationalError, match="cannot reach 'no.such.host.invalid'") as info:
        connect("Direct=True;Host=no.such.host.invalid;ServiceName=x;UserName=scott;Password=s3cret")
    assert "s3cret" not in str(info.value)
