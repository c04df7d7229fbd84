"""Sessions' calls take turns first come first served, and a held turn cannot stall the others."""

from __future__ import annotations

import threading
import time

import oracledb
import pytest

from devart_oracle.testing import OracleTestServer
from devart_oracle.testing._turns import Turn, Turns
from devart_oracle.testing.sql.waits import set_hook, waiting

_WAIT = 5.0  # bound of every wait here; each normally ends in milliseconds


def _waiting_for_turn(turns: Turns, count: int) -> bool:
    deadline = time.monotonic() + _WAIT
    while len(turns._queue) < count:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.001)
    return True


def _taker(turns: Turns, order: list[tuple[int, bool]], index: int) -> threading.Thread:
    def run() -> None:
        held = turns.take()
        order.append((index, held))
        if held:
            turns.give()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_the_first_take_has_the_turn_and_the_way_is_free_after_give() -> None:
    turns = Turns()
    assert turns.take() is True
    turns.give()
    assert turns.take() is True
    turns.give()
    assert not turns._held


def test_waiters_get_the_turn_in_the_order_they_came() -> None:
    turns = Turns()
    assert turns.take()
    order: list[tuple[int, bool]] = []
    threads = []
    for index in range(5):
        threads.append(_taker(turns, order, index))
        assert _waiting_for_turn(turns, index + 1)
    assert order == []  # nobody runs while the turn is held
    turns.give()
    for thread in threads:
        thread.join(_WAIT)
    assert order == [(index, True) for index in range(5)]
    assert not turns._held


def test_a_turn_held_from_one_pass_to_the_next_opens_the_way() -> None:
    turns = Turns()
    assert turns.take()
    assert turns.unstick() is False  # the first pass only notes the turn
    order: list[tuple[int, bool]] = []
    thread = _taker(turns, order, 0)
    assert _waiting_for_turn(turns, 1)
    assert turns.unstick() is True  # same turn at the next pass: stuck
    thread.join(_WAIT)
    assert order == [(0, False)]  # it went on without a turn
    assert turns.take() is False  # so does anyone who comes while the way is open
    turns.give()  # the stuck call ends: turns again
    assert turns.take() is True
    turns.give()


def test_a_turn_given_between_passes_is_not_stuck() -> None:
    turns = Turns()
    assert turns.take()
    assert turns.unstick() is False
    turns.give()
    assert turns.take()
    assert turns.unstick() is False  # another turn since the last pass
    turns.give()


def test_a_wait_inside_a_call_lets_the_others_run() -> None:
    turns = Turns()
    turn = Turn(turns)
    set_hook(turn.outside)
    try:
        turn.take()
        order: list[tuple[int, bool]] = []
        thread = _taker(turns, order, 0)
        assert _waiting_for_turn(turns, 1)
        with waiting():
            thread.join(_WAIT)
            assert order == [(0, True)]
        assert turn.held
        turn.give()
    finally:
        set_hook(None)
    with waiting():  # no hook: nothing to give
        pass
    assert not turns._held


@pytest.fixture
def server() -> OracleTestServer:
    with OracleTestServer({"scott": "tiger"}, "FREEPDB1") as running:
        yield running


def test_a_long_call_does_not_stall_another_session(server: OracleTestServer) -> None:
    long = oracledb.connect(user="scott", password="tiger", dsn=server.dsn)
    short = oracledb.connect(user="scott", password="tiger", dsn=server.dsn)
    try:
        started = threading.Event()

        def sleep() -> None:
            started.set()
            long.cursor().execute("begin dbms_session.sleep(1.5); end;")

        thread = threading.Thread(target=sleep, daemon=True)
        thread.start()
        assert started.wait(_WAIT)
        time.sleep(0.2)
        assert not server._turns._held  # DBMS_SESSION.SLEEP gave the turn back
        began = time.monotonic()
        for _ in range(20):
            short.ping()
        assert time.monotonic() - began < 1.0  # not behind the sleeping call
        assert thread.is_alive()
        thread.join(_WAIT)
    finally:
        long.close()
        short.close()


def test_a_busy_statement_does_not_keep_the_turn(server: OracleTestServer) -> None:
    busy = oracledb.connect(user="scott", password="tiger", dsn=server.dsn)
    other = oracledb.connect(user="scott", password="tiger", dsn=server.dsn)
    try:
        thread = threading.Thread(target=lambda: busy.cursor().execute(
            "select count(*) from (select level from dual connect by level <= 400000)").fetchall(),
            daemon=True)
        thread.start()
        time.sleep(0.1)
        opened = server._turns._open  # the watcher saw the same turn at two passes
        began = time.monotonic()
        other.ping()
        waited = time.monotonic() - began
        still = thread.is_alive()
        thread.join(60)
        if still:  # the statement was still running: the watcher opened the way
            assert opened
            assert waited < 0.5
    finally:
        busy.close()
        other.close()
