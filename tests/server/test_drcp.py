"""DRCP emulation: (SERVER=POOLED) connections share at most N pooled server sessions.

In-process tests pin the semantics (refusal without DRCP, purity, the wait
and its ORA-24457, hits and misses, SESS_RET's cursor handling, kills); the
multi-process tests run several client processes, each with its own pool,
against one server and prove from the server's side (V$CPOOL_STATS, sampled
while they run) that at most N pooled sessions ever existed while every
worker was served.
"""

from __future__ import annotations

import contextlib
import json
import pathlib
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import oracledb
import pytest

from devart_oracle.testing import OracleTestServer

WORKER = pathlib.Path(__file__).with_name("drcp_worker.py")
USERS = {"scott": "tiger"}


@contextlib.contextmanager
def drcp_server(size: int, wait: float = 10.0) -> Iterator[OracleTestServer]:
    with OracleTestServer(USERS, pooled_servers=size, pooled_wait_timeout=wait) as server:
        yield server


def pooled(server: OracleTestServer, **kwargs: Any) -> oracledb.Connection:
    return oracledb.connect(user="scott", password="tiger", dsn=server.dsn + ":pooled", **kwargs)


def pool_stats(server: OracleTestServer) -> dict[str, Any]:
    with oracledb.connect(user="scott", password="tiger", dsn=server.dsn) as conn, conn.cursor() as cur:
        cur.execute("select * from v$cpool_stats")
        names = [d[0] for d in cur.description]
        return dict(zip(names, cur.fetchone()))


def class_stats(server: OracleTestServer) -> dict[str, tuple[int, ...]]:
    with oracledb.connect(user="scott", password="tiger", dsn=server.dsn) as conn, conn.cursor() as cur:
        cur.execute("select cclass_name, num_requests, num_hits, num_misses, num_waits,"
                    " num_authentications from v$cpool_cc_stats")
        return {row[0]: tuple(row[1:]) for row in cur}


def client_info(conn: oracledb.Connection) -> str | None:
    with conn.cursor() as cur:
        cur.execute("select sys_context('userenv', 'client_info') from dual")
        value: str | None = cur.fetchone()[0]
        return value


def set_client_info(conn: oracledb.Connection, value: str) -> None:
    with conn.cursor() as cur:
        cur.callproc("dbms_application_info.set_client_info", [value])


def test_pooled_connections_are_refused_without_drcp() -> None:
    with OracleTestServer(USERS) as server, pytest.raises(oracledb.Error, match="ORA-12520"):
        pooled(server)


def test_arguments_are_checked() -> None:
    with pytest.raises(ValueError, match="pooled_servers must be 0"):
        OracleTestServer(USERS, pooled_servers=-1)
    with pytest.raises(TypeError, match="pooled_servers must be an int"):
        OracleTestServer(USERS, pooled_servers=2.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="pooled_wait_timeout"):
        OracleTestServer(USERS, pooled_servers=1, pooled_wait_timeout=0)


def test_purity_self_reuses_its_class_and_purity_new_is_fresh() -> None:
    with drcp_server(2) as server:
        with pooled(server, cclass="APP", purity=oracledb.PURITY_SELF) as first:
            set_client_info(first, "left behind")
            sid = first.session_id
        with pooled(server, cclass="APP", purity=oracledb.PURITY_SELF) as again:
            assert client_info(again) == "left behind"  # the same pooled session, state and all
            assert again.session_id == sid
        with pooled(server, cclass="OTHER", purity=oracledb.PURITY_SELF) as other:
            assert client_info(other) is None  # another class never sees it
        with pooled(server, cclass="APP", purity=oracledb.PURITY_NEW) as new:
            assert client_info(new) is None  # NEW: a fresh session whatever is idle
        stats = class_stats(server)
        assert stats["SCOTT.APP"] == (3, 1, 2, 0, 3)  # requests, hits, misses, waits, authentications
        assert stats["SCOTT.OTHER"] == (1, 0, 1, 0, 1)
        assert pool_stats(server)["HISTORIC_MAX"] == 2
        with oracledb.connect(user="scott", password="tiger", dsn=server.dsn) as conn, conn.cursor() as cur:
            cur.execute("select server, count(*) from v$session group by server order by server")
            assert cur.fetchall() == [("DEDICATED", 1), ("POOLED", 2)]  # idle pooled sessions are listed


def test_python_oracledb_pools_release_between_acquires() -> None:
    # One pooled server, two pools of one connection each: they take turns on it,
    # which works only because a pool's connection releases it at each release.
    # (A pool's connection holds the session from its logon until its first
    # release, so pool b's connection is used before pool a's is acquired again.)
    with drcp_server(1, wait=5) as server:
        def create() -> oracledb.ConnectionPool:
            return oracledb.create_pool(user="scott", password="tiger", dsn=server.dsn + ":pooled",
                                        min=1, max=1, cclass="POOLAPP", purity=oracledb.PURITY_SELF)
        a = create()
        try:
            with a.acquire() as conn:
                set_client_info(conn, "kept")
                with conn.cursor() as cur:  # a cached statement, re-executed after reattach
                    for _ in range(3):
                        cur.execute("select 1 from dual")
                        assert cur.fetchone() == (1,)
            b = create()
            try:
                for _ in range(4):
                    for pool in (b, a):
                        with pool.acquire() as conn, conn.cursor() as cur:
                            cur.execute("select 1 from dual")
                            assert cur.fetchone() == (1,)
                            assert client_info(conn) == "kept"  # PURITY_SELF: the one session's state
            finally:
                b.close()
            stats = pool_stats(server)
            assert stats["NUM_OPEN_SERVERS"] == 1 and stats["HISTORIC_MAX"] == 1
            assert stats["NUM_HITS"] >= 8 and stats["NUM_MISSES"] == 1
        finally:
            a.close()


def test_a_busy_pool_waits_then_fails_with_ora_24457() -> None:
    with drcp_server(1, wait=0.3) as server, pooled(server, cclass="A") as holder:
        assert holder.session_id
        started = time.monotonic()
        with pytest.raises(oracledb.Error, match="ORA-24457"):
            pooled(server, cclass="A")
        assert 0.25 < time.monotonic() - started < 5
        stats = pool_stats(server)
        assert stats["NUM_WAITS"] == 1 and stats["CLIENT_REQ_TIMEOUTS"] == 1


def test_a_waiter_is_served_when_a_session_is_released() -> None:
    with drcp_server(1, wait=10) as server:
        first = pooled(server, cclass="A", purity=oracledb.PURITY_SELF)
        threading.Timer(0.2, first.close).start()
        with pooled(server, cclass="A", purity=oracledb.PURITY_SELF) as second:
            assert client_info(second) is None
        stats = pool_stats(server)
        assert stats["NUM_WAITS"] == 1 and stats["WAIT_TIME"] >= 150 and stats["NUM_HITS"] == 1


def test_killing_a_pooled_session_frees_its_slot() -> None:
    with drcp_server(1, wait=5) as server:
        victim = pooled(server, cclass="A")
        assert server.kill_session(victim.session_id)
        with pytest.raises(oracledb.Error):
            client_info(victim)
        with pooled(server, cclass="A") as next_one:
            assert client_info(next_one) is None
        assert pool_stats(server)["NUM_PURGED"] == 1


def _workers(specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    procs = [subprocess.Popen([sys.executable, str(WORKER), json.dumps(spec)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for spec in specs]
    results = []
    for proc in procs:
        try:
            out, err = proc.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
        assert proc.returncode == 0, err[-2000:]
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


@contextlib.contextmanager
def sampling(server: OracleTestServer) -> Iterator[dict[str, int]]:
    """Reads V$CPOOL_STATS every 50 ms while the workers run: the peak open and busy counts."""
    peak = {"open": 0, "busy": 0}
    stop = threading.Event()

    def run() -> None:
        with oracledb.connect(user="scott", password="tiger", dsn=server.dsn) as conn, \
                conn.cursor() as cur:
            while not stop.wait(0.05):
                cur.execute("select num_open_servers, num_busy_servers from v$cpool_stats")
                opened, busy = cur.fetchone()
                peak["open"], peak["busy"] = max(peak["open"], opened), max(peak["busy"], busy)

    thread = threading.Thread(target=run)
    thread.start()
    try:
        yield peak
    finally:
        stop.set()
        thread.join(10)


def _spec(server: OracleTestServer, kind: str, cclass: str, purity: str, **sizes: int) -> dict[str, Any]:
    return {"kind": kind, "dsn": server.dsn + ":pooled", "user": "scott", "password": "tiger",
            "cclass": cclass, "purity": purity, **sizes}


def test_python_oracledb_pools_in_four_processes_share_four_pooled_servers() -> None:
    size, processes, threads, rounds = 4, 4, 3, 15
    with drcp_server(size, wait=30) as server:
        specs = [_spec(server, "oracledb", f"APP{n % 2}", "SELF", min=3, max=3, threads=threads,
                       rounds=rounds) for n in range(processes)]
        with sampling(server) as peak:
            results = _workers(specs)
        assert [r["done"] for r in results] == [threads * rounds] * processes  # every worker served
        stats = pool_stats(server)
        assert stats["HISTORIC_MAX"] <= size and peak["open"] <= size
        assert peak["busy"] >= 1
        # 12 client connections at most, 4 server sessions at most: reuse shows as hits
        assert stats["NUM_HITS"] > 0 and stats["NUM_MISSES"] >= 2
        assert stats["NUM_REQUESTS"] == stats["NUM_HITS"] + stats["NUM_MISSES"]
        classes = class_stats(server)
        assert set(classes) == {"SCOTT.APP0", "SCOTT.APP1"}


def test_devart_pools_in_processes_with_cclass_and_purity() -> None:
    size = 4
    with drcp_server(size, wait=30) as server:
        specs = [_spec(server, "devart", "DEVART", "SELF", min=1, max=2, threads=2, rounds=10),
                 _spec(server, "devart", "DEVNEW", "NEW", min=1, max=2, threads=2, rounds=10)]
        with sampling(server) as peak:
            results = _workers(specs)
        assert [r["done"] for r in results] == [20, 20]
        stats = pool_stats(server)
        assert stats["HISTORIC_MAX"] <= size and peak["open"] <= size
        classes = class_stats(server)
        assert set(classes) == {"SCOTT.DEVART", "SCOTT.DEVNEW"}
        assert classes["SCOTT.DEVNEW"][1] == 0  # PURITY_NEW never hits


def _parses(conn: oracledb.Connection) -> int:
    with conn.cursor() as cur:
        cur.execute("select m.value from v$mystat m join v$statname n on n.statistic# = m.statistic#"
                    " where n.name = 'parse count (total)'")
        value: int = cur.fetchone()[0]
        return value


def test_the_same_connection_back_on_its_session_keeps_its_cursors() -> None:
    with drcp_server(2) as server:
        pool = oracledb.create_pool(user="scott", password="tiger", dsn=server.dsn + ":pooled",
                                    min=1, max=1, cclass="CURSORS", purity=oracledb.PURITY_SELF)
        try:
            sql = "select 42 from dual"
            with pool.acquire() as conn, conn.cursor() as cur:
                cur.execute(sql)
                assert cur.fetchone() == (42,)
            with pool.acquire() as conn:
                before = _parses(conn)  # SESS_RET said "unchanged": the client keeps its cursor ids
                with conn.cursor() as cur:
                    cur.execute(sql)
                    assert cur.fetchone() == (42,)
                assert _parses(conn) == before  # neither statement was parsed again
        finally:
            pool.close()


def test_dbms_connection_pool_starts_configures_and_stops_the_pool() -> None:
    with OracleTestServer(USERS) as server, \
            oracledb.connect(user="scott", password="tiger", dsn=server.dsn) as admin, \
            admin.cursor() as cur:
        with pytest.raises(oracledb.Error, match="ORA-12520"):
            pooled(server)
        cur.callproc("dbms_connection_pool.start_pool")
        cur.callproc("dbms_connection_pool.configure_pool", keyword_parameters={"maxsize": 1})
        with pooled(server, cclass="A") as conn:
            assert client_info(conn) is None
        assert pool_stats(server)["MAXSIZE"] == 1 and pool_stats(server)["STATUS"] == "ACTIVE"
        with pytest.raises(oracledb.Error, match="ORA-56500"):
            cur.callproc("dbms_connection_pool.stop_pool", ["NO_SUCH_POOL"])
        with pytest.raises(oracledb.Error, match="ORA-56505"):
            cur.callproc("dbms_connection_pool.configure_pool", keyword_parameters={"maxsize": 0})
        cur.callproc("dbms_connection_pool.stop_pool")
        stats = pool_stats(server)
        assert stats["STATUS"] == "INACTIVE" and stats["NUM_OPEN_SERVERS"] == 0
        with pytest.raises(oracledb.Error, match="ORA-12520"):
            pooled(server)


def test_asyncio_pools_share_the_pooled_server_too() -> None:
    import asyncio

    async def main(server: OracleTestServer) -> list[str | None]:
        pools: list[oracledb.AsyncConnectionPool] = []
        seen = []
        try:
            for _ in range(2):  # one after the other: a new pool connection holds the session
                pool = oracledb.create_pool_async(user="scott", password="tiger", min=1, max=1,
                                                  dsn=server.dsn + ":pooled", cclass="ASYNC",
                                                  purity=oracledb.PURITY_SELF)
                pools.append(pool)
                async with pool.acquire() as conn:
                    with conn.cursor() as cur:
                        await cur.execute("select sys_context('userenv', 'client_info') from dual")
                        seen.append((await cur.fetchone())[0])
                    await conn.callproc("dbms_application_info.set_client_info", ["async"])
        finally:
            for pool in pools:
                await pool.close()
        return seen

    with drcp_server(1, wait=5) as server:
        assert asyncio.run(main(server)) == [None, "async"]
        assert pool_stats(server)["HISTORIC_MAX"] == 1


def _devart_drcp_keywords() -> bool:
    from devart_oracle.connstring import ConnectionStringError, parse

    try:
        parse("Server Type=Pooled;Connection Class=X;Purity=Self")
    except ConnectionStringError:
        return False
    return True


@pytest.mark.skipif(not _devart_drcp_keywords(),
                    reason="this tree's Devart connection strings have no DRCP keywords yet")
def test_devart_connection_strings_ask_for_drcp() -> None:
    import devart_oracle

    with drcp_server(2) as server:
        text = server.connection_string("scott") + ";Server Type=Pooled;Connection Class=DEV;Purity=Self"
        with devart_oracle.connect(text + ";DisablePooling=True") as first, first.cursor() as cur:
            cur.callproc("dbms_application_info.set_client_info", ["devart"])
        with devart_oracle.connect(text + ";DisablePooling=True") as again, again.cursor() as cur:
            cur.execute("select sys_context('userenv', 'client_info') from dual")
            assert cur.fetchone()[0] == "devart"  # PURITY_SELF: the same pooled session
        shortcut = text.replace(f"Host={server.host};Port={server.port};ServiceName={server.service_name}",
                                f"Host={server.host}:{server.port}/{server.service_name}:pooled")
        with devart_oracle.connect(shortcut + ";DisablePooling=True") as third, third.cursor() as cur:
            cur.execute("select 1 from dual")
            assert cur.fetchone() == (1,)
        assert class_stats(server)["SCOTT.DEV"][:3] == (3, 2, 1)  # requests, hits, misses


def _serve(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "devart_oracle.testing", "serve", "--port", "0",
                             "--user", "scott/tiger", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize(("value", "message"), [("-1", "at least 0"), ("two", "at least 0")])
def test_serve_rejects_a_bad_pooled_servers(value: str, message: str) -> None:
    process = _serve("--pooled-servers", value)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 2 and "--pooled-servers" in err and message in err


def test_serve_with_pooled_servers_serves_drcp() -> None:
    process = _serve("--pooled-servers", "2", "--pooled-wait-timeout", "5")
    try:
        assert process.stdout is not None
        dsn = process.stdout.readline().split()[-1]
        with oracledb.connect(user="scott", password="tiger", dsn=dsn + ":pooled", cclass="CLI") as conn, \
                conn.cursor() as cur:
            cur.execute("select maxsize, num_open_servers, status from v$cpool_stats")
            assert cur.fetchone() == (2, 1, "ACTIVE")
    finally:
        process.terminate()
        _, err = process.communicate(timeout=30)
    assert process.returncode == 0, err


def test_a_connect_descriptor_names_the_class_and_purity() -> None:
    with drcp_server(2) as server:
        dsn = (f"(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST={server.host})(PORT={server.port}))"
               f"(CONNECT_DATA=(SERVICE_NAME={server.service_name})(SERVER=POOLED)"
               "(POOL_CONNECTION_CLASS=DESC)(POOL_PURITY=SELF)))")
        for _ in range(2):
            with oracledb.connect(user="scott", password="tiger", dsn=dsn) as conn, conn.cursor() as cur:
                cur.execute("select server from v$session where sid = sys_context('userenv', 'sid')")
                assert cur.fetchone() == ("POOLED",)
        assert class_stats(server)["SCOTT.DESC"][:3] == (2, 1, 1)  # requests, hits, misses


def test_call_timeout_ends_a_wait_for_a_pooled_server() -> None:
    with drcp_server(1, wait=10) as server:
        pool = oracledb.create_pool(user="scott", password="tiger", dsn=server.dsn + ":pooled",
                                    min=1, max=1, cclass="A", purity=oracledb.PURITY_SELF)
        try:
            with pool.acquire() as conn:  # its logon took the session; the release gives it back
                conn.ping()
            holder = pooled(server, cclass="A", purity=oracledb.PURITY_SELF)  # holds it now
            with pool.acquire() as conn:
                conn.call_timeout = 300
                started = time.monotonic()
                with pytest.raises(oracledb.Error, match="DPY-4024"):
                    conn.ping()  # waits for a pooled server; the break ends the wait
                assert time.monotonic() - started < 3
                holder.close()
                conn.call_timeout = 0
                with conn.cursor() as cur:  # the connection is still usable, and is served now
                    cur.execute("select 1 from dual")
                    assert cur.fetchone() == (1,)
        finally:
            pool.close()
