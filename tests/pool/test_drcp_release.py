"""What our pools send when a DRCP session goes idle: what python-oracledb's pool sends.

A recording relay between python-oracledb and the embedded server keeps every
byte the client sends, so the tests compare our release with python-oracledb's
own on the wire. None of them makes a round trip after a release: they hold on
a server without DRCP emulation too (which answers a release it does not know
with an error the next call would read).
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import os
import socket
import threading
from collections.abc import Iterator

import oracledb
import pytest

import devart_oracle
from devart_oracle.pool._drcp import DrcpSource, release_drcp
from devart_oracle.pool._registry import _Registry
from devart_oracle.testing import OracleTestServer
from tests.fixtures.pooling import wait_for

#: A DATA packet (type 6, no flags, no checksum, no data flags) holding a one-way
#: call (message type 26) of function 163, session release.
RELEASE = b"\x06\x00\x00\x00\x00\x00\x1a\xa3"


class Recorder:
    """A TCP relay in front of the server that keeps what clients send."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.sent = bytearray()
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            self._sockets += [client, server]
            threading.Thread(target=self._pump, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, False), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, record: bool) -> None:
        try:
            while data := source.recv(65536):
                if record:
                    with self._lock:
                        self.sent += data
                sink.sendall(data)
        except OSError:
            pass
        for sock in (source, sink):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def releases(self) -> list[bytes]:
        """Each release sent so far: what follows the function code (sequence number first)."""
        with self._lock:
            parts = bytes(self.sent).split(RELEASE)[1:]
        return [part[:7] for part in parts]

    def close(self) -> None:
        self._listener.close()
        for sock in self._sockets:
            sock.close()


@pytest.fixture
def drcp_backend() -> Iterator[OracleTestServer]:
    """A server that serves (SERVER=POOLED): one without DRCP refuses it with ORA-12520."""
    with OracleTestServer(users={"scott": "tiger"}, pooled_servers=16, pooled_wait_timeout=5) as server:
        yield server


@pytest.fixture
def recorder(drcp_backend: OracleTestServer) -> Iterator[Recorder]:
    host, port = drcp_backend.dsn.split("/")[0].split(":")
    relay = Recorder((host, int(port)))
    yield relay
    relay.close()


def _dsn(recorder: Recorder) -> str:
    return f"127.0.0.1:{recorder.port}/FREEPDB1:pooled"


def _mode(release: bytes) -> bytes:
    """The release without its sequence number: pointer, tag length, mode."""
    return release[1:4]


def test_python_oracledb_still_offers_the_internal_release() -> None:
    # pool/_drcp.release_drcp runs ThinConnImpl._end_request() by name through
    # process_sync_operation / process_async_operation: if these go, it must change.
    from oracledb import thin_impl

    assert callable(thin_impl.ThinConnImpl._end_request)
    assert callable(thin_impl.ThinConnImpl.process_sync_operation)
    assert inspect.iscoroutinefunction(thin_impl.ThinConnImpl.process_async_operation)
    assert "busy" in dir(oracledb.ConnectionPool)


def test_our_release_is_python_oracledb_pools_release(recorder: Recorder) -> None:
    theirs = oracledb.create_pool(user="scott", password="tiger", dsn=_dsn(recorder), cclass="CC", min=0, max=1)
    conn = theirs.acquire()
    theirs.release(conn)  # python-oracledb's own pool: one release, mode 0
    assert wait_for(lambda: len(recorder.releases()) == 1)
    theirs.close(force=True)

    params = oracledb.PoolParams(user="scott", password="tiger", cclass="CC")
    params.parse_connect_string(_dsn(recorder))
    source = DrcpSource(params)
    ours = source.open({})
    assert release_drcp(ours)
    assert wait_for(lambda: len(recorder.releases()) == 2)
    source.drop(ours)
    source.close()
    their_release, our_release = recorder.releases()
    assert _mode(our_release) == _mode(their_release) == b"\x00\x00\x00"


def test_a_standalone_connection_releases_only_on_close_and_deauthenticates(recorder: Recorder) -> None:
    # Why our sessions come from a python-oracledb pool: a standalone one cannot release and stay.
    conn = oracledb.connect(user="scott", password="tiger", dsn=_dsn(recorder), cclass="CC")
    assert recorder.releases() == []
    conn.close()
    assert wait_for(lambda: len(recorder.releases()) == 1)
    assert recorder.releases()[0][1:5] == b"\x00\x00\x01\x02"  # mode DRCP_DEAUTHENTICATE (2)


def test_connection_pool_releases_at_logon_and_on_every_close(recorder: Recorder, registry: _Registry) -> None:
    text = f"Direct=True;Host={_dsn(recorder)};User Id=scott;Password=tiger;Connection Class=APP"
    devart_oracle.connect(text).close()  # a logon (released at once), then a close
    devart_oracle.connect(text).close()  # the same session again: one more release
    assert wait_for(lambda: len(recorder.releases()) == 3)
    assert {_mode(release) for release in recorder.releases()} == {b"\x00\x00\x00"}
    assert devart_oracle.connection_pool.get_stats()[0]["connections_num"] == 1


def test_explicit_pool_releases_after_logon_and_on_release(recorder: Recorder) -> None:
    pool = devart_oracle.create_pool(user="scott", password="tiger", dsn=_dsn(recorder), cclass="EXP", min=1, max=2)
    try:
        assert wait_for(lambda: len(recorder.releases()) == 1)  # the min session, idle: released
        pool.release(pool.acquire())
        assert wait_for(lambda: len(recorder.releases()) == 2)
        with pool.acquire():
            pass
        assert wait_for(lambda: len(recorder.releases()) == 3)
        assert {_mode(release) for release in recorder.releases()} == {b"\x00\x00\x00"}
    finally:
        pool.close(force=True)


def test_a_dropped_session_is_logged_off_without_a_release(recorder: Recorder) -> None:
    pool = devart_oracle.create_pool(user="scott", password="tiger", dsn=_dsn(recorder), cclass="EXP", min=0, max=1)
    try:
        conn = pool.acquire()
        assert wait_for(lambda: len(recorder.releases()) == 1)  # after the logon
        pool.drop(conn)  # logged off, not released
        assert not wait_for(lambda: len(recorder.releases()) > 1, timeout=0.2)
    finally:
        pool.close(force=True)


def test_asyncio_pool_releases_on_close(recorder: Recorder) -> None:
    async def run() -> None:
        pool = devart_oracle.create_pool_async(user="scott", password="tiger", dsn=_dsn(recorder), cclass="ASY",
                                               min=0, max=1)  # fmt: skip
        async with pool.acquire():
            pass
        await pool.close(force=True)

    asyncio.run(run())
    assert wait_for(lambda: len(recorder.releases()) == 2)  # after the logon, then on close
    assert {_mode(release) for release in recorder.releases()} == {b"\x00\x00\x00"}


def test_the_session_callback_runs_once_not_again_in_the_source_pool(recorder: Recorder) -> None:
    calls: list[object] = []
    pool = devart_oracle.create_pool(user="scott", password="tiger", dsn=_dsn(recorder), cclass="CB", min=0, max=1,
                                     session_callback=lambda conn, tag: calls.append(tag))  # fmt: skip
    try:
        pool.release(pool.acquire())
        assert calls == [None]
    finally:
        pool.close(force=True)


def test_a_refused_logon_leaves_no_source_pool_behind(recorder: Recorder) -> None:
    pool = devart_oracle.create_pool(dsn=_dsn(recorder), homogeneous=False, cclass="HET", min=0, max=2)
    try:
        with pytest.raises(devart_oracle.DatabaseError):
            pool.acquire(user="scott", password="not-the-password")
        assert pool._connector.drcp._pools == {}  # one source pool per user, none per failed attempt
        with pool.acquire(user="scott", password="tiger"):
            pass
        assert len(pool._connector.drcp._pools) == 1
    finally:
        pool.close(force=True)
    assert pool._connector.drcp._pools == {}  # closing ours closes the sources


def test_a_forked_child_gets_source_pools_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    source = DrcpSource(oracledb.PoolParams(user="scott", password="tiger", server_type="pooled", cclass="F"))
    parent = source.pool()
    assert source.pool() is parent
    source.opened(object(), parent)
    monkeypatch.setattr(os, "getpid", lambda: -1)
    child = source.pool()
    assert child is not parent and source._owners == {}  # the parent's sessions are disowned
    monkeypatch.undo()
    parent.close()
    source.close()


def test_new_parameters_retire_the_old_source_once_its_sessions_are_gone(recorder: Recorder) -> None:
    pool = devart_oracle.create_pool(user="scott", password="tiger", dsn=_dsn(recorder), cclass="RE", min=0, max=2)
    try:
        old = pool.acquire()
        (first,) = pool._connector.drcp._pools.values()
        pool.reconfigure(stmtcachesize=5)
        with pool.acquire() as new:
            assert new._conn.stmtcachesize == 5  # opened from a source with the new parameters
        pool.drop(old)  # the old source's last session: it is closed
        with pytest.raises(oracledb.InterfaceError, match="DPY-1002"):
            first.acquire()
    finally:
        pool.close(force=True)


def test_a_release_cancelled_midway_logs_the_session_off(recorder: Recorder) -> None:
    async def run() -> None:
        pool = devart_oracle.create_pool_async(user="scott", password="tiger", dsn=_dsn(recorder), cclass="CAN",
                                               min=0, max=1)  # fmt: skip
        engine = pool._engine
        stalled = asyncio.Event()

        async def stalling_release(conn: object) -> bool:
            stalled.set()
            await asyncio.sleep(3600)
            return True

        engine.release = functools.partial(engine._release_first, stalling_release)
        conn = await pool.acquire()
        closing = asyncio.ensure_future(conn.close())
        await asyncio.wait_for(stalled.wait(), 10)
        closing.cancel()
        with pytest.raises(asyncio.CancelledError):
            await closing
        assert (engine.core.busy, engine.core.idle) == (0, 0)  # not lost, not pooled: logged off
        await pool.close(force=True)

    asyncio.run(run())
