"""Transactions: autocommit by default, commit and rollback, close, pooled draws.

Each scenario runs with both connectors against a table of its own; what
another session sees (``count_rows``, from the server's side) and what the
relay recorded are compared.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from .conftest import Relay, Server
from .scenarios import Maker, both, count_rows, fresh_pool_ids, maker, table

# With autocommit on, commit() and rollback() cost Devart nothing; python-oracledb sends them.
SENT_BY_COMMIT_AND_ROLLBACK = {"oracle": [], "devart_oracle": ["commit", "rollback"]}


def _run(devart: ModuleType, scenario: Any, *args: Any) -> list[dict[str, object]]:
    return [scenario(module, *args) for module in both(devart)]


def _default(module: ModuleType, make: Maker, relay: Relay, server: Server) -> dict[str, object]:
    name = table(server)
    conn = module.connect(make())
    autocommit = conn.autocommit
    conn.cursor().execute(f"insert into {name} values (1)")
    seen = count_rows(server, name)
    relay.take()
    conn.commit()
    conn.rollback()
    sent = relay.take()
    conn.close()
    return {"autocommit": autocommit, "seen before commit": seen, "after close": count_rows(server, name),
            "sent by commit() and rollback()": sent}


def test_connections_start_with_autocommit_on(devart: ModuleType, relay: Relay, server: Server) -> None:
    theirs, ours = _run(devart, _default, maker(relay), relay, server)
    assert theirs.pop("sent by commit() and rollback()") == SENT_BY_COMMIT_AND_ROLLBACK["oracle"]
    assert ours.pop("sent by commit() and rollback()") == SENT_BY_COMMIT_AND_ROLLBACK["devart_oracle"]
    assert ours == theirs == {"autocommit": True, "seen before commit": 1, "after close": 1}


def _turned_off(module: ModuleType, make: Maker) -> dict[str, object]:
    in_string = module.connect(make(AutoCommit=False))
    as_keyword = module.connect(make(), autocommit=False)
    observed = {"AutoCommit=False": in_string.autocommit, "autocommit=False": as_keyword.autocommit}
    in_string.close()
    as_keyword.close()
    return observed


def test_autocommit_false_turns_it_off(devart: ModuleType, relay: Relay) -> None:
    theirs, ours = _run(devart, _turned_off, maker(relay))
    assert ours == theirs == {"AutoCommit=False": False, "autocommit=False": False}


def _explicit(module: ModuleType, make: Maker, relay: Relay, server: Server) -> dict[str, object]:
    name = table(server)
    conn = module.connect(make(AutoCommit=False))
    cursor = conn.cursor()
    cursor.execute(f"insert into {name} values (1)")
    relay.take()
    conn.rollback()
    sent = relay.take()
    after_rollback = count_rows(server, name)
    cursor.execute(f"insert into {name} values (2)")
    relay.take()
    conn.commit()
    sent += relay.take()
    after_commit = count_rows(server, name)
    cursor.execute(f"insert into {name} values (3)")
    relay.take()
    conn.close()
    return {"sent": sent, "after rollback": after_rollback, "after commit": after_commit,
            "sent on close with a transaction open": relay.take(), "after close": count_rows(server, name)}


def test_commit_rollback_and_close_with_autocommit_off(devart: ModuleType, relay: Relay,
                                                       server: Server) -> None:
    theirs, ours = _run(devart, _explicit, maker(relay), relay, server)
    assert ours == theirs == {"sent": ["rollback", "commit"], "after rollback": 0, "after commit": 1,
                              "sent on close with a transaction open": ["rollback", "logoff"],
                              "after close": 1}


def _pooled(module: ModuleType, make: Maker, relay: Relay, server: Server,
            **extra: object) -> dict[str, object]:
    name = table(server)
    (pool_id,) = fresh_pool_ids(1)
    conn = module.connect(make(PoolId=pool_id, **extra))
    conn.autocommit = False
    conn.cursor().execute(f"insert into {name} values (1)")
    relay.take()
    conn.close()
    sent = relay.take()
    conn = module.connect(make(PoolId=pool_id, **extra))
    drawn = conn.autocommit
    conn.close()
    return {"sent on close": sent, "rows": count_rows(server, name), "autocommit when drawn again": drawn}


def test_a_pooled_draw_has_autocommit_on_again(pools: Any, devart: ModuleType, relay: Relay,
                                               server: Server) -> None:
    theirs, ours = _run(devart, _pooled, maker(relay), relay, server)
    assert ours == theirs == {"sent on close": ["rollback"], "rows": 0,
                              "autocommit when drawn again": True}


def test_a_pooled_draw_keeps_autocommit_false_from_the_string(
        pools: Any, devart: ModuleType, relay: Relay, server: Server) -> None:
    theirs, ours = [_pooled(module, maker(relay), relay, server, AutoCommit=False)
                    for module in both(devart)]
    assert ours == theirs == {"sent on close": ["rollback"], "rows": 0,
                              "autocommit when drawn again": False}
