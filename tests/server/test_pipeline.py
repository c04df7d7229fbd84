"""Pipelined calls (``AsyncConnection.run_pipeline``) and the END_OF_RESPONSE mark they need.

The server offers END_OF_RESPONSE in its ACCEPT (protocol 319), so the
client sends a pipeline's calls at once and reads the replies after
END_PIPELINE. Without the mark the client falls back to one call per
operation, and that path fetches with the cursor defaults of the moment,
not the operation's ``fetch_decimals`` and ``fetch_lobs``: the tests of
those options below fail on a server that does not pipeline.
"""

from __future__ import annotations

import asyncio
import itertools
import socket
from collections.abc import Awaitable, Callable, Iterator
from decimal import Decimal
from typing import TypeVar

import oracledb
import pytest

from devart_oracle.testing import OracleTestServer
from devart_oracle.testing._listener import accept_payload
from devart_oracle.testing.wire.packet import DATA_END_OF_RESPONSE, PacketStream

T = TypeVar("T")
_names = itertools.count()


@pytest.fixture
def table() -> Iterator[str]:
    yield f"pipe_{next(_names)}"


def _run(server: OracleTestServer, scenario: Callable[[oracledb.AsyncConnection], Awaitable[T]]) -> T:
    """Run ``scenario`` on a fresh asyncio connection, bounded to 20 s."""
    async def main() -> T:
        async with oracledb.connect_async(user="scott", password="tiger", dsn=server.dsn) as conn:
            conn.call_timeout = 10_000
            return await asyncio.wait_for(scenario(conn), 20)
    return asyncio.run(main())


def test_the_accept_offers_end_of_response_from_protocol_319_only() -> None:
    flags = int.from_bytes(accept_payload(8192, 319)[-4:], "big")
    assert accept_payload(8192, 319)[:2] == (319).to_bytes(2, "big") and flags & 0x02000000
    assert int.from_bytes(accept_payload(8192, 318)[-4:], "big") == 0


def _data_flags(framed: bytes) -> list[int]:
    flags, offset = [], 0
    while offset < len(framed):
        flags.append(int.from_bytes(framed[offset + 8:offset + 10], "big"))
        offset += int.from_bytes(framed[offset:offset + 4], "big")
    return flags


@pytest.mark.parametrize("size", [2000, 40_000])  # one slice, and two (sent a slice at a time)
def test_only_the_last_packet_of_a_reply_carries_the_end_of_response_flag(size: int) -> None:
    left, right = socket.socketpair()
    with left, right:
        stream = PacketStream(left)
        stream.large, stream.sdu = True, 512
        stream.send_data(bytes(size), last_flags=DATA_END_OF_RESPONSE)
        left.shutdown(socket.SHUT_WR)
        framed = b"".join(iter(lambda: right.recv(65536), b""))
    flags = _data_flags(framed)
    assert len(flags) == -(-size // 502) and flags[-1] == DATA_END_OF_RESPONSE and not any(flags[:-1])


def test_the_client_pipelines(wire_server: OracleTestServer) -> None:
    async def scenario(conn: oracledb.AsyncConnection) -> bool:
        return bool(conn._impl.supports_pipelining())
    assert _run(wire_server, scenario)


def test_each_fetch_keeps_its_own_fetch_decimals(wire_server: OracleTestServer, table: str) -> None:
    async def scenario(conn: oracledb.AsyncConnection) -> list[object]:
        pipeline = oracledb.create_pipeline()
        pipeline.add_execute(f"create table {table} (n number(9))")
        pipeline.add_execute(f"insert into {table} values (:1)", [7637])
        for decimals in (True, False, True):
            pipeline.add_fetchone(f"select n from {table}", fetch_decimals=decimals)
        pipeline.add_fetchall(f"select n from {table}", fetch_decimals=False)
        results = await conn.run_pipeline(pipeline)
        return [type(result.rows[0][0]) for result in results[2:]]
    assert _run(wire_server, scenario) == [Decimal, int, Decimal, int]


def test_each_fetch_keeps_its_own_fetch_lobs(wire_server: OracleTestServer, table: str) -> None:
    async def scenario(conn: oracledb.AsyncConnection) -> list[object]:
        pipeline = oracledb.create_pipeline()
        pipeline.add_execute(f"create table {table} (id number, c clob)")
        pipeline.add_executemany(f"insert into {table} values (:1, :2)", [(1, "one"), (2, "two")])
        pipeline.add_fetchmany(f"select c from {table} order by id", fetch_lobs=False)
        pipeline.add_fetchall(f"select c from {table} order by id", fetch_lobs=False)
        pipeline.add_fetchall(f"select c from {table} order by id")
        results = await conn.run_pipeline(pipeline)
        lobs = [await lob.read() for lob, in results[4].rows]
        return [results[2].rows, results[3].rows, lobs]
    as_text = [("one",), ("two",)]
    assert _run(wire_server, scenario) == [as_text, as_text, ["one", "two"]]


def test_continue_on_error_runs_every_call(wire_server: OracleTestServer, table: str) -> None:
    async def scenario(conn: oracledb.AsyncConnection) -> list[object]:
        pipeline = oracledb.create_pipeline()
        pipeline.add_execute(f"create table {table} (n number)")
        pipeline.add_execute(f"insert into {table} values (1, 2)")
        pipeline.add_execute(f"insert into {table} values (3)")
        pipeline.add_commit()
        pipeline.add_fetchall(f"select n from {table}")
        results = await conn.run_pipeline(pipeline, continue_on_error=True)
        return [None if result.error is None else result.error.full_code for result in results] + [
            results[-1].rows]
    assert _run(wire_server, scenario) == [None, "ORA-00913", None, None, None, [(3,)]]


def test_abort_on_error_runs_nothing_after_the_failure(wire_server: OracleTestServer,
                                                       table: str) -> None:
    async def scenario(conn: oracledb.AsyncConnection) -> list[object]:
        cursor = conn.cursor()
        await cursor.execute(f"create table {table} (n number)")
        pipeline = oracledb.create_pipeline()
        pipeline.add_execute(f"insert into {table} values (1)")
        pipeline.add_execute(f"insert into {table} values (1, 2)")
        pipeline.add_execute(f"insert into {table} values (3)")
        pipeline.add_commit()
        with pytest.raises(oracledb.DatabaseError, match="ORA-00913"):
            await conn.run_pipeline(pipeline)
        await conn.rollback()  # the commit did not run: the first insert goes too
        await cursor.execute(f"select count(*) from {table}")
        counted = await cursor.fetchone()
        again = oracledb.create_pipeline()  # the next pipeline starts afresh
        again.add_execute(f"insert into {table} values (4)")
        again.add_fetchone(f"select n from {table}")
        return [counted, (await conn.run_pipeline(again))[1].rows]
    assert _run(wire_server, scenario) == [(0,), [(4,)]]


def test_a_reply_of_many_packets_is_marked_in_its_last(k: oracledb.Cursor, table: str) -> None:
    k.execute(f"create table {table} (c clob)")
    text = "".join(f"{n:07d}" for n in range(40_000))  # 280 000 characters: some 35 DATA packets
    k.execute(f"insert into {table} values (:1)", [text])
    oracledb.defaults.fetch_lobs = False
    try:
        k.execute(f"select c from {table}")
        assert k.fetchone() == (text,)
    finally:
        oracledb.defaults.fetch_lobs = True
    k.execute(f"select c as lob from {table}")  # new text: the client's cache holds str fetch types
    (lob,) = k.fetchone()
    assert lob.read() == text
    k.connection.ping()  # still in step: every reply was read whole
