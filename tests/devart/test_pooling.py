"""Pooling: the same scenarios through Devart's pool and devart_oracle's, compared.

Each scenario runs once per connector, on PoolIds of its own, through the
recording relay; it returns what it saw (which sessions the server gave,
what was sent on a draw and on a close, ``V$SESSION``), and the two
observations must be equal, save for the differences named in the test and
in docs/devart-differences.md.
"""

from __future__ import annotations

import time
from types import ModuleType
from typing import Any

from .conftest import Relay, Server
from .scenarios import Maker, both, fresh_pool_ids, kill, maker, session_id

# What a draw with validate=True sends: one round trip each, a different call.
VALIDATE_PROBE = {"oracle": ["commit"], "devart_oracle": ["ping"]}


def _short(module: ModuleType) -> str:
    return module.__name__.rsplit(".", 1)[-1]


def _run(devart: ModuleType, scenario: Any, *args: Any) -> list[dict[str, object]]:
    return [scenario(module, *args) for module in both(devart)]


def _reuse(module: ModuleType, make: Maker, relay: Relay) -> dict[str, object]:
    (pool_id,) = fresh_pool_ids(1)
    conn = module.connect(make(PoolId=pool_id))
    first = session_id(conn)
    relay.take()
    conn.close()
    on_close = relay.take()
    conn = module.connect(make(PoolId=pool_id))
    on_draw = relay.take()
    second = session_id(conn)
    conn.close()
    return {"same session": first == second, "sent on close": on_close, "sent on draw": on_draw}


def test_a_returned_session_is_lent_again_without_a_round_trip(
        pools: Any, devart: ModuleType, relay: Relay) -> None:
    theirs, ours = _run(devart, _reuse, maker(relay), relay)
    assert ours == theirs == {"same session": True, "sent on close": [], "sent on draw": []}


def _partitions(module: ModuleType, make: Maker) -> dict[str, object]:
    one, two = fresh_pool_ids(2)
    sids = []
    for text in (make(PoolId=one), make(PoolId=two), make(PoolId=one, **{"Connection Timeout": 7})):
        conn = module.connect(text)
        sids.append(session_id(conn))
        conn.close()
    conn = module.connect(make(PoolId=one))
    again = session_id(conn)
    conn.close()
    return {"distinct sessions": len(set(sids)), "first pool again": again == sids[0]}


def test_pool_ids_and_parameters_partition_the_pool(pools: Any, devart: ModuleType,
                                                    relay: Relay) -> None:
    theirs, ours = _run(devart, _partitions, maker(relay))
    assert ours == theirs == {"distinct sessions": 3, "first pool again": True}


def _disabled(module: ModuleType, make: Maker, relay: Relay, server: Server) -> dict[str, object]:
    before = server.sessions()
    conn = module.connect(make(DisablePooling=True))
    during = len(server.sessions() - before)
    relay.take()
    conn.close()
    return {"sessions while open": during, "sent on close": relay.take(),
            "sessions after close": len(server.sessions() - before)}


def test_disable_pooling_logs_off_at_close(pools: Any, devart: ModuleType, relay: Relay,
                                           server: Server) -> None:
    theirs, ours = _run(devart, _disabled, maker(relay), relay, server)
    assert ours == theirs == {"sessions while open": 1, "sent on close": ["logoff"],
                              "sessions after close": 0}


def _validated(module: ModuleType, make: Maker, relay: Relay, server: Server) -> dict[str, object]:
    (pool_id,) = fresh_pool_ids(1)
    module.connection_pool[pool_id].validate = True
    conn = module.connect(make(PoolId=pool_id))
    first = session_id(conn)
    conn.close()
    relay.take()
    conn = module.connect(make(PoolId=pool_id))
    probe = relay.take()
    conn.close()
    kill(server, first)
    conn = module.connect(make(PoolId=pool_id))
    replaced = session_id(conn) != first
    conn.close()
    return {"probe": probe, "killed session replaced": replaced}


def test_validate_probes_each_draw_and_replaces_a_killed_session(
        pools: Any, devart: ModuleType, relay: Relay, server: Server) -> None:
    theirs, ours = _run(devart, _validated, maker(relay), relay, server)
    assert theirs["probe"] == VALIDATE_PROBE["oracle"]
    assert ours["probe"] == VALIDATE_PROBE["devart_oracle"]
    assert ours["killed session replaced"] is theirs["killed session replaced"] is True


def _unvalidated(module: ModuleType, make: Maker, server: Server) -> dict[str, object]:
    (pool_id,) = fresh_pool_ids(1)
    conn = module.connect(make(PoolId=pool_id))
    first = session_id(conn)
    conn.close()
    kill(server, first)
    conn = module.connect(make(PoolId=pool_id))
    try:
        session_id(conn)
        failed = False
    except module.Error:
        failed = True
    conn.close()
    conn = module.connect(make(PoolId=pool_id))
    try:
        recovered = session_id(conn) != first
    except module.Error:
        recovered = False
    conn.close()
    return {"first use fails": failed, "the draw after closing it works": recovered}


def test_without_validate_a_killed_session_fails(pools: Any, devart: ModuleType,
                                                 relay: Relay, server: Server) -> None:
    theirs, ours = _run(devart, _unvalidated, maker(relay), server)
    # a documented difference: Devart takes the failed connection back into its pool
    assert theirs == {"first use fails": True, "the draw after closing it works": False}
    assert ours == {"first use fails": True, "the draw after closing it works": True}


def _limits(module: ModuleType, make: Maker, relay: Relay) -> dict[str, object]:
    full, aged = fresh_pool_ids(2)
    module.connection_pool[full].max_size = 1
    first, second = module.connect(make(PoolId=full)), module.connect(make(PoolId=full))
    concurrent = session_id(first) != session_id(second)
    first.close()
    second.close()
    module.connection_pool[aged].lifetime = 100  # milliseconds
    conn = module.connect(make(PoolId=aged))
    time.sleep(0.3)  # older than its lifetime when it goes back
    relay.take()
    conn.close()
    return {"a second connect beyond max_size": concurrent, "sent on closing an aged one": _sent_soon(relay)}


def _sent_soon(relay: Relay, timeout: float = 10.0) -> list[str]:
    """What the relay saw within ``timeout``: devart_oracle logs off on a worker, not in close()."""
    deadline = time.monotonic() + timeout
    sent = relay.take()
    while not sent and time.monotonic() < deadline:
        time.sleep(0.02)
        sent = relay.take()
    return sent


def test_max_size_and_lifetime(pools: Any, devart: ModuleType, relay: Relay) -> None:
    theirs, ours = _run(devart, _limits, maker(relay), relay)
    assert ours == theirs
    assert theirs["sent on closing an aged one"] == ["logoff"]


def _min_size(module: ModuleType, make: Maker, server: Server) -> int:
    (pool_id,) = fresh_pool_ids(1)
    module.connection_pool[pool_id].min_size = 2
    before = server.sessions()
    conn = module.connect(make(PoolId=pool_id))
    time.sleep(0.5)  # devart_oracle fills min_size in the background
    opened = len(server.sessions() - before)
    conn.close()
    return opened


def test_min_size(pools: Any, devart: ModuleType, relay: Relay, server: Server) -> None:
    theirs, ours = _run(devart, _min_size, maker(relay), server)
    # a documented difference: Devart opens only the session asked for
    assert (theirs, ours) == (1, 2)
