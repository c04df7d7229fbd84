"""What the differential tests run with each connector, and what they look at.

A scenario is a function of one connector module (``devart.oracle`` or
``devart_oracle``: both have ``connect()`` and ``connection_pool``) and a
connection-string maker; it returns what it observed, from the client
(autocommit, the session id it sees) and from the server's side (rows
another session sees, what the relay recorded, ``V$SESSION``). The tests run
it with both connectors and compare the observations.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from types import ModuleType
from typing import Any

from .conftest import PASSWORD, SERVICE, USER, Relay, Server

__all__ = ["Maker", "both", "count_rows", "fresh_pool_ids", "kill", "maker", "session_id", "table"]

Maker = Callable[..., str]
_POOL_IDS = itertools.count(1000)
_TABLES = itertools.count(1)


def maker(relay: Relay) -> Maker:
    """Connection strings through ``relay``, with extra parameters as keywords."""
    def make(**extra: object) -> str:
        parts = [f"Direct=True;Host=127.0.0.1;Port={relay.port};ServiceName={SERVICE}",
                 f"UserName={USER};Password={PASSWORD}"]
        parts += [f"{key}={value}" for key, value in extra.items()]
        return ";".join(parts)
    return make


def fresh_pool_ids(n: int) -> list[int]:
    """PoolIds no earlier scenario used, so that pools start empty."""
    return [next(_POOL_IDS) for _ in range(n)]


def session_id(conn: Any) -> tuple[int, int]:
    """The session the connection is on: (sid, serial#), as ``V$SESSION`` shows it.

    The server reuses the sid of a session that ended; the serial# tells
    the new session from the old.
    """
    cursor = conn.cursor()
    cursor.execute('select sid, "SERIAL#" from v$session where sid = sys_context(\'USERENV\', \'SID\')')
    sid, serial = cursor.fetchall()[0]
    return int(sid), int(serial)


def table(server: Server) -> str:
    """A new empty table, created from the server's side."""
    name = f"devart_t{next(_TABLES)}"
    with server.thin() as conn:
        conn.cursor().execute(f"create table {name} (x number)")
    return name


def count_rows(server: Server, name: str) -> int:
    """The rows of ``name`` that another session sees (what was committed)."""
    with server.thin() as conn:
        return int(conn.cursor().execute(f"select count(*) from {name}").fetchall()[0][0])


def kill(server: Server, session: tuple[int, int]) -> None:
    """End a session from the server's side (ALTER SYSTEM KILL SESSION)."""
    sid, serial = session
    with server.thin() as conn:
        conn.cursor().execute(f"alter system kill session '{sid},{serial}'")


def both(devart: ModuleType) -> list[ModuleType]:
    """Devart's connector and devart_oracle, in that order."""
    import devart_oracle

    return [devart, devart_oracle]
